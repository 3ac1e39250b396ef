//! Command-line parsing. Deliberately small and hand-written: the helper has
//! a handful of options and starts for every command, so it pulls in no
//! argument-parsing crate.

use std::ffi::OsString;
use std::net::IpAddr;
use std::path::PathBuf;

/// Where the enforcement report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportTarget {
    /// Written (created or truncated) when the helper finishes.
    File(PathBuf),
    /// An inherited file descriptor, written once and closed.
    Fd(i32),
    /// Standard error of the helper.
    Stderr,
}

/// Everything the command line says.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub policy: Option<PathBuf>,
    pub workspace: Option<PathBuf>,
    pub home: Option<PathBuf>,
    pub cwd: Option<PathBuf>,
    pub allow_degraded: bool,
    pub report: Option<ReportTarget>,
    /// `NAME=VALUE` set for the command by the caller, after scrubbing.
    pub env: Vec<(OsString, OsString)>,
    /// Test-only host overrides for the proxy: `NAME=IP`.
    pub resolve: Vec<(String, IpAddr)>,
    /// The command and its arguments.
    pub command: Vec<OsString>,
    /// `--check-command`: refuse the command unless the policy's command
    /// validator allows it (see `validate.rs`).
    pub check_command: bool,
    /// `--shell-command TEXT`: the command is `bash -c TEXT`, and TEXT is
    /// what `--check-command` judges (as `sandbox exec -c` does).
    pub shell_command: Option<String>,
    /// The policy's text when it was already read (by `--check-command`),
    /// so that the decision and the run use the same bytes.
    #[cfg_attr(
        not(any(target_os = "linux", target_os = "macos", windows)),
        allow(dead_code)
    )]
    pub policy_text: Option<String>,
}

// What the runs read first; elsewhere the helper refuses to run.
#[cfg(any(target_os = "linux", target_os = "macos", windows))]
impl Options {
    /// The policy file, read and parsed; the error names the file.
    pub fn read_policy(&self) -> Result<sandbox_core::Policy, String> {
        let path = self.policy.as_deref().expect("checked by the parser");
        let text = match &self.policy_text {
            Some(t) => t.clone(),
            None => std::fs::read_to_string(path)
                .map_err(|e| format!("reading the policy {}: {e}", path.display()))?,
        };
        sandbox_core::Policy::from_json(&text)
            .map_err(|e| format!("policy {}: {e}", path.display()))
    }

    /// What `~` means: `--home`, else `$HOME` (on Windows then `%USERPROFILE%`).
    pub fn home_dir(&self) -> Result<PathBuf, String> {
        self.home
            .clone()
            .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
            .or_else(|| {
                cfg!(windows)
                    .then(|| std::env::var_os("USERPROFILE").map(PathBuf::from))
                    .flatten()
            })
            .ok_or_else(|| "no home directory: pass --home DIR or set HOME".to_string())
    }
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Invocation {
    Run(Box<Options>),
    Help,
    Version,
}

/// The usage text printed by `--help` and after usage errors.
pub const USAGE: &str = "\
usage: sandbox-exec --policy FILE --workspace DIR [options] -- COMMAND [ARG...]

Runs COMMAND under OS enforcement derived from a ku0 sandbox policy (Linux:
Landlock, seccomp, namespaces; macOS: a Seatbelt profile).

options:
  --policy FILE        policy JSON (required)
  --workspace DIR      workspace root (required); relative policy paths resolve here
  --home DIR           home directory for `~` in the policy (default: $HOME)
  --cwd DIR            working directory of the command (default: the workspace)
  --env-file FILE      set variables for the command after scrubbing, read from
                       FILE: NAME=VALUE entries, each ended by a NUL byte
  --env-fd N           the same, read from inherited file descriptor N (>= 3),
                       which is then closed
  --env NAME=VALUE     the same for one variable (repeatable); the value is visible
                       to every local user in the process list: never use it for secrets
  --shell-command TEXT run `bash -c TEXT` (/bin/sh without bash) instead of
                       COMMAND; --check-command then judges TEXT itself
  --allow-degraded     run even when some enforcement is not available here
  --check-command      judge the command with the policy's command validator
                       first (its words quoted as `sandbox exec` quotes them)
                       and refuse it with the reason unless it is allowed;
                       answers as `sandbox exec` does (its messages, exit 2
                       for a policy, path or word it cannot judge)
  --report FILE        write the JSON enforcement report to FILE
  --report-fd N        write the JSON enforcement report to file descriptor N
  --report-stderr      write the JSON enforcement report to standard error, after
                       a newline: the last line of standard error is the report
  --resolve NAME=IP    test only: the proxy resolves NAME to IP instead of asking DNS
  --help, --version

exit status: the command's own; 128+N when it was killed by signal N;
124 time limit reached; 125 helper error (usage, policy, setup);
126 refused (enforcement incomplete, no --allow-degraded; or, with
--check-command, the validator does not allow the command);
127 the command could not be executed.";

/// A usage error: what was wrong, said so that the caller can fix it.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

/// Parse the arguments after the program name.
pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<Invocation, UsageError> {
    let mut opts = Options::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let text = arg.to_string_lossy().into_owned();
        if text == "--" {
            opts.command = it.collect();
            break;
        }
        // `--name=value` and `--name value` are both accepted.
        let (name, inline) = match text.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(OsString::from(v))),
            _ => (text.clone(), None),
        };
        let value = |it: &mut dyn Iterator<Item = OsString>| -> Result<OsString, UsageError> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it
                    .next()
                    .ok_or_else(|| UsageError(format!("{name} needs a value"))),
            }
        };
        match name.as_str() {
            "--help" | "-h" => return Ok(Invocation::Help),
            "--version" => return Ok(Invocation::Version),
            "--allow-degraded" => opts.allow_degraded = true,
            "--check-command" => opts.check_command = true,
            "--shell-command" => {
                let v = value(&mut it)?;
                let Some(text) = v.to_str() else {
                    return Err(UsageError(
                        "--shell-command: the text is not valid UTF-8".into(),
                    ));
                };
                opts.shell_command = Some(text.to_string());
            }
            "--report-stderr" => opts.report = Some(ReportTarget::Stderr),
            "--policy" => opts.policy = Some(value(&mut it)?.into()),
            "--workspace" => opts.workspace = Some(value(&mut it)?.into()),
            "--home" => opts.home = Some(value(&mut it)?.into()),
            "--cwd" => opts.cwd = Some(value(&mut it)?.into()),
            "--report" => opts.report = Some(ReportTarget::File(value(&mut it)?.into())),
            "--report-fd" => {
                let v = value(&mut it)?;
                let fd = v
                    .to_str()
                    .and_then(|s| s.parse::<i32>().ok())
                    .filter(|fd| *fd >= 0)
                    .ok_or_else(|| {
                        UsageError(format!(
                            "--report-fd: {v:?} is not a file descriptor number"
                        ))
                    })?;
                opts.report = Some(ReportTarget::Fd(fd));
            }
            "--env" => {
                let v = value(&mut it)?;
                let pair = v
                    .to_str()
                    .and_then(|s| s.split_once('='))
                    .filter(|(n, _)| !n.is_empty());
                let Some((n, val)) = pair else {
                    return Err(UsageError(format!(
                        "--env: {v:?} is not NAME=VALUE (UTF-8)"
                    )));
                };
                opts.env.push((n.into(), val.into()));
            }
            "--env-file" => {
                let path = PathBuf::from(value(&mut it)?);
                let file = std::fs::File::open(&path).map_err(|e| {
                    UsageError(format!("--env-file: cannot open {}: {e}", path.display()))
                })?;
                opts.env.extend(read_env_block(file, "--env-file")?);
            }
            "--env-fd" => {
                let v = value(&mut it)?;
                let fd = v
                    .to_str()
                    .and_then(|s| s.parse::<i32>().ok())
                    .filter(|fd| *fd >= 3)
                    .ok_or_else(|| {
                        UsageError(format!(
                            "--env-fd: {v:?} is not a file descriptor number of 3 or more"
                        ))
                    })?;
                opts.env.extend(read_env_fd(fd)?);
            }
            "--resolve" => {
                let v = value(&mut it)?;
                let s = v.to_string_lossy();
                let parsed = s.split_once('=').and_then(|(n, ip)| {
                    let ip = ip.trim_matches(|c| c == '[' || c == ']').parse().ok()?;
                    (!n.is_empty()).then(|| (n.to_ascii_lowercase(), ip))
                });
                let Some(pair) = parsed else {
                    return Err(UsageError(format!("--resolve: {s:?} is not NAME=IP")));
                };
                opts.resolve.push(pair);
            }
            other if other.starts_with('-') => {
                return Err(UsageError(format!("unknown option {other}")));
            }
            _ => {
                // The first non-option word starts the command (`--` is optional).
                opts.command = std::iter::once(arg).chain(it).collect();
                break;
            }
        }
    }
    if opts.policy.is_none() {
        return Err(UsageError("--policy FILE is required".into()));
    }
    if opts.workspace.is_none() {
        return Err(UsageError("--workspace DIR is required".into()));
    }
    if let Some(text) = &opts.shell_command {
        if !opts.command.is_empty() {
            return Err(UsageError(
                "give either --shell-command TEXT or -- COMMAND, not both".into(),
            ));
        }
        let shell = if is_executable_file(std::path::Path::new("/bin/bash")) {
            "/bin/bash"
        } else {
            "/bin/sh"
        };
        opts.command = vec![shell.into(), "-c".into(), text.into()];
    }
    if opts.command.is_empty() {
        return Err(UsageError("no command given after --".into()));
    }
    Ok(Invocation::Run(Box::new(opts)))
}

/// Whether `p` is a file someone may execute (as the CLI chooses its shell).
fn is_executable_file(p: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Largest block of variables read from `--env-file` / `--env-fd`.
const MAX_ENV_BLOCK: u64 = 1024 * 1024;

/// Read `NAME=VALUE\0` entries (the layout of `/proc/PID/environ`): values
/// passed this way never appear on the helper's command line.
fn read_env_block(
    source: impl std::io::Read,
    option: &str,
) -> Result<Vec<(OsString, OsString)>, UsageError> {
    use std::io::Read;
    let mut block = Vec::new();
    source
        .take(MAX_ENV_BLOCK + 1)
        .read_to_end(&mut block)
        .map_err(|e| UsageError(format!("{option}: cannot read the variables: {e}")))?;
    if block.len() as u64 > MAX_ENV_BLOCK {
        return Err(UsageError(format!(
            "{option}: more than {MAX_ENV_BLOCK} bytes of variables"
        )));
    }
    if block.is_empty() {
        return Ok(Vec::new());
    }
    let Some(body) = block.strip_suffix(b"\0") else {
        return Err(UsageError(format!(
            "{option}: the last entry is not ended by a NUL byte (the block may be cut short)"
        )));
    };
    body.split(|b| *b == 0)
        .enumerate()
        .map(|(i, entry)| {
            let eq = entry.iter().position(|b| *b == b'=').filter(|eq| *eq > 0);
            let Some(eq) = eq else {
                return Err(UsageError(format!(
                    "{option}: entry {} is not NAME=VALUE",
                    i + 1
                )));
            };
            Ok((
                os_string(&entry[..eq], option, i)?,
                os_string(&entry[eq + 1..], option, i)?,
            ))
        })
        .collect()
}

/// The bytes of an environment entry as they are on Unix.
#[cfg(unix)]
fn os_string(bytes: &[u8], _option: &str, _entry: usize) -> Result<OsString, UsageError> {
    use std::os::unix::ffi::OsStringExt;
    Ok(OsString::from_vec(bytes.to_vec()))
}

/// Elsewhere strings are not bytes: only UTF-8 is taken, anything else refused.
#[cfg(not(unix))]
fn os_string(bytes: &[u8], option: &str, entry: usize) -> Result<OsString, UsageError> {
    String::from_utf8(bytes.to_vec())
        .map(OsString::from)
        .map_err(|_| UsageError(format!("{option}: entry {} is not UTF-8", entry + 1)))
}

/// [`read_env_block`] from an inherited descriptor, which is closed after
/// reading so that the command does not inherit it.
#[cfg(unix)]
fn read_env_fd(fd: i32) -> Result<Vec<(OsString, OsString)>, UsageError> {
    use std::os::fd::FromRawFd;
    if std::fs::metadata(format!("/proc/self/fd/{fd}")).is_err()
        && std::fs::metadata(format!("/dev/fd/{fd}")).is_err()
    {
        return Err(UsageError(format!(
            "--env-fd: {fd} is not an open file descriptor"
        )));
    }
    // SAFETY: the caller handed this descriptor to the helper to be read
    // once and closed; it is open (checked above) and nothing else in the
    // helper uses it. The `File` owns and closes it.
    let file = unsafe { std::fs::File::from_raw_fd(fd) };
    read_env_block(file, "--env-fd")
}

#[cfg(not(unix))]
fn read_env_fd(_fd: i32) -> Result<Vec<(OsString, OsString)>, UsageError> {
    Err(UsageError("--env-fd needs a Unix system".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Options, UsageError> {
        match parse(args.iter().map(OsString::from))? {
            Invocation::Run(o) => Ok(*o),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn parses_the_documented_form() {
        let o = run(&[
            "--policy",
            "p.json",
            "--workspace=/ws",
            "--home",
            "/h",
            "--allow-degraded",
            "--report-fd",
            "3",
            "--env",
            "A=b=c",
            "--resolve",
            "api.test=127.0.0.1",
            "--",
            "ls",
            "--policy",
        ])
        .unwrap();
        assert_eq!(o.policy, Some("p.json".into()));
        assert_eq!(o.workspace, Some("/ws".into()));
        assert_eq!(o.home, Some("/h".into()));
        assert!(o.allow_degraded);
        assert_eq!(o.report, Some(ReportTarget::Fd(3)));
        assert_eq!(o.env, vec![("A".into(), "b=c".into())]);
        assert_eq!(
            o.resolve,
            vec![("api.test".into(), "127.0.0.1".parse().unwrap())]
        );
        assert_eq!(o.command, vec![OsString::from("ls"), "--policy".into()]);
    }

    #[test]
    fn reads_variables_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("env");
        std::fs::write(&p, b"A=1\0B=x=y\nz\0EMPTY=\0").unwrap();
        let o = run(&[
            "--policy",
            "p",
            "--workspace",
            "/ws",
            "--env-file",
            p.to_str().unwrap(),
            "--",
            "x",
        ])
        .unwrap();
        assert_eq!(
            o.env,
            vec![
                ("A".into(), "1".into()),
                ("B".into(), "x=y\nz".into()),
                ("EMPTY".into(), "".into())
            ]
        );
        for bad in [&b"A=1"[..], b"=1\0", b"A\0", b"A=1\0\0"] {
            std::fs::write(&p, bad).unwrap();
            let args = [
                "--policy",
                "p",
                "--workspace",
                "/ws",
                "--env-file",
                p.to_str().unwrap(),
                "--",
                "x",
            ];
            assert!(run(&args).is_err(), "{bad:?}");
        }
        let args = [
            "--policy",
            "p",
            "--workspace",
            "/ws",
            "--env-fd",
            "1",
            "--",
            "x",
        ];
        assert!(run(&args).is_err());
    }

    #[test]
    fn rejects_what_it_cannot_use() {
        assert!(run(&["--workspace", "/ws", "--", "true"]).is_err());
        assert!(run(&["--policy", "p", "--", "true"]).is_err());
        assert!(run(&["--policy", "p", "--workspace", "/ws", "--"]).is_err());
        assert!(run(&["--policy", "p", "--workspace", "/ws", "--bogus", "--", "x"]).is_err());
        assert!(run(&[
            "--policy",
            "p",
            "--workspace",
            "/ws",
            "--env",
            "=x",
            "--",
            "x"
        ])
        .is_err());
        assert!(run(&[
            "--policy",
            "p",
            "--workspace",
            "/ws",
            "--report-fd",
            "-1",
            "--",
            "x"
        ])
        .is_err());
        assert!(run(&["--policy"]).is_err());
    }

    #[test]
    fn a_shell_command_is_bash_c_and_excludes_a_command() {
        let o = run(&[
            "--policy",
            "p",
            "--workspace",
            "/ws",
            "--check-command",
            "--shell-command",
            "echo 'a b' > f",
        ])
        .unwrap();
        assert!(o.check_command);
        assert_eq!(o.shell_command.as_deref(), Some("echo 'a b' > f"));
        assert_eq!(o.command.len(), 3);
        assert_eq!(o.command[1], OsString::from("-c"));
        assert_eq!(o.command[2], OsString::from("echo 'a b' > f"));
        assert!(run(&[
            "--policy",
            "p",
            "--workspace",
            "/ws",
            "--shell-command",
            "true",
            "--",
            "ls"
        ])
        .is_err());
    }
}
