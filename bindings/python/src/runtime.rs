//! The one tokio runtime of the process (every client, every export, asyncio futures), and the
//! blocking bridge that waits on it with the GIL released.
//!
//! "One per process" is taken literally: a child created by `fork()` has none of its parent's
//! worker threads, so the first use in the child builds the child's own runtime (the parent's is
//! left alone, never dropped: its threads do not exist here).

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

static RT: AtomicPtr<Runtime> = AtomicPtr::new(ptr::null_mut());
/// The process that built `RT`.
static RT_PID: AtomicU32 = AtomicU32::new(0);
static RT_INIT: Mutex<()> = Mutex::new(());

fn current() -> Option<&'static Runtime> {
    if RT_PID.load(Ordering::Acquire) != std::process::id() {
        return None;
    }
    // SAFETY: a non-null pointer in `RT` comes from `Box::leak` and is never freed.
    unsafe { RT.load(Ordering::Acquire).as_ref() }
}

/// This process's runtime, built on first use (reqwest needs a reactor; one runtime per client
/// would multiply threads).
pub fn runtime() -> &'static Runtime {
    if let Some(rt) = current() {
        return rt;
    }
    let _init = RT_INIT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(rt) = current() {
        return rt;
    }
    let rt: &'static Runtime = Box::leak(Box::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("actatek-io")
            .enable_all()
            .build()
            .expect("the tokio runtime starts"),
    ));
    RT.store(ptr::from_ref(rt).cast_mut(), Ordering::Release);
    RT_PID.store(std::process::id(), Ordering::Release);
    rt
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
    let rt = runtime();
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

/// asyncio's bridge to [`runtime`] (pyo3-async-runtimes' generic runtime interface).
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
        runtime().spawn(fut)
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        runtime().spawn_blocking(f)
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

/// A Rust future as an asyncio awaitable, run on [`runtime`].
pub fn future_into_py<F, T>(py: Python<'_>, fut: F) -> PyResult<Bound<'_, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'py> IntoPyObject<'py> + Send + 'static,
{
    pyo3_async_runtimes::generic::future_into_py::<AsyncioBridge, F, T>(py, fut)
}
