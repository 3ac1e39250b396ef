//! The seccomp filter: system calls that let a confined process escape or
//! attack the kernel fail with `EPERM`, and sockets are limited to the
//! address families the network mode needs.
//!
//! The rules are a table ([`rules`]); [`compile`] turns it into one classic
//! BPF program laid out as a binary search over the listed system call
//! numbers. Why not a filter compiler crate: the ones available (seccompiler)
//! emit one comparison per listed call, so every call walks the whole list,
//! and the kernel pays for that length on every start: it converts and JITs
//! the program and, while attaching it, runs it once per system call number
//! to find the calls it can allow without running it. With ~50 listed calls
//! that was the largest single step of the helper's start (~160 µs); the
//! search tree needs a few comparisons per call. The tests run the compiled
//! program in a small BPF interpreter against the table for every number.

use std::collections::BTreeMap;

use libc::sock_filter;

/// What the filter does with one listed system call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Always `EPERM`.
    Deny,
    /// `ENOSYS`, so that the C library falls back to an older call the filter can inspect.
    NoSys,
    /// `EPERM` when the low 32 bits of argument `arg` have any bit of `mask` set.
    DenyIfAnyBit { arg: u8, mask: u32 },
    /// `EPERM` unless the low 32 bits of argument `arg` have every bit of
    /// `set` set and none of `clear`.
    DenyUnlessFlags { arg: u8, set: u32, clear: u32 },
    /// `EPERM` when, for every `(arg, mask)` of `all`, the low 32 bits of
    /// argument `arg` have any bit of `mask` set.
    DenyIfAllAnyBit { all: Vec<(u8, u32)> },
    /// `EPERM` when the low 32 bits of argument `arg` equal one of `values`.
    DenyIfOneOf { arg: u8, values: Vec<u32> },
    /// `EPERM` unless the low 32 bits of argument `arg`, with the bits of
    /// `ignore` cleared, equal one of `values`.
    AllowOnlyOneOf {
        arg: u8,
        ignore: u32,
        values: Vec<u32>,
    },
}

/// `fchmodat2` (Linux 6.6). The `libc` crate names it for x86_64 only; calls
/// added since Linux 5.1 have one number on every architecture.
const SYS_FCHMODAT2: libc::c_long = 452;

/// System calls refused outright.
/// `F_SETSIG` and `F_SETOWN_EX` of `<asm-generic/fcntl.h>` (x86_64 and
/// aarch64), which `libc` does not name.
pub const F_SETSIG: libc::c_int = 10;
pub const F_SETOWN_EX: libc::c_int = 15;

/// `fcntl` commands the command may not use (see [`rules`]).
const REFUSED_FCNTL: [libc::c_int; 5] = [
    libc::F_SETLEASE,
    libc::F_SETPIPE_SZ,
    libc::F_SETOWN,
    F_SETOWN_EX,
    F_SETSIG,
];

fn denied_syscalls() -> Vec<libc::c_long> {
    // Extended below on x86_64 only.
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_mut))]
    let mut v = vec![
        // Debugging or reading other processes.
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        // Kernel keyrings are shared with processes outside.
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_keyctl,
        // Large attack surface, and io_uring bypasses seccomp for its own operations.
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_userfaultfd,
        // Kernel code and system state.
        libc::SYS_kexec_load,
        libc::SYS_kexec_file_load,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_reboot,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_acct,
        libc::SYS_syslog,
        libc::SYS_quotactl,
        libc::SYS_settimeofday,
        libc::SYS_clock_settime,
        libc::SYS_clock_adjtime,
        libc::SYS_vhangup,
        // The mount table is fixed once the helper has set it up.
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_chroot,
        libc::SYS_move_mount,
        libc::SYS_open_tree,
        libc::SYS_fsopen,
        libc::SYS_fsconfig,
        libc::SYS_fsmount,
        libc::SYS_fspick,
        libc::SYS_mount_setattr,
        // Entering other namespaces.
        libc::SYS_setns,
        // File handles bypass path-based checks.
        libc::SYS_open_by_handle_at,
        libc::SYS_name_to_handle_at,
    ];
    #[cfg(target_arch = "x86_64")]
    v.extend([libc::SYS_iopl, libc::SYS_ioperm]);
    v
}

/// The rule table. `socket_families` are the address families `socket(2)`
/// may create; every other family fails with `EPERM`.
pub fn rules(socket_families: &[i32]) -> BTreeMap<u32, Rule> {
    let mut rules = BTreeMap::new();
    for nr in denied_syscalls() {
        rules.insert(nr as u32, Rule::Deny);
    }
    // A nested user namespace would give the command capabilities again.
    // Clone flags are taken from the low 32 bits by the kernel.
    let newuser = Rule::DenyIfAnyBit {
        arg: 0,
        mask: libc::CLONE_NEWUSER as u32,
    };
    rules.insert(libc::SYS_unshare as u32, newuser.clone());
    rules.insert(libc::SYS_clone as u32, newuser);
    // clone3 keeps its flags in memory a filter cannot read.
    rules.insert(libc::SYS_clone3 as u32, Rule::NoSys);
    // Faking terminal input into the caller's terminal, and console control.
    // The request number is an `unsigned int`.
    rules.insert(
        libc::SYS_ioctl as u32,
        Rule::DenyIfOneOf {
            arg: 1,
            values: vec![libc::TIOCSTI as u32, libc::TIOCLINUX as u32],
        },
    );
    // A lease (`F_SETLEASE`) on a file the command can open makes every
    // process of the host that opens it for writing or truncates it wait
    // for the command, up to `lease-break-time` (45 s) each time: root's
    // own files outside, the user's dotfiles. The command needs none.
    // `F_NOTIFY` (directory notification) stalls nobody and stays.
    // The caller's anonymous pipes reach the command as they are (see
    // `relay.rs`), and some state set through them belongs to the pipe or
    // its open file description, shared with the caller, and outlives the
    // run: the pipe's capacity (`F_SETPIPE_SZ`), and who gets `SIGIO` and
    // which signal it is (`F_SETOWN`, `F_SETOWN_EX`, `F_SETSIG`). Programs
    // take a refused `F_SETPIPE_SZ` as an optimisation that failed. The
    // status flags (`F_SETFL`: `O_NONBLOCK`, `O_ASYNC`) are shared too, but
    // the helper puts them back after the run (`tty::restore_flags`).
    rules.insert(
        libc::SYS_fcntl as u32,
        Rule::DenyIfOneOf {
            arg: 1,
            values: REFUSED_FCNTL.iter().map(|c| *c as u32).collect(),
        },
    );
    rules.insert(
        libc::SYS_socket as u32,
        Rule::AllowOnlyOneOf {
            arg: 0,
            ignore: 0,
            values: socket_families.iter().map(|f| *f as u32).collect(),
        },
    );
    set_id_bits(&mut rules);
    // A datagram pair is not bound to its peer: `sendto` with a path, or
    // `connect` to one, reaches any datagram socket of the host (the
    // system log among them). Stream and seqpacket pairs are connected to
    // each other for good: `connect` fails and the kernel refuses
    // (stream) or ignores (seqpacket) an address given to `sendto`. The
    // flag bits may be or'ed into the type.
    rules.insert(
        libc::SYS_socketpair as u32,
        Rule::AllowOnlyOneOf {
            arg: 1,
            ignore: (libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC) as u32,
            values: vec![libc::SOCK_STREAM as u32, libc::SOCK_SEQPACKET as u32],
        },
    );
    rules
}

/// No file with the set-user-ID or set-group-ID bit comes out of a run:
/// a command could otherwise leave in the workspace a copy of a shell that
/// gives its owner's rights (root's, when run as root) to whoever runs it
/// after the run. Every call that sets a mode is refused when the mode has
/// one of the bits: `chmod`, `fchmod`, `fchmodat`, `fchmodat2` (mode in the
/// third argument), `mknod*`, `creat`, and `open`/`openat` when they
/// create (`O_CREAT`, `O_TMPFILE`; without them the mode is not used and
/// may be anything). `openat2` keeps its mode in memory a filter cannot
/// read: `ENOSYS`, so the C library and programs fall back to `openat`.
/// `mkdir*` need no rule: the kernel drops both bits from their mode. The
/// other ways to such a file need capabilities the command does not have
/// (`chown` of another's file; `security.capability` attributes need
/// `CAP_SETFCAP`), and writing to a set-ID file clears its bits.
fn set_id_bits(rules: &mut BTreeMap<u32, Rule>) {
    let set_id: u32 = libc::S_ISUID | libc::S_ISGID;
    let mode_at = |arg: u8| Rule::DenyIfAnyBit { arg, mask: set_id };
    // O_TMPFILE includes O_DIRECTORY, which plain opens of directories
    // also carry: only its own bit counts.
    let creates = (libc::O_CREAT | (libc::O_TMPFILE & !libc::O_DIRECTORY)) as u32;
    rules.insert(libc::SYS_fchmod as u32, mode_at(1));
    rules.insert(libc::SYS_fchmodat as u32, mode_at(2));
    rules.insert(SYS_FCHMODAT2 as u32, mode_at(2));
    rules.insert(libc::SYS_mknodat as u32, mode_at(2));
    rules.insert(
        libc::SYS_openat as u32,
        Rule::DenyIfAllAnyBit {
            all: vec![(2, creates), (3, set_id)],
        },
    );
    rules.insert(libc::SYS_openat2 as u32, Rule::NoSys);
    #[cfg(target_arch = "x86_64")]
    {
        rules.insert(libc::SYS_chmod as u32, mode_at(1));
        rules.insert(libc::SYS_mknod as u32, mode_at(1));
        rules.insert(libc::SYS_creat as u32, mode_at(1));
        rules.insert(
            libc::SYS_open as u32,
            Rule::DenyIfAllAnyBit {
                all: vec![(1, creates), (2, set_id)],
            },
        );
    }
}

// Classic BPF opcodes (linux/filter.h) and seccomp return values.
/// `BPF_LD | BPF_W | BPF_ABS` (the first two are 0).
const BPF_LD_W_ABS: u16 = 0x20;
const BPF_JMP_JA: u16 = 0x05;
const BPF_JEQ_K: u16 = 0x05 | 0x10;
const BPF_JGT_K: u16 = 0x05 | 0x20;
const BPF_JGE_K: u16 = 0x05 | 0x30;
const BPF_JSET_K: u16 = 0x05 | 0x40;
const BPF_RET_K: u16 = 0x06;
/// `BPF_ALU | BPF_AND | BPF_K`.
const BPF_AND_K: u16 = 0x04 | 0x50;
const SECCOMP_RET_ALLOW: u32 = 0x7fff_0000;
const SECCOMP_RET_ERRNO: u32 = 0x0005_0000;
const RET_EPERM: u32 = SECCOMP_RET_ERRNO | libc::EPERM as u32;
const RET_ENOSYS: u32 = SECCOMP_RET_ERRNO | libc::ENOSYS as u32;

// Offsets in `struct seccomp_data`; arguments are 64-bit, little-endian
// on the supported architectures, so the low word comes first.
const OFF_NR: u32 = 0;
const OFF_ARCH: u32 = 4;
#[cfg(not(target_endian = "little"))]
compile_error!("the seccomp filter reads argument low words at little-endian offsets");
const fn off_arg_low(arg: u8) -> u32 {
    16 + 8 * arg as u32
}

#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 62 | 0x8000_0000 | 0x4000_0000;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH: u32 = 183 | 0x8000_0000 | 0x4000_0000;
/// x32 system call numbers carry this bit on x86_64; no native number reaches it.
const X32_SYSCALL_BIT: u32 = 0x4000_0000;

type Label = usize;

enum Op {
    Load(u32),
    /// `A &= k`.
    And(u32),
    Ret(u32),
    /// Go to `target` when `A <code> k`, else on to the next instruction:
    /// one instruction when the target is near, else two (through `ja`).
    JumpIf {
        code: u16,
        k: u32,
        target: Label,
    },
    /// Conditional jump to `t` when true, `f` when false (both near).
    Jump {
        code: u16,
        k: u32,
        t: Label,
        f: Label,
    },
    /// Unconditional jump (32-bit offset).
    Always(Label),
    Bind(Label),
}

/// A tiny assembler with forward labels.
struct Asm {
    ops: Vec<Op>,
    labels: usize,
}

impl Asm {
    fn label(&mut self) -> Label {
        self.labels += 1;
        self.labels - 1
    }
    fn bind(&mut self, l: Label) {
        self.ops.push(Op::Bind(l));
    }
    fn jump_if(&mut self, code: u16, k: u32, target: Label) {
        self.ops.push(Op::JumpIf { code, k, target });
    }

    /// Lay the program out: a conditional jump whose target is more than
    /// 255 instructions away gets an unconditional jump behind it, which
    /// moves what follows, so repeat until nothing changes (it only grows).
    fn finish(self) -> Result<Vec<sock_filter>, String> {
        let mut long = vec![false; self.ops.len()];
        let mut at = vec![usize::MAX; self.labels];
        loop {
            let mut pc = 0;
            for (i, op) in self.ops.iter().enumerate() {
                match op {
                    Op::Bind(l) => at[*l] = pc,
                    Op::JumpIf { .. } if long[i] => pc += 2,
                    _ => pc += 1,
                }
            }
            let mut changed = false;
            let mut pc = 0;
            for (i, op) in self.ops.iter().enumerate() {
                match op {
                    Op::Bind(_) => continue,
                    Op::JumpIf { target, .. }
                        if !long[i] && at[*target] != usize::MAX && at[*target] > pc + 256 =>
                    {
                        long[i] = true;
                        changed = true;
                    }
                    _ => {}
                }
                pc += if long[i] { 2 } else { 1 };
            }
            if !changed {
                break;
            }
        }
        let offset = |from: usize, to: Label| -> Result<usize, String> {
            let to = at[to];
            if to == usize::MAX || to <= from {
                return Err("seccomp filter: unbound or backward jump".into());
            }
            Ok(to - from - 1)
        };
        let short =
            |o: usize| u8::try_from(o).map_err(|_| "seccomp filter: jump too far".to_string());
        let mut out = Vec::with_capacity(self.ops.len() + 16);
        for (i, op) in self.ops.iter().enumerate() {
            let pc = out.len();
            match op {
                Op::Bind(_) => {}
                Op::Load(off) => out.push(stmt(BPF_LD_W_ABS, *off)),
                Op::And(k) => out.push(stmt(BPF_AND_K, *k)),
                Op::Ret(v) => out.push(stmt(BPF_RET_K, *v)),
                Op::Always(l) => out.push(stmt(BPF_JMP_JA, offset(pc, *l)? as u32)),
                Op::JumpIf { code, k, target } if long[i] => {
                    out.push(sock_filter {
                        code: *code,
                        jt: 0,
                        jf: 1,
                        k: *k,
                    });
                    out.push(stmt(BPF_JMP_JA, offset(pc + 1, *target)? as u32));
                }
                Op::JumpIf { code, k, target } => out.push(sock_filter {
                    code: *code,
                    jt: short(offset(pc, *target)?)?,
                    jf: 0,
                    k: *k,
                }),
                Op::Jump { code, k, t, f } => out.push(sock_filter {
                    code: *code,
                    jt: short(offset(pc, *t)?)?,
                    jf: short(offset(pc, *f)?)?,
                    k: *k,
                }),
            }
        }
        if out.len() > u16::MAX as usize {
            return Err("seccomp filter too long".into());
        }
        Ok(out)
    }
}

fn stmt(code: u16, k: u32) -> sock_filter {
    sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

/// Consecutive system call numbers that go to the same place.
#[derive(Clone, Copy)]
struct Span {
    lo: u32,
    hi: u32,
    target: Label,
}

/// Emit a binary search over `spans` (sorted, disjoint): a number inside a
/// span jumps to its target; anything else is allowed.
fn search(asm: &mut Asm, spans: &[Span]) {
    if spans.len() <= 3 {
        for s in spans {
            if s.lo == s.hi {
                asm.jump_if(BPF_JEQ_K, s.lo, s.target);
            } else {
                let next = asm.label();
                asm.jump_if(BPF_JGT_K, s.hi, next);
                asm.jump_if(BPF_JGE_K, s.lo, s.target);
                // Below this span and above the ones before: a gap.
                asm.ops.push(Op::Ret(SECCOMP_RET_ALLOW));
                asm.bind(next);
            }
        }
        asm.ops.push(Op::Ret(SECCOMP_RET_ALLOW));
        return;
    }
    let mid = spans.len() / 2;
    let upper = asm.label();
    asm.jump_if(BPF_JGE_K, spans[mid].lo, upper);
    search(asm, &spans[..mid]);
    asm.bind(upper);
    search(asm, &spans[mid..]);
}

/// Compile the rule table into one BPF program: foreign architectures and
/// x32 numbers are refused, then a binary search finds the rule of the call.
pub fn compile(rules: &BTreeMap<u32, Rule>) -> Result<Vec<sock_filter>, String> {
    let mut asm = Asm {
        ops: Vec::with_capacity(256),
        labels: 0,
    };
    let eperm = asm.label();
    let enosys = asm.label();
    // A different architecture (32-bit calls): refuse everything.
    asm.ops.push(Op::Load(OFF_ARCH));
    let native = asm.label();
    let foreign = asm.label();
    asm.ops.push(Op::Jump {
        code: BPF_JEQ_K,
        k: AUDIT_ARCH,
        t: native,
        f: foreign,
    });
    asm.bind(foreign);
    asm.ops.push(Op::Ret(RET_EPERM));
    asm.bind(native);
    asm.ops.push(Op::Load(OFF_NR));
    asm.jump_if(BPF_JGE_K, X32_SYSCALL_BIT, eperm);

    let mut handlers: Vec<(Label, &Rule)> = Vec::with_capacity(8);
    let mut spans: Vec<Span> = Vec::with_capacity(rules.len());
    for (nr, rule) in rules {
        let target = match rule {
            Rule::Deny => eperm,
            Rule::NoSys => enosys,
            other => {
                let l = asm.label();
                handlers.push((l, other));
                l
            }
        };
        match spans.last_mut() {
            // Handlers are per call; only the shared returns merge.
            Some(last) if last.hi + 1 == *nr && last.target == target && target == eperm => {
                last.hi = *nr
            }
            _ => spans.push(Span {
                lo: *nr,
                hi: *nr,
                target,
            }),
        }
    }
    search(&mut asm, &spans);

    for (label, rule) in handlers {
        asm.bind(label);
        let allow = asm.label();
        let deny = asm.label();
        match rule {
            Rule::DenyIfAnyBit { arg, mask } => {
                asm.ops.push(Op::Load(off_arg_low(*arg)));
                asm.ops.push(Op::Jump {
                    code: BPF_JSET_K,
                    k: *mask,
                    t: deny,
                    f: allow,
                });
            }
            Rule::DenyUnlessFlags { arg, set, clear } => {
                asm.ops.push(Op::Load(off_arg_low(*arg)));
                asm.jump_if(BPF_JSET_K, *clear, deny);
                asm.ops.push(Op::And(*set));
                asm.ops.push(Op::Jump {
                    code: BPF_JEQ_K,
                    k: *set,
                    t: allow,
                    f: deny,
                });
            }
            Rule::DenyIfAllAnyBit { all } => {
                for (arg, mask) in all {
                    asm.ops.push(Op::Load(off_arg_low(*arg)));
                    let next = asm.label();
                    asm.ops.push(Op::Jump {
                        code: BPF_JSET_K,
                        k: *mask,
                        t: next,
                        f: allow,
                    });
                    asm.bind(next);
                }
                asm.ops.push(Op::Always(deny));
            }
            Rule::DenyIfOneOf { arg, values } => {
                asm.ops.push(Op::Load(off_arg_low(*arg)));
                for v in values {
                    asm.jump_if(BPF_JEQ_K, *v, deny);
                }
                asm.ops.push(Op::Always(allow));
            }
            Rule::AllowOnlyOneOf {
                arg,
                ignore,
                values,
            } => {
                asm.ops.push(Op::Load(off_arg_low(*arg)));
                if *ignore != 0 {
                    asm.ops.push(Op::And(!*ignore));
                }
                for v in values {
                    asm.jump_if(BPF_JEQ_K, *v, allow);
                }
                asm.ops.push(Op::Always(deny));
            }
            Rule::Deny | Rule::NoSys => unreachable!("handled by the shared returns"),
        }
        asm.bind(allow);
        asm.ops.push(Op::Ret(SECCOMP_RET_ALLOW));
        asm.bind(deny);
        asm.ops.push(Op::Ret(RET_EPERM));
    }
    asm.bind(eperm);
    asm.ops.push(Op::Ret(RET_EPERM));
    asm.bind(enosys);
    asm.ops.push(Op::Ret(RET_ENOSYS));
    asm.finish()
}

/// `filesystem.allow_symlinks: false`: no symbolic link can be created
/// (`symlink`, `symlinkat`: `EPERM`). Nor a new name for an existing one:
/// `link` and `linkat` do not follow a symbolic link they are given, so a
/// hard link to a link is a link at a name the command chose (a relative
/// one leads somewhere else from there). A filter cannot see what the
/// path names, so `link` is refused, and `linkat` unless it follows
/// (`AT_SYMLINK_FOLLOW`: the new name is then a hard link to the file the
/// link leads to, never a link) or names the file by a descriptor
/// (`AT_EMPTY_PATH`, which could be one opened on a link). `ln` without `-L` fails (`EPERM`);
/// `ln -L`, `cp -l` (which follows) and renames work, and `git clone` of a
/// local path falls back to copying. Following existing links needs no
/// rule: every mechanism acts on the real path a link leads to.
pub fn deny_symlinks(rules: &mut BTreeMap<u32, Rule>) {
    #[cfg(target_arch = "x86_64")]
    {
        rules.insert(libc::SYS_symlink as u32, Rule::Deny);
        rules.insert(libc::SYS_link as u32, Rule::Deny);
    }
    rules.insert(libc::SYS_symlinkat as u32, Rule::Deny);
    rules.insert(
        libc::SYS_linkat as u32,
        Rule::DenyUnlessFlags {
            arg: 4,
            set: libc::AT_SYMLINK_FOLLOW as u32,
            clear: libc::AT_EMPTY_PATH as u32,
        },
    );
}

/// Build and install the filter on the calling thread (sets no_new_privs).
/// With `no_symlinks`, creating symbolic links is refused too.
pub fn apply(socket_families: &[i32], no_symlinks: bool) -> Result<(), String> {
    let mut table = rules(socket_families);
    if no_symlinks {
        deny_symlinks(&mut table);
    }
    let program = compile(&table)?;
    super::sys::install_seccomp_filter(&program).map_err(|e| format!("installing the filter: {e}"))
}

#[cfg(test)]
// The type of ioctl request numbers differs between C libraries.
#[allow(clippy::unnecessary_cast)]
mod tests {
    use super::*;

    /// What a call with these values does, read from the table.
    fn expected(rules: &BTreeMap<u32, Rule>, arch: u32, nr: u32, args: [u64; 6]) -> u32 {
        if arch != AUDIT_ARCH || nr >= X32_SYSCALL_BIT {
            return RET_EPERM;
        }
        let low = |a: &u8| args[*a as usize] as u32;
        match rules.get(&nr) {
            None => SECCOMP_RET_ALLOW,
            Some(Rule::Deny) => RET_EPERM,
            Some(Rule::NoSys) => RET_ENOSYS,
            Some(Rule::DenyIfAnyBit { arg, mask }) => {
                if low(arg) & mask != 0 {
                    RET_EPERM
                } else {
                    SECCOMP_RET_ALLOW
                }
            }
            Some(Rule::DenyUnlessFlags { arg, set, clear }) => {
                if low(arg) & set == *set && low(arg) & clear == 0 {
                    SECCOMP_RET_ALLOW
                } else {
                    RET_EPERM
                }
            }
            Some(Rule::DenyIfAllAnyBit { all }) => {
                if all.iter().all(|(arg, mask)| low(arg) & mask != 0) {
                    RET_EPERM
                } else {
                    SECCOMP_RET_ALLOW
                }
            }
            Some(Rule::DenyIfOneOf { arg, values }) => {
                if values.contains(&low(arg)) {
                    RET_EPERM
                } else {
                    SECCOMP_RET_ALLOW
                }
            }
            Some(Rule::AllowOnlyOneOf {
                arg,
                ignore,
                values,
            }) => {
                if values.contains(&(low(arg) & !ignore)) {
                    SECCOMP_RET_ALLOW
                } else {
                    RET_EPERM
                }
            }
        }
    }

    /// A classic BPF interpreter for the instructions the compiler emits;
    /// anything else fails the test.
    fn run(prog: &[sock_filter], arch: u32, nr: u32, args: [u64; 6]) -> u32 {
        run_counting(prog, arch, nr, args).0
    }

    /// Like [`run`], also returning how many instructions ran.
    fn run_counting(prog: &[sock_filter], arch: u32, nr: u32, args: [u64; 6]) -> (u32, usize) {
        let mut data = Vec::with_capacity(64);
        data.extend_from_slice(&nr.to_le_bytes());
        data.extend_from_slice(&arch.to_le_bytes());
        data.extend_from_slice(&0u64.to_le_bytes());
        for a in args {
            data.extend_from_slice(&a.to_le_bytes());
        }
        let mut acc = 0u32;
        let mut pc = 0usize;
        let mut steps = 0;
        loop {
            steps += 1;
            assert!(steps < 10_000, "runaway filter");
            let ins = prog[pc];
            pc += 1;
            match ins.code {
                BPF_LD_W_ABS => {
                    let o = ins.k as usize;
                    acc = u32::from_le_bytes(data[o..o + 4].try_into().unwrap());
                }
                BPF_AND_K => acc &= ins.k,
                BPF_RET_K => return (ins.k, steps),
                BPF_JMP_JA => pc += ins.k as usize,
                BPF_JEQ_K | BPF_JGT_K | BPF_JGE_K | BPF_JSET_K => {
                    let taken = match ins.code {
                        BPF_JEQ_K => acc == ins.k,
                        BPF_JGT_K => acc > ins.k,
                        BPF_JGE_K => acc >= ins.k,
                        _ => acc & ins.k != 0,
                    };
                    pc += if taken { ins.jt } else { ins.jf } as usize;
                }
                other => panic!("unexpected opcode {other:#x}"),
            }
        }
    }

    fn check_all(families: &[i32]) {
        check_table(&rules(families));
    }

    fn check_table(rules: &BTreeMap<u32, Rule>) {
        let prog = compile(rules).unwrap();
        let mut arg_cases: Vec<[u64; 6]> = vec![[0; 6]];
        for v in [
            libc::CLONE_NEWUSER as u64,
            (libc::CLONE_NEWUSER | libc::CLONE_NEWNS) as u64,
            libc::CLONE_NEWNS as u64,
            libc::SIGCHLD as u64,
            libc::TIOCSTI as u64,
            libc::TIOCLINUX as u64,
            libc::TIOCGWINSZ as u64,
            libc::AF_UNIX as u64,
            libc::AF_INET as u64,
            libc::AF_INET6 as u64,
            libc::AF_NETLINK as u64,
            libc::AF_PACKET as u64,
            libc::AF_VSOCK as u64,
            (1u64 << 32) | libc::AF_UNIX as u64,
            libc::SOCK_STREAM as u64,
            libc::SOCK_DGRAM as u64,
            libc::SOCK_SEQPACKET as u64,
            (libc::SOCK_DGRAM | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK) as u64,
            (libc::SOCK_STREAM | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK) as u64,
            (libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC) as u64,
            libc::SOCK_RAW as u64,
            (1u64 << 32) | libc::SOCK_DGRAM as u64,
            u64::MAX,
        ] {
            arg_cases.push([v, v, 0, 0, 0, 0]);
            arg_cases.push([0, v, 0, 0, 0, 0]);
            arg_cases.push([v, 0, 0, 0, 0, 0]);
        }
        // Modes and open flags in the places the set-ID rules look at.
        let modes = [0o755u64, 0o4755, 0o2755, 0o6777, 0o1777, u64::MAX];
        let flags = [
            libc::O_RDONLY as u64,
            (libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC) as u64,
            (libc::O_RDONLY | libc::O_DIRECTORY) as u64,
            (libc::O_TMPFILE | libc::O_RDWR) as u64,
        ];
        for m in modes {
            arg_cases.push([0, m, 0, 0, 0, 0]);
            arg_cases.push([0, 0, m, 0, 0, 0]);
            for fl in flags {
                arg_cases.push([0, fl, m, 0, 0, 0]);
                arg_cases.push([0, 0, fl, m, 0, 0]);
            }
        }
        // `linkat` flags.
        for fl in [
            0u64,
            libc::AT_SYMLINK_FOLLOW as u64,
            libc::AT_EMPTY_PATH as u64,
            (libc::AT_SYMLINK_FOLLOW | libc::AT_EMPTY_PATH) as u64,
            (libc::AT_SYMLINK_FOLLOW as u64) | (1 << 32),
        ] {
            arg_cases.push([0, 0, 0, 0, fl, 0]);
        }
        let numbers = (0..1100u32)
            .chain([X32_SYSCALL_BIT, X32_SYSCALL_BIT | 1, X32_SYSCALL_BIT | 59])
            .chain([u32::MAX]);
        for nr in numbers {
            for arch in [AUDIT_ARCH, 0x4000_0003 /* i386 */, 0] {
                for args in &arg_cases {
                    assert_eq!(
                        run(&prog, arch, nr, *args),
                        expected(rules, arch, nr, *args),
                        "nr {nr} arch {arch:#x} args {args:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_compiled_filter_agrees_with_the_table_for_every_call() {
        check_all(&[libc::AF_UNIX]);
        check_all(&[libc::AF_UNIX, libc::AF_NETLINK]);
        check_all(&[
            libc::AF_UNIX,
            libc::AF_NETLINK,
            libc::AF_INET,
            libc::AF_INET6,
        ]);
    }

    #[test]
    fn symbolic_links_are_refused_only_when_the_policy_says_so() {
        let plain = rules(&[libc::AF_UNIX]);
        assert!(!plain.contains_key(&(libc::SYS_symlinkat as u32)));
        let mut table = plain.clone();
        deny_symlinks(&mut table);
        assert!(matches!(
            table.get(&(libc::SYS_symlinkat as u32)),
            Some(Rule::Deny)
        ));
        #[cfg(target_arch = "x86_64")]
        assert!(matches!(
            table.get(&(libc::SYS_symlink as u32)),
            Some(Rule::Deny)
        ));
        // exec16 H5: a hard link that does not follow could name a link.
        #[cfg(target_arch = "x86_64")]
        assert!(matches!(
            table.get(&(libc::SYS_link as u32)),
            Some(Rule::Deny)
        ));
        let prog = compile(&table).unwrap();
        let follow = libc::AT_SYMLINK_FOLLOW as u64;
        let linkat = libc::SYS_linkat as u32;
        assert_eq!(run(&prog, AUDIT_ARCH, linkat, [0; 6]), RET_EPERM);
        assert_eq!(
            run(&prog, AUDIT_ARCH, linkat, [0, 0, 0, 0, follow, 0]),
            SECCOMP_RET_ALLOW
        );
        let empty = libc::AT_EMPTY_PATH as u64;
        assert_eq!(
            run(&prog, AUDIT_ARCH, linkat, [0, 0, 0, 0, follow | empty, 0]),
            RET_EPERM
        );
        let plain_prog = compile(&plain).unwrap();
        assert_eq!(
            run(&plain_prog, AUDIT_ARCH, linkat, [0; 6]),
            SECCOMP_RET_ALLOW
        );
        // Renames stay allowed.
        assert!(!table.contains_key(&(libc::SYS_renameat2 as u32)));
        check_table(&table);
    }

    #[test]
    fn long_programs_jump_far_correctly() {
        // Hundreds of listed calls, spans and single numbers: targets more
        // than 255 instructions away need the two-instruction form.
        let mut table = rules(&[libc::AF_UNIX]);
        for nr in (500..1000).step_by(3) {
            table.insert(nr, Rule::Deny);
            table.insert(nr + 1, Rule::Deny);
        }
        for nr in (200..260).step_by(7) {
            table.insert(nr, Rule::NoSys);
        }
        let prog = compile(&table).unwrap();
        assert!(prog.len() > 300, "{}", prog.len());
        assert!(prog.iter().any(|i| i.code == BPF_JMP_JA && i.k > 255));
        check_table(&table);
    }

    #[test]
    fn the_table_refuses_the_escape_prone_calls() {
        let rules = rules(&[libc::AF_UNIX]);
        let prog = compile(&rules).unwrap();
        let call = |nr: libc::c_long, a0: u64, a1: u64| {
            run(&prog, AUDIT_ARCH, nr as u32, [a0, a1, 0, 0, 0, 0])
        };
        for nr in [
            libc::SYS_ptrace,
            libc::SYS_keyctl,
            libc::SYS_io_uring_setup,
            libc::SYS_bpf,
            libc::SYS_mount,
            libc::SYS_setns,
            libc::SYS_open_by_handle_at,
        ] {
            assert_eq!(call(nr, 0, 0), RET_EPERM, "{nr}");
        }
        assert_eq!(call(libc::SYS_clone3, 0, 0), RET_ENOSYS);
        let newuser = libc::CLONE_NEWUSER as u64;
        assert_eq!(call(libc::SYS_unshare, newuser, 0), RET_EPERM);
        assert_eq!(call(libc::SYS_clone, newuser, 0), RET_EPERM);
        assert_eq!(
            call(libc::SYS_clone, libc::SIGCHLD as u64, 0),
            SECCOMP_RET_ALLOW
        );
        assert_eq!(call(libc::SYS_ioctl, 1, libc::TIOCSTI as u64), RET_EPERM);
        assert_eq!(call(libc::SYS_fcntl, 3, libc::F_SETLEASE as u64), RET_EPERM);
        for cmd in [libc::F_SETPIPE_SZ, libc::F_SETOWN, F_SETOWN_EX, F_SETSIG] {
            assert_eq!(call(libc::SYS_fcntl, 0, cmd as u64), RET_EPERM, "{cmd}");
        }
        for cmd in [
            libc::F_GETPIPE_SZ,
            libc::F_GETOWN,
            libc::F_SETFL,
            libc::F_GETLEASE,
            libc::F_SETLK,
            libc::F_NOTIFY,
            libc::F_GETFL,
        ] {
            assert_eq!(call(libc::SYS_fcntl, 3, cmd as u64), SECCOMP_RET_ALLOW);
        }
        assert_eq!(
            call(libc::SYS_ioctl, 1, libc::TIOCGWINSZ as u64),
            SECCOMP_RET_ALLOW
        );
        assert_eq!(
            call(libc::SYS_socket, libc::AF_UNIX as u64, 0),
            SECCOMP_RET_ALLOW
        );
        assert_eq!(call(libc::SYS_socket, libc::AF_INET as u64, 0), RET_EPERM);
        let pair = |ty: i32| call(libc::SYS_socketpair, libc::AF_UNIX as u64, ty as u64);
        let flags = libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
        for ty in [libc::SOCK_STREAM, libc::SOCK_SEQPACKET] {
            assert_eq!(pair(ty), SECCOMP_RET_ALLOW, "{ty}");
            assert_eq!(pair(ty | flags), SECCOMP_RET_ALLOW, "{ty}");
        }
        for ty in [
            libc::SOCK_DGRAM,
            libc::SOCK_DGRAM | flags,
            libc::SOCK_RAW,
            0,
        ] {
            assert_eq!(pair(ty), RET_EPERM, "{ty}");
        }
        assert_eq!(call(libc::SYS_read, 0, 0), SECCOMP_RET_ALLOW);
        let at = |nr: libc::c_long, a: [u64; 4]| {
            run(&prog, AUDIT_ARCH, nr as u32, [a[0], a[1], a[2], a[3], 0, 0])
        };
        let creat = (libc::O_WRONLY | libc::O_CREAT) as u64;
        let tmpfile = (libc::O_TMPFILE | libc::O_RDWR) as u64;
        let dir = (libc::O_RDONLY | libc::O_DIRECTORY) as u64;
        for mode in [0o4755u64, 0o2755, 0o6755] {
            assert_eq!(at(libc::SYS_fchmod, [3, mode, 0, 0]), RET_EPERM);
            assert_eq!(at(libc::SYS_fchmodat, [3, 0, mode, 0]), RET_EPERM);
            assert_eq!(at(SYS_FCHMODAT2, [3, 0, mode, 0]), RET_EPERM);
            assert_eq!(at(libc::SYS_mknodat, [3, 0, mode, 0]), RET_EPERM);
            assert_eq!(at(libc::SYS_openat, [3, 0, creat, mode]), RET_EPERM);
            assert_eq!(at(libc::SYS_openat, [3, 0, tmpfile, mode]), RET_EPERM);
            // Without O_CREAT the mode is not used.
            assert_eq!(at(libc::SYS_openat, [3, 0, dir, mode]), SECCOMP_RET_ALLOW);
        }
        assert_eq!(at(libc::SYS_fchmod, [3, 0o1777, 0, 0]), SECCOMP_RET_ALLOW);
        assert_eq!(at(libc::SYS_fchmodat, [3, 0, 0o755, 0]), SECCOMP_RET_ALLOW);
        assert_eq!(
            at(libc::SYS_openat, [3, 0, creat, 0o666]),
            SECCOMP_RET_ALLOW
        );
        assert_eq!(at(libc::SYS_openat2, [3, 0, 0, 0]), RET_ENOSYS);
        assert_eq!(
            run(
                &prog,
                AUDIT_ARCH,
                X32_SYSCALL_BIT | libc::SYS_read as u32,
                [0; 6]
            ),
            RET_EPERM
        );
    }

    #[test]
    fn every_call_is_decided_in_a_few_steps() {
        // The kernel runs the filter once per system call number when it is
        // attached, and the command runs it on every call: a search, not a
        // walk through the whole list (which took ~100 steps).
        let prog = compile(&rules(&[
            libc::AF_UNIX,
            libc::AF_NETLINK,
            libc::AF_INET,
            libc::AF_INET6,
        ]))
        .unwrap();
        let worst = (0..600u32)
            .map(|nr| run_counting(&prog, AUDIT_ARCH, nr, [0; 6]).1)
            .max()
            .unwrap();
        assert!(worst <= 30, "{worst} steps");
    }

    /// The number used for every architecture is the one `libc` has for x86_64.
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn fchmodat2_number_matches_libc() {
        assert_eq!(SYS_FCHMODAT2, libc::SYS_fchmodat2);
    }
}
