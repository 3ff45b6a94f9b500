//! The smallest useful reqwest + serde module: fetch one JSON document, read it into a typed
//! struct, hand it back. `scripts/test-web.sh` builds it with the same profile as
//! `actatek-wasm` and prints both sizes, so the SDK's own weight is visible.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[derive(Debug, Serialize, Deserialize)]
struct ApiVersion {
    name: String,
    version: String,
}

/// GET `url` and read `{"name", "version"}`.
#[wasm_bindgen]
pub async fn probe(url: String) -> Result<String, JsValue> {
    let reply = reqwest::get(&url).await.map_err(|e| JsValue::from_str(&e.to_string()))?;
    let v: ApiVersion = reply.json().await.map_err(|e| JsValue::from_str(&e.to_string()))?;
    serde_json::to_string(&v).map_err(|e| JsValue::from_str(&e.to_string()))
}
