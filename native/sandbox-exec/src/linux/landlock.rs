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
    /// Device and inode the plan found for the first of `writable`.
    pub writable_ids: &'a [(u64, u64)],
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

/// The rule for writable tree `path`: on the directory the plan found
/// (`id`), reached through no link. A path replaced since gets no rule, so
/// nothing there is writable (the mounts then refuse the run).
fn writable_beneath(
    path: &Path,
    id: Option<&(u64, u64)>,
    access: BitFlags<AccessFs>,
) -> Option<PathBeneath<std::os::fd::OwnedFd>> {
    use std::os::unix::fs::MetadataExt;
    let Some(id) = id else {
        use std::os::unix::fs::OpenOptionsExt;
        return std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_PATH | libc::O_CLOEXEC)
            .open(path)
            .ok()
            .map(|f| PathBeneath::new(std::os::fd::OwnedFd::from(f), access));
    };
    let fd = crate::git::nofollow::open(path, libc::O_PATH).ok()?;
    let m = std::fs::File::from(fd.try_clone().ok()?).metadata().ok()?;
    ((m.dev(), m.ino()) == *id).then(|| PathBeneath::new(fd, access))
}

/// The part of the ruleset that does not depend on the run's own mounts
/// (its `TMPDIR`, `/dev/shm` and devpts are new filesystems, whose rules
/// can only be added inside): made by the helper while the run's
/// namespaces are made, so that the command's process only adds the rest.
/// Rules name inodes, not paths in a mount namespace, and these inodes are
/// the same inside (the writable trees are bound onto themselves).
pub struct Prepared {
    created: landlock::RulesetCreated,
    /// The trees it already grants.
    writable: Vec<PathBuf>,
    write_everywhere: bool,
}

fn new_ruleset(tcp: bool) -> Result<landlock::RulesetCreated, landlock::RulesetError> {
    let abi = TARGET_ABI;
    let mut ruleset = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))?
        .scope(Scope::from_all(abi))?;
    if tcp {
        ruleset = ruleset.handle_access(AccessNet::from_all(abi))?;
    }
    ruleset.create()
}

/// Rules for the root, `/dev`, the host's device files and `writable`.
fn add_host_rules(
    mut created: landlock::RulesetCreated,
    write_everywhere: bool,
    writable: &[PathBuf],
    writable_ids: &[(u64, u64)],
    private_devpts: Option<bool>,
) -> Result<landlock::RulesetCreated, landlock::RulesetError> {
    let abi = TARGET_ABI;
    let all = AccessFs::from_all(abi);
    let read = AccessFs::from_read(abi);
    let device = read | AccessFs::WriteFile | AccessFs::Truncate | AccessFs::IoctlDev;
    let root = if write_everywhere { all } else { read };
    if let Some(rule) = beneath(Path::new("/"), root) {
        created = created.add_rule(rule)?;
    }
    if let Some(rule) = beneath(Path::new("/dev"), read | AccessFs::IoctlDev) {
        created = created.add_rule(rule)?;
    }
    for (dev, is_dir) in WRITABLE_DEVICES {
        let devpts = *dev == "/dev/pts" || *dev == "/dev/ptmx";
        // `None`: prepared outside, where devpts is the host's; added inside.
        if devpts && private_devpts != Some(true) {
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
    for (i, w) in writable.iter().enumerate() {
        if let Some(rule) = writable_beneath(w, writable_ids.get(i), all) {
            created = created.add_rule(rule)?;
        }
    }
    Ok(created)
}

/// Prepare the ruleset for a run with a network namespace (no TCP rule),
/// `None` when it cannot be made here (the command's process then makes
/// all of it, and reports why if that fails too).
pub fn prepare(
    write_everywhere: bool,
    writable: &[PathBuf],
    writable_ids: &[(u64, u64)],
) -> Option<Prepared> {
    let created = new_ruleset(false).ok()?;
    add_host_rules(created, write_everywhere, writable, writable_ids, None)
        .ok()
        .map(|created| Prepared {
            created,
            writable: writable.to_vec(),
            write_everywhere,
        })
}

/// Build and enforce the ruleset on the calling thread; `prepared`, when
/// given, holds the rules for the root, the device files and the plan's
/// writable trees, and `rules.writable` the remaining trees.
pub fn restrict(rules: &Rules<'_>, prepared: Option<&Prepared>) -> Mechanism {
    let abi = TARGET_ABI;
    let all = AccessFs::from_all(abi);
    let read = AccessFs::from_read(abi);
    let device = read | AccessFs::WriteFile | AccessFs::Truncate | AccessFs::IoctlDev;
    let result = (|| -> Result<RulesetStatus, landlock::RulesetError> {
        let prepared = prepared
            .filter(|p| {
                rules.tcp_connect_only.is_none() && p.write_everywhere == rules.write_everywhere
            })
            .and_then(|p| Some((p.created.try_clone().ok()?, &p.writable)));
        let mut created = match prepared {
            Some((created, done)) => {
                let mut created = created;
                if rules.private_devpts {
                    for (dev, is_dir) in WRITABLE_DEVICES {
                        if *dev != "/dev/pts" && *dev != "/dev/ptmx" {
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
                }
                for w in rules.writable.iter().filter(|w| !done.contains(w)) {
                    if let Some(rule) = beneath(w, all) {
                        created = created.add_rule(rule)?;
                    }
                }
                created
            }
            None => add_host_rules(
                new_ruleset(rules.tcp_connect_only.is_some())?,
                rules.write_everywhere,
                rules.writable,
                rules.writable_ids,
                Some(rules.private_devpts),
            )?,
        };
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
