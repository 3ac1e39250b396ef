//! The ku0 sandbox engine: the policy model, its validation, and the three
//! guards (filesystem, network, commands) that decide whether an agent's tool
//! call is allowed.
//!
//! This crate is pure Rust: no unsafe code and no FFI types. The C ABI lives
//! in `sandbox-ffi`, OS enforcement in `sandbox-exec`.
#![forbid(unsafe_code)]

pub mod decision;
pub mod engine;
pub mod error;
pub mod gitconfig;
pub mod guards;
pub mod policy;

pub use decision::{Decision, DecisionCode, Verdict};
pub use engine::Engine;
pub use error::{Error, ErrorCode};
pub use guards::filesystem::{FileOperation, FileRequest};
pub use guards::network::{NetworkGuard, NetworkRequest};
pub use policy::Policy;
