//! Build and package tools run code the project's files name: npm runs
//! the scripts of `package.json` with the shell `.npmrc` sets, cargo runs
//! `build.rs` and the `.cargo/config.toml` runners, make the recipes of the
//! Makefile, pytest every `conftest.py`. Those files are the project's own
//! and allowed by design, but one written earlier in the same command
//! (`echo … > package.json; npm test`, `cp x package.json`, `sed -i …
//! .npmrc`) holds code the analysis never saw: the tool then runs it, so
//! that is not modelled. Every write form is covered, since the analysis
//! records each file a command writes (redirections, copies, renames,
//! in-place edits, downloads).

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;

/// The npm family reads the same project files.
const NODE: &[&str] = &[
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    ".npmrc",
    ".yarnrc",
    ".yarnrc.yml",
    "yarn.lock",
    "pnpm-workspace.yaml",
    "pnpm-lock.yaml",
    ".pnpmfile.cjs",
    ".pnpmfile.mjs",
    "bunfig.toml",
    "bun.lockb",
    "bun.lock",
    "deno.json",
    "deno.jsonc",
    ".node-options",
];

const PYTHON: &[&str] = &[
    "conftest.py",
    "pytest.ini",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "tox.ini",
    "noxfile.py",
    "sitecustomize.py",
    "usercustomize.py",
    "pip.conf",
    "poetry.toml",
    "uv.toml",
    "Pipfile",
];

/// `(tools, project files they read and run, directories whose every file
/// they may run)`.
type ProjectFiles = (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

static TOOLS: &[ProjectFiles] = &[
    (
        &[
            "npm", "npx", "pnpm", "pnpx", "yarn", "yarnpkg", "bun", "bunx", "corepack", "deno",
        ],
        NODE,
        &["node_modules", ".yarn", ".husky"],
    ),
    (
        &["cargo"],
        &[
            "Cargo.toml",
            "Cargo.lock",
            "build.rs",
            "rust-toolchain",
            "rust-toolchain.toml",
        ],
        &[".cargo"],
    ),
    (&["go"], &["go.mod", "go.work", "go.sum", "go.env"], &[]),
    (
        &[
            "pytest", "py.test", "tox", "nox", "pip", "pip3", "poetry", "uv", "pipenv", "hatch",
            "pdm",
        ],
        PYTHON,
        &[],
    ),
    (
        &["cmake", "ctest", "cpack"],
        &[
            "CMakeLists.txt",
            "CMakePresets.json",
            "CMakeUserPresets.json",
        ],
        &[],
    ),
    (
        &["meson"],
        &["meson.build", "meson_options.txt", "meson.options"],
        &[],
    ),
    (&["ninja"], &["build.ninja"], &[]),
    (
        &["mvn", "mvnw"],
        &[
            "pom.xml",
            "maven.config",
            "jvm.config",
            "extensions.xml",
            "settings.xml",
        ],
        &[".mvn"],
    ),
    (
        &["gradle", "gradlew"],
        &[
            "build.gradle",
            "build.gradle.kts",
            "settings.gradle",
            "settings.gradle.kts",
            "gradle.properties",
            "init.gradle",
            "init.gradle.kts",
            "gradle-wrapper.properties",
        ],
        &["buildSrc", "gradle"],
    ),
    (&["ant"], &["build.xml"], &[]),
    (&["sbt"], &["build.sbt"], &["project"]),
    (
        &["rake"],
        &["Rakefile", "rakefile", "Rakefile.rb"],
        &["rakelib"],
    ),
    (
        &["bundle", "bundler"],
        &["Gemfile", "Gemfile.lock"],
        &[".bundle"],
    ),
    (&["rspec"], &[".rspec", "spec_helper.rb"], &[]),
    (&["composer"], &["composer.json", "composer.lock"], &[]),
    // A project .ackrc holds options, `--pager` among them.
    (&["ack", "ack-grep"], &[".ackrc"], &[]),
];

/// Source and configuration a runner compiles, imports or loads from the
/// tree it works in, by the name's ending: test modules (`test_*.py`,
/// `*_test.go`, `tests/*.rs`), any module `python -m` finds first in the
/// working directory (`pytest.py`, `argparse.py`), `//go:generate` lines,
/// proc macros and build scripts, a `-c`/`-modfile` file. Which of the
/// tree's files a run loads depends on their names, imports and the
/// runner's discovery rules, so any such file written earlier in the same
/// command is code the analysis never saw.
static LOADED: &[(&[&str], &[&str])] = &[
    (
        &["pytest", "py.test", "python", "tox", "nox"],
        &[".py", ".pyc", ".pth", ".ini", ".toml", ".cfg", ".so"],
    ),
    (
        &["go"],
        &[
            ".go", ".s", ".S", ".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".m", ".f", ".F",
            ".for", ".f90", ".syso", ".swig", ".swigcxx", ".mod", ".work",
        ],
    ),
    (&["cargo"], &[".rs", ".toml"]),
    // node resolves its operand and every `require`/`import` as modules
    // (`node t` runs `t.js` or `t/index.js`, a `package.json` names the
    // entry point), so any module file the command wrote may be loaded.
    (
        &["node", "nodejs"],
        &[
            ".js", ".mjs", ".cjs", ".json", ".node", ".ts", ".mts", ".cts",
        ],
    ),
    (
        &[
            "npm", "npx", "pnpm", "pnpx", "yarn", "yarnpkg", "bun", "bunx", "deno",
        ],
        // The scripts of package.json are command lines that may run any
        // file of the tree (`./test.sh`, `ruby t.rb`): every ending.
        &[""],
    ),
];

/// The endings of the files `canon` loads as code, when it is a runner.
fn loaded_endings(canon: &str) -> &'static [&'static str] {
    LOADED
        .iter()
        .find(|(tools, _)| tools.contains(&canon))
        .map_or(&[], |(_, ends)| *ends)
}

/// The files and directories the tool `canon` runs, when it is one.
fn project_files(canon: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    TOOLS
        .iter()
        .find(|(tools, _, _)| tools.contains(&canon))
        .map(|(_, files, dirs)| (*files, *dirs))
}

/// Whether the written path is one of `files` by name, or lies in one of
/// `dirs`.
fn is_project_file(path: &str, files: &[&str], dirs: &[&str]) -> bool {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    files.contains(&name) || parts.any(|d| dirs.contains(&d))
}

impl Analyzer<'_> {
    /// A build or package tool run after the command wrote one of the
    /// files it reads and runs code from.
    pub(crate) fn check_written_project_files(&mut self, argv: &[Arg], base: &str) {
        if self.written.is_empty() && self.written_prefixes.is_empty() {
            return;
        }
        let canon = super::programs::canonical(base);
        let ends = loaded_endings(&canon);
        let (files, dirs) = match project_files(&canon) {
            Some(fd) => fd,
            None if !ends.is_empty() => (&[][..], &[][..]),
            None => return,
        };
        let by_prefix = || {
            // Names computed from a prefix (`split`, `csplit`): any ending
            // may follow it.
            self.written_prefixes
                .iter()
                .find(|w| {
                    !ends.is_empty()
                        || files.iter().any(|f| super::known::may_extend(w, f))
                        || is_project_file(&format!("{w}x"), &[], dirs)
                })
                .map(|w| format!("{w}…"))
        };
        let loaded = |p: &str| {
            let name = p.rsplit('/').next().unwrap_or(p);
            ends.iter()
                .any(|e| name.len() > e.len() && name.ends_with(e))
        };
        // Files loaded by their ending: those written before this simple
        // command (not its own output, `npm test > out.log`), and no device.
        let before = self.written.len().min(self.written_before);
        let Some(p) = self
            .written
            .iter()
            .enumerate()
            .find(|(i, (p, _))| {
                is_project_file(p, files, dirs)
                    || (*i < before && !p.starts_with("/dev/") && loaded(p))
            })
            .map(|(_, (p, _))| p.clone())
            .or_else(by_prefix)
            .or_else(|| {
                // A project file written under another name (a hard
                // link): compared by identity.
                files
                    .iter()
                    .filter_map(|f| self.resolve(f, false))
                    .find(|p| self.written_identity(p))
            })
        else {
            return;
        };
        self.unmodelled(
            DecisionCode::UnmodelledProgram,
            format!(
                "{base} runs code its project files name, and {} was written earlier in the same command: its content is not analysed",
                clip(&p)
            ),
            argv[0].span,
            argv,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_files_by_name_and_directory() {
        let (files, dirs) = project_files("pnpm").unwrap();
        assert!(is_project_file("/w/.npmrc", files, dirs));
        assert!(is_project_file("/w/node_modules/x/index.js", files, dirs));
        assert!(!is_project_file("/w/src/index.js", files, dirs));
        let (files, dirs) = project_files("cargo").unwrap();
        assert!(is_project_file("/w/.cargo/config.toml", files, dirs));
        assert!(!is_project_file("/w/out.txt", files, dirs));
    }
}
