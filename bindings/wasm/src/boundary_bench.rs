//! The boundary benchmark (feature `boundary-bench`, never in the npm package): values crossing
//! between Rust and JS as JSON text (what the package does) against `serde-wasm-bindgen`, in
//! both directions, measured side by side by `web/bench/boundary.mjs`
//! (`bash scripts/bench-wasm-boundary.sh`).

use crate::{operation, validation_error};
use actatek::AnyOperation;
use actatek_core::FullLog;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A reply as `call_any` holds it before it crosses: the typed logs turned into a JSON value.
#[wasm_bindgen]
pub struct BenchReply {
    value: serde_json::Value,
}

#[wasm_bindgen]
impl BenchReply {
    /// Read `text` (a getFullLogs reply) as the client does, typed, then as `call_any` keeps it.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<BenchReply, JsValue> {
        let logs: Vec<FullLog> = serde_json::from_str(text).map_err(|e| JsValue::from_str(&e.to_string()))?;
        Ok(BenchReply { value: serde_json::to_value(&logs).map_err(|e| JsValue::from_str(&e.to_string()))? })
    }

    /// What the package sends today: JSON text, which JS then `JSON.parse`s.
    #[wasm_bindgen(js_name = asJsonText)]
    pub fn as_json_text(&self) -> String {
        serde_json::to_string(&self.value).unwrap_or_default()
    }

    /// `serde-wasm-bindgen`: JS objects built from Rust (plain objects, as JSON would give).
    #[wasm_bindgen(js_name = asJsValue)]
    pub fn as_js_value(&self) -> Result<JsValue, JsValue> {
        self.value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(JsValue::from)
    }
}

/// An input as the package reads it today: JSON text from `JSON.stringify`, then validated.
#[wasm_bindgen(js_name = benchInputFromText)]
pub fn bench_input_from_text(name: &str, text: &str) -> Result<bool, JsValue> {
    operation(name, text).map(|op| op.retry_safe())
}

/// The same input as a JS object read by `serde-wasm-bindgen`, then validated.
#[wasm_bindgen(js_name = benchInputFromValue)]
pub fn bench_input_from_value(name: &str, input: JsValue) -> Result<bool, JsValue> {
    let value: serde_json::Value = serde_wasm_bindgen::from_value(input).map_err(JsValue::from)?;
    AnyOperation::from_wire(name, &value).map(|op| op.retry_safe()).map_err(|e| validation_error(&e))
}
