//! `actatek.Log` and `actatek.FullLog`: the hot path. A 100 000-log reply becomes 100 000 small
//! Python objects that hold the parsed Rust record; attributes are converted when read, so no
//! JSON text, `dict` or `datetime` is built for a field nobody looks at.
//!
//! Like every record (ENDPOINTS.md "Tolerant reading"), any attribute may be `None`; a value
//! the core could not read as its field's type (`"timestamp": ""`) is in `extra` under its wire
//! name, as the terminal sent it, and `to_dict()` writes it back there.

use crate::convert::{datetime_to_py, json_to_py, map_to_py, py_to_datetime, py_to_json};
use crate::errors::validation_errors;
use actatek::{Base64Blob, Extra, FullLog, Log};
use pyo3::basic::CompareOp;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple, PyType};
use serde::de::DeserializeOwned;
use serde_json::Value;

fn extra_from_py(extra: Option<&Bound<'_, PyDict>>) -> PyResult<Extra> {
    match extra {
        None => Ok(Extra::new()),
        Some(d) => match py_to_json(d.as_any())? {
            Value::Object(m) => Ok(m),
            _ => Err(PyTypeError::new_err("extra must be a dict")),
        },
    }
}

fn from_wire<T: DeserializeOwned>(data: &Bound<'_, PyAny>) -> PyResult<T> {
    let value = py_to_json(data)?;
    if !value.is_object() {
        return Err(PyTypeError::new_err("from_dict expects a dict in the wire form"));
    }
    actatek::ops::decode_input::<T>(&value).map_err(|e| validation_errors(data.py(), None, &e))
}

fn to_dict<'py, T: serde::Serialize>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(v).map_err(|e| PyTypeError::new_err(e.to_string()))?;
    json_to_py(py, &value)
}

/// The photo's bytes; `None` when absent or when its text is not base64 (it is then in
/// `extra` under `jpegPhoto`, see [`extra_with_photo`]).
fn photo_bytes<'py>(py: Python<'py>, blob: &Option<Base64Blob>) -> Option<Bound<'py, PyBytes>> {
    let bytes = blob.as_ref()?.decode().ok()?;
    Some(PyBytes::new(py, &bytes))
}

/// `extra` of a full log, plus the photo's text when it is not base64 (nothing is lost: the
/// attribute reads `None`, the terminal's text is here).
fn extra_with_photo<'py>(py: Python<'py>, log: &FullLog) -> PyResult<Bound<'py, PyDict>> {
    let d = map_to_py(py, &log.extra)?;
    if let Some(blob) = &log.jpeg_photo
        && blob.decode().is_err()
    {
        d.set_item("jpegPhoto", blob.as_base64())?;
    }
    Ok(d)
}

/// The wire name of an attribute (`log_id` → `logID`); a wire name stays as it is.
fn wire_name<'a>(fields: &[(&'static str, &'static str)], name: &'a str) -> &'a str {
    if fields.iter().any(|(_, wire)| *wire == name) {
        return name;
    }
    fields.iter().find(|(attr, _)| *attr == name).map(|(_, wire)| *wire).unwrap_or(name)
}

/// Whether `fields` name exactly the core's `wire` names, in order (checked at compile time
/// below: a field the core's `Log`/`FullLog` gains and these tables lack does not compile).
const fn same_wire_names(fields: &[(&str, &str)], wire: &[&str]) -> bool {
    if fields.len() != wire.len() {
        return false;
    }
    let mut i = 0;
    while i < fields.len() {
        let (a, b) = (fields[i].1.as_bytes(), wire[i].as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut j = 0;
        while j < a.len() {
            if a[j] != b[j] {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}

const _: () = assert!(same_wire_names(LOG_FIELDS, actatek::Log::WIRE_NAMES), "LOG_FIELDS must mirror the core's Log");
const _: () = assert!(
    same_wire_names(FULL_LOG_FIELDS, actatek::FullLog::WIRE_NAMES),
    "FULL_LOG_FIELDS must mirror the core's FullLog"
);

const LOG_FIELDS: &[(&str, &str)] = &[
    ("log_id", "logID"),
    ("user_id", "userID"),
    ("timestamp", "timestamp"),
    ("trigger", "trigger"),
    ("terminal_sn", "terminalSN"),
];

const FULL_LOG_FIELDS: &[(&str, &str)] = &[
    ("log_id", "logID"),
    ("user_id", "userID"),
    ("user_name", "userName"),
    ("department_name", "departmentName"),
    ("timestamp", "timestamp"),
    ("trigger", "trigger"),
    ("terminal_sn", "terminalSN"),
    ("terminal_name", "terminalName"),
    ("jpeg_photo", "jpegPhoto"),
    ("access_method", "accessMethod"),
    ("remarks", "remarks"),
];

fn opt_json<'py>(py: Python<'py>, v: Option<Value>) -> PyResult<Bound<'py, PyAny>> {
    match v {
        Some(v) => json_to_py(py, &v),
        None => Ok(py.None().into_bound(py)),
    }
}

fn opt_datetime<'py>(py: Python<'py>, t: &Option<actatek::TerminalDateTime>) -> PyResult<Bound<'py, PyAny>> {
    match t {
        Some(t) => datetime_to_py(py, t),
        None => Ok(py.None().into_bound(py)),
    }
}

fn opt_datetime_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<actatek::TerminalDateTime>> {
    match obj {
        Some(o) if !o.is_none() => py_to_datetime(o).map(Some),
        _ => Ok(None),
    }
}

/// `name=repr(value)` for the set fields.
struct ReprBuilder<'py> {
    py: Python<'py>,
    parts: Vec<String>,
}

impl<'py> ReprBuilder<'py> {
    fn new(py: Python<'py>) -> Self {
        ReprBuilder { py, parts: Vec::new() }
    }
    fn field(&mut self, name: &str, value: Bound<'py, PyAny>) -> PyResult<()> {
        self.parts.push(format!("{name}={}", value.repr()?));
        Ok(())
    }
    fn text(&mut self, name: &str, value: &Option<impl AsRef<str>>) -> PyResult<()> {
        if let Some(v) = value {
            self.field(name, PyString::new(self.py, v.as_ref()).into_any())?;
        }
        Ok(())
    }
    fn int(&mut self, name: &str, value: Option<i64>) -> PyResult<()> {
        if let Some(v) = value {
            self.field(name, v.into_pyobject(self.py)?.into_any())?;
        }
        Ok(())
    }
    fn datetime(&mut self, name: &str, value: &Option<actatek::TerminalDateTime>) -> PyResult<()> {
        if let Some(t) = value {
            self.field(name, datetime_to_py(self.py, t)?)?;
        }
        Ok(())
    }
    fn finish(self, class: &str) -> String {
        format!("{class}({})", self.parts.join(", "))
    }
}

fn compare<T: PartialEq>(a: &T, other: Option<&T>, op: CompareOp, py: Python<'_>) -> Py<PyAny> {
    match (other, op) {
        (Some(b), CompareOp::Eq) => (a == b).into_pyobject(py).map(|v| v.to_owned().into_any().unbind()),
        (Some(b), CompareOp::Ne) => (a != b).into_pyobject(py).map(|v| v.to_owned().into_any().unbind()),
        _ => Ok(py.NotImplemented()),
    }
    .unwrap_or_else(|_| py.NotImplemented())
}

/// An event log (§2.1), from `get_logs`. Read-only.
#[pyclass(module = "actatek", name = "Log", frozen)]
pub struct PyLog {
    pub inner: Log,
}

#[pymethods]
impl PyLog {
    #[new]
    #[pyo3(signature = (*, log_id, timestamp, user_id = None, trigger = None, terminal_sn = None, extra = None))]
    fn new(
        log_id: Option<i64>,
        timestamp: Option<&Bound<'_, PyAny>>,
        user_id: Option<String>,
        trigger: Option<String>,
        terminal_sn: Option<String>,
        extra: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let timestamp = opt_datetime_from_py(timestamp)?;
        Ok(PyLog {
            inner: Log {
                log_id,
                user_id: user_id.map(Into::into),
                timestamp,
                trigger: trigger.map(Into::into),
                terminal_sn: terminal_sn.map(Into::into),
                extra: extra_from_py(extra)?,
            },
        })
    }

    #[getter]
    fn log_id(&self) -> Option<i64> {
        self.inner.log_id
    }
    #[getter]
    fn user_id(&self) -> Option<&str> {
        self.inner.user_id.as_deref()
    }
    /// Naive for the terminal's local time, aware (UTC) when the terminal answered in UTC;
    /// `None` when absent or unreadable (then in `extra` under `timestamp`).
    #[getter]
    fn timestamp<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.inner.timestamp)
    }
    #[getter]
    fn trigger(&self) -> Option<&str> {
        self.inner.trigger.as_deref()
    }
    #[getter]
    fn terminal_sn(&self) -> Option<&str> {
        self.inner.terminal_sn.as_deref()
    }
    /// Fields the terminal sent that this library does not model, and values it could not
    /// read (under their wire names), as the terminal sent them.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        map_to_py(py, &self.inner.extra)
    }

    /// The wire form (the manual's field names).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }

    /// The value the terminal sent for a field (wire or attribute name), in wire form, whether
    /// or not it could be read as the field's type; `None` when absent.
    fn wire_value<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        opt_json(py, self.inner.wire_value(wire_name(LOG_FIELDS, name)))
    }

    /// Read the wire form (tolerant, like a reply).
    #[classmethod]
    fn from_dict(_cls: &Bound<'_, PyType>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyLog { inner: from_wire(data)? })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let l = &self.inner;
        let mut r = ReprBuilder::new(py);
        r.int("log_id", l.log_id)?;
        r.text("user_id", &l.user_id)?;
        r.datetime("timestamp", &l.timestamp)?;
        r.text("trigger", &l.trigger)?;
        r.text("terminal_sn", &l.terminal_sn)?;
        if !l.extra.is_empty() {
            r.field("extra", map_to_py(py, &l.extra)?.into_any())?;
        }
        Ok(r.finish("Log"))
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp, py: Python<'_>) -> Py<PyAny> {
        let other = other.cast::<PyLog>().ok();
        compare(&self.inner, other.map(|o| &o.get().inner), op, py)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let from_dict = slf.get_type().getattr("from_dict")?;
        Ok((from_dict, PyTuple::new(py, [to_dict(py, &slf.get().inner)?])?))
    }
}

/// An event log with names, photo and access method (§2.2), from `get_full_logs` and the log
/// export. Read-only.
#[pyclass(module = "actatek", name = "FullLog", frozen)]
pub struct PyFullLog {
    pub inner: FullLog,
}

#[pymethods]
impl PyFullLog {
    #[new]
    #[pyo3(signature = (
        *, log_id, timestamp, user_id = None, user_name = None, department_name = None, trigger = None,
        terminal_sn = None, terminal_name = None, jpeg_photo = None, access_method = None, remarks = None,
        extra = None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        log_id: Option<i64>,
        timestamp: Option<&Bound<'_, PyAny>>,
        user_id: Option<String>,
        user_name: Option<String>,
        department_name: Option<String>,
        trigger: Option<String>,
        terminal_sn: Option<String>,
        terminal_name: Option<String>,
        jpeg_photo: Option<&Bound<'_, PyBytes>>,
        access_method: Option<String>,
        remarks: Option<String>,
        extra: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        Ok(PyFullLog {
            inner: FullLog {
                log_id,
                user_id: user_id.map(Into::into),
                user_name: user_name.map(Into::into),
                department_name: department_name.map(Into::into),
                timestamp: opt_datetime_from_py(timestamp)?,
                trigger: trigger.map(Into::into),
                terminal_sn: terminal_sn.map(Into::into),
                terminal_name: terminal_name.map(Into::into),
                jpeg_photo: jpeg_photo.map(|b| Base64Blob::from_bytes(b.as_bytes())),
                access_method: access_method.map(Into::into),
                remarks: remarks.map(Into::into),
                extra: extra_from_py(extra)?,
            },
        })
    }

    #[getter]
    fn log_id(&self) -> Option<i64> {
        self.inner.log_id
    }
    #[getter]
    fn user_id(&self) -> Option<&str> {
        self.inner.user_id.as_deref()
    }
    #[getter]
    fn user_name(&self) -> Option<&str> {
        self.inner.user_name.as_deref()
    }
    #[getter]
    fn department_name(&self) -> Option<&str> {
        self.inner.department_name.as_deref()
    }
    /// Naive for the terminal's local time, aware (UTC) when the terminal answered in UTC;
    /// `None` when absent or unreadable (then in `extra` under `timestamp`).
    #[getter]
    fn timestamp<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_datetime(py, &self.inner.timestamp)
    }
    #[getter]
    fn trigger(&self) -> Option<&str> {
        self.inner.trigger.as_deref()
    }
    #[getter]
    fn terminal_sn(&self) -> Option<&str> {
        self.inner.terminal_sn.as_deref()
    }
    #[getter]
    fn terminal_name(&self) -> Option<&str> {
        self.inner.terminal_name.as_deref()
    }
    /// The JPEG bytes (decoded when read), or `None` when the log has no photo (or its text is
    /// not base64: then it is in `extra` under `jpegPhoto`).
    #[getter]
    fn jpeg_photo<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        photo_bytes(py, &self.inner.jpeg_photo)
    }
    #[getter]
    fn access_method(&self) -> Option<&str> {
        self.inner.access_method.as_deref()
    }
    #[getter]
    fn remarks(&self) -> Option<&str> {
        self.inner.remarks.as_deref()
    }
    /// Fields the terminal sent that this library does not model, and values it could not
    /// read (under their wire names), as the terminal sent them.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        extra_with_photo(py, &self.inner)
    }

    /// The wire form (the manual's field names; the photo as base64).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_dict(py, &self.inner)
    }

    /// The value the terminal sent for a field (wire or attribute name), in wire form, whether
    /// or not it could be read as the field's type; `None` when absent.
    fn wire_value<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        opt_json(py, self.inner.wire_value(wire_name(FULL_LOG_FIELDS, name)))
    }

    /// Read the wire form (tolerant, like a reply).
    #[classmethod]
    fn from_dict(_cls: &Bound<'_, PyType>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyFullLog { inner: from_wire(data)? })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let l = &self.inner;
        let mut r = ReprBuilder::new(py);
        r.int("log_id", l.log_id)?;
        r.text("user_id", &l.user_id)?;
        r.text("user_name", &l.user_name)?;
        r.text("department_name", &l.department_name)?;
        r.datetime("timestamp", &l.timestamp)?;
        r.text("trigger", &l.trigger)?;
        r.text("terminal_sn", &l.terminal_sn)?;
        r.text("terminal_name", &l.terminal_name)?;
        if let Some(p) = &l.jpeg_photo {
            r.parts.push(format!("jpeg_photo=<{} base64 chars>", p.as_base64().len()));
        }
        r.text("access_method", &l.access_method)?;
        r.text("remarks", &l.remarks)?;
        if !l.extra.is_empty() {
            r.field("extra", map_to_py(py, &l.extra)?.into_any())?;
        }
        Ok(r.finish("FullLog"))
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp, py: Python<'_>) -> Py<PyAny> {
        let other = other.cast::<PyFullLog>().ok();
        compare(&self.inner, other.map(|o| &o.get().inner), op, py)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let from_dict = slf.get_type().getattr("from_dict")?;
        Ok((from_dict, PyTuple::new(py, [to_dict(py, &slf.get().inner)?])?))
    }
}

/// A chunk of full logs as a Python list of native `FullLog` objects.
pub fn full_logs_to_py(py: Python<'_>, logs: Vec<FullLog>) -> PyResult<Bound<'_, PyList>> {
    untracked_list(py, logs.into_iter().map(|inner| PyFullLog { inner }))
}

/// A list of `Log` objects (see [`untracked_list`]).
pub fn logs_to_py(py: Python<'_>, logs: Vec<Log>) -> PyResult<Bound<'_, PyList>> {
    untracked_list(py, logs.into_iter().map(|inner| PyLog { inner }))
}

/// A list of new log objects, each taken off the cycle collector's list. A log holds only Rust
/// data, never a Python object, so it can be in no reference cycle (CPython does the same for
/// tuples of atoms); the collector then does not walk 100,000 fresh objects again and again
/// while the list is built (that walk was about 8 % of a `get_full_logs` call).
fn untracked_list<'py, T: pyo3::PyClass<BaseType = PyAny> + Into<PyClassInitializer<T>>>(
    py: Python<'py>,
    items: impl ExactSizeIterator<Item = T>,
) -> PyResult<Bound<'py, PyList>> {
    let mut objects = Vec::with_capacity(items.len());
    for item in items {
        objects.push(untracked(py, item)?);
    }
    PyList::new(py, objects)
}

/// One new log object, off the cycle collector's list (see [`untracked_list`]).
pub fn untracked<'py, T: pyo3::PyClass<BaseType = PyAny> + Into<PyClassInitializer<T>>>(
    py: Python<'py>,
    item: T,
) -> PyResult<Bound<'py, PyAny>> {
    let object = Bound::new(py, item)?;
    // SAFETY: `object` is a live, tracked object of a class whose instances reference no
    // Python object; untracking an object is allowed at any time (its dealloc untracks again,
    // which is a no-op for an untracked object).
    unsafe { pyo3::ffi::PyObject_GC_UnTrack(object.as_ptr().cast()) };
    Ok(object.into_any())
}
