//! The simulated terminal, linked into the extension for `actatek.testing.Simulator`: it runs on
//! its own thread with its own runtime (`Simulator::spawn_blocking`), so it serves requests
//! while Python code blocks on it.

use crate::convert::json_to_py;
use actatek_sim::{BlockingSimulator, Clock, ConfigUpdate, DriftConfig, DriftKind, Fault, FaultKind, Simulator};
use chrono::{DateTime, NaiveDateTime, Utc};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDateTime;
use std::sync::Mutex;
use std::time::Duration;

/// A running simulated terminal (private: see `actatek.testing.Simulator`).
#[pyclass(module = "actatek._actatek", name = "SimulatorCore", frozen)]
pub struct SimulatorCore {
    sim: Mutex<Option<BlockingSimulator>>,
    url: String,
    fingerprint: Option<String>,
    cert_pem: Option<String>,
}

impl SimulatorCore {
    fn with<R>(&self, f: impl FnOnce(&BlockingSimulator) -> R) -> PyResult<R> {
        let guard = self.sim.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().map(f).ok_or_else(|| PyRuntimeError::new_err("the simulator has been stopped"))
    }
}

fn to_py<T: serde::Serialize>(py: Python<'_>, v: &T) -> PyResult<Py<PyAny>> {
    let value = serde_json::to_value(v).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(json_to_py(py, &value)?.unbind())
}

/// `seed` with `kinds` (every kind when `None`) as a drift configuration.
fn drift_config(seed: u64, kinds: Option<Vec<String>>) -> PyResult<DriftConfig> {
    match kinds {
        None => Ok(DriftConfig::new(seed)),
        Some(kinds) => {
            let kinds = kinds.iter().map(|k| k.parse::<DriftKind>()).collect::<Result<Vec<_>, _>>();
            Ok(DriftConfig::only(seed, kinds.map_err(PyValueError::new_err)?))
        }
    }
}

/// Every drift kind, and the kinds after which records read can be written back unchanged
/// (`DriftKind::WRITE_BACK_SAFE`).
#[pyfunction]
pub fn drift_kinds() -> (Vec<&'static str>, Vec<&'static str>) {
    let names = |kinds: &[DriftKind]| kinds.iter().map(|k| k.as_str()).collect();
    (names(&DriftKind::ALL), names(&DriftKind::WRITE_BACK_SAFE))
}

/// One firmware mutation for Python: kind, JSON pointer, mutated body.
type Mutated = (&'static str, String, String);

/// The core's firmware mutations of a reply body (`actatek_core::mutate`), so Python's tests
/// read the same mutations as Rust's: the body as clean JSON (repaired when the terminal wrote
/// trailing or missing commas) and `(kind, JSON pointer, mutated body)` for each mutation.
#[pyfunction]
pub fn firmware_mutations(body: &str) -> PyResult<(String, Vec<Mutated>)> {
    let bytes = body.as_bytes();
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .or_else(|e| actatek::core::repair::repair(bytes).ok_or(e).and_then(|fixed| serde_json::from_slice(&fixed)))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let mutations =
        actatek::core::mutate::mutations(&value).into_iter().map(|m| (m.kind, m.pointer, m.body.to_string())).collect();
    Ok((value.to_string(), mutations))
}

/// What a reading of a mutated body lost (`actatek_core::mutate::lost`); all arguments are
/// JSON texts, `read` and `read_original` in wire form. Empty when nothing was lost.
#[pyfunction]
pub fn firmware_losses(
    kind: &str,
    pointer: &str,
    body: &str,
    read: &str,
    read_original: &str,
) -> PyResult<Vec<String>> {
    let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).map_err(|e| PyValueError::new_err(e.to_string()));
    let kind = actatek::core::mutate::KINDS
        .iter()
        .copied()
        .find(|k| *k == kind)
        .ok_or_else(|| PyValueError::new_err(format!("unknown mutation kind {kind:?}")))?;
    let m = actatek::core::mutate::Mutation { kind, pointer: pointer.to_string(), body: json(body)? };
    Ok(actatek::core::mutate::lost(&m, &json(read)?, &json(read_original)?))
}

fn utc_from_py(obj: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    if !obj.is_instance_of::<PyDateTime>() {
        return Err(PyValueError::new_err("start_time must be a datetime"));
    }
    if obj.getattr("tzinfo")?.is_none() {
        Ok(obj.extract::<NaiveDateTime>()?.and_utc())
    } else {
        Ok(obj.extract::<DateTime<chrono::FixedOffset>>()?.with_timezone(&Utc))
    }
}

/// A latency in seconds (`0.2`), as the simulator's builder takes it.
fn latency_from(seconds: f64) -> PyResult<std::time::Duration> {
    std::time::Duration::try_from_secs_f64(seconds)
        .map_err(|_| PyValueError::new_err(format!("latency must be 0 or more seconds, not {seconds}")))
}

#[pymethods]
impl SimulatorCore {
    #[new]
    #[pyo3(signature = (
        *, users = 10, logs = 1000, seed = 7, tls = false, quirks = false, cors = true, username = "admin",
        password = "admin", serial = None, timezone = None, door_open_schedule = false, start_time = None,
        freeze_clock = false, host = "127.0.0.1", drift = None, drift_kinds = None, latency = 0.0
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        users: usize,
        logs: usize,
        seed: u64,
        tls: bool,
        quirks: bool,
        cors: bool,
        username: &str,
        password: &str,
        serial: Option<String>,
        timezone: Option<String>,
        door_open_schedule: bool,
        start_time: Option<&Bound<'_, PyAny>>,
        freeze_clock: bool,
        host: &str,
        drift: Option<u64>,
        drift_kinds: Option<Vec<String>>,
        latency: f64,
    ) -> PyResult<Self> {
        let latency = latency_from(latency)?;
        let mut builder = Simulator::builder()
            .users(users)
            .logs(logs)
            .seed(seed)
            .tls(tls)
            .quirks(quirks)
            .cors(cors)
            .admin(username, password)
            .door_open_schedule(door_open_schedule)
            .latency(latency);
        if let Some(serial) = serial {
            builder = builder.serial(serial);
        }
        if let Some(tz) = timezone {
            builder = builder.timezone(tz);
        }
        match (drift, drift_kinds) {
            (Some(seed), kinds) => builder = builder.drift_config(drift_config(seed, kinds)?),
            (None, Some(_)) => return Err(PyValueError::new_err("drift_kinds needs drift=SEED")),
            (None, None) => {}
        }
        let start = start_time.map(utc_from_py).transpose()?;
        match (start, freeze_clock) {
            (Some(t), true) => builder = builder.clock(Clock::frozen(t)),
            (None, true) => builder = builder.clock(Clock::frozen(Utc::now())),
            (Some(t), false) => builder = builder.clock(Clock::starting_at(t)),
            (None, false) => {}
        }
        let addr = format!("{host}:0");
        // Building the demo data (a million logs take about a second) and starting the thread.
        let sim = py.detach(move || builder.build().spawn_blocking(&addr))?;
        Ok(SimulatorCore {
            url: sim.url().to_string(),
            fingerprint: sim.fingerprint(),
            cert_pem: sim.cert_pem(),
            sim: Mutex::new(Some(sim)),
        })
    }

    /// `http://127.0.0.1:PORT` (or `https://…`).
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }
    /// SHA-256 of the TLS certificate (hex), when serving HTTPS.
    #[getter]
    fn fingerprint(&self) -> Option<&str> {
        self.fingerprint.as_deref()
    }
    /// The TLS certificate (PEM), when serving HTTPS.
    #[getter]
    fn cert_pem(&self) -> Option<&str> {
        self.cert_pem.as_deref()
    }
    #[getter]
    fn serial(&self) -> PyResult<String> {
        self.with(|s| s.serial())
    }
    #[getter]
    fn running(&self) -> bool {
        self.sim.lock().map(|g| g.is_some()).unwrap_or(false)
    }

    /// Every request the terminal API saw: method, path (session id as `***`), query,
    /// operation, status, fault.
    fn requests(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let reqs = self.with(|s| s.requests())?;
        to_py(py, &reqs)
    }
    /// How many requests the terminal API has seen since start.
    fn request_count(&self) -> PyResult<u64> {
        self.with(|s| s.request_count())
    }
    fn clear_requests(&self) -> PyResult<()> {
        self.with(|s| s.clear_requests())
    }

    /// Queue a fault (`drop_before`, `drop_after`, `status500`, `slow`, `truncate`,
    /// `expire_session`) for the next `count` requests (to `operation` only, if given), or for
    /// each request with probability `rate`.
    #[pyo3(signature = (kind, *, count = 1, operation = None, rate = None, delay = None))]
    fn add_fault(
        &self,
        kind: &str,
        count: u32,
        operation: Option<String>,
        rate: Option<f64>,
        delay: Option<f64>,
    ) -> PyResult<()> {
        let kind: FaultKind = kind.parse().map_err(PyValueError::new_err)?;
        let mut fault = Fault::new(kind).times(count);
        if let Some(op) = operation {
            if actatek::operation_info(&op).is_none() {
                return Err(PyValueError::new_err(format!("unknown operation {op:?}")));
            }
            fault = fault.on(op);
        }
        if let Some(rate) = rate {
            fault = fault.rate(rate);
        }
        if let Some(d) = delay {
            fault.delay = Duration::try_from_secs_f64(d).map_err(|_| PyValueError::new_err("delay must be >= 0"))?;
        }
        self.with(|s| s.faults().push(fault))
    }
    /// The faults still waiting.
    fn faults(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let pending = self.with(|s| s.faults().pending())?;
        to_py(py, &pending)
    }
    fn clear_faults(&self) -> PyResult<()> {
        self.with(|s| s.faults().clear())
    }

    /// Move the terminal's clock forward (sessions expire after 30 idle minutes, §1.1).
    fn advance_clock(&self, seconds: f64) -> PyResult<()> {
        let d = Duration::try_from_secs_f64(seconds).map_err(|_| PyValueError::new_err("seconds must be >= 0"))?;
        self.with(|s| s.clock().advance(d))
    }
    /// The terminal's clock (aware, UTC).
    fn now<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let now = self.with(|s| s.clock().now())?;
        Ok(now.into_pyobject(py)?.into_any())
    }

    /// Counts: users, logs, door opens, relay actions, sessions, requests.
    fn state(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let summary = self.with(|s| s.summary())?;
        to_py(py, &summary)
    }
    /// Append `count` logs stamped now; returns their first and last logID.
    fn generate_logs(&self, py: Python<'_>, count: usize) -> PyResult<Option<(i64, i64)>> {
        let guard = self.sim.lock().unwrap_or_else(|e| e.into_inner());
        let sim = guard.as_ref().ok_or_else(|| PyRuntimeError::new_err("the simulator has been stopped"))?;
        let handle = sim.handle();
        drop(guard);
        let ids = py.detach(move || handle.generate_logs(count));
        Ok(ids.map(|r| (*r.start(), *r.end())))
    }
    /// A reboot: every session dropped, state kept. Returns how many sessions were dropped.
    fn restart(&self) -> PyResult<usize> {
        self.with(|s| s.restart())
    }
    /// The behaviour switches: cors, quirks, door_open_schedule.
    fn config(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let c = self.with(|s| s.config())?;
        to_py(py, &c)
    }
    #[pyo3(signature = (*, cors = None, quirks = None, door_open_schedule = None, latency = None))]
    fn set_config(
        &self,
        cors: Option<bool>,
        quirks: Option<bool>,
        door_open_schedule: Option<bool>,
        latency: Option<f64>,
    ) -> PyResult<()> {
        let latency_ms = latency.map(latency_from).transpose()?.map(|d| d.as_millis() as u64);
        let update = ConfigUpdate { cors, quirks, door_open_schedule, latency_ms };
        self.with(|s| s.apply_config(&update))
    }

    /// Switch drift on (`seed`, with `kinds` or every kind) or off (`seed=None`); switching it
    /// on restarts the reply count.
    #[pyo3(signature = (seed, kinds = None))]
    fn set_drift(&self, seed: Option<u64>, kinds: Option<Vec<String>>) -> PyResult<()> {
        let config = seed.map(|s| drift_config(s, kinds)).transpose()?;
        self.with(|s| s.set_drift(config))
    }
    /// `{seed, kinds, replies}` while drift is on, else `None`.
    fn drift(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let (config, replies) = self.with(|s| (s.drift(), s.drifted_replies()))?;
        match config {
            None => Ok(None),
            Some(c) => {
                let value = serde_json::json!({ "seed": c.seed, "kinds": c.kinds, "replies": replies });
                Ok(Some(json_to_py(py, &value)?.unbind()))
            }
        }
    }

    /// Stop serving (also on garbage collection). Idempotent.
    fn stop(&self, py: Python<'_>) {
        let sim = self.sim.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(sim) = sim {
            py.detach(move || sim.shutdown());
        }
    }
}
