//! The simulator over real HTTP on loopback, one test per behaviour, read with the core's own
//! reply readers (what every client uses).

mod common;

use actatek_core::ops::*;
use actatek_core::{ReplyError, TerminalDateTime};
use actatek_sim::{Clock, Fault, FaultKind, Simulator, start_fleet};
use chrono::{TimeZone, Utc};
use common::{API, Term};
use serde_json::json;
use std::time::{Duration, Instant};

fn frozen() -> Clock {
    Clock::frozen(Utc.with_ymd_and_hms(2025, 7, 20, 12, 0, 0).unwrap())
}

fn small() -> actatek_sim::SimulatorBuilder {
    Simulator::builder().users(5).logs(200).seed(3).clock(frozen())
}

#[tokio::test]
async fn login_a_few_operations_and_logout() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    assert_eq!(sid.len(), 10, "a 10-digit session id");
    assert!(sid.bytes().all(|c| c.is_ascii_digit()));
    let raw = t.call("POST", "/login", Some(&json!({"username": "admin", "password": "admin"}))).await.json();
    assert!(raw["sessionid"].is_string(), "sent as a string: {raw}");

    let r = t.call("GET", &format!("/UserCount/{sid}"), None).await;
    assert_eq!(GetUserCount::read_reply(r.status, r.body.as_bytes()).unwrap().usercount, Some(6));

    let user = json!({"userID": "A0001", "firstName": "Ben", "lastName": "John", "status": {
        "active": true, "autoMatch": true, "smartCard": true, "fingerprint": true, "password": true,
        "facial": true, "facialAutoMatch": false}, "nickname": "kept"});
    let r = t.call("POST", &format!("/user/{sid}"), Some(&user)).await;
    let reply = AddUser::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(reply.message.as_deref(), Some("User A0001 Added"));
    let r = t.call("POST", &format!("/user/{sid}"), Some(&user)).await;
    assert_eq!(r.status, 400, "adding an existing user fails: {}", r.body);

    let r = t.call("GET", &format!("/user/{sid}?userID=A0001"), None).await;
    let users = GetUsers::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].group_id, Some(vec![0]), "§3.1 default group");
    assert_eq!(users[0].extra["nickname"], "kept", "unknown fields survive");
    assert!(users[0].password.is_none(), "passwords are never answered");

    let r = t.call("GET", &format!("/getLogs/{sid}"), None).await;
    let logs = GetLogs::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(logs.len(), 200);
    assert!(logs.windows(2).all(|w| (w[0].timestamp, w[0].log_id) < (w[1].timestamp, w[1].log_id)));

    let r = t.call("POST", &format!("/opendoor/{sid}"), None).await;
    assert_eq!(OpenDoor::read_reply(r.status, r.body.as_bytes()).unwrap().message.as_deref(), Some("Main door opened"));
    assert_eq!(t.sim.door_opens(), 1);
    let last = t.sim.state(|s| s.logs.last()).unwrap();
    assert_eq!((last.trigger.as_str(), last.user_id.as_str()), ("REMOTE DOOR OPEN", "admin"));

    let r = t.call("DELETE", &format!("/logout/{sid}"), None).await;
    Logout::read_reply(r.status, r.body.as_bytes()).unwrap();
    let r = t.call("GET", &format!("/UserCount/{sid}"), None).await;
    assert!(GetUserCount::read_reply(r.status, r.body.as_bytes()).unwrap_err().is_session_error());

    let log = t.sim.requests();
    let ops: Vec<_> = log.iter().map(|r| r.operation.as_deref().unwrap_or("-")).collect();
    assert_eq!(ops[..3], ["login", "login", "get_user_count"]);
    assert!(log.iter().all(|r| !r.path.contains(&sid)), "session ids never recorded");
    assert_eq!(log[2].path, format!("{API}/UserCount/***"));
}

#[tokio::test]
async fn wrong_credentials_answer_login_failed() {
    let t = Term::start(small()).await;
    let r = t.call("POST", "/login", Some(&json!({"username": "admin", "password": "nope"}))).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"status": "error", "message": "login failed"}));
}

#[tokio::test]
async fn unknown_paths_are_404_and_bad_json_is_400() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let r = t.call("GET", &format!("/nothing/{sid}"), None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["status"], "error");
    assert!(!r.body.contains(&sid));
    let bad = t.http.post(t.url(&format!("/user/{sid}"))).body("{not json").send().await.unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let r = t
        .call("PUT", &format!("/relaysetting/{sid}/"), Some(&json!({"id": "ONE", "option": "doorbell", "delay": 5})))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("relay_option"), "{}", r.body);
}

#[tokio::test]
async fn sessions_expire_after_30_idle_minutes() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    t.sim.clock().advance(Duration::from_secs(29 * 60));
    let r = t.call("GET", &format!("/UserCount/{sid}"), None).await;
    assert_eq!(r.status, 200, "29 idle minutes are fine");
    t.sim.clock().advance(Duration::from_secs(31 * 60));
    let r = t.call("GET", &format!("/UserCount/{sid}"), None).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("session"));
    assert_eq!(t.sim.session_count(), 0);
}

#[tokio::test]
async fn personal_users_may_only_see_themselves() {
    let t = Term::start(small()).await;
    let sid = t.login("U0001", "U0001").await;
    let r = t.call("GET", &format!("/myself/{sid}/"), None).await;
    assert_eq!(GetMyself::read_reply(r.status, r.body.as_bytes()).unwrap().user_id.as_deref(), Some("U0001"));
    let r = t.call("GET", &format!("/UserAPITOTP/{sid}/U0001/OTP_PASSCODE"), None).await;
    let totp = GetUserApiTotp::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(totp.data.unwrap().len(), 8);
    assert!(matches!(totp.expiry, Some(TerminalDateTime::Utc(_))));
    let r = t.call("GET", &format!("/UserAPITOTP/{sid}/U0002/OTP_PASSCODE"), None).await;
    assert_eq!((r.status, r.json()["message"].as_str()), (400, Some("permission denied")));
    let r = t.call("GET", &format!("/user/{sid}"), None).await;
    assert_eq!(r.status, 400);
    let r = t.call("PUT", &format!("/myself/{sid}"), Some(&json!({"userID": "U0002", "firstName": "X"}))).await;
    assert_eq!(r.status, 400, "only oneself: {}", r.body);
    let r = t.call("PUT", &format!("/myself/{sid}"), Some(&json!({"userID": "U0001", "firstName": "Zed"}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(t.sim.state(|s| s.users["U0001"].first_name.clone()).as_deref(), Some("Zed"));
}

#[tokio::test]
async fn cors_preflight_is_answered_when_on_and_absent_when_off() {
    let t = Term::start(small()).await;
    let preflight = || {
        t.http
            .request(reqwest::Method::OPTIONS, t.url("/login"))
            .header("origin", "http://localhost:9000")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let r = preflight().await.unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers()["access-control-allow-methods"].to_str().unwrap().contains("DELETE"));
    let r = t.http.get(t.url("/apiversion")).header("origin", "http://localhost:9000").send().await.unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");

    let config = t.control("POST", "config", Some(json!({"cors": false}))).await;
    assert_eq!(config["cors"], false);
    let r = preflight().await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = t.http.get(t.url("/apiversion")).header("origin", "http://localhost:9000").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().keys().all(|k| !k.as_str().starts_with("access-control")));
}

fn new_user(id: &str) -> serde_json::Value {
    json!({"userID": id, "status": {"active": true, "autoMatch": false, "smartCard": false, "fingerprint": false,
        "password": true, "facial": false, "facialAutoMatch": false}})
}

#[tokio::test]
async fn drop_before_closes_the_connection_without_applying_the_write() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    t.sim.faults().push(Fault::drop_before().on("add_user"));
    let before = t.sim.users_len();
    let err = t.try_call("POST", &format!("/user/{sid}"), Some(&new_user("D1"))).await.err().expect("no reply");
    assert!(err.is_request() || err.is_connect() || err.is_body(), "{err:?}");
    assert_eq!(t.sim.users_len(), before, "not applied");
    let last = t.sim.requests().pop().unwrap();
    assert_eq!(
        (last.operation.as_deref(), last.status, last.fault),
        (Some("add_user"), None, Some(FaultKind::DropBefore))
    );
    // The next request is served normally, on a new connection.
    let r = t.call("POST", &format!("/user/{sid}"), Some(&new_user("D1"))).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn drop_after_applies_the_write_then_closes_the_connection() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    t.sim.faults().push(Fault::drop_after().on("open_door"));
    assert!(t.try_call("POST", &format!("/opendoor/{sid}"), None).await.is_err());
    assert_eq!(t.sim.door_opens(), 1, "applied although the reply was lost");
    assert!(t.try_call("POST", &format!("/opendoor/{sid}"), None).await.is_ok());
    assert_eq!(t.sim.door_opens(), 2);
}

#[tokio::test]
async fn status500_truncate_slow_and_expire_session_faults() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let path = format!("/user/{sid}");

    t.sim.faults().push(Fault::status500());
    let r = t.call("GET", &path, None).await;
    assert_eq!(r.status, 500);
    assert!(matches!(GetUsers::read_reply(r.status, r.body.as_bytes()), Err(ReplyError::Api { status: 500, .. })));

    t.sim.faults().push(Fault::truncate().on("get_users"));
    let r = t.call("GET", &path, None).await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&r.body).is_err(), "cut in half: {}", r.body);
    assert!(matches!(GetUsers::read_reply(r.status, r.body.as_bytes()), Err(ReplyError::Protocol { .. })));

    t.sim.faults().push(Fault::slow(Duration::from_millis(300)));
    let start = Instant::now();
    assert_eq!(t.call("GET", &path, None).await.status, 200);
    assert!(start.elapsed() >= Duration::from_millis(300));

    t.sim.faults().push(Fault::expire_session());
    let r = t.call("GET", &path, None).await;
    assert!(GetUsers::read_reply(r.status, r.body.as_bytes()).unwrap_err().is_session_error());
    assert_eq!(t.call("GET", &path, None).await.status, 400, "the session is gone for good");

    let kinds: Vec<_> = t.sim.requests().iter().filter_map(|r| r.fault).collect();
    assert_eq!(kinds, [FaultKind::Status500, FaultKind::Truncate, FaultKind::Slow, FaultKind::ExpireSession]);
}

#[tokio::test]
async fn faults_and_controls_over_the_http_control_api() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let pending =
        t.control("POST", "faults", Some(json!({"kind": "drop_before", "count": 2, "operation": "get_logs"}))).await;
    assert_eq!(pending[0]["kind"], "drop_before");
    assert!(t.try_call("GET", &format!("/getLogs/{sid}"), None).await.is_err());
    assert!(t.try_call("GET", &format!("/getLogs/{sid}"), None).await.is_err());
    assert_eq!(t.call("GET", &format!("/getLogs/{sid}"), None).await.status, 200);

    t.control("POST", "faults", Some(json!({"kind": "status500", "rate": 1.0}))).await;
    assert_eq!(t.call("GET", &format!("/UserCount/{sid}"), None).await.status, 500);
    t.control("DELETE", "faults", None).await;
    assert_eq!(t.call("GET", &format!("/UserCount/{sid}"), None).await.status, 200);

    let generated = t.control("POST", "logs/generate", Some(json!({"count": 3}))).await;
    assert_eq!(generated["last_log_id"].as_i64().unwrap() - generated["first_log_id"].as_i64().unwrap(), 2);
    let state = t.control("GET", "state", None).await;
    assert_eq!((state["logs"].as_u64(), state["sessions"].as_u64()), (Some(203), Some(1)));

    let requests = t.control("GET", "requests", None).await;
    assert_eq!(requests.as_array().unwrap().len(), 6);
    assert_eq!(requests[1]["operation"], "get_logs");
    assert!(requests[1]["status"].is_null(), "dropped");
    t.control("DELETE", "requests", None).await;
    assert_eq!(t.control("GET", "requests", None).await, json!([]));

    t.control("POST", "clock/advance", Some(json!({"seconds": 1900}))).await;
    assert!(t.call("GET", &format!("/UserCount/{sid}"), None).await.body.contains("session"));
    let sid = t.admin().await;
    assert_eq!(t.control("POST", "restart", None).await["sessions_dropped"], 1);
    assert!(t.call("GET", &format!("/UserCount/{sid}"), None).await.body.contains("session"));
}

#[tokio::test]
async fn quirks_mode_answers_like_a_real_terminal_and_still_parses() {
    let t = Term::start(small().quirks(true)).await;
    let sid = t.admin().await;
    let r = t.call("GET", &format!("/consent/{sid}"), None).await;
    assert!(r.body.starts_with(r#"{"status": "succes" "enable""#), "{}", r.body);
    assert!(r.body.ends_with(", }"), "{}", r.body);
    let consent = GetConsent::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(consent.status.as_deref(), Some("succes"));

    let r = t.call("GET", &format!("/department/{sid}"), None).await;
    assert!(r.body.contains(r#""id":"0""#), "{}", r.body);
    let departments = GetDepartments::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(departments[0].id, Some(0));

    let r = t.call("GET", &format!("/accessgroup/{sid}"), None).await;
    assert!(r.body.contains(r#""departmentid":"0""#), "{}", r.body);
    GetAccessGroups::read_reply(r.status, r.body.as_bytes()).unwrap();

    let r = t.call("GET", &format!("/getLogs/{sid}/5"), None).await;
    assert!(r.body.ends_with("}, ]"), "{}", r.body);
    assert_eq!(GetFullLogs::read_reply(r.status, r.body.as_bytes()).unwrap().len(), 5);

    let r = t.call("DELETE", &format!("/logout/{sid}"), None).await;
    assert_eq!(r.body, r#"{"status":"success", }"#);
    Logout::read_reply(r.status, r.body.as_bytes()).unwrap();
}

#[tokio::test]
async fn tls_serves_the_printed_fingerprint() {
    let sim = small().tls(true).build().start("127.0.0.1:0").await.unwrap();
    assert!(sim.url().starts_with("https://127.0.0.1:"));
    let fingerprint = sim.fingerprint().unwrap();
    assert_eq!(fingerprint.len(), 64);

    // Any certificate accepted, then pinned by hand: what a client with a fingerprint does.
    let client = reqwest::Client::builder().danger_accept_invalid_certs(true).tls_info(true).build().unwrap();
    let resp = client.get(format!("{}{API}/apiversion", sim.url())).send().await.unwrap();
    let info = resp.extensions().get::<reqwest::tls::TlsInfo>().expect("TLS info");
    let der = info.peer_certificate().expect("a peer certificate");
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(der)), fingerprint);
    assert_eq!(resp.json::<serde_json::Value>().await.unwrap()["name"], "A4 REST API");

    // Trusting the PEM works for both names in the certificate.
    let pem = sim.cert_pem().unwrap();
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    let port = sim.addr().port();
    for host in ["127.0.0.1", "localhost"] {
        let r = trusting.get(format!("https://{host}:{port}{API}/apiversion")).send().await;
        assert!(r.is_ok(), "{host}: {:?}", r.err());
    }
    // A client that trusts nothing refuses it.
    assert!(reqwest::Client::new().get(format!("{}{API}/apiversion", sim.url())).send().await.is_err());
}

#[tokio::test]
async fn a_fleet_of_five_has_five_serial_numbers() {
    let fleet = start_fleet(5, Simulator::builder().users(1).logs(10)).await.unwrap();
    let http = reqwest::Client::new();
    let mut serials = Vec::new();
    for terminal in &fleet {
        let url = terminal.url();
        let login = http.post(format!("{url}{API}/login")).json(&json!({"username": "admin", "password": "admin"}));
        let sid = login.send().await.unwrap().json::<serde_json::Value>().await.unwrap()["sessionid"].clone();
        let body = http.get(format!("{url}{API}/terminalstatus/{}", sid.as_str().unwrap())).send().await.unwrap();
        let status = GetTerminalStatus::read_reply(200, &body.bytes().await.unwrap()).unwrap();
        serials.push(status.serial_number.unwrap());
    }
    assert_eq!(serials, ["00111D000001", "00111D000002", "00111D000003", "00111D000004", "00111D000005"]);
    assert_ne!(fleet.terminals()[0].logs_len(), 0);
    fleet.shutdown().await;
}

#[tokio::test]
async fn log_queries_filter_order_and_answer_in_utc_when_both_bounds_are() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let all = t.sim.state(|s| s.logs.iter().collect::<Vec<_>>());
    let (a, b) = (&all[10], &all[20]);
    let fmt = |ts: chrono::NaiveDateTime| ts.format("%Y-%m-%dT%H:%M:%S").to_string();

    let r = t.call("GET", &format!("/getLogs/{sid}?from={}&to={}", fmt(a.timestamp), fmt(b.timestamp)), None).await;
    let logs = GetLogs::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(logs.len(), 11, "both bounds inclusive");
    assert!(!logs[0].timestamp.unwrap().is_utc());

    let q = format!("/getLogs/{sid}?from={}Z&to={}Z", fmt(a.timestamp), fmt(b.timestamp));
    let logs = GetLogs::read_reply(200, t.call("GET", &q, None).await.body.as_bytes()).unwrap();
    assert_eq!(logs.len(), 11);
    assert!(logs.iter().all(|l| l.timestamp.is_some_and(|t| t.is_utc())), "UTC in, UTC out");

    let who = a.user_id.clone();
    let logs = GetLogs::read_reply(
        200,
        t.call("GET", &format!("/getLogs/{sid}?employeeID={who}"), None).await.body.as_bytes(),
    )
    .unwrap();
    assert_eq!(logs.len(), all.iter().filter(|l| l.user_id == who).count());

    let r = t.call("GET", &format!("/getLogs/{sid}/7?trigger=IN"), None).await;
    let full = GetFullLogs::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(full.len(), 7);
    assert!(full.iter().all(|l| l.trigger.as_deref() == Some("IN") && l.user_name.is_some()));

    let with_photo = all.iter().find(|l| l.has_photo).unwrap();
    let r = t.call("GET", &format!("/getLogPhoto/{sid}/{}", fmt(with_photo.timestamp)), None).await;
    let photo = GetLogPhoto::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert!(photo.jpeg_photo.unwrap().decode().unwrap().starts_with(&[0xFF, 0xD8]));
    let r = t.call("GET", &format!("/getLogPhoto/{sid}/2001-01-01T00:00:00"), None).await;
    assert_eq!(r.status, 400);

    let r = t.call("GET", &format!("/getLogs/{sid}/"), None).await;
    let full = GetFullLogs::read_reply(r.status, r.body.as_bytes()).unwrap();
    let photos = full.iter().filter(|l| l.jpeg_photo.is_some()).count();
    assert_eq!(photos, all.iter().filter(|l| l.has_photo).count());

    assert_eq!(t.call("DELETE", &format!("/resetLog/{sid}"), None).await.status, 200);
    assert_eq!(t.sim.logs_len(), 0);
}

#[tokio::test]
async fn relay_delays_above_20_s_need_the_door_open_schedule() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let path = format!("/relaysetting/{sid}/");
    let setting = json!({"id": "TWO", "option": "doorbell", "delay": 30});
    let r = t.call("PUT", &path, Some(&setting)).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("§11.5"), "{}", r.body);
    t.sim.set_door_open_schedule(true);
    assert_eq!(t.call("PUT", &path, Some(&setting)).await.status, 200);
    let r = t.call("GET", &format!("/relaysetting/{sid}/ALL"), None).await;
    let relays = GetRelaySetting::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(relays.len(), 2);
    assert_eq!(relays[1].delay.unwrap().get(), 30);
    let r = t.call("GET", &format!("/relaysetting/{sid}/ONE"), None).await;
    assert!(r.body.starts_with('{'), "one relay, one object: {}", r.body);

    let r = t.call("POST", &format!("/relay/{sid}/open/ALL"), None).await;
    assert_eq!(
        RelayActionOp::read_reply(r.status, r.body.as_bytes()).unwrap().message.as_deref(),
        Some("Relay ALL opened")
    );
    assert_eq!(t.sim.relay_actions()["open ALL"], 1);
}

#[tokio::test]
async fn one_default_job_code_per_setting() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let path = format!("/jobcode/{sid}");
    // Setting 1 already has a default (demo data).
    let r = t.call("POST", &path, Some(&json!({"jobcode": 1, "id": 9, "name": "Nine", "enable": "default"}))).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = t.call("POST", &path, Some(&json!({"jobcode": 3, "id": 9, "name": "Nine", "enable": "default"}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = t.call("GET", &format!("/jobcode/{sid}?jobcode=3&id=9"), None).await;
    assert!(r.body.starts_with('{'), "{}", r.body);
    assert_eq!(GetJobCodes::read_reply(r.status, r.body.as_bytes()).unwrap()[0].name.as_deref(), Some("Nine"));
}

#[tokio::test]
async fn holidays_report_invalid_dates_and_match_wildcards() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let path = format!("/holiday/{sid}");
    let r = t.call("POST", &path, Some(&json!({"dates": ["2031-10-12", "2031-13-01", "2031-10-12"]}))).await;
    let reply = SetHolidays::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(reply.invalid_dates, Some(vec!["2031-13-01".to_string(), "2031-10-12".to_string()]));
    let r = t.call("GET", &format!("{path}?date=2031-0-0"), None).await;
    let got = GetHolidays::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(got.dates.unwrap().iter().map(ToString::to_string).collect::<Vec<_>>(), ["2031-10-12"]);
    let r = t.call("DELETE", &path, Some(&json!({"dates": ["2031-10-12", "2032-01-01"]}))).await;
    let reply = DeleteHolidays::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(reply.message.as_deref(), Some("1 holiday deleted"));
    assert_eq!(reply.invalid_dates, Some(vec!["2032-01-01".to_string()]));
}

#[tokio::test]
async fn time_follows_set_time_and_the_time_zone() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let body = json!({"currentTime": "2025-09-02T16:29:14Z", "timezone": "Europe/London"});
    assert_eq!(t.call("PUT", &format!("/time/{sid}"), Some(&body)).await.status, 200);
    let r = t.call("GET", &format!("/time/{sid}"), None).await;
    let time = GetTime::read_reply(r.status, r.body.as_bytes()).unwrap();
    assert_eq!(time.current_time.unwrap().to_string(), "2025-09-02T17:29:14", "BST, local, no Z");
    assert_eq!(time.timezone.unwrap().as_str(), "Europe/London");
}

#[test]
fn the_blocking_helper_serves_without_an_async_caller() {
    use std::io::{Read, Write};
    let sim = Simulator::builder().users(1).logs(1).build().spawn_blocking("127.0.0.1:0").unwrap();
    let mut tcp = std::net::TcpStream::connect(sim.addr()).unwrap();
    write!(tcp, "GET {API}/apiversion HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut text = String::new();
    tcp.read_to_string(&mut text).unwrap();
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.ends_with(r#"{"name":"A4 REST API","version":"0.1"}"#), "{text}");
    assert_eq!(sim.request_count(), 1);
    sim.shutdown();
}

#[derive(clap::Parser)]
struct Cli {
    #[command(flatten)]
    sim: actatek_sim::SimArgs,
}

#[tokio::test]
async fn the_command_line_announces_each_terminal_with_its_fingerprint() {
    use clap::Parser;
    let cli = Cli::try_parse_from([
        "actatek-sim",
        "--listen",
        "127.0.0.1:0",
        "--terminals",
        "2",
        "--tls",
        "--users",
        "1",
        "--logs",
        "5",
        "--admin-password",
        "hunter2-secret",
    ])
    .unwrap();
    assert!(!format!("{:?}", cli.sim).contains("hunter2"), "no password in Debug");
    let fleet = actatek_sim::start_from_args(&cli.sim).await.unwrap();
    let mut out = Vec::new();
    actatek_sim::announce(&fleet, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    let fp = fleet.terminals()[0].fingerprint().unwrap();
    assert_eq!(lines[0], format!("actatek-sim: terminal 00111D000001 at {} sha256={fp}", fleet.terminals()[0].url()));
    assert!(lines[1].starts_with("actatek-sim: terminal 00111D000002 at https://127.0.0.1:"));
    let builder = Simulator::builder().admin("admin", "hunter2-secret");
    assert!(!format!("{builder:?}").contains("hunter2"));
    fleet.shutdown().await;
}

/// A real terminal answers in tens to hundreds of milliseconds; `latency` (builder, CLI
/// `--latency`, `/_sim/config`) makes the simulator do the same for the terminal API, never
/// for the control API.
#[tokio::test]
async fn latency_delays_every_terminal_answer_and_is_a_config_switch() {
    let t = Term::start(small().latency(Duration::from_millis(150))).await;
    let started = Instant::now();
    let r = t.call("GET", "/apiversion", None).await;
    assert_eq!(r.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150), "answered after {:?}", started.elapsed());
    assert_eq!(t.control("GET", "config", None).await["latency_ms"], 150);
    t.control("POST", "config", Some(json!({"latency_ms": 0}))).await;
    assert_eq!(t.control("GET", "config", None).await["latency_ms"], 0);
    t.control("POST", "config", Some(json!({"latency_ms": 400}))).await;
    let started = Instant::now();
    t.call("GET", "/apiversion", None).await;
    assert!(started.elapsed() >= Duration::from_millis(400), "answered after {:?}", started.elapsed());
}

/// A log list is sent while it is written (chunked, no Content-Length), in pieces of 256 logs;
/// the bytes are exactly those of the same reply written whole (which a fault forces).
#[tokio::test]
async fn log_lists_are_streamed_and_read_the_same_as_written_whole() {
    for logs in [0, 1, 255, 256, 257, 1000] {
        let t = Term::start(Simulator::builder().users(5).logs(logs).seed(3).clock(frozen())).await;
        let sid = t.admin().await;
        for (operation, path) in
            [("get_logs", format!("/getLogs/{sid}")), ("get_full_logs", format!("/getLogs/{sid}/"))]
        {
            let fetch = || async {
                let resp = t.http.get(t.url(&path)).send().await.unwrap();
                assert_eq!(resp.status(), 200);
                let length = resp.headers().get("content-length").cloned();
                (length, resp.bytes().await.unwrap())
            };
            let (length, streamed) = fetch().await;
            assert_eq!(length, None, "{operation} with {logs} logs is sent as it is written");
            t.sim.faults().push(Fault::slow(Duration::ZERO).on(operation));
            let (length, whole) = fetch().await;
            assert!(length.is_some(), "a fault makes the reply whole");
            assert_eq!(streamed, whole, "{operation}, {logs} logs");
            let list: Vec<serde_json::Value> = serde_json::from_slice(&streamed).unwrap();
            assert_eq!(list.len(), logs, "{operation}");
            let ids: Vec<i64> = list.iter().map(|l| l["logID"].as_i64().unwrap()).collect();
            assert!(ids.windows(2).all(|w| w[0] != w[1]), "every log once");
        }
        let r = t.call("GET", &format!("/getLogs/{sid}/"), None).await;
        assert_eq!(GetFullLogs::read_reply(r.status, r.body.as_bytes()).unwrap().len(), logs);
    }
}
