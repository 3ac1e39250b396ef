//! Unit tests of writes that reach a file by another name than the one a
//! later reader uses: a link on disk, a hard link made earlier in the
//! command or already on disk, a file a makefile includes, and a rename or
//! copy into a link to a directory.

// The fixture needs symbolic and hard links.
#![cfg_attr(not(unix), allow(dead_code))]

use super::option_harness::{fixture_with, guard, unrestricted, Fixture};
use crate::policy::CommandMode;

/// The shared fixture plus a Makefile that includes `local.conf` and
/// `deps/main.d`, a script and a module, links to them, a hard link of
/// the Makefile, and `homelink`/`relhome`, links to the home.
fn fixture() -> Fixture {
    fixture_with(|ws, home| {
        std::fs::write(
            ws.join("Makefile"),
            "all:\n\t@echo build\n-include local.conf\nsinclude \\\n  deps/main.d\n",
        )
        .unwrap();
        std::fs::write(ws.join("script.py"), "print('hi')\n").unwrap();
        std::fs::write(ws.join("test.js"), "console.log('ok')\n").unwrap();
        std::fs::write(ws.join("data.txt"), "x\n").unwrap();
        std::fs::write(ws.join("b.py"), "print('b')\n").unwrap();
        std::fs::write(home.join(".bashrc"), "# rc\n").unwrap();
        std::fs::create_dir_all(ws.join("docs")).unwrap();
        std::fs::create_dir_all(ws.join("computed")).unwrap();
        std::fs::write(
            ws.join("computed/Makefile"),
            "DEPS := $(wildcard *.d)\n-include $(DEPS)\nall:\n\t@echo x\n",
        )
        .unwrap();
        std::fs::hard_link(ws.join("script.py"), ws.join("hard.py")).unwrap();
        std::fs::hard_link(ws.join("Makefile"), ws.join("mkhard")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink("Makefile", ws.join("mklink")).unwrap();
            symlink("script.py", ws.join("pylink")).unwrap();
            symlink("test.js", ws.join("jslink")).unwrap();
            symlink("local.conf", ws.join("conflink")).unwrap();
            symlink(home, ws.join("homelink")).unwrap();
            symlink("../home", ws.join("relhome")).unwrap();
            symlink("docs", ws.join("doclink")).unwrap();
        }
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
fn a_project_file_written_through_a_link_on_disk_then_run() {
    refused(&[
        "printf 'all:\\n\\tfalse\\n' > mklink && make",
        "cp data.txt mklink && make",
        "exec 3>mklink; printf 'all:\\n\\tfalse\\n' >&3; make",
        "tee mklink < data.txt && make",
        "dd if=data.txt of=mklink && make",
        "echo 'import os' > pylink && python3 script.py",
        "echo 'x()' > jslink && node test.js",
        "for i in 1 2; do make; echo x > mklink; done",
    ]);
}

#[cfg(unix)]
#[test]
fn a_project_file_written_through_a_hard_link_then_run() {
    refused(&[
        // Made in the command.
        "ln Makefile m2 && echo x >> m2 && make",
        // Already on disk: one file, two names.
        "printf 'all:\\n\\tfalse\\n' > mkhard && make",
        "echo 'import os' > hard.py && python3 script.py",
    ]);
}

#[cfg(unix)]
#[test]
fn files_a_makefile_includes_are_its_code() {
    refused(&[
        "printf 'all:\\n\\tfalse\\n' > local.conf && make",
        "mkdir -p deps && printf 'all:\\n\\tfalse\\n' > deps/main.d && make",
        "echo x > conflink && make",
        "cp data.txt local.conf; make all",
        // An include with a computed name: any write in the workspace.
        "cd computed && echo x > a.d && make",
        "echo x > computed/out.txt && make -C computed",
    ]);
    allowed(&[
        "make",
        "printf 'x' > out.txt && make",
        "make > build.log",
        "echo x > local.txt && make all",
    ]);
}

#[cfg(unix)]
#[test]
fn a_move_or_copy_into_a_link_to_a_directory_lands_in_its_target() {
    refused(&[
        "printf 'x\\n' > .bashrc && mv .bashrc homelink",
        "printf 'x\\n' > .bashrc && mv .bashrc relhome",
        "mv -f .bashrc homelink",
        "cp a.txt homelink",
        "cp .bashrc relhome",
        "install -m 644 a.txt homelink",
    ]);
    allowed(&[
        "mv a.txt docs/",
        "mv a.txt doclink",
        "cp a.txt doclink",
        "cp -r src dst",
        // `-T`: the link itself is replaced, inside the workspace.
        "mv -T a.txt homelink",
    ]);
}

#[cfg(unix)]
#[test]
fn the_whitelist_asks_for_the_same_writes() {
    let g = guard(CommandMode::Whitelist, &["printf", "make", "mv", "cp"]);
    let fx = fixture();
    for c in [
        "printf 'all:\\n\\tfalse\\n' > mklink && make",
        "printf 'all:\\n\\tfalse\\n' > local.conf && make",
        "printf 'x\\n' > .bashrc && mv .bashrc homelink",
    ] {
        assert_eq!(g.analyze(c, &fx.fs).verdict, "deny", "{c}");
    }
    for c in ["make", "printf 'x' > out.txt && make", "mv a.txt docs/"] {
        let a = g.analyze(c, &fx.fs);
        assert_eq!(a.verdict, "allow", "{c}: {}", a.reason);
    }
}

/// A workspace whose Makefile and script have one name each.
fn single_names() -> Fixture {
    fixture_with(|ws, _| {
        std::fs::write(ws.join("Makefile"), "all:\n\t@echo build\n").unwrap();
        std::fs::write(ws.join("script.py"), "print('hi')\n").unwrap();
    })
}

#[cfg(unix)]
#[test]
fn a_hard_link_the_command_makes_is_the_file_it_links() {
    let fx = single_names();
    let wl = guard(CommandMode::Whitelist, &["cp", "printf", "make", "mv"]);
    for c in [
        "cp -l Makefile m2 && printf 'x:\\n\\ttouch /tmp/p\\n' > m2 && make",
        "cp --link Makefile m2 && printf 'x' >> m2 && make",
        "cp -al Makefile m2 && printf 'x' > m2 && make",
        "cp -l -t sub Makefile && printf 'x' > sub/Makefile && make",
        "cp -l script.py s2 && echo 'import os' > s2 && python3 script.py",
        // Moved or linked again, the name still links the Makefile.
        "cp -l Makefile m2 && mv m2 m3 && printf 'x' > m3 && make",
        "cp -l Makefile m2 && mv m2 sub/ && printf 'x' > sub/m2 && make",
        "cp -l Makefile m2 && cp -l m2 m3 && printf 'x' > m3 && make",
        // A directory's files under a copied tree.
        "cp -al . sub/copy && printf 'x' > sub/copy/Makefile && make",
        // The next round of a loop writes through the link.
        "for i in 1 2; do printf 'x' > m2; cp -l Makefile m2; done; make",
    ] {
        let a = unrestricted().analyze(c, &fx.fs);
        assert_ne!(a.verdict, "allow", "{c}");
        assert_eq!(wl.analyze(c, &fx.fs).verdict, "deny", "{c}");
    }
    for c in [
        "cp -l Makefile m2 && make",
        "cp -l a.txt a2 && printf 'x' > a2 && make",
        "cp -al src dst && printf 'x' > dst/new.rs && make",
        "cp -r src dst && make",
    ] {
        let a = unrestricted().analyze(c, &fx.fs);
        assert_eq!(a.verdict, "allow", "{c}: {}", a.reason);
    }
}
