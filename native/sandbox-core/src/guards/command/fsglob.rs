//! Pathname expansion as bash does it, against the filesystem the command
//! will run on: a glob is judged by every path it expands to, links
//! followed as bash follows them (`*/.ssh/id_rsa` is `h/.ssh/id_rsa` when
//! `h` is a link to the home; `.gi[t\]]/config` is `.git/config`). The
//! protected spellings a glob could name (`globs.rs`) cover the files made
//! later in the command; this covers the files there now (docs/commands.md,
//! Globs and case).

use std::path::{Path, PathBuf};

use super::normalize::{clip, Arg};
use super::walk::Analyzer;

/// At most this many directory entries are read to expand the globs of one
/// command (all its words together).
pub(crate) const MAX_ENTRIES: usize = 50_000;
/// At most this many paths one word expands to are judged.
const MAX_MATCHES: usize = 2_000;

/// The shell options that change what a glob matches.
#[derive(Clone, Copy, Default)]
pub(crate) struct Options {
    /// `shopt -s dotglob`: `*` matches names starting with `.`.
    pub dotglob: bool,
    /// `shopt -s nocaseglob`: letters match without case.
    pub nocase: bool,
    /// `shopt -s globstar`: `**` matches any number of directories.
    pub globstar: bool,
    /// `shopt -s extglob`: `@(…)`, `!(…)`, … are patterns.
    pub extglob: bool,
}

/// What a word expands to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Expansion {
    /// The paths, spelled as the word spells them (`./h/.ssh`, `~/x`).
    Paths(Vec<String>),
    /// More than the bounds allow, or a name that is not UTF-8: the
    /// matches are not enumerated.
    TooMany,
}

/// Whether a pattern component holds an unescaped pattern character.
fn has_meta(c: &str, o: Options) -> bool {
    let b: Vec<char> = c.chars().collect();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            '\\' => i += 1,
            '*' | '?' | '[' => return true,
            '@' | '!' | '+' if o.extglob && b.get(i + 1) == Some(&'(') => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// A component without pattern characters, its escapes removed.
fn unescape(c: &str) -> String {
    let mut out = String::new();
    let mut it = c.chars();
    while let Some(ch) = it.next() {
        if ch == '\\' {
            if let Some(n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// The word bash leaves when the pattern (as [`super::normalize::Arg::glob`]
/// spells it) matches nothing: the pattern characters kept, quoting removed
/// (no `nullglob`/`failglob`, which are flagged where set).
pub(crate) fn unmatched_word(glob: &str) -> String {
    unescape(glob)
}

/// Whether `name` matches the pattern component `pat` as bash's
/// pathname expansion matches it: a leading `.` only by a literal `.`
/// (unless `dotglob`), `\` escapes the next character, also inside a
/// bracket expression. Extended patterns match every name (a superset).
pub(crate) fn matches_name(pat: &str, name: &str, o: Options) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let n: Vec<char> = name.chars().collect();
    if o.extglob
        && p.windows(2)
            .any(|w| matches!(w[0], '@' | '!' | '+' | '*' | '?') && w[1] == '(')
    {
        return true;
    }
    if n.first() == Some(&'.') && !o.dotglob {
        let literal_dot =
            p.first() == Some(&'.') || (p.first() == Some(&'\\') && p.get(1) == Some(&'.'));
        if !literal_dot {
            return false;
        }
    }
    fnmatch(&p, &n, o.nocase)
}

fn eq(a: char, b: char, nocase: bool) -> bool {
    a == b || (nocase && a.to_lowercase().eq(b.to_lowercase()))
}

fn fnmatch(p: &[char], n: &[char], nocase: bool) -> bool {
    match p.first() {
        None => n.is_empty(),
        Some('*') => (0..=n.len()).any(|i| fnmatch(&p[1..], &n[i..], nocase)),
        Some('?') => !n.is_empty() && fnmatch(&p[1..], &n[1..], nocase),
        Some('[') => match bracket(&p[1..]) {
            Some((items, negated, used)) => {
                !n.is_empty()
                    && items.iter().any(|it| it.has(n[0], nocase)) != negated
                    && fnmatch(&p[1 + used..], &n[1..], nocase)
            }
            // An unclosed `[` is a literal.
            None => n.first() == Some(&'[') && fnmatch(&p[1..], &n[1..], nocase),
        },
        Some('\\') if p.len() > 1 => {
            n.first().is_some_and(|c| eq(*c, p[1], nocase)) && fnmatch(&p[2..], &n[1..], nocase)
        }
        Some(c) => {
            n.first().is_some_and(|x| eq(*x, *c, nocase)) && fnmatch(&p[1..], &n[1..], nocase)
        }
    }
}

/// One item of a bracket expression.
enum Item {
    Range(char, char),
    /// A character class, equivalence class or collating symbol: what it
    /// matches depends on the locale; `None` matches every character.
    Class(Option<fn(char) -> bool>),
}

impl Item {
    fn has(&self, c: char, nocase: bool) -> bool {
        match self {
            Item::Range(a, b) => {
                (*a <= c && c <= *b)
                    || (nocase
                        && c.to_lowercase()
                            .chain(c.to_uppercase())
                            .any(|x| *a <= x && x <= *b))
            }
            Item::Class(Some(f)) => f(c),
            Item::Class(None) => true,
        }
    }
}

type Bracket = (Vec<Item>, bool, usize);

/// A bracket expression after its `[`: its items, whether it is negated
/// and how many characters it used up to and including its `]`; `None`
/// when it is not closed (the `[` is then literal).
fn bracket(p: &[char]) -> Option<Bracket> {
    let mut i = 0;
    let negated = matches!(p.first(), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let start = i;
    let mut items = Vec::new();
    while i < p.len() {
        let c = p[i];
        if c == ']' && i > start {
            return Some((items, negated, i + 1));
        }
        if c == '[' && matches!(p.get(i + 1), Some(':' | '=' | '.')) {
            let delim = p[i + 1];
            let close =
                (i + 2..p.len().saturating_sub(1)).find(|&k| p[k] == delim && p[k + 1] == ']')?;
            let name: String = p[i + 2..close].iter().collect();
            items.push(Item::Class(if delim == ':' {
                class_fn(&name)
            } else {
                None
            }));
            i = close + 2;
            continue;
        }
        let (c, width) = if c == '\\' && i + 1 < p.len() {
            (p[i + 1], 2)
        } else {
            (c, 1)
        };
        let j = i + width;
        if p.get(j) == Some(&'-') && p.get(j + 1).is_some_and(|e| *e != ']') {
            let (e, ew) = if p[j + 1] == '\\' && j + 2 < p.len() {
                (p[j + 2], 2)
            } else {
                (p[j + 1], 1)
            };
            items.push(Item::Range(c, e));
            i = j + 1 + ew;
        } else {
            items.push(Item::Range(c, c));
            i = j;
        }
    }
    None
}

fn class_fn(name: &str) -> Option<fn(char) -> bool> {
    Some(match name {
        "alpha" => |c: char| c.is_alphabetic(),
        "digit" => |c: char| c.is_ascii_digit(),
        "alnum" => |c: char| c.is_alphanumeric(),
        "upper" => |c: char| c.is_uppercase(),
        "lower" => |c: char| c.is_lowercase(),
        "space" => |c: char| c.is_whitespace(),
        "punct" => |c: char| c.is_ascii_punctuation(),
        "xdigit" => |c: char| c.is_ascii_hexdigit(),
        // Other classes (and a locale's idea of these) match anything.
        _ => return None,
    })
}

/// The directory entries the analysis may still read.
struct Budget(usize);

impl Budget {
    fn read(&mut self, dir: &Path) -> Option<Vec<String>> {
        let mut names = Vec::new();
        let Ok(rd) = std::fs::read_dir(dir) else {
            return Some(names);
        };
        for e in rd.flatten() {
            if self.0 == 0 {
                return None;
            }
            self.0 -= 1;
            // A name that is not UTF-8 cannot be spelled to the guard:
            // the matches are not enumerated (fails closed).
            names.push(e.file_name().into_string().ok()?);
        }
        Some(names)
    }
}

fn join(text: &str, name: &str) -> String {
    if text.is_empty() {
        name.to_string()
    } else if text.ends_with('/') {
        format!("{text}{name}")
    } else {
        format!("{text}/{name}")
    }
}

/// Expand `pattern` (the components after `lead`, which names the host
/// directory `base`) as bash would.
/// `left` is the number of directory entries it may still read, and is
/// reduced by those it reads.
pub(crate) fn expand(
    lead: &str,
    base: &Path,
    pattern: &str,
    o: Options,
    left: &mut usize,
) -> Expansion {
    let mut budget = Budget(*left);
    let out = expand_within(lead, base, pattern, o, &mut budget);
    *left = budget.0;
    out
}

fn expand_within(
    lead: &str,
    base: &Path,
    pattern: &str,
    o: Options,
    budget: &mut Budget,
) -> Expansion {
    let dir_only = pattern.ends_with('/');
    let comps: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
    let mut at: Vec<(String, PathBuf)> = vec![(lead.to_string(), base.to_path_buf())];
    for (k, comp) in comps.iter().enumerate() {
        let last = k + 1 == comps.len();
        let mut next = Vec::new();
        if !has_meta(comp, o) {
            let lit = unescape(comp);
            for (t, h) in at {
                next.push((join(&t, &lit), h.join(&lit)));
            }
        } else if *comp == "**" && o.globstar {
            // Any number of directories: judged as reaching every
            // directory (and with nothing after it, every file) below,
            // links and dot directories included; a superset of what
            // bash's versions walk.
            for (t, h) in at {
                if !last {
                    // Zero directories: `**/x` matches `x`.
                    next.push((t.clone(), h.clone()));
                }
                let mut stack = vec![(t, h)];
                while let Some((t, h)) = stack.pop() {
                    let Some(names) = budget.read(&h) else {
                        return Expansion::TooMany;
                    };
                    for name in names {
                        let hp = h.join(&name);
                        let tp = join(&t, &name);
                        if hp.is_dir() {
                            // A link to an ancestor would loop: the
                            // budget ends it.
                            stack.push((tp.clone(), hp.clone()));
                            next.push((tp, hp));
                        } else if last && !dir_only {
                            next.push((tp, hp));
                        }
                    }
                    if next.len() > MAX_MATCHES {
                        return Expansion::TooMany;
                    }
                }
            }
        } else {
            for (t, h) in at {
                let Some(mut names) = budget.read(&h) else {
                    return Expansion::TooMany;
                };
                // bash before 5.2 (and with `globskipdots` off) matches
                // `.` and `..` with a pattern starting with `.`.
                if comp.starts_with('.') {
                    names.push(".".to_string());
                    names.push("..".to_string());
                }
                for name in names {
                    if !matches_name(comp, &name, o) {
                        continue;
                    }
                    let hp = h.join(&name);
                    if (!last || dir_only) && !hp.is_dir() {
                        continue;
                    }
                    next.push((join(&t, &name), hp));
                }
                if next.len() > MAX_MATCHES {
                    return Expansion::TooMany;
                }
            }
        }
        at = next;
    }
    let out = at
        .into_iter()
        .filter(|(_, h)| {
            if dir_only {
                h.is_dir()
            } else {
                // bash keeps a match whose literal rest exists; a file
                // made before the command runs (by the command itself, or
                // in between) would exist then: every candidate is judged.
                true
            }
        })
        .map(|(t, _)| if dir_only { format!("{t}/") } else { t })
        .collect();
    Expansion::Paths(out)
}

impl Analyzer<'_> {
    /// The paths a word bash expands as a pattern stands for now, spelled
    /// as the word spells them; `None` when the word is no pattern or the
    /// filesystem is not this host's (or the working directory is not
    /// known: the other checks judge that); `Err` when too many to judge.
    pub(crate) fn glob_matches(&mut self, arg: &Arg) -> Option<Result<Vec<String>, String>> {
        let pattern = arg.glob.as_deref()?;
        let o = Options {
            dotglob: self.input.contains("dotglob"),
            nocase: self.input.contains("nocaseglob"),
            globstar: self.input.contains("globstar"),
            extglob: self.input.contains("extglob"),
        };
        let (lead, rest, base) = if let Some(rest) = pattern.strip_prefix('/') {
            ("/", rest, self.fs.host_path_of("/")?)
        } else if arg.home && (pattern == "~" || pattern.starts_with("~/")) {
            ("~", &pattern[1..], self.fs.host_path_of("~")?)
        } else {
            let cwd = self.resolve(".", false)?;
            ("", pattern, self.fs.host_path_of(&cwd)?)
        };
        let mut left = MAX_ENTRIES.saturating_sub(self.shell.fs_entries);
        let before = left;
        let found = expand(lead, &base, rest, o, &mut left);
        self.shell.fs_entries += before - left;
        Some(match found {
            Expansion::Paths(p) => Ok(p),
            Expansion::TooMany => Err(format!(
                "the glob {} matches more files than can be judged (or a name that is not UTF-8); name the files",
                clip(&arg.text)
            )),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o() -> Options {
        Options::default()
    }

    #[test]
    fn names_match_as_bash_matches_them() {
        for (p, n) in [
            ("[t\\]]", "t"),
            ("[t\\]]", "]"),
            ("[t\\\\]", "t"),
            ("[t\\\\]", "\\"),
            ("gi\\t", "git"),
            ("[]x]", "]"),
            ("[!a]", "b"),
            ("[a-c]", "b"),
            ("[[:digit:]]", "3"),
            (".*", ".ssh"),
            ("\\.*", ".ssh"),
            ("r?", "r3"),
        ] {
            assert!(matches_name(p, n, o()), "{p} {n}");
        }
        for (p, n) in [
            ("[t\\]]", "\\"),
            ("*", ".ssh"),
            ("?ssh", ".ssh"),
            ("[.]ssh", ".ssh"),
            ("[[:digit:]]", "x"),
            ("G*", "git"),
            ("\\*", "x"),
        ] {
            assert!(!matches_name(p, n, o()), "{p} {n}");
        }
        let dot = Options {
            dotglob: true,
            ..o()
        };
        assert!(matches_name("*", ".ssh", dot));
        let nocase = Options {
            nocase: true,
            ..o()
        };
        assert!(matches_name("G*", "git", nocase));
    }

    #[cfg(unix)]
    #[test]
    fn expansion_follows_links_and_keeps_the_spelling() {
        let root = tempfile::tempdir().unwrap();
        let ws = root.path().join("ws");
        let away = root.path().join("away");
        std::fs::create_dir_all(ws.join("src")).unwrap();
        std::fs::create_dir_all(ws.join(".hidden")).unwrap();
        std::fs::create_dir_all(away.join("keys")).unwrap();
        std::fs::write(away.join("keys/k"), "").unwrap();
        std::fs::write(ws.join("src/a.rs"), "").unwrap();
        std::os::unix::fs::symlink(&away, ws.join("ln")).unwrap();
        let got = |p: &str, o: Options| match expand("", &ws, p, o, &mut MAX_ENTRIES.clone()) {
            Expansion::Paths(mut v) => {
                v.sort();
                v
            }
            Expansion::TooMany => panic!("too many"),
        };
        // Every candidate is judged, existing or not (it may be made
        // before the command runs).
        assert_eq!(got("*/keys/k", o()), vec!["ln/keys/k", "src/keys/k"]);
        assert_eq!(got("./[l]?/*/k", o()), vec!["./ln/keys/k"]);
        assert_eq!(got("*/", o()), vec!["ln/", "src/"]);
        assert_eq!(got("[l]n/nothing", o()), vec!["ln/nothing"]);
        assert_eq!(got("[x]/nothing", o()), Vec::<String>::new());
        assert_eq!(got(".h[x\\]]dden", o()), Vec::<String>::new());
        assert_eq!(got(".h?dden/", o()), vec![".hidden/"]);
        assert_eq!(got(".hi[d\\]]den", o()), vec![".hidden"]);
        let star = Options {
            globstar: true,
            ..o()
        };
        let deep = got("**/k", star);
        assert!(deep.contains(&"ln/keys/k".to_string()), "{deep:?}");
        assert!(deep.contains(&"k".to_string()), "{deep:?}");
        assert_eq!(got("**/k", o()), vec!["ln/k", "src/k"]);
        // A name that is not UTF-8 cannot be judged: not enumerated.
        use std::os::unix::ffi::OsStrExt;
        let odd = std::ffi::OsStr::from_bytes(b"src/\xff");
        std::fs::write(ws.join(odd), "").unwrap();
        assert_eq!(
            expand("", &ws, "src/*", o(), &mut MAX_ENTRIES.clone()),
            Expansion::TooMany
        );
        // `..` is matched by a pattern starting with `.` (bash before 5.2).
        assert_eq!(
            got(".*/away", o()),
            vec!["../away", "./away", ".hidden/away"]
        );
    }
}
