//! One call by canonical name, shared by the client (`client.rs`), the log export
//! (`export.rs`) and the fleet (`fleet.rs`): wire-form input to a validated operation, the
//! typed dispatch generated from `operation_table!`, the reply before it becomes Python
//! objects, and an operation's error as its Python exception.

use crate::convert::{json_to_py, py_to_json};
use crate::errors::{to_py_err, validation_errors};
use crate::logs::{PyFullLog, PyLog, full_logs_to_py, logs_to_py, untracked};
use crate::records::{Marked, marked_wire};
use crate::runtime::{SIGNAL_POLL, runtime};
use actatek::{AnyOperation, Client, Error, FullLog, Log, Part};
use pyo3::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::any::Any;

/// A typed reply, before it becomes Python objects (which needs the GIL).
pub enum Reply {
    /// Any reply, in its normalized wire form; `actatek._models` turns it into model objects.
    Json(Value),
    /// get_logs: becomes `actatek.Log` objects without a JSON detour.
    Logs(Vec<Log>),
    /// get_full_logs: becomes `actatek.FullLog` objects without a JSON detour.
    FullLogs(Vec<FullLog>),
}

impl Reply {
    pub fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match self {
            Reply::Json(v) => json_to_py(py, &v)?.unbind(),
            Reply::Logs(v) => logs_to_py(py, v)?.into_any().unbind(),
            Reply::FullLogs(v) => full_logs_to_py(py, v)?.into_any().unbind(),
        })
    }
}

/// The log lists stay typed; every other reply goes to its wire form, values the core could
/// not read marked (`records.rs`).
fn to_reply<R: Serialize + Marked + 'static>(reply: R) -> Reply {
    let mut slot = Some(reply);
    let any = &mut slot as &mut dyn Any;
    if let Some(logs) = any.downcast_mut::<Option<Vec<FullLog>>>() {
        return Reply::FullLogs(logs.take().unwrap_or_default());
    }
    if let Some(logs) = any.downcast_mut::<Option<Vec<Log>>>() {
        return Reply::Logs(logs.take().unwrap_or_default());
    }
    Reply::Json(slot.map(|r| marked_wire(&r)).unwrap_or(Value::Null))
}

macro_rules! typed_dispatch {
    ($( $name:ident $Op:ident; )*) => {
        /// Run an operation with its typed reply (generated from the operation table).
        pub async fn dispatch(client: &Client, op: AnyOperation) -> Result<Reply, Error> {
            match op {
                $( AnyOperation::$Op(op) => client.call(&op).await.map(to_reply), )*
            }
        }
    };
}

actatek::core::operation_names!(typed_dispatch);

/// Log list elements handed from the runtime to the calling thread at a time.
const LOG_BATCH: usize = 1024;

/// get_logs and get_full_logs with the sync client: the logs become Python objects on this
/// thread while the rest of the reply still arrives and is read on the runtime
/// (`Client::call_in_parts`), so reading and making objects overlap. Any other operation
/// comes back (run it with [`dispatch`]).
pub fn call_log_list(py: Python<'_>, client: &Client, op: AnyOperation) -> Result<PyResult<Py<PyAny>>, AnyOperation> {
    Ok(match op {
        AnyOperation::GetFullLogs(op) => log_list(py, client, op, |inner| PyFullLog { inner }),
        AnyOperation::GetLogs(op) => log_list(py, client, op, |inner| PyLog { inner }),
        other => return Err(other),
    })
}

fn log_list<O, T, P>(py: Python<'_>, client: &Client, op: O, wrap: fn(T) -> P) -> PyResult<Py<PyAny>>
where
    O: actatek::ops::Operation<Reply = Vec<T>>,
    T: Send + 'static,
    P: pyo3::PyClass<BaseType = pyo3::PyAny> + Into<pyo3::PyClassInitializer<P>>,
{
    use std::sync::mpsc::{RecvTimeoutError, channel};
    enum Msg<T> {
        Part(Part<Vec<T>>),
        Done(Result<(), Error>),
    }
    let (tx, mut rx) = channel::<Msg<T>>();
    let client = client.clone();
    let task = runtime().spawn(async move {
        let parts = tx.clone();
        let result = client.call_in_parts(&op, LOG_BATCH, &mut move |p| drop(parts.send(Msg::Part(p)))).await;
        let _ = tx.send(Msg::Done(result));
    });
    // Returning early (an error, Ctrl-C) cancels the call.
    struct Cancel(tokio::task::AbortHandle);
    impl Drop for Cancel {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let _cancel = Cancel(task.abort_handle());
    let mut objects = Vec::new();
    loop {
        let (back, msg) = py.detach(move || {
            let msg = rx.recv_timeout(SIGNAL_POLL);
            (rx, msg)
        });
        rx = back;
        match msg {
            Ok(Msg::Part(Part::Elements(items))) => {
                objects.reserve(items.len());
                for item in items {
                    objects.push(untracked(py, wrap(item))?);
                }
            }
            Ok(Msg::Part(Part::Restart)) => objects.clear(),
            Ok(Msg::Done(Ok(()))) => break,
            Ok(Msg::Done(Err(e))) => return Err(op_error(py, O::NAME, e)),
            // Ctrl-C (KeyboardInterrupt) and other signals interrupt the wait.
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "{}: the call ended without a reply",
                    O::NAME
                )));
            }
        }
    }
    Ok(pyo3::types::PyList::new(py, objects)?.into_any().unbind())
}

/// The error of operation `name` as its Python exception.
pub fn op_error(py: Python<'_>, name: &str, e: Error) -> PyErr {
    match e {
        Error::Validation(v) => validation_errors(py, Some(name), &v),
        e => to_py_err(py, e),
    }
}

/// Wire-form input (`{"employeeID": …, "body": {…}}`) → a validated operation. Nothing is sent
/// for an input that breaks a rule.
pub fn prepare(name: &str, input: &Bound<'_, PyAny>) -> PyResult<AnyOperation> {
    let py = input.py();
    let value = py_to_json(input)?;
    let op = AnyOperation::from_wire(name, &value).map_err(|e| validation_errors(py, Some(name), &e))?;
    op.validate().map_err(|e| validation_errors(py, Some(name), &e))?;
    Ok(op)
}
