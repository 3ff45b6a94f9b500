//! # actatek-sim
//!
//! A simulated ACTAtek terminal: all 72 REST operations of ENDPOINTS.md, stateful, over real
//! HTTP (or HTTPS with a self-signed certificate). Every test of the SDK, in every language,
//! talks to it over loopback, so it is built to be controlled:
//!
//! - routing comes from the core's operation table ([`actatek_core::routing`]), so the
//!   simulator and the client can never disagree about a path;
//! - a controllable [`Clock`] (sessions expire after 30 idle minutes, §1.1);
//! - [`Faults`]: dropped connections (before or after the write is applied), HTTP 500, slow
//!   and truncated replies, expired sessions, by count or seeded rate;
//! - a request log ([`RecordedRequest`]), quirks mode (replies as real terminals write them),
//!   drift mode ([`DriftConfig`]: replies as *other firmware versions* might write them,
//!   seeded and reproducible), switchable CORS, fleets of terminals and deterministic demo
//!   data;
//! - the same controls over HTTP under `/_sim/` for tests in other languages.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use actatek_sim::{Fault, Simulator};
//! use std::time::Duration;
//! let sim = Simulator::builder().users(10).logs(1000).seed(7).build();
//! let running = sim.start("127.0.0.1:0").await?;
//! println!("terminal at {}", running.url());
//! running.faults().push(Fault::drop_before().on("get_logs").times(2));
//! running.clock().advance(Duration::from_secs(31 * 60));
//! assert_eq!(running.state(|s| s.users.len()), 11);
//! running.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! ## Control API (JSON, no session)
//!
//! | request | what it does |
//! |---|---|
//! | `GET /_sim/requests`, `DELETE /_sim/requests` | the request log / clear it |
//! | `GET /_sim/faults`, `POST /_sim/faults`, `DELETE /_sim/faults` | pending faults / add `{"kind","count","operation","rate","delay_ms"}` / clear |
//! | `GET /_sim/clock`, `POST /_sim/clock/advance` | the clock / move it `{"seconds": 1900}` |
//! | `GET /_sim/state` | counts: users, logs, door opens, relay actions, sessions, requests |
//! | `POST /_sim/logs/generate` | append `{"count": N}` logs stamped now |
//! | `POST /_sim/restart` | a reboot: every session dropped, state kept |
//! | `GET /_sim/config`, `POST /_sim/config` | `{"cors","quirks","door_open_schedule"}` |
//! | `GET /_sim/drift`, `POST /_sim/drift`, `DELETE /_sim/drift` | drift: `{"seed": N, "kinds"?: […]}` on, `{"seed": null}` (or DELETE) off |
//!
//! The control API always sends CORS headers; the switch governs the terminal API only.

#![warn(missing_docs)]

mod api;
mod cli;
mod clock;
mod drift;
mod faults;
mod logs;
mod quirks;
mod record;
mod server;
mod state;
mod tls;

pub use api::{PERMISSION_ERROR, SESSION_ERROR};
pub use cli::{SimArgs, announce, run_cli, start_from_args};
pub use clock::Clock;
pub use drift::{DriftConfig, DriftKind};
pub use faults::{Fault, FaultKind, Faults};
pub use logs::{LogEntry, LogStore};
pub use record::{REQUEST_LOG_CAPACITY, RecordedRequest};
pub use state::{SESSION_TIMEOUT, TerminalState};
pub use tls::TlsMaterial;

use actatek_core::Secret;
use record::RequestLog;
use serde::{Deserialize, Serialize};
use state::Seeding;
use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::ops::{Deref, RangeInclusive};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The serial number of a lone simulated terminal (the manual's example).
pub const DEFAULT_SERIAL: &str = "00111D000000";

/// What every handle to one terminal shares.
pub(crate) struct Shared {
    state: Mutex<TerminalState>,
    faults: Faults,
    requests: Mutex<RequestLog>,
    clock: Clock,
    cors: AtomicBool,
    quirks: AtomicBool,
    /// Added before every terminal API answer (a real terminal answers far slower than loopback).
    latency_ms: std::sync::atomic::AtomicU64,
    drift: Mutex<DriftState>,
    base_url: OnceLock<String>,
}

/// Drift mode's switch and how many replies it has rewritten since it was switched on (each
/// reply's RNG is keyed on the seed and that number).
#[derive(Debug, Default)]
struct DriftState {
    config: Option<DriftConfig>,
    replies: u64,
}

impl Shared {
    fn lock_state(&self) -> MutexGuard<'_, TerminalState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn record(&self, rec: RecordedRequest) {
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).push(rec);
    }
    fn lock_drift(&self) -> MutexGuard<'_, DriftState> {
        self.drift.lock().unwrap_or_else(|e| e.into_inner())
    }
    /// The drift configuration and the number of this reply, when drift is on.
    fn next_drift(&self) -> Option<(DriftConfig, u64)> {
        let mut d = self.lock_drift();
        let config = d.config.clone()?;
        let n = d.replies;
        d.replies += 1;
        Some((config, n))
    }
}

/// Configures a simulated terminal: demo data, admin credentials, behaviour switches.
#[derive(Debug, Clone)]
pub struct SimulatorBuilder {
    users: usize,
    logs: usize,
    seed: u64,
    quirks: bool,
    cors: bool,
    tls: bool,
    admin_user: String,
    admin_password: Secret,
    serial: String,
    clock: Option<Clock>,
    door_open_schedule: bool,
    timezone: Option<String>,
    cert_out: Option<PathBuf>,
    tls_material: Option<TlsMaterial>,
    drift: Option<DriftConfig>,
    latency: std::time::Duration,
}

impl Default for SimulatorBuilder {
    fn default() -> Self {
        SimulatorBuilder {
            users: 10,
            logs: 1000,
            seed: 7,
            quirks: false,
            cors: true,
            latency: std::time::Duration::ZERO,
            tls: false,
            admin_user: "admin".into(),
            admin_password: Secret::new("admin"),
            serial: DEFAULT_SERIAL.into(),
            clock: None,
            door_open_schedule: false,
            timezone: None,
            cert_out: None,
            tls_material: None,
            drift: None,
        }
    }
}

impl SimulatorBuilder {
    /// Demo users `U0001` … (PERSONALUSER, password = their id), besides the admin.
    pub fn users(mut self, n: usize) -> Self {
        self.users = n;
        self
    }
    /// Demo logs over the days before now (a million take about a second).
    pub fn logs(mut self, n: usize) -> Self {
        self.logs = n;
        self
    }
    /// Seed of the demo data and of rate faults: same seed, same terminal.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Answer like real terminals (trailing commas, numbers as strings, `"succes"`).
    pub fn quirks(mut self, on: bool) -> Self {
        self.quirks = on;
        self
    }
    /// Drift mode with every kind of mutation: replies written as another firmware version
    /// might write them, reproducibly for a seed (see [`DriftConfig`]).
    pub fn drift(mut self, seed: u64) -> Self {
        self.drift = Some(DriftConfig::new(seed));
        self
    }
    /// Drift mode with a chosen set of mutations (`DriftConfig::only(seed, [...])`).
    pub fn drift_config(mut self, config: DriftConfig) -> Self {
        self.drift = Some(config);
        self
    }
    /// Wait this long before every terminal API answer (default none): a real terminal answers
    /// in tens to hundreds of milliseconds, loopback in microseconds. Also `/_sim/config`
    /// `{"latency_ms": N}`.
    pub fn latency(mut self, latency: std::time::Duration) -> Self {
        self.latency = latency;
        self
    }
    /// Send CORS headers on the terminal API (on by default; browsers need it).
    pub fn cors(mut self, on: bool) -> Self {
        self.cors = on;
        self
    }
    /// Serve HTTPS with a self-signed certificate for localhost and 127.0.0.1.
    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }
    /// The SUPERADMIN account that login accepts (default admin / admin).
    pub fn admin(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.admin_user = user.into();
        self.admin_password = password.into();
        self
    }
    /// The terminal's serial number (default `00111D000000`).
    pub fn serial(mut self, serial: impl Into<String>) -> Self {
        self.serial = serial.into();
        self
    }
    /// Share a clock (several terminals, or a frozen one); default: real time.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }
    /// §11.5: with the door-open schedule on, relay delays up to 1800 s are accepted.
    pub fn door_open_schedule(mut self, on: bool) -> Self {
        self.door_open_schedule = on;
        self
    }
    /// The terminal's IANA time zone (default UTC).
    pub fn timezone(mut self, tz: impl Into<String>) -> Self {
        self.timezone = Some(tz.into());
        self
    }
    /// Write the TLS certificate (PEM) to this file on start.
    pub fn cert_out(mut self, path: impl Into<PathBuf>) -> Self {
        self.cert_out = Some(path.into());
        self
    }
    /// Use this certificate instead of generating one (implies TLS).
    pub fn tls_material(mut self, material: TlsMaterial) -> Self {
        self.tls = true;
        self.tls_material = Some(material);
        self
    }

    /// Create the terminal's state (demo data included); nothing listens yet.
    pub fn build(self) -> Simulator {
        let clock = self.clock.clone().unwrap_or_default();
        let seeding = Seeding {
            users: self.users,
            logs: self.logs,
            seed: self.seed,
            admin_user: self.admin_user.clone(),
            admin_password: self.admin_password.clone(),
            serial: self.serial.clone(),
        };
        let mut state = TerminalState::seeded(&seeding, clock.now());
        state.door_open_schedule = self.door_open_schedule;
        if let Some(tz) = &self.timezone {
            state.timezone = tz.clone();
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            faults: Faults::new(self.seed),
            requests: Mutex::new(RequestLog::default()),
            clock,
            cors: AtomicBool::new(self.cors),
            latency_ms: std::sync::atomic::AtomicU64::new(self.latency.as_millis().try_into().unwrap_or(u64::MAX)),
            quirks: AtomicBool::new(self.quirks),
            drift: Mutex::new(DriftState { config: self.drift.clone(), replies: 0 }),
            base_url: OnceLock::new(),
        });
        Simulator {
            handle: SimHandle { shared },
            tls: self.tls,
            tls_material: self.tls_material,
            cert_out: self.cert_out,
        }
    }
}

/// A terminal that is built but not listening yet; arrange its state, then [`start`](Self::start).
pub struct Simulator {
    handle: SimHandle,
    tls: bool,
    tls_material: Option<TlsMaterial>,
    cert_out: Option<PathBuf>,
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simulator").field("serial", &self.handle.serial()).field("tls", &self.tls).finish()
    }
}

impl Simulator {
    /// Start configuring a terminal.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    /// Controls and state, usable before and after start.
    pub fn handle(&self) -> SimHandle {
        self.handle.clone()
    }

    /// Listen on `addr` (`127.0.0.1:0` = any free port) and serve until shut down.
    pub async fn start(self, addr: impl ToSocketAddrs) -> io::Result<RunningSimulator> {
        let material = match (self.tls, self.tls_material) {
            (_, Some(m)) => Some(m),
            (true, None) => Some(TlsMaterial::generate()?),
            (false, None) => None,
        };
        if let (Some(m), Some(path)) = (&material, &self.cert_out) {
            std::fs::write(path, m.cert_pem())?;
        }
        let acceptor = material.as_ref().map(TlsMaterial::acceptor).transpose()?;
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let scheme = if material.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{addr}");
        let _ = self.handle.shared.base_url.set(url.clone());
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, acceptor, self.handle.shared.clone(), stopped));
        Ok(RunningSimulator {
            listening: Listening { handle: self.handle, url, addr, tls: material },
            stop,
            task: Some(task),
        })
    }

    /// Start on a background thread with its own tokio runtime, for code that is not async
    /// (the Python bindings, plain `#[test]`s). The returned handle shuts it down on drop.
    pub fn spawn_blocking(self, addr: &str) -> io::Result<BlockingSimulator> {
        let addr = addr.to_string();
        let handle = self.handle.clone();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new().name("actatek-sim".into()).spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                match self.start(addr).await {
                    Ok(running) => {
                        let info = (running.url.clone(), running.addr, running.tls.clone());
                        let _ = ready_tx.send(Ok(info));
                        let _ = stop_rx.await;
                        running.shutdown().await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        })?;
        let (url, addr, tls) =
            ready_rx.recv().map_err(|_| io::Error::other("the simulator thread ended before starting"))??;
        Ok(BlockingSimulator {
            listening: Listening { handle, url, addr, tls },
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

/// Counts for `GET /_sim/state` and quick assertions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateSummary {
    /// The terminal's serial number.
    pub serial: String,
    /// Users, the admin included.
    pub users: usize,
    /// Event logs stored.
    pub logs: usize,
    /// open_door calls so far.
    pub door_opens: u64,
    /// relay_action calls by `"open ONE"`, `"close ALL"`, …
    pub relay_actions: BTreeMap<String, u64>,
    /// All relay_action calls.
    pub relay_actions_total: u64,
    /// Live sessions.
    pub sessions: usize,
    /// Requests the terminal API has seen.
    pub requests: u64,
    /// The simulator clock, RFC 3339.
    pub now: String,
}

/// The behaviour switches (`GET/POST /_sim/config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimConfig {
    /// CORS headers on the terminal API.
    pub cors: bool,
    /// Replies as real terminals write them.
    pub quirks: bool,
    /// §11.5: relay delays above 20 s accepted.
    pub door_open_schedule: bool,
    /// Milliseconds added before every terminal API answer (0: none).
    #[serde(default)]
    pub latency_ms: u64,
}

/// A partial [`SimConfig`]: only the given switches change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigUpdate {
    /// See [`SimConfig::cors`].
    pub cors: Option<bool>,
    /// See [`SimConfig::quirks`].
    pub quirks: Option<bool>,
    /// See [`SimConfig::door_open_schedule`].
    pub door_open_schedule: Option<bool>,
    /// See [`SimConfig::latency_ms`].
    pub latency_ms: Option<u64>,
}

/// Controls and state of one terminal; cheap to clone, usable from any thread.
#[derive(Clone)]
pub struct SimHandle {
    shared: Arc<Shared>,
}

impl fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimHandle").field("serial", &self.serial()).finish_non_exhaustive()
    }
}

impl SimHandle {
    /// The clock that sessions and logs use.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }
    /// Faults waiting for requests.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }
    /// Every request recorded so far (the last [`REQUEST_LOG_CAPACITY`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests.lock().unwrap_or_else(|e| e.into_inner()).entries.iter().cloned().collect()
    }
    /// How many requests the terminal API has seen since start.
    pub fn request_count(&self) -> u64 {
        self.shared.requests.lock().unwrap_or_else(|e| e.into_inner()).total
    }
    /// Forget the recorded requests (the count goes on).
    pub fn clear_requests(&self) {
        self.shared.requests.lock().unwrap_or_else(|e| e.into_inner()).entries.clear();
    }
    /// Look at the state.
    pub fn state<R>(&self, f: impl FnOnce(&TerminalState) -> R) -> R {
        f(&self.shared.lock_state())
    }
    /// Change the state (arrange a test).
    pub fn state_mut<R>(&self, f: impl FnOnce(&mut TerminalState) -> R) -> R {
        f(&mut self.shared.lock_state())
    }
    /// The terminal's serial number.
    pub fn serial(&self) -> String {
        self.state(|s| s.serial.clone())
    }
    /// How many times open_door ran (write-safety tests count this).
    pub fn door_opens(&self) -> u64 {
        self.state(|s| s.door_opens)
    }
    /// How many event logs are stored.
    pub fn logs_len(&self) -> usize {
        self.state(|s| s.logs.len())
    }
    /// How many users exist, the admin included.
    pub fn users_len(&self) -> usize {
        self.state(|s| s.users.len())
    }
    /// relay_action calls by `"open ONE"`, `"close ALL"`, …
    pub fn relay_actions(&self) -> BTreeMap<String, u64> {
        self.state(|s| s.relay_actions.clone())
    }
    /// How many sessions are live.
    pub fn session_count(&self) -> usize {
        self.state(|s| s.sessions.len())
    }
    /// A reboot: every session is dropped, the state is kept. Returns how many were dropped.
    pub fn restart(&self) -> usize {
        self.state_mut(|s| std::mem::take(&mut s.sessions).len())
    }
    /// Append `n` logs stamped now; their logIDs.
    pub fn generate_logs(&self, n: usize) -> Option<RangeInclusive<i64>> {
        let now = self.shared.clock.now();
        self.state_mut(|s| s.append_logs_now(n, now))
    }
    /// Switch CORS headers on the terminal API (browser tests of both cases).
    pub fn set_cors(&self, on: bool) {
        self.shared.cors.store(on, Ordering::SeqCst);
    }
    /// Switch quirks mode.
    pub fn set_quirks(&self, on: bool) {
        self.shared.quirks.store(on, Ordering::SeqCst);
    }
    /// Switch drift mode on (`Some`) or off (`None`). Switching it on restarts the reply count,
    /// so the same requests from here on get the same bytes.
    pub fn set_drift(&self, config: Option<DriftConfig>) {
        *self.shared.lock_drift() = DriftState { config, replies: 0 };
    }
    /// The drift configuration, when drift is on.
    pub fn drift(&self) -> Option<DriftConfig> {
        self.shared.lock_drift().config.clone()
    }
    /// How many replies drift has rewritten since it was switched on.
    pub fn drifted_replies(&self) -> u64 {
        self.shared.lock_drift().replies
    }
    /// §11.5: allow relay delays above 20 s.
    pub fn set_door_open_schedule(&self, on: bool) {
        self.state_mut(|s| s.door_open_schedule = on);
    }
    /// The behaviour switches.
    pub fn config(&self) -> SimConfig {
        SimConfig {
            cors: self.shared.cors.load(Ordering::SeqCst),
            quirks: self.shared.quirks.load(Ordering::SeqCst),
            door_open_schedule: self.state(|s| s.door_open_schedule),
            latency_ms: self.shared.latency_ms.load(Ordering::SeqCst),
        }
    }
    /// Change the given switches.
    pub fn apply_config(&self, c: &ConfigUpdate) {
        if let Some(on) = c.cors {
            self.set_cors(on);
        }
        if let Some(on) = c.quirks {
            self.set_quirks(on);
        }
        if let Some(on) = c.door_open_schedule {
            self.set_door_open_schedule(on);
        }
        if let Some(ms) = c.latency_ms {
            self.set_latency(std::time::Duration::from_millis(ms));
        }
    }
    /// Wait this long before every terminal API answer, as a real terminal does (0: none).
    pub fn set_latency(&self, latency: std::time::Duration) {
        self.shared.latency_ms.store(latency.as_millis().try_into().unwrap_or(u64::MAX), Ordering::SeqCst);
    }
    /// Counts of everything tests usually look at.
    pub fn summary(&self) -> StateSummary {
        let requests = self.request_count();
        let now = self.shared.clock.now().to_rfc3339();
        self.state(|s| StateSummary {
            serial: s.serial.clone(),
            users: s.users.len(),
            logs: s.logs.len(),
            door_opens: s.door_opens,
            relay_actions: s.relay_actions.clone(),
            relay_actions_total: s.relay_actions.values().sum(),
            sessions: s.sessions.len(),
            requests,
            now,
        })
    }
}

/// Where a started simulator listens, and its handle: what [`RunningSimulator`] and
/// [`BlockingSimulator`] share (both dereference to it, and it to the [`SimHandle`]).
pub struct Listening {
    handle: SimHandle,
    url: String,
    addr: SocketAddr,
    tls: Option<TlsMaterial>,
}

impl Deref for Listening {
    type Target = SimHandle;
    fn deref(&self) -> &SimHandle {
        &self.handle
    }
}

impl fmt::Debug for Listening {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listening").field("url", &self.url).field("serial", &self.serial()).finish()
    }
}

impl Listening {
    /// `http://127.0.0.1:PORT` (or `https://…`), without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// A handle that outlives this value's borrow (for other tasks or threads).
    pub fn handle(&self) -> SimHandle {
        self.handle.clone()
    }
    /// SHA-256 of the TLS certificate (hex), when serving HTTPS.
    pub fn fingerprint(&self) -> Option<String> {
        self.tls.as_ref().map(|t| t.fingerprint().to_string())
    }
    /// The TLS certificate in PEM, when serving HTTPS.
    pub fn cert_pem(&self) -> Option<String> {
        self.tls.as_ref().map(|t| t.cert_pem().to_string())
    }
}

/// A listening terminal. Dereferences to [`Listening`] (its URL, address, certificate) and
/// through it to its [`SimHandle`]; shuts down on drop.
pub struct RunningSimulator {
    listening: Listening,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for RunningSimulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningSimulator").field("url", &self.url).field("serial", &self.serial()).finish()
    }
}

impl Deref for RunningSimulator {
    type Target = Listening;
    fn deref(&self) -> &Listening {
        &self.listening
    }
}

impl RunningSimulator {
    /// Stop listening and close every connection.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// A terminal served from its own thread (see [`Simulator::spawn_blocking`]). Dereferences to
/// [`Listening`] and through it to its [`SimHandle`]; shuts down on drop.
pub struct BlockingSimulator {
    listening: Listening,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl fmt::Debug for BlockingSimulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingSimulator").field("url", &self.url).finish_non_exhaustive()
    }
}

impl Deref for BlockingSimulator {
    type Target = Listening;
    fn deref(&self) -> &Listening {
        &self.listening
    }
}

impl BlockingSimulator {
    /// Stop the server and wait for its thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }
    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for BlockingSimulator {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Many terminals in one process, each with its own state and serial number.
#[derive(Debug)]
pub struct Fleet {
    terminals: Vec<RunningSimulator>,
}

impl Fleet {
    /// Every terminal, in serial order.
    pub fn terminals(&self) -> &[RunningSimulator] {
        &self.terminals
    }
    /// How many terminals.
    pub fn len(&self) -> usize {
        self.terminals.len()
    }
    /// Whether the fleet has no terminal.
    pub fn is_empty(&self) -> bool {
        self.terminals.is_empty()
    }
    /// Every terminal's base URL, in serial order.
    pub fn urls(&self) -> Vec<String> {
        self.terminals.iter().map(|t| t.url().to_string()).collect()
    }
    /// Iterate over the terminals.
    pub fn iter(&self) -> std::slice::Iter<'_, RunningSimulator> {
        self.terminals.iter()
    }
    /// Stop every terminal.
    pub async fn shutdown(self) {
        for t in self.terminals {
            t.shutdown().await;
        }
    }
}

impl<'a> IntoIterator for &'a Fleet {
    type Item = &'a RunningSimulator;
    type IntoIter = std::slice::Iter<'a, RunningSimulator>;
    fn into_iter(self) -> Self::IntoIter {
        self.terminals.iter()
    }
}

/// The `i`-th serial after `base`: its trailing digits counted up (`00111D000000` → `00111D000001`).
pub fn nth_serial(base: &str, i: usize) -> String {
    let digits = base.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (head, tail) = base.split_at(base.len() - digits);
    match tail.parse::<u64>() {
        Ok(n) => format!("{head}{:0width$}", n + i as u64, width = digits),
        Err(_) => format!("{base}-{i}"),
    }
}

/// `n` terminals on 127.0.0.1, any free ports, serials `00111D000001` … counted from the
/// builder's serial, seeds counted from its seed. One TLS certificate serves them all.
pub async fn start_fleet(n: usize, builder: SimulatorBuilder) -> io::Result<Fleet> {
    start_fleet_on(n, builder, SocketAddr::from(([127, 0, 0, 1], 0))).await
}

/// Like [`start_fleet`], listening on `first`'s host; with a non-zero port the terminals take
/// consecutive ports from it.
pub async fn start_fleet_on(n: usize, builder: SimulatorBuilder, first: SocketAddr) -> io::Result<Fleet> {
    let mut builder = builder;
    if builder.tls && builder.tls_material.is_none() {
        builder.tls_material = Some(TlsMaterial::generate()?);
    }
    let mut terminals = Vec::with_capacity(n);
    for i in 0..n {
        let serial = nth_serial(&builder.serial, i + 1);
        let sim = builder.clone().serial(serial).seed(builder.seed.wrapping_add(i as u64)).build();
        let port = if first.port() == 0 { 0 } else { first.port().saturating_add(i as u16) };
        terminals.push(sim.start(SocketAddr::new(first.ip(), port)).await?);
    }
    Ok(Fleet { terminals })
}

#[cfg(test)]
mod tests {
    use super::nth_serial;

    #[test]
    fn serials_count_up_in_their_trailing_digits() {
        assert_eq!(nth_serial("00111D000000", 1), "00111D000001");
        assert_eq!(nth_serial("00111D000000", 200), "00111D000200");
        assert_eq!(nth_serial("TERM", 3), "TERM-3");
    }
}
