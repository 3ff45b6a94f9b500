//! One call by canonical name, shared by the client (`client.rs`), the log export
//! (`export.rs`) and the fleet (`fleet.rs`): wire-form input to a validated operation, the
//! typed dispatch generated from `operation_table!`, the reply before it becomes Python
//! objects, and an operation's error as its Python exception.

use crate::convert::{json_to_py, py_to_json};
use crate::errors::{to_py_err, validation_errors};
use crate::logs::{full_logs_to_py, logs_to_py};
use crate::records::{Marked, marked_wire};
use actatek::{AnyOperation, Client, Error, FullLog, Log};
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
