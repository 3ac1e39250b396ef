//! Hidden paths that a repository tracks. A blocked file is covered by a
//! bind, but when a repository whose working tree holds it tracks it, its
//! content is also a blob in that repository's object store, which the
//! command can read (`git show HEAD:path`). Hiding the object store would
//! break git in the run, so the helper says so in the report instead: it
//! reads the repository's index (the list of tracked paths; no object is
//! read) before the run.
//!
//! The index and the `.git` file lie in trees the command may have written
//! in an earlier run: they are read as every such file is
//! ([`crate::git::nofollow::read_regular`]: no link followed, no blocking
//! open, a regular file only, bounded). Anything else makes the answer
//! "unknown", said in a note, never a helper waiting on a FIFO.

use std::path::{Path, PathBuf};

use crate::git::nofollow;

/// The largest index read; a larger one is not searched (and said so).
const INDEX_LIMIT: u64 = 64 << 20;

/// What the index of the repository around a hidden path says of it.
#[derive(Debug, PartialEq, Eq)]
pub enum Tracked {
    /// No repository around it, or its index does not name it.
    No,
    /// The repository at this working tree tracks the path (or, for a
    /// directory, something below it).
    Yes(PathBuf),
    /// A repository is there but its index could not be read.
    Unknown(PathBuf, String),
}

/// The indexes read so far, by working tree: a run hides many paths, often
/// in the same repository.
#[derive(Default)]
pub struct Indexes {
    read: std::collections::HashMap<PathBuf, Result<Vec<Vec<u8>>, String>>,
}

impl Indexes {
    /// Whether the nearest repository around `hidden` tracks it.
    pub fn tracked(&mut self, hidden: &Path) -> Tracked {
        let mut top = hidden.parent();
        while let Some(t) = top {
            let dot_git = t.join(".git");
            if let Ok(md) = nofollow::lstat(&dot_git) {
                let names = self.read.entry(t.to_path_buf()).or_insert_with(|| {
                    let git_dir = if md.is_dir() {
                        Some(dot_git)
                    } else if md.is_file() {
                        crate::git::pointed_git_dir(&dot_git).ok().flatten()
                    } else {
                        None
                    };
                    match git_dir {
                        Some(g) => index_names(&g.join("index")).map(|mut n| {
                            n.sort();
                            n
                        }),
                        None => Err("its .git names no readable git dir".into()),
                    }
                });
                let rel = hidden.strip_prefix(t).unwrap_or(hidden);
                return match names {
                    Ok(names) if names_it(names, rel.as_os_str().as_encoded_bytes()) => {
                        Tracked::Yes(t.to_path_buf())
                    }
                    Ok(_) => Tracked::No,
                    Err(e) => Tracked::Unknown(t.to_path_buf(), e.clone()),
                };
            }
            top = t.parent();
        }
        Tracked::No
    }
}

/// Whether the sorted `names` hold `rel` or a path below it.
fn names_it(names: &[Vec<u8>], rel: &[u8]) -> bool {
    if names.binary_search_by(|n| n.as_slice().cmp(rel)).is_ok() {
        return true;
    }
    let mut dir = rel.to_vec();
    dir.push(b'/');
    let i = names.partition_point(|n| n.as_slice() < dir.as_slice());
    names.get(i).is_some_and(|n| n.starts_with(&dir))
}

/// Whether the nearest repository around `hidden` tracks it (one lookup).
#[cfg(test)]
fn tracked(hidden: &Path) -> Tracked {
    Indexes::default().tracked(hidden)
}

/// The path names of an index file (versions 2, 3 and 4); a missing index
/// names nothing. SHA-1 and SHA-256 repositories are told apart by the
/// entry layout that parses to the end. A link, a FIFO, a socket or a
/// device in its place is not opened for reading (or not read): an error.
fn index_names(path: &Path) -> Result<Vec<Vec<u8>>, String> {
    let bytes = match nofollow::read_regular(path, INDEX_LIMIT) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    crate::index::entry_names(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .args([
                "-c",
                "core.hooksPath=/dev/null",
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
            ])
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn tracked_paths_are_found_in_every_index_version() {
        for version in ["2", "3", "4"] {
            let d = tempfile::tempdir().unwrap();
            let ws = d.path().join("ws");
            fs::create_dir_all(ws.join("config/deep")).unwrap();
            fs::write(ws.join("config/secret.yml"), "s").unwrap();
            fs::write(ws.join("config/deep/a.key"), "k").unwrap();
            fs::write(ws.join("config/other.yml"), "o").unwrap();
            fs::write(ws.join("untracked.key"), "u").unwrap();
            git(&ws, &["init", "-q"]);
            git(&ws, &["config", "index.version", version]);
            git(&ws, &["add", "config"]);
            let tracked_at = Tracked::Yes(ws.clone());
            assert_eq!(
                tracked(&ws.join("config/secret.yml")),
                tracked_at,
                "v{version}"
            );
            assert_eq!(tracked(&ws.join("config/deep")), tracked_at, "v{version}");
            assert_eq!(
                tracked(&ws.join("config/deep/a.key")),
                tracked_at,
                "v{version}"
            );
            assert_eq!(
                tracked(&ws.join("untracked.key")),
                Tracked::No,
                "v{version}"
            );
            assert_eq!(tracked(&ws.join("conf")), Tracked::No, "v{version}");
            assert_eq!(
                tracked(&ws.join("config/secret")),
                Tracked::No,
                "v{version}"
            );
        }
    }

    #[test]
    fn a_split_index_is_not_taken_for_the_whole_list() {
        let d = tempfile::tempdir().unwrap();
        let ws = d.path().join("ws");
        fs::create_dir_all(&ws).unwrap();
        fs::write(ws.join("secret.yml"), "s").unwrap();
        git(&ws, &["init", "-q"]);
        git(&ws, &["add", "secret.yml"]);
        git(&ws, &["commit", "-q", "-m", "c"]);
        git(&ws, &["update-index", "--split-index"]);
        assert!(matches!(
            tracked(&ws.join("secret.yml")),
            Tracked::Unknown(..)
        ));
    }

    #[test]
    fn no_repository_or_a_broken_index() {
        let d = tempfile::tempdir().unwrap();
        let ws = d.path().join("ws");
        fs::create_dir_all(ws.join(".git")).unwrap();
        fs::write(ws.join("a"), "a").unwrap();
        assert_eq!(tracked(&ws.join("a")), Tracked::No);
        fs::write(ws.join(".git/index"), "DIRC\0\0\0\x07").unwrap();
        assert!(matches!(tracked(&ws.join("a")), Tracked::Unknown(..)));
    }

    /// What a command may leave in the place of the index (or of the
    /// `.git` file) is never opened for reading unless it is a regular
    /// file: a FIFO does not block the lookup, a link is not followed (to
    /// the helper's own standard input, say), and the answer is unknown.
    #[test]
    fn an_index_that_is_no_regular_file_is_unknown_at_once() {
        let d = tempfile::tempdir().unwrap();
        let ws = d.path().join("ws");
        fs::create_dir_all(&ws).unwrap();
        fs::write(ws.join("secret.yml"), "s").unwrap();
        git(&ws, &["init", "-q"]);
        git(&ws, &["add", "secret.yml"]);
        assert_eq!(tracked(&ws.join("secret.yml")), Tracked::Yes(ws.clone()));
        let index = ws.join(".git/index");
        let unknown = |why: &str| match tracked(&ws.join("secret.yml")) {
            Tracked::Unknown(repo, e) => {
                assert_eq!(repo, ws);
                assert!(e.contains(why), "{e}");
            }
            other => panic!("{other:?}"),
        };
        fs::rename(&index, ws.join("index.real")).unwrap();
        let fifo = std::ffi::CString::new(index.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let (tx, rx) = std::sync::mpsc::channel();
        let ws2 = ws.clone();
        std::thread::spawn(move || {
            let _ = tx.send(tracked(&ws2.join("secret.yml")));
        });
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the lookup blocked on a FIFO in the place of the index");
        assert!(
            matches!(&got, Tracked::Unknown(_, e) if e.contains("FIFO")),
            "{got:?}"
        );
        fs::remove_file(&index).unwrap();
        std::os::unix::fs::symlink("/proc/self/fd/0", &index).unwrap();
        unknown("symbolic link");
        fs::remove_file(&index).unwrap();
        std::os::unix::fs::symlink(ws.join("index.real"), &index).unwrap();
        unknown("symbolic link");
        fs::remove_file(&index).unwrap();
        fs::create_dir(&index).unwrap();
        unknown("directory");
        fs::remove_dir(&index).unwrap();
        fs::rename(ws.join("index.real"), &index).unwrap();
        assert_eq!(tracked(&ws.join("secret.yml")), Tracked::Yes(ws.clone()));
    }

    /// A `.git` file (a linked worktree, a submodule) is read like the
    /// index: one naming a git dir is followed to its index, a FIFO in its
    /// place is not opened for reading.
    #[test]
    fn a_git_file_is_followed_and_a_fifo_in_its_place_is_not_read() {
        let d = tempfile::tempdir().unwrap();
        let repo = d.path().join("repo");
        let ws = d.path().join("ws");
        fs::create_dir_all(&repo).unwrap();
        fs::create_dir_all(&ws).unwrap();
        fs::write(ws.join("secret.yml"), "s").unwrap();
        git(&repo, &["init", "-q"]);
        fs::write(
            ws.join(".git"),
            format!("gitdir: {}\n", repo.join(".git").display()),
        )
        .unwrap();
        git(&ws, &["add", "secret.yml"]);
        assert_eq!(tracked(&ws.join("secret.yml")), Tracked::Yes(ws.clone()));
        fs::remove_file(ws.join(".git")).unwrap();
        let fifo = std::ffi::CString::new(ws.join(".git").as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let (tx, rx) = std::sync::mpsc::channel();
        let ws2 = ws.clone();
        std::thread::spawn(move || {
            let _ = tx.send(tracked(&ws2.join("secret.yml")));
        });
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the lookup blocked on a FIFO in the place of .git");
        assert!(matches!(got, Tracked::Unknown(..)), "{got:?}");
    }
}
