//! `sandbox-exec`: runs one command under Linux enforcement derived from a
//! ku0 sandbox policy (Landlock, seccomp, user/mount/network namespaces,
//! rlimits, a filtering proxy, a time limit), then reports what held.
//! See `docs/exec.md`.

mod cli;
#[cfg(target_os = "linux")]
mod env;
#[cfg(target_os = "linux")]
mod plan;
mod report;

#[cfg(target_os = "linux")]
mod linux;

use std::process::ExitCode;

fn main() -> ExitCode {
    let invocation = match cli::parse(std::env::args_os().skip(1)) {
        Ok(i) => i,
        Err(cli::UsageError(msg)) => {
            eprintln!("sandbox-exec: {msg}\n\n{}", cli::USAGE);
            return ExitCode::from(report::EXIT_HELPER_ERROR as u8);
        }
    };
    match invocation {
        cli::Invocation::Help => {
            println!("{}", cli::USAGE);
            ExitCode::SUCCESS
        }
        cli::Invocation::Version => {
            println!("sandbox-exec {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        cli::Invocation::Run(opts) => ExitCode::from(run(*opts) as u8),
    }
}

#[cfg(target_os = "linux")]
fn run(opts: cli::Options) -> i32 {
    linux::run(opts)
}

#[cfg(not(target_os = "linux"))]
fn run(_opts: cli::Options) -> i32 {
    eprintln!(
        "sandbox-exec: enforced execution is not supported on {}; it needs Linux \
         (Landlock, seccomp, namespaces). The policy checks keep working.",
        std::env::consts::OS
    );
    report::EXIT_HELPER_ERROR
}
