//! Fleets over loopback: the clients of a fleet share a read limit, so the pages in memory are
//! bounded by it and not by how many terminals are waited on; a fleet's log pages ask the
//! terminal to close their connection.

mod common;

use actatek::ops::GetFullLogs;
use actatek::{Checkpoint, Client, ReadLimit};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test]
async fn an_export_keeps_its_read_turn_until_it_asks_for_the_next_chunk() {
    let (a, b) = (common::sim(2, 30).await, common::sim(2, 30).await);
    let one = ReadLimit::new(1);
    let (ta, tb) = (common::client(&a).with_read_limit(&one), common::client(&b).with_read_limit(&one));
    assert!(ta.has_read_limit() && !common::client(&a).has_read_limit());

    // One chunk holds every log (no next page is guessed and asked for).
    let mut first = ta.export_logs(GetFullLogs::default(), 50, Checkpoint::default());
    assert_eq!(first.next_chunk().await.unwrap().expect("a first chunk").len(), 30);
    // While that chunk is handled, the other terminal's reply waits unread.
    let second = tokio::spawn(async move {
        let mut export = tb.export_logs(GetFullLogs::default(), 50, Checkpoint::default());
        export.next_chunk().await.unwrap().expect("a chunk").len()
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(!second.is_finished(), "a second page was read while the only turn was held");
    // Asking for the next chunk (here: the end) ends the turn.
    assert!(first.next_chunk().await.unwrap().is_none());
    assert_eq!(tokio::time::timeout(Duration::from_secs(10), second).await.expect("turn handed on").unwrap(), 30);
    // A plain call gives its turn back as soon as its reply is read.
    let tc = common::client(&b).with_read_limit(&one);
    for _ in 0..3 {
        tokio::time::timeout(Duration::from_secs(10), tc.get_terminal_status()).await.expect("not stuck").unwrap();
    }
}

/// A terminal of three logs that notes the `Connection` header of every request.
async fn noting_terminal() -> (String, Arc<Mutex<Vec<(&'static str, String)>>>) {
    type Seen = Arc<Mutex<Vec<(&'static str, String)>>>;
    fn connection(headers: &HeaderMap) -> String {
        headers.get("connection").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }
    async fn login(State(seen): State<Seen>, headers: HeaderMap) -> Json<Value> {
        seen.lock().unwrap().push(("login", connection(&headers)));
        Json(json!({"status": "success", "sessionid": 5}))
    }
    async fn page(
        State(seen): State<Seen>,
        Path((_sid, limit)): Path<(String, usize)>,
        Query(q): Query<HashMap<String, String>>,
        headers: HeaderMap,
    ) -> Json<Value> {
        seen.lock().unwrap().push(("page", connection(&headers)));
        let from = q.get("from").cloned().unwrap_or_default();
        let logs = (1..=3)
            .map(|i| json!({"logID": i, "timestamp": format!("2025-07-16T08:00:0{i}")}))
            .filter(|l| l["timestamp"].as_str().unwrap() >= from.as_str())
            .take(limit);
        Json(Value::Array(logs.collect()))
    }
    async fn logout(State(seen): State<Seen>, headers: HeaderMap) -> Json<Value> {
        seen.lock().unwrap().push(("logout", connection(&headers)));
        Json(json!({"status": "success"}))
    }
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route("/cgi-bin/restapi/login", post(login))
        .route("/cgi-bin/restapi/logout/{sid}", axum::routing::delete(logout))
        .route("/cgi-bin/restapi/getLogs/{sid}/{limit}", get(page))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test]
async fn fleet_pages_and_a_logout_close_their_connection_and_a_single_export_keeps_it() {
    let (url, seen) = noting_terminal().await;
    let client = Client::builder(&url, "admin", "pw").build().unwrap();
    let export = |c: Client| async move {
        let mut export = c.export_logs(GetFullLogs::default(), 2, Checkpoint::default());
        let mut n = 0;
        while let Some(chunk) = export.next_chunk().await? {
            n += chunk.len();
        }
        Ok::<_, actatek::Error>(n)
    };
    assert_eq!(export(client.clone()).await.unwrap(), 3);
    let alone: Vec<_> = seen.lock().unwrap().drain(..).collect();
    assert!(alone.iter().all(|(_, c)| c != "close"), "{alone:?}");

    let results = actatek::fleet::run(std::slice::from_ref(&client), 4, export).await;
    assert_eq!(*results[0].result.as_ref().unwrap(), 3);
    let fleet: Vec<_> = seen.lock().unwrap().drain(..).collect();
    let pages: Vec<_> = fleet.iter().filter(|(what, _)| *what == "page").collect();
    assert!(!pages.is_empty() && pages.iter().all(|(_, c)| c == "close"), "{fleet:?}");

    // Closing a client logs out on a connection the terminal then closes.
    client.close().await;
    let closing: Vec<_> = seen.lock().unwrap().drain(..).collect();
    assert_eq!(closing, [("logout", "close".to_string())]);
}
