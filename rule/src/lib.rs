//! config-delivery-guard: read an AWS Config delivery pipeline, judge it with
//! [`delivery_guard_core`], and report the verdict.
//!
//! The arrows point one way: `bin` -> [`lambda`] / [`cli`] -> [`sweep`] -> [`aws`] -> core.
//!
//! | module | what it holds |
//! | --- | --- |
//! | [`aws`] | SDK clients; `read` (AWS into a snapshot); `write` (Config, Security Hub, EventBridge) |
//! | [`sweep`] | many account-regions through each member's audit role (watchdog and `scan --org`) |
//! | [`lambda`] | the Lambda only: the three Config-rule modes, the event path, delivery and publishing |
//! | [`cli`] | the `delivery-guard` command only: one file per subcommand |
//!
//! The pure work (parsing, checks, the policy evaluator, verdicts, every output format) lives in the
//! `delivery-guard-core` crate, which names no AWS SDK crate.

#![warn(missing_docs)]

pub mod aws;
pub mod cli;
pub mod exceptions;
pub mod lambda;
pub mod sweep;
