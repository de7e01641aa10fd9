//! Any JSON as a saved snapshot (`delivery-guard evaluate --snapshot`): whatever deserializes is
//! judged without panicking, and a judgement always carries an annotation Config accepts.
#![no_main]

use delivery_guard_core::verdict::judge_snapshot;
use delivery_guard_core::parameters::RuleParameters;
use delivery_guard_core::snapshot::Snapshot;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(snapshots) = serde_json::from_slice::<Vec<Snapshot>>(data) else {
        return;
    };
    let params = RuleParameters::default();
    for snapshot in &snapshots {
        let judgement = judge_snapshot(snapshot, &params);
        if let Some(annotation) = &judgement.verdict.annotation {
            let length = annotation.chars().count();
            assert!((1..=256).contains(&length), "annotation of {length} characters");
        }
    }
});
