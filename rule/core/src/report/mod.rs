//! Renderings for people and tools: the terminal table and JSON, SARIF, the self-contained HTML
//! report, and the cost and KPI reports. Plain functions from verdicts to text.

pub mod catalogue_docs;
pub mod changes;
pub mod charts;
pub mod cost;
pub mod framework;
pub mod html;
pub mod kpi;
pub mod markdown;
pub mod sarif;
pub mod saved;
pub mod table;

use crate::report::changes::Changes;
use crate::report::saved::ScanInfo;
use crate::verdict::{AccountVerdict, Cluster, FleetSummary};

/// Everything a scan's report says, for the formats that show more than the verdicts.
pub struct Report<'a> {
    /// Every account judged.
    pub accounts: &'a [&'a AccountVerdict],
    /// Their counts.
    pub summary: &'a FleetSummary,
    /// The root causes, largest first.
    pub clusters: &'a [Cluster],
    /// What was scanned (None for `check` and `evaluate`).
    pub scan: Option<&'a ScanInfo>,
    /// Since the baseline, when one was given.
    pub changes: Option<&'a Changes>,
}
