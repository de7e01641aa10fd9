//! A finding: one thing wrong with the pipeline, with its evidence and how to fix it.

use crate::checks::{CheckId, Evidence};
use serde::{Deserialize, Serialize};

/// Ordered most important first: a delivery that fails now outranks one we could not see,
/// which outranks a pipeline that works but is set up differently than required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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

/// One thing wrong with the pipeline, with its evidence and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The check that failed.
    pub check: CheckId,
    /// The check's severity, raised for `probe.unverified` under `StrictProbes`.
    pub severity: Severity,
    /// One sentence, short enough to lead the 256-character annotation.
    pub message: String,
    /// What was observed, by name (error codes, ARNs, the statement to add).
    pub evidence: Evidence,
    /// What to do about it: the catalogue's remediation.
    pub remediation: &'static str,
}

impl Finding {
    /// A finding of the check, with the catalogue's severity and remediation.
    pub fn new(check: CheckId, message: impl Into<String>) -> Self {
        Self {
            check,
            severity: check.severity(),
            message: message.into(),
            evidence: Evidence::new(),
            remediation: check.remediation(),
        }
    }

    /// Adds one piece of evidence.
    pub fn with(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.evidence.insert(key, value.into());
        self
    }

    /// Adds one piece of evidence when there is one.
    pub fn with_opt(self, key: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.with(key, value),
            None => self,
        }
    }
}

/// A finding as a saved report holds it: the remediation is the catalogue's (or Control Tower's),
/// never free text from the file.
#[derive(Deserialize)]
struct SavedFinding {
    check: CheckId,
    severity: Severity,
    message: String,
    #[serde(default)]
    evidence: Evidence,
    #[serde(default)]
    remediation: Option<String>,
}

impl<'de> Deserialize<'de> for Finding {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let saved = SavedFinding::deserialize(deserializer)?;
        Ok(Self {
            check: saved.check,
            severity: saved.severity,
            message: saved.message,
            evidence: saved.evidence,
            // A saved Control Tower remediation is kept; any other text is the catalogue's.
            remediation: super::landing_zone::remediation(saved.check)
                .filter(|text| saved.remediation.as_deref() == Some(*text))
                .unwrap_or_else(|| saved.check.remediation()),
        })
    }
}
