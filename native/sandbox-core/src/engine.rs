//! The engine: a policy compiled once into the three guards. Immutable after
//! construction, so checks from many threads need no locks.

use std::path::{Path, PathBuf};

use crate::decision::Decision;
use crate::error::Error;
use crate::guards::command::{CommandAnalysis, CommandGuard};
use crate::guards::filesystem::{FileRequest, FilesystemGuard};
use crate::guards::network::{NetworkGuard, NetworkRequest};
use crate::policy::Policy;

#[derive(Debug)]
pub struct Engine {
    policy: Policy,
    workspace: PathBuf,
    home: PathBuf,
    files: FilesystemGuard,
    network: NetworkGuard,
    commands: CommandGuard,
}

impl Engine {
    /// Compile a validated policy. `workspace` is the agent's working
    /// directory (relative paths resolve against it); `home` is what `~` means.
    /// Both must be absolute; neither needs to exist.
    pub fn new(policy: Policy, workspace: &Path, home: &Path) -> Result<Engine, Error> {
        policy.validate()?;
        for (name, p) in [("workspace", workspace), ("home", home)] {
            if !p.is_absolute() {
                return Err(Error::invalid_argument(format!(
                    "{name} must be an absolute path, got {:?}",
                    p.display().to_string()
                )));
            }
        }
        let files = FilesystemGuard::new(&policy.filesystem, &policy.limits, workspace, home)?;
        let network = NetworkGuard::new(&policy.network)?;
        let commands = CommandGuard::new(&policy.commands)?;
        Ok(Engine {
            workspace: workspace.to_path_buf(),
            home: home.to_path_buf(),
            policy,
            files,
            network,
            commands,
        })
    }

    /// Parse, validate and compile a policy from JSON.
    pub fn from_json(json: &str, workspace: &Path, home: &Path) -> Result<Engine, Error> {
        Engine::new(Policy::from_json(json)?, workspace, home)
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn workspace(&self) -> &Path {
        &self.workspace
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    pub fn filesystem(&self) -> &FilesystemGuard {
        &self.files
    }

    pub fn check_file(&self, req: &FileRequest<'_>) -> Decision {
        self.files.check(req)
    }

    /// The compiled network guard, for checks beyond whole URLs
    /// (`check_target`, `check_connect`, `check_redirect`).
    pub fn network(&self) -> &NetworkGuard {
        &self.network
    }

    pub fn check_network(&self, req: &NetworkRequest<'_>) -> Decision {
        self.network.check(req)
    }

    pub fn check_command(&self, command: &str) -> Decision {
        self.commands.check(command, &self.files)
    }

    pub fn analyze_command(&self, command: &str) -> CommandAnalysis {
        self.commands.analyze(command, &self.files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guards::filesystem::FileOperation;
    use crate::policy::tests::WORKSPACE_JSON;

    #[test]
    fn seed_examples() {
        let e = Engine::from_json(
            WORKSPACE_JSON,
            Path::new("/workspace"),
            Path::new("/home/u"),
        )
        .unwrap();
        let d = e.check_file(&FileRequest::new("~/.ssh/id_rsa", FileOperation::Read));
        assert!(!d.is_allowed());
        let d = e.check_file(&FileRequest::new(
            "/workspace/src/index.ts",
            FileOperation::Read,
        ));
        assert!(d.is_allowed(), "{d:?}");
    }

    #[test]
    fn relative_workspace_is_rejected() {
        let e =
            Engine::from_json(WORKSPACE_JSON, Path::new("ws"), Path::new("/home/u")).unwrap_err();
        assert!(e.message.contains("workspace must be an absolute path"));
    }
}
