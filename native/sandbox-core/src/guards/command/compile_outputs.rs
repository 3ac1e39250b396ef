//! Compilers write files that no word of the command names: `rustc
//! x.rs` writes the executable `x` (the source's stem, dashes kept) in
//! the working directory, `cc x.c` writes `a.out`, `cc -c dir/x.c` writes
//! `x.o` there, `-MD` a `.d` file beside the output, `javac dir/A.java`
//! writes `dir/A.class` (and the other classes of the file, and of the
//! sources it finds on its paths, beside them). `cd .git/hooks && rustc
//! ../../src/pre-commit.rs` makes a hook. Each such output is judged as a
//! write of its name where it lands; where the name cannot be known (a
//! computed operand, temporaries, other classes) the directory it lands
//! in is judged as written, and a computed name asks. An output named by
//! `-o`/`-d` is judged by the option tables (`project.rs`); `go build`
//! has its own rule (`go_outputs.rs`).

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::Write;

/// rustc options that take a value as the next word.
const RUSTC_WITH_VALUE: &[&str] = &[
    "-o",
    "--out-dir",
    "--emit",
    "--edition",
    "--crate-type",
    "--crate-name",
    "-L",
    "--extern",
    "--cfg",
    "--target",
    "-A",
    "-W",
    "-D",
    "-F",
    "-C",
    "--cap-lints",
    "--print",
    "--explain",
];

/// Options of the C compilers (in the table) that take the next word.
const CC_WITH_VALUE: &[&str] = &[
    "-MF", "-MT", "-MQ", "-o", "-x", "-I", "-isystem", "-include", "-L", "-D", "-U",
];

/// What rustc may write for a crate of file stem `stem`: the executable,
/// the libraries of each crate type, what `--emit` and `--test` write.
fn rustc_names(stem: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut bases = vec![stem.to_string()];
    let under = stem.replace('-', "_");
    if under != stem {
        bases.push(under);
    }
    for b in &bases {
        out.push(b.clone());
        for ext in [
            "exe", "o", "s", "ll", "bc", "d", "mir", "rmeta", "pdb", "dll", "wasm", "js",
        ] {
            out.push(format!("{b}.{ext}"));
        }
        for ext in ["rlib", "so", "a", "rmeta", "dylib"] {
            out.push(format!("lib{b}.{ext}"));
        }
    }
    out
}

/// A file's name without its directory and its last extension.
fn stem_of(path: &str) -> &str {
    let file = path.rsplit('/').next().unwrap_or(path);
    match file.rfind('.') {
        Some(i) if i > 0 => &file[..i],
        _ => file,
    }
}

/// The directory part of a path ("." when none).
fn dir_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => ".",
    }
}

impl Analyzer<'_> {
    /// The files a compile writes under names it computes.
    pub(crate) fn check_compile_outputs(&mut self, argv: &[Arg], canon: &str) {
        match canon {
            "rustc" => self.rustc_outputs(argv),
            "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++" => self.cc_outputs(argv),
            "javac" => self.javac_outputs(argv),
            _ => {}
        }
    }

    /// Judge `dir/name` for each name, and `dir` itself (other files:
    /// temporaries, auxiliary outputs).
    fn compile_writes(&mut self, dir: &str, names: &[String], argv: &[Arg], via: &str) {
        let span = argv[0].span;
        let mut d = Arg::literal(dir, span);
        d.home = dir == "~" || dir.starts_with("~/");
        self.check_file(&d, Write, argv, via);
        for n in names {
            let file = if dir == "." {
                n.clone()
            } else {
                format!("{}/{n}", dir.trim_end_matches('/'))
            };
            let mut t = Arg::literal(&file, span);
            t.home = file.starts_with("~/");
            self.check_file(&t, Write, argv, via);
            if let Some(p) = self.resolve(&file, t.home) {
                self.note_written(super::rules::normalize_path(&p), None);
            }
        }
    }

    /// A source whose name is computed: its outputs' names are not known.
    fn compile_unknown(&mut self, dir: &str, a: &Arg, argv: &[Arg], via: &str) {
        self.compile_writes(dir, &[], argv, via);
        self.unmodelled(
            DecisionCode::UnmodelledOperand,
            format!(
                "{via}: {} is computed at run time; the files written in {} are named after it",
                a.shown(),
                clip(dir)
            ),
            a.span,
            argv,
        );
    }

    fn rustc_outputs(&mut self, argv: &[Arg]) {
        let mut out_dir = ".".to_string();
        let mut crate_name: Option<String> = None;
        let mut input: Option<&Arg> = None;
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                // A computed option is refused by the table.
                if input.is_none() {
                    input = Some(a);
                }
                continue;
            };
            if v == "-" || !v.starts_with('-') {
                if input.is_none() {
                    input = Some(a);
                }
                continue;
            }
            let (name, inline) = match v.split_once('=') {
                Some((n, x)) if n.starts_with("--") => (n, Some(x.to_string())),
                _ => (v, None),
            };
            let value = match inline {
                Some(x) => Some(x),
                None if RUSTC_WITH_VALUE.contains(&name) => {
                    i += 1;
                    argv.get(i - 1)
                        .map(|n| n.lit().unwrap_or("\u{0}").to_string())
                }
                None => None,
            };
            match name {
                // Named outputs (judged by the table), or nothing written.
                "-o" | "--version" | "-V" | "--help" | "-h" | "--print" | "--explain" => return,
                "--out-dir" => match value {
                    Some(d) if !d.contains('\u{0}') => out_dir = d,
                    _ => return,
                },
                "--crate-name" => match value {
                    Some(n) if !n.contains('\u{0}') => crate_name = Some(n),
                    _ => return,
                },
                _ => {}
            }
        }
        let Some(input) = input else { return };
        let stem = match (crate_name, input.lit()) {
            (Some(n), _) => n,
            (None, Some("-")) => "rust_out".to_string(),
            (None, Some(f)) => stem_of(f).to_string(),
            (None, None) => {
                self.compile_unknown(&out_dir, input, argv, "rustc");
                return;
            }
        };
        self.compile_writes(&out_dir, &rustc_names(&stem), argv, "rustc");
    }

    fn cc_outputs(&mut self, argv: &[Arg]) {
        let mut output: Option<String> = None;
        let (mut compile, mut asm, mut preprocess) = (false, false, false);
        let (mut deps, mut deps_file, mut split) = (false, false, false);
        let mut sources: Vec<&Arg> = Vec::new();
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                sources.push(a);
                continue;
            };
            if v == "-" || !v.starts_with('-') {
                sources.push(a);
                continue;
            }
            if CC_WITH_VALUE.contains(&v) {
                if v == "-o" {
                    output = Some(
                        argv.get(i)
                            .and_then(|o| o.lit())
                            .unwrap_or("\u{0}")
                            .to_string(),
                    );
                }
                if v == "-MF" {
                    deps_file = true;
                }
                i += 1;
                continue;
            }
            match v {
                "-c" => compile = true,
                "-S" => asm = true,
                "-E" | "-M" | "-MM" => preprocess = true,
                "-MD" | "-MMD" => deps = true,
                "-gsplit-dwarf" => split = true,
                _ if v.starts_with("-o") => output = Some(v[2..].to_string()),
                _ if v.starts_with("-MF") => deps_file = true,
                _ => {}
            }
        }
        if sources.is_empty() {
            return;
        }
        let via = "the compiler";
        // Auxiliary files (`.d`, `.dwo`) are named after the output or
        // each source, in the output's directory or the working one.
        let aux: Vec<&str> = [(deps && !deps_file, "d"), (split, "dwo")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, e)| *e)
            .collect();
        if let Some(o) = &output {
            if o.contains('\u{0}') {
                return;
            }
            if !aux.is_empty() {
                let d = dir_of(o).to_string();
                let stem = stem_of(o).to_string();
                let names: Vec<String> = aux.iter().map(|e| format!("{stem}.{e}")).collect();
                self.compile_writes(&d, &names, argv, via);
            }
            return;
        }
        if preprocess && !deps {
            return;
        }
        let mut names: Vec<String> = Vec::new();
        let per_source = compile || asm || preprocess;
        if !per_source {
            names.push("a.out".to_string());
        }
        for s in &sources {
            let Some(f) = s.lit() else {
                if per_source || !aux.is_empty() {
                    self.compile_unknown(".", s, argv, via);
                    return;
                }
                continue;
            };
            if f == "-" {
                continue;
            }
            let stem = stem_of(f);
            if compile && !asm && !preprocess {
                names.push(format!("{stem}.o"));
            }
            if asm && !preprocess {
                names.push(format!("{stem}.s"));
            }
            for e in &aux {
                names.push(format!("{stem}.{e}"));
                names.push(format!("a-{stem}.{e}"));
            }
        }
        self.compile_writes(".", &names, argv, via);
    }

    fn javac_outputs(&mut self, argv: &[Arg]) {
        // (`-d` names where classes go: judged by the table.)
        if argv.iter().any(|a| {
            a.lit().is_some_and(|v| {
                v == "-d" || v.starts_with("-d=") || v == "--version" || v == "-version"
            })
        }) {
            return;
        }
        let mut dirs: Vec<String> = Vec::new();
        let mut names: Vec<(String, String)> = Vec::new();
        let mut search = false;
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                if !a.text.starts_with('-') {
                    self.compile_unknown(".", a, argv, "javac");
                    return;
                }
                continue;
            };
            let (name, inline) = match v.split_once('=') {
                Some((n, x)) if n.starts_with("--") => (n, Some(x)),
                _ => (v, None),
            };
            if matches!(
                name,
                "-sourcepath" | "--source-path" | "-cp" | "-classpath" | "--class-path"
            ) {
                // Sources found on these paths are compiled too, their
                // classes written beside them.
                search = true;
                let value = match inline {
                    Some(x) => Some(x),
                    None => {
                        i += 1;
                        argv.get(i - 1).and_then(|p| p.lit())
                    }
                };
                if let Some(p) = value {
                    dirs.extend(
                        p.split(':')
                            .filter(|d| {
                                !d.is_empty()
                                    && !d.contains('*')
                                    && !d.ends_with(".jar")
                                    && !d.ends_with(".zip")
                            })
                            .map(str::to_string),
                    );
                } else if let Some(p) = argv.get(i - 1).filter(|_| inline.is_none()) {
                    self.compile_unknown(".", p, argv, "javac");
                    return;
                }
                continue;
            }
            if matches!(
                v,
                "-s" | "-h" | "-source" | "-target" | "--release" | "-encoding"
            ) {
                i += 1;
                continue;
            }
            if v.starts_with('-') {
                continue;
            }
            let dir = dir_of(v).to_string();
            names.push((dir, format!("{}.class", stem_of(v))));
        }
        if names.is_empty() {
            return;
        }
        // Without a path option the class path, the working directory,
        // is searched for sources.
        if !search {
            dirs.push(".".to_string());
        }
        for (dir, class) in names {
            self.compile_writes(&dir, &[class], argv, "javac");
        }
        for d in dirs {
            self.compile_writes(&d, &[], argv, "javac");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_follow_the_source() {
        assert_eq!(stem_of("../../src/pre-commit.rs"), "pre-commit");
        assert_eq!(stem_of("a/b.c.c"), "b.c");
        assert_eq!(stem_of(".bashrc"), ".bashrc");
        assert_eq!(dir_of("x.o"), ".");
        assert_eq!(dir_of("build/x.o"), "build");
        let n = rustc_names("pre-commit");
        assert!(n.contains(&"pre-commit".to_string()));
        assert!(n.contains(&"libpre_commit.rlib".to_string()));
    }
}
