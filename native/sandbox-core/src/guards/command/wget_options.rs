//! wget's option table (GNU Wget 1.21, its manual and `wget --help`): an
//! option outside it is not modelled (`UNMODELLED_OPTION`). Wget 1.21
//! refuses such an option, but `wget2`, installed as `wget` on some
//! systems, has many more, some loading plugins (`--local-plugin=FILE`,
//! `--plugin-dirs`) or naming files (`--netrc-file`, `--ocsp-file`,
//! `--stats-*=FORMAT:FILE`) that the file options do not judge. The files
//! of the modelled options are judged by `file_options.rs`. See
//! docs/commands.md, "File options".

use super::net_destinations::Plain;
use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;

/// Long options that take a value (`--name=V` or `--name V`).
#[rustfmt::skip]
const VALUE: &[&str] = &[
    "accept", "accept-regex", "append-output", "backups", "base", "bind-address",
    "bind-dns-address", "body-data", "body-file", "ca-certificate", "ca-directory",
    "certificate", "certificate-type", "ciphers", "compression", "config",
    "connect-timeout", "crl-file", "cut-dirs", "default-page", "directory-prefix",
    "dns-servers", "dns-timeout", "domains", "egd-file", "exclude-directories",
    "exclude-domains", "execute", "follow-tags", "ftp-password", "ftp-user", "header",
    "hsts-file", "http-password", "http-user", "ignore-tags", "include-directories",
    "input-file", "input-metalink", "level", "limit-rate", "load-cookies",
    "local-encoding", "max-redirect", "metalink-index", "method", "output-document",
    "output-file", "password", "pinnedpubkey", "post-data", "post-file",
    "prefer-family", "preferred-location", "private-key", "private-key-type", "progress",
    "proxy-password", "proxy-user", "quota", "random-file", "read-timeout", "referer",
    "regex-type", "reject", "reject-regex", "rejected-log", "remote-encoding",
    "report-speed", "restrict-file-names", "retry-on-http-error", "save-cookies",
    "secure-protocol", "start-pos", "timeout", "tries", "use-askpass", "user",
    "user-agent", "wait", "waitretry", "warc-dedup", "warc-file", "warc-header",
    "warc-max-size", "warc-tempdir",
];

/// Long options without a value; each boolean also has a `no-` form.
#[rustfmt::skip]
const FLAG: &[&str] = &[
    "adjust-extension", "ask-password", "auth-no-challenge", "background",
    "backup-converted", "cache", "check-certificate", "clobber",
    "content-disposition", "content-on-error", "continue", "convert-file-only",
    "convert-links", "cookies", "debug", "delete-after", "directories", "dns-cache",
    "follow-ftp", "force-directories", "force-html", "ftps-clear-data-connection",
    "ftps-fallback-to-ftp", "ftps-implicit", "ftps-resume-ssl", "glob", "help",
    "host-directories", "hsts", "http-keep-alive", "https-only", "if-modified-since",
    "ignore-case", "ignore-length", "inet4-only", "inet6-only", "iri",
    "keep-badhash", "keep-session-cookies", "metalink-over-http", "mirror", "netrc",
    "page-requisites", "parent", "passive-ftp", "preserve-permissions",
    "protocol-directories", "proxy", "quiet", "random-wait", "recursive", "relative",
    "remove-listing", "retr-symlinks", "retry-connrefused", "save-headers",
    "server-response", "show-progress", "span-hosts", "spider", "strict-comments",
    "timestamping", "trust-server-names", "unlink", "use-server-timestamps", "verbose",
    "version", "warc-cdx", "warc-compression", "warc-digests", "warc-keep-log", "xattr",
];

/// Short options that take a value (the rest of the word or the next one).
const SHORT_VALUE: &str = "aABDeIilnoOPQRtTUwX";
/// Short options without one.
const SHORT_FLAG: &str = "46bcdEFhHkKLmNpqrSvVx";

impl Analyzer<'_> {
    /// Every option of a wget command line by [`VALUE`], [`FLAG`] and the
    /// short letters; the first one outside them asks.
    pub(crate) fn check_wget_options(&mut self, argv: &[Arg]) {
        // Every long option wget 1.21 takes, with each boolean's `no-` form
        // and `--no-config`.
        let mut table: Vec<String> = VALUE.iter().chain(FLAG).map(|s| s.to_string()).collect();
        table.extend(FLAG.iter().map(|f| format!("no-{f}")));
        table.push("no-config".into());
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                // A computed word in option position is reported by the
                // option checks of programs.rs; as an operand it is a URL.
                if !a.text.starts_with('-') && !a.prefix.starts_with('-') {
                    self.check_destination(a, Plain::Curl("http"), argv, "wget");
                }
                continue;
            };
            if v == "--" {
                for u in &argv[i..] {
                    self.check_destination(u, Plain::Curl("http"), argv, "wget");
                }
                return;
            }
            if !v.starts_with('-') || v == "-" {
                if v != "-" {
                    self.check_destination(a, Plain::Curl("http"), argv, "wget");
                }
                continue;
            }
            if let Some(long) = v.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, _)) => (n, true),
                    None => (long, false),
                };
                // getopt_long: an exact name, or a prefix of exactly one.
                let resolved = match table.iter().find(|t| *t == name) {
                    Some(t) => Some(t.as_str()),
                    None => {
                        let mut found = table.iter().filter(|t| t.starts_with(name));
                        match (found.next(), found.next()) {
                            (Some(t), None) if !name.is_empty() => Some(t.as_str()),
                            _ => None,
                        }
                    }
                };
                let Some(resolved) = resolved else {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "wget: {} is not an option of wget 1.21 (wget2, installed as wget on some systems, has options that load plugins or name files, which are not modelled)",
                            clip(v)
                        ),
                        a.span,
                        argv,
                    );
                    return;
                };
                if matches!(resolved, "input-file" | "execute") {
                    let value = match long.split_once('=') {
                        Some((_, x)) => Some(Arg::literal(x, a.span)),
                        None => argv.get(i).cloned(),
                    };
                    if let Some(value) = value {
                        self.wget_value(resolved == "execute", &value, argv);
                    }
                }
                if !inline && VALUE.contains(&resolved) {
                    i += 1;
                }
                continue;
            }
            let Some(cluster) = v.strip_prefix('-').filter(|c| !c.is_empty()) else {
                continue;
            };
            for (k, c) in cluster.char_indices() {
                if SHORT_VALUE.contains(c) {
                    let last = k + c.len_utf8() == cluster.len();
                    if c == 'i' || c == 'e' {
                        let value = if last {
                            argv.get(i).cloned()
                        } else {
                            Some(Arg::literal(&cluster[k + 1..], a.span))
                        };
                        if let Some(value) = value {
                            self.wget_value(c == 'e', &value, argv);
                        }
                    }
                    if last {
                        i += 1;
                    }
                    break;
                }
                if !SHORT_FLAG.contains(c) {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "wget: {} holds -{c}, which is not an option of wget 1.21",
                            clip(v)
                        ),
                        a.span,
                        argv,
                    );
                    return;
                }
            }
        }
    }
}

impl Analyzer<'_> {
    /// `-e COMMAND` or `-i FILE`: where they send wget is judged.
    fn wget_value(&mut self, execute: bool, value: &Arg, argv: &[Arg]) {
        if execute {
            self.check_wget_command(value, argv);
        } else {
            self.check_url_file(value, argv, "wget -i", false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_each_name_once() {
        for n in VALUE {
            assert!(!FLAG.contains(n), "{n}");
        }
        for c in SHORT_VALUE.chars() {
            assert!(!SHORT_FLAG.contains(c), "{c}");
        }
    }
}
