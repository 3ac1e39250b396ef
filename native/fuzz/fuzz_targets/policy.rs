//! Any bytes given to the policy parser yield a policy or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sandbox_core::Policy;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(policy) = Policy::from_json(text) {
            // A policy that loads must survive a round trip unchanged.
            let again = Policy::from_json(&policy.to_json()).expect("round trip");
            assert_eq!(policy, again);
        }
    }
});
