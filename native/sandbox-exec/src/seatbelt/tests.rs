//! Golden and structural tests of the generated profiles. The expected
//! profiles are files under `tests/seatbelt/` (`NAME.sb` the text,
//! `NAME.params` the `-D` definitions and shortfalls), compared byte for
//! byte. `SANDBOX_UPDATE_GOLDEN=1` rewrites them; review the diff.

use super::*;
use regex_automata::meta::Regex;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seatbelt")
}

fn presets_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies")
}

/// The fixed machine of the golden files: a user `dev` with a workspace in
/// their home, `~/.aws` a link to another volume.
struct Fixture {
    workspace: PathBuf,
    homes: Vec<PathBuf>,
    tmpdir: PathBuf,
    links: BTreeMap<PathBuf, PathBuf>,
    redacted: Vec<PathBuf>,
}

impl Fixture {
    fn standard() -> Fixture {
        let mut links = BTreeMap::new();
        links.insert(
            PathBuf::from("/Users/dev/.aws"),
            PathBuf::from("/Volumes/keys/aws"),
        );
        Fixture {
            workspace: "/Users/dev/proj".into(),
            homes: vec!["/Users/dev".into()],
            tmpdir: "/private/var/folders/xy/abc123/T/sandbox-exec-501.run".into(),
            links,
            redacted: Vec::new(),
        }
    }

    fn generate(&self, policy: &Policy) -> Profile {
        let links = self.links.clone();
        let resolve = move |p: &Path| links.get(p).cloned();
        let port = policy.network.enabled.then_some(40123);
        generate(&Input {
            policy,
            workspace: &self.workspace,
            homes: &self.homes,
            tmpdir: &self.tmpdir,
            proxy_port: port,
            terminals: &[PathBuf::from("/dev/ttys003")],
            resolve: &resolve,
            redacted: &self.redacted,
        })
        .expect("a profile")
    }
}

fn params_text(p: &Profile) -> String {
    let mut out = String::new();
    for (n, v) in &p.params {
        // Debug quoting shows every byte of the value unambiguously.
        let _ = writeln!(out, "-D {n}={:?}", v.to_string_lossy());
    }
    for s in &p.shortfalls {
        let _ = writeln!(out, "shortfall: {s}");
    }
    for s in &p.notes {
        let _ = writeln!(out, "note: {s}");
    }
    out
}

fn check_golden(name: &str, p: &Profile) {
    let dir = golden_dir();
    let sb = dir.join(format!("{name}.sb"));
    let params = dir.join(format!("{name}.params"));
    let params_now = params_text(p);
    if std::env::var_os("SANDBOX_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&sb, &p.text).unwrap();
        std::fs::write(&params, &params_now).unwrap();
    }
    let want = std::fs::read_to_string(&sb)
        .unwrap_or_else(|e| panic!("{}: {e} (SANDBOX_UPDATE_GOLDEN=1 makes it)", sb.display()));
    assert!(
        want == p.text,
        "{} differs from the generated profile:\n{}",
        sb.display(),
        p.text
    );
    let want = std::fs::read_to_string(&params).unwrap();
    assert_eq!(want, params_now, "{}", params.display());
}

/// The string literals of a profile, `None` when the text is malformed:
/// an unterminated string, an unknown escape, unbalanced parentheses.
fn structure(text: &str) -> Option<Vec<String>> {
    let mut depth: i64 = 0;
    let mut strings = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => {
                // A comment runs to the end of the line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            '"' => {
                let mut s = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\') => s.push(c),
                            _ => return None,
                        },
                        c if c.is_control() => return None,
                        c => s.push(c),
                    }
                }
                strings.push(s);
            }
            _ => {}
        }
    }
    (depth == 0).then_some(strings)
}

/// Structural checks every profile must pass.
fn check_structure(p: &Profile, paths: &[&Path]) {
    let strings = structure(&p.text).unwrap_or_else(|| panic!("malformed:\n{}", p.text));
    assert!(p.text.starts_with("(version 1)\n"));
    assert!(p.text.contains("\n(deny default)\n"));
    // Every parameter the text refers to is defined, and every definition used.
    let used: Vec<&str> = p
        .text
        .match_indices("(param \"")
        .map(|(i, _)| {
            let rest = &p.text[i + 8..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    for u in &used {
        assert!(p.params.iter().any(|(n, _)| n == u), "{u} is not defined");
    }
    for (n, _) in &p.params {
        assert!(used.contains(&n.as_str()), "{n} is defined but unused");
        assert!(n
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
    }
    // No path of the input is written into the profile as a string (only
    // as a parameter, or folded into a regular expression).
    for path in paths {
        let text = path.to_string_lossy();
        assert!(
            !strings.iter().any(|s| *s == *text),
            "{text} is written into the profile as a string"
        );
    }
    // Every regular expression compiles.
    for r in regexes(p) {
        Regex::new(&r).unwrap_or_else(|e| panic!("{r}: {e}"));
    }
}

/// The regular expressions of `deny` rules, unescaped.
fn regexes(p: &Profile) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in p.text.match_indices("(regex \"") {
        let rest = &p.text[i + 7..];
        let strings = structure(&rest[..=closing_quote(rest)]).unwrap();
        out.push(strings[0].clone());
    }
    out
}

fn closing_quote(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 1;
    while b[i] != b'"' {
        if b[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    i
}

/// Whether a deny regex of the profile covers `path`.
fn denied_by_regex(p: &Profile, path: &str) -> bool {
    regexes(p)
        .iter()
        .filter(|r| !r.starts_with("^/dev/"))
        .any(|r| Regex::new(r).unwrap().is_match(path))
}

fn preset(name: &str) -> Policy {
    let text = std::fs::read_to_string(presets_dir().join(format!("{name}.json"))).unwrap();
    Policy::from_json(&text).unwrap()
}

#[test]
fn every_preset_matches_its_golden_profile() {
    let f = Fixture::standard();
    let mut seen = 0;
    for entry in std::fs::read_dir(presets_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_none_or(|e| e != "json") || name.contains("schema") {
            continue;
        }
        let policy = preset(&name);
        let p = f.generate(&policy);
        check_structure(&p, &[&f.workspace, &f.homes[0], &f.tmpdir]);
        check_golden(&format!("preset-{name}"), &p);
        seen += 1;
    }
    assert_eq!(seen, 3, "strict, workspace, permissive");
}

fn policy(fs: &str, network: bool) -> Policy {
    let net = if network {
        r#""enabled":true,"allow_localhost":false,"allow_https":true,"allow_http":false"#
    } else {
        r#""enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false"#
    };
    Policy::from_json(&format!(
        r#"{{"version":"1.0","name":"t","filesystem":{fs},"network":{{{net}}},
        "commands":{{"mode":"unrestricted","allow_sudo":false}},"limits":{{}}}}"#
    ))
    .unwrap()
}

/// Quotes, backslashes, parentheses, spaces and Unicode in every kind of
/// path; a workspace under `/tmp` (a link to `/private/tmp`); a blocked
/// file inside the workspace; globs.
#[test]
fn tricky_paths_match_their_golden_profile() {
    let p = policy(
        r#"{"mode":"workspace","allowed_paths":["./out dir","~/cache \"q\""],
            "blocked_paths":["./conf/secret (1).txt","./conf/*/token","*.pem","~/.ssh",
                             "./a\\b","./x[0-9]","/etc/ssh/ssh_host_*_key","/System"],
            "allow_symlinks":true,"allow_hidden_files":true}"#,
        true,
    );
    let workspace = PathBuf::from("/tmp/we \"ird\" \\ (1) café");
    let homes = vec![PathBuf::from("/Users/zoë (x)"), PathBuf::from("/var/root")];
    let tmpdir = PathBuf::from("/var/folders/q\"/T/run");
    let resolve = |_: &Path| None;
    let out = generate(&Input {
        policy: &p,
        workspace: &workspace,
        homes: &homes,
        tmpdir: &tmpdir,
        proxy_port: Some(8080),
        terminals: &[],
        resolve: &resolve,
        redacted: &[],
    })
    .unwrap();
    check_structure(&out, &[&workspace, &homes[0], &tmpdir]);
    check_golden("tricky-paths", &out);

    // Both spellings of the moved roots are writable and hidden.
    let values: Vec<String> = out
        .params
        .iter()
        .map(|(_, v)| v.to_string_lossy().into_owned())
        .collect();
    for w in [
        "/private/tmp/we \"ird\" \\ (1) café",
        "/tmp/we \"ird\" \\ (1) café",
        "/private/var/folders/q\"/T/run",
        "/var/folders/q\"/T/run",
        "/private/tmp/we \"ird\" \\ (1) café/conf/secret (1).txt",
    ] {
        assert!(values.iter().any(|v| v == w), "{w} in {values:?}");
    }
    // The blocked file inside the workspace, in any case and both spellings.
    for path in [
        "/private/tmp/we \"ird\" \\ (1) café/conf/secret (1).txt",
        "/tmp/WE \"ird\" \\ (1) CAFé/conf/SECRET (1).txt",
        "/private/tmp/we \"ird\" \\ (1) café/conf/app/token",
        "/private/tmp/we \"ird\" \\ (1) café/a\\b/inner",
        "/anywhere/server.PEM",
        "/private/etc/ssh/ssh_host_ed25519_key",
        "/Users/zoë (x)/.SSH/id_ed25519",
        "/private/var/root/.ssh",
    ] {
        assert!(denied_by_regex(&out, path), "{path} is not hidden");
    }
    for path in [
        "/private/tmp/we \"ird\" \\ (1) café/conf/secret (2).txt",
        "/private/tmp/we \"ird\" \\ (1) café/conf/token",
        "/private/tmp/we \"ird\" \\ (1) café/server.pem.txt",
    ] {
        assert!(!denied_by_regex(&out, path), "{path} is hidden");
    }
    // What cannot be expressed is said, not dropped.
    assert!(
        out.shortfalls.iter().any(|s| s.contains("x[0-9]")),
        "{:?}",
        out.shortfalls
    );
    assert!(
        out.shortfalls.iter().any(|s| s.contains("/System")),
        "{:?}",
        out.shortfalls
    );
}

#[test]
fn git_configuration_is_read_only_in_every_repository() {
    let f = Fixture::standard();
    let p = f.generate(&preset("workspace"));
    for path in [
        "/Users/dev/proj/.git",
        "/Users/dev/proj/.git/config",
        "/Users/dev/proj/.git/hooks/pre-commit",
        "/Users/dev/proj/.GIT/Hooks/pre-commit",
        "/Users/dev/proj/vendor/lib/.git/hooks/post-checkout",
        "/Users/dev/proj/vendor/lib/.git",
        "/Users/dev/proj/.git/modules/sub/config",
        "/Users/dev/proj/.git/modules/a/modules/b/hooks/x",
        "/Users/dev/proj/.git/worktrees/w/gitdir",
        "/Users/dev/proj/.git/objects/info/alternates",
        "/Users/dev/proj/.git/info/attributes",
        "/private/tmp/other/.git/config.worktree",
    ] {
        assert!(denied_by_regex(&p, path), "{path} is writable");
    }
    for path in [
        "/Users/dev/proj/.git/index",
        "/Users/dev/proj/.git/objects/ab/cdef",
        "/Users/dev/proj/.git/refs/heads/main",
        "/Users/dev/proj/.gitignore",
        "/Users/dev/proj/src/config",
        "/Users/dev/proj/.git/configx",
    ] {
        assert!(!denied_by_regex(&p, path), "{path} is refused");
    }
}

#[test]
fn network_off_allows_no_socket_and_on_allows_only_the_proxy() {
    let f = Fixture::standard();
    let off = f.generate(&preset("strict"));
    assert!(!off.text.contains("(allow network"), "{}", off.text);
    assert!(!off.text.contains("system-socket"));
    let on = f.generate(&preset("workspace"));
    let rules: Vec<&str> = on.text.lines().filter(|l| l.contains("network")).collect();
    assert!(rules.contains(&"(allow network-outbound (remote ip \"localhost:40123\"))"));
    assert_eq!(
        rules.iter().filter(|l| l.starts_with("(allow")).count(),
        1,
        "{rules:?}"
    );
    let err = generate(&Input {
        policy: &preset("workspace"),
        workspace: &f.workspace,
        homes: &f.homes,
        tmpdir: &f.tmpdir,
        proxy_port: None,
        terminals: &[],
        resolve: &|_| None,
        redacted: &[],
    })
    .unwrap_err();
    assert_eq!(err.code(), "SEATBELT_NO_PROXY_PORT");
}

#[test]
fn writes_only_in_the_writable_trees_and_refusals_come_last() {
    let f = Fixture::standard();
    let p = f.generate(&preset("workspace"));
    let allow = p.text.find("(allow file-write*").unwrap();
    for deny in ["(deny file-write*", "(deny file-read* file-write*"] {
        assert!(
            p.text.find(deny).unwrap() > allow,
            "{deny} before the allow"
        );
    }
    assert!(
        !p.text.contains("(allow file-write*)\n"),
        "writes everywhere"
    );
    let writable: Vec<&str> = p
        .params
        .iter()
        .filter(|(n, _)| n.starts_with("WRITABLE_"))
        .map(|(_, v)| v.to_str().unwrap())
        .collect();
    assert_eq!(
        writable,
        [
            "/Users/dev/proj",
            "/private/var/folders/xy/abc123/T/sandbox-exec-501.run",
            "/var/folders/xy/abc123/T/sandbox-exec-501.run"
        ]
    );
    // Strict: no workspace unless named; permissive: everywhere.
    let strict = f.generate(&preset("strict"));
    assert!(strict
        .params
        .iter()
        .any(|(n, v)| n.starts_with("WRITABLE_") && v == "/Users/dev/proj"));
    let permissive = f.generate(&preset("permissive"));
    assert!(permissive.text.contains("\n(allow file-write*)\n"));
}

#[test]
fn credential_stores_are_hidden_where_they_lead_too() {
    let f = Fixture::standard();
    let p = f.generate(&preset("permissive"));
    let hidden: Vec<&str> = p
        .params
        .iter()
        .filter(|(n, _)| n.starts_with("HIDDEN_"))
        .map(|(_, v)| v.to_str().unwrap())
        .collect();
    for h in [
        "/Users/dev/.ssh",
        "/Users/dev/.aws",
        "/Volumes/keys/aws",
        "/Users/dev/.netrc",
    ] {
        assert!(hidden.contains(&h), "{h} not in {hidden:?}");
    }
    // Their parents cannot be renamed away.
    assert!(p
        .params
        .iter()
        .any(|(n, v)| n.starts_with("PARENT_") && v == "/Volumes/keys"));
    assert!(denied_by_regex(&p, "/Volumes/keys/AWS/credentials"));
}

#[test]
fn an_allowed_path_naming_a_store_lifts_its_hiding() {
    let p = policy(
        r#"{"mode":"workspace","allowed_paths":["~/.ssh"],"blocked_paths":[],
            "allow_symlinks":true,"allow_hidden_files":true}"#,
        false,
    );
    let f = Fixture::standard();
    let out = f.generate(&p);
    assert!(!denied_by_regex(&out, "/Users/dev/.ssh/known_hosts"));
    assert!(denied_by_regex(&out, "/Users/dev/.gnupg/x"));
}

#[test]
fn sbpl_strings_escape_quotes_and_backslashes_and_refuse_control_characters() {
    assert_eq!(sbpl_string("a\"b\\c").unwrap(), "\"a\\\"b\\\\c\"");
    assert_eq!(sbpl_string("café ü").unwrap(), "\"café ü\"");
    assert_eq!(sbpl_string("a\nb"), None);
    assert_eq!(sbpl_string("a\u{7f}"), None);
    let s = sbpl_string("(deny default)\"").unwrap();
    assert_eq!(structure(&s).unwrap(), ["(deny default)\""]);
}

#[test]
fn a_control_character_in_a_hidden_path_is_a_shortfall() {
    let p = policy(
        r#"{"mode":"workspace","allowed_paths":[],"blocked_paths":["./a\nb"],
            "allow_symlinks":true,"allow_hidden_files":true}"#,
        false,
    );
    let out = Fixture::standard().generate(&p);
    check_structure(&out, &[]);
    // Still hidden by its exact spelling (a parameter), and the rest reported.
    assert!(out.params.iter().any(|(_, v)| v == "/Users/dev/proj/a\nb"));
    assert!(!out.shortfalls.is_empty());
}

#[test]
fn moved_roots_have_both_forms() {
    assert_eq!(
        forms(Path::new("/tmp/x")),
        [PathBuf::from("/private/tmp/x"), PathBuf::from("/tmp/x")]
    );
    assert_eq!(
        forms(Path::new("/private/var/y")),
        [PathBuf::from("/private/var/y"), PathBuf::from("/var/y")]
    );
    assert_eq!(
        forms(Path::new("/etc")),
        [PathBuf::from("/private/etc"), PathBuf::from("/etc")]
    );
    assert_eq!(forms(Path::new("/tmpx/a")), [PathBuf::from("/tmpx/a")]);
    assert_eq!(
        forms(Path::new("/private/x")),
        [PathBuf::from("/private/x")]
    );
    assert!(normal(Path::new("rel")).is_err());
    assert_eq!(
        normal(Path::new("/a/./b/../c//")).unwrap(),
        PathBuf::from("/a/c")
    );
}

#[test]
fn the_arguments_put_every_parameter_after_the_profile() {
    let f = Fixture::standard();
    let p = f.generate(&preset("workspace"));
    let args = p.args();
    assert_eq!(args[0], "-p");
    assert_eq!(args[1], OsString::from(&p.text));
    assert_eq!(args.len(), 2 + 2 * p.params.len());
    assert!(args[2..].chunks(2).all(|c| c[0] == "-D"));
    assert_eq!(
        args[3],
        OsString::from(format!(
            "{}={}",
            p.params[0].0,
            p.params[0].1.to_string_lossy()
        ))
    );
}

#[test]
fn what_macos_cannot_enforce_makes_the_run_degraded() {
    use crate::report::{Level, Report};
    let f = Fixture::standard();
    let level = |policy: &Policy| {
        let p = f.generate(policy);
        let mut r = Report::new(false);
        for (name, m) in mechanisms(policy, &p, policy.network.enabled.then_some(40123)) {
            r.set(name, m);
        }
        r
    };
    // Always: a process that leaves the group outlives the run.
    let r = level(&preset("workspace"));
    assert_eq!(r.enforcement, Level::Partial);
    assert_eq!(r.mechanisms["processes"].level, Level::Partial);
    assert_eq!(r.mechanisms["seatbelt"].level, Level::Full);
    assert_eq!(r.mechanisms["network"].level, Level::Full);
    assert!(r.mechanisms["network"].detail.contains("127.0.0.1:40123"));
    // The strict preset hides /System, which macOS cannot do.
    let r = level(&preset("strict"));
    assert_eq!(r.mechanisms["seatbelt"].level, Level::Partial);
    assert!(r.mechanisms["seatbelt"].detail.contains("/System"));
    assert!(r.mechanisms["network"].detail.starts_with("off"));
    // max_memory has no enforcement on macOS.
    let mut p = preset("workspace");
    p.limits.max_memory = Some(1 << 30);
    assert_eq!(level(&p).mechanisms["rlimits"].level, Level::Partial);
    assert_eq!(
        level(&preset("workspace")).mechanisms["rlimits"].level,
        Level::Full
    );
}

/// A git configuration file holding credentials (on Linux a redacted
/// read-only copy): the profile cannot show a copy, so the original is
/// denied for reading and writing, where it is and where it leads, in any
/// case, after the protected entries' read-only rule; its parents stay.
#[test]
fn git_configuration_holding_credentials_is_neither_read_nor_written() {
    let mut f = Fixture::standard();
    f.redacted = vec![
        "/Users/dev/.gitconfig".into(),
        "/Users/dev/proj/.git/config".into(),
    ];
    f.links.insert(
        PathBuf::from("/Users/dev/.gitconfig"),
        PathBuf::from("/Users/dev/dotfiles/gitconfig"),
    );
    let out = f.generate(&preset("workspace"));
    check_structure(&out, &[&f.workspace, &f.homes[0], &f.tmpdir]);
    check_golden("redacted-git-config", &out);
    let params = params_text(&out);
    for p in [
        "/Users/dev/.gitconfig",
        "/Users/dev/dotfiles/gitconfig",
        "/Users/dev/proj/.git/config",
    ] {
        assert!(params.contains(&format!("{p:?}")), "{p}: {params}");
        assert!(denied_by_regex(&out, p), "{p}");
        assert!(
            denied_by_regex(&out, &p.to_uppercase()),
            "{p} in another case"
        );
    }
    // Read denied, and after the rule that makes ~/.gitconfig read-only.
    let deny_read = out
        .text
        .rfind("(deny file-read* file-write*")
        .expect("a read refusal");
    let protected = out
        .text
        .find("; Protected home entries")
        .expect("protected entries");
    assert!(deny_read > protected, "{}", out.text);
    assert!(!denied_by_regex(&out, "/Users/dev/proj/.git/config.d"));
    // Without any: the profile is the preset's.
    let plain = Fixture::standard().generate(&preset("workspace"));
    assert!(!plain.text.contains("REDACTED"));
}
