//! `-o` options of ssh, scp and sftp, read as OpenSSH reads them: the
//! option letters by each program's getopt string (`-vo VALUE`,
//! `'-o Key=value'` in one word), the keyword after leading whitespace and
//! `=`, quoted or not, in any case, ending at whitespace or `=`. Only
//! keywords known to be inert are modelled; a keyword naming a file has the
//! file judged; any other asks, since options such as `ProxyCommand`,
//! `XAuthLocation` or `Include` run programs or read more configuration.

use super::normalize::{clip, Arg};
use super::options::{scan, Item, Opt, Syntax, Value};
use super::walk::Analyzer;
use super::Span;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::{Read, Write};

/// How each program reads its options (OpenSSH 9 getopt strings): no
/// long options, a `--WORD` is a cluster of letters.
fn syntax(base: &str) -> Syntax<'static> {
    let short = match base {
        "scp" => "DFJMPSciloX",
        "sftp" => "cDilosSbBFJPRX",
        _ => "bceilmopBDEFIJLOPQRSwW",
    };
    Syntax::short_only(short)
}

/// The option letters given before the first operand (clusters split as
/// the program's getopt splits them: `-fN` is `-f -N`).
pub(crate) fn letters_before_host(argv: &[Arg], base: &str) -> Vec<char> {
    let syntax = syntax(base);
    let mut out = Vec::new();
    for item in scan(argv, &syntax) {
        match item {
            Item::Option {
                opt: super::options::Opt::Short(c),
                ..
            } => out.push(c),
            Item::Operand(_) | Item::Computed(_) => break,
            _ => {}
        }
    }
    out
}

/// The values of every `-o` option.
pub(crate) fn o_values(argv: &[Arg], base: &str) -> Vec<(String, Span)> {
    let syntax = syntax(base);
    // Options end at the first operand; ssh reads options once more after
    // the host, up to the remote command.
    let mut operands_left = if base == "ssh" { 2 } else { 1 };
    let mut out = Vec::new();
    for item in scan(argv, &syntax) {
        match item {
            Item::Operand(_) => {
                operands_left -= 1;
                if operands_left == 0 {
                    break;
                }
            }
            Item::Option {
                opt: Opt::Short('o'),
                word,
                value,
            } => out.extend(value.map(|v| match v {
                Value::Attached(x) => (x.to_string(), word.span),
                Value::Next(n) => (n.lit().unwrap_or(&n.text).to_string(), n.span),
            })),
            _ => {}
        }
    }
    out
}

/// The keyword of an `-o` value, lower case, and the rest (the value).
pub(crate) fn keyword(opt: &str) -> (String, String) {
    let s = opt.trim_start_matches([' ', '\t', '=']);
    let (key, rest) = if let Some(q) = s.strip_prefix('"') {
        match q.split_once('"') {
            Some((k, r)) => (k, r),
            None => (q, ""),
        }
    } else {
        let end = s.find([' ', '\t', '=']).unwrap_or(s.len());
        (&s[..end], &s[end..])
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest
        .strip_prefix('=')
        .unwrap_or(rest)
        .trim_start_matches([' ', '\t']);
    (key.to_ascii_lowercase(), rest.to_string())
}

/// Keywords that change neither which programs run nor which files are
/// read or written.
const INERT: &[&str] = &[
    "port",
    "user",
    "hostname",
    "connecttimeout",
    "connectionattempts",
    "serveraliveinterval",
    "serveralivecountmax",
    "stricthostkeychecking",
    "batchmode",
    "loglevel",
    "compression",
    "identitiesonly",
    "requesttty",
    "tcpkeepalive",
    "passwordauthentication",
    "pubkeyauthentication",
    "kbdinteractiveauthentication",
    "preferredauthentications",
    "hostkeyalgorithms",
    "pubkeyacceptedalgorithms",
    "ciphers",
    "macs",
    "kexalgorithms",
    "exitonforwardfailure",
    "checkhostip",
    "visualhostkey",
    "hashknownhosts",
    "numberofpasswordprompts",
    "addressfamily",
    "forwardagent",
    "forwardx11",
    "updatehostkeys",
    "controlmaster",
    "controlpersist",
];

impl Analyzer<'_> {
    /// Each `-o` keyword: inert, a file judged, or not modelled.
    pub(crate) fn ssh_config_options(&mut self, argv: &[Arg], base: &str) {
        for (opt, span) in o_values(argv, base) {
            let (key, value) = keyword(&opt);
            if INERT.contains(&key.as_str()) {
                continue;
            }
            let op = match key.as_str() {
                "userknownhostsfile" | "controlpath" => Some(Write),
                "identityfile" | "certificatefile" | "globalknownhostsfile" => Some(Read),
                _ => None,
            };
            let Some(op) = op else {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "{base} -o {}: only ssh options known to run no program and touch no file are modelled",
                        clip(&opt)
                    ),
                    span,
                    argv,
                );
                continue;
            };
            // Several files separated by whitespace; `none` is no file.
            for f in value
                .split([' ', '\t'])
                .filter(|f| !f.is_empty() && *f != "none")
            {
                let mut t = Arg::literal(f, span);
                t.home = f == "~" || f.starts_with("~/");
                self.check_file(&t, op, argv, &format!("{base} -o {key}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<Arg> {
        words.iter().map(|w| Arg::literal(w, [0, 0])).collect()
    }

    #[test]
    fn keywords_are_read_as_openssh_reads_them() {
        for spelling in [
            "ProxyCommand=x",
            "  ProxyCommand=x",
            "\"ProxyCommand\" x",
            "=ProxyCommand=x",
            "proxycommand x",
            "\tProxyCommand = x",
        ] {
            assert_eq!(
                keyword(spelling),
                ("proxycommand".to_string(), "x".to_string()),
                "{spelling:?}"
            );
        }
    }

    #[test]
    fn o_values_follow_each_programs_getopt() {
        let found = |w: &[&str]| -> Vec<String> {
            o_values(&args(w), w[0])
                .into_iter()
                .map(|(v, _)| v)
                .collect()
        };
        assert_eq!(found(&["ssh", "-vo", " K=v", "h"]), [" K=v"]);
        assert_eq!(found(&["ssh", "-o K=v", "h"]), [" K=v"]);
        assert_eq!(found(&["ssh", "-o=K=v", "h"]), ["=K=v"]);
        // After the host ssh reads options once more, up to the command.
        assert_eq!(found(&["ssh", "h", "-o", "K=v"]), ["K=v"]);
        assert!(found(&["ssh", "h", "grep", "-o", "x"]).is_empty());
        // `-p` takes a value: the `o` in `-po` is not the option.
        assert!(found(&["ssh", "-p", "-o", "h"]).is_empty());
        assert!(found(&["scp", "a", "-o", "K=v", "h:b"]).is_empty());
    }
}
