//! Tools that follow the links in the trees they walk, by default or with
//! an option (`diff -r`, `ag -f`, `ack --follow`, `tree -l`, `bsdtar -L`,
//! `jar`, `rsync -K` in its destination, `python3 -m http.server`, `php
//! -S`): each link found in those trees is judged as the file the tool
//! reads, lists or writes through it, the filesystem guard resolving where
//! it leads (`h -> ~` is the home). A tree too large to walk is not
//! modelled (docs/commands.md, Links).

use std::path::Path;

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation;

/// At most this many entries are walked over all trees of one command
/// (shared with the expansion of its globs).
const MAX_WALK: usize = super::fsglob::MAX_ENTRIES;

/// Which trees a tool walks following links, and as what.
struct Followed {
    /// The directories (as the command spells them).
    roots: Vec<Arg>,
    op: FileOperation,
}

/// Options of `argv` after the program: short letters (bundles joined)
/// and long names (before any `=`), up to `--`; and the operands.
fn split(argv: &[Arg]) -> (String, Vec<String>, Vec<Arg>) {
    let mut letters = String::new();
    let mut longs = Vec::new();
    let mut operands = Vec::new();
    let mut ended = false;
    for a in argv.iter().skip(1) {
        match a.lit() {
            Some("--") if !ended => ended = true,
            Some(v) if !ended && v.starts_with("--") => {
                longs.push(v[..v.find('=').unwrap_or(v.len())].to_string());
            }
            Some(v) if !ended && v.starts_with('-') && v.len() > 1 => letters.push_str(&v[1..]),
            _ => operands.push(a.clone()),
        }
    }
    (letters, longs, operands)
}

fn here(argv: &[Arg]) -> Arg {
    Arg::literal(".", argv[0].span)
}

/// The trees `base` walks following links, if it does.
fn followed(argv: &[Arg], base: &str) -> Option<Followed> {
    // Most commands are none of these: no scan of their words.
    let known = matches!(
        base,
        "diff" | "ag" | "ack" | "ack-grep" | "tree" | "bsdtar" | "jar" | "rsync" | "php"
    ) || base.starts_with("python");
    if !known {
        return None;
    }
    let (letters, longs, operands) = split(argv);
    let long = |names: &[&str]| longs.iter().any(|l| names.contains(&l.as_str()));
    let value_of = |names: &[&str]| {
        argv.iter()
            .position(|a| a.lit().is_some_and(|v| names.contains(&v)))
            .and_then(|i| argv.get(i + 1).cloned())
    };
    let read = |roots: Vec<Arg>| {
        Some(Followed {
            roots: if roots.is_empty() {
                vec![here(argv)]
            } else {
                roots
            },
            op: FileOperation::Read,
        })
    };
    match base {
        // GNU diff dereferences every link it meets when it recurses.
        "diff" if letters.contains('r') || long(&["--recursive"]) => read(operands),
        // The first operand of a searcher is its pattern; no path
        // searches the working directory.
        "ag" if letters.contains('f') || long(&["--follow"]) => {
            read(operands.into_iter().skip(1).collect())
        }
        "ack" | "ack-grep" if long(&["--follow"]) => read(operands.into_iter().skip(1).collect()),
        "tree" if letters.contains('l') => Some(Followed {
            roots: if operands.is_empty() {
                vec![here(argv)]
            } else {
                operands
            },
            op: FileOperation::List,
        }),
        // bsdtar: -L/--dereference (-h is its synonym); the first word
        // may be an option bundle without `-`.
        "bsdtar"
            if letters.contains('L')
                || long(&["--dereference"])
                || argv
                    .get(1)
                    .and_then(Arg::lit)
                    .is_some_and(|v| !v.starts_with('-') && v.contains('L')) =>
        {
            read(operands)
        }
        // jar walks directories with java.io.File, which follows links.
        "jar" => read(operands),
        // rsync -K: a link to a directory in the destination is written
        // through as that directory.
        "rsync" if letters.contains('K') || long(&["--keep-dirlinks"]) => {
            operands.last().cloned().map(|d| Followed {
                roots: vec![d],
                op: FileOperation::Write,
            })
        }
        // Servers of the working directory follow the links in it.
        b if b.starts_with("python")
            && argv
                .windows(2)
                .any(|w| w[0].is("-m") && w[1].is("http.server")) =>
        {
            read(value_of(&["-d", "--directory"]).into_iter().collect())
        }
        "php" if argv.iter().any(|a| a.is("-S")) => read(value_of(&["-t"]).into_iter().collect()),
        _ => None,
    }
}

/// The links below `dir` (not followed), as paths relative to it; `None`
/// when the walk ran out of budget.
fn links_below(dir: &Path, budget: &mut usize) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((d, rel)) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            if *budget == 0 {
                return None;
            }
            *budget -= 1;
            // A name that is not UTF-8 cannot be spelled to the guard.
            let name = e.file_name().into_string().ok()?;
            let r = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            match e.file_type() {
                Ok(t) if t.is_symlink() => out.push(r),
                Ok(t) if t.is_dir() => stack.push((e.path(), r)),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }
    Some(out)
}

impl Analyzer<'_> {
    /// Judge every link in the trees a link-following tool walks as the
    /// file it leads to.
    pub(crate) fn check_followed_trees(&mut self, argv: &[Arg], base: &str) {
        let Some(f) = followed(argv, base) else {
            return;
        };
        let mut budget = MAX_WALK.saturating_sub(self.shell.fs_entries);
        for root in &f.roots {
            let Some(v) = root.lit() else {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{base} follows the links in {}, which is computed at run time: where they lead is not known",
                        clip(&root.text)
                    ),
                    root.span,
                    argv,
                );
                continue;
            };
            let Some(path) = self.resolve(v, root.home) else {
                continue;
            };
            let Some(host) = self.fs.host_path_of(&path) else {
                continue;
            };
            // The root itself: a link named on the command line.
            let mut links = Vec::new();
            if std::fs::symlink_metadata(&host).is_ok_and(|m| m.file_type().is_symlink()) {
                links.push(String::new());
            }
            let before = budget;
            let found = links_below(&host, &mut budget);
            self.shell.fs_entries += before - budget;
            // The links the command made or moved below the root earlier.
            let top = super::rules::normalize_path(&path);
            let made = self.new_links_below(&path).map(|made| {
                made.iter()
                    .filter_map(|l| Some(l.strip_prefix(&top)?.trim_start_matches('/').to_string()))
                    .collect::<Vec<_>>()
            });
            match found.zip(made) {
                Some((found, made)) => {
                    for r in found.into_iter().chain(made) {
                        if !links.contains(&r) {
                            links.push(r);
                        }
                    }
                }
                None => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!(
                            "{base} follows the links in {}: the tree is too large to find them all (or holds a name that is not UTF-8, or links made earlier under names not known); name smaller directories",
                            clip(v)
                        ),
                        root.span,
                        argv,
                    );
                    continue;
                }
            }
            for rel in links {
                let spelled = if rel.is_empty() {
                    v.to_string()
                } else {
                    format!("{}/{rel}", v.trim_end_matches('/'))
                };
                let mut a = Arg::literal(&spelled, root.span);
                a.home = root.home;
                let via = format!("{base} (follows the link {})", clip(&spelled));
                self.check_path_pub(&a, f.op, argv, &via);
            }
        }
    }
}
