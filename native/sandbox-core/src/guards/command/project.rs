//! Build and test tools run the project's own code by design (`cargo
//! test`, `go build ./...`, `pytest`, `python3 scripts/gen.py`), but their
//! options can run other programs (`go build -toolexec`, `gcc -wrapper`,
//! `php -R`), load code from elsewhere (`node -r /tmp/x.js`, `cmake -C`),
//! or write and delete outside the workspace (`cargo --target-dir ~`,
//! `pytest --basetemp`). The model is inverted: a tool with a table here is
//! allowed only with the options its table lists, each with what its value
//! is (inert, a file read, a file or directory written, a file of code the
//! tool runs); any other option, subcommand or module is not modelled and
//! asks (`UNMODELLED_OPTION`/`UNMODELLED_PROGRAM`). Abbreviated long
//! options are not in any table, so they ask too.

use super::normalize::Arg;
use super::walk::Analyzer;
use crate::decision::DecisionCode;
use crate::guards::filesystem::FileOperation::{Read, Write};

/// What an option's value (or an operand) is.
#[derive(Clone, Copy)]
enum K {
    /// A flag: no value.
    F,
    /// An inert value (a name, a number, a pattern).
    V,
    /// A plain name: no `/`, `=`, `:` or `~` (`--emit=link=PATH` is not).
    Name,
    /// A file or directory the tool reads.
    R,
    /// A file or directory the tool writes or deletes.
    W,
    /// A file of code or configuration the tool runs (a manifest, a
    /// script, a config that is code): only where writing is allowed, and
    /// never a URL.
    Code,
    /// A package to install: a name, or a path judged as [`K::Code`].
    Spec,
    /// `KEY[=VALUE]` where only the listed keys are known to be inert.
    Keys(&'static [&'static str]),
    /// A JVM system property `NAME[=VALUE]` (`-DNAME=VALUE`): a name the
    /// JDK reads may make the JVM write files or load code
    /// (`jdk.internal.lambda.dumpProxyClasses=DIR`), so only the JDK's
    /// names known to be inert are modelled; an application's own
    /// property is inert to the JDK.
    Prop,
    /// An Ant property `-DNAME=VALUE` (or `-DNAME VALUE`): a property Ant
    /// or the JDK reads itself (`basedir`, `ant.*`, `build.compiler`,
    /// `java.*`, …) may change where the build writes or load a class, and
    /// a value may be expanded (`${…}`): not modelled; a value naming a
    /// path is one the build file may write to (judged as a write).
    AntProp,
    /// A HotSpot boolean option (`-XX:+NAME`, `-XX:-NAME`): only those
    /// known to write no file and load no code are modelled.
    XxFlag,
    /// A pip requirement or constraint file: read, and what it names is
    /// judged.
    Req,
    /// A package index or a page of links (`pip -i`, `--find-links`): a
    /// network URL is inert; a `file:` URL or a path is a directory whose
    /// packages the tool builds and runs, judged as [`K::Code`].
    Index,
    /// A directory the tool empties and fills again (`pytest --basetemp`):
    /// a deletion of the directory and of everything below it.
    Tree,
    /// `python -m MODULE`: the module's own model reads the rest.
    Module,
    /// A Python warning filter (`-W action::category`): a category with a
    /// dot names a module Python imports.
    Warn,
    /// `[…]=FILE` (`-fdump-tree-all=FILE`, `--extern NAME=PATH`): the part
    /// after the first `=`, when there is one, is a file the tool reads
    /// (`false`) or writes (`true`).
    EqFile(bool),
    /// A compiler's `-fNAME[=VALUE]`: a value that looks like a path, or
    /// like a command line (`|PROGRAM`, words apart), asks unless the
    /// option is known not to open it (`-ffile-prefix-map=`).
    FOpt,
    /// A value naming a program the tool starts, a socket or a network
    /// address it talks to (gcc's `-fmodule-mapper=|PROGRAM ARGS`,
    /// `=SOCKET`, `HOST:PORT`, `<>FD`, or a mapping file): not modelled.
    Starts,
    /// `java -jar FILE`: judged as [`K::Code`], and the class path its
    /// manifest adds is followed (`jar_manifest.rs`).
    Jar,
    /// `java -cp A:B:DIR/*`: each entry judged as [`K::Code`], a JAR's
    /// manifest followed.
    ClassPath,
}

use K::{
    AntProp, ClassPath, Code, EqFile, FOpt, Index, Jar, Keys, Module, Name, Prop, Req, Spec,
    Starts, Tree, Warn, XxFlag, F, R, V, W,
};

/// A rustup toolchain name (`nightly`, `1.80.0`, `stable-x86_64-unknown-linux-gnu`,
/// a linked custom name), not a path.
pub(crate) fn plain_toolchain(tc: &str) -> bool {
    !tc.is_empty()
        && !tc.starts_with(['.', '-'])
        && tc
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The names of JVM system properties the JDK itself reads: its
/// namespaces, and the few standard names outside them.
const JDK_PROPERTY_PREFIXES: &[&str] = &[
    "java.",
    "jdk.",
    "sun.",
    "com.sun.",
    "javax.",
    "jdk",
    "user.",
    "file.",
    "os.",
    "line.",
    "path.",
    "native.",
    "stdout.",
    "stderr.",
    "http.",
    "https.",
    "ftp.",
    "socks",
    "networkaddress.",
    "jnu.",
    "awt.",
    "org.jcp.",
    "org.ietf.",
    "com.oracle.",
    "jfr.",
    "java",
    "sun",
];

/// JDK properties known to make the JVM write no file, read no file it
/// would not anyway, and load no code: encodings, locale, time zone,
/// headless mode, IP stack preference.
const JDK_PROPERTY_INERT: &[&str] = &[
    "file.encoding",
    "sun.jnu.encoding",
    "stdout.encoding",
    "stderr.encoding",
    "sun.stdout.encoding",
    "sun.stderr.encoding",
    "user.language",
    "user.country",
    "user.region",
    "user.variant",
    "user.script",
    "user.timezone",
    "java.awt.headless",
    "java.net.preferIPv4Stack",
    "java.net.preferIPv6Addresses",
    "java.locale.providers",
    "java.util.concurrent.ForkJoinPool.common.parallelism",
    "line.separator",
    "sun.io.unicode.encoding",
    "jdk.attach.allowAttachSelf",
];

/// Property names Ant, its tasks or the JDK read themselves: the base
/// directory, Ant's own settings and class names (`ant.executor.class`,
/// `ant.regexp.regexpimpl`), the compiler adapter, the system class path,
/// and the JDK's namespaces.
fn ant_reads_property(name: &str) -> bool {
    const EXACT: &[&str] = &["basedir", "ant", "build.compiler", "build.sysclasspath"];
    const PREFIXES: &[&str] = &[
        "ant.",
        "build.compiler.",
        "build.rmic",
        "build.sysclasspath",
    ];
    EXACT.contains(&name)
        || PREFIXES.iter().any(|p| name.starts_with(p))
        || JDK_PROPERTY_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// HotSpot boolean options known to write no file and load no code:
/// the collector, memory and compiler choices.
const XX_FLAGS_INERT: &[&str] = &[
    "UseG1GC",
    "UseParallelGC",
    "UseSerialGC",
    "UseZGC",
    "ZGenerational",
    "UseShenandoahGC",
    "UseEpsilonGC",
    "UseStringDeduplication",
    "UseCompressedOops",
    "UseCompressedClassPointers",
    "UseContainerSupport",
    "ExitOnOutOfMemoryError",
    "ShowCodeDetailsInExceptionMessages",
    "AlwaysPreTouch",
    "UseNUMA",
    "TieredCompilation",
    "UseLargePages",
    "UseTransparentHugePages",
    "DisableExplicitGC",
    "OmitStackTraceInFastThrow",
    "UnlockExperimentalVMOptions",
    "UseParallelOldGC",
    "ParallelRefProcEnabled",
    "PrintCommandLineFlags",
    "PrintFlagsFinal",
    "UseCountedLoopSafepoints",
    "ClassUnloading",
    "UseAdaptiveSizePolicy",
    "UseVectorCmov",
];

/// `-f` options whose path-like value names no file the compiler opens.
const F_PATH_INERT: &[&str] = &[
    "debug-prefix-map",
    "file-prefix-map",
    "macro-prefix-map",
    "profile-prefix-map",
    "coverage-prefix-map",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// GNU getopt_long: `--name[=value]`, clustered short flags, a short
    /// option's value attached or the next word.
    Gnu,
    /// Every option is one word as listed (`-toolexec`, `-Xmx2g`,
    /// `-std=c11`): Go's flag package, compilers, the JVM.
    Single,
}

struct Tool {
    names: &'static [&'static str],
    style: Style,
    /// Known subcommands (the first operand); empty when there are none.
    subs: &'static [&'static str],
    /// Options: an exact spelling, or a prefix ending in `*` whose rest is
    /// the value.
    opts: &'static [(&'static str, K)],
    operands: K,
    /// The first operand is a script; the words after it are its own.
    script: bool,
}

const T: Tool = Tool {
    names: &[],
    style: Style::Gnu,
    subs: &[],
    opts: &[],
    operands: V,
    script: false,
};

const MVN_KEYS: &[&str] = &[
    "skipTests",
    "maven.test.skip",
    "test",
    "it.test",
    "skipITs",
    "checkstyle.skip",
    "spotless.check.skip",
    "jacoco.skip",
    "maven.javadoc.skip",
    "gpg.skip",
    "enforcer.skip",
    "surefire.failIfNoSpecifiedTests",
    "failIfNoTests",
    "revision",
    "changelist",
    "sha1",
    "style.color",
];

const CMAKE_KEYS: &[&str] = &[
    "CMAKE_BUILD_TYPE",
    "BUILD_SHARED_LIBS",
    "BUILD_TESTING",
    "CMAKE_EXPORT_COMPILE_COMMANDS",
    "CMAKE_COLOR_DIAGNOSTICS",
];

const CC_OPTS: &[(&str, K)] = &[
    ("-c", F),
    ("-S", F),
    ("-E", F),
    ("-v", F),
    ("--version", F),
    ("-pipe", F),
    ("-pthread", F),
    ("-shared", F),
    ("-static", F),
    ("-pedantic", F),
    ("-ansi", F),
    ("-M", F),
    ("-MM", F),
    ("-MD", F),
    ("-MMD", F),
    ("-MP", F),
    ("-MF", W),
    ("-MT", V),
    ("-o", W),
    ("-x", Name),
    ("-I", R),
    ("-I*", R),
    ("-isystem", R),
    ("-include", R),
    ("-L", R),
    ("-L*", R),
    ("-l*", V),
    ("-D", V),
    ("-D*", V),
    ("-U*", V),
    ("-std=*", V),
    ("-O*", V),
    ("-g*", V),
    ("-m*", V),
    // `-Wl,`/`-Wa,`/`-Wp,` pass options to the linker, assembler and
    // preprocessor (`-Wl,-plugin,x.so`); `-fplugin` loads code.
    ("-Wl,*", K::Keys(&[])),
    ("-Wa,*", K::Keys(&[])),
    ("-Wp,*", K::Keys(&[])),
    ("-W*", V),
    ("-fplugin*", K::Keys(&[])),
    ("-fpass-plugin*", K::Keys(&[])),
    // Files the compiler writes: dumps, reports, caches.
    ("-fopt-info*", EqFile(true)),
    ("-fdump-*", EqFile(true)),
    ("-fprofile-note=*", W),
    ("-foptimization-record-file=*", W),
    ("-fproc-stat-report=*", W),
    ("-fmodules-cache-path=*", W),
    ("-fcrash-diagnostics-dir=*", W),
    ("-fprofile-generate=*", W),
    ("-fprofile-instr-generate=*", W),
    ("-fcs-profile-generate=*", W),
    ("-fprofile-dir=*", W),
    // Files it reads.
    ("-fsanitize-ignorelist=*", R),
    ("-fsanitize-blacklist=*", R),
    ("-fsanitize-coverage-allowlist=*", R),
    ("-fsanitize-coverage-ignorelist=*", R),
    ("-fprofile-list=*", R),
    ("-fmodule-map-file=*", R),
    ("-fmodule-file=*", EqFile(false)),
    ("-fprebuilt-module-path=*", R),
    ("-fprofile-use=*", R),
    ("-fprofile-instr-use=*", R),
    ("-fprofile-sample-use=*", R),
    ("-fauto-profile=*", R),
    ("-fprofile-remapping-file=*", R),
    // The C++ module mapper: with `-fmodules-ts` gcc starts `|PROGRAM
    // ARGS` (split at blanks, no shell) or connects to the socket or
    // address the value names.
    ("-fmodule-mapper*", Starts),
    ("-f*", FOpt),
];

static TOOLS: &[Tool] = &[
    Tool {
        names: &["cargo"],
        subs: &[
            "build", "b", "check", "c", "test", "t", "run", "r", "clippy", "fmt", "doc", "d",
            "bench", "clean", "tree", "metadata", "update", "fetch", "new", "init", "add",
            "remove", "help", "version",
        ],
        opts: &[
            ("--release", F),
            ("-r", F),
            ("--all-targets", F),
            ("--workspace", F),
            ("--all", F),
            ("--lib", F),
            ("--bins", F),
            ("--tests", F),
            ("--benches", F),
            ("--examples", F),
            ("--all-features", F),
            ("--no-default-features", F),
            ("--locked", F),
            ("--frozen", F),
            ("--offline", F),
            ("-q", F),
            ("--quiet", F),
            ("-v", F),
            ("-vv", F),
            ("--verbose", F),
            ("--check", F),
            ("--no-run", F),
            ("--no-fail-fast", F),
            ("--doc", F),
            ("--no-deps", F),
            ("--fix", F),
            ("--allow-dirty", F),
            ("--allow-staged", F),
            ("--keep-going", F),
            ("--timings", F),
            ("--version", F),
            ("-V", F),
            ("-h", F),
            ("--help", F),
            ("--dev", F),
            ("--lib", F),
            ("--bin", V),
            ("-p", V),
            ("--package", V),
            ("--example", V),
            ("--test", V),
            ("--bench", V),
            ("--features", V),
            ("-F", V),
            ("--target", Name),
            ("-j", V),
            ("--jobs", V),
            ("--profile", Name),
            ("--exclude", V),
            ("--color", Name),
            ("--message-format", V),
            ("--edition", Name),
            ("--name", V),
            ("--vcs", Name),
            ("--depth", V),
            ("--target-dir", W),
            ("--manifest-path", Code),
        ],
        ..T
    },
    Tool {
        names: &["go"],
        style: Style::Single,
        subs: &[
            "build", "test", "vet", "run", "fmt", "mod", "list", "version", "doc", "generate",
            "get", "clean", "env", "help", "tidy", "download", "graph", "why", "verify", "init",
            "vendor",
        ],
        opts: &[
            ("-v", F),
            ("-x", F),
            ("-n", F),
            ("-race", F),
            ("-cover", F),
            ("-short", F),
            ("-failfast", F),
            ("-json", F),
            ("-a", F),
            ("-trimpath", F),
            ("-benchmem", F),
            ("-m", F),
            ("-u", F),
            ("-t", F),
            ("-d", F),
            ("-e", F),
            ("-i", F),
            ("-run", V),
            ("-bench", V),
            ("-count", V),
            ("-timeout", V),
            ("-tags", V),
            ("-p", V),
            ("-mod", Name),
            ("-covermode", Name),
            ("-coverpkg", V),
            ("-benchtime", V),
            ("-parallel", V),
            ("-cpu", V),
            ("-skip", V),
            ("-shuffle", V),
            ("-o", W),
            ("-C", W),
            ("-coverprofile", W),
            ("-cpuprofile", W),
            ("-memprofile", W),
            ("-outputdir", W),
            ("-modfile", Code),
        ],
        operands: Code,
        ..T
    },
    Tool {
        names: &["pytest", "py.test"],
        opts: &[
            ("-q", F),
            ("-v", F),
            ("-vv", F),
            ("-x", F),
            ("-s", F),
            ("-l", F),
            ("--lf", F),
            ("--ff", F),
            ("--nf", F),
            ("--sw", F),
            ("--last-failed", F),
            ("--failed-first", F),
            ("--stepwise", F),
            ("--co", F),
            ("--collect-only", F),
            ("--no-header", F),
            ("--exitfirst", F),
            ("--quiet", F),
            ("--verbose", F),
            ("--showlocals", F),
            // `--pdb`, `--trace`, `--pdbcls` are left out: the debugger
            // reads Python to run from standard input, which is not judged.
            ("--version", F),
            ("-h", F),
            ("--help", F),
            ("-k", V),
            ("-m", V),
            ("-n", V),
            ("-r", V),
            ("--maxfail", V),
            ("--tb", Name),
            ("--durations", V),
            ("--color", Name),
            ("--import-mode", Name),
            ("-W", Warn),
            ("--pythonwarnings", Warn),
            ("--timeout", V),
            ("--junitxml", W),
            ("--junit-xml", W),
            ("--basetemp", Tree),
            ("--rootdir", W),
            ("-c", Code),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["python"],
        opts: &[
            ("-u", F),
            ("-B", F),
            ("-E", F),
            ("-O", F),
            ("-OO", F),
            ("-q", F),
            ("-s", F),
            ("-S", F),
            ("-I", F),
            ("-P", F),
            ("-V", F),
            ("--version", F),
            ("-h", F),
            ("--help", F),
            ("-W", Warn),
            ("-X", Name),
            ("-m", Module),
        ],
        operands: Code,
        script: true,
        ..T
    },
    Tool {
        names: &["venv"],
        opts: &[
            ("--clear", F),
            ("--upgrade", F),
            ("--upgrade-deps", F),
            ("--system-site-packages", F),
            ("--without-pip", F),
            ("--prompt", V),
        ],
        operands: W,
        ..T
    },
    Tool {
        names: &["json.tool"],
        opts: &[
            ("--sort-keys", F),
            ("--tab", F),
            ("--compact", F),
            ("--no-ensure-ascii", F),
            ("--json-lines", F),
            ("--indent", V),
        ],
        operands: W,
        ..T
    },
    Tool {
        names: &["http.server"],
        opts: &[("-b", V), ("--bind", V), ("-d", R), ("--directory", R)],
        ..T
    },
    Tool {
        names: &["unittest"],
        opts: &[
            ("-v", F),
            ("-q", F),
            ("-f", F),
            ("-b", F),
            ("-c", F),
            ("-k", V),
        ],
        ..T
    },
    Tool {
        names: &["pip", "pip3"],
        subs: &[
            "install",
            "download",
            "list",
            "show",
            "freeze",
            "check",
            "uninstall",
            "wheel",
            "help",
            "inspect",
        ],
        opts: &[
            ("-r", Req),
            ("--requirement", Req),
            ("-c", Req),
            ("--constraint", Req),
            ("-e", Spec),
            ("--editable", Spec),
            ("-U", F),
            ("--upgrade", F),
            ("--upgrade-strategy", Name),
            ("--no-deps", F),
            ("--pre", F),
            ("-q", F),
            ("--quiet", F),
            ("-v", F),
            ("--verbose", F),
            ("--no-cache-dir", F),
            ("--no-build-isolation", F),
            ("--require-hashes", F),
            ("--dry-run", F),
            ("-y", F),
            ("--yes", F),
            ("-o", F),
            ("--outdated", F),
            ("--not-required", F),
            ("-l", F),
            ("--local", F),
            ("--version", F),
            ("-V", F),
            ("-i", Index),
            ("--index-url", Index),
            ("--extra-index-url", Index),
            ("-f", Index),
            ("--find-links", Index),
            ("--no-index", F),
            ("--only-binary", V),
            ("--no-binary", V),
            ("--format", Name),
            ("-d", W),
            ("--dest", W),
            ("-w", W),
            ("--wheel-dir", W),
        ],
        operands: Spec,
        ..T
    },
    Tool {
        names: &["node"],
        opts: &[
            ("--test", F),
            ("--watch", F),
            ("--enable-source-maps", F),
            ("--no-warnings", F),
            ("--trace-warnings", F),
            ("--inspect", F),
            ("--inspect-brk", F),
            ("--expose-gc", F),
            ("--experimental-vm-modules", F),
            ("--check", F),
            ("-c", F),
            ("--version", F),
            ("-v", F),
            ("-h", F),
            ("--help", F),
            ("--max-old-space-size", V),
            ("--stack-size", V),
            ("--test-name-pattern", V),
            ("-r", Code),
            ("--require", Code),
            ("--import", Code),
            ("--env-file", R),
            ("--env-file-if-exists", R),
            ("--test-reporter-destination", W),
            ("--redirect-warnings", W),
        ],
        operands: Code,
        script: true,
        ..T
    },
    Tool {
        names: &["php"],
        opts: &[
            ("-l", F),
            ("-v", F),
            ("-h", F),
            ("-m", F),
            ("-n", F),
            ("-i", F),
            ("-f", Code),
            ("-S", V),
            ("-t", R),
        ],
        operands: Code,
        script: true,
        ..T
    },
    Tool {
        names: &["perl"],
        opts: &[
            ("-w", F),
            ("-W", F),
            ("-X", F),
            ("-c", F),
            ("-T", F),
            ("-t", F),
            ("-l", F),
            ("-v", F),
            ("-I", R),
        ],
        operands: Code,
        script: true,
        ..T
    },
    Tool {
        names: &["java"],
        style: Style::Single,
        opts: &[
            ("-version", F),
            ("--version", F),
            ("-showversion", F),
            ("-ea", F),
            ("-da", F),
            ("-esa", F),
            ("-server", F),
            ("-Xmx*", V),
            ("-Xms*", V),
            ("-Xss*", V),
            ("-XX:+*", XxFlag),
            ("-XX:-*", XxFlag),
            ("-XX:HeapDumpPath", W),
            ("-XX:MaxRAMPercentage", V),
            ("-XX:InitialRAMPercentage", V),
            ("-XX:MinRAMPercentage", V),
            ("-XX:MaxMetaspaceSize", V),
            ("-XX:MetaspaceSize", V),
            ("-XX:ReservedCodeCacheSize", V),
            ("-XX:MaxGCPauseMillis", V),
            ("-XX:ParallelGCThreads", V),
            ("-XX:ConcGCThreads", V),
            ("-XX:ActiveProcessorCount", V),
            ("-XX:TieredStopAtLevel", V),
            ("-XX:CICompilerCount", V),
            ("-XX:MaxDirectMemorySize", V),
            ("-D*", Prop),
            ("-cp", ClassPath),
            ("-classpath", ClassPath),
            ("--class-path", ClassPath),
            ("-jar", Jar),
        ],
        operands: Code,
        script: true,
        ..T
    },
    Tool {
        names: &["javac"],
        style: Style::Single,
        opts: &[
            ("-d", W),
            ("-s", W),
            ("-h", W),
            ("-cp", V),
            ("-classpath", V),
            ("--class-path", V),
            ("-sourcepath", R),
            ("-source", V),
            ("-target", V),
            ("--release", V),
            ("-encoding", V),
            ("-g", F),
            ("-g:*", V),
            ("-Xlint*", V),
            ("-Werror", F),
            ("-nowarn", F),
            ("-deprecation", F),
            ("-parameters", F),
            ("-verbose", F),
            ("-proc:*", V),
            ("-version", F),
            ("--version", F),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["gcc", "g++", "cc", "c++", "clang", "clang++"],
        style: Style::Single,
        opts: CC_OPTS,
        operands: R,
        ..T
    },
    Tool {
        names: &["ld"],
        style: Style::Single,
        opts: &[
            ("-o", W),
            ("-L", R),
            ("-L*", R),
            ("-l*", V),
            ("-shared", F),
            ("-static", F),
            ("-s", F),
            ("--version", F),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["as"],
        style: Style::Single,
        opts: &[
            ("-o", W),
            ("-g", F),
            ("--32", F),
            ("--64", F),
            ("-I", R),
            ("--version", F),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["rustc"],
        opts: &[
            ("-O", F),
            ("-g", F),
            ("--test", F),
            ("--version", F),
            ("-V", F),
            ("--emit", Name),
            ("-o", W),
            ("--out-dir", W),
            ("--edition", Name),
            ("--crate-type", Name),
            ("--crate-name", Name),
            ("-L", R),
            ("--extern", EqFile(false)),
            ("--cfg", V),
            ("--target", Name),
            ("-A", V),
            ("-W", V),
            ("-D", V),
            ("-F", V),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["rustfmt"],
        opts: &[
            ("--check", F),
            ("-q", F),
            ("-v", F),
            ("--version", F),
            ("--edition", Name),
            ("--config", V),
            ("--config-path", R),
            ("--emit", Name),
        ],
        operands: W,
        ..T
    },
    Tool {
        names: &["gofmt"],
        style: Style::Single,
        opts: &[("-w", F), ("-l", F), ("-d", F), ("-s", F), ("-e", F)],
        operands: W,
        ..T
    },
    Tool {
        names: &["black"],
        opts: &[
            ("--check", F),
            ("--diff", F),
            ("-q", F),
            ("-v", F),
            ("--fast", F),
            ("--preview", F),
            ("-S", F),
            ("--skip-string-normalization", F),
            ("-l", V),
            ("--line-length", V),
            ("-t", Name),
            ("--target-version", Name),
            ("--exclude", V),
            ("--include", V),
            ("--config", R),
        ],
        operands: W,
        ..T
    },
    Tool {
        names: &["prettier"],
        opts: &[
            ("--write", F),
            ("-w", F),
            ("--check", F),
            ("-c", F),
            ("--list-different", F),
            ("-l", F),
            ("--no-semi", F),
            ("--single-quote", F),
            ("--cache", F),
            ("--parser", Name),
            ("--tab-width", V),
            ("--print-width", V),
            ("--log-level", Name),
            ("--config", Code),
            ("--ignore-path", R),
        ],
        operands: W,
        ..T
    },
    Tool {
        names: &["eslint"],
        opts: &[
            ("--fix", F),
            ("--cache", F),
            ("--quiet", F),
            ("--no-eslintrc", F),
            ("--report-unused-disable-directives", F),
            ("--no-ignore", F),
            ("--debug", F),
            ("--color", F),
            ("--no-color", F),
            ("--ext", V),
            ("--max-warnings", V),
            ("--ignore-pattern", V),
            ("-f", Name),
            ("--format", Name),
            ("-c", Code),
            ("--config", Code),
            ("-o", W),
            ("--output-file", W),
        ],
        operands: W,
        ..T
    },
    Tool {
        names: &["tsc"],
        opts: &[
            ("--noEmit", F),
            ("--declaration", F),
            ("-d", F),
            ("--watch", F),
            ("-w", F),
            ("-b", F),
            ("--build", F),
            ("--strict", F),
            ("--sourceMap", F),
            ("--incremental", F),
            ("--pretty", F),
            ("--listFiles", F),
            ("--skipLibCheck", F),
            ("--esModuleInterop", F),
            ("-v", F),
            ("--version", F),
            ("--target", Name),
            ("--module", Name),
            ("--lib", V),
            ("--jsx", Name),
            ("-p", Code),
            ("--project", Code),
            ("--outDir", W),
            ("--outFile", W),
            ("--declarationDir", W),
            ("--tsBuildInfoFile", W),
            ("--rootDir", R),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["jest"],
        opts: &[
            ("--watch", F),
            ("--watchAll", F),
            ("--coverage", F),
            ("--ci", F),
            ("--runInBand", F),
            ("-i", F),
            ("--verbose", F),
            ("--silent", F),
            ("--bail", F),
            ("--json", F),
            ("--passWithNoTests", F),
            ("--detectOpenHandles", F),
            ("--forceExit", F),
            ("-u", F),
            ("--updateSnapshot", F),
            ("-t", V),
            ("--testNamePattern", V),
            ("--testPathPattern", V),
            ("--maxWorkers", V),
            ("-c", Code),
            ("--config", Code),
            ("--outputFile", W),
            ("--coverageDirectory", W),
        ],
        ..T
    },
    Tool {
        names: &["mocha"],
        opts: &[
            ("--watch", F),
            ("-w", F),
            ("--recursive", F),
            ("--bail", F),
            ("-b", F),
            ("--exit", F),
            ("-R", Name),
            ("--reporter", Name),
            ("-t", V),
            ("--timeout", V),
            ("-g", V),
            ("--grep", V),
            ("--spec", R),
            ("-r", Code),
            ("--require", Code),
            ("--config", Code),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["webpack"],
        opts: &[
            ("--watch", F),
            ("-w", F),
            ("--progress", F),
            ("--mode", Name),
            ("--stats", Name),
            ("--env", V),
            ("--devtool", V),
            ("-c", Code),
            ("--config", Code),
            ("-o", W),
            ("--output-path", W),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["deno"],
        subs: &[
            "run", "test", "fmt", "lint", "check", "task", "bench", "info", "doc", "help",
        ],
        opts: &[
            ("-A", F),
            ("--allow-all", F),
            ("--allow-*", V),
            ("--no-prompt", F),
            ("--watch", F),
            ("-q", F),
            ("--quiet", F),
            ("--check", F),
            ("--reload", F),
            ("-r", F),
            ("-c", Code),
            ("--config", Code),
            ("--import-map", Code),
        ],
        operands: Code,
        ..T
    },
    Tool {
        names: &["dotnet"],
        // One word per option: MSBuild's switches (`-flp:…`) are no
        // clusters of dotnet's (`msbuild.rs`).
        style: Style::Single,
        subs: &[
            "build",
            "test",
            "run",
            "restore",
            "clean",
            "publish",
            "pack",
            "format",
            "new",
            "add",
            "list",
            "help",
            "--info",
            "--version",
        ],
        opts: &[
            ("-c", V),
            ("--configuration", V),
            ("-f", V),
            ("--framework", V),
            ("-r", V),
            ("--runtime", V),
            ("-v", V),
            ("--verbosity", V),
            ("--no-restore", F),
            ("--no-build", F),
            ("--nologo", F),
            ("--filter", V),
            ("-o", W),
            ("--output", W),
            ("--project", Code),
        ],
        operands: Code,
        ..T
    },
    Tool {
        names: &["gradle", "gradlew"],
        opts: &[
            ("-q", F),
            ("--quiet", F),
            ("-i", F),
            ("--info", F),
            ("-d", F),
            ("--debug", F),
            ("-s", F),
            ("--stacktrace", F),
            ("--offline", F),
            ("--parallel", F),
            ("--no-daemon", F),
            ("--daemon", F),
            ("--continue", F),
            ("--build-cache", F),
            ("--no-build-cache", F),
            ("--configuration-cache", F),
            ("--refresh-dependencies", F),
            ("--rerun-tasks", F),
            ("--dry-run", F),
            ("-m", F),
            ("--version", F),
            ("-v", F),
            ("-x", V),
            ("--exclude-task", V),
            ("--console", Name),
            ("--warning-mode", Name),
            ("-P*", V),
            ("-p", Code),
            ("--project-dir", Code),
            ("-b", Code),
            ("-c", Code),
        ],
        ..T
    },
    Tool {
        names: &["mvn", "mvnw"],
        opts: &[
            ("-q", F),
            ("--quiet", F),
            ("-e", F),
            ("-X", F),
            ("-B", F),
            ("--batch-mode", F),
            ("-U", F),
            ("-o", F),
            ("--offline", F),
            ("-N", F),
            ("-am", F),
            ("--also-make", F),
            ("-amd", F),
            ("-ntp", F),
            ("--no-transfer-progress", F),
            ("-V", F),
            ("-v", F),
            ("--version", F),
            ("-fae", F),
            ("-ff", F),
            ("-fn", F),
            ("-T", V),
            ("-pl", V),
            ("--projects", V),
            ("-P", V),
            ("-D", Keys(MVN_KEYS)),
            ("-D*", Keys(MVN_KEYS)),
            ("-f", Code),
            ("--file", Code),
        ],
        operands: Keys(&[
            "clean",
            "validate",
            "initialize",
            "generate-sources",
            "process-resources",
            "compile",
            "test-compile",
            "test",
            "package",
            "integration-test",
            "verify",
            "install",
            "site",
            "dependency:tree",
            "dependency:resolve",
            "dependency:go-offline",
            "help:effective-pom",
            "spotless:apply",
            "spotless:check",
            "checkstyle:check",
            "javadoc:javadoc",
            "jacoco:report",
        ]),
        ..T
    },
    Tool {
        names: &["ant"],
        style: Style::Single,
        // Not listed, so not modelled: `-lib`, `-main`, `-listener`,
        // `-logger`, `-inputhandler` load classes; `-propertyfile` sets
        // properties the command does not show; `-find`/`-s` looks for a
        // build file in the directories above; `-diagnostics` writes a
        // file in the temporary directory.
        opts: &[
            ("-q", F),
            ("-quiet", F),
            ("-v", F),
            ("-verbose", F),
            ("-d", F),
            ("-debug", F),
            ("-S", F),
            ("-silent", F),
            ("-e", F),
            ("-emacs", F),
            ("-k", F),
            ("-keep-going", F),
            ("-noinput", F),
            ("-nouserlib", F),
            ("-noclasspath", F),
            ("-h", F),
            ("-help", F),
            ("-p", F),
            ("-projecthelp", F),
            ("-version", F),
            ("-nice", V),
            ("-D*", AntProp),
            ("-l", W),
            ("-logfile", W),
            ("-f", Code),
            ("-file", Code),
            ("-buildfile", Code),
        ],
        ..T
    },
    Tool {
        names: &["cmake"],
        style: Style::Single,
        opts: &[
            ("-S", Code),
            ("-B", W),
            ("-G", V),
            ("-D", Keys(CMAKE_KEYS)),
            ("-D*", Keys(CMAKE_KEYS)),
            ("--build", W),
            ("--target", V),
            ("-j", V),
            ("--parallel", V),
            ("--config", V),
            ("--fresh", F),
            ("-Wdev", F),
            ("-Wno-dev", F),
            ("--version", F),
            ("--preset", V),
        ],
        operands: Code,
        ..T
    },
    Tool {
        names: &["rake"],
        opts: &[
            ("-T", F),
            ("--tasks", F),
            ("-t", F),
            ("--trace", F),
            ("-q", F),
            ("-s", F),
            ("-v", F),
            ("-n", F),
            ("--dry-run", F),
            ("-P", F),
            ("-j", V),
            ("-f", Code),
            ("--rakefile", Code),
        ],
        ..T
    },
    Tool {
        names: &["pylint"],
        opts: &[
            ("-E", F),
            ("--errors-only", F),
            ("--recursive", V),
            ("--disable", V),
            ("-d", V),
            ("--enable", V),
            ("-e", V),
            ("-j", V),
            ("--jobs", V),
            ("-f", Name),
            ("--output-format", Name),
            ("--score", V),
            ("--fail-under", V),
            ("--max-line-length", V),
            ("--rcfile", Code),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["gem"],
        subs: &[
            "list",
            "search",
            "info",
            "env",
            "which",
            "contents",
            "build",
            "help",
            "outdated",
            "dependency",
            "spec",
            "--version",
            "-v",
        ],
        operands: Code,
        ..T
    },
];

/// Plain readers whose options can run a program (`sdiff --diff-program`,
/// `cloc --extract-with`), load code (`nm --plugin`) or write a file
/// (`cloc --report-file`): only the listed options are modelled.
static READERS: &[Tool] = &[
    Tool {
        names: &["sdiff"],
        opts: &[
            ("-s", F),
            ("--suppress-common-lines", F),
            ("-l", F),
            ("--left-column", F),
            ("-i", F),
            ("-b", F),
            ("-W", F),
            ("-E", F),
            ("-Z", F),
            ("-B", F),
            ("-t", F),
            ("-a", F),
            ("-d", F),
            ("-H", F),
            ("-w", V),
            ("--width", V),
            ("-o", W),
            ("--output", W),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["diff3"],
        opts: &[
            ("-e", F),
            ("-E", F),
            ("-x", F),
            ("-X", F),
            ("-3", F),
            ("-m", F),
            ("--merge", F),
            ("-i", F),
            ("-a", F),
            ("--text", F),
            ("-A", F),
            ("-T", F),
            ("-L", V),
            ("--label", V),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["colordiff"],
        opts: &[
            ("-u", F),
            ("-c", F),
            ("-q", F),
            ("-r", F),
            ("-N", F),
            ("-w", F),
            ("-b", F),
            ("-B", F),
            ("-i", F),
            ("-y", F),
            ("-U", V),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["cloc"],
        opts: &[
            ("--by-file", F),
            ("--quiet", F),
            ("--json", F),
            ("--yaml", F),
            ("--csv", F),
            ("--md", F),
            ("--exclude-dir", V),
            ("--include-lang", V),
            ("--exclude-lang", V),
            ("--include-ext", V),
            ("--exclude-ext", V),
            ("--report-file", W),
            ("--out", W),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["nm"],
        opts: &[
            ("-a", F),
            ("-A", F),
            ("-C", F),
            ("-D", F),
            ("-g", F),
            ("-u", F),
            ("-n", F),
            ("-p", F),
            ("-r", F),
            ("-S", F),
            ("-l", F),
            ("-P", F),
            ("--defined-only", F),
            ("--undefined-only", F),
            ("--demangle", F),
            ("--dynamic", F),
            ("--extern-only", F),
            ("--size-sort", F),
            ("--numeric-sort", F),
            ("-t", Name),
            ("--format", Name),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["objdump"],
        // Not `-S`/`--source`: it prints lines of the source files the
        // object's debug information names, any path.
        opts: &[
            ("-d", F),
            ("-D", F),
            ("-t", F),
            ("-T", F),
            ("-x", F),
            ("-h", F),
            ("-f", F),
            ("-p", F),
            ("-r", F),
            ("-R", F),
            ("-s", F),
            ("-C", F),
            ("-l", F),
            ("-g", F),
            ("-w", F),
            ("--disassemble", F),
            ("--syms", F),
            ("--dynamic-syms", F),
            ("--section-headers", F),
            ("--all-headers", F),
            ("--demangle", F),
            ("-M", V),
            ("-j", V),
            ("--section", V),
            ("--start-address", V),
            ("--stop-address", V),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["readelf"],
        opts: &[
            ("-a", F),
            ("-h", F),
            ("-l", F),
            ("-S", F),
            ("-s", F),
            ("-d", F),
            ("-r", F),
            ("-n", F),
            ("-e", F),
            ("-W", F),
            ("-V", F),
            ("-A", F),
            ("-I", F),
            ("-u", F),
            ("--all", F),
            ("--wide", F),
            ("--dyn-syms", F),
            ("--symbols", F),
            ("--sections", F),
            ("--headers", F),
            ("--dynamic", F),
            ("--notes", F),
            ("-x", V),
            ("-p", V),
            ("--hex-dump", V),
            ("--string-dump", V),
        ],
        operands: R,
        ..T
    },
    Tool {
        names: &["script"],
        opts: &[
            ("-a", F),
            ("--append", F),
            ("-e", F),
            ("--return", F),
            ("-f", F),
            ("--flush", F),
            ("--force", F),
            ("-q", F),
            ("--quiet", F),
            ("-c", V),
            ("--command", V),
            ("-E", Name),
            ("--echo", Name),
            ("-m", Name),
            ("--logging-format", Name),
            ("-t", F),
            ("-t*", W),
            ("--timing", F),
            ("-B", W),
            ("--log-io", W),
            ("-I", W),
            ("--log-in", W),
            ("-O", W),
            ("--log-out", W),
            ("-T", W),
            ("--log-timing", W),
        ],
        // The typescript.
        operands: W,
        ..T
    },
    Tool {
        names: &["sshpass"],
        opts: &[
            ("-f", R),
            ("-d", V),
            ("-p", V),
            ("-e", F),
            ("-P", V),
            ("-v", F),
        ],
        // The command run (judged as the wrapped command).
        operands: V,
        script: true,
        ..T
    },
    Tool {
        names: &["proxychains", "proxychains4"],
        // `-f FILE`: the configuration it reads.
        opts: &[("-f", R), ("-q", F)],
        // The command run (judged as the wrapped command).
        operands: V,
        script: true,
        ..T
    },
    Tool {
        names: &["size"],
        opts: &[
            ("-A", F),
            ("-B", F),
            ("-G", F),
            ("-d", F),
            ("-o", F),
            ("-x", F),
            ("-t", F),
            ("--totals", F),
            ("--format", Name),
        ],
        operands: R,
        ..T
    },
];

fn tool_of(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|t| t.names.contains(&name))
}

/// Modules `python -m` runs that have a model.
const MODULES: &[&str] = &[
    "pytest",
    "pip",
    "venv",
    "json.tool",
    "http.server",
    "unittest",
    "black",
    "pylint",
];

impl Analyzer<'_> {
    /// A build or test tool: its options by its table, or, for a tool
    /// without one, every word that names a path outside the working tree,
    /// a response file or a URL.
    pub(crate) fn check_project_tool(&mut self, argv: &[Arg], base: &str) {
        let canon = super::programs::canonical(base);
        let canon = match canon.as_str() {
            "python3" | "python2" => "python".to_string(),
            "pip3" => "pip".to_string(),
            c => c.to_string(),
        };
        self.check_pm_subcommand(argv, &canon);
        if canon == "bun" {
            self.check_bun_local_packages(argv);
        }
        if canon == "javac" {
            self.check_javac_processors(argv);
        }
        if canon == "kotlinc" {
            self.check_kotlinc(argv);
        }
        match canon.as_str() {
            "go" => self.check_go_outputs(argv),
            // Key letters in any order, values in the letters' order.
            "jar" => return self.check_jar(argv),
            "ar" => return self.check_ar(argv),
            c => self.check_compile_outputs(argv, c),
        }
        match tool_of(&canon).or_else(|| tool_of(base)) {
            Some(tool) => self.tool_args(argv, base, tool),
            None => self.untabled_args(argv, base),
        }
        // After the command line's own indexes, the configured ones.
        if canon == "pip" {
            self.check_pip_config(argv, base);
        }
    }

    /// A plain reader with a table: its options by the table; false when
    /// it has none.
    pub(crate) fn check_reader_options(&mut self, argv: &[Arg], base: &str) -> bool {
        let canon = super::programs::canonical(base);
        // (`diff3` is not `diff` in version 3.)
        let Some(tool) = READERS
            .iter()
            .find(|t| t.names.contains(&base) || t.names.contains(&canon.as_str()))
        else {
            return false;
        };
        self.tool_args(argv, base, tool);
        true
    }

    fn tool_args(&mut self, argv: &[Arg], base: &str, tool: &Tool) {
        let mut i = 1;
        let mut sub_seen = tool.subs.is_empty();
        let mut sub: Option<&str> = None;
        while i < argv.len() {
            let a = &argv[i];
            i += 1;
            let Some(v) = a.lit() else {
                if !a.text.starts_with('-') && !a.text.starts_with("\"-") && sub_seen {
                    self.operand(a, tool.operands, argv, base);
                    continue;
                }
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "{base}: the word {} is computed at run time and could be an option",
                        a.shown()
                    ),
                    a.span,
                    argv,
                );
                return;
            };
            if v == "--" {
                // After `cargo SUB --` the words are another program's:
                // the test harness's, rustfmt's, clippy-driver's.
                if tool.names.contains(&"cargo") {
                    if let Some(s) = sub {
                        self.cargo_passthrough(s, &argv[i..], argv);
                    }
                    return;
                }
                // `dotnet run -- ARGS`: the project's program's arguments.
                if tool.names.contains(&"dotnet") {
                    let via = format!("{base} {} --", sub.unwrap_or_default());
                    self.check_forwarded_args(&argv[i..], argv, &via);
                    return;
                }
                // After `--` every word is an operand.
                if !matches!(tool.operands, V) && sub_seen {
                    for a in &argv[i..] {
                        self.operand(a, tool.operands, argv, base);
                        if tool.script {
                            break;
                        }
                    }
                }
                return;
            }
            if tool.names.contains(&"dotnet") && sub_seen && !v.starts_with('@') {
                let exact = tool.opts.iter().any(|(o, _)| {
                    *o == v
                        || (o.starts_with("--") && v.split_once('=').is_some_and(|(n, _)| n == *o))
                });
                match self.dotnet_word(argv, &mut i, a, v, sub, exact) {
                    Some(true) => continue,
                    Some(false) => return,
                    None => {}
                }
            }
            if v.starts_with('@') {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{base} {}: a response file adds arguments that are not analysed",
                        super::normalize::clip(v)
                    ),
                    a.span,
                    argv,
                );
                return;
            }
            if !v.starts_with('-') || v == "-" {
                // A toolchain (`cargo +nightly build`). rustup takes a
                // toolchain given as a path and runs `PATH/bin/cargo`: only
                // a plain name is modelled.
                if let Some(tc) = v.strip_prefix('+').filter(|_| !sub_seen) {
                    if !plain_toolchain(tc) {
                        self.unmodelled(
                            DecisionCode::UnmodelledProgram,
                            format!(
                                "{base} {}: a toolchain given as a path makes rustup run the program {}/bin/{base}, which is not analysed",
                                super::normalize::clip(v),
                                super::normalize::clip(tc)
                            ),
                            a.span,
                            argv,
                        );
                        return;
                    }
                    continue;
                }
                if !sub_seen {
                    if !tool.subs.contains(&v) {
                        self.unmodelled(
                            DecisionCode::UnmodelledProgram,
                            format!("{base} {}: only the subcommands known to work inside the project are modelled", super::normalize::clip(v)),
                            a.span,
                            argv,
                        );
                        return;
                    }
                    sub_seen = true;
                    sub = Some(v);
                    continue;
                }
                self.operand(a, tool.operands, argv, base);
                if tool.script {
                    return;
                }
                continue;
            }
            match self.option(argv, &mut i, a, v, base, tool) {
                // `java -jar FILE`: the words after it are the program's.
                Some(true) if tool.script && v == "-jar" => return,
                Some(true) => continue,
                Some(false) => return,
                None => {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "{base} {}: only options known to be inert, or whose files are judged, are modelled; this one may run a program, load code or write elsewhere",
                            super::normalize::clip(v)
                        ),
                        a.span,
                        argv,
                    );
                    return;
                }
            }
        }
    }

    /// One option word: `Some(true)` read, `Some(false)` the analysis of
    /// the command ends here (a finding was made or a module took over),
    /// `None` not in the table.
    fn option(
        &mut self,
        argv: &[Arg],
        i: &mut usize,
        a: &Arg,
        v: &str,
        base: &str,
        tool: &Tool,
    ) -> Option<bool> {
        let long = v.starts_with("--") || tool.style == Style::Single;
        let (name, inline) = match v.split_once('=') {
            Some((n, val)) if long && tool.opts.iter().any(|(o, _)| *o == n) => (n, Some(val)),
            _ => (v, None),
        };
        if let Some((_, k)) = tool.opts.iter().find(|(o, _)| *o == name) {
            return Some(self.option_value(argv, i, a, *k, inline, base, name));
        }
        // Prefix entries: the rest of the word is the value.
        for (o, k) in tool.opts.iter() {
            if let Some(p) = o.strip_suffix('*') {
                if let Some(rest) = v.strip_prefix(p) {
                    return Some(self.option_value(argv, i, a, *k, Some(rest), base, p));
                }
            }
        }
        if tool.style == Style::Single || v.starts_with("--") {
            return None;
        }
        // A cluster of short options (`-qc`, `-ofile`).
        for (n, c) in v[1..].char_indices() {
            let short = format!("-{c}");
            let (_, k) = tool.opts.iter().find(|(o, _)| *o == short)?;
            if matches!(k, F) {
                continue;
            }
            let rest = &v[1 + n + c.len_utf8()..];
            let inline = (!rest.is_empty()).then_some(rest);
            return Some(self.option_value(argv, i, a, *k, inline, base, &short));
        }
        Some(true)
    }

    #[allow(clippy::too_many_arguments)]
    fn option_value(
        &mut self,
        argv: &[Arg],
        i: &mut usize,
        a: &Arg,
        k: K,
        inline: Option<&str>,
        base: &str,
        name: &str,
    ) -> bool {
        if matches!(k, F) {
            if inline.is_some_and(|x| !x.is_empty()) {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{base} {name}: a value given to a flag is not modelled"),
                    a.span,
                    argv,
                );
                return false;
            }
            return true;
        }
        if matches!(k, AntProp) {
            return self.ant_property(argv, i, a, inline.unwrap_or_default());
        }
        let Some(value) = Arg::option_value(inline, a.span, argv, i) else {
            return true;
        };
        if matches!(k, Module) {
            let Some(m) = value.lit().filter(|m| MODULES.contains(m)) else {
                self.unmodelled(
                    DecisionCode::UnmodelledProgram,
                    format!("{base} -m {}: only the modules with a model are allowed; this one may read, write or run anything", value.shown()),
                    value.span,
                    argv,
                );
                return false;
            };
            // `venv --clear DIR` empties DIR first, whatever it holds
            // (`.` is the workspace with its `.git`): a delete of a whole
            // tree the model does not judge.
            if m == "venv" {
                if let Some(c) = argv[*i..].iter().find(|a| {
                    a.lit()
                        .is_some_and(|v| v.len() > 2 && "--clear".starts_with(v))
                }) {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!("{base} -m venv --clear: deletes everything in the target directory first, which is not analysed"),
                        c.span,
                        argv,
                    );
                    return false;
                }
            }
            let mut rest = vec![Arg::literal(m, value.span)];
            rest.extend(argv[*i..].iter().cloned());
            match tool_of(m) {
                Some(t) => self.tool_args(&rest, m, t),
                None => self.untabled_args(&rest, m),
            }
            if m == "pip" {
                self.check_pip_config(&rest, &format!("{base} -m pip"));
            }
            return false;
        }
        let via = format!("{base} {name}");
        self.operand(&value, k, argv, &via)
    }

    /// A file of code a tool runs, judged as [`K::Code`]; false when it
    /// asked.
    pub(crate) fn judge_code(&mut self, a: &Arg, argv: &[Arg], via: &str) -> bool {
        self.operand(a, Code, argv, via)
    }

    /// Judge one value or operand by its kind; false when it asked.
    fn operand(&mut self, a: &Arg, k: K, argv: &[Arg], via: &str) -> bool {
        let text = a.lit();
        match k {
            F | V | Module | AntProp => true,
            Jar => {
                if !self.operand(a, Code, argv, via) {
                    return false;
                }
                let home = a.home || text.is_some_and(|t| t == "~" || t.starts_with("~/"));
                let Some(host) = text
                    .and_then(|t| self.resolve(t, home))
                    .and_then(|p| self.fs.host_path_of(&p))
                else {
                    return true;
                };
                self.check_manifest_class_path(&host, argv, via, &mut Vec::new())
            }
            ClassPath => self.check_java_class_path(a, argv, via),
            EqFile(writes) => {
                let Some(file) = text.and_then(|t| t.split_once('=')).map(|(_, f)| f) else {
                    return true;
                };
                let mut f = Arg::literal(file, a.span);
                f.home = file == "~" || file.starts_with("~/");
                self.check_file(&f, if writes { Write } else { Read }, argv, via);
                true
            }
            FOpt => {
                let Some((name, value)) = text.and_then(|t| t.split_once('=')) else {
                    return true;
                };
                let path_like =
                    value.contains('/') || value.starts_with('.') || value.starts_with('~');
                // `|PROGRAM ARGS`, `!CMD`: a command line, not a setting.
                let command_like = value.starts_with(['|', '!'])
                    || value.contains(|c: char| c.is_whitespace() || c == '|');
                if !(path_like || command_like) || F_PATH_INERT.contains(&name) {
                    return true;
                }
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "{via}{}: an option naming a path the analysis does not know to be inert (it may read or write that file)",
                        a.shown()
                    ),
                    a.span,
                    argv,
                );
                false
            }
            Starts => {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "{via}{}: the value names a program the compiler starts, or a socket or address it talks to; what that does is not modelled",
                        a.shown()
                    ),
                    a.span,
                    argv,
                );
                false
            }
            Warn => {
                if text.is_some_and(|t| !super::computed_names::warning_filter_imports(t)) {
                    return true;
                }
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "{via} {}: a warning category outside the builtins makes Python import its module, from the import path (the current directory included)",
                        a.shown()
                    ),
                    a.span,
                    argv,
                );
                false
            }
            Prop => {
                let name = text.map(|t| t.split_once('=').map_or(t, |(n, _)| n));
                let jdk = |n: &str| {
                    JDK_PROPERTY_PREFIXES.iter().any(|p| n.starts_with(p))
                        && !JDK_PROPERTY_INERT.contains(&n)
                };
                if name.is_some_and(|n| !jdk(n)) {
                    return true;
                }
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "{via}{}: a system property the JDK itself reads may make the JVM write files, read them or load code; only those known to be inert are modelled",
                        a.shown()
                    ),
                    a.span,
                    argv,
                );
                false
            }
            XxFlag => {
                if text.is_some_and(|t| XX_FLAGS_INERT.contains(&t)) {
                    return true;
                }
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "{via}{}: a HotSpot option not known to be inert (it may write a dump, a log or a recording, or load code)",
                        a.shown()
                    ),
                    a.span,
                    argv,
                );
                false
            }
            Name => {
                if text.is_some_and(|t| !t.contains(['/', '=', ':', '~'])) {
                    return true;
                }
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{via} {}: only a plain name is modelled here", a.shown()),
                    a.span,
                    argv,
                );
                false
            }
            R => {
                self.check_file(a, Read, argv, via);
                true
            }
            Req => self.check_requirement_file(a, argv, via),
            Index => self.check_package_index(a, argv, via),
            Tree => {
                use crate::guards::filesystem::FileOperation::Delete;
                self.check_file(a, Delete, argv, via);
                let walk = super::trees::Walk {
                    git_dirs: true,
                    ..Default::default()
                };
                self.check_tree(a, Delete, &walk, argv, via);
                self.check_file(a, Write, argv, via);
                true
            }
            W => {
                self.check_file(a, Write, argv, via);
                true
            }
            Code | Spec => {
                let plain_name = matches!(k, Spec)
                    && text.is_some_and(|t| {
                        !t.contains(['/', '~', ':']) && !t.starts_with('.') && !t.starts_with('-')
                    });
                if plain_name {
                    return true;
                }
                if text.is_none_or(|t| t.contains(':')) {
                    // A package fetched from the network: where from is
                    // judged by the network policy first.
                    if matches!(k, Spec) {
                        self.check_spec_destination(a, argv, via);
                    }
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!("{via} {}: code named by a URL, or computed at run time, is not analysed", a.shown()),
                        a.span,
                        argv,
                    );
                    return false;
                }
                // Code the tool runs: allowed where the agent could write
                // it anyway, and not when the command itself just wrote it
                // (`printf … > p.ini; pytest -c p.ini`, `-modfile=`).
                let written = self.was_written(a).is_some();
                let from = self.written.len();
                self.check_file(a, Write, argv, via);
                // Judged as a write, not written: not a later write for a
                // loop's next round.
                self.unseeded_writes.extend(from..self.written.len());
                if written {
                    self.unmodelled(
                        DecisionCode::UnmodelledOperand,
                        format!("{via} {}: the tool runs or loads this file, which was written earlier in the same command: its content is not analysed", a.shown()),
                        a.span,
                        argv,
                    );
                    return false;
                }
                true
            }
            Keys(keys) => {
                let key = text.map(|t| t.split('=').next().unwrap_or(t));
                if key.is_some_and(|k| keys.contains(&k)) {
                    return true;
                }
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!(
                        "{via} {}: only the settings known to be inert are modelled",
                        a.shown()
                    ),
                    a.span,
                    argv,
                );
                false
            }
        }
    }

    /// Ant's `-DNAME=VALUE`, or `-DNAME VALUE` (Ant takes the next word
    /// when the option has no `=`). False when it asked.
    fn ant_property(&mut self, argv: &[Arg], i: &mut usize, a: &Arg, rest: &str) -> bool {
        let (name, value) = match rest.split_once('=') {
            Some((n, v)) => (n, Some(Arg::literal(v, a.span))),
            None => (rest, Arg::option_value(None, a.span, argv, i)),
        };
        let ask = |s: &mut Self, why: &str| {
            s.unmodelled(
                DecisionCode::UnmodelledOption,
                format!("ant -D{}: {why}", super::normalize::clip(name)),
                a.span,
                argv,
            );
            false
        };
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !plain || ant_reads_property(name) {
            return ask(
                self,
                "a property Ant or the JDK reads itself may change where the build writes or which classes it loads; only the build file's own properties are modelled",
            );
        }
        let Some(value) = value else { return true };
        let Some(text) = value.lit() else {
            return ask(self, "the value is computed at run time");
        };
        if text.contains('$') {
            return ask(
                self,
                "a value with `$` may be expanded by Ant (`${user.home}`)",
            );
        }
        // The build file decides what a property is for: a value naming a
        // path may be where it writes (each part of a path list).
        for part in text.split([':', ';']) {
            if part.contains('/') || part.starts_with(['.', '~']) {
                let mut t = Arg::literal(part, value.span);
                t.home = part == "~" || part.starts_with("~/");
                self.check_file(&t, Write, argv, &format!("ant -D{name}"));
            }
        }
        true
    }

    /// A package index or link page a package manager installs from
    /// (`pip -i URL`, `--find-links DIR`, `npm --registry URL`): on the
    /// network it serves packages like the default index; a local one is
    /// a directory the tool reads and whose packages it builds and runs
    /// (their setup scripts), judged as code named by a path. False when
    /// it asked.
    pub(crate) fn check_package_index(&mut self, a: &Arg, argv: &[Arg], via: &str) -> bool {
        let ask = |s: &mut Self, why: String| {
            s.unmodelled(
                DecisionCode::UnmodelledOption,
                format!("{via} {}: {why}", a.shown()),
                a.span,
                argv,
            );
            false
        };
        let Some(v) = a.lit() else {
            return ask(
                self,
                "an index computed at run time may be any directory, whose packages are built and run".into(),
            );
        };
        let lower = v.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            self.check_destination(a, super::net_destinations::Plain::Scp, argv, via);
            return true;
        }
        let paths = match super::curl_urls::file_url_paths(v, false) {
            Ok(Some(p)) => p,
            Ok(None) if v.contains(':') => {
                return ask(
                    self,
                    "an index named by a URL the analysis does not model".into(),
                )
            }
            Ok(None) => vec![v.to_string()],
            Err(why) => return ask(self, format!("a file: URL that {why}")),
        };
        let mut ok = true;
        for p in paths {
            let mut t = Arg::literal(&p, a.span);
            t.home = p == "~" || p.starts_with("~/");
            // The directory is read (a blocked one is refused as such),
            // and what it serves is run like a local project.
            self.check_file(&t, Read, argv, via);
            ok &= self.operand(&t, Code, argv, via);
        }
        ok
    }

    /// A build tool without a table: a word naming a path outside the
    /// working tree (absolute, under `~`, with `..`) is judged as a write,
    /// any other word as a read (a blocked entry inside the working tree
    /// stays blocked), a response file or a URL asks.
    fn untabled_args(&mut self, argv: &[Arg], base: &str) {
        for a in argv.iter().skip(1) {
            let Some(v) = a.lit() else { continue };
            if v == "--" {
                return;
            }
            if !self.unknown_word(a, v, argv, base) {
                return;
            }
        }
    }

    /// One word given to a program whose options are not known: judged
    /// as `untabled_args` says; false when it asked.
    fn unknown_word(&mut self, a: &Arg, v: &str, argv: &[Arg], via: &str) -> bool {
        self.unknown_word_as(a, v, argv, via, false)
    }

    /// `unknown_word`; with `protected`, a word inside the working tree
    /// that names a file protected from writes (`.git/hooks/x`,
    /// `.git/config`) is judged as a write too: the program the word is
    /// handed to may write what it names.
    fn unknown_word_as(
        &mut self,
        a: &Arg,
        v: &str,
        argv: &[Arg],
        via: &str,
        protected: bool,
    ) -> bool {
        let value = if v.starts_with('-') {
            match v.split_once('=') {
                Some((_, x)) => x,
                // A short option's value attached (`-o/abs/file`): for a
                // word handed to an unknown program, judged as the value.
                None if protected && !v.starts_with("--") => match v.get(2..).unwrap_or("") {
                    x if x.starts_with(['/', '~']) || x.split('/').any(|c| c == "..") => x,
                    _ => return true,
                },
                None => return true,
            }
        } else {
            v
        };
        if value.starts_with('@') || value.contains("://") || value.starts_with("data:") {
            self.unmodelled(
                DecisionCode::UnmodelledOperand,
                format!(
                    "{via} {}: a response file or a URL is not analysed",
                    super::normalize::clip(v)
                ),
                a.span,
                argv,
            );
            return false;
        }
        let outside = value.starts_with('/')
            || value == "~"
            || value.starts_with("~/")
            || value.split('/').any(|c| c == "..");
        let mut t = Arg::literal(value, a.span);
        t.home = value == "~" || value.starts_with("~/");
        if outside {
            self.check_file(&t, Write, argv, via);
        } else if !value.is_empty() {
            // Inside the working tree the tool reads and writes by
            // design, but not what the policy blocks there.
            self.check_file(&t, Read, argv, via);
            let guarded = protected
                && self.resolve(value, t.home).is_some_and(|p| {
                    let req = crate::guards::filesystem::FileRequest::new(&p, Write);
                    self.fs_check(&req).code == DecisionCode::ProtectedPath
                });
            if guarded {
                self.check_file(&t, Write, argv, via);
            }
        }
        true
    }

    /// Words a tool hands to the project's own program or script (`npm
    /// test -- ARGS`, `cargo run -- ARGS`, `dotnet run -- ARGS`): the
    /// program is the project's, the words are the command's. What the
    /// program does with them is not known, so each is judged as a word
    /// of a program without a table: a path outside the working tree
    /// (also as the value of `--name=VALUE`, or the word after an
    /// option) as a write, any other as a read, a response file or a URL
    /// asks, and a word computed at run time asks.
    pub(crate) fn check_forwarded_args(&mut self, words: &[Arg], argv: &[Arg], via: &str) {
        for a in words {
            let Some(v) = a.lit() else {
                self.unmodelled(
                    DecisionCode::UnmodelledOperand,
                    format!(
                        "{via}: the argument {} handed to the project's program is computed at run time; a file it names is not known",
                        a.shown()
                    ),
                    a.span,
                    argv,
                );
                return;
            };
            if !self.unknown_word_as(a, v, argv, via, true) {
                return;
            }
        }
    }
}

/// What an option word after `cargo SUB --` takes.
#[derive(Clone, Copy)]
enum Pass {
    /// No value.
    Flag,
    /// An inert value (a number, a name, a lint), attached or the next word.
    Value,
    /// A file the program reads.
    Reads,
    /// A file the program writes.
    Writes,
}

/// The test harness's options (libtest, `cargo test`/`bench -- …`): only
/// `--logfile` names a file; the other words are test-name filters.
const LIBTEST: &[(&str, Pass)] = &[
    ("--include-ignored", Pass::Flag),
    ("--ignored", Pass::Flag),
    ("--force-run-in-process", Pass::Flag),
    ("--exclude-should-panic", Pass::Flag),
    ("--test", Pass::Flag),
    ("--bench", Pass::Flag),
    ("--list", Pass::Flag),
    ("--nocapture", Pass::Flag),
    ("--no-capture", Pass::Flag),
    ("--show-output", Pass::Flag),
    ("--exact", Pass::Flag),
    ("-q", Pass::Flag),
    ("--quiet", Pass::Flag),
    ("--report-time", Pass::Flag),
    ("--ensure-time", Pass::Flag),
    ("--shuffle", Pass::Flag),
    ("-h", Pass::Flag),
    ("--help", Pass::Flag),
    ("--test-threads", Pass::Value),
    ("--skip", Pass::Value),
    ("--color", Pass::Value),
    ("--format", Pass::Value),
    ("-Z", Pass::Value),
    ("--shuffle-seed", Pass::Value),
    ("--logfile", Pass::Writes),
];

/// rustfmt's options known to be inert or to name a file it reads (`cargo
/// fmt -- …`); its operands are files it reads and rewrites.
/// (`--print-config … PATH`, `--config`, `--emit`, `--backup` are not
/// modelled.)
const RUSTFMT: &[(&str, Pass)] = &[
    ("--check", Pass::Flag),
    ("-l", Pass::Flag),
    ("--files-with-diff", Pass::Flag),
    ("-v", Pass::Flag),
    ("--verbose", Pass::Flag),
    ("-q", Pass::Flag),
    ("--quiet", Pass::Flag),
    ("-h", Pass::Flag),
    ("--help", Pass::Flag),
    ("-V", Pass::Flag),
    ("--version", Pass::Flag),
    ("--edition", Pass::Value),
    ("--color", Pass::Value),
    ("--config-path", Pass::Reads),
];

/// clippy-driver's (rustc's) lint levels (`cargo clippy -- -D warnings`);
/// any other word is a rustc option or input file, not modelled.
const CLIPPY: &[(&str, Pass)] = &[
    ("-D", Pass::Value),
    ("-W", Pass::Value),
    ("-A", Pass::Value),
    ("-F", Pass::Value),
    ("--deny", Pass::Value),
    ("--warn", Pass::Value),
    ("--allow", Pass::Value),
    ("--forbid", Pass::Value),
    ("--force-warn", Pass::Value),
    ("--cap-lints", Pass::Value),
];

impl Analyzer<'_> {
    /// The words after `cargo SUB --`: cargo hands them to the test
    /// harness (`test`, `bench`), to rustfmt (`fmt`) or to clippy-driver
    /// (`clippy`), whose options read and write files (`--logfile`,
    /// `--config-path`, `--print-config`, `@FILE`, rustfmt's operands).
    /// Each word is judged by that program's table; any other option asks.
    /// `cargo run --` gives them to the project's own program: judged by
    /// `check_forwarded_args`. The other subcommands refuse them.
    fn cargo_passthrough(&mut self, sub: &str, words: &[Arg], argv: &[Arg]) {
        let (table, program): (&[(&str, Pass)], &str) = match sub {
            "test" | "t" | "bench" => (LIBTEST, "the test harness"),
            "fmt" => (RUSTFMT, "rustfmt"),
            "clippy" => (CLIPPY, "clippy-driver"),
            "run" | "r" => {
                return self.check_forwarded_args(words, argv, &format!("cargo {sub} --"));
            }
            _ => return,
        };
        let via = format!("cargo {sub} --");
        let mut k = 0;
        let mut options_end = false;
        while k < words.len() {
            let a = &words[k];
            k += 1;
            let Some(v) = a.lit() else {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{via}: the word {} is computed at run time and could be an option of {program}", a.shown()),
                    a.span,
                    argv,
                );
                return;
            };
            if !options_end && v == "--" {
                options_end = true;
                continue;
            }
            if options_end || !v.starts_with('-') || v == "-" {
                match sub {
                    // A test-name filter.
                    "test" | "t" | "bench" => {}
                    // A file rustfmt reads and rewrites in place.
                    "fmt" => {
                        self.check_file(a, Read, argv, &via);
                        self.check_file(a, Write, argv, &via);
                    }
                    _ => {
                        self.unmodelled(
                            DecisionCode::UnmodelledOperand,
                            format!("{via} {}: an input file or response file of {program}, not modelled", super::normalize::clip(v)),
                            a.span,
                            argv,
                        );
                        return;
                    }
                }
                continue;
            }
            // `--name=VALUE`, `-XVALUE` (a one-letter option's value
            // attached), or the name alone.
            let found = table.iter().find_map(|(name, pass)| {
                if v == *name {
                    Some((*pass, None))
                } else if name.starts_with("--") {
                    v.strip_prefix(name)
                        .and_then(|r| r.strip_prefix('='))
                        .map(|r| (*pass, Some(r)))
                } else {
                    v.strip_prefix(name)
                        .filter(|_| name.len() == 2)
                        .map(|r| (*pass, Some(r)))
                }
            });
            let Some((pass, inline)) = found else {
                self.unmodelled(
                    DecisionCode::UnmodelledOption,
                    format!("{via} {}: only the options of {program} known to be inert, or whose files are judged, are modelled", super::normalize::clip(v)),
                    a.span,
                    argv,
                );
                return;
            };
            if matches!(pass, Pass::Flag) {
                if inline.is_some() {
                    self.unmodelled(
                        DecisionCode::UnmodelledOption,
                        format!(
                            "{via} {}: a value given to a flag of {program} is not modelled",
                            super::normalize::clip(v)
                        ),
                        a.span,
                        argv,
                    );
                    return;
                }
                continue;
            }
            let Some(value) = Arg::option_value(inline, a.span, words, &mut k) else {
                return;
            };
            match pass {
                Pass::Reads => self.check_file(&value, Read, argv, &via),
                Pass::Writes => self.check_file(&value, Write, argv, &via),
                _ => {}
            }
        }
    }
}
