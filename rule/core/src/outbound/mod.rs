//! What each destination receives, as plain data: the Config evaluation, the delta plan against the
//! results Config holds, Security Hub's ASFF findings, EventBridge's health-change events.

pub mod asff;
pub mod delta;
pub mod evaluation;
pub mod health_event;
pub mod ocsf;
pub mod recovery;
