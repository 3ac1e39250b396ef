//! What programs do with their arguments, where the wrapper, danger and file
//! tables alone would assume the harmless reading. The rule here: a command
//! is allowed only when the analysis reads its arguments the way the program
//! will; where it cannot (an option it does not know, an abbreviation, a
//! word computed at run time in option position, a program that runs other
//! programs through syntax it does not model, a file operand whose value is
//! not known), the finding is `ask`, or `deny` in whitelist mode, with an
//! `UNMODELLED_*` code naming what could not be modelled.

use std::borrow::Cow;

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use super::wrappers::{Unwrap, RUNNER_VALUE_OPTIONS};
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::FileOperation;
use crate::policy::CommandMode;

/// The names of a static table, as a set built once: the tables are read
/// for every command layer, most names are in none.
type NameSet = std::sync::LazyLock<foldhash::HashSet<&'static str>>;

/// For each name, the rows of a static table listing it (in table order).
type RowIndex = std::sync::LazyLock<foldhash::HashMap<&'static str, Vec<usize>>>;

fn row_index<'t>(
    rows: impl Iterator<Item = &'t [&'static str]>,
) -> foldhash::HashMap<&'static str, Vec<usize>> {
    let mut index: foldhash::HashMap<&'static str, Vec<usize>> = Default::default();
    for (i, names) in rows.enumerate() {
        for n in names {
            let at = index.entry(*n).or_default();
            if at.last() != Some(&i) {
                at.push(i);
            }
        }
    }
    index
}

/// The rows of `index` listing `a` or `b`, in table order, each once.
fn rows_of(index: &foldhash::HashMap<&'static str, Vec<usize>>, a: &str, b: &str) -> Vec<usize> {
    let mut rows: Vec<usize> = index.get(a).into_iter().flatten().copied().collect();
    if a != b {
        rows.extend(index.get(b).into_iter().flatten().copied());
        rows.sort_unstable();
        rows.dedup();
    }
    rows
}

/// Programs whose arguments make them run another program, and which are
/// not in the wrapper table: what they run is not modelled.
const RUNS_PROGRAMS: &[&str] = &[
    "prlimit",
    "setarch",
    "linux32",
    "linux64",
    "i386",
    "x86_64",
    "uname26",
    "numactl",
    "eatmydata",
    "entr",
    "machinectl",
    "systemd-nspawn",
    "ssh-agent",
    "dbus-launch",
    "rlwrap",
    "ccache",
    "sccache",
    "distcc",
    "icecc",
    "hyperfine",
    "watchexec",
    "nodemon",
    "reflex",
    "direnv",
    "dotenv",
    "nix-shell",
    "apptainer",
    "singularity",
    "tini",
    "dumb-init",
    "catatonit",
    "xterm",
    "x-terminal-emulator",
    "gnome-terminal",
    "konsole",
    "rr",
    "bpftrace",
    "vagrant",
    "flatpak-spawn",
    "crun",
    "runc",
    "please",
    "sudo-rs",
    "su-rs",
    "ld.so",
    "cgexec",
    "aws-vault",
    "with-contenv",
    "s6-setuidgid",
    "trickle",
    "faketime",
    "nocache",
    "vblank_mode",
    "optirun",
    "primusrun",
    "prime-run",
    "mpirun",
    "mpiexec",
    "srun",
    "qemu-x86_64",
    "qemu-aarch64",
    "wine",
    "box64",
    "xdg-open",
    "open",
    "pipx",
    "uvx",
    "asdf",
    "rbenv",
    "pyenv",
    "nodenv",
    "volta",
    "fnm",
    "nvm",
];

/// Whether a program name is the dynamic loader (`ld-linux-x86-64.so.2`,
/// `ld.so`, `ld64.so.1`, `ld-musl-x86_64.so.1`): it runs the file named
/// by its first operand.
fn is_loader(name: &str) -> bool {
    (name.starts_with("ld-") || name.starts_with("ld64") || name.starts_with("ld."))
        && name.contains(".so")
}

/// Names under which the same program is installed: a blocked rule naming
/// one covers the others, and an escalating program under another name is
/// still one.
const OTHER_NAMES: &[&[&str]] = &[
    &[
        "nc",
        "netcat",
        "ncat",
        "nc.openbsd",
        "nc.traditional",
        "netcat-openbsd",
        "netcat-traditional",
        "pnc",
        "socat",
    ],
    &["sudo", "sudo-rs", "sudoedit", "please"],
    &["su", "su-rs"],
    &["wget", "wget2"],
    &["curl", "curlie"],
    &["node", "nodejs"],
    &["vim", "vi", "nvim", "vim.basic", "vim.tiny"],
    &["awk", "gawk", "mawk", "nawk"],
    &["sed", "gsed"],
    &["tar", "gtar", "bsdtar"],
    &["rm", "grm"],
];

/// The name as the filesystem and the package manager see it: folded to
/// lower case (macOS and Windows filesystems are case-insensitive, so
/// `SUDO` runs `sudo` there), without `.exe`, without a version suffix
/// (`python3.12`, `gcc-13`).
pub(crate) fn canonical(name: &str) -> Canon<'_> {
    // Most names are canonical already: no upper-case letter, no `.exe`,
    // and no last character that a version suffix could end in.
    let b = name.as_bytes();
    if b.last()
        .is_some_and(|&l| !(l.is_ascii_digit() || l == b'.' || l == b'-'))
        && !b.iter().any(u8::is_ascii_uppercase)
        && !name.ends_with(".exe")
    {
        return Canon(Cow::Borrowed(name));
    }
    canonical_folded(name)
}

/// [`canonical`] without its shortcut.
fn canonical_folded(name: &str) -> Canon<'_> {
    // Lower-casing changes only ASCII letters: a name without upper-case
    // ones is its own lower case, and the result is a prefix of it.
    let lower = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    };
    let mut end = lower.len();
    if lower.ends_with(".exe") {
        end -= ".exe".len();
    }
    let n = &lower[..end];
    if !is_loader(n) {
        let trimmed = n.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        let trimmed = trimmed.strip_suffix('-').unwrap_or(trimmed);
        if !trimmed.is_empty() && trimmed.len() < n.len() {
            end = trimmed.len();
        }
    }
    Canon(match lower {
        Cow::Borrowed(b) => Cow::Borrowed(&b[..end]),
        Cow::Owned(mut o) => {
            o.truncate(end);
            Cow::Owned(o)
        }
    })
}

/// A canonical program name ([`canonical`]), borrowed from the name it was
/// made from when that name is already canonical (most are), so that the
/// many calls per command allocate nothing. Reads as a `&str`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Canon<'a>(Cow<'a, str>);

impl Canon<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Canon<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<&str> for Canon<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Canon<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl std::fmt::Display for Canon<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Other names of the program `base` (never `base` itself).
pub(crate) fn other_names(base: &str) -> Vec<String> {
    static GROUPS: RowIndex = RowIndex::new(|| row_index(OTHER_NAMES.iter().copied()));
    let mut out: Vec<String> = Vec::new();
    let lower = if base.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(base.to_ascii_lowercase())
    } else {
        Cow::Borrowed(base)
    };
    let canon = canonical(base);
    for n in [&*lower, canon.as_str()] {
        if n != base && !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    for row in rows_of(&GROUPS, &lower, &canon) {
        let group = OTHER_NAMES[row];
        {
            for g in group.iter() {
                if *g != base && !out.iter().any(|o| o == g) {
                    out.push(g.to_string());
                }
            }
        }
    }
    // `python3.12` is `python3` and `python`.
    if canon.starts_with("python") && base != "python3" && !out.iter().any(|o| o == "python3") {
        out.push("python3".to_string());
    }
    out
}

/// A wrapper's option syntax, for checking that the analysis reads the
/// wrapper's argv as the program does.
struct Spec {
    names: &'static [&'static str],
    /// Short options without a value.
    flags: &'static str,
    /// Short options with a value (attached or in the next word).
    values: &'static str,
    /// Short options with an optional value, attached only.
    optional: &'static str,
    long_flags: &'static [&'static str],
    long_values: &'static [&'static str],
    /// `-NUM` is an option (`nice -5`).
    numeric: bool,
}

const SPEC: Spec = Spec {
    names: &[],
    flags: "",
    values: "",
    optional: "",
    long_flags: &["--help", "--version"],
    long_values: &[],
    numeric: false,
};

static SPECS: &[Spec] = &[
    Spec {
        names: &["env"],
        flags: "i0v",
        values: "uCSa",
        long_flags: &[
            "--ignore-environment",
            "--null",
            "--debug",
            "--help",
            "--version",
            "--list-signal-handling",
            "--block-signal",
            "--default-signal",
            "--ignore-signal",
        ],
        long_values: &["--unset", "--chdir", "--split-string", "--argv0"],
        ..SPEC
    },
    Spec {
        names: &["nice"],
        values: "n",
        long_values: &["--adjustment"],
        numeric: true,
        ..SPEC
    },
    Spec {
        names: &["nohup", "builtin", "catchsegv", "setpriv"],
        ..SPEC
    },
    Spec {
        names: &["timeout"],
        flags: "vfp",
        values: "sk",
        long_flags: &[
            "--preserve-status",
            "--foreground",
            "--verbose",
            "--help",
            "--version",
        ],
        long_values: &["--signal", "--kill-after"],
        ..SPEC
    },
    Spec {
        names: &["time"],
        flags: "apqv",
        values: "fo",
        long_flags: &[
            "--append",
            "--portability",
            "--quiet",
            "--verbose",
            "--help",
            "--version",
        ],
        long_values: &["--format", "--output"],
        ..SPEC
    },
    Spec {
        names: &["stdbuf"],
        values: "ioe",
        long_values: &["--input", "--output", "--error"],
        ..SPEC
    },
    Spec {
        names: &["setsid"],
        flags: "cfw",
        long_flags: &["--ctty", "--fork", "--wait", "--help", "--version"],
        ..SPEC
    },
    Spec {
        names: &["chrt"],
        flags: "abdefiorRpmv",
        values: "TPD",
        long_flags: &[
            "--all-tasks",
            "--batch",
            "--deadline",
            "--ext",
            "--fifo",
            "--idle",
            "--other",
            "--rr",
            "--reset-on-fork",
            "--pid",
            "--max",
            "--verbose",
            "--help",
            "--version",
        ],
        long_values: &["--sched-runtime", "--sched-period", "--sched-deadline"],
        ..SPEC
    },
    Spec {
        names: &["ionice"],
        flags: "t",
        values: "cnpPu",
        long_flags: &["--ignore", "--help", "--version"],
        long_values: &["--class", "--classdata", "--pid", "--pgid", "--uid"],
        ..SPEC
    },
    Spec {
        names: &["taskset"],
        flags: "acp",
        long_flags: &["--all-tasks", "--cpu-list", "--pid", "--help", "--version"],
        ..SPEC
    },
    Spec {
        names: &["flock"],
        flags: "sxenuoFv",
        values: "wEc",
        long_flags: &[
            "--shared",
            "--exclusive",
            "--nonblock",
            "--nb",
            "--unlock",
            "--close",
            "--no-fork",
            "--verbose",
            "--help",
            "--version",
        ],
        long_values: &["--timeout", "--wait", "--conflict-exit-code", "--command"],
        ..SPEC
    },
    Spec {
        names: &["chroot"],
        long_flags: &["--skip-chdir", "--help", "--version"],
        long_values: &["--userspec", "--groups"],
        ..SPEC
    },
    Spec {
        names: &["sudo"],
        flags: "AbBEHiKklnPSsVv",
        values: "CDghpRrTtUu",
        long_flags: &[
            "--askpass",
            "--background",
            "--bell",
            "--preserve-env",
            "--set-home",
            "--login",
            "--remove-timestamp",
            "--reset-timestamp",
            "--list",
            "--non-interactive",
            "--preserve-groups",
            "--stdin",
            "--shell",
            "--version",
            "--validate",
            "--edit",
            "--help",
        ],
        long_values: &[
            "--close-from",
            "--chdir",
            "--group",
            "--host",
            "--prompt",
            "--chroot",
            "--role",
            "--type",
            "--command-timeout",
            "--other-user",
            "--user",
        ],
        ..SPEC
    },
    Spec {
        names: &["doas"],
        flags: "nsL",
        values: "uC",
        ..SPEC
    },
    Spec {
        names: &["pkexec"],
        long_flags: &[
            "--disable-internal-agent",
            "--keep-cwd",
            "--version",
            "--help",
        ],
        long_values: &["--user"],
        ..SPEC
    },
    Spec {
        names: &["xargs"],
        flags: "0prtx",
        values: "adEILnPs",
        optional: "eil",
        long_flags: &[
            "--null",
            "--interactive",
            "--verbose",
            "--exit",
            "--no-run-if-empty",
            "--open-tty",
            "--show-limits",
            "--help",
            "--version",
            "--eof",
            "--replace",
            "--max-lines",
        ],
        long_values: &[
            "--arg-file",
            "--delimiter",
            "--max-args",
            "--max-procs",
            "--max-chars",
            "--process-slot-var",
        ],
        ..SPEC
    },
    Spec {
        names: &["watch"],
        flags: "bcCdegtwxpr",
        values: "nq",
        long_flags: &[
            "--beep",
            "--color",
            "--no-color",
            "--differences",
            "--errexit",
            "--chgexit",
            "--no-title",
            "--no-wrap",
            "--exec",
            "--precise",
            "--no-rerun",
            "--help",
            "--version",
        ],
        long_values: &["--interval", "--equexit"],
        ..SPEC
    },
    Spec {
        names: &["npx", "bunx", "pnpx"],
        flags: "yq",
        values: "pc",
        long_flags: &[
            "--yes",
            "--no",
            "--quiet",
            "--no-install",
            "--ignore-existing",
        ],
        long_values: &["--package", "--call", "--cache", "--userconfig"],
        ..SPEC
    },
    Spec {
        names: &["parallel"],
        flags: "kvqurX0mg",
        values: "jSaCdIEnNLPs",
        long_flags: &[
            "--keep-order",
            "--verbose",
            "--quote",
            "--ungroup",
            "--line-buffer",
            "--lb",
            "--bar",
            "--progress",
            "--eta",
            "--dry-run",
            "--no-notice",
            "--null",
            "--no-run-if-empty",
            "--xargs",
            "--group",
            "--tag",
            "--will-cite",
            "--shuf",
            "--help",
            "--version",
        ],
        long_values: &[
            "--jobs",
            "--sshlogin",
            "--arg-file",
            "--colsep",
            "--delimiter",
            "--results",
            "--joblog",
            "--tmpdir",
            "--workdir",
            "--env",
            "--timeout",
            "--delay",
            "--retries",
            "--max-args",
            "--max-lines",
            "--max-procs",
            "--max-chars",
            "--halt",
            "--memfree",
            "--load",
            "--nice",
        ],
        ..SPEC
    },
    Spec {
        names: &["unbuffer"],
        flags: "p",
        ..SPEC
    },
    Spec {
        names: &["chronic"],
        flags: "ev",
        ..SPEC
    },
    Spec {
        names: &["fakeroot"],
        flags: "uv",
        values: "lsib",
        long_flags: &["--unknown-is-real", "--help", "--version"],
        long_values: &["--lib", "--faked"],
        ..SPEC
    },
    Spec {
        names: &["command"],
        flags: "pvV",
        ..SPEC
    },
    Spec {
        names: &["exec"],
        flags: "cl",
        values: "a",
        ..SPEC
    },
    Spec {
        names: &["sshpass"],
        flags: "ve",
        values: "pfdP",
        ..SPEC
    },
    Spec {
        names: &["proxychains", "proxychains4"],
        flags: "q",
        values: "f",
        ..SPEC
    },
    Spec {
        names: &["torsocks"],
        flags: "diq",
        values: "uPap",
        long_flags: &["--debug", "--quiet", "--isolate", "--help", "--version"],
        long_values: &["--user", "--pass", "--address", "--port"],
        ..SPEC
    },
];

/// Wrappers of the form `tool [options] SUBCOMMAND [options] command`.
const SUB_RUNNERS: &[&str] = &[
    "npm",
    "pnpm",
    "yarn",
    "bun",
    "uv",
    "poetry",
    "pipenv",
    "pdm",
    "hatch",
    "rye",
    "bundle",
    "mise",
    "conda",
    "mamba",
    "micromamba",
];

/// Their options the unwrapping reads (with a value, or known flags).
/// (Besides [`RUNNER_VALUE_OPTIONS`].)
const SUB_OPTIONS: &[&str] = &[
    "--package",
    "-c",
    "--call",
    "--extra",
    "--group",
    "-q",
    "--quiet",
    "-y",
    "--yes",
    "--no",
    "--no-install",
    "--frozen",
    "--locked",
    "--offline",
    "--no-sync",
    "--isolated",
    "-v",
    "--verbose",
    "--silent",
    "-s",
    "--no-project",
    "--all-extras",
    "--no-dev",
    "--no-capture-output",
    "--live-stream",
];

fn spec_of(name: &str) -> Option<&'static Spec> {
    static ROWS: RowIndex = RowIndex::new(|| row_index(SPECS.iter().map(|s| s.names)));
    ROWS.get(name)
        .and_then(|rows| rows.first())
        .map(|&i| &SPECS[i])
}

/// Why a wrapper's options could not be read.
enum OptError {
    Computed(usize),
    Unknown(usize),
}

/// Read the options of `argv` by `spec` like getopt does (no permutation:
/// these wrappers stop at the first operand); the index of the first
/// operand.
fn read_options(argv: &[Arg], spec: &Spec) -> Result<usize, OptError> {
    let mut i = 1;
    while i < argv.len() {
        let Some(w) = argv[i].lit() else {
            return Err(OptError::Computed(i));
        };
        if w == "--" {
            return Ok(i + 1);
        }
        if w == "-" || !w.starts_with('-') {
            return Ok(i);
        }
        if w.starts_with("--") {
            let (key, inline) = match w.split_once('=') {
                Some((k, _)) => (k, true),
                None => (w, false),
            };
            if spec.numeric && key[2..].chars().all(|c| c.is_ascii_digit()) && key.len() > 2 {
                i += 1;
                continue;
            }
            if spec.long_values.contains(&key) {
                i += if inline { 1 } else { 2 };
                continue;
            }
            if spec.long_flags.contains(&key) {
                i += 1;
                continue;
            }
            return Err(OptError::Unknown(i));
        }
        if spec.numeric && w[1..].chars().all(|c| c.is_ascii_digit()) {
            i += 1;
            continue;
        }
        let chars: Vec<char> = w[1..].chars().collect();
        let mut next = i + 1;
        for (k, c) in chars.iter().enumerate() {
            if spec.optional.contains(*c) {
                break;
            }
            if spec.values.contains(*c) {
                if k + 1 == chars.len() {
                    next = i + 2;
                }
                break;
            }
            if !spec.flags.contains(*c) {
                return Err(OptError::Unknown(i));
            }
        }
        i = next;
    }
    Ok(argv.len())
}

/// Long options that change what a tool runs or which files it touches,
/// per tool. A word that abbreviates one of them (GNU getopt_long and git
/// accept any unique prefix: `--to-c=` is `--to-command=`) is not read by
/// the other tables, so it is reported here. Exact names of harmless
/// options that are prefixes of these are listed too, so they stay fine.
static SENSITIVE_LONG: &[(&[&str], &[&str])] = &[
    (
        &["tar", "gtar", "bsdtar"],
        &[
            "--to-command",
            "--checkpoint-action",
            "--checkpoint",
            "--use-compress-program",
            "--info-script",
            "--new-volume-script",
            "--rsh-command",
            "--rmt-command",
            "--file",
            "--directory",
            "--files-from",
            "--exclude-from",
            "--index-file",
            "--listed-incremental",
            "--to-stdout",
            "--use",
            "--exclude",
        ],
    ),
    (
        &["sort"],
        &[
            "--compress-program",
            "--output",
            "--files0-from",
            "--temporary-directory",
            "--random-source",
        ],
    ),
    (
        &["env"],
        &["--split-string", "--chdir", "--unset", "--argv0"],
    ),
    (
        &["git"],
        &[
            "--upload-pack",
            "--receive-pack",
            "--exec",
            "--exec-path",
            "--config-env",
            "--output",
            "--output-directory",
            // format-patch: a suffix with `/` leaves the output directory.
            "--suffix",
            "--ext-diff",
            "--extcmd",
            "--template",
            "--config",
            "--open-files-in-pager",
            "--paginate",
            "--git-dir",
            "--work-tree",
            "--tool",
        ],
    ),
    (
        &["rsync"],
        &[
            "--rsh",
            "--rsync-path",
            "--files-from",
            "--exclude-from",
            "--include-from",
            "--log-file",
            "--write-batch",
            "--read-batch",
            "--only-write-batch",
            "--password-file",
            "--temp-dir",
            "--backup",
            "--backup-dir",
            "--compare-dest",
            "--copy-dest",
            "--link-dest",
            "--links",
            "--partial",
            "--partial-dir",
            "--log-file-format",
        ],
    ),
    (&["zip"], &["--unzip-command", "--temp-path", "--out"]),
    (&["man"], &["--pager", "--html", "--preprocessor"]),
    (
        &["wget", "wget2"],
        &[
            "--output-document",
            "--output-file",
            "--append-output",
            "--input-file",
            "--directory-prefix",
            "--execute",
            "--config",
            "--post-file",
            "--body-file",
            "--load-cookies",
            "--save-cookies",
            "--use-askpass",
        ],
    ),
    (
        &["curl"],
        &[
            "--output",
            "--output-dir",
            "--config",
            "--cookie-jar",
            "--cookie",
            "--dump-header",
            "--trace",
            "--trace-ascii",
            "--stderr",
            "--upload-file",
            "--netrc-file",
            "--etag-save",
            "--hsts",
            "--alt-svc",
            "--libcurl",
            "--data",
            "--data-binary",
            "--data-urlencode",
            "--form",
            "--json",
        ],
    ),
    (&["sed", "gsed"], &["--expression", "--file", "--in-place"]),
    (
        &["awk", "gawk"],
        &["--file", "--include", "--load", "--exec", "--source"],
    ),
    (
        &["cp", "mv", "ln", "install"],
        &["--target-directory", "--strip-program", "--suffix"],
    ),
    (&["timeout"], &["--signal", "--kill-after"]),
    (&["nice"], &["--adjustment"]),
    (&["stdbuf"], &["--input", "--output", "--error"]),
    (&["chroot"], &["--userspec", "--groups"]),
    (
        &["xargs"],
        &[
            "--arg-file",
            "--replace",
            "--max-args",
            "--max-lines",
            "--eof",
            "--delimiter",
        ],
    ),
    (
        &["make", "gmake"],
        &[
            "--file",
            "--makefile",
            "--eval",
            "--include-dir",
            "--directory",
        ],
    ),
    (&["npm", "pnpm", "yarn"], &["--script-shell"]),
    (&["flock"], &["--command", "--timeout"]),
    (
        &["script"],
        &[
            "--command",
            "--log-out",
            "--log-in",
            "--log-io",
            "--log-timing",
        ],
    ),
    (
        &["su", "runuser"],
        &["--command", "--session-command", "--shell", "--user"],
    ),
    (&["less", "more"], &["--pager"]),
    (&["strace", "ltrace"], &["--output"]),
    (&["wc", "du", "sort"], &["--files0-from"]),
    (
        &["grep", "egrep", "fgrep", "rg"],
        &["--file", "--exclude-from"],
    ),
    (&["split"], &["--filter", "--prefix"]),
    (&["date"], &["--file", "--reference"]),
    (
        &["shuf", "uniq", "tee", "touch", "truncate"],
        &["--output", "--reference", "--random-source"],
    ),
    (
        &["patch"],
        &["--input", "--output", "--directory", "--reject-file"],
    ),
];

/// Tools where a word computed at run time in option position could be an
/// option that runs a program or writes a file (`tar $X -xf a.tar` with
/// `X=--to-command=sh`).
const OPTION_SENSITIVE: &[&str] = &[
    "tar", "gtar", "bsdtar", "sort", "git", "rsync", "ssh", "scp", "sftp", "zip", "less", "more",
    "man", "sed", "gsed", "awk", "gawk", "mawk", "nawk", "find", "make", "gmake", "strace",
    "ltrace", "curl", "wget", "install", "cp", "mv", "ln", "rg", "python", "python3", "node",
    "perl", "ruby", "php", "vim", "vi", "nvim", "emacs", "npm", "pnpm", "yarn", "dd", "gcc", "cc",
    "clang", "g++", "c++", "clang++", "rustc", "ld", "javac", "time", "tee", "sed",
];

/// Long options of git whose value is data, never a file or a program: a
/// computed `--name=$V` of these is allowed; of any other it is not known.
const GIT_DATA_LONG: &[&str] = &[
    "--message",
    "--author",
    "--committer",
    "--date",
    "--since",
    "--until",
    "--after",
    "--before",
    "--grep",
    "--max-count",
    "--skip",
    "--format",
    "--pretty",
    "--branch",
    "--depth",
    "--deepen",
    "--shallow-since",
    "--shallow-exclude",
    "--track",
    "--onto",
    "--reuse-message",
    "--reedit-message",
    "--fixup",
    "--squash",
    "--trailer",
    "--cleanup",
    "--abbrev",
    "--unified",
    "--color",
    "--decorate",
    "--sort",
    "--contains",
    "--no-contains",
    "--merged",
    "--no-merged",
    "--points-at",
    "--set-upstream-to",
    "--orphan",
    "--create",
    "--force-create",
    "--origin",
    "--jobs",
    "--diff-filter",
    "--word-diff",
    "--stat",
    "--min-parents",
    "--max-parents",
];

/// `-S` of `git blame`/`annotate` (a revisions file) and `-t` of `git
/// commit` (a template file): value letters that name a file there, data
/// elsewhere.
fn git_file_letter(argv: &[Arg], opt: &str) -> bool {
    let scan = super::wrappers::scan_options(argv, 1, super::dangers::GIT_GLOBAL_WITH_ARG);
    let sub = argv
        .get(scan.first)
        .and_then(|a| a.lit())
        .unwrap_or_default();
    matches!((sub, opt), ("blame" | "annotate", "-S") | ("commit", "-t"))
}

/// Options of the option-sensitive tools whose next word is a value, not an
/// option: a computed word there is data (`git commit -m "$msg"`).
const VALUE_OPTIONS: &[(&str, &[&str])] = &[
    (
        "git",
        &[
            "-m",
            "--message",
            "-b",
            "-B",
            "--author",
            "--date",
            "--since",
            "--until",
            "--after",
            "--before",
            "--grep",
            "-S",
            "-G",
            "-n",
            "--max-count",
            "--format",
            "--pretty",
            "-C",
            "--branch",
            "--depth",
            "-t",
            "--track",
            "--onto",
            "--reuse-message",
            "--fixup",
            "--squash",
        ],
    ),
    ("sed", &["-e", "--expression"]),
    ("grep", &["-e", "--regexp"]),
    ("awk", &["-v", "-F", "--assign", "--field-separator"]),
    (
        "curl",
        &[
            "-H",
            "--header",
            "-d",
            "--data",
            "--data-raw",
            "-X",
            "--request",
            "-A",
            "--user-agent",
            "-u",
            "--user",
        ],
    ),
    (
        "find",
        &[
            "-name",
            "-iname",
            "-path",
            "-ipath",
            "-wholename",
            "-iwholename",
            "-regex",
            "-iregex",
            "-lname",
            "-ilname",
            "-type",
            "-xtype",
            "-size",
            "-mtime",
            "-mmin",
            "-atime",
            "-amin",
            "-ctime",
            "-cmin",
            "-newer",
            "-perm",
            "-user",
            "-group",
            "-uid",
            "-gid",
            "-links",
            "-inum",
            "-maxdepth",
            "-mindepth",
            "-printf",
            "-used",
        ],
    ),
];

impl Analyzer<'_> {
    /// The program-model checks of one layer of a command.
    pub(crate) fn check_program_model(&mut self, argv: &[Arg], base: &str, unwrapped: &Unwrap) {
        self.check_runs_programs(argv, base, unwrapped);
        self.check_other_names(argv, base);
        self.check_wrapper_options(argv, base, unwrapped);
        self.check_abbreviations(argv, base);
        self.check_computed_options(argv, base);
        self.check_mini_languages(argv, base);
        self.check_unmodelled_files(argv, base);
    }

    fn check_runs_programs(&mut self, argv: &[Arg], base: &str, unwrapped: &Unwrap) {
        static RUNS: NameSet = NameSet::new(|| RUNS_PROGRAMS.iter().copied().collect());
        let lower = base.to_ascii_lowercase();
        let runs = RUNS.contains(lower.as_str())
            || is_loader(&lower)
            || (lower == "cmake"
                && argv.iter().skip(1).any(|a| {
                    a.lit()
                        .is_none_or(|v| v == "-E" || v == "-P" || v.starts_with("-P"))
                }))
            || (lower == "perf"
                && argv.get(1).is_some_and(|a| {
                    a.lit().is_none_or(|v| {
                        !matches!(
                            v,
                            "report"
                                | "list"
                                | "annotate"
                                | "diff"
                                | "help"
                                | "version"
                                | "evlist"
                                | "--version"
                                | "--help"
                        )
                    })
                }));
        if runs && argv.len() > 1 {
            self.unmodelled(
                DecisionCode::UnmodelledProgram,
                format!("{base} can run another program named in its arguments, and its argument syntax is not modelled"),
                super::dangers::command_span(argv),
                argv,
            );
            return;
        }
        // A name that is a wrapper, a shell or a privileged program once
        // case is folded: on case-insensitive filesystems it is that program,
        // but the tables read it as an unknown one.
        if lower != base && matches!(unwrapped, Unwrap::None) {
            let folded = with_name(argv, &lower);
            let known = super::wrappers::unwrap(&folded);
            // What the program is known for applies under its folded name.
            self.check_dangers(&folded, &lower, &super::walk::Stdin::Inherited);
            self.check_file_operands(&folded, &lower);
            self.check_mini_languages(&folded, &lower);
            if !matches!(known, Unwrap::None)
                || super::dangers::has_rows(&lower)
                || super::files::is_file_tool(&lower)
                || matches!(
                    lower.as_str(),
                    "dd" | "find" | "mv" | "ln" | "git" | "tar" | "unzip" | "rsync" | "scp" | "ssh"
                )
                || super::judge::SUDO_NAMES.contains(&lower.as_str())
            {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!("{base} is {lower} on a case-insensitive filesystem"),
                    argv[0].span,
                    argv,
                );
            }
        }
    }

    /// Blocked rules and `allow_sudo` under the program's other names
    /// (`nc.openbsd` for `nc`, `sudo-rs` for `sudo`, `SUDO` for `sudo`).
    fn check_other_names(&mut self, argv: &[Arg], base: &str) {
        let judged = super::judge::SUDO_NAMES.contains(&base);
        for alt in other_names(base).into_iter().filter(|_| !judged) {
            if super::judge::SUDO_NAMES.contains(&alt.as_str()) && !self.guard.allow_sudo {
                self.finding(
                    Verdict::Deny,
                    DecisionCode::SudoNotAllowed,
                    format!("{base} is {alt}, which raises privileges, and allow_sudo is false"),
                    argv[0].span,
                    argv,
                    Some("commands.allow_sudo: false".to_string()),
                );
                break;
            }
        }
        if self.guard.mode != CommandMode::Blacklist {
            return;
        }
        if self.guard.blocked.find(argv).is_some() {
            return;
        }
        for alt in other_names(base) {
            let renamed = with_name(argv, &alt);
            let hit = self.guard.blocked.find(&renamed).map(|m| match m {
                super::rules::Match::Exact(r) => (Verdict::Deny, r.name.clone()),
                super::rules::Match::Possible(r) => (Verdict::Ask, r.name.clone()),
            });
            if let Some((verdict, rule)) = hit {
                self.finding(
                    verdict,
                    DecisionCode::BlockedCommand,
                    format!(
                        "{base} is another name of {alt}, which a blocked command rule matches"
                    ),
                    argv[0].span,
                    argv,
                    Some(rule),
                );
                return;
            }
        }
    }

    /// The options of a wrapper, read by the wrapper's own syntax, must put
    /// the wrapped command where the unwrapping did.
    fn check_wrapper_options(&mut self, argv: &[Arg], base: &str, unwrapped: &Unwrap) {
        // A package runner whose subcommand is computed may be `exec`/`run`.
        if SUB_RUNNERS.contains(&base) && matches!(unwrapped, Unwrap::None) {
            if let Some(a) = argv[1..]
                .iter()
                .find(|a| a.lit().is_none_or(|v| !v.starts_with('-')))
            {
                if a.lit().is_none() {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("{base}: the subcommand {} is computed at run time and may run a command", clip(&a.text)),
                        a.span,
                        argv,
                    );
                }
            }
            return;
        }
        let start = match unwrapped {
            Unwrap::Argv { start, label, .. }
                if label != "find -exec" && label != super::known::FIND_EXECDIR =>
            {
                Some(*start)
            }
            Unwrap::Argv { .. } | Unwrap::None | Unwrap::Opaque { .. } => return,
            _ => None,
        };
        // Package runners (`npm exec`, `uv run`, …): every option before the
        // command must be one the unwrapping reads, with or without a value.
        if SUB_RUNNERS.contains(&base) {
            if let Some(s) = start {
                if let Some(a) = argv[1..s.min(argv.len())].iter().find(|a| {
                    a.lit().is_none_or(|v| {
                        v.starts_with('-')
                            && v != "--"
                            && !{
                                let k = v.split_once('=').map_or(v, |(k, _)| k);
                                RUNNER_VALUE_OPTIONS.contains(&k) || SUB_OPTIONS.contains(&k)
                            }
                    })
                }) {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("{base}: the option {} is not modelled; it may take the next word as its value", clip(&a.shown())),
                        a.span,
                        argv,
                    );
                }
            }
            return;
        }
        let Some(spec) = spec_of(base) else {
            // A wrapper whose option syntax is not listed: any option before
            // the command is unknown.
            if let Some(s) = start {
                if let Some(a) = argv[1..s.min(argv.len())]
                    .iter()
                    .find(|a| a.lit().is_none_or(|v| v.starts_with('-')))
                {
                    // The package-runner forms and `su`/`sg` read their own
                    // argv (subcommand first); the others' options are unknown.
                    if !matches!(
                        base,
                        "npm"
                            | "pnpm"
                            | "yarn"
                            | "bun"
                            | "uv"
                            | "poetry"
                            | "pipenv"
                            | "pdm"
                            | "hatch"
                            | "rye"
                            | "bundle"
                            | "mise"
                            | "conda"
                            | "mamba"
                            | "micromamba"
                            | "busybox"
                            | "toybox"
                            | "runuser"
                            | "su"
                            | "sg"
                    ) {
                        self.unmodelled(
                            DecisionCode::UnmodelledOption,
                            format!("{base}: the option {} is not modelled", clip(&a.shown())),
                            a.span,
                            argv,
                        );
                    }
                }
            }
            return;
        };
        let read = read_options(argv, spec);
        let problem = match (read, start) {
            (Err(OptError::Computed(i)), _) => Some((
                i,
                "is computed at run time and may be an option".to_string(),
            )),
            (Err(OptError::Unknown(i)), _) => Some((
                i,
                "is not an option this analysis knows (an abbreviation or an unknown option)"
                    .to_string(),
            )),
            (Ok(first), Some(s)) => {
                let expect = expected_start(argv, base, first);
                (expect != s).then(|| {
                    (
                        first.min(argv.len() - 1),
                        format!("leaves the command at word {expect}, not word {s} as read"),
                    )
                })
            }
            (Ok(_), None) => None,
        };
        if let Some((i, why)) = problem {
            let a = &argv[i.min(argv.len() - 1)];
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!("{base}: {} {why}", clip(&a.shown())),
                a.span,
                argv,
            );
        }
        // GNU parallel hands its command line to a shell: words holding
        // shell syntax are not one argv.
        if base == "parallel" {
            if let Some(a) = argv[1..]
                .iter()
                .take_while(|a| !a.lit().is_some_and(|v| v.starts_with(":::")))
                .find(|a| {
                    a.lit().is_some_and(|v| {
                        v.contains([
                            ' ', '\t', '\n', ';', '|', '&', '$', '<', '>', '`', '(', ')', '\\',
                            '\'', '"',
                        ])
                    })
                })
            {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!("parallel runs {} through a shell", clip(&a.shown())),
                    a.span,
                    argv,
                );
            }
        }
        // xargs -iR / --replace=R with another replacement string than `{}`.
        if base == "xargs" {
            if let Some(a) = argv[1..]
                .iter()
                .take_while(|a| a.lit().is_some_and(|v| v.starts_with('-')))
                .find(|a| {
                    a.lit().is_some_and(|v| {
                        (v.starts_with("-i") && v.len() > 2 && v != "-i{}")
                            || (v.starts_with("--replace=") && v != "--replace={}")
                            || (v.starts_with("-e") && v.len() > 2)
                    })
                })
            {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("xargs: {} is not modelled", clip(&a.shown())),
                    a.span,
                    argv,
                );
            }
        }
        // `env -C DIR`: the command runs elsewhere; its relative operands
        // mean other files. `env -S` with escapes or variables: its own
        // splitting rules.
        if base == "env" {
            for (k, a) in argv.iter().enumerate().skip(1) {
                let Some(v) = a.lit() else { break };
                if !v.starts_with('-') || v == "--" {
                    break;
                }
                let chdir = v == "-C"
                    || v.starts_with("--chdir")
                    || (v.starts_with('-')
                        && !v.starts_with("--")
                        && v[1..].starts_with(|c: char| "i0v".contains(c))
                        && v.contains('C'));
                let split = v == "-S"
                    || v.starts_with("--split-string")
                    || (!v.starts_with("--") && v.contains('S'));
                if chdir {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        "env -C: the command runs in another directory; its relative paths are not modelled".to_string(),
                        a.span,
                        argv,
                    );
                }
                if split {
                    let value = if v == "-S" || v == "--split-string" {
                        argv.get(k + 1).and_then(|n| n.lit())
                    } else {
                        v.split_once('=')
                            .map(|(_, x)| x)
                            .or_else(|| v.split_once('S').map(|(_, x)| x))
                    };
                    if value.is_none_or(|s| s.contains(['\\', '$', '#', '\'', '"'])) {
                        self.unmodelled(
                            DecisionCode::UnmodelledOption,
                            "env -S: a string with escapes, quotes or variables is split by env's own rules".to_string(),
                            a.span,
                            argv,
                        );
                    }
                }
            }
        }
    }

    /// Abbreviated long options of the options that matter.
    fn check_abbreviations(&mut self, argv: &[Arg], base: &str) {
        static ROWS: RowIndex = RowIndex::new(|| row_index(SENSITIVE_LONG.iter().map(|(t, _)| *t)));
        let lower = canonical(base);
        let mut known: Vec<&str> = Vec::new();
        for row in rows_of(&ROWS, base, &lower) {
            known.extend(SENSITIVE_LONG[row].1.iter());
        }
        if known.is_empty() {
            return;
        }
        for a in argv.iter().skip(1) {
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                break;
            }
            if !v.starts_with("--") || v.len() < 3 {
                continue;
            }
            let key = v.split_once('=').map_or(v, |(k, _)| k);
            if known.contains(&key) {
                continue;
            }
            if let Some(full) = known.iter().find(|k| k.starts_with(key)) {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{base}: {} abbreviates {full}", clip(v)),
                    a.span,
                    argv,
                );
                return;
            }
        }
    }

    /// A word computed at run time where an option can stand.
    fn check_computed_options(&mut self, argv: &[Arg], base: &str) {
        static SENSITIVE: NameSet = NameSet::new(|| OPTION_SENSITIVE.iter().copied().collect());
        let lower = canonical(base);
        if !SENSITIVE.contains(lower.as_str()) {
            return;
        }
        let values: &[&str] = VALUE_OPTIONS
            .iter()
            .find(|(t, _)| *t == lower.as_str())
            .map_or(&[], |(_, v)| *v);
        for (i, a) in argv.iter().enumerate().skip(1) {
            if a.lit().is_some() {
                if a.is("--") && lower != "find" {
                    return;
                }
                continue;
            }
            if a.template.is_some() || a.procsub {
                continue;
            }
            // A literal start other than `-` makes it an operand.
            if !a.prefix.is_empty() && !a.prefix.starts_with('-') {
                continue;
            }
            // `--name=$V`: the option is fixed; only a value that names a
            // file or a program matters. For git, whose options naming
            // files are many and differ per subcommand, only an option
            // known to take data (a message, a date, a format, a count) may
            // have a computed value: any other may name a file.
            if let Some((name, _)) = a.prefix.split_once('=') {
                let data = if lower == "git" {
                    GIT_DATA_LONG.contains(&name)
                } else {
                    !value_matters(&lower, name)
                };
                if name.starts_with("--") && data {
                    continue;
                }
            }
            let after_value_option = argv[i - 1].lit().is_some_and(|p| {
                values.contains(&p) && !(lower == "git" && git_file_letter(argv, p))
            });
            if after_value_option {
                continue;
            }
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!(
                    "{base}: {} is computed at run time and could be an option that runs a program or writes a file",
                    clip(&a.text)
                ),
                a.span,
                argv,
            );
            return;
        }
    }

    /// Files touched through options and operands the file table does not
    /// read, and operands whose value is not known.
    fn check_unmodelled_files(&mut self, argv: &[Arg], base: &str) {
        let lower = canonical(base);
        for (i, a) in argv.iter().enumerate().skip(1) {
            let Some(v) = a.lit() else { continue };
            // `--files0-from=F`: the operands are read from a file; find's
            // `-files0-from F` (one dash, exact) gives its start points, so
            // the trees it walks are not the command's words either.
            if v.starts_with("--files0-from")
                || v.starts_with("--files-from")
                || v == "-T" && matches!(lower.as_str(), "tar" | "rsync")
                || v == "-files0-from" && matches!(lower.as_str(), "find" | "gfind")
            {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{base}: {} reads the file names it works on from a file",
                        clip(v)
                    ),
                    a.span,
                    argv,
                );
                return;
            }
            // `@file`: compilers read more arguments from a response file.
            if v.starts_with('@')
                && v.len() > 1
                && matches!(
                    lower.as_str(),
                    "gcc"
                        | "cc"
                        | "clang"
                        | "g++"
                        | "c++"
                        | "clang++"
                        | "rustc"
                        | "javac"
                        | "java"
                        | "ld"
                        | "ar"
                        | "as"
                        | "kotlinc"
                        | "scalac"
                        | "tsc"
                        | "cl"
                        | "link"
                )
            {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("{base}: {} reads more arguments from a file", clip(v)),
                    a.span,
                    argv,
                );
                return;
            }
            // Two-word `--output FILE` (the `=` form is read by the file checks).
            if matches!(
                v,
                "--output" | "--output-file" | "--outfile" | "--output-document" | "--log-file"
            ) {
                if let Some(t) = argv.get(i + 1) {
                    self.check_file(t, FileOperation::Write, argv, v);
                }
            }
        }
        match lower.as_str() {
            "tar" | "gtar" | "bsdtar" => self.tar_files(argv, base),
            "unzip" => self.unzip_files(argv),
            "ssh" | "scp" | "sftp" => self.ssh_files(argv, base),
            "rsync" => self.rsync_files(argv),
            // Files named inside the patch (or archive) are written.
            // (ar's key letters are read with its model, archive_keys.rs.)
            "patch" | "cpio" | "7z" | "7za" | "bsdcpio" => {
                let writes = lower == "patch"
                    || argv.iter().skip(1).any(|a| {
                        a.lit().is_some_and(|v| {
                            v == "x"
                                || v == "e"
                                || (v.starts_with('-')
                                    && !v.starts_with("--")
                                    && (v.contains('i') || v.contains('x')))
                        })
                    });
                if writes {
                    let dir = argv
                        .iter()
                        .position(|a| a.is("-d") || a.is("--directory"))
                        .and_then(|i| argv.get(i + 1).cloned())
                        .unwrap_or_else(|| Arg::literal(".", argv[0].span));
                    self.extract_into_pub(&dir, argv, base);
                }
            }
            "git" => self.git_files(argv),
            "strace" | "ltrace" => {
                let scan = super::wrappers::scan_options(
                    argv,
                    1,
                    &[
                        "-o", "-e", "-p", "-s", "-u", "-E", "-O", "-S", "-X", "-a", "-b", "-I",
                        "-P",
                    ],
                );
                if let Some(o) = scan.value(argv, &["-o", "--output"]) {
                    if o.lit()
                        .is_none_or(|v| v.starts_with('|') || v.starts_with('!'))
                    {
                        self.unmodelled(
                            DecisionCode::UnmodelledProgram,
                            format!("{base} -o {}: output to a command", clip(&o.shown())),
                            o.span,
                            argv,
                        );
                    } else {
                        self.check_file(&o, FileOperation::Write, argv, "-o");
                    }
                }
            }
            _ => {}
        }
    }

    /// Check one path through the file rules of `files.rs`.
    pub(crate) fn check_file(&mut self, a: &Arg, op: FileOperation, argv: &[Arg], via: &str) {
        let mut t = a.clone();
        if let Some(v) = t.lit() {
            if v == "~" || v.starts_with("~/") {
                t.home = true;
            }
        }
        self.check_path_pub(&t, op, argv, via);
    }
}

/// Whether the value of the long option `name` of `tool` names a file or
/// a program (a computed one is then not known).
fn value_matters(tool: &str, name: &str) -> bool {
    const FILES: &[&str] = &[
        "--output",
        "--output-file",
        "--outfile",
        "--output-document",
        "--output-dir",
        "--log-file",
        "--file",
        "--directory",
        "--exec",
        "--config",
    ];
    FILES.iter().any(|f| f.starts_with(name))
        || SENSITIVE_LONG
            .iter()
            .filter(|(tools, _)| tools.contains(&tool))
            .any(|(_, opts)| opts.iter().any(|o| o.starts_with(name)))
}

/// The argv with another program name.
fn with_name(argv: &[Arg], name: &str) -> Vec<Arg> {
    let mut out = argv.to_vec();
    let mut first = Arg::literal(name, argv[0].span);
    first.text = argv[0].text.clone();
    out[0] = first;
    out
}

/// Where the wrapped command starts after the options end at `first`:
/// fixed operands and assignments.
fn expected_start(argv: &[Arg], base: &str, first: usize) -> usize {
    let mut i = first;
    match base {
        "timeout" | "chrt" | "taskset" | "flock" | "chroot" => {
            // `chrt -p PID` and `flock FILE -c …` are read by the unwrapping.
            i += 1;
        }
        "env" => {
            if argv.get(i).is_some_and(|a| a.is("-")) {
                i += 1;
            }
            while argv.get(i).is_some_and(|a| {
                a.lit().is_some_and(|v| v.contains('='))
                    || (a.lit().is_none()
                        && a.text.contains('=')
                        && !a.text.starts_with(['$', '"', '\'']))
            }) {
                i += 1;
            }
        }
        "sudo" => {
            while argv
                .get(i)
                .and_then(super::wrappers::split_assignment)
                .is_some()
            {
                i += 1;
            }
        }
        _ => {}
    }
    i
}

#[cfg(test)]
mod canonical_tests {
    use super::*;

    #[test]
    fn the_shortcut_names_what_folding_names() {
        for n in [
            "git",
            "python3",
            "python3.12",
            "gcc-13",
            "SUDO",
            "Git.EXE",
            "cmd.exe",
            "x-",
            "x.",
            "ld-linux-x86-64.so.2",
            "ld.so",
            "node",
            "7z",
            "1",
            "-",
            ".",
            "",
            "é",
            "Ünïcode",
            "clang++",
            "g++",
            "nc.openbsd",
            "foo.exe1",
            "tool-v2",
            "run-",
            "a.b.c",
        ] {
            assert_eq!(canonical(n), canonical_folded(n), "{n}");
        }
    }
}
