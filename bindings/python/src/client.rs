//! The client core behind `actatek.Client` and `actatek.AsyncClient`: one generic `call` by
//! canonical name (the typed dispatch is in `calls.rs`). The Python methods (one per
//! operation) are built from `actatek_core::OPERATIONS`, so the table stays the one source of
//! truth.

use crate::calls::{dispatch, op_error, prepare};
use crate::errors::{argument_error, config_error};
use crate::runtime::{Local, block_on};
use actatek::core::plan::{Declaration, PlanOptions, State};
use actatek::{Client, Tls};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use std::time::Duration;

/// The network half of `actatek.Client` / `actatek.AsyncClient` (private: use those).
#[pyclass(module = "actatek._actatek", name = "ClientCore", frozen)]
pub struct ClientCore {
    client: Client,
    /// The blocking client's small calls run here, on the calling thread (built at the first
    /// one; dropped by `close`, which leaves no connection open).
    local: std::sync::Mutex<Option<std::sync::Arc<Local>>>,
    /// `AsyncClient`'s client, the same session, its requests sent on the event loop
    /// (`run_on_the_loop`, `aio.rs`), and their connections.
    #[cfg(unix)]
    looped: std::sync::OnceLock<(Client, crate::loopio::LoopExchange)>,
    /// What the event loop's connections are made with.
    #[cfg_attr(not(unix), allow(dead_code))]
    tls: Tls,
    #[cfg_attr(not(unix), allow(dead_code))]
    timeouts: (Duration, Duration),
    /// The process that created the client: its connections must not be shared with a forked
    /// child (both would talk on the same sockets).
    pid: u32,
}

impl ClientCore {
    /// The client, if this is the process that created it.
    pub fn client(&self) -> PyResult<&Client> {
        if self.pid == std::process::id() {
            Ok(&self.client)
        } else {
            Err(PyRuntimeError::new_err(
                "this client was created in another process (before a fork); create a new one in this process",
            ))
        }
    }

    /// The calling thread's runtime and client for small blocking calls.
    fn local(&self, py: Python<'_>) -> PyResult<std::sync::Arc<Local>> {
        let client = self.client()?;
        let mut slot = self.local.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(local) = slot.as_ref() {
            return Ok(local.clone());
        }
        let local = std::sync::Arc::new(Local::new(client).map_err(|e| config_error(py, &e))?);
        *slot = Some(local.clone());
        Ok(local)
    }
}

/// A desired-state document from Python: a mapping in wire form, or the path of a file
/// (TOML, YAML, JSON, users from CSV) read with the CLI's loader. Problems raise
/// `ValidationError` (with the file's `FILE:LINE:` lines as its message), a file that is not
/// valid TOML/YAML/JSON raises `ConfigError`, one that cannot be read `OSError`.
pub fn desired_document(
    py: Python<'_>,
    desired: &Bound<'_, PyAny>,
) -> PyResult<(Declaration, Option<actatek::files::DesiredFile>)> {
    if desired.is_instance_of::<pyo3::types::PyString>() || desired.hasattr("__fspath__")? {
        let path: std::path::PathBuf = desired.extract()?;
        let file = actatek::files::DesiredFile::load(&path).map_err(|e| load_error(py, e))?;
        let declaration = Declaration::from_wire(&file.doc).map_err(|e| {
            crate::errors::validation_errors_saying(py, Some("plan"), &e, Some(file.describe(&e).join("\n")))
        })?;
        return Ok((declaration, Some(file)));
    }
    let v = crate::convert::py_to_json(desired)?;
    let declaration = Declaration::from_wire(&v).map_err(|e| crate::errors::validation_errors(py, Some("plan"), &e))?;
    Ok((declaration, None))
}

/// A desired-state file's read error as the Python exception a user expects.
pub fn load_error(py: Python<'_>, e: actatek::files::LoadError) -> PyErr {
    match e {
        actatek::files::LoadError::Io { path, error } => {
            PyErr::from(std::io::Error::new(error.kind(), format!("{}: {error}", path.display())))
        }
        actatek::files::LoadError::Rows { ref errors, .. } => {
            let all = actatek::ValidationErrors::check(errors.iter().map(|(_, e)| e.clone()).collect()).err();
            match all {
                Some(all) => crate::errors::validation_errors_saying(py, Some("plan"), &all, Some(e.to_string())),
                None => argument_error(py, "desired", &e.to_string()),
            }
        }
        actatek::files::LoadError::Syntax { .. } => argument_error(py, "desired", &e.to_string()),
    }
}

/// One client's state from a document: `terminal` and `groups` say which sections apply.
pub fn desired_state(
    py: Python<'_>,
    desired: &Bound<'_, PyAny>,
    prune: bool,
    terminal: Option<&str>,
    groups: &[String],
) -> PyResult<(State, PlanOptions)> {
    let (declaration, file) = desired_document(py, desired)?;
    let state = declaration.for_client(terminal, groups).map_err(|e| {
        let saying = file.as_ref().map(|f| f.describe(&e).join("\n"));
        crate::errors::validation_errors_saying(py, Some("plan"), &e, saying)
    })?;
    Ok((state, PlanOptions { prune, ..PlanOptions::default() }))
}

fn desired_reply(
    py: Python<'_>,
    result: Result<serde_json::Value, actatek::Error>,
    apply: bool,
) -> PyResult<Py<PyAny>> {
    match result {
        Ok(v) => Ok(crate::convert::json_to_py(py, &v)?.unbind()),
        Err(e) => Err(op_error(py, if apply { "apply" } else { "plan" }, e)),
    }
}

/// A client argument in seconds: `actatek.ConfigError` (a `ValueError`) naming it when it is
/// negative, not a number or too large, before anything is sent.
fn seconds(py: Python<'_>, name: &str, v: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(v)
        .map_err(|_| argument_error(py, name, &format!("{v} is not a number of seconds, 0 or more")))
}

#[pymethods]
impl ClientCore {
    #[new]
    #[pyo3(signature = (url, username, password, *, timeout = 30.0, connect_timeout = 10.0, retries = 3, backoff = 0.2, max_backoff = 5.0, tls = "verify", tls_arg = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        url: String,
        username: String,
        password: String,
        timeout: f64,
        connect_timeout: f64,
        retries: i64,
        backoff: f64,
        max_backoff: f64,
        tls: &str,
        tls_arg: Option<String>,
    ) -> PyResult<Self> {
        // Every argument is checked before the TLS setup and long before anything is sent.
        let retries = u32::try_from(retries)
            .map_err(|_| argument_error(py, "retries", &format!("{retries} is not a count of retries, 0 or more")))?;
        let timeout = seconds(py, "timeout", timeout)?;
        let connect_timeout = seconds(py, "connect_timeout", connect_timeout)?;
        let backoff = seconds(py, "backoff", backoff)?;
        let max_backoff = seconds(py, "max_backoff", max_backoff)?;
        let tls = match (tls, tls_arg) {
            ("verify", _) => Tls::Verify,
            ("insecure", _) => Tls::DangerAcceptInvalidCertificates,
            ("ca_file", Some(path)) => Tls::ca_file(&path)?,
            ("pin", Some(fp)) => Tls::pin_sha256(&fp).map_err(|e| config_error(py, &e))?,
            (other, _) => return Err(PyValueError::new_err(format!("unknown TLS mode {other:?}"))),
        };
        let client = Client::builder(url, username, password)
            .timeout(timeout)
            .connect_timeout(connect_timeout)
            .retries(retries)
            .backoff(backoff, max_backoff)
            .tls(tls.clone())
            .build()
            .map_err(|e| config_error(py, &e))?;
        Ok(ClientCore {
            client,
            local: Default::default(),
            #[cfg(unix)]
            looped: Default::default(),
            tls,
            timeouts: (timeout, connect_timeout),
            pid: std::process::id(),
        })
    }

    /// The terminal's base URL.
    #[getter]
    fn url(&self) -> &str {
        self.client.url()
    }

    /// Run operation `name` with wire-form input; returns the reply (wire form, or log objects).
    fn call(&self, py: Python<'_>, name: &str, input: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let client = self.client()?;
        let op = prepare(name, input)?;
        let op = match crate::calls::call_log_list(py, client, op) {
            Ok(result) => return result,
            Err(op) => op,
        };
        let local = self.local(py)?;
        match local.block_on(py, dispatch(&local.client, op))? {
            Ok(reply) => reply.into_py(py),
            Err(e) => Err(op_error(py, name, e)),
        }
    }

    /// Run this client's asyncio calls on the event loop that awaits them, their HTTP on
    /// sockets the loop watches (`loopio.rs`); once, before the first call. Only on Unix: on
    /// Windows asyncio's default (proactor) loop cannot watch a socket, so the calls run on the
    /// extension's runtime there, as the log lists do everywhere.
    fn run_on_the_loop(&self, py: Python<'_>) -> PyResult<()> {
        let client = self.client()?;
        #[cfg(unix)]
        {
            let (timeout, connect_timeout) = self.timeouts;
            let exchange = crate::loopio::LoopExchange::new(client.url(), &self.tls, timeout, connect_timeout)
                .map_err(|e| config_error(py, &e))?;
            let looped = client.with_exchange(std::sync::Arc::new(exchange.clone()));
            self.looped
                .set((looped, exchange))
                .map_err(|_| PyRuntimeError::new_err("this client already runs on the event loop"))?;
        }
        #[cfg(not(unix))]
        let _ = (py, client);
        Ok(())
    }

    /// `call` as an asyncio awaitable. With an exchange attached, the event loop runs the
    /// call and its I/O (`aio.rs`), except for the log lists: a reply of megabytes is read
    /// and parsed on the runtime, off the loop, which only makes the objects.
    fn call_async<'py>(&self, py: Python<'py>, name: String, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let op = prepare(&name, input)?;
        #[cfg(unix)]
        let log_list = matches!(op, actatek::AnyOperation::GetLogs(_) | actatek::AnyOperation::GetFullLogs(_));
        #[cfg(unix)]
        if let (Some((looped, _)), false) = (self.looped.get(), log_list) {
            self.client()?;
            let client = looped.clone();
            let call = crate::aio::LoopCall::new(async move {
                let result = dispatch(&client, op).await;
                Python::attach(|py| match result {
                    Ok(reply) => reply.into_py(py),
                    Err(e) => Err(op_error(py, &name, e)),
                })
            });
            return Ok(Bound::new(py, call)?.into_any());
        }
        let client = self.client()?.clone();
        crate::runtime::future_into_py(py, async move {
            let result = dispatch(&client, op).await;
            Python::attach(|py| match result {
                Ok(reply) => reply.into_py(py),
                Err(e) => Err(op_error(py, &name, e)),
            })
        })
    }

    /// `plan` (nothing is written) or, with `apply`, make the terminal hold `desired`: read,
    /// plan, write, until a fresh plan is empty. The plan's changes, or the apply report.
    #[pyo3(signature = (desired, prune = false, terminal = None, groups = Vec::new(), apply = false))]
    fn desired(
        &self,
        py: Python<'_>,
        desired: &Bound<'_, PyAny>,
        prune: bool,
        terminal: Option<String>,
        groups: Vec<String>,
        apply: bool,
    ) -> PyResult<Py<PyAny>> {
        let client = self.client()?;
        let (state, options) = desired_state(py, desired, prune, terminal.as_deref(), &groups)?;
        let result = block_on(py, client.desired_summary(&state, &options, apply))?;
        desired_reply(py, result, apply)
    }

    /// `desired` as an asyncio awaitable.
    #[pyo3(signature = (desired, prune = false, terminal = None, groups = Vec::new(), apply = false))]
    fn desired_async<'py>(
        &self,
        py: Python<'py>,
        desired: &Bound<'py, PyAny>,
        prune: bool,
        terminal: Option<String>,
        groups: Vec<String>,
        apply: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let client = self.client()?.clone();
        let (state, options) = desired_state(py, desired, prune, terminal.as_deref(), &groups)?;
        crate::runtime::future_into_py(py, async move {
            let result = client.desired_summary(&state, &options, apply).await;
            Python::attach(|py| desired_reply(py, result, apply))
        })
    }

    /// Export logs matching get_full_logs' wire-form filter, `chunk_size` at a time.
    #[pyo3(signature = (input, chunk_size = 1000, checkpoint = None))]
    fn export_logs(
        &self,
        input: &Bound<'_, PyAny>,
        chunk_size: u32,
        checkpoint: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<crate::export::PyLogExport> {
        crate::export::PyLogExport::new(self.client()?, input, chunk_size, checkpoint)
    }

    /// Follow new logs matching get_full_logs' wire-form filter.
    #[pyo3(signature = (input, checkpoint = None, poll = 1.0, raise_errors = false))]
    fn watch_logs(
        &self,
        input: &Bound<'_, PyAny>,
        checkpoint: Option<&Bound<'_, PyAny>>,
        poll: f64,
        raise_errors: bool,
    ) -> PyResult<crate::export::PyLogWatch> {
        crate::export::PyLogWatch::new(self.client()?, input, checkpoint, poll, raise_errors)
    }

    /// Log out (if logged in). Errors are ignored: a session expires by itself.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let client = self.client()?;
        // The small calls' connections close with their runtime.
        drop(self.local.lock().unwrap_or_else(|e| e.into_inner()).take());
        block_on(py, client.close())
    }

    /// `close` as an asyncio awaitable (on the event loop when an exchange is attached).
    fn close_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        #[cfg(unix)]
        if let Some((looped, exchange)) = self.looped.get() {
            self.client()?;
            let (client, exchange) = (looped.clone(), exchange.clone());
            let call = crate::aio::LoopCall::new(async move {
                client.close().await;
                exchange.close();
                Ok(Python::attach(|py| py.None()))
            });
            return Ok(Bound::new(py, call)?.into_any());
        }
        let client = self.client()?.clone();
        crate::runtime::future_into_py(py, async move {
            client.close().await;
            Ok(())
        })
    }
}
