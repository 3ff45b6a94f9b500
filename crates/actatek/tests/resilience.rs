//! Faults, sessions, TLS, secrets, validation and fleets: the client against a misbehaving
//! simulator over loopback.

mod common;

use actatek::ops::*;
use actatek::*;
use actatek_sim::{Fault, Simulator};
use std::collections::BTreeSet;
use std::time::Duration;

fn count(sim: &actatek_sim::RunningSimulator, op: &str) -> usize {
    sim.requests().iter().filter(|r| r.operation.as_deref() == Some(op)).count()
}

#[tokio::test]
async fn reads_recover_from_every_kind_of_fault() {
    let sim = common::sim(20, 50).await;
    let t = common::client(&sim);
    for fault in [Fault::drop_before(), Fault::drop_after(), Fault::status500(), Fault::truncate()] {
        sim.faults().push(fault.on("get_users").times(2));
        let users = t.get_users(GetUsers::default()).await.expect("a read survives two faults");
        assert_eq!(users.len(), 21);
    }
    // An expired session is renewed once per call (the terminal refused, nothing ran).
    sim.faults().push(Fault::expire_session().on("get_users"));
    assert_eq!(t.get_users(GetUsers::default()).await.unwrap().len(), 21);
    assert_eq!(count(&sim, "get_users"), 4 * 3 + 2);
}

#[tokio::test]
async fn a_write_that_may_have_been_applied_is_not_repeated() {
    let sim = common::sim(0, 0).await;
    let t = common::client(&sim);
    t.get_user_count().await.unwrap();
    sim.faults().push(Fault::drop_after().on("add_user"));
    let mut u = User::new("ONCE");
    u.status = Some(UserStatus::all(true));
    let err = t.add_user(u).await.expect_err("the answer was lost");
    match &err {
        Error::Transport { maybe_applied, .. } => assert!(maybe_applied, "{err}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.to_string().contains("never repeated"), "{err}");
    assert_eq!(count(&sim, "add_user"), 1, "sent exactly once");
    let users = t.get_users(GetUsers { user_id: Some("ONCE".into()), ..Default::default() }).await.unwrap();
    assert_eq!(users.len(), 1, "applied once");
}

#[tokio::test]
async fn a_write_refused_before_it_ran_is_not_repeated_either() {
    let sim = common::sim(0, 0).await;
    let t = common::client(&sim);
    sim.faults().push(Fault::status500().on("open_door"));
    let err = t.open_door().await.expect_err("terminal error");
    assert_eq!(err.status(), Some(500));
    assert_eq!(count(&sim, "open_door"), 1);
    assert_eq!(sim.door_opens(), 0);
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_transparently() {
    let sim = common::sim(3, 0).await;
    let t = common::client(&sim);
    t.get_user_count().await.unwrap();
    sim.clock().advance(Duration::from_secs(31 * 60));
    assert_eq!(t.get_user_count().await.unwrap().usercount, Some(4));
    assert_eq!(count(&sim, "login"), 2, "logged in again after 30 idle minutes");
    // A write after expiry is also fine: the terminal refused it, so sending again is safe.
    sim.clock().advance(Duration::from_secs(31 * 60));
    t.open_door().await.unwrap();
    assert_eq!(sim.door_opens(), 1);
}

#[tokio::test]
async fn an_export_interrupted_100_times_delivers_every_log_exactly_once() {
    let total = 3_000;
    let sim = common::sim(5, total).await;
    let t = Client::builder(sim.url(), common::USER, common::PASSWORD).retries(0).build().unwrap();
    let kinds = [Fault::drop_before, Fault::status500, Fault::truncate, Fault::drop_after];
    let mut saved = serde_json::to_string(&Checkpoint::default()).unwrap();
    let mut ids = Vec::new();
    let mut interruptions = 0;
    'resume: loop {
        // Every resume starts from the persisted checkpoint, as a restarted program would.
        let checkpoint: Checkpoint = serde_json::from_str(&saved).unwrap();
        let mut export = t.export_logs(GetFullLogs::default(), 25, checkpoint);
        loop {
            match export.next_chunk().await {
                Ok(Some(chunk)) => {
                    ids.extend(chunk.iter().map(|l| l.log_id));
                    saved = serde_json::to_string(export.checkpoint()).unwrap();
                    if interruptions < 100 {
                        // The next request of the export fails, one way or another.
                        sim.faults().push(kinds[interruptions % kinds.len()]().on("get_full_logs"));
                    }
                }
                Ok(None) => break 'resume,
                Err(e) => {
                    assert!(e.is_transient() || e.status().is_some(), "{e}");
                    interruptions += 1;
                    continue 'resume;
                }
            }
        }
    }
    assert_eq!(interruptions, 100, "the export was interrupted 100 times");
    let unique: BTreeSet<Option<i64>> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "no log delivered twice");
    let all: BTreeSet<Option<i64>> = sim.state(|s| s.logs.iter().map(|l| Some(l.log_id)).collect());
    assert_eq!(unique, all, "every log delivered");
    assert_eq!(ids.len(), total);
}

#[tokio::test]
async fn invalid_input_is_a_typed_error_and_sends_nothing() {
    let sim = common::sim(0, 0).await;
    let t = common::client(&sim);
    let file =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/validation.json")).unwrap();
    let vectors: serde_json::Value = serde_json::from_str(&file).unwrap();
    let mut checked = 0;
    for case in vectors["cases"].as_array().unwrap() {
        if case["valid"] == true || case["operation"] == "time_pattern_from_ranges" {
            continue;
        }
        let op = match AnyOperation::from_wire(case["operation"].as_str().unwrap(), &case["input"]) {
            Ok(op) => op,
            Err(e) => {
                // Caught while decoding the input: still a typed rule error.
                assert_eq!(e.first().rule.code(), case["rule"].as_str().unwrap());
                checked += 1;
                continue;
            }
        };
        match t.call_any(&op).await {
            Err(Error::Validation(e)) => assert_eq!(e.first().rule.code(), case["rule"].as_str().unwrap(), "{case}"),
            other => panic!("{case}: expected a validation error, got {other:?}"),
        }
        checked += 1;
    }
    assert!(checked > 150);
    assert_eq!(sim.requests().len(), 0, "no request reached the terminal, not even a login");
}

#[tokio::test]
async fn secrets_never_appear_in_errors_or_debug_output() {
    let sim = common::sim(0, 0).await;
    let good = common::client(&sim);
    good.get_user_count().await.unwrap();
    // The simulator's session ids are 10-digit numbers; this one is live too.
    let session = good
        .login(Credentials { username: common::USER.into(), password: common::PASSWORD.into() })
        .await
        .unwrap()
        .sessionid
        .expect("a session id")
        .expose()
        .to_string();
    let mut texts = vec![format!("{good:?}")];
    // Wrong password: the terminal refuses the login.
    let bad = Client::builder(sim.url(), common::USER, "wrong-Pa55word").build().unwrap();
    let e = bad.get_user_count().await.unwrap_err();
    texts.push(format!("{e} {e:?} {bad:?}"));
    // Garbled reply, terminal error, lost connection, refused connection.
    sim.faults().push(Fault::truncate().on("get_users").times(10));
    let e = good.get_users(GetUsers::default()).await.unwrap_err();
    texts.push(format!("{e} {e:?}"));
    sim.faults().push(Fault::drop_after().on("open_door"));
    let e = good.open_door().await.unwrap_err();
    texts.push(format!("{e} {e:?}"));
    let closed = Client::builder("http://127.0.0.1:9", common::USER, common::PASSWORD).retries(0).build().unwrap();
    let e = closed.get_user_count().await.unwrap_err();
    texts.push(format!("{e} {e:?}"));
    let op = GetUsers::default();
    texts.push(format!("{:?}", op.request(Some(&SessionId::new(session.clone()))).unwrap()));
    for text in texts {
        assert!(!text.contains(common::PASSWORD), "password leaked: {text}");
        assert!(!text.contains("wrong-Pa55word"), "password leaked: {text}");
        assert!(!text.contains(&session), "session id leaked: {text}");
        let longest_digit_run = text.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
        assert!(longest_digit_run < 10, "something like a session id leaked: {text}");
    }
}

#[tokio::test]
async fn tls_self_signed_is_refused_by_default_and_accepted_when_trusted() {
    let sim = Simulator::builder()
        .tls(true)
        .admin(common::USER, common::PASSWORD)
        .build()
        .start("127.0.0.1:0")
        .await
        .unwrap();
    assert!(sim.url().starts_with("https://"));
    let fingerprint = sim.fingerprint().expect("TLS simulator has a fingerprint");
    let pem = sim.cert_pem().expect("TLS simulator has a certificate");
    let make =
        |tls: Tls| Client::builder(sim.url(), common::USER, common::PASSWORD).retries(0).tls(tls).build().unwrap();

    let e = make(Tls::Verify).get_api_version().await.expect_err("self-signed is refused by default");
    assert!(matches!(e, Error::Transport { kind: TransportKind::Tls, .. }), "{e:?}");
    make(Tls::CaPem(pem.into_bytes())).get_terminal_status().await.expect("trusted CA");
    make(Tls::pin_sha256(&fingerprint).unwrap()).get_terminal_status().await.expect("pinned certificate");
    let wrong = Tls::pin_sha256(&"00".repeat(32)).unwrap();
    let e = make(wrong).get_api_version().await.expect_err("another pin is refused");
    assert!(matches!(e, Error::Transport { kind: TransportKind::Tls, .. }), "{e:?}");
    make(Tls::DangerAcceptInvalidCertificates).get_terminal_status().await.expect("explicit insecure opt-in");
}

#[tokio::test]
async fn a_fleet_reports_per_terminal_and_one_failure_fails_no_other() {
    let fleet =
        actatek_sim::start_fleet(5, Simulator::builder().users(2).logs(10).admin(common::USER, common::PASSWORD))
            .await
            .unwrap();
    let mut clients: Vec<Client> = fleet.iter().map(common::client).collect();
    clients
        .insert(2, Client::builder("http://127.0.0.1:9", common::USER, common::PASSWORD).retries(0).build().unwrap());
    let results = actatek::fleet::run(&clients, 3, |c| async move { c.get_terminal_status().await }).await;
    assert_eq!(results.len(), 6);
    let serials: BTreeSet<String> =
        results.iter().filter_map(|r| r.result.as_ref().ok()).filter_map(|s| s.serial_number.clone()).collect();
    assert_eq!(serials.len(), 5, "five distinct terminals answered");
    assert!(results[2].result.is_err());
    assert_eq!(results[2].url, "http://127.0.0.1:9");
}

#[tokio::test]
async fn watch_follows_new_logs_across_a_terminal_restart() {
    use futures::StreamExt;
    let sim = common::sim(2, 10).await;
    let t = common::client(&sim);
    let filter = GetFullLogs::default();
    let mut watch = Box::pin(t.watch_logs(filter, Checkpoint::default(), Duration::from_millis(20)));
    let mut seen = BTreeSet::new();
    while seen.len() < 10 {
        seen.insert(watch.next().await.unwrap().unwrap().log_id);
    }
    sim.generate_logs(5);
    sim.restart();
    while seen.len() < 15 {
        if let Ok(log) = watch.next().await.unwrap() {
            seen.insert(log.log_id);
        }
    }
    assert_eq!(seen.len(), 15);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_asks_for_the_next_page_while_reading_one_and_uses_it() {
    let total = 2_000;
    let sim = common::sim(5, total).await;
    let t = Client::builder(sim.url(), common::USER, common::PASSWORD).build().unwrap();
    let mut export = t.export_logs(GetFullLogs::default(), 100, Checkpoint::default());
    let mut ids = BTreeSet::new();
    while let Some(chunk) = export.next_chunk().await.unwrap() {
        for log in chunk {
            assert!(ids.insert(log.log_id), "delivered twice: {:?}", log.log_id);
        }
    }
    assert_eq!(ids.len(), total);
    each_page_asked_once(&sim, total / 100);
}

/// The terminal was asked for no page twice, and for at most `full` full pages, the short last
/// one and one guessed in vain: a guessed page that was right is not asked again.
fn each_page_asked_once(sim: &actatek_sim::RunningSimulator, full: usize) {
    let pages: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| r.operation.as_deref() == Some("get_full_logs"))
        .map(|r| format!("{} {}", r.path, r.query.unwrap_or_default()))
        .collect();
    let distinct: BTreeSet<&String> = pages.iter().collect();
    assert_eq!(distinct.len(), pages.len(), "a page asked for twice: {pages:#?}");
    assert!(pages.len() <= full + 2, "{} pages: {pages:#?}", pages.len());
}

/// Two guessed pages at most wait ahead of the caller: the page after the one it handles, and
/// the one after that, asked for as soon as the page before it arrived (so the terminal
/// produces a page while the one before is read). A caller that takes its time finds exactly
/// those two asked for, not more; when it takes them, their places are given back and the
/// chain starts again. The export still delivers every log once, each page asked for once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_keeps_two_guessed_pages_ahead_and_no_more() {
    let total = 1_000;
    let sim = common::sim(5, total).await;
    let t = Client::builder(sim.url(), common::USER, common::PASSWORD).build().unwrap();
    let mut export = t.export_logs(GetFullLogs::default(), 100, Checkpoint::default());
    let pages = || count(&sim, "get_full_logs");
    // The count reaches `n` (within a generous deadline) and stays there while the caller
    // takes its time.
    let settles_at = |n: usize| async move {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while pages() < n && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        pages()
    };
    let mut ids = BTreeSet::new();
    let mut take = async |export: &mut actatek::LogExport| {
        let chunk = export.next_chunk().await.unwrap();
        for log in chunk.iter().flatten() {
            assert!(ids.insert(log.log_id), "delivered twice: {:?}", log.log_id);
        }
        chunk.is_some()
    };
    take(&mut export).await;
    assert_eq!(settles_at(3).await, 3, "the page handled and two ahead of it");
    // Page 2 is taken; page 3 (which found both places taken) waits ready: nothing more.
    take(&mut export).await;
    assert_eq!(settles_at(3).await, 3, "no third page ahead");
    // Page 3 is taken: page 4 is asked for, and page 5 from page 4's bytes.
    take(&mut export).await;
    assert_eq!(settles_at(5).await, 5, "the chain starts again when places are free");
    while take(&mut export).await {}
    assert_eq!(ids.len(), total);
    each_page_asked_once(&sim, total / 100);
}

/// `with_own_connections`: one login serves both clients, a session one renews is the other's
/// too, and the new client's connections live on the runtime that uses them: here a
/// current-thread runtime driven only while a call runs (as the Python blocking client does),
/// idle between calls while the first client goes on on this runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_with_its_own_connections_shares_the_session() {
    let sim = common::sim(3, 0).await;
    let t = common::client(&sim);
    let users = t.get_user_count().await.unwrap().usercount;
    assert!(users.is_some());
    let own = t.with_own_connections().expect("same settings");
    let local = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let mut counts = Vec::new();
        for _ in 0..3 {
            counts.push(rt.block_on(own.get_user_count()).unwrap().usercount);
            std::thread::sleep(Duration::from_millis(20));
        }
        (rt, own, counts)
    });
    for _ in 0..3 {
        t.get_terminal_status().await.unwrap();
    }
    let (rt, own, counts) = tokio::task::spawn_blocking(move || local.join().unwrap()).await.unwrap();
    assert_eq!(counts, vec![users; 3]);
    assert_eq!(count(&sim, "login"), 1, "one login for both clients");
    // The terminal forgets the session: whichever client meets it logs in again, for both.
    sim.faults().push(Fault::expire_session().on("get_user_count"));
    let own = std::thread::spawn(move || {
        assert_eq!(rt.block_on(own.get_user_count()).unwrap().usercount, users);
        own
    })
    .join()
    .unwrap();
    t.get_terminal_status().await.unwrap();
    assert_eq!(count(&sim, "login"), 2, "renewed once, used by both");
    drop(own);
}

/// A terminal that closes each connection 5 ms after its answer (the login's at once), while
/// saying nothing about it: the requests it saw, by path.
fn closing_terminal() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            if head.is_empty() {
                continue;
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            log.lock().unwrap().push(head.split_whitespace().nth(1).unwrap_or("").to_string());
            let reply = r#"{"status": "success", "message": "ok", "sessionid": 4242}"#;
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
                reply.len()
            );
            // The connection closes a little after the answer: after the call that read it has
            // returned, while the client's runtime is idle. (The login's closes at once, so the
            // call's own request does not meet the close: that race is any keep-alive client's.)
            if head.contains("/login") {
                continue;
            }
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(5));
                drop(stream);
            });
        }
    });
    (url, seen)
}

/// The connections of a client on a runtime driven only during calls: a connection the
/// terminal closed while nothing ran is not used for the next request, so a write is sent once
/// and succeeds (it is never repeated, so a request written on a dead connection would fail).
#[test]
fn an_idle_runtime_does_not_send_on_a_connection_the_terminal_closed() {
    let (url, seen) = closing_terminal();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = Client::builder(url, "admin", "admin").retries(0).build().unwrap();
    let own = client.with_own_connections().unwrap();
    for round in 0..20 {
        rt.block_on(own.open_door()).unwrap_or_else(|e| panic!("round {round}: {e}"));
        // Nothing runs on `rt` now: the terminal's close is seen only at the next call.
        std::thread::sleep(Duration::from_millis(30));
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.iter().filter(|p| p.starts_with("/cgi-bin/restapi/login")).count(), 1, "{seen:?}");
    assert_eq!(seen.len(), 21, "{seen:?}");
}

#[tokio::test]
async fn on_event_reports_calls_retries_and_renewals_without_secrets() {
    use std::sync::{Arc, Mutex};
    let sim = common::sim(3, 0).await;
    // Each event as the text a logger would keep: message, operation and its fields.
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = seen.clone();
    let t = Client::builder(sim.url(), common::USER, common::PASSWORD)
        .backoff(Duration::from_millis(5), Duration::from_millis(50))
        .on_event(move |e| {
            let line = match *e {
                Event::Call { method, path, status, bytes, .. } => format!("{method} {path} {status} {}", bytes > 0),
                Event::Retry { attempt, delay, error, .. } => {
                    assert!(delay >= Duration::from_millis(5), "{delay:?}");
                    format!("attempt {attempt}: {error}")
                }
                Event::SessionRenewed { .. } => String::new(),
                _ => "unknown".into(),
            };
            sink.lock().unwrap().push(format!("{} | {} | {line}", e.message(), e.operation()));
        })
        .build()
        .unwrap();
    t.get_user_count().await.unwrap();
    sim.faults().push(Fault::status500().on("get_user_count").times(2));
    t.get_user_count().await.unwrap();
    sim.faults().push(Fault::expire_session().on("get_user_count"));
    // A client made from this one keeps the function.
    t.with_own_connections().unwrap().get_user_count().await.unwrap();
    let seen = seen.lock().unwrap().clone();
    let texts = seen.join("\n");
    assert!(!texts.contains(common::PASSWORD), "{texts}");
    // Paths show the session id as `***` (the simulator's ids are 10 digits).
    assert!(!texts.split(|c: char| !c.is_ascii_digit()).any(|w| w.len() >= 10), "a session id in an event: {texts}");
    let kinds: Vec<&str> = seen.iter().map(|l| l.split(" | ").next().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            ["terminal call"; 2].as_slice(), // login, get_user_count
            &["terminal call", "retrying", "terminal call", "retrying", "terminal call"],
            &["terminal call", "session expired; logging in again", "terminal call", "terminal call"],
        ]
        .concat(),
        "{texts}"
    );
    assert!(
        seen[1].starts_with("terminal call | get_user_count | GET /cgi-bin/restapi/UserCount/*** 200 true"),
        "{}",
        seen[1]
    );
    assert!(seen[3].starts_with("retrying | get_user_count | attempt 0: ") && seen[3].contains("500"), "{}", seen[3]);
    assert!(seen[5].starts_with("retrying | get_user_count | attempt 1: "), "{}", seen[5]);
    assert_eq!(seen[8], "session expired; logging in again | get_user_count | ");
}
