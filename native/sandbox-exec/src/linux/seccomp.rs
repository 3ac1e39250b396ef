//! The seccomp filter: system calls that let a confined process escape or
//! attack the kernel fail with `EPERM`, and sockets are limited to the
//! address families the network mode needs.

use std::collections::BTreeMap;

use seccompiler::{
    sock_filter, BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition,
    SeccompFilter, SeccompRule, TargetArch,
};

/// System calls refused outright, with the reason shown in the docs.
fn denied_syscalls() -> Vec<i64> {
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

fn cond(arg: u8, op: SeccompCmpOp, value: u64) -> SeccompCondition {
    SeccompCondition::new(arg, SeccompCmpArgLen::Qword, op, value).expect("valid condition")
}

fn dword(arg: u8, op: SeccompCmpOp, value: u64) -> SeccompCondition {
    SeccompCondition::new(arg, SeccompCmpArgLen::Dword, op, value).expect("valid condition")
}

/// Build the main filter. `socket_families` are the address families
/// `socket(2)` may create; every other family fails with `EPERM`.
pub fn main_filter(socket_families: &[i32]) -> Result<BpfProgram, String> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for nr in denied_syscalls() {
        rules.insert(nr, vec![]);
    }
    let newuser = libc::CLONE_NEWUSER as u64;
    let has_newuser = || {
        vec![
            SeccompRule::new(vec![cond(0, SeccompCmpOp::MaskedEq(newuser), newuser)])
                .expect("rule"),
        ]
    };
    // A nested user namespace would give the command capabilities again.
    rules.insert(libc::SYS_unshare, has_newuser());
    rules.insert(libc::SYS_clone, has_newuser());
    // Faking terminal input into the caller's terminal, and console control.
    rules.insert(
        libc::SYS_ioctl,
        vec![
            SeccompRule::new(vec![dword(1, SeccompCmpOp::Eq, libc::TIOCSTI)]).expect("rule"),
            SeccompRule::new(vec![dword(1, SeccompCmpOp::Eq, libc::TIOCLINUX)]).expect("rule"),
        ],
    );
    let socket_conditions: Vec<SeccompCondition> = socket_families
        .iter()
        .map(|f| dword(0, SeccompCmpOp::Ne, *f as u64))
        .collect();
    rules.insert(
        libc::SYS_socket,
        vec![SeccompRule::new(socket_conditions).expect("rule")],
    );
    let arch: TargetArch = std::env::consts::ARCH
        .try_into()
        .map_err(|e| format!("architecture {}: {e:?}", std::env::consts::ARCH))?;
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(|e| e.to_string())?;
    filter
        .try_into()
        .map_err(|e: seccompiler::BackendError| e.to_string())
}

const BPF_LD_W_ABS: u16 = 0x20;
const BPF_JEQ_K: u16 = 0x15;
const BPF_JGE_K: u16 = 0x35;
const BPF_RET_K: u16 = 0x06;
const SECCOMP_RET_ALLOW: u32 = 0x7fff_0000;
const SECCOMP_RET_ERRNO: u32 = 0x0005_0000;
#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 62 | 0x8000_0000 | 0x4000_0000;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH: u32 = 183 | 0x8000_0000 | 0x4000_0000;

fn stmt(code: u16, k: u32) -> sock_filter {
    sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

fn jump(code: u16, k: u32, jt: u8, jf: u8) -> sock_filter {
    sock_filter { code, jt, jf, k }
}

/// A second, hand-written filter for what the first cannot say:
/// `clone3` fails with `ENOSYS` (its flags sit in memory a filter cannot
/// read, and `ENOSYS` makes the C library fall back to `clone`, which the
/// main filter inspects), and x32 system call numbers are refused so that
/// the same calls cannot be reached under other numbers.
pub fn clone3_filter() -> BpfProgram {
    let enosys = SECCOMP_RET_ERRNO | libc::ENOSYS as u32;
    let eperm = SECCOMP_RET_ERRNO | libc::EPERM as u32;
    vec![
        // A different architecture (32-bit calls): refuse everything.
        stmt(BPF_LD_W_ABS, 4),
        jump(BPF_JEQ_K, AUDIT_ARCH, 1, 0),
        stmt(BPF_RET_K, eperm),
        stmt(BPF_LD_W_ABS, 0),
        // x32 numbers carry bit 30.
        jump(BPF_JGE_K, 0x4000_0000, 0, 1),
        stmt(BPF_RET_K, eperm),
        jump(BPF_JEQ_K, libc::SYS_clone3 as u32, 0, 1),
        stmt(BPF_RET_K, enosys),
        stmt(BPF_RET_K, SECCOMP_RET_ALLOW),
    ]
}

/// Install both filters on the calling thread (sets no_new_privs).
pub fn apply(socket_families: &[i32]) -> Result<(), String> {
    let main = main_filter(socket_families).map_err(|e| format!("building the filter: {e}"))?;
    seccompiler::apply_filter(&clone3_filter())
        .map_err(|e| format!("installing the clone3 filter: {e}"))?;
    seccompiler::apply_filter(&main).map_err(|e| format!("installing the filter: {e}"))?;
    Ok(())
}
