//! Files named inside a compiler's source text. The C preprocessor opens
//! every file an `#include`, `#include_next` or `#import` names, and the
//! assembler every `.include` and `.incbin` file (`.incbin` copies the
//! bytes into the object file): the source text decides which files the
//! compiler reads. The project's own sources are allowed by design, but
//! text the command itself supplies — on standard input (a here-string, a
//! here-document, a pipe: `gcc -E -x c - <<< '#include "…"'`, `as <<< …`)
//! or in a file written earlier in the same command (`echo … > t.c && gcc
//! t.c`) — is the command's, and only modelled where the analysis reads it:
//! a literal text in C, C++, Objective-C or assembler whose directives all
//! name their file literally, each of which is then judged as a read where
//! the compiler looks for it. Anything else (a pipe, a computed text, a
//! macro as the file name, comments, line splices, trigraphs or digraphs
//! that could hide a directive, inline `asm`, pragmas, `#embed`, modules,
//! assembler macros, another language) → `UNMODELLED_OPERAND`.

use super::normalize::{clip, Arg};
use super::rules::normalize_path;
use super::walk::{Analyzer, Stdin};
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::Read;

/// Words of the text that may open a file, or hide a directive that does,
/// in a way the scan below does not read (compared in lower case).
const UNREAD: &[&str] = &[
    // Line splices, escapes (`\u…` identifiers, assembler macro
    // arguments), trigraphs (`??=` is `#`) and digraphs (`%:` is `#`).
    "\\",
    "??",
    "%:",
    // Inline assembly: its `.incbin`/`.include` may be spelled across
    // string literals.
    "asm",
    // `#pragma GCC dependency`, `_Pragma`, …
    "pragma",
    "embed",
    "import",
    "module",
    "has_include",
    // Assembler macros and loops build directives from their arguments.
    ".macro",
    ".irp",
    ".rept",
    ".altmacro",
];

/// A file named by a directive of the text: the name, and whether the
/// preprocessor also looks for it relative to the including file (`"…"`
/// and the assembler's directives) or only along the include path (`<…>`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Include {
    pub name: String,
    pub quoted: bool,
}

/// The files the source `text` names, or why they are not known.
pub(crate) fn included_files(text: &str) -> Result<Vec<Include>, String> {
    let low = text.to_ascii_lowercase();
    if let Some(w) = UNREAD.iter().find(|w| low.contains(**w)) {
        return Err(format!(
            "the source text holds {w:?}, which the analysis does not read"
        ));
    }
    let mut out = Vec::new();
    // Every `include`/`incbin` in the text must be one of the directives
    // read below.
    let mut consumed = 0;
    for line in text.lines() {
        let trimmed = line.trim_start_matches([' ', '\t', '\x0c']);
        // A `#` after a comment may still start a directive.
        if !trimmed.starts_with('#') && line.contains('#') && low.contains("/*") {
            return Err("a `#` after a comment may start a directive".to_string());
        }
        let Some(rest) = trimmed.strip_prefix('#') else {
            continue;
        };
        let rest = rest.trim_start_matches([' ', '\t', '\x0c']);
        if rest.starts_with('/') {
            return Err("a comment inside a directive".to_string());
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let directive = &rest[..name_len];
        if directive == "include" || directive == "include_next" {
            consumed += 1;
            out.push(delimited(&rest[name_len..], true)?);
        }
    }
    for directive in [".include", ".incbin"] {
        let mut from = 0;
        while let Some(k) = low[from..].find(directive) {
            let at = from + k + directive.len();
            from = at;
            consumed += 1;
            let after = &text[at..];
            if !after.starts_with([' ', '\t', '"']) {
                return Err(format!("{directive} without a quoted file name"));
            }
            let inc = delimited(after, false)?;
            if !inc.quoted {
                return Err(format!("{directive} without a quoted file name"));
            }
            out.push(inc);
        }
    }
    let mentions = low.matches("include").count() + low.matches("incbin").count();
    if mentions != consumed {
        return Err("`include`/`incbin` outside a directive the analysis reads".to_string());
    }
    Ok(out)
}

/// The file name after a directive: `"name"`, or with `angle` also
/// `<name>`.
fn delimited(rest: &str, angle: bool) -> Result<Include, String> {
    let rest = rest.trim_start_matches([' ', '\t', '\x0c']);
    let (close, quoted) = match rest.chars().next() {
        Some('"') => ('"', true),
        Some('<') if angle => ('>', false),
        _ => return Err("a file name computed by a macro".to_string()),
    };
    let body = &rest[1..];
    let Some(end) = body.find([close, '\n']) else {
        return Err("an unterminated file name".to_string());
    };
    if !body[end..].starts_with(close) {
        return Err("an unterminated file name".to_string());
    }
    Ok(Include {
        name: body[..end].to_string(),
        quoted,
    })
}

/// The languages whose source text the scan reads (`-x LANG`).
const LANGUAGES: &[&str] = &[
    "c",
    "c-header",
    "cpp-output",
    "c++",
    "c++-header",
    "c++-cpp-output",
    "objective-c",
    "objective-c-header",
    "objective-c++",
    "objective-c++-header",
    "assembler",
    "assembler-with-cpp",
];

/// The same, by a file's suffix, when no `-x` is in force.
const SUFFIXES: &[&str] = &[
    "c", "i", "ii", "h", "cc", "cp", "cxx", "cpp", "CPP", "c++", "C", "hh", "hp", "hxx", "hpp",
    "HPP", "h++", "H", "tcc", "m", "mi", "mm", "M", "mii", "s", "S", "sx",
];

/// One input of the compiler: a file operand (or `-include FILE`), or
/// standard input; with the `-x` language in force for it.
enum Input<'a> {
    File(&'a Arg, Option<String>),
    Stdin(&'a Arg, Option<String>),
    /// A header or source written earlier in the command that the
    /// project's own sources may include (`echo … > config.h && gcc
    /// m.c`): its path, content when known, and whether it was downloaded.
    Written(String, Option<String>, bool),
}

/// Two-word options of the compilers' tables (`project.rs`).
const CC_VALUE: &[&str] = &[
    "-o", "-MF", "-MT", "-MQ", "-x", "-I", "-isystem", "-include", "-L", "-D", "-U",
];

fn is_stdin_operand(v: &str) -> bool {
    v == "-" || super::wrappers::is_stdin_path(v)
}

impl Analyzer<'_> {
    /// A compiler or assembler reading source text the command supplies:
    /// the files its directives name are judged as reads, or the text is
    /// not modelled.
    pub(crate) fn check_compiler_sources(&mut self, argv: &[Arg], base: &str, stdin: &Stdin) {
        let canon = super::programs::canonical(base);
        let assembler = canon == "as";
        if !assembler
            && !matches!(
                canon.as_str(),
                "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++"
            )
        {
            return;
        }
        let mut dirs: Vec<String> = Vec::new();
        let mut inputs: Vec<Input> = Vec::new();
        let mut lang: Option<String> = assembler.then(|| "assembler".to_string());
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                // A computed word: its file is judged (or asked) by the
                // tool's table; its text is not known.
                if a.procsub {
                    inputs.push(Input::File(a, lang.clone()));
                }
                continue;
            };
            let two = if assembler {
                matches!(v, "-o" | "-I")
            } else {
                CC_VALUE.contains(&v)
            };
            if two {
                let value = argv.get(i);
                i += 1;
                let Some(value) = value else { break };
                match v {
                    "-x" => lang = value.lit().map(str::to_string),
                    "-I" | "-isystem" => {
                        if let Some(d) = value.lit() {
                            dirs.push(d.to_string());
                        }
                    }
                    "-include" => inputs.push(Input::File(value, Some("c-header".to_string()))),
                    _ => {}
                }
                continue;
            }
            if is_stdin_operand(v) {
                inputs.push(Input::Stdin(a, lang.clone()));
                continue;
            }
            if let Some(l) = v.strip_prefix("-x").filter(|_| !assembler) {
                lang = Some(l.to_string());
                continue;
            }
            if let Some(d) = v.strip_prefix("-I").filter(|d| !d.is_empty()) {
                dirs.push(d.to_string());
                continue;
            }
            if v.starts_with('-') || v.starts_with('@') {
                continue;
            }
            inputs.push(Input::File(a, lang.clone()));
        }
        if lang.as_deref() == Some("none") {
            lang = None;
        }
        // `as` with no file reads standard input (unless it only prints
        // its version or help).
        let informs = argv
            .iter()
            .any(|a| matches!(a.lit(), Some("--version" | "-v" | "--help" | "-version")));
        if assembler && inputs.is_empty() && !informs {
            inputs.push(Input::Stdin(&argv[0], lang.clone()));
        }
        let named: Vec<String> = inputs
            .iter()
            .filter_map(|i| match i {
                Input::File(a, _) => a.lit().and_then(|v| self.resolve(v, a.home)),
                _ => None,
            })
            .map(|p| normalize_path(&p))
            .collect();
        let mut seen: Vec<&String> = Vec::new();
        // The last write of a path counts.
        for (p, content) in self.written.iter().rev() {
            if seen.contains(&p) {
                continue;
            }
            seen.push(p);
            let name = p.rsplit('/').next().unwrap_or(p);
            let header = name
                .rsplit_once('.')
                .is_some_and(|(_, suffix)| SUFFIXES.contains(&suffix));
            if header && !named.contains(p) {
                let downloaded = self.downloaded.contains(p);
                inputs.push(Input::Written(p.clone(), content.clone(), downloaded));
            }
        }
        for input in inputs {
            let (text, lang, source, at): (Result<Option<String>, String>, _, String, &Arg) =
                match input {
                    Input::Stdin(a, lang) => (self.stdin_text(stdin), lang, ".".to_string(), a),
                    Input::Written(p, content, downloaded) => {
                        let text = match (downloaded, content) {
                            (true, _) => Err(format!("of {} was downloaded", clip(&p))),
                            (false, Some(t)) => Ok(Some(t)),
                            (false, None) => Err(format!(
                                "of {}, which the project's sources may include, is written earlier in the command with content the analysis does not know",
                                clip(&p)
                            )),
                        };
                        let dir = match p.rfind('/') {
                            Some(k) => p[..k.max(1)].to_string(),
                            None => ".".to_string(),
                        };
                        (text, Some("c".to_string()), dir, &argv[0])
                    }
                    Input::File(a, lang) => {
                        let dir = a
                            .lit()
                            .and_then(|v| v.rfind('/').map(|k| v[..k.max(1)].to_string()))
                            .unwrap_or_else(|| ".".to_string());
                        let lang = lang.filter(|l| l != "none").or_else(|| {
                            let v = a.lit()?;
                            let (_, suffix) = v.rsplit_once('.')?;
                            SUFFIXES.contains(&suffix).then(|| "c".to_string())
                        });
                        (self.written_text(a), lang, dir, a)
                    }
                };
            let text = match text {
                Ok(None) => continue,
                Ok(Some(t)) => t,
                Err(why) => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!("{base}: the source text {why}; the files its #include/.incbin directives name are not known"),
                        at.span,
                        argv,
                    );
                    continue;
                }
            };
            if !lang.as_deref().is_some_and(|l| LANGUAGES.contains(&l)) {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{base}: source text the command supplies in a language the analysis does not read ({}): the files it names are not known",
                        lang.as_deref().map(clip).unwrap_or_else(|| "by its name".to_string())
                    ),
                    at.span,
                    argv,
                );
                continue;
            }
            match included_files(&text) {
                Ok(names) => {
                    for inc in names {
                        self.judge_include(&inc, &source, &dirs, at, argv, base);
                    }
                }
                Err(why) => self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("{base}: {why}: which files the source text the command supplies makes the compiler read is not known"),
                    at.span,
                    argv,
                ),
            }
        }
    }

    /// The text on standard input: `Ok(None)` when it is known to hold
    /// none the command wrote (`/dev/null`, a file not written by it).
    pub(crate) fn stdin_text(&self, stdin: &Stdin) -> Result<Option<String>, String> {
        match stdin {
            // Whatever the command was started with, or an `exec <…`
            // earlier in it redirected: not known.
            Stdin::Inherited => Err("is the shell's own standard input".to_string()),
            Stdin::Text { body: Some(b), .. } => Ok(Some(b.clone())),
            Stdin::Text { .. } => Err("on standard input is computed at run time".to_string()),
            Stdin::Pipe { .. } => Err("comes from a pipe".to_string()),
            Stdin::File(Some(f)) => self.written_text(f),
            Stdin::File(None) => Err("comes from a file named at run time".to_string()),
        }
    }

    /// The text of a file the command wrote earlier, when it did.
    pub(crate) fn written_text(&self, a: &Arg) -> Result<Option<String>, String> {
        if a.procsub {
            return Err("comes from a process substitution".to_string());
        }
        let Some(v) = a.lit() else {
            // Its read is judged (or asked) as a computed operand.
            return Ok(None);
        };
        if super::shell::descriptor_path(v).is_some_and(|n| n != 0) {
            return Err(format!("comes from the open descriptor {}", clip(v)));
        }
        match self.was_written(a) {
            None => Ok(None),
            Some((true, _)) => Err(format!("of {} was downloaded", a.shown())),
            Some((false, Some(t))) => Ok(Some(t)),
            Some((false, None)) => Err(format!(
                "of {} is written earlier in the command with content the analysis does not know",
                a.shown()
            )),
        }
    }

    /// Judge a file a directive names as a read wherever the compiler
    /// looks for it: the name itself when absolute, else below the
    /// directory of the including file (and the working directory) for
    /// `"…"` and the assembler, and below each `-I`/`-isystem` directory.
    fn judge_include(
        &mut self,
        inc: &Include,
        source_dir: &str,
        dirs: &[String],
        at: &Arg,
        argv: &[Arg],
        base: &str,
    ) {
        let via = format!("{base} (a file the source text names)");
        let name = inc.name.as_str();
        if name.is_empty() {
            return;
        }
        if name.starts_with('/') {
            self.check_path_pub(&Arg::literal(name, at.span), Read, argv, &via);
            return;
        }
        if name.split('/').any(|c| c == "..") {
            // Relative to the system's include directories too.
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "{base}: the source text names {} with `..`: it may lead out of any directory the compiler searches",
                    clip(name)
                ),
                at.span,
                argv,
            );
            return;
        }
        let mut places: Vec<String> = Vec::new();
        if inc.quoted {
            places.push(source_dir.to_string());
            places.push(".".to_string());
        }
        places.extend(dirs.iter().cloned());
        places.dedup();
        for d in places {
            let path = if d == "." {
                format!("./{name}")
            } else {
                format!("{}/{name}", d.trim_end_matches('/'))
            };
            let mut p = Arg::literal(&path, at.span);
            p.home = d == "~" || d.starts_with("~/");
            self.check_path_pub(&p, Read, argv, &via);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::option_harness::{decide, unrestricted};
    use super::*;

    fn refused(cases: &[&str]) {
        for c in cases {
            assert_ne!(decide(&unrestricted(), c).0, "allow", "{c}");
        }
    }

    fn allowed(cases: &[&str]) {
        for c in cases {
            assert_eq!(decide(&unrestricted(), c), ("allow", "ALLOWED"), "{c}");
        }
    }

    #[test]
    fn source_text_the_command_supplies_is_read_for_the_files_it_names() {
        refused(&[
            "gcc -E -x c - <<< '#include \"{HOME}/.ssh/id_rsa\"'",
            "cc -E -x c++ /dev/stdin <<< '#include <id_rsa>' -I ~/.ssh",
            "gcc -E -x c - <<< '#include <.ssh/id_rsa>' -I ~",
            "gcc -x c -E - -o out.txt <<EOF\n#include \"{HOME}/.ssh/id_rsa\"\nEOF",
            "gcc -c -x assembler - -o x.o <<< '.incbin \"{HOME}/.ssh/id_rsa\"'",
            "as -o x.o <<< '.incbin \"{HOME}/.ssh/id_rsa\"'",
            "as -o x.o - <<< ' .include \"{HOME}/.ssh/id_rsa\"'",
            "echo '#include \"{HOME}/.ssh/id_rsa\"' > t.c && gcc -E t.c",
            "echo '#include \"{HOME}/.ssh/id_rsa\"' > t.h; gcc -E -x c t.h",
            "echo '.incbin \"{HOME}/.ssh/id_rsa\"' > t.s && gcc -c t.s",
            "echo '#include \"{HOME}/.ssh/id_rsa\"' > t.c && gcc -E -x c - < t.c",
            "echo '#include \"{HOME}/.ssh/id_rsa\"' > t.h && gcc -include t.h -E src/x.c",
            // Text the analysis cannot read: not modelled.
            "echo '#include \"a.txt\"' | gcc -E -x c -",
            "s=x; gcc -E -x c - <<< \"$s\"",
            "gcc -E -x c - <<< '#include MACRO'",
            "gcc -E -x c - <<< '#include \"src/../a.txt\"'",
            "gcc -E -x f95 - <<< 'int x;'",
            "cp a.txt t.c && gcc -c t.c",
            "gcc -E -x c /dev/fd/3 3<<< '#include \"a.txt\"'",
            "gcc -E -x c <(echo x)",
            "echo '#include \"{HOME}/.ssh/id_rsa\"' > src/config.h && gcc -c src/x.c",
            "cp a.txt src/config.h && gcc -c src/x.c",
            "exec <<< '#include \"a.txt\"'; gcc -E -x c -",
            "gcc -E -x c -",
        ]);
        allowed(&[
            "gcc -E -x c - <<< 'int main(void) { return 0; }'",
            "gcc -E -x c - <<< '#include <stdio.h>'",
            "gcc -E -x c - <<< '#include \"a.txt\"'",
            "gcc -E -x c - < /dev/null",
            "as -o x.o <<< '.text'",
            "as --version",
            "echo '#define N 1' > src/config.h && gcc -c src/x.c",
            "echo x > out.txt && gcc -c src/x.c",
            "echo 'int main(void) { return 0; }' > t.c && gcc -o t t.c",
            "gcc -Wall -O2 -o x src/x.c",
            "gcc -E -x c - -I src <<< '#include \"x.h\"'",
        ]);
    }

    fn names(text: &str) -> Vec<String> {
        included_files(text)
            .unwrap()
            .into_iter()
            .map(|i| i.name)
            .collect()
    }

    #[test]
    fn directives_are_read() {
        assert_eq!(names("#include \".env\"\n"), [".env"]);
        assert_eq!(names("  #  include <x/y.h>\nint main(){}"), ["x/y.h"]);
        assert_eq!(names("#include_next \"a\""), ["a"]);
        assert_eq!(names(".incbin \"/k\"\n"), ["/k"]);
        assert_eq!(names("x: .INCBIN \"k\", 0, 4"), ["k"]);
        assert_eq!(names("\t.include \"m.s\""), ["m.s"]);
        assert!(names("int main(void) { return 0; }\n").is_empty());
        assert!(names("#define X 1\n#if X\n#endif\n").is_empty());
        assert!(!included_files("#include <stdio.h>").unwrap()[0].quoted);
    }

    #[test]
    fn what_the_scan_does_not_read_is_refused() {
        for t in [
            "#include MACRO",
            "#define F \".env\"\n#include F",
            "#\\\ninclude \".env\"",
            "??=include \".env\"",
            "%:include \".env\"",
            "/* c */ #include \".env\"",
            "# /* c */ include \".env\"",
            "asm(\".inc\" \"bin \\\".env\\\"\");",
            "__asm__(\".incbin \\\".env\\\"\");",
            "#pragma GCC dependency \".env\"",
            "_Pragma(\"x\")",
            "#embed \".env\"",
            "#import \".env\"",
            "import m;",
            "#if __has_include(\".env\")\n#endif",
            ".macro m f\n.incbin \\f\n.endm",
            ".irp f,\".env\"\n.endr",
            ".altmacro",
            ".incbin .env",
            "      include '.env'",
            "#include \".env",
        ] {
            assert!(included_files(t).is_err(), "{t:?}");
        }
    }
}
