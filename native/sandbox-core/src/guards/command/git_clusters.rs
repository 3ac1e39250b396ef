//! git's parse-options clusters short options as getopt does: `-aF FILE`
//! is `-a -F FILE`, `-qF../x` is `-q -F../x`, `-hO'cmd'` is `-h -Ocmd`.
//! The git models look for an option word by its letter (`-F`, `-O`,
//! `-o`, `-b`), so a cluster is split into its options before they read
//! the command line: every letter before the first one that takes a value
//! becomes its own word, and that letter keeps the rest of the word (or
//! the next word) as its value, as git reads it.

use super::normalize::Arg;

/// Per subcommand, the short options that take a value: the letters that
/// take the rest of the word or the next word, and the letters whose value
/// is only attached (`-S[keyid]`, `-M[n]`, `-O[pager]`).
const VALUE_LETTERS: &[(&[&str], &str, &str)] = &[
    (&["commit"], "mFcCt", "Su"),
    (&["tag"], "mFu", "n"),
    (&["merge"], "mFsX", "S"),
    (&["notes"], "mFcC", ""),
    (&["grep"], "efABCm", "O"),
    (&["format-patch"], "ovOSGl", "UMCBX"),
    (
        &["diff", "diff-tree", "diff-index", "diff-files"],
        "OSGl",
        "UMCBX",
    ),
    (&["log", "show", "whatchanged"], "OSGlnL", "UMCBX"),
    (&["difftool"], "xtOSGl", "UMCBX"),
    (&["worktree", "checkout"], "bB", ""),
    (&["switch"], "cC", ""),
    (&["clone"], "bocuj", ""),
    (&["ls-remote"], "u", ""),
    (&["rebase"], "xsX", "S"),
    (&["cherry-pick", "revert"], "mX", "S"),
    (&["pull"], "sX", "S"),
    (&["stash"], "m", ""),
    (&["archive"], "o", ""),
    (&["ls-files"], "xX", ""),
    (&["apply"], "pC", ""),
];

/// Splits the short-option clusters after git's subcommand (`from` is the
/// index of the first word after it) into one word per option, up to `--`.
/// Words that are values of a preceding option are left alone.
pub(crate) fn split_clusters(argv: &mut Vec<Arg>, from: usize, sub: &str) {
    let Some(&(_, takes, attached)) = VALUE_LETTERS.iter().find(|(s, _, _)| s.contains(&sub))
    else {
        return;
    };
    // Built only once a word is split: most commands have no cluster to
    // split, and their words are then left as they are, uncopied.
    let mut out: Option<Vec<Arg>> = None;
    let mut value_next = false;
    let mut ended = false;
    for (k, a) in argv.iter().enumerate().skip(from) {
        let mut keep = || {
            if let Some(o) = out.as_mut() {
                o.push(a.clone());
            }
        };
        let word = a.lit();
        if ended || value_next {
            value_next = false;
            keep();
            continue;
        }
        let Some(v) = word else {
            keep();
            continue;
        };
        if v == "--" {
            ended = true;
            keep();
            continue;
        }
        let letters = match v.strip_prefix('-') {
            Some(l) if !l.is_empty() && !l.starts_with('-') => l,
            _ => {
                keep();
                continue;
            }
        };
        // `-5` (a count) is not a cluster.
        if letters.starts_with(|c: char| c.is_ascii_digit()) {
            keep();
            continue;
        }
        let mut pieces = Vec::new();
        let mut valued = false;
        for (i, c) in letters.char_indices() {
            let rest = &letters[i + c.len_utf8()..];
            if takes.contains(c) {
                value_next = rest.is_empty();
                valued = true;
                pieces.push(format!("-{c}{rest}"));
                break;
            }
            if attached.contains(c) {
                valued = true;
                pieces.push(format!("-{c}{rest}"));
                break;
            }
            pieces.push(format!("-{c}"));
        }
        // A cluster of flags only is read alike either way.
        if pieces.len() == 1 || !valued {
            keep();
        } else {
            out.get_or_insert_with(|| argv[..k].to_vec())
                .extend(pieces.iter().map(|p| Arg::literal(p, a.span)));
        }
    }
    if let Some(out) = out {
        *argv = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guards::command::normalize::Arg;

    fn split(words: &[&str], from: usize, sub: &str) -> Vec<String> {
        let mut argv: Vec<Arg> = words.iter().map(|w| Arg::literal(w, [0, 0])).collect();
        split_clusters(&mut argv, from, sub);
        argv.iter()
            .map(|a| a.lit().unwrap_or_default().to_string())
            .collect()
    }

    #[test]
    fn clusters_split_up_to_the_value_letter() {
        assert_eq!(
            split(&["git", "commit", "-aqF", "f", "-sv"], 2, "commit"),
            ["git", "commit", "-a", "-q", "-F", "f", "-sv"]
        );
        assert_eq!(
            split(&["git", "commit", "-qF../x"], 2, "commit"),
            ["git", "commit", "-q", "-F../x"]
        );
        assert_eq!(
            split(&["git", "grep", "-hOcmd", "x"], 2, "grep"),
            ["git", "grep", "-h", "-Ocmd", "x"]
        );
        assert_eq!(
            split(
                &["git", "worktree", "add", "-fb", "b", "../w"],
                2,
                "worktree"
            ),
            ["git", "worktree", "add", "-f", "-b", "b", "../w"]
        );
    }

    #[test]
    fn values_counts_and_operands_stay_whole() {
        // The value of -m is a message, not options.
        assert_eq!(
            split(&["git", "commit", "-m", "-aF", "x"], 2, "commit"),
            ["git", "commit", "-m", "-aF", "x"]
        );
        assert_eq!(
            split(&["git", "log", "-5", "--", "-aO"], 2, "log"),
            ["git", "log", "-5", "--", "-aO"]
        );
        assert_eq!(
            split(&["git", "status", "-sb"], 2, "status"),
            ["git", "status", "-sb"]
        );
    }
}
