//! `AsyncClient`'s HTTP/1.1 and TLS over sockets the asyncio event loop watches: the bytes are
//! written, read and parsed here, in Rust, on the loop's thread; the loop only says when a
//! socket can be read or written (`loop.add_reader`, `add_writer`) and opens connections
//! (`actatek._aio.connect`: its resolver and non-blocking connect). TLS is the Rust client's
//! own configuration (`Tls::rustls_config`: the same roots, CA file, pin or refusal), HTTP
//! framing is `httparse`'s (content-length, chunked, to the connection's end; CRLF or bare LF).
//!
//! A kept-alive connection stays registered with the loop while idle: the terminal closing
//! it (or sending anything unasked) marks it dead, so no request is ever given to it.

use crate::aio::{AwaitPy, GET_RUNNING_LOOP};
use actatek::TransportKind;
use actatek::exchange::{Answer, BoxFuture, Exchange, ExchangeFailure, Outgoing};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::fd::{AsRawFd, FromRawFd};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A terminal's header block is a few hundred bytes; one longer than this is not HTTP.
const HEAD_LIMIT: usize = 64 * 1024;
/// As the Rust client's pool: an idle connection is dropped after this long.
const IDLE: Duration = Duration::from_secs(50);

static CONNECT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn fail(kind: TransportKind, detail: impl Into<String>) -> ExchangeFailure {
    ExchangeFailure { kind, detail: detail.into() }
}

/// What the loop's callbacks and a call share about one connection.
#[derive(Default)]
struct Shared {
    /// The asyncio future the call waits on for the socket to be readable.
    waiter: Option<Py<PyAny>>,
    /// The asyncio future the call waits on for the socket to be writable.
    write_waiter: Option<Py<PyAny>>,
    /// A call owns the connection.
    busy: bool,
    /// Readable while idle (closed by the terminal, or bytes nobody asked for): never reused.
    dead: bool,
    /// The call's time ran out.
    expired: bool,
}

type SharedState = Arc<Mutex<Shared>>;

fn lock(s: &SharedState) -> std::sync::MutexGuard<'_, Shared> {
    s.lock().unwrap_or_else(|e| e.into_inner())
}

/// Resolve the call's waiter, if it waits.
fn wake(py: Python<'_>, waiter: Option<Py<PyAny>>) {
    if let Some(w) = waiter {
        let w = w.bind(py);
        if !w.call_method0(intern!(py, "done")).and_then(|d| d.is_truthy()).unwrap_or(true) {
            let _ = w.call_method1(intern!(py, "set_result"), (py.None(),));
        }
    }
}

/// The loop's reader callback of a connection.
#[pyclass(module = "actatek._actatek", frozen)]
pub struct Readable {
    shared: SharedState,
    sock: Arc<TcpStream>,
    event_loop: Py<PyAny>,
}

#[pymethods]
impl Readable {
    fn __call__(&self, py: Python<'_>) {
        let waiter = {
            let mut s = lock(&self.shared);
            if !s.busy && !s.dead {
                // Idle: the terminal closed the connection or sent what nobody asked for, or
                // this is the loop's late word about an answer already read (it reports
                // readiness once more after a call took the bytes).
                let closed = !quiet(&self.sock);
                if closed {
                    s.dead = true;
                    // Stop the loop reporting it again and again.
                    let _ = self.event_loop.call_method1(py, intern!(py, "remove_reader"), (self.sock.as_raw_fd(),));
                }
            }
            s.waiter.take()
        };
        wake(py, waiter);
    }
}

/// A one-shot callback (writable socket, the call's timer).
#[pyclass(module = "actatek._actatek", frozen)]
pub struct Signal {
    shared: SharedState,
    expire: bool,
}

#[pymethods]
impl Signal {
    fn __call__(&self, py: Python<'_>) {
        let waiters = {
            let mut s = lock(&self.shared);
            if self.expire {
                s.expired = true;
                (s.waiter.take(), s.write_waiter.take())
            } else {
                (None, s.write_waiter.take())
            }
        };
        wake(py, waiters.0);
        wake(py, waiters.1);
    }
}

/// One connection to the terminal, registered with the loop that opened it.
struct Conn {
    sock: Arc<TcpStream>,
    tls: Option<rustls::ClientConnection>,
    shared: SharedState,
    event_loop: Py<PyAny>,
    /// Received and not yet used.
    buf: Vec<u8>,
    idle_since: Instant,
}

impl Drop for Conn {
    /// The loop stops watching the socket before it closes (a writer is left registered when
    /// a call was cancelled waiting to write), so a later socket given the same number is not
    /// confused with it. A loop that is closed, or an interpreter shutting down, watches nothing.
    fn drop(&mut self) {
        let fd = self.sock.as_raw_fd();
        Python::try_attach(|py| {
            for method in [intern!(py, "remove_reader"), intern!(py, "remove_writer")] {
                let _ = self.event_loop.call_method1(py, method, (fd,));
            }
        });
    }
}

/// A wait's failure: the call's time ran out, or the loop refused.
fn waited(shared: &SharedState, r: Result<Py<PyAny>, String>, timeout: Duration) -> Result<(), ExchangeFailure> {
    r.map_err(|e| fail(TransportKind::Connection, format!("the event loop: {e}")))?;
    if lock(shared).expired {
        return Err(fail(TransportKind::Timeout, format!("no answer within {} s", timeout.as_secs_f64())));
    }
    Ok(())
}

impl Conn {
    /// Wait until the loop sees the socket readable (or the call's time runs out).
    async fn readable(&self, timeout: Duration) -> Result<(), ExchangeFailure> {
        let future = Python::attach(|py| -> PyResult<Py<PyAny>> {
            let f = self.event_loop.call_method0(py, intern!(py, "create_future"))?;
            lock(&self.shared).waiter = Some(f.clone_ref(py));
            Ok(f)
        })
        .map_err(|e| fail(TransportKind::Connection, format!("the event loop: {e}")))?;
        if lock(&self.shared).expired {
            return waited(&self.shared, Ok(future), timeout);
        }
        waited(&self.shared, AwaitPy::new(future).await, timeout)
    }

    /// Wait until the loop sees the socket writable (a full send buffer: rare).
    async fn writable(&self, timeout: Duration) -> Result<(), ExchangeFailure> {
        let fd = self.sock.as_raw_fd();
        let future = Python::attach(|py| -> PyResult<Py<PyAny>> {
            let f = self.event_loop.call_method0(py, intern!(py, "create_future"))?;
            lock(&self.shared).write_waiter = Some(f.clone_ref(py));
            let signal = Py::new(py, Signal { shared: self.shared.clone(), expire: false })?;
            self.event_loop.call_method1(py, intern!(py, "add_writer"), (fd, signal))?;
            Ok(f)
        })
        .map_err(|e| fail(TransportKind::Connection, format!("the event loop: {e}")))?;
        let r = if lock(&self.shared).expired { Ok(future) } else { AwaitPy::new(future).await };
        Python::attach(|py| {
            let _ = self.event_loop.call_method1(py, intern!(py, "remove_writer"), (fd,));
        });
        waited(&self.shared, r, timeout)
    }

    /// Send everything TLS has to send.
    async fn flush_tls(&mut self, timeout: Duration) -> Result<(), ExchangeFailure> {
        while let Some(tls) = self.tls.as_mut() {
            if !tls.wants_write() {
                break;
            }
            match tls.write_tls(&mut &*self.sock) {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.writable(timeout).await?,
                Err(e) => return Err(broke(&e)),
            }
        }
        Ok(())
    }

    async fn handshake(&mut self, timeout: Duration) -> Result<(), ExchangeFailure> {
        loop {
            self.flush_tls(timeout).await?;
            let Some(tls) = self.tls.as_mut() else { return Ok(()) };
            if !tls.is_handshaking() {
                return Ok(());
            }
            match tls.read_tls(&mut &*self.sock) {
                Ok(0) => {
                    return Err(fail(TransportKind::Tls, "TLS: the terminal closed the connection in the handshake"));
                }
                Ok(_) => {
                    if let Err(e) = tls.process_new_packets() {
                        // Tell the terminal why, as any TLS client does.
                        let _ = self.flush_tls(timeout).await;
                        return Err(fail(TransportKind::Tls, format!("TLS: {e}")));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.readable(timeout).await?,
                Err(e) => return Err(fail(TransportKind::Tls, format!("TLS: {e}"))),
            }
        }
    }

    async fn write_all(&mut self, data: &[u8], timeout: Duration) -> Result<(), ExchangeFailure> {
        if let Some(tls) = self.tls.as_mut() {
            tls.writer().write_all(data).map_err(|e| broke(&e))?;
            return self.flush_tls(timeout).await;
        }
        let mut at = 0;
        while at < data.len() {
            match (&*self.sock).write(&data[at..]) {
                Ok(n) => at += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.writable(timeout).await?,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(broke(&e)),
            }
        }
        Ok(())
    }

    /// Read what has arrived into `buf`: its length, 0 at the connection's end, `WouldBlock`.
    fn read_now(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let Some(tls) = self.tls.as_mut() else {
            let n = (&*self.sock).read(&mut chunk)?;
            self.buf.extend_from_slice(&chunk[..n]);
            return Ok(n);
        };
        loop {
            match tls.reader().read(&mut chunk) {
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                // The terminal ended the connection without TLS's close_notify: its end all the same.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
                Err(e) => return Err(e),
            }
            if tls.read_tls(&mut &*self.sock)? == 0 {
                return Ok(0);
            }
            tls.process_new_packets().map_err(io::Error::other)?;
        }
    }

    /// More bytes into `buf`; `false` at the connection's end.
    async fn fill(&mut self, timeout: Duration) -> Result<bool, ExchangeFailure> {
        loop {
            match self.read_now() {
                Ok(n) => return Ok(n > 0),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.readable(timeout).await?,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(broke(&e)),
            }
        }
    }

    /// The answer: status, body, and whether the connection may be used again.
    async fn answer(&mut self, timeout: Duration) -> Result<(u16, Vec<u8>, bool), ExchangeFailure> {
        let (status, framing, keep) = loop {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut head = httparse::Response::new(&mut headers);
            match head.parse(&self.buf) {
                Ok(httparse::Status::Complete(n)) => {
                    let status = head.code.unwrap_or(0);
                    let mut keep = head.version == Some(1);
                    let mut length = None;
                    let mut chunked = false;
                    for h in head.headers.iter() {
                        let value = String::from_utf8_lossy(h.value).to_ascii_lowercase();
                        if h.name.eq_ignore_ascii_case("content-length") {
                            length = Some(value.trim().parse::<usize>().map_err(|_| {
                                fail(TransportKind::Connection, format!("an unreadable content-length {value:?}"))
                            })?);
                        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
                            chunked = value.contains("chunked");
                        } else if h.name.eq_ignore_ascii_case("connection") {
                            if value.contains("close") {
                                keep = false;
                            } else if value.contains("keep-alive") {
                                keep = true;
                            }
                        }
                    }
                    self.buf.drain(..n);
                    if (100..200).contains(&status) {
                        continue; // an interim answer; the real one follows
                    }
                    let framing = if status == 204 || status == 304 {
                        Framing::Length(0)
                    } else if chunked {
                        Framing::Chunked
                    } else if let Some(n) = length {
                        Framing::Length(n)
                    } else {
                        Framing::ToEnd
                    };
                    break (status, framing, keep);
                }
                Ok(httparse::Status::Partial) => {
                    if self.buf.len() > HEAD_LIMIT {
                        return Err(fail(
                            TransportKind::Connection,
                            format!("no end of the header in {} bytes", self.buf.len()),
                        ));
                    }
                    let had = self.buf.len();
                    if !self.fill(timeout).await? {
                        return Err(fail(
                            TransportKind::Connection,
                            if had == 0 {
                                "the terminal closed the connection before answering".to_string()
                            } else {
                                format!("the connection ended inside the header ({had} bytes)")
                            },
                        ));
                    }
                }
                Err(e) => {
                    let line = self.buf.split(|b| *b == b'\n').next().unwrap_or_default();
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    let shown = String::from_utf8_lossy(&line[..line.len().min(80)]).into_owned();
                    return Err(fail(TransportKind::Connection, format!("not an HTTP answer ({e}): {shown:?}")));
                }
            }
        };
        let ended = |read: usize| {
            fail(TransportKind::Connection, format!("the answer ended early ({read} bytes of its body read)"))
        };
        let body = match framing {
            Framing::Length(n) => {
                while self.buf.len() < n {
                    if !self.fill(timeout).await? {
                        return Err(ended(self.buf.len()));
                    }
                }
                let body: Vec<u8> = self.buf.drain(..n).collect();
                // Anything after the body was not asked for: the connection is not kept.
                return Ok((status, body, keep && self.buf.is_empty()));
            }
            Framing::ToEnd => {
                while self.fill(timeout).await? {}
                return Ok((status, std::mem::take(&mut self.buf), false));
            }
            Framing::Chunked => {
                let mut body = Vec::new();
                loop {
                    match httparse::parse_chunk_size(&self.buf) {
                        Ok(httparse::Status::Complete((at, 0))) => {
                            // The last chunk, then trailers up to an empty line.
                            loop {
                                let parsed = {
                                    let mut trailers = [httparse::EMPTY_HEADER; 32];
                                    httparse::parse_headers(&self.buf[at..], &mut trailers).map(|s| match s {
                                        httparse::Status::Complete((n, _)) => Some(n),
                                        httparse::Status::Partial => None,
                                    })
                                };
                                match parsed {
                                    Ok(Some(n)) => {
                                        self.buf.drain(..at + n);
                                        break;
                                    }
                                    Ok(None) => {
                                        if !self.fill(timeout).await? {
                                            return Err(ended(body.len()));
                                        }
                                    }
                                    Err(e) => {
                                        return Err(fail(
                                            TransportKind::Connection,
                                            format!("unreadable trailers ({e})"),
                                        ));
                                    }
                                }
                            }
                            break body;
                        }
                        Ok(httparse::Status::Complete((at, size))) => {
                            let size = usize::try_from(size).unwrap_or(usize::MAX);
                            // The chunk, then its line end.
                            while self.buf.len() < at.saturating_add(size).saturating_add(1)
                                || !self.buf[at.saturating_add(size)..].contains(&b'\n')
                            {
                                if !self.fill(timeout).await? {
                                    return Err(ended(body.len()));
                                }
                            }
                            body.extend_from_slice(&self.buf[at..at + size]);
                            let line_end = self.buf[at + size..].iter().position(|b| *b == b'\n').unwrap_or(0);
                            self.buf.drain(..at + size + line_end + 1);
                        }
                        Ok(httparse::Status::Partial) => {
                            if !self.fill(timeout).await? {
                                return Err(ended(body.len()));
                            }
                        }
                        Err(_) => return Err(fail(TransportKind::Connection, "an unreadable chunk size")),
                    }
                }
            }
        };
        Ok((status, body, keep && self.buf.is_empty()))
    }
}

/// The call's timer, cancelled when the exchange ends or is dropped.
struct Timer(Py<PyAny>);

impl Drop for Timer {
    fn drop(&mut self) {
        Python::try_attach(|py| {
            let _ = self.0.call_method0(py, intern!(py, "cancel"));
        });
    }
}

enum Framing {
    Length(usize),
    Chunked,
    ToEnd,
}

/// Nothing to read on an idle connection (neither the terminal's close nor bytes nobody asked
/// for): asked of the socket itself, since the loop may not have looked since an answer.
fn quiet(sock: &TcpStream) -> bool {
    matches!(sock.peek(&mut [0u8; 1]), Err(e) if e.kind() == io::ErrorKind::WouldBlock)
}

fn is_closed(py: Python<'_>, event_loop: &Py<PyAny>) -> bool {
    event_loop.call_method0(py, intern!(py, "is_closed")).and_then(|c| c.is_truthy(py)).unwrap_or(true)
}

fn broke(e: &io::Error) -> ExchangeFailure {
    fail(TransportKind::Connection, format!("the connection broke: {e}"))
}

/// The HTTP side of one `AsyncClient` (cheap to clone: the clones share the connections).
#[derive(Clone)]
pub struct LoopExchange(Arc<Settings>);

struct Settings {
    host: String,
    port: u16,
    authority: String,
    prefix: String,
    tls: Option<(Arc<rustls::ClientConfig>, rustls::pki_types::ServerName<'static>)>,
    timeout: Duration,
    connect_timeout: Duration,
    idle: Mutex<Vec<Conn>>,
}

impl LoopExchange {
    /// For the terminal at `base` (a checked base URL, `Client::url`).
    pub fn new(
        base: &str,
        tls: &actatek::Tls,
        timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<LoopExchange, actatek::ConfigError> {
        let bad = |what: String| actatek::ConfigError::new(actatek::Setting::Url, format!("{base:?} {what}"));
        let url = reqwest::Url::parse(base).map_err(|e| bad(format!("is not a URL ({e})")))?;
        let https = url.scheme() == "https";
        let host = url.host_str().ok_or_else(|| bad("has no host".into()))?.to_string();
        let port = url.port_or_known_default().unwrap_or(if https { 443 } else { 80 });
        let authority = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.clone(),
        };
        let tls = if https {
            // Brackets are the URL's, not the name's.
            let bare = host.trim_start_matches('[').trim_end_matches(']').to_string();
            let name = rustls::pki_types::ServerName::try_from(bare).map_err(|e| {
                actatek::ConfigError::new(actatek::Setting::Url, format!("{host:?} is not a TLS server name ({e})"))
            })?;
            Some((tls.rustls_config()?, name))
        } else {
            None
        };
        let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
        Ok(LoopExchange(Arc::new(Settings {
            host,
            port,
            authority,
            prefix: url.path().trim_end_matches('/').to_string(),
            tls,
            timeout,
            connect_timeout,
            idle: Mutex::new(Vec::new()),
        })))
    }

    /// Close the idle connections of the running loop (and of loops that are closed); another
    /// running loop's stay, for it to close.
    pub fn close(&self) {
        Python::attach(|py| {
            let running = GET_RUNNING_LOOP.import(py, "asyncio", "get_running_loop").and_then(|f| f.call0()).ok();
            let mut idle = self.0.idle.lock().unwrap_or_else(|e| e.into_inner());
            let (kept, closing): (Vec<Conn>, Vec<Conn>) = std::mem::take(&mut *idle).into_iter().partition(|conn| {
                let own = running.as_ref().is_none_or(|l| conn.event_loop.bind(py).is(l));
                !own && !is_closed(py, &conn.event_loop)
            });
            *idle = kept;
            drop(idle);
            drop(closing);
        });
    }
}

impl Settings {
    /// A kept-alive connection of `event_loop` the terminal has not closed.
    fn take_idle(&self, py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> Option<Conn> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        let mut dropped = Vec::new();
        let mut found = None;
        let mut kept = Vec::new();
        // The most recently used first: the likeliest to be open still.
        for conn in std::mem::take(&mut *idle).into_iter().rev() {
            let own = conn.event_loop.bind(py).is(event_loop);
            let usable = !lock(&conn.shared).dead && conn.idle_since.elapsed() < IDLE;
            if own && found.is_none() && usable && quiet(&conn.sock) {
                found = Some(conn);
            } else if own && !(usable && quiet(&conn.sock)) {
                dropped.push(conn);
            } else if !own && is_closed(py, &conn.event_loop) {
                // Its loop is gone (an `asyncio.run` that ended): nothing watches it any more.
                dropped.push(conn);
            } else {
                // Another loop's, still running (maybe in another thread): only it may unwatch
                // the socket, so the connection waits for that loop's next call.
                kept.push(conn);
            }
        }
        kept.reverse();
        *idle = kept;
        drop(idle);
        drop(dropped);
        found
    }

    async fn open(&self, event_loop: Py<PyAny>) -> Result<Conn, ExchangeFailure> {
        let connecting = Python::attach(|py| -> PyResult<Py<PyAny>> {
            let connect = CONNECT.import(py, "actatek._aio", "connect")?;
            Ok(connect.call1((&self.host, self.port, self.connect_timeout.min(self.timeout).as_secs_f64()))?.unbind())
        })
        .map_err(|e| fail(TransportKind::Connect, format!("could not connect: {e}")))?;
        let out = AwaitPy::new(connecting).await.map_err(|e| fail(TransportKind::Connect, e))?;
        let fd = Python::attach(|py| -> Result<i32, ExchangeFailure> {
            let out = out.bind(py);
            let (fd, kind, detail): (i32, String, String) =
                out.extract().map_err(|e| fail(TransportKind::Connect, format!("could not connect: {e}")))?;
            if fd < 0 {
                return Err(fail(
                    if kind == "timeout" { TransportKind::Timeout } else { TransportKind::Connect },
                    detail,
                ));
            }
            Ok(fd)
        })?;
        // SAFETY: `connect` detached the socket: this is its only owner.
        let sock = Arc::new(unsafe { TcpStream::from_raw_fd(fd) });
        let shared = SharedState::default();
        Python::attach(|py| -> PyResult<()> {
            let readable = Py::new(
                py,
                Readable { shared: shared.clone(), sock: sock.clone(), event_loop: event_loop.clone_ref(py) },
            )?;
            event_loop.call_method1(py, intern!(py, "add_reader"), (fd, readable))?;
            Ok(())
        })
        .map_err(|e| fail(TransportKind::Connect, format!("the event loop: {e}")))?;
        let tls = match &self.tls {
            Some((config, name)) => {
                let mut tls = rustls::ClientConnection::new(config.clone(), name.clone())
                    .map_err(|e| fail(TransportKind::Tls, format!("TLS: {e}")))?;
                // A request is encrypted whole before it is sent (a body of thousands of users
                // is megabytes); rustls' default 64 KiB cap would refuse it unsent.
                tls.set_buffer_limit(None);
                Some(tls)
            }
            None => None,
        };
        Ok(Conn { sock, tls, shared, event_loop, buf: Vec::new(), idle_since: Instant::now() })
    }

    async fn exchange(&self, request: Outgoing) -> Result<Answer, ExchangeFailure> {
        let event_loop = Python::attach(|py| -> PyResult<Py<PyAny>> {
            Ok(GET_RUNNING_LOOP.import(py, "asyncio", "get_running_loop")?.call0()?.unbind())
        })
        .map_err(|e| fail(TransportKind::Connect, format!("no running event loop: {e}")))?;
        let idle = Python::attach(|py| self.take_idle(py, event_loop.bind(py)));
        let mut conn = match idle {
            Some(conn) => conn,
            None => self.open(event_loop).await?,
        };
        let shared = conn.shared.clone();
        {
            let mut s = lock(&shared);
            s.busy = true;
            s.expired = false;
        }
        let timer = Python::attach(|py| -> PyResult<Py<PyAny>> {
            let signal = Py::new(py, Signal { shared: shared.clone(), expire: true })?;
            conn.event_loop.call_method1(py, intern!(py, "call_later"), (self.timeout.as_secs_f64(), signal))
        })
        .map_err(|e| fail(TransportKind::Connect, format!("the event loop: {e}")))?;
        // Cancelled with the call too (the future dropped).
        let timer = Timer(timer);
        let result = self.exchange_on(&mut conn, &request).await;
        drop(timer);
        let (status, body, keep) = result?;
        if keep && !request.close {
            let mut s = lock(&shared);
            s.busy = false;
            s.waiter = None;
            s.write_waiter = None;
            drop(s);
            conn.idle_since = Instant::now();
            self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
        }
        Ok(Answer { status, body })
    }

    async fn exchange_on(&self, conn: &mut Conn, request: &Outgoing) -> Result<(u16, Vec<u8>, bool), ExchangeFailure> {
        if conn.tls.as_ref().is_some_and(|t| t.is_handshaking()) {
            conn.handshake(self.timeout).await?;
        }
        let mut head = format!(
            "{} {}{} HTTP/1.1\r\nhost: {}\r\naccept: */*\r\n",
            request.method, self.prefix, request.target, self.authority
        );
        match &request.body {
            Some(body) => {
                head.push_str(&format!("content-type: application/json\r\ncontent-length: {}\r\n", body.len()))
            }
            None if matches!(request.method.as_str(), "POST" | "PUT") => head.push_str("content-length: 0\r\n"),
            None => {}
        }
        if request.close {
            head.push_str("connection: close\r\n");
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        if let Some(body) = &request.body {
            bytes.extend_from_slice(body);
        }
        conn.write_all(&bytes, self.timeout).await?;
        conn.answer(self.timeout).await
    }
}

impl Exchange for LoopExchange {
    fn send(&self, request: Outgoing) -> BoxFuture<Result<Answer, ExchangeFailure>> {
        let this = self.0.clone();
        Box::pin(async move { this.exchange(request).await })
    }

    fn sleep(&self, d: Duration) -> BoxFuture<()> {
        crate::aio::sleep(d)
    }
}
