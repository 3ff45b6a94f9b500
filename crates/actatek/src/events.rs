//! What a [`Client`](crate::Client) reports while it works: each terminal call, each retry,
//! each renewed session. Two ways to receive them; nobody who did not ask for them gets any:
//!
//! - `tracing` (the crate feature `tracing`, on by default): events at level `debug` with target
//!   `actatek`, whose fields are the variants' fields below and whose message is
//!   [`Event::message`]. The CLI prints them with `ACTATEK_LOG=debug`; the Python package
//!   hands them to `logging`.
//! - [`ClientBuilder::on_event`](crate::ClientBuilder::on_event): a function of this client's
//!   own, given each [`Event`] as a value. The browser package builds on it alone (without the
//!   `tracing` feature, which cost its `.wasm` 5.8 KB gzip).
//!
//! No event carries a secret: paths show the session id as `***`, and errors have the password
//! and the session id removed, as every [`Error`] does.

use crate::Error;
use std::time::Duration;

/// One thing a client reports ([module docs](self)).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Event<'a> {
    /// One HTTP exchange with the terminal ("terminal call").
    Call {
        /// The canonical operation (`get_user_count`).
        operation: &'static str,
        /// The HTTP method.
        method: &'a str,
        /// The request's path, the session id as `***`.
        path: &'a str,
        /// The HTTP status of the answer.
        status: u16,
        /// The answer's body size in bytes.
        bytes: u64,
    },
    /// A failed call that is tried again after `delay` ("retrying").
    Retry {
        /// The canonical operation.
        operation: &'static str,
        /// Which retry this is (0 for the first).
        attempt: u32,
        /// The wait before the next try.
        delay: Duration,
        /// Why the last try failed.
        error: &'a Error,
    },
    /// The terminal refused the session; the client logs in again and resends the request,
    /// which the terminal had not applied ("session expired; logging in again").
    SessionRenewed {
        /// The canonical operation.
        operation: &'static str,
    },
}

impl Event<'_> {
    /// The event's message, the same as the `tracing` event's.
    pub fn message(&self) -> &'static str {
        match self {
            Event::Call { .. } => "terminal call",
            Event::Retry { .. } => "retrying",
            Event::SessionRenewed { .. } => "session expired; logging in again",
        }
    }

    /// The canonical operation the event belongs to.
    pub fn operation(&self) -> &'static str {
        match *self {
            Event::Call { operation, .. } | Event::Retry { operation, .. } | Event::SessionRenewed { operation } => {
                operation
            }
        }
    }
}

/// A function given every event of one client ([`ClientBuilder::on_event`](crate::ClientBuilder::on_event)).
pub(crate) type Hook = std::sync::Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// A retry's delay in milliseconds to the microsecond (`212.3`), as the browser package's
/// `delayMs` and the `tracing` event's `delay_ms` give it.
pub fn delay_ms(delay: Duration) -> f64 {
    delay.as_micros() as f64 / 1e3
}
