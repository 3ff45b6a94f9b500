//! The one tokio runtime of the process (every client, every export, asyncio futures), and the
//! blocking bridge that waits on it with the GIL released.

use pyo3::prelude::*;
use std::future::Future;
use std::sync::LazyLock;
use std::time::Duration;
use tokio::runtime::Runtime;

/// Shared by every client in the process: reqwest needs a reactor, and one runtime per client
/// would multiply threads.
pub static RT: LazyLock<Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("actatek-io")
        .enable_all()
        .build()
        .expect("the tokio runtime starts")
});

/// How often a blocking wait looks for Ctrl-C (KeyboardInterrupt) and other signals.
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// Run `fut` to completion on [`RT`] with the GIL released. Every `SIGNAL_POLL` the GIL is taken
/// back briefly to run Python's signal handlers, so Ctrl-C interrupts a long network wait (the
/// future is dropped, which cancels the request).
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    py.detach(|| {
        RT.block_on(async {
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
