//! The configuration files of npm, pnpm and yarn, the files a pipeline
//! stage writes from the output of the runner before it, and the class
//! path a JAR's manifest adds. Judged under the workspace preset on a
//! fixture holding the files the models read.

use crate::Engine;
use std::path::{Path, PathBuf};

struct Fixture {
    _dir: tempfile::TempDir,
    ws: PathBuf,
    home: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let home = dir.path().join("home");
    for d in ["pkg", "lib", ".yarn/releases", "sub"] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    for (f, text) in [
        (
            "package.json",
            "{\"name\":\"w\",\"scripts\":{\"test\":\"node t.js\"}}\n",
        ),
        (
            "pkg/package.json",
            "{\"name\":\"p\",\"scripts\":{\"postinstall\":\"node x.js\"}}\n",
        ),
        ("t.js", "console.log(1)\n"),
        (".yarn/releases/yarn-4.1.0.cjs", "//\n"),
    ] {
        std::fs::write(ws.join(f), text).unwrap();
    }
    Fixture {
        _dir: dir,
        ws,
        home,
    }
}

impl Fixture {
    fn workspace(&self) -> Engine {
        let policy =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies/workspace.json");
        Engine::from_json(
            &std::fs::read_to_string(policy).unwrap(),
            Path::new(&self.ws),
            Path::new(&self.home),
        )
        .unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.ws.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn verdict(e: &Engine, cmd: &str) -> (&'static str, &'static str) {
    let a = e.analyze_command(cmd);
    (a.verdict, a.code)
}

#[test]
fn npmrc_keys_that_run_code_or_move_files_are_judged() {
    let f = fixture();
    for (npmrc, cmd) in [
        ("script-shell=/tmp/sh\n", "npm test"),
        ("script-shell=/tmp/sh\n", "pnpm test"),
        ("script-shell=/tmp/sh\n", "yarn test"),
        ("node-options=--require /tmp/x.js\n", "npm test"),
        ("onload-script=/tmp/x.js\n", "npm ls"),
        ("init-module=/tmp/x.js\n", "npm init -y"),
        ("git=/tmp/fake-git\n", "npm install"),
        ("shell=/tmp/sh\n", "npm exec eslint"),
        ("editor=/tmp/ed\n", "npm test"),
        ("pnpmfile=/tmp/hooks.cjs\n", "pnpm install"),
        ("registry=file:/tmp/reg\n", "npm install"),
        ("cache=$HOME/x\n", "npm install"),
    ] {
        f.write(".npmrc", npmrc);
        let e = f.workspace();
        assert_eq!(
            verdict(&e, cmd),
            ("ask", "UNMODELLED_PROGRAM"),
            "{npmrc} {cmd}"
        );
    }
    // The directory above the working directory: also a project's root.
    std::fs::remove_file(f.ws.join(".npmrc")).unwrap();
    f.write("sub/package.json", "{}\n");
    f.write(".npmrc", "script-shell=/tmp/sh\n");
    assert_eq!(
        verdict(&f.workspace(), "cd sub && npm test"),
        ("ask", "UNMODELLED_PROGRAM")
    );
    // Places written, files read, other configuration files.
    for (npmrc, cmd) in [
        ("cache=~/.ssh\n", "npm install"),
        ("store-dir=~/.ssh/store\n", "pnpm install"),
        ("cafile=~/.ssh/id_rsa\n", "npm install"),
        ("userconfig=~/.ssh/npmrc\n", "npm install"),
        ("prefix=~/.ssh\n", "npm install"),
    ] {
        f.write(".npmrc", npmrc);
        let e = f.workspace();
        assert_eq!(verdict(&e, cmd).0, "deny", "{npmrc} {cmd}");
    }
    // A configuration file another one names is read in turn.
    f.write(".npmrc", "userconfig=./more.npmrc\n");
    f.write("more.npmrc", "script-shell=/tmp/sh\n");
    assert_eq!(
        verdict(&f.workspace(), "npm test"),
        ("ask", "UNMODELLED_PROGRAM")
    );
    f.write(".npmrc", "prefix=./g\n");
    f.write("g/etc/npmrc", "node-options=--require /tmp/x.js\n");
    assert_eq!(
        verdict(&f.workspace(), "npm test"),
        ("ask", "UNMODELLED_PROGRAM")
    );
    // The user's configuration.
    std::fs::remove_file(f.ws.join(".npmrc")).unwrap();
    std::fs::write(f.home.join(".npmrc"), "script-shell=/tmp/sh\n").unwrap();
    assert_eq!(
        verdict(&f.workspace(), "npm test"),
        ("ask", "UNMODELLED_PROGRAM")
    );
    // Where the user keeps the cache is the user's choice.
    std::fs::write(
        f.home.join(".npmrc"),
        "cache=~/.cache/npm\nprefix=~/.npm-global\n",
    )
    .unwrap();
    assert_eq!(verdict(&f.workspace(), "npm test").0, "allow");
}

#[test]
fn ordinary_npmrc_settings_stay_allowed() {
    let f = fixture();
    f.write(
        ".npmrc",
        "; settings\nregistry=https://registry.npmjs.org/\n@acme:registry=https://npm.acme.example/\n//npm.acme.example/:_authToken=abc\nsave-exact=true\nengine-strict=true\nlegacy-peer-deps=true\nauto-install-peers=true\nfund=false\naudit=false\ncache=./.npm-cache\n",
    );
    let e = f.workspace();
    for cmd in [
        "npm test",
        "npm install",
        "npm ci",
        "pnpm install",
        "yarn test",
    ] {
        assert_eq!(verdict(&e, cmd).0, "allow", "{cmd}");
    }
}

#[test]
fn ignore_scripts_in_the_project_npmrc_turns_local_package_scripts_off() {
    let f = fixture();
    assert_eq!(
        verdict(&f.workspace(), "npm install ./pkg"),
        ("ask", "UNMODELLED_PROGRAM")
    );
    f.write(".npmrc", "ignore-scripts=true\n");
    let e = f.workspace();
    for cmd in ["npm install ./pkg", "npm i file:./pkg", "npm install p.tgz"] {
        assert_eq!(verdict(&e, cmd).0, "allow", "{cmd}");
    }
    // Changed by the command, or turned on again later in the file.
    for cmd in [
        "printf 'ignore-scripts=false' > .npmrc; npm install ./pkg",
        "npm install --ignore-scripts=false ./pkg",
        "npm_config_ignore_scripts=false npm install ./pkg",
        "pnpm add ./pkg",
    ] {
        assert_eq!(verdict(&e, cmd).0, "ask", "{cmd}");
    }
    f.write(".npmrc", "ignore-scripts=true\nignore-scripts=false\n");
    assert_eq!(verdict(&f.workspace(), "npm install ./pkg").0, "ask");
    // The working directory's project is `sub`, whose .npmrc does not.
    f.write(".npmrc", "ignore-scripts=true\n");
    f.write("sub/package.json", "{}\n");
    assert_eq!(
        verdict(&f.workspace(), "cd sub && npm install ../pkg").0,
        "ask"
    );
}

#[test]
fn yarn_releases_and_plugins_are_code_yarn_runs() {
    let f = fixture();
    f.write(
        ".yarnrc.yml",
        "yarnPath: .yarn/releases/yarn-4.1.0.cjs\nnodeLinker: node-modules\n",
    );
    let e = f.workspace();
    assert_eq!(verdict(&e, "yarn install").0, "allow");
    assert_eq!(verdict(&e, "yarn test").0, "allow");
    assert_eq!(
        verdict(&e, "cp t.js .yarn/releases/yarn-4.1.0.cjs; yarn test"),
        ("ask", "UNMODELLED_PROGRAM")
    );
    for rc in [
        "yarnPath: /tmp/yarn.cjs\n",
        "yarnPath: \"../home/.ssh/y.cjs\"\n",
        "plugins:\n  - path: /tmp/plugin.cjs\n    spec: x\n",
    ] {
        f.write(".yarnrc.yml", rc);
        assert_eq!(verdict(&f.workspace(), "yarn install").0, "deny", "{rc}");
    }
    f.write(".yarnrc.yml", "injectEnvironmentFiles:\n  - .env.yarn\n");
    assert_eq!(
        verdict(&f.workspace(), "yarn install"),
        ("ask", "UNMODELLED_PROGRAM")
    );
    std::fs::remove_file(f.ws.join(".yarnrc.yml")).unwrap();
    f.write(".yarnrc", "yarn-path \"/tmp/yarn.js\"\n");
    assert_eq!(verdict(&f.workspace(), "yarn install").0, "deny");
    f.write(".yarnrc", "--install.modules-folder /tmp/nm\n");
    assert_eq!(
        verdict(&f.workspace(), "yarn install"),
        ("ask", "UNMODELLED_PROGRAM")
    );
    // A yarn file written in the same command, in the home.
    std::fs::remove_file(f.ws.join(".yarnrc")).unwrap();
    std::fs::write(f.home.join(".yarnrc.yml"), "yarnPath: /tmp/y.cjs\n").unwrap();
    assert_eq!(verdict(&f.workspace(), "yarn --version").0, "deny");
}

#[test]
fn a_stage_copying_the_runners_output_writes_no_code_for_it() {
    let f = fixture();
    let e = f.workspace();
    for cmd in [
        "npm test | grep x > f",
        "npm test 2>&1 | tee log.txt",
        "npm test | grep -v ok | sort > out.txt",
        "cargo test | grep -v ok > out.txt",
        "npm test | head -n 50 > f",
        "npm test | sort -u >> f",
        "npm test | wc -l > count",
        "npm test | grep -e x -e y > f",
    ] {
        assert_eq!(verdict(&e, cmd).0, "allow", "{cmd}");
    }
    // Text the command adds, a file read, part of a line, or a write
    // beside the runner rather than after it.
    for cmd in [
        "npm test | sed s/x/y/ > f",
        "npm test | sed s/x/y/ | grep y > f",
        "npm test | grep -o x > f",
        "npm test | grep x t.js > f",
        "npm test | head -c 10 > f",
        "npm test | grep x 2> f",
        "npm test | grep x < t.js > f",
        "npm test & echo x | tee f",
        "npm test & echo x | grep x > f",
        "npm test | { echo x; cat; } > f",
    ] {
        assert_eq!(verdict(&e, cmd), ("ask", "UNMODELLED_PROGRAM"), "{cmd}");
    }
}
