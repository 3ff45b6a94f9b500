//! # actatek-wasm
//!
//! The WebAssembly side of the browser package (`web/`): one thin class over
//! [`actatek::Client`] whose [`WasmClient::call`] runs any canonical operation by name with its
//! wire-form input, plus the core's pure helpers (validation, request description, reply
//! reading, record checks, time patterns). The typed, camelCase TypeScript API is generated from the core's
//! operation table (`tests/generated_ts.rs` writes `web/src/generated.ts`) and wraps this.
//!
//! Values cross the boundary as JSON text: the reply of a 100,000-log export is one string
//! instead of millions of small JS objects built one by one, and `JSON.stringify` already
//! turns a `Date` into the UTC form the core reads.
//!
//! Errors reject with real `Error` objects carrying `kind` (`config`, `validation`, `api`,
//! `protocol`, `transport`) and the fields of that kind (`maybeApplied` on protocol and
//! transport errors); the TypeScript layer turns them into its `ConfigError`,
//! `ValidationError`, `ApiError`, `ProtocolError` and `TransportError` classes.
//!
//! A client given a `logger` hands the Rust client's `tracing` events to it ([`events`]); its
//! log watch is the Rust client's ([`watch`]).

#[cfg(feature = "boundary-bench")]
mod boundary_bench;
mod events;
mod watch;

use actatek::{AnyOperation, Checkpoint, Client, LogExport, ReplyError, SessionId, TransportKind, ops};
use actatek_core::plan::{Declaration, PlanOptions, State};
use actatek_core::{TimePattern, Validate, ValidationError, ValidationErrors};
use futures::future::{Either, select};
use js_sys::{Array, Object, Promise, Reflect};
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

// --- errors ----------------------------------------------------------------------------------

fn set(target: &JsValue, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh Error or Object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

fn js_error(kind: &str, message: &str) -> js_sys::Error {
    let e = js_sys::Error::new(message);
    set(&e, "kind", kind);
    e
}

fn validation_item(e: &ValidationError) -> Object {
    let o = Object::new();
    set(&o, "field", e.field.as_str());
    set(&o, "rule", e.rule.code());
    set(&o, "value", e.value.as_str());
    set(&o, "section", e.rule.section());
    set(&o, "message", e.to_string());
    o
}

fn validation_error(errors: &ValidationErrors) -> JsValue {
    let first = errors.first();
    let e = js_error("validation", &errors.to_string());
    set(&e, "field", first.field.as_str());
    set(&e, "rule", first.rule.code());
    set(&e, "value", first.value.as_str());
    set(&e, "section", first.rule.section());
    let all: Array = errors.errors().iter().map(validation_item).collect();
    set(&e, "errors", all);
    e.into()
}

fn transport_kind(kind: TransportKind) -> &'static str {
    match kind {
        TransportKind::Connect => "connect",
        TransportKind::Timeout => "timeout",
        TransportKind::Tls => "tls",
        TransportKind::Connection => "connection",
        _ => "connection",
    }
}

/// The client's error as a JS `Error` with its discriminant and fields.
fn client_error(error: actatek::Error) -> JsValue {
    match &error {
        actatek::Error::Validation(errors) => validation_error(errors),
        actatek::Error::Api { operation, status, message } => {
            let e = js_error("api", &error.to_string());
            set(&e, "operation", *operation);
            set(&e, "status", *status);
            set(&e, "terminalMessage", message.as_str());
            e.into()
        }
        actatek::Error::Protocol { operation, status, detail, maybe_applied } => {
            let e = js_error("protocol", &error.to_string());
            set(&e, "operation", *operation);
            set(&e, "status", *status);
            set(&e, "detail", detail.as_str());
            set(&e, "maybeApplied", *maybe_applied);
            e.into()
        }
        actatek::Error::Transport { operation, kind, detail, maybe_applied } => {
            let e = js_error("transport", &error.to_string());
            set(&e, "operation", *operation);
            set(&e, "transportKind", transport_kind(*kind));
            set(&e, "detail", detail.as_str());
            set(&e, "maybeApplied", *maybe_applied);
            e.into()
        }
        // A client setting refused before anything was sent (the TypeScript `ConfigError`).
        actatek::Error::Config(c) => {
            let e = js_error("config", &error.to_string());
            set(&e, "setting", c.setting().name());
            set(&e, "detail", c.problem());
            e.into()
        }
        // `actatek::Error` is non-exhaustive: a new kind still reaches JS as an Error.
        _ => js_error("transport", &error.to_string()).into(),
    }
}

fn reply_error(error: ReplyError) -> JsValue {
    match &error {
        ReplyError::Api { operation, status, message } => {
            let e = js_error("api", &error.to_string());
            set(&e, "operation", *operation);
            set(&e, "status", *status);
            set(&e, "terminalMessage", message.as_str());
            e.into()
        }
        ReplyError::Protocol { operation, status, detail } => {
            let e = js_error("protocol", &error.to_string());
            set(&e, "operation", *operation);
            set(&e, "status", *status);
            set(&e, "detail", detail.as_str());
            // Read locally: nothing was sent.
            set(&e, "maybeApplied", false);
            e.into()
        }
    }
}

/// Input text that is not JSON at all: only reachable by calling the raw binding by hand.
fn bad_json(what: &str, e: serde_json::Error) -> JsValue {
    let v = ValidationError::new("", format!("{what} is not JSON: {e}"), actatek_core::Rule::WrongType);
    validation_error(&ValidationErrors::one(v))
}

/// JSON text from JS read as bytes, as the core reads every text: one copy of serde_json's
/// reader in the `.wasm` (`from_str` would link a second, for `&str`).
fn parse_json(what: &str, text: &str) -> Result<serde_json::Value, JsValue> {
    serde_json::from_slice(text.as_bytes()).map_err(|e| bad_json(what, e))
}

fn operation(name: &str, input: &str) -> Result<AnyOperation, JsValue> {
    let input = parse_json("the input", input)?;
    AnyOperation::from_wire(name, &input).map_err(|e| validation_error(&e))
}

/// A desired-state document in wire form (JSON text), read by the core: `terminal` and
/// `groups` say which of its sections are this terminal's.
fn desired_state(
    text: &str,
    prune: bool,
    terminal: Option<String>,
    groups: &[String],
) -> Result<(State, PlanOptions), JsValue> {
    let v = parse_json("the desired state", text)?;
    let declaration = Declaration::from_wire(&v).map_err(|e| validation_error(&e))?;
    let state = declaration.for_client(terminal.as_deref(), groups).map_err(|e| validation_error(&e))?;
    Ok((state, PlanOptions { prune, ..PlanOptions::default() }))
}

fn to_json_text<T: serde::Serialize>(v: &T) -> JsValue {
    JsValue::from_str(&serde_json::to_string(v).expect("replies always serialize"))
}

/// A promise of `work`. Every export's future is boxed into one type first, so that
/// `future_to_promise` and its task are compiled once, not once per export.
pub(crate) fn promise(work: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let work: futures::future::LocalBoxFuture<'static, Result<JsValue, JsValue>> = Box::pin(work);
    wasm_bindgen_futures::future_to_promise(work)
}

/// Runs `work` unless `cancel` settles first; then `work` is dropped, which aborts its fetch
/// (reqwest's wasm request aborts on drop). `cancel` rejects with the reason to report.
async fn cancellable<F>(work: F, cancel: Option<Promise>) -> Result<JsValue, JsValue>
where
    F: Future<Output = Result<JsValue, JsValue>>,
{
    let Some(cancel) = cancel else { return work.await };
    let work = std::pin::pin!(work);
    match select(work, JsFuture::from(cancel)).await {
        Either::Left((result, _)) => result,
        Either::Right((Err(reason), _)) => Err(reason),
        Either::Right((Ok(_), _)) => Err(js_error("abort", "the call was cancelled").into()),
    }
}

/// The logs an export or a watch reads: get_full_logs' input (JSON text).
fn log_filter(filter: &str) -> Result<ops::GetFullLogs, JsValue> {
    match operation("get_full_logs", filter)? {
        AnyOperation::GetFullLogs(f) => Ok(f),
        _ => unreachable!("get_full_logs decodes to GetFullLogs"),
    }
}

/// A checkpoint from its JSON text (as `checkpoint()` gave it), or the start when none.
fn checkpoint_from(text: Option<&str>) -> Result<Checkpoint, JsValue> {
    let Some(text) = text else { return Ok(Checkpoint::default()) };
    read_checkpoint(&parse_json("the checkpoint", text)?).map_err(|problem| {
        let e =
            ValidationError::new("checkpoint", format!("not a checkpoint: {problem}"), actatek_core::Rule::WrongType);
        validation_error(&ValidationErrors::one(e))
    })
}

/// [`Checkpoint`]'s `Deserialize`, read from the value the module already reads every JSON
/// text into: the derived reader was 1.5 KB gzip of the `.wasm`. It accepts what the derive
/// accepts, with the same result (`tests::checkpoints_read_as_serde_reads_them`), except two
/// forms `checkpoint()` never writes: a key given twice keeps its last value (the derive
/// refused it) and the struct as an array is refused (the derive read it). The struct is
/// built whole, so a field added to it fails to compile here.
fn read_checkpoint(v: &serde_json::Value) -> Result<Checkpoint, String> {
    use serde_json::Value;
    let o = v.as_object().ok_or("not an object")?;
    let timestamp = match o.get("timestamp") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(actatek_core::TerminalDateTime::parse(t).map_err(|e| e.to_string())?),
        Some(_) => return Err("timestamp is not a date-time".into()),
    };
    let list = |key: &str, required: bool| match o.get(key) {
        None if !required => Ok(&[][..]),
        Some(Value::Array(items)) => Ok(items.as_slice()),
        _ => Err(format!("{key} is not a list")),
    };
    let ids = list("ids", true)?.iter().map(Value::as_i64).collect::<Option<Vec<i64>>>();
    let texts = |key: &str| -> Result<Vec<String>, String> {
        let items = list(key, false)?.iter().map(|i| i.as_str().map(str::to_owned));
        items.collect::<Option<Vec<String>>>().ok_or_else(|| format!("{key} holds a value that is not a string"))
    };
    Ok(Checkpoint {
        timestamp,
        ids: ids.ok_or("ids holds a value that is not an integer")?,
        keys: texts("keys")?,
        untimed: texts("untimed")?,
        delivered: o.get("delivered").and_then(Value::as_u64).ok_or("delivered is not a count")?,
    })
}

// --- the client ------------------------------------------------------------------------------

fn millis(ms: f64) -> Duration {
    Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX)
}

/// One terminal: sessions, retries of reads and validation come from `actatek::Client`.
#[wasm_bindgen]
pub struct WasmClient {
    inner: Client,
    /// The logger's place, when one was given (freed with the client).
    _events: Option<events::Events>,
}

#[wasm_bindgen]
impl WasmClient {
    /// A client for the terminal at `url`: `retries` is how often a failed read is repeated
    /// (default 3), `backoff_ms` the first wait (200, doubling) and `max_backoff_ms` the
    /// longest (5000); `logger` receives the client's events as objects.
    #[wasm_bindgen(constructor)]
    pub fn new(
        url: String,
        username: String,
        password: String,
        retries: Option<u32>,
        backoff_ms: Option<f64>,
        max_backoff_ms: Option<f64>,
        logger: Option<js_sys::Function>,
    ) -> Result<WasmClient, JsValue> {
        let mut builder = Client::builder(url, username, password);
        if let Some(n) = retries {
            builder = builder.retries(n);
        }
        if backoff_ms.is_some() || max_backoff_ms.is_some() {
            builder = builder.backoff(
                backoff_ms.map_or(actatek::DEFAULT_BACKOFF, millis),
                max_backoff_ms.map_or(actatek::DEFAULT_MAX_BACKOFF, millis),
            );
        }
        let events = logger.map(events::Events::new);
        if let Some(events) = &events {
            builder = builder.on_event(events.hook());
        }
        let inner = builder.build().map_err(|e| client_error(e.into()))?;
        Ok(WasmClient { inner, _events: events })
    }

    /// The terminal's base URL.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> String {
        self.inner.url().to_string()
    }

    /// Run the operation `name` (canonical, `get_logs`) with its wire-form input as JSON text.
    /// Resolves to the normalized reply as JSON text. The input is validated before anything
    /// is sent; a validation error rejects at once.
    pub fn call(&self, name: String, input: String, cancel: Option<Promise>) -> Promise {
        let client = self.inner.clone();
        promise(async move {
            let op = operation(&name, &input)?;
            let work = async move { client.call_any_text(&op).await.map(JsValue::from).map_err(client_error) };
            cancellable(work, cancel).await
        })
    }

    /// A resumable export of the logs matching `filter` (get_full_logs' input, JSON) in chunks
    /// of `chunk`, from `checkpoint` (JSON, or none for the start).
    #[wasm_bindgen(js_name = exportLogs)]
    pub fn export_logs(
        &self,
        filter: String,
        chunk: u32,
        checkpoint: Option<String>,
    ) -> Result<WasmLogExport, JsValue> {
        let (filter, checkpoint) = (log_filter(&filter)?, checkpoint_from(checkpoint.as_deref())?);
        let export = self.inner.export_logs(filter, chunk, checkpoint);
        Ok(WasmLogExport { inner: Rc::new(futures::lock::Mutex::new(export)) })
    }

    /// New logs matching `filter` (get_full_logs' input, JSON) as they arrive, from
    /// `checkpoint` (JSON, or none), polling every `poll_ms` while logs come: the Rust
    /// client's watch ([`Client::watch_logs`]).
    #[wasm_bindgen(js_name = watchLogs)]
    pub fn watch_logs(
        &self,
        filter: String,
        poll_ms: f64,
        checkpoint: Option<String>,
    ) -> Result<watch::WasmLogWatch, JsValue> {
        let (filter, checkpoint) = (log_filter(&filter)?, checkpoint_from(checkpoint.as_deref())?);
        // A poll of 0 would spin: at least a millisecond.
        let poll = millis(poll_ms).max(Duration::from_millis(1));
        let stream = Box::pin(self.inner.watch_logs(filter, checkpoint.clone(), poll));
        Ok(watch::WasmLogWatch::new(stream, checkpoint))
    }

    /// The changes that would make the terminal hold `desired` (the wire form of a
    /// desired-state document, JSON text; nothing is written) or, with `apply`, make it hold
    /// it (read, plan, write, read again): the changes, or the report (`converged`, `rounds`,
    /// `requests`, `refused`, the first round's `changes`), as JSON text.
    pub fn desired(
        &self,
        desired: String,
        prune: bool,
        terminal: Option<String>,
        groups: Vec<String>,
        apply: bool,
        cancel: Option<Promise>,
    ) -> Promise {
        let client = self.inner.clone();
        promise(async move {
            let (state, options) = desired_state(&desired, prune, terminal, &groups)?;
            let work = async move {
                let summary = client.desired_summary(&state, &options, apply).await.map_err(client_error)?;
                Ok(to_json_text(&summary))
            };
            cancellable(work, cancel).await
        })
    }

    /// Log out if logged in. Never fails (the session also expires by itself).
    pub fn close(&self) -> Promise {
        let client = self.inner.clone();
        promise(async move {
            client.close().await;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// A log export in progress (see [`actatek::LogExport`]).
#[wasm_bindgen]
pub struct WasmLogExport {
    // An async mutex: a chunk in flight keeps it; a cancelled chunk drops its guard and leaves
    // the export (and its checkpoint) as it was before the chunk.
    inner: Rc<futures::lock::Mutex<LogExport>>,
}

#[wasm_bindgen]
impl WasmLogExport {
    /// The next chunk as JSON text (an array of full logs), or `null` when done.
    #[wasm_bindgen(js_name = nextChunk)]
    pub fn next_chunk(&self, cancel: Option<Promise>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let work = async move {
                let mut export = inner.lock().await;
                match export.next_chunk().await {
                    Ok(Some(logs)) => Ok(to_json_text(&logs)),
                    Ok(None) => Ok(JsValue::NULL),
                    Err(e) => Err(client_error(e)),
                }
            };
            cancellable(work, cancel).await
        })
    }

    /// Where the export stands, as JSON text: persist it to resume later.
    pub fn checkpoint(&self) -> Result<String, JsValue> {
        match self.inner.try_lock() {
            Some(export) => Ok(serde_json::to_string(export.checkpoint()).expect("checkpoints serialize")),
            None => Err(js_error("busy", "a chunk is being fetched; read the checkpoint after it").into()),
        }
    }
}

// --- pure helpers (no I/O) -------------------------------------------------------------------

/// Check an operation's input without sending anything; throws the validation error.
#[wasm_bindgen(js_name = validateInput)]
pub fn validate_input(name: &str, input: &str) -> Result<(), JsValue> {
    operation(name, input)?.validate().map_err(|e| validation_error(&e))
}

/// The HTTP request the client would send for this input with session `session` (for logs
/// and debugging; the session id is whatever is passed): `{method, path, query, url, body}`
/// as JSON text.
#[wasm_bindgen(js_name = describeRequest)]
pub fn describe_request(name: &str, input: &str, session: &str) -> Result<String, JsValue> {
    let op = operation(name, input)?;
    let req = op.request(Some(&SessionId::new(session))).map_err(|e| validation_error(&e))?;
    let body = match &req.body {
        None => serde_json::Value::Null,
        Some(bytes) => serde_json::from_slice(bytes).expect("request bodies are JSON"),
    };
    // Built as a value by hand: `json!` would compile a `serde_json::Value` writer into the
    // `.wasm` for its parts.
    let query = req.query.iter().map(|(k, v)| pair((*k).into(), v.as_str().into())).collect();
    let mut described = serde_json::Map::new();
    described.insert("method".into(), req.method.as_str().into());
    described.insert("path".into(), req.path.as_str().into());
    described.insert("query".into(), query);
    described.insert("url".into(), req.path_and_query().into());
    described.insert("body".into(), body);
    let described = serde_json::Value::Object(described);
    Ok(described.to_string())
}

fn pair(a: serde_json::Value, b: serde_json::Value) -> serde_json::Value {
    serde_json::Value::Array(vec![a, b])
}

/// Read a terminal reply of operation `name` as the client does: the normalized reply as
/// JSON text, or a thrown `api` / `protocol` error.
#[wasm_bindgen(js_name = readReply)]
pub fn read_reply(name: &str, status: u16, body: &str) -> Result<String, JsValue> {
    match AnyOperation::read_reply_text(name, status, body.as_bytes()) {
        None => Err(validation_error(&ValidationErrors::one(ValidationError::new(
            "operation",
            name,
            actatek_core::Rule::UnknownField,
        )))),
        Some(Ok(text)) => Ok(text),
        Some(Err(e)) => Err(reply_error(e)),
    }
}

/// Declares the record models [`check_record`] knows, by their TypeScript names.
macro_rules! record_models {
    ($($T:ident),* $(,)?) => {
        /// The models `checkRecord` takes (`tests/generated_ts.rs` writes them as `ModelName`).
        pub const RECORD_MODELS: &[&str] = &[$(stringify!($T)),*];

        /// The rules a record of `model` (wire form) breaks as a request body, as the core
        /// checks them before a write: a value the terminal sent that could not be read as its
        /// field's type (kept verbatim) fails that field's rule; so does an unknown word or an
        /// out-of-range number; a field a write needs and the record lacks fails `required`.
        /// `None` for an unknown model; `Err` when `json` is not a record at all.
        ///
        /// Read from JSON text the way replies are (`serde_json::from_slice`): the module
        /// already holds those readers, so this costs only the dispatch and the checks.
        pub fn record_issues(model: &str, json: &[u8]) -> Option<Result<Vec<ValidationError>, serde_json::Error>> {
            fn issues<T: Validate>(r: T) -> Vec<ValidationError> {
                let mut errors = Vec::new();
                r.validate_at("", &mut errors);
                errors
            }
            match model {
                $( stringify!($T) => Some(serde_json::from_slice::<actatek_core::$T>(json).map(issues)), )*
                _ => None,
            }
        }
    };
}

record_models!(
    LoginReply,
    StatusReply,
    Log,
    FullLog,
    Photo,
    UserStatus,
    KeyRecord,
    FacialRecord,
    User,
    UserMessage,
    UserCount,
    Totp,
    Department,
    TimeSpec,
    AccessRight,
    AccessGroup,
    Trigger,
    Agent,
    Ntp,
    TerminalTime,
    ApiVersion,
    TerminalStatus,
    RelaySetting,
    AutoInOut,
    LogUnauthorizedEvent,
    RtpSetting,
    Consent,
    LogSetting,
    JobCodeSetting,
    JobCode,
    Holidays,
    HolidaysReply,
);

/// What writing back a record of `model` (its wire-form JSON, as a reply gave it) would be
/// refused for, without sending anything: an array of `{field, rule, value, section, message}`
/// (empty when it can be written as it is). Throws a validation error for an unknown model or
/// a value that is not a record.
#[wasm_bindgen(js_name = checkRecord)]
pub fn check_record(model: &str, record: &str) -> Result<Array, JsValue> {
    match record_issues(model, record.as_bytes()) {
        None => Err(validation_error(&ValidationErrors::one(ValidationError::new(
            "model",
            model,
            actatek_core::Rule::UnknownField,
        )))),
        Some(Err(e)) => Err(validation_error(&ValidationErrors::one(ValidationError::new(
            "",
            format!("not a {model} record: {e}"),
            actatek_core::Rule::WrongType,
        )))),
        Some(Ok(issues)) => Ok(issues.iter().map(validation_item).collect()),
    }
}

/// `"08:00-12:30, 13:30-17:00"` → the 48-character pattern (§5.1).
#[wasm_bindgen(js_name = timePatternFromRanges)]
pub fn time_pattern_from_ranges(ranges: &str) -> Result<String, JsValue> {
    TimePattern::from_ranges(ranges).map(|p| p.to_string()).map_err(|e| validation_error(&e.into()))
}

/// The 48-character pattern → merged ranges (`""` when no slot is on).
#[wasm_bindgen(js_name = timePatternToRanges)]
pub fn time_pattern_to_ranges(pattern: &str) -> Result<String, JsValue> {
    TimePattern::parse(pattern).map(|p| p.to_ranges()).map_err(|e| validation_error(&e.into()))
}

/// A date-time's canonical wire form and kind: `["local" | "utc", canonical]` as JSON text.
#[wasm_bindgen(js_name = parseDateTime)]
pub fn parse_date_time(text: &str) -> Result<String, JsValue> {
    let t = actatek_core::TerminalDateTime::parse(text).map_err(|e| validation_error(&e.into()))?;
    let kind = if t.is_utc() { "utc" } else { "local" };
    Ok(pair(kind.into(), t.to_string().into()).to_string())
}

/// A holiday query (`2025-0-0`): `[year, month, day]` with 0 for "any", as JSON text.
#[wasm_bindgen(js_name = parseHolidayQuery)]
pub fn parse_holiday_query(text: &str) -> Result<String, JsValue> {
    let (y, m, d) = actatek_core::HolidayQuery::parse(text).map_err(|e| validation_error(&e.into()))?.parts();
    Ok(serde_json::Value::Array(vec![y.into(), m.into(), d.into()]).to_string())
}

/// The wire form of a holiday query; 0 is a wildcard (`(2025, 7, 0)` → `2025-07-0`).
#[wasm_bindgen(js_name = formatHolidayQuery)]
pub fn format_holiday_query(year: u16, month: u8, day: u8) -> Result<String, JsValue> {
    actatek_core::HolidayQuery::new(year, month, day).map(|q| q.to_string()).map_err(|e| validation_error(&e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// The hand-written reader against the derived one the binding used before, on the texts of
    /// checkpoints the export writes and on odd ones: the same checkpoint, or both refuse;
    /// except the two documented cases no written checkpoint has (last below).
    #[test]
    fn checkpoints_read_as_serde_reads_them() {
        let ours = |text: &str| {
            serde_json::from_str::<Value>(text).map_err(|e| e.to_string()).and_then(|v| read_checkpoint(&v))
        };
        let written = Checkpoint {
            timestamp: Some(actatek_core::TerminalDateTime::parse("2025-07-16T10:24:13").unwrap()),
            ids: vec![3, -1],
            keys: vec!["h:0011".into()],
            untimed: vec!["id:7".into(), "h:ff".into()],
            delivered: 12,
        };
        let mut cases =
            vec![serde_json::to_string(&written).unwrap(), serde_json::to_string(&Checkpoint::default()).unwrap()];
        cases.extend(
            [
                json!({"ids": [], "delivered": 0}),
                json!({"timestamp": null, "ids": [1], "delivered": 1, "extra": true}),
                json!({"timestamp": "2025-07-16T08:24:13Z", "ids": [1], "delivered": 1}),
                json!({"timestamp": "yesterday", "ids": [], "delivered": 0}),
                json!({"timestamp": 5, "ids": [], "delivered": 0}),
                json!({"ids": [1.5], "delivered": 0}),
                json!({"ids": ["1"], "delivered": 0}),
                json!({"ids": [18446744073709551615u64], "delivered": 0}),
                json!({"ids": 1, "delivered": 0}),
                json!({"delivered": 0}),
                json!({"ids": []}),
                json!({"ids": [], "delivered": -1}),
                json!({"ids": [], "delivered": 1.0}),
                json!({"ids": [], "delivered": 0, "keys": null}),
                json!({"ids": [], "delivered": 0, "keys": [1]}),
                json!({"ids": [], "delivered": 0, "untimed": "id:1"}),
                json!([]),
                json!(null),
                json!("x"),
            ]
            .iter()
            .map(Value::to_string),
        );
        for text in &cases {
            let (ours, serde) = (ours(text), serde_json::from_str::<Checkpoint>(text));
            match (&ours, &serde) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{text}: ours {ours:?}, serde {serde:?}"),
            }
        }
        assert_eq!(ours(&cases[0]).unwrap(), written);
        // A key twice: the value keeps the last one, where serde refused it.
        let twice = r#"{"ids": [1], "ids": [2], "delivered": 0}"#;
        assert!(serde_json::from_str::<Checkpoint>(twice).is_err());
        assert_eq!(ours(twice).unwrap().ids, [2]);
        // The struct as an array, which serde also reads: refused.
        let array = r#"[null, [1], [], [], 3]"#;
        assert!(serde_json::from_str::<Checkpoint>(array).is_ok());
        assert_eq!(ours(array).unwrap_err(), "not an object");
    }
}
