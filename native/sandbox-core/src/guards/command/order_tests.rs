//! Files written by a command and run by it where the text order is not
//! the run order (loop rounds, functions, background jobs, pipeline
//! stages, traps), the modules node and python resolve, and wrappers that
//! start an interpreter of their own.

use super::option_harness::{decide, guard, unrestricted};
use crate::policy::CommandMode;

fn refused(g: &super::CommandGuard, cases: &[&str]) {
    for c in cases {
        assert_ne!(decide(g, c).0, "allow", "{c}");
    }
}

fn allowed(g: &super::CommandGuard, cases: &[&str]) {
    for c in cases {
        assert_eq!(decide(g, c), ("allow", "ALLOWED"), "{c}");
    }
}

#[test]
fn a_runner_that_may_run_after_a_later_write_sees_it() {
    let g = unrestricted();
    refused(
        &g,
        &[
            "for i in 1 2; do python3 t.py; echo 'import os' > t.py; done",
            "until false; do python3 t.py && break; echo 'import os' > t.py; done",
            "while true; do node t.js; echo x > t.js; break; done",
            "for i in 1 2; do bash t.sh; echo 'ls' > t.sh; done",
            "for i in 1 2; do ./t.sh; printf 'ls' > t.sh; done",
            "for ((i=0;i<2;i++)); do make; printf 'all:\\n\\ttrue\\n' > Makefile; done",
            "f() { python3 t.py; }; echo 'import os' > t.py; f",
            "f() { make; }; printf 'all:\\n\\ttrue\\n' > Makefile; f",
            "f() { npm test; }; echo x > src/app.js; f",
            "python3 t.py & echo 'import os' > t.py",
            "python3 t.py | echo 'import os' > t.py",
            "coproc python3 t.py; echo 'import os' > t.py",
            "trap 'python3 t.py' EXIT; echo 'import os' > t.py",
        ],
    );
    allowed(
        &g,
        &[
            // In order: the runner ran before the write.
            "python3 t.py; echo 'import os' > t.py",
            "make; echo done > Makefile.log",
            // Written but never loaded by the runner in the loop.
            "for i in 1 2; do python3 t.py; done; echo done > log.txt",
            "for f in a b; do echo $f > out.txt; done",
            // A pipeline's own output.
            "npm test 2>&1 | tee test.log",
            "make 2>&1 | tee build.log",
            "python3 t.py | cat > out.py",
        ],
    );
}

#[test]
fn node_and_python_load_what_the_command_wrote_by_resolution() {
    let g = unrestricted();
    refused(
        &g,
        &[
            "echo x > t.js; node t",
            "echo x > t.js; node ./t",
            "mkdir -p t; echo x > t/index.js; node t",
            "echo x > src/util.js; node src/app.js",
            "echo x > lib.mjs; node main.js",
            "echo '{\"main\":\"x.js\"}' > package.json; node .",
            "mkdir -p pkg; echo x > pkg/__main__.py; python3 -m pkg",
            "mkdir -p d; echo x > d/__main__.py; python3 d/",
        ],
    );
    allowed(
        &g,
        &[
            "echo x > notes.txt; node app.js",
            "node app.js > out.json",
            "node t",
        ],
    );
}

#[test]
fn wrappers_that_start_an_interpreter_are_judged_by_it() {
    let wl = guard(
        CommandMode::Whitelist,
        &["cat", "watch", "flock", "script", "chronic"],
    );
    refused(
        &wl,
        &[
            "watch cat a.txt",
            "flock -c 'cat a.txt' x",
            "flock x -c 'cat a.txt'",
            "script -c 'cat a.txt' /dev/null",
            "chronic cat a.txt",
        ],
    );
    allowed(
        &wl,
        &["watch -x cat a.txt", "flock x cat a.txt", "cat a.txt"],
    );
    let wl_sh = guard(CommandMode::Whitelist, &["cat", "sh", "watch", "flock"]);
    allowed(&wl_sh, &["watch cat a.txt", "flock -c 'cat a.txt' x"]);

    let bl = guard(CommandMode::Blacklist, &["sh", "bash", "perl"]);
    refused(
        &bl,
        &[
            "watch cat a.txt",
            "flock -c 'cat a.txt' x",
            "script -c 'cat a.txt' /dev/null",
            "chronic cat a.txt",
            "xvfb-run cat a.txt",
            "torsocks cat a.txt",
            "egrep x a.txt",
            "zcat x.gz",
            "which ls",
        ],
    );
    allowed(
        &bl,
        &[
            "watch -x cat a.txt",
            "flock x cat a.txt",
            "grep -E x a.txt",
            "cat a.txt",
        ],
    );
}
