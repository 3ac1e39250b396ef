//! `go build` without `-o` writes the executable of a single main package
//! into the working directory, under a name it computes: the last element
//! of the package's import path (the directory's name, or the module's
//! last path element for a module root; the element before a `/vN`
//! suffix), or the first `.go` file's name without `.go`, with `.exe` for
//! Windows. `cd .git/hooks && go build ../../cmd/pre-commit` makes a hook.
//! Each possible name is judged as a write where it lands; a name the
//! analysis cannot know (a computed operand, a pattern it cannot expand)
//! judges the directory as written and asks. Several packages write
//! nothing; `-o` is judged by the option table.

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use super::Span;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::Write;

/// Options of `go build` that take a value (the next word when not given
/// with `=`); every other option the table allows is a flag.
const WITH_VALUE: &[&str] = &[
    "-run",
    "-bench",
    "-count",
    "-timeout",
    "-tags",
    "-p",
    "-mod",
    "-covermode",
    "-coverpkg",
    "-benchtime",
    "-parallel",
    "-cpu",
    "-skip",
    "-shuffle",
    "-o",
    "-C",
    "-coverprofile",
    "-cpuprofile",
    "-memprofile",
    "-outputdir",
    "-modfile",
];

/// At most this many directories are looked at to expand a `...` pattern.
const WALK_LIMIT: usize = 2000;

/// The executable's name for an import path's last elements: the last
/// one, or the one before a major-version suffix `vN`.
fn names_of_path(path: &str) -> Vec<String> {
    let elems: Vec<&str> = path
        .trim_end_matches('/')
        .split('/')
        .filter(|e| !e.is_empty() && *e != ".")
        .collect();
    let mut out = Vec::new();
    if let Some(last) = elems.last() {
        out.push(last.to_string());
        let major = last.len() > 1
            && last.starts_with('v')
            && last[1..].bytes().all(|b| b.is_ascii_digit());
        if major && elems.len() > 1 {
            out.push(elems[elems.len() - 2].to_string());
        }
    }
    out
}

/// The module path a `go.mod` declares.
fn module_path(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("module")?;
        let p = rest.split("//").next()?.trim().trim_matches('"').trim();
        (!p.is_empty()).then(|| p.to_string())
    })
}

impl Analyzer<'_> {
    /// The executable `go build` writes under a computed name.
    pub(crate) fn check_go_outputs(&mut self, argv: &[Arg]) {
        if argv.get(1).and_then(|a| a.lit()) != Some("build") {
            return;
        }
        let mut dir = String::new();
        let mut i = 2;
        while let Some(a) = argv.get(i) {
            let Some(w) = a.lit() else { break };
            if !w.starts_with('-') || w == "-" {
                break;
            }
            i += 1;
            if w == "--" {
                break;
            }
            // The flag package reads `-name` and `--name` alike.
            let long = w.strip_prefix('-').filter(|r| r.starts_with('-'));
            let w = long.unwrap_or(w);
            let (name, inline) = match w.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (w, None),
            };
            let value = match inline {
                Some(v) => Some(v),
                None if WITH_VALUE.contains(&name) => {
                    i += 1;
                    argv.get(i - 1)
                        .map(|v| v.lit().unwrap_or("\u{0}").to_string())
                }
                None => None,
            };
            match name {
                // The output is named: judged by the option table.
                "-o" => return,
                "-C" => match value {
                    Some(v) if !v.contains('\u{0}') => {
                        dir = format!("{}/", v.trim_end_matches('/'))
                    }
                    _ => return,
                },
                _ => {}
            }
        }
        let operands = &argv[i.min(argv.len())..];
        let span = argv[0].span;
        if operands.iter().any(|a| a.lit().is_none()) {
            self.go_unknown_output(&dir, span, argv, "a package is computed at run time");
            return;
        }
        let words: Vec<&str> = operands.iter().filter_map(|a| a.lit()).collect();
        let mut names: Vec<String> = Vec::new();
        if let Some(first) = words.iter().find(|w| w.ends_with(".go")) {
            let file = first.rsplit('/').next().unwrap_or(first);
            names.push(file.trim_end_matches(".go").to_string());
        } else if words.iter().any(|w| w.contains("...")) {
            for w in &words {
                let local = w.starts_with('.') || w.starts_with('/');
                let Some(root) = w.split("...").next().filter(|_| local) else {
                    self.go_unknown_output(&dir, span, argv, "a package pattern outside the working tree may match a single main package");
                    return;
                };
                let root = root.trim_end_matches('/');
                let root = if root.is_empty() { "." } else { root };
                if !self.go_pattern_names(&format!("{dir}{root}"), &mut names) {
                    self.go_unknown_output(
                        &dir,
                        span,
                        argv,
                        "the package pattern could not be expanded",
                    );
                    return;
                }
            }
        } else if words.len() > 1 {
            // Several packages: compiled, nothing written.
            return;
        } else {
            let w = words.first().copied().unwrap_or(".");
            let local = w.starts_with('.') || w.starts_with('/');
            if !local {
                names.extend(names_of_path(w));
            } else if !self.go_dir_names(&format!("{dir}{w}"), &mut names) {
                self.go_unknown_output(&dir, span, argv, "the package's name could not be read");
                return;
            }
        }
        names.sort();
        names.dedup();
        for n in names {
            if n.is_empty() || n.contains('/') {
                continue;
            }
            for file in [format!("{dir}{n}"), format!("{dir}{n}.exe")] {
                let mut t = Arg::literal(&file, span);
                t.home = file.starts_with("~/");
                self.check_file(&t, Write, argv, "go build");
                if let Some(p) = self.resolve(&file, t.home) {
                    self.note_written(super::rules::normalize_path(&p), None);
                }
            }
        }
    }

    /// The host path of a directory named relative to the working one.
    fn go_host_dir(&self, d: &str) -> Option<std::path::PathBuf> {
        let home = d == "~" || d.starts_with("~/");
        let r = self.resolve(d, home)?;
        self.fs.host_path_of(&r)
    }

    /// The names a package directory's executable may have: its own name,
    /// and its module's last element when it is a module root. False when
    /// a name cannot be known.
    fn go_dir_names(&self, d: &str, names: &mut Vec<String>) -> bool {
        let Some(host) = self.go_host_dir(d) else {
            return false;
        };
        let Some(text) = host.to_str() else {
            return false;
        };
        names.extend(names_of_path(text));
        match std::fs::read_to_string(host.join("go.mod")) {
            Ok(t) => match module_path(&t) {
                Some(m) => names.extend(names_of_path(&m)),
                None => return false,
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A go.mod written earlier in the command is not seen.
                let m = format!("{}/go.mod", d.trim_end_matches('/'));
                if self.was_written(&Arg::literal(&m, [0, 0])).is_some() {
                    return false;
                }
            }
            Err(_) => return false,
        }
        true
    }

    /// The names of every package directory a `ROOT/...` pattern may
    /// match. False when the tree is too large or cannot be read.
    fn go_pattern_names(&self, root: &str, names: &mut Vec<String>) -> bool {
        if !self.go_dir_names(root, names) {
            return false;
        }
        let Some(host) = self.go_host_dir(root) else {
            return false;
        };
        let mut stack = vec![host];
        let mut seen = 0;
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                return false;
            };
            for e in entries.flatten() {
                let Ok(t) = e.file_type() else { return false };
                if !t.is_dir() {
                    continue;
                }
                let name = e.file_name().to_string_lossy().to_string();
                // The go command skips these in patterns.
                if name.starts_with(['.', '_']) || name == "testdata" {
                    continue;
                }
                seen += 1;
                if seen > WALK_LIMIT {
                    return false;
                }
                let p = e.path();
                if let Ok(t) = std::fs::read_to_string(p.join("go.mod")) {
                    if let Some(m) = module_path(&t) {
                        names.extend(names_of_path(&m));
                    }
                }
                names.extend(names_of_path(&name));
                stack.push(p);
            }
        }
        // Directories made earlier in the command are not on disk yet.
        !self.written.iter().any(|(w, _)| w.ends_with(".go"))
    }

    /// The output's name is not known: the directory it lands in is
    /// judged as written, and the command asks.
    fn go_unknown_output(&mut self, dir: &str, span: Span, argv: &[Arg], why: &str) {
        let d = if dir.is_empty() { "." } else { dir };
        let mut t = Arg::literal(d, span);
        t.home = d.starts_with("~/");
        self.check_file(&t, Write, argv, "go build");
        self.unmodelled(
            DecisionCode::UnmodelledOperand,
            format!(
                "go build: {why}; the executable it writes in {} is named after it",
                clip(d)
            ),
            span,
            argv,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executable_names_follow_the_import_path() {
        assert_eq!(names_of_path("../../cmd/pre-commit/"), ["pre-commit"]);
        assert_eq!(names_of_path("example.com/tool/v2"), ["v2", "tool"]);
        assert_eq!(names_of_path("/w/.git/hooks"), ["hooks"]);
        assert_eq!(
            module_path("// x\nmodule \"example.com/pre-push\" // y\n").as_deref(),
            Some("example.com/pre-push")
        );
    }
}
