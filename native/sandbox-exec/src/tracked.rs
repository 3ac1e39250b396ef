//! Hidden paths that a repository tracks. A blocked file is covered by a
//! bind, but when a repository whose working tree holds it tracks it, its
//! content is also a blob in that repository's object store, which the
//! command can read (`git show HEAD:path`). Hiding the object store would
//! break git in the run, so the helper says so in the report instead: it
//! reads the repository's index (the list of tracked paths; no object is
//! read) before the run.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

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
            if let Ok(md) = fs::symlink_metadata(&dot_git) {
                let names = self.read.entry(t.to_path_buf()).or_insert_with(|| {
                    let git_dir = if md.is_dir() {
                        Some(dot_git)
                    } else if md.is_file() {
                        git_dir_of_file(&dot_git, t)
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

/// The git dir a `.git` file names (`gitdir: PATH`, relative to `top`).
fn git_dir_of_file(dot_git: &Path, top: &Path) -> Option<PathBuf> {
    let text = fs::read(dot_git).ok()?;
    let text = std::str::from_utf8(&text).ok()?;
    let dir = text.strip_prefix("gitdir:")?.trim();
    Some(top.join(dir))
}

/// The path names of an index file (versions 2, 3 and 4); a missing index
/// names nothing. SHA-1 and SHA-256 repositories are told apart by the
/// entry layout that parses to the end.
fn index_names(path: &Path) -> Result<Vec<Vec<u8>>, String> {
    let file = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut bytes = Vec::new();
    file.take(INDEX_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 > INDEX_LIMIT {
        return Err(format!(
            "{} is larger than {INDEX_LIMIT} bytes",
            path.display()
        ));
    }
    parse(&bytes, 20)
        .or_else(|_| parse(&bytes, 32))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Parses the entries with object names of `hash` bytes.
fn parse(b: &[u8], hash: usize) -> Result<Vec<Vec<u8>>, String> {
    if b.get(..4) != Some(b"DIRC") {
        return Err("not an index (no DIRC signature)".into());
    }
    let version = be32(b, 4).ok_or("truncated header")?;
    if !(2..=4).contains(&version) {
        return Err(format!("index version {version} is not known"));
    }
    let count = be32(b, 8).ok_or("truncated header")? as usize;
    let mut at = 12;
    let mut names: Vec<Vec<u8>> = Vec::with_capacity(count.min(1 << 20));
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let start = at;
        // ctime, mtime, dev, ino, mode, uid, gid, size: ten 32-bit fields.
        at += 40 + hash;
        let flags = u16::from_be_bytes(
            b.get(at..at + 2)
                .ok_or("truncated entry")?
                .try_into()
                .map_err(|_| "truncated entry")?,
        );
        at += 2;
        if version >= 3 && flags & 0x4000 != 0 {
            at += 2;
        }
        let name = if version == 4 {
            // A varint: how many bytes of the previous name to drop.
            let mut strip: usize = 0;
            loop {
                let c = *b.get(at).ok_or("truncated entry")?;
                at += 1;
                strip = (strip << 7) | usize::from(c & 0x7f);
                if c & 0x80 == 0 {
                    break;
                }
                strip += 1;
            }
            let end = b[at..]
                .iter()
                .position(|&c| c == 0)
                .ok_or("unterminated name")?
                + at;
            let keep = previous.len().checked_sub(strip).ok_or("bad name prefix")?;
            let mut name = previous[..keep].to_vec();
            name.extend_from_slice(&b[at..end]);
            at = end + 1;
            name
        } else {
            let end = b
                .get(at..)
                .ok_or("truncated entry")?
                .iter()
                .position(|&c| c == 0)
                .ok_or("unterminated name")?
                + at;
            let name = b[at..end].to_vec();
            // Padded with 1 to 8 NUL bytes to a multiple of 8 from the entry's start.
            at = start + (end - start + 8) / 8 * 8;
            name
        };
        if at > b.len() {
            return Err("truncated entry".into());
        }
        previous.clone_from(&name);
        names.push(name);
    }
    // The entries must end before the trailing checksum.
    if at + hash > b.len() {
        return Err("entries run past the end".into());
    }
    // Extensions follow (a signature and a length each). A split index
    // (`link`) keeps most entries in a shared index file: this list would
    // be incomplete, so it is not used.
    while at + 8 + hash <= b.len() {
        let sig = &b[at..at + 4];
        let len = be32(b, at + 4).ok_or("truncated extension")? as usize;
        if sig == b"link" {
            return Err("a split index (core.splitIndex): its shared part is not read".into());
        }
        at = at.checked_add(8 + len).ok_or("bad extension length")?;
    }
    // What parses must end exactly at the checksum (this also tells the
    // object name lengths apart).
    if at + hash != b.len() {
        return Err("the entries and extensions do not end at the checksum".into());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
