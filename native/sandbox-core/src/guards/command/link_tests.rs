//! Unit tests of what the command validator makes of links: globs expanded
//! through them, links renamed or moved earlier in the command, tools that
//! follow them. The workspace holds `h`, a link to the home, and `r3`, a
//! bare repository.

// The tests need symbolic links in their fixture, which Windows makes only
// with a privilege (and wine not at all): there they are left out, and so is
// the use of these helpers.
#![cfg_attr(not(unix), allow(dead_code))]

use super::option_harness::{fixture_with, unrestricted, Fixture};

/// The shared fixture plus `h` (a link to the home), a bare repository
/// `r3`, a `.git` of the workspace, and more in the home.
fn fixture() -> Fixture {
    fixture_with(|ws, home| {
        for d in [".git/hooks", "r3/objects", "r3/refs", "r3/hooks"] {
            std::fs::create_dir_all(ws.join(d)).unwrap();
        }
        for d in [".aws", "notes"] {
            std::fs::create_dir_all(home.join(d)).unwrap();
        }
        std::fs::write(ws.join(".git/config"), "").unwrap();
        std::fs::write(ws.join("r3/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(ws.join("r3/config"), "[core]\n\tbare = true\n").unwrap();
        std::fs::write(home.join(".ssh/id_ed25519"), "k").unwrap();
        std::fs::write(home.join(".profile"), "").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(home, ws.join("h")).unwrap();
    })
}

fn verdict(cmd: &str) -> &'static str {
    unrestricted().analyze(cmd, &fixture().fs).verdict
}

fn refused(cases: &[&str]) {
    for c in cases {
        assert_ne!(verdict(c), "allow", "{c}");
    }
}

fn allowed(cases: &[&str]) {
    for c in cases {
        let a = unrestricted().analyze(c, &fixture().fs);
        assert_eq!(a.verdict, "allow", "{c}: {}", a.reason);
    }
}

#[cfg(unix)]
#[test]
fn globs_are_judged_by_what_they_expand_to_through_links() {
    refused(&[
        "tail */.ssh/id_ed25519",
        "cp [h]/.ssh/id_ed25519 src/",
        "cat ./?/.ssh/*",
        "wc -c h*/.ss[h]/id_*",
        "echo x >> [gh]/.profile",
        "sort -o ?/.profile src/main.rs",
        "rm -rf */notes",
        "ln -sf x [h]/.profile",
        "shopt -s globstar; rm -f ./**/id_ed25519",
    ]);
    allowed(&["cat src/*.rs", "ls -d s*/", "wc -l ./s?c/main.rs"]);
}

#[cfg(unix)]
#[test]
fn escapes_in_bracket_expressions_are_read_as_bash_reads_them() {
    refused(&[
        "echo x > .g[i\\]]t/config",
        "echo x > .gi[\\t]/config",
        "cp src/main.rs .gi[t\\]]/hooks/pre-commit",
        "echo x > .gi[\\]t]/config",
    ]);
}

#[cfg(unix)]
#[test]
fn globs_matching_a_bare_repository_are_judged_as_its_files() {
    refused(&[
        "echo x > ?3/config",
        "echo x > r*/hooks/pre-commit",
        "cp src/main.rs [r]3/hooks/post-checkout",
    ]);
}

#[cfg(unix)]
#[test]
fn a_moved_link_is_a_link_of_unknown_target_under_its_new_name() {
    refused(&[
        "mv h q && ls q/.ssh",
        "mv -v h src/q; head src/q/.aws/credentials",
        "mv -t src h; rm -rf src/h/notes",
        "git mv -f h q; cat q/.profile",
        "mv ./h q; cd q; cat .ssh/id_ed25519",
        "ln -s src/x k; rm -r src; mv h src; cat k/../.profile",
        "mv h q; q/../q/.ssh/id_ed25519",
    ]);
    // The name of a moved file that is no link stays judged as before.
    allowed(&[
        "mv src/main.rs src/lib.rs; cat src/lib.rs",
        "mv src q; cat q/main.rs",
    ]);
}

#[cfg(unix)]
#[test]
fn a_moved_directory_holding_a_link_is_judged_the_same() {
    let f = fixture();
    let ws = f.fs.host_path_of(".").unwrap();
    std::fs::create_dir_all(ws.join("d/e")).unwrap();
    std::os::unix::fs::symlink("../../h", ws.join("d/e/up")).unwrap();
    let g = unrestricted();
    for c in [
        "mv d q; cat q/e/up/.profile",
        "git mv d q; cat q/e/up/.profile",
    ] {
        assert_ne!(g.analyze(c, &f.fs).verdict, "allow", "{c}");
    }
}

#[cfg(unix)]
#[test]
fn tools_that_follow_links_are_judged_by_the_links_in_their_trees() {
    refused(&[
        "diff -ur src .",
        "diff --recursive src ./",
        "ag --follow needle",
        "ack --follow needle .",
        "tree -l",
        "bsdtar cLf x.tar .",
        "bsdtar --dereference -cf x.tar ./",
        "jar cf x.jar src .",
        "rsync -a --keep-dirlinks src/ ./",
        "python3 -m http.server --directory .",
        "php -S 127.0.0.1:8000 -t .",
        // A link named on the command line is followed too.
        "diff -r src h",
    ]);
    // The same tools over trees without such links.
    allowed(&[
        "diff -r src sub",
        "tree -l src",
        "jar cf x.jar src",
        "ag -f needle src",
        "python3 -m http.server -d src",
        "rsync -aK src/ sub/",
    ]);
}

#[cfg(unix)]
#[test]
fn a_loop_variable_bound_to_a_glob_is_judged_by_its_matches() {
    refused(&[
        "for f in */.ssh/id_ed25519; do cat \"$f\"; done",
        "for f in [h]/.profile; do echo x >> \"$f\"; done",
    ]);
    allowed(&["for f in src/*.rs; do wc -l \"$f\"; done"]);
}

#[test]
fn cp_link_modes_are_judged_as_ln() {
    refused(&[
        "cp -l .git/config cfg",
        "cp --link -t src .git/config",
        "cp -s .git/config cfg",
        "cp --symbolic-link .git/config src/cfg",
        "cp --sym .git/config src/cfg",
        "cp -Pl -- .git/config src/c",
        "cp -lf r3/config src/bc",
        "cp .git/config src/c -l",
        "cp -l ~/.profile src/p",
        "cp -s ~/.ssh/id_ed25519 k",
        "cp -rl .git src/g",
        "cp -rs . src/copy",
        "cp -al r3 src/r",
        "cp -lr . src/all",
    ]);
    allowed(&[
        "cp -l src/main.rs src/second.rs",
        "cp -s src/main.rs m.rs",
        "cp -rl src build",
        "cp -r src build",
    ]);
}

/// A workspace holding links a cloned repository could hold: `key` to the
/// private key, `rc` to a start-up file of the home, `h` to the home, a
/// link deeper down, and `inner`, a link to a file of the workspace.
#[cfg(unix)]
fn found_fixture() -> Fixture {
    fixture_with(|ws, home| {
        std::fs::write(home.join(".profile"), "").unwrap();
        std::fs::create_dir_all(ws.join("sub/deep")).unwrap();
        let link =
            |to: &std::path::Path, at: &str| std::os::unix::fs::symlink(to, ws.join(at)).unwrap();
        link(&home.join(".ssh/id_rsa"), "key");
        link(&home.join(".profile"), "rc");
        link(home, "h");
        link(&home.join(".ssh/id_rsa"), "sub/deep/k2");
        link(&ws.join("a.txt"), "inner");
    })
}

#[cfg(unix)]
#[test]
fn find_exec_judges_the_links_it_passes_as_the_program_opens_them() {
    let v = |c: &str| {
        let a = unrestricted().analyze(c, &found_fixture().fs);
        (a.verdict, a.reason)
    };
    for c in [
        "find . -name key -exec cat {} +",
        "find . -iname KEY -exec cat {} +",
        "find . -name 'k*' -exec head {} ';'",
        "find . -name k2 -exec sort {} +",
        "find . -maxdepth 1 -name key -exec diff {} a.txt ';'",
        "find . -name key -exec cp {} stolen.txt ';'",
        "find . -maxdepth 1 -name rc -exec tee -a {} ';'",
        "find . -name rc -exec sed --follow-symlinks -i s/a/b/ {} +",
        "find . -maxdepth 1 -name rc -exec sort -o {} a.txt ';'",
        "find . -maxdepth 1 -name h -exec grep -r . {} +",
        "find . -maxdepth 1 -name h -exec cp a.txt {} ';'",
        "find . -maxdepth 1 -name h -exec cp -r src {} ';'",
        "find . -maxdepth 1 -name h -exec chmod -R 777 {} +",
        "find h -name h -exec cat {}/.ssh/id_rsa ';'",
        "find . -maxdepth 1 -name rc -exec shred {} ';'",
        "shred rc",
    ] {
        assert_ne!(v(c).0, "allow", "{c}");
    }
    for c in [
        "find . -name '*.rs' -exec cat {} +",
        "find src -name '*.rs' -exec wc -l {} +",
        "find . -maxdepth 1 -name '*.txt' -exec grep -H a {} +",
        "find . -name inner -exec cat {} +",
        "find . -name key -exec echo {} +",
        "shred -u a.txt",
    ] {
        let (d, why) = v(c);
        assert_eq!(d, "allow", "{c}: {why}");
    }
}
