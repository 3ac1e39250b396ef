//! The filesystem guard: decides `check_file_access(path, operation)`.

use std::path::{Component, Path, PathBuf};

use crate::decision::{Decision, DecisionCode};
use crate::error::Error;
use crate::policy::{FilesystemMode, FilesystemPolicy, ResourceLimits};

/// File operations a tool may ask about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum FileOperation {
    Read = 0,
    Write = 1,
    Create = 2,
    CreateDir = 3,
    Delete = 4,
    List = 5,
    /// Needs `dest`.
    Rename = 6,
    /// Needs `link_target`.
    Symlink = 7,
    /// Hard link; needs `link_target`.
    Link = 8,
    Execute = 9,
}

impl FileOperation {
    pub const ALL: &'static [FileOperation] = &[
        FileOperation::Read,
        FileOperation::Write,
        FileOperation::Create,
        FileOperation::CreateDir,
        FileOperation::Delete,
        FileOperation::List,
        FileOperation::Rename,
        FileOperation::Symlink,
        FileOperation::Link,
        FileOperation::Execute,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileOperation::Read => "read",
            FileOperation::Write => "write",
            FileOperation::Create => "create",
            FileOperation::CreateDir => "create_dir",
            FileOperation::Delete => "delete",
            FileOperation::List => "list",
            FileOperation::Rename => "rename",
            FileOperation::Symlink => "symlink",
            FileOperation::Link => "link",
            FileOperation::Execute => "execute",
        }
    }

    pub fn from_name(s: &str) -> Option<FileOperation> {
        FileOperation::ALL.iter().copied().find(|o| o.as_str() == s)
    }

    pub fn from_u32(n: u32) -> Option<FileOperation> {
        FileOperation::ALL.get(n as usize).copied()
    }
}

/// One file access to decide.
#[derive(Debug, Clone, Copy)]
pub struct FileRequest<'a> {
    pub path: &'a str,
    pub operation: FileOperation,
    /// `dest` of a rename, `link_target` of a symlink or hard link.
    pub other: Option<&'a str>,
    /// Size in bytes of a write or create, when known.
    pub size: Option<u64>,
}

impl<'a> FileRequest<'a> {
    pub fn new(path: &'a str, operation: FileOperation) -> FileRequest<'a> {
        FileRequest {
            path,
            operation,
            other: None,
            size: None,
        }
    }
}

/// The compiled filesystem part of a policy.
#[derive(Debug)]
pub struct FilesystemGuard {
    mode: FilesystemMode,
    workspace: PathBuf,
    home: PathBuf,
    allowed: Vec<PathBuf>,
    blocked: Vec<PathBuf>,
    allow_hidden_files: bool,
    max_file_size: Option<u64>,
}

impl FilesystemGuard {
    pub fn new(
        policy: &FilesystemPolicy,
        limits: &ResourceLimits,
        workspace: &Path,
        home: &Path,
    ) -> Result<FilesystemGuard, Error> {
        let expand = |p: &str| -> PathBuf {
            let expanded = expand_home(p, home);
            lexical_normalize(&workspace.join(expanded))
        };
        Ok(FilesystemGuard {
            mode: policy.mode,
            workspace: lexical_normalize(workspace),
            home: home.to_path_buf(),
            allowed: policy.allowed_paths.iter().map(|p| expand(p)).collect(),
            blocked: policy.blocked_paths.iter().map(|p| expand(p)).collect(),
            allow_hidden_files: policy.allow_hidden_files,
            max_file_size: limits.max_file_size,
        })
    }

    pub fn check(&self, req: &FileRequest<'_>) -> Decision {
        if req.path.is_empty() || req.path.contains('\0') {
            return Decision::deny(
                DecisionCode::InvalidPath,
                "path is empty or contains NUL",
                None,
            );
        }
        let target = lexical_normalize(&self.workspace.join(expand_home(req.path, &self.home)));
        if let Some(b) = self.blocked.iter().find(|b| target.starts_with(b)) {
            return Decision::deny(
                DecisionCode::BlockedPath,
                format!("{} is under blocked path {}", req.path, b.display()),
                Some(format!("filesystem.blocked_paths: {}", b.display())),
            );
        }
        let root = match self.mode {
            FilesystemMode::Permissive => Some(PathBuf::from("/")),
            FilesystemMode::Workspace => std::iter::once(&self.workspace)
                .chain(self.allowed.iter())
                .find(|r| target.starts_with(r))
                .cloned(),
            FilesystemMode::Strict => self.allowed.iter().find(|r| target.starts_with(r)).cloned(),
        };
        let Some(root) = root else {
            let code = if self.mode == FilesystemMode::Strict {
                DecisionCode::OutsideAllowedPaths
            } else {
                DecisionCode::OutsideWorkspace
            };
            return Decision::deny(code, format!("{} is outside the workspace", req.path), None);
        };
        if !self.allow_hidden_files {
            let below = target.strip_prefix(&root).unwrap_or(&target);
            if below
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            {
                return Decision::deny(
                    DecisionCode::HiddenFile,
                    "hidden files are not allowed",
                    None,
                );
            }
        }
        if let (Some(max), Some(size)) = (self.max_file_size, req.size) {
            if size > max {
                return Decision::deny(
                    DecisionCode::FileTooLarge,
                    "write exceeds max_file_size",
                    None,
                );
            }
        }
        Decision::allow(
            format!("{} {} allowed", req.operation.as_str(), req.path),
            None,
        )
    }
}

fn expand_home(p: &str, home: &Path) -> PathBuf {
    if p == "~" {
        home.to_path_buf()
    } else if let Some(rest) = p.strip_prefix("~/") {
        home.join(rest)
    } else {
        PathBuf::from(p)
    }
}

fn lexical_normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}
