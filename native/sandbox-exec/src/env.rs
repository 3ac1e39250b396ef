//! The command's environment: the caller's variables filtered through an
//! allow-list of names, so that tokens and keys of the host application do
//! not reach the command.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

/// Names every command keeps. `LC_*` is a prefix. `HOME`, `TMPDIR` and `PWD`
/// are then set by the helper itself.
pub const DEFAULT_ALLOW: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "LANG",
    "LANGUAGE",
    "LC_*",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "TZ",
];

/// Name parts that mark a secret. A name containing one of them (as a whole
/// `_`-separated word) passes only when the policy lists it by exact name.
const SECRET_WORDS: &[&str] = &[
    "TOKEN",
    "KEY",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PASS",
    "CREDENTIAL",
    "CREDENTIALS",
    "AUTH",
    "COOKIE",
    "SESSION",
    "PRIVATE",
    "APIKEY",
];

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

/// True when `name` looks like it holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_PREFIXES.iter().any(|p| upper.starts_with(p))
        || upper.split('_').any(|word| SECRET_WORDS.contains(&word))
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
    let listed = DEFAULT_ALLOW.iter().any(|e| matches(e, name))
        || policy_allow.iter().any(|e| matches(e, name));
    listed && !is_secret_name(name)
}

/// Filter `vars` for the command. Names that are not valid UTF-8 never pass.
pub fn scrub<I>(vars: I, policy_allow: &[String]) -> Vec<(OsString, OsString)>
where
    I: IntoIterator<Item = (OsString, OsString)>,
{
    vars.into_iter()
        .filter(|(name, _)| name.to_str().is_some_and(|n| passes(n, policy_allow)))
        .collect()
}

/// Set `name` to `value` in `env`, replacing an earlier value.
pub fn set(env: &mut Vec<(OsString, OsString)>, name: &str, value: impl AsRef<OsStr>) {
    env.retain(|(n, _)| n.as_bytes() != name.as_bytes());
    env.push((name.into(), value.as_ref().to_owned()));
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
    fn secret_words_are_whole_words() {
        assert!(is_secret_name("API_KEY"));
        assert!(is_secret_name("aws_region"));
        assert!(is_secret_name("MY_SECRET_VALUE"));
        assert!(!is_secret_name("KEYBOARD_LAYOUT"));
        assert!(!is_secret_name("MONKEY"));
        assert!(!is_secret_name("LANG"));
    }

    #[test]
    fn set_replaces() {
        let mut env = vec![("HOME".into(), "/a".into())];
        set(&mut env, "HOME", "/b");
        assert_eq!(env, vec![(OsString::from("HOME"), OsString::from("/b"))]);
    }
}
