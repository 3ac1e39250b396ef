//! The network guard: decides `check_network_request(url, method)`.

use std::net::IpAddr;

use crate::decision::{Decision, DecisionCode};
use crate::error::Error;
use crate::policy::NetworkPolicy;

/// One request to decide.
#[derive(Debug, Clone, Copy)]
pub struct NetworkRequest<'a> {
    pub url: &'a str,
    pub method: &'a str,
    /// The addresses the host name resolved to, when the caller resolved it;
    /// every one of them must be allowed.
    pub addresses: Option<&'a [IpAddr]>,
}

/// The compiled network part of a policy.
#[derive(Debug)]
pub struct NetworkGuard {
    enabled: bool,
}

impl NetworkGuard {
    pub fn new(policy: &NetworkPolicy) -> Result<NetworkGuard, Error> {
        Ok(NetworkGuard {
            enabled: policy.enabled,
        })
    }

    pub fn check(&self, req: &NetworkRequest<'_>) -> Decision {
        if !self.enabled {
            return Decision::deny(
                DecisionCode::NetworkDisabled,
                "network access is disabled by policy",
                Some("network.enabled: false".into()),
            );
        }
        Decision::allow(format!("{} {} allowed", req.method, req.url), None)
    }
}
