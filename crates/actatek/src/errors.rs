//! The client's public error: one enum a caller can match on, mapped explicitly from the
//! core's errors and the transport's, plus [`ConfigError`] for settings refused while building
//! a client. No variant carries the password or the session id.

use actatek_core::{ReplyError, ValidationErrors};

/// What went wrong with a terminal call.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A client setting cannot be used (a malformed URL, a bad TLS pin, an unreadable CA PEM);
    /// found while building the client, before anything was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The input breaks a value rule; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The terminal answered with an error (HTTP 400/500 or `"status": "error"`).
    #[error("{operation}: terminal error (HTTP {status}): {message}")]
    Api { operation: &'static str, status: u16, message: String },
    /// The terminal's answer could not be read; says what and where. The request did reach
    /// the terminal: for a write, `maybe_applied` is true and it is never sent again.
    #[error("{operation}: unreadable reply (HTTP {status}): {detail}{}", if *.maybe_applied {
        " (the terminal received the request and may have applied it; a write is never repeated automatically)"
    } else { "" })]
    Protocol {
        operation: &'static str,
        status: u16,
        detail: String,
        /// True for a write: the terminal answered, so the request arrived and may have been
        /// applied.
        maybe_applied: bool,
    },
    /// No usable answer: connection, timeout or TLS trouble.
    #[error("{operation}: {kind} error: {detail}{}", if *.maybe_applied {
        " (the request may have reached the terminal; a write is never repeated automatically)"
    } else { "" })]
    Transport {
        operation: &'static str,
        kind: TransportKind,
        detail: String,
        /// True when a write may have been applied although no answer came back.
        maybe_applied: bool,
    },
}

/// Which part of the transport failed. More kinds may be told apart later: match with a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// Could not connect (nothing was sent).
    Connect,
    /// No answer in time.
    Timeout,
    /// Certificate refused or TLS handshake failed.
    Tls,
    /// The connection broke while sending or receiving.
    Connection,
}

impl TransportKind {
    /// Whether a write that failed this way may still have reached the terminal: only a
    /// failure to connect or to set up TLS proves that nothing was sent.
    pub(crate) fn may_have_sent(self) -> bool {
        !matches!(self, TransportKind::Connect | TransportKind::Tls)
    }
}

impl std::fmt::Display for TransportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connect",
            TransportKind::Timeout => "timeout",
            TransportKind::Tls => "TLS",
            TransportKind::Connection => "connection",
        })
    }
}

impl Error {
    /// The terminal's HTTP status, for API and protocol errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Protocol { status, .. } => Some(*status),
            _ => None,
        }
    }
    /// Whether a write may have been applied although the call failed (a transport error after
    /// sending, or an unreadable answer to a write). Such a call is never repeated automatically.
    pub fn maybe_applied(&self) -> bool {
        matches!(self, Error::Transport { maybe_applied: true, .. } | Error::Protocol { maybe_applied: true, .. })
    }
    /// Whether the failure is worth trying again later (network, timeouts, 5xx, garbled
    /// replies); validation and 4xx answers are not.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Protocol { .. } => true,
            Error::Api { status, .. } => *status >= 500,
            Error::Validation(_) | Error::Config(_) => false,
        }
    }
    pub(crate) fn from_reply(e: ReplyError, redact: &dyn Fn(String) -> String) -> Self {
        match e {
            ReplyError::Api { operation, status, message } => {
                Error::Api { operation, status, message: redact(message) }
            }
            ReplyError::Protocol { operation, status, detail } => {
                Error::Protocol { operation, status, detail: redact(detail), maybe_applied: false }
            }
        }
    }
}

/// A client setting that cannot be used, found by [`ClientBuilder::build`](crate::ClientBuilder::build),
/// [`Client::new`](crate::Client::new) or [`Tls::pin_sha256`](crate::Tls::pin_sha256) before
/// anything is sent. Says which setting and what is wrong with it; never holds the password
/// (a URL is shown without any `user:password@` part).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {setting}: {problem}")]
pub struct ConfigError {
    setting: Setting,
    problem: String,
}

impl ConfigError {
    /// `setting` cannot be used, because of `problem` (for code that builds a client's parts
    /// itself, such as the Python package's event-loop connections).
    pub fn new(setting: Setting, problem: impl Into<String>) -> Self {
        ConfigError { setting, problem: problem.into() }
    }
    /// Which setting.
    pub fn setting(&self) -> Setting {
        self.setting
    }
    /// What is wrong with it, in a sentence fragment (`"ftp://10.0.0.5" must start with http:// or https://`).
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

/// A setting of [`ClientBuilder`](crate::ClientBuilder). More may be added: match with a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Setting {
    /// The terminal's base URL.
    Url,
    /// `Tls::pin_sha256`: the certificate's SHA-256 fingerprint.
    TlsPin,
    /// `Tls::CaPem` / `Tls::ca_file`: the trusted CA certificates.
    CaPem,
    /// The TLS setup as a whole (the TLS library refused the configuration).
    Tls,
    /// `ClientBuilder::timeout`.
    Timeout,
    /// `ClientBuilder::connect_timeout`.
    ConnectTimeout,
}

impl Setting {
    /// The setting's name in messages and in other languages' errors: `url`, `tls pin`,
    /// `CA PEM`, `TLS`, `timeout`, `connect timeout`.
    pub const fn name(self) -> &'static str {
        match self {
            Setting::Url => "url",
            Setting::TlsPin => "tls pin",
            Setting::CaPem => "CA PEM",
            Setting::Tls => "TLS",
            Setting::Timeout => "timeout",
            Setting::ConnectTimeout => "connect timeout",
        }
    }
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
