//! What the run did to the refs of the repositories the helper knows.
//!
//! Refs stay writable in the run (a commit, a fetch, `git stash` need
//! them), so a command can re-point what the user later checks out with no
//! trace in `git status` or `git diff`: a tag moved to a twin commit (same
//! message, author and dates, one more line in `Makefile`), the user's
//! stash dropped and re-pushed with the same message, a branch other than
//! the checked-out one, `ORIG_HEAD`, a remote-tracking ref. The values of
//! every ref (loose and packed), `ORIG_HEAD` and the entries of the stash
//! (its reflog) are read while the run is planned and again after it; the
//! report lists each that changed, appeared or disappeared, with old and
//! new values.
//!
//! The reflogs (`logs/HEAD`, `logs/refs/**`) are compared too: `git
//! checkout -` (`@{-1}`) and `HEAD@{n}` read them, so an entry the run
//! appends aims them at a commit of its choice. Appended entries git could
//! have written (each one's old value the previous entry's new one, the
//! last one's new value the ref's value now) are listed; otherwise the
//! appended bytes are cut off again and listed as removed. A reflog
//! rewritten or removed (as `git reflog expire`, `git branch -D` do) is
//! listed.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

pub use crate::report::RefChange;

/// Entries (refs and directories) read below `refs/` per repository;
/// past it the comparison is incomplete.
pub const REFS_LIMIT: usize = 100_000;

/// Levels of directories below `refs/`.
const MAX_DEPTH: usize = 32;

/// Bytes read of a loose ref (an id or `ref: NAME`) and of the stash's
/// reflog and `packed-refs`.
const LOOSE_MAX: u64 = 4096;
const FILE_MAX: u64 = 64 << 20;

/// Pseudo-refs of the git dir the comparison covers besides `refs/`.
/// `FETCH_HEAD` (its first line: what `git merge FETCH_HEAD` and `git
/// checkout FETCH_HEAD` take) is one.
const PSEUDO_REFS: &[&str] = &["ORIG_HEAD", "FETCH_HEAD"];

/// The refs of one git dir.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Refs {
    /// Name (`refs/tags/v1.0`, `ORIG_HEAD`) to value (an object id, or
    /// `ref: NAME` for a symbolic ref); a loose ref overrides a packed one.
    pub values: BTreeMap<String, String>,
    /// The stash's entries, newest first (`stash@{0}` …): id and message.
    pub stash: Vec<(String, String)>,
    /// Why the refs could not all be read (a `reftable/` store, a bound).
    pub incomplete: Option<String>,
    /// The first line of `HEAD`.
    pub head: Option<String>,
    /// The reflogs, by the name of their ref (`HEAD`, `refs/heads/main`);
    /// the stash's is read into [`Refs::stash`].
    pub reflogs: BTreeMap<String, Reflog>,
}

/// A reflog as read: enough to tell what was appended to it later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reflog {
    /// Its length in bytes.
    pub len: u64,
    /// The SHA-1 of its bytes.
    pub digest: [u8; 20],
    /// How many entries (lines) it holds.
    pub entries: usize,
    /// The new value of its last entry, if that entry is a whole line.
    pub last_new: Option<String>,
    /// It is empty or ends with a new line.
    pub whole: bool,
}

/// Read the refs of git dir `g`.
pub fn read(g: &Path) -> Refs {
    let mut out = Refs::default();
    if g.join("reftable").is_dir() {
        out.incomplete = Some("its refs are in a reftable store, which is not read".into());
        return out;
    }
    if let Some(bytes) = read_bytes(&g.join("packed-refs"), FILE_MAX) {
        read_packed(&bytes, &mut out);
    }
    let mut count = 0usize;
    let refs = g.join("refs");
    match fs::symlink_metadata(&refs) {
        Ok(m) if m.is_dir() => walk(g, &refs, 0, &mut count, &mut out),
        Ok(m) if m.file_type().is_symlink() => {
            // Not followed: named by its target.
            let t = fs::read_link(&refs).unwrap_or_default();
            out.values
                .insert("refs".into(), format!("link to {}", t.display()));
        }
        _ => {}
    }
    for p in PSEUDO_REFS {
        if let Some(v) = read_bytes(&g.join(p), FILE_MAX) {
            // `git merge FETCH_HEAD` takes every line not marked
            // `not-for-merge`, not the first only.
            let value = if *p == "FETCH_HEAD" {
                fetch_head_value(&v)
            } else {
                ref_value(&v)
            };
            out.values.insert((*p).to_string(), value);
        }
    }
    if let Some(bytes) = read_bytes(&g.join("logs/refs/stash"), FILE_MAX) {
        out.stash = stash_entries(&bytes);
    }
    out.head = read_bytes(&g.join("HEAD"), LOOSE_MAX).map(|v| ref_value(&v));
    read_reflogs(g, &mut out);
    out
}

/// Whether `s` is an object id as git writes it (40 or 64 lowercase hex
/// digits).
fn is_id(s: &[u8]) -> bool {
    (s.len() == 40 || s.len() == 64) && s.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether `s` is a ref name as it may stand in `packed-refs`: below
/// `refs/`, printable ASCII or UTF-8 with no space or control byte.
fn is_ref_name(s: &[u8]) -> bool {
    s.starts_with(b"refs/")
        && std::str::from_utf8(s).is_ok()
        && s.iter().all(|&b| b > b' ' && b != 0x7f)
}

/// `sha1 HEX` of `b`, which names a file's content in a value.
fn digest_hex(b: &[u8]) -> String {
    let mut s = String::from("sha1 ");
    for x in digest(b) {
        s.push_str(&format!("{x:02x}"));
    }
    s
}

/// Read `packed-refs` (`bytes`) into `out.values`. Git trusts the file's
/// form: with the `sorted` trait it finds a name by binary search, so a
/// name written twice resolves to whichever record the search lands in,
/// and a record out of order may not be found at all; a line it does not
/// expect ends its reading. Where the file is not in the form git writes
/// (its header first if any, then `ID NAME` lines in strictly ascending
/// order of name, each followed by at most one `^ID` line, a new line at
/// the end), a reading here may differ from git's: then each name's value
/// holds every id written for it and the digest of the whole file, so
/// that any change the run makes to such a file changes every name it
/// holds (listed), and `packed-refs` itself is listed as a value.
fn read_packed(bytes: &[u8], out: &mut Refs) {
    let mut odd: Option<&str> = None;
    let mut records: Vec<(&[u8], &[u8])> = Vec::new();
    let body = match bytes.strip_suffix(b"\n") {
        Some(b) => b,
        None if bytes.is_empty() => b"",
        None => {
            odd.get_or_insert("no new line at its end");
            bytes
        }
    };
    let mut after_ref = false;
    for (i, line) in body.split(|&c| c == b'\n').enumerate() {
        if body.is_empty() {
            break;
        }
        if i == 0 && line.starts_with(b"# pack-refs with:") {
            continue;
        }
        if let Some(peel) = line.strip_prefix(b"^") {
            if !after_ref || !is_id(peel) {
                odd.get_or_insert("a peel line where git writes none");
            }
            after_ref = false;
            continue;
        }
        after_ref = false;
        let Some(sp) = line.iter().position(|&c| c == b' ') else {
            odd.get_or_insert("a line git does not write");
            continue;
        };
        let (id, name) = (&line[..sp], &line[sp + 1..]);
        if !is_id(id) || !is_ref_name(name) {
            odd.get_or_insert("a line git does not write");
        }
        if let Some((last, _)) = records.last() {
            if name <= *last {
                odd.get_or_insert(if name == *last {
                    "a name written twice"
                } else {
                    "names out of order"
                });
            }
        }
        records.push((name, id));
        after_ref = true;
    }
    let Some(why) = odd else {
        for (name, id) in records {
            out.values.insert(
                String::from_utf8_lossy(name).into_owned(),
                String::from_utf8_lossy(id).into_owned(),
            );
        }
        return;
    };
    let d = digest_hex(bytes);
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, id) in records {
        let v = ids
            .entry(String::from_utf8_lossy(name).into_owned())
            .or_default();
        let id = String::from_utf8_lossy(id).into_owned();
        if !v.contains(&id) {
            v.push(id);
        }
    }
    for (name, v) in ids {
        out.values.insert(
            name,
            format!(
                "{} (packed-refs not in git's form: {why}; {d})",
                v.join(" or ")
            ),
        );
    }
    out.values.insert(
        "packed-refs".into(),
        format!("not in git's form: {why}; {d}"),
    );
}

/// A loose ref's value (also `HEAD`, `ORIG_HEAD`): its one line when
/// the file is that line and a new line, as git writes it; else its first
/// line and the digest of the whole file (git reads past a first line in
/// some forms, trims what it does not take, and finds no value in others:
/// any change then shows).
fn ref_value(bytes: &[u8]) -> String {
    let line = bytes.strip_suffix(b"\n").unwrap_or(b"");
    let plain = |l: &[u8]| {
        is_id(l)
            || l.strip_prefix(b"ref: ")
                .is_some_and(|n| n.len() <= 256 && (n == b"HEAD" || is_ref_name(n)))
    };
    if plain(line) {
        return String::from_utf8_lossy(line).into_owned();
    }
    format!(
        "{} (not in git's form; {})",
        first_line(&String::from_utf8_lossy(bytes)),
        digest_hex(bytes)
    )
}

/// `FETCH_HEAD`'s value: its first line, and when it holds more (each a
/// branch `git merge FETCH_HEAD` may merge) their count and the digest of
/// the whole file.
fn fetch_head_value(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines = text.lines().count();
    if lines <= 1 && (bytes.is_empty() || bytes.ends_with(b"\n")) {
        return first_line(&text);
    }
    format!(
        "{} (+{} more lines; {})",
        first_line(&text),
        lines.saturating_sub(1),
        digest_hex(bytes)
    )
}

/// The stash's entries from its reflog (`bytes`), newest first. Git
/// skips a line that is not an entry in its form (`OLD NEW IDENT`, then
/// a tab and the message if any, ended by a new line) and counts `stash@{n}` over the others; such
/// lines make one more entry here, named by the digest of the whole
/// reflog, so that a change to a reflog holding them shows.
fn stash_entries(bytes: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut odd = !(bytes.is_empty() || bytes.ends_with(b"\n"));
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    if !body.is_empty() {
        // The reflog is oldest first; `stash@{0}` is its last line.
        for line in body.split(|&c| c == b'\n').rev() {
            let mut words = line.splitn(3, |&c| c == b' ');
            let (Some(o), Some(n), Some(rest)) = (words.next(), words.next(), words.next()) else {
                odd = true;
                continue;
            };
            if !is_id(o) || !is_id(n) || rest.is_empty() {
                odd = true;
                continue;
            }
            let line = String::from_utf8_lossy(line);
            let msg = line.split_once('\t').map(|(_, m)| m).unwrap_or("");
            out.push((String::from_utf8_lossy(n).into_owned(), msg.to_string()));
        }
    }
    if odd {
        out.push((
            format!("lines not in git's form ({})", digest_hex(bytes)),
            String::new(),
        ));
    }
    out
}

/// Read the reflogs of git dir `g` into `out.reflogs`: `logs/HEAD` and
/// the files below `logs/refs` (not the stash's), reached through no
/// link.
fn read_reflogs(g: &Path, out: &mut Refs) {
    let logs = g.join("logs");
    if !fs::symlink_metadata(&logs).is_ok_and(|m| m.is_dir()) {
        return;
    }
    if let Some(r) = read_reflog(&logs.join("HEAD")) {
        out.reflogs.insert("HEAD".into(), r);
    }
    let mut count = 0usize;
    let mut stack = vec![(logs.join("refs"), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let Ok(rd) = fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            count += 1;
            if count > REFS_LIMIT || depth >= MAX_DEPTH {
                out.incomplete.get_or_insert_with(|| {
                    format!("more than {REFS_LIMIT} reflogs or deeper than {MAX_DEPTH} levels")
                });
                return;
            }
            let p = e.path();
            let Ok(m) = fs::symlink_metadata(&p) else {
                continue;
            };
            if m.is_dir() {
                stack.push((p, depth + 1));
                continue;
            }
            let Ok(rel) = p.strip_prefix(&logs) else {
                continue;
            };
            let name = rel.to_string_lossy().into_owned();
            if name == "refs/stash" || !m.is_file() {
                continue;
            }
            match read_reflog(&p) {
                Some(r) => {
                    out.reflogs.insert(name, r);
                }
                None => {
                    out.incomplete
                        .get_or_insert_with(|| format!("the reflog {name} cannot be read whole"));
                }
            }
        }
    }
}

/// A reflog's [`Reflog`], or `None` when it is missing, not a regular
/// file or longer than [`FILE_MAX`].
fn read_reflog(p: &Path) -> Option<Reflog> {
    let bytes = read_bytes(p, FILE_MAX + 1)?;
    if bytes.len() as u64 > FILE_MAX {
        return None;
    }
    let text = String::from_utf8_lossy(&bytes);
    let whole = bytes.is_empty() || bytes.ends_with(b"\n");
    let last_new = text
        .lines()
        .next_back()
        .filter(|_| whole)
        .and_then(|l| l.split(' ').nth(1))
        .map(str::to_string);
    Some(Reflog {
        len: bytes.len() as u64,
        digest: digest(&bytes),
        entries: text.lines().count(),
        last_new,
        whole,
    })
}

fn digest(b: &[u8]) -> [u8; 20] {
    <sha1::Sha1 as sha1::Digest>::digest(b).into()
}

/// A regular file's bytes (at most `max`), read with no link followed in
/// its last component and without blocking on a FIFO.
fn read_bytes(p: &Path, max: u64) -> Option<Vec<u8>> {
    let f = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(p)
        .ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut buf = Vec::new();
    f.take(max).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// What the run did to the reflogs of git dir `g`.
#[derive(Debug, Default)]
pub struct ReflogChanges {
    /// Entries the run added that git could have written (`HEAD@{0}`,
    /// newest first), and reflogs rewritten, made or removed.
    pub listed: Vec<RefChange>,
    /// Entries the run appended that git would not have written, cut off
    /// again.
    pub removed: Vec<RefChange>,
    /// Reflogs whose appended entries could not be cut off, and why.
    pub failed: Vec<String>,
}

/// Compare the reflogs of git dir `g` before and after the run (see the
/// module's documentation), cutting off what git would not have written.
pub fn reflog_changes(g: &Path, before: &Refs, after: &Refs) -> ReflogChanges {
    let git_dir = g.display().to_string();
    let mut out = ReflogChanges::default();
    let names: std::collections::BTreeSet<&String> =
        before.reflogs.keys().chain(after.reflogs.keys()).collect();
    let change = |name: String, old: Option<String>, new: Option<String>| RefChange {
        git_dir: git_dir.clone(),
        name,
        old,
        new,
    };
    let empty = Reflog {
        len: 0,
        digest: digest(b""),
        entries: 0,
        last_new: None,
        whole: true,
    };
    for name in names {
        let (old, new) = (before.reflogs.get(name), after.reflogs.get(name));
        if old == new {
            continue;
        }
        let Some(new) = new else {
            out.listed.push(change(
                format!("{name}@{{reflog}}"),
                old.map(|o| count(o.entries)),
                None,
            ));
            continue;
        };
        let old = old.unwrap_or(&empty);
        let path = g.join("logs").join(name);
        let bytes = read_bytes(&path, FILE_MAX).unwrap_or_default();
        let appended = (new.len > old.len
            && old.whole
            && bytes.len() as u64 == new.len
            && digest(&bytes[..old.len as usize]) == old.digest)
            .then(|| String::from_utf8_lossy(&bytes[old.len as usize..]).into_owned());
        let Some(appended) = appended else {
            out.listed.push(change(
                format!("{name}@{{reflog}}"),
                Some(count(old.entries)),
                Some(format!("{}, rewritten", count(new.entries))),
            ));
            continue;
        };
        // The ref's value now: what the last entry git writes names.
        let value = if name == "HEAD" {
            match after.head.as_deref() {
                Some(h) => match h.strip_prefix("ref: ") {
                    Some(target) => after.values.get(target.trim()).cloned(),
                    None => Some(h.to_string()),
                },
                None => None,
            }
        } else {
            after.values.get(name).cloned()
        };
        let mut prev = old.last_new.clone();
        let mut entries = Vec::new();
        let mut consistent = appended.ends_with('\n');
        for line in appended.lines() {
            let mut w = line.split(' ');
            let (Some(o), Some(n)) = (w.next(), w.next()) else {
                consistent = false;
                break;
            };
            let id = |s: &str| {
                (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
            };
            if !id(o) || !id(n) || prev.as_deref().is_some_and(|p| p != o) {
                consistent = false;
            }
            prev = Some(n.to_string());
            let msg = line.split_once('\t').map(|(_, m)| m).unwrap_or("");
            entries.push(format!("{n} {}", first_line(msg)));
        }
        if prev != value {
            consistent = false;
        }
        if consistent {
            let k = entries.len();
            for (i, e) in entries.into_iter().enumerate() {
                out.listed
                    .push(change(format!("{name}@{{{}}}", k - 1 - i), None, Some(e)));
            }
            continue;
        }
        let entries: Vec<String> = appended.lines().map(first_line).collect();
        match truncate_reflog(g, name, old) {
            Ok(()) => out.removed.extend(
                entries
                    .into_iter()
                    .map(|e| change(format!("{name}@{{removed}}"), None, Some(e))),
            ),
            Err(why) => {
                out.failed.push(format!("{} in {git_dir} ({why})", name));
                out.listed.extend(
                    entries
                        .into_iter()
                        .map(|e| change(format!("{name}@{{appended}}"), None, Some(e))),
                );
            }
        }
    }
    out
}

/// `N entries` (`1 entry`).
fn count(n: usize) -> String {
    if n == 1 {
        "1 entry".into()
    } else {
        format!("{n} entries")
    }
}

/// Cut reflog `name` of `g` back to what it was (`old`), reached through
/// no link, after checking that it still begins with those bytes.
fn truncate_reflog(g: &Path, name: &str, old: &Reflog) -> Result<(), String> {
    let mut dir = g.join("logs");
    let rel = Path::new(name);
    let mut parts: Vec<_> = rel.components().collect();
    let file = parts.pop().ok_or("no name")?;
    for c in std::iter::once(None).chain(parts.into_iter().map(Some)) {
        if let Some(c) = c {
            dir.push(c);
        }
        if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            return Err(format!("{} is not a directory", dir.display()));
        }
    }
    let p = dir.join(file);
    let mut f = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(&p)
        .map_err(|e| e.to_string())?;
    if !f.metadata().map_err(|e| e.to_string())?.is_file() {
        return Err("not a regular file".into());
    }
    let mut buf = Vec::new();
    (&mut f)
        .take(old.len)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() as u64 != old.len || digest(&buf) != old.digest {
        return Err("its earlier entries changed too".into());
    }
    f.set_len(old.len).map_err(|e| e.to_string())
}

fn walk(g: &Path, dir: &Path, depth: usize, count: &mut usize, out: &mut Refs) {
    let Ok(rd) = fs::read_dir(dir) else {
        return;
    };
    // Entry by entry, so that memory stays within the bound whatever
    // one directory holds.
    for e in rd.flatten() {
        if *count >= REFS_LIMIT {
            out.incomplete
                .get_or_insert_with(|| format!("more than {REFS_LIMIT} refs"));
            return;
        }
        let p = e.path();
        let Ok(m) = fs::symlink_metadata(&p) else {
            continue;
        };
        if m.is_dir() {
            *count += 1;
            if depth + 1 >= MAX_DEPTH {
                out.incomplete
                    .get_or_insert_with(|| format!("refs deeper than {MAX_DEPTH} levels"));
                continue;
            }
            walk(g, &p, depth + 1, count, out);
            continue;
        }
        *count += 1;
        let Ok(rel) = p.strip_prefix(g) else {
            continue;
        };
        let name = rel.to_string_lossy().into_owned();
        if name.ends_with(".lock") {
            continue;
        }
        let value = if m.file_type().is_symlink() {
            fs::read_link(&p)
                .ok()
                .map(|t| format!("link to {}", t.display()))
        } else if m.is_file() {
            read_bytes(&p, LOOSE_MAX).map(|v| ref_value(&v))
        } else {
            None
        };
        if let Some(v) = value {
            out.values.insert(name, v);
        }
    }
}

/// A ref file's value: its first line, at most 256 bytes (a ref holds
/// one line; what else a file there holds is not copied to the report).
fn first_line(v: &str) -> String {
    let l = v.lines().next().unwrap_or("").trim();
    let mut end = l.len().min(256);
    while !l.is_char_boundary(end) {
        end -= 1;
    }
    l[..end].to_string()
}

/// Read the refs of every git dir in `dirs`.
pub fn read_all(dirs: &[PathBuf]) -> BTreeMap<PathBuf, Refs> {
    dirs.iter().map(|g| (g.clone(), read(g))).collect()
}

/// What changed between `before` and `after` for git dir `g`: every ref
/// whose value changed, appeared or disappeared, and every stash entry
/// that is gone or new (a dropped and re-pushed stash with the same
/// message is both).
pub fn changes(g: &Path, before: &Refs, after: &Refs) -> Vec<RefChange> {
    let git_dir = g.display().to_string();
    let mut out = Vec::new();
    // `HEAD` itself: a branch switch at the same commit changes no ref's
    // value, but the user's next commit, pull or push acts on another
    // branch; a detached `HEAD` (a checked-out tag, a submodule, a linked
    // worktree's `worktrees/NAME/HEAD`) names a commit no other ref guards,
    // moved to a twin commit with the files to match.
    if before.head != after.head {
        out.push(RefChange {
            git_dir: git_dir.clone(),
            name: "HEAD".into(),
            old: before.head.clone(),
            new: after.head.clone(),
        });
    }
    let names: std::collections::BTreeSet<&String> =
        before.values.keys().chain(after.values.keys()).collect();
    for name in names {
        let (old, new) = (before.values.get(name), after.values.get(name));
        if old != new {
            out.push(RefChange {
                git_dir: git_dir.clone(),
                name: name.clone(),
                old: old.cloned(),
                new: new.cloned(),
            });
        }
    }
    let ids = |s: &[(String, String)]| -> Vec<String> { s.iter().map(|e| e.0.clone()).collect() };
    let (was, is) = (ids(&before.stash), ids(&after.stash));
    for (i, (id, msg)) in before.stash.iter().enumerate() {
        if !is.contains(id) {
            out.push(RefChange {
                git_dir: git_dir.clone(),
                name: format!("stash@{{{i}}}"),
                old: Some(format!("{id} {msg}")),
                new: None,
            });
        }
    }
    for (i, (id, msg)) in after.stash.iter().enumerate() {
        if !was.contains(id) {
            out.push(RefChange {
                git_dir: git_dir.clone(),
                name: format!("stash@{{{i}}}"),
                old: None,
                new: Some(format!("{id} {msg}")),
            });
        }
    }
    // The entries kept in another order (or one written twice more or
    // fewer times): `git stash pop` takes another.
    let kept = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter().filter(|x| b.contains(x)).cloned().collect()
    };
    let (old_order, new_order) = (kept(&was, &is), kept(&is, &was));
    if old_order != new_order {
        out.push(RefChange {
            git_dir: git_dir.clone(),
            name: "stash@{order}".into(),
            old: Some(old_order.join(" ")),
            new: Some(new_order.join(" ")),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(p: &Path, s: &str) {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, s).unwrap();
    }

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";
    const C: &str = "3333333333333333333333333333333333333333";

    #[test]
    fn changed_added_and_removed_refs_and_stash_entries_are_listed() {
        let t = tempfile::tempdir().unwrap();
        let g = t.path();
        write(&g.join("HEAD"), "ref: refs/heads/main\n");
        write(&g.join("refs/heads/main"), &format!("{A}\n"));
        write(
            &g.join("packed-refs"),
            &format!("# pack-refs with: peeled fully-peeled sorted\n{A} refs/remotes/origin/main\n{A} refs/tags/v1.0\n^{B}\n"),
        );
        write(&g.join("refs/stash"), &format!("{A}\n"));
        write(
            &g.join("logs/refs/stash"),
            &format!(
                "0000000000000000000000000000000000000000 {A} U <u@x> 1 +0000\tOn main: WIP\n"
            ),
        );
        let before = read(g);
        assert_eq!(before.values["refs/tags/v1.0"], A);
        assert_eq!(before.values["refs/heads/main"], A);
        assert_eq!(
            before.stash,
            vec![(A.to_string(), "On main: WIP".to_string())]
        );
        assert!(changes(g, &before, &read(g)).is_empty());
        // A loose tag overrides the packed one; the stash is re-pushed
        // under the same message; ORIG_HEAD appears; a remote-tracking ref
        // goes.
        write(&g.join("refs/tags/v1.0"), &format!("{C}\n"));
        write(&g.join("refs/stash"), &format!("{B}\n"));
        write(
            &g.join("logs/refs/stash"),
            &format!(
                "0000000000000000000000000000000000000000 {B} U <u@x> 2 +0000\tOn main: WIP\n"
            ),
        );
        write(&g.join("ORIG_HEAD"), &format!("{A}\n"));
        write(&g.join("packed-refs"), &format!("{A} refs/tags/v1.0\n"));
        write(&g.join("refs/tags/v2.lock"), "x");
        let after = read(g);
        let c = changes(g, &before, &after);
        let got: Vec<(String, Option<String>, Option<String>)> =
            c.into_iter().map(|c| (c.name, c.old, c.new)).collect();
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            got,
            vec![
                ("ORIG_HEAD".into(), None, s(A)),
                ("refs/remotes/origin/main".into(), s(A), None),
                ("refs/stash".into(), s(A), s(B)),
                ("refs/tags/v1.0".into(), s(A), s(C)),
                ("stash@{0}".into(), s(&format!("{A} On main: WIP")), None),
                ("stash@{0}".into(), None, s(&format!("{B} On main: WIP"))),
            ]
        );
    }

    /// A `packed-refs` not in the form git writes (a name twice, names
    /// out of order, a stray peel line, an unknown line) changes the value
    /// of every name it holds; loose refs, `HEAD` and `FETCH_HEAD` with
    /// more than git's one line, and a stash reordered or holding lines
    /// git skips, show too.
    #[test]
    fn files_git_may_read_otherwise_change_every_value_they_hold() {
        let t = tempfile::tempdir().unwrap();
        let g = t.path();
        let h = "# pack-refs with: peeled fully-peeled sorted\n";
        write(&g.join("HEAD"), "ref: refs/heads/main\n");
        write(
            &g.join("packed-refs"),
            &format!("{h}{A} refs/heads/main\n{A} refs/tags/v1.0\n"),
        );
        write(
            &g.join("FETCH_HEAD"),
            &format!("{A}\t\tbranch 'main' of x\n"),
        );
        let stash = |ids: &[&str]| -> String {
            ids.iter()
                .map(|i| format!("{A} {i} U <u@x> 1 +0000\tOn main: {i}\n"))
                .collect()
        };
        write(&g.join("logs/refs/stash"), &stash(&[B, C]));
        let before = read(g);
        assert_eq!(before.values["refs/tags/v1.0"], A);
        assert!(!before.values.contains_key("packed-refs"));
        let names = |after: &Refs| -> Vec<String> {
            changes(g, &before, after)
                .into_iter()
                .map(|c| c.name)
                .collect()
        };
        let forms = [
            format!("{h}{B} refs/heads/main\n^{B}\n{A} refs/heads/main\n{B} refs/tags/v1.0\n^{B}\n{A} refs/tags/v1.0\n"),
            format!("{h}{A} refs/tags/v1.0\n{A} refs/heads/main\n"),
            format!("{h}^{B}\n{A} refs/heads/main\n{A} refs/tags/v1.0\n"),
            format!("{h}{A} refs/heads/main\n{A} refs/tags/v1.0\nx\n"),
            format!("{h}{A} refs/heads/main\n{A} refs/tags/v1.0"),
        ];
        for f in &forms {
            write(&g.join("packed-refs"), f);
            assert_eq!(
                names(&read(g)),
                ["packed-refs", "refs/heads/main", "refs/tags/v1.0"],
                "{f}"
            );
        }
        // A run that changes only the order of an odd file's lines.
        write(&g.join("packed-refs"), &forms[0]);
        let odd = read(g);
        write(
            &g.join("packed-refs"),
            &format!("{h}{A} refs/heads/main\n{B} refs/heads/main\n^{B}\n{A} refs/tags/v1.0\n{B} refs/tags/v1.0\n^{B}\n"),
        );
        assert_eq!(changes(g, &odd, &read(g)).len(), 3);
        write(
            &g.join("packed-refs"),
            &format!("{h}{A} refs/heads/main\n{A} refs/tags/v1.0\n"),
        );
        assert!(names(&read(g)).is_empty());
        // Loose refs and HEAD with data after their line.
        write(&g.join("refs/tags/v1.0"), &format!("{A}\n{B}\n"));
        write(&g.join("HEAD"), "ref: refs/heads/main\n\n");
        assert_eq!(names(&read(g)), ["HEAD", "refs/tags/v1.0"]);
        fs::remove_file(g.join("refs/tags/v1.0")).unwrap();
        write(&g.join("HEAD"), "ref: refs/heads/main\n");
        // A second line in FETCH_HEAD (merged by `git merge FETCH_HEAD`).
        write(
            &g.join("FETCH_HEAD"),
            &format!("{A}\t\tbranch 'main' of x\n{C}\t\tbranch 'evil' of x\n"),
        );
        assert_eq!(names(&read(g)), ["FETCH_HEAD"]);
        write(
            &g.join("FETCH_HEAD"),
            &format!("{A}\t\tbranch 'main' of x\n"),
        );
        // The stash's entries swapped, or a line git skips added.
        write(&g.join("logs/refs/stash"), &stash(&[C, B]));
        assert_eq!(names(&read(g)), ["stash@{order}"]);
        write(
            &g.join("logs/refs/stash"),
            &format!("{}{A} x\n", stash(&[B, C])),
        );
        assert_eq!(names(&read(g)), ["stash@{2}"]);
    }

    #[test]
    fn the_bound_makes_the_comparison_incomplete() {
        let t = tempfile::tempdir().unwrap();
        let g = t.path();
        let mut out = Refs::default();
        let mut count = REFS_LIMIT - 2;
        for i in 0..5 {
            write(&g.join(format!("refs/tags/t{i}")), A);
        }
        walk(g, &g.join("refs"), 0, &mut count, &mut out);
        assert!(out.incomplete.is_some());
        assert!(out.values.len() < 5);
    }

    #[test]
    fn appended_reflog_entries_are_listed_or_cut_off() {
        let t = tempfile::tempdir().unwrap();
        let g = t.path();
        let z = "0000000000000000000000000000000000000000";
        write(&g.join("HEAD"), "ref: refs/heads/main\n");
        write(&g.join("refs/heads/main"), &format!("{A}\n"));
        let first = format!("{z} {A} U <u@x> 1 +0000\tcommit (initial): one\n");
        write(&g.join("logs/HEAD"), &first);
        write(&g.join("logs/refs/heads/main"), &first);
        let before = read(g);
        assert!(reflog_changes(g, &before, &read(g)).listed.is_empty());
        // Git's own entries: a commit moves main and HEAD.
        write(&g.join("refs/heads/main"), &format!("{B}\n"));
        let commit = format!("{A} {B} U <u@x> 2 +0000\tcommit: two\n");
        for l in ["logs/HEAD", "logs/refs/heads/main"] {
            write(&g.join(l), &format!("{first}{commit}"));
        }
        let c = reflog_changes(g, &before, &read(g));
        assert!(c.removed.is_empty() && c.failed.is_empty());
        let names: Vec<&str> = c.listed.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["HEAD@{0}", "refs/heads/main@{0}"]);
        assert_eq!(
            c.listed[0].new.as_deref(),
            Some(&*format!("{B} commit: two"))
        );
        // A forged entry (its old value is not the last new one): cut off.
        let before = read(g);
        let forged = format!("{C} {B} U <u@x> 3 +0000\tcheckout: moving from {C} to main\n");
        let text = format!("{first}{commit}{forged}");
        write(&g.join("logs/HEAD"), &text);
        let c = reflog_changes(g, &before, &read(g));
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].name, "HEAD@{removed}");
        assert_eq!(
            fs::read_to_string(g.join("logs/HEAD")).unwrap(),
            format!("{first}{commit}")
        );
        // One whose last value is not the ref's: cut off too.
        let stray = format!("{B} {C} U <u@x> 3 +0000\tcheckout: moving from main to {C}\n");
        write(&g.join("logs/HEAD"), &format!("{first}{commit}{stray}"));
        assert_eq!(reflog_changes(g, &before, &read(g)).removed.len(), 1);
        // A rewritten or removed reflog is listed, not restored.
        write(&g.join("logs/HEAD"), &commit);
        fs::remove_file(g.join("logs/refs/heads/main")).unwrap();
        let c = reflog_changes(g, &before, &read(g));
        assert!(c.removed.is_empty());
        let got: Vec<(String, Option<String>, Option<String>)> = c
            .listed
            .into_iter()
            .map(|c| (c.name, c.old, c.new))
            .collect();
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            got,
            vec![
                (
                    "HEAD@{reflog}".into(),
                    s("2 entries"),
                    s("1 entry, rewritten")
                ),
                ("refs/heads/main@{reflog}".into(), s("2 entries"), None),
            ]
        );
        assert_eq!(fs::read_to_string(g.join("logs/HEAD")).unwrap(), commit);
    }

    #[test]
    fn a_reftable_store_is_not_read() {
        let t = tempfile::tempdir().unwrap();
        fs::create_dir_all(t.path().join("reftable")).unwrap();
        assert!(read(t.path()).incomplete.is_some());
    }
}
