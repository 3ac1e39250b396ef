//! Unit tests of the complete option tables of `tool_tables.rs`: each case
//! is an option spelling of the class the table closes, with everyday
//! spellings next to it.

use super::option_harness::*;
use super::*;

fn not_allowed(g: &CommandGuard, cmds: &[&str]) {
    for cmd in cmds {
        assert_ne!(decide(g, cmd).0, "allow", "{cmd}");
    }
}

fn denied(g: &CommandGuard, cmds: &[&str]) {
    for cmd in cmds {
        assert_eq!(decide(g, cmd).0, "deny", "{cmd}");
    }
}

fn allowed(g: &CommandGuard, cmds: &[&str]) {
    for cmd in cmds {
        assert_eq!(decide(g, cmd).0, "allow", "{cmd}");
    }
}

#[test]
fn awk_options_are_read_from_a_complete_table() {
    let g = unrestricted();
    not_allowed(
        &g,
        &[
            "mawk -W exec prog.awk",
            "awk -Wex prog.awk",
            "awk -F: -W exe prog.awk",
            "gawk --load=./ext.so 1 a.txt",
            "gawk -l ext 1 a.txt",
            "gawk --incl=lib.awk 1 a.txt",
            "gawk -ilib.awk 1 a.txt",
            "gawk -Dcmds 1 a.txt",
            "gawk --debug=cmds 1 a.txt",
            "gawk -W debug 1 a.txt",
            "gawk -Z 1 a.txt",
            "gawk --no-such-option 1 a.txt",
            "awk -W interactive,exec prog.awk",
        ],
    );
    denied(
        &g,
        &[
            "gawk -W dump-var={HOME}/.profile 1 a.txt",
            "gawk -nd{HOME}/.profile 1 a.txt",
            "gawk --prof={HOME}/.profile 1 a.txt",
            "gawk -W pretty-print={HOME}/.profile 1 a.txt",
            "gawk -o{HOME}/.profile 1 a.txt",
        ],
    );
    allowed(
        &g,
        &[
            "awk '{print $1}' a.txt",
            "awk -F: '{print $1}' a.txt",
            "awk -v n=2 -F, '{print $n}' a.txt",
            "gawk --posix '{print}' a.txt",
            "mawk -W version",
            "gawk -dvars.out 1 a.txt",
        ],
    );
    denied(
        &guard(CommandMode::Whitelist, &["awk"]),
        &["awk -W exec prog.awk"],
    );
}

#[test]
fn compressor_options_are_read_from_a_complete_table() {
    let g = unrestricted();
    denied(
        &g,
        &[
            "zstd -o {HOME}/.profile a.txt",
            "zstd -kqo{HOME}/.profile a.txt",
            "zstd --output-dir-flat {HOME} a.txt",
            "zstd --output-dir-m={HOME} src",
            "zstd -D {HOME}/.ssh/id_rsa a.txt",
            "zstd --patch-from {HOME}/.ssh/id_rsa a.txt",
            "gzip -kS x/../../home/.profile a.txt",
            "xz --suffix=/../../home/.profile a.txt",
            "xz --files0={HOME}/.ssh/id_rsa",
            "lz4 -D {HOME}/.ssh/id_rsa a.txt",
        ],
    );
    not_allowed(
        &g,
        &[
            "xz --files=list.txt",
            "xz --files",
            "zstd --filelist list.txt",
            "zstd --no-such-option a.txt",
            "gzip -Y a.txt",
        ],
    );
    allowed(
        &g,
        &[
            "gzip -9 a.txt",
            "gzip -dk a.txt.gz",
            "gzip -S .z a.txt",
            "xz -T0 -k a.txt",
            "zstd -19 --long=27 a.txt",
            "zstd -d -o out.txt a.txt.zst",
            "bzip2 -kv a.txt",
        ],
    );
}

#[test]
fn less_options_are_read_from_a_complete_table() {
    let g = unrestricted();
    denied(
        &g,
        &[
            "cat a.txt | less -iO .git/hooks/pre-push",
            "cat a.txt | less -Xo{HOME}/.profile",
            "cat a.txt | less -+S -o {HOME}/.profile",
            "cat a.txt | less --log-fi {HOME}/.profile",
            "cat a.txt | less --LOG-F={HOME}/.profile",
            "cat a.txt | less --LOg-file .git/config",
            "less -T{HOME}/.ssh/id_rsa -t main",
            "less --tag-f {HOME}/.ssh/id_rsa -t main",
        ],
    );
    for cmd in [
        "less -Nk keys a.txt",
        "less --lesskey-c=x a.txt",
        "less --lesskey-s keys.src a.txt",
        "less -Y a.txt",
        "less --no-such-option a.txt",
        "less $flags a.txt",
        "LESS=-R; git log",
        "TMPDIR=out; sort a.txt",
    ] {
        assert_eq!(decide(&g, cmd).0, "ask", "{cmd}");
    }
    allowed(
        &g,
        &[
            "less a.txt",
            "less -RS -x4 a.txt src/main.rs",
            "less -N -- a.txt",
            "git log | less -FRX",
            "less --quit-if-one-screen --RAW-CONTROL-CHARS --chop a.txt",
            "less --log-file=out.log a.txt",
            "less -Ttags -t main",
        ],
    );
}

#[test]
fn output_operands_of_readers_are_writes() {
    let g = unrestricted();
    denied(
        &g,
        &[
            "xxd -g 4 a.txt .git/hooks/post-merge",
            "xxd -g4 -u a.txt .git/config",
            "xxd -groupsize 2 a.txt {HOME}/.bashrc",
            "xxd --seek 2 -r a.txt .git/config",
            "xxd -R auto -- a.txt .git/config",
            "ptx -fG a.txt .git/hooks/pre-push",
            "ptx --tradit --width=40 a.txt .git/config",
            "ptx -w 40 -G -- a.txt .git/config",
            "ptx -b{HOME}/.ssh/id_rsa a.txt",
            "ptx -G --break-f={HOME}/.ssh/id_rsa a.txt",
        ],
    );
    not_allowed(&g, &["xxd $opt a.txt out.hex"]);
    allowed(
        &g,
        &[
            "xxd a.txt",
            "xxd -s 16 -l 32 a.txt out.hex",
            "xxd -r -p a.txt - > b.bin",
            "ptx a.txt src/main.rs",
            "ptx -G a.txt out.txt",
        ],
    );
}

#[test]
fn single_options_naming_files_or_pagers() {
    let g = unrestricted();
    denied(
        &g,
        &[
            "shred -x --random-source {HOME}/.ssh/id_rsa a.txt",
            "file -bm {HOME}/.ssh/id_rsa a.txt",
            "file --magic-f=x.mgc:{HOME}/.ssh/id_rsa a.txt",
            "hexdump -Cf{HOME}/.ssh/id_rsa a.txt",
            "hexdump --format-f {HOME}/.ssh/id_rsa a.txt",
            "strings -d @{HOME}/.ssh/id_rsa",
            "strings a.txt -- @{HOME}/.ssh/id_rsa",
            "zdiff -u --from-f={HOME}/.ssh/id_rsa a.gz",
            "zcmp --exclude-f {HOME}/.ssh/id_rsa a.gz b.gz",
            "ack --ackrc {HOME}/.ssh/id_rsa x",
        ],
    );
    for cmd in [
        "ag --pager=more x src",
        "ag -i --page more x",
        "ack -i --pager more x",
        "ack --pag=more x",
        "objdump -lS a.out",
        "objdump --source a.out",
        "strings @args.txt",
        "echo --pager=more > .ackrc; ack x",
    ] {
        let (verdict, _) = decide(&g, cmd);
        assert_eq!(verdict, "ask", "{cmd}");
    }
    allowed(
        &g,
        &[
            "shred -n 1 -u a.txt",
            "file -b a.txt",
            "hexdump -C -n 64 a.txt",
            "strings -n 8 a.txt",
            "zdiff a.gz b.gz",
            "ag -i x src",
            "ack -i x src",
            "objdump -d a.out",
        ],
    );
}

#[test]
fn single_tool_options_that_run_read_or_write() {
    let g = unrestricted();
    not_allowed(
        &g,
        &[
            "yq -s '\"out\"' a.txt",
            "yq -Ps '\"out\"' a.txt",
            "yq --split='\"out\"' a.txt",
            "bat --pager=less a.txt",
            "bat --pag 'sh -c x' a.txt",
            "bat --generate-config",
            "bat cache -b",
            "rg --hostname-bin ./h.sh x",
            "rg --hostn=./h.sh x",
            "rg --no-such-option x",
            "rg -Zx x",
            "zless +/x a.txt.gz",
            "bzless -k keys a.txt.bz2",
            "tar -xs -f a.tar",
            "bsdtar -xf a.tar -s ,a,b,",
            "tar xsf a.tar",
        ],
    );
    denied(
        &g,
        &[
            "rsync -f 'merge {HOME}/.ssh/id_rsa' src/ b/",
            "rsync --filter=':- {HOME}/.ssh/id_rsa' src/ b/",
            "rsync -avf'dir-merge,- {HOME}/.ssh/id_rsa' src/ b/",
            "who {HOME}/.ssh/id_rsa",
            "users {HOME}/.ssh/id_rsa",
            "hostname --file {HOME}/.ssh/id_rsa",
            "hostname -F{HOME}/.ssh/id_rsa",
            "rg --ignore-file {HOME}/.ssh/id_rsa x",
            "rg -nf{HOME}/.ssh/id_rsa src",
        ],
    );
    allowed(
        &g,
        &[
            "rg -n x src",
            "rg -C2 -tpy --glob '*.rs' -uuu x src",
            "rg --max-count=3 --json -e x -- src",
            "bat a.txt",
            "bat --paging=never a.txt",
            "yq '.a' a.txt",
            "yq -oshell '.a' a.txt",
            "zless a.txt.gz",
            "rsync -av --filter='- *.o' src/ b/",
            "tar -czf b.tgz src",
            "who",
            "who am i",
            "hostname",
        ],
    );
}
