//! Programs that rename files to names they compute: `rename` (Perl's,
//! whose first operand is an expression run on each name, or
//! util-linux's `rename FROM TO FILE…`), `mmv` and its siblings (patterns
//! with wildcards and `#N` references), and coreutils `link A B` (a hard
//! link, `ln -T A B` without options). See docs/commands.md, "Renaming
//! programs".

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;

/// Perl's rename under its own names: the first operand is Perl code.
const PERL_RENAMES: &[&str] = &["prename", "perl-rename", "file-rename"];

/// util-linux rename under Debian's name for it.
const UTIL_LINUX_RENAMES: &[&str] = &["rename.ul"];

/// mmv and the programs it is installed as: every target is computed
/// from a wildcard pattern.
const MMVS: &[&str] = &["mmv", "mcp", "mad", "mln"];

/// Options of util-linux rename that change nothing but messages and
/// whether a rename happens (`-n`, `-o`, `-i`).
const UL_FLAGS: &[&str] = &[
    "-v",
    "--verbose",
    "-n",
    "--no-act",
    "-o",
    "--no-overwrite",
    "-i",
    "--interactive",
    "--",
];

/// Whether `base` names one of the renaming programs of this module.
pub(crate) fn is_renamer(base: &str) -> bool {
    base == "rename"
        || base == "link"
        || PERL_RENAMES.contains(&base)
        || UTIL_LINUX_RENAMES.contains(&base)
        || MMVS.contains(&base)
}

/// Whether Perl's rename, given `from` as its expression, runs nothing and
/// renames nothing: a word without letters and without any character that
/// starts a Perl operation with effects (a call, a quote, a substitution,
/// a glob, a variable). `rename` is Perl's on Debian and Ubuntu and
/// util-linux's elsewhere; a first operand both read alike is needed to
/// use the util-linux model.
fn perl_inert(from: &str) -> bool {
    !from.is_empty()
        && from
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '+' | ',' | ' '))
}

impl Analyzer<'_> {
    /// A renaming program (see [`is_renamer`]): `link A B` is judged as
    /// `ln -T A B`; util-linux `rename FROM TO FILE…` with literal words
    /// as one `mv -T FILE NEW` per file, NEW being FILE with its first
    /// FROM replaced by TO; every other form computes the new names (a
    /// Perl expression, an mmv pattern, a computed word) and is not
    /// modelled.
    pub(crate) fn check_renamer(&mut self, argv: &[Arg], base: &str) {
        if base == "link" {
            return self.check_link(argv);
        }
        let unmodelled = |a: &mut Self, why: String, at: &Arg| {
            a.unmodelled(DecisionCode::UnmodelledOperand, why, at.span, argv)
        };
        if MMVS.contains(&base) || PERL_RENAMES.contains(&base) {
            let what = if MMVS.contains(&base) {
                "computes each new name from a wildcard pattern"
            } else {
                "runs its first operand as Perl code to compute each new name"
            };
            return unmodelled(
                self,
                format!("{base} {what}; the names it writes are not known"),
                &argv[0],
            );
        }
        // util-linux: options, FROM, TO, files.
        let mut i = 1;
        let mut last = false;
        while let Some(a) = argv.get(i) {
            match a.lit() {
                Some("-l" | "--last") => last = true,
                Some(v) if UL_FLAGS.contains(&v) => {
                    i += 1;
                    if v == "--" {
                        break;
                    }
                    continue;
                }
                Some(v) if !v.starts_with('-') || v == "-" => break,
                _ => {
                    return unmodelled(
                        self,
                        format!(
                            "{base} {}: an option that changes what is renamed (a link's target, every match) or a computed word; the names written are not known",
                            clip(&a.shown())
                        ),
                        a,
                    )
                }
            }
            i += 1;
        }
        let (Some(from), Some(to)) = (argv.get(i), argv.get(i + 1)) else {
            return;
        };
        let (Some(f), Some(t)) = (from.lit(), to.lit()) else {
            return unmodelled(
                self,
                format!("{base}: the text replaced or its replacement is computed at run time; the new names are not known"),
                from,
            );
        };
        if base == "rename" && !perl_inert(f) {
            return unmodelled(
                self,
                format!(
                    "{base} {}: rename is Perl's rename on some systems, which runs this operand as code to compute each new name; only a first operand without letters or Perl syntax reads the same under both",
                    clip(f)
                ),
                from,
            );
        }
        if f.is_empty() {
            return unmodelled(
                self,
                format!(
                    "{base}: an empty text to replace puts the replacement in front of each name"
                ),
                from,
            );
        }
        for file in &argv[i + 2..] {
            let Some(name) = file.lit() else {
                unmodelled(
                    self,
                    format!(
                        "{base} {}: a file name computed at run time; its new name is not known",
                        clip(&file.shown())
                    ),
                    file,
                );
                continue;
            };
            // Without a `/` in FROM or TO only the last component is
            // searched (util-linux's do_file).
            let start = if f.contains('/') || t.contains('/') {
                0
            } else {
                name.rfind('/').unwrap_or(0)
            };
            let part = &name[start..];
            let at = if last { part.rfind(f) } else { part.find(f) };
            let Some(at) = at.map(|k| start + k) else {
                continue;
            };
            let new = format!("{}{t}{}", &name[..at], &name[at + f.len()..]);
            let mut dest = Arg::literal(&new, file.span);
            dest.home = file.home;
            let mv = vec![
                Arg::literal("mv", argv[0].span),
                Arg::literal("-T", argv[0].span),
                Arg::literal("--", argv[0].span),
                file.clone(),
                dest,
            ];
            self.check_file_operands(&mv, "mv");
            self.note_link_makers(&mv, "mv");
        }
    }

    /// `link A B` makes the hard link B to A, as `ln -T A B` does; it takes
    /// no options but `--`.
    fn check_link(&mut self, argv: &[Arg]) {
        let start = usize::from(argv.get(1).is_some_and(|a| a.is("--"))) + 1;
        let ops = &argv[start.min(argv.len())..];
        if ops.len() != 2 || (start == 1 && ops[0].lit().is_some_and(|v| v.starts_with('-'))) {
            if ops.iter().any(|a| a.lit().is_none()) {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    "link: a word computed at run time may be an operand".to_string(),
                    argv[0].span,
                    argv,
                );
            }
            return;
        }
        let mut ln = vec![
            Arg::literal("ln", argv[0].span),
            Arg::literal("-T", argv[0].span),
            Arg::literal("--", argv[0].span),
        ];
        ln.extend(ops.iter().cloned());
        self.check_file_operands(&ln, "ln");
    }
}
