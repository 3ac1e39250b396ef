//! The engine: a policy compiled once into the three guards. Immutable after
//! construction, so checks from many threads need no locks.

use std::path::{Path, PathBuf};

use crate::decision::Decision;
use crate::error::{Error, ErrorCode};
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
    /// Both must be absolute; the workspace must be an existing directory
    /// (`WORKSPACE_NOT_FOUND` otherwise), the home need not exist.
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
        check_workspace(workspace)?;
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
        self.analyze_command(command).decision()
    }

    pub fn analyze_command(&self, command: &str) -> CommandAnalysis {
        self.commands
            .analyze_with_network(command, &self.files, &self.network)
    }
}

/// A missing workspace would otherwise surface later and elsewhere (a file
/// tool naming it, a helper error, a check that allows paths under nothing):
/// refuse it here, once, for every caller.
fn check_workspace(workspace: &Path) -> Result<(), Error> {
    let shown = workspace.display();
    match std::fs::metadata(workspace) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::new(
            ErrorCode::WorkspaceNotFound,
            format!("workspace {shown:?} is not a directory; give the directory the agent works in"),
        )),
        Err(e) => Err(Error::new(
            ErrorCode::WorkspaceNotFound,
            format!("workspace {shown:?} does not exist or cannot be read ({e}); create it first or give an existing directory"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guards::filesystem::FileOperation;
    use crate::policy::tests::WORKSPACE_JSON;

    /// An absolute home that need not exist, in the platform's spelling.
    fn home_u() -> &'static Path {
        Path::new(if cfg!(windows) {
            r"C:\home\u"
        } else {
            "/home/u"
        })
    }

    #[test]
    fn original_examples() {
        let t = tempfile::tempdir().unwrap();
        let ws = std::fs::canonicalize(t.path()).unwrap();
        let e = Engine::from_json(WORKSPACE_JSON, &ws, home_u()).unwrap();
        let d = e.check_file(&FileRequest::new("~/.ssh/id_rsa", FileOperation::Read));
        assert!(!d.is_allowed());
        let d = e.check_file(&FileRequest::new(
            ws.join("src").join("index.ts").to_str().unwrap(),
            FileOperation::Read,
        ));
        assert!(d.is_allowed(), "{d:?}");
    }

    #[test]
    fn missing_workspace_fails_at_construction() {
        let t = tempfile::tempdir().unwrap();
        let gone = t.path().join("no-such-dir");
        let e = Engine::from_json(WORKSPACE_JSON, &gone, home_u()).unwrap_err();
        assert_eq!(e.code, ErrorCode::WorkspaceNotFound);
        assert!(e.message.contains("no-such-dir"), "{}", e.message);
        assert!(e.message.contains("create it first"), "{}", e.message);
        let file = t.path().join("f");
        std::fs::write(&file, "").unwrap();
        let e = Engine::from_json(WORKSPACE_JSON, &file, home_u()).unwrap_err();
        assert_eq!(e.code, ErrorCode::WorkspaceNotFound);
        assert!(e.message.contains("not a directory"), "{}", e.message);
        // The home need not exist: `~` is only a name for paths.
        Engine::from_json(WORKSPACE_JSON, t.path(), &gone).unwrap();
    }

    #[test]
    fn relative_workspace_is_rejected() {
        let e = Engine::from_json(WORKSPACE_JSON, Path::new("ws"), home_u()).unwrap_err();
        assert!(e.message.contains("workspace must be an absolute path"));
    }
}
