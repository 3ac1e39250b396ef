//! The objects a run wrote or replaced in a git object store, verified.
//!
//! git reads an object by its id without hashing it again: a checkout, a
//! `restore`, a `stash` or a `reset --hard` writes a blob's bytes into the
//! working tree as the store holds them. So a run that rewrites a loose
//! object under its own id, or adds a pack (with its index) that holds
//! other content under an existing id (git looks in packs first), decides
//! what the user's next checkout writes, also in linked worktrees outside
//! the writable trees that share the store. What must be true is that the
//! content under an id hashes to that id: the sweep inflates and hashes
//! every loose object and every pack written or replaced during the run
//! (ctime on or after the plan's clock), and moves aside what does not
//! hash to its id (git never writes such an object). Caches derived from
//! the packs (reverse indexes, bitmaps, the multi-pack index) the run made
//! or changed, or whose packs changed, are moved aside: git reads objects
//! through them without checking, and builds them again.
//!
//! Streams are inflated by `miniz_oxide` (zlib's format, its checksum
//! checked, as zlib and so git check it) and hashed by the RustCrypto
//! `sha1` crate.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::index::be32;

/// What one sweep reads from object stores to verify them, in bytes.
pub const VERIFY_BYTES: u64 = 1 << 30;
/// What one sweep hashes of packs git only freshened (their index
/// unchanged), in bytes.
const FRESHENED_BYTES: u64 = 8 << 30;
/// The largest object (inflated) verified.
const OBJECT_MAX: usize = 512 << 20;
/// How long one sweep spends verifying objects.
pub const VERIFY_TIME: std::time::Duration = std::time::Duration::from_secs(30);
/// Entries of one fan-out directory or of `objects/pack` looked at.
const DIR_MAX: usize = 1 << 20;

// ---------------------------------------------------------------- inflate

/// The output of the zlib stream at the start of `input`, when it is one
/// whose output is at most `max` bytes; what follows the stream is not
/// read (a pack's next entry).
pub fn inflate(input: &[u8], max: usize) -> Option<Vec<u8>> {
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(input, max).ok()
}

// ---------------------------------------------------------------- SHA-1

/// SHA-1 over data given in pieces.
struct Sha1(sha1::Sha1);

impl Sha1 {
    fn new() -> Sha1 {
        Sha1(sha1::Digest::new())
    }

    fn update(&mut self, data: &[u8]) {
        sha1::Digest::update(&mut self.0, data);
    }

    fn finish(self) -> [u8; 20] {
        sha1::Digest::finalize(self.0).into()
    }
}

/// Whether pack `pack` holds, byte for byte, the pack its index `idx`
/// was made for: the SHA-1 of all but its last 20 bytes is the pack
/// checksum the index records. git freshens a pack that holds an object
/// it was about to write (`utime`, so a new change time) and never
/// rewrites one; a pack rewritten in place under an unchanged index would
/// need a second SHA-1 preimage to pass.
fn pack_matches_index(idx: &Path, pack: &Path, budget: &mut u64) -> Option<bool> {
    use std::io::Read;
    let i = crate::git::nofollow::read_regular(idx, 256 << 20).ok()?;
    let want = i.get(i.len().checked_sub(40)?..i.len() - 20)?;
    let fd = crate::git::nofollow::open(pack, libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOCTTY)
        .ok()?;
    let mut f = std::fs::File::from(fd);
    let m = f.metadata().ok()?;
    if !m.is_file() || m.len() < 20 || m.len() > *budget {
        return None;
    }
    *budget -= m.len();
    let mut left = m.len() - 20;
    let mut h = Sha1::new();
    let mut buf = vec![0u8; 1 << 20];
    while left > 0 {
        let n = f.read(&mut buf[..left.min(1 << 20) as usize]).ok()?;
        if n == 0 {
            return Some(false);
        }
        h.update(&buf[..n]);
        left -= n as u64;
    }
    Some(h.finish()[..] == *want)
}

// ---------------------------------------------------------------- objects

/// The id of an object of type `kind` (`blob`, `tree`, `commit`, `tag`).
pub fn object_id(kind: &str, content: &[u8]) -> [u8; 20] {
    let mut v = format!("{kind} {}\0", content.len()).into_bytes();
    v.extend_from_slice(content);
    crate::index::sha1(&v)
}

/// Whether loose object file `bytes` holds the object `id` names: its
/// inflated header and content hash to `id`.
pub fn loose_is_true(bytes: &[u8], id: &[u8]) -> bool {
    inflate(bytes, OBJECT_MAX).is_some_and(|out| crate::index::sha1(&out)[..] == *id)
}

/// Why a pack is not taken: forged (moved aside), or not checked.
#[derive(Debug, PartialEq)]
pub enum Refused {
    Forged(String),
    Unchecked(String),
}

/// The (id, offset) entries of a pack index (version 1 or 2), as git
/// reads them.
fn idx_entries(idx: &[u8]) -> Option<Vec<([u8; 20], u64)>> {
    let v2 = idx.starts_with(b"\xfftOc");
    if v2 && be32(idx, 4)? != 2 {
        return None;
    }
    let fan = if v2 { 8 } else { 0 };
    let n = be32(idx, fan + 255 * 4)? as usize;
    let at = fan + 1024;
    let mut out = Vec::with_capacity(n.min(idx.len() / 20));
    for i in 0..n {
        if v2 {
            let id: [u8; 20] = idx.get(at + 20 * i..at + 20 * i + 20)?.try_into().ok()?;
            let o = be32(idx, at + 24 * n + 4 * i)?;
            let off = if o & 0x8000_0000 != 0 {
                let k = (o & 0x7fff_ffff) as usize;
                let p = at + 28 * n + 8 * k;
                u64::from_be_bytes(idx.get(p..p + 8)?.try_into().ok()?)
            } else {
                o as u64
            };
            out.push((id, off));
        } else {
            let e = at + 24 * i;
            let off = be32(idx, e)? as u64;
            let id: [u8; 20] = idx.get(e + 4..e + 24)?.try_into().ok()?;
            out.push((id, off));
        }
    }
    Some(out)
}

enum Base {
    Whole(u8),
    Ofs(u64),
    Ref([u8; 20]),
}

/// The entry of a pack at `off`: what it is, its inflated size, where its
/// zlib stream starts.
fn entry(pack: &[u8], off: u64) -> Option<(Base, usize, usize)> {
    let mut i = usize::try_from(off).ok()?;
    let mut c = *pack.get(i)?;
    i += 1;
    let kind = (c >> 4) & 7;
    let mut size = (c & 15) as u64;
    let mut shift = 4;
    while c & 0x80 != 0 {
        c = *pack.get(i)?;
        i += 1;
        if shift > 57 {
            return None;
        }
        size |= ((c & 0x7f) as u64) << shift;
        shift += 7;
    }
    let base = match kind {
        1..=4 => Base::Whole(kind),
        6 => {
            let mut c = *pack.get(i)?;
            i += 1;
            let mut d = (c & 0x7f) as u64;
            while c & 0x80 != 0 {
                c = *pack.get(i)?;
                i += 1;
                d = d.checked_add(1)?.checked_mul(128)? | (c & 0x7f) as u64;
            }
            if d == 0 || d > off {
                return None;
            }
            Base::Ofs(off - d)
        }
        7 => {
            let id = pack.get(i..i + 20)?.try_into().ok()?;
            i += 20;
            Base::Ref(id)
        }
        _ => return None,
    };
    Some((base, usize::try_from(size).ok()?, i))
}

fn delta_size(d: &[u8], i: &mut usize) -> Option<usize> {
    let mut size = 0u64;
    let mut shift = 0;
    loop {
        let b = *d.get(*i)?;
        *i += 1;
        size |= ((b & 0x7f) as u64) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            return usize::try_from(size).ok();
        }
        if shift > 63 {
            return None;
        }
    }
}

/// git's `patch_delta`.
fn apply_delta(base: &[u8], d: &[u8]) -> Option<Vec<u8>> {
    let mut i = 0;
    if delta_size(d, &mut i)? != base.len() {
        return None;
    }
    let size = delta_size(d, &mut i)?;
    if size > OBJECT_MAX {
        return None;
    }
    let mut out = Vec::with_capacity(size);
    while i < d.len() {
        let c = d[i];
        i += 1;
        if c & 0x80 != 0 {
            let (mut off, mut n) = (0usize, 0usize);
            for k in 0..4 {
                if c & (1 << k) != 0 {
                    off |= (*d.get(i)? as usize) << (8 * k);
                    i += 1;
                }
            }
            for k in 0..3 {
                if c & (0x10 << k) != 0 {
                    n |= (*d.get(i)? as usize) << (8 * k);
                    i += 1;
                }
            }
            if n == 0 {
                n = 0x10000;
            }
            if off.checked_add(n)? > base.len() || out.len() + n > size {
                return None;
            }
            out.extend_from_slice(&base[off..off + n]);
        } else if c != 0 {
            let n = c as usize;
            if out.len() + n > size {
                return None;
            }
            out.extend_from_slice(d.get(i..i + n)?);
            i += n;
        } else {
            return None;
        }
    }
    (out.len() == size).then_some(out)
}

const KINDS: [&str; 5] = ["", "commit", "tree", "blob", "tag"];

/// Verify every entry of pack index `idx` against pack `pack`: the object
/// git reads at the entry's offset hashes to the entry's id.
pub fn verify_pack(idx: &[u8], pack: &[u8], until: Instant) -> Result<(), Refused> {
    let forged = |w: &str| Refused::Forged(w.to_string());
    let entries = idx_entries(idx).ok_or_else(|| forged("its index does not parse"))?;
    let by_id: HashMap<[u8; 20], u64> = entries.iter().map(|&(id, o)| (id, o)).collect();
    let mut ids: HashMap<u64, Vec<[u8; 20]>> = HashMap::new();
    for &(id, o) in &entries {
        ids.entry(o).or_default().push(id);
    }
    // Every object the entries read (bases git reads by offset too, listed
    // or not), with the base each delta is applied to.
    struct Node {
        base: Option<u64>,
        kind: u8,
        size: usize,
        start: usize,
    }
    let mut nodes: HashMap<u64, Node> = HashMap::new();
    let mut children: HashMap<u64, Vec<u64>> = HashMap::new();
    let mut todo: Vec<u64> = ids.keys().copied().collect();
    while let Some(at) = todo.pop() {
        if nodes.contains_key(&at) {
            continue;
        }
        let (b, size, start) = entry(pack, at).ok_or_else(|| forged("an entry does not parse"))?;
        if size > OBJECT_MAX {
            return Err(Refused::Unchecked(format!(
                "an object larger than {OBJECT_MAX} bytes"
            )));
        }
        let (base, kind) = match b {
            Base::Whole(k) => (None, k),
            Base::Ofs(o) => (Some(o), 0),
            Base::Ref(r) => (
                Some(
                    *by_id
                        .get(&r)
                        .ok_or_else(|| forged("a delta whose base is not in the pack"))?,
                ),
                0,
            ),
        };
        if let Some(o) = base {
            children.entry(o).or_default().push(at);
            todo.push(o);
        }
        nodes.insert(
            at,
            Node {
                base,
                kind,
                size,
                start,
            },
        );
    }
    let inflated = |n: &Node, what: &str| {
        pack.get(n.start..)
            .and_then(|s| inflate(s, n.size))
            .filter(|d| d.len() == n.size)
            .ok_or_else(|| forged(what))
    };
    let check = |at: u64, kind: u8, data: &[u8]| -> Result<(), Refused> {
        let Some(want) = ids.get(&at) else {
            return Ok(());
        };
        let id = object_id(KINDS[kind as usize], data);
        match want.iter().find(|w| **w != id) {
            Some(w) => Err(Refused::Forged(format!(
                "the object at offset {at} is not what id {} names",
                hex(w)
            ))),
            None => Ok(()),
        }
    };
    // From each whole object down its deltas, depth first, each object
    // computed once and only the current chain held (as git's index-pack).
    let none: Vec<u64> = Vec::new();
    let mut done = 0usize;
    for (&root, n) in &nodes {
        if n.base.is_some() {
            continue;
        }
        let data = inflated(n, "an object does not inflate")?;
        check(root, n.kind, &data)?;
        done += 1;
        let mut stack = vec![(root, data, 0usize)];
        while let Some((at, data, next)) = stack.last_mut() {
            let kids = children.get(at).unwrap_or(&none);
            let Some(&c) = kids.get(*next) else {
                stack.pop();
                continue;
            };
            *next += 1;
            if done.is_multiple_of(256) && Instant::now() > until {
                return Err(Refused::Unchecked(format!(
                    "over the time verified ({} s)",
                    VERIFY_TIME.as_secs()
                )));
            }
            let delta = inflated(&nodes[&c], "a delta does not inflate")?;
            let child =
                apply_delta(data, &delta).ok_or_else(|| forged("a delta does not apply"))?;
            check(c, n.kind, &child)?;
            done += 1;
            stack.push((c, child, 0));
        }
    }
    if done != nodes.len() {
        return Err(forged("a delta whose bases never end in an object"));
    }
    Ok(())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

// ---------------------------------------------------------------- stores

/// What the check of one object store found.
#[derive(Debug, Default)]
pub struct Checked {
    /// Objects or packs (with their indexes) that are not what their ids
    /// name, with why: to be moved aside.
    pub forged: Vec<(PathBuf, String)>,
    /// Caches of the packs made or changed during the run, or of packs
    /// that changed: to be moved aside.
    pub caches: Vec<PathBuf>,
    /// What could not be checked, and why.
    pub unchecked: Vec<String>,
}

fn is_hex(s: &str, n: usize) -> bool {
    s.len() == n
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// Whether the directories of an object store are those recorded at
/// their paths before the run (device and inode).
#[derive(Debug, Clone, Copy, Default)]
pub struct Recorded {
    /// `objects` itself.
    pub store: bool,
    /// `objects/pack`.
    pub pack: bool,
}

/// Check object store `objects` (a git dir's `objects`): every loose
/// object and pack written or replaced since `since` (all, without a
/// clock), within `budget` bytes read. `sha256`: the repository's object
/// format is SHA-256, which is not verified (said in `unchecked` when
/// something changed).
///
/// A file's own change time says it was written, replaced, renamed or
/// linked there; a rename of a directory above it changes the directory's
/// change time, not the file's. So a file counts as changed when it, or a
/// directory between it and the store, changed: every object of a fan-out
/// directory whose change time is since `since` (renamed into place, or
/// an object added or removed) is verified, and every object and pack of
/// a store, or every pack of a `pack` directory, that is not the very
/// directory recorded at that path before the run (`recorded`: renamed
/// into place, or made during the run).
pub fn check_store(
    objects: &Path,
    since: Option<(i64, i64)>,
    recorded: Recorded,
    sha256: bool,
    budget: &mut u64,
    until: Instant,
) -> Checked {
    use crate::git::nofollow;
    let mut out = Checked::default();
    let changed = |st: &libc::stat| since.is_none_or(|t| (st.st_ctime, st.st_ctime_nsec) >= t);
    let store_moved = !recorded.store;
    let pack_moved = store_moved || !recorded.pack;
    let unchecked = |out: &mut Checked, w: String| {
        if out.unchecked.len() < 8 {
            out.unchecked.push(w);
        }
    };
    let top = match nofollow::read_dir_stat(objects, DIR_MAX) {
        Ok(Some(t)) => t,
        Ok(None) => {
            unchecked(&mut out, format!("{}: too many entries", objects.display()));
            return out;
        }
        Err(e) => {
            unchecked(&mut out, format!("{}: {e}", objects.display()));
            return out;
        }
    };
    let id_len = if sha256 { 64 } else { 40 };
    for (name, st) in &top {
        let Some(name) = name.to_str().filter(|n| is_hex(n, 2)) else {
            continue;
        };
        if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
            continue;
        }
        let dir = objects.join(name);
        let all = store_moved || changed(st);
        let list = match nofollow::read_dir_stat(&dir, DIR_MAX) {
            Ok(Some(l)) => l,
            Ok(None) => {
                unchecked(&mut out, format!("{}: too many entries", dir.display()));
                continue;
            }
            Err(e) => {
                unchecked(&mut out, format!("{}: {e}", dir.display()));
                continue;
            }
        };
        for (file, st) in list {
            let Some(rest) = file.to_str().filter(|f| is_hex(f, id_len - 2)) else {
                continue;
            };
            if !all && !changed(&st) {
                continue;
            }
            let p = dir.join(rest);
            if Instant::now() > until {
                unchecked(&mut out, format!("{}: over the time verified", p.display()));
                continue;
            }
            if sha256 {
                unchecked(
                    &mut out,
                    format!("{}: SHA-256 objects are not verified", p.display()),
                );
                continue;
            }
            let size = st.st_size.max(0) as u64;
            if size > *budget {
                unchecked(
                    &mut out,
                    format!("{}: over the bytes verified", p.display()),
                );
                continue;
            }
            *budget -= size;
            let full = format!("{name}{rest}");
            let id: Vec<u8> = (0..20)
                .map(|i| u8::from_str_radix(&full[2 * i..2 * i + 2], 16).unwrap_or(0))
                .collect();
            match nofollow::read_regular(&p, size.max(1) * 2) {
                Ok(b) if loose_is_true(&b, &id) => {}
                Ok(_) => out.forged.push((
                    p,
                    "a loose object whose content is not what its id names".into(),
                )),
                Err(e) => out
                    .forged
                    .push((p, format!("a loose object git cannot read as one ({e})"))),
            }
        }
    }
    // Packs, with their indexes and caches.
    let pack_dir = objects.join("pack");
    let list = match nofollow::read_dir_stat(&pack_dir, DIR_MAX) {
        Ok(Some(l)) => l,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return out,
        Ok(None) => {
            unchecked(
                &mut out,
                format!("{}: too many entries", pack_dir.display()),
            );
            return out;
        }
        Err(e) => {
            unchecked(&mut out, format!("{}: {e}", pack_dir.display()));
            return out;
        }
    };
    let stats: HashMap<String, libc::stat> = list
        .into_iter()
        .filter_map(|(n, st)| Some((n.into_string().ok()?, st)))
        .collect();
    let mut pack_changed: Vec<String> = Vec::new();
    let mut freshened = FRESHENED_BYTES;
    for (name, st) in &stats {
        let Some(stem) = name.strip_suffix(".idx") else {
            continue;
        };
        let pack_name = format!("{stem}.pack");
        let pack_st = stats.get(&pack_name);
        if !pack_moved && !changed(st) && !pack_st.is_some_and(changed) {
            continue;
        }
        let idx_p = pack_dir.join(name);
        let pack_p = pack_dir.join(&pack_name);
        if !pack_moved
            && !changed(st)
            && !sha256
            && pack_matches_index(&idx_p, &pack_p, &mut freshened) == Some(true)
        {
            continue; // freshened by git: the same bytes as before the run
        }
        pack_changed.push(stem.to_string());
        let Some(pack_st) = pack_st else {
            continue; // git opens no pack without its `.pack`
        };
        if sha256 {
            unchecked(
                &mut out,
                format!("{}: SHA-256 objects are not verified", pack_p.display()),
            );
            continue;
        }
        let size = (st.st_size.max(0) + pack_st.st_size.max(0)) as u64;
        if size > *budget {
            unchecked(
                &mut out,
                format!("{}: over the bytes verified", pack_p.display()),
            );
            continue;
        }
        *budget -= size;
        let read =
            |p: &Path, s: &libc::stat| nofollow::read_regular(p, s.st_size.max(1) as u64 * 2);
        let verdict = match (read(&idx_p, st), read(&pack_p, pack_st)) {
            (Ok(i), Ok(p)) => verify_pack(&i, &p, until),
            (Err(e), _) | (_, Err(e)) => Err(Refused::Forged(format!("git cannot read it ({e})"))),
        };
        match verdict {
            Ok(()) => {}
            Err(Refused::Forged(why)) => {
                let why = format!("a pack whose objects are not what their ids name: {why}");
                out.forged.push((idx_p, why.clone()));
                out.forged.push((pack_p, why));
            }
            Err(Refused::Unchecked(why)) => {
                unchecked(&mut out, format!("{}: {why}", pack_p.display()))
            }
        }
    }
    for (name, st) in &stats {
        let cache_of = name
            .strip_suffix(".rev")
            .or_else(|| name.strip_suffix(".bitmap"));
        let Some(stem) = cache_of else {
            continue;
        };
        let of_midx = stem.starts_with("multi-pack-index");
        if pack_moved
            || changed(st)
            || pack_changed.iter().any(|s| s == stem)
            || (of_midx && !pack_changed.is_empty())
        {
            out.caches.push(pack_dir.join(name));
        }
    }
    if !pack_changed.is_empty() && stats.contains_key("multi-pack-index") {
        out.caches.push(pack_dir.join("multi-pack-index"));
    }
    out.forged.sort();
    out.caches.sort();
    out
}

// ---------------------------------------------------------------- git-lfs

/// SHA-256 over data given in pieces: git-lfs names its objects by it.
/// RustCrypto's `sha2`, the sibling of the `sha1` crate git's ids use.
#[derive(Default)]
pub struct Sha256(sha2::Sha256);

impl Sha256 {
    pub fn update(&mut self, data: &[u8]) {
        sha2::Digest::update(&mut self.0, data);
    }

    pub fn finish(self) -> [u8; 32] {
        sha2::Digest::finalize(self.0).into()
    }
}

/// Whether the regular file at `p` (not followed if a link) hashes to
/// `oid` (64 hex digits) under SHA-256.
fn lfs_object_is_true(p: &Path, oid: &str) -> std::io::Result<bool> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(p)?;
    if !f.metadata()?.is_file() {
        return Ok(false);
    }
    let mut h = Sha256::default();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finish()) == oid)
}

/// Check git-lfs store `lfs` (a git dir's `lfs`): every object below
/// `objects/OID[0:2]/OID[2:4]/OID` written or replaced since `since` (all,
/// without a clock) must hash to its name under SHA-256, as git-lfs
/// writes them; git-lfs checks only the size when it reads one, and the
/// lfs filter writes its bytes into the working tree at the user's next
/// checkout. A file counts as changed when it or a directory between it
/// and `lfs` changed (a rename into place changes the renamed entry).
pub fn check_lfs(
    lfs: &Path,
    since: Option<(i64, i64)>,
    budget: &mut u64,
    until: Instant,
) -> Checked {
    use crate::git::nofollow;
    let mut out = Checked::default();
    let changed = |st: &libc::stat| since.is_none_or(|t| (st.st_ctime, st.st_ctime_nsec) >= t);
    let unchecked = |out: &mut Checked, w: String| {
        if out.unchecked.len() < 8 {
            out.unchecked.push(w);
        }
    };
    let list = |out: &mut Checked, d: &Path| match nofollow::read_dir_stat(d, DIR_MAX) {
        Ok(Some(l)) => l,
        Ok(None) => {
            unchecked(out, format!("{}: too many entries", d.display()));
            Vec::new()
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            unchecked(out, format!("{}: {e}", d.display()));
            Vec::new()
        }
    };
    let (Ok(top), Ok(objs)) = (
        nofollow::lstat_last(lfs),
        nofollow::lstat_last(&lfs.join("objects")),
    ) else {
        return out;
    };
    let all = changed(&top) || changed(&objs);
    let objects = lfs.join("objects");
    let is_dir = |st: &libc::stat| st.st_mode & libc::S_IFMT == libc::S_IFDIR;
    for (a, sta) in list(&mut out, &objects) {
        let Some(a) = a.to_str().filter(|n| is_hex(n, 2)).map(str::to_string) else {
            continue;
        };
        if !is_dir(&sta) {
            continue;
        }
        let da = objects.join(&a);
        let all_a = all || changed(&sta);
        for (b, stb) in list(&mut out, &da) {
            let Some(b) = b.to_str().filter(|n| is_hex(n, 2)).map(str::to_string) else {
                continue;
            };
            if !is_dir(&stb) {
                continue;
            }
            let db = da.join(&b);
            let all_b = all_a || changed(&stb);
            for (name, st) in list(&mut out, &db) {
                let Some(oid) = name
                    .to_str()
                    .filter(|n| is_hex(n, 64) && n[..2] == a && n[2..4] == b)
                    .map(str::to_string)
                else {
                    continue;
                };
                if !all_b && !changed(&st) {
                    continue;
                }
                let p = db.join(&oid);
                if Instant::now() > until {
                    unchecked(&mut out, format!("{}: over the time verified", p.display()));
                    continue;
                }
                let size = st.st_size.max(0) as u64;
                if size > *budget {
                    unchecked(
                        &mut out,
                        format!("{}: over the bytes verified", p.display()),
                    );
                    continue;
                }
                *budget -= size;
                match lfs_object_is_true(&p, &oid) {
                    Ok(true) => {}
                    Ok(false) => out.forged.push((
                        p,
                        "a git-lfs object whose content is not what its name (its SHA-256) names"
                            .into(),
                    )),
                    Err(e) => out.forged.push((
                        p,
                        format!("a git-lfs object that cannot be read as one ({e})"),
                    )),
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standards_vectors() {
        let h = |d: &[u8]| {
            let mut s = Sha256::default();
            s.update(d);
            hex(&s.finish())
        };
        assert_eq!(
            h(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            h(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            h(long),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        // Fed in odd pieces.
        let mut s = Sha256::default();
        for c in long.chunks(7) {
            s.update(c);
        }
        assert_eq!(hex(&s.finish()), h(long));
    }
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) -> String {
        let o = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=u", "-c", "user.email=u@e"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    /// Both directories as recorded.
    const SAME: Recorded = Recorded {
        store: true,
        pack: true,
    };

    fn later() -> Instant {
        Instant::now() + VERIFY_TIME
    }

    /// A repository with history git deltifies.
    fn repo() -> (tempfile::TempDir, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let r = t.path().join("r");
        std::fs::create_dir(&r).unwrap();
        git(&r, &["init", "-q", "-b", "main"]);
        let mut text = String::new();
        for i in 0..40 {
            for j in 0..30 {
                text.push_str(&format!("line {j} of a file that grows, version {i}\n"));
            }
            std::fs::write(r.join("Makefile"), &text).unwrap();
            std::fs::write(
                r.join(format!("f{}", i % 5)),
                format!("{i}\n").repeat(i + 1),
            )
            .unwrap();
            git(&r, &["add", "."]);
            git(&r, &["commit", "-q", "-m", &format!("c{i}")]);
        }
        (t, r)
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        // git's own deflate, through `git hash-object -w` of a file.
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        git(r, &["init", "-q"]);
        std::fs::write(r.join("f"), data).unwrap();
        let id = git(r, &["hash-object", "-w", "f"]);
        std::fs::read(r.join(format!(".git/objects/{}/{}", &id[..2], &id[2..]))).unwrap()
    }

    #[test]
    fn streams_inflate_as_zlib_inflates_them() {
        // Stored, fixed and dynamic blocks: empty, short, long repetitive
        // and incompressible content.
        let mut noise = Vec::new();
        let mut x = 12345u32;
        for _ in 0..100_000 {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            noise.push((x >> 16) as u8);
        }
        // Stored blocks between compressed ones (read-ahead given back).
        let mut mixed = b"abc".repeat(30_000);
        mixed.extend_from_slice(&noise);
        mixed.extend_from_slice(&b"xyz".repeat(30_000));
        mixed.extend_from_slice(&noise[..5000]);
        for data in [
            b"".to_vec(),
            b"hello\n".to_vec(),
            b"abc".repeat(50_000),
            noise,
            mixed,
        ] {
            let z = zlib(&data);
            let out = inflate(&z, OBJECT_MAX).unwrap();
            let mut want = format!("blob {}\0", data.len()).into_bytes();
            want.extend_from_slice(&data);
            assert!(out == want);
            assert!(inflate(&z[..z.len() / 2], OBJECT_MAX).is_none());
            assert!(inflate(&z, want.len() - 1).is_none());
        }
        // A stored block by hand: header, LEN, NLEN, then Adler-32 ("abc").
        let s = [
            0x78, 0x01, 0x01, 3, 0, !3u8, 0xff, b'a', b'b', b'c', 0x02, 0x4d, 0x01, 0x27,
        ];
        assert_eq!(inflate(&s, 10).unwrap(), b"abc");
        // What follows a stream (a pack's next entry) is not read.
        let mut more = s.to_vec();
        more.extend_from_slice(b"next entry");
        assert_eq!(inflate(&more, 10).unwrap(), b"abc");
        // A wrong LEN/NLEN pair, a wrong or missing checksum: zlib refuses them.
        let bad = [
            0x78, 0x01, 0x01, 3, 0, 3, 0xff, b'a', b'b', b'c', 0x02, 0x4d, 0x01, 0x27,
        ];
        assert!(inflate(&bad, 10).is_none());
        assert!(inflate(&s[..s.len() - 1], 10).is_none());
        let mut wrong = s;
        wrong[13] ^= 1;
        assert!(inflate(&wrong, 10).is_none());
    }

    #[test]
    fn loose_objects_are_true_or_forged() {
        let (_t, r) = repo();
        let id = git(&r, &["rev-parse", "HEAD:Makefile"]);
        let p = r.join(format!(".git/objects/{}/{}", &id[..2], &id[2..]));
        let raw: Vec<u8> = (0..20)
            .map(|i| u8::from_str_radix(&id[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        assert!(loose_is_true(&std::fs::read(&p).unwrap(), &raw));
        let other = zlib(b"lint:\n\tplanted\n");
        assert!(!loose_is_true(&other, &raw));
        // In a store: only what changed since the clock is read.
        let mut budget = VERIFY_BYTES;
        let c = check_store(
            &r.join(".git/objects"),
            None,
            Recorded::default(),
            false,
            &mut budget,
            later(),
        );
        assert!(c.forged.is_empty() && c.unchecked.is_empty(), "{c:?}");
        let mut perm = std::fs::metadata(&p).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o644);
        std::fs::set_permissions(&p, perm).unwrap();
        std::fs::write(&p, &other).unwrap();
        let c = check_store(
            &r.join(".git/objects"),
            None,
            Recorded::default(),
            false,
            &mut budget,
            later(),
        );
        assert_eq!(c.forged.len(), 1, "{c:?}");
        assert_eq!(c.forged[0].0, p);
        let far = Some((i64::MAX, 0));
        let c = check_store(
            &r.join(".git/objects"),
            far,
            SAME,
            false,
            &mut budget,
            later(),
        );
        assert!(c.forged.is_empty(), "{c:?}");
        // A store the run made unreadable is said to be unchecked.
        let objects = r.join(".git/objects");
        let mode = |m: u32| {
            let mut perm = std::fs::metadata(&objects).unwrap().permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut perm, m);
            std::fs::set_permissions(&objects, perm).unwrap();
        };
        if unsafe { libc::geteuid() } != 0 {
            mode(0o000);
            let c = check_store(
                &objects,
                None,
                Recorded::default(),
                false,
                &mut budget,
                later(),
            );
            mode(0o755);
            assert!(!c.unchecked.is_empty(), "{c:?}");
        }
        // SHA-256 stores are said to be unchecked.
        let long = r.join(".git/objects/ab").join("c".repeat(62));
        std::fs::create_dir_all(long.parent().unwrap()).unwrap();
        std::fs::write(&long, &other).unwrap();
        let c = check_store(
            &r.join(".git/objects"),
            None,
            Recorded::default(),
            true,
            &mut budget,
            later(),
        );
        assert!(c.forged.is_empty() && !c.unchecked.is_empty(), "{c:?}");
    }

    fn pack_of(r: &Path) -> (PathBuf, PathBuf) {
        let d = r.join(".git/objects/pack");
        let idx = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension() == Some("idx".as_ref()))
            .unwrap();
        (idx.clone(), idx.with_extension("pack"))
    }

    #[test]
    fn packs_git_writes_verify_and_forged_ones_do_not() {
        let (_t, r) = repo();
        // Deltas by offset (gc) and by id (index-pack of a thin-less
        // stream with ref deltas), index versions 2 and 1.
        for args in [
            &["gc", "-q", "--aggressive"][..],
            &[
                "-c",
                "pack.indexVersion=1",
                "repack",
                "-a",
                "-d",
                "-q",
                "-f",
            ][..],
            &[
                "-c",
                "repack.useDeltaBaseOffset=false",
                "repack",
                "-a",
                "-d",
                "-q",
                "-f",
            ][..],
        ] {
            git(&r, args);
            let (idx, pack) = pack_of(&r);
            let (i, p) = (std::fs::read(&idx).unwrap(), std::fs::read(&pack).unwrap());
            assert_eq!(verify_pack(&i, &p, later()), Ok(()), "{args:?}");
            assert!(idx_entries(&i).unwrap().len() > 100);
        }
        let (idx, pack) = pack_of(&r);
        let (i, p) = (std::fs::read(&idx).unwrap(), std::fs::read(&pack).unwrap());
        // The same pack with another blob's id in the place of one: the
        // index says the Makefile's id lies where another object lies.
        let mut e = idx_entries(&i).unwrap();
        e.sort_by_key(|x| x.1);
        let mk = git(&r, &["rev-parse", "HEAD:Makefile"]);
        let at = i.windows(20).position(|w| hex(w) == mk).unwrap();
        let mut forged = i.clone();
        let other = e.iter().find(|x| hex(&x.0) != mk).unwrap().0;
        forged[at..at + 20].copy_from_slice(&other);
        assert!(matches!(
            verify_pack(&forged, &p, later()),
            Err(Refused::Forged(_))
        ));
        // A byte of the pack changed in an object's stream.
        let mut bad = p.clone();
        let n = bad.len();
        bad[n / 2] ^= 0x55;
        assert!(verify_pack(&i, &bad, later()).is_err());
        // In a store: the changed pack and its index are forged; its
        // reverse index is a cache.
        std::fs::write(pack.with_extension("rev"), b"RIDX").unwrap();
        let mut budget = VERIFY_BYTES;
        let c = check_store(
            &r.join(".git/objects"),
            None,
            Recorded::default(),
            false,
            &mut budget,
            later(),
        );
        assert!(c.forged.is_empty(), "{c:?}");
        assert_eq!(c.caches, vec![pack.with_extension("rev")]);
        std::fs::write(&idx, &forged).unwrap();
        let c = check_store(
            &r.join(".git/objects"),
            None,
            Recorded::default(),
            false,
            &mut budget,
            later(),
        );
        assert_eq!(
            c.forged.iter().map(|f| f.0.clone()).collect::<Vec<_>>(),
            vec![idx.clone(), pack.clone()],
            "{c:?}"
        );
        let mut small = 10;
        let c = check_store(
            &r.join(".git/objects"),
            None,
            Recorded::default(),
            false,
            &mut small,
            later(),
        );
        assert!(c.forged.is_empty() && !c.unchecked.is_empty(), "{c:?}");
    }

    #[test]
    fn sha1_in_pieces_is_sha1() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 + i / 3) as u8).collect();
        for cut in [0, 1, 55, 56, 63, 64, 65, 1000, 9999, 10_000] {
            let mut h = Sha1::new();
            h.update(&data[..cut]);
            h.update(&data[cut..]);
            assert_eq!(h.finish(), crate::index::sha1(&data), "{cut}");
        }
    }

    /// A change time after every file of `r` was made.
    fn clock_after(r: &Path) -> Option<(i64, i64)> {
        use std::os::unix::fs::MetadataExt;
        std::thread::sleep(std::time::Duration::from_millis(20));
        let t = r.join("clock");
        std::fs::write(&t, "").unwrap();
        let m = std::fs::metadata(&t).unwrap();
        std::fs::remove_file(&t).unwrap();
        Some((m.ctime(), m.ctime_nsec()))
    }

    #[test]
    fn a_pack_git_freshened_is_hashed_not_inflated() {
        let (_t, r) = repo();
        git(&r, &["gc", "-q"]);
        let (idx, pack) = pack_of(&r);
        let since = clock_after(&r);
        // git's freshening: a new modification (and change) time.
        let now = std::time::SystemTime::now();
        std::fs::File::options()
            .write(true)
            .open(&pack)
            .or_else(|_| {
                let mut perm = std::fs::metadata(&pack).unwrap().permissions();
                std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o644);
                std::fs::set_permissions(&pack, perm)?;
                std::fs::File::options().write(true).open(&pack)
            })
            .unwrap()
            .set_modified(now)
            .unwrap();
        let mut none = 0;
        let c = check_store(
            &r.join(".git/objects"),
            since,
            SAME,
            false,
            &mut none,
            later(),
        );
        assert!(
            c.forged.is_empty() && c.unchecked.is_empty() && c.caches.is_empty(),
            "{c:?}"
        );
        // Rewritten in place under the unchanged index: verified, and
        // found out.
        let mut b = std::fs::read(&pack).unwrap();
        let n = b.len();
        b[n / 2] ^= 0x55;
        std::fs::write(&pack, &b).unwrap();
        let mut budget = VERIFY_BYTES;
        let c = check_store(
            &r.join(".git/objects"),
            since,
            SAME,
            false,
            &mut budget,
            later(),
        );
        assert_eq!(c.forged.len(), 2, "{c:?}");
        assert!(c.forged.iter().any(|f| f.0 == idx));
    }

    /// exec18 F2: a fan-out directory staged with a forged object before
    /// the clock and renamed into place after it: the object's own change
    /// time is old, its directory's is not.
    #[test]
    fn objects_in_a_directory_renamed_into_place_are_verified() {
        let (_t, r) = repo();
        let id = git(&r, &["rev-parse", "HEAD:Makefile"]);
        let objects = r.join(".git/objects");
        let fan = objects.join(&id[..2]);
        let stage = objects.join("incoming-stage");
        std::fs::create_dir_all(stage.join(&id[..2])).unwrap();
        for e in std::fs::read_dir(&fan).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), stage.join(&id[..2]).join(e.file_name())).unwrap();
        }
        let forged = stage.join(&id[..2]).join(&id[2..]);
        let mut perm = std::fs::metadata(&forged).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o644);
        std::fs::set_permissions(&forged, perm).unwrap();
        std::fs::write(&forged, zlib(b"lint:\n\tplanted\n")).unwrap();
        let since = clock_after(&r);
        let mut budget = VERIFY_BYTES;
        let c = check_store(&objects, since, SAME, false, &mut budget, later());
        assert!(c.forged.is_empty(), "{c:?}");
        std::fs::rename(&fan, objects.join("incoming-old")).unwrap();
        std::fs::rename(stage.join(&id[..2]), &fan).unwrap();
        let c = check_store(&objects, since, SAME, false, &mut budget, later());
        assert_eq!(c.forged.len(), 1, "{c:?}");
        assert_eq!(c.forged[0].0, fan.join(&id[2..]));
        // A store, or a `pack` directory, not recorded at its path: all
        // of it is verified (here a forged index made before the clock).
        git(&r, &["gc", "-q"]);
        let (idx, _) = pack_of(&r);
        let mut i = std::fs::read(&idx).unwrap();
        let n = i.len();
        i[n / 2] ^= 0x55;
        std::fs::write(&idx, &i).unwrap();
        let since = clock_after(&r);
        let c = check_store(&objects, since, SAME, false, &mut budget, later());
        assert!(c.forged.is_empty(), "{c:?}");
        for moved in [
            Recorded {
                store: true,
                pack: false,
            },
            Recorded {
                store: false,
                pack: true,
            },
        ] {
            let mut budget = VERIFY_BYTES;
            let c = check_store(&objects, since, moved, false, &mut budget, later());
            assert!(c.forged.iter().any(|f| f.0 == idx), "{moved:?}: {c:?}");
        }
    }

    #[test]
    fn deltas_apply_as_git_applies_them() {
        let base = b"0123456789";
        // Sizes 10 -> 7: copy 4 bytes from offset 2, insert "xyz".
        let d = [10, 7, 0x80 | 0x01 | 0x10, 2, 4, 3, b'x', b'y', b'z'];
        assert_eq!(apply_delta(base, &d).unwrap(), b"2345xyz");
        // Wrong base size, copy past the base, result size, opcode 0.
        assert!(apply_delta(base, &[9, 7, 0x91, 2, 4, 3, b'x', b'y', b'z']).is_none());
        assert!(apply_delta(base, &[10, 4, 0x91, 8, 4]).is_none());
        assert!(apply_delta(base, &[10, 8, 0x91, 2, 4, 3, b'x', b'y', b'z']).is_none());
        assert!(apply_delta(base, &[10, 1, 0]).is_none());
    }
}
