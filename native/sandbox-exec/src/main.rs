//! `sandbox-exec`: runs one command under OS enforcement derived from a
//! ku0 sandbox policy (on Linux Landlock, seccomp, user/mount/network
//! namespaces; on macOS a Seatbelt profile; on Windows a Job Object;
//! rlimits, a filtering proxy, a time limit), then reports what held.
//! See `docs/exec.md`.
#![cfg_attr(all(target_os = "linux", not(test)), no_main)]

#[cfg(target_os = "linux")]
mod bytecode;
mod cli;
#[cfg(target_os = "linux")]
mod clock;
#[cfg(any(target_os = "linux", target_os = "macos", windows))]
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
mod env;
#[cfg(target_os = "linux")]
mod git;
#[cfg(target_os = "linux")]
mod ignored;
#[cfg(target_os = "linux")]
mod index;
#[cfg(target_os = "linux")]
mod objects;
#[cfg(target_os = "linux")]
mod perms;
#[cfg(target_os = "linux")]
mod plan;
#[cfg(target_os = "linux")]
mod pth;
#[cfg(target_os = "linux")]
mod refs;
#[cfg(target_os = "linux")]
mod shared;
#[cfg(target_os = "linux")]
mod storeconf;
#[cfg(target_os = "linux")]
mod tracked;
#[cfg(any(target_os = "linux", target_os = "macos"))]
mod unix;
#[cfg(any(target_os = "linux", target_os = "macos", windows))]
mod validate;
#[cfg(target_os = "linux")]
mod vcs;
// Elsewhere only the exit statuses are used: the helper says enforcement is
// unsupported and stops.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
mod report;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
#[cfg(any(target_os = "macos", windows))]
mod supervisor;
#[cfg(windows)]
mod windows;
// The macOS profile generator: pure, so built and tested everywhere.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
mod seatbelt;

/// The helper's work on its arguments (without the program name);
/// returns its exit status.
fn helper_main(args: Vec<std::ffi::OsString>) -> i32 {
    let invocation = match cli::parse(args) {
        Ok(i) => i,
        Err(cli::UsageError(msg)) => {
            eprintln!("sandbox-exec: {}\n\n{}", report::visible(&msg), cli::USAGE);
            return report::EXIT_HELPER_ERROR;
        }
    };
    match invocation {
        cli::Invocation::Help => {
            println!("{}", cli::USAGE);
            0
        }
        cli::Invocation::Version => {
            println!("sandbox-exec {}", env!("CARGO_PKG_VERSION"));
            0
        }
        cli::Invocation::Run(opts) => run_checked(*opts),
    }
}

/// On Linux the helper starts from the C `main`, without the Rust runtime's
/// start-up: that installs stack-overflow handlers (an alternate signal
/// stack, and a read of `/proc/self/maps` to find the main thread's stack),
/// a noticeable part of the helper's own start that gives nothing a
/// short-lived supervisor needs. What the helper does need
/// of it is done here: the arguments taken from `argv` (not every C library
/// hands them to the Rust runtime otherwise), `SIGPIPE` ignored (a closed
/// pipe must not kill the supervisor; the child restores it before
/// executing the command), a panic turned into exit status 125, standard
/// output flushed.
///
/// # Safety
///
/// Called by the C runtime only, with `argc` valid strings in `argv`.
#[cfg(all(target_os = "linux", not(test)))]
#[no_mangle]
pub unsafe extern "C" fn main(argc: libc::c_int, argv: *const *const libc::c_char) -> libc::c_int {
    use std::os::unix::ffi::OsStringExt;
    let args: Vec<std::ffi::OsString> = (1..argc.max(0) as usize)
        .map(|i| {
            // SAFETY: the C runtime passes `argc` valid NUL-terminated strings in `argv`.
            let arg = unsafe { std::ffi::CStr::from_ptr(*argv.add(i)) };
            std::ffi::OsString::from_vec(arg.to_bytes().to_vec())
        })
        .collect();
    // The arguments may hold secrets (`--env NAME=VALUE`, the paths of an
    // env file or a policy): `/proc/PID/cmdline` of the helper, and of the
    // PID namespace's first process (a copy of the helper) which the
    // command can read, shows this memory. Only the program name stays.
    for i in 1..argc.max(0) as usize {
        // SAFETY: each `argv[i]` is a writable NUL-terminated string of the
        // process's argument area; its bytes are overwritten in place up to
        // (not including) the terminating NUL, and nothing reads them later
        // (the arguments were copied above).
        unsafe {
            let p = *argv.add(i) as *mut libc::c_char;
            std::ptr::write_bytes(p, 0, libc::strlen(p));
        }
    }
    // SAFETY: SIG_IGN is a valid disposition; no handler is involved.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    let code = std::panic::catch_unwind(|| helper_main(args)).unwrap_or(report::EXIT_HELPER_ERROR);
    let _ = std::io::Write::flush(&mut std::io::stdout());
    code
}

#[cfg(any(not(target_os = "linux"), test))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(helper_main(std::env::args_os().skip(1).collect()) as u8)
}

/// The run, after `--check-command`'s decision when it is asked for.
#[cfg(any(target_os = "linux", target_os = "macos", windows))]
fn run_checked(mut opts: cli::Options) -> i32 {
    if opts.check_command {
        if let Some(code) = validate::refuse_unless_allowed(&mut opts) {
            return code;
        }
    }
    run(opts)
}

/// Elsewhere nothing runs, so there is nothing to judge first.
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn run_checked(opts: cli::Options) -> i32 {
    run(opts)
}

#[cfg(target_os = "linux")]
fn run(opts: cli::Options) -> i32 {
    linux::run(opts)
}

#[cfg(target_os = "macos")]
fn run(opts: cli::Options) -> i32 {
    macos::run(opts)
}

#[cfg(windows)]
fn run(opts: cli::Options) -> i32 {
    windows::run(opts)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn run(_opts: cli::Options) -> i32 {
    eprintln!(
        "sandbox-exec: enforced execution is not supported on {}; it needs Linux \
         (Landlock, seccomp, namespaces). The policy checks keep working.",
        std::env::consts::OS
    );
    report::EXIT_HELPER_ERROR
}
