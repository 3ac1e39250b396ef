//! What a path in a command could name besides its own spelling: a glob
//! component (`.gi[t]`, `.g?t`, `.g*`) could match a protected name, and a
//! name spelled in another case (`.GIT`, `.Git`) is that name on a
//! case-insensitive filesystem (macOS, Windows, and such a volume mounted on
//! Linux). The filesystem guard judges one spelling; this module hands it
//! every protected spelling the path could stand for (docs/commands.md,
//! Globs and case).

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::{FileOperation, FileRequest};

/// At most this many spellings are judged for one path; more is not
/// modelled.
const MAX_CANDIDATES: usize = 256;

/// Whether a path component holds glob syntax bash would expand.
pub(crate) fn is_glob(c: &str) -> bool {
    c.contains(['*', '?', '['])
}

/// Whether the glob component `pat` could match `name`, compared without
/// case (`nocaseglob`, case-insensitive filesystems). A leading `.` must be
/// matched by a literal `.` unless `dotglob` may be on.
pub(crate) fn could_match(pat: &str, name: &str, dotglob: bool) -> bool {
    let p: Vec<char> = pat.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    // Extended patterns (`@(…)`, `!(…)`, `+(…)`) can match anything.
    if p.windows(2)
        .any(|w| matches!(w[0], '@' | '!' | '+' | '*' | '?') && w[1] == '(')
    {
        return true;
    }
    if !dotglob && n.first() == Some(&'.') && p.first() != Some(&'.') {
        return false;
    }
    matches(&p, &n)
}

fn matches(p: &[char], n: &[char]) -> bool {
    match p.first() {
        None => n.is_empty(),
        Some('*') => (0..=n.len()).any(|i| matches(&p[1..], &n[i..])),
        Some('?') => !n.is_empty() && matches(&p[1..], &n[1..]),
        Some('[') => match class(&p[1..]) {
            Some((set, negated, used)) => {
                !n.is_empty() && set_has(&set, n[0]) != negated && matches(&p[1 + used..], &n[1..])
            }
            // An unclosed `[` is a literal.
            None => n.first() == Some(&'[') && matches(&p[1..], &n[1..]),
        },
        Some('\\') if p.len() > 1 => n.first() == Some(&p[1]) && matches(&p[2..], &n[1..]),
        Some(c) => n.first() == Some(c) && matches(&p[1..], &n[1..]),
    }
}

/// A bracket expression: its character ranges, whether it is negated, and
/// the characters it spans.
type Bracket = (Vec<(char, char)>, bool, usize);

/// A bracket expression after its `[`: its ranges, whether it is negated
/// and how many characters it used (up to and including `]`). Character
/// classes (`[:alpha:]`), equivalence classes (`[=t=]`) and collating
/// symbols (`[.t.]`) count as matching every character.
fn class(p: &[char]) -> Option<Bracket> {
    let mut i = 0;
    let negated = matches!(p.first(), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut set = Vec::new();
    let start = i;
    while i < p.len() {
        let c = p[i];
        if c == ']' && i > start {
            return Some((set, negated, i + 1));
        }
        // `[:class:]`, `[=equivalence class=]`, `[.collating symbol.]`:
        // what they match depends on the locale.
        if c == '[' && matches!(p.get(i + 1), Some(':' | '=' | '.')) {
            let delim = p[i + 1];
            set.push(('\0', char::MAX));
            let close =
                (i + 2..p.len().saturating_sub(1)).find(|&k| p[k] == delim && p[k + 1] == ']')?;
            i = close + 2;
            continue;
        }
        let c = if c == '\\' && i + 1 < p.len() {
            i += 1;
            p[i]
        } else {
            c
        };
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|e| *e != ']') {
            set.push((c, p[i + 2]));
            i += 3;
        } else {
            set.push((c, c));
            i += 1;
        }
    }
    None
}

fn set_has(set: &[(char, char)], c: char) -> bool {
    set.iter().any(|(a, b)| *a <= c && c <= *b)
}

impl Analyzer<'_> {
    /// The protected spellings `path` could stand for: each glob component
    /// replaced by every protected name it could match, each component
    /// equal to a protected name but for case replaced by that name.
    /// `Err` when a `..` follows a glob component or there are too many.
    fn spellings(&self, path: &str) -> Result<Vec<String>, String> {
        let names = self.fs.protected_names();
        let comps = || path.split('/').filter(|c| !c.is_empty());
        // The common case: no glob, no protected name in another case. The
        // only spelling is then the path itself with its empty components
        // dropped; answered without building the product below.
        if comps().all(|c| !is_glob(c) && !self.fs.names_other_case(c)) {
            let mut only = String::with_capacity(path.len());
            if path.starts_with('/') {
                only.push('/');
            }
            for (i, c) in comps().enumerate() {
                if i > 0 {
                    only.push('/');
                }
                only.push_str(c);
            }
            return Ok(if only == path { Vec::new() } else { vec![only] });
        }
        let dotglob = self.input.contains("dotglob");
        let mut out: Vec<Vec<String>> = vec![Vec::new()];
        let mut globbed = false;
        let lead = if path.starts_with('/') { "/" } else { "" };
        for c in path.split('/') {
            if c.is_empty() {
                continue;
            }
            let mut options: Vec<String> = vec![c.to_string()];
            if is_glob(c) {
                globbed = true;
                options.extend(names.iter().filter(|n| could_match(c, n, dotglob)).cloned());
            } else if c == ".." && globbed {
                return Err(format!(
                    "`..` after a glob component: where {} leads depends on what the glob matches",
                    clip(path)
                ));
            } else {
                options.extend(
                    names
                        .iter()
                        .filter(|n| *n != c && same_lowercase(n, c))
                        .cloned(),
                );
            }
            options.dedup();
            let mut next = Vec::new();
            for prefix in &out {
                for o in &options {
                    let mut p = prefix.clone();
                    p.push(o.clone());
                    next.push(p);
                }
            }
            if next.len() > MAX_CANDIDATES {
                return Err(format!(
                    "{} could name too many protected paths to judge",
                    clip(path)
                ));
            }
            out = next;
        }
        Ok(out
            .into_iter()
            .map(|parts| format!("{lead}{}", parts.join("/")))
            .filter(|p| p != path)
            .collect())
    }

    /// Judge the other spellings of `path` (already resolved against the
    /// working directory) for `op`: a refusal of any of them refuses the
    /// path. Returns whether a finding was made.
    pub(crate) fn check_spellings(
        &mut self,
        path: &str,
        op: FileOperation,
        arg: &Arg,
        argv: &[Arg],
        via: &str,
    ) -> bool {
        match self.spellings(path) {
            Err(why) => {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("{via}: {why}"),
                    arg.span,
                    argv,
                );
                true
            }
            Ok(candidates) => {
                // `dir/` spelled `dir` is the same request for an operation
                // that follows a final link anyway: the caller judges it.
                let follows = matches!(
                    op,
                    FileOperation::Read
                        | FileOperation::List
                        | FileOperation::Execute
                        | FileOperation::Write
                        | FileOperation::Create
                        | FileOperation::CreateDir
                );
                for c in candidates {
                    if follows && path.len() > c.len() && path.trim_end_matches('/') == c {
                        continue;
                    }
                    let d = self.fs.check(&FileRequest::new(&c, op));
                    if !d.is_allowed() {
                        self.finding(
                            Verdict::Deny,
                            DecisionCode::FileAccessDenied,
                            format!(
                                "{via}: {} could name {} (a glob match, or the same name on a case-insensitive filesystem), whose {} is refused by the filesystem policy ({}: {})",
                                clip(path),
                                clip(&c),
                                op.as_str(),
                                d.code,
                                d.reason
                            ),
                            arg.span,
                            argv,
                            d.rule.clone(),
                        );
                        return true;
                    }
                }
                false
            }
        }
    }
}

/// `a.to_lowercase() == b.to_lowercase()`, without allocating when both
/// are ASCII (lowercasing ASCII only maps `A`–`Z`; a non-ASCII character
/// such as the Kelvin sign may lowercase to ASCII, so those take the full
/// comparison). Runs for every component of every path operand against
/// every protected name.
fn same_lowercase(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_lowercase_is_to_lowercase() {
        for (a, b) in [
            (".git", ".GIT"),
            (".git", ".gIt"),
            ("config", "conf"),
            ("hooks", "HOOKS"),
            ("k", "\u{212A}"),
            ("\u{212A}", "K"),
            ("stra\u{df}e", "STRASSE"),
            ("\u{130}", "i\u{307}"),
            ("", ""),
            ("@", "`"),
            ("[", "{"),
        ] {
            assert_eq!(
                same_lowercase(a, b),
                a.to_lowercase() == b.to_lowercase(),
                "{a:?} {b:?}"
            );
        }
    }

    #[test]
    fn glob_components_against_names() {
        for (p, n) in [
            (".gi[t]", ".git"),
            (".g?t", ".git"),
            (".g*", ".git"),
            (".gi?", ".git"),
            (".[a-z]it", ".git"),
            ("[!x]ooks", "hooks"),
            ("conf[[:alpha:]]g", "config"),
            ("conf[[=i=]]g", "config"),
            ("conf[[.i.]]g", "config"),
            (".GI[T]", ".git"),
            ("@(x|y)", ".git"),
        ] {
            assert!(could_match(p, n, false), "{p} {n}");
        }
        for (p, n) in [
            ("*", ".git"),
            ("?git", ".git"),
            (".gi[x]", ".git"),
            ("src*", ".git"),
            ("*.rs", "config"),
        ] {
            assert!(!could_match(p, n, false), "{p} {n}");
        }
        assert!(could_match("*", ".git", true));
    }
}
