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
    // `.npmrc` is not written at all.
    assert_eq!(
        verdict(
            &e,
            "printf 'ignore-scripts=false' > .npmrc; npm install ./pkg"
        )
        .0,
        "deny"
    );
    for cmd in [
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

/// A zip file with the entries given, stored or deflated.
fn zip(entries: &[(&str, &str)], deflate: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, text) in entries {
        let data = if deflate {
            miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 6)
        } else {
            text.as_bytes().to_vec()
        };
        let method: u16 = if deflate { 8 } else { 0 };
        let offset = out.len() as u32;
        let mut head = Vec::new();
        head.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]);
        head.extend_from_slice(&method.to_le_bytes());
        head.extend_from_slice(&[0; 8]);
        head.extend_from_slice(&(data.len() as u32).to_le_bytes());
        head.extend_from_slice(&(text.len() as u32).to_le_bytes());
        head.extend_from_slice(&(name.len() as u16).to_le_bytes());
        head.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&head);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&data);
        central.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0]);
        central.extend_from_slice(&method.to_le_bytes());
        central.extend_from_slice(&[0; 8]);
        central.extend_from_slice(&(data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(text.len() as u32).to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]);
    let n = (entries.len() as u16).to_le_bytes();
    out.extend_from_slice(&n);
    out.extend_from_slice(&n);
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

fn jar(f: &Fixture, rel: &str, class_path: Option<&str>, deflate: bool) {
    let manifest = match class_path {
        Some(cp) => format!("Manifest-Version: 1.0\r\nMain-Class: M\r\nClass-Path: {cp}\r\n\r\n"),
        None => "Manifest-Version: 1.0\r\nMain-Class: M\r\n\r\n".to_string(),
    };
    let p = f.ws.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(
        p,
        zip(
            &[("META-INF/MANIFEST.MF", &manifest), ("M.class", "x")],
            deflate,
        ),
    )
    .unwrap();
}

#[test]
fn a_jars_manifest_class_path_is_code_the_jvm_runs() {
    let f = fixture();
    jar(&f, "lib/dep.jar", None, true);
    jar(&f, "lib/other.jar", None, false);
    jar(
        &f,
        "app.jar",
        Some("lib/dep.jar lib/\r\n other.jar classes/"),
        true,
    );
    let e = f.workspace();
    for cmd in [
        "java -jar app.jar",
        "java -cp app.jar M",
        "java -cp lib/dep.jar:classes M",
        "java -cp 'lib/*' M",
        "java -jar lib/other.jar",
    ] {
        assert_eq!(verdict(&e, cmd).0, "allow", "{cmd}");
    }
    // A JAR the manifest names, written earlier in the command; a class
    // path entry written earlier.
    for cmd in [
        "cp t.js lib/dep.jar && java -jar app.jar",
        "cp t.js lib/other.jar; java -cp app.jar M",
        "cp t.js lib/x.jar && java -cp lib/x.jar M",
    ] {
        assert_eq!(verdict(&e, cmd), ("ask", "UNMODELLED_OPERAND"), "{cmd}");
    }
    assert_eq!(
        verdict(&e, "java -cp \"$CP\" M"),
        ("ask", "UNMODELLED_OPERAND")
    );
    // Outside the workspace, directly or through a manifest (continued
    // lines, `..`, a `file:` URL), followed from JAR to JAR.
    std::fs::write(f.home.join("x.jar"), zip(&[("M.class", "x")], false)).unwrap();
    assert_eq!(verdict(&e, "java -cp ~/x.jar M").0, "deny");
    for cp in [
        "../home/x.jar",
        "lib/ok.jar ../ho\r\n me/x.jar",
        "file:../home/x.jar",
        "lib/dep2.jar",
    ] {
        jar(&f, "lib/dep2.jar", Some("../../home/x.jar"), false);
        jar(&f, "app.jar", Some(cp), true);
        assert_eq!(
            verdict(&f.workspace(), "java -jar app.jar").0,
            "deny",
            "{cp}"
        );
    }
    // A URL, or a JAR that is no zip file.
    jar(&f, "app.jar", Some("http://example.com/x.jar"), false);
    assert_eq!(
        verdict(&f.workspace(), "java -jar app.jar"),
        ("ask", "UNMODELLED_OPERAND")
    );
    std::fs::write(f.ws.join("app.jar"), "not a zip").unwrap();
    assert_eq!(
        verdict(&f.workspace(), "java -jar app.jar"),
        ("ask", "UNMODELLED_OPERAND")
    );
}
