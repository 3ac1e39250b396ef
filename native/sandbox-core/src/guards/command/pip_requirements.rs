//! pip's requirement and constraint files (`-r FILE`, `-c FILE`) hold the
//! same things as its command line: `-e PATH` and local paths pip builds
//! (running their `setup.py`, writing `*.egg-info` next to them), `file:`
//! and other URLs, further `-r`/`-c` files, `${VAR}` pip expands. A file
//! that exists is read and what it names is judged like the same operand
//! given directly: a local path as code pip runs (where the agent could
//! write it), a URL or a direct reference as not modelled, a nested file
//! in turn. A file whose content is not seen (written earlier in the same
//! command, standard input, computed) is not modelled.

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::{Read, Write};

/// Nested requirement files followed at most this deep.
const DEPTH: usize = 8;

/// Options a requirement file may hold that name nothing on disk.
const INERT: &[&str] = &[
    "--no-index",
    "--pre",
    "--prefer-binary",
    "--require-hashes",
    "--only-binary",
    "--no-binary",
    "--hash",
];

/// Options above that take a value.
const INERT_WITH_VALUE: &[&str] = &["--only-binary", "--no-binary", "--hash"];

/// The logical lines of a requirement file: `\` joins lines, `#` at the
/// start or after a blank starts a comment.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if let Some(head) = line.strip_suffix('\\') {
            cur.push_str(head);
            continue;
        }
        cur.push_str(line);
        let l = std::mem::take(&mut cur);
        let cut = l
            .char_indices()
            .find(|&(i, c)| c == '#' && (i == 0 || l[..i].ends_with([' ', '\t'])))
            .map_or(l.len(), |(i, _)| i);
        let l = l[..cut].trim().to_string();
        if !l.is_empty() {
            out.push(l);
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Whether a requirement word is a project name with extras, versions and
/// markers only (no path, no URL, no direct reference).
fn plain_requirement(word: &str) -> bool {
    let head = word.split(';').next().unwrap_or(word);
    !head.contains(['/', '\\', ':', '@', '~']) && !head.starts_with('.')
}

impl Analyzer<'_> {
    /// `pip -r FILE`/`-c FILE`: the file is read; what it names is judged.
    /// False when it asked.
    pub(crate) fn check_requirement_file(&mut self, a: &Arg, argv: &[Arg], via: &str) -> bool {
        self.check_file(a, Read, argv, via);
        self.requirement_file(a, argv, via, 0)
    }

    fn requirement_file(&mut self, a: &Arg, argv: &[Arg], via: &str, depth: usize) -> bool {
        let not_seen = |why: &str| {
            format!(
                "{via} {}: {why}; the paths and URLs a requirement file names are not analysed",
                a.shown()
            )
        };
        let host = match a.lit() {
            None => Err(not_seen("the file is computed at run time")),
            Some(v) if v == "-" || v.starts_with("/dev/") || v.starts_with("/proc/") => {
                Err(not_seen("standard input or a device is read"))
            }
            Some(v) if v.contains("://") || v.starts_with("file:") => {
                Err(not_seen("a requirement file named by a URL is fetched"))
            }
            Some(_) if depth > DEPTH => Err(not_seen("requirement files nest too deep")),
            Some(_) if self.was_written(a).is_some() => {
                Err(not_seen("the file was written earlier in the same command"))
            }
            Some(v) => self
                .resolve(v, a.home)
                .and_then(|r| self.fs.host_path_of(&r))
                .ok_or_else(|| not_seen("the file cannot be located")),
        };
        let text = match host.map(std::fs::read_to_string) {
            Ok(Ok(t)) => t,
            // pip stops: nothing is installed.
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => return true,
            Ok(Err(_)) => {
                let m = not_seen("the file cannot be read");
                self.unmodelled(DecisionCode::UnmodelledOperand, m, a.span, argv);
                return false;
            }
            Err(m) => {
                self.unmodelled(DecisionCode::UnmodelledOperand, m, a.span, argv);
                return false;
            }
        };
        // Nested files are named relative to the file naming them.
        let dir = a
            .lit()
            .and_then(|v| v.rsplit_once('/'))
            .map(|(d, _)| format!("{d}/"))
            .unwrap_or_default();
        for line in logical_lines(&text) {
            if !self.requirement_line(&line, &dir, a, argv, via, depth) {
                return false;
            }
        }
        true
    }

    /// One logical line. False when it asked.
    fn requirement_line(
        &mut self,
        line: &str,
        dir: &str,
        file: &Arg,
        argv: &[Arg],
        via: &str,
        depth: usize,
    ) -> bool {
        let ask = |s: &mut Self, why: &str| {
            s.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!("{via} {}: the line {} {why}", file.shown(), clip(line)),
                file.span,
                argv,
            );
            false
        };
        if line.contains('$') {
            return ask(self, "holds a variable pip expands");
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        // A direct URL requirement (`x @ https://…`, `git+https://…`,
        // `-e git+ssh://…`) is where pip fetches: judged as a destination
        // (a refused one is a deny), before the requirement asks below.
        for (k, w) in words.iter().enumerate() {
            let value_of = k
                .checked_sub(1)
                .and_then(|p| words.get(p))
                .is_some_and(|p| p.starts_with('-') && !matches!(*p, "-e" | "--editable"));
            if !value_of && !w.starts_with('-') && w.contains("://") {
                let t = Arg::literal(w, file.span);
                let via = format!("{via} (in {})", file.shown());
                self.check_spec_destination(&t, argv, &via);
            }
        }
        let mut i = 0;
        while let Some(&w) = words.get(i) {
            i += 1;
            let (name, inline) = match w.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v)),
                _ => match w {
                    _ if w.len() > 2 && !w.starts_with("--") && w.starts_with('-') => {
                        (&w[..2], Some(&w[2..]))
                    }
                    _ => (w, None),
                },
            };
            if !name.starts_with('-') {
                if plain_requirement(w) {
                    continue;
                }
                if w.contains(['@', ':']) {
                    return ask(self, "names a URL or a direct reference");
                }
                // A local project or archive: built or installed like
                // the same operand given on the command line.
                self.requirement_path(w, dir, file, argv, via);
                continue;
            }
            let mut value = || {
                inline.map(str::to_string).or_else(|| {
                    i += 1;
                    words.get(i - 1).map(|v| v.to_string())
                })
            };
            match name {
                "-r" | "--requirement" | "-c" | "--constraint" => {
                    let Some(v) = value() else { return true };
                    let nested = if v.starts_with('/') || v.contains(':') {
                        v
                    } else {
                        format!("{dir}{v}")
                    };
                    let mut n = Arg::literal(&nested, file.span);
                    n.home = nested.starts_with("~/");
                    let via = format!("{via} (nested {name})");
                    self.check_file(&n, Read, argv, &via);
                    if !self.requirement_file(&n, argv, &via, depth + 1) {
                        return false;
                    }
                }
                "-e" | "--editable" => {
                    let Some(v) = value() else { return true };
                    if v.contains(['@', ':']) {
                        return ask(self, "names a URL or a direct reference");
                    }
                    self.requirement_path(&v, dir, file, argv, via);
                }
                // An index or link page: a local one serves packages pip
                // builds and runs (named relative to the working directory).
                "-i" | "--index-url" | "--extra-index-url" | "-f" | "--find-links" => {
                    let Some(v) = value() else { return true };
                    let mut t = Arg::literal(&v, file.span);
                    t.home = v == "~" || v.starts_with("~/");
                    let via = format!("{via} (in {})", file.shown());
                    if !self.check_package_index(&t, argv, &via) {
                        return false;
                    }
                }
                n if INERT.contains(&n) => {
                    if inline.is_none() && INERT_WITH_VALUE.contains(&n) {
                        i += 1;
                    }
                }
                _ => return ask(self, "holds an option the analysis does not model"),
            }
        }
        true
    }

    /// A local path in a requirement file: pip resolves it against the
    /// working directory or the file's own directory (versions differ);
    /// both are judged as code pip runs.
    fn requirement_path(&mut self, p: &str, dir: &str, file: &Arg, argv: &[Arg], via: &str) {
        // `#egg=NAME` and other fragments are not part of the path.
        let p = p.split('#').next().unwrap_or(p);
        let mut names = vec![p.to_string()];
        if !p.starts_with(['/', '~']) && !dir.is_empty() {
            names.push(format!("{dir}{p}"));
        }
        for n in names {
            let mut t = Arg::literal(&n, file.span);
            t.home = n == "~" || n.starts_with("~/");
            self.check_file(&t, Write, argv, &format!("{via} (in {})", file.shown()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_lines_join_and_drop_comments() {
        let lines =
            logical_lines("# c\nrequests==2 \\\n  --hash=sha256:x # why\n\n-e ../x#egg=y\n");
        assert_eq!(lines, ["requests==2   --hash=sha256:x", "-e ../x#egg=y"]);
        assert!(plain_requirement(
            "requests[socks]>=2.0;python_version<'3.8'"
        ));
        assert!(!plain_requirement("./pkg"));
        assert!(!plain_requirement("x @ file:///tmp/x"));
    }
}
