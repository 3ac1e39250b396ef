//! The Landlock ruleset: read and execute everywhere, write only in the
//! writable trees (or everywhere in `permissive` mode), no signals to and no
//! abstract Unix sockets of processes outside the sandbox.

use std::path::{Path, PathBuf};

use landlock::{
    Access, AccessFs, AccessNet, BitFlags, NetPort, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreatedAttr, RulesetStatus, Scope, ABI,
};

use crate::report::{Level, Mechanism};

/// The ABI whose features the helper asks for: filesystem access rights up
/// to device ioctls (V5) and the signal / abstract-socket scopes (V6).
pub const TARGET_ABI: ABI = ABI::V6;

/// Device files a command may write (and use ioctls on), like any terminal
/// program, and whether each is a directory: their types are fixed on
/// Linux, so no `stat` per entry is needed to choose the rights.
const WRITABLE_DEVICES: &[(&str, bool)] = &[
    ("/dev/null", false),
    ("/dev/zero", false),
    ("/dev/full", false),
    ("/dev/random", false),
    ("/dev/urandom", false),
    ("/dev/tty", false),
    ("/dev/ptmx", false),
    ("/dev/pts", true),
];

/// What the ruleset grants.
pub struct Rules<'a> {
    pub write_everywhere: bool,
    pub writable: &'a [PathBuf],
    /// Without a network namespace: the only TCP port the command may
    /// connect to (the proxy), binding none.
    pub tcp_connect_only: Option<u16>,
    /// `/dev/pts` is the run's own devpts instance: its terminals (and
    /// `/dev/ptmx`) may be written and used. Otherwise they are the host's,
    /// and only the command's own terminal, already open, is usable.
    pub private_devpts: bool,
}

fn beneath(path: &Path, access: BitFlags<AccessFs>) -> Option<PathBeneath<PathFd>> {
    PathFd::new(path)
        .ok()
        .map(|fd| PathBeneath::new(fd, access))
}

/// Build and enforce the ruleset on the calling thread.
pub fn restrict(rules: &Rules<'_>) -> Mechanism {
    let abi = TARGET_ABI;
    let all = AccessFs::from_all(abi);
    let read = AccessFs::from_read(abi);
    let device = read | AccessFs::WriteFile | AccessFs::Truncate | AccessFs::IoctlDev;
    let result = (|| -> Result<RulesetStatus, landlock::RulesetError> {
        let mut ruleset = Ruleset::default()
            .handle_access(all)?
            .scope(Scope::from_all(abi))?;
        if rules.tcp_connect_only.is_some() {
            ruleset = ruleset.handle_access(AccessNet::from_all(abi))?;
        }
        let mut created = ruleset.create()?;
        let root = if rules.write_everywhere { all } else { read };
        if let Some(rule) = beneath(Path::new("/"), root) {
            created = created.add_rule(rule)?;
        }
        if let Some(rule) = beneath(Path::new("/dev"), read | AccessFs::IoctlDev) {
            created = created.add_rule(rule)?;
        }
        for (dev, is_dir) in WRITABLE_DEVICES {
            if !rules.private_devpts && (*dev == "/dev/pts" || *dev == "/dev/ptmx") {
                continue;
            }
            let access = if *is_dir {
                device
            } else {
                device & AccessFs::from_file(abi)
            };
            if let Some(rule) = beneath(Path::new(dev), access) {
                created = created.add_rule(rule)?;
            }
        }
        for w in rules.writable {
            if let Some(rule) = beneath(w, all) {
                created = created.add_rule(rule)?;
            }
        }
        if let Some(port) = rules.tcp_connect_only {
            created = created.add_rule(NetPort::new(port, AccessNet::ConnectTcp))?;
        }
        Ok(created.restrict_self()?.ruleset)
    })();
    match result {
        Ok(RulesetStatus::FullyEnforced) => Mechanism::new(
            Level::Full,
            "read everywhere, write only in the writable trees; signals and abstract sockets scoped",
        ),
        Ok(RulesetStatus::PartiallyEnforced) => Mechanism::new(
            Level::Partial,
            format!(
                "kernel Landlock ABI {} lacks some rights of ABI {} (device ioctls, truncate, \
                 scopes or file moves are not restricted)",
                super::sys::landlock_abi(),
                abi as i32
            ),
        ),
        Ok(RulesetStatus::NotEnforced) => Mechanism::new(
            Level::None,
            "Landlock is not available in this kernel (needs Linux 5.13+ with landlock in lsm=)",
        ),
        Err(e) => Mechanism::new(Level::None, format!("Landlock failed: {e}")),
    }
}
