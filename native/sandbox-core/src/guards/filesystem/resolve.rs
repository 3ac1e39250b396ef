//! The path resolver: turns absolute components into the physical path the
//! kernel would reach, also when the path does not exist yet.
//!
//! It walks component by component like the kernel does: a symbolic link is
//! replaced by its content (relative content resolves from the link's own
//! directory), `..` goes to the *physical* parent of what has been reached so
//! far, and the first missing component switches to lexical appending (a
//! later `..` that climbs back into existing directories switches back).
//! Dangling links are followed, so a write through one is judged at the
//! place it would create. More than [`MAX_HOPS`] links deny.

use std::collections::VecDeque;
use std::io;

use super::platform::{Name, Platform};

/// Most symbolic links followed in one resolution (Linux allows 40).
pub(crate) const MAX_HOPS: usize = 40;

/// What a lookup found at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Missing,
    Dir,
    /// A file, device, socket or FIFO: anything that is not a directory or a link.
    Other,
    /// A symbolic link with this content.
    Symlink(Vec<u8>),
}

/// Identity of a file: (device, inode).
pub(crate) type FileId = (u64, u64);

/// Where the resolver looks things up.
pub(crate) trait FsView {
    /// The node at absolute `path` without following a final link, and its
    /// identity when the view knows it. "Not found" is `Ok(Node::Missing)`;
    /// every other failure is an error.
    fn lookup(&self, path: &[Name]) -> io::Result<(Node, Option<FileId>)>;
}

/// The real filesystem of this host.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HostFs;

impl FsView for HostFs {
    fn lookup(&self, path: &[Name]) -> io::Result<(Node, Option<FileId>)> {
        let p = host_path(path);
        match std::fs::symlink_metadata(&p) {
            Ok(m) => {
                let node = if m.file_type().is_symlink() {
                    let target = std::fs::read_link(&p)?;
                    Node::Symlink(host_bytes(target.as_os_str()))
                } else if m.is_dir() {
                    Node::Dir
                } else {
                    Node::Other
                };
                Ok((node, file_id(&m)))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok((Node::Missing, None)),
            Err(e) => Err(e),
        }
    }
}

/// No filesystem: every path is missing except the links the platform is
/// known to have (see [`Platform::system_link`]). Used to apply another
/// platform's rules on this host.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PureFs(pub Platform);

impl FsView for PureFs {
    fn lookup(&self, path: &[Name]) -> io::Result<(Node, Option<FileId>)> {
        Ok(match self.0.system_link(path) {
            Some(target) => (Node::Symlink(target.as_bytes().to_vec()), None),
            None => (Node::Missing, None),
        })
    }
}

/// The identity of a file from its metadata.
#[cfg(unix)]
pub(crate) fn file_id(m: &std::fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

/// No stable identity is read on this platform.
#[cfg(not(unix))]
pub(crate) fn file_id(_: &std::fs::Metadata) -> Option<FileId> {
    None
}

/// How many names (hard links) the file has.
#[cfg(unix)]
pub(crate) fn link_count(m: &std::fs::Metadata) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    Some(m.nlink())
}

/// The number of links is not read on this platform.
#[cfg(not(unix))]
pub(crate) fn link_count(_: &std::fs::Metadata) -> Option<u64> {
    None
}

/// The identity of the entry at absolute components now (links followed),
/// if it exists.
pub(crate) fn identity(comps: &[Name]) -> Option<FileId> {
    std::fs::metadata(host_path(comps))
        .ok()
        .and_then(|m| file_id(&m))
}

/// Build a host path from absolute components.
#[cfg(unix)]
pub(crate) fn host_path(comps: &[Name]) -> std::path::PathBuf {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    // Every lookup of a check builds one: in one allocation when each
    // component is a plain name (what `PathBuf::push` would append as is).
    if comps.iter().all(|c| !c.is_empty() && !c.contains(&b'/')) {
        let len = comps.iter().map(|c| c.len() + 1).sum::<usize>().max(1);
        let mut bytes = Vec::with_capacity(len);
        for c in comps {
            bytes.push(b'/');
            bytes.extend_from_slice(c);
        }
        if bytes.is_empty() {
            bytes.push(b'/');
        }
        return std::path::PathBuf::from(std::ffi::OsString::from_vec(bytes));
    }
    let mut p = std::path::PathBuf::from("/");
    for c in comps {
        p.push(std::ffi::OsStr::from_bytes(c));
    }
    p
}

/// Build a host path from absolute components (drive first).
#[cfg(not(unix))]
pub(crate) fn host_path(comps: &[Name]) -> std::path::PathBuf {
    let mut s = String::new();
    for (i, c) in comps.iter().enumerate() {
        s.push_str(&String::from_utf8_lossy(c));
        if i == 0 || i + 1 < comps.len() {
            s.push('\\');
        }
    }
    std::path::PathBuf::from(s)
}

/// The bytes of a host string (raw on POSIX, UTF-8 elsewhere).
pub(crate) fn host_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        s.as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        s.to_string_lossy().into_owned().into_bytes()
    }
}

/// The physical form of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// Existing physical prefix, then the missing rest appended lexically.
    pub comps: Vec<Name>,
    /// Whether the whole path exists (a final link kept as itself counts).
    pub exists: bool,
    /// Where each followed link sits (its directory's physical path plus its name).
    pub links: Vec<Vec<Name>>,
    /// Identity of each component of `comps` that exists (as far as the view knows).
    pub ids: Vec<Option<FileId>>,
}

/// Why a path could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ResolveError {
    /// More than [`MAX_HOPS`] links (a loop, or a chain too long).
    TooManyLinks { at: Vec<Name> },
    /// A component below something that is not a directory.
    NotADirectory { at: Vec<Name> },
    /// A link whose content cannot be used.
    BadLink { at: Vec<Name>, reason: String },
    /// The filesystem refused a lookup (permission, name too long, …).
    Io { at: Vec<Name>, message: String },
}

/// Resolve absolute components (`.` and `..` allowed). With `follow_last`
/// false a final link is kept as itself: the operation acts on the entry
/// (delete, rename, creating a link), so only its parent is resolved.
pub(crate) fn resolve(
    fs: &dyn FsView,
    platform: Platform,
    comps: &[Name],
    follow_last: bool,
) -> Result<Resolved, ResolveError> {
    let fixed = platform.fixed_prefix().min(comps.len());
    let mut stack: Vec<Name> = comps[..fixed].to_vec();
    // Identities parallel to `stack`.
    let mut ids: Vec<Option<FileId>> = vec![None; fixed];
    let mut pending: VecDeque<Name> = comps[fixed..].iter().cloned().collect();
    // Index in `stack` of the first component that does not exist.
    let mut missing_from: Option<usize> = None;
    // Whether the top of `stack` is a directory (the root is).
    let mut top_is_dir = true;
    let mut links = Vec::new();
    let mut hops = 0usize;

    while let Some(c) = pending.pop_front() {
        if c == b"." || c == b".." {
            if missing_from.is_none() && !top_is_dir {
                return Err(ResolveError::NotADirectory { at: stack });
            }
            if c == b".." {
                if stack.len() > fixed {
                    stack.pop();
                    ids.pop();
                }
                if missing_from.is_some_and(|m| stack.len() <= m) {
                    missing_from = None;
                }
                // Everything left on the stack was entered as a directory.
                top_is_dir = true;
            }
            continue;
        }
        if missing_from.is_some() {
            stack.push(c);
            ids.push(None);
            continue;
        }
        if !top_is_dir {
            return Err(ResolveError::NotADirectory { at: stack });
        }
        stack.push(c);
        let is_last = pending.is_empty();
        let (node, id) = fs.lookup(&stack).map_err(|e| ResolveError::Io {
            at: stack.clone(),
            message: e.to_string(),
        })?;
        ids.push(id);
        match node {
            Node::Missing => missing_from = Some(stack.len() - 1),
            Node::Dir => top_is_dir = true,
            Node::Other => top_is_dir = false,
            Node::Symlink(_) if is_last && !follow_last => top_is_dir = false,
            Node::Symlink(content) => {
                hops += 1;
                if hops > MAX_HOPS {
                    return Err(ResolveError::TooManyLinks { at: stack });
                }
                let (absolute, target) =
                    platform
                        .split_link_content(&content)
                        .map_err(|e| ResolveError::BadLink {
                            at: stack.clone(),
                            reason: e.reason,
                        })?;
                links.push(stack.clone());
                stack.pop();
                ids.pop();
                if absolute {
                    stack.clear();
                    ids.clear();
                    // A Windows target names its drive as first component;
                    // it goes on the stack like the input's drive did.
                    let keep = platform.fixed_prefix().min(target.len());
                    stack.extend(target[..keep].iter().cloned());
                    ids.resize(keep, None);
                    for t in target[keep..].iter().rev() {
                        pending.push_front(t.clone());
                    }
                } else {
                    for t in target.into_iter().rev() {
                        pending.push_front(t);
                    }
                }
                top_is_dir = true;
            }
        }
    }
    Ok(Resolved {
        comps: stack,
        exists: missing_from.is_none(),
        links,
        ids,
    })
}

/// Lexical normalization: drop `.`, let `..` remove the previous component
/// (never the drive), no filesystem access.
pub(crate) fn lexical(platform: Platform, comps: &[Name]) -> Vec<Name> {
    let fixed = platform.fixed_prefix().min(comps.len());
    let mut out: Vec<Name> = comps[..fixed].to_vec();
    for c in &comps[fixed..] {
        if c == b"." {
            continue;
        }
        if c == b".." {
            if out.len() > fixed {
                out.pop();
            }
            continue;
        }
        out.push(c.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// An in-memory tree for resolver unit tests.
    struct MemFs(HashMap<String, Node>);

    impl MemFs {
        fn new(entries: &[(&str, Node)]) -> MemFs {
            MemFs(
                entries
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            )
        }
    }

    impl FsView for MemFs {
        fn lookup(&self, path: &[Name]) -> io::Result<(Node, Option<FileId>)> {
            let key = Platform::Linux.display(path);
            if key == "/denied" {
                return Err(io::Error::from(io::ErrorKind::PermissionDenied));
            }
            Ok((self.0.get(&key).cloned().unwrap_or(Node::Missing), None))
        }
    }

    fn link(t: &str) -> Node {
        Node::Symlink(t.as_bytes().to_vec())
    }

    fn tree() -> MemFs {
        MemFs::new(&[
            ("/ws", Node::Dir),
            ("/ws/src", Node::Dir),
            ("/ws/src/main.rs", Node::Other),
            ("/etc", Node::Dir),
            ("/etc/passwd", Node::Other),
            ("/ws/abslink", link("/etc")),
            ("/ws/rellink", link("../etc")),
            ("/ws/srclink", link("src")),
            ("/ws/loop", link("loop")),
            ("/ws/dangling", link("/etc/cron.d/evil")),
            ("/ws/deep", link("src/../../etc")),
        ])
    }

    fn res(path: &str, follow_last: bool) -> Result<(String, bool, usize), ResolveError> {
        let comps = super::super::platform::posix_components(path.as_bytes());
        resolve(&tree(), Platform::Linux, &comps, follow_last)
            .map(|r| (Platform::Linux.display(&r.comps), r.exists, r.links.len()))
    }

    #[test]
    fn existing_and_missing() {
        assert_eq!(
            res("/ws/src/main.rs", true).unwrap(),
            ("/ws/src/main.rs".into(), true, 0)
        );
        assert_eq!(
            res("/ws/a/b/c", true).unwrap(),
            ("/ws/a/b/c".into(), false, 0)
        );
        assert_eq!(
            res("/ws/new/../../etc/passwd", true).unwrap(),
            ("/etc/passwd".into(), true, 0)
        );
        assert_eq!(
            res("/ws/../ws/src/./main.rs", true).unwrap(),
            ("/ws/src/main.rs".into(), true, 0)
        );
        assert_eq!(res("/..", true).unwrap(), ("/".into(), true, 0));
    }

    #[test]
    fn links_are_followed_physically() {
        assert_eq!(res("/ws/abslink/passwd", true).unwrap().0, "/etc/passwd");
        assert_eq!(res("/ws/rellink/passwd", true).unwrap().0, "/etc/passwd");
        assert_eq!(
            res("/ws/srclink/main.rs", true).unwrap(),
            ("/ws/src/main.rs".into(), true, 1)
        );
        // `..` after a link applies to the link's target, like the kernel.
        assert_eq!(res("/ws/abslink/..", true).unwrap().0, "/");
        assert_eq!(res("/ws/deep/passwd", true).unwrap().0, "/etc/passwd");
        // Dangling: followed to where a write would create the file.
        assert_eq!(
            res("/ws/dangling", true).unwrap(),
            ("/etc/cron.d/evil".into(), false, 1)
        );
        // Missing part, then `..` back into existing directories: physical again.
        assert_eq!(
            res("/ws/nope/../abslink/passwd", true).unwrap().0,
            "/etc/passwd"
        );
    }

    #[test]
    fn entry_itself_keeps_the_final_link() {
        assert_eq!(
            res("/ws/abslink", false).unwrap(),
            ("/ws/abslink".into(), true, 0)
        );
        assert_eq!(
            res("/ws/srclink/main.rs", false).unwrap().0,
            "/ws/src/main.rs"
        );
        assert_eq!(res("/ws/abslink/..", false).unwrap().0, "/");
    }

    #[test]
    fn failures() {
        assert!(matches!(
            res("/ws/loop", true),
            Err(ResolveError::TooManyLinks { .. })
        ));
        assert!(matches!(
            res("/ws/src/main.rs/x", true),
            Err(ResolveError::NotADirectory { .. })
        ));
        assert!(matches!(
            res("/ws/src/main.rs/..", true),
            Err(ResolveError::NotADirectory { .. })
        ));
        assert!(matches!(
            res("/denied/x", true),
            Err(ResolveError::Io { .. })
        ));
        // Below a missing component nothing is looked up: no error.
        assert_eq!(res("/ws/nope/x/..", true).unwrap().0, "/ws/nope");
    }

    #[cfg(unix)]
    #[test]
    fn host_path_is_what_push_builds() {
        use std::os::unix::ffi::OsStrExt;
        let cases: &[&[&[u8]]] = &[
            &[],
            &[b"a"],
            &[b"tmp", b"x y", b"\xff\xfe"],
            &[b"a", b"", b"b"],
            &[b"a", b"b/c"],
            &[b"a", b"/etc"],
        ];
        for comps in cases {
            let comps: Vec<Name> = comps.iter().map(|c| c.to_vec()).collect();
            let mut pushed = std::path::PathBuf::from("/");
            for c in &comps {
                pushed.push(std::ffi::OsStr::from_bytes(c));
            }
            assert_eq!(host_path(&comps), pushed, "{comps:?}");
        }
    }

    #[test]
    fn lexical_never_pops_the_drive() {
        let w = Platform::Windows;
        let comps = vec![b"C:".to_vec(), b"..".to_vec(), b"x".to_vec()];
        assert_eq!(w.display(&lexical(w, &comps)), r"C:\x");
        let l = Platform::Linux;
        let comps = vec![
            b"a".to_vec(),
            b".".to_vec(),
            b"..".to_vec(),
            b"..".to_vec(),
            b"b".to_vec(),
        ];
        assert_eq!(l.display(&lexical(l, &comps)), "/b");
    }
}
