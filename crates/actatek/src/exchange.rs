//! HTTP exchanges carried out by someone else's I/O (native only).
//!
//! A [`Client`](crate::Client) normally sends through its own connection pool (reqwest, on a
//! tokio runtime). [`Client::with_exchange`](crate::Client::with_exchange) makes a client that
//! hands each request to an [`Exchange`] instead and waits between retries with the
//! exchange's own timer, so that its calls can be driven by another event loop: the Python
//! package's `AsyncClient` runs its calls on asyncio's loop this way, with no thread hop.
//! Everything else stays the client's: validation, the session, retries and what may be
//! repeated, reading the reply, the errors and their redaction.

use crate::TransportKind;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed future an [`Exchange`] returns.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// One request for an [`Exchange`] to send. Its target holds the session id: keep it out of
/// logs (no `Debug`).
pub struct Outgoing {
    pub method: actatek_core::http::Method,
    /// The path and encoded query, starting with `/cgi-bin/restapi`, to append to the
    /// client's base URL.
    pub target: String,
    /// The JSON body (send `content-type: application/json` with it).
    pub body: Option<Vec<u8>>,
    /// Ask the terminal to close the connection after its answer (`Connection: close`), and
    /// do not keep it.
    pub close: bool,
}

/// The terminal's answer: its status and whole body.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Why an exchange brought no answer. `Connect` and `Tls` say that nothing was sent (a write
/// may then be tried again); any other kind leaves a write possibly applied.
pub struct ExchangeFailure {
    pub kind: TransportKind,
    pub detail: String,
}

/// Sends requests and keeps time for a client made by
/// [`Client::with_exchange`](crate::Client::with_exchange).
pub trait Exchange: Send + Sync + 'static {
    /// Send one request and read its whole answer, within the client's timeouts.
    fn send(&self, request: Outgoing) -> BoxFuture<Result<Answer, ExchangeFailure>>;
    /// Wait `d` (between retries).
    fn sleep(&self, d: Duration) -> BoxFuture<()>;
}
