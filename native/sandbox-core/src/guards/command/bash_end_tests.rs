//! Where bash's reading of a line ends somewhere the analysis did not look:
//! here-document delimiters (bash only removes quotes), patterns that match
//! nothing (bash keeps the word and opens that name), and the function bash
//! runs for a command it cannot find.

use super::option_harness::{fixture, fixture_with, guard, Fixture};
use super::*;

fn decide_in(f: &Fixture, g: &CommandGuard, cmd: &str) -> (&'static str, &'static str) {
    let a = g.analyze(cmd, &f.fs);
    (a.verdict, a.code)
}

fn blacklist() -> CommandGuard {
    guard(CommandMode::Blacklist, &["rm", "curl", "sudo"])
}

fn whitelist() -> CommandGuard {
    guard(
        CommandMode::Whitelist,
        &[
            "git status",
            "ls",
            "cat",
            "grep",
            "echo",
            "cp",
            "head",
            "tar",
            "sed",
            "printf",
        ],
    )
}

/// (delimiter word, the end line bash looks for, the line brush-parser
/// took for the end).
const DELIMITERS: &[(&str, &str, &str)] = &[
    ("${y}", "${y}", "y"),
    ("\"${y}\"", "${y}", "y"),
    ("${1}", "${1}", "1"),
    ("${#y}", "${#y}", "#y"),
    ("${y[0]}", "${y[0]}", "y[0]"),
    ("${y/a/b}", "${y/a/b}", "y/a/b"),
    ("$\"a\"$\"b\"", "ab", "$a$b"),
    ("$\"EOF\"", "EOF", "$EOF"),
    ("$\"\"", "", "$"),
    // Quote characters inside other quotes are kept by bash.
    ("\"a'b\"", "a'b", "ab"),
    ("'a\\b'", "a\\b", "ab"),
];

#[test]
fn here_document_delimiters_end_where_bash_ends_them() {
    let f = fixture();
    for g in [blacklist(), whitelist()] {
        for (word, bash_end, parser_end) in DELIMITERS {
            let body = format!("b\n{bash_end}\nrm -rf ~\n{parser_end}\n");
            for cmd in [
                format!("cat <<{word}\n{body}"),
                format!("cat <<-{word}\n{body}"),
                format!("echo x; cat <<{word} > out.txt\n{body}echo y"),
                format!("f() {{\ncat <<{word}\n{body}}}\nf"),
                format!("bash -c '\ncat <<{word}\n{body}'"),
                format!("eval '\ncat <<{word}\n{body}'"),
            ] {
                // A single-quoted script cannot hold the single quotes of
                // its delimiter.
                if cmd.starts_with(['b', 'e']) && cmd.matches('\'').count() > 2 {
                    continue;
                }
                assert_ne!(decide_in(&f, &g, &cmd).0, "allow", "{cmd}");
            }
        }
    }
}

#[test]
fn ordinary_here_documents_stay_allowed() {
    let f = fixture();
    for g in [blacklist(), whitelist()] {
        for cmd in [
            "cat <<EOF > out.txt\nhello $HOME\nEOF",
            "cat <<'EOF'\n$x `y`\nEOF",
            "cat <<-EOF\n\thello\n\tEOF",
            "cat <<\"EOF\"\nx\nEOF",
            "cat <<\\EOF\nx\nEOF",
            "cat <<E\"O\"F\nx\nEOF",
            "cat <<'END OF'\nx\nEND OF",
            "cat <<EOF\na\nEOF\necho done",
            "cat <<A <<'B'\na\nA\nb\nB",
        ] {
            assert_eq!(decide_in(&f, &g, cmd).0, "allow", "{cmd}");
        }
    }
}

/// The workspace of the shared fixture, with entries whose names are
/// patterns that match nothing: links into the home.
fn bracket_links() -> Fixture {
    fixture_with(|ws, home| {
        std::fs::write(home.join(".bashrc"), "# rc\n").unwrap();
        std::fs::write(ws.join("c"), "x\n").unwrap();
        std::fs::write(ws.join("main.o"), "o\n").unwrap();
        std::os::unix::fs::symlink(home, ws.join("[h]")).unwrap();
        std::os::unix::fs::symlink(home.join(".ssh/id_rsa"), ws.join("[k]ey")).unwrap();
        std::os::unix::fs::symlink(home.join(".bashrc"), ws.join("[r]c")).unwrap();
    })
}

#[test]
fn a_pattern_that_matches_nothing_opens_its_literal_name() {
    let f = bracket_links();
    for g in [
        blacklist(),
        whitelist(),
        guard(CommandMode::Unrestricted, &[]),
    ] {
        for cmd in [
            "cat [h]/.ssh/id_rsa",
            "cat [k]ey",
            "cat < [k]ey",
            "head [h]/.ssh/id_rsa",
            "printf 'x\\n' >> [h]/.bashrc",
            "printf 'x\\n' > [h]/.profile",
            "echo x >> [r]c",
            "cp -- c [h]/.bashrc",
            "cp -- [k]ey stolen.txt",
            "grep -- BEGIN [k]ey",
            "sed -n p -- [k]ey",
            "tar -cf out.tar -- [h]/.ssh",
            "cat ./[h]/.ssh/*",
            "cat \"[h]\"/.ssh/i[d]_rsa",
            "for f in [k]ey; do cat \"$f\"; done",
            "for f in [h]/.ssh/id_rsa; do cat < \"$f\"; done",
        ] {
            assert_ne!(decide_in(&f, &g, cmd).0, "allow", "{cmd}");
        }
    }
}

#[test]
fn patterns_in_the_workspace_stay_allowed() {
    let f = bracket_links();
    let g = blacklist();
    for cmd in [
        "ls *.txt",
        "ls *.none",
        "cat src/*.rs",
        "cat [a].txt",
        "grep -r x src/",
        "wc -l src/*",
        "cat *.txt | sort > out",
    ] {
        assert_eq!(decide_in(&f, &g, cmd).0, "allow", "{cmd}");
    }
    let g = guard(CommandMode::Unrestricted, &[]);
    for cmd in ["rm -f *.o", "rm -f *.none", "cp src/* sub/"] {
        assert_eq!(decide_in(&f, &g, cmd).0, "allow", "{cmd}");
    }
}

#[test]
fn defining_the_command_not_found_handler_is_not_modelled() {
    let f = fixture();
    let g = blacklist();
    for cmd in [
        "command_not_found_handle() { printf 'x\\n' > hooks/pre-commit; }; cd sub && git.exe status",
        "command_not_found_handle() { echo x > config; }; cd sub && rg foo",
        "function command_not_found_handle { echo x > a.txt; }; python3.99 x",
        "function command_not_found_handle() { :; }",
        "eval 'command_not_found_handle() { echo x > a.txt; }'; cd sub; nosuchtool",
        "bash -c 'command_not_found_handle() { :; }; cd sub && nosuchtool'",
        "if true; then command_not_found_handle() { :; }; fi; nosuchtool",
        "printf 'command_not_found_handle() { :; }\\n' > h.sh; source h.sh; nosuchtool",
    ] {
        assert_eq!(decide_in(&f, &g, cmd).0, "ask", "{cmd}");
    }
    assert_eq!(
        decide_in(&f, &g, "command_not_found_handle() { :; }"),
        ("ask", "UNMODELLED_FUNCTION")
    );
    let w = whitelist();
    assert_eq!(
        decide_in(
            &f,
            &w,
            "command_not_found_handle() { echo x; }; cd sub && git status"
        )
        .0,
        "deny"
    );
    // Other functions are judged as before.
    assert_eq!(decide_in(&f, &g, "greet() { echo hi; }; greet").0, "allow");
}
