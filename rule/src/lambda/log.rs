//! One JSON object per line on stdout: CloudWatch Logs keeps each as one event, and Logs Insights
//! queries its fields. Security Hub drops the annotation, so the full findings live here.

use serde::Serialize;
use serde_json::{Value, json};

/// A log line's level.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    /// Normal operation.
    Info,
    /// Degraded but handled.
    Warn,
    /// Something was not done.
    Error,
}

/// Writes one JSON log line: level, event name and fields.
pub fn emit(level: Level, event: &str, fields: Value) {
    let mut line = json!({"level": level, "event": event});
    if let (Some(line), Value::Object(fields)) = (line.as_object_mut(), fields) {
        line.extend(fields);
    }
    // A log line that cannot be written is lost, never a panic.
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}
