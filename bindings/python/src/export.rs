//! Long operations as Python iterators and async iterators: the resumable log export, the log
//! watch and fleet runs. The checkpoint advances per log handed to Python, so persisting it at
//! any point and resuming delivers every log exactly once.

use crate::calls::{op_error, prepare};
use crate::convert::{json_to_py, py_to_json};
use crate::logs::{PyFullLog, full_logs_to_py};
use crate::runtime::block_on;
use actatek::ops::GetFullLogs;
use actatek::{AnyOperation, Checkpoint, Client, Error, FullLog, LogCursor};
use futures::{Stream, StreamExt};
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyList;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

static CHECKPOINT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The checkpoint as an `actatek.Checkpoint`.
fn checkpoint_to_py<'py>(py: Python<'py>, cp: &Checkpoint) -> PyResult<Bound<'py, PyAny>> {
    let cls = CHECKPOINT.get_or_try_init(py, || {
        py.import("actatek._models").and_then(|m| m.getattr("Checkpoint")).map(Bound::unbind)
    })?;
    let value = serde_json::to_value(cp).map_err(|e| PyValueError::new_err(e.to_string()))?;
    cls.bind(py).call_method1("from_dict", (json_to_py(py, &value)?,))
}

/// An `actatek.Checkpoint` (or its dict form) as the client's checkpoint.
fn checkpoint_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Checkpoint> {
    match obj {
        None => Ok(Checkpoint::default()),
        Some(o) if o.is_none() => Ok(Checkpoint::default()),
        Some(o) => {
            let value = py_to_json(o)?;
            serde_json::from_value(value).map_err(|e| PyValueError::new_err(format!("invalid checkpoint: {e}")))
        }
    }
}

/// The log filter of an export or watch, from get_full_logs' wire-form input.
fn log_filter(input: &Bound<'_, PyAny>) -> PyResult<GetFullLogs> {
    match prepare("get_full_logs", input)? {
        AnyOperation::GetFullLogs(op) => Ok(op),
        _ => Err(PyTypeError::new_err("a log filter is get_full_logs' input")),
    }
}

/// A log export in progress: iterate it (`for log in export`, `async for log in export`) or take
/// it a chunk at a time; `checkpoint` says where it stands, for resuming after an interruption.
#[pyclass(module = "actatek", name = "LogExport", frozen)]
pub struct PyLogExport {
    state: Arc<Mutex<LogCursor>>,
}

impl PyLogExport {
    pub fn new(
        client: &Client,
        input: &Bound<'_, PyAny>,
        chunk_size: u32,
        checkpoint: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let filter = log_filter(input)?;
        let checkpoint = checkpoint_from_py(checkpoint)?;
        let export = client.export_logs(filter, chunk_size, checkpoint);
        Ok(PyLogExport { state: Arc::new(Mutex::new(LogCursor::new(export))) })
    }
}

#[pymethods]
impl PyLogExport {
    /// Where the export stands: persist it (`to_dict()`) and pass it back to `export_logs` to
    /// resume; every log is delivered exactly once.
    #[getter]
    fn checkpoint<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let cp = match self.state.try_lock() {
            Ok(st) => st.checkpoint().clone(),
            Err(_) => {
                let state = self.state.clone();
                block_on(py, async move { state.lock().await.checkpoint().clone() })?
            }
        };
        checkpoint_to_py(py, &cp)
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<PyFullLog>> {
        // Most calls are served from the buffer, without waiting on the runtime.
        if let Ok(mut st) = self.state.try_lock()
            && let Some(inner) = st.next_buffered()
        {
            return Ok(Some(PyFullLog { inner }));
        }
        let state = self.state.clone();
        match block_on(py, async move { state.lock().await.next_log().await })? {
            Ok(log) => Ok(log.map(|inner| PyFullLog { inner })),
            Err(e) => Err(op_error(py, "get_full_logs", e)),
        }
    }

    /// The next chunk as a list (what is left of the current one first), or `None` at the end.
    fn next_chunk<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        let state = self.state.clone();
        match block_on(py, async move { state.lock().await.next_chunk().await })? {
            Ok(Some(logs)) => Ok(Some(full_logs_to_py(py, logs)?)),
            Ok(None) => Ok(None),
            Err(e) => Err(op_error(py, "get_full_logs", e)),
        }
    }

    /// `next_chunk` as an asyncio awaitable.
    fn next_chunk_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = self.state.clone();
        crate::runtime::future_into_py(py, async move {
            let result = state.lock().await.next_chunk().await;
            Python::attach(|py| match result {
                Ok(Some(logs)) => Ok(full_logs_to_py(py, logs)?.into_any().unbind()),
                Ok(None) => Ok(py.None()),
                Err(e) => Err(op_error(py, "get_full_logs", e)),
            })
        })
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // Most logs are already buffered: hand them out without a trip through the runtime.
        if let Ok(mut st) = self.state.try_lock()
            && let Some(inner) = st.next_buffered()
        {
            let value = Py::new(py, PyFullLog { inner })?.into_any();
            return Ok(Bound::new(py, Ready { value })?.into_any());
        }
        let state = self.state.clone();
        crate::runtime::future_into_py(py, async move {
            let result = state.lock().await.next_log().await;
            Python::attach(|py| match result {
                Ok(Some(inner)) => Ok(Py::new(py, PyFullLog { inner })?.into_any()),
                Ok(None) => Err(PyStopAsyncIteration::new_err(())),
                Err(e) => Err(op_error(py, "get_full_logs", e)),
            })
        })
    }
}

/// An awaitable that is already done (`await` gives `value` at once).
#[pyclass(module = "actatek._actatek", name = "Ready", frozen)]
pub struct Ready {
    value: Py<PyAny>,
}

#[pymethods]
impl Ready {
    fn __await__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        Err(PyStopIteration::new_err((self.value.clone_ref(py),)))
    }
}

type LogStream = Pin<Box<dyn Stream<Item = Result<FullLog, Error>> + Send>>;

struct WatchState {
    stream: LogStream,
    checkpoint: Checkpoint,
}

impl WatchState {
    /// The next log, or the next error the caller wants to see (`raise_errors`, or fatal).
    async fn next(&mut self, raise_errors: bool) -> Option<Result<FullLog, Error>> {
        loop {
            match self.stream.next().await? {
                Ok(log) => {
                    self.checkpoint.advance(&log);
                    return Some(Ok(log));
                }
                Err(e) => {
                    let transient = e.is_transient() || matches!(e, Error::Api { .. });
                    if raise_errors || !transient {
                        return Some(Err(e));
                    }
                    let message = e.to_string();
                    Python::attach(|py| warn(py, &message));
                }
            }
        }
    }
}

/// Report a transient watch error on the `actatek` logger; the watch goes on.
fn warn(py: Python<'_>, message: &str) {
    let _ = py
        .import("logging")
        .and_then(|m| m.call_method1("getLogger", ("actatek",)))
        .and_then(|l| l.call_method1("warning", ("watch_logs: %s (retrying)", message)));
}

/// New logs as they arrive (an endless iterator; leave the loop to stop). Transient errors
/// (network, terminal restart) are logged on the `actatek` logger and the watch goes on, unless
/// it was started with `raise_errors=True`.
#[pyclass(module = "actatek", name = "LogWatch", frozen)]
pub struct PyLogWatch {
    state: Arc<Mutex<WatchState>>,
    raise_errors: bool,
}

impl PyLogWatch {
    pub fn new(
        client: &Client,
        input: &Bound<'_, PyAny>,
        checkpoint: Option<&Bound<'_, PyAny>>,
        poll: f64,
        raise_errors: bool,
    ) -> PyResult<Self> {
        let filter = log_filter(input)?;
        let checkpoint = checkpoint_from_py(checkpoint)?;
        let poll = Duration::try_from_secs_f64(poll)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| PyValueError::new_err("poll must be a positive number of seconds"))?;
        let stream: LogStream = Box::pin(client.watch_logs(filter, checkpoint.clone(), poll));
        Ok(PyLogWatch { state: Arc::new(Mutex::new(WatchState { stream, checkpoint })), raise_errors })
    }
}

#[pymethods]
impl PyLogWatch {
    /// Where the watch stands (per log handed out); pass it back to `watch_logs` to resume.
    #[getter]
    fn checkpoint<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let cp = match self.state.try_lock() {
            Ok(st) => st.checkpoint.clone(),
            Err(_) => {
                let state = self.state.clone();
                block_on(py, async move { state.lock().await.checkpoint.clone() })?
            }
        };
        checkpoint_to_py(py, &cp)
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<PyFullLog>> {
        let (state, raise) = (self.state.clone(), self.raise_errors);
        match block_on(py, async move { state.lock().await.next(raise).await })? {
            None => Ok(None),
            Some(Ok(inner)) => Ok(Some(PyFullLog { inner })),
            Some(Err(e)) => Err(op_error(py, "get_full_logs", e)),
        }
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (state, raise) = (self.state.clone(), self.raise_errors);
        crate::runtime::future_into_py(py, async move {
            let result = state.lock().await.next(raise).await;
            Python::attach(|py| match result {
                None => Err(PyStopAsyncIteration::new_err(())),
                Some(Ok(inner)) => Ok(Py::new(py, PyFullLog { inner })?.into_any()),
                Some(Err(e)) => Err(op_error(py, "get_full_logs", e)),
            })
        })
    }
}
