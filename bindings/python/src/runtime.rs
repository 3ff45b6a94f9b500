//! Where the binding's Rust futures run, and the blocking bridges that wait on them with the
//! GIL released:
//!
//! - the process's I/O runtime (two workers): log lists read while the blocking client makes
//!   their objects, the blocking client's exports, watches and `desired`, every fleet run;
//! - the process's asyncio runtime (one worker): every awaitable (`AsyncClient`'s calls, the
//!   async forms of exports, watches and `desired`; an async fleet awaits the I/O runtime's
//!   run);
//! - a blocking `Client`'s own current-thread runtime ([`Local`]): its small calls, run on the
//!   calling thread.
//!
//! "Per process" is taken literally: a child created by `fork()` has none of its parent's
//! worker threads, so the first use in the child builds the child's own runtimes (the parent's
//! are left alone, never dropped: their threads do not exist here).

use pyo3::prelude::*;
use pyo3_async_runtimes::TaskLocals;
use std::cell::OnceCell;
use std::future::Future;
use std::pin::Pin;
use std::ptr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};
use std::time::Duration;
use tokio::runtime::Runtime;

/// A multi-thread runtime of this process, built on first use and never dropped.
struct ProcessRuntime {
    rt: AtomicPtr<Runtime>,
    /// The process that built `rt`.
    pid: AtomicU32,
    init: Mutex<()>,
    name: &'static str,
    workers: usize,
}

impl ProcessRuntime {
    const fn new(name: &'static str, workers: usize) -> Self {
        ProcessRuntime {
            rt: AtomicPtr::new(ptr::null_mut()),
            pid: AtomicU32::new(0),
            init: Mutex::new(()),
            name,
            workers,
        }
    }

    fn current(&self) -> Option<&'static Runtime> {
        if self.pid.load(Ordering::Acquire) != std::process::id() {
            return None;
        }
        // SAFETY: a non-null pointer in `rt` comes from `Box::leak` and is never freed.
        unsafe { self.rt.load(Ordering::Acquire).as_ref() }
    }

    fn get(&self) -> &'static Runtime {
        if let Some(rt) = self.current() {
            return rt;
        }
        let _init = self.init.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(rt) = self.current() {
            return rt;
        }
        let rt: &'static Runtime = Box::leak(Box::new(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(self.workers)
                .thread_name(self.name)
                .enable_all()
                .build()
                .expect("the tokio runtime starts"),
        ));
        self.rt.store(ptr::from_ref(rt).cast_mut(), Ordering::Release);
        self.pid.store(std::process::id(), Ordering::Release);
        rt
    }
}

static IO: ProcessRuntime = ProcessRuntime::new("actatek-io", 2);
static ASYNCIO: ProcessRuntime = ProcessRuntime::new("actatek-asyncio", 1);

/// This process's runtime for everything but asyncio's calls (log lists read while the
/// blocking client makes their objects, exports, fleets), built on first use (reqwest needs a
/// reactor; one runtime per client would multiply threads).
pub fn runtime() -> &'static Runtime {
    IO.get()
}

/// The runtime `AsyncClient`'s calls run on: one worker. With two, a call spawned from the
/// event loop woke the second worker too, to look for work to steal, every time (a small call
/// took 2.2× a bare `http.client` call, against 1.8× with one worker). A connection serves
/// both runtimes (each always runs).
fn asyncio_runtime() -> &'static Runtime {
    ASYNCIO.get()
}

/// How often a blocking wait looks for Ctrl-C (KeyboardInterrupt) and other signals.
pub const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// Run `fut` to completion on the runtime with the GIL released. Every `SIGNAL_POLL` the GIL is
/// taken back briefly to run Python's signal handlers, so Ctrl-C interrupts a long network wait
/// (the future is dropped, which cancels the request).
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    wait_on(py, runtime(), fut)
}

/// `fut` run to completion by `rt.block_on` with the GIL released, Python's signal handlers
/// run every `SIGNAL_POLL`.
fn wait_on<F>(py: Python<'_>, rt: &Runtime, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    py.detach(|| {
        rt.block_on(async {
            let mut fut = std::pin::pin!(fut);
            loop {
                tokio::select! {
                    out = &mut fut => return Ok(out),
                    _ = tokio::time::sleep(SIGNAL_POLL) => Python::attach(|py| py.check_signals())?,
                }
            }
        })
    })
}

/// asyncio's bridge to [`asyncio_runtime`] (pyo3-async-runtimes' generic runtime interface).
pub struct AsyncioBridge;

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

impl pyo3_async_runtimes::generic::Runtime for AsyncioBridge {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        asyncio_runtime().spawn(fut)
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        asyncio_runtime().spawn_blocking(f)
    }
}

impl pyo3_async_runtimes::generic::ContextExt for AsyncioBridge {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(|c| c.get().cloned()).unwrap_or_default()
    }
}

/// A Rust future as an asyncio awaitable, run on [`asyncio_runtime`].
pub fn future_into_py<F, T>(py: Python<'_>, fut: F) -> PyResult<Bound<'_, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'py> IntoPyObject<'py> + Send + 'static,
{
    pyo3_async_runtimes::generic::future_into_py::<AsyncioBridge, F, T>(py, fut)
}
/// A current-thread runtime and a client whose connections live on it, for the blocking
/// client's small calls: the calling thread runs the call and its I/O itself, so a call makes
/// no thread hop (on the process runtime, the request went to a worker's connection task and
/// the reply came back, a wake each way: `get_terminal_status` took 1.4–1.5× a bare
/// `http.client` call). The client shares the session of the one it was made from.
///
/// Nothing runs on it between calls; an idle connection the terminal closed meanwhile is seen
/// at the next call's start, before its request is sent (the client lets the runtime look at
/// its connections first: `Client::with_own_connections`), so no write is lost on it.
pub struct Local {
    rt: Option<Runtime>,
    pub client: actatek::Client,
    /// The process that built it (see `Drop`).
    pid: u32,
}

impl Local {
    pub fn new(client: &actatek::Client) -> Result<Local, actatek::ConfigError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime starts");
        Ok(Local { rt: Some(rt), client: client.with_own_connections()?, pid: std::process::id() })
    }

    /// Run `fut` on this thread with the GIL released; Ctrl-C interrupts it as in
    /// [`block_on`]. Several threads may call this at once (one drives the I/O, tokio hands
    /// it over).
    pub fn block_on<F>(&self, py: Python<'_>, fut: F) -> PyResult<F::Output>
    where
        F: Future + Send,
        F::Output: Send,
    {
        wait_on(py, self.rt.as_ref().expect("the runtime lives as long as Local"), fut)
    }
}

impl Drop for Local {
    /// A DNS lookup still running on the blocking pool is not waited for. In a child created by
    /// `fork()` the runtime is left alone: dropping its connections there would take their
    /// sockets out of the epoll instance parent and child share, and the parent's connections
    /// would never be woken again.
    fn drop(&mut self) {
        if self.pid != std::process::id() {
            std::mem::forget(self.rt.take());
            return;
        }
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}
