//! # actatek
//!
//! Async client for ACTAtek access-control and time-attendance terminals, over the sans-IO
//! core [`actatek_core`]. One method per canonical operation of the terminal's REST API
//! (`get_logs`, `add_user`, `set_relay_setting`, …), every input validated before anything is
//! sent, sessions handled for you, reads retried with backoff, writes never repeated blindly.
//!
//! ```no_run
//! # async fn demo() -> Result<(), actatek::Error> {
//! use actatek::{Client, ops::GetLogs};
//! let t = Client::builder("https://10.0.0.5", "admin", "secret").build()?;
//! let status = t.get_terminal_status().await?;
//! let logs = t.get_logs(GetLogs { employee_id: Some("A123".into()), ..Default::default() }).await?;
//! t.close().await;
//! # Ok(()) }
//! ```

pub mod desired;
mod errors;
pub mod events;
#[cfg(not(target_arch = "wasm32"))]
pub mod exchange;
pub mod export;
#[cfg(target_arch = "wasm32")]
mod fetch;
#[cfg(feature = "files")]
pub mod files;
pub mod fleet;
#[cfg(feature = "files")]
pub mod rows;
#[cfg(not(target_arch = "wasm32"))]
mod tls;

pub use actatek_core as core;
pub use actatek_core::ops;
pub use actatek_core::*;
pub use desired::ApplyReport;
pub use errors::{ConfigError, Error, Setting, TransportKind};
pub use events::Event;
pub use export::{Checkpoint, LogCursor, LogExport};
#[cfg(not(target_arch = "wasm32"))]
pub use tls::Tls;

#[cfg(not(target_arch = "wasm32"))]
use actatek_core::http::ReplyReader;
#[cfg(not(target_arch = "wasm32"))]
use actatek_core::lenient::FromReply;
use std::sync::Arc;
use std::time::Duration;

/// The first wait before a retry, doubled per retry (every language's default).
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(200);
/// The longest wait between two retries (every language's default).
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Builds a [`Client`].
pub struct ClientBuilder {
    url: String,
    username: String,
    password: Secret,
    timeout: Duration,
    connect_timeout: Duration,
    retries: u32,
    backoff: Duration,
    max_backoff: Duration,
    on_event: Option<events::Hook>,
    #[cfg(not(target_arch = "wasm32"))]
    tls: Tls,
}

impl ClientBuilder {
    /// Total time for one HTTP exchange (default 30 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }
    /// Time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }
    /// How often a failed read is tried again (default 3). Writes are retried only when the
    /// connection could not even be opened.
    pub fn retries(mut self, n: u32) -> Self {
        self.retries = n;
        self
    }
    /// First backoff delay, doubled per retry up to `max` (defaults 200 ms and 5 s).
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.backoff = first;
        self.max_backoff = max;
        self
    }
    /// A function given each of this client's [`Event`]s (terminal calls, retries, renewed
    /// sessions) as it happens, besides `tracing` ([`events`]). It runs inside the call, so it
    /// should return quickly; clients made from this one ([`Client::with_own_connections`],
    /// [`Client::with_exchange`]) keep it.
    pub fn on_event(mut self, hook: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(hook));
        self
    }
    /// Certificate trust for `https://` terminals (default: verify against web roots).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = tls;
        self
    }

    /// Check every setting and build the client; nothing is sent yet. A setting that cannot
    /// be used (a malformed URL, a bad CA PEM, a zero timeout) is a [`ConfigError`] naming it.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base = check_url(&self.url)?;
        if self.timeout.is_zero() {
            return Err(ConfigError::new(Setting::Timeout, "must be more than 0 (no exchange could finish)"));
        }
        if self.connect_timeout.is_zero() {
            return Err(ConfigError::new(Setting::ConnectTimeout, "must be more than 0 (no connection could open)"));
        }
        let transport = Transport {
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            #[cfg(not(target_arch = "wasm32"))]
            tls: self.tls,
        };
        #[cfg(not(target_arch = "wasm32"))]
        let http = transport.http_client()?;
        Ok(Client {
            inner: Arc::new(Inner {
                base,
                username: self.username,
                password: self.password,
                #[cfg(not(target_arch = "wasm32"))]
                http,
                transport,
                #[cfg(not(target_arch = "wasm32"))]
                exchange: None,
                session: Arc::new(tokio::sync::Mutex::new(None)),
                retries: self.retries,
                backoff: self.backoff,
                max_backoff: self.max_backoff,
                on_event: self.on_event,
                idle_runtime: false,
            }),
            #[cfg(not(target_arch = "wasm32"))]
            reads: None,
        })
    }
}

/// The HTTP settings a client's connection pool is built from (kept, so that
/// [`Client::with_own_connections`] builds another alike).
#[derive(Clone)]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
struct Transport {
    timeout: Duration,
    connect_timeout: Duration,
    #[cfg(not(target_arch = "wasm32"))]
    tls: Tls,
}

impl Transport {
    #[cfg(not(target_arch = "wasm32"))]
    fn http_client(&self) -> Result<reqwest::Client, ConfigError> {
        let builder = self.tls.apply(
            reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .pool_idle_timeout(Duration::from_secs(50)),
        )?;
        builder.build().map_err(|e| ConfigError::new(Setting::Tls, format!("the HTTP client cannot be set up ({e})")))
    }
}

/// The terminal's base URL without a trailing `/` or API prefix, checked: `http://` or
/// `https://` with a host. A `user:password@` part is left out of the error.
fn check_url(url: &str) -> Result<String, ConfigError> {
    let shown = match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
            match authority.rfind('@') {
                Some(at) => format!("{}***@{}", &url[..i + 3], &rest[at + 1..]),
                None => url.to_string(),
            }
        }
        None => url.to_string(),
    };
    let bad = |what: &str| ConfigError::new(Setting::Url, format!("{shown:?} {what}"));
    let raw = url.trim();
    if !(raw.starts_with("http://") || raw.starts_with("https://")) {
        return Err(bad("must start with http:// or https://"));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let (host, query_or_fragment) = {
        let parsed = reqwest::Url::parse(raw).map_err(|e| bad(&format!("is not a URL ({e})")))?;
        (parsed.host_str().unwrap_or_default().to_string(), parsed.query().is_some() || parsed.fragment().is_some())
    };
    #[cfg(target_arch = "wasm32")]
    let (host, query_or_fragment) = fetch::parse_url(raw).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if host.is_empty() {
        return Err(bad("has no host (https://10.0.0.5)"));
    }
    if query_or_fragment {
        return Err(bad("must not have a query or fragment (the terminal's base URL: https://10.0.0.5)"));
    }
    let base = raw.trim_end_matches('/');
    Ok(base.strip_suffix(actatek_core::http::API_PREFIX).unwrap_or(base).to_string())
}

/// A terminal. Cheap to clone (clones share the session); safe to use from many tasks.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Shared with other clients (a fleet): how many replies may be read at once.
    #[cfg(not(target_arch = "wasm32"))]
    reads: Option<ReadLimit>,
}

/// How many replies the clients that share it read at once (native only).
///
/// A reply beyond the limit waits unread: its headers have arrived, its body stays with the
/// terminal (TCP holds it back), until a read finishes. A fleet can so wait on hundreds of
/// slow terminals at once while its memory follows the number of pages read at once, not the
/// number of terminals in flight; [`fleet::run`] gives its clients one of
/// [`fleet::DEFAULT_READS`]. Time spent waiting for a read counts toward the call's timeout.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Debug)]
pub struct ReadLimit(Arc<tokio::sync::Semaphore>);

#[cfg(not(target_arch = "wasm32"))]
impl ReadLimit {
    /// At most `reads` replies read at once (at least 1).
    pub fn new(reads: usize) -> Self {
        ReadLimit(Arc::new(tokio::sync::Semaphore::new(reads.clamp(1, tokio::sync::Semaphore::MAX_PERMITS))))
    }
}

struct Inner {
    base: String,
    username: String,
    password: Secret,
    /// The connection pool (natively; in the browser `fetch` keeps the connections).
    #[cfg(not(target_arch = "wasm32"))]
    http: reqwest::Client,
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    transport: Transport,
    /// Someone else's I/O sends this client's requests ([`Client::with_exchange`]).
    #[cfg(not(target_arch = "wasm32"))]
    exchange: Option<Arc<dyn exchange::Exchange>>,
    /// Shared by the clients [`Client::with_own_connections`] makes: one login for all.
    session: Arc<tokio::sync::Mutex<Option<SessionId>>>,
    retries: u32,
    backoff: Duration,
    max_backoff: Duration,
    on_event: Option<events::Hook>,
    /// The connections live on a runtime that runs only during calls
    /// ([`Client::with_own_connections`]): before a request, let it see what happened to them
    /// meanwhile.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    idle_runtime: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("url", &self.inner.base).field("username", &self.inner.username).finish()
    }
}

/// `Send` natively; nothing on wasm32, where futures hold JS values and never cross threads.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send> MaybeSend for T {}
/// `Send` natively; nothing on wasm32, where futures hold JS values and never cross threads.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSend for T {}

/// Sleep between retries and watch polls: tokio natively; on wasm a JS `setTimeout`
/// (gloo-timers, the global one, so browsers, workers and Node alike), cleared when the
/// future is dropped (a cancelled call).
async fn pause(d: Duration) {
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(d).await;
    #[cfg(target_arch = "wasm32")]
    gloo_timers::future::TimeoutFuture::new(u32::try_from(d.as_millis()).unwrap_or(u32::MAX)).await;
}

/// A number in [0, 1) that differs from call to call and from process to process. Not the
/// clock: `SystemTime::now()` panics on wasm32-unknown-unknown, and a retry must not abort the
/// browser module. A per-process random hasher over a call counter serves every target.
fn jitter_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
    (h.finish() % 1000) as f64 / 1000.0
}

impl Client {
    /// A client for the terminal at `url` (`https://10.0.0.5`), logging in as `username`.
    pub fn builder(url: impl Into<String>, username: impl Into<String>, password: impl Into<Secret>) -> ClientBuilder {
        ClientBuilder {
            url: url.into(),
            username: username.into(),
            password: password.into(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retries: 3,
            backoff: DEFAULT_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            on_event: None,
            #[cfg(not(target_arch = "wasm32"))]
            tls: Tls::default(),
        }
    }

    /// A client for the same terminal, with the same settings and the same session (one login
    /// serves both), but a connection pool of its own.
    ///
    /// A connection belongs to the tokio runtime it was opened on: a runtime that is not always
    /// running (a current-thread runtime driven by whoever calls `block_on`) must not share a
    /// pool with one that is. The Python binding's blocking client runs its small calls on such
    /// a runtime, on the calling thread, so a call makes no thread hop; this is its client.
    /// Before each request it yields to its runtime, which then sees what happened to its
    /// connections while it did not run (a terminal closing an idle one), so no request is
    /// given to a connection that is already closed.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn with_own_connections(&self) -> Result<Client, ConfigError> {
        let inner = &self.inner;
        Ok(Client {
            inner: Arc::new(Inner {
                base: inner.base.clone(),
                username: inner.username.clone(),
                password: inner.password.clone(),
                http: inner.transport.http_client()?,
                transport: inner.transport.clone(),
                exchange: None,
                session: inner.session.clone(),
                retries: inner.retries,
                backoff: inner.backoff,
                max_backoff: inner.max_backoff,
                on_event: inner.on_event.clone(),
                idle_runtime: true,
            }),
            reads: self.reads.clone(),
        })
    }

    /// A client for the same terminal, with the same settings and the same session, whose
    /// requests `exchange` sends and whose waits between retries `exchange` times
    /// ([`exchange`]): its calls then run wherever they are polled, with no runtime of their
    /// own. The Python package's `AsyncClient` makes its calls on asyncio's event loop so.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn with_exchange(&self, exchange: Arc<dyn exchange::Exchange>) -> Client {
        let inner = &self.inner;
        Client {
            inner: Arc::new(Inner {
                base: inner.base.clone(),
                username: inner.username.clone(),
                password: inner.password.clone(),
                http: inner.http.clone(),
                transport: inner.transport.clone(),
                exchange: Some(exchange),
                session: inner.session.clone(),
                retries: inner.retries,
                backoff: inner.backoff,
                max_backoff: inner.max_backoff,
                on_event: inner.on_event.clone(),
                idle_runtime: false,
            }),
            reads: self.reads.clone(),
        }
    }

    /// A client with default settings ([`ConfigError`] for a malformed URL).
    pub fn new(
        url: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Result<Client, ConfigError> {
        Client::builder(url, username, password).build()
    }

    /// The terminal's base URL.
    pub fn url(&self) -> &str {
        &self.inner.base
    }

    /// Run any operation: validate, log in if needed, send, read the reply. Reads are retried
    /// on transport errors, 5xx answers and unreadable replies; a write is sent again only if
    /// the connection could not be opened. An expired session is renewed once.
    pub async fn call<O: Operation>(&self, op: &O) -> Result<O::Reply, Error> {
        Ok(self.call_peeking(op, None, false).await?.0)
    }

    /// [`Client::call`], showing `peek` each reply body before it is read (the log export
    /// guesses its next page from it: `export.rs`). When `peek` started a task, this one
    /// yields once before reading, so the task sends its request first (a task spawned from a
    /// worker waits in that worker's slot until the worker is free). The reply comes with its
    /// read's turn ([`ReadLimit`]): a caller that keeps the reply a while keeps the turn too.
    /// `close` asks the terminal to close the connection after its reply (`Connection:
    /// close`), so that nothing of a large reply stays with the connection.
    // In the browser a read turn is `()`; the binding keeps one signature for both.
    #[cfg_attr(target_arch = "wasm32", allow(clippy::let_unit_value))]
    pub(crate) async fn call_peeking<O: Operation>(
        &self,
        op: &O,
        peek: Option<&mut Peek<'_>>,
        close: bool,
    ) -> Result<(O::Reply, ReadPermit), Error> {
        op.validate()?;
        let spec = CallSpec::of::<O>(close);
        #[cfg(not(target_arch = "wasm32"))]
        // A caller that looks at the body first (the export, to ask for the next page) reads it
        // after that look: the next page then arrives while this one is read.
        let mut reply = Typed { read: O::read_reply, whole: peek.is_some(), reading: None, reply: None };
        #[cfg(target_arch = "wasm32")]
        let mut reply = Typed { read: O::read_reply, status: 0, body: Vec::new(), reply: None };
        let turn = self.call_erased(&spec, &|session| op.request(session), &mut reply, peek).await?;
        Ok((reply.reply.expect("a call that succeeded has read its reply"), turn))
    }

    /// [`Client::call`], the reply handed to `part` in parts while it arrives: a list reply
    /// that is a plain array element by element, in batches of about `batch` elements (the
    /// rest at the end), anything else whole at the end. Taken in order, starting again after
    /// each [`Part::Restart`], the parts are exactly what `call` returns: a restart comes when
    /// a read is repeated (a retry, a renewed session) or when the reply turns out to need the
    /// whole reading after all (a trailing comma, an odd element), and what was handed over
    /// before it is void. For a caller that converts a long log list while it arrives (the
    /// Python package does). In the browser the body comes whole: one part.
    pub async fn call_in_parts<O: Operation>(
        &self,
        op: &O,
        batch: usize,
        part: &mut (dyn FnMut(Part<O::Reply>) + Send),
    ) -> Result<(), Error> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            op.validate()?;
            let mut slot = Parted { read: O::read_reply, reading: None, batch: batch.max(1), handed: false, part };
            self.call_erased(&CallSpec::of::<O>(false), &|session| op.request(session), &mut slot, None).await?;
            Ok(())
        }
        #[cfg(target_arch = "wasm32")]
        {
            let _ = batch;
            part(Part::Elements(self.call(op).await?));
            Ok(())
        }
    }

    /// The one loop every operation runs (log in, send, read, renew the session, retry),
    /// compiled once: only the request building and the reply reading are per operation.
    async fn call_erased(
        &self,
        spec: &CallSpec,
        request: &(dyn Fn(Option<&SessionId>) -> Result<HttpRequest, ValidationErrors> + Sync),
        reply: &mut dyn ReplySlot,
        mut peek: Option<&mut Peek<'_>>,
    ) -> Result<ReadPermit, Error> {
        let operation = spec.name;
        let mut relogged = false;
        let mut attempt = 0;
        loop {
            let session = if spec.needs_session { Some(self.session().await?) } else { None };
            let request = request(session.as_ref())?;
            reply.reset();
            let outcome = match self.send_once(spec, &request, &mut *reply).await {
                // The read's turn goes to the caller with the reply, or ends with this attempt.
                Ok((status, turn)) => {
                    if status == 200 && peek.as_mut().is_some_and(|peek| peek(reply.body())) {
                        yield_now().await;
                    }
                    match reply.finish() {
                        Ok(()) => {
                            if spec.logout {
                                self.forget_session(session.as_ref()).await;
                            }
                            return Ok(turn);
                        }
                        Err(e) if e.is_session_error() && session.is_some() && !relogged => {
                            // The terminal refused the session, so nothing was applied: renew, resend.
                            self.report(&Event::SessionRenewed { operation });
                            self.forget_session(session.as_ref()).await;
                            relogged = true;
                            continue;
                        }
                        Err(e) => {
                            let mut error = Error::from_reply(e, &|s| self.redact(s, session.as_ref()));
                            if let Error::Protocol { maybe_applied, .. } = &mut error {
                                // The terminal answered: a write arrived and may have been applied.
                                *maybe_applied = !spec.retry_safe;
                            }
                            error
                        }
                    }
                }
                Err(e) => e,
            };
            let retry = match &outcome {
                Error::Transport { kind: TransportKind::Connect, .. } => true,
                e => spec.retry_safe && e.is_transient(),
            };
            if !retry || attempt >= self.inner.retries {
                return Err(outcome);
            }
            let delay = self.backoff_delay(attempt);
            self.report(&Event::Retry { operation, attempt, delay, error: &outcome });
            self.pause(delay).await;
            attempt += 1;
        }
    }

    /// Hands `event` to the client's [`ClientBuilder::on_event`] function and to `tracing`
    /// (a terminal call is traced by [`Client::report_call`], which writes its path only for
    /// someone who listens).
    fn report(&self, event: &Event<'_>) {
        #[cfg(feature = "tracing")]
        match *event {
            Event::Retry { operation, attempt, delay, error } => {
                // The delay also as a number of milliseconds to the microsecond (the browser
                // package's `delayMs`; whole microseconds keep log lines at `212.3`, not
                // `212.30000000000001`).
                let delay_ms = events::delay_ms(delay);
                tracing::debug!(operation, attempt, ?delay, delay_ms, error = %error, "retrying");
            }
            Event::SessionRenewed { operation } => tracing::debug!(operation, "session expired; logging in again"),
            Event::Call { .. } => {}
        }
        if let Some(hook) = &self.inner.on_event {
            hook(event);
        }
    }

    /// A terminal call's event. Its path (with the session id as `***`) is written only when
    /// someone listens: `tracing` evaluates its fields only for an enabled event (which
    /// includes its `log` records, the Python package's route to `logging`), the function
    /// only when there is one.
    fn report_call(&self, operation: &'static str, request: &HttpRequest, status: u16, bytes: u64) {
        #[cfg(feature = "tracing")]
        tracing::debug!(operation, method = %request.method, path = %request.redacted_path(), status, bytes, "terminal call");
        if let Some(hook) = &self.inner.on_event {
            let path = request.redacted_path();
            hook(&Event::Call { operation, method: request.method.as_str(), path: &path, status, bytes });
        }
    }

    /// Log out (if logged in) and forget the session. Errors are ignored: the session expires
    /// by itself after 30 idle minutes anyway. The logout asks the terminal to close the
    /// connection, so a closed client holds no socket (a fleet of hundreds keeps none open).
    pub async fn close(&self) {
        let had = self.inner.session.lock().await.is_some();
        if had {
            let _ = self.call_peeking(&ops::Logout {}, None, true).await;
        }
    }

    /// Wait between retries, with the exchange's timer when one sends this client's requests.
    async fn pause(&self, d: Duration) {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(exchange) = &self.inner.exchange {
            return exchange.sleep(d).await;
        }
        pause(d).await;
    }

    fn backoff_delay(&self, attempt: u32) -> Duration {
        let base = self.inner.backoff.saturating_mul(1u32 << attempt.min(16));
        let capped = base.min(self.inner.max_backoff);
        // Up to 25 % jitter, so a fleet does not retry in lockstep.
        capped + capped.mul_f64(jitter_fraction() / 4.0)
    }

    async fn session(&self) -> Result<SessionId, Error> {
        let mut slot = self.inner.session.lock().await;
        if let Some(s) = slot.as_ref() {
            return Ok(s.clone());
        }
        let login = ops::Login {
            credentials: Credentials { username: self.inner.username.clone(), password: self.inner.password.clone() },
        };
        // Login is an operation like any other (a read without a session): the same validation,
        // retries and error mapping as every call. Boxed: `call` may come here, and here `call`.
        let reply = Box::pin(self.call(&login)).await?;
        let Some(session) = reply.sessionid else {
            return Err(Error::Protocol {
                operation: "login",
                status: 200,
                detail: "the login reply has no usable sessionid".into(),
                maybe_applied: false,
            });
        };
        *slot = Some(session.clone());
        Ok(session)
    }

    async fn forget_session(&self, old: Option<&SessionId>) {
        let mut slot = self.inner.session.lock().await;
        if slot.as_ref() == old {
            *slot = None;
        }
    }

    /// Removes the password and session id from text that came from elsewhere.
    fn redact(&self, mut text: String, session: Option<&SessionId>) -> String {
        let secrets = [Some(self.inner.password.expose()), session.map(SessionId::expose)];
        for secret in secrets.into_iter().flatten().filter(|s| s.len() >= 3) {
            if text.contains(secret) {
                text = text.replace(secret, "***");
            }
        }
        text
    }

    #[cfg(not(target_arch = "wasm32"))]
    async fn send_once(
        &self,
        spec: &CallSpec,
        request: &HttpRequest,
        sink: &mut dyn BodySink,
    ) -> Result<(u16, ReadPermit), Error> {
        let (operation, retry_safe) = (spec.name, spec.retry_safe);
        if let Some(exchange) = &self.inner.exchange {
            return self.send_exchanged(exchange.as_ref(), spec, request, sink).await;
        }
        if self.inner.idle_runtime {
            // A terminal may have closed an idle connection while nothing ran on this
            // runtime. Yielding lets the runtime poll its I/O and run the connections' tasks
            // first, so such a connection leaves the pool before the request is given to one:
            // a write is never sent on it and lost (tests/resilience.rs: without this, a write
            // failed as "may have been applied" after every idle pause).
            tokio::task::yield_now().await;
            tokio::task::yield_now().await;
        }
        let url = format!("{}{}", self.inner.base, request.path_and_query());
        let mut builder = self.inner.http.request(request.method.clone(), url);
        if spec.close {
            builder = builder.header("connection", "close");
        }
        if let Some(body) = &request.body {
            builder = builder.header("content-type", "application/json").body(body.clone());
        }
        let fail = |e: reqwest::Error, sent: bool| self.transport_error(operation, retry_safe, e, sent);
        let response = builder.send().await.map_err(|e| fail(e, false))?;
        let status = response.status().as_u16();
        let permit = self.read_permit().await;
        sink.start(status, response.content_length());
        let bytes = read_body(response, sink).await.map_err(|e| fail(e, true))?;
        self.report_call(operation, request, status, bytes as u64);
        Ok((status, permit))
    }

    /// One request through the client's [`exchange::Exchange`], its whole answer handed to `sink`.
    #[cfg(not(target_arch = "wasm32"))]
    async fn send_exchanged(
        &self,
        exchange: &dyn exchange::Exchange,
        spec: &CallSpec,
        request: &HttpRequest,
        sink: &mut dyn BodySink,
    ) -> Result<(u16, ReadPermit), Error> {
        let operation = spec.name;
        let outgoing = exchange::Outgoing {
            method: request.method.clone(),
            target: request.path_and_query(),
            body: request.body.clone(),
            close: spec.close,
        };
        let answer = exchange.send(outgoing).await.map_err(|f| Error::Transport {
            operation,
            kind: f.kind,
            detail: self.redact(f.detail, None),
            maybe_applied: !spec.retry_safe && f.kind.may_have_sent(),
        })?;
        let (status, bytes) = (answer.status, answer.body.len());
        let permit = self.read_permit().await;
        sink.start(status, Some(bytes as u64));
        sink.chunk(bytes::Bytes::from(answer.body));
        self.report_call(operation, request, status, bytes as u64);
        Ok((status, permit))
    }

    /// One request through the browser's `fetch` ([`fetch`]). `Connection: close` is left to
    /// the browser (a header `fetch` does not let a page set).
    #[cfg(target_arch = "wasm32")]
    async fn send_once(
        &self,
        spec: &CallSpec,
        request: &HttpRequest,
        sink: &mut dyn BodySink,
    ) -> Result<(u16, ReadPermit), Error> {
        let operation = spec.name;
        let url = format!("{}{}", self.inner.base, request.path_and_query());
        let reply = fetch::send(request.method.as_str(), &url, request.body.as_deref())
            .await
            .map_err(|e| self.transport_error(spec, e))?;
        let status = reply.status();
        let permit = self.read_permit().await;
        sink.start(status, reply.content_length());
        let body = reply.bytes().await.map_err(|e| self.transport_error(spec, e))?;
        let bytes = body.len();
        sink.chunk(bytes::Bytes::from(body));
        self.report_call(operation, request, status, bytes as u64);
        Ok((status, permit))
    }

    /// A failed `fetch`: the browser says neither whether anything was sent nor why (CORS, an
    /// unreachable host and an untrusted certificate read alike), so it is a `connection`
    /// failure that may have applied a write; the TypeScript layer asks the network which it
    /// was (`explainFetchFailure`).
    #[cfg(target_arch = "wasm32")]
    fn transport_error(&self, spec: &CallSpec, e: fetch::FetchError) -> Error {
        let kind = TransportKind::Connection;
        Error::Transport {
            operation: spec.name,
            kind,
            detail: self.redact(e.0, None),
            maybe_applied: !spec.retry_safe && kind.may_have_sent(),
        }
    }

    /// A turn to read a reply (held until it is read), when this client shares a [`ReadLimit`].
    #[cfg(not(target_arch = "wasm32"))]
    async fn read_permit(&self) -> ReadPermit {
        let limit = self.reads.as_ref()?;
        // The semaphore is never closed.
        limit.0.clone().acquire_owned().await.ok()
    }

    #[cfg(target_arch = "wasm32")]
    async fn read_permit(&self) -> ReadPermit {}

    /// This client (the same session) reading its replies within `limit`, shared with the
    /// other clients given it (native only).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn with_read_limit(&self, limit: &ReadLimit) -> Client {
        Client { inner: self.inner.clone(), reads: Some(limit.clone()) }
    }

    /// Whether this client reads within a [`ReadLimit`].
    #[cfg(not(target_arch = "wasm32"))]
    pub fn has_read_limit(&self) -> bool {
        self.reads.is_some()
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn transport_error(&self, operation: &'static str, retry_safe: bool, e: reqwest::Error, sent: bool) -> Error {
        let e = e.without_url();
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            detail.push_str(": ");
            detail.push_str(&s.to_string());
            source = s.source();
        }
        let lower = detail.to_ascii_lowercase();
        let kind = if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
            TransportKind::Tls
        } else if e.is_timeout() {
            TransportKind::Timeout
        } else if is_connect(&e) && !sent {
            TransportKind::Connect
        } else {
            TransportKind::Connection
        };
        let maybe_applied = !retry_safe && kind.may_have_sent();
        Error::Transport { operation, kind, detail: self.redact(detail, None), maybe_applied }
    }
}

/// A turn to read a reply within a [`ReadLimit`] (native only).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type ReadPermit = Option<tokio::sync::OwnedSemaphorePermit>;
#[cfg(target_arch = "wasm32")]
pub(crate) type ReadPermit = ();

/// Shown a reply's whole body before it is read (the log export's next-page guess); `true`
/// when it started a task that should send its request first.
pub(crate) type Peek<'a> = dyn FnMut(&[u8]) -> bool + Send + 'a;

/// What [`Client::call_erased`] needs to know of an operation besides its request.
struct CallSpec {
    name: &'static str,
    retry_safe: bool,
    needs_session: bool,
    logout: bool,
    /// Send `Connection: close` (natively; `fetch` manages the browser's connections).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    close: bool,
}

impl CallSpec {
    fn of<O: Operation>(close: bool) -> CallSpec {
        CallSpec {
            name: O::NAME,
            retry_safe: O::RETRY_SAFE,
            needs_session: O::needs_session(),
            logout: std::any::TypeId::of::<O>() == std::any::TypeId::of::<ops::Logout>(),
            close,
        }
    }
}

/// A part of a reply handed over while it arrives ([`Client::call_in_parts`]).
#[derive(Debug)]
pub enum Part<R> {
    /// The next elements (or, for a reply that is not read in parts, all of it).
    Elements(R),
    /// What was handed over before is void; the reply follows again from its start.
    Restart,
}

/// A reply handed over in parts while it arrives ([`Client::call_in_parts`]).
#[cfg(not(target_arch = "wasm32"))]
struct Parted<'a, R> {
    read: actatek_core::http::ReadFn<R>,
    reading: Option<ReplyReader<R>>,
    batch: usize,
    /// Whether a part of the current attempt has been handed over.
    handed: bool,
    part: &'a mut (dyn FnMut(Part<R>) + Send),
}

#[cfg(not(target_arch = "wasm32"))]
impl<R> Parted<'_, R> {
    /// Void what this attempt handed over.
    fn void(&mut self) {
        if std::mem::take(&mut self.handed) {
            (self.part)(Part::Restart);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<R: FromReply + Send> BodySink for Parted<'_, R> {
    fn start(&mut self, status: u16, size: Option<u64>) {
        self.void();
        self.reading = Some(ReplyReader::new(self.read, status, size));
    }
    fn chunk(&mut self, bytes: bytes::Bytes) {
        let Some(reading) = &mut self.reading else { return };
        reading.feed(bytes);
        if reading.pending() >= self.batch
            && let Some(elements) = reading.drain()
        {
            self.handed = true;
            (self.part)(Part::Elements(elements));
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<R: FromReply + Send> ReplySlot for Parted<'_, R> {
    fn reset(&mut self) {
        self.void();
        self.reading = None;
    }
    fn body(&mut self) -> &[u8] {
        self.reading.as_mut().map_or(&[], ReplyReader::body)
    }
    fn finish(&mut self) -> Result<(), actatek_core::ReplyError> {
        let reading = self.reading.take().expect("a reply was started before it is read");
        match reading.finish_rest()? {
            actatek_core::http::Rest::More(rest) => (self.part)(Part::Elements(rest)),
            actatek_core::http::Rest::Whole(all) => {
                self.void();
                (self.part)(Part::Elements(all));
            }
        }
        Ok(())
    }
}

/// An operation's typed reply, read by [`Client::call_erased`] without knowing its type.
trait ReplySlot: BodySink {
    /// Forget an earlier attempt's reply.
    fn reset(&mut self);
    /// The whole body (made one piece when asked for).
    fn body(&mut self) -> &[u8];
    /// Read the reply (kept for the caller); the body is freed.
    fn finish(&mut self) -> Result<(), actatek_core::ReplyError>;
}

/// The reply as it arrives. Natively a list reply is read element by element while the rest
/// arrives ([`ReplyReader`]: a terminal writes a long log list as it produces it, so the
/// reading overlaps the terminal's writing); anything else is read whole at the end, by the
/// operation's own `read_reply`.
#[cfg(not(target_arch = "wasm32"))]
struct Typed<R> {
    /// The operation's reader (`Operation::read_reply`).
    read: actatek_core::http::ReadFn<R>,
    /// Read the body whole at the end ([`ReplyReader::whole`]), not while it arrives.
    whole: bool,
    reading: Option<ReplyReader<R>>,
    reply: Option<R>,
}

#[cfg(not(target_arch = "wasm32"))]
impl<R: FromReply + Send> BodySink for Typed<R> {
    fn start(&mut self, status: u16, size: Option<u64>) {
        let start = if self.whole { ReplyReader::whole } else { ReplyReader::new };
        self.reading = Some(start(self.read, status, size));
    }
    fn chunk(&mut self, bytes: bytes::Bytes) {
        if let Some(reading) = &mut self.reading {
            reading.feed(bytes);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<R: FromReply + Send> ReplySlot for Typed<R> {
    fn reset(&mut self) {
        self.reading = None;
        self.reply = None;
    }
    fn body(&mut self) -> &[u8] {
        self.reading.as_mut().map_or(&[], ReplyReader::body)
    }
    fn finish(&mut self) -> Result<(), actatek_core::ReplyError> {
        let reading = self.reading.take().expect("a reply was started before it is read");
        self.reply = Some(reading.finish()?);
        Ok(())
    }
}

/// The browser's `fetch` hands over the body whole: read it whole, by the operation's reader
/// (`Operation::read_reply`) or, for [`Client::call_any`], any operation's.
#[cfg(target_arch = "wasm32")]
struct Typed<R, F = actatek_core::http::ReadFn<R>> {
    read: F,
    status: u16,
    body: Vec<u8>,
    reply: Option<R>,
}

#[cfg(target_arch = "wasm32")]
impl<R: Send, F: Send> BodySink for Typed<R, F> {
    fn start(&mut self, status: u16, size: Option<u64>) {
        self.status = status;
        self.body = Vec::with_capacity(size.map_or(0, |n| n.min(64 << 20) as usize));
    }
    fn chunk(&mut self, bytes: bytes::Bytes) {
        self.body.extend_from_slice(&bytes);
    }
}

#[cfg(target_arch = "wasm32")]
impl<R: Send, F: Fn(u16, &[u8]) -> Result<R, actatek_core::ReplyError> + Send> ReplySlot for Typed<R, F> {
    fn reset(&mut self) {
        self.body = Vec::new();
        self.reply = None;
    }
    fn body(&mut self) -> &[u8] {
        &self.body
    }
    fn finish(&mut self) -> Result<(), actatek_core::ReplyError> {
        let body = std::mem::take(&mut self.body);
        self.reply = Some((self.read)(self.status, &body)?);
        Ok(())
    }
}

/// In the browser, [`Client::call_any`] runs one call loop for every operation: only the
/// request building and the reply reading are per operation (`AnyOperation::request`,
/// `AnyOperation::read_reply_text`), with the same result as `call` and the reply serialized.
/// Natively it awaits the typed `call` of each operation instead, which reads a list while it
/// arrives; 72 awaits of `call` in one `match` were 80 KB of the `.wasm`'s code.
#[cfg(target_arch = "wasm32")]
impl Client {
    /// Run an operation chosen at run time (CLIs, bindings); the reply comes back in its
    /// normalized wire form (the typed reply serialized).
    pub async fn call_any(&self, op: &AnyOperation) -> Result<serde_json::Value, Error> {
        let text = self.call_any_text(op).await?;
        // As bytes: the one JSON reader of the `.wasm` (`from_str` would link a second).
        Ok(serde_json::from_slice(text.as_bytes()).expect("a reply written as JSON reads back"))
    }

    /// [`Client::call_any`] with the reply as JSON text, written straight from the typed reply
    /// (what the browser hands to JS; no `serde_json::Value` writer per reply type in the
    /// `.wasm`).
    pub async fn call_any_text(&self, op: &AnyOperation) -> Result<String, Error> {
        op.validate()?;
        let spec = CallSpec {
            name: op.name(),
            retry_safe: op.retry_safe(),
            needs_session: op.needs_session(),
            logout: matches!(op, AnyOperation::Logout(_)),
            close: false,
        };
        let name = spec.name;
        let read = move |status: u16, body: &[u8]| {
            AnyOperation::read_reply_text(name, status, body).expect("every operation has a reply reader")
        };
        let mut reply = Typed { read, status: 0, body: Vec::new(), reply: None };
        self.call_erased(&spec, &|session| op.request(session), &mut reply, None).await?;
        Ok(reply.reply.expect("a call that succeeded has read its reply"))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Client {
    /// [`Client::call_any`] with the reply as JSON text (what the browser's binding hands to
    /// JS; there it is written straight from the typed reply).
    pub async fn call_any_text(&self, op: &AnyOperation) -> Result<String, Error> {
        self.call_any(op).await.map(|v| v.to_string())
    }
}

/// Where [`Client::send_once`] puts a reply while it arrives.
trait BodySink: Send {
    fn start(&mut self, status: u16, size: Option<u64>);
    fn chunk(&mut self, bytes: bytes::Bytes);
}

/// The body into `sink` chunk by chunk, as it arrives; its length.
#[cfg(not(target_arch = "wasm32"))]
async fn read_body(mut response: reqwest::Response, sink: &mut dyn BodySink) -> Result<usize, reqwest::Error> {
    let mut total = 0;
    while let Some(chunk) = response.chunk().await? {
        total += chunk.len();
        sink.chunk(chunk);
    }
    Ok(total)
}

#[cfg(not(target_arch = "wasm32"))]
async fn yield_now() {
    // Twice: once for the spawned task, once for the connection task it hands the request to.
    tokio::task::yield_now().await;
    tokio::task::yield_now().await;
}

#[cfg(target_arch = "wasm32")]
async fn yield_now() {}

#[cfg(not(target_arch = "wasm32"))]
fn is_connect(e: &reqwest::Error) -> bool {
    e.is_connect()
}

macro_rules! client_methods {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $Op:ident $section:literal $method:ident $kind:ident $(($flag:ident))? $template:literal
        { $( $field:ident : $fty:ty = $loc:ident $wire:literal ),* $(,)? }
        $(needs [$($need:literal),* $(,)?])?
        $(check $check:ident)?
        -> $Reply:ty ;
    )*) => {
        /// One method per canonical operation (ENDPOINTS.md), generated from the core's table.
        impl Client {
            $( client_method! { [$($flag)?] [$($doc)*] $name $Op ( $($field : $fty),* ) -> $Reply } )*

            /// Run an operation chosen at run time (CLIs, bindings); the reply comes back in its
            /// normalized wire form (the typed reply serialized).
            #[cfg(not(target_arch = "wasm32"))]
            pub async fn call_any(&self, op: &AnyOperation) -> Result<serde_json::Value, Error> {
                match op {
                    $( AnyOperation::$Op(op) => {
                        let reply = self.call(op).await?;
                        Ok(serde_json::to_value(&reply).expect("replies serialize"))
                    } )*
                }
            }
        }
    };
}

macro_rules! client_method {
    ([filters] [$($doc:literal)*] $name:ident $Op:ident ( $($field:ident : $fty:ty),* ) -> $Reply:ty) => {
        $(#[doc = $doc])*
        ///
        /// Takes its filters as the operation struct (`..Default::default()` for the rest).
        pub async fn $name(&self, filter: ops::$Op) -> Result<$Reply, Error> {
            self.call(&filter).await
        }
    };
    ([] [$($doc:literal)*] $name:ident $Op:ident ( $($field:ident : $fty:ty),* ) -> $Reply:ty) => {
        $(#[doc = $doc])*
        pub async fn $name(&self, $($field: $fty),*) -> Result<$Reply, Error> {
            self.call(&ops::$Op { $($field),* }).await
        }
    };
}

actatek_core::operation_table!(client_methods);
