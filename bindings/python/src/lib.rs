//! `actatek._actatek`: the native half of the `actatek` Python package (see `python/`).
//!
//! Thin by design: inputs arrive in the wire form and go through the core's
//! `AnyOperation::from_wire` (so validation is the core's), calls run on one process-wide tokio
//! runtime with the GIL released, and replies come back as plain Python data for the model
//! classes of `actatek._models` (values the core could not read marked, see `records.rs`) —
//! except the log lists, which become `Log` / `FullLog` objects straight from the parsed records.

mod aio;
mod calls;
mod client;
mod convert;
mod errors;
mod export;
mod fleet;
mod logs;
#[cfg(unix)]
mod loopio;
mod records;
mod runtime;
#[cfg(feature = "testing")]
mod testing;
mod timepattern;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Every canonical operation (the core's table): name, section, method, path template,
/// retry_safe, doc, reply type (as written, and as its record and whether a list) and params
/// (name, wire, location, type as written, required, list).
#[pyfunction]
fn operations(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let ops = actatek::OPERATIONS
        .iter()
        .map(|o| {
            let d = PyDict::new(py);
            d.set_item("name", o.name)?;
            d.set_item("section", o.section)?;
            d.set_item("method", o.method.as_str())?;
            d.set_item("template", o.template)?;
            d.set_item("retry_safe", o.retry_safe)?;
            d.set_item("doc", o.doc.trim())?;
            d.set_item("reply", o.reply.replace(' ', ""))?;
            d.set_item("reply_record", o.reply_shape.record)?;
            d.set_item("reply_list", o.reply_shape.list)?;
            let params = o
                .params
                .iter()
                .map(|p| (p.name, p.wire, p.location.as_str(), p.format.type_text(), p.required, p.list))
                .collect::<Vec<_>>();
            d.set_item("params", params)?;
            Ok(d)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, ops)
}

/// The HTTP request an operation would send, without sending it: `(method, path and query,
/// body text or None)`. Validates first, like a call. For tests and debugging.
#[pyfunction]
#[pyo3(signature = (name, input, session = "1"))]
fn build_request(name: &str, input: &Bound<'_, PyAny>, session: &str) -> PyResult<(String, String, Option<String>)> {
    let op = calls::prepare(name, input)?;
    let session = actatek::SessionId::new(session);
    let request = op.request(Some(&session)).map_err(|e| errors::validation_errors(input.py(), Some(name), &e))?;
    let body = request.body.as_ref().map(|b| String::from_utf8_lossy(b).into_owned());
    Ok((request.method.to_string(), request.path_and_query(), body))
}

/// Every value rule: (code, manual section, text).
#[pyfunction]
fn rules() -> Vec<(&'static str, &'static str, &'static str)> {
    actatek::Rule::ALL.iter().map(|r| (r.code(), r.section(), r.text())).collect()
}

/// A desired-state file (TOML, YAML, JSON, users from CSV; `users_csv` entries read) as the
/// mapping `plan` and `apply` take.
#[pyfunction]
fn load_desired(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Py<PyAny>> {
    let file = actatek::files::DesiredFile::load(&path).map_err(|e| client::load_error(py, e))?;
    Ok(convert::json_to_py(py, &file.doc)?.unbind())
}

#[pymodule]
fn _actatek(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // The Rust client's events (each terminal call, retries, session renewals; `tracing` with
    // its `log` feature) reach Python's `logging` under the `actatek` logger, at their levels.
    // Levels are read from `logging` at every event (no cache), so `setLevel` applies at once;
    // other crates' records (reqwest, hyper) only from WARNING up, to keep the GIL out of
    // their hot paths. The events carry no password and no session id.
    let _ = pyo3_log::Logger::new(m.py(), pyo3_log::Caching::Nothing)?
        .filter(log::LevelFilter::Warn)
        .filter_target("actatek".to_owned(), log::LevelFilter::Trace)
        .install();
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    m.add_function(wrap_pyfunction!(build_request, m)?)?;
    m.add_function(wrap_pyfunction!(fleet::fleet_run, m)?)?;
    m.add_function(wrap_pyfunction!(fleet::fleet_desired, m)?)?;
    m.add_function(wrap_pyfunction!(load_desired, m)?)?;
    m.add_function(wrap_pyfunction!(records::read_record, m)?)?;
    m.add_function(wrap_pyfunction!(records::record_names, m)?)?;
    m.add_function(wrap_pyfunction!(records::record_wire_names, m)?)?;
    m.add_class::<client::ClientCore>()?;
    m.add_class::<aio::LoopCall>()?;
    #[cfg(unix)]
    m.add_class::<loopio::Readable>()?;
    #[cfg(unix)]
    m.add_class::<loopio::Signal>()?;
    m.add_class::<export::PyLogExport>()?;
    m.add_class::<export::PyLogWatch>()?;
    m.add_class::<fleet::FleetRun>()?;
    m.add_class::<export::Ready>()?;
    m.add_class::<logs::PyLog>()?;
    m.add_class::<logs::PyFullLog>()?;
    m.add_class::<timepattern::PyTimePattern>()?;
    #[cfg(feature = "testing")]
    m.add_class::<testing::SimulatorCore>()?;
    #[cfg(feature = "testing")]
    m.add_function(wrap_pyfunction!(testing::drift_kinds, m)?)?;
    #[cfg(feature = "testing")]
    m.add_function(wrap_pyfunction!(testing::firmware_mutations, m)?)?;
    #[cfg(feature = "testing")]
    m.add_function(wrap_pyfunction!(testing::firmware_losses, m)?)?;
    m.add("TESTING", cfg!(feature = "testing"))?;
    m.add("DEFAULT_FLEET_CONCURRENCY", actatek::fleet::DEFAULT_CONCURRENCY)?;
    m.add("BUILD_PROFILE", if cfg!(debug_assertions) { "debug" } else { "release" })?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
