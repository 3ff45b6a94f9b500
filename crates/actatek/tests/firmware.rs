//! A terminal with other firmware, over loopback: logs without a timestamp or with one that is
//! not a date-time, a log without `logID`, and a page layout that lists those logs again on
//! every page. The export (resumed from a persisted checkpoint after every chunk) and the watch
//! must deliver every log exactly once and stop.

use actatek::{Checkpoint, Client, FullLog, ops::GetFullLogs};
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

struct Firmware {
    logs: Vec<Value>,
    pages: AtomicUsize,
}

/// Logs as this firmware lists them: the untimed ones first on every page, then the timed ones
/// from `from` on, cut at `limit`.
async fn get_logs(
    State(fw): State<Arc<Firmware>>,
    Path((_sid, limit)): Path<(String, usize)>,
    Query(q): Query<HashMap<String, String>>,
) -> Json<Value> {
    fw.pages.fetch_add(1, Ordering::SeqCst);
    let from = q.get("from").cloned().unwrap_or_default();
    let timed = |l: &Value| l["timestamp"].as_str().is_some_and(|t| t.starts_with("20"));
    let mut page: Vec<Value> = fw.logs.iter().filter(|l| !timed(l)).cloned().collect();
    page.extend(fw.logs.iter().filter(|l| timed(l) && l["timestamp"].as_str().unwrap() >= from.as_str()).cloned());
    page.truncate(limit);
    Json(Value::Array(page))
}

async fn firmware_terminal() -> (String, Arc<Firmware>) {
    terminal_with(vec![
        json!({"logID": 1, "userID": "A1", "timestamp": "2025-07-16T08:00:00", "trigger": "IN"}),
        json!({"logID": 10, "userID": "A2", "trigger": "IN"}),
        json!({"logID": 2, "userID": "A1", "timestamp": "2025-07-16T09:00:00", "trigger": "OUT"}),
        json!({"logID": 11, "userID": "A3", "timestamp": "", "trigger": "IN"}),
        json!({"logID": 3, "userID": "A4", "timestamp": "2025-07-16T09:00:00", "trigger": "IN"}),
        json!({"userID": "A5", "timestamp": "yesterday", "trigger": "F1"}),
        json!({"userID": "A6", "timestamp": "2025-07-16T10:00:00", "trigger": "IN"}),
        json!({"logID": 4, "userID": "A7", "timestamp": "2025-07-16T11:00:00", "trigger": "IN"}),
    ])
    .await
}

/// A terminal listing `logs` as this firmware does.
async fn terminal_with(logs: Vec<Value>) -> (String, Arc<Firmware>) {
    let fw = Arc::new(Firmware { logs, pages: AtomicUsize::new(0) });
    let app = Router::new()
        .route("/cgi-bin/restapi/login", post(|| async { Json(json!({"status": "success", "sessionid": 77})) }))
        .route("/cgi-bin/restapi/getLogs/{sid}/{limit}", get(get_logs))
        .with_state(fw.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, fw)
}

fn client(url: &str) -> Client {
    Client::builder(url, "admin", "pw").timeout(Duration::from_secs(5)).build().unwrap()
}

/// A log as the terminal sent it (typed fields and `extra` together, wire form).
fn wire(log: &FullLog) -> Value {
    serde_json::to_value(log).unwrap()
}

#[tokio::test]
async fn an_export_resumed_after_every_chunk_delivers_untimed_logs_exactly_once() {
    let (url, fw) = firmware_terminal().await;
    let t = client(&url);
    let mut delivered: Vec<Value> = Vec::new();
    let mut saved = serde_json::to_string(&Checkpoint::default()).unwrap();
    loop {
        // Resume from the persisted checkpoint every time, as after a crash.
        let checkpoint: Checkpoint = serde_json::from_str(&saved).unwrap();
        let mut export = t.export_logs(GetFullLogs::default(), 2, checkpoint);
        let Some(chunk) = export.next_chunk().await.unwrap() else { break };
        delivered.extend(chunk.iter().map(wire));
        saved = serde_json::to_string(export.checkpoint()).unwrap();
        assert!(fw.pages.load(Ordering::SeqCst) < 100, "the export does not stop");
    }
    let mut sent = fw.logs.clone();
    let key = |v: &Value| v.to_string();
    sent.sort_by_key(key);
    delivered.sort_by_key(key);
    assert_eq!(delivered, sent, "every log once, each exactly as the terminal sent it");
    let cp: Checkpoint = serde_json::from_str(&saved).unwrap();
    assert_eq!(cp.delivered, 8);
    assert_eq!(cp.untimed.len(), 3, "{cp:?}");
}

#[tokio::test]
async fn a_watch_delivers_untimed_logs_once_and_keeps_polling() {
    let (url, fw) = firmware_terminal().await;
    let t = client(&url);
    let watch = t.watch_logs(GetFullLogs::default(), Checkpoint::default(), Duration::from_millis(5));
    futures::pin_mut!(watch);
    let mut seen = Vec::new();
    for _ in 0..8 {
        seen.push(wire(&watch.next().await.expect("a log").expect("no error")));
    }
    let before = fw.pages.load(Ordering::SeqCst);
    // Nothing new: the watch polls on (the terminal keeps listing the untimed logs) and yields
    // nothing more.
    let more = tokio::time::timeout(Duration::from_millis(400), watch.next()).await;
    assert!(more.is_err(), "nothing delivered twice: {more:?}");
    assert!(fw.pages.load(Ordering::SeqCst) > before, "the watch went on polling");
    let mut unique = seen.iter().map(Value::to_string).collect::<Vec<_>>();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 8);
}

/// A terminal whose clock field flickers: every reply leaves out the timestamp of one of the
/// logs it lists (which one changes from page to page), though it pages by the real one.
async fn flickering_terminal(count: i64) -> (String, Arc<Firmware>) {
    async fn page(
        State(fw): State<Arc<Firmware>>,
        Path((_sid, limit)): Path<(String, usize)>,
        Query(q): Query<HashMap<String, String>>,
    ) -> Json<Value> {
        let n = fw.pages.fetch_add(1, Ordering::SeqCst);
        let from = q.get("from").cloned().unwrap_or_default();
        let mut page: Vec<Value> =
            fw.logs.iter().filter(|l| l["timestamp"].as_str().unwrap() >= from.as_str()).take(limit).cloned().collect();
        if !page.is_empty() {
            let blank = n % page.len();
            page[blank].as_object_mut().unwrap().remove("timestamp");
        }
        Json(Value::Array(page))
    }
    // Two logs in each second, so some pages end inside a second.
    let logs = (1..=count)
        .map(|id| json!({"logID": id, "userID": "A1", "timestamp": format!("2025-07-16T08:00:{:02}", id / 2), "trigger": "IN"}))
        .collect();
    let fw = Arc::new(Firmware { logs, pages: AtomicUsize::new(0) });
    let app = Router::new()
        .route("/cgi-bin/restapi/login", post(|| async { Json(json!({"status": "success", "sessionid": 77})) }))
        .route("/cgi-bin/restapi/getLogs/{sid}/{limit}", get(page))
        .with_state(fw.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, fw)
}

#[tokio::test]
async fn a_log_whose_timestamp_flickers_between_pages_is_delivered_once() {
    for chunk in 1..=5 {
        let (url, fw) = flickering_terminal(21).await;
        let mut export = client(&url).export_logs(GetFullLogs::default(), chunk, Checkpoint::default());
        let mut ids = Vec::new();
        while let Some(logs) = export.next_chunk().await.unwrap() {
            ids.extend(logs.iter().map(|l| l.log_id.expect("every log has its id")));
            assert!(fw.pages.load(Ordering::SeqCst) < 200, "the export does not stop");
        }
        ids.sort();
        assert_eq!(ids, (1..=21).collect::<Vec<_>>(), "chunks of {chunk}: every log exactly once");
    }
}

/// More logs in one second than fit in a page: every log once, and each page the export asks
/// for in advance is the one it then needs (4 requests: 100 of the second, 200, then the
/// rest of the second with the 50 after it, then the last 51 from the 50th second).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_in_one_second_is_exported_once_with_no_page_asked_in_vain() {
    let mut logs: Vec<Value> = (1..=250)
        .map(|id| json!({"logID": id, "userID": "B", "timestamp": "2025-07-16T08:00:00", "trigger": "IN"}))
        .collect();
    logs.extend((1..=100).map(|s| {
        json!({"logID": 1000 + s, "userID": "C", "timestamp": format!("2025-07-16T09:{:02}:{:02}", s / 60, s % 60), "trigger": "IN"})
    }));
    let (url, fw) = terminal_with(logs).await;
    let t = client(&url);
    let mut export = t.export_logs(GetFullLogs::default(), 100, Checkpoint::default());
    let mut ids = Vec::new();
    while let Some(chunk) = export.next_chunk().await.unwrap() {
        ids.extend(chunk.iter().map(|l| l.log_id.unwrap()));
    }
    let mut sent: Vec<i64> = fw.logs.iter().map(|l| l["logID"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    sent.sort_unstable();
    assert_eq!(ids, sent, "every log once");
    assert_eq!(fw.pages.load(Ordering::SeqCst), 4, "a page guessed wrong was asked for");
}
