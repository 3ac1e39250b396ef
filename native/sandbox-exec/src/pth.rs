//! Python's start-up files reached through `.pth` files.
//!
//! At every start, Python's `site` module reads the `.pth` files of its
//! site directories (the interpreter's `site-packages`, a virtual
//! environment's, the user's `~/.local/lib/pythonX.Y/site-packages`): each
//! line names a directory put on `sys.path`, or is an `import` line that
//! runs. An editable install (`pip install -e .`, Poetry, Hatch, `uv`)
//! writes one naming the project's `src` or its root. Python then
//! imports `sitecustomize` and `usercustomize` from `sys.path`, so such a
//! module made in that directory runs at every later start of that
//! Python, in any directory, before the user looks at anything.
//!
//! Here the `.pth` files of the site directories the caller's Pythons use
//! are read before the run, and the names Python imports at start from
//! each directory they add (`sitecustomize`, `usercustomize`, and the
//! modules their `import` lines name) are handed to the post-run sweep,
//! which moves aside what the run made or changed there. The directories
//! themselves stay the project's: its code changes as any project's does.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// How much of one `.pth` file is read (`site` reads it whole; a larger
/// one is taken as naming nothing further).
const PTH_BYTES: u64 = 1 << 20;

/// How many `.pth` files of one site directory are read.
const PTH_PER_DIR: usize = 1000;

/// Modules Python imports at every start from the first directory of
/// `sys.path` that has them (`site` documentation).
pub const STARTUP_MODULES: &[&str] = &["sitecustomize", "usercustomize"];

/// The site directories of the Pythons the caller can start: those of
/// each home's user site (`.local/lib/python*/site-packages`), and, for
/// each absolute directory of the caller's `PATH`, each environment the
/// caller has active (`VIRTUAL_ENV`, `CONDA_PREFIX`) and each pyenv
/// version (of every home's `.pyenv` and `PYENV_ROOT`), its prefix's
/// `lib/python*/site-packages` and `dist-packages` and Debian's
/// `lib/python3/dist-packages`.
pub fn site_dirs(
    homes: &[PathBuf],
    get: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Vec<PathBuf> {
    let mut prefixes: Vec<PathBuf> = homes.iter().map(|h| h.join(".local")).collect();
    if let Some(base) = get("PYTHONUSERBASE").filter(|v| Path::new(v).is_absolute()) {
        prefixes.push(PathBuf::from(base));
    }
    if let Some(path) = get("PATH") {
        for d in std::env::split_paths(&path).filter(|d| d.is_absolute()) {
            if let Some(p) = d.parent() {
                prefixes.push(p.to_path_buf());
            }
        }
    }
    for v in crate::env::ENVIRONMENT_BIN_VARIABLES {
        if let Some(p) = get(v).filter(|p| Path::new(p).is_absolute()) {
            prefixes.push(PathBuf::from(p));
        }
    }
    // pyenv's interpreters, which its shims on `PATH` start: their
    // prefixes are not a `PATH` directory's parent.
    let mut pyenv: Vec<PathBuf> = homes.iter().map(|h| h.join(".pyenv")).collect();
    pyenv.extend(
        get("PYENV_ROOT")
            .filter(|v| Path::new(v).is_absolute())
            .map(PathBuf::from),
    );
    for root in pyenv {
        if let Ok(rd) = std::fs::read_dir(root.join("versions")) {
            prefixes.extend(rd.flatten().take(PTH_PER_DIR).map(|e| e.path()));
        }
    }
    prefixes.sort();
    prefixes.dedup();
    let mut out = Vec::new();
    for p in prefixes {
        let lib = p.join("lib");
        out.push(lib.join("python3/dist-packages"));
        let Ok(rd) = std::fs::read_dir(&lib) else {
            continue;
        };
        for e in rd.flatten().take(PTH_PER_DIR) {
            let name = e.file_name();
            if name.to_string_lossy().starts_with("python") {
                out.push(lib.join(&name).join("site-packages"));
                out.push(lib.join(&name).join("dist-packages"));
            }
        }
    }
    out.retain(|d| d.is_dir());
    out.sort();
    out.dedup();
    out
}

/// What the `.pth` files of `site` add: each directory as Python names it
/// (a plain line made absolute lexically, as `site` does; a path an
/// `import` line names, as written) with the `.pth` that names it, and the
/// modules their `import` lines import. The kernel reaches it from there.
pub fn read_site(site: &Path, home: &Path) -> (Vec<(PathBuf, PathBuf)>, Vec<String>) {
    let mut dirs = Vec::new();
    let mut modules = Vec::new();
    let Ok(rd) = std::fs::read_dir(site) else {
        return (dirs, modules);
    };
    let mut files: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension() == Some(OsStr::new("pth")))
        .take(PTH_PER_DIR)
        .collect();
    files.sort();
    for f in files {
        let Ok(m) = std::fs::metadata(&f) else {
            continue;
        };
        if !m.is_file() || m.len() > PTH_BYTES {
            continue;
        }
        let Ok(text) = std::fs::read(&f) else {
            continue;
        };
        let text = String::from_utf8_lossy(&text);
        for line in text.lines() {
            let t = line.trim_end();
            if t.trim().is_empty() || t.starts_with('#') {
                continue;
            }
            if t.starts_with("import ") || t.starts_with("import\t") {
                // `import a, b; code`: the modules, and every absolute
                // path the code names (a `sys.path` entry it adds).
                let first = t["import".len()..].split(';').next().unwrap_or_default();
                for m in first.split(',') {
                    let m = m.split_whitespace().next().unwrap_or_default();
                    let top = m.split('.').next().unwrap_or_default();
                    if !top.is_empty() {
                        modules.push(top.to_string());
                    }
                }
                for p in crate::git::mentioned_paths(t, home) {
                    dirs.push((p, f.clone()));
                }
                continue;
            }
            // `site` makes the line absolute lexically (`makepath`:
            // `os.path.abspath`), `..` taken from the text, not from the
            // directory a link before it leads to: that is the directory
            // put on `sys.path`, which the kernel then reaches.
            dirs.push((crate::plan::normalize_lexically(&site.join(t)), f.clone()));
        }
    }
    modules.sort();
    modules.dedup();
    (dirs, modules)
}

/// The entries Python imports at start from directory `dir`: the
/// start-up modules and `modules` as a source file, a package, and
/// bytecode beside them.
pub fn startup_entries(dir: &Path, modules: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for m in STARTUP_MODULES
        .iter()
        .map(|m| m.to_string())
        .chain(modules.iter().cloned())
    {
        if m.is_empty() || m.contains(['/', '\0']) || m == "." || m == ".." {
            continue;
        }
        out.push(dir.join(format!("{m}.py")));
        out.push(dir.join(&m));
        out.push(dir.join(format!("{m}.pyc")));
    }
    out
}
