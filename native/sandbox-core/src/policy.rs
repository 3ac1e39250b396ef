//! The policy document (see docs/policy.md), read as snake_case JSON. Unknown fields, bad enum values, missing required fields
//! and wrong types are rejected with a message that names the field.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Policy versions this engine understands.
pub const SUPPORTED_VERSIONS: &[&str] = &["1.0"];

/// A whole sandbox policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The JSON Schema an editor validates the file against. Accepted and
    /// ignored (the one unknown-looking key allowed), never written back.
    #[serde(rename = "$schema", default, skip_serializing)]
    pub schema: Option<String>,
    pub version: String,
    pub name: String,
    pub filesystem: FilesystemPolicy,
    pub network: NetworkPolicy,
    pub commands: CommandPolicy,
    pub limits: ResourceLimits,
    /// Extension: environment variables an executed command may inherit
    /// beyond the built-in allow-list of `sandbox-exec`. Optional; absent
    /// means only the built-in names pass.
    #[serde(default, skip_serializing_if = "EnvironmentPolicy::is_empty")]
    pub environment: EnvironmentPolicy,
}

/// How the filesystem guard bounds paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilesystemMode {
    /// Only under `allowed_paths` entries (the workspace is not implied).
    Strict,
    /// Under the workspace root or an `allowed_paths` entry.
    Workspace,
    /// Anything that is not blocked or protected.
    Permissive,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesystemPolicy {
    pub mode: FilesystemMode,
    pub allowed_paths: Vec<String>,
    pub blocked_paths: Vec<String>,
    pub allow_symlinks: bool,
    pub allow_hidden_files: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkPolicy {
    pub enabled: bool,
    #[serde(default)]
    pub allowed_domains: Option<Vec<String>>,
    #[serde(default)]
    pub blocked_domains: Option<Vec<String>>,
    pub allow_localhost: bool,
    pub allow_https: bool,
    pub allow_http: bool,
}

/// How the command validator treats commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandMode {
    /// Every simple command must match an `allowed_commands` rule.
    Whitelist,
    /// Any simple command matching a `blocked_commands` rule is denied.
    Blacklist,
    /// Only the built-in dangers apply.
    Unrestricted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandPolicy {
    pub mode: CommandMode,
    #[serde(default)]
    pub allowed_commands: Option<Vec<String>>,
    #[serde(default)]
    pub blocked_commands: Option<Vec<String>>,
    pub allow_sudo: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceLimits {
    /// Bytes; bounds writes of the file tools and `RLIMIT_FSIZE` of executed commands.
    #[serde(default)]
    pub max_file_size: Option<u64>,
    /// Milliseconds of wall-clock time for an executed command.
    #[serde(default)]
    pub max_execution_time: Option<u64>,
    /// Bytes of address space / memory for an executed command.
    #[serde(default)]
    pub max_memory: Option<u64>,
}

/// Which variables of the caller's environment an executed command keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentPolicy {
    /// Names, or `PREFIX*` patterns, passed through in addition to the
    /// built-in allow-list. A name that looks like a secret (containing
    /// `TOKEN`, `KEY`, `SECRET`, `PASS`, `AUTH`, … anywhere, or starting
    /// with `AWS_`, … ; the list is in `docs/exec.md`) passes only when it
    /// is listed here by its exact name, never through a pattern.
    #[serde(default)]
    pub allow: Vec<String>,
}

impl EnvironmentPolicy {
    /// True when nothing is allowed beyond the built-in names.
    pub fn is_empty(&self) -> bool {
        self.allow.is_empty()
    }
}

/// An environment allow entry: a variable name (`[A-Za-z_][A-Za-z0-9_]*`),
/// optionally followed by one `*` that makes it a prefix pattern.
fn is_valid_env_entry(entry: &str) -> bool {
    let name = entry.strip_suffix('*').unwrap_or(entry);
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        // A bare `*` would pass every variable, secrets' neighbours included.
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Policy {
    /// Parse and validate a policy from JSON text.
    pub fn from_json(text: &str) -> Result<Policy, Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let policy: Policy = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| Error::invalid_policy(describe_serde_error(&e)))?;
        de.end()
            .map_err(|e| Error::invalid_policy(format!("trailing data after the policy: {e}")))?;
        policy.validate()?;
        Ok(policy)
    }

    /// Serialize to compact snake_case JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a policy always serializes")
    }

    /// Checks that serde cannot express: supported version, non-empty and
    /// NUL-free entries, positive limits.
    pub fn validate(&self) -> Result<(), Error> {
        if !SUPPORTED_VERSIONS.contains(&self.version.as_str()) {
            return Err(Error::invalid_policy(format!(
                "version: unsupported policy version {:?}; supported: {}",
                self.version,
                SUPPORTED_VERSIONS.join(", ")
            )));
        }
        check_entries("filesystem.allowed_paths", &self.filesystem.allowed_paths)?;
        check_entries("filesystem.blocked_paths", &self.filesystem.blocked_paths)?;
        if let Some(d) = &self.network.allowed_domains {
            check_entries("network.allowed_domains", d)?;
        }
        if let Some(d) = &self.network.blocked_domains {
            check_entries("network.blocked_domains", d)?;
        }
        if let Some(c) = &self.commands.allowed_commands {
            check_entries("commands.allowed_commands", c)?;
        }
        if let Some(c) = &self.commands.blocked_commands {
            check_entries("commands.blocked_commands", c)?;
        }
        for (i, e) in self.environment.allow.iter().enumerate() {
            if !is_valid_env_entry(e) {
                return Err(Error::invalid_policy(format!(
                    "environment.allow[{i}]: {e:?} is not a variable name; use letters, digits and _ \
                     (not starting with a digit), optionally ending in one * for a prefix"
                )));
            }
        }
        for (name, value) in [
            ("limits.max_file_size", self.limits.max_file_size),
            ("limits.max_execution_time", self.limits.max_execution_time),
            ("limits.max_memory", self.limits.max_memory),
        ] {
            if value == Some(0) {
                return Err(Error::invalid_policy(format!(
                    "{name}: must be greater than 0; omit the field for no limit"
                )));
            }
            // The Java binding holds limits in a signed 64-bit integer: one policy,
            // one meaning, in every binding.
            if value.is_some_and(|v| v > i64::MAX as u64) {
                return Err(Error::invalid_policy(format!(
                    "{name}: larger than {}; omit the field for no limit",
                    i64::MAX
                )));
            }
        }
        Ok(())
    }
}

fn check_entries(field: &str, entries: &[String]) -> Result<(), Error> {
    for (i, e) in entries.iter().enumerate() {
        if e.trim().is_empty() {
            return Err(Error::invalid_policy(format!(
                "{field}[{i}]: entry is empty; remove it"
            )));
        }
        if e.contains('\0') {
            return Err(Error::invalid_policy(format!(
                "{field}[{i}]: entry contains a NUL character"
            )));
        }
    }
    Ok(())
}

/// Turn a serde error into `path: what is wrong (did you mean …?)`.
fn describe_serde_error(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    let inner = e.inner().to_string();
    // serde_json appends " at line L column C"; keep it, it helps in files.
    let (msg, location) = match inner.rfind(" at line ") {
        Some(i) => (&inner[..i], &inner[i..]),
        None => (inner.as_str(), ""),
    };
    let prefix = |field: &str| -> String {
        if path.is_empty() || path == "." {
            field.to_string()
        } else if field.is_empty() {
            path.clone()
        } else {
            format!("{path}.{field}")
        }
    };
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let (name, expected) = split_expected(rest);
        let hint = did_you_mean(&name, &expected);
        return format!(
            "{}: unknown field{hint}; allowed fields: {}{location}",
            // serde_path_to_error already ends the path with the unknown field.
            prefix(""),
            expected.join(", ")
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let (name, expected) = split_expected(rest);
        let hint = did_you_mean(&name, &expected);
        return format!(
            "{}: unknown value {name:?}{hint}; allowed values: {}{location}",
            prefix(""),
            expected.join(", ")
        );
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        let name = rest.trim_matches('`');
        return format!("{}: required field is missing{location}", prefix(name));
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        return format!("{}: wrong type: {rest}{location}", prefix(""));
    }
    let p = prefix("");
    if p.is_empty() || p == "." {
        format!("{msg}{location}")
    } else {
        format!("{p}: {msg}{location}")
    }
}

/// Split "`name`, expected one of `a`, `b`" into ("name", ["a", "b"]).
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let mut parts = rest.splitn(2, ", expected ");
    let name = parts.next().unwrap_or("").trim_matches('`').to_string();
    let expected = parts
        .next()
        .unwrap_or("")
        .trim_start_matches("one of ")
        .split(", ")
        .map(|s| s.trim_matches('`').to_string())
        .filter(|s| !s.is_empty() && s != "there are no fields")
        .collect();
    (name, expected)
}

fn did_you_mean(name: &str, candidates: &[String]) -> String {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!(" (did you mean {c:?}?)"))
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub const WORKSPACE_JSON: &str = r#"{
      "version": "1.0", "name": "workspace",
      "filesystem": {"mode": "workspace", "allowed_paths": ["./"],
        "blocked_paths": ["~/.ssh", "~/.aws"], "allow_symlinks": true, "allow_hidden_files": true},
      "network": {"enabled": true, "allowed_domains": ["registry.npmjs.org", "github.com"],
        "allow_localhost": true, "allow_https": true, "allow_http": false},
      "commands": {"mode": "blacklist", "blocked_commands": ["sudo", "rm -rf /", "dd", "mkfs"], "allow_sudo": false},
      "limits": {"max_file_size": 52428800, "max_execution_time": 300000}
    }"#;

    fn err(text: &str) -> String {
        Policy::from_json(text).unwrap_err().message
    }

    #[test]
    fn parses_the_seed_schema() {
        let p = Policy::from_json(WORKSPACE_JSON).unwrap();
        assert_eq!(p.filesystem.mode, FilesystemMode::Workspace);
        assert_eq!(p.commands.mode, CommandMode::Blacklist);
        assert_eq!(p.limits.max_memory, None);
        let again = Policy::from_json(&p.to_json()).unwrap();
        assert_eq!(p, again);
    }

    #[test]
    fn unknown_field_names_the_field_and_suggests() {
        let t = WORKSPACE_JSON.replace("\"allow_symlinks\"", "\"allow_symlink\"");
        let m = err(&t);
        assert!(
            m.starts_with("filesystem.allow_symlink: unknown field"),
            "{m}"
        );
        assert!(m.contains("did you mean \"allow_symlinks\""), "{m}");
    }

    #[test]
    fn bad_enum_value_lists_allowed_values() {
        let t = WORKSPACE_JSON.replace("\"mode\": \"workspace\"", "\"mode\": \"strictt\"");
        let m = err(&t);
        assert!(
            m.starts_with("filesystem.mode: unknown value \"strictt\""),
            "{m}"
        );
        assert!(m.contains("strict, workspace, permissive"), "{m}");
        assert!(m.contains("did you mean \"strict\""), "{m}");
    }

    #[test]
    fn missing_and_wrong_type_name_the_field() {
        let t = WORKSPACE_JSON.replace("\"allow_sudo\": false", "\"x_unused\": 1");
        assert!(err(&t).starts_with("commands.x_unused: unknown field"));
        let t = WORKSPACE_JSON.replace(", \"allow_sudo\": false", "");
        let m = err(&t);
        assert!(
            m.starts_with("commands.allow_sudo: required field is missing"),
            "{m}"
        );
        let t = WORKSPACE_JSON.replace("\"enabled\": true", "\"enabled\": \"yes\"");
        let m = err(&t);
        assert!(m.starts_with("network.enabled: wrong type"), "{m}");
    }

    #[test]
    fn semantic_checks() {
        let t = WORKSPACE_JSON.replace("\"1.0\"", "\"2.0\"");
        assert!(err(&t).starts_with("version: unsupported"));
        let t = WORKSPACE_JSON.replace("\"~/.aws\"", "\"\"");
        assert!(err(&t).starts_with("filesystem.blocked_paths[1]: entry is empty"));
        let t = WORKSPACE_JSON.replace("52428800", "0");
        assert!(err(&t).starts_with("limits.max_file_size: must be greater than 0"));
        let t = WORKSPACE_JSON.replace("52428800", "-5");
        assert!(err(&t).starts_with("limits.max_file_size:"), "{}", err(&t));
        // Above what a Java long holds: refused, as the Java policy model refuses it.
        let t = WORKSPACE_JSON.replace("300000", "9223372036854775808");
        assert!(
            err(&t).starts_with("limits.max_execution_time: larger than 9223372036854775807"),
            "{}",
            err(&t)
        );
        let t = WORKSPACE_JSON.replace("300000", "9223372036854775807");
        assert!(Policy::from_json(&t).is_ok());
        assert!(Policy::from_json("{").is_err());
        assert!(Policy::from_json(&format!("{WORKSPACE_JSON} {{}}")).is_err());
    }

    #[test]
    fn environment_extension_is_optional_and_validated() {
        let p = Policy::from_json(WORKSPACE_JSON).unwrap();
        assert!(p.environment.allow.is_empty());
        assert!(!p.to_json().contains("environment"));
        let with = |allow: &str| {
            WORKSPACE_JSON.replacen(
                "\"limits\"",
                &format!("\"environment\": {{\"allow\": {allow}}}, \"limits\""),
                1,
            )
        };
        let p = Policy::from_json(&with(r#"["MY_TOKEN", "NODE_*", "_x1"]"#)).unwrap();
        assert_eq!(p.environment.allow, ["MY_TOKEN", "NODE_*", "_x1"]);
        assert_eq!(Policy::from_json(&p.to_json()).unwrap(), p);
        for bad in [
            r#"["*"]"#,
            r#"["A=B"]"#,
            r#"["1X"]"#,
            r#"["A*B"]"#,
            r#"[""]"#,
            r#"["A**"]"#,
        ] {
            let m = err(&with(bad));
            assert!(m.starts_with("environment.allow[0]:"), "{bad}: {m}");
        }
        let m = err(&WORKSPACE_JSON.replacen(
            "\"limits\"",
            "\"environment\": {\"alow\": []}, \"limits\"",
            1,
        ));
        assert!(m.starts_with("environment.alow: unknown field"), "{m}");
    }

    #[test]
    fn schema_key_is_accepted_and_ignored_but_nothing_else_unknown() {
        let with = |key: &str| {
            WORKSPACE_JSON.replacen('{', &format!("{{ {key}: \"policy.schema.json\","), 1)
        };
        let p = Policy::from_json(&with("\"$schema\"")).unwrap();
        assert_eq!(p.schema.as_deref(), Some("policy.schema.json"));
        assert!(!p.to_json().contains("schema"), "{}", p.to_json());
        assert!(err(&with("\"$id\"")).starts_with("$id: unknown field"));
        assert!(err(&with("\"schema\"")).starts_with("schema: unknown field"));
    }

    #[test]
    fn empty_and_absent_domain_lists_stay_distinct() {
        let p = Policy::from_json(
            &WORKSPACE_JSON.replace("[\"registry.npmjs.org\", \"github.com\"]", "[]"),
        )
        .unwrap();
        assert_eq!(p.network.allowed_domains, Some(vec![]));
        let p = Policy::from_json(
            &WORKSPACE_JSON.replace("[\"registry.npmjs.org\", \"github.com\"]", "null"),
        )
        .unwrap();
        assert_eq!(p.network.allowed_domains, None);
        assert!(Policy::from_json(&p.to_json())
            .unwrap()
            .network
            .allowed_domains
            .is_none());
    }
}
