//! The browser's HTTP: the platform's `fetch`, called through `web-sys` (wasm32 only).
//!
//! In a browser (or a worker, or Node) `fetch` is the HTTP client: it pools connections,
//! speaks TLS with the platform's trust store, and enforces CORS. The client needs four
//! things of it: send a method, a URL, one header and a body; read the status, the length and
//! the body whole; abort when the call is dropped (a cancelled call); and the failure's text.
//! Going through `reqwest` for that brought its URL parser, IDNA tables and header machinery
//! into the `.wasm` (issue 14: 90 KB of its 429 KB gzip size) for no behaviour the client uses.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (window, worker or Node alike).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &web_sys::Request) -> Promise;
}

/// A `fetch` that failed, or a reply whose body could not be read: the platform's own words
/// (`TypeError: Failed to fetch`, `TypeError: fetch failed`), which the TypeScript layer reads
/// to explain a network, CORS or certificate failure.
#[derive(Debug)]
pub(crate) struct FetchError(pub String);

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn failure(what: &str, e: JsValue) -> FetchError {
    let text = match e.dyn_ref::<js_sys::Error>() {
        Some(error) => {
            let mut text = String::from(error.to_string());
            // Node puts the reason (ECONNREFUSED, a certificate code) in `cause`.
            if let Ok(cause) = js_sys::Reflect::get(error, &JsValue::from_str("cause"))
                && let Some(cause) = cause.dyn_ref::<js_sys::Error>()
            {
                text.push_str(": ");
                text.push_str(&String::from(cause.to_string()));
            }
            text
        }
        None => e.as_string().unwrap_or_else(|| format!("{e:?}")),
    };
    FetchError(format!("{what}: {text}"))
}

/// Aborts the request when dropped (the call was cancelled or finished).
struct AbortOnDrop(web_sys::AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A reply whose head has arrived; its body is read with [`Reply::bytes`].
pub(crate) struct Reply {
    response: web_sys::Response,
    _abort: AbortOnDrop,
}

impl Reply {
    pub fn status(&self) -> u16 {
        self.response.status()
    }

    /// The announced length, when the reply has one.
    pub fn content_length(&self) -> Option<u64> {
        self.response.headers().get("content-length").ok().flatten().and_then(|v| v.trim().parse().ok())
    }

    /// The body, whole (the browser gives it so).
    pub async fn bytes(self) -> Result<Vec<u8>, FetchError> {
        let buffer = self.response.array_buffer().map_err(|e| failure("error reading the reply", e))?;
        let buffer = JsFuture::from(buffer).await.map_err(|e| failure("error reading the reply", e))?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }
}

/// Send one request. `json` is the body, sent as `application/json`.
pub(crate) async fn send(method: &str, url: &str, json: Option<&[u8]>) -> Result<Reply, FetchError> {
    let sending = |e| failure("error sending request", e);
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = json {
        let headers = web_sys::Headers::new().map_err(sending)?;
        headers.set("content-type", "application/json").map_err(sending)?;
        init.set_headers(&headers);
        init.set_body(&Uint8Array::from(body));
    }
    let abort = AbortOnDrop(web_sys::AbortController::new().map_err(sending)?);
    init.set_signal(Some(&abort.0.signal()));
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(sending)?;
    let response = JsFuture::from(global_fetch(&request)).await.map_err(sending)?;
    Ok(Reply { response: response.unchecked_into(), _abort: abort })
}

/// The URL's host and whether it has a query or fragment, by the platform's URL parser (the
/// WHATWG one `url` implements natively); `Err` with the parser's words.
pub(crate) fn parse_url(raw: &str) -> Result<(String, bool), String> {
    let url = web_sys::Url::new(raw).map_err(|e| failure("invalid URL", e).0)?;
    let query_or_fragment = !url.search().is_empty() || !url.hash().is_empty() || raw.contains(['?', '#']);
    Ok((url.hostname(), query_or_fragment))
}
