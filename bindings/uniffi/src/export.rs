//! Resumable log export and a live watch, for Kotlin (`Flow<FullLog>` in
//! `bindings/kotlin/src/main/kotlin/io/actatek/Flows.kt`) and Swift (`AsyncThrowingStream` in
//! `bindings/swift/Sources/Actatek/Streams.swift`), over the client's [`actatek::LogExport`]
//! and [`actatek::Client::watch_logs`].
//!
//! Both objects hand logs out one at a time (or a chunk at a time) and keep a [`Checkpoint`]
//! that counts exactly the logs handed out. Cancelling the coroutine or task that waits in
//! `nextLog()` drops the request in flight (the Rust future is dropped) and leaves the
//! checkpoint where it was, so an export resumed from it delivers every log exactly once.

use crate::bridge::Bridge;
use crate::client::Client;
use crate::error::ActatekError;
use crate::models::FullLog as FfiFullLog;
use crate::time::TerminalDateTime as FfiDateTime;
use actatek::core::datetime::TerminalDateTime as CoreDateTime;
use actatek::ops::GetFullLogs;
use actatek::{Error, FullLog};
use futures::{Stream, StreamExt};
use serde_json::Value;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where an export or a watch stands: the logs handed out so far. Persist it as JSON text
/// (`toJson()` / `Checkpoint.fromJson(text)` in Kotlin, `toJson()` / `init(json:)` in Swift;
/// the same JSON as the Rust, Python and browser packages write) and pass it back to
/// `exportLogs`/`watchLogs` to resume: every log is delivered exactly once.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Checkpoint {
    /// Timestamp of the last log handed out; the next request starts there (inclusive).
    #[uniffi(default = None)]
    pub timestamp: Option<FfiDateTime>,
    /// Ids of the logs already handed out at exactly `timestamp`.
    #[uniffi(default = [])]
    pub ids: Vec<i64>,
    /// Logs already handed out at exactly `timestamp` that have no `logID` (by digest).
    #[uniffi(default = [])]
    pub keys: Vec<String>,
    /// Logs without a readable timestamp already handed out (`id:N` or a digest).
    #[uniffi(default = [])]
    pub untimed: Vec<String>,
    /// How many logs have been handed out.
    #[uniffi(default = 0)]
    pub delivered: i64,
}

impl From<actatek::Checkpoint> for Checkpoint {
    fn from(cp: actatek::Checkpoint) -> Self {
        // Destructured in full: a field added to the client's checkpoint fails to compile here.
        let actatek::Checkpoint { timestamp, ids, keys, untimed, delivered } = cp;
        let delivered = i64::try_from(delivered).unwrap_or(i64::MAX);
        Checkpoint { timestamp: timestamp.map(Bridge::to_ffi), ids, keys, untimed, delivered }
    }
}

impl TryFrom<Checkpoint> for actatek::Checkpoint {
    type Error = ActatekError;
    fn try_from(cp: Checkpoint) -> Result<Self, ActatekError> {
        let Checkpoint { timestamp, ids, keys, untimed, delivered } = cp;
        let timestamp = match timestamp {
            None => None,
            Some(t) => {
                let wire = <CoreDateTime as Bridge>::to_wire(t, "checkpoint.timestamp")
                    .map_err(|e| ActatekError::validation("checkpoint", &e.into()))?;
                let text = wire.as_ref().and_then(Value::as_str).unwrap_or_default();
                Some(
                    CoreDateTime::parse(text)
                        .map_err(|e| ActatekError::validation("checkpoint", &e.under("checkpoint.timestamp").into()))?,
                )
            }
        };
        let delivered = u64::try_from(delivered).map_err(|_| {
            let err =
                actatek::ValidationError::new("checkpoint.delivered", delivered.to_string(), actatek::Rule::WrongType);
            ActatekError::validation("checkpoint", &err.into())
        })?;
        Ok(actatek::Checkpoint { timestamp, ids, keys, untimed, delivered })
    }
}

/// How many terminals a `Fleet` talks to at once unless told otherwise (the same in every
/// language).
#[uniffi::export]
pub fn default_fleet_concurrency() -> u32 {
    actatek::fleet::DEFAULT_CONCURRENCY as u32
}

/// The checkpoint as JSON text, to persist.
#[uniffi::export]
pub fn checkpoint_to_json(checkpoint: Checkpoint) -> Result<String, ActatekError> {
    let cp = actatek::Checkpoint::try_from(checkpoint)?;
    Ok(serde_json::to_string(&cp).expect("a checkpoint serializes"))
}

/// A checkpoint from the JSON text [`checkpoint_to_json`] wrote (or the Rust, Python or browser
/// package wrote); text that is not a checkpoint is a `Validation` error on `checkpoint`.
#[uniffi::export]
pub fn checkpoint_from_json(json: String) -> Result<Checkpoint, ActatekError> {
    serde_json::from_str::<actatek::Checkpoint>(&json).map(Checkpoint::from).map_err(|_| {
        ActatekError::validation(
            "checkpoint",
            &actatek::ValidationError::new("checkpoint", json.clone(), actatek::Rule::WrongType).into(),
        )
    })
}

/// One chunk of an export and the checkpoint after it (persist that one to resume after it).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LogChunk {
    pub logs: Vec<FfiFullLog>,
    pub checkpoint: Checkpoint,
}

/// A log export in progress. `nextLog()` hands out the logs one by one and `nextChunk()` a
/// chunk at a time (the rest of the current chunk first); both return `null`/`nil` at the end.
/// Nothing is sent before the first call.
#[derive(uniffi::Object)]
pub struct LogExport {
    cursor: tokio::sync::Mutex<actatek::LogCursor>,
    /// The cursor's checkpoint after each call, read without waiting for a call in flight.
    checkpoint: Mutex<actatek::Checkpoint>,
}

impl LogExport {
    fn hand_out(&self, cursor: &actatek::LogCursor) -> Checkpoint {
        let cp = cursor.checkpoint().clone();
        *self.checkpoint.lock().expect("checkpoint lock") = cp.clone();
        cp.into()
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl LogExport {
    /// The next log, or `null`/`nil` when every matching log has been handed out. On error
    /// nothing is handed out: call again, or persist the checkpoint and resume later.
    pub async fn next_log(&self) -> Result<Option<FfiFullLog>, ActatekError> {
        let mut cursor = self.cursor.lock().await;
        let log = cursor.next_log().await.map_err(|e| ActatekError::from_client("export_logs", e))?;
        self.hand_out(&cursor);
        Ok(log.map(Bridge::to_ffi))
    }

    /// The next chunk (what is left of the current one first) with the checkpoint after it, or
    /// `null`/`nil` at the end.
    pub async fn next_chunk(&self) -> Result<Option<LogChunk>, ActatekError> {
        let mut cursor = self.cursor.lock().await;
        let logs = cursor.next_chunk().await.map_err(|e| ActatekError::from_client("export_logs", e))?;
        let checkpoint = self.hand_out(&cursor);
        Ok(logs.map(|logs| LogChunk { logs: logs.into_iter().map(Bridge::to_ffi).collect(), checkpoint }))
    }

    /// Where the export stands: exactly the logs handed out so far.
    pub fn checkpoint(&self) -> Checkpoint {
        self.checkpoint.lock().expect("checkpoint lock").clone().into()
    }
}

type LogStream = Pin<Box<dyn Stream<Item = Result<FullLog, Error>> + Send>>;

/// New logs as they arrive (see `Client.watchLogs`). `nextLog()` waits for the next one.
/// A transient failure (network, terminal restart, a terminal error reply) is thrown from
/// `nextLog()` and the watch goes on: call it again (it has already waited its backoff).
/// After any other failure `isOver()` is true and `nextLog()` returns `null`/`nil`.
#[derive(uniffi::Object)]
pub struct LogWatch {
    stream: tokio::sync::Mutex<LogStream>,
    checkpoint: Mutex<actatek::Checkpoint>,
    over: std::sync::atomic::AtomicBool,
}

#[uniffi::export(async_runtime = "tokio")]
impl LogWatch {
    /// The next new log; throws on failure (see the type's description); `null`/`nil` once
    /// the watch is over.
    pub async fn next_log(&self) -> Result<Option<FfiFullLog>, ActatekError> {
        use std::sync::atomic::Ordering;
        if self.over.load(Ordering::SeqCst) {
            return Ok(None);
        }
        let mut stream = self.stream.lock().await;
        match stream.next().await {
            Some(Ok(log)) => {
                self.checkpoint.lock().expect("checkpoint lock").advance(&log);
                Ok(Some(log.to_ffi()))
            }
            Some(Err(e)) => {
                let transient = e.is_transient() || matches!(e, Error::Api { .. });
                if !transient {
                    self.over.store(true, Ordering::SeqCst);
                }
                Err(ActatekError::from_client("watch_logs", e))
            }
            None => {
                self.over.store(true, Ordering::SeqCst);
                Ok(None)
            }
        }
    }

    /// True once the watch has ended on a failure that waiting cannot cure.
    pub fn is_over(&self) -> bool {
        self.over.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Where the watch stands: exactly the logs handed out so far; pass it to `watchLogs` to
    /// resume.
    pub fn checkpoint(&self) -> Checkpoint {
        self.checkpoint.lock().expect("checkpoint lock").clone().into()
    }
}

/// The filter of an export or a watch, as `get_full_logs` takes it (without `limit`).
#[allow(clippy::too_many_arguments)]
fn log_filter(
    operation: &str,
    from: Option<FfiDateTime>,
    to: Option<FfiDateTime>,
    employee_name: Option<String>,
    employee_id: Option<String>,
    department_id: Option<i64>,
    trigger: Option<String>,
    terminal_sn: Option<String>,
) -> Result<GetFullLogs, ActatekError> {
    let mut input = serde_json::Map::new();
    let mut put = |wire: &str, v: Option<Value>| {
        if let Some(v) = v {
            input.insert(wire.to_string(), v);
        }
    };
    let bad = |e: actatek::ValidationError| ActatekError::validation(operation, &e.into());
    put("from", <Option<CoreDateTime> as Bridge>::to_wire(from, "from").map_err(bad)?);
    put("to", <Option<CoreDateTime> as Bridge>::to_wire(to, "to").map_err(bad)?);
    put("employeeName", employee_name.map(Value::from));
    put("employeeID", employee_id.map(Value::from));
    put("departmentID", department_id.map(Value::from));
    put("trigger", trigger.map(Value::from));
    put("terminalSN", terminal_sn.map(Value::from));
    actatek::ops::decode_input::<GetFullLogs>(&Value::Object(input))
        .map_err(|e| ActatekError::validation(operation, &e))
}

#[uniffi::export]
impl Client {
    /// Export the logs matching the filter (as `getFullLogs` takes it; `from` is the start when
    /// the checkpoint is empty) in requests of `chunk` logs, from `checkpoint` (the beginning
    /// when `null`/`nil`). Nothing is sent until the first `nextLog()`/`nextChunk()`.
    #[uniffi::method(default(
        from = None, to = None, employee_name = None, employee_id = None, department_id = None,
        trigger = None, terminal_sn = None, chunk = 1000, checkpoint = None
    ))]
    #[allow(clippy::too_many_arguments)]
    pub fn export_logs(
        &self,
        from: Option<FfiDateTime>,
        to: Option<FfiDateTime>,
        employee_name: Option<String>,
        employee_id: Option<String>,
        department_id: Option<i64>,
        trigger: Option<String>,
        terminal_sn: Option<String>,
        chunk: i32,
        checkpoint: Option<Checkpoint>,
    ) -> Result<Arc<LogExport>, ActatekError> {
        let chunk = u32::try_from(chunk).ok().filter(|c| *c > 0).ok_or_else(|| {
            let err = actatek::ValidationError::new(
                "chunk",
                format!("{chunk} (a chunk holds at least one log)"),
                actatek::Rule::WrongType,
            );
            ActatekError::validation("export_logs", &err.into())
        })?;
        let filter =
            log_filter("export_logs", from, to, employee_name, employee_id, department_id, trigger, terminal_sn)?;
        let checkpoint = checkpoint.map(actatek::Checkpoint::try_from).transpose()?.unwrap_or_default();
        let export = self.inner().export_logs(filter, chunk, checkpoint.clone());
        Ok(Arc::new(LogExport {
            cursor: tokio::sync::Mutex::new(actatek::LogCursor::new(export)),
            checkpoint: Mutex::new(checkpoint),
        }))
    }

    /// New logs as they arrive, from `checkpoint` (or, when `null`/`nil`, from `from`; leave
    /// both out to start with the terminal's whole log). Polls every `poll` (default 1 s) while
    /// logs keep coming and backs off up to 16 × `poll` while the terminal is quiet or
    /// unreachable. Nothing is sent until the first `nextLog()`.
    #[uniffi::method(default(
        from = None, to = None, employee_name = None, employee_id = None, department_id = None,
        trigger = None, terminal_sn = None, checkpoint = None, poll = None
    ))]
    #[allow(clippy::too_many_arguments)]
    pub fn watch_logs(
        &self,
        from: Option<FfiDateTime>,
        to: Option<FfiDateTime>,
        employee_name: Option<String>,
        employee_id: Option<String>,
        department_id: Option<i64>,
        trigger: Option<String>,
        terminal_sn: Option<String>,
        checkpoint: Option<Checkpoint>,
        poll: Option<Duration>,
    ) -> Result<Arc<LogWatch>, ActatekError> {
        let filter =
            log_filter("watch_logs", from, to, employee_name, employee_id, department_id, trigger, terminal_sn)?;
        let checkpoint = checkpoint.map(actatek::Checkpoint::try_from).transpose()?.unwrap_or_default();
        let poll = poll.unwrap_or(Duration::from_secs(1));
        if poll.is_zero() {
            let err = actatek::ValidationError::new(
                "poll",
                "0s (a poll interval must be longer than zero)",
                actatek::Rule::WrongType,
            );
            return Err(ActatekError::validation("watch_logs", &err.into()));
        }
        let stream: LogStream = Box::pin(self.inner().watch_logs(filter, checkpoint.clone(), poll));
        Ok(Arc::new(LogWatch {
            stream: tokio::sync::Mutex::new(stream),
            checkpoint: Mutex::new(checkpoint),
            over: std::sync::atomic::AtomicBool::new(false),
        }))
    }
}
