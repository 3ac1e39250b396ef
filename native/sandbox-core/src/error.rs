//! Errors of the engine. Each has a stable numeric code that crosses the C ABI
//! and is mirrored by the Java `SandboxException.Code` enum.

use std::fmt;

/// Stable error codes (also the status codes of the C ABI; 0 is success).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum ErrorCode {
    /// A required argument is missing or malformed (null pointer, invalid UTF-8, unknown enum value).
    InvalidArgument = 1,
    /// The policy document is not valid.
    InvalidPolicy = 2,
    /// The caller's output buffer is too small; the needed size was reported.
    BufferTooSmall = 3,
    /// A panic was caught at the boundary; the engine is still usable.
    Panic = 4,
    /// An operating-system error (I/O).
    Io = 5,
    /// The operation is not supported on this platform.
    Unsupported = 6,
    /// The engine handle is null or already freed.
    InvalidHandle = 7,
    /// The policy refused the operation; the decision says why.
    Denied = 8,
    /// The workspace directory does not exist (or is not a directory).
    WorkspaceNotFound = 9,
}

impl ErrorCode {
    /// Every code, in numeric order.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidArgument,
        ErrorCode::InvalidPolicy,
        ErrorCode::BufferTooSmall,
        ErrorCode::Panic,
        ErrorCode::Io,
        ErrorCode::Unsupported,
        ErrorCode::InvalidHandle,
        ErrorCode::Denied,
        ErrorCode::WorkspaceNotFound,
    ];

    /// The code's stable name, e.g. `INVALID_POLICY`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::InvalidPolicy => "INVALID_POLICY",
            ErrorCode::BufferTooSmall => "BUFFER_TOO_SMALL",
            ErrorCode::Panic => "PANIC",
            ErrorCode::Io => "IO",
            ErrorCode::Unsupported => "UNSUPPORTED",
            ErrorCode::InvalidHandle => "INVALID_HANDLE",
            ErrorCode::Denied => "DENIED",
            ErrorCode::WorkspaceNotFound => "WORKSPACE_NOT_FOUND",
        }
    }
}

/// An engine error: a code and a message that says what was wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }

    pub fn invalid_policy(message: impl Into<String>) -> Error {
        Error::new(ErrorCode::InvalidPolicy, message)
    }

    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(ErrorCode::InvalidArgument, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(ErrorCode::Io, e.to_string())
    }
}
