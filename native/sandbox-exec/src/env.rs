//! The command's environment: the caller's variables filtered through an
//! allow-list of names, so that tokens and keys of the host application do
//! not reach the command. A name that looks like a secret passes only when
//! the policy lists it by its exact name.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// Names every command keeps. `HOME`, `TMPDIR` and `PWD` are then set by
/// the helper itself.
pub const DEFAULT_ALLOW: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "LANG",
    "LANGUAGE",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "TZ",
];

/// Names Windows programs need to start at all (the system directories,
/// the command interpreter, the executable extensions), kept there too.
/// On Windows every name is compared without case, as Windows compares them.
pub const WINDOWS_ALLOW: &[&str] = &[
    "SYSTEMROOT",
    "WINDIR",
    "SYSTEMDRIVE",
    "COMSPEC",
    "PATHEXT",
    "PROGRAMDATA",
    "PROGRAMFILES",
    "PROGRAMFILES(X86)",
    "PROGRAMW6432",
    "COMMONPROGRAMFILES",
    "COMMONPROGRAMFILES(X86)",
    "COMMONPROGRAMW6432",
    "NUMBER_OF_PROCESSORS",
    "PROCESSOR_ARCHITECTURE",
    "OS",
    "USERNAME",
];

/// The locale categories (POSIX and the glibc extensions), passed by exact
/// name: a pattern `LC_*` would also pass any name an application chose to
/// start with `LC_`.
pub const LOCALE_NAMES: &[&str] = &[
    "LC_ALL",
    "LC_ADDRESS",
    "LC_COLLATE",
    "LC_CTYPE",
    "LC_IDENTIFICATION",
    "LC_MEASUREMENT",
    "LC_MESSAGES",
    "LC_MONETARY",
    "LC_NAME",
    "LC_NUMERIC",
    "LC_PAPER",
    "LC_TELEPHONE",
    "LC_TIME",
];

/// Parts that mark a secret anywhere in a name (compared in upper case, not
/// only as `_`-separated words: `APP_SECRETKEY`, `NODE_DBPASSWORD`,
/// `LC_APITOKEN`). `KEY` covers `APIKEY`, `SECRETKEY`, `PRIVATEKEY`,
/// `ACCESSKEY`, `KEYID`; `PASS` covers `PASSWORD`, `PASSWD`, `PASSPHRASE`;
/// `AUTH` covers `OAUTH`, `AUTHORIZATION`, `XAUTHORITY`; `CRED` covers
/// `CREDENTIAL(S)`; `PRIVATE`, `CERT` cover key and certificate material;
/// `DSN`, `DATABASE`, `DB_URL`/`DBURL`/`DB_URI`, `CONNSTR`/`CONN_STR`/
/// `CONNECTION_STRING` cover connection strings, which carry passwords;
/// `HMAC`, `SIGNING`, `SIGNED` (signing keys, pre-signed URLs), `WEBHOOK`
/// (a webhook URL is its own credential), `NONCE`, `PEPPER`, `TOTP`,
/// `HOTP`, `MNEMONIC`, `PRIVKEY` cover the other names of app secrets.
/// The shortened spellings (`TKN`, `TOKN`, `TOK`, `SECRT`, `SCRT`, `PSWD`,
/// `PSWRD`, `PWORD`, `PWRD`, `PRIV`, `PGP`, `PSK`) are secret parts too:
/// an application that abbreviates its token name still holds a token.
/// `PHRASE` (seed and master phrases) and `RECOVERY` (recovery codes and
/// keys) name secrets on their own.
const SECRET_PARTS: &[&str] = &[
    "TOKEN",
    "SECRET",
    "PASS",
    "PWD",
    "KEY",
    "CRED",
    "AUTH",
    "COOKIE",
    "SESSION",
    "PRIVATE",
    "CERT",
    "SALT",
    "BEARER",
    "JWT",
    "SIGNATURE",
    "DSN",
    "DATABASE",
    "DB_URL",
    "DBURL",
    "DB_URI",
    "DBURI",
    "CONNSTR",
    "CONN_STR",
    "CONNECTION_STRING",
    "CONNECTIONSTRING",
    "HMAC",
    "SIGNING",
    "SIGNED",
    "WEBHOOK",
    "NONCE",
    "PEPPER",
    "TOTP",
    "HOTP",
    "MNEMONIC",
    "PRIVKEY",
    "TKN",
    "TOKN",
    "SECRT",
    "SCRT",
    "PSWD",
    "PSWRD",
    "PWORD",
    "PWRD",
    "PRIV",
    "PGP",
    "PSK",
    "TOK",
    "PHRASE",
    "RECOVERY",
];

/// Markers too short to search inside other words (`PIN` is in `SPINNER`,
/// `OTP` in `FOOTPRINT`), counted only as whole words (split at every
/// character that is not a letter or digit): `APP_DB_PW`, `APP_PIN`,
/// `APP_OTP_SEED`, `GH_PAT`, an Azure `SAS`, `MFA` and recovery `SEED`s,
/// the two-letter key names `SK` (secret key; inside `TASK`, `DESK`)
/// and `PK` (private key), `CODE`(`S`) (access, backup, recovery codes),
/// `KEK`/`DEK` (key- and data-encryption keys), `HOOK` (a webhook URL is its
/// own credential), `CSRF`, `CIPHER`.
const SECRET_WORDS: &[&str] = &[
    "PW", "PIN", "OTP", "PAT", "SAS", "MFA", "SEED", "SK", "PK", "CODE", "CODES", "KEK", "DEK",
    "HOOK", "CSRF", "CIPHER",
];

/// Short markers that also count at the end of a longer word (`ADMINPW`,
/// `DBPW`, `SSHPK`, `APPPIN`, `PINCODE`, `OTPCODE`, `PASSCODE`), where
/// common words rarely end in them. `SK`, `PAT` and `SAS` count only as
/// whole words: `FLASK`, `TASK`, `DISK`, `COMPAT`, `KANSAS` end in them.
const SECRET_WORD_ENDS: &[&str] = &["PW", "PK", "PIN", "OTP", "MFA", "SEED", "CODE"];

/// Words that contain a secret part but are not secrets, removed before the
/// parts are searched, only where they stand as whole words:
/// `GIT_AUTHOR_NAME` (but `AUTHORIZATION` and `AUTHORITY` still match
/// through their `AUTH`), `KEYBOARD`, `KEYMAP` (but `SIGNING_KEYMAP` still
/// matches through `SIGNING`, and `SIGNINGKEYMAP` through its `KEY`).
/// Everything else that merely contains a part (`MONKEY`, `BYPASS`,
/// `COMPASS`) is scrubbed: a wrong scrub costs an exact `allow` entry, a
/// wrong pass leaks a secret.
const BENIGN_WORDS: &[&str] = &["AUTHOR", "AUTHORS", "KEYBOARD", "KEYMAP"];

/// Exact names that contain a secret part but are not secrets: the working
/// directory variables (the helper sets `PWD` itself).
const BENIGN_NAMES: &[&str] = &["PWD", "OLDPWD"];

/// Prefixes of credential families that are secret as a whole.
const SECRET_PREFIXES: &[&str] = &[
    "AWS_",
    "AZURE_",
    "GOOGLE_",
    "GCP_",
    "GH_",
    "GITHUB_",
    "GITLAB_",
    "NPM_",
    "OPENAI_",
    "ANTHROPIC_",
    "HF_",
    "DOCKER_",
    "SSH_",
    "GPG_",
    "VAULT_",
];

/// True when `name` looks like it holds a secret. The one definition: the
/// environment scrub and its documentation use it.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if BENIGN_NAMES.contains(&upper.as_str()) {
        return false;
    }
    if SECRET_PREFIXES.iter().any(|p| upper.starts_with(p)) {
        return true;
    }
    names_a_secret(name)
}

/// True when `name` itself says it is about a secret (a secret part or
/// word: `GOOGLE_APPLICATION_CREDENTIALS`, `SOPS_AGE_KEY_FILE`), not only
/// by the family it belongs to (`HF_HOME`, `NPM_CONFIG_CACHE` are secret
/// for [`is_secret_name`] by their prefix alone).
pub fn names_a_secret(name: &str) -> bool {
    let mut upper = name.to_ascii_uppercase();
    if BENIGN_NAMES.contains(&upper.as_str()) {
        return false;
    }
    upper = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(|w| if BENIGN_WORDS.contains(&w) { "" } else { w })
        .collect::<Vec<_>>()
        .join("_");
    upper
        .split('_')
        .any(|w| SECRET_WORDS.contains(&w) || SECRET_WORD_ENDS.iter().any(|e| w.ends_with(e)))
        || SECRET_PARTS.iter().any(|p| upper.contains(p))
}

fn matches(entry: &str, name: &str) -> bool {
    match entry.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => entry == name,
    }
}

/// Whether a caller variable named `name` passes to the command, given the
/// policy's extra `allow` entries.
pub fn passes(name: &str, policy_allow: &[String]) -> bool {
    if policy_allow.iter().any(|e| e == name) {
        // Listed by exact name: the policy author chose to pass it.
        return true;
    }
    let listed = DEFAULT_ALLOW.contains(&name)
        || LOCALE_NAMES.contains(&name)
        || (cfg!(windows) && WINDOWS_ALLOW.contains(&name))
        || policy_allow.iter().any(|e| matches(e, name));
    listed && !is_secret_name(name)
}

/// Filter `vars` for the command. Names that are not valid UTF-8 never pass.
pub fn scrub<I>(vars: I, policy_allow: &[String]) -> Vec<(OsString, OsString)>
where
    I: IntoIterator<Item = (OsString, OsString)>,
{
    // Windows names have no case: compared in upper case there.
    let fold = |n: &str| {
        if cfg!(windows) {
            n.to_ascii_uppercase()
        } else {
            n.to_string()
        }
    };
    let allow: Vec<String> = policy_allow.iter().map(|e| fold(e)).collect();
    vars.into_iter()
        .filter(|(name, value)| {
            name.to_str().map(fold).is_some_and(|n| {
                // Listed by exact name: the policy author chose to pass it.
                allow.contains(&n)
                    || (passes(&n, &allow) && !holds_credential_url(value.as_encoded_bytes()))
            })
        })
        .collect()
}

/// Whether `value` holds a URL with user information (`scheme://user:pass@`,
/// `https://TOKEN@host`): a connection string or a credential URL, secret
/// whatever its variable is called (`APP_REDIS_URL`, `APP_SENTRY_URL`).
pub fn holds_credential_url(value: &[u8]) -> bool {
    let mut rest = value;
    while let Some(i) = rest.windows(3).position(|w| w == b"://") {
        let authority = &rest[i + 3..];
        let end = authority
            .iter()
            .position(|&c| matches!(c, b'/' | b'?' | b'#' | b' ' | b'\t' | b'\n' | b','))
            .unwrap_or(authority.len());
        if authority[..end].contains(&b'@') {
            return true;
        }
        rest = &authority[end..];
    }
    false
}

/// The command's environment: the caller's `vars`, scrubbed, then what the
/// helper sets (`HOME`, `TMPDIR`, `PWD`), the caller's explicit variables
/// (`--env`), and with a proxy its address in every spelling tools read
/// (and no `NO_PROXY`, so that nothing goes around it).
pub fn for_command<I>(
    vars: I,
    policy_allow: &[String],
    dirs: [(&str, &OsStr); 3],
    explicit: &[(OsString, OsString)],
    proxy_port: Option<u16>,
) -> Vec<(OsString, OsString)>
where
    I: IntoIterator<Item = (OsString, OsString)>,
{
    let mut env = scrub(vars, policy_allow);
    for (name, value) in dirs {
        set(&mut env, name, value);
    }
    for (k, v) in explicit {
        set(&mut env, &k.to_string_lossy(), v);
    }
    if let Some(port) = proxy_port {
        let url = format!("http://127.0.0.1:{port}");
        for name in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            set(&mut env, name, &url);
        }
        for name in ["NO_PROXY", "no_proxy"] {
            set(&mut env, name, "");
        }
    }
    env
}

/// Set `name` to `value` in `env`, replacing an earlier value.
pub fn set(env: &mut Vec<(OsString, OsString)>, name: &str, value: impl AsRef<OsStr>) {
    env.retain(|(n, _)| {
        if cfg!(windows) {
            !n.eq_ignore_ascii_case(name)
        } else {
            n != name
        }
    });
    env.push((name.into(), value.as_ref().to_owned()));
}

/// The entries of the caller's command search list `PATH` (`value`):
/// the absolute ones, and whether any is relative (`.`, an empty entry),
/// which the user's shell takes from whatever directory it stands in.
/// The user's shell runs the programs of these directories outside any
/// sandbox, so the helper keeps those in a writable tree read-only
/// (`Plan::build`).
pub fn search_path_entries(value: &OsStr) -> (Vec<PathBuf>, bool) {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut relative = false;
    if value.is_empty() {
        return (out, false);
    }
    for p in std::env::split_paths(value) {
        if !p.is_absolute() {
            relative = true;
        } else if !out.contains(&p) {
            out.push(p);
        }
    }
    (out, relative)
}

/// Variables naming an environment whose `bin` directory the user's
/// tools run programs from: a Python virtual environment (`VIRTUAL_ENV`,
/// set by its `activate`) and a conda environment (`CONDA_PREFIX`).
pub const ENVIRONMENT_BIN_VARIABLES: &[&str] = &["VIRTUAL_ENV", "CONDA_PREFIX"];

/// The `bin` directories of the environments [`ENVIRONMENT_BIN_VARIABLES`]
/// name, for the absolute values `get` gives.
pub fn environment_bin_dirs(get: impl Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    ENVIRONMENT_BIN_VARIABLES
        .iter()
        .filter_map(|v| get(v))
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .map(|p| p.join("bin"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(vars: &[(&str, &str)], allow: &[&str]) -> Vec<String> {
        let allow: Vec<String> = allow.iter().map(|s| s.to_string()).collect();
        scrub(
            vars.iter()
                .map(|(n, v)| (OsString::from(n), OsString::from(v))),
            &allow,
        )
        .into_iter()
        .map(|(n, _)| n.into_string().unwrap())
        .collect()
    }

    #[test]
    fn default_list_passes_and_secrets_do_not() {
        let vars = [
            ("PATH", "/usr/bin"),
            ("LC_ALL", "C"),
            ("TERM", "xterm"),
            ("GITHUB_TOKEN", "ghp_x"),
            ("AWS_ACCESS_KEY_ID", "AKIA"),
            ("OPENAI_API_KEY", "sk"),
            ("DB_PASSWORD", "pw"),
            ("LD_PRELOAD", "/x.so"),
            ("RANDOM_THING", "1"),
        ];
        assert_eq!(names(&vars, &[]), ["PATH", "LC_ALL", "TERM"]);
    }

    #[test]
    fn policy_allow_extends_but_secrets_need_exact_names() {
        let vars = [
            ("NODE_ENV", "test"),
            ("NODE_AUTH_TOKEN", "t"),
            ("MY_TOKEN", "t"),
        ];
        assert_eq!(names(&vars, &["NODE_*"]), ["NODE_ENV"]);
        assert_eq!(
            names(&vars, &["NODE_*", "MY_TOKEN"]),
            ["NODE_ENV", "MY_TOKEN"]
        );
        assert_eq!(names(&vars, &["NODE_AUTH_TOKEN"]), ["NODE_AUTH_TOKEN"]);
    }

    #[test]
    fn secret_parts_count_anywhere_in_a_name() {
        for name in [
            "API_KEY",
            "aws_region",
            "MY_SECRET_VALUE",
            "APP_SECRETKEY",
            "NODE_DBPASSWORD",
            "LC_APITOKEN",
            "APP_APIKEY",
            "APP_PRIVATEKEY",
            "APP_ACCESSKEYID",
            "MYSQL_PWD",
            "PGPASSFILE",
            "APP_PASSPHRASE",
            "APP_CREDS",
            "APP_OAUTHCLIENT",
            "APP_AUTHORIZATION",
            "XAUTHORITY",
            "APP_SESSIONID",
            "APP_COOKIEJAR",
            "SENTRY_DSN",
            "APP_DATABASE_URL",
            "MONGODB_URI",
            "NODE_DBURL",
            "APP_CONNSTR",
            "APP_CONNECTION_STRING",
            "APP_TLSCERT",
            "APP_JWTSIGNING",
            "MONKEY",
            "APP_DB_PW",
            "APP_ADMIN_PW",
            "APP_HMAC",
            "APP_OTP_SEED",
            "APP_WEBHOOK_URL",
            "APP_SIGNING_KEYMAP",
            "APP_SIGNINGKEYMAP",
            "APP_KEYMAP_PW",
            "APP_PIN",
            "APP_NONCE",
            "APP_PEPPER",
            "APP_TOTP",
            "APP_MNEMONIC",
            "APP_PRESIGNED_URL",
            "GH_PAT",
            "APP_PAT",
            "STORAGE_SAS",
            "APP_MFA_CODE",
            "APP_WALLET_SEED",
            "APP_CREDS",
            "app.db.pw",
            "APP_AUTHORTOKEN",
            "APP_KEYBOARDS",
            "APP_PSK",
            "APP_TKN",
            "APP_TOKN",
            "APP_SECRT",
            "APP_SCRT",
            "APP_PSWD",
            "APP_PSWRD",
            "APP_PWORD",
            "APP_PWRD",
            "APP_SK",
            "APP_PK",
            "APP_PRIV",
            "APP_PRIVKEY",
            "APP_PGP",
            "APP_PGP_PASSPHRASE",
            "CI_JOB_TKN",
            "app.sk",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "LANG",
            "LC_ALL",
            "PATH",
            "TERM",
            "PWD",
            "OLDPWD",
            "NODE_ENV",
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "APP_AUTHOR",
            "KEYBOARD_LAYOUT",
            "XKB_KEYMAP",
            "APP_AUTHORS",
            "APP_SPINNER",
            "APP_FOOTPRINT",
            "APP_PATH",
            "APP_PWA_MODE",
            "APP_PINNED_VERSION",
            "TASK",
            "DESK",
            "APP_TASK",
            "APP_DESKTOP",
            "APP_TASKS",
            "APP_SKIP",
            "APP_SKU",
            "APP_PKG",
            "APP_PRINT",
            "APP_PROFILE",
            "APP_WORD",
            "APP_PASTE",
            "DISPLAY",
            "EDITOR",
            "HOSTNAME",
            "MAKEFLAGS",
            "CI_JOB_ID",
            "CI_COMMIT_SHA",
            "APP_PRIORITY",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
        // Every name the helper passes on its own is not screened away.
        for name in DEFAULT_ALLOW.iter().chain(LOCALE_NAMES) {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn compound_secrets_stay_out_of_patterns_unless_named_exactly() {
        let vars = [
            ("APP_SECRETKEY", "s1"),
            ("NODE_DBPASSWORD", "s2"),
            ("LC_APITOKEN", "s3"),
            ("APP_DB_PW", "s4"),
            ("APP_ADMIN_PW", "s5"),
            ("APP_HMAC", "s6"),
            ("APP_OTP_SEED", "s7"),
            ("APP_WEBHOOK_URL", "s8"),
            ("APP_SIGNING_KEYMAP", "s9"),
            ("APP_MODE", "dev"),
            ("NODE_ENV", "test"),
            ("LC_TIME", "C"),
        ];
        assert_eq!(
            names(&vars, &["NODE_*", "APP_*", "LC_*"]),
            ["APP_MODE", "NODE_ENV", "LC_TIME"]
        );
        assert_eq!(
            names(&vars, &["APP_*", "APP_SECRETKEY"]),
            ["APP_SECRETKEY", "APP_MODE", "LC_TIME"]
        );
    }

    /// A name that says it is about a secret, apart from a family prefix
    /// that makes every variable of a tool secret.
    #[test]
    fn names_about_a_secret_are_told_from_family_prefixes() {
        for name in [
            "GOOGLE_APPLICATION_CREDENTIALS",
            "SOPS_AGE_KEY_FILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "XAUTHORITY",
            "MYAPP_API_TOKEN_FILE",
        ] {
            assert!(names_a_secret(name), "{name}");
        }
        for name in [
            "HF_HOME",
            "NPM_CONFIG_CACHE",
            "AWS_REGION",
            "PWD",
            "GIT_AUTHOR_NAME",
        ] {
            assert!(!names_a_secret(name), "{name}");
        }
        assert!(is_secret_name("HF_HOME"));
    }

    #[test]
    fn abbreviated_secret_names_stay_out_of_patterns() {
        let vars = [
            ("APP_PSK", "s"),
            ("APP_TKN", "s"),
            ("APP_TOKN", "s"),
            ("APP_SECRT", "s"),
            ("APP_PSWD", "s"),
            ("APP_PWORD", "s"),
            ("APP_SK", "s"),
            ("APP_PRIV", "s"),
            ("APP_PGP", "s"),
            ("CI_JOB_TKN", "s"),
            ("APP_TASK", "build"),
            ("CI_JOB_ID", "7"),
        ];
        assert_eq!(names(&vars, &["APP_*", "CI_*"]), ["APP_TASK", "CI_JOB_ID"]);
    }

    #[test]
    fn only_real_locale_names_pass_by_default() {
        let vars = [("LC_ALL", "C"), ("LC_MESSAGES", "C"), ("LC_MYAPP", "x")];
        assert_eq!(names(&vars, &[]), ["LC_ALL", "LC_MESSAGES"]);
    }

    #[test]
    fn set_replaces() {
        let mut env = vec![("HOME".into(), "/a".into())];
        set(&mut env, "HOME", "/b");
        assert_eq!(env, vec![(OsString::from("HOME"), OsString::from("/b"))]);
    }

    #[test]
    fn search_path_entries_are_absolute_or_flagged() {
        let (found, relative) = search_path_entries(OsStr::new("/usr/bin:/ws/.venv/bin:/usr/bin"));
        assert_eq!(
            found,
            [PathBuf::from("/usr/bin"), PathBuf::from("/ws/.venv/bin")]
        );
        assert!(!relative);
        for v in ["/usr/bin::/bin", ".:/usr/bin", "/usr/bin:", "bin:/usr/bin"] {
            assert!(search_path_entries(OsStr::new(v)).1, "{v}");
        }
    }
}
