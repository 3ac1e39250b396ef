//! What a run can leave in a writable index that makes the user's git show
//! something other than what is there. The index is data git must write
//! (`git add`, `git commit`, `git status` refreshing it), so it stays
//! writable; but besides the list of tracked files it holds marks and
//! caches git trusts instead of looking:
//!
//! - `assume-unchanged` (`git update-index --assume-unchanged`) and
//!   `skip-worktree` (`--skip-worktree`) on an entry: `git status` and
//!   `git diff` never look at that file again, so a change to it is shown
//!   nowhere, while a hook or a build runs it;
//! - the stat data of an entry (times, size, inode): when it matches the
//!   file, git does not read the file; an entry written with the stat data
//!   of a changed file and the object name of the old content hides the
//!   change the same way;
//! - the caches: the cache tree (`TREE`: `git status` and `git commit` take
//!   a directory's tree from it without comparing), the untracked cache
//!   (`UNTR`: which directories hold no new file), the file-system monitor's
//!   valid bits (`FSMN`), and the load helpers `EOIE`/`IEOT`.
//!
//! After the run, an index written during it is repaired ([`repair`]): the
//! marks set on entries that did not have them before the run are cleared,
//! the stat data of every entry that claims a time from the run's first
//! second on (git compares whole seconds), that names another object than
//! before the run (the run's blob recorded with the stat data of the
//! unchanged file), or whose stat data changed during the run (those of a
//! file changed in this run or an earlier one, recorded with the old
//! object), are smudged (its size set to
//! 0, as git itself smudges racily clean entries: git then compares the
//! content), and the caches are dropped (git builds
//! them again). What git shows the user is then what is there. A split
//! index (`link`, `core.splitIndex`) keeps most entries in a shared file
//! this does not read: reported as unchecked.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::path::Path;

/// The largest index read (as [`crate::tracked`]).
const INDEX_LIMIT: u64 = 64 << 20;

/// `assume-unchanged` (git's `CE_VALID`) in an entry's flags.
const ASSUME_UNCHANGED: u16 = 0x8000;
/// An entry has a second flags field (index version 3 and later).
const EXTENDED: u16 = 0x4000;
/// `skip-worktree` in the second flags field.
const SKIP_WORKTREE: u16 = 0x4000;

/// Extensions that are caches or load helpers: dropped from a repaired
/// index (git builds them again).
const CACHES: &[&[u8; 4]] = &[b"TREE", b"UNTR", b"FSMN", b"EOIE", b"IEOT"];

/// The marks an index held before the run: which paths had
/// `assume-unchanged` and which `skip-worktree`, hashed with a key chosen
/// per process (a sparse checkout may mark many entries).
#[derive(Debug, Default, Clone)]
pub struct Marks(HashSet<u64>);

fn key() -> &'static std::collections::hash_map::RandomState {
    static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    KEY.get_or_init(std::collections::hash_map::RandomState::new)
}

fn mark_key(name: &[u8], mark: u16) -> u64 {
    key().hash_one((name, mark))
}

/// An entry's path with the object it names: an entry the run pointed at
/// another object keeps stat data that were never the object's.
fn entry_key(name: &[u8], oid: &[u8]) -> u64 {
    key().hash_one((name, oid))
}

/// An entry's path with its stat data (times, device, inode, mode, owner,
/// size): an entry whose stat data changed during the run may have been
/// given those of a file changed since it was last compared (in this run
/// or an earlier one), with the old object name.
fn stat_key(name: &[u8], stat: &[u8]) -> u64 {
    key().hash_one((name, b"stat", stat))
}

struct Entry {
    start: usize,
    flags_at: usize,
    extended_at: Option<usize>,
    name: Vec<u8>,
}

struct Parsed {
    hash: usize,
    entries: Vec<Entry>,
    entries_end: usize,
    /// Signature, start and end of each extension.
    extensions: Vec<([u8; 4], usize, usize)>,
}

/// The big-endian 32-bit number at `at` of git's binary formats.
pub fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn parse_with(b: &[u8], hash: usize) -> Result<Parsed, String> {
    if b.get(..4) != Some(b"DIRC") {
        return Err("not an index (no DIRC signature)".into());
    }
    let version = be32(b, 4).ok_or("truncated header")?;
    if !(2..=4).contains(&version) {
        return Err(format!("index version {version} is not known"));
    }
    let count = be32(b, 8).ok_or("truncated header")? as usize;
    let mut at = 12;
    let mut entries = Vec::with_capacity(count.min(1 << 20));
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let start = at;
        at += 40 + hash;
        let flags_at = at;
        let flags = be16(b, at).ok_or("truncated entry")?;
        at += 2;
        let extended_at = (version >= 3 && flags & EXTENDED != 0).then_some(at);
        if extended_at.is_some() {
            at += 2;
        }
        let name = if version == 4 {
            let mut strip: usize = 0;
            loop {
                let c = *b.get(at).ok_or("truncated entry")?;
                at += 1;
                strip = strip
                    .checked_shl(7)
                    .ok_or("bad name prefix")?
                    .checked_add(usize::from(c & 0x7f))
                    .ok_or("bad name prefix")?;
                if c & 0x80 == 0 {
                    break;
                }
                strip += 1;
            }
            let end = b
                .get(at..)
                .ok_or("truncated entry")?
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
            at = start + (end - start + 8) / 8 * 8;
            name
        };
        if at > b.len() {
            return Err("truncated entry".into());
        }
        previous.clone_from(&name);
        entries.push(Entry {
            start,
            flags_at,
            extended_at,
            name,
        });
    }
    let entries_end = at;
    if at + hash > b.len() {
        return Err("entries run past the end".into());
    }
    let mut extensions = Vec::new();
    while at + 8 + hash <= b.len() {
        let sig: [u8; 4] = b[at..at + 4].try_into().map_err(|_| "bad extension")?;
        let len = be32(b, at + 4).ok_or("truncated extension")? as usize;
        let end = at.checked_add(8 + len).ok_or("bad extension length")?;
        extensions.push((sig, at, end));
        at = end;
    }
    if at + hash != b.len() {
        return Err("entries and extensions do not end at the checksum".into());
    }
    Ok(Parsed {
        hash,
        entries,
        entries_end,
        extensions,
    })
}

/// SHA-1 repositories first; SHA-256 ones are told apart by the entry
/// layout that parses to the end.
fn parse(b: &[u8]) -> Result<Parsed, String> {
    parse_with(b, 20).or_else(|_| parse_with(b, 32))
}

/// The path names of the index bytes `b` (versions 2 to 4). A split index
/// (`core.splitIndex`) keeps most entries in a shared file: an error, since
/// the list would be incomplete.
pub fn entry_names(b: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let p = parse(b)?;
    if p.extensions.iter().any(|(sig, ..)| sig == b"link") {
        return Err("a split index (core.splitIndex): its shared part is not read".into());
    }
    Ok(p.entries.into_iter().map(|e| e.name).collect())
}

/// The path names of the index bytes `b`, each with whether the entry is
/// marked `assume-unchanged` or `skip-worktree` (then `git status` and
/// `git diff` do not look at the file). A split index is an error, as in
/// [`entry_names`].
pub fn entry_marks(b: &[u8]) -> Result<Vec<(Vec<u8>, bool)>, String> {
    let p = parse(b)?;
    if p.extensions.iter().any(|(sig, ..)| sig == b"link") {
        return Err("a split index (core.splitIndex): its shared part is not read".into());
    }
    let mut out = Vec::with_capacity(p.entries.len());
    for e in p.entries {
        let flags = be16(b, e.flags_at).ok_or("truncated entry")?;
        let skip = match e.extended_at {
            Some(x) => be16(b, x).ok_or("truncated entry")? & SKIP_WORKTREE != 0,
            None => false,
        };
        out.push((e.name, flags & ASSUME_UNCHANGED != 0 || skip));
    }
    Ok(out)
}

/// The marks of the index bytes `b` (`None`: not an index this reads).
pub fn marks_of(b: &[u8]) -> Option<Marks> {
    let p = parse(b).ok()?;
    let mut m = Marks::default();
    for e in &p.entries {
        m.0.insert(entry_key(
            &e.name,
            b.get(e.start + 40..e.start + 40 + p.hash)?,
        ));
        m.0.insert(stat_key(&e.name, b.get(e.start..e.start + 40)?));
        let flags = be16(b, e.flags_at)?;
        if flags & ASSUME_UNCHANGED != 0 {
            m.0.insert(mark_key(&e.name, ASSUME_UNCHANGED));
        }
        if let Some(x) = e.extended_at {
            if be16(b, x)? & SKIP_WORKTREE != 0 {
                m.0.insert(mark_key(&e.name, SKIP_WORKTREE));
            }
        }
    }
    Some(m)
}

/// The marks of the index at `p` before the run: empty for a missing or
/// unreadable one (then every mark found after the run is the run's).
pub fn marks(p: &Path) -> Marks {
    crate::git::nofollow::read_regular(p, INDEX_LIMIT)
        .ok()
        .and_then(|b| marks_of(&b))
        .unwrap_or_default()
}

/// What a repair found.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// Nothing git would trust instead of looking.
    Clean,
    /// The repaired bytes, and what was undone (for the report).
    Repaired(Vec<u8>, Vec<String>),
    /// Cannot be checked (a split index, an index this does not parse).
    Unchecked(String),
}

/// Repair the index bytes `b` written during the run: clear the marks
/// `before` did not have, smudge the stat data of entries with a change or
/// modification time in the second of `since` or later (all of them when
/// `None`), or whose object or stat data `before` did not have, and drop
/// the caches.
pub fn repair_bytes(b: &[u8], before: &Marks, since: Option<(i64, i64)>) -> Found {
    let p = match parse(b) {
        Ok(p) => p,
        Err(e) => return Found::Unchecked(e),
    };
    if p.extensions.iter().any(|(s, _, _)| s == b"link") {
        return Found::Unchecked(
            "a split index (core.splitIndex): its shared part is not read".into(),
        );
    }
    let mut out = b[..p.entries_end].to_vec();
    let mut undone = Vec::new();
    let mut smudged = 0usize;
    for e in &p.entries {
        let name = String::from_utf8_lossy(&e.name);
        let flags = be16(b, e.flags_at).unwrap_or(0);
        if flags & ASSUME_UNCHANGED != 0 && !before.0.contains(&mark_key(&e.name, ASSUME_UNCHANGED))
        {
            out[e.flags_at..e.flags_at + 2]
                .copy_from_slice(&(flags & !ASSUME_UNCHANGED).to_be_bytes());
            undone.push(format!("assume-unchanged cleared on {name}"));
        }
        if let Some(x) = e.extended_at {
            let ext = be16(b, x).unwrap_or(0);
            if ext & SKIP_WORKTREE != 0 && !before.0.contains(&mark_key(&e.name, SKIP_WORKTREE)) {
                if be32(b, e.start + 24).is_some_and(|m| m & 0o170000 == 0o040000) {
                    // A sparse index's directory entry: it cannot go
                    // without the mark, and what it covers is not listed.
                    return Found::Unchecked(format!(
                        "a sparse index: directory entry {name} marked skip-worktree during the run"
                    ));
                }
                out[x..x + 2].copy_from_slice(&(ext & !SKIP_WORKTREE).to_be_bytes());
                undone.push(format!("skip-worktree cleared on {name}"));
            }
        }
        let t = |at: usize| {
            (
                i64::from(be32(b, e.start + at).unwrap_or(0)),
                i64::from(be32(b, e.start + at + 4).unwrap_or(0)),
            )
        };
        // Git compares whole seconds (without `USE_NSEC`, its default): an
        // entry claiming the clock's second with fewer nanoseconds matches
        // a file changed in that second.
        let recent = match since {
            Some(s) => t(0).0 >= s.0 || t(8).0 >= s.0,
            None => true,
        };
        // Stat data that changed during the run: they may be those of a
        // file changed since git last compared it, in this run or an
        // earlier one, written with the old object name. Git writes them
        // again when it compares (`git status` refreshing the index), so
        // an ordinary run smudges only what it changed or git refreshed.
        let restated = !before
            .0
            .contains(&stat_key(&e.name, &b[e.start..e.start + 40]));
        // An entry that names another object than before the run: its
        // stat data are of a file that may hold anything else (the run's
        // blob recorded with the stat data of the unchanged file).
        let repointed = !before
            .0
            .contains(&entry_key(&e.name, &b[e.start + 40..e.start + 40 + p.hash]));
        if (recent || repointed || restated) && be32(b, e.start + 36) != Some(0) {
            out[e.start + 36..e.start + 40].copy_from_slice(&[0; 4]);
            smudged += 1;
        }
    }
    for (sig, start, end) in &p.extensions {
        if CACHES.contains(&sig) {
            undone.push(format!(
                "{} extension dropped",
                String::from_utf8_lossy(sig)
            ));
        } else {
            out.extend_from_slice(&b[*start..*end]);
        }
    }
    if undone.is_empty() && smudged == 0 {
        return Found::Clean;
    }
    if smudged > 0 {
        undone.push(format!(
            "stat data of {smudged} entries written during the run smudged (git compares their content again)"
        ));
    }
    if p.hash == 20 {
        out.extend_from_slice(&sha1(&out));
    } else {
        // git reads an index with a null checksum (index.skipHash) and
        // checks the checksum only in `git fsck`.
        out.extend_from_slice(&vec![0; p.hash]);
    }
    Found::Repaired(out, undone)
}

/// Repair the index `index` (reached through no link) when it was written
/// at or after `since`: see [`repair_bytes`]. `Ok(None)`: nothing to do.
/// The new index is written beside it with the old one's owner and mode
/// and renamed over it, as git replaces it.
pub fn repair(
    index: &Path,
    before: &Marks,
    since: Option<(i64, i64)>,
) -> Result<Option<Vec<String>>, String> {
    let Some((m, b)) = written_since(index, since)? else {
        return Ok(None);
    };
    let (bytes, undone) = match repair_bytes(&b, before, since) {
        Found::Clean => return Ok(None),
        Found::Unchecked(why) => return Err(why),
        Found::Repaired(bytes, undone) => (bytes, undone),
    };
    write_over(index, &bytes, &m).map_err(|e| format!("cannot write the repaired index: {e}"))?;
    Ok(Some(undone))
}

/// The status and bytes of the regular file `p` (reached through no link)
/// when it was written at or after `since`; `None` when it is missing, not
/// a regular file (the sweep moves aside what is no regular file in a git
/// dir) or older.
fn written_since(
    p: &Path,
    since: Option<(i64, i64)>,
) -> Result<Option<(std::fs::Metadata, Vec<u8>)>, String> {
    use std::os::unix::fs::MetadataExt;
    let Ok(m) = crate::git::nofollow::lstat(p) else {
        return Ok(None);
    };
    if !m.is_file() || since.is_some_and(|s| (m.ctime(), m.ctime_nsec()) < s) {
        return Ok(None);
    }
    let b = crate::git::nofollow::read_regular(p, INDEX_LIMIT).map_err(|e| e.to_string())?;
    Ok(Some((m, b)))
}

fn write_over(index: &Path, bytes: &[u8], old: &std::fs::Metadata) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::io::Write;
    use std::os::fd::{AsRawFd, FromRawFd};
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    let (Some(parent), Some(name)) = (index.parent(), index.file_name()) else {
        return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
    };
    let dir = crate::git::nofollow::open(parent, libc::O_PATH | libc::O_DIRECTORY)?;
    // git's own lock: a git running meanwhile (the user's) either waits
    // for this one or is not overwritten by it; one left by the run is
    // reported (the user's git stops at it too).
    let tmp_name = format!("{}.lock", name.to_string_lossy());
    let tmp = CString::new(tmp_name.as_bytes())?;
    let to = CString::new(name.as_bytes())?;
    // SAFETY: a valid descriptor and C strings.
    let fd = unsafe {
        libc::openat(
            dir.as_raw_fd(),
            tmp.as_ptr(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            (old.mode() & 0o7777) as libc::c_uint,
        )
    };
    if fd < 0 {
        let e = std::io::Error::last_os_error();
        if e.raw_os_error() == Some(libc::EEXIST) {
            return Err(std::io::Error::new(
                e.kind(),
                format!("{tmp_name} exists (a git running, or a lock left by the run: remove it if no git runs there)"),
            ));
        }
        return Err(e);
    }
    // SAFETY: `fd` was just opened and is owned here.
    let mut f = unsafe { std::fs::File::from_raw_fd(fd) };
    let done = (|| {
        f.write_all(bytes)?;
        // SAFETY: a valid descriptor; ownership as the old index had it.
        unsafe { libc::fchown(f.as_raw_fd(), old.uid(), old.gid()) };
        f.sync_all()?;
        // SAFETY: a valid descriptor and C strings.
        if unsafe { libc::renameat(dir.as_raw_fd(), tmp.as_ptr(), dir.as_raw_fd(), to.as_ptr()) }
            != 0
        {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    })();
    if done.is_err() {
        // SAFETY: a valid descriptor and C string.
        unsafe { libc::unlinkat(dir.as_raw_fd(), tmp.as_ptr(), 0) };
    }
    done
}

/// The replace refs (`refs/replace/<name>`: git shows the object they
/// name instead of `<name>`, in `git log`, `git show`, `git diff` and
/// `git status`) listed in the `packed-refs` bytes `b`: their lines.
pub fn packed_replace_refs(b: &[u8]) -> Vec<Vec<u8>> {
    b.split(|&c| c == b'\n')
        .filter(|l| is_replace_line(l))
        .map(<[u8]>::to_vec)
        .collect()
}

fn is_replace_line(l: &[u8]) -> bool {
    l.iter()
        .position(|&c| c == b' ')
        .is_some_and(|sp| l[sp + 1..].starts_with(b"refs/replace/"))
        && !l.starts_with(b"#")
        && !l.starts_with(b"^")
}

/// The `packed-refs` bytes `b` without the replace refs `before` did not
/// list (and the peeled lines `^…` that follow them), and those dropped;
/// `None` when there is none.
pub fn drop_replace_refs(b: &[u8], before: &[Vec<u8>]) -> Option<(Vec<u8>, Vec<String>)> {
    let mut out = Vec::with_capacity(b.len());
    let mut dropped = Vec::new();
    let mut dropping = false;
    for line in b.split_inclusive(|&c| c == b'\n') {
        let bare = line.strip_suffix(b"\n").unwrap_or(line);
        if dropping && bare.starts_with(b"^") {
            continue;
        }
        dropping = is_replace_line(bare) && !before.iter().any(|x| x == bare);
        if dropping {
            dropped.push(String::from_utf8_lossy(bare).into_owned());
            continue;
        }
        out.extend_from_slice(line);
    }
    (!dropped.is_empty()).then_some((out, dropped))
}

/// The replace refs listed in the `packed-refs` file `p` before the run.
pub fn packed_replace_refs_of(p: &Path) -> Vec<Vec<u8>> {
    crate::git::nofollow::read_regular(p, INDEX_LIMIT)
        .map(|b| packed_replace_refs(&b))
        .unwrap_or_default()
}

/// Drop from the `packed-refs` file `p` the replace refs the run added
/// (when it was written at or after `since`): the refs git reads as
/// configuration of what to show, which the run must not set; a loose
/// `refs/replace/` is an indirection entry, read-only or moved aside.
pub fn repair_packed_refs(
    p: &Path,
    before: &[Vec<u8>],
    since: Option<(i64, i64)>,
) -> Result<Option<Vec<String>>, String> {
    let Some((m, b)) = written_since(p, since)? else {
        return Ok(None);
    };
    let Some((bytes, dropped)) = drop_replace_refs(&b, before) else {
        return Ok(None);
    };
    write_over(p, &bytes, &m).map_err(|e| format!("cannot write packed-refs: {e}"))?;
    Ok(Some(dropped))
}

/// SHA-1, for the index checksum.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    <sha1::Sha1 as sha1::Digest>::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=u", "-c", "user.email=u@e"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    }

    fn git_out(dir: &Path, args: &[&str]) -> String {
        let o = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    #[test]
    fn sha1_matches_known_digests() {
        let hex = |d: [u8; 20]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        let long = vec![b'a'; 1000];
        assert_eq!(hex(sha1(&long)), "291e9a6c66994949b57ba5e650361e98fc36b1ba");
    }

    #[test]
    fn marks_set_during_the_run_are_cleared_and_those_from_before_stay() {
        for version in ["2", "3", "4"] {
            let t = tempfile::tempdir().unwrap();
            let d = t.path();
            git(d, &["init", "-q"]);
            git(d, &["config", "index.version", version]);
            for f in ["a", "b", "c"] {
                std::fs::write(d.join(f), "x\n").unwrap();
            }
            git(d, &["add", "."]);
            git(d, &["commit", "-q", "-m", "one"]);
            git(d, &["update-index", "--assume-unchanged", "a"]);
            let index = d.join(".git/index");
            let before = marks(&index);
            // The run: changes b and c and hides them.
            std::fs::write(d.join("b"), "changed\n").unwrap();
            std::fs::write(d.join("c"), "changed\n").unwrap();
            git(d, &["update-index", "--assume-unchanged", "b"]);
            git(d, &["update-index", "--skip-worktree", "c"]);
            assert_eq!(git_out(d, &["status", "--porcelain"]), "", "v{version}");
            let undone = repair(&index, &before, None).unwrap().unwrap();
            let all = undone.join("; ");
            assert!(all.contains("assume-unchanged cleared on b"), "{all}");
            assert!(all.contains("skip-worktree cleared on c"), "{all}");
            assert!(!all.contains("on a"), "{all}");
            assert_eq!(
                git_out(d, &["status", "--porcelain"]),
                " M b\n M c\n",
                "v{version}"
            );
            // The user's own mark stays.
            assert!(git_out(d, &["ls-files", "-v", "a"]).starts_with('h'));
            // git takes the result as an index, fsck included.
            git(d, &["fsck", "--no-dangling", "--cache"]);
            assert!(!d.join(".git/index.lock").exists());
        }
    }

    #[test]
    fn stat_data_made_to_match_a_changed_file_is_smudged() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        git(d, &["init", "-q"]);
        std::fs::write(d.join("a"), "one\n").unwrap();
        git(d, &["add", "."]);
        git(d, &["commit", "-q", "-m", "one"]);
        let index = d.join(".git/index");
        let mut b = std::fs::read(&index).unwrap();
        let p = parse(&b).unwrap();
        // Same length, other content; the entry takes the new stat data.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(d.join("a"), "two\n").unwrap();
        // Its modification time set back, out of the way of git's racy
        // check (the change time is the run's).
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(d.join("a"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let m = std::fs::symlink_metadata(d.join("a")).unwrap();
        use std::os::unix::fs::MetadataExt;
        let s = p.entries[0].start;
        let put = |b: &mut Vec<u8>, at: usize, v: i64| {
            b[s + at..s + at + 4].copy_from_slice(&(v as u32).to_be_bytes())
        };
        put(&mut b, 0, m.ctime());
        put(&mut b, 4, m.ctime_nsec());
        put(&mut b, 8, m.mtime());
        put(&mut b, 12, m.mtime_nsec());
        put(&mut b, 20, m.ino() as i64);
        let n = b.len() - 20;
        let sum = sha1(&b[..n]);
        b[n..].copy_from_slice(&sum);
        // Written as the run would: the index's time is after `since`.
        let since = Some((m.ctime(), m.ctime_nsec()));
        std::fs::write(&index, &b).unwrap();
        // The forged index hides the change (with the racy check out of the
        // way: the file is older than the index).
        let hidden = git_out(d, &["diff", "--name-only"]);
        assert_eq!(hidden, "", "the forged stat data hides the change");
        repair(&index, &Marks::default(), since).unwrap().unwrap();
        assert_eq!(
            git_out(d, &["diff", "--name-only"]),
            "a\n",
            "before: {hidden:?}"
        );
    }

    #[test]
    fn an_entry_pointed_at_another_object_is_smudged() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        git(d, &["init", "-q"]);
        for f in ["a", "b"] {
            std::fs::write(d.join(f), "one\n").unwrap();
        }
        git(d, &["add", "."]);
        git(d, &["commit", "-q", "-m", "one"]);
        let index = d.join(".git/index");
        let before = marks(&index);
        // The run: `a` recorded as another blob, with the stat data of the
        // unchanged file; `git status` then shows nothing of it.
        std::fs::write(d.join("other"), "planted\n").unwrap();
        let other = git_out(d, &["hash-object", "-w", "other"]);
        std::fs::remove_file(d.join("other")).unwrap();
        let mut b = std::fs::read(&index).unwrap();
        let p = parse(&b).unwrap();
        let s = p.entries[0].start;
        for i in 0..20 {
            b[s + 40 + i] = u8::from_str_radix(&other.trim()[2 * i..2 * i + 2], 16).unwrap();
        }
        let n = b.len() - 20;
        let sum = sha1(&b[..n]);
        b[n..].copy_from_slice(&sum);
        let far = Some((i64::from(u32::MAX) + 1, 0));
        match repair_bytes(&b, &before, far) {
            Found::Repaired(out, u) => {
                assert!(u.iter().any(|x| x.contains("of 1 entries")), "{u:?}");
                let q = parse(&out).unwrap();
                assert_eq!(be32(&out, q.entries[0].start + 36), Some(0));
                assert_ne!(be32(&out, q.entries[1].start + 36), Some(0));
            }
            other => panic!("{other:?}"),
        }
        // Unchanged entries stay as they are.
        let b = std::fs::read(&index).unwrap();
        assert!(
            matches!(
                repair_bytes(&b, &before, far),
                Found::Repaired(_, ref u) if !u.iter().any(|x| x.contains("smudged"))
            ) || repair_bytes(&b, &before, far) == Found::Clean
        );
    }

    /// exec19 G1: stat data that git would take as matching a changed
    /// file are smudged when they claim the clock's second (git compares
    /// whole seconds: `(T, 0)` matches a change at `(T, n)`) or changed
    /// since the index before the run (a file changed in an earlier run,
    /// its stat data recorded in this one with the old object name).
    #[test]
    fn stat_data_of_the_clocks_second_or_changed_during_the_run_are_smudged() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        git(d, &["init", "-q"]);
        std::fs::write(d.join("a"), "one\n").unwrap();
        git(d, &["add", "."]);
        git(d, &["commit", "-q", "-m", "one"]);
        let b0 = std::fs::read(d.join(".git/index")).unwrap();
        let s = parse(&b0).unwrap().entries[0].start;
        let put = |b: &[u8], at: usize, v: u32| {
            let mut b = b.to_vec();
            b[s + at..s + at + 4].copy_from_slice(&v.to_be_bytes());
            b
        };
        let smudged =
            |f: Found| matches!(f, Found::Repaired(ref out, _) if be32(out, s + 36) == Some(0));
        let clock = u32::MAX - 10;
        // One run: the change time of the clock's second, nanoseconds 0,
        // stat data the index had before the run.
        let b1 = put(&put(&b0, 0, clock), 4, 0);
        let before = marks_of(&b1).unwrap();
        assert!(smudged(repair_bytes(
            &b1,
            &before,
            Some((i64::from(clock), 400_000_000))
        )));
        // Two runs: an older time, the object as before, the inode and
        // size of the file as an earlier run left it.
        let b2 = put(&put(&b0, 20, 4242), 36, 5);
        let before = marks_of(&b0).unwrap();
        assert!(smudged(repair_bytes(
            &b2,
            &before,
            Some((i64::from(clock), 0))
        )));
        // Unchanged stat data from before the run stay.
        assert!(!smudged(repair_bytes(
            &b0,
            &before,
            Some((i64::from(clock), 0))
        )));
    }

    #[test]
    fn an_index_written_before_the_run_or_a_clean_one_is_left_alone() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        git(d, &["init", "-q"]);
        std::fs::write(d.join("a"), "one\n").unwrap();
        git(d, &["add", "."]);
        let index = d.join(".git/index");
        let far = Some((i64::from(u32::MAX) + 1, 0));
        assert_eq!(repair(&index, &Marks::default(), far).unwrap(), None);
        let b = std::fs::read(&index).unwrap();
        // Caches only: dropped.
        git(d, &["commit", "-q", "-m", "one"]);
        let after = std::fs::read(&index).unwrap();
        assert_ne!(b, after);
        match repair_bytes(&after, &Marks::default(), far) {
            Found::Repaired(_, u) => assert!(u.iter().any(|x| x.contains("TREE")), "{u:?}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn replace_refs_the_run_packed_are_dropped() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        git(d, &["init", "-q"]);
        std::fs::write(d.join("a"), "one\n").unwrap();
        git(d, &["add", "."]);
        git(d, &["commit", "-q", "-m", "one"]);
        std::fs::write(d.join("a"), "two\n").unwrap();
        git(d, &["commit", "-q", "-a", "-m", "two"]);
        let packed = d.join(".git/packed-refs");
        let before = packed_replace_refs_of(&packed);
        assert!(before.is_empty());
        // The run: HEAD shown as its parent.
        let head = git_out(d, &["rev-parse", "HEAD"]);
        let parent = git_out(d, &["rev-parse", "HEAD~1"]);
        git(d, &["replace", "-f", head.trim(), parent.trim()]);
        git(d, &["pack-refs", "--all"]);
        assert!(!d.join(".git/refs/replace").join(head.trim()).exists());
        assert_eq!(git_out(d, &["log", "--format=%s", "-1"]), "one\n");
        let dropped = repair_packed_refs(&packed, &before, None).unwrap().unwrap();
        assert_eq!(dropped.len(), 1, "{dropped:?}");
        assert_eq!(git_out(d, &["log", "--format=%s", "-1"]), "two\n");
        assert!(git_out(d, &["show-ref"]).contains("refs/heads/"));
        // One from before the run stays.
        let kept = format!("{} refs/replace/{}", parent.trim(), head.trim()).into_bytes();
        let text = [
            b"# pack-refs with: peeled \n".to_vec(),
            kept.clone(),
            b"\n".to_vec(),
        ]
        .concat();
        assert_eq!(drop_replace_refs(&text, &[kept]), None);
    }

    #[test]
    fn an_index_locked_by_a_running_git_is_not_overwritten() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        git(d, &["init", "-q"]);
        std::fs::write(d.join("a"), "one\n").unwrap();
        git(d, &["add", "."]);
        git(d, &["update-index", "--assume-unchanged", "a"]);
        std::fs::write(d.join(".git/index.lock"), "").unwrap();
        let e = repair(&d.join(".git/index"), &Marks::default(), None).unwrap_err();
        assert!(e.contains("index.lock exists"), "{e}");
        assert!(git_out(d, &["ls-files", "-v"]).starts_with('h'));
    }

    #[test]
    fn a_split_index_is_unchecked() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        git(d, &["init", "-q"]);
        std::fs::write(d.join("a"), "one\n").unwrap();
        git(d, &["add", "."]);
        git(d, &["update-index", "--split-index"]);
        let b = std::fs::read(d.join(".git/index")).unwrap();
        assert!(matches!(
            repair_bytes(&b, &Marks::default(), None),
            Found::Unchecked(_)
        ));
        assert!(matches!(
            repair_bytes(b"junk", &Marks::default(), None),
            Found::Unchecked(_)
        ));
    }
}
