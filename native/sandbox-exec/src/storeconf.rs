//! What the configuration inside the hidden credential stores names
//! outside them.
//!
//! The stores (`~/.kube`, `~/.aws`, `~/.ssh`, `~/.gnupg`) are hidden from
//! the command, but their configuration names files elsewhere: secrets the
//! tools read (a kubeconfig's `client-key`, `~/.aws/config`'s
//! `web_identity_token_file`), which must be hidden too, and programs and
//! configuration the user's tools run or read after the run (a
//! kubeconfig's `exec.command`, `credential_process`, ssh's `ProxyCommand`,
//! `Match exec` and `Include`, gpg-agent's `pinentry-program`), which must
//! not lie in a writable tree unnoticed. The files are read here, on the
//! host, before anything is hidden; only what the helper needs is parsed,
//! and a configuration it cannot read or a value it cannot locate is
//! reported, never passed over.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::git::{self, Named};

/// How much of one configuration file is read.
const CONFIG_BYTES: u64 = 1 << 20;

/// How deep ssh configurations included by others are followed.
const SSH_INCLUDE_DEPTH: usize = 4;

/// Keys of a kubeconfig whose value is the path of a secret file
/// (`users[].user`, `clusters[].cluster`; kubectl config view(1), the
/// client-go `clientcmd` API). Their `-data` forms hold the secret inline.
const KUBE_FILE_KEYS: &[&str] = &[
    "client-key",
    "client-certificate",
    "certificate-authority",
    "tokenFile",
];

/// What [`read`] found.
#[derive(Debug, Default)]
pub struct StoreConfigs {
    /// Secret files the configurations name (as written, `~` expanded,
    /// relative ones taken from the configuration's directory where the
    /// tool does so), with why.
    pub secrets: Vec<(PathBuf, String)>,
    /// Programs (and files given to them) the user's tools run by the
    /// configurations, as [`Named`] (paths real).
    pub named: Vec<Named>,
    /// Configuration files the configurations include (ssh `Include`),
    /// existing or not, and the directories a pattern lists.
    pub configs: Vec<(PathBuf, String)>,
    /// What could not be read or located: each a gap.
    pub unknown: Vec<String>,
    /// What the homes' shell, editor and terminal start-up files source,
    /// run or put on a search path ([`startup_files`]).
    pub startup: Vec<StartupRef>,
}

/// A path a home's start-up file makes the user's next shell, editor or
/// terminal read or run, as the reader found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartupRef {
    /// A file it sources or runs, or a directory it puts on a search path
    /// (`PATH`, vim's `runtimepath`), with where it is named: kept
    /// read-only where it lies in a writable tree (a missing one: its
    /// directory locked); one that holds a writable tree is a gap.
    Path(PathBuf, String),
    /// Text the reader cannot turn into a path (a variable it does not
    /// know, a command substitution, a relative name): the literal
    /// directory it starts with, if any, and where it is named. A gap
    /// wherever that directory could lead into a writable tree.
    Unknown(Option<PathBuf>, String),
    /// The install tree of a program whose output the shell runs (`eval
    /// "$(brew shellenv)"`: the directory above the program's own, real
    /// path), and where it is named. What the output sources is not
    /// known, but the program's code and what it reads beside it decide
    /// it: a gap wherever that tree could lead into a writable tree.
    Output(PathBuf, String),
}

/// Read the configuration of the stores of `homes` (the run's home
/// first) and of the caller's environment `get` (`KUBECONFIG`,
/// `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, `GNUPGHOME`).
pub fn read(homes: &[PathBuf], get: impl Fn(&str) -> Option<OsString>) -> StoreConfigs {
    let mut out = StoreConfigs::default();
    let home = homes.first().cloned().unwrap_or_else(|| PathBuf::from("/"));
    let var = |name: &str| get(name).filter(|v| !v.is_empty());
    // kubectl: `KUBECONFIG` (a list) replaces `~/.kube/config`.
    let kube: Vec<(PathBuf, bool)> = match var("KUBECONFIG") {
        Some(v) => std::env::split_paths(&v)
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| (p, true))
            .collect(),
        None => homes
            .iter()
            .map(|h| (h.join(".kube/config"), false))
            .collect(),
    };
    for (p, named) in kube {
        if !p.is_absolute() {
            out.unknown.push(format!(
                "$KUBECONFIG names {} relative to where kubectl runs: what it names is not known",
                p.display()
            ));
            continue;
        }
        if let Some(text) = read_config(&p, named, &mut out.unknown) {
            kubeconfig(&p, &text, &home, &mut out);
        }
    }
    // The AWS CLI and SDKs.
    for (var_name, default) in [
        ("AWS_CONFIG_FILE", ".aws/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials"),
    ] {
        for (p, named) in named_or_in_homes(var(var_name), homes, default) {
            if !p.is_absolute() {
                out.unknown.push(format!(
                    "${var_name} names {} relative to where the AWS tools run: what it names is not known",
                    p.display()
                ));
                continue;
            }
            if let Some(text) = read_config(&p, named, &mut out.unknown) {
                aws_config(&p, &text, homes, &home, &mut out);
            }
        }
    }
    // Docker: only `config.json` of its directory is a store, but the
    // client's TLS key lies beside it (where `DOCKER_CERT_PATH` points by
    // default) and its contexts keep their TLS keys below `contexts/tls`.
    let docker: Vec<PathBuf> = match var("DOCKER_CONFIG") {
        Some(v) if Path::new(&v).is_absolute() => vec![PathBuf::from(v)],
        _ => homes.iter().map(|h| h.join(".docker")).collect(),
    };
    for d in docker {
        for (rel, what) in [
            ("key.pem", "the docker client's TLS key"),
            ("contexts/tls", "the TLS keys of docker's contexts"),
        ] {
            let q = d.join(rel);
            if std::fs::symlink_metadata(&q).is_ok() {
                out.secrets.push((q, what.to_string()));
            }
        }
    }
    // Docker's credential helpers: `credsStore` and `credHelpers` name
    // `docker-credential-<name>`, which the client runs from `PATH`.
    let docker_cfg = var("DOCKER_CONFIG").map(|v| PathBuf::from(v).join("config.json").into());
    let path = var("PATH");
    for (p, named) in named_or_in_homes(docker_cfg, homes, ".docker/config.json") {
        if !p.is_absolute() {
            continue; // `DOCKER_CONFIG` relative: judged with the caller's variables.
        }
        if let Some(text) = read_config(&p, named, &mut out.unknown) {
            docker_config(&p, &text, path.as_deref(), &home, &mut out);
        }
    }
    // npm's user configuration: the shell of every package script, the
    // options of every node it starts, the module `npm init` runs.
    let npmrc = var("NPM_CONFIG_USERCONFIG").or_else(|| var("npm_config_userconfig"));
    for (p, named) in named_or_in_homes(npmrc, homes, ".npmrc") {
        if !p.is_absolute() {
            continue; // Judged with the caller's variables.
        }
        if let Some(text) = read_config(&p, named, &mut out.unknown) {
            npm_config(&p, &text, &home, &mut out);
        }
    }
    // cargo's user configuration: the programs every build runs around or
    // in place of rustc, the linkers and runners of the targets. Cargo
    // reads `$CARGO_HOME/config.toml` and that of every directory above
    // where it runs, the home's among them whatever `CARGO_HOME` says.
    let mut cargo: Vec<PathBuf> = homes.iter().map(|h| h.join(".cargo")).collect();
    cargo.extend(var("CARGO_HOME").map(PathBuf::from));
    cargo.sort();
    cargo.dedup();
    for d in cargo {
        if !d.is_absolute() {
            continue; // Judged with the caller's variables.
        }
        for name in ["config.toml", "config"] {
            let p = d.join(name);
            if let Some(text) = read_config(&p, false, &mut out.unknown) {
                cargo_config(&p, &text, &home, &mut out);
            }
        }
    }
    // gpg-agent: the programs it starts.
    let gnupg: Vec<PathBuf> = match var("GNUPGHOME") {
        Some(v) if Path::new(&v).is_absolute() => vec![PathBuf::from(v)],
        _ => homes.iter().map(|h| h.join(".gnupg")).collect(),
    };
    for g in gnupg {
        let p = g.join("gpg-agent.conf");
        if let Some(text) = read_config(&p, false, &mut out.unknown) {
            gpg_agent(&p, &text, &home, &mut out);
        }
    }
    // ssh: `~/.ssh/config` and what it includes.
    for h in homes {
        let mut queue = vec![(h.join(".ssh/config"), 0usize)];
        while let Some((p, depth)) = queue.pop() {
            let Some(text) = read_config(&p, false, &mut out.unknown) else {
                continue;
            };
            ssh_config(&p, &text, h, depth, &mut queue, &mut out);
        }
    }
    tool_configs(homes, &var, &mut out);
    startup_files(homes, &var, &mut out);
    for n in &mut out.named {
        n.resolve_physical();
    }
    out.secrets.sort();
    out.secrets.dedup();
    out.configs.sort();
    out.configs.dedup();
    out.unknown.sort();
    out.unknown.dedup();
    out.startup
        .sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    out.startup.dedup();
    out
}

/// The text of configuration file `p` (its links followed), or `None`
/// where there is none to read. Missing: none. Not readable by this user
/// (a home of another account, seen from a user namespace): neither is it
/// by the user's tools, which run as this user; unless `named` (a
/// variable of the caller names it), then a gap. Any other failure, a
/// file larger than the helper reads, or text that is not UTF-8: a gap.
fn read_config(p: &Path, named: bool, unknown: &mut Vec<String>) -> Option<String> {
    read_config_text(p, named, false, unknown)
}

/// [`read_config`], and, with `dirs_absent`, a directory (or a path
/// through a file) taken as no file: for names a tool also accepts as a
/// directory of files, read one by one.
pub(crate) fn read_config_text(
    p: &Path,
    named: bool,
    dirs_absent: bool,
    unknown: &mut Vec<String>,
) -> Option<String> {
    let real = crate::plan::resolve_physical(p);
    match std::fs::metadata(&real) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory && dirs_absent => return None,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && !named => return None,
        Err(e) => {
            unknown.push(format!("{} cannot be read ({e})", p.display()));
            return None;
        }
        Ok(m) if m.is_dir() && dirs_absent => return None,
        Ok(m) if !m.is_file() => {
            unknown.push(format!("{} is not a regular file", p.display()));
            return None;
        }
        Ok(m) if m.len() > CONFIG_BYTES => {
            unknown.push(format!(
                "{} is larger than the helper reads ({} MiB)",
                p.display(),
                CONFIG_BYTES >> 20
            ));
            return None;
        }
        Ok(_) => {}
    }
    match git::nofollow::read_regular(&real, CONFIG_BYTES) {
        Ok(b) => match String::from_utf8(b) {
            Ok(t) => Some(t),
            Err(_) => {
                unknown.push(format!("{} is not UTF-8 text", p.display()));
                None
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && !named => None,
        Err(e) => {
            unknown.push(format!("{} cannot be read ({e})", p.display()));
            None
        }
    }
}

/// A YAML or JSON scalar as written on one line: quotes taken off
/// (`''` in single quotes is one quote), a JSON line's trailing comma
/// dropped. `None` for what a line reader cannot take whole: an escape
/// in double quotes, a block scalar, an anchor, alias or tag, a flow
/// collection, an unterminated quote.
fn yaml_scalar(v: &str) -> Option<String> {
    let v = v.trim();
    let v = v.strip_suffix(',').map(str::trim_end).unwrap_or(v);
    if let Some(inner) = v.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        if inner.contains(['\\', '"']) {
            return None;
        }
        return Some(inner.to_string());
    }
    if let Some(inner) = v.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'')?;
        let unq = inner.replace("''", "'");
        if unq.matches('\'').count() * 2 != inner.matches('\'').count() {
            return None;
        }
        return Some(unq);
    }
    if v.starts_with(['|', '>', '&', '*', '!', '{', '[', '%', '@', '`']) {
        return None;
    }
    // A plain scalar ends at ` #` (a comment).
    let v = v.split(" #").next().unwrap_or("").trim_end();
    Some(v.to_string())
}

/// One line of a kubeconfig as `(indent, key, value)`: list markers
/// (`- `) counted as indentation, the key's quotes taken off; `None` for
/// a line that is no `key: value` (a comment, a list item alone).
fn yaml_line(line: &str) -> Option<(usize, String, String)> {
    let mut indent = line.len() - line.trim_start().len();
    let mut t = line.trim_start();
    while let Some(rest) = t.strip_prefix("- ").or_else(|| (t == "-").then_some("")) {
        indent += t.len() - rest.trim_start().len();
        t = rest.trim_start();
    }
    if t.is_empty() || t.starts_with('#') {
        return None;
    }
    let (key, rest) = if let Some(q) = t.strip_prefix('"') {
        let (k, rest) = q.split_once('"')?;
        (k.to_string(), rest.trim_start().strip_prefix(':')?)
    } else if let Some(q) = t.strip_prefix('\'') {
        let (k, rest) = q.split_once('\'')?;
        (k.to_string(), rest.trim_start().strip_prefix(':')?)
    } else {
        let at = t
            .find(": ")
            .or_else(|| t.strip_suffix(':').map(|k| k.len()))?;
        (t[..at].trim_end().to_string(), &t[at + 1..])
    };
    Some((indent, key, rest.trim().to_string()))
}

/// The secrets and programs kubeconfig `p` names. Relative paths are
/// taken from its directory, as kubectl does.
fn kubeconfig(p: &Path, text: &str, home: &Path, out: &mut StoreConfigs) {
    let dir = p.parent().unwrap_or(Path::new("/"));
    let rel = |v: &str| -> PathBuf {
        if v.starts_with('/') {
            PathBuf::from(v)
        } else {
            dir.join(v)
        }
    };
    // The `exec` block being read (credential plugin), by its indentation.
    let mut exec: Option<(usize, Named)> = None;
    let flush = |exec: &mut Option<(usize, Named)>, out: &mut StoreConfigs| {
        if let Some((_, n)) = exec.take() {
            out.named.push(n);
        }
    };
    for (no, line) in text.lines().enumerate() {
        let parsed = yaml_line(line);
        let content_indent = line.len() - line.trim_start().len();
        if let Some((i, _)) = &exec {
            let inside = !line.trim().is_empty() && content_indent > *i
                || parsed.as_ref().is_some_and(|(pi, _, _)| pi > i);
            if !inside && !line.trim().is_empty() && !line.trim_start().starts_with('#') {
                flush(&mut exec, out);
            }
        }
        // A file key on a line the reader cannot take apart (a flow
        // mapping, JSON on one line): not silently passed over.
        // (Written as a key: followed by `:`, after a closing quote and
        // blanks; `client-key-data` holds the key inline.)
        let file_key_at = KUBE_FILE_KEYS.iter().find(|k| {
            line.match_indices(**k).any(|(at, _)| {
                let rest = line[at + k.len()..].trim_start_matches(['"', '\'']);
                rest.trim_start().starts_with(':')
            })
        });
        let Some((indent, key, value)) = parsed else {
            if let Some(k) = file_key_at {
                out.unknown.push(format!(
                    "{} line {}: {k} written in a form the helper does not read",
                    p.display(),
                    no + 1
                ));
            }
            if let Some((_, n)) = exec.as_mut() {
                n.mentioned.extend(git::mentioned_paths(
                    line.trim_start().trim_start_matches('-'),
                    home,
                ));
            }
            continue;
        };
        if let Some(k) = file_key_at.filter(|k| **k != key.as_str()) {
            out.unknown.push(format!(
                "{} line {}: {k} written in a form the helper does not read",
                p.display(),
                no + 1
            ));
        }
        if KUBE_FILE_KEYS.contains(&key.as_str()) {
            match yaml_scalar(&value).filter(|v| !v.is_empty()) {
                Some(v) => out
                    .secrets
                    .push((rel(&v), format!("{key} of the kubeconfig {}", p.display()))),
                None => out.unknown.push(format!(
                    "{} line {}: the file of {key} is written in a form the helper does not read",
                    p.display(),
                    no + 1
                )),
            }
            continue;
        }
        if key == "exec" && (value.is_empty() || value.starts_with('#')) {
            flush(&mut exec, out);
            exec = Some((
                indent,
                Named {
                    entry: format!("exec of the kubeconfig {}", p.display()),
                    origin: format!("the kubeconfig {}", p.display()),
                    home: home.to_path_buf(),
                    ..Named::default()
                },
            ));
            continue;
        }
        if key == "exec" || key == "cmd-path" {
            // `exec` in flow form, or an auth provider's command
            // (`auth-provider.config.cmd-path`).
            let mut n = Named {
                entry: format!("{key}: {value}"),
                origin: format!("the kubeconfig {}", p.display()),
                home: home.to_path_buf(),
                mentioned: git::mentioned_paths(&value, home),
                ..Named::default()
            };
            match yaml_scalar(&value).filter(|_| key == "cmd-path") {
                Some(v) if v.contains('/') => n.paths.push(rel(&v)),
                Some(_) => {}
                None => {
                    n.unknown_command =
                        Some("a command written in a form the helper does not read".into())
                }
            }
            out.named.push(n);
            continue;
        }
        if let Some((_, n)) = exec.as_mut() {
            n.mentioned.extend(git::mentioned_paths(&value, home));
            if key == "command" {
                n.entry = format!("exec.command: {value} in {}", p.display());
                match yaml_scalar(&value) {
                    // kubectl runs a relative path with a `/` from the
                    // kubeconfig's directory, a bare name from `PATH`.
                    Some(v) if v.contains('/') => n.paths.push(rel(&v)),
                    Some(_) => {}
                    None => {
                        n.unknown_command =
                            Some("a command written in a form the helper does not read".into())
                    }
                }
            }
        }
    }
    flush(&mut exec, out);
}

/// The secrets and programs AWS configuration file `p` names:
/// `web_identity_token_file` and `credential_process`, in any profile.
fn aws_config(p: &Path, text: &str, homes: &[PathBuf], home: &Path, out: &mut StoreConfigs) {
    for (no, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with(['#', ';', '[']) {
            continue;
        }
        let Some((k, v)) = t.split_once('=') else {
            continue;
        };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        match k.as_str() {
            "web_identity_token_file" => {
                match git::expand_tilde(v, homes).filter(|ps| ps.iter().all(|q| q.is_absolute()))
                {
                    Some(ps) => out.secrets.extend(ps.into_iter().map(|q| {
                        (
                            q,
                            format!("web_identity_token_file of {}", p.display()),
                        )
                    })),
                    None => out.unknown.push(format!(
                        "{} line {}: web_identity_token_file {v} is relative to where the AWS tools run",
                        p.display(),
                        no + 1
                    )),
                }
            }
            "credential_process" => {
                let mut n = git::analyse_command(v, home);
                n.entry = format!("credential_process = {v}");
                n.origin = format!("the AWS configuration {}", p.display());
                out.named.push(n);
            }
            _ => {}
        }
    }
}

/// The configuration files a tool reads: the one the caller's variable
/// names (`true`: named, so an unreadable one is worth a gap), or else
/// `rel` in each home.
fn named_or_in_homes(
    named: Option<OsString>,
    homes: &[PathBuf],
    rel: &str,
) -> Vec<(PathBuf, bool)> {
    match named {
        Some(v) => vec![(PathBuf::from(v), true)],
        None => homes.iter().map(|h| (h.join(rel), false)).collect(),
    }
}

/// The settings files of other tools that name a secret file (a client
/// key, a password file), with the keys that do, in the file's format.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ToolFormat {
    /// `~/.npmrc`: `key = value`, also per registry (`//host/:keyfile`).
    Npmrc,
    /// pip's configuration: INI.
    Pip,
    /// `.curlrc`: `--key FILE`, `key = FILE`, `key: FILE`, `-E FILE`.
    Curlrc,
    /// `.wgetrc`: `name = value`, names compared without `_` and `-`.
    Wgetrc,
    /// libpq's service file: INI; a `password` makes the file a secret.
    PgService,
    /// MySQL option file: INI; a `password` makes the file a secret.
    MyCnf,
    /// `gradle.properties`: Java properties.
    GradleProperties,
    /// Maven's `settings.xml`: `<privateKey>`.
    MavenSettings,
}

/// Read the settings files of other tools (see [`ToolFormat`]) in the
/// homes, or where the caller's variable moves them, for the secret files
/// they name.
fn tool_configs(homes: &[PathBuf], var: &dyn Fn(&str) -> Option<OsString>, out: &mut StoreConfigs) {
    use ToolFormat::*;
    let table: &[(ToolFormat, Option<&str>, &[&str])] = &[
        (Npmrc, Some("NPM_CONFIG_USERCONFIG"), &[".npmrc"]),
        (
            Pip,
            Some("PIP_CONFIG_FILE"),
            &[".config/pip/pip.conf", ".pip/pip.conf"],
        ),
        (Curlrc, None, &[".curlrc", ".config/.curlrc"]),
        (Wgetrc, Some("WGETRC"), &[".wgetrc"]),
        (PgService, Some("PGSERVICEFILE"), &[".pg_service.conf"]),
        (MyCnf, None, &[".my.cnf"]),
        (GradleProperties, None, &[".gradle/gradle.properties"]),
        (MavenSettings, None, &[".m2/settings.xml"]),
    ];
    for (format, env, rels) in table {
        let mut files: Vec<(PathBuf, bool)> = Vec::new();
        let named = env.and_then(|e| var(e).or_else(|| var(&e.to_ascii_lowercase())));
        // pip reads the file its variable names after the user's own.
        if *format == Pip && named.as_deref().is_some_and(|v| v != "/dev/null") {
            for h in homes {
                files.extend(rels.iter().map(|r| (h.join(r), false)));
            }
        }
        match named {
            // The documented way to read no file (pip: none at all).
            Some(v) if v == "/dev/null" => {}
            Some(v) if Path::new(&v).is_absolute() => files.push((PathBuf::from(v), true)),
            Some(v) => out.unknown.push(format!(
                "${} names {} relative to where the tool runs: what it names is not known",
                env.unwrap_or(""),
                Path::new(&v).display()
            )),
            None => {
                for h in homes {
                    files.extend(rels.iter().map(|r| (h.join(r), false)));
                }
            }
        }
        // Variables that move a home-level file as a whole.
        if *format == Curlrc {
            if let Some(v) = var("CURL_HOME").filter(|v| Path::new(v).is_absolute()) {
                files.push((PathBuf::from(v).join(".curlrc"), true));
            }
        }
        if *format == GradleProperties {
            if let Some(v) = var("GRADLE_USER_HOME").filter(|v| Path::new(v).is_absolute()) {
                files.push((PathBuf::from(v).join("gradle.properties"), true));
            }
        }
        // System-wide files every user's tool reads too: pip's (unless
        // its variable names `/dev/null`), npm's global `npmrc` of the
        // usual prefixes.
        let system: &[&str] = match format {
            Pip if var("PIP_CONFIG_FILE").is_none_or(|v| v != "/dev/null") => {
                &["/etc/pip.conf", "/etc/xdg/pip/pip.conf"]
            }
            Npmrc => &["/etc/npmrc", "/usr/etc/npmrc", "/usr/local/etc/npmrc"],
            _ => &[],
        };
        files.extend(system.iter().map(|f| (PathBuf::from(f), false)));
        // Gradle's init scripts: programs every build of the user runs.
        if *format == GradleProperties {
            let mut dirs: Vec<PathBuf> = homes.iter().map(|h| h.join(".gradle")).collect();
            dirs.extend(
                var("GRADLE_USER_HOME")
                    .filter(|v| Path::new(v).is_absolute())
                    .map(PathBuf::from),
            );
            for d in dirs {
                let mut scripts = vec![d.join("init.gradle"), d.join("init.gradle.kts")];
                if let Some(found) = git::glob_last(&d.join("init.d/*.gradle*")) {
                    scripts.extend(found);
                }
                for sc in scripts {
                    if let Some(text) = read_config(&sc, false, &mut out.unknown) {
                        gradle_init(&sc, &text, homes, out);
                    }
                }
            }
        }
        for (p, named) in files {
            if let Some(text) = read_config(&p, named, &mut out.unknown) {
                if !system.iter().any(|f| p == Path::new(f)) {
                    tool_config(*format, &p, &text, homes, out);
                    continue;
                }
                // A system-wide file: what root owns there and every
                // account reads (the trust bundle given as `cafile`) is no
                // secret of the user's.
                let mut own = StoreConfigs::default();
                tool_config(*format, &p, &text, homes, &mut own);
                own.secrets
                    .retain(|(f, _)| !crate::plan::public_system_file(f));
                out.secrets.extend(own.secrets);
                out.unknown.extend(own.unknown);
                out.named.extend(own.named);
                if *format == Npmrc {
                    // The programs a system-wide npmrc names, as the user's.
                    let home = homes.first().cloned().unwrap_or_default();
                    npm_config(&p, &text, &home, out);
                }
            }
        }
    }
}

/// The `.npmrc` of every directory above `roots` (not a home's, read as
/// the user's): npm run in a project there reads it as the project's
/// configuration. What it names is judged as the user's.
pub fn ancestor_npmrcs(roots: &[PathBuf], homes: &[PathBuf], out: &mut StoreConfigs) {
    let home = homes.first().cloned().unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    for r in roots {
        for a in r.ancestors().skip(1) {
            if homes.iter().any(|h| h == a) || !seen.insert(a.to_path_buf()) {
                continue;
            }
            let p = a.join(".npmrc");
            if let Some(text) = read_config(&p, false, &mut out.unknown) {
                tool_config(ToolFormat::Npmrc, &p, &text, homes, out);
                npm_config(&p, &text, &home, out);
            }
        }
    }
    for n in &mut out.named {
        n.resolve_physical();
    }
}

/// A Gradle init script `p`: Groovy or Kotlin code every build of the
/// user runs. Not modelled: every absolute path written in it is
/// mentioned, so one in a writable tree (`apply from:
/// '/home/u/proj/ci.gradle'`) is a gap.
fn gradle_init(p: &Path, text: &str, homes: &[PathBuf], out: &mut StoreConfigs) {
    let home = homes.first().cloned().unwrap_or_default();
    let mut mentioned: Vec<PathBuf> = text
        .lines()
        .flat_map(|l| git::mentioned_paths(&l.replace(['\'', '"', '(', ')', ','], " "), &home))
        .collect();
    mentioned.sort();
    mentioned.dedup();
    out.named.push(Named {
        entry: format!("init script {}", p.display()),
        origin: format!("Gradle's init script {}", p.display()),
        home,
        mentioned,
        ..Named::default()
    });
}

/// A directory or file a tool loads programs or packages from, named by
/// settings file `p` as `key = v`: [`Named`] with its path, or a program
/// the helper cannot locate when it is relative.
fn load_path(p: &Path, key: &str, v: &str, homes: &[PathBuf], what: &str) -> Named {
    let home = homes.first().cloned().unwrap_or_default();
    let mut n = Named {
        entry: format!("{key} = {v}"),
        origin: format!("{what} {}", p.display()),
        home,
        ..Named::default()
    };
    let v = v
        .strip_prefix("file://")
        .or_else(|| v.strip_prefix("file:"))
        .unwrap_or(v);
    match git::expand_tilde(v, homes) {
        Some(ps) if !v.contains('$') && ps.iter().all(|q| q.is_absolute()) => n.paths = ps,
        _ => {
            n.unknown_command = Some(
                "a place named relative to where the tool runs, or through an expansion".into(),
            )
        }
    }
    n
}

/// The secret files one settings file `p` of `format` names.
fn tool_config(
    format: ToolFormat,
    p: &Path,
    text: &str,
    homes: &[PathBuf],
    out: &mut StoreConfigs,
) {
    use ToolFormat::*;
    let secret = |no: usize, key: &str, v: &str, out: &mut StoreConfigs| {
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
            .unwrap_or(v);
        let v = match format {
            MavenSettings => match homes.first() {
                Some(h) => v.replace("${user.home}", &h.to_string_lossy()),
                None => v.to_string(),
            },
            _ => v.to_string(),
        };
        let why = format!("{key} of {}", p.display());
        if v.contains('$') || v.contains('\\') {
            out.unknown.push(format!(
                "{} line {}: {key} {v} holds a variable or an escape the helper does not expand",
                p.display(),
                no + 1
            ));
            return;
        }
        match git::expand_tilde(&v, homes).filter(|ps| ps.iter().all(|q| q.is_absolute())) {
            Some(ps) => {
                for q in ps {
                    // curl's `--cert FILE:PASSWORD`.
                    if format == Curlrc && key != "key" && std::fs::symlink_metadata(&q).is_err() {
                        if let Some((f, _)) = q.to_string_lossy().rsplit_once(':') {
                            out.secrets.push((PathBuf::from(f), why.clone()));
                        }
                    }
                    out.secrets.push((q, why.clone()));
                }
            }
            None => out.unknown.push(format!(
                "{} line {}: {key} {v} is relative to where the tool runs",
                p.display(),
                no + 1
            )),
        }
    };
    let mut holds_password = false;
    // pip's key whose value goes on over indented lines.
    let mut pip_key: Option<String> = None;
    for (no, line) in text.lines().enumerate() {
        let t = line.trim();
        if format == Pip && line.starts_with([' ', '\t']) && !t.is_empty() && !t.contains('=') {
            if let Some(k) = &pip_key {
                for w in t.split_whitespace() {
                    if w.starts_with(['/', '~', '$', '.']) || w.starts_with("file:") {
                        out.named
                            .push(load_path(p, k, w, homes, "pip's configuration"));
                    }
                }
                continue;
            }
        }
        if t.is_empty() || t.starts_with(['#', ';']) || (t.starts_with('[') && format != Curlrc) {
            continue;
        }
        match format {
            MavenSettings => {
                // The local repository: every later build loads its jars.
                if let Some(at) = t.find("<localRepository>") {
                    let after = &t[at + "<localRepository>".len()..];
                    match after.find("</localRepository>") {
                        Some(end) => {
                            let v = after[..end].trim();
                            let v = match homes.first() {
                                Some(h) => v.replace("${user.home}", &h.to_string_lossy()),
                                None => v.to_string(),
                            };
                            if !v.is_empty() {
                                out.named.push(load_path(
                                    p,
                                    "localRepository",
                                    &v,
                                    homes,
                                    "Maven's settings",
                                ));
                            }
                        }
                        None => out.unknown.push(format!(
                            "{} line {}: <localRepository> not closed on its line",
                            p.display(),
                            no + 1
                        )),
                    }
                }
                let mut rest = t;
                while let Some(at) = rest.find("<privateKey>") {
                    let after = &rest[at + "<privateKey>".len()..];
                    let Some(end) = after.find("</privateKey>") else {
                        out.unknown.push(format!(
                            "{} line {}: <privateKey> not closed on its line",
                            p.display(),
                            no + 1
                        ));
                        break;
                    };
                    secret(no, "<privateKey>", &after[..end], out);
                    rest = &after[end..];
                }
            }
            Curlrc => {
                let body = t.trim_start_matches('-');
                let short = t.starts_with('-') && !t.starts_with("--");
                let end = body
                    .find(|c: char| c.is_whitespace() || c == '=' || c == ':')
                    .unwrap_or(body.len());
                let (name, value) = if short && body.starts_with('E') {
                    ("E", &body[1..])
                } else {
                    (&body[..end], &body[end..])
                };
                let value =
                    value.trim_start_matches(|c: char| c.is_whitespace() || c == '=' || c == ':');
                if matches!(
                    name,
                    "key" | "cert" | "E" | "proxy-key" | "proxy-cert" | "netrc-file"
                ) {
                    secret(no, name, value, out);
                }
            }
            GradleProperties => {
                let end = t
                    .find(|c: char| c.is_whitespace() || c == '=' || c == ':')
                    .unwrap_or(t.len());
                let (k, v) = (&t[..end], &t[end..]);
                let v = v.trim_start_matches(|c: char| c.is_whitespace() || c == '=' || c == ':');
                if k == "signing.secretKeyRingFile" {
                    secret(no, k, v, out);
                }
                // The JDK every build runs, and what its JVM loads.
                if k == "org.gradle.java.home" && !v.is_empty() {
                    out.named
                        .push(load_path(p, k, v.trim(), homes, "Gradle's properties"));
                }
                if k == "org.gradle.jvmargs" {
                    let home = homes.first().cloned().unwrap_or_default();
                    out.named.push(Named {
                        entry: format!("{k} = {v}"),
                        origin: format!("Gradle's properties {}", p.display()),
                        mentioned: git::mentioned_paths(&v.replace(['=', ':'], " "), &home),
                        home,
                        ..Named::default()
                    });
                }
            }
            MyCnf if t.starts_with('!') => out.unknown.push(format!(
                "{} line {}: {t} includes files the helper does not read",
                p.display(),
                no + 1
            )),
            _ => {
                let (k, v) = t.split_once('=').unwrap_or((t, ""));
                let k = k.trim().to_ascii_lowercase();
                let norm = match format {
                    Wgetrc => k.replace(['_', '-'], ""),
                    _ => k.replace('_', "-"),
                };
                let file_key = match format {
                    Npmrc => ["keyfile", "certfile", "cafile"]
                        .iter()
                        .any(|x| norm == *x || norm.ends_with(&format!(":{x}"))),
                    Pip => norm == "client-cert",
                    Wgetrc => matches!(norm.as_str(), "privatekey" | "certificate"),
                    PgService => matches!(norm.as_str(), "sslkey" | "sslcert" | "passfile"),
                    MyCnf => matches!(norm.as_str(), "ssl-key" | "ssl-cert"),
                    _ => false,
                };
                if file_key {
                    secret(no, &k, v, out);
                }
                // Where pip takes packages from: a local directory or
                // `file:` index is what the next install builds and runs.
                if format == Pip {
                    pip_key = matches!(
                        norm.as_str(),
                        "find-links" | "index-url" | "extra-index-url"
                    )
                    .then(|| norm.clone());
                }
                if format == Pip
                    && matches!(
                        norm.as_str(),
                        "find-links" | "index-url" | "extra-index-url"
                    )
                {
                    for w in v.split_whitespace() {
                        if w.starts_with(['/', '~', '$', '.']) || w.starts_with("file:") {
                            out.named
                                .push(load_path(p, &norm, w, homes, "pip's configuration"));
                        }
                    }
                }
                if matches!(format, PgService | MyCnf) && norm == "password" {
                    holds_password = true;
                }
            }
        }
    }
    // A settings file holding a password is itself a secret, like `~/.pgpass`.
    if holds_password {
        out.secrets
            .push((p.to_path_buf(), format!("{} holds a password", p.display())));
    }
}

/// The credential helpers docker configuration `p` names (`credsStore`,
/// `credHelpers`): `docker-credential-<name>`, the first found in the
/// caller's `PATH` directories. A name holding `/`, or one that is not a
/// string, is a gap.
fn docker_config(
    p: &Path,
    text: &str,
    path: Option<&std::ffi::OsStr>,
    home: &Path,
    out: &mut StoreConfigs,
) {
    // A file that is no JSON object names no helper: the client warns
    // and goes on with none (its parser is as strict as this one).
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let mut helpers: Vec<(String, String)> = Vec::new();
    if let Some(v) = doc.get("credsStore") {
        helpers.push(("credsStore".into(), v.as_str().unwrap_or("/").to_string()));
    }
    if let Some(serde_json::Value::Object(m)) = doc.get("credHelpers") {
        for (reg, v) in m {
            helpers.push((
                format!("credHelpers.{reg}"),
                v.as_str().unwrap_or("/").to_string(),
            ));
        }
    }
    let dirs: Vec<PathBuf> = path
        .map(|p| std::env::split_paths(p).collect())
        .unwrap_or_default();
    for (key, name) in helpers {
        if name.is_empty() {
            continue;
        }
        let mut n = Named {
            entry: format!("{key} = {name}"),
            origin: format!("the docker configuration {}", p.display()),
            home: home.to_path_buf(),
            ..Named::default()
        };
        if name.contains('/') {
            n.unknown_command = Some("a helper name the client cannot look up".into());
        } else {
            let prog = format!("docker-credential-{name}");
            n.paths = dirs
                .iter()
                .filter(|d| d.is_absolute())
                .map(|d| d.join(&prog))
                .filter(|q| std::fs::metadata(q).is_ok_and(|m| m.is_file()))
                .take(1)
                .collect();
        }
        out.named.push(n);
    }
}

/// The programs and files npm configuration `p` names: `script-shell`,
/// `shell`, `editor`, `browser`, `git` (programs npm runs),
/// `init-module` (a file `npm init` runs), `globalconfig` (configuration
/// it reads), and the paths `node-options` writes (every node npm
/// starts loads them). A value with an npm `${VAR}` expansion cannot be
/// located: a gap.
fn npm_config(p: &Path, text: &str, home: &Path, out: &mut StoreConfigs) {
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with(['#', ';', '[']) {
            continue;
        }
        let Some((k, v)) = t.split_once('=') else {
            continue;
        };
        let k = k.trim().trim_matches('"').to_ascii_lowercase();
        let v = v.trim().trim_matches('"');
        let origin = format!("the npm configuration {}", p.display());
        let mut n = match k.as_str() {
            "script-shell" | "shell" | "editor" | "browser" | "git" => {
                git::analyse_command(v, home)
            }
            "init-module" | "globalconfig" => {
                let mut n = Named {
                    home: home.to_path_buf(),
                    ..Named::default()
                };
                match git::expand_tilde(v, std::slice::from_ref(&home.to_path_buf())) {
                    Some(ps) if ps.iter().all(|q| q.is_absolute()) => n.paths = ps,
                    _ => n.unknown_command = Some("a file named relative to where npm runs".into()),
                }
                n
            }
            "node-options" => Named {
                home: home.to_path_buf(),
                mentioned: git::mentioned_paths(v, home),
                ..Named::default()
            },
            _ => continue,
        };
        if v.contains("${") {
            n.unknown_command = Some("an expansion npm resolves when it runs".into());
        }
        n.entry = format!("{k} = {v}");
        n.origin = origin;
        out.named.push(n);
    }
}

/// The programs cargo configuration `p` names: `build.rustc-wrapper`,
/// `build.rustc-workspace-wrapper`, `build.rustc`, `build.rustdoc`, the
/// `linker` and `runner` of `[target.*]` and `[host]`, the credential
/// providers of the registries; and the paths the `rustflags` there
/// write. Read line by line (a table header, then `key = value`, or a
/// dotted key): a value other than a string or an array of strings on
/// one line is a gap. `[alias]` names cargo subcommands, not programs.
fn cargo_config(p: &Path, text: &str, home: &Path, out: &mut StoreConfigs) {
    let mut table = String::new();
    for (no, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(h) = t.strip_prefix('[') {
            table = h
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            continue;
        }
        let Some((k, v)) = t.split_once('=') else {
            continue;
        };
        let k = k.trim().replace(['"', '\'', ' '], "");
        let full = if table.is_empty() {
            k
        } else {
            format!("{table}.{k}")
        };
        let parts: Vec<&str> = full.split('.').collect();
        let last = parts.last().copied().unwrap_or_default();
        let program = matches!(
            full.as_str(),
            "build.rustc-wrapper"
                | "build.rustc-workspace-wrapper"
                | "build.rustc"
                | "build.rustdoc"
                | "host.linker"
                | "registry.credential-provider"
                | "registry.global-credential-providers"
        ) || (parts.first() == Some(&"target")
            && matches!(last, "linker" | "runner"))
            || (parts.first() == Some(&"registries") && last == "credential-provider")
            || (parts.first() == Some(&"credential-alias"));
        let flags = matches!(last, "rustflags" | "rustdocflags")
            && matches!(
                parts.first(),
                Some(&"build") | Some(&"target") | Some(&"host")
            );
        if !program && !flags {
            continue;
        }
        let v = v.trim();
        // The strings of a one-line value: `"x"`, `'x'`, `["x", "y"]`.
        let strings: Option<Vec<String>> = {
            let inner = v.strip_prefix('[').and_then(|r| r.strip_suffix(']'));
            let items: Vec<&str> = match inner {
                Some(i) => i
                    .split(',')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .collect(),
                None => vec![v],
            };
            items
                .iter()
                .map(|x| {
                    x.strip_prefix('"')
                        .and_then(|r| r.strip_suffix('"'))
                        .filter(|r| !r.contains('\\'))
                        .or_else(|| x.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
                        .map(str::to_string)
                })
                .collect()
        };
        let entry = format!("{full} = {v}");
        let origin = format!("the cargo configuration {}", p.display());
        let mut n = match strings {
            None => Named {
                home: home.to_path_buf(),
                unknown_command: Some(format!(
                    "line {}: a value the helper does not read (only a string or a one-line array of strings)",
                    no + 1
                )),
                ..Named::default()
            },
            Some(words) if flags => Named {
                home: home.to_path_buf(),
                mentioned: git::mentioned_paths(&words.join(" "), home),
                ..Named::default()
            },
            Some(words) => {
                // An array is the program and its arguments.
                let cmd = words
                    .iter()
                    .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
                    .collect::<Vec<_>>()
                    .join(" ");
                git::analyse_command(if words.len() == 1 { &words[0] } else { &cmd }, home)
            }
        };
        n.entry = entry;
        n.origin = origin;
        out.named.push(n);
    }
}

/// The programs `gpg-agent.conf` `p` names: the agent starts them.
fn gpg_agent(p: &Path, text: &str, home: &Path, out: &mut StoreConfigs) {
    for line in text.lines() {
        let t = line.trim();
        let (k, v) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
        if !matches!(
            k,
            "pinentry-program" | "scdaemon-program" | "tpm2daemon-program"
        ) {
            continue;
        }
        let v = v.trim();
        let mut n = Named {
            entry: format!("{k} {v}"),
            origin: format!("the gpg-agent configuration {}", p.display()),
            home: home.to_path_buf(),
            ..Named::default()
        };
        match git::expand_tilde(v, std::slice::from_ref(&home.to_path_buf())) {
            Some(ps) if ps.iter().all(|q| q.is_absolute()) => n.paths = ps,
            _ => n.unknown_command = Some("a program named by a relative path".into()),
        }
        out.named.push(n);
    }
}

/// ssh's words of a `Match` line: blanks separate, double quotes group.
fn ssh_words(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            c => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    Some(out)
}

/// What ssh configuration `p` (of `home`, at include depth `depth`)
/// includes and runs: `Include` (queued to be read in turn), the command
/// lines of `ProxyCommand`, `LocalCommand`, `KnownHostsCommand` and
/// `Match exec`, and the libraries of `PKCS11Provider` and
/// `SecurityKeyProvider`.
fn ssh_config(
    p: &Path,
    text: &str,
    home: &Path,
    depth: usize,
    queue: &mut Vec<(PathBuf, usize)>,
    out: &mut StoreConfigs,
) {
    let homes = [home.to_path_buf()];
    let origin = format!("the ssh configuration {}", p.display());
    let command = |v: &str, what: &str, out: &mut StoreConfigs| {
        let mut n = git::analyse_command(v, home);
        n.entry = format!("{what} {v}");
        n.origin = origin.clone();
        out.named.push(n);
    };
    for (no, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (k, v) = git::split_ssh_option(t);
        match k.to_ascii_lowercase().as_str() {
            "include" => {
                let Some(words) = ssh_words(v) else {
                    out.unknown.push(format!(
                        "{} line {}: an unterminated quote",
                        p.display(),
                        no + 1
                    ));
                    continue;
                };
                for w in words {
                    // A relative `Include` is below `~/.ssh`.
                    let w = if w.starts_with('/') || w.starts_with('~') {
                        w
                    } else {
                        format!("~/.ssh/{w}")
                    };
                    let Some(ps) = git::expand_tilde(&w, &homes).filter(|ps| {
                        !w.contains('%') && !w.contains('$') && ps.iter().all(|q| q.is_absolute())
                    }) else {
                        out.unknown.push(format!(
                            "{} line {}: Include {w} cannot be located",
                            p.display(),
                            no + 1
                        ));
                        continue;
                    };
                    for q in ps {
                        let why = format!("included by {}", p.display());
                        if w.contains(['*', '?', '[']) {
                            match (git::glob_last(&q), q.parent()) {
                                (Some(found), Some(dir)) => {
                                    // The directory is kept, so that no
                                    // new file appears in the pattern.
                                    out.configs.push((dir.to_path_buf(), why.clone()));
                                    for f in found {
                                        out.configs.push((f.clone(), why.clone()));
                                        queue.push((f, depth + 1));
                                    }
                                }
                                _ => out.unknown.push(format!(
                                    "{} line {}: Include {w} is a pattern the helper cannot list",
                                    p.display(),
                                    no + 1
                                )),
                            }
                            continue;
                        }
                        out.configs.push((q.clone(), why));
                        if depth + 1 > SSH_INCLUDE_DEPTH {
                            out.unknown.push(format!(
                                "{}: ssh configurations included too deep",
                                p.display()
                            ));
                        } else {
                            queue.push((q, depth + 1));
                        }
                    }
                }
            }
            "proxycommand" | "localcommand" | "knownhostscommand"
                if !v.eq_ignore_ascii_case("none") =>
            {
                command(v, k, out);
            }
            "pkcs11provider" | "securitykeyprovider" if v.contains('/') => {
                let mut n = Named {
                    entry: format!("{k} {v}"),
                    origin: origin.clone(),
                    home: home.to_path_buf(),
                    ..Named::default()
                };
                match git::expand_tilde(v, &homes) {
                    Some(ps) if ps.iter().all(|q| q.is_absolute()) => n.paths = ps,
                    _ => n.unknown_command = Some("a library named by a relative path".into()),
                }
                out.named.push(n);
            }
            "match" => {
                let Some(words) = ssh_words(v) else {
                    out.unknown.push(format!(
                        "{} line {}: an unterminated quote",
                        p.display(),
                        no + 1
                    ));
                    continue;
                };
                let mut it = words.iter();
                while let Some(w) = it.next() {
                    let w = w.strip_prefix('!').unwrap_or(w);
                    if w.eq_ignore_ascii_case("exec") {
                        match it.next() {
                            Some(cmd) => command(cmd, "Match exec", out),
                            None => out.unknown.push(format!(
                                "{} line {}: Match exec without its command",
                                p.display(),
                                no + 1
                            )),
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// How deep start-up files sourced by others are followed.
const STARTUP_DEPTH: usize = 4;

/// The language of a start-up file, for [`startup_text`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dialect {
    /// sh, bash, zsh, ksh: `source`/`.`, `PATH=`, zsh's `path=(…)`.
    Sh,
    /// fish: `source`, `set -gx PATH …`, `fish_add_path`.
    Fish,
    /// vim: `source`, `luafile`, `set runtimepath+=…`.
    Vim,
    /// tmux: `source-file`, `run-shell`.
    Tmux,
}

/// The start-up files of each home that the user's next shell, editor
/// or terminal reads (those of the filesystem guard's protected list
/// that hold code, and tmux's), with their language. Directories whose
/// every file is read (`~/.bashrc.d`, fish's `conf.d`) are listed.
fn startup_list(h: &Path) -> Vec<(PathBuf, Dialect)> {
    use Dialect::*;
    let mut out: Vec<(PathBuf, Dialect)> = [
        ".bashrc",
        ".bash_profile",
        ".bash_login",
        ".bash_logout",
        ".bash_aliases",
        ".bash_completion",
        ".profile",
        ".zshrc",
        ".zshenv",
        ".zprofile",
        ".zlogin",
        ".zlogout",
        ".kshrc",
        ".mkshrc",
        ".xprofile",
        ".xinitrc",
        ".xsessionrc",
    ]
    .iter()
    .map(|n| (h.join(n), Sh))
    .collect();
    out.push((h.join(".config/fish/config.fish"), Fish));
    for (d, pattern, dialect) in [
        (".bashrc.d", "*", Sh),
        (".config/fish/conf.d", "*.fish", Fish),
    ] {
        if let Some(found) = git::glob_last(&h.join(d).join(pattern)) {
            out.extend(found.into_iter().map(|f| (f, dialect)));
        }
    }
    for n in [".vimrc", ".exrc", ".config/nvim/init.vim"] {
        out.push((h.join(n), Vim));
    }
    for n in [".tmux.conf", ".config/tmux/tmux.conf"] {
        out.push((h.join(n), Tmux));
    }
    out
}

/// Read the homes' start-up files ([`startup_list`]) and what they
/// source below a home, as deep as [`STARTUP_DEPTH`], for the files they
/// source or run and the directories they put on search paths
/// ([`StartupRef`]). Files outside every home (`/etc/bash_completion`)
/// are the system's and not read.
fn startup_files(
    homes: &[PathBuf],
    var: &dyn Fn(&str) -> Option<OsString>,
    out: &mut StoreConfigs,
) {
    // Where a program named by its bare name is looked up (`eval "$(pyenv
    // init -)"`), after the directories the file itself put on `PATH`.
    // The system's directories too, which a login shell's `PATH` holds
    // whatever the caller's has.
    let mut caller_path: Vec<PathBuf> = var("PATH")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| p.is_absolute())
                .collect()
        })
        .unwrap_or_default();
    for d in [
        "/usr/local/bin",
        "/usr/bin",
        "/bin",
        "/usr/local/sbin",
        "/usr/sbin",
        "/sbin",
    ] {
        if !caller_path.iter().any(|p| p == Path::new(d)) {
            caller_path.push(PathBuf::from(d));
        }
    }
    for h in homes {
        // The XDG base directories, as the helper's other rules take them:
        // the caller's value, or their default.
        let mut seed = Vars::new();
        for (name, default) in [
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_DATA_HOME", ".local/share"),
        ] {
            let v = var(name)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .unwrap_or_else(|| h.join(default));
            seed.insert(name.to_string(), vec![v.display().to_string()]);
        }
        let mut queue: Vec<(PathBuf, Dialect, usize)> = startup_list(h)
            .into_iter()
            .map(|(p, d)| (p, d, 0))
            .collect();
        queue.reverse();
        let mut seen = std::collections::BTreeSet::new();
        while let Some((p, dialect, depth)) = queue.pop() {
            if !seen.insert(crate::plan::resolve_physical(&p)) {
                continue;
            }
            let Some(text) = read_config(&p, false, &mut out.unknown) else {
                continue;
            };
            let mut sourced = Vec::new();
            let env = StartupEnv {
                vars: &seed,
                path: &caller_path,
            };
            startup_text(&p, &text, dialect, h, &env, &mut sourced, out);
            for (f, d) in sourced {
                if !homes.iter().any(|h| f.starts_with(h)) {
                    continue;
                }
                if depth + 1 > STARTUP_DEPTH {
                    out.startup.push(StartupRef::Unknown(
                        None,
                        format!(
                            "{} sourced more than {STARTUP_DEPTH} files deep from {}",
                            f.display(),
                            p.display()
                        ),
                    ));
                } else {
                    queue.push((f, d, depth + 1));
                }
            }
        }
    }
}

/// The variables a start-up file assigned, with what each can stand for.
type Vars = std::collections::BTreeMap<String, Vec<String>>;

/// What [`startup_text`] does with a word naming a path: the word, what
/// it is, the language of the file it names when that file is read in
/// turn.
type EntryFn<'a> = dyn FnMut(&[Part], &str, Option<Dialect>, &Vars, &mut StoreConfigs) + 'a;

/// One piece of a shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    /// `~` at the start of a word: the home.
    Home,
    /// `$NAME`, `${NAME}`.
    Var(String),
    /// A command substitution (`$(…)`, `` `…` ``): its text. Known where
    /// every output it can have is ([`subst_values`]).
    Subst(String),
    /// An arithmetic or a parameter expansion with an operator: not
    /// known.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(Vec<Part>),
    /// `;`, `&`, `|`, a new line: the command ends.
    Sep,
    /// `&&`: the next command runs where this one succeeded.
    And,
    /// `||`: the next command runs where this one failed.
    Or,
    Open,
    Close,
    /// `<`, `>`: the next word is a file the command reads or writes;
    /// `true` for `2>`, where only error messages go.
    Redir(bool),
}

/// The tokens of one logical line of shell text, as far as the reader
/// models them: words (quotes taken off, expansions kept as parts),
/// command separators, parentheses and redirections; a comment ends it.
fn shell_tokens(line: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut word: Vec<Part> = Vec::new();
    let mut started = false;
    let c: Vec<char> = line.chars().collect();
    let mut i = 0;
    let push_lit = |word: &mut Vec<Part>, ch: char| match word.last_mut() {
        Some(Part::Lit(s)) => s.push(ch),
        _ => word.push(Part::Lit(ch.to_string())),
    };
    // `$…` at `i` (pointing at `$`): the part and the index after it.
    let dollar = |i: usize| -> (Part, usize) {
        let j = i + 1;
        match c.get(j) {
            Some('{') => {
                let end = c[j..].iter().position(|&x| x == '}').map(|p| j + p);
                match end {
                    Some(e) => {
                        let name: String = c[j + 1..e].iter().collect();
                        if !name.is_empty()
                            && name.chars().all(|x| x.is_ascii_alphanumeric() || x == '_')
                        {
                            (Part::Var(name), e + 1)
                        } else {
                            (Part::Unknown, e + 1)
                        }
                    }
                    None => (Part::Unknown, c.len()),
                }
            }
            Some('(') => {
                let mut depth = 0usize;
                let mut k = j;
                while k < c.len() {
                    match c[k] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    k += 1;
                }
                if k >= c.len() {
                    (Part::Unknown, c.len())
                } else {
                    (Part::Subst(c[j + 1..k].iter().collect()), k + 1)
                }
            }
            Some(x) if x.is_ascii_alphabetic() || *x == '_' => {
                let mut k = j;
                while k < c.len() && (c[k].is_ascii_alphanumeric() || c[k] == '_') {
                    k += 1;
                }
                (Part::Var(c[j..k].iter().collect()), k)
            }
            Some(x) if !x.is_whitespace() && *x != '"' => (Part::Unknown, j + 1),
            _ => (Part::Lit("$".into()), j),
        }
    };
    // `` `…` `` at `i`: the part and the index after it.
    let backtick = |i: usize| -> (Part, usize) {
        match c[i + 1..].iter().position(|&x| x == '`') {
            Some(p) => (Part::Subst(c[i + 1..i + 1 + p].iter().collect()), i + 2 + p),
            None => (Part::Unknown, c.len()),
        }
    };
    let end_word = |toks: &mut Vec<Tok>, word: &mut Vec<Part>, started: &mut bool| {
        if *started {
            toks.push(Tok::Word(std::mem::take(word)));
        }
        *started = false;
    };
    while i < c.len() {
        let ch = c[i];
        match ch {
            ' ' | '\t' | '\r' => {
                end_word(&mut toks, &mut word, &mut started);
                i += 1;
            }
            '#' if !started => break,
            ';' | '&' | '|' | '\n' => {
                end_word(&mut toks, &mut word, &mut started);
                if matches!(ch, '&' | '|') && c.get(i + 1) == Some(&ch) {
                    toks.push(if ch == '&' { Tok::And } else { Tok::Or });
                    i += 2;
                } else {
                    toks.push(Tok::Sep);
                    i += 1;
                }
            }
            '(' | ')' => {
                end_word(&mut toks, &mut word, &mut started);
                toks.push(if ch == '(' { Tok::Open } else { Tok::Close });
                i += 1;
            }
            '<' | '>' => {
                // A file descriptor's number right before it is no word.
                let fd = match word.as_slice() {
                    [Part::Lit(n)] if started && n.chars().all(|x| x.is_ascii_digit()) => {
                        Some(n.clone())
                    }
                    _ => None,
                };
                if fd.is_some() {
                    word.clear();
                    started = false;
                }
                end_word(&mut toks, &mut word, &mut started);
                toks.push(Tok::Redir(ch == '>' && fd.as_deref() == Some("2")));
                while i < c.len() && matches!(c[i], '<' | '>' | '&') {
                    i += 1;
                }
            }
            '\'' => {
                started = true;
                let end = c[i + 1..]
                    .iter()
                    .position(|&x| x == '\'')
                    .map(|p| i + 1 + p);
                let e = end.unwrap_or(c.len());
                for &x in &c[i + 1..e] {
                    push_lit(&mut word, x);
                }
                if end.is_none() {
                    word.push(Part::Unknown);
                }
                i = e + 1;
            }
            '"' => {
                started = true;
                i += 1;
                while i < c.len() && c[i] != '"' {
                    match c[i] {
                        '\\' if i + 1 < c.len() => {
                            push_lit(&mut word, c[i + 1]);
                            i += 2;
                        }
                        '$' => {
                            let (p, n) = dollar(i);
                            match p {
                                Part::Lit(s) => s.chars().for_each(|x| push_lit(&mut word, x)),
                                p => word.push(p),
                            }
                            i = n;
                        }
                        '`' => {
                            let (p, n) = backtick(i);
                            word.push(p);
                            i = n;
                        }
                        x => {
                            push_lit(&mut word, x);
                            i += 1;
                        }
                    }
                }
                if i >= c.len() {
                    word.push(Part::Unknown);
                }
                i += 1;
            }
            '\\' => {
                started = true;
                if let Some(&x) = c.get(i + 1) {
                    push_lit(&mut word, x);
                }
                i += 2;
            }
            '$' => {
                started = true;
                let (p, n) = dollar(i);
                match p {
                    Part::Lit(s) => s.chars().for_each(|x| push_lit(&mut word, x)),
                    p => word.push(p),
                }
                i = n;
            }
            '`' => {
                started = true;
                let (p, n) = backtick(i);
                word.push(p);
                i = n;
            }
            '~' if !started && matches!(c.get(i + 1), None | Some('/' | ' ' | ':' | '\t')) => {
                started = true;
                word.push(Part::Home);
                i += 1;
            }
            x => {
                started = true;
                push_lit(&mut word, x);
                i += 1;
            }
        }
    }
    end_word(&mut toks, &mut word, &mut started);
    toks
}

/// The strings word `w` can stand for with the variables known, or the
/// literal text before the first part that cannot be known.
fn expand_word(
    w: &[Part],
    vars: &std::collections::BTreeMap<String, Vec<String>>,
    home: &Path,
) -> Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    for p in w {
        let values: Vec<String> = match p {
            Part::Lit(s) => vec![s.clone()],
            Part::Home => vec![home.display().to_string()],
            Part::Var(n) if n == "HOME" => vec![home.display().to_string()],
            Part::Var(n) => match vars.get(n) {
                Some(v) => v.clone(),
                None => {
                    return Err(out
                        .first()
                        .cloned()
                        .filter(|_| out.len() == 1)
                        .unwrap_or_default())
                }
            },
            Part::Subst(text) => match subst_values(text, vars, home) {
                Some(v) => v,
                None => {
                    return Err(out
                        .first()
                        .cloned()
                        .filter(|_| out.len() == 1)
                        .unwrap_or_default())
                }
            },
            Part::Unknown => {
                return Err(out
                    .first()
                    .cloned()
                    .filter(|_| out.len() == 1)
                    .unwrap_or_default())
            }
        };
        let mut next = Vec::new();
        for a in &out {
            for v in &values {
                next.push(format!("{a}{v}"));
            }
        }
        if next.len() > 64 {
            return Err(String::new());
        }
        out = next;
    }
    Ok(out)
}

/// `w` split at each `:` of its literal parts (a `PATH` value).
fn split_colon(w: &[Part]) -> Vec<Vec<Part>> {
    let mut out = vec![Vec::new()];
    for p in w {
        match p {
            Part::Lit(s) => {
                let mut pieces = s.split(':');
                if let Some(first) = pieces.next() {
                    if !first.is_empty() {
                        out.last_mut().unwrap().push(Part::Lit(first.to_string()));
                    }
                }
                for piece in pieces {
                    out.push(Vec::new());
                    if !piece.is_empty() {
                        out.last_mut().unwrap().push(Part::Lit(piece.to_string()));
                    }
                }
            }
            p => out.last_mut().unwrap().push(p.clone()),
        }
    }
    out
}

/// Keywords and wrappers that may stand in front of a command in a
/// start-up file (`if`, `!`, `command`, `exec`, …): the command is the
/// word after them.
const COMMAND_PREFIX_WORDS: &[&str] = &[
    "if", "then", "do", "else", "elif", "while", "until", "!", "{", "}", "command", "builtin",
    "exec", "time", "nohup",
];

/// The words of `w` that are keywords or assignments in front of a
/// command: how many.
fn command_start(words: &[Vec<Part>]) -> usize {
    words
        .iter()
        .take_while(|w| match w.as_slice() {
            [Part::Lit(s)] if COMMAND_PREFIX_WORDS.contains(&s.as_str()) => true,
            [Part::Lit(s), ..] => s.split_once('=').is_some_and(|(n, _)| {
                !n.is_empty()
                    && n.chars().all(|x| x.is_ascii_alphanumeric() || x == '_')
                    && !n.starts_with(|x: char| x.is_ascii_digit())
            }),
            _ => false,
        })
        .count()
}

/// The simple commands of shell text `text` (a command substitution's),
/// each as its words from the command's name on, with how it is joined
/// to the one before (`None` after `;` or a new line, `Some(true)` after
/// `&&`, `Some(false)` after `||`); `None` where the text holds more
/// than such a list (a pipe's `|` counts as a separator: each side runs,
/// neither's output is judged here), as parentheses or redirections
/// other than to `/dev/null` do.
fn simple_commands(text: &str) -> Vec<(Option<bool>, Vec<Vec<Part>>, bool)> {
    let mut out: Vec<(Option<bool>, Vec<Vec<Part>>, bool)> = vec![(None, Vec::new(), true)];
    let mut it = shell_tokens(text).into_iter().peekable();
    while let Some(t) = it.next() {
        let last = out.last_mut().expect("one");
        match t {
            Tok::Word(w) => last.1.push(w),
            Tok::Sep => out.push((None, Vec::new(), true)),
            Tok::And => out.push((Some(true), Vec::new(), true)),
            Tok::Or => out.push((Some(false), Vec::new(), true)),
            Tok::Redir(errors) => {
                // `2> /dev/null` changes no output the value is made of.
                let dev_null = matches!(it.peek(), Some(Tok::Word(w)) if matches!(w.as_slice(), [Part::Lit(s)] if s == "/dev/null"));
                if !(errors && dev_null) {
                    last.2 = false;
                }
                it.next();
            }
            Tok::Open | Tok::Close => last.2 = false,
        }
    }
    out.retain(|(_, w, _)| !w.is_empty());
    for c in &mut out {
        let k = command_start(&c.1);
        c.1.drain(..k);
    }
    out
}

/// Every output command substitution `text` can have, where each is
/// known text: a list of tests (`[ … ]`, `[[ … ]]`, `test`, `true`,
/// `false`), each taken as both true and false, and of `printf %s WORD`,
/// `printf '%s\n' WORD`, `printf TEXT` or `echo WORD…` of known words,
/// joined by `&&` and `||` (nvm's `$([ -z "${XDG_CONFIG_HOME-}" ] &&
/// printf %s "${HOME}/.nvm" || printf %s "${XDG_CONFIG_HOME}/nvm")`).
/// Anything else (another program, whose output cannot be known): `None`.
fn subst_values(text: &str, vars: &Vars, home: &Path) -> Option<Vec<String>> {
    // Each way the list can go: what it printed so far, and whether the
    // last command succeeded.
    let mut states: Vec<(String, bool)> = vec![(String::new(), true)];
    for (i, (join, words, plain)) in simple_commands(text).into_iter().enumerate() {
        if !plain || (i > 0 && join.is_none()) {
            return None;
        }
        let lit = |w: &Vec<Part>| match w.as_slice() {
            [Part::Lit(s)] => Some(s.clone()),
            _ => None,
        };
        let name = words.first().and_then(lit)?;
        let args = &words[1..];
        // What the command prints: `None` for a test.
        let printed: Option<Vec<String>> = match name.as_str() {
            "[" | "[[" | "test" | "true" | "false" | ":" => None,
            "printf" => {
                let fmt = args.first().and_then(lit)?;
                match (fmt.as_str(), args.len()) {
                    ("%s" | "%s\\n", 2) => Some(expand_word(&args[1], vars, home).ok()?),
                    (f, 1) if !f.contains(['%', '\\']) => Some(vec![f.to_string()]),
                    _ => return None,
                }
            }
            "echo" => {
                let mut v = vec![String::new()];
                for (k, w) in args.iter().enumerate() {
                    if lit(w).is_some_and(|s| s.starts_with('-')) {
                        return None;
                    }
                    let sep = if k == 0 { "" } else { " " };
                    let vs = expand_word(w, vars, home).ok()?;
                    v = v
                        .iter()
                        .flat_map(|a| vs.iter().map(move |b| format!("{a}{sep}{b}")))
                        .collect();
                }
                Some(v)
            }
            _ => return None,
        };
        let mut next = Vec::new();
        for (o, ok) in &states {
            let runs = match join {
                None => true,
                Some(true) => *ok,
                Some(false) => !*ok,
            };
            if !runs {
                next.push((o.clone(), *ok));
                continue;
            }
            match &printed {
                None => {
                    next.push((o.clone(), true));
                    next.push((o.clone(), false));
                }
                Some(vs) => next.extend(vs.iter().map(|v| (format!("{o}{v}"), true))),
            }
        }
        next.sort();
        next.dedup();
        if next.len() > 64 {
            return None;
        }
        states = next;
    }
    let mut out: Vec<String> = states
        .into_iter()
        .map(|(o, _)| o.trim_end_matches('\n').to_string())
        .collect();
    out.sort();
    out.dedup();
    // Unquoted, such a value would be split and matched as a pattern.
    if out
        .iter()
        .any(|v| v.contains(|x: char| x.is_whitespace() || matches!(x, '*' | '?' | '[')))
    {
        return None;
    }
    Some(out)
}

/// The command substitutions of `w`, nested ones included.
fn substs_of(w: &[Part], out: &mut Vec<String>) {
    for p in w {
        if let Part::Subst(t) = p {
            out.push(t.clone());
            for (_, words, _) in simple_commands(t) {
                for x in &words {
                    substs_of(x, out);
                }
            }
        }
    }
}

/// Whether word `w` names a path (not a program looked up on `PATH`).
fn path_like(w: &[Part]) -> bool {
    match w.first() {
        Some(Part::Lit(s)) => s.contains('/'),
        Some(Part::Home) => true,
        Some(Part::Var(_)) => w
            .iter()
            .any(|p| matches!(p, Part::Lit(s) if s.contains('/'))),
        _ => false,
    }
}

/// The install tree of program `p` (a real path): the directory above
/// its own (`/home/linuxbrew/.linuxbrew` for `…/bin/brew`), or its own
/// where that is `/`.
fn install_tree(p: &Path) -> PathBuf {
    let dir = p.parent().unwrap_or(Path::new("/"));
    match dir.parent() {
        Some(up) if up != Path::new("/") => up.to_path_buf(),
        _ => dir.to_path_buf(),
    }
}

/// What the reader knows of the user's next shell before its start-up
/// files run.
struct StartupEnv<'a> {
    /// The variables it has (the XDG base directories).
    vars: &'a Vars,
    /// The caller's `PATH` directories.
    path: &'a [PathBuf],
}

/// What start-up file `p` (of `dialect`, in `home`) sources, runs and
/// puts on search paths, into `out.startup`; the files it sources, to be
/// read in turn, into `sourced`.
fn startup_text(
    p: &Path,
    text: &str,
    dialect: Dialect,
    home: &Path,
    env: &StartupEnv<'_>,
    sourced: &mut Vec<(PathBuf, Dialect)>,
    out: &mut StoreConfigs,
) {
    let mut vars: Vars = env.vars.clone();
    // The variables assigned from a command substitution that is not
    // known, with its text: what `eval "$__conda_setup"` runs.
    let mut subst_vars: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    // The directories this file put on `PATH`, where a program named by
    // its bare name is looked up first.
    let path_seen: std::cell::RefCell<Vec<PathBuf>> = Default::default();
    // The directories a `for` variable's patterns were listed in: kept
    // when it is sourced, so that no new match appears.
    let mut globbed: std::collections::BTreeMap<String, Vec<PathBuf>> = Default::default();
    // Lines continued with `\` read as one.
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut cont = false;
    for (no, line) in text.lines().enumerate() {
        let joined = line.strip_suffix('\\').filter(|_| dialect != Dialect::Vim);
        if cont {
            let last = lines.last_mut().expect("continued");
            last.1.push_str(joined.unwrap_or(line));
        } else {
            lines.push((no + 1, joined.unwrap_or(line).to_string()));
        }
        cont = joined.is_some();
    }
    for (no, line) in lines {
        let at = |what: &str| format!("{} line {no}: {what}", p.display());
        let mut entry = |w: &[Part],
                         kind: &str,
                         next: Option<Dialect>,
                         vars: &std::collections::BTreeMap<String, Vec<String>>,
                         out: &mut StoreConfigs| {
            match expand_word(w, vars, home) {
                Ok(vs) => {
                    for v in vs {
                        if kind == "PATH entry" && v.starts_with('/') {
                            path_seen.borrow_mut().push(PathBuf::from(&v));
                        }
                        if v.is_empty() || !v.starts_with('/') {
                            out.startup.push(StartupRef::Unknown(
                                None,
                                at(&format!("{kind} {v:?} is relative to where it is used")),
                            ));
                            continue;
                        }
                        let q = PathBuf::from(&v);
                        let found = if v.contains(['*', '?', '[']) {
                            match (git::glob_last(&q), q.parent()) {
                                (Some(f), Some(d)) => {
                                    // The directory too: no new match appears.
                                    out.startup
                                        .push(StartupRef::Path(d.to_path_buf(), at(kind)));
                                    f
                                }
                                _ => {
                                    out.startup.push(StartupRef::Unknown(
                                        None,
                                        at(&format!(
                                            "{kind} {v} is a pattern the helper cannot list"
                                        )),
                                    ));
                                    continue;
                                }
                            }
                        } else {
                            vec![q]
                        };
                        for f in found {
                            out.startup.push(StartupRef::Path(f.clone(), at(kind)));
                            if let Some(d) = next {
                                sourced.push((f, d));
                            }
                        }
                    }
                }
                Err(prefix) => {
                    let dir = prefix
                        .starts_with('/')
                        .then(|| PathBuf::from(&prefix[..=prefix.rfind('/').unwrap_or(0)]));
                    out.startup.push(StartupRef::Unknown(
                        dir,
                        at(&format!(
                            "{kind} written with an expansion the helper cannot resolve"
                        )),
                    ));
                }
            }
        };
        match dialect {
            Dialect::Vim => {
                let t = line.trim_start().trim_start_matches(':').trim_start();
                if t.starts_with('"') {
                    continue;
                }
                let (cmd, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
                let rest = rest.trim();
                let word = |s: &str| match shell_tokens(&s.replace(' ', "\\ ")).first() {
                    Some(Tok::Word(w)) => w.clone(),
                    _ => vec![Part::Unknown],
                };
                match cmd.trim_end_matches('!') {
                    "so" | "sou" | "sour" | "sourc" | "source" => {
                        entry(&word(rest), "source", Some(Dialect::Vim), &vars, out)
                    }
                    "luafile" | "pyfile" | "py3file" | "pyxfile" | "rubyfile" | "perlfile" => {
                        entry(&word(rest), cmd, None, &vars, out)
                    }
                    "set" | "se" | "setglobal" | "setg" => {
                        for opt in rest.split_whitespace() {
                            let Some((name, value)) = opt.split_once('=') else {
                                continue;
                            };
                            let name = name.trim_end_matches(['+', '^', '-']);
                            if matches!(name, "rtp" | "runtimepath" | "pp" | "packpath") {
                                for d in value.split(',').filter(|d| !d.is_empty()) {
                                    entry(&word(d), "runtimepath", None, &vars, out);
                                }
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Dialect::Sh | Dialect::Fish | Dialect::Tmux => {}
        }
        let toks = shell_tokens(&line);
        // Split into simple commands.
        let mut commands: Vec<Vec<Tok>> = vec![Vec::new()];
        for t in toks {
            match t {
                Tok::Sep | Tok::And | Tok::Or => commands.push(Vec::new()),
                t => commands.last_mut().unwrap().push(t),
            }
        }
        for cmd in commands {
            let mut it = cmd.into_iter().peekable();
            let mut words: Vec<Vec<Part>> = Vec::new();
            let mut arrays: Vec<(String, Vec<Vec<Part>>)> = Vec::new();
            while let Some(t) = it.next() {
                match t {
                    Tok::Word(w) => {
                        // zsh's `path=(…)`, `path+=(…)`.
                        let name = match w.as_slice() {
                            [Part::Lit(s)] if s.ends_with('=') => {
                                Some(s.trim_end_matches('=').trim_end_matches('+').to_string())
                            }
                            _ => None,
                        };
                        if let (Some(n), Some(Tok::Open)) = (name, it.peek()) {
                            it.next();
                            let mut items = Vec::new();
                            for t in it.by_ref() {
                                match t {
                                    Tok::Word(x) => items.push(x),
                                    _ => break,
                                }
                            }
                            arrays.push((n, items));
                            continue;
                        }
                        words.push(w)
                    }
                    Tok::Redir(_) => {
                        it.next();
                    }
                    // `PATTERN)` of a `case`: no command.
                    Tok::Close if words.len() == 1 && arrays.is_empty() => words.clear(),
                    Tok::Open | Tok::Close | Tok::Sep | Tok::And | Tok::Or => {}
                }
            }
            // A program named by a path in a command substitution runs
            // wherever the substitution is (`x="$('/opt/conda/bin/conda'
            // shell.bash hook)"`).
            if dialect != Dialect::Tmux {
                let mut texts = Vec::new();
                for w in words
                    .iter()
                    .chain(arrays.iter().flat_map(|(_, i)| i.iter()))
                {
                    substs_of(w, &mut texts);
                }
                for t in texts {
                    for (_, cmd, _) in simple_commands(&t) {
                        if let Some(c0) = cmd.first().filter(|c| path_like(c)) {
                            entry(
                                c0,
                                "program run by a command substitution",
                                None,
                                &vars,
                                out,
                            );
                        }
                    }
                }
            }
            for (n, items) in arrays {
                if n == "path" || n == "PATH" {
                    for w in items {
                        if !matches!(w.as_slice(), [Part::Var(v)] if v == "path" || v == "PATH") {
                            entry(&w, "PATH entry", None, &vars, out);
                        }
                    }
                }
            }
            let lit = |w: &Vec<Part>| -> Option<String> {
                match w.as_slice() {
                    [Part::Lit(s)] => Some(s.clone()),
                    _ => None,
                }
            };
            let mut k = 0;
            // Keywords and wrappers in front of the command.
            while k < words.len()
                && lit(&words[k]).is_some_and(|s| {
                    COMMAND_PREFIX_WORDS.contains(&s.as_str())
                        // Closing keywords, and fish's.
                        || matches!(
                            s.as_str(),
                            "fi" | "done" | "esac" | "and" | "or" | "not" | "begin" | "end"
                        )
                })
            {
                k += 1;
            }
            if dialect == Dialect::Tmux {
                let Some(c0) = words.get(k).and_then(lit) else {
                    continue;
                };
                let args: Vec<&Vec<Part>> = words[k + 1..]
                    .iter()
                    .filter(|w| !lit(w).is_some_and(|s| s.starts_with('-')))
                    .collect();
                match c0.as_str() {
                    "source-file" | "source" => {
                        for w in args {
                            entry(w, "source-file", Some(Dialect::Tmux), &vars, out);
                        }
                    }
                    "run-shell" | "run" => {
                        if let Some(w) = args.first() {
                            let first = expand_word(w, &vars, home)
                                .ok()
                                .and_then(|v| v.first().cloned())
                                .and_then(|cmdline| match shell_tokens(&cmdline).first() {
                                    Some(Tok::Word(x)) => Some(x.clone()),
                                    _ => None,
                                });
                            match first {
                                Some(x) if matches!(x.first(), Some(Part::Lit(s)) if !s.contains('/')) =>
                                    {}
                                Some(x) => entry(&x, "run-shell", None, &vars, out),
                                None => entry(&[Part::Unknown], "run-shell", None, &vars, out),
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            // Assignments, also after `export`, `declare`, `local`, …
            let assign = |w: &Vec<Part>,
                          vars: &mut std::collections::BTreeMap<String, Vec<String>>,
                          out: &mut StoreConfigs,
                          entry: &mut EntryFn<'_>|
             -> bool {
                let Some(Part::Lit(first)) = w.first() else {
                    return false;
                };
                let Some(eq) = first.find('=') else {
                    return false;
                };
                let name = first[..eq].trim_end_matches('+');
                if name.is_empty()
                    || !name.chars().all(|x| x.is_ascii_alphanumeric() || x == '_')
                    || name.starts_with(|x: char| x.is_ascii_digit())
                {
                    return false;
                }
                let mut value = vec![Part::Lit(first[eq + 1..].to_string())];
                value.extend(w[1..].iter().cloned());
                if name == "PATH" {
                    for e in split_colon(&value) {
                        if !matches!(e.as_slice(), [Part::Var(v)] if v == "PATH") {
                            entry(&e, "PATH entry", None, vars, out);
                        }
                    }
                }
                match expand_word(&value, vars, home) {
                    Ok(v) if !first[..eq].ends_with('+') => {
                        vars.insert(name.to_string(), v);
                    }
                    _ => {
                        vars.remove(name);
                    }
                }
                true
            };
            // Which variables hold the output of a program.
            let note_subst = |w: &Vec<Part>,
                              subst_vars: &mut std::collections::BTreeMap<String, Vec<String>>,
                              vars: &Vars| {
                let Some(Part::Lit(first)) = w.first() else {
                    return;
                };
                let Some((name, _)) = first.split_once('=') else {
                    return;
                };
                let mut texts = Vec::new();
                substs_of(&w[1..], &mut texts);
                if !texts.is_empty() && !vars.contains_key(name) {
                    subst_vars.insert(name.to_string(), texts);
                } else {
                    subst_vars.remove(name);
                }
            };
            while k < words.len() && assign(&words[k], &mut vars, out, &mut entry) {
                note_subst(&words[k], &mut subst_vars, &vars);
                k += 1;
            }
            let Some(c0) = words.get(k) else {
                continue;
            };
            let args = &words[k + 1..];
            let name = lit(c0).unwrap_or_default();
            match name.as_str() {
                "export" | "declare" | "typeset" | "local" | "readonly" => {
                    for w in args {
                        if assign(w, &mut vars, out, &mut entry) {
                            note_subst(w, &mut subst_vars, &vars);
                        }
                    }
                }
                "eval" => {
                    // The code eval runs is a program's output (`eval
                    // "$(pyenv init -)"`, `eval "$__conda_setup"`): not
                    // known, but made by the program from its own install.
                    let mut texts = Vec::new();
                    for w in args {
                        for part in w {
                            match part {
                                Part::Subst(t) => texts.push(t.clone()),
                                Part::Var(v) => {
                                    texts.extend(subst_vars.get(v).into_iter().flatten().cloned())
                                }
                                _ => {}
                            }
                        }
                    }
                    for t in texts {
                        for (_, cmd, _) in simple_commands(&t) {
                            let Some(prog) = cmd.first() else { continue };
                            let what = "program whose output eval runs";
                            let found: Vec<PathBuf> = if path_like(prog) {
                                match expand_word(prog, &vars, home) {
                                    Ok(vs) => vs
                                        .into_iter()
                                        .filter(|v| v.starts_with('/'))
                                        .map(PathBuf::from)
                                        .collect(),
                                    Err(_) => Vec::new(),
                                }
                            } else if let Some(n) = lit(prog).filter(|n| !n.is_empty()) {
                                // Where the user's shell finds it: a `PATH`
                                // directory this file or the caller has.
                                path_seen
                                    .borrow()
                                    .iter()
                                    .chain(env.path.iter())
                                    .map(|d| d.join(&n))
                                    .filter(|f| f.is_file())
                                    .collect()
                            } else {
                                Vec::new()
                            };
                            if found.is_empty() {
                                out.startup.push(StartupRef::Unknown(
                                    None,
                                    at("eval runs the output of a program found by no path the helper knows"),
                                ));
                                continue;
                            }
                            for f in found {
                                if path_like(prog) {
                                    out.startup.push(StartupRef::Path(f.clone(), at(what)));
                                }
                                let real = crate::plan::resolve_physical(&f);
                                out.startup.push(StartupRef::Output(
                                    install_tree(&real),
                                    at(&format!("eval runs what {} prints", f.display())),
                                ));
                            }
                            // Files named to it (`dircolors -b ~/.dircolors`).
                            for a in cmd[1..].iter().filter(|a| path_like(a)) {
                                entry(
                                    a,
                                    "file given to a program whose output eval runs",
                                    None,
                                    &vars,
                                    out,
                                );
                            }
                        }
                    }
                }
                "source" | "." => {
                    if let Some(w) = args.iter().find(|w| lit(w).is_none_or(|s| s != "--")) {
                        for part in w.iter() {
                            if let Part::Var(v) = part {
                                for d in globbed.get(v).into_iter().flatten() {
                                    out.startup.push(StartupRef::Path(d.clone(), at("source")));
                                }
                            }
                        }
                        entry(w, "source", Some(dialect), &vars, out);
                    }
                }
                "set" if dialect == Dialect::Fish => {
                    let rest: Vec<&Vec<Part>> = args
                        .iter()
                        .filter(|w| !lit(w).is_some_and(|s| s.starts_with('-')))
                        .collect();
                    if let Some((n, values)) = rest.split_first() {
                        let n = lit(n).unwrap_or_default();
                        if n == "PATH" || n == "fish_user_paths" {
                            for w in values {
                                for e in split_colon(w) {
                                    if !matches!(e.as_slice(), [Part::Var(v)] if v == "PATH" || v == "fish_user_paths")
                                    {
                                        entry(&e, "PATH entry", None, &vars, out);
                                    }
                                }
                            }
                        }
                        let all: Result<Vec<Vec<String>>, String> =
                            values.iter().map(|w| expand_word(w, &vars, home)).collect();
                        match all {
                            Ok(v) => {
                                vars.insert(n, v.concat());
                            }
                            Err(_) => {
                                vars.remove(&n);
                            }
                        }
                    }
                }
                "fish_add_path" => {
                    for w in args
                        .iter()
                        .filter(|w| !lit(w).is_some_and(|s| s.starts_with('-')))
                    {
                        entry(w, "PATH entry", None, &vars, out);
                    }
                }
                "for" => {
                    // `for V in WORDS`: V stands for each of them.
                    if let (Some(v), Some(true)) = (
                        args.first().and_then(lit),
                        args.get(1).and_then(lit).map(|s| s == "in"),
                    ) {
                        let mut values = Vec::new();
                        let mut dirs = Vec::new();
                        let mut known = true;
                        for w in &args[2..] {
                            if lit(w).is_some_and(|s| s == "do") {
                                break;
                            }
                            match expand_word(w, &vars, home) {
                                Ok(vs) => {
                                    for x in vs {
                                        if x.contains(['*', '?', '[']) {
                                            match git::glob_last(Path::new(&x)) {
                                                Some(f) => {
                                                    values.extend(
                                                        f.iter().map(|q| q.display().to_string()),
                                                    );
                                                    dirs.extend(
                                                        Path::new(&x)
                                                            .parent()
                                                            .map(Path::to_path_buf),
                                                    );
                                                }
                                                None => known = false,
                                            }
                                        } else {
                                            values.push(x);
                                        }
                                    }
                                }
                                Err(_) => known = false,
                            }
                        }
                        globbed.insert(v.clone(), dirs);
                        if known {
                            vars.insert(v, values);
                        } else {
                            vars.remove(&v);
                        }
                    }
                }
                _ => {
                    // A program named by a path: the shell runs it.
                    if path_like(c0) {
                        entry(c0, "program", None, &vars, out);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_up_files_are_read_for_what_they_source_and_put_on_path() {
        let t = tempfile::tempdir().unwrap();
        let h = t.path().to_path_buf();
        let run = |dialect: Dialect, text: &str| {
            let mut out = StoreConfigs::default();
            let mut sourced = Vec::new();
            let env = StartupEnv {
                vars: &Vars::new(),
                path: &[PathBuf::from("/usr/bin"), PathBuf::from("/bin")],
            };
            startup_text(
                &h.join("rc"),
                text,
                dialect,
                &h,
                &env,
                &mut sourced,
                &mut out,
            );
            (out.startup, sourced)
        };
        // The stock files of Debian's skeleton: nothing a shell reads from
        // an unknown place.
        for skel in ["/etc/skel/.bashrc", "/etc/skel/.profile"] {
            if let Ok(text) = std::fs::read_to_string(skel) {
                let (refs, _) = run(Dialect::Sh, &text);
                assert!(
                    !refs.iter().any(|r| matches!(r, StartupRef::Unknown(..))),
                    "{skel}: {refs:?}"
                );
            }
        }
        let text = "# aliases\nalias ll='ls -l'\n. ~/proj/tools/aliases.sh\n\
            [ -f ~/x.sh ] && source \"$HOME/x.sh\"\n\
            export PATH=\"$HOME/proj/bin:$PATH:/usr/local/go/bin\"\n\
            export NVM_DIR=\"$HOME/.nvm\"\n\\. \"$NVM_DIR/nvm.sh\"\n\
            path=(~/zbin $path)\n~/proj/setup.sh --quiet\n\
            case \":$PATH:\" in *:\"$HOME/.cargo/bin\":*) ;; esac\n\
            for f in ~/none.d/*; do . \"$f\"; done\n";
        let (refs, sourced) = run(Dialect::Sh, text);
        let paths: Vec<PathBuf> = refs
            .iter()
            .filter_map(|r| match r {
                StartupRef::Path(p, _) => Some(p.clone()),
                _ => None,
            })
            .collect();
        for want in [
            "proj/tools/aliases.sh",
            "x.sh",
            "proj/bin",
            "usr/local/go/bin",
            ".nvm/nvm.sh",
            "zbin",
            "proj/setup.sh",
            "none.d",
        ] {
            assert!(paths.iter().any(|p| p.ends_with(want)), "{want}: {refs:?}");
        }
        assert!(
            !refs.iter().any(|r| matches!(r, StartupRef::Unknown(..))),
            "{refs:?}"
        );
        assert_eq!(sourced.len(), 3, "{sourced:?}");
        // What the reader cannot resolve: with the literal directory it
        // starts in, if any.
        let (refs, _) = run(
            Dialect::Sh,
            "source \"$PROJ/aliases.sh\"\nexport PATH=\"/opt/$V/bin:$(brew --prefix)/bin:.:$PATH\"\n",
        );
        let unknown: Vec<Option<PathBuf>> = refs
            .iter()
            .filter_map(|r| match r {
                StartupRef::Unknown(d, _) => Some(d.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            unknown,
            vec![None, Some(PathBuf::from("/opt/")), None, None],
            "{refs:?}"
        );
        let (refs, _) = run(
            Dialect::Fish,
            "set -gx PATH ~/proj/bin $PATH\nfish_add_path -g ~/fbin\nsource ~/f.fish\n",
        );
        assert_eq!(refs.len(), 3, "{refs:?}");
        let (refs, _) = run(
            Dialect::Vim,
            "\" c\nsource ~/proj/vimrc\nset rtp+=~/proj/vim,~/v2\n",
        );
        assert_eq!(refs.len(), 3, "{refs:?}");
        let (refs, _) = run(
            Dialect::Tmux,
            "source-file -q ~/proj/tmux.conf\nrun '~/.tmux/plugins/tpm/tpm'\nrun 'echo hi'\n",
        );
        assert_eq!(refs.len(), 2, "{refs:?}");
    }

    /// The lines the common installers append to `~/.bashrc`: what they
    /// source and put on `PATH` is known (nvm's directory is one of two
    /// texts, whichever way its test goes), and a program whose output
    /// `eval` runs names its install tree. What cannot be known stays a
    /// gap.
    #[test]
    fn installer_lines_are_read_and_eval_names_the_program_tree() {
        let t = tempfile::tempdir().unwrap();
        let h = t.path().to_path_buf();
        for f in [
            ".pyenv/bin/pyenv",
            "lb/Homebrew/bin/brew",
            "conda/bin/conda",
        ] {
            std::fs::create_dir_all(h.join(f).parent().unwrap()).unwrap();
            std::fs::write(h.join(f), "#!/bin/sh\n").unwrap();
        }
        std::fs::create_dir_all(h.join("lb/bin")).unwrap();
        std::os::unix::fs::symlink("../Homebrew/bin/brew", h.join("lb/bin/brew")).unwrap();
        let mut seed = Vars::new();
        seed.insert(
            "XDG_CONFIG_HOME".into(),
            vec![h.join("xdg").display().to_string()],
        );
        let run = |text: &str| {
            let mut out = StoreConfigs::default();
            let mut sourced = Vec::new();
            let env = StartupEnv {
                vars: &seed,
                path: &[PathBuf::from("/usr/bin"), PathBuf::from("/bin")],
            };
            startup_text(
                &h.join("rc"),
                text,
                Dialect::Sh,
                &h,
                &env,
                &mut sourced,
                &mut out,
            );
            (out.startup, sourced)
        };
        let hs = h.display().to_string();
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/startup/installers.bashrc"),
        )
        .unwrap()
        .replace("@HOME@", &hs);
        let (refs, sourced) = run(&text);
        assert!(
            !refs.iter().any(|r| matches!(r, StartupRef::Unknown(..))),
            "{refs:#?}"
        );
        let has = |want: StartupRef| {
            refs.iter().any(|r| match (r, &want) {
                (StartupRef::Path(a, _), StartupRef::Path(b, _))
                | (StartupRef::Output(a, _), StartupRef::Output(b, _)) => a == b,
                _ => false,
            })
        };
        let path = |rel: &str| StartupRef::Path(h.join(rel), String::new());
        let tree = |rel: &str| StartupRef::Output(h.join(rel), String::new());
        for want in [
            // nvm: both places its directory can be.
            path(".nvm/nvm.sh"),
            path(".nvm/bash_completion"),
            path("xdg/nvm/nvm.sh"),
            path("xdg/nvm/bash_completion"),
            // sdkman, cargo.
            path(".sdkman/bin/sdkman-init.sh"),
            path(".cargo/env"),
            // pyenv: found on the PATH the file set.
            path(".pyenv/bin"),
            tree(".pyenv"),
            // Homebrew, by its path (a link: its real tree).
            path("lb/bin/brew"),
            tree("lb/Homebrew"),
            // conda's block.
            path("conda/bin/conda"),
            tree("conda"),
            path("conda/etc/profile.d/conda.sh"),
            path("conda/bin"),
        ] {
            assert!(has(want.clone()), "{want:?}: {refs:#?}");
        }
        for f in [
            ".nvm/nvm.sh",
            "xdg/nvm/nvm.sh",
            ".sdkman/bin/sdkman-init.sh",
            ".cargo/env",
        ] {
            assert!(
                sourced.iter().any(|(p, _)| *p == h.join(f)),
                "{f}: {sourced:?}"
            );
        }
        // What stays a gap: a substitution whose output a program makes,
        // an alternative that depends on a variable the reader does not
        // know, a program eval runs that no PATH directory holds, output
        // that would be split into words.
        for text in [
            "export V=\"$(cat ~/where)\"\n. \"$V/x.sh\"\n",
            "X=\"$([ -n \"$A\" ] && printf %s \"$A\" || printf %s /opt)\"\n. \"$X/a.sh\"\n",
            "eval \"$(no-such-program-ku0 init -)\"\n",
            "X=\"$(echo ~/a ~/b)\"\n. \"$X\"\n",
            "X=\"$(printf %s ~/a >/dev/null)\"\n. \"$X/a.sh\"\n",
        ] {
            let (refs, _) = run(text);
            assert!(
                refs.iter().any(|r| matches!(r, StartupRef::Unknown(..))),
                "{text}: {refs:#?}"
            );
        }
        // Alternatives the reader knows in full: each one.
        let (refs, _) = run("D=\"$(test -d /x && echo ~/one || echo ~/two)\"\n. \"$D/s.sh\"\n");
        assert!(
            has_all(&refs, &[h.join("one/s.sh"), h.join("two/s.sh")]),
            "{refs:#?}"
        );
    }

    fn has_all(refs: &[StartupRef], want: &[PathBuf]) -> bool {
        !refs.iter().any(|r| matches!(r, StartupRef::Unknown(..)))
            && want.iter().all(|w| {
                refs.iter()
                    .any(|r| matches!(r, StartupRef::Path(p, _) if p == w))
            })
    }

    #[test]
    fn a_settings_variable_naming_dev_null_reads_no_file() {
        let t = tempfile::tempdir().unwrap();
        let h = t.path().to_path_buf();
        std::fs::create_dir_all(h.join(".config/pip")).unwrap();
        std::fs::write(
            h.join(".config/pip/pip.conf"),
            "[global]\nclient-cert = /k/p\n",
        )
        .unwrap();
        let run = |v: &str| {
            let mut out = StoreConfigs::default();
            let get = |n: &str| (n == "PIP_CONFIG_FILE").then(|| OsString::from(v));
            tool_configs(std::slice::from_ref(&h), &get, &mut out);
            (out.secrets.len(), out.unknown)
        };
        assert_eq!(run("/dev/null"), (0, vec![]));
        let extra = h.join("extra.conf");
        std::fs::write(&extra, "[global]\nclient-cert = /k/q\n").unwrap();
        assert_eq!(run(extra.to_str().unwrap()), (2, vec![]));
    }

    #[test]
    fn other_tools_settings_name_secret_files_and_odd_values_are_gaps() {
        let homes = vec![PathBuf::from("/h")];
        let run = |format: ToolFormat, text: &str| {
            let mut out = StoreConfigs::default();
            tool_config(format, Path::new("/h/conf"), text, &homes, &mut out);
            let secrets: Vec<PathBuf> = out.secrets.iter().map(|s| s.0.clone()).collect();
            (secrets, out.unknown)
        };
        let (s, u) = run(
            ToolFormat::Curlrc,
            "# c\n--key /k/a\nkey = \"/k/b\"\ncert: ~/c.pem\n-E /k/d\nurl = x\n",
        );
        assert_eq!(
            s,
            ["/k/a", "/k/b", "/h/c.pem", "/k/d"]
                .map(PathBuf::from)
                .to_vec()
        );
        assert!(u.is_empty(), "{u:?}");
        let (s, _) = run(ToolFormat::Wgetrc, "Private-Key = /k/w\nprivatekey=/k/x\n");
        assert_eq!(s, ["/k/w", "/k/x"].map(PathBuf::from).to_vec());
        let (s, _) = run(
            ToolFormat::MavenSettings,
            "<server><privateKey>${user.home}/.ssh/id</privateKey></server>",
        );
        assert_eq!(s, vec![PathBuf::from("/h/.ssh/id")]);
        let (s, u) = run(ToolFormat::Npmrc, "keyfile=rel/key\ncafile=${HOME}/ca\n");
        assert!(s.is_empty());
        assert_eq!(u.len(), 2, "{u:?}");
        let (s, _) = run(ToolFormat::MyCnf, "[client]\nhost=db\n");
        assert!(s.is_empty());
        let (s, _) = run(ToolFormat::MyCnf, "[client]\npassword = x\n");
        assert_eq!(s, vec![PathBuf::from("/h/conf")]);
        let (_, u) = run(ToolFormat::MyCnf, "!includedir /etc/my.d\n");
        assert_eq!(u.len(), 1);
    }

    #[test]
    fn kubeconfig_files_and_plugins_are_read_and_odd_forms_are_gaps() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("config");
        let text = "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority: ca.crt\n    server: https://k/x\n  name: c\nusers:\n- name: u\n  user:\n    client-certificate: \"/k/cert\"\n    client-key: '/k/key'\n    client-key-data: AAAA\n    tokenFile: /k/token # the token\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./bin/cred\n      args:\n      - /w/helper.sh\n- name: v\n  user: {client-key: /k/flow}\n- name: client-key-rotation\n";
        let mut out = StoreConfigs::default();
        kubeconfig(&p, text, Path::new("/h"), &mut out);
        let secrets: Vec<PathBuf> = out.secrets.iter().map(|s| s.0.clone()).collect();
        assert_eq!(
            secrets,
            vec![
                t.path().join("ca.crt"),
                PathBuf::from("/k/cert"),
                PathBuf::from("/k/key"),
                PathBuf::from("/k/token")
            ]
        );
        assert_eq!(out.named.len(), 1);
        assert_eq!(out.named[0].paths, vec![t.path().join("./bin/cred")]);
        assert!(out.named[0]
            .mentioned
            .contains(&PathBuf::from("/w/helper.sh")));
        assert_eq!(out.unknown.len(), 1, "{:?}", out.unknown);
        assert!(out.unknown[0].contains("line 20"), "{:?}", out.unknown);
    }

    #[test]
    fn aws_gpg_and_ssh_configuration_is_read() {
        let mut out = StoreConfigs::default();
        let homes = [PathBuf::from("/h")];
        aws_config(
            Path::new("/h/.aws/config"),
            "[profile a]\nweb_identity_token_file = ~/tok\n[profile b]\ncredential_process = /w/cred --x\nweb_identity_token_file = rel\n",
            &homes,
            Path::new("/h"),
            &mut out,
        );
        assert_eq!(out.secrets[0].0, PathBuf::from("/h/tok"));
        assert_eq!(out.named[0].paths, vec![PathBuf::from("/w/cred")]);
        assert_eq!(out.unknown.len(), 1);
        gpg_agent(
            Path::new("/h/.gnupg/gpg-agent.conf"),
            "# x\npinentry-program /w/pinentry\n",
            Path::new("/h"),
            &mut out,
        );
        assert_eq!(out.named[1].paths, vec![PathBuf::from("/w/pinentry")]);
        let mut queue = Vec::new();
        ssh_config(
            Path::new("/h/.ssh/config"),
            "Include /w/extra.conf\nHost x\n  ProxyCommand /w/proxy %h\nMatch host y exec \"/w/m.sh %h\"\n",
            Path::new("/h"),
            0,
            &mut queue,
            &mut out,
        );
        assert_eq!(queue, vec![(PathBuf::from("/w/extra.conf"), 1)]);
        assert_eq!(out.configs[0].0, PathBuf::from("/w/extra.conf"));
        let named: Vec<&Named> = out.named[2..].iter().collect();
        assert_eq!(named[0].paths, vec![PathBuf::from("/w/proxy")]);
        assert_eq!(named[1].paths, vec![PathBuf::from("/w/m.sh")]);
    }

    #[test]
    fn npm_cargo_and_docker_programs_are_read() {
        let mut out = StoreConfigs::default();
        let h = Path::new("/h");
        npm_config(
            Path::new("/h/.npmrc"),
            "registry=https://r/\nscript-shell=/w/sh\nnode-options=--require /w/hook.js\ninit-module=rel.js\n",
            h,
            &mut out,
        );
        assert_eq!(out.named.len(), 3);
        assert_eq!(out.named[0].paths, vec![PathBuf::from("/w/sh")]);
        assert_eq!(out.named[1].mentioned, vec![PathBuf::from("/w/hook.js")]);
        assert!(out.named[2].unknown_command.is_some());
        let mut out = StoreConfigs::default();
        cargo_config(
            Path::new("/h/.cargo/config.toml"),
            "[alias]\nb = \"build\"\n[build]\njobs = 4\nrustc-wrapper = \"/w/wrap\"\n[target.x86_64-unknown-linux-gnu]\nrunner = [\"/w/run\", \"--x\"]\nlinker = { path = \"/w/ld\" }\nrustflags = [\"-C\", \"link-arg=-B/w/bin\"]\n",
            h,
            &mut out,
        );
        let entries: Vec<&str> = out.named.iter().map(|n| n.entry.as_str()).collect();
        assert_eq!(entries.len(), 4, "{entries:?}");
        assert_eq!(out.named[0].paths, vec![PathBuf::from("/w/wrap")]);
        assert!(out.named[1].paths.contains(&PathBuf::from("/w/run")));
        assert!(out.named[2].unknown_command.is_some());
        assert_eq!(out.named[3].mentioned, vec![PathBuf::from("/w/bin")]);
        let mut out = StoreConfigs::default();
        let dir = std::env::temp_dir().join(format!("storeconf-docker-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("docker-credential-x"), "").unwrap();
        let path = std::ffi::OsString::from(format!("/nonexistent:{}", dir.display()));
        docker_config(
            Path::new("/h/.docker/config.json"),
            "{\"credsStore\": \"x\", \"credHelpers\": {\"r\": \"../y\"}}",
            Some(&path),
            h,
            &mut out,
        );
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(out.named[0].paths, vec![dir.join("docker-credential-x")]);
        assert!(out.named[1].unknown_command.is_some());
    }
}
