//! Every case of the golden `urls.jsonl` through the network guard.
//!
//! `setup.dns` gives the addresses a name resolves to; they are handed to the
//! check instead of a real resolver. A `sequence` is a rebinding name whose
//! answer changes between lookups: every answer must pass. `setup.redirects`
//! lists hops `FROM -> TO`; each hop is checked again and the request is
//! denied if any hop is. Expected `deny` must be `deny` (not `ask`).

mod common;

use std::collections::BTreeMap;
use std::net::IpAddr;

use sandbox_core::guards::network::{resolve_redirect, NetworkGuard, NetworkRequest, Target};
use sandbox_core::policy::NetworkPolicy;
use sandbox_core::{Decision, Verdict};
use serde_json::Value;

/// The answers a name gets, one list per lookup.
fn answers(dns: &Value, host: &str) -> Vec<Vec<IpAddr>> {
    let Some(map) = dns.as_object() else {
        return Vec::new();
    };
    // Keys are written as the names appear in the URLs; compare canonically.
    let entry = map.iter().find(|(name, _)| {
        name.as_str() == host
            || Target::from_url(&format!("https://{name}/"))
                .is_ok_and(|t| t.host.to_string() == host)
    });
    let Some((_, value)) = entry else {
        return Vec::new();
    };
    let parse = |list: &Value| -> Vec<IpAddr> {
        list.as_array()
            .expect("a DNS answer is a list")
            .iter()
            .map(|a| {
                a.as_str()
                    .unwrap()
                    .parse()
                    .expect("a DNS answer holds IP addresses")
            })
            .collect()
    };
    match value {
        Value::Array(_) => vec![parse(value)],
        Value::Object(o) => o["sequence"]
            .as_array()
            .expect("sequence is a list")
            .iter()
            .map(parse)
            .collect(),
        other => panic!("unexpected DNS setup {other}"),
    }
}

/// Check one URL with every DNS answer its host gets; the most severe wins.
fn check_url(guard: &NetworkGuard, url: &str, method: &str, dns: &Value) -> Decision {
    let host = Target::from_url(url).ok().map(|t| t.host.to_string());
    let lookups = host.map(|h| answers(dns, &h)).unwrap_or_default();
    if lookups.is_empty() {
        return guard.check(&NetworkRequest {
            url,
            method,
            addresses: None,
        });
    }
    lookups
        .iter()
        .map(|addrs| {
            guard.check(&NetworkRequest {
                url,
                method,
                addresses: Some(addrs),
            })
        })
        .reduce(Decision::combine)
        .expect("at least one lookup")
}

fn decide(case: &Value) -> Decision {
    let policy: NetworkPolicy =
        serde_json::from_value(case["policy"].clone()).expect("corpus policy");
    let guard = NetworkGuard::new(&policy).expect("corpus policy compiles");
    let url = case["input"].as_str().unwrap();
    let method = case["method"].as_str().unwrap();
    let setup = &case["setup"];
    let dns = &setup["dns"];
    let mut decision = check_url(&guard, url, method, dns);
    if let Some(hops) = setup["redirects"].as_array() {
        for (i, hop) in hops.iter().enumerate() {
            let hop = hop.as_str().unwrap();
            let (from, to) = hop.split_once(" -> ").expect("hop is FROM -> TO");
            let next = match resolve_redirect(from, to) {
                Ok(next) => next,
                Err(d) => {
                    decision = decision.combine(d);
                    continue;
                }
            };
            let hop_decision = match Target::from_url(&next) {
                Ok(t) => {
                    let lookups = answers(dns, &t.host.to_string());
                    let lookups = if lookups.is_empty() {
                        vec![None]
                    } else {
                        lookups.into_iter().map(Some).collect()
                    };
                    lookups
                        .iter()
                        .map(|addrs| {
                            guard.check_redirect(i + 1, from, to, method, addrs.as_deref())
                        })
                        .reduce(Decision::combine)
                        .unwrap()
                }
                Err(d) => d,
            };
            decision = decision.combine(hop_decision);
        }
    }
    decision
}

#[test]
fn every_url_case_decides_as_expected() {
    let cases = common::corpus("urls.jsonl");
    assert!(
        cases.len() > 100,
        "the corpus looks truncated: {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    let mut counts = BTreeMap::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let d = decide(case);
        *counts.entry(expected).or_insert(0) += 1;
        let ok = match expected {
            "allow" => d.verdict == Verdict::Allow,
            "deny" => d.verdict == Verdict::Deny,
            other => panic!("{id}: unknown expectation {other}"),
        };
        if !ok {
            failures.push(format!(
                "{id}: expected {expected}, got {} {} ({}) for {:?} — {}",
                d.verdict,
                d.code,
                d.reason,
                case["input"].as_str().unwrap(),
                case["why"].as_str().unwrap_or("")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!("urls.jsonl: {} cases pass ({counts:?})", cases.len());
}

/// Denials carry a network code (30–42) and a reason; allows carry `ALLOWED`.
#[test]
fn decisions_carry_network_codes() {
    for case in common::corpus("urls.jsonl") {
        let d = decide(&case);
        let n = d.code as u32;
        match d.verdict {
            Verdict::Allow => assert_eq!(
                d.code,
                sandbox_core::DecisionCode::Allowed,
                "{}",
                case["id"]
            ),
            _ => {
                assert!(
                    (30..=42).contains(&n),
                    "{}: {} is not a network code",
                    case["id"],
                    d.code
                );
                assert!(!d.reason.is_empty(), "{}: empty reason", case["id"]);
            }
        }
    }
}
