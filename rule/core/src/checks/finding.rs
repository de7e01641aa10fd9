//! A finding: one thing wrong with the pipeline, with its evidence and how to fix it.

use crate::checks::CheckId;
use serde::Serialize;
use std::collections::BTreeMap;

/// Ordered most important first: a delivery that fails now outranks one we could not see,
/// which outranks a pipeline that works but is set up differently than required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Delivery is failing, stale or impossible now.
    Critical,
    /// Primary evidence could not be read: the pipeline cannot be verified.
    High,
    /// Delivery works, but not as required, or will break.
    Medium,
    /// A root-cause probe could not be read: reported, and failing only with `StrictProbes`.
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub check: CheckId,
    pub severity: Severity,
    /// One sentence, short enough to lead the 256-character annotation.
    pub message: String,
    pub evidence: BTreeMap<&'static str, String>,
    pub remediation: &'static str,
}

impl Finding {
    pub fn new(check: CheckId, message: impl Into<String>) -> Self {
        Self {
            check,
            severity: check.severity(),
            message: message.into(),
            evidence: BTreeMap::new(),
            remediation: check.remediation(),
        }
    }

    pub fn with(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.evidence.insert(key, value.into());
        self
    }

    pub fn with_opt(self, key: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.with(key, value),
            None => self,
        }
    }
}
