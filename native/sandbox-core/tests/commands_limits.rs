//! The limits of the command analysis: 64 KiB inputs and 8-deep `$(…)`
//! nesting are decided within the limits, deeper or larger input fails
//! closed, and the work (texts parsed, bytes parsed) stays linear in the
//! input: nested texts are parsed once per level, never re-parsed in a loop.
//! Asserted on the work counters of the analysis, not on time.

use std::path::Path;

use sandbox_core::guards::command::limits::{MAX_DEPTH, MAX_INPUT_BYTES, MAX_SIMPLE_COMMANDS};
use sandbox_core::guards::command::CommandAnalysis;
use sandbox_core::Engine;

fn engine() -> Engine {
    let policy = r#"{"version":"1.0","name":"limits",
      "filesystem":{"mode":"workspace","allowed_paths":["./"],"blocked_paths":["~/.ssh"],"allow_symlinks":true,"allow_hidden_files":true},
      "network":{"enabled":false,"allow_localhost":false,"allow_https":false,"allow_http":false},
      "commands":{"mode":"whitelist","allowed_commands":["echo","true","cat"],"allow_sudo":false},"limits":{}}"#;
    // Any existing directory: these inputs name no files. The home need not
    // exist, but must be absolute in the platform's spelling.
    let home = Path::new(if cfg!(windows) {
        r"C:\home\u"
    } else {
        "/home/u"
    });
    Engine::from_json(policy, &std::env::temp_dir(), home).unwrap()
}

fn nested(depth: usize) -> String {
    format!("{}echo x{}", "echo $(".repeat(depth), ")".repeat(depth))
}

/// The same, each substitution quoted: bash does not pathname-expand its
/// output, so the whole is allowed.
fn nested_quoted(depth: usize) -> String {
    format!("{}echo x{}", "echo \"$(".repeat(depth), ")\"".repeat(depth))
}

fn analyze(cmd: &str) -> CommandAnalysis {
    engine().analyze_command(cmd)
}

#[test]
fn a_64_kib_input_is_decided_in_one_parse() {
    let cmd = format!("echo {}", "A".repeat(MAX_INPUT_BYTES - 5));
    assert_eq!(cmd.len(), MAX_INPUT_BYTES);
    let a = analyze(&cmd);
    assert_eq!(a.verdict, "allow", "{}", a.reason);
    assert_eq!(a.stats.parses, 1);
    assert!(a.stats.parsed_bytes <= 2 * cmd.len() + 64, "{:?}", a.stats);
}

#[test]
fn one_byte_more_is_refused_before_parsing() {
    let cmd = format!("echo {}", "A".repeat(MAX_INPUT_BYTES - 4));
    let a = analyze(&cmd);
    assert_eq!(a.verdict, "deny");
    assert_eq!(a.code, "COMMAND_TOO_COMPLEX");
    assert_eq!(a.stats.parses, 0);
    assert_eq!(a.stats.parsed_bytes, 0);
}

#[test]
fn eight_deep_substitutions_are_analysed_once_per_level() {
    let cmd = nested_quoted(MAX_DEPTH);
    let a = analyze(&cmd);
    assert_eq!(a.verdict, "allow", "{}", a.reason);
    assert_eq!(a.stats.max_depth, MAX_DEPTH);
    assert_eq!(a.commands.len(), MAX_DEPTH + 1);
    // The input and each nested text once.
    assert_eq!(a.stats.parses, MAX_DEPTH + 1);
    // Each level reads its own text as a program and as words: at most
    // twice the input per level.
    assert!(
        a.stats.parsed_bytes <= 2 * (MAX_DEPTH + 1) * cmd.len(),
        "{:?}",
        a.stats
    );
}

#[test]
fn nine_deep_substitutions_fail_closed() {
    let a = analyze(&nested(MAX_DEPTH + 1));
    assert_eq!(a.verdict, "deny");
    assert_eq!(a.code, "COMMAND_TOO_COMPLEX");
}

#[test]
fn deep_nesting_costs_no_more_than_the_limit() {
    // Work stops at the depth limit: 300 levels cost what 9 cost, plus
    // one parse of the whole text.
    for depth in [20, 100, 300] {
        let cmd = nested(depth);
        let a = analyze(&cmd);
        assert_eq!(a.verdict, "deny", "depth {depth}");
        assert!(
            a.stats.parses <= MAX_DEPTH + 2,
            "depth {depth}: {:?}",
            a.stats
        );
        assert!(
            a.stats.parsed_bytes <= 2 * (MAX_DEPTH + 2) * cmd.len(),
            "depth {depth}: {:?}",
            a.stats
        );
    }
}

#[test]
fn work_grows_linearly_with_the_input() {
    // A flat script parsed once: bytes parsed per input byte stay constant.
    let mut ratios = Vec::new();
    for n in [10, 100, 900] {
        let cmd = "cat README.md; ".repeat(n);
        let a = analyze(&cmd);
        assert_eq!(a.verdict, "allow", "{}", a.reason);
        assert_eq!(a.stats.parses, 1);
        assert_eq!(a.stats.simple_commands, n);
        ratios.push(a.stats.parsed_bytes as f64 / cmd.len() as f64);
    }
    assert!(ratios.iter().all(|r| *r <= 2.0), "{ratios:?}");
}

#[test]
fn too_many_commands_or_nodes_fail_closed() {
    let cmd = "true && ".repeat(MAX_SIMPLE_COMMANDS) + "true";
    let a = analyze(&cmd);
    assert_eq!((a.verdict, a.code), ("deny", "COMMAND_TOO_COMPLEX"));
    assert!(a.stats.simple_commands <= MAX_SIMPLE_COMMANDS + 1);

    let words = format!("echo {}", "x ".repeat(20_000));
    let a = analyze(&words);
    assert_eq!((a.verdict, a.code), ("deny", "COMMAND_TOO_COMPLEX"));
    assert!(a.stats.parses <= 1);
}

#[test]
fn too_many_openers_are_refused_before_parsing() {
    let cmd = "(".repeat(20_000);
    let a = analyze(&cmd);
    assert_eq!((a.verdict, a.code), ("deny", "COMMAND_TOO_COMPLEX"));
    assert_eq!(a.stats.parses, 0);
}

#[test]
fn deep_input_does_not_overflow_a_small_stack() {
    // The parser recurses once per nesting level; the analysis moves to a
    // stack of its own when the caller's is too small (JVM threads can
    // have small stacks, and an overflow would abort the process).
    let inputs = [
        "if true; then ".repeat(200) + "echo" + &"; fi".repeat(200),
        "f() { ".repeat(200) + "echo" + &"; }".repeat(200),
        nested(250),
        "{ ".repeat(240) + "echo;" + &" }".repeat(240),
    ];
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            inputs
                .iter()
                .map(|i| analyze(i).verdict)
                .collect::<Vec<_>>()
        })
        .unwrap();
    let verdicts = handle.join().expect("no stack overflow");
    assert!(verdicts.iter().all(|v| *v == "deny"), "{verdicts:?}");
}

#[test]
fn nesting_that_would_make_the_parser_backtrack_is_refused_unparsed() {
    for cmd in [
        "(".repeat(40),
        "case x in x) ".repeat(40),
        "( ')' ".repeat(40),
    ] {
        let a = analyze(&cmd);
        assert_eq!(
            (a.verdict, a.code),
            ("deny", "COMMAND_TOO_COMPLEX"),
            "{cmd}"
        );
        assert_eq!(a.stats.parses, 1);
    }
}

#[test]
fn words_that_would_make_the_word_parser_backtrack_are_refused_unparsed() {
    // Found by fuzzing: the word parser took seconds on these.
    let found = "vCe n  > ~2/_F\n$rm-felifr}\neligr}\nEOF<<EOF\n${x:aMkpoint-a-OF$ctjon--out(rm-fEelifr}\neligr}\nEOF<<{x:-OF$(rm-fEOF<<EOF\n${x> ~2/_F\n$rm-felifr}\neligr}\nEOF<<EOF\n${x:aMkpoint-a-OF$ctjon--out(rm-fEelifr}\neligr}\nEOF<<{x:-OF$(rm-fEOF<<EOF\n${x:-OFr${x:-OF$(rm-fEfile=eF$(rm-fEOF<<EOF\n${x:-OFr${x:-OF$(rm-fEOF<<EOF\n${x:stOF<<EOF\n${x:-OFrm-f~  :-OFr${x:-OF$(rm-fEfile=eF$(rm-fEOF<<EOF\n${x:-OFr${x:-OF$(rm-fEOF<<EOF\n${x:stOF<<EOF\n${x:-OFrm-f~  )r}\nEOF";
    let heredoc = format!("cat <<EOF\n{}\nEOF", "$((".repeat(12));
    for cmd in [found.to_string(), heredoc] {
        let a = analyze(&cmd);
        assert_eq!(a.verdict, "deny", "{cmd:?}");
        assert!(
            a.findings.iter().any(|f| f.code == "COMMAND_TOO_COMPLEX"),
            "{}",
            a.to_json()
        );
    }
}
