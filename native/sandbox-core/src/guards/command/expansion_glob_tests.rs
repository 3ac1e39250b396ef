//! Unit tests of pathname expansion after an unquoted expansion: bash
//! expands the value of an unquoted `$x`, `${x…}` or `$(…)` as a pattern,
//! so a word whose value may hold `*`, `?` or `[` may list any directory
//! (docs/commands.md, Globs after an expansion).

use super::option_harness::{decide, guard, unrestricted};
use super::*;

fn refused_everywhere(cases: &[&str]) {
    let white = guard(
        CommandMode::Whitelist,
        &["echo", "printf", "test", "[", ":", "ls"],
    );
    for c in cases {
        assert_eq!(
            decide(&unrestricted(), c),
            ("ask", "UNMODELLED_EXPANSION"),
            "{c}"
        );
        assert_eq!(decide(&white, c).0, "deny", "{c}");
    }
}

fn allowed(cases: &[&str]) {
    for c in cases {
        assert_eq!(decide(&unrestricted(), c).0, "allow", "{c}");
    }
}

#[test]
fn an_unquoted_expansion_of_an_unknown_value_is_not_modelled() {
    refused_everywhere(&[
        "echo $x",
        "printf '%s\\n' $x",
        "x=$(cat a.txt); echo $x",
        "echo $(cat a.txt)",
        "echo ${x:-y}",
        "echo ${x/q/q}",
        "echo $1",
        "echo $@",
        ": $x",
        "for f in $x; do echo \"$f\"; done",
        "a=($x); echo \"${a[@]}\"",
        "f(){ echo $1; }; f '*'",
        "read -r x < a.txt; echo $x",
        "x='*'; echo $x",
        "x=~/.ssh/*; echo ${x%/}",
    ]);
}

/// A computed operand of a file test is unmodelled twice over: as a word
/// bash may pathname-expand, and as a file the analysis cannot name. Which
/// code the answer carries depends on which check meets it first.
#[test]
fn a_computed_file_test_operand_is_not_modelled() {
    let white = guard(CommandMode::Whitelist, &["echo", "test", "["]);
    for c in ["test -e $x && echo y", "[ -e $x ] && echo y"] {
        let (d, code) = decide(&unrestricted(), c);
        assert_eq!(d, "ask", "{c}");
        assert!(
            code == "UNMODELLED_EXPANSION" || code == "UNMODELLED_OPERAND",
            "{c}: {code}"
        );
        assert_eq!(decide(&white, c).0, "deny", "{c}");
    }
}

#[test]
fn a_pattern_character_next_to_a_computed_part_lists_an_unknown_directory() {
    refused_everywhere(&[
        "echo \"$d\"/*",
        "d=src; echo $d/*",
        "echo $(pwd)/*",
        "for f in \"$d\"/*.rs; do echo \"$f\"; done",
    ]);
}

#[test]
fn a_value_written_elsewhere_with_a_pattern_is_not_taken_for_plain() {
    refused_everywhere(&[
        // A later loop pass reads the second value.
        "x=a; for i in 1 2; do echo $x; x='*'; done",
        // A function call may write it before the use.
        "x=a; f(){ x=$(cat a.txt); }; f; echo $x",
        // Only on one path: on the other the value comes from outside.
        "true && x=a; echo $x",
        "if true; then x=a; fi; echo $x",
        "if false; then x=a; else echo $x; fi",
        "case b in a) x=a ;; *) echo $x ;; esac",
        "x=a | true; echo $x",
        // A read-only variable keeps its value: the write fails.
        "readonly x; x=a; echo $x",
        "declare -r x; x=a; echo $x",
        // A prefix assignment leaves the shell's variable as it was.
        "x=a true; echo $x",
        "(x=a); echo $x",
        // An element write leaves the other elements as they were.
        "a[1]=b; echo ${a[@]}",
    ]);
}

#[test]
fn quoted_and_plain_values_stay_allowed() {
    allowed(&[
        "echo \"$x\"",
        "x=$(cat a.txt); echo \"$x\"",
        "for f in src/*.rs; do echo \"$f\"; done",
        "x=abc; echo $x ${x%c} ${x:1} ${x^^} ${#x}",
        "echo $? $# $$",
        "echo $((1 + 2))",
        "count=0; count=$((count + 1)); echo $count",
        "for i in 1 2 3; do echo $i; done",
        "for ((i = 0; i < 3; i++)); do echo $i; done",
        "files=(a.txt b.txt); echo ${files[@]} ${#files[@]}",
        "declare -A m; m[key]=1; echo ${m[key]}",
        "x=a && echo $x",
        "local_fn(){ local y=$1; echo \"$y\"; }; local_fn a",
        "f(){ local y=$1; echo \"$y\"; local z; echo $z; }; f a",
    ]);
}

#[test]
fn known_literal_globs_are_still_judged_as_before() {
    assert_eq!(
        decide(&unrestricted(), "echo {HOME}/.ssh/*"),
        ("deny", "FILE_ACCESS_DENIED")
    );
    assert_eq!(decide(&unrestricted(), "echo src/*").0, "allow");
}

/// `${f%SUFFIX}` of a loop variable bound to a glob keeps the match's first
/// character: a glob of names starting with `.` gives names starting with
/// `.`, which `*` does not match (docs/commands.md, Loops over a glob).
#[test]
fn a_suffix_removed_from_a_dot_glob_match_stays_a_dot_name() {
    let f = super::option_harness::fixture_with(|ws, _| {
        std::fs::create_dir_all(ws.join(".git")).unwrap();
        std::fs::write(ws.join(".git/config"), "").unwrap();
        std::fs::write(ws.join("b.txt"), "").unwrap();
    });
    let g = unrestricted();
    // Judged as `.*/config`, which names the protected `.git/config`.
    for c in [
        "for f in .g*; do cp a.txt \"${f%.txt}/config\"; done",
        "for f in .g*; do cp a.txt \"${f%%.bak}/config\"; done",
    ] {
        let a = g.analyze(c, &f.fs);
        assert_eq!((a.verdict, a.code), ("deny", "FILE_ACCESS_DENIED"), "{c}");
    }
    // A first character that may match `.` otherwise is not modelled.
    let c = "for f in [.]g*; do cp a.txt \"${f%.txt}/config\"; done";
    assert_ne!(g.analyze(c, &f.fs).verdict, "allow", "{c}");
    for c in [
        "for f in *.txt; do cp -- \"$f\" \"${f%.txt}.md\"; done",
        "for f in src/*.rs; do cp -- \"$f\" \"${f%.rs}.bak\"; done",
    ] {
        assert_eq!(g.analyze(c, &f.fs).verdict, "allow", "{c}");
    }
}
