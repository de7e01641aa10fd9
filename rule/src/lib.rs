//! config-delivery-guard: judge an AWS Config delivery pipeline and report the verdict.
//!
//! Pure core: `event`, `parameters`, `snapshot`, `checks`, `verdict`, `evaluation`.
//! Adapters: `collect` (AWS reads) and `report` (PutEvaluations). Wiring: `handler`, `cli`.

pub mod account_verdict;
pub mod asff;
pub mod audit_role;
pub mod checks;
pub mod cli;
pub mod clients;
pub mod collect;
pub mod cost;
pub mod delta;
pub mod evaluation;
pub mod event;
pub mod eventbridge;
pub mod finding;
pub mod handler;
pub mod health_event;
pub mod judgement;
pub mod kpi;
pub mod log;
pub mod parameters;
pub mod policy;
pub mod probes;
pub mod report;
pub mod securityhub;
pub mod snapshot;
pub mod status;
pub mod sweep;
pub mod tamper;
pub mod tamper_event;
pub mod timestamp;
pub mod verdict;
