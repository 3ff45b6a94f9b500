//! # actatek-uniffi
//!
//! Kotlin and Swift bindings of the ACTAtek SDK through uniffi (proc-macros only). One facade
//! object, [`Client`], with one async method per canonical operation of the terminal's REST API,
//! generated from the core's `operation_table!`; the models as records and enums ([`models`]);
//! the terminal's local time and UTC as two distinct date-time kinds mapped to `java.time` and
//! Foundation types ([`time`]); every failure as [`ActatekError`] with field and rule for
//! validation.
//!
//! Generate the foreign code with the workspace's `uniffi-bindgen` from a build of this crate
//! (debug, or a profile with `strip = "debuginfo"`: fully stripped libraries lose the uniffi
//! metadata): `scripts/test-kotlin.sh` and `bindings/swift/generate.sh` do.

// uniffi lowers the error by value into a buffer: boxing it would change nothing on the foreign
// side, and the exported signatures must name the error type itself.
#![allow(clippy::result_large_err)]

pub mod bridge;
pub mod client;
pub mod desired;
pub mod error;
pub mod export;
pub mod models;
pub mod testing;
pub mod time;

#[cfg(test)]
mod tests;

pub use client::{Client, ClientOptions, Tls};
pub use error::{ActatekError, TransportKind, Violation};
pub use export::{Checkpoint, LogChunk, LogExport, LogWatch};

uniffi::setup_scaffolding!("actatek");

/// The canonical names of every operation, in the table's order (`get_logs`, …): what the
/// client has one method for.
#[uniffi::export]
pub fn operation_names() -> Vec<String> {
    actatek::OPERATIONS.iter().map(|o| o.name.to_string()).collect()
}

/// The 48-character time pattern for ranges such as `"08:00-12:30, 13:30-17:00"` (half-hour
/// boundaries, `24:00` may end a range) (§5.1).
#[uniffi::export]
pub fn time_pattern_from_ranges(ranges: String) -> Result<String, ActatekError> {
    actatek::TimePattern::from_ranges(&ranges)
        .map(|p| p.to_string())
        .map_err(|e| ActatekError::validation("time_pattern_from_ranges", &e.under("ranges").into()))
}

/// The on-slots of a 48-character time pattern as merged ranges (`"08:00-12:30, 13:30-17:00"`).
#[uniffi::export]
pub fn time_pattern_to_ranges(pattern: String) -> Result<String, ActatekError> {
    actatek::TimePattern::parse(&pattern)
        .map(|p| p.to_ranges())
        .map_err(|e| ActatekError::validation("time_pattern_to_ranges", &e.under("pattern").into()))
}

/// One value of a record's `extra` (its JSON object text) by wire name, as JSON text
/// (`"\"9:30\""` for the string `9:30`, `"7"` for the number); `null`/`nil` when `extra` has no
/// such key or is not a JSON object. A value the SDK could not read as its field's type (the
/// typed property is then `null`/`nil`) is found here under the field's wire name:
/// `extraValue(autoInOut.extra, "crowd_reset_hhmm")`.
#[uniffi::export]
pub fn extra_value(extra: String, wire_name: String) -> Option<String> {
    match serde_json::from_str::<serde_json::Value>(&extra) {
        Ok(serde_json::Value::Object(map)) => map.get(&wire_name).map(|v| v.to_string()),
        _ => None,
    }
}
