//! Unit tests of how far the walks and lists of find, chmod, rsync, tar and
//! the checksum tools reach, read as the tools read their words, and of the
//! helper programs tar and diff start. The fixture is a git working tree
//! (`.git/config`, a hook sample) with a blocked `.env` and a home holding
//! the credential store `~/.ssh`.

use super::option_harness::{fixture_with, guard};
use super::*;

fn fixture() -> super::option_harness::Fixture {
    fixture_with(|ws, _| {
        std::fs::create_dir_all(ws.join(".git/hooks")).unwrap();
        std::fs::create_dir_all(ws.join("src/deep")).unwrap();
        std::fs::write(ws.join(".git/config"), "[core]\n").unwrap();
        std::fs::write(ws.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(ws.join(".git/hooks/pre-commit.sample"), "#!/bin/sh\n").unwrap();
        std::fs::write(ws.join(".env"), "SECRET=1\n").unwrap();
        std::fs::write(ws.join("src/deep/b.txt"), "b\n").unwrap();
        std::fs::write(ws.join("list.txt"), ".env\n").unwrap();
        // rsync rules files: plain rules, and rules that merge another file.
        std::fs::write(ws.join("plain.rules"), "- *.o\n+ src/\n").unwrap();
        std::fs::write(ws.join("nested.rules"), "- *.o\n. other.rules\n").unwrap();
        // A gzip stream and a plain archive (names do not say which).
        std::fs::write(ws.join("x.bin"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0]).unwrap();
        std::fs::write(ws.join("p.tar"), b"a.txt\0\0\0\0\0\0\0").unwrap();
    })
}

/// The verdict under a workspace policy blocking `.env` (with `env`) and
/// `~/.ssh`: without `.env`, a refusal comes from the git directory alone.
fn verdict_in(env: bool, g: &CommandGuard, cmd: &str) -> (&'static str, String) {
    let f = fixture();
    let home = f.dir.path().join("home");
    let cmd = cmd.replace("{HOME}", home.to_str().unwrap());
    // `.env` is blocked as well as the credential stores.
    let ws = f.dir.path().join("ws");
    let policy = crate::policy::FilesystemPolicy {
        mode: crate::policy::FilesystemMode::Workspace,
        allowed_paths: vec!["./".into()],
        blocked_paths: if env {
            vec![".env".into(), "~/.ssh".into()]
        } else {
            vec!["~/.ssh".into()]
        },
        allow_symlinks: true,
        allow_hidden_files: true,
    };
    let fs = FilesystemGuard::new(
        &policy,
        &crate::policy::ResourceLimits::default(),
        &ws,
        &home,
    )
    .unwrap();
    let a = g.analyze(&cmd, &fs);
    (a.verdict, a.reason)
}

fn refused(g: &CommandGuard, cases: &[&str]) {
    for c in cases {
        let (v, why) = verdict_in(true, g, c);
        assert_ne!(v, "allow", "{c}: {why}");
    }
}

fn allowed(g: &CommandGuard, cases: &[&str]) {
    for c in cases {
        let (v, why) = verdict_in(true, g, c);
        assert_eq!(v, "allow", "{c}: {why}");
    }
}

/// Refused for what the walk does to `.git` (`.env` not blocked).
fn refused_for_git(cases: &[&str]) {
    for c in cases {
        let (v, why) = verdict_in(false, &open(), c);
        assert_ne!(v, "allow", "{c}: {why}");
        assert!(why.contains(".git"), "{c}: {why}");
    }
}

fn open() -> CommandGuard {
    guard(CommandMode::Unrestricted, &[])
}

#[test]
fn find_takes_the_last_maxdepth() {
    refused_for_git(&[
        "find . -maxdepth 0 -maxdepth 9 -name '*.sample' -delete",
        "find . -maxdepth 1 -maxdepth 5 -name '*.sample' -exec rm {} +",
        "find . -name '*.sample' -maxdepth 0 -maxdepth 3 -delete",
    ]);
    refused(
        &open(),
        &[
            // A computed depth is no limit.
            "find . -maxdepth 0 -maxdepth $N -name '*.sample' -delete",
            "find . -maxdepth 0 -maxdepth \"$N\" -name .env -exec cat {} +",
            "find . -maxdepth 0 -maxdepth 1 -name .env -exec cat {} \\;",
            "find . -maxdepth 0 -name .env -maxdepth 1 -exec cat {} +",
        ],
    );
    allowed(
        &open(),
        &[
            "find . -maxdepth 9 -maxdepth 1 -name '*.sample' -delete",
            "find . -maxdepth 1 -maxdepth 2 -name '*.sample' -delete",
            "find . -maxdepth 1 -name '*.txt' -exec cat {} +",
            // A -maxdepth after the action is find's too.
            "find . -name '*.sample' -exec rm {} + -maxdepth 1",
        ],
    );
}

#[test]
fn words_of_the_exec_command_are_not_find_tests() {
    refused_for_git(&[
        "find . -name '*.sample' -exec rm -f -- {} -maxdepth 0 \\;",
        "find . -name '*.sample' -delete -exec echo -maxdepth 0 \\;",
        "find . -name '*.sample' -exec echo -iname x \\; -delete",
        "find . -name '*.sample' -exec touch -- {} -name x \\;",
    ]);
    refused(
        &open(),
        &[
            "find . -name .env -exec cat -- {} -name x \\;",
            "find . -name .env -exec cat {} \\; -exec echo -maxdepth 0 \\;",
            "find . -name .env -exec echo -name x \\; -exec cat {} \\;",
            // A test after an action does not narrow it.
            "find . -name .env -exec cat {} \\; -name x",
            // Only a conjunction is modelled: -o runs the action on others.
            "find . -name '*.txt' -exec true \\; -o -exec cat {} \\;",
        ],
    );
    allowed(
        &open(),
        &[
            "find src -name '*.txt' -exec grep -n -e -name {} +",
            "find . -name '*.txt' -exec echo -maxdepth 0 \\;",
        ],
    );
}

#[test]
fn chmod_with_a_mode_option_walks_every_operand() {
    refused_for_git(&[
        "chmod -R -w .",
        "chmod -R -x,o+w .",
        "chmod -vR -w .",
        "chmod --recursive -x .",
        "chmod -w,o+w -R .",
        "chmod -R -rwx,u+rwx,o+w .",
        "chmod -R -- -w .",
    ]);
    allowed(&open(), &["chmod -R -w src", "chmod -R -x src/deep"]);
}

#[test]
fn rsync_delete_deletes_the_destination_tree() {
    refused_for_git(&[
        "rsync -a --delete src/ .",
        "rsync -a --del src/ .",
        "rsync -a --dele src/ .",
        "rsync -a --delete-after src/ ./",
        "rsync --recursive --delete-excluded --exclude=a.txt src/ .",
        "rsync -a --remove-source-files . sub/",
    ]);
    allowed(
        &open(),
        &[
            "rsync -a --delete src/ sub/",
            "rsync -a src/ sub/",
            "rsync -a --delay-updates src/ sub/",
        ],
    );
}

#[test]
fn tar_remove_files_deletes_the_archived_tree() {
    refused_for_git(&[
        "tar --remove-files -cf x.tar .",
        "tar --remove-f -cf x.tar .",
        "tar -cf x.tar . --remove-files",
        "tar cf x.tar --remove-files -C . .",
        "tar --remove-files -rf x.tar ./",
    ]);
    allowed(
        &open(),
        &["tar --remove-files -cf x.tar src", "tar -cf x.tar src"],
    );
}

#[test]
fn tar_path_lists_in_every_spelling_are_not_modelled() {
    refused(
        &open(),
        &[
            "tar cf x.tar -T- <<< .env",
            "tar -cf x.tar -Tlist.txt",
            "tar cfT x.tar list.txt",
            "tar -cT list.txt -f x.tar",
            "tar -cTlist.txt -fx.tar",
            "tar cf x.tar --null -T- < list.txt",
            "tar -cf - -T- <<< {HOME}/.ssh/id_rsa",
            "tar -c --files-f=list.txt -f x.tar",
        ],
    );
    allowed(&open(), &["tar -cf x.tar src a.txt", "tar tf x.tar"]);
}

#[test]
fn checksum_and_file_lists_are_not_modelled() {
    refused(
        &open(),
        &[
            "md5sum -c <<< 'd41d8cd98f00b204e9800998ecf8427e  .env'",
            "md5sum -c list.txt",
            "sha1sum --check list.txt",
            "b2sum --ch list.txt",
            "md5sum --status -wc list.txt",
            "sha256sum -c - < list.txt",
            "cksum -a sha256 --check list.txt",
            "file -f list.txt",
            "file -f - <<< {HOME}/.ssh/id_rsa",
            "file --files-from list.txt",
            "file -bf list.txt",
        ],
    );
    allowed(
        &open(),
        &["md5sum a.txt", "sha256sum src/main.rs > sums", "file a.txt"],
    );
}

#[test]
fn tar_compression_runs_the_compressor() {
    let tar = guard(CommandMode::Whitelist, &["tar"]);
    refused(
        &tar,
        &[
            "tar -czf x.tgz a.txt",
            "tar czf x.tgz a.txt",
            "tar -tzf x.tgz",
            "tar -cjf x.tbz a.txt",
            "tar -cJf x.txz a.txt",
            "tar -cZf x.tZ a.txt",
            "tar --zstd -cf x.tzst a.txt",
            "tar -cf x.tgz --gzip a.txt",
            "tar -cf x.tgz --gz a.txt",
            "tar -cf x.tlz --lzip a.txt",
            "tar -caf x.tar.gz a.txt",
            "tar -cf x.tar.xz --auto-compress a.txt",
        ],
    );
    allowed(&tar, &["tar -cf x.tar a.txt", "tar -caf x.tar a.txt"]);
    // Reading an archive without an option: the decompressor its first
    // bytes name; one written earlier in the command may be anything.
    refused(
        &guard(CommandMode::Whitelist, &["tar", "cp"]),
        &[
            "tar -tf x.bin",
            "tar tvf x.bin",
            "tar --list --file=x.bin",
            "cp x.bin q.tar && tar -tf q.tar",
            "tar -tf \"$A\"",
        ],
    );
    allowed(
        &tar,
        &["tar -tf p.tar", "tar -tf - < x.bin", "tar -tf missing.tar"],
    );
    let with_gzip = guard(CommandMode::Whitelist, &["tar", "gzip"]);
    allowed(
        &with_gzip,
        &["tar -czf x.tgz a.txt", "tar tzf x.tgz", "tar -tf x.bin"],
    );
    refused(&with_gzip, &["tar -cJf x.txz a.txt"]);
}

#[test]
fn diff_paginate_runs_pr() {
    let diff = guard(CommandMode::Whitelist, &["diff"]);
    refused(
        &diff,
        &[
            "diff -l a.txt src/main.rs",
            "diff -lu a.txt src/main.rs",
            "diff -ul a.txt src/main.rs",
            "diff --pag a.txt src/main.rs",
            "diff --paginate a.txt src/main.rs",
            "diff --label x -l a.txt src/main.rs",
        ],
    );
    allowed(
        &diff,
        &[
            "diff -u a.txt src/main.rs",
            "diff -L l -u a.txt src/main.rs",
            "diff --label -l a.txt src/main.rs",
        ],
    );
    allowed(
        &guard(CommandMode::Whitelist, &["diff", "pr"]),
        &["diff -l a.txt src/main.rs"],
    );
}

#[test]
fn tar_members_matching_more_than_one_name_extract_unknown_names() {
    refused(
        &open(),
        &[
            "tar -xf a.tar --no-anchored config",
            "tar -xf a.tar --no-anch hooks",
            "tar -xf a.tar --anchored --no-anchored x",
            "tar -x --no-anchored -f a.tar --no-recursion config",
            "tar -xf a.tar --ignore-case --no-recursion .GIT/CONFIG",
            "tar -xf a.tar ''",
            "tar -xf a.tar ./",
            "tar -xf a.tar './/'",
            "tar -xf a.tar .",
            "tar -xf a.tar --no-recursion ''",
            "tar -xf a.tar --strip-components=1 x",
            "tar -xf a.tar --strip 2 a/b",
            "tar -xf a.tar --no-recursion --strip-components=1 x/.git/config",
            "tar -xf a.tar --no-recursion --strip-components=\"$n\" x/src/b.txt",
            "tar -xf a.tar -C src x",
            "tar -xf a.tar src/deep",
            "tar -xf a.tar --no-recursion -K src/deep/b.txt",
            "tar -xf a.tar --no-recursion \"$m\"",
            "tar -xf a.tar --no-recursion '*'",
            "tar -xf a.tar --no-recursion '.gi?/config'",
            "tar -xf a.tar --no-recursion '.[g]it/hooks/pre-commit'",
        ],
    );
    allowed(
        &open(),
        &[
            "tar -xf a.tar --no-recursion src/deep/b.txt",
            "tar -xf a.tar --no-recursion -C src deep/b.txt",
            "tar -xf a.tar --no-recursion --strip-components=1 x/src/b.txt",
            "tar -xf a.tar --no-recursion --strip-components=2 x/src",
            "tar -xOf a.tar src/deep/b.txt",
            "tar -tf a.tar --no-anchored config",
        ],
    );
}

#[test]
fn tar_names_are_judged_as_tar_decodes_their_escapes() {
    refused(
        &open(),
        &[
            "tar -xf a.tar --no-recursion '\\056git/config'",
            "tar -xf a.tar --no-recursion $'\\\\056git/config'",
            "tar -xf a.tar --no-recursion '.git\\057hooks\\057pre-commit'",
            "tar -xf a.tar --no-recursion -C '\\056git/hooks' pre-commit",
            "tar -xf a.tar --no-recursion --directory='\\056git' hooks/pre-commit",
            "tar -xf a.tar --unquote --no-recursion '\\56git/config'",
            "tar -cf x.tar '\\056env'",
            "tar -cf - -C src '..\\057.env'",
            "tar -cf - '{HOME}/\\056ssh/id_rsa'",
            "tar -cf x.tar --remove-files -C '\\056git' config",
            "tar -cf - -C .git config --remove-files",
            // Escapes that are not decoded exactly are not modelled.
            "tar -xf a.tar --no-recursion 'src\\q'",
            "tar -xf a.tar --no-recursion 'src\\001'",
            "tar -xf a.tar --no-recursion 'src\\n'",
        ],
    );
    allowed(
        &open(),
        &[
            "tar -xf a.tar --no-recursion 'src\\056txt'",
            "tar -cf x.tar 'src\\057deep'",
            "tar -xf a.tar --no-recursion 'a\\\\b'",
            "tar -xf a.tar --no-unquote --no-recursion '\\056git'",
        ],
    );
}

#[test]
fn recursive_compressors_change_every_file_of_the_tree() {
    refused_for_git(&[
        "gzip -r .",
        "gzip -drf .",
        "gunzip -rf ./",
        "gzip -dfr -- .",
        "gzip --recursive -d src/..",
        "gzip --rec .",
        "zstd -r --rm .",
        "unzstd -r .",
        "lz4 -dr .",
        "pigz -r .",
        "gzip -r -S .x .",
        "gzip -rk .git",
        // find passes files whose (de)compressed names are computed.
        "find . -name '*.gz' -exec gunzip -f {} +",
        "find . -type f -name '*.zst' -exec zstd -d --rm {} \\;",
        "find . -name conf -exec gzip -S ig {} +",
    ]);
    // A blocked file below is read and replaced by a copy nothing blocks.
    refused(&open(), &["gzip -rk .", "bzip2 -r ."]);
    allowed(
        &open(),
        &[
            "gzip -r src",
            "gzip -dr src/deep",
            "gzip src/deep/b.txt",
            "gzip -k a.txt",
            "find . -name '*.log' -exec gzip {} +",
            "find src -name '*.gz' -exec gunzip {} +",
        ],
    );
}

#[test]
fn rsync_remote_options_are_options_of_a_local_copy() {
    refused(
        &open(),
        &[
            "rsync -a -M--log-file={HOME}/.bashrc src/ dst/",
            "rsync -aM--log-file=.git/config src/ dst/",
            "rsync -a --remote-option=--temp-dir={HOME}/.ssh src/ dst/",
            "rsync -a --remote-option --log-file=.git/config src/ dst/",
            "rsync -a --remot=--log-file=.git/config src/ dst/",
            "rsync -a --rem=--log-file=.git/config src/ dst/",
            "rsync -a -M --filter='merge {HOME}/.ssh/id_rsa' src/ dst/",
            "rsync -a -M--exclude-from={HOME}/.ssh/id_rsa src/ dst/",
            "rsync -a -M--write-batch={HOME}/x src/ dst/",
            "rsync -a -M \"$opt\" src/ dst/",
        ],
    );
    allowed(
        &open(),
        &[
            "rsync -a -M--fake-super src/ dst/",
            "rsync -a --remote-option=--log-file=dst.log src/ dst/",
        ],
    );
}

#[test]
fn rsync_batches_merged_rules_and_removed_sources() {
    refused(
        &open(),
        &[
            "rsync -a --read-batch=b .",
            "rsync -a --read-batch b ./",
            "rsync -a --read-batch=b dst",
            "rsync -aF src/ dst/",
            "rsync -a -FF src/ dst/",
            "rsync -a -f ':n- .rsync-filter' src/ dst/",
            "rsync -a --filter='dir-merge .rsync-filter' src/ dst/",
            "rsync -a -f 'merge nested.rules' src/ dst/",
            "rsync -a --filter='. nested.rules' src/ dst/",
            "rsync --remove-source-files .git/config dst/",
            "rsync --remove-source-files .git/hooks/pre-commit.sample dst/",
            "rsync -r --remove-source-files .git/hooks/ dst/",
        ],
    );
    allowed(
        &open(),
        &[
            "rsync -a -f 'merge plain.rules' src/ dst/",
            "rsync -a --exclude-from=list.txt src/ dst/",
            "rsync --remove-source-files src/deep/b.txt dst/",
            "rsync -a src/ dst/",
        ],
    );
}
