//! The pure core of config-delivery-guard: everything that can be decided from data.
//!
//! No AWS SDK crate and no async runtime may appear here; the `config-delivery-guard` crate reads
//! AWS into a [`snapshot::Snapshot`], and this crate judges it and says the result to every
//! destination. The data flows top to bottom through these modules:
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`input`] | the Config invocation event and the CloudTrail call event (EventBridge) |
//! | [`parameters`] | the rule parameters: one table, parsing, defaults |
//! | [`aws_names`] | what a well-formed account ID, Region, ARN or resource name is |
//! | [`snapshot`] | what was observed in one account-region, including what could not be read |
//! | [`checks`] | the check catalogue (one table) and the checks: snapshot + parameters -> findings |
//! | [`policy`] | the IAM policy model, parser and evaluator; decision files |
//! | [`verdict`] | findings -> region verdict -> account verdict; fleet summary |
//! | [`outbound`] | what each destination receives: Config evaluation, delta plan, ASFF, health event |
//! | [`report`] | renderings for people and tools: table, JSON, SARIF, HTML, cost and KPI reports |
//! | [`cost`], [`kpi`] | the cost model and the KPIs from the rule's history |
//! | [`timestamp`] | the one time type, RFC 3339 in and out |
#![warn(missing_docs)]

pub mod aws_names;
pub mod checks;
pub mod cost;
pub mod exceptions;
pub mod input;
pub mod kpi;
pub mod outbound;
pub mod parameters;
pub mod policy;
pub mod report;
pub mod snapshot;
pub mod timestamp;
pub mod verdict;
