//! Everything that calls AWS: the SDK clients, reading into a snapshot, and writing to Config,
//! Security Hub and EventBridge. Each adapter turns SDK errors into data (`Unreadable`).

pub mod clients;
pub mod read;
pub mod write;
