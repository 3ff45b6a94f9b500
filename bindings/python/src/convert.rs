//! Python objects ⇄ the wire form (`serde_json::Value`), and terminal date-times ⇄ `datetime`.
//!
//! Date-times keep the terminal's distinction (STYLE.md "Time"): a naive `datetime` is the
//! terminal's local wall-clock time and is never shifted; an aware one is an instant, sent as
//! UTC with a `Z`. Replies come back the same way: local → naive, `Z` → aware UTC.

use actatek::TerminalDateTime;
use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// The wire value of a Python object: `None`, `bool`, `int`, `float`, `str`, `list`/`tuple`,
/// `dict` with `str` keys, `datetime` (naive = local, aware = UTC `Z`), `date` (`YYYY-MM-DD`),
/// `bytes` (base64), and anything with a `to_dict()` method (the models).
pub fn py_to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(PyValueError::new_err(format!("integer {obj} does not fit in 64 bits")));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err(format!("{v} cannot be sent (JSON has no NaN or infinity)")));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err(format!("dictionary keys must be str, not {}", type_name(&k))))?;
            map.insert(key.to_cow()?.into_owned(), py_to_json(&v)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return l.iter().map(|v| py_to_json(&v)).collect::<PyResult<Vec<_>>>().map(Value::Array);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return t.iter().map(|v| py_to_json(&v)).collect::<PyResult<Vec<_>>>().map(Value::Array);
    }
    if obj.is_instance_of::<PyDateTime>() {
        return Ok(Value::String(py_to_datetime(obj)?.to_string()));
    }
    if obj.is_instance_of::<PyDate>() {
        let d: chrono::NaiveDate = obj.extract()?;
        return Ok(Value::String(d.format("%Y-%m-%d").to_string()));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Value::String(actatek::Base64Blob::from_bytes(b.as_bytes()).as_base64().to_owned()));
    }
    if let Ok(tp) = obj.cast::<crate::timepattern::PyTimePattern>() {
        return Ok(Value::String(tp.get().inner.to_string()));
    }
    if obj.hasattr("to_dict")? {
        return py_to_json(&obj.call_method0("to_dict")?);
    }
    Err(PyTypeError::new_err(format!("cannot send a value of type {}", type_name(obj))))
}

/// The Python value of a wire value (plain `dict`/`list`/`str`/`int`/`float`/`bool`/`None`).
pub fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let items = a.iter().map(|x| json_to_py(py, x)).collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(m) => map_to_py(py, m)?.into_any(),
    })
}

/// A JSON object as a `dict`.
pub fn map_to_py<'py>(py: Python<'py>, m: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, x) in m {
        d.set_item(k, json_to_py(py, x)?)?;
    }
    Ok(d)
}

/// A terminal date-time as a `datetime`: local time naive, UTC aware.
pub fn datetime_to_py<'py>(py: Python<'py>, t: &TerminalDateTime) -> PyResult<Bound<'py, PyAny>> {
    match t {
        TerminalDateTime::Local(n) => Ok(n.into_pyobject(py)?.into_any()),
        TerminalDateTime::Utc(u) => Ok(u.into_pyobject(py)?.into_any()),
    }
}

/// A `datetime` (naive = terminal local time, aware = an instant, kept as UTC) or the wire text.
pub fn py_to_datetime(obj: &Bound<'_, PyAny>) -> PyResult<TerminalDateTime> {
    if let Ok(s) = obj.cast::<PyString>() {
        return TerminalDateTime::parse(&s.to_cow()?).map_err(|e| crate::errors::validation_error(obj.py(), "", &e));
    }
    if !obj.is_instance_of::<PyDateTime>() {
        return Err(PyTypeError::new_err(format!("expected a datetime or str, not {}", type_name(obj))));
    }
    if obj.getattr("tzinfo")?.is_none() {
        Ok(TerminalDateTime::Local(obj.extract::<NaiveDateTime>()?))
    } else {
        let aware: DateTime<FixedOffset> = obj.extract()?;
        Ok(TerminalDateTime::Utc(aware.with_timezone(&Utc)))
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}
