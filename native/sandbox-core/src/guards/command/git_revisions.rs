//! git commands that take `HEAD`, the index or the working tree to the
//! content of another revision.
//!
//! The analysis reads no revision: it does not know which paths a branch,
//! a commit or a stash tracks. The rest of the git model relies on one
//! fact instead: the index and `HEAD` track no blocked file, so the
//! commands that read tracked files (`git diff`, `git grep`, `git add -u`,
//! `git commit -a`, `git stash`) or write them (`git checkout -f`, `git
//! reset --hard`) never reach one. A command that moves `HEAD`, the index
//! or the working tree to another revision breaks that fact when the
//! revision tracks a blocked path: `git reset REV` makes it tracked (the
//! next `git diff` prints the working tree's copy), `git checkout -f REV`,
//! `git reset --hard REV`, `git restore -s REV .`, `git checkout REV -- .`
//! overwrite it. So where a blocked entry is in the working tree such a
//! command is not modelled; a form limited by pathspecs is modelled when no
//! pathspec can reach a blocked entry (each is judged as the directory or
//! file it names, a pattern as its literal directory, magic as the whole
//! tree).
//!
//! Not covered here: the switches and merges git guards itself (`git
//! checkout REV` without `-f`, `git switch`, `git merge`, `git pull`,
//! `git rebase`, `git cherry-pick`, `git stash pop`) refuse to overwrite an
//! untracked file, but git takes an *ignored* file as expendable and
//! overwrites it (git 2.39), so a blocked file that `.gitignore` names is
//! not protected from them.

use super::git_model::magic_leaves_cwd;
use super::normalize::Arg;
use super::walk::Analyzer;
use super::wrappers::scan_options;
use crate::decision::DecisionCode;

/// What a git command takes from another revision.
#[derive(Debug)]
pub(crate) enum Reach {
    /// Nothing: `HEAD`'s own content, or the index.
    Nothing,
    /// The whole tree (`HEAD` moved, every tracked path).
    Tree,
    /// The paths these pathspecs name.
    Paths(Vec<Arg>),
}

/// `HEAD` itself (`@` is its short name).
fn is_head(a: &Arg) -> bool {
    a.lit().is_some_and(|v| v == "HEAD" || v == "@")
}

/// The operands of `rest` (options with a value in the next word skipped),
/// those before `--` and, when `--` is there, those after it.
fn split_operands(rest: &[Arg], with_arg: &[&'static str]) -> (Vec<Arg>, Option<Vec<Arg>>) {
    let mut before = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let s = scan_options(rest, i, with_arg);
        if s.first > i && rest[s.first - 1].is("--") {
            return (before, Some(rest[s.first..].to_vec()));
        }
        if s.first >= rest.len() {
            break;
        }
        before.push(rest[s.first].clone());
        i = s.first + 1;
    }
    (before, None)
}

/// The values of restore's `-s`/`--source` (`-s REV`, `-sREV`, `--source
/// REV`, `--source=REV`, a cluster ending in `s` such as `-Ws REV`); a
/// computed option word may be one.
fn restore_sources(rest: &[Arg]) -> Vec<Arg> {
    let mut out = Vec::new();
    for (k, a) in rest.iter().enumerate() {
        let Some(v) = a.lit() else {
            out.push(a.clone());
            continue;
        };
        if v == "--" {
            break;
        }
        let next = || {
            rest.get(k + 1)
                .cloned()
                .unwrap_or_else(|| Arg::dynamic("$unknown", a.span))
        };
        if v == "--source" {
            out.push(next());
        } else if let Some(x) = v.strip_prefix("--source=") {
            out.push(Arg::literal(x, a.span));
        } else if let Some(cluster) = v.strip_prefix('-').filter(|c| !c.starts_with('-')) {
            if let Some(i) = cluster.find('s') {
                let tail = &cluster[i + 1..];
                out.push(if tail.is_empty() {
                    next()
                } else {
                    Arg::literal(tail, a.span)
                });
            }
        }
    }
    out
}

/// What the subcommand `sub` with the words `rest` takes from a revision
/// other than `HEAD`'s own content or the index, by what git does:
/// `reset REV` moves `HEAD` (and the index, and with `--hard`/`--merge`/
/// `--keep` the working tree), `reset REV -- PATHS` only those paths of the
/// index; `restore -s REV PATHS`, `checkout REV -- PATHS` those paths;
/// `checkout -f REV`, `switch -f|--discard-changes REV` the whole tree;
/// `symbolic-ref`,
/// `update-ref` and `fetch --update-head-ok` may move the branch `HEAD`
/// names, so what `HEAD` holds afterwards is another revision.
pub(crate) fn revision_reach(sub: &str, rest: &[Arg]) -> Reach {
    let word = |names: &[&str]| {
        rest.iter()
            .any(|a| a.lit().is_some_and(|v| names.contains(&v)))
    };
    // A long option, a cluster holding one of the letters, or a word
    // computed at run time (which may be the option).
    let forced = |letters: &str, long: &[&str]| {
        rest.iter()
            .take_while(|a| !a.is("--"))
            .any(|a| match a.lit() {
                None => true,
                Some(v) => {
                    long.contains(&v)
                        || v.strip_prefix('-').is_some_and(|c| {
                            !c.starts_with('-') && c.chars().any(|ch| letters.contains(ch))
                        })
                }
            })
    };
    match sub {
        "reset" => {
            let (before, after) = split_operands(rest, &["--pathspec-from-file"]);
            match (before.as_slice(), after) {
                ([], _) => Reach::Nothing,
                ([rev], _) | ([rev, ..], None) if is_head(rev) => Reach::Nothing,
                // `git reset X`: a revision when X names one (git refuses
                // only when a file X exists too, which the analysis may not
                // see as the command runs).
                ([_], None) => Reach::Tree,
                ([_], Some(paths)) if paths.is_empty() => Reach::Tree,
                ([_], Some(paths)) => Reach::Paths(paths),
                // `git reset X Y…`: X is a revision or a pathspec; all are
                // judged as pathspecs.
                (all, None) => Reach::Paths(all.to_vec()),
                (all, Some(paths)) => Reach::Paths([all, paths.as_slice()].concat()),
            }
        }
        "restore" => {
            let sources = restore_sources(rest);
            if sources.iter().all(is_head) {
                return Reach::Nothing;
            }
            let (before, after) = split_operands(
                rest,
                &["-s", "--source", "--conflict", "--pathspec-from-file"],
            );
            let all = [before, after.unwrap_or_default()].concat();
            if all.is_empty() {
                Reach::Tree
            } else {
                Reach::Paths(all)
            }
        }
        "checkout" => {
            let (before, after) = split_operands(
                rest,
                &["-b", "-B", "--orphan", "--conflict", "--pathspec-from-file"],
            );
            match (before.as_slice(), after) {
                // From the index (`git checkout -- PATHS`), or `HEAD`
                // (`git checkout`, `-f`, `-b NEW`).
                ([], _) => Reach::Nothing,
                ([rev, ..], _) if is_head(rev) => Reach::Nothing,
                // `git checkout X`: a revision when X names one, a file
                // of the index otherwise. Without `-f` git refuses to
                // overwrite an untracked file (see the module's note).
                ([_], None) if !forced("f", &["--force"]) => Reach::Nothing,
                ([_], None) => Reach::Tree,
                ([_], Some(paths)) if paths.is_empty() && !forced("f", &["--force"]) => {
                    Reach::Nothing
                }
                ([_], Some(paths)) if paths.is_empty() => Reach::Tree,
                ([_], Some(paths)) => Reach::Paths(paths),
                (all, after) => Reach::Paths([all, after.unwrap_or_default().as_slice()].concat()),
            }
        }
        "switch" => {
            let (before, _) = split_operands(
                rest,
                &[
                    "-c",
                    "-C",
                    "--create",
                    "--force-create",
                    "--orphan",
                    "--conflict",
                ],
            );
            match before.first() {
                None => Reach::Nothing,
                Some(rev) if is_head(rev) => Reach::Nothing,
                Some(_) if forced("f", &["--force", "--discard-changes"]) => Reach::Tree,
                Some(_) => Reach::Nothing,
            }
        }
        "symbolic-ref" => {
            let (ops, _) = split_operands(rest, &["-m"]);
            if ops.len() >= 2 || word(&["-d", "--delete"]) {
                Reach::Tree
            } else {
                Reach::Nothing
            }
        }
        "update-ref" => {
            let (ops, _) = split_operands(rest, &["-m"]);
            if word(&["-d"]) && !word(&["--stdin"]) {
                Reach::Nothing
            } else if ops.len() >= 2 || word(&["--stdin"]) {
                Reach::Tree
            } else {
                Reach::Nothing
            }
        }
        "fetch" => {
            let updates_head = rest.iter().any(|a| {
                a.lit().is_some_and(|v| {
                    v == "--update-head-ok"
                        || v.strip_prefix('-')
                            .is_some_and(|c| !c.starts_with('-') && c.contains('u'))
                })
            });
            if updates_head {
                Reach::Tree
            } else {
                Reach::Nothing
            }
        }
        _ => Reach::Nothing,
    }
}

impl Analyzer<'_> {
    /// A git command that takes `HEAD`, the index or the working tree to
    /// another revision's content ([`revision_reach`]) is not modelled
    /// where a blocked entry is in what it reaches: the whole working tree,
    /// or the files and directories its pathspecs name. `work_tree` is the
    /// `--work-tree` value, when given.
    pub(crate) fn git_revision_model(
        &mut self,
        argv: &[Arg],
        sub: &str,
        rest: &[Arg],
        work_tree: Option<&Arg>,
    ) {
        let reach = revision_reach(sub, rest);
        if matches!(reach, Reach::Nothing) {
            return;
        }
        let top = match work_tree {
            Some(w) => w.lit().and_then(|v| self.resolve(v, w.home)),
            None => self.git_work_tree().or_else(|| self.resolve(".", false)),
        };
        let at = rest.first().map_or(argv[0].span, |a| a.span);
        let report = |this: &mut Self, what: String, rule: String| {
            this.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!("git {sub} {what} takes HEAD, the index or the working tree to the content of another revision, which the analysis does not read (it may track a blocked file, which git then overwrites or reads as tracked); a blocked entry is there ({rule})"),
                at,
                argv,
            );
        };
        let Some(top) = top else {
            report(
                self,
                "(a working tree not known)".to_string(),
                "any".to_string(),
            );
            return;
        };
        let paths = match reach {
            Reach::Paths(p) if work_tree.is_none() => p,
            _ => {
                if let Some(rule) = self.fs.blocked_below(&top) {
                    report(self, "(the whole tree)".to_string(), rule);
                }
                return;
            }
        };
        for p in paths {
            let dir = match p.lit().or(p.pattern.as_deref()) {
                None => None,
                Some(v) if v.starts_with(':') => {
                    if magic_leaves_cwd(v) {
                        None
                    } else {
                        Some(".".to_string())
                    }
                }
                Some(v) => {
                    let lit = &v[..v.find(['*', '?', '[']).unwrap_or(v.len())];
                    if lit.len() < v.len() {
                        Some(
                            lit.rfind('/')
                                .map_or(".".to_string(), |i| lit[..=i].to_string()),
                        )
                    } else {
                        Some(v.to_string())
                    }
                }
            };
            let resolved = dir.and_then(|d| self.resolve(&d, p.home));
            let rule = self.fs.blocked_below(resolved.as_deref().unwrap_or(&top));
            if let Some(rule) = rule {
                report(
                    self,
                    format!("(pathspec {})", super::normalize::clip(&p.shown())),
                    rule,
                );
                return;
            }
        }
    }
}
