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
    /// A file operation found no file or directory at the path.
    NotFound = 10,
    /// A file operation that creates found something at the path already.
    AlreadyExists = 11,
    /// A directory to delete is not empty.
    NotEmpty = 12,
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
        ErrorCode::NotFound,
        ErrorCode::AlreadyExists,
        ErrorCode::NotEmpty,
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
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::AlreadyExists => "ALREADY_EXISTS",
            ErrorCode::NotEmpty => "NOT_EMPTY",
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

    /// An operating-system error of `what` (e.g. `read notes.txt`): the code
    /// a caller can test for the common cases (`NOT_FOUND`, `ALREADY_EXISTS`,
    /// `NOT_EMPTY`, else `IO`) and the system's description without Rust's
    /// `(os error N)` suffix.
    pub fn io(what: &str, e: &std::io::Error) -> Error {
        use std::io::ErrorKind;
        let code = match e.kind() {
            ErrorKind::NotFound => ErrorCode::NotFound,
            ErrorKind::AlreadyExists => ErrorCode::AlreadyExists,
            ErrorKind::DirectoryNotEmpty => ErrorCode::NotEmpty,
            _ => ErrorCode::Io,
        };
        let text = e.to_string();
        let text = match text.rfind(" (os error ") {
            Some(i) if text.ends_with(')') => text[..i].to_string(),
            _ => text,
        };
        if what.is_empty() {
            Error::new(code, text)
        } else {
            Error::new(code, format!("{what}: {text}"))
        }
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
        Error::io("", &e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[test]
    fn io_errors_get_a_code_by_kind_and_lose_the_os_error_suffix() {
        // The system's own numbers for: not found, already exists, not
        // empty, and one error of no code of its own (is a directory; on
        // Windows, access denied).
        #[cfg(not(windows))]
        let (not_found, exists, not_empty, other) = (2, 17, 39, 21);
        #[cfg(windows)]
        let (not_found, exists, not_empty, other) = (2, 80, 145, 5);
        let e = Error::io("read a.txt", &io::Error::from_raw_os_error(not_found));
        assert_eq!(e.code, ErrorCode::NotFound);
        #[cfg(not(windows))]
        assert_eq!(e.message, "read a.txt: No such file or directory");
        // Windows words its messages by locale (and wine words them its
        // own way): the system's text, without the suffix.
        let os_text = io::Error::from_raw_os_error(not_found).to_string();
        let text = e.message.strip_prefix("read a.txt: ").unwrap();
        assert!(!text.is_empty() && os_text.starts_with(text), "{e:?}");
        assert!(!e.message.contains("os error"), "{e:?}");
        assert_eq!(
            Error::io("x", &io::Error::from_raw_os_error(exists)).code,
            ErrorCode::AlreadyExists
        );
        assert_eq!(
            Error::io("x", &io::Error::from_raw_os_error(not_empty)).code,
            ErrorCode::NotEmpty
        );
        let other = Error::io("", &io::Error::from_raw_os_error(other));
        assert_eq!(other.code, ErrorCode::Io);
        #[cfg(not(windows))]
        assert_eq!(other.message, "Is a directory");
        assert!(!other.message.is_empty() && !other.message.contains("os error"));
    }

    #[test]
    fn codes_are_numbered_in_order_and_named_once() {
        for (i, c) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(*c as i32, i as i32 + 1);
        }
        let names: std::collections::HashSet<_> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
    }
}
