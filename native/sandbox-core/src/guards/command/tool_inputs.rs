//! Files and code that tools take from places other than their file
//! operands: the lock file flock creates, the logs and result trees GNU
//! parallel writes and the hosts it runs commands on, the modules a jq
//! program imports, the pages man formats (whose roff may include any
//! file) and its configuration (which defines the programs it runs), the
//! names zip reads from its input, the engines, providers and
//! configuration openssl loads, and the `.env` files bun and pipenv load.

use super::normalize::{clip, Arg};
use super::options::{scan, Item, Opt, Syntax, Value};
use super::walk::Analyzer;
use crate::decision::{DecisionCode, Verdict};
use crate::guards::filesystem::FileOperation::{Read, Write};

/// Directories whose manual pages come from the system, not the workspace.
const SYSTEM_MAN: &[&str] = &["/usr/share/man/", "/usr/local/share/man/"];

/// The environment files bun loads in the directory it runs in.
pub(crate) const BUN_ENV_FILES: &[&str] = &[
    ".env",
    ".env.local",
    ".env.development",
    ".env.production",
    ".env.test",
    ".env.development.local",
    ".env.production.local",
    ".env.test.local",
];

fn value_arg(value: &Value<'_>, word: &Arg) -> Arg {
    value.arg(word)
}

/// Whether a program text uses jq's module system: `import`, `include`
/// (files named in the text, searched in paths the text may give) or
/// `modulemeta` (modules named by the input).
pub(crate) fn jq_uses_modules(text: &str) -> bool {
    let bytes = text.as_bytes();
    for kw in ["import", "include", "modulemeta"] {
        let mut from = 0;
        while let Some(pos) = text[from..].find(kw) {
            let at = from + pos;
            let end = at + kw.len();
            let before = at == 0 || !is_ident(bytes[at - 1]);
            let after = end >= bytes.len() || !is_ident(bytes[end]);
            if before && after {
                return true;
            }
            from = end;
        }
    }
    false
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

impl Analyzer<'_> {
    /// The inputs of the tools of this module that no file table lists.
    pub(crate) fn check_tool_inputs(&mut self, argv: &[Arg], canon: &str) {
        match canon {
            "flock" => self.flock_file(argv),
            "parallel" => self.parallel_options(argv),
            "jq" => self.jq_modules(argv),
            "man" => self.man_inputs(argv),
            "zip" => self.zip_names(argv),
            "openssl" => self.openssl_loads(argv),
            "bun" | "bunx" => {
                if canon == "bunx" {
                    self.node_runner_packages(argv, 1);
                } else if argv.get(1).is_some_and(|a| a.is("x")) {
                    self.node_runner_packages(argv, 2);
                }
                for f in BUN_ENV_FILES {
                    let t = Arg::literal(f, argv[0].span);
                    self.check_file(&t, Read, argv, "bun loads");
                }
            }
            "npx" | "pnpx" => self.node_runner_packages(argv, 1),
            "npm" | "pnpm" | "yarn" => {
                let scan =
                    super::wrappers::scan_options(argv, 1, super::wrappers::RUNNER_VALUE_OPTIONS);
                if argv
                    .get(scan.first)
                    .is_some_and(|a| a.is("exec") || a.is("x") || a.is("dlx"))
                {
                    self.node_runner_packages(argv, scan.first + 1);
                }
            }
            "uv" | "poetry" | "pipenv" | "pdm" | "hatch" | "rye" => {
                self.runner_packages(argv);
                if canon == "pipenv" {
                    self.pipenv_env(argv);
                }
            }
            _ => {}
        }
    }

    /// Under a whitelist, a package a runner adds (`uv run --with NAME`)
    /// is code no rule names.
    fn runner_packages(&mut self, argv: &[Arg]) {
        if self.guard.mode != crate::policy::CommandMode::Whitelist {
            return;
        }
        for a in argv.iter().skip(1) {
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                return;
            }
            let named = super::wrappers::RUNNER_PACKAGE_OPTIONS
                .iter()
                .any(|o| v == *o || v.strip_prefix(*o).is_some_and(|r| r.starts_with('=')));
            if named {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "{}: adds a package no rule names to the environment the command runs in",
                        clip(&a.shown())
                    ),
                    a.span,
                    argv,
                );
            }
        }
    }

    /// Under a whitelist, a package `npx -p NAME` adds is code no rule
    /// names either (only the options before the command are the runner's).
    fn node_runner_packages(&mut self, argv: &[Arg], from: usize) {
        if self.guard.mode != crate::policy::CommandMode::Whitelist {
            return;
        }
        let scan = super::wrappers::scan_options(
            argv,
            from,
            &["-p", "--package", "-c", "--call", "--cache", "--userconfig"],
        );
        if let Some((o, _, _)) = scan
            .opts
            .iter()
            .find(|(o, _, _)| super::wrappers::NODE_RUNNER_PACKAGE_OPTIONS.contains(&o.as_str()))
        {
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!("{o}: adds a package no rule names to the environment the command runs in"),
                argv[0].span,
                argv,
            );
        }
    }

    /// `pipenv run` and `pipenv shell` load `.env` of the project.
    fn pipenv_env(&mut self, argv: &[Arg]) {
        if argv.iter().skip(1).any(|a| a.is("run") || a.is("shell")) {
            let t = Arg::literal(".env", argv[0].span);
            self.check_file(&t, Read, argv, "pipenv loads");
        }
    }

    /// `flock FILE CMD` opens FILE with O_CREAT: a write. `flock FD`
    /// (a number) locks an open descriptor.
    fn flock_file(&mut self, argv: &[Arg]) {
        const FLOCK: Syntax<'static> = Syntax::gnu(
            "wEc",
            &["timeout", "wait", "conflict-exit-code", "command"],
            &[
                "shared",
                "exclusive",
                "nonblock",
                "nb",
                "unlock",
                "close",
                "no-fork",
                "verbose",
                "help",
                "version",
            ],
        );
        for item in scan(argv, &FLOCK) {
            match item {
                Item::Operand(a) | Item::Computed(a) => {
                    if a.lit()
                        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit()))
                    {
                        return;
                    }
                    self.check_file(a, Write, argv, "flock creates");
                    return;
                }
                Item::Option { .. } => {}
            }
        }
    }

    /// GNU parallel's options that write files (`--joblog`, `--results`,
    /// `--tmpdir`), run elsewhere (`--workdir`, `-S`/`--sshlogin`, which
    /// run ssh) or move files between hosts. Options it does not model end
    /// the model.
    fn parallel_options(&mut self, argv: &[Arg]) {
        const PARALLEL: Syntax<'static> = Syntax {
            short: "jSaCdIEnNLPs",
            optional: "",
            clusters: true,
            long_words: true,
            long: &[
                "jobs",
                "sshlogin",
                "arg-file",
                "colsep",
                "delimiter",
                "results",
                "res",
                "joblog",
                "tmpdir",
                "workdir",
                "wd",
                "env",
                "timeout",
                "delay",
                "retries",
                "max-args",
                "max-lines",
                "max-procs",
                "max-chars",
                "halt",
                "memfree",
                "load",
                "nice",
                "sshloginfile",
                "slf",
                "basefile",
                "bf",
                "return",
                "transferfile",
                "tf",
                "tagstring",
                "block",
                "recend",
                "recstart",
                "max-replace-args",
                "replace",
                "shebang",
                "termseq",
                "sqlmaster",
                "sqlworker",
                "sqlandworker",
                "ssh",
                "controlmaster",
                "header",
                "rpl",
            ],
            long_flags: &[
                "keep-order",
                "bar",
                "progress",
                "eta",
                "dry-run",
                "verbose",
                "tag",
                "line-buffer",
                "lb",
                "group",
                "ungroup",
                "null",
                "quote",
                "xargs",
                "trim",
                "no-notice",
                "will-cite",
                "silent",
                "shuf",
                "pipe",
                "pipepart",
                "halt-on-error",
                "joblog-append",
                "keep-order",
                "round-robin",
                "files",
                "plain",
                "no-run-if-empty",
                "transfer",
                "cleanup",
                "trc",
                "nonall",
                "onall",
                "version",
                "help",
                "citation",
                "link",
                "group-by",
                "fg",
                "bg",
                "compress",
                "ctag",
                "tty",
                "interactive",
            ],
            single_dash: false,
            abbreviates: true,
            plus: None,
        };
        let end = argv
            .iter()
            .position(|a| a.lit().is_some_and(|v| v.starts_with(":::")))
            .unwrap_or(argv.len());
        let argv_head = &argv[..end];
        for item in scan(argv_head, &PARALLEL) {
            let (opt, word, value) = match item {
                Item::Option { opt, word, value } => (opt, word, value),
                // The command starts at the first operand.
                Item::Operand(_) | Item::Computed(_) => return,
            };
            let name: String = match opt {
                Opt::Short(c) => format!("-{c}"),
                Opt::Long(n) => format!("--{n}"),
                Opt::Other(n) => n.to_string(),
                Opt::Ambiguous(_) => word.shown(),
            };
            let val = value.map(|v| value_arg(&v, word));
            match name.as_str() {
                "--joblog" | "--results" | "--res" | "--tmpdir" => {
                    if let Some(v) = &val {
                        self.check_file(v, Write, argv, "parallel writes");
                    }
                }
                "--basefile" | "--bf" => {
                    if let Some(v) = &val {
                        self.check_file(v, Read, argv, "parallel --basefile");
                    }
                }
                "-S" | "--sshlogin" | "--sshloginfile" | "--slf" | "--ssh" | "--workdir"
                | "--wd" | "--return" | "--transferfile" | "--tf" | "--transfer" | "--trc"
                | "--cleanup" | "--nonall" | "--onall" | "--controlmaster" | "--sqlmaster"
                | "--sqlworker" | "--sqlandworker" | "--shebang" | "--rpl" => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "parallel {}: runs commands on other hosts through ssh, in another directory, or moves files between hosts; not modelled",
                            clip(&word.shown())
                        ),
                        word.span,
                        argv,
                    );
                }
                _ if matches!(opt, Opt::Other(_) | Opt::Ambiguous(_)) => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "parallel: the option {} is not modelled",
                            clip(&word.shown())
                        ),
                        word.span,
                        argv,
                    );
                }
                _ => {}
            }
        }
    }

    /// A jq program that uses the module system reads the files it names
    /// (`import "x" as $x {search: "DIR"}` reads `DIR/x.json`); a program
    /// read from a file, or computed, may do so unseen.
    fn jq_modules(&mut self, argv: &[Arg]) {
        const JQ: Syntax<'static> = Syntax::gnu(
            "fL",
            &[
                "from-file",
                "indent",
                "arg",
                "argjson",
                "slurpfile",
                "rawfile",
                "library-path",
            ],
            &[
                "slurp",
                "raw-input",
                "null-input",
                "compact-output",
                "tab",
                "color-output",
                "monochrome-output",
                "ascii-output",
                "unbuffered",
                "sort-keys",
                "raw-output",
                "join-output",
                "exit-status",
                "seq",
                "stream",
                "args",
                "jsonargs",
                "help",
                "version",
                "raw-output0",
                "stream-errors",
            ],
        );
        let mut from_file = false;
        let mut program_seen = false;
        let mut skip = 0usize;
        for item in scan(argv, &JQ) {
            match item {
                Item::Option { opt, word, value } => {
                    if let Opt::Long("arg" | "argjson" | "slurpfile" | "rawfile") = opt {
                        // Two values: NAME and VALUE; the second is the next operand.
                        skip = 1;
                    }
                    if matches!(opt, Opt::Short('f') | Opt::Long("from-file")) {
                        from_file = true;
                        if let Some(v) = value {
                            let f = v.arg(word);
                            self.unmodelled(
                                DecisionCode::UnmodelledOperand,
                                format!(
                                    "jq -f {}: a program read from a file may import or include any module file",
                                    clip(&f.shown())
                                ),
                                word.span,
                                argv,
                            );
                        }
                    }
                }
                Item::Operand(a) | Item::Computed(a) => {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    if from_file || program_seen {
                        continue;
                    }
                    program_seen = true;
                    match a.lit() {
                        Some(text) if !jq_uses_modules(text) => {}
                        Some(_) => self.unmodelled(
                            DecisionCode::UnmodelledOperand,
                            "jq: the program uses import, include or modulemeta, which read module and data files it names; not modelled".to_string(),
                            a.span,
                            argv,
                        ),
                        None => self.unmodelled(
                            DecisionCode::UnmodelledOperand,
                            format!(
                                "jq: the program {} is computed at run time (it may import or include files)",
                                clip(&a.shown())
                            ),
                            a.span,
                            argv,
                        ),
                    }
                }
            }
        }
    }

    /// man formats pages through roff, whose `.so` request includes any
    /// file: a page from outside the system's manual directories (`-l`,
    /// an operand with a `/`, `-M`) or from standard input is not modelled.
    /// `-C` names a configuration that defines the programs man runs.
    fn man_inputs(&mut self, argv: &[Arg]) {
        const MAN: Syntax<'static> = Syntax::gnu(
            "CMLmSsePpRrE",
            &[
                "config-file",
                "manpath",
                "locale",
                "systems",
                "sections",
                "extension",
                "pager",
                "preprocessor",
                "encoding",
                "recode",
                "prompt",
            ],
            &[
                "local-file",
                "all",
                "where",
                "path",
                "location",
                "whatis",
                "apropos",
                "regex",
                "wildcard",
                "names-only",
                "catman",
                "debug",
                "default",
                "ignore-case",
                "match-case",
                "update",
                "no-subpages",
                "no-hyphenation",
                "no-justification",
                "ditroff",
                "gxditview",
                "troff",
                "html",
                "help",
                "version",
                "usage",
                "location-cat",
                "where-cat",
                "global-apropos",
            ],
        );
        let mut local = false;
        let mut operands = Vec::new();
        for item in scan(argv, &MAN) {
            match item {
                Item::Option { opt, word, value } => match opt {
                    Opt::Short('l') | Opt::Long("local-file") => local = true,
                    Opt::Short('C') | Opt::Long("config-file") => self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        "man -C: a configuration file defines the programs man runs; not modelled"
                            .to_string(),
                        word.span,
                        argv,
                    ),
                    Opt::Short('M') | Opt::Long("manpath") => {
                        let v = value.map(|v| v.arg(word));
                        if !v.as_ref().is_some_and(system_man_dirs) {
                            self.unmodelled(
                                DecisionCode::UnmodelledOption,
                                "man -M: pages outside the system's manual directories may include any file (roff .so); not modelled".to_string(),
                                word.span,
                                argv,
                            );
                        }
                    }
                    _ => {}
                },
                Item::Operand(a) | Item::Computed(a) => operands.push(a),
            }
        }
        for a in operands {
            let file = local || a.lit().is_none_or(|v| v.contains('/') || v == "-");
            if !file {
                continue;
            }
            let system = a.lit().is_some_and(|v| {
                !v.split('/').any(|c| c == "..") && SYSTEM_MAN.iter().any(|d| v.starts_with(d))
            });
            if !system {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "man: the page {} is not a system manual page; its roff may include any file (.so); not modelled",
                        clip(&a.shown())
                    ),
                    a.span,
                    argv,
                );
            }
        }
    }

    /// `zip -@` / `--names-stdin` archives the files named on its input:
    /// which they are is not seen.
    fn zip_names(&mut self, argv: &[Arg]) {
        for a in argv.iter().skip(1) {
            let Some(v) = a.lit() else { continue };
            if a.is("--") {
                return;
            }
            let names_stdin = v == "--names-stdin"
                || (v.starts_with('-')
                    && !v.starts_with("--")
                    && v.contains('@')
                    && !v.starts_with("-x")
                    && !v.starts_with("-i"));
            if names_stdin {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    "zip -@: the files to archive are read from standard input; not modelled"
                        .to_string(),
                    a.span,
                    argv,
                );
            }
        }
    }

    /// openssl loads shared objects named by `-engine`, `-provider-path`
    /// (and a provider named by path), the `engine` command, and the
    /// engines and providers a `-config` file names.
    fn openssl_loads(&mut self, argv: &[Arg]) {
        let mut words = argv.iter().skip(1).peekable();
        if argv.get(1).is_some_and(|a| a.is("engine")) {
            self.finding(
                Verdict::Deny,
                DecisionCode::DangerousFlag,
                "openssl engine loads engines, which may be any shared object (dynamic SO_PATH)"
                    .to_string(),
                argv[1].span,
                argv,
                None,
            );
        }
        while let Some(a) = words.next() {
            let Some(v) = a.lit() else { continue };
            let opt = v.split('=').next().unwrap_or(v).trim_start_matches('-');
            if !v.starts_with('-') {
                continue;
            }
            match opt {
                "engine" | "keygen_engine" | "provider-path" | "ssl_client_engine" => {
                    self.finding(
                        Verdict::Deny,
                        DecisionCode::DangerousFlag,
                        format!("openssl {v}: loads a shared object chosen on the command line"),
                        a.span,
                        argv,
                        None,
                    );
                }
                "provider" => {
                    let name = words.peek().and_then(|n| n.lit());
                    if !name.is_some_and(|n| {
                        matches!(n, "default" | "legacy" | "base" | "fips" | "null")
                    }) {
                        self.finding(
                            Verdict::Deny,
                            DecisionCode::DangerousFlag,
                            "openssl -provider: a provider other than the built-in ones is a shared object it loads".to_string(),
                            a.span,
                            argv,
                            None,
                        );
                    }
                }
                // `s_server -WWW`/`-HTTP` serve any file a client names,
                // relative to the working directory: the reads are the
                // network's choice, not the command's.
                "WWW" | "HTTP" => self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("openssl {v}: serves the files each request names, which the command line does not show; not modelled"),
                    a.span,
                    argv,
                ),
                "config" | "conf" => self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    "openssl -config: a configuration file may load engines and providers (shared objects) and include other files; not modelled".to_string(),
                    a.span,
                    argv,
                ),
                _ => {}
            }
        }
    }
}

fn system_man_dirs(a: &Arg) -> bool {
    a.lit().is_some_and(|v| {
        v.split(':').all(|d| {
            let d = format!("{}/", d.trim_end_matches('/'));
            !d.split('/').any(|c| c == "..") && SYSTEM_MAN.iter().any(|s| d.starts_with(s))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::jq_uses_modules;

    #[test]
    fn jq_module_words() {
        assert!(jq_uses_modules(r#"import "a" as $a; $a"#));
        assert!(jq_uses_modules(r#"include "m" {search: "/x"}; ."#));
        assert!(jq_uses_modules("modulemeta"));
        assert!(!jq_uses_modules(".name"));
        assert!(!jq_uses_modules(".imports | .included"));
        assert!(!jq_uses_modules("$important"));
    }
}
