//! `AsyncClient`'s calls run by asyncio's event loop itself, with no thread hop.
//!
//! A call is the client's own Rust future (validation, session, retries, reading the reply:
//! the same code as every other client) polled by the awaiting task on the loop's thread
//! ([`LoopCall`], an awaitable). Its I/O waits on the loop: the client is made with
//! [`actatek::Client::with_exchange`] and an [`actatek::exchange::Exchange`] whose sockets
//! the loop watches (`loopio.rs`). When the Rust future awaits a Python awaitable (a socket
//! ready, a connection opened, a retry's sleep: [`AwaitPy`]), [`LoopCall`] delegates to it as
//! `yield from` would: what it yields goes to the task, what the task sends goes to it, and
//! its result goes back to the Rust future. A Rust future waiting on something
//! else (the session, held by a call logging in) waits on an asyncio future its waker
//! resolves.
//!
//! Before this, a call ran on a runtime thread and came back through
//! `call_soon_threadsafe`: a wake of another thread each way (1.6× a bare `http.client`
//! call; `python/benchmarks/bench_logs.py`).

use pyo3::exceptions::{PyRuntimeError, PyStopIteration};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// Between the future being polled and its [`LoopCall`]: the Python awaitable it wants run,
/// and that awaitable's result.
#[derive(Default)]
struct Slot {
    want: Option<Py<PyAny>>,
    done: Option<Py<PyAny>>,
}

type SharedSlot = Arc<Mutex<Slot>>;

thread_local! {
    /// The slot of the [`LoopCall`] polling on this thread, while it polls.
    static CURRENT: RefCell<Option<SharedSlot>> = const { RefCell::new(None) };
}

fn lock(slot: &SharedSlot) -> std::sync::MutexGuard<'_, Slot> {
    slot.lock().unwrap_or_else(|e| e.into_inner())
}

/// A Python awaitable awaited by a Rust future polled by a [`LoopCall`]: its result, or why
/// it could not run.
pub(crate) struct AwaitPy {
    awaitable: Option<Py<PyAny>>,
    slot: Option<SharedSlot>,
}

impl AwaitPy {
    pub(crate) fn new(awaitable: Py<PyAny>) -> Self {
        AwaitPy { awaitable: Some(awaitable), slot: None }
    }
}

impl Future for AwaitPy {
    type Output = Result<Py<PyAny>, String>;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Some(awaitable) = this.awaitable.take() {
            let Some(slot) = CURRENT.with(|c| c.borrow().clone()) else {
                return Poll::Ready(Err("an asyncio exchange was awaited outside an AsyncClient call".into()));
            };
            lock(&slot).want = Some(awaitable);
            this.slot = Some(slot);
            return Poll::Pending;
        }
        match this.slot.as_ref().and_then(|s| lock(s).done.take()) {
            Some(v) => Poll::Ready(Ok(v)),
            None => Poll::Pending,
        }
    }
}

/// The waker of a [`LoopCall`]'s future: resolves the asyncio future the call waits on, from
/// whichever thread wakes it.
#[derive(Default)]
struct LoopWaker {
    state: Mutex<WakeState>,
}

#[derive(Default)]
struct WakeState {
    woken: bool,
    /// The asyncio future the awaiting task waits on.
    future: Option<Py<PyAny>>,
}

static RESOLVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
pub(crate) static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

impl LoopWaker {
    fn state(&self) -> std::sync::MutexGuard<'_, WakeState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Wake for LoopWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let future = {
            let mut state = self.state();
            state.woken = true;
            state.future.take()
        };
        if let Some(future) = future {
            Python::attach(|py| {
                let resolved = (|| -> PyResult<()> {
                    let resolve = RESOLVE.import(py, "actatek._aio", "_resolve")?;
                    let event_loop = future.call_method0(py, intern!(py, "get_loop"))?;
                    event_loop.call_method1(py, intern!(py, "call_soon_threadsafe"), (resolve, future))?;
                    Ok(())
                })();
                // A loop that is closed has no task left to wake.
                if let Err(e) = resolved {
                    e.write_unraisable(py, None);
                }
            });
        }
    }
}

/// What the awaiting task resumed the call with.
enum Resume {
    Next,
    Send(Py<PyAny>),
    Throw(PyErr),
}

/// What the call is delegating to.
enum Sub {
    /// A Python awaitable the Rust future awaits ([`AwaitPy`]); its result goes back to it.
    Awaited(Py<PyAny>),
    /// An asyncio future the waker resolves; its result means only "poll again".
    Woken(Py<PyAny>),
}

type CallFuture = Pin<Box<dyn Future<Output = PyResult<Py<PyAny>>> + Send>>;

/// The Rust future of one `AsyncClient` call, as an awaitable polled by the awaiting task.
#[pyclass(module = "actatek._actatek", name = "LoopCall", unsendable)]
pub struct LoopCall {
    future: Option<CallFuture>,
    slot: SharedSlot,
    waker: Arc<LoopWaker>,
    sub: Option<Sub>,
}

impl LoopCall {
    pub fn new(future: impl Future<Output = PyResult<Py<PyAny>>> + Send + 'static) -> Self {
        LoopCall { future: Some(Box::pin(future)), slot: Default::default(), waker: Default::default(), sub: None }
    }

    /// Run until the task must wait (what to yield to it) or the call is over (`StopIteration`
    /// with the reply, or the call's exception).
    fn step(&mut self, py: Python<'_>, mut resume: Resume) -> PyResult<Py<PyAny>> {
        loop {
            if let Some(sub) = &self.sub {
                let iter = match sub {
                    Sub::Awaited(it) | Sub::Woken(it) => it.bind(py),
                };
                let out = match std::mem::replace(&mut resume, Resume::Next) {
                    Resume::Next => iter.call_method1(intern!(py, "send"), (py.None(),)),
                    Resume::Send(v) => iter.call_method1(intern!(py, "send"), (v,)),
                    Resume::Throw(e) => iter.call_method1(intern!(py, "throw"), (e.into_value(py),)),
                };
                match out {
                    Ok(yielded) => return Ok(yielded.unbind()),
                    Err(e) if e.is_instance_of::<PyStopIteration>(py) => {
                        let value = e.value(py).getattr(intern!(py, "value"))?.unbind();
                        if let Some(Sub::Awaited(_)) = self.sub.take() {
                            lock(&self.slot).done = Some(value);
                        }
                    }
                    // Cancelled, or the exchange failed in a way it does not report: the call
                    // ends here (its future is dropped, which gives up the session lock).
                    Err(e) => {
                        self.sub = None;
                        self.future = None;
                        return Err(e);
                    }
                }
            } else if let Resume::Throw(e) = std::mem::replace(&mut resume, Resume::Next) {
                self.future = None;
                return Err(e);
            }
            let Some(future) = self.future.as_mut() else {
                return Err(PyRuntimeError::new_err("this AsyncClient call was already awaited"));
            };
            self.waker.state().woken = false;
            let waker = Waker::from(self.waker.clone());
            let before = CURRENT.with(|c| c.replace(Some(self.slot.clone())));
            let poll = future.as_mut().poll(&mut Context::from_waker(&waker));
            CURRENT.with(|c| *c.borrow_mut() = before);
            match poll {
                Poll::Ready(out) => {
                    self.future = None;
                    return match out {
                        Ok(v) => Err(PyStopIteration::new_err((v,))),
                        Err(e) => Err(e),
                    };
                }
                Poll::Pending => {
                    let want = lock(&self.slot).want.take();
                    if let Some(awaitable) = want {
                        let iter = awaitable.bind(py).call_method0(intern!(py, "__await__"))?;
                        self.sub = Some(Sub::Awaited(iter.unbind()));
                        continue;
                    }
                    let get_running_loop = GET_RUNNING_LOOP.import(py, "asyncio", "get_running_loop")?;
                    let future = get_running_loop.call0()?.call_method0(intern!(py, "create_future"))?;
                    {
                        let mut state = self.waker.state();
                        if state.woken {
                            continue;
                        }
                        state.future = Some(future.clone().unbind());
                    }
                    let iter = future.call_method0(intern!(py, "__await__"))?;
                    let yielded = iter.call_method0(intern!(py, "__next__"))?;
                    self.sub = Some(Sub::Woken(iter.unbind()));
                    return Ok(yielded.unbind());
                }
            }
        }
    }
}

#[pymethods]
impl LoopCall {
    fn __await__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.step(py, Resume::Next)
    }

    fn send(&mut self, py: Python<'_>, value: Py<PyAny>) -> PyResult<Py<PyAny>> {
        self.step(py, Resume::Send(value))
    }

    /// `throw(exception)` (the form asyncio uses) or `throw(type, value, traceback)`.
    #[pyo3(signature = (kind, value = None, _traceback = None))]
    fn throw(
        &mut self,
        py: Python<'_>,
        kind: Bound<'_, PyAny>,
        value: Option<Bound<'_, PyAny>>,
        _traceback: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let error = match value {
            Some(v) if !v.is_none() => PyErr::from_value(v),
            _ if kind.is_instance_of::<pyo3::exceptions::PyBaseException>() => PyErr::from_value(kind),
            _ => PyErr::from_value(kind.call0()?),
        };
        self.step(py, Resume::Throw(error))
    }

    /// Give up the call (its future is dropped).
    fn close(&mut self, py: Python<'_>) -> PyResult<()> {
        self.future = None;
        if let Some(Sub::Awaited(it) | Sub::Woken(it)) = self.sub.take() {
            it.call_method0(py, intern!(py, "close"))?;
        }
        Ok(())
    }
}

static SLEEP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `asyncio.sleep(d)` awaited by a future a [`LoopCall`] polls (an exchange's wait between
/// retries).
pub(crate) fn sleep(d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    let made = Python::attach(|py| -> PyResult<Py<PyAny>> {
        Ok(SLEEP.import(py, "asyncio", "sleep")?.call1((d.as_secs_f64(),))?.unbind())
    });
    Box::pin(async move {
        let waited = match made {
            Ok(coroutine) => AwaitPy::new(coroutine).await.map(drop),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = waited {
            tracing::warn!(error = %e, "asyncio could not wait before a retry; retrying at once");
        }
    })
}
