//! IAM policy model, parser and evaluator. Pure: no AWS clients, no I/O.
//!
//! `parse` turns a policy document into the model (every grammar shape; a clear error naming the
//! statement otherwise), `request` describes one API call, `decide` evaluates a call across the
//! policy types AWS combines (identity, resource, permissions boundary, SCPs, RCPs, KMS key
//! policies) and explains its decision.

mod condition;
mod decide;
pub mod decision_file;
mod matching;
mod model;
mod parse;
mod request;
pub mod validate;

pub use decide::{Decision, Explanation, MatchedStatement, Named, PolicyKind, PolicySet, decide};
pub(crate) use model::Condition;
pub use model::{Effect, Policy, Statement};
pub use parse::{PolicyError, parse_policy, parse_policy_value};
pub use request::{Principal, Request};
