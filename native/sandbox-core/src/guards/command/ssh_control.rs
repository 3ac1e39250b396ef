//! ssh's control socket and the quoting of ssh_config values.
//!
//! `ssh -S PATH` names the control socket; with `-M` (or a
//! `ControlMaster` option other than `no`) ssh creates it there, a write;
//! without, ssh connects to it, a read. A file-naming `-o` value is split
//! into words the way ssh_config splits them (`"…"` and `'…'` quoting,
//! `\` escapes), so `-o 'IdentityFile "FILE"'` and `IdentityFile="FILE"`
//! name FILE.

use super::normalize::Arg;
use super::ssh_options::{keyword, o_values};
use super::walk::Analyzer;
use crate::guards::filesystem::FileOperation::{Read, Write};

/// Option letters of ssh that take a value (OpenSSH 9).
const SSH_VALUE_LETTERS: &str = "bceilmopBDEFIJLOPQRSwW";

/// Words of an ssh_config value: blank-separated, `"…"`/`'…'` quoted,
/// `\` escaping the next character. `None` for an unterminated quote.
pub(crate) fn config_words(value: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    in_word = true;
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, ' ' | '\t') => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

impl Analyzer<'_> {
    /// `-S PATH` of ssh, and quoted file names in `-o` values of ssh, scp
    /// and sftp.
    pub(crate) fn check_ssh_control(&mut self, argv: &[Arg], base: &str) {
        let canon = super::programs::canonical(base);
        if !matches!(canon.as_str(), "ssh" | "scp" | "sftp") {
            return;
        }
        let mut master = false;
        for (opt, span) in o_values(argv, &canon) {
            let (key, value) = keyword(&opt);
            if key == "controlmaster" && !value.eq_ignore_ascii_case("no") {
                master = true;
            }
            let op = match key.as_str() {
                "userknownhostsfile" | "controlpath" => Write,
                "identityfile" | "certificatefile" | "globalknownhostsfile" => Read,
                _ => continue,
            };
            // Unquoted values are judged word by word in `ssh_options`.
            if !value.contains(['"', '\'', '\\']) {
                continue;
            }
            match config_words(&value) {
                Some(words) => {
                    for f in words.iter().filter(|f| !f.is_empty() && *f != "none") {
                        let mut t = Arg::literal(f, span);
                        t.home = f == "~" || f.starts_with("~/");
                        self.check_file(&t, op, argv, &format!("{canon} -o {key}"));
                    }
                }
                None => self.unmodelled(
                    crate::decision::DecisionCode::UnmodelledOption,
                    format!("{canon} -o {key}: the value has an unterminated quote"),
                    span,
                    argv,
                ),
            }
        }
        if canon != "ssh" {
            return;
        }
        // `-S PATH` and `-M`, read by ssh's getopt up to the host, and once
        // more after it up to the command.
        let mut sockets = Vec::new();
        let mut operands_left = 2;
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                break;
            }
            if !v.starts_with('-') || v.len() < 2 {
                operands_left -= 1;
                if operands_left == 0 {
                    break;
                }
                continue;
            }
            for (n, c) in v[1..].char_indices() {
                if c == 'M' {
                    master = true;
                }
                if !SSH_VALUE_LETTERS.contains(c) {
                    continue;
                }
                let rest = &v[1 + n + c.len_utf8()..];
                let value = if rest.is_empty() {
                    i += 1;
                    argv.get(i - 1).cloned()
                } else {
                    let mut t = Arg::literal(rest, a.span);
                    t.home = rest == "~" || rest.starts_with("~/");
                    Some(t)
                };
                if c == 'S' {
                    sockets.extend(value);
                }
                break;
            }
        }
        for s in sockets.iter().filter(|s| !s.is("none")) {
            let op = if master { Write } else { Read };
            self.check_file(s, op, argv, "ssh -S");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::config_words;

    #[test]
    fn ssh_config_quoting() {
        assert_eq!(
            config_words("\"h/.ssh/id_rsa\"").unwrap(),
            ["h/.ssh/id_rsa"]
        );
        assert_eq!(config_words("'a b' c").unwrap(), ["a b", "c"]);
        assert_eq!(config_words("a\\ b").unwrap(), ["a b"]);
        assert_eq!(config_words("x\"y\"z").unwrap(), ["xyz"]);
        assert!(config_words("\"open").is_none());
    }
}
