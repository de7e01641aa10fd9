//! Renderings for people and tools: the terminal table and JSON, SARIF, the self-contained HTML
//! report, and the cost and KPI reports. Plain functions from verdicts to text.

pub mod catalogue_docs;
pub mod cost;
pub mod html;
pub mod kpi;
pub mod sarif;
pub mod table;
