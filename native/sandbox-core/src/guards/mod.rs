//! One module per guard. Each compiles its part of the policy once and then
//! decides requests without further allocation of policy state.

pub mod command;
pub mod filesystem;
pub mod network;
