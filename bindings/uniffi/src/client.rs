//! The facade: one `Client` object with one async method per canonical operation (Kotlin
//! `suspend fun`, Swift `async throws`), generated from the core's `operation_table!`.

use crate::bridge::Bridge;
use crate::error::ActatekError;
use actatek::ops;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How the client trusts an `https://` terminal's certificate.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Tls {
    /// Verify against the built-in web roots (the default).
    Verify,
    /// Also trust the CA (or self-signed) certificates in this PEM text.
    CaPem { pem: String },
    /// Accept exactly the certificate with this SHA-256 fingerprint (hex, `:` separators
    /// allowed): the usual way to trust one terminal's self-signed certificate.
    PinSha256 { fingerprint: String },
    /// Accept any certificate. Anyone on the network path can read and change the traffic,
    /// the password included. For a lab bench only.
    DangerAcceptInvalidCertificates,
}

/// Client settings; every field has the client's default.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ClientOptions {
    /// Total time for one HTTP exchange (default 30 s).
    #[uniffi(default)]
    pub timeout: Option<Duration>,
    /// Time to establish a connection (default 10 s).
    #[uniffi(default)]
    pub connect_timeout: Option<Duration>,
    /// How often a failed read is tried again (default 3; a negative value counts as 0). Writes
    /// are retried only when the connection could not even be opened.
    #[uniffi(default)]
    pub retries: Option<i32>,
    /// First wait before a retry, doubled per retry up to `maxBackoff` (default 200 ms).
    #[uniffi(default)]
    pub backoff: Option<Duration>,
    /// Longest wait between two retries (default 5 s).
    #[uniffi(default)]
    pub max_backoff: Option<Duration>,
    /// Certificate trust for `https://` terminals (default: verify).
    #[uniffi(default)]
    pub tls: Option<Tls>,
}

/// An ACTAtek terminal. Logs in by itself on first use and again when the session expires;
/// reads are retried with backoff, writes never repeated blindly. Safe to share between
/// coroutines / tasks. Cancelling a call (coroutine or Swift task) drops the request.
#[derive(uniffi::Object)]
pub struct Client {
    inner: actatek::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

// The one place that chooses the async runtime: uniffi's tokio support (async-compat) drives
// reqwest's I/O while Kotlin's or Swift's executor polls the futures.
#[uniffi::export(async_runtime = "tokio")]
impl Client {
    /// A client for the terminal at `url` (`https://10.0.0.5`), logging in as `username`.
    /// Nothing is sent until the first call.
    #[uniffi::constructor(default(options = None))]
    pub fn new(
        url: String,
        username: String,
        password: String,
        options: Option<ClientOptions>,
    ) -> Result<Arc<Self>, ActatekError> {
        let mut builder = actatek::Client::builder(url, username, password);
        let options = options.unwrap_or(ClientOptions {
            timeout: None,
            connect_timeout: None,
            retries: None,
            backoff: None,
            max_backoff: None,
            tls: None,
        });
        if let Some(t) = options.timeout {
            builder = builder.timeout(t);
        }
        if let Some(t) = options.connect_timeout {
            builder = builder.connect_timeout(t);
        }
        if let Some(n) = options.retries {
            builder = builder.retries(u32::try_from(n).unwrap_or(0));
        }
        if options.backoff.is_some() || options.max_backoff.is_some() {
            builder = builder.backoff(
                options.backoff.unwrap_or(actatek::DEFAULT_BACKOFF),
                options.max_backoff.unwrap_or(actatek::DEFAULT_MAX_BACKOFF),
            );
        }
        if let Some(tls) = options.tls {
            let tls = match tls {
                Tls::Verify => actatek::Tls::Verify,
                Tls::CaPem { pem } => actatek::Tls::CaPem(pem.into_bytes()),
                Tls::PinSha256 { fingerprint } => {
                    actatek::Tls::pin_sha256(&fingerprint).map_err(|e| ActatekError::config(&e))?
                }
                Tls::DangerAcceptInvalidCertificates => actatek::Tls::DangerAcceptInvalidCertificates,
            };
            builder = builder.tls(tls);
        }
        let inner = builder.build().map_err(|e| ActatekError::config(&e))?;
        Ok(Arc::new(Client { inner }))
    }

    /// The terminal's base URL.
    pub fn url(&self) -> String {
        self.inner.url().to_string()
    }

    /// Log out (if logged in) and forget the session; the next call logs in again. Errors are
    /// ignored: the session expires by itself after 30 idle minutes anyway. Kotlin's `close()`
    /// (and `use {}`) and Swift's deinit log out too, waiting at most 3 s.
    pub async fn close_session(&self) {
        self.inner.close().await
    }
}

/// How long closing the object (Kotlin `close()`/`use {}`, Swift deinit) waits for the logout.
pub const LOGOUT_WAIT: Duration = Duration::from_secs(3);

impl Client {
    /// The client underneath (the export and watch objects share its session).
    pub(crate) fn inner(&self) -> &actatek::Client {
        &self.inner
    }
}

impl Drop for Client {
    /// The foreign object is gone (Kotlin `close()`, `use {}` or the cleaner; Swift deinit): log
    /// the session out, waiting at most [`LOGOUT_WAIT`]. An unreachable terminal only costs that
    /// wait; its session then expires by itself after 30 idle minutes. The logout runs on a
    /// thread of its own: this may be called on a thread that drives the async runtime.
    fn drop(&mut self) {
        let client = self.inner.clone();
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let spawned = std::thread::Builder::new().name("actatek-logout".into()).spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                rt.block_on(async {
                    let _ = tokio::time::timeout(LOGOUT_WAIT, client.close()).await;
                });
            }
            let _ = done.send(());
        });
        if spawned.is_ok() {
            let _ = finished.recv_timeout(LOGOUT_WAIT + Duration::from_millis(500));
        }
    }
}

impl Client {
    /// Decode wire-form input as the core decodes the shared vectors, then call.
    async fn run<O: ops::Operation>(&self, input: serde_json::Map<String, Value>) -> Result<O::Reply, ActatekError> {
        let op: O = ops::decode_input(&Value::Object(input)).map_err(|e| ActatekError::validation(O::NAME, &e))?;
        self.inner.call(&op).await.map_err(|e| ActatekError::from_client(O::NAME, e))
    }
}

/// One exported method per table row. Optional parameters default to `null`/`nil`; every
/// parameter is converted to its wire form and decoded by the core (see `bridge`).
macro_rules! client_methods {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $Op:ident $section:literal $method:ident $kind:ident $(($flag:ident))? $template:literal
        { $($fields:tt)* }
        $(needs [$($need:literal),* $(,)?])?
        $(check $check:ident)?
        -> $Reply:ty ;
    )*) => {
        $( client_method!(@scan [] [[$($doc)*] $name $Op [$Reply] { $($fields)* }] $($fields)*); )*
    };
}

/// Finds the `Option` parameters of one row (they get a `None` default), then emits the method
/// in its own exported impl block (an attribute macro cannot see into a nested macro call).
macro_rules! client_method {
    (@scan [$($opt:ident)*] $row:tt $field:ident : Option<$t:ty> = $loc:ident $wire:literal $(, $($rest:tt)*)?) => {
        client_method!(@scan [$($opt)* $field] $row $($($rest)*)?);
    };
    (@scan [$($opt:ident)*] $row:tt $field:ident : $t:ty = $loc:ident $wire:literal $(, $($rest:tt)*)?) => {
        client_method!(@scan [$($opt)*] $row $($($rest)*)?);
    };
    (@scan [$($opt:ident)*] [[$($doc:literal)*] $name:ident $Op:ident [$Reply:ty]
        { $( $field:ident : $fty:ty = $loc:ident $wire:literal ),* $(,)? }]) => {
        #[uniffi::export(async_runtime = "tokio")]
        impl Client {
            $(#[doc = $doc])*
            #[uniffi::method(default($($opt = None),*))]
            #[allow(clippy::too_many_arguments)] // get_full_logs takes its eight filters as named arguments
            pub async fn $name(&self, $($field: <$fty as Bridge>::Ffi),*) -> Result<<$Reply as Bridge>::Ffi, ActatekError> {
                #[allow(unused_mut)]
                let mut input = serde_json::Map::new();
                $(
                    let wire = <$fty as Bridge>::to_wire($field, $wire)
                        .map_err(|e| ActatekError::validation(stringify!($name), &e.into()))?;
                    if let Some(v) = wire {
                        input.insert($wire.to_string(), v);
                    }
                )*
                let reply = self.run::<ops::$Op>(input).await?;
                Ok(<$Reply as Bridge>::to_ffi(reply))
            }
        }
    };
}

// The table names its types bare.
use actatek::core::datetime::TerminalDateTime;
use actatek::core::models::*;
use actatek::core::values::*;

actatek::core::operation_table!(client_methods);
