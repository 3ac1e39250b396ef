//! Programs that run code or touch credential stores the command line does
//! not show: interactive interpreters and their history files, local
//! packages' lifecycle scripts, package runners that fetch what they run,
//! Ant's properties and options, javac's annotation processors and
//! kotlinc's plugins. Judged under the workspace preset (and a whitelist),
//! on a fixture with the files the models look at.

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
    for d in [
        "src",
        "lib",
        "out",
        "proc/META-INF/services",
        "pkg",
        ".git/hooks",
    ] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    for (f, text) in [
        (
            "proc/META-INF/services/javax.annotation.processing.Processor",
            "p.P\n",
        ),
        (
            "pkg/package.json",
            "{\"name\":\"p\",\"scripts\":{\"postinstall\":\"node x.js\"}}\n",
        ),
        ("package.json", "{\"name\":\"w\"}\n"),
        ("src/A.java", "class A {}\n"),
        ("src/A.kt", "fun main() {}\n"),
        ("build.xml", "<project default=\"test\"/>\n"),
        ("app.js", "console.log(1)\n"),
        ("script.py", "print(1)\n"),
        ("p.tgz", "x"),
    ] {
        std::fs::write(ws.join(f), text).unwrap();
    }
    for f in [".python_history", ".node_repl_history", ".bashrc"] {
        std::fs::write(home.join(f), "x\n").unwrap();
    }
    Fixture {
        _dir: dir,
        ws,
        home,
    }
}

impl Fixture {
    fn engine(&self, policy: &str) -> Engine {
        Engine::from_json(policy, Path::new(&self.ws), Path::new(&self.home)).unwrap()
    }

    fn workspace(&self) -> Engine {
        let policy =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../policies/workspace.json");
        self.engine(&std::fs::read_to_string(policy).unwrap())
    }

    /// A whitelist naming plain programs (and one runner with its
    /// package).
    fn whitelist(&self) -> Engine {
        self.engine(
            r#"{"version":"1.0","name":"wl",
            "filesystem":{"mode":"workspace","allowed_paths":["./"],"blocked_paths":["~/.ssh"],"allow_symlinks":true,"allow_hidden_files":true},
            "network":{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false},
            "commands":{"mode":"whitelist","allowed_commands":["ls","rm","eslint","npx prettier","pnpm exec","npm test"],"allow_sudo":false},
            "limits":{"max_file_size":52428800,"max_execution_time":300000}}"#,
        )
    }
}

fn verdict(e: &Engine, cmd: &str) -> (&'static str, &'static str) {
    let a = e.analyze_command(cmd);
    (a.verdict, a.code)
}

#[test]
fn interactive_interpreters_have_their_history_files_judged() {
    let f = fixture();
    let e = f.workspace();
    // The interactive mode on a terminal, which the check cannot rule out.
    for cmd in [
        "python3",
        "python3 -q",
        "python3 -",
        "python3 -E -W ignore",
        "node",
        "node --no-warnings",
        "timeout 60 python3",
        "env python3",
    ] {
        assert_eq!(verdict(&e, cmd), ("ask", "FILE_ACCESS_DENIED"), "{cmd}");
    }
    // The interactive mode whatever the input.
    for cmd in [
        "python3 -i",
        "python3 -qi script.py",
        "python3 -i < script.py",
        "node -i < app.js",
        "deno",
        "deno repl",
    ] {
        assert_eq!(verdict(&e, cmd), ("deny", "FILE_ACCESS_DENIED"), "{cmd}");
    }
    // No model of the REPL's files.
    for cmd in ["bun repl", "kotlinc"] {
        assert_eq!(verdict(&e, cmd), ("ask", "UNMODELLED_PROGRAM"), "{cmd}");
    }
    // A script, inline code (asked as such), input that is no terminal,
    // the history turned off, only printing.
    for cmd in [
        "python3 script.py",
        "python3 -m pytest",
        "python3 < script.py",
        "node app.js",
        "node - < app.js",
        "NODE_REPL_HISTORY= node",
        "env NODE_REPL_HISTORY= node",
        "python3 --version",
        "node --version",
        "deno run app.js",
    ] {
        assert_eq!(verdict(&e, cmd).0, "allow", "{cmd}");
    }
    for cmd in ["python3 -c pass", "node -e 1", "printf 1 | python3"] {
        assert_eq!(verdict(&e, cmd), ("ask", "INLINE_CODE"), "{cmd}");
    }
    // Another history file: the environment asks, and the file is judged.
    assert_ne!(verdict(&e, "NODE_REPL_HISTORY=~/.bashrc node").0, "allow");
}

#[test]
fn node_repl_history_names_the_file_judged() {
    let f = fixture();
    let e = f.workspace();
    let refused = |cmd: &str| {
        e.analyze_command(cmd)
            .findings
            .iter()
            .any(|x| x.code == "FILE_ACCESS_DENIED")
    };
    // The variable itself asks as environment; the file it names is the
    // one judged.
    assert!(refused("NODE_REPL_HISTORY=~/.bashrc node"));
    assert!(!refused("NODE_REPL_HISTORY=out/h node"));
    assert_eq!(
        verdict(&e, "NODE_REPL_HISTORY=out/h node"),
        ("ask", "DANGEROUS_ENVIRONMENT")
    );
    // Turned off only when empty.
    assert!(!refused("NODE_REPL_HISTORY= node"));
    assert_ne!(verdict(&e, "NODE_REPL_HISTORY=$X node").0, "allow");
    // A sibling command's own environment is not this one's.
    assert!(refused(
        "find . -maxdepth 0 -exec env NODE_REPL_HISTORY= true \\; -exec node \\;"
    ));
}

#[test]
fn local_packages_run_their_lifecycle_scripts() {
    let f = fixture();
    let e = f.workspace();
    for cmd in [
        "npm install ./pkg",
        "npm i pkg/",
        "npm install vendor/a/pkg",
        "npm install x@./pkg",
        "npm install file:pkg",
        "npm install p@file:./pkg",
        "npm install p.tgz",
        "npm install git+file:///srv/repo.git",
        "npm install x@git+file:../repo",
        "npm update ./pkg",
        "pnpm add ./pkg",
        "pnpm add link:./pkg",
        "yarn add file:./pkg",
        "yarn add ./pkg",
        "bun add ./pkg",
        "bun install ./pkg",
    ] {
        assert_eq!(verdict(&e, cmd), ("ask", "UNMODELLED_PROGRAM"), "{cmd}");
    }
    // npm link, pnpm link: global changes, asked as before.
    for cmd in ["npm link ./pkg", "pnpm link ./pkg"] {
        assert_eq!(verdict(&e, cmd).0, "ask", "{cmd}");
    }
    // Scripts turned off, or only `false` given to the switch.
    for cmd in [
        "npm install --ignore-scripts ./pkg",
        "npm i ./pkg --ignore-scripts",
        "pnpm add --ignore-scripts ./pkg",
        "bun add --ignore-scripts ./pkg",
    ] {
        assert_eq!(verdict(&e, cmd).0, "allow", "{cmd}");
    }
    assert_eq!(
        verdict(&e, "npm install --ignore-scripts=false ./pkg"),
        ("ask", "UNMODELLED_OPTION")
    );
    // The project's own install, registry packages, remote repositories.
    for cmd in [
        "npm install",
        "npm ci",
        "npm install --ignore-scripts",
        "npm install lodash",
        "npm install -D typescript@5",
        "npm install https://registry.npmjs.org/x/-/x-1.0.0.tgz",
        "pnpm install",
        "pnpm add lodash",
        "yarn install",
        "yarn add lodash",
        "bun install",
        "bun add lodash",
    ] {
        assert_eq!(verdict(&e, cmd).0, "allow", "{cmd}");
    }
    // In whitelist mode the same spec is refused.
    let wl = f.engine(
        r#"{"version":"1.0","name":"wl",
        "filesystem":{"mode":"workspace","allowed_paths":["./"],"blocked_paths":[],"allow_symlinks":true,"allow_hidden_files":true},
        "network":{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false},
        "commands":{"mode":"whitelist","allowed_commands":["npm install"],"allow_sudo":false},
            "limits":{"max_file_size":52428800,"max_execution_time":300000}}"#,
    );
    assert_eq!(
        verdict(&wl, "npm install ./pkg"),
        ("deny", "UNMODELLED_PROGRAM")
    );
    assert_eq!(verdict(&wl, "npm install").0, "allow");
}

#[test]
fn fetching_runners_are_covered_only_by_rules_naming_the_package() {
    let f = fixture();
    let wl = f.whitelist();
    for cmd in [
        "npx ls",
        "npx -y ls -la",
        "npx eslint .",
        "bunx ls",
        "pnpx ls",
        "npm exec ls",
        "npm exec -- ls",
        "npm x ls",
        "pnpm dlx ls",
        "yarn dlx rm",
        "bun x ls",
        "timeout 5 npx ls",
    ] {
        assert_eq!(verdict(&wl, cmd), ("deny", "COMMAND_NOT_ALLOWED"), "{cmd}");
    }
    // A rule naming the runner and the package; a runner that fetches
    // nothing runs the program found on PATH (or the project's own bin).
    for cmd in [
        "npx prettier --check .",
        "pnpm exec ls",
        "npm test",
        "ls",
        "eslint .",
    ] {
        assert_eq!(verdict(&wl, cmd).0, "allow", "{cmd}");
    }
    // Runners of Python packages have no model.
    let e = f.workspace();
    for cmd in [
        "uvx ruff",
        "uvx --from ruff ruff check",
        "uv tool run ruff",
        "uv tool install ruff",
        "pipx run black",
        "pipx install black",
        "pipx run --spec black black .",
    ] {
        assert_eq!(verdict(&e, cmd), ("ask", "UNMODELLED_PROGRAM"), "{cmd}");
    }
    for cmd in ["uvx ls", "uv tool run ls", "pipx run ls"] {
        assert_eq!(verdict(&wl, cmd).0, "deny", "{cmd}");
    }
}

#[test]
fn ant_properties_and_options_are_modelled() {
    let f = fixture();
    let e = f.workspace();
    for cmd in [
        "ant",
        "ant test",
        "ant -q -k -noinput test",
        "ant -nouserlib -noclasspath test",
        "ant -Dversion=1.0 -Dskip.tests=true test",
        "ant -Dbuild.dir=out/b test",
        "ant -Dname value test",
        "ant -f build.xml test",
        "ant -logfile out/ant.log test",
        "ant -projecthelp",
    ] {
        assert_eq!(verdict(&e, cmd).0, "allow", "{cmd}");
    }
    for cmd in [
        "ant -Dbasedir=/tmp test",
        "ant -Dant.executor.class=x.Y test",
        "ant -Dant.regexp.regexpimpl=x.Y test",
        "ant -Dbuild.compiler=x.Y test",
        "ant -Djava.io.tmpdir=/tmp test",
        "ant -Duser.home=/tmp test",
        "ant -Dx=${user.home}/y test",
        "ant -D test",
        "ant -lib lib test",
        "ant -main x.Y",
        "ant -listener x.Y test",
        "ant -logger x.Y test",
        "ant -inputhandler x.Y test",
        "ant -propertyfile p.properties test",
        "ant -find build.xml",
        "ant -diagnostics",
    ] {
        assert_eq!(verdict(&e, cmd), ("ask", "UNMODELLED_OPTION"), "{cmd}");
    }
    for cmd in [
        "ant -Dout=~/.ssh test",
        "ant -Dout ~/.ssh test",
        "ant -Dpath=out:~/.ssh test",
        "ant -logfile ~/.bashrc test",
        "ant -l ~/.bashrc test",
    ] {
        assert_eq!(verdict(&e, cmd), ("deny", "FILE_ACCESS_DENIED"), "{cmd}");
    }
}

#[test]
fn javac_annotation_processors_are_code() {
    let f = fixture();
    let e = f.workspace();
    // Named processors.
    for cmd in [
        "javac -processor p.P src/A.java",
        "javac -processorpath proc src/A.java",
        "javac --processor-path proc src/A.java",
        "javac --processor-module-path proc src/A.java",
    ] {
        assert_eq!(verdict(&e, cmd), ("ask", "UNMODELLED_PROGRAM"), "{cmd}");
    }
    // A class path entry the command wrote into, where processors are
    // looked up.
    for cmd in [
        "mkdir -p q/META-INF/services && printf p.P > q/META-INF/services/javax.annotation.processing.Processor && javac -cp q src/A.java",
        "printf p.P > META-INF/services/javax.annotation.processing.Processor; javac src/A.java",
        "cp /dev/null proc/p/P.class; javac -cp proc src/A.java",
        "cp src/A.java lib/x.jar && javac -cp lib/x.jar src/A.java",
        "cp src/A.java lib/x.jar && javac -cp 'lib/*' src/A.java",
        "cp src/A.java lib/x.jar && javac -classpath out:lib/x.jar -d out src/A.java",
        "cp src/A.java lib/x.jar && javac --class-path=lib/x.jar src/A.java",
    ] {
        assert_eq!(verdict(&e, cmd), ("ask", "UNMODELLED_PROGRAM"), "{cmd}");
    }
    assert_eq!(
        verdict(&e, "javac -cp \"$CP\" src/A.java").0,
        "ask",
        "a computed class path"
    );
    // A processor outside the workspace: judged as code the agent could
    // not write.
    std::fs::create_dir_all(f.home.join("p/META-INF/services")).unwrap();
    std::fs::write(
        f.home
            .join("p/META-INF/services/javax.annotation.processing.Processor"),
        "p.P\n",
    )
    .unwrap();
    assert_eq!(verdict(&e, "javac -cp ~/p src/A.java").0, "deny");
    // Processors off, none on the class path, the project's own.
    for cmd in [
        "javac -d out src/A.java",
        "javac -cp lib -d out src/A.java",
        "javac -cp proc src/A.java",
        "javac -cp proc -proc:none src/A.java",
        "printf p.P > META-INF/services/javax.annotation.processing.Processor; javac -proc:none src/A.java",
        "mkdir -p q/META-INF/services && printf p.P > q/META-INF/services/javax.annotation.processing.Processor && javac -proc:none -cp q src/A.java",
        "printf 'class B {}' > src/B.java && javac -d out src/B.java",
    ] {
        assert_eq!(verdict(&e, cmd).0, "allow", "{cmd}");
    }
    assert_eq!(
        verdict(&e, "javac @args src/A.java"),
        ("ask", "UNMODELLED_OPERAND")
    );
}

#[test]
fn kotlinc_plugins_scripts_and_the_repl_are_not_modelled() {
    let f = fixture();
    let e = f.workspace();
    for cmd in [
        "kotlinc -Xplugin=lib/p.jar src/A.kt",
        "kotlinc -Xcompiler-plugin=lib/p.jar src/A.kt",
        "kotlinc -P plugin:x:y=z src/A.kt",
        "kotlinc -script s.kts",
        "kotlinc -e 1",
        "kotlinc -J-Xmx1g src/A.kt",
        "kotlinc",
    ] {
        assert_eq!(verdict(&e, cmd), ("ask", "UNMODELLED_PROGRAM"), "{cmd}");
    }
    for cmd in [
        "kotlinc -d out src/A.kt",
        "kotlinc -version",
        "kotlinc src/A.kt -include-runtime -d out/a.jar",
    ] {
        assert_eq!(verdict(&e, cmd).0, "allow", "{cmd}");
    }
}
