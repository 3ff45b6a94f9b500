//! HTTP: our own accept loop (plain or TLS) serving an axum router per connection, so a
//! fault can close the TCP connection without a response, and CORS can be switched at run
//! time.

use crate::api::{self, ApiError, Cx};
use crate::drift::{DriftConfig, DriftKind};
use crate::faults::{Fault, FaultKind};
use crate::record::RecordedRequest;
use crate::{Shared, SimHandle};
use actatek_core::http::API_PREFIX;
use actatek_core::routing::{self, Route};
use axum::Router;
use axum::body::Body;
use axum::extract::{Json, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::ServiceExt;
use tower_http::cors::{Any, CorsLayer};

/// Closes the request's TCP connection when notified (the `drop_*` faults).
#[derive(Clone)]
struct ConnKill(Arc<Notify>);

/// The largest request body accepted (add_users with photos can be big).
const BODY_LIMIT: usize = 256 << 20;

#[derive(Clone)]
struct Routers {
    control: Router,
    api_cors: Router,
    api_plain: Router,
}

fn cors_layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE])
}

fn routers(shared: Arc<Shared>) -> Routers {
    let api = Router::new().fallback(terminal_api).with_state(shared.clone());
    Routers {
        // The control API always answers browsers, so a browser test can switch CORS back on.
        control: control_router(shared).layer(cors_layer()),
        api_cors: api.clone().layer(cors_layer()),
        api_plain: api,
    }
}

/// Accept connections until `shutdown` turns true.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let routers = routers(shared.clone());
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => break,
        };
        let (tcp, _) = match accepted {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("actatek-sim: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = tcp.set_nodelay(true);
        let (shared, routers, stop, tls) = (shared.clone(), routers.clone(), shutdown.clone(), tls.clone());
        tokio::spawn(async move {
            match tls {
                None => serve_connection(tcp, shared, routers, stop).await,
                Some(acceptor) => match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await {
                    Ok(Ok(stream)) => serve_connection(stream, shared, routers, stop).await,
                    Ok(Err(e)) => tracing::debug!("actatek-sim: TLS handshake failed: {e}"),
                    Err(_) => tracing::debug!("actatek-sim: TLS handshake timed out"),
                },
            }
        });
    }
}

async fn serve_connection<I>(io: I, shared: Arc<Shared>, routers: Routers, mut shutdown: watch::Receiver<bool>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = Arc::new(Notify::new());
    let conn_kill = ConnKill(kill.clone());
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(conn_kill.clone());
        let router = if req.uri().path().starts_with("/_sim/") {
            routers.control.clone()
        } else if shared.cors.load(Ordering::SeqCst) {
            routers.api_cors.clone()
        } else {
            routers.api_plain.clone()
        };
        router.oneshot(req)
    });
    let conn = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(io), service);
    tokio::select! {
        _ = conn => {}
        // Dropping the connection future closes the socket: no response at all.
        _ = kill.notified() => {}
        _ = shutdown.changed() => {}
    }
}

fn json_response(status: u16, body: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// The path with the `{sid}` segment replaced by `***`.
fn redact_routed(path: &str, route: &Route) -> String {
    if route.session.is_none() {
        return path.to_string();
    }
    let (prefix, rest) = match path.strip_prefix(API_PREFIX) {
        Some(rest) => (API_PREFIX, rest),
        None => ("", path),
    };
    let mut segments: Vec<&str> = rest.split('/').collect();
    if let Some(i) = route.operation.template.split('/').position(|t| t == "{sid}")
        && i < segments.len()
    {
        segments[i] = "***";
    }
    format!("{prefix}{}", segments.join("/"))
}

impl Shared {
    /// An unknown path: blank out any segment that is a live session id.
    fn redact_unrouted(&self, path: &str) -> String {
        let st = self.lock_state();
        path.split('/').map(|s| if st.sessions.contains_key(s) { "***" } else { s }).collect::<Vec<_>>().join("/")
    }

    fn finish(&self, mut rec: RecordedRequest, status: u16, body: Vec<u8>) -> Response {
        rec.status = Some(status);
        tracing::debug!(method = %rec.method, path = %rec.path, operation = ?rec.operation, status, "actatek-sim request");
        self.record(rec);
        json_response(status, body)
    }

    /// A 200 reply whose log list is sent piece by piece as it is written (chunked).
    fn finish_streamed(&self, mut rec: RecordedRequest, list: api::LogList) -> Response {
        rec.status = Some(200);
        tracing::debug!(method = %rec.method, path = %rec.path, operation = ?rec.operation, status = 200, "actatek-sim request (streamed)");
        self.record(rec);
        let pieces = futures::stream::unfold(list, |mut list| async move {
            if list.is_done() {
                return None;
            }
            let piece = list.next_piece();
            Some((Ok::<_, std::convert::Infallible>(piece), list))
        });
        let mut resp = Response::new(Body::from_stream(pieces));
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        resp
    }
}

/// Every terminal API request: routed by the core's table, faults applied, then handled.
async fn terminal_api(State(sh): State<Arc<Shared>>, req: Request) -> Response {
    let latency = sh.latency_ms.load(Ordering::SeqCst);
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let (parts, body) = req.into_parts();
    let kill = parts.extensions.get::<ConnKill>().cloned();
    let path = parts.uri.path().to_string();
    let mut rec = RecordedRequest {
        seq: 0,
        method: parts.method.as_str().to_string(),
        path: String::new(),
        query: parts.uri.query().map(str::to_string),
        operation: None,
        status: None,
        fault: None,
        drift: Vec::new(),
    };
    let quirks = sh.quirks.load(Ordering::SeqCst);
    let error = |sh: &Shared, rec: RecordedRequest, e: ApiError| {
        let body = if quirks { crate::quirks::trailing_commas(&e.body()) } else { e.body() };
        sh.finish(rec, e.status, body)
    };
    let Some(route) = routing::route(&rec.method, &path) else {
        rec.path = sh.redact_unrouted(&path);
        let message = format!("no operation at {} {}", rec.method, rec.path);
        return error(&sh, rec, ApiError { status: 404, message });
    };
    rec.path = redact_routed(&path, &route);
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => return error(&sh, rec, ApiError::bad(format!("unreadable request body: {e}"))),
    };
    let body: Option<Value> = if bytes.trim_ascii().is_empty() {
        None
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(v) => Some(v),
            Err(e) => return error(&sh, rec, ApiError::bad(format!("malformed JSON body: {e}"))),
        }
    };
    let route = route.with_body(body.as_ref());
    let name = route.operation.name;
    rec.operation = Some(name.to_string());

    let fault: Option<Fault> = sh.faults.pick(name);
    rec.fault = fault.as_ref().map(|f| f.kind);
    match fault.as_ref().map(|f| f.kind) {
        Some(FaultKind::DropBefore) => return drop_connection(&sh, rec, kill).await,
        Some(FaultKind::Status500) => {
            return error(&sh, rec, ApiError { status: 500, message: "internal server error (injected fault)".into() });
        }
        Some(FaultKind::ExpireSession) => {
            if let Some(sid) = &route.session {
                sh.lock_state().sessions.remove(sid);
            }
        }
        _ => {}
    }

    let base_url = sh.base_url.get().cloned().unwrap_or_default();
    let result = {
        let mut st = sh.lock_state();
        let mut cx = Cx {
            now: sh.clock.now(),
            user: None,
            session: None,
            base_url: &base_url,
            array_body: false,
            invalid_dates: Vec::new(),
            log_list: Default::default(),
        };
        let result = api::process(&mut st, &route, rec.query.as_deref().unwrap_or(""), body, &mut cx);
        result.map(|body| (body, cx.log_list.into_inner()))
    };
    let (status, mut body, list) = match result {
        Ok((b, list)) => (200, b, list),
        Err(e) => (e.status, e.body(), None),
    };
    let drift = sh.next_drift();
    if let Some(list) = list {
        // A log list goes out while it is written, as a terminal's CGI sends it, unless quirks,
        // drift or a fault rewrite the reply whole.
        if !quirks && drift.is_none() && fault.is_none() {
            return sh.finish_streamed(rec, list);
        }
        body = list.into_bytes();
    }
    if quirks {
        body = crate::quirks::apply(Some(name), &body);
    }
    // Drift rewrites what the terminal (or quirks mode) wrote; the state is not touched.
    if let Some((config, n)) = drift
        && let Some((drifted, kinds)) = crate::drift::rewrite(&config, n, name, status, &body)
    {
        body = drifted;
        rec.drift = kinds;
    }
    match fault {
        Some(Fault { kind: FaultKind::DropAfter, .. }) => return drop_connection(&sh, rec, kill).await,
        Some(Fault { kind: FaultKind::Truncate, .. }) => body.truncate(body.len() / 2),
        // The operation is applied at once; only the reply is late.
        Some(Fault { kind: FaultKind::Slow, delay, .. }) => tokio::time::sleep(delay).await,
        _ => {}
    }
    sh.finish(rec, status, body)
}

/// Record the request as answered with nothing, then close its connection.
async fn drop_connection(sh: &Shared, rec: RecordedRequest, kill: Option<ConnKill>) -> Response {
    tracing::debug!(method = %rec.method, path = %rec.path, "actatek-sim: dropping the connection (injected fault)");
    sh.record(rec);
    match kill {
        Some(ConnKill(notify)) => {
            notify.notify_one();
            std::future::pending::<Response>().await
        }
        // Not served by our accept loop (cannot happen in the simulator itself).
        None => json_response(500, ApiError { status: 500, message: "connection drop unavailable".into() }.body()),
    }
}

// --- control API ------------------------------------------------------------------------------

fn control_router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/_sim/requests", get(get_requests).delete(clear_requests))
        .route("/_sim/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/_sim/clock", get(clock_now))
        .route("/_sim/clock/advance", post(advance_clock))
        .route("/_sim/state", get(get_state))
        .route("/_sim/logs/generate", post(generate_logs))
        .route("/_sim/restart", post(restart))
        .route("/_sim/config", get(get_config).post(set_config))
        .route("/_sim/drift", get(get_drift).post(set_drift).delete(drift_off))
        .with_state(SimHandle { shared })
}

async fn get_requests(State(h): State<SimHandle>) -> Response {
    Json(h.requests()).into_response()
}

async fn clear_requests(State(h): State<SimHandle>) -> Response {
    h.clear_requests();
    Json(json!({"status": "success"})).into_response()
}

async fn list_faults(State(h): State<SimHandle>) -> Response {
    Json(h.faults().pending()).into_response()
}

/// `POST /_sim/faults` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultSpec {
    kind: FaultKind,
    count: Option<u32>,
    operation: Option<String>,
    rate: Option<f64>,
    delay_ms: Option<u64>,
}

async fn add_fault(State(h): State<SimHandle>, Json(spec): Json<FaultSpec>) -> Response {
    let mut fault = Fault::new(spec.kind).times(spec.count.unwrap_or(1));
    if let Some(op) = spec.operation {
        if actatek_core::operation_info(&op).is_none() {
            let body = json!({"status": "error", "message": format!("unknown operation {op:?}")});
            return (StatusCode::BAD_REQUEST, Json(body)).into_response();
        }
        fault = fault.on(op);
    }
    if let Some(rate) = spec.rate {
        fault = fault.rate(rate);
    }
    if let Some(ms) = spec.delay_ms {
        fault.delay = Duration::from_millis(ms);
    }
    h.faults().push(fault);
    Json(h.faults().pending()).into_response()
}

async fn clear_faults(State(h): State<SimHandle>) -> Response {
    h.faults().clear();
    Json(json!({"status": "success"})).into_response()
}

async fn clock_now(State(h): State<SimHandle>) -> Response {
    Json(json!({"now": h.clock().now().to_rfc3339()})).into_response()
}

#[derive(Debug, Deserialize)]
struct Advance {
    seconds: f64,
}

async fn advance_clock(State(h): State<SimHandle>, Json(a): Json<Advance>) -> Response {
    if !(a.seconds.is_finite() && a.seconds >= 0.0) {
        let body = json!({"status": "error", "message": "seconds must be a non-negative number"});
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    h.clock().advance(Duration::from_secs_f64(a.seconds));
    Json(json!({"now": h.clock().now().to_rfc3339()})).into_response()
}

async fn get_state(State(h): State<SimHandle>) -> Response {
    Json(h.summary()).into_response()
}

#[derive(Debug, Deserialize)]
struct Generate {
    count: usize,
}

async fn generate_logs(State(h): State<SimHandle>, Json(g): Json<Generate>) -> Response {
    let ids = h.generate_logs(g.count);
    Json(json!({"count": g.count, "first_log_id": ids.as_ref().map(|r| *r.start()), "last_log_id": ids.as_ref().map(|r| *r.end())}))
        .into_response()
}

async fn restart(State(h): State<SimHandle>) -> Response {
    let dropped = h.restart();
    Json(json!({"status": "success", "sessions_dropped": dropped})).into_response()
}

async fn get_config(State(h): State<SimHandle>) -> Response {
    Json(h.config()).into_response()
}

async fn set_config(State(h): State<SimHandle>, Json(c): Json<crate::ConfigUpdate>) -> Response {
    h.apply_config(&c);
    Json(h.config()).into_response()
}

/// `GET/POST/DELETE /_sim/drift` answer: the switch and how many replies it rewrote.
fn drift_status(h: &SimHandle) -> Response {
    let config = h.drift();
    let kinds: Vec<DriftKind> = config.as_ref().map(|c| c.kinds.iter().copied().collect()).unwrap_or_default();
    Json(json!({"seed": config.map(|c| c.seed), "kinds": kinds, "replies": h.drifted_replies()})).into_response()
}

/// `POST /_sim/drift` body: `{"seed": 7}` (every kind), `{"seed": 7, "kinds": ["drop_field"]}`,
/// `{"seed": null}` (off).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DriftSpec {
    seed: Option<u64>,
    kinds: Option<Vec<DriftKind>>,
}

async fn get_drift(State(h): State<SimHandle>) -> Response {
    drift_status(&h)
}

async fn set_drift(State(h): State<SimHandle>, Json(spec): Json<DriftSpec>) -> Response {
    let config = spec.seed.map(|seed| match spec.kinds {
        Some(kinds) => DriftConfig::only(seed, kinds),
        None => DriftConfig::new(seed),
    });
    h.set_drift(config);
    drift_status(&h)
}

async fn drift_off(State(h): State<SimHandle>) -> Response {
    h.set_drift(None);
    drift_status(&h)
}
