//! The switches `dotnet build`, `test`, `run`, `publish`, `pack`,
//! `restore` and `clean` hand to MSBuild (`-flp:logfile=PATH`, `/bl:PATH`,
//! `-p:OutputPath=DIR`, `-logger:CLASS,ASSEMBLY`), and `dotnet test`'s own
//! `--logger`, `--diag` and `--results-directory`. MSBuild takes a switch
//! with `-`, `/` or `--` in front, its name in any case, and its value
//! after `:`. A switch naming a file it writes is judged as a write; one
//! that loads an assembly (a logger) or changes the toolset, and any
//! switch, parameter or property not known, is not modelled.

use super::normalize::{clip, Arg};
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::{Read, Write};

/// What an MSBuild switch's value is.
#[derive(Clone, Copy, PartialEq)]
enum Sw {
    /// A flag, or a value that names nothing (`-m:4`, `-v:diag`,
    /// `-t:Build`, `-clp:ErrorsOnly`; `-fl` writes `msbuild.log` in the
    /// working directory, as the build writes there anyway).
    Inert,
    /// Global properties `NAME=VALUE[;NAME=VALUE]`.
    Props,
    /// The file logger's parameters (`logfile=PATH;verbosity=…`).
    FileLogger,
    /// The binary logger's parameters (`PATH`, `LogFile=PATH`,
    /// `ProjectImports=…`).
    BinLog,
    /// A file written.
    Writes,
    /// Files read, `;`-separated.
    Reads,
}

/// MSBuild's switches, by lower-case name (the numbered file loggers are
/// read without their digit).
const SWITCHES: &[(&str, Sw)] = &[
    ("nologo", Sw::Inert),
    ("m", Sw::Inert),
    ("maxcpucount", Sw::Inert),
    ("v", Sw::Inert),
    ("verbosity", Sw::Inert),
    ("clp", Sw::Inert),
    ("consoleloggerparameters", Sw::Inert),
    ("noconlog", Sw::Inert),
    ("noconsolelogger", Sw::Inert),
    ("t", Sw::Inert),
    ("target", Sw::Inert),
    ("tl", Sw::Inert),
    ("terminallogger", Sw::Inert),
    ("tlp", Sw::Inert),
    ("terminalloggerparameters", Sw::Inert),
    ("nr", Sw::Inert),
    ("nodereuse", Sw::Inert),
    ("ds", Sw::Inert),
    ("detailedsummary", Sw::Inert),
    ("err", Sw::Inert),
    ("warnaserror", Sw::Inert),
    ("noerr", Sw::Inert),
    ("warnnotaserror", Sw::Inert),
    ("nowarn", Sw::Inert),
    ("warnasmessage", Sw::Inert),
    ("r", Sw::Inert),
    ("restore", Sw::Inert),
    ("graph", Sw::Inert),
    ("graphbuild", Sw::Inert),
    ("isolate", Sw::Inert),
    ("isolateprojects", Sw::Inert),
    ("interactive", Sw::Inert),
    ("q", Sw::Inert),
    ("question", Sw::Inert),
    ("low", Sw::Inert),
    ("lowpriority", Sw::Inert),
    ("noautorsp", Sw::Inert),
    ("noautoresponse", Sw::Inert),
    ("getproperty", Sw::Inert),
    ("getitem", Sw::Inert),
    ("gettargetresult", Sw::Inert),
    ("fl", Sw::Inert),
    ("filelogger", Sw::Inert),
    ("p", Sw::Props),
    ("property", Sw::Props),
    ("rp", Sw::Props),
    ("restoreproperty", Sw::Props),
    ("flp", Sw::FileLogger),
    ("fileloggerparameters", Sw::FileLogger),
    ("bl", Sw::BinLog),
    ("binarylogger", Sw::BinLog),
    ("pp", Sw::Writes),
    ("preprocess", Sw::Writes),
    ("ts", Sw::Writes),
    ("targets", Sw::Writes),
    ("orc", Sw::Writes),
    ("outputresultscache", Sw::Writes),
    ("profileevaluation", Sw::Writes),
    ("prof", Sw::Writes),
    ("irc", Sw::Reads),
    ("inputresultscaches", Sw::Reads),
    ("val", Sw::Reads),
    ("validate", Sw::Reads),
];

/// The file logger's parameters that name no file.
const FILE_LOGGER_INERT: &[&str] = &[
    "append",
    "verbosity",
    "encoding",
    "errorsonly",
    "warningsonly",
    "noitemandpropertylist",
    "showcommandline",
    "showtimestamp",
    "showeventid",
    "forcenoalign",
    "disableconsolecolor",
    "disablemplogging",
    "enablemplogging",
    "forceconsolecolor",
    "performancesummary",
    "summary",
    "nosummary",
    "showprojectfile",
];

/// Properties known to change neither what the build imports or runs nor
/// where it writes.
const PROPS_INERT: &[&str] = &[
    "configuration",
    "platform",
    "version",
    "versionprefix",
    "versionsuffix",
    "assemblyversion",
    "fileversion",
    "informationalversion",
    "packageversion",
    "treatwarningsaserrors",
    "warninglevel",
    "nowarn",
    "continuousintegrationbuild",
    "deterministic",
    "debugtype",
    "debugsymbols",
    "optimize",
    "targetframework",
    "targetframeworks",
    "runtimeidentifier",
    "selfcontained",
    "publishsinglefile",
    "publishtrimmed",
    "publishreadytorun",
    "useapphost",
    "generatedocumentationfile",
    "nullable",
    "langversion",
    "collectcoverage",
    "coverletoutputformat",
];

/// Properties naming a directory or file the build writes.
const PROPS_WRITTEN: &[&str] = &[
    "outputpath",
    "outdir",
    "baseoutputpath",
    "baseintermediateoutputpath",
    "intermediateoutputpath",
    "publishdir",
    "packageoutputpath",
    "documentationfile",
    "coverletoutput",
];

/// `dotnet` subcommands that hand unknown switches to MSBuild.
const MSBUILD_SUBS: &[&str] = &[
    "build", "test", "run", "publish", "pack", "restore", "clean",
];

/// The switch a word is, when it has MSBuild's form: `-name[:value]`,
/// `--name:value` or `/name[:value]` (a name of letters and digits, so
/// that `/abs/path` is a path).
fn switch_of(v: &str) -> Option<(String, Option<&str>)> {
    let body = v
        .strip_prefix("--")
        .filter(|b| b.contains(':'))
        .or_else(|| v.strip_prefix('-').filter(|b| !b.starts_with('-')))
        .or_else(|| v.strip_prefix('/'))?;
    let (name, value) = match body.split_once(':') {
        Some((n, x)) => (n, Some(x)),
        None => (body, None),
    };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((name.to_ascii_lowercase(), value))
}

fn unquote(v: &str) -> &str {
    v.trim().trim_matches('"')
}

impl Analyzer<'_> {
    /// A word of `dotnet SUB`: `Some(true)` read, `Some(false)` the
    /// analysis ends (a finding), `None` for the tool's table.
    pub(crate) fn dotnet_word(
        &mut self,
        argv: &[Arg],
        i: &mut usize,
        a: &Arg,
        v: &str,
        sub: Option<&str>,
        exact: bool,
    ) -> Option<bool> {
        let sub = sub?;
        let via = format!("dotnet {sub}");
        if sub == "test" {
            let (name, inline) = match v.split_once('=') {
                Some((n, x)) if n.starts_with("--") => (n, Some(x)),
                _ => (v, None),
            };
            // (`-r` is `--results-directory` in older SDKs, `--runtime` in
            // newer ones: a name in the working directory either way.)
            if matches!(
                name,
                "--logger" | "-l" | "--diag" | "-d" | "--results-directory" | "-r"
            ) {
                let value = Arg::option_value(inline, a.span, argv, i)?;
                let via = format!("{via} {name}");
                return Some(match name {
                    "--logger" | "-l" => self.test_logger(&value, argv, &via),
                    _ => {
                        self.check_file(&value, Write, argv, &via);
                        true
                    }
                });
            }
        }
        if exact || !MSBUILD_SUBS.contains(&sub) {
            return None;
        }
        let (name, value) = switch_of(v)?;
        // A numbered file logger (`-fl3`, `-flp3:…`).
        let plain = match name.trim_end_matches(|c: char| c.is_ascii_digit()) {
            n @ ("fl" | "filelogger" | "flp" | "fileloggerparameters") => n,
            _ => name.as_str(),
        };
        let Some((_, kind)) = SWITCHES.iter().find(|(n, _)| *n == plain) else {
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!(
                    "{via} {}: only the MSBuild switches known to be inert, or whose files are judged, are modelled; this one may load an assembly (a logger), change the toolset or write elsewhere",
                    clip(v)
                ),
                a.span,
                argv,
            );
            return Some(false);
        };
        let via = format!("{via} {}", clip(v));
        let Some(value) = value.filter(|x| !x.is_empty()) else {
            return Some(true);
        };
        if value.contains("$(") || value.contains("@(") || value.contains("%(") {
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!("{via}: an MSBuild expression in a switch's value is not modelled"),
                a.span,
                argv,
            );
            return Some(false);
        }
        let file = |x: &str| {
            let x = unquote(x);
            let mut t = Arg::literal(x, a.span);
            t.home = x == "~" || x.starts_with("~/");
            t
        };
        match kind {
            Sw::Inert => {}
            Sw::Writes => self.check_file(&file(value), Write, argv, &via),
            Sw::Reads => {
                for f in value.split(';').filter(|f| !f.trim().is_empty()) {
                    self.check_file(&file(f), Read, argv, &via);
                }
            }
            Sw::Props => {
                // `-p:A=1;B=2` (a shell word quoted or escaped to hold
                // the `;`), `-p:A=1,B=2`.
                for p in value.split([';', ',']).filter(|p| !p.trim().is_empty()) {
                    let (n, x) = p.split_once('=').unwrap_or((p, ""));
                    let n = unquote(n).to_ascii_lowercase();
                    if PROPS_WRITTEN.contains(&n.as_str()) {
                        self.check_file(&file(x), Write, argv, &via);
                    } else if !PROPS_INERT.contains(&n.as_str()) {
                        return Some(self.msbuild_unknown(a, argv, &via, "property", &n));
                    }
                }
            }
            Sw::FileLogger | Sw::BinLog => {
                for p in value.split(';').filter(|p| !p.trim().is_empty()) {
                    let (n, x) = match p.split_once('=') {
                        Some((n, x)) => (unquote(n).to_ascii_lowercase(), Some(x)),
                        None => (unquote(p).to_ascii_lowercase(), None),
                    };
                    match (kind, n.as_str(), x) {
                        (_, "logfile", Some(x)) => self.check_file(&file(x), Write, argv, &via),
                        // The binary log's file alone (`-bl:out.binlog`).
                        (Sw::BinLog, _, None) => self.check_file(&file(p), Write, argv, &via),
                        (Sw::BinLog, "projectimports", Some(_)) => {}
                        (Sw::FileLogger, n, _) if FILE_LOGGER_INERT.contains(&n) => {}
                        _ => return Some(self.msbuild_unknown(a, argv, &via, "parameter", &n)),
                    }
                }
            }
        }
        Some(true)
    }

    fn msbuild_unknown(&mut self, a: &Arg, argv: &[Arg], via: &str, what: &str, n: &str) -> bool {
        self.unmodelled(
            DecisionCode::UnmodelledOption,
            format!(
                "{via}: the {what} {} is not known to be inert (it may make the build import code or write elsewhere)",
                clip(n)
            ),
            a.span,
            argv,
        );
        false
    }

    /// `dotnet test --logger NAME[;KEY=VALUE…]`: the log file it names
    /// (`LogFileName`, `LogFilePath`, `LogFilePrefix`) is judged as a
    /// write; one with `..` (relative to the results directory, not the
    /// working directory) and a value of another key that looks like a
    /// path are not modelled.
    fn test_logger(&mut self, value: &Arg, argv: &[Arg], via: &str) -> bool {
        let Some(text) = value.lit() else {
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!("{via}: a logger computed at run time is not modelled"),
                value.span,
                argv,
            );
            return false;
        };
        for p in text.split(';').skip(1) {
            let (n, x) = p.split_once('=').unwrap_or((p, ""));
            let x = unquote(x);
            let n = n.trim().to_ascii_lowercase();
            let path_like = x.contains('/') || x.starts_with('~') || x.contains("..");
            if !path_like {
                continue;
            }
            if matches!(n.as_str(), "logfilename" | "logfilepath" | "logfileprefix") {
                let mut t = Arg::literal(x, value.span);
                t.home = x == "~" || x.starts_with("~/");
                if x.split('/').any(|c| c == "..") {
                    // Relative to the results directory, not to the
                    // working directory.
                    return self.msbuild_unknown(value, argv, via, "log file", x);
                }
                // A relative name is below the results directory (or the
                // working directory, for some loggers): judged from the
                // working directory, where a protected name stays one.
                self.check_file(&t, Write, argv, via);
                continue;
            }
            self.unmodelled(
                DecisionCode::UnmodelledOption,
                format!(
                    "{via}: the logger parameter {} names a path; only the log file's is judged",
                    clip(&n)
                ),
                value.span,
                argv,
            );
            return false;
        }
        true
    }
}
