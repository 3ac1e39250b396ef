//! Copying or renaming a git directory makes another one: `cp -r r3 d`
//! (a bare repository), `cp -r .git/. d`, `cp -r .git/* d/`, `mv r3 d`
//! leave HEAD, objects, refs, a config and hooks in the destination, and
//! git takes it for a repository when run there. The destination is then
//! a git directory the command made: later writes to its configuration
//! and hooks are judged as writes to a git directory's. Copying a
//! directory into a git directory (`cp -r s/hooks r3/`) writes the entry of
//! that name there, judged as such a write.

use super::normalize::Arg;
use super::rules::normalize_path;
use super::walk::Analyzer;
use crate::guards::filesystem::FileOperation::Write;

/// Whether the command copies or moves directories (with their content).
fn copies_trees(argv: &[Arg], canon: &str) -> bool {
    match canon {
        "mv" => true,
        "cp" | "rsync" => argv.iter().skip(1).filter_map(|a| a.lit()).any(|v| {
            matches!(v, "--recursive" | "--archive")
                || (v.starts_with('-')
                    && !v.starts_with("--")
                    && v[1..].chars().any(|c| matches!(c, 'r' | 'R' | 'a')))
        }),
        _ => false,
    }
}

/// A source word: its text (a glob keeps its pattern) and whether it names
/// the contents of a directory (`DIR/.`, `DIR/*`) rather than the directory.
fn source_of(a: &Arg) -> Option<(String, bool)> {
    let text = a.lit().or(a.pattern.as_deref())?;
    let t = text.trim_end_matches('/');
    for suffix in ["/.", "/*", "/.*"] {
        if let Some(dir) = t.strip_suffix(suffix) {
            return Some((dir.to_string(), true));
        }
    }
    Some((t.to_string(), false))
}

impl Analyzer<'_> {
    /// Whether `path` (resolved) is a git directory: named `.git`, made by
    /// the command, or one on disk (HEAD beside objects/ and refs/).
    fn is_git_dir_path(&self, path: &str) -> bool {
        let p = normalize_path(path);
        if super::rules::basename(&p) == ".git" || self.shell.git_dirs.contains(&p) {
            return true;
        }
        let Some(host) = self.fs.host_path_of(&p) else {
            return false;
        };
        host.join("HEAD").is_file() && host.join("objects").is_dir() && host.join("refs").is_dir()
    }

    /// `cp -r`/`cp -a`/`rsync -a`/`mv` of a git directory, or into one.
    pub(crate) fn check_git_dir_copies(&mut self, argv: &[Arg], canon: &str) {
        if !copies_trees(argv, canon) {
            return;
        }
        let ops: Vec<&Arg> = argv
            .iter()
            .skip(1)
            .filter(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
            .collect();
        let Some((dest, sources)) = ops.split_last() else {
            return;
        };
        let Some(d) = dest.lit().and_then(|v| self.resolve(v, dest.home)) else {
            return;
        };
        let d = normalize_path(&d);
        let into_git_dir = self.is_git_dir_path(&d);
        for s in sources {
            let Some((text, contents)) = source_of(s) else {
                continue;
            };
            let Some(src) = self.resolve(&text, s.home) else {
                continue;
            };
            let name = super::rules::basename(&normalize_path(&src)).to_string();
            let below = format!("{d}/{name}");
            if self.is_git_dir_path(&src) {
                // The destination itself (a new name, or the contents
                // copied), or the entry of the same name in an existing one.
                let made: &[&String] = if contents { &[&d] } else { &[&d, &below] };
                for m in made {
                    self.note_git_dir(&Arg::literal(m, dest.span));
                }
            }
            if into_git_dir {
                let target = if contents { d.clone() } else { below };
                let t = Arg::literal(&target, dest.span);
                self.check_file(&t, Write, argv, &format!("{canon} into a git directory"));
            }
        }
    }
}
