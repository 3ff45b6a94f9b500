//! Shared by the reply tests: the reply vectors and the whole-body reading they are held to.
#![allow(dead_code)]

use actatek_core::AnyOperation;
use serde_json::Value;

/// The cases of `tests/vectors/responses.json`.
pub fn reply_cases() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/responses.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("responses.json")).expect("JSON");
    doc["cases"].as_array().expect("cases").clone()
}

/// A reply of the named operation read whole, in normalized JSON (or the error's text).
pub fn read_whole(operation: &str, status: u16, body: &[u8]) -> Result<Value, String> {
    AnyOperation::read_reply_json(operation, status, body).expect("known operation").map_err(|e| e.to_string())
}
