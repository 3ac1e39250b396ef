//! `jar` and `ar` take their operation as a cluster of key letters
//! (`jar xvf a.jar`, `ar xPo lib.a`), with or without a dash, in any
//! order; some letters take the next operands as their values in the
//! order they appear (`jar cfm x.jar MANIFEST`, `ar rb MEMBER lib.a`).
//! Both are parsed in full here: extraction writes every member's name
//! below the directory, names the analysis cannot know, judged as tar's
//! extraction is (refused where a protected or blocked entry could land);
//! the archive is read or written as the operation says; files added are
//! read. A letter or option outside the model asks (`UNMODELLED_OPTION`).

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::{Read, Write};

/// jar's key letters: operations `c t x u i` (`i` names the jar to
/// index), `d` (describe a module), flags `v M 0 P n`, letters taking a
/// value `f m e`.
const JAR_LETTERS: &str = "ctxuidvfmMe0Pn";

/// jar's long options: (name, takes a value, what the value is).
#[derive(Clone, Copy, PartialEq)]
enum JarVal {
    Flag,
    File,
    Manifest,
    Inert,
    Index,
    Dir,
}

const JAR_LONG: &[(&str, JarVal)] = &[
    ("--create", JarVal::Flag),
    ("--extract", JarVal::Flag),
    ("--list", JarVal::Flag),
    ("--update", JarVal::Flag),
    ("--verbose", JarVal::Flag),
    ("--no-manifest", JarVal::Flag),
    ("--no-compress", JarVal::Flag),
    ("--describe-module", JarVal::Flag),
    ("--validate", JarVal::Flag),
    ("--help", JarVal::Flag),
    ("--version", JarVal::Flag),
    ("--file", JarVal::File),
    ("--manifest", JarVal::Manifest),
    ("--main-class", JarVal::Inert),
    ("--module-version", JarVal::Inert),
    ("--release", JarVal::Inert),
    ("--date", JarVal::Inert),
    ("--generate-index", JarVal::Index),
    // JDK 22+: the directory `--extract` writes into.
    ("--dir", JarVal::Dir),
];

impl Analyzer<'_> {
    /// `jar`: its full syntax, old-style key letters and GNU-style options.
    pub(crate) fn check_jar(&mut self, argv: &[Arg]) {
        let mut mode: Option<char> = None;
        let mut keep_paths = false;
        // Values still owed to letters of a cluster, in their order.
        let mut owed: std::collections::VecDeque<char> = Default::default();
        let mut files: Vec<Arg> = Vec::new();
        let mut manifests: Vec<Arg> = Vec::new();
        let mut dirs: Vec<Arg> = Vec::new();
        let mut operands: Vec<Arg> = Vec::new();
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                if let Some(k) = owed.pop_front() {
                    match k {
                        'e' => {}
                        'm' => manifests.push(a.clone()),
                        _ => files.push(a.clone()),
                    }
                    continue;
                }
                if a.text.starts_with('-') || a.text.starts_with("\"-") {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "jar: the word {} is computed at run time and could be an option",
                            a.shown()
                        ),
                        a.span,
                        argv,
                    );
                    return;
                }
                operands.push(a.clone());
                continue;
            };
            if v.starts_with('@') && v.len() > 1 {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("jar {}: reads more arguments from a file", clip(v)),
                    a.span,
                    argv,
                );
                return;
            }
            let first = i == 2;
            let cluster = if let Some(c) = v.strip_prefix('-').filter(|c| !c.starts_with('-')) {
                Some(c)
            } else if first && !v.starts_with('-') {
                // Old style: the first word is the key, dash or not.
                Some(v)
            } else {
                None
            };
            if let Some(c) = cluster.filter(|c| !c.is_empty() && v != "-C") {
                if !c.chars().all(|l| JAR_LETTERS.contains(l)) {
                    self.jar_unmodelled(a, v, argv);
                    return;
                }
                for l in c.chars() {
                    match l {
                        'c' | 't' | 'x' | 'u' | 'd' => {
                            if mode.is_some_and(|m| m != l) {
                                self.jar_unmodelled(a, v, argv);
                                return;
                            }
                            mode = Some(l);
                        }
                        'i' => {
                            mode = Some('i');
                            owed.push_back('f');
                        }
                        'f' | 'm' | 'e' => owed.push_back(l),
                        'P' => keep_paths = true,
                        _ => {}
                    }
                }
                continue;
            }
            if v == "-C" {
                if let Some(d) = argv.get(i) {
                    dirs.push(d.clone());
                    // The file named after the directory is read from it.
                    if let (Some(dv), Some(n)) = (d.lit(), argv.get(i + 1).and_then(|n| n.lit())) {
                        let mut j =
                            Arg::literal(&format!("{}/{n}", dv.trim_end_matches('/')), d.span);
                        j.home = dv == "~" || dv.starts_with("~/");
                        operands.push(j);
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            if let Some(long) = v.strip_prefix("--").map(|_| v) {
                let (name, inline) = match long.split_once('=') {
                    Some((n, x)) => (n, Some(x)),
                    None => (long, None),
                };
                let Some((_, kind)) = JAR_LONG.iter().find(|(n, _)| *n == name) else {
                    self.jar_unmodelled(a, v, argv);
                    return;
                };
                match name {
                    "--create" => mode = Some('c'),
                    "--extract" => mode = Some('x'),
                    "--list" => mode = Some('t'),
                    "--update" => mode = Some('u'),
                    "--describe-module" => mode = Some('d'),
                    "--generate-index" => mode = Some('i'),
                    _ => {}
                }
                if *kind == JarVal::Flag {
                    if inline.is_some() {
                        self.jar_unmodelled(a, v, argv);
                        return;
                    }
                    continue;
                }
                let Some(value) = Arg::option_value(inline, a.span, argv, &mut i) else {
                    break;
                };
                match kind {
                    JarVal::File | JarVal::Index => files.push(value),
                    JarVal::Manifest => manifests.push(value),
                    JarVal::Dir => dirs.push(value),
                    _ => {}
                }
                continue;
            }
            if v.starts_with('-') && v != "-" {
                self.jar_unmodelled(a, v, argv);
                return;
            }
            match owed.pop_front() {
                Some('m') => manifests.push(a.clone()),
                Some('e') => {}
                Some(_) => files.push(a.clone()),
                None => operands.push(a.clone()),
            }
        }
        let Some(mode) = mode else {
            // `jar --version`, `jar --help`: nothing else is done.
            return;
        };
        match mode {
            'x' => {
                for f in &files {
                    self.check_file(f, Read, argv, "jar");
                }
                if keep_paths {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        "jar -P: extraction keeps absolute and `..` member names, which may write anywhere".to_string(),
                        argv[0].span,
                        argv,
                    );
                    return;
                }
                if dirs.is_empty() {
                    dirs.push(Arg::literal(".", argv[0].span));
                }
                for d in &dirs {
                    self.extract_into_pub(d, argv, "jar -x");
                }
            }
            't' | 'd' => {
                for f in &files {
                    self.check_file(f, Read, argv, "jar");
                }
            }
            _ => {
                for f in &files {
                    self.check_file(f, Write, argv, "jar");
                }
                for m in manifests.iter().chain(&dirs).chain(&operands) {
                    self.check_file(m, Read, argv, "jar");
                }
            }
        }
    }

    fn jar_unmodelled(&mut self, a: &Arg, v: &str, argv: &[Arg]) {
        self.unmodelled(
            DecisionCode::UnmodelledOption,
            format!(
                "jar {}: only jar's known key letters and options are modelled; this one may run a program, load code or write elsewhere",
                clip(v)
            ),
            a.span,
            argv,
        );
    }

    /// `ar`: options, the key (one operation letter and modifiers in any
    /// order, dash or not), the modifiers' operands, the archive, members.
    pub(crate) fn check_ar(&mut self, argv: &[Arg]) {
        let mut op: Option<char> = None;
        let mut owed = 0usize;
        let mut out_dir: Option<Arg> = None;
        let mut rest: Vec<Arg> = Vec::new();
        let mut i = 1;
        let mut key_seen = false;
        let mut ended = false;
        let mut full_paths = false;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                if !key_seen || a.text.starts_with('-') || a.text.starts_with("\"-") {
                    self.ar_unmodelled(a, &a.shown(), argv);
                    return;
                }
                rest.push(a.clone());
                continue;
            };
            if v.starts_with('@') && v.len() > 1 {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!("ar {}: reads more arguments from a file", clip(v)),
                    a.span,
                    argv,
                );
                return;
            }
            if let Some(long) = v.strip_prefix("--").filter(|l| !l.is_empty() && !ended) {
                let (name, inline) = match long.split_once('=') {
                    Some((n, x)) => (n, Some(x)),
                    None => (long, None),
                };
                match name {
                    "help" | "version" | "thin" if inline.is_none() => return,
                    "target" | "output" => {
                        let Some(value) = Arg::option_value(inline, a.span, argv, &mut i) else {
                            return;
                        };
                        if name == "output" {
                            out_dir = Some(value);
                        }
                    }
                    // `--plugin` loads a shared object; others are not known.
                    _ => {
                        self.ar_unmodelled(a, v, argv);
                        return;
                    }
                }
                continue;
            }
            // `-X32_64` and its kin: object modes, ignored by GNU ar.
            if !ended && matches!(v, "-X32" | "-X64" | "-X32_64" | "-Xany") {
                continue;
            }
            if v == "--" {
                ended = true;
                continue;
            }
            // GNU ar reads options anywhere (getopt permutes the words);
            // the first word is the key even without a dash.
            let letters = match v.strip_prefix('-') {
                Some(l) if !l.is_empty() && !ended => Some(l),
                None if !key_seen => Some(v),
                _ => None,
            };
            if let Some(l) = letters {
                key_seen = true;
                for c in l.chars() {
                    match c {
                        'd' | 'm' | 'p' | 'q' | 'r' | 't' | 'x' => {
                            if op.is_some_and(|o| o != c && o != 's') {
                                self.ar_unmodelled(a, v, argv);
                                return;
                            }
                            op = Some(c);
                        }
                        // `s` is an operation alone, a modifier with one.
                        's' => {
                            if op.is_none() {
                                op = Some('s');
                            }
                        }
                        // Positioning members and a count: an operand each.
                        'a' | 'b' | 'i' | 'N' => owed += 1,
                        'P' => full_paths = true,
                        'c' | 'D' | 'f' | 'o' | 'O' | 'S' | 'T' | 'u' | 'U' | 'v' | 'V' | 'L' => {}
                        // `M` reads an MRI script from the input; `l`
                        // records dependencies; `X` takes a mode; anything
                        // else is unknown.
                        _ => {
                            self.ar_unmodelled(a, v, argv);
                            return;
                        }
                    }
                }
                continue;
            }
            rest.push(a.clone());
        }
        // (`s` followed by another operation letter: the other one.)
        let Some(op) = op else { return };
        let mut rest = rest.into_iter().skip(owed);
        let Some(archive) = rest.next() else { return };
        match op {
            'x' => {
                self.check_file(&archive, Read, argv, "ar");
                if full_paths {
                    // Where the stored paths lead depends on which names
                    // this ar refuses (absolute, `..`): not modelled.
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        "ar xP: extraction writes where the members' stored paths say".to_string(),
                        argv[0].span,
                        argv,
                    );
                    return;
                }
                let dir = out_dir.unwrap_or_else(|| Arg::literal(".", argv[0].span));
                self.extract_into_pub(&dir, argv, "ar x");
            }
            'p' | 't' => self.check_file(&archive, Read, argv, "ar"),
            'q' | 'r' => {
                self.check_file(&archive, Write, argv, "ar");
                for f in rest {
                    self.check_file(&f, Read, argv, "ar");
                }
            }
            _ => self.check_file(&archive, Write, argv, "ar"),
        }
    }

    fn ar_unmodelled(&mut self, a: &Arg, v: &str, argv: &[Arg]) {
        self.unmodelled(
            DecisionCode::UnmodelledOption,
            format!(
                "ar {}: only ar's known operation and modifier letters and options are modelled; this one may load code, read a script or write elsewhere",
                clip(v)
            ),
            a.span,
            argv,
        );
    }
}
