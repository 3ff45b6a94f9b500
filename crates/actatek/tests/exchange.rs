//! A client whose requests someone else sends (`Client::with_exchange`, what the Python
//! package's `AsyncClient` does on asyncio's loop): the same session, retries and error rules
//! as the client's own pool, and waits timed by the exchange.

mod common;

use actatek::exchange::{Answer, BoxFuture, Exchange, ExchangeFailure, Outgoing};
use actatek::*;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Sends through its own reqwest pool, records what it sent and waited, and fails the next
/// requests it is told to.
#[derive(Default)]
struct Recording {
    http: reqwest::Client,
    base: String,
    sent: Mutex<Vec<String>>,
    slept: Mutex<Vec<Duration>>,
    fail: Mutex<Vec<(TransportKind, String)>>,
}

/// The exchange given to the client; the test keeps the other handle.
struct Shared(Arc<Recording>);

impl Exchange for Shared {
    fn send(&self, request: Outgoing) -> BoxFuture<Result<Answer, ExchangeFailure>> {
        let this = self.0.clone();
        Box::pin(async move {
            this.sent.lock().unwrap().push(format!("{} {}", request.method, request.target));
            if let Some((kind, detail)) = this.fail.lock().unwrap().pop() {
                return Err(ExchangeFailure { kind, detail });
            }
            let mut builder = this.http.request(request.method, format!("{}{}", this.base, request.target));
            if let Some(body) = request.body {
                builder = builder.header("content-type", "application/json").body(body);
            }
            let reply = builder
                .send()
                .await
                .map_err(|e| ExchangeFailure { kind: TransportKind::Connect, detail: e.to_string() })?;
            let status = reply.status().as_u16();
            let body = reply
                .bytes()
                .await
                .map_err(|e| ExchangeFailure { kind: TransportKind::Connection, detail: e.to_string() })?;
            Ok(Answer { status, body: body.to_vec() })
        })
    }

    fn sleep(&self, d: Duration) -> BoxFuture<()> {
        self.0.slept.lock().unwrap().push(d);
        Box::pin(async {})
    }
}

fn sent(r: &Recording, what: &str) -> usize {
    r.sent.lock().unwrap().iter().filter(|s| s.contains(what)).count()
}

#[tokio::test]
async fn calls_go_through_the_exchange_with_the_clients_session() {
    let sim = common::sim(3, 0).await;
    let own = common::client(&sim);
    let recording = Arc::new(Recording { base: sim.url().to_string(), ..Default::default() });
    let t = own.with_exchange(Arc::new(Shared(recording.clone())));
    assert_eq!(t.get_user_count().await.unwrap().usercount, Some(4));
    // One login serves both clients: the one with its own pool logs in no more.
    assert_eq!(own.get_user_count().await.unwrap().usercount, Some(4));
    assert_eq!(sent(&recording, "/login"), 1);
    assert_eq!(sent(&recording, "/UserCount/"), 1);
    assert!(recording.slept.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_read_is_retried_after_the_exchanges_wait_and_a_write_is_not() {
    let sim = common::sim(0, 0).await;
    let recording = Arc::new(Recording { base: sim.url().to_string(), ..Default::default() });
    let t = common::client(&sim).with_exchange(Arc::new(Shared(recording.clone())));
    t.get_user_count().await.unwrap();
    recording
        .fail
        .lock()
        .unwrap()
        .extend([(TransportKind::Connection, "reset".to_string()), (TransportKind::Timeout, "slow".to_string())]);
    t.get_user_count().await.expect("a read survives two lost answers");
    assert_eq!(recording.slept.lock().unwrap().len(), 2, "each retry waited on the exchange's timer");

    recording
        .fail
        .lock()
        .unwrap()
        .push((TransportKind::Connection, format!("broke while sending {}", common::PASSWORD)));
    let err = t.open_door().await.expect_err("the answer was lost");
    match &err {
        Error::Transport { kind: TransportKind::Connection, maybe_applied: true, detail, .. } => {
            assert!(!detail.contains(common::PASSWORD), "the password is redacted: {detail}");
        }
        other => panic!("expected a connection error that may have applied the write, got {other:?}"),
    }
    assert_eq!(sent(&recording, "/opendoor/"), 1, "a write that may have landed is not sent again");

    // Nothing was sent when the connection could not open: the write is tried again.
    recording.fail.lock().unwrap().push((TransportKind::Connect, "refused".to_string()));
    t.open_door().await.expect("sent once the connection opens");
    assert_eq!(sent(&recording, "/opendoor/"), 3);
}
