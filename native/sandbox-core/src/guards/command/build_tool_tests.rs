//! Build tools' file outputs (MSBuild's loggers and output properties
//! through `dotnet`), the arguments tools hand to the project's own
//! scripts and programs, pnpm's `pnpm-workspace.yaml`, and the variables
//! that reach a make a tool starts. Judged under the workspace preset, a
//! whitelist of the programs the cases run and a blacklist.

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
    for d in ["src", "build", "tests"] {
        std::fs::create_dir_all(ws.join(d)).unwrap();
    }
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    for (f, text) in [
        (
            "package.json",
            "{\"name\":\"w\",\"scripts\":{\"test\":\"jest\",\"build\":\"make\",\"lint\":\"eslint .\",\"x\":\"node t.js\"}}\n",
        ),
        ("Makefile", "all:\n\t@echo hi\n"),
        ("Cargo.toml", "[package]\nname = \"w\"\nversion = \"0.1.0\"\n"),
        ("go.mod", "module w\n"),
        ("app.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>\n"),
        ("t.js", "console.log(1)\n"),
        ("a.txt", "a\n"),
    ] {
        std::fs::write(ws.join(f), text).unwrap();
    }
    std::fs::write(home.join(".bashrc"), "x\n").unwrap();
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
    fn listed(&self, mode: &str, key: &str, names: &[&str]) -> Engine {
        let names = names
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(",");
        Engine::from_json(
            &format!(
                r#"{{"version":"1.0","name":"l",
            "filesystem":{{"mode":"workspace","allowed_paths":["./"],"blocked_paths":["~/.ssh"],"allow_symlinks":true,"allow_hidden_files":true}},
            "network":{{"enabled":true,"allowed_domains":["registry.npmjs.org"],"allow_localhost":false,"allow_https":true,"allow_http":false}},
            "commands":{{"mode":"{mode}","{key}":[{names}],"allow_sudo":false}},
            "limits":{{"max_file_size":52428800,"max_execution_time":300000}}}}"#
            ),
            Path::new(&self.ws),
            Path::new(&self.home),
        )
        .unwrap()
    }

    fn engines(&self) -> Vec<(&'static str, Engine)> {
        vec![
            ("workspace", self.workspace()),
            (
                "whitelist",
                self.listed(
                    "whitelist",
                    "allowed_commands",
                    &[
                        "dotnet", "npm", "pnpm", "yarn", "cargo", "make", "cmake", "pip", "env",
                        "ls",
                    ],
                ),
            ),
            (
                "blacklist",
                self.listed("blacklist", "blocked_commands", &["sudo", "dd"]),
            ),
        ]
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.ws.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Not allowed under any policy; under the workspace preset, with `code`.
#[track_caller]
fn refused_with(f: &Fixture, code: &str, cases: &[&str]) {
    for (name, e) in f.engines() {
        for c in cases {
            let a = e.analyze_command(c);
            assert_ne!(a.verdict, "allow", "{name}: {c}");
            if name == "workspace" {
                assert_eq!(a.code, code, "{name}: {c}: {}", a.reason);
            }
        }
    }
}

#[track_caller]
fn allowed(f: &Fixture, cases: &[&str]) {
    for (name, e) in f.engines() {
        for c in cases {
            let a = e.analyze_command(c);
            assert_eq!(a.verdict, "allow", "{name}: {c}: {} {}", a.code, a.reason);
        }
    }
}

#[test]
fn msbuild_log_and_output_files_are_judged_as_writes() {
    let f = fixture();
    refused_with(
        &f,
        "FILE_ACCESS_DENIED",
        &[
            "dotnet build -fl -flp:logfile=~/.bashrc",
            "dotnet build '-flp:LogFile=~/.bashrc;Verbosity=diag'",
            "dotnet build -fileLoggerParameters:LogFile=~/.bashrc",
            "dotnet build -flp3:logfile=.git/hooks/pre-commit",
            "dotnet build -flp2:LOGFILE=~/.bashrc",
            "dotnet build /fileloggerparameters:logfile=.git/config",
            "dotnet build -bl:~/.bashrc",
            "dotnet build /bl:~/.bashrc",
            "dotnet build -binaryLogger:LogFile=~/.bashrc",
            "dotnet build '-BL:LogFile=.git/hooks/pre-push;ProjectImports=ZipFile'",
            "dotnet build -o ~/.ssh",
            "dotnet build --output ~/x",
            "dotnet publish -o ~/x",
            "dotnet build -p:OutputPath=~/.ssh",
            "dotnet build /p:OutputPath=/tmp/x",
            "dotnet build -property:BaseIntermediateOutputPath=/tmp/x",
            "dotnet build '-p:Configuration=Release;OutDir=.git/hooks'",
            "dotnet build -pp:~/.bashrc",
            "dotnet test --logger 'trx;LogFileName=~/.bashrc'",
            "dotnet test '--logger=html;LogFileName=/tmp/x.html'",
            "dotnet test -l 'junit;LogFilePath=.git/hooks/post-merge'",
            "dotnet test --results-directory ~/.ssh",
            "dotnet test --diag ~/.bashrc",
        ],
    );
}

#[test]
fn msbuild_switches_not_known_to_be_inert_ask() {
    let f = fixture();
    refused_with(
        &f,
        "UNMODELLED_OPTION",
        &[
            // Loggers load an assembly: code.
            "dotnet build -logger:X,/tmp/x.dll",
            "dotnet build -l:X,/tmp/x.dll",
            "dotnet build /logger:X,x.dll",
            "dotnet build --logger:X,/tmp/x.dll",
            "dotnet build --logger X",
            "dotnet build -distributedFileLogger",
            "dotnet build -dfl",
            "dotnet build -dl:X,x.dll",
            // Unknown switches, parameters and properties.
            "dotnet build -foo",
            "dotnet build /foo",
            "dotnet build -toolsversion:15.0",
            "dotnet build -flp:logfile=x.log\\;bogus=1",
            "dotnet build -bl:Bogus=1",
            "dotnet build -p:MSBuildExtensionsPath=/tmp/x",
            "dotnet build /p:CustomBeforeMicrosoftCommonTargets=x.targets",
            "dotnet build '-p:Version=$([System.IO.File]::ReadAllText(x))'",
            "dotnet test --logger 'trx;LogFileName=../../x'",
            "dotnet test --logger 'trx;Other=/tmp/x'",
            "dotnet format -flp:logfile=x.log",
        ],
    );
    // A response file adds switches that are not read.
    refused_with(&f, "UNMODELLED_OPERAND", &["dotnet build @x.rsp"]);
}

#[test]
fn ordinary_dotnet_builds_stay_allowed() {
    let f = fixture();
    allowed(
        &f,
        &[
            "dotnet build",
            "dotnet test",
            "dotnet build -c Release -o ./out",
            "dotnet publish -c Release -r linux-x64 -o ./out",
            "dotnet build app.csproj",
            "dotnet build /p:Configuration=Release",
            "dotnet build -p:Configuration=Release -p:OutputPath=./bin/x",
            "dotnet build -restore -m:4 -v:minimal -nologo -clp:ErrorsOnly",
            "dotnet build -bl",
            "dotnet build -bl:out.binlog",
            "dotnet build -fl '-flp:logfile=build.log;verbosity=diagnostic'",
            "dotnet test --logger trx",
            "dotnet test --logger 'trx;LogFileName=r.trx'",
            "dotnet test --results-directory ./tr --diag diag.log",
            "dotnet test -- RunConfiguration.MaxCpuCount=2",
            "dotnet run -- --port 5000",
        ],
    );
}

#[test]
fn arguments_handed_to_the_projects_scripts_are_judged() {
    let f = fixture();
    refused_with(
        &f,
        "FILE_ACCESS_DENIED",
        &[
            "npm test -- ~/.ssh/id_rsa",
            "npm test -- --outputFile=~/.bashrc",
            "npm test -- --config ~/.ssh/x",
            "npm run test -- --outputFile=~/.bashrc",
            "npm run x -- ~/.ssh/id_rsa",
            "npm test ~/.ssh/id_rsa",
            "npm run x .git/hooks/pre-commit",
            "pnpm run x -- ~/.ssh/id_rsa",
            "pnpm test -- --outputFile=~/.bashrc",
            "yarn run x ~/.ssh/id_rsa",
            "cargo run -- ~/.ssh/id_rsa",
            "cargo run -- --out=~/.bashrc",
            "cargo run --release -- -o .git/config",
            "cargo run -- -o/tmp/x",
            "npm test -- -c../../x",
            "cargo test -- --logfile ~/.bashrc",
            "dotnet run -- ~/.ssh/id_rsa",
            "dotnet run -- --out=~/.bashrc",
            "go run . ~/.ssh/id_rsa",
            "bun run x --outputFile=~/.bashrc",
        ],
    );
    // A word computed at run time, a response file, a URL.
    refused_with(
        &f,
        "UNMODELLED_OPERAND",
        &[
            "npm test -- \"$(cat a.txt)\"",
            "cargo run -- \"$(cat a.txt)\"",
            "npm test -- @args.txt",
        ],
    );
    refused_with(
        &f,
        "UNMODELLED_OPTION",
        &[
            "yarn test --outputFile=~/.bashrc",
            // (npm reads a computed word as a possible option of its own.)
            "npm run x \"$(cat a.txt)\"",
            "go run . --out=~/.bashrc",
            "gradle run --args=~/.ssh/id_rsa",
            "mvn exec:java -Dexec.args=~/.ssh/id_rsa",
            "make OUT=/tmp/x all",
        ],
    );
    allowed(
        &f,
        &[
            "npm test -- --watch=false",
            "npm test src/a.test.js",
            "npm run lint -- --fix",
            "pnpm test -- -t 'a name'",
            "cargo test -- --nocapture",
            "cargo run -- --port 8080",
            "cargo run --release -- serve",
            "make -j4",
        ],
    );
}

#[test]
fn pnpm_workspace_settings_that_run_programs_are_not_modelled() {
    let f = fixture();
    for (yaml, cmd) in [
        ("scriptShell: /tmp/x/sh\n", "pnpm test"),
        ("scriptShell: /tmp/x/sh\n", "pnpm run x"),
        (
            "packages:\n  - 'pkgs/*'\nscriptShell: \"/tmp/x/sh\"\n",
            "pnpm install",
        ),
        ("shellEmulator: true\n", "pnpm test"),
        ("nodeOptions: --require /tmp/x.js\n", "pnpm test"),
        ("pnpmfile: /tmp/x.cjs\n", "pnpm install"),
        ("'scriptShell': /tmp/x/sh\n", "pnpm start"),
        ("storeDir: ~/.ssh/store\n", "pnpm install"),
    ] {
        f.write("pnpm-workspace.yaml", yaml);
        for (name, e) in f.engines() {
            let a = e.analyze_command(cmd);
            assert_ne!(a.verdict, "allow", "{name}: {yaml} {cmd}");
            assert_eq!(a.code, "UNMODELLED_PROGRAM", "{name}: {yaml} {cmd}");
        }
    }
    // The workspace root above the working directory is read too.
    f.write("pnpm-workspace.yaml", "scriptShell: /tmp/x/sh\n");
    f.write("sub/package.json", "{\"scripts\":{\"test\":\"jest\"}}\n");
    refused_with(&f, "UNMODELLED_PROGRAM", &["cd sub && pnpm test"]);
    // npm does not read the file.
    allowed(&f, &["npm test"]);
    f.write(
        "pnpm-workspace.yaml",
        "# the workspace\npackages:\n  - 'pkgs/*'\ncatalog:\n  react: ^18.2.0\nonlyBuiltDependencies:\n  - esbuild\n",
    );
    allowed(
        &f,
        &[
            "pnpm test",
            "pnpm install",
            "pnpm run x",
            "cd sub && pnpm test",
        ],
    );
}

#[test]
fn make_variables_assigned_for_any_command_that_may_start_make_ask() {
    let f = fixture();
    refused_with(
        &f,
        "DANGEROUS_ENVIRONMENT",
        &[
            "MAKEFLAGS='--eval=$(shell id)' cmake --build build",
            "MAKEFILES=/tmp/x.mk cmake --build build",
            "MAKEFLAGS='--eval=$(shell id)' cargo build",
            "MAKEFILES=/tmp/x.mk npm run build",
            "MAKEFLAGS=-j4 cargo build",
            "export MAKEFILES=/tmp/x.mk; cargo build",
            "MAKEFILES=/tmp/x.mk ./configure && make",
            "MAKEFLAGS=\"$(cat a.txt)\" cargo build",
            "MAKEFILES=/tmp/x.mk pip install .",
            "env MAKEFILES=/tmp/x.mk cargo build",
            "GNUMAKEFLAGS=--eval=x cargo build",
            "MFLAGS=x cargo build",
        ],
    );
    allowed(&f, &["make -j4", "cargo build", "cmake --build build"]);
}
