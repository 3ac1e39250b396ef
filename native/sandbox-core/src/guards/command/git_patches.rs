//! `git apply` and `git am` write the files their patch names, with the
//! patch's modes, wherever below the working tree: what they write is in
//! the patch text, not on the command line. The patch is read where its
//! text is known (a file on disk, a here-document or here-string in the
//! line, a file the command wrote with known content) and every name in
//! it judged as a write; a patch from a pipe, a download, the shell's own
//! standard input or a file written with unknown content is not modelled.

use super::normalize::{clip, Arg};
use super::walk::{Analyzer, Stdin};
use super::wrappers::scan_options;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::Write;

/// Patch names judged at most; a longer patch is not modelled.
const MAX_NAMES: usize = 2000;
/// Largest patch file read from disk.
const MAX_PATCH_BYTES: u64 = 8 << 20;

/// `git am` options that take no patch (they act on the session in
/// progress or only print).
const AM_SESSION: &[&str] = &[
    "--continue",
    "-r",
    "--resolved",
    "--skip",
    "--abort",
    "--quit",
    "--show-current-patch",
    "--allow-empty",
    "--retry",
];

/// `git apply` and `git am` options with a separate value.
const WITH_VALUE: &[&str] = &[
    "-p",
    "-C",
    "--directory",
    "--include",
    "--exclude",
    "--whitespace",
    "--build-fake-ancestor",
    "--patch-format",
];

impl Analyzer<'_> {
    /// Judge the files the patch of `git apply`/`git am` names.
    pub(crate) fn check_git_patches(&mut self, argv: &[Arg], stdin: &Stdin) {
        let scan = scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
        let Some(sub) = argv.get(scan.first).and_then(|a| a.lit()) else {
            return;
        };
        if !matches!(sub, "apply" | "am") {
            return;
        }
        let rest = &argv[scan.first + 1..];
        if sub == "apply" && only_reports(rest) {
            return;
        }
        // The patch's names resolve below another directory.
        if scan.has(&["-C", "--work-tree", "--git-dir"]) {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!("git {sub} with -C, --work-tree or --git-dir: the files its patch names are written below another directory, which is not modelled"),
                argv[0].span,
                argv,
            );
            return;
        }
        let mut strip: usize = 1;
        let mut directory = String::new();
        let mut reject = false;
        let mut sources: Vec<Option<&Arg>> = Vec::new();
        let mut i = 0;
        let mut options_end = false;
        while i < rest.len() {
            let a = &rest[i];
            i += 1;
            let Some(v) = a.lit() else {
                // A computed word: an option or a patch, not known.
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("git {sub}: {} is computed at run time; which patch is applied is not known", a.shown()),
                    a.span,
                    argv,
                );
                return;
            };
            if options_end || v == "-" || !v.starts_with('-') {
                // `-` and `/dev/stdin` read standard input.
                let stdin = v == "-" || super::shell::descriptor_path(v) == Some(0);
                sources.push(if stdin { None } else { Some(a) });
                continue;
            }
            if v == "--" {
                options_end = true;
                continue;
            }
            if sub == "am" && is_session(v) {
                return;
            }
            if matches!(v, "--stat" | "--numstat" | "--summary") && sub == "apply" {
                // With another option applying may still happen: judged below
                // as if it did.
                continue;
            }
            if v == "--reject" {
                reject = true;
            }
            let (name, value) = match v.split_once('=') {
                Some((n, val)) if n.starts_with("--") => (n, Some(val.to_string())),
                _ if v.len() > 2 && v.starts_with("-p") => ("-p", Some(v[2..].to_string())),
                _ => (v, None),
            };
            let value = match value {
                Some(x) => Some(x),
                None if WITH_VALUE.contains(&name) => {
                    let next = rest.get(i).and_then(|n| n.lit()).map(str::to_string);
                    i += 1;
                    if next.is_none() {
                        self.unmodelled(
                            DecisionCode::UnmodelledOption,
                            format!("git {sub} {name}: its value is computed at run time"),
                            a.span,
                            argv,
                        );
                        return;
                    }
                    next
                }
                None => None,
            };
            match (name, value) {
                ("-p", Some(n)) => match n.parse() {
                    Ok(n) => strip = n,
                    Err(_) => {
                        self.unmodelled(
                            DecisionCode::UnmodelledOption,
                            format!("git {sub} -p{}: not a number of components", clip(&n)),
                            a.span,
                            argv,
                        );
                        return;
                    }
                },
                ("--directory", Some(d)) => {
                    directory = d.trim_end_matches('/').to_string();
                    if !directory.is_empty() {
                        directory.push('/');
                    }
                }
                ("--build-fake-ancestor", Some(f)) => {
                    let f = Arg::literal(&f, a.span);
                    self.check_file(&f, Write, argv, &format!("git {sub} --build-fake-ancestor"));
                }
                _ => {}
            }
        }
        if sources.is_empty() {
            sources.push(None);
        }
        let mut names = Vec::new();
        for source in sources {
            let text = match source {
                None => match self.stdin_text(stdin) {
                    Ok(Some(t)) => Ok(t),
                    Ok(None) => match stdin {
                        Stdin::File(Some(f)) => self.patch_on_disk(f),
                        _ => Err("is not known".to_string()),
                    },
                    Err(why) => Err(format!("on standard input {why}")),
                },
                Some(f) => match self.written_text(f) {
                    Ok(Some(t)) => Ok(t),
                    Ok(None) => self.patch_on_disk(f),
                    Err(why) => Err(why),
                },
            };
            let at = source.map_or(argv[0].span, |a| a.span);
            let text = match text {
                Ok(t) => t,
                Err(why) => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!("git {sub}: the patch {why}; the files it writes are named inside it and not known"),
                        at,
                        argv,
                    );
                    return;
                }
            };
            match patch_names(&text, strip, sub == "am") {
                Ok(n) => names.extend(n),
                Err(why) => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!("git {sub}: {why}"),
                        at,
                        argv,
                    );
                    return;
                }
            }
            if names.len() > MAX_NAMES {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("git {sub}: the patch names too many files to judge"),
                    at,
                    argv,
                );
                return;
            }
        }
        let via = format!("git {sub} (a file its patch names)");
        for n in names {
            let p = format!("{directory}{n}");
            let mut targets = vec![p.clone()];
            if reject {
                targets.push(format!("{p}.rej"));
            }
            for t in targets {
                self.check_file(&Arg::literal(&t, argv[0].span), Write, argv, &via);
            }
        }
    }

    /// The text of a patch file on disk (a missing file applies nothing).
    fn patch_on_disk(&self, f: &Arg) -> Result<String, String> {
        let Some(v) = f.lit() else {
            return Err("is named at run time".to_string());
        };
        // Another descriptor, a device or a process's file: not a patch
        // read here.
        if super::shell::descriptor_path(v).is_some() {
            return Err(format!("comes from the open descriptor {}", clip(v)));
        }
        let Some(resolved) = self.resolve(v, f.home) else {
            return Err(format!("{} is in a directory not known", clip(v)));
        };
        let Some(host) = self.fs.host_path_of(&resolved) else {
            return Err(format!("{} is not on this host", clip(v)));
        };
        if host.starts_with("/dev") || host.starts_with("/proc") {
            return Err(format!("{} is a device or process file", clip(v)));
        }
        match std::fs::metadata(&host) {
            Err(_) => Ok(String::new()),
            Ok(m) if !m.is_file() || m.len() > MAX_PATCH_BYTES => {
                Err(format!("{} is not a regular file of a size read", clip(v)))
            }
            Ok(_) => std::fs::read(&host)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|_| format!("{} could not be read", clip(v))),
        }
    }
}

/// Whether the files `git SUB REST` writes are those of a patch
/// [`Analyzer::check_git_patches`] judges (not an `am` session's stored
/// patch).
pub(crate) fn patch_judged(sub: &str, rest: &[Arg]) -> bool {
    match sub {
        "apply" => true,
        "am" => !rest.iter().any(|a| a.lit().is_none_or(is_session)),
        _ => false,
    }
}

/// Whether `v` is an `am` session option or an abbreviation of one
/// (`--cont`).
fn is_session(v: &str) -> bool {
    AM_SESSION.contains(&v)
        || (v.len() > 3 && v.starts_with("--") && AM_SESSION.iter().any(|s| s.starts_with(v)))
}

/// Whether `git apply` only prints facts of the patch (`--stat`,
/// `--numstat`, `--summary` with no option that turns applying back on):
/// it then writes nothing.
fn only_reports(rest: &[Arg]) -> bool {
    const REPORTS: &[&str] = &["--stat", "--numstat", "--summary"];
    const INERT: &[&str] = &["-z", "-v", "--verbose", "-q", "--quiet", "-R", "--reverse"];
    let mut reports = false;
    for a in rest {
        let Some(v) = a.lit() else { return false };
        if v == "--" {
            break;
        }
        if REPORTS.contains(&v) {
            reports = true;
        } else if v.starts_with('-') && v != "-" && !INERT.contains(&v) {
            return false;
        }
    }
    reports
}

/// Every name a patch (or, for `am`, a mailbox of patches) makes git
/// write: both sides of each `diff --git`, `---`/`+++` header and
/// `rename`/`copy` line, with `strip` leading components removed as `-p`
/// does (the rename and copy lines are taken whole). Refused: a name git
/// would read with C quoting, a link (mode 120000), and, for a mailbox, a
/// body in an encoding that hides the patch text.
fn patch_names(text: &str, strip: usize, mailbox: bool) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let stripped = |name: &str| -> Option<String> {
        let name = name
            .split('\t')
            .next()
            .unwrap_or(name)
            .trim_end_matches('\r');
        if name == "/dev/null" {
            return None;
        }
        let parts: Vec<&str> = name.split('/').filter(|c| !c.is_empty()).collect();
        if parts.len() <= strip {
            return None;
        }
        Some(parts[strip..].join("/"))
    };
    for line in text.lines() {
        let lower = line.to_ascii_lowercase();
        if mailbox
            && lower.starts_with("content-transfer-encoding:")
            && !matches!(
                lower["content-transfer-encoding:".len()..].trim(),
                "7bit" | "8bit"
            )
        {
            return Err(
                "a message of the mailbox is encoded (base64, quoted-printable): its patch is not read"
                    .to_string(),
            );
        }
        let quoted = |n: &str| n.starts_with('"');
        if let Some(rest) = line.strip_prefix("diff --git ") {
            if quoted(rest) || rest.contains(" \"") {
                return Err(format!("{}: a quoted name is not read", clip(line)));
            }
            // `a/X b/Y` with names without spaces: the two halves.
            let words: Vec<&str> = rest.split(' ').collect();
            if words.len() != 2 {
                return Err(format!("{}: a name with spaces is not read", clip(line)));
            }
            out.extend(words.iter().filter_map(|w| stripped(w)));
        } else if let Some(rest) = line
            .strip_prefix("--- ")
            .or_else(|| line.strip_prefix("+++ "))
        {
            if quoted(rest) {
                return Err(format!("{}: a quoted name is not read", clip(line)));
            }
            out.extend(stripped(rest));
        } else if let Some(rest) = ["rename from ", "rename to ", "copy from ", "copy to "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
        {
            if quoted(rest) {
                return Err(format!("{}: a quoted name is not read", clip(line)));
            }
            out.push(rest.trim_end_matches('\r').to_string());
        } else if (line.starts_with("new file mode ")
            || line.starts_with("new mode ")
            || line.starts_with("index "))
            && line.trim_end().ends_with("120000")
        {
            return Err(
                "the patch makes a symbolic link, whose target later paths follow".to_string(),
            );
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::patch_names;

    #[test]
    fn names_are_taken_from_every_header() {
        let p = "diff --git a/src/x.rs b/src/y.rs\nsimilarity index 90%\nrename from src/x.rs\nrename to src/y.rs\n--- a/src/x.rs\n+++ b/src/y.rs\n@@ -1 +1 @@\n-a\n+b\n";
        assert_eq!(
            patch_names(p, 1, false).unwrap(),
            vec!["src/x.rs".to_string(), "src/y.rs".to_string()]
        );
        let p0 = "--- /dev/null\n+++ new.txt\t2024-01-01\n";
        assert_eq!(
            patch_names(p0, 0, false).unwrap(),
            vec!["new.txt".to_string()]
        );
        assert!(patch_names("diff --git a/l b/l\nnew file mode 120000\n", 1, false).is_err());
        assert!(patch_names("Content-Transfer-Encoding: base64\n\nZGlm\n", 1, true).is_err());
    }
}
