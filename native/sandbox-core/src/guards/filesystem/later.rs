//! Files other tools later run as code, wherever they lie: the hooks
//! directory `core.hooksPath` names (husky's `.husky` or `.husky/_`, a
//! project's `.githooks`), a Python's start-up files (`*.pth` in a site
//! directory, `sitecustomize`/`usercustomize` anywhere on its path), and
//! package tools' configurations that name code to run or where code comes
//! from (pip's `pip.conf` of a virtual environment or of the user, Yarn 1's
//! `.yarnrc` with `yarn-path`, pnpm's `.pnpmfile.cjs`, bun's `bunfig.toml`
//! with `preload`). A change to one runs its content at the user's next
//! ordinary command (`git commit`, `python3`, `pip install`, `yarn`)
//! outside any sandbox, so it is a protected write, like `.git/hooks`.
//! `sandbox-exec` makes the same entries read-only or sweeps them after a
//! run (`git.rs`' `hooks_dirs`, `pth.rs`).

use std::path::{Component, Path, PathBuf};

/// Every hook git runs by name (githooks(5)).
pub const HOOK_NAMES: &[&str] = &[
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-receive",
    "update",
    "proc-receive",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "fsmonitor-watchman",
    "p4-changelist",
    "p4-prepare-changelist",
    "p4-post-changelist",
    "p4-pre-submit",
    "post-index-change",
];

/// Package tools' configuration files, by name wherever they lie: each is
/// read from the project's directory or one above it.
const TOOL_CONFIGS: &[(&str, &str)] = &[
    (".yarnrc", "Yarn 1 runs the program its yarn-path names"),
    (".pnpmfile.cjs", "pnpm runs it on every install"),
    (".pnpmfile.mjs", "pnpm runs it on every install"),
    ("bunfig.toml", "bun runs the scripts its preload names"),
    (".bunfig.toml", "bun runs the scripts its preload names"),
];

/// Python imports these modules at every start, from anywhere on its path.
const STARTUP_MODULES: &[&str] = &["sitecustomize", "usercustomize"];

/// How many configuration files one look follows (includes of includes).
const MAX_CONFIGS: usize = 32;

/// Why a change to `path` (physical, absolute) plants code a later
/// command runs, if it does. `home` is what `~` means.
pub(crate) fn later_code(path: &Path, home: &Path) -> Option<String> {
    let name = path.file_name()?.to_str().unwrap_or_default();
    let parent = path.parent()?;
    let parent_name = parent.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.ends_with(".pth") && matches!(parent_name, "site-packages" | "dist-packages") {
        return Some("Python runs its import lines at every start".to_string());
    }
    if path.components().any(|c| match c {
        Component::Normal(n) => n
            .to_str()
            .is_some_and(|n| STARTUP_MODULES.contains(&n.split('.').next().unwrap_or(n))),
        _ => false,
    }) {
        return Some("Python imports it at every start when it lies on its path".to_string());
    }
    if matches!(name, "pip.conf" | "pip.ini")
        && (matches!(parent_name, "pip" | ".pip") || parent.join("pyvenv.cfg").exists())
    {
        return Some("pip takes packages and their build code from the index it names".to_string());
    }
    if let Some((_, why)) = TOOL_CONFIGS.iter().find(|(n, _)| *n == name) {
        return Some(why.to_string());
    }
    hooks_path_entry(path, home)
}

/// Whether `path` is in a hooks directory `core.hooksPath` names for a
/// repository around it, or a hook by name one directory up from one
/// (husky 9: `.husky/_/NAME` runs `.husky/NAME`).
fn hooks_path_entry(path: &Path, home: &Path) -> Option<String> {
    let name = path.file_name()?.to_str().unwrap_or_default();
    let parent = path.parent()?;
    let hook_name = HOOK_NAMES.contains(&name);
    for top in parent.ancestors() {
        let dot_git = top.join(".git");
        let Ok(meta) = std::fs::metadata(&dot_git) else {
            continue;
        };
        let git_dir = if meta.is_dir() {
            dot_git
        } else {
            match gitdir_pointer(&dot_git, top) {
                Some(d) => d,
                None => continue,
            }
        };
        let mut files = vec![git_dir.join("config"), git_dir.join("config.worktree")];
        if let Some(common) = std::fs::read_to_string(git_dir.join("commondir"))
            .ok()
            .map(|t| git_dir.join(t.trim()))
        {
            files.push(common.join("config"));
        }
        files.push(home.join(".gitconfig"));
        files.push(home.join(".config/git/config"));
        for value in hooks_paths(files, home) {
            let dir = if let Some(rest) = value.strip_prefix("~/") {
                home.join(rest)
            } else {
                top.join(&value)
            };
            let dir = physical(&dir);
            if top.starts_with(&dir) {
                // A hooks directory holding the repository: its hooks by name.
                if hook_name && parent == dir.as_path() {
                    return Some(format!("git runs hooks from {}", dir.display()));
                }
                continue;
            }
            if path.starts_with(&dir) {
                return Some(format!("git runs hooks from {}", dir.display()));
            }
            if hook_name && dir.parent() == Some(parent) && parent.starts_with(top) {
                return Some(format!(
                    "git runs hooks from {}, whose hooks run it by their names",
                    dir.display()
                ));
            }
        }
    }
    None
}

/// The git dir a `.git` file names (`gitdir: PATH`, relative to `top`).
fn gitdir_pointer(dot_git: &Path, top: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(dot_git).ok()?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    Some(physical(&top.join(target)))
}

/// The path with `.` and `..` taken lexically and the existing part's
/// links resolved: how the guard names a target.
fn physical(p: &Path) -> PathBuf {
    let mut lexical = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            c => lexical.push(c),
        }
    }
    let mut rest = Vec::new();
    let mut at = lexical.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(at) {
            let mut out = real;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (at.parent(), at.file_name()) {
            (Some(up), Some(n)) => {
                rest.push(n.to_os_string());
                at = up;
            }
            _ => return lexical,
        }
    }
}

/// Every `core.hooksPath` value of these configuration files and of the
/// files their `include.path` and `includeIf.*.path` entries name (every
/// condition taken as met: a hooks directory any of them names is
/// protected).
fn hooks_paths(mut files: Vec<PathBuf>, home: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut read = 0;
    while let Some(file) = files.pop() {
        read += 1;
        if read > MAX_CONFIGS {
            break;
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (key, value) in config_entries(&text) {
            if key == "core.hookspath" {
                out.push(value);
            } else if key.starts_with("include") && key.ends_with(".path") {
                let p = if let Some(rest) = value.strip_prefix("~/") {
                    home.join(rest)
                } else {
                    file.parent()
                        .map_or_else(|| PathBuf::from(&value), |d| d.join(&value))
                };
                files.push(p);
            }
        }
    }
    out
}

/// `(section.key, value)` of a git configuration text, keys lowercased
/// (the subsection of `[a "b"]` is kept as written, between dots).
fn config_entries(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let mut line = line.trim_start().to_string();
        // A value continued on the next line.
        while line.ends_with('\\') && !line.ends_with("\\\\") {
            line.pop();
            match lines.next() {
                Some(next) => line.push_str(next),
                None => break,
            }
        }
        if let Some(head) = line.strip_prefix('[') {
            let Some(end) = head.find(']') else { continue };
            let head = &head[..end];
            section = match head.split_once(char::is_whitespace) {
                Some((s, sub)) => format!(
                    "{}.{}",
                    s.to_ascii_lowercase(),
                    sub.trim().trim_matches('"')
                ),
                None => head.to_ascii_lowercase(),
            };
            line = line[end + 2..].trim_start().to_string();
            if line.is_empty() {
                continue;
            }
        }
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((k, v)) => (k.trim(), v),
            None => (line.trim(), ""),
        };
        out.push((
            format!("{section}.{}", key.to_ascii_lowercase()),
            config_value(value),
        ));
    }
    out
}

/// A value as git reads it: quotes removed, escapes taken, a comment
/// outside quotes dropped, surrounding blanks trimmed.
fn config_value(raw: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = raw.trim().chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(c) => out.push(c),
                None => {}
            },
            '#' | ';' if !quoted => break,
            c => out.push(c),
        }
    }
    if quoted {
        out
    } else {
        out.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_values_are_read_as_git_reads_them() {
        let e = config_entries(
            "[core]\n\thooksPath = .githooks   ; comment\n[include]\npath = \"x y.inc\"\n[includeIf \"gitdir:~/w/\"]\n\tpath = ~/w.inc\n",
        );
        assert_eq!(
            e,
            vec![
                ("core.hookspath".to_string(), ".githooks".to_string()),
                ("include.path".to_string(), "x y.inc".to_string()),
                (
                    "includeif.gitdir:~/w/.path".to_string(),
                    "~/w.inc".to_string()
                ),
            ]
        );
    }
}
