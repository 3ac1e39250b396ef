//! Version control systems other than git whose configuration runs
//! programs: Mercurial (and Sapling, which reads the same format), darcs,
//! Pijul and Jujutsu. A repository of theirs keeps that configuration in
//! its metadata directory (`.hg/hgrc`: `[hooks]` run before and after
//! every command, `[extensions]` are Python modules every `hg` loads),
//! where no review of the working tree looks (`hg status` never lists
//! `.hg`); the user's own configuration (`~/.hgrc`) can name hooks and
//! extensions in a writable tree, which every later `hg` anywhere runs.
//! The metadata directories are kept in place, their configuration files
//! read-only (the sweep moves aside one the run made), and what the
//! configuration of the user and of the repositories names is judged like
//! the programs git's configuration names ([`Named`]).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::git::{self, Named};

/// The metadata directories of other VCSs, and in each the files (or
/// directories) their tool reads as configuration that runs programs:
/// the filesystem guard's list, which refuses writing them.
pub use sandbox_core::guards::filesystem::later::VCS_DIRS;

/// Whether a directory named `name` is the metadata directory of a VCS of
/// [`VCS_DIRS`].
pub fn is_vcs_dir_name(name: &OsStr) -> bool {
    VCS_DIRS.iter().any(|(d, _)| name == *d)
}

/// The configuration entries of metadata directory `dir` (existing or
/// not), by [`VCS_DIRS`].
pub fn config_entries(dir: &Path) -> Vec<PathBuf> {
    let name = dir.file_name().unwrap_or_default();
    VCS_DIRS
        .iter()
        .filter(|(d, _)| name == *d)
        .flat_map(|(_, files)| files.iter().map(|f| dir.join(f)))
        .collect()
}

/// How deep `%include` is followed.
const INCLUDE_DEPTH: usize = 4;

/// What the configuration of the other VCSs names.
#[derive(Debug, Default)]
pub struct VcsConfigs {
    /// Configuration files read (and those they include), existing.
    pub files: Vec<(PathBuf, String)>,
    /// Programs, hooks and extensions they name, as [`Named`] (paths real).
    pub named: Vec<Named>,
    /// What could not be read or located: each a gap.
    pub unknown: Vec<String>,
}

/// The Mercurial and Sapling configuration of the users of `homes` (the
/// run's home first) and of the system, and darcs' user defaults:
/// `HGRCPATH` of the caller (`get`), when set, replaces Mercurial's
/// system and user files, as in hg(1) (`hgrc(5)`, "Files").
pub fn user_configs(
    homes: &[PathBuf],
    get: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> VcsConfigs {
    let mut out = VcsConfigs::default();
    let mut hg: Vec<(PathBuf, bool)> = Vec::new();
    match get("HGRCPATH") {
        Some(v) => {
            for e in std::env::split_paths(&v) {
                if e.as_os_str().is_empty() || !e.is_absolute() {
                    continue;
                }
                if e.is_dir() {
                    hg.extend(rc_files(&e).into_iter().map(|p| (p, true)));
                } else {
                    hg.push((e, true));
                }
            }
        }
        None => {
            hg.push((PathBuf::from("/etc/mercurial/hgrc"), false));
            hg.extend(
                rc_files(Path::new("/etc/mercurial/hgrc.d"))
                    .into_iter()
                    .map(|p| (p, false)),
            );
            for h in homes {
                hg.push((h.join(".hgrc"), false));
                hg.push((h.join(".config/hg/hgrc"), false));
            }
            if let Some(x) = get("XDG_CONFIG_HOME").map(PathBuf::from) {
                if x.is_absolute() {
                    hg.push((x.join("hg/hgrc"), false));
                }
            }
        }
    }
    // Sapling: its system file and the user's.
    hg.push((PathBuf::from("/etc/sapling/system.conf"), false));
    for h in homes {
        hg.push((h.join(".config/sapling/sapling.conf"), false));
    }
    if let Some(x) = get("XDG_CONFIG_HOME").map(PathBuf::from) {
        if x.is_absolute() {
            hg.push((x.join("sapling/sapling.conf"), false));
        }
    }
    for (p, named) in hg {
        read_hgrc(&p, homes, None, named, 0, &mut out);
    }
    for h in homes {
        read_darcs_defaults(&h.join(".darcs/defaults"), homes, &mut out);
    }
    out
}

/// The configuration of the repositories whose metadata directories are
/// `dirs` (found in the writable trees): Mercurial's and Sapling's files
/// of [`VCS_DIRS`], darcs' defaults. A relative path is taken from the
/// repository's top (where hg runs hooks).
pub fn repository_configs(dirs: &[PathBuf], homes: &[PathBuf]) -> VcsConfigs {
    let mut out = VcsConfigs::default();
    for d in dirs {
        let top = d.parent().unwrap_or(d);
        match d.file_name().and_then(|n| n.to_str()) {
            Some(".hg") | Some(".sl") => {
                for f in ["hgrc", "hgrc-not-shared", "config"] {
                    read_hgrc(&d.join(f), homes, Some(top), false, 0, &mut out);
                }
            }
            Some("_darcs") => read_darcs_defaults(&d.join("prefs/defaults"), homes, &mut out),
            _ => {}
        }
    }
    out
}

/// The `*.rc` files of directory `d`, sorted (as hg reads them).
fn rc_files(d: &Path) -> Vec<PathBuf> {
    let Ok(list) = git::nofollow::read_dir(d) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = list
        .into_iter()
        .filter(|(n, _)| n.as_encoded_bytes().ends_with(b".rc"))
        .map(|(n, _)| d.join(n))
        .collect();
    out.sort();
    out
}

/// The text of configuration file `p` (links followed), or `None`:
/// missing or a directory, or (unless `named`, a variable names it) not
/// readable by this user, as by the user's tools. Any other failure, or
/// text that is not UTF-8: a gap.
fn read_text(p: &Path, named: bool, unknown: &mut Vec<String>) -> Option<String> {
    crate::storeconf::read_config_text(p, named, true, unknown)
}

/// A path written in a Mercurial value: `~` expanded; relative ones taken
/// from `base` (`None`: relative to where hg runs, unknown). `Err` with
/// why when it cannot be located.
fn locate(v: &str, homes: &[PathBuf], base: Option<&Path>) -> Result<Vec<PathBuf>, String> {
    if v.contains('$') || v.contains('%') {
        return Err(format!("{v:?} holds a variable the helper does not expand"));
    }
    let Some(ps) = git::expand_tilde(v, homes) else {
        return Err(format!("{v:?} names a home of no known account"));
    };
    ps.into_iter()
        .map(|p| {
            if p.is_absolute() {
                Ok(p)
            } else if let Some(b) = base {
                Ok(b.join(p))
            } else {
                Err(format!("{v:?} is taken from where hg runs"))
            }
        })
        .collect()
}

/// The keys of Mercurial's configuration whose value is a command line
/// (hgrc(5)): besides every `[hooks]` entry, the editor, ssh, pager, merge
/// and diff programs, and shell aliases (`!`). `ui.remotecmd` runs on the
/// remote host, not here.
fn runs_program(section: &str, key: &str, value: &str) -> Option<String> {
    let cmd = match (section, key) {
        ("ui", "editor" | "ssh" | "merge") => value,
        ("pager", "pager") => value,
        ("merge-tools", k) if k.ends_with(".executable") => value,
        ("diff-tools", k) if k.ends_with(".executable") => value,
        ("extdiff", _) => value,
        ("alias", _) => value.strip_prefix('!')?,
        _ => return None,
    };
    let cmd = cmd.trim();
    (!cmd.is_empty() && !cmd.starts_with("internal:")).then(|| cmd.to_string())
}

/// Read the Mercurial-format file `p` (and what it includes): what its
/// `[extensions]`, `[hooks]` and program keys name. `base`: the top of
/// the repository whose configuration it is.
fn read_hgrc(
    p: &Path,
    homes: &[PathBuf],
    base: Option<&Path>,
    named: bool,
    depth: usize,
    out: &mut VcsConfigs,
) {
    let Some(text) = read_text(p, named, &mut out.unknown) else {
        return;
    };
    let start = out.named.len();
    out.files
        .push((p.to_path_buf(), "a Mercurial configuration file".into()));
    let home = homes.first().cloned().unwrap_or_else(|| PathBuf::from("/"));
    let origin = p.display().to_string();
    let mut items: Vec<(String, String, String)> = Vec::new();
    let mut section = String::new();
    let mut current: Option<(String, String)> = None;
    let dir = p.parent().unwrap_or(Path::new("/")).to_path_buf();
    for line in text.lines() {
        // A line starting with blanks continues the value above.
        if line.starts_with([' ', '\t']) && !line.trim().is_empty() {
            if let Some((_, v)) = current.as_mut() {
                v.push('\n');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = current.take() {
            items.push((section.clone(), k, v));
        }
        let t = line.trim();
        if t.is_empty() || t.starts_with(['#', ';']) {
            continue;
        }
        if let Some(rest) = t.strip_prefix("%include") {
            match locate(rest.trim(), homes, Some(&dir)) {
                Ok(ps) if depth < INCLUDE_DEPTH => {
                    for inc in ps {
                        read_hgrc(&inc, homes, base, true, depth + 1, out);
                    }
                }
                Ok(_) => out.unknown.push(format!(
                    "{origin}: %include nested deeper than the helper follows ({INCLUDE_DEPTH})"
                )),
                Err(why) => out.unknown.push(format!("{origin}: %include {why}")),
            }
            continue;
        }
        if t.starts_with('%') {
            continue;
        }
        if let Some(s) = t.strip_prefix('[') {
            section = s.split(']').next().unwrap_or("").trim().to_string();
            continue;
        }
        if let Some((k, v)) = t.split_once('=') {
            current = Some((k.trim().to_string(), v.trim().to_string()));
        }
    }
    if let Some((k, v)) = current.take() {
        items.push((section.clone(), k, v));
    }
    for (section, key, value) in items {
        let entry = format!("[{section}] {key} = {value}");
        let file_named = |paths: Result<Vec<PathBuf>, String>| {
            let mut n = Named {
                entry: entry.clone(),
                origin: origin.clone(),
                home: home.clone(),
                ..Named::default()
            };
            match paths {
                Ok(ps) => {
                    n.mentioned = ps.clone();
                    n.paths = ps;
                }
                Err(why) => n.unknown_command = Some(why),
            }
            n
        };
        match section.as_str() {
            // `name =` loads a module by name, `!` disables it.
            "extensions" => {
                if value.is_empty() || value.starts_with('!') {
                    continue;
                }
                out.named.push(file_named(locate(&value, homes, base)));
            }
            "hooks" => {
                // An empty value turns a hook off.
                if value.trim().is_empty() {
                    continue;
                }
                if let Some(py) = value.strip_prefix("python:") {
                    // `python:FILE:FUNC` loads a file; `python:module.func`
                    // a module from hg's own path.
                    match py.rsplit_once(':') {
                        Some((file, _)) if file.contains('/') || file.ends_with(".py") => {
                            out.named.push(file_named(locate(file, homes, base)));
                        }
                        _ => {}
                    }
                    continue;
                }
                let mut n = git::analyse_command(&value, &home);
                n.entry = entry;
                n.origin = origin.clone();
                out.named.push(n);
            }
            s => {
                if let Some(cmd) = runs_program(s, &key, &value) {
                    let mut n = git::analyse_command(&cmd, &home);
                    n.entry = entry;
                    n.origin = origin.clone();
                    out.named.push(n);
                }
            }
        }
    }
    for n in out.named[start..].iter_mut() {
        n.resolve_physical();
    }
}

/// darcs' defaults file `p` (`COMMAND FLAG VALUE` a line): the commands of
/// its `posthook` and `prehook` flags.
fn read_darcs_defaults(p: &Path, homes: &[PathBuf], out: &mut VcsConfigs) {
    let Some(text) = read_text(p, false, &mut out.unknown) else {
        return;
    };
    out.files
        .push((p.to_path_buf(), "a darcs defaults file".into()));
    let home = homes.first().cloned().unwrap_or_else(|| PathBuf::from("/"));
    for line in text.lines() {
        let mut w = line.trim().splitn(3, char::is_whitespace);
        let (Some(cmd), Some(flag)) = (w.next(), w.next()) else {
            continue;
        };
        if matches!(flag, "posthook" | "prehook") {
            let value = w.next().unwrap_or("").trim();
            let value = value
                .strip_prefix('\'')
                .and_then(|v| v.strip_suffix('\''))
                .unwrap_or(value);
            let mut n = git::analyse_command(value, &home);
            n.entry = format!("{cmd} {flag} {value}");
            n.origin = p.display().to_string();
            n.resolve_physical();
            out.named.push(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hgrc_extensions_hooks_and_includes_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let home = root.join("home");
        let ws = root.join("ws");
        std::fs::create_dir_all(ws.join("tools")).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(ws.join("tools/ext.py"), "# ext\n").unwrap();
        std::fs::write(ws.join("tools/hook.sh"), "true\n").unwrap();
        std::fs::write(
            home.join("more.rc"),
            format!("[extensions]\nmore = {}/tools/ext.py\n", ws.display()),
        )
        .unwrap();
        std::fs::write(
            home.join(".hgrc"),
            format!(
                "[ui]\nusername = x\n%include ~/more.rc\n[extensions]\nrebase =\nold = !\n[hooks]\npre-status =\n  sh {}/tools/hook.sh\npost-x = python:rel/x.py:f\npost-off =\n",
                ws.display()
            ),
        )
        .unwrap();
        let c = user_configs(std::slice::from_ref(&home), |_| None);
        assert!(c.files.iter().any(|(p, _)| p.ends_with("more.rc")));
        let all: Vec<&PathBuf> = c
            .named
            .iter()
            .flat_map(|n| n.paths.iter().chain(&n.mentioned))
            .collect();
        assert!(all.iter().any(|p| p.ends_with("tools/ext.py")), "{c:?}");
        assert!(all.iter().any(|p| p.ends_with("tools/hook.sh")), "{c:?}");
        // A relative Python hook file: where hg runs is not known.
        assert!(c
            .named
            .iter()
            .any(|n| n.entry.contains("post-x") && n.unknown_command.is_some()));
        assert!(!c.named.iter().any(|n| n.entry.contains("rebase")));
        assert!(!c.named.iter().any(|n| n.entry.contains("post-off")));
        assert!(!c.named.iter().any(|n| n.entry.contains("old")));
    }
}
