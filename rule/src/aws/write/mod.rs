//! Writing: evaluations to Config, findings to Security Hub, health-change events to EventBridge.

pub mod config;
pub mod eventbridge;
pub mod security_hub;
