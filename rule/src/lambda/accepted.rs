//! Accepted exceptions in an invocation: the document the rule names, read once, and what it did,
//! said in the log and the invocation's outcome.

use super::Rule;
use super::log::{self, Level};
use crate::exceptions::{Loaded, load_for_rule};
use delivery_guard_core::exceptions::ExceptionReport;
use delivery_guard_core::parameters::RuleParameters;
use serde_json::{Value, json};

/// The rule's document (`ExceptionsObject`), or none.
pub(super) async fn load(rule: &Rule, params: &RuleParameters) -> Loaded {
    load_for_rule(rule.sdk.as_ref(), &rule.region, params).await
}

/// Logs what the exceptions did (an unusable document at ERROR: its failures stay visible) and
/// returns it for the outcome; None when the rule names no document.
pub(super) fn said(params: &RuleParameters, loaded: &Loaded, reports: &[ExceptionReport]) -> Option<Value> {
    params.exceptions_object.as_ref()?;
    if let Some(problem) = &loaded.problem {
        log::emit(Level::Error, "exceptions-unusable", json!({"problem": problem}));
        return Some(json!({"problem": problem}));
    }
    log::emit(Level::Info, "exceptions", json!({"exceptions": reports}));
    Some(json!({"exceptions": reports}))
}
