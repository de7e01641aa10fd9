//! Any bytes as the Lambda's invocation event: parsing never panics, and whatever parses carries a
//! 12-digit account and valid rule parameters (or the parameter error to report).
#![no_main]

use delivery_guard_core::{aws_names::is_account_id, input::invocation::parse_invocation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(invocation) = parse_invocation(&value) {
        assert!(
            is_account_id(&invocation.account_id),
            "{:?}",
            invocation.account_id
        );
    }
});
