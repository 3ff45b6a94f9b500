//! Many terminals at once for `actatek.Fleet`: one operation on every client, results as they
//! complete.

use crate::calls::{Reply, dispatch, op_error, prepare};
use crate::client::ClientCore;
use crate::errors::to_py_exception;
use crate::runtime::{block_on, runtime};
use actatek::{Client, Error};
use futures::StreamExt;
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::sync::Arc;
use tokio::sync::Mutex;

type FleetItem = (usize, String, Result<Reply, Error>);

/// One operation on many terminals; results arrive as they complete (private: see
/// `actatek.Fleet`).
#[pyclass(module = "actatek._actatek", name = "FleetRun", frozen)]
pub struct FleetRun {
    name: String,
    results: Arc<Mutex<tokio::sync::mpsc::UnboundedReceiver<FleetItem>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FleetRun {
    fn drop(&mut self) {
        // Nobody is listening any more: stop the calls still queued.
        self.task.abort();
    }
}

fn fleet_item(py: Python<'_>, name: &str, item: FleetItem) -> PyResult<Py<PyAny>> {
    let (index, url, result) = item;
    let (value, error) = match result {
        Ok(reply) => (reply.into_py(py)?, py.None()),
        Err(e) => {
            let exc = match e {
                Error::Validation(_) => op_error(py, name, e).into_value(py).into_any(),
                e => to_py_exception(py, e).unbind(),
            };
            (py.None(), exc)
        }
    };
    Ok(PyTuple::new(
        py,
        [index.into_pyobject(py)?.into_any().unbind(), url.into_pyobject(py)?.into_any().unbind(), value, error],
    )?
    .into_any()
    .unbind())
}

#[pymethods]
impl FleetRun {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// `(index, url, reply, error)` of the next terminal to finish.
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let results = self.results.clone();
        match block_on(py, async move { results.lock().await.recv().await })? {
            None => Ok(None),
            Some(item) => fleet_item(py, &self.name, item).map(Some),
        }
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (results, name) = (self.results.clone(), self.name.clone());
        crate::runtime::future_into_py(py, async move {
            let item = results.lock().await.recv().await;
            Python::attach(|py| match item {
                None => Err(PyStopAsyncIteration::new_err(())),
                Some(item) => fleet_item(py, &name, item),
            })
        })
    }
}

/// Start operation `name` on every client, at most `concurrency` at a time.
#[pyfunction]
#[pyo3(signature = (clients, name, input, concurrency = actatek::fleet::DEFAULT_CONCURRENCY))]
pub fn fleet_run(
    clients: Vec<Py<ClientCore>>,
    name: String,
    input: &Bound<'_, PyAny>,
    concurrency: usize,
) -> PyResult<FleetRun> {
    let op = prepare(&name, input)?;
    let clients: Vec<Client> = clients.iter().map(|c| c.get().client().cloned()).collect::<PyResult<_>>()?;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let task = runtime().spawn(async move {
        futures::stream::iter(clients.into_iter().enumerate())
            .map(|(i, client)| {
                let op = op.clone();
                async move {
                    let url = client.url().to_string();
                    (i, url, dispatch(&client, op).await)
                }
            })
            .buffer_unordered(concurrency.max(1))
            .for_each(|item| {
                let _ = tx.send(item);
                futures::future::ready(())
            })
            .await;
    });
    Ok(FleetRun { name, results: Arc::new(Mutex::new(rx)), task })
}

/// `plan` (or `apply`) of one desired-state document on every client, each with the state
/// its name (`names`, `None` for an unnamed client) and groups select; at most `concurrency`
/// at a time. Every section must name a client or group, and every state must read, before
/// anything is sent.
#[pyfunction]
#[allow(clippy::too_many_arguments)] // the Python keyword arguments, one each
#[pyo3(signature = (clients, desired, names, groups, prune = false, apply = false, concurrency = actatek::fleet::DEFAULT_CONCURRENCY))]
pub fn fleet_desired(
    py: Python<'_>,
    clients: Vec<Py<ClientCore>>,
    desired: &Bound<'_, PyAny>,
    names: Vec<Option<String>>,
    groups: Vec<Vec<String>>,
    prune: bool,
    apply: bool,
    concurrency: usize,
) -> PyResult<FleetRun> {
    let name = if apply { "apply" } else { "plan" };
    let (declaration, file) = crate::client::desired_document(py, desired)?;
    let saying = |e: &actatek::ValidationErrors| file.as_ref().map(|f| f.describe(e).join("\n"));
    let known: Vec<&str> = names.iter().flatten().map(String::as_str).collect();
    let mut all_groups: Vec<&str> = groups.iter().flatten().map(String::as_str).collect();
    all_groups.sort_unstable();
    all_groups.dedup();
    declaration
        .unknown_sections(&known, &all_groups)
        .map_err(|e| crate::errors::validation_errors_saying(py, Some(name), &e, saying(&e)))?;
    let mut jobs = Vec::with_capacity(clients.len());
    for (i, c) in clients.iter().enumerate() {
        let terminal = names.get(i).cloned().flatten();
        let in_groups = groups.get(i).cloned().unwrap_or_default();
        let state = declaration
            .for_terminal(terminal.as_deref(), &in_groups)
            .map_err(|e| crate::errors::validation_errors_saying(py, Some(name), &e, saying(&e)))?;
        jobs.push((c.get().client().cloned()?, state));
    }
    let options = actatek::core::plan::PlanOptions { prune, ..Default::default() };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let task = runtime().spawn(async move {
        futures::stream::iter(jobs.into_iter().enumerate())
            .map(|(i, (client, state))| {
                let options = options.clone();
                async move {
                    let url = client.url().to_string();
                    let result = client.desired_summary(&state, &options, apply).await.map(Reply::Json);
                    (i, url, result)
                }
            })
            .buffer_unordered(concurrency.max(1))
            .for_each(|item| {
                let _ = tx.send(item);
                futures::future::ready(())
            })
            .await;
    });
    Ok(FleetRun { name: name.to_string(), results: Arc::new(Mutex::new(rx)), task })
}
