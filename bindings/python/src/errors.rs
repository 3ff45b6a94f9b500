//! The client's errors as the Python exception tree of `actatek._errors` (one base,
//! `ActatekError`; `ValidationError` is also a `ValueError`). The classes are defined in Python
//! (multiple inheritance, keyword attributes) and instantiated here.

use actatek::{ConfigError, Error, TransportKind, ValidationError, ValidationErrors};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule, PyTuple};

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    let module = ERRORS.get_or_try_init(py, || py.import("actatek._errors").map(Bound::unbind))?;
    module.bind(py).getattr(name)
}

/// Instantiate `actatek.<name>(message, **attrs)` as a `PyErr`.
fn make(py: Python<'_>, name: &str, message: String, attrs: &[(&str, Bound<'_, PyAny>)]) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        for (k, v) in attrs {
            kwargs.set_item(*k, v)?;
        }
        let exc = class(py, name)?.call((message,), Some(&kwargs))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
}

fn s<'py>(py: Python<'py>, v: &str) -> Bound<'py, PyAny> {
    pyo3::types::PyString::new(py, v).into_any()
}

/// One broken rule as `(field, rule, value, message)`.
fn violation<'py>(py: Python<'py>, e: &ValidationError) -> PyResult<Bound<'py, PyAny>> {
    let cls = class(py, "Violation")?;
    cls.call1((e.field.as_str(), e.rule.code(), e.value.as_str(), e.to_string()))
}

/// `ValidationError` for every rule the input breaks (the first one's field and rule on the
/// exception itself, all of them in `.errors`). `prefix` names the parameter the error came
/// from when the core reported it relative to that value (`TimePattern.from_ranges`).
pub fn validation_errors(py: Python<'_>, operation: Option<&str>, errors: &ValidationErrors) -> PyErr {
    validation_errors_saying(py, operation, errors, None)
}

/// [`validation_errors`] with its own message (a desired-state file's `FILE:LINE: ...` lines).
pub fn validation_errors_saying(
    py: Python<'_>,
    operation: Option<&str>,
    errors: &ValidationErrors,
    saying: Option<String>,
) -> PyErr {
    let first = errors.first();
    let build = || -> PyResult<PyErr> {
        let all = errors.errors().iter().map(|e| violation(py, e)).collect::<PyResult<Vec<_>>>()?;
        let op = match operation {
            Some(o) => s(py, o),
            None => py.None().into_bound(py),
        };
        let message = match (operation, saying) {
            (_, Some(m)) => m,
            (Some(o), None) => format!("{o}: {errors}"),
            (None, None) => errors.to_string(),
        };
        Ok(make(
            py,
            "ValidationError",
            message,
            &[
                ("field", s(py, &first.field)),
                ("rule", s(py, first.rule.code())),
                ("value", s(py, &first.value)),
                ("errors", PyTuple::new(py, all)?.into_any()),
                ("operation", op),
            ],
        ))
    };
    build().unwrap_or_else(|e| e)
}

/// A single broken rule of a value built outside any operation (`TimePattern("0101")`), with
/// its field named after the argument.
pub fn validation_error(py: Python<'_>, field: &str, e: &ValidationError) -> PyErr {
    let mut e = e.clone();
    if e.field.is_empty() {
        e.field = field.to_string();
    }
    validation_errors(py, None, &ValidationErrors::one(e))
}

/// A client setting that cannot be used: `actatek.ConfigError` (also a `ValueError`), with
/// `setting` named as the Python argument it came from (`url`, `pin_sha256`, `verify`, ...).
pub fn config_error(py: Python<'_>, e: &ConfigError) -> PyErr {
    let argument = match e.setting() {
        actatek::Setting::Url => "url",
        actatek::Setting::TlsPin => "pin_sha256",
        actatek::Setting::CaPem | actatek::Setting::Tls => "verify",
        actatek::Setting::Timeout => "timeout",
        actatek::Setting::ConnectTimeout => "connect_timeout",
        _ => e.setting().name(),
    };
    argument_error(py, argument, e.problem())
}

/// `actatek.ConfigError` for the client argument `argument` (`backoff`, `retries`, ...).
pub fn argument_error(py: Python<'_>, argument: &str, problem: &str) -> PyErr {
    let message = format!("{argument}: {problem}");
    make(py, "ConfigError", message, &[("setting", s(py, argument)), ("problem", s(py, problem))])
}

/// The client's error as its Python exception.
pub fn to_py_err(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    match e {
        Error::Config(c) => config_error(py, &c),
        Error::Validation(errors) => validation_errors(py, None, &errors),
        Error::Api { operation, status, message: terminal_message } => make(
            py,
            "ApiError",
            message,
            &[
                ("status_code", status_int(py, status)),
                ("message", s(py, &terminal_message)),
                ("operation", s(py, operation)),
            ],
        ),
        Error::Protocol { operation, status, detail, maybe_applied } => make(
            py,
            "ProtocolError",
            message,
            &[
                ("status_code", status_int(py, status)),
                ("detail", s(py, &detail)),
                ("maybe_applied", pyo3::types::PyBool::new(py, maybe_applied).to_owned().into_any()),
                ("operation", s(py, operation)),
            ],
        ),
        Error::Transport { operation, kind, detail, maybe_applied } => {
            let kind = match kind {
                TransportKind::Connect => "connect",
                TransportKind::Timeout => "timeout",
                TransportKind::Tls => "tls",
                TransportKind::Connection => "connection",
                _ => "connection",
            };
            make(
                py,
                "TransportError",
                message,
                &[
                    ("kind", s(py, kind)),
                    ("detail", s(py, &detail)),
                    ("maybe_applied", pyo3::types::PyBool::new(py, maybe_applied).to_owned().into_any()),
                    ("operation", s(py, operation)),
                ],
            )
        }
        // `Error` is non-exhaustive: a future variant is still an ActatekError.
        #[allow(unreachable_patterns)]
        _ => make(py, "ActatekError", message, &[]),
    }
}

/// The error as an exception *object* (for fleet results and watch reports), not raised.
pub fn to_py_exception<'py>(py: Python<'py>, e: Error) -> Bound<'py, PyAny> {
    to_py_err(py, e).into_value(py).into_bound(py).into_any()
}

fn status_int(py: Python<'_>, status: u16) -> Bound<'_, PyAny> {
    status.into_pyobject(py).map(|v| v.into_any()).unwrap_or_else(|_| py.None().into_bound(py))
}
