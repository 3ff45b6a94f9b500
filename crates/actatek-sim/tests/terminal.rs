//! What the terminal does with odd requests (ENDPOINTS.md), over raw HTTP on loopback: the
//! SDK's client refuses to send most of these, so they go out through reqwest directly.

mod common;

use actatek_core::AdminLevel;
use actatek_sim::{Clock, Simulator};
use base64::Engine;
use chrono::{TimeZone, Utc};
use common::Term;
use serde_json::{Value, json};

fn small() -> actatek_sim::SimulatorBuilder {
    Simulator::builder()
        .users(5)
        .logs(50)
        .seed(3)
        .clock(Clock::frozen(Utc.with_ymd_and_hms(2025, 7, 20, 12, 0, 0).unwrap()))
}

fn new_user(id: &str, level: Value) -> Value {
    json!({"userID": id, "adminLevel": level, "status": {"active": true, "autoMatch": false, "smartCard": false,
        "fingerprint": false, "password": true, "facial": false, "facialAutoMatch": false}})
}

fn level(t: &Term, id: &str) -> Option<AdminLevel> {
    t.sim.state(|s| s.users[id].admin_level.clone())
}

#[tokio::test]
async fn an_admin_level_the_terminal_does_not_know_is_stored_as_personaluser() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let path = format!("/user/{sid}");

    // §3.1: "if not present or other words, default to PERSONALUSER".
    for (id, odd) in [("L1", json!("ROOT")), ("L2", json!(3)), ("L3", json!({"level": 1})), ("L4", json!("superadmin"))]
    {
        let r = t.call("POST", &path, Some(&new_user(id, odd.clone()))).await;
        assert_eq!(r.status, 200, "{odd}: {}", r.body);
        assert_eq!(level(&t, id), Some(AdminLevel::PersonalUser), "{odd}");
    }
    let r = t.call("GET", &format!("{path}?userID=L1"), None).await;
    assert_eq!(r.json()[0]["adminLevel"], "PERSONALUSER", "{}", r.body);

    // add_users: each record on its own.
    let r =
        t.call("POST", &path, Some(&json!([new_user("L5", json!("GOD")), new_user("L6", json!("USERADMIN"))]))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!((level(&t, "L5"), level(&t, "L6")), (Some(AdminLevel::PersonalUser), Some(AdminLevel::UserAdmin)));

    // §3.4, update_user and update_users alike.
    let r = t.call("PUT", &path, Some(&json!({"userID": "L6", "adminLevel": "OWNER"}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(level(&t, "L6"), Some(AdminLevel::PersonalUser));
    t.call("PUT", &path, Some(&json!({"userID": "L6", "adminLevel": "SUPERADMIN"}))).await;
    assert_eq!(level(&t, "L6"), Some(AdminLevel::SuperAdmin));
    let r = t.call("PUT", &path, Some(&json!([{"userID": "L6", "adminLevel": ""}]))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(level(&t, "L6"), Some(AdminLevel::PersonalUser));
    // Absent stays absent on update: the stored level is kept.
    t.call("PUT", &path, Some(&json!({"userID": "L6", "adminLevel": "NETWORKADMIN"}))).await;
    t.call("PUT", &path, Some(&json!({"userID": "L6", "firstName": "Kept"}))).await;
    assert_eq!(level(&t, "L6"), Some(AdminLevel::NetworkAdmin));
}

#[tokio::test]
async fn a_totp_type_the_terminal_does_not_know_answers_as_png() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    for odd in ["QR_GIF", "qr_png", "PNG", "%20"] {
        let r = t.call("GET", &format!("/UserAPITOTP/{sid}/U0001/{odd}"), None).await;
        assert_eq!(r.status, 200, "{odd}: {}", r.body);
        let v = r.json();
        assert_eq!(v["format"], "QR_PNG", "{odd}");
        let png = base64::engine::general_purpose::STANDARD.decode(v["data"].as_str().unwrap()).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{odd}");
    }
    // Known types are answered in their own format.
    let r = t.call("GET", &format!("/UserAPITOTP/{sid}/U0001/QR_SVG"), None).await;
    assert_eq!(r.json()["format"], "QR_SVG");
}

#[tokio::test]
async fn query_parameters_the_terminal_does_not_know_are_ignored() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let r = t.call("GET", &format!("/user/{sid}?userID=U0001&foo=bar"), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let users = r.json();
    assert_eq!(users.as_array().map(Vec::len), Some(1), "{}", r.body);
    assert_eq!(users[0]["userID"], "U0001");

    let r = t.call("GET", &format!("/department/{sid}?verbose=1&id=2&_=17"), None).await;
    assert_eq!((r.status, r.json()["name"].as_str()), (200, Some("Sales")), "{}", r.body);
    let r = t.call("GET", &format!("/getLogs/{sid}/3?page=2&employeeID=U0001"), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json().as_array().unwrap().iter().all(|l| l["userID"] == "U0001"));
    let r = t.call("GET", &format!("/UserCount/{sid}?cache=no"), None).await;
    assert_eq!(r.json()["usercount"], 6);
}

/// Found by Schemathesis from docs/openapi.json: a days-to-keep beyond the calendar closed the
/// connection (the handler panicked) instead of answering.
#[tokio::test]
async fn delete_logs_with_more_days_than_the_calendar_holds_keeps_every_log() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let before = t.sim.logs_len();
    for days in [u32::MAX - 1, u32::MAX] {
        let r = t.call("DELETE", &format!("/deleteLogs/{sid}/{days}"), None).await;
        assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("success")), "{days}: {}", r.body);
    }
    assert_eq!(t.sim.logs_len(), before);
    let r = t.call("DELETE", &format!("/deleteLogs/{sid}/0"), None).await;
    assert_eq!(r.status, 200);
    assert!(t.sim.logs_len() < before);
}

/// Found by Schemathesis: after a record with id i64::MAX, adding one without an id closed the
/// connection (the next id overflowed) instead of answering.
#[tokio::test]
async fn adding_after_the_largest_id_is_refused_for_that_record_alone() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let path = format!("/accessgroup/{sid}");
    let body = json!([{"id": i64::MAX, "name": "last", "departmentid": 1}, {"name": "next", "departmentid": 1}]);
    let r = t.call("POST", &path, Some(&body)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let replies = r.json();
    assert_eq!(replies[0]["status"], "success", "{}", r.body);
    assert_eq!(replies[1]["status"], "error", "{}", r.body);
    let r = t.call("GET", &format!("/accessgroup/{sid}"), None).await;
    assert!(r.json().as_array().unwrap().iter().any(|g| g["id"] == i64::MAX), "{}", r.body);
}

/// "X or [X]" writes: (method, path, one record, a one-element array).
fn x_or_list_writes(sid: &str) -> Vec<(&'static str, String, Value, Value)> {
    let office = "0".repeat(16) + &"1".repeat(20) + &"0".repeat(12);
    let ts = json!([{"weekday": "MONDAY", "timePattern": office}]);
    vec![
        (
            "POST",
            format!("/department/{sid}"),
            json!({"id": 31, "name": "A", "description": "a"}),
            json!([{"id": 32, "name": "B", "description": "b"}]),
        ),
        ("PUT", format!("/department/{sid}"), json!({"id": 31, "name": "A2"}), json!([{"id": 32, "name": "B2"}])),
        (
            "POST",
            format!("/accessright/{sid}"),
            json!({"id": 31, "name": "A", "timespec": ts}),
            json!([{"id": 32, "name": "B", "timespec": ts}]),
        ),
        ("PUT", format!("/accessright/{sid}"), json!({"id": 31, "name": "A2"}), json!([{"id": 32, "name": "B2"}])),
        (
            "POST",
            format!("/accessgroup/{sid}"),
            json!({"id": 31, "name": "A", "departmentid": 1, "accessrightid": [0]}),
            json!([{"id": 32, "name": "B", "departmentid": 1}]),
        ),
        (
            "PUT",
            format!("/accessgroup/{sid}"),
            json!({"id": 31, "name": "A2", "departmentid": 1}),
            json!([{"id": 32, "name": "B2", "departmentid": 1}]),
        ),
        (
            "PUT",
            format!("/jobcodesetting/{sid}"),
            json!({"jobcode": 1, "name": "Job"}),
            json!([{"jobcode": 2, "name": "Occupation"}]),
        ),
        (
            "POST",
            format!("/jobcode/{sid}"),
            json!({"jobcode": 2, "id": 31, "name": "A", "enable": "enable"}),
            json!([{"jobcode": 2, "id": 32, "name": "B", "enable": "enable"}]),
        ),
        (
            "PUT",
            format!("/jobcode/{sid}"),
            json!({"jobcode": 2, "id": 31, "name": "A2"}),
            json!([{"jobcode": 2, "id": 32, "name": "B2"}]),
        ),
    ]
}

#[tokio::test]
async fn one_object_is_answered_with_one_object_an_array_with_an_array() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    for (method, path, one, list) in x_or_list_writes(&sid) {
        let r = t.call(method, &path, Some(&one)).await;
        assert_eq!(r.status, 200, "{method} {path} {one}: {}", r.body);
        assert!(r.json().is_object(), "{method} {path}: one object in, one object out: {}", r.body);
        assert_eq!(r.json()["status"], "success");
        let r = t.call(method, &path, Some(&list)).await;
        assert_eq!(r.status, 200, "{method} {path} {list}: {}", r.body);
        let v = r.json();
        assert_eq!(v.as_array().map(Vec::len), Some(1), "{method} {path}: an array in, an array out: {}", r.body);
        assert_eq!(v[0]["status"], "success");
    }
    assert_eq!(t.sim.state(|s| s.departments[&32].name.clone()).as_deref(), Some("B2"));
    assert_eq!(t.sim.state(|s| s.job_codes[&(2, 31)].name.clone()).as_deref(), Some("A2"));

    // A lone failed record: an HTTP 400 for an object, an error entry in an array.
    let path = format!("/department/{sid}");
    let r = t.call("POST", &path, Some(&json!({"id": 31, "name": "A", "description": "a"}))).await;
    assert_eq!((r.status, r.json()["status"].as_str()), (400, Some("error")), "{}", r.body);
    let r = t.call("POST", &path, Some(&json!([{"id": 31, "name": "A", "description": "a"}]))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()[0]["status"], "error", "{}", r.body);
    // Two records, two replies.
    let r = t.call("PUT", &path, Some(&json!([{"id": 31, "name": "X"}, {"id": 99, "name": "Y"}]))).await;
    let v = r.json();
    assert_eq!((v[0]["status"].as_str(), v[1]["status"].as_str()), (Some("success"), Some("error")), "{}", r.body);
}

#[tokio::test]
async fn log_unauthorized_event_and_the_log_settings_log_unauth_event_are_one_setting() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let (unauth_path, setting_path) = (format!("/logUnauthorizedEvent/{sid}/"), format!("/logsetting/{sid}"));
    let get_unauth = || t.call("GET", &unauth_path, None);
    let get_setting = || t.call("GET", &setting_path, None);
    let start = get_unauth().await.json()["enable"].clone();
    assert_eq!(get_setting().await.json()["log_unAuth_event"], start, "the same from the start");

    // §11.9 → §11.16
    for (word, on) in [("false", false), ("1", true), ("disable", false), ("enable", true)] {
        let r = t.call("PUT", &format!("/logUnauthorizedEvent/{sid}/{word}"), None).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(get_setting().await.json()["log_unAuth_event"], on, "{word}");
        assert_eq!(get_unauth().await.json()["enable"], on, "{word}");
    }
    // §11.16 → §11.10
    for on in [false, true] {
        let r = t.call("PUT", &format!("/logsetting/{sid}/"), Some(&json!({"log_unAuth_event": on}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(get_unauth().await.json()["enable"], on);
    }
    // A log setting without the field leaves it alone.
    t.call("PUT", &format!("/logUnauthorizedEvent/{sid}/false"), None).await;
    t.call("PUT", &format!("/logsetting/{sid}/"), Some(&json!({"log_event": "user_event"}))).await;
    assert_eq!(get_unauth().await.json()["enable"], false);
    assert_eq!(get_setting().await.json()["log_event"], "user_event");
}

#[tokio::test]
async fn delete_job_codes_without_a_filter_is_refused_and_deletes_nothing() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let before = t.sim.state(|s| s.job_codes.len());
    assert!(before > 1);
    for query in ["", "?", "?foo=bar", "?name=", "?name=%20"] {
        let r = t.call("DELETE", &format!("/jobcode/{sid}{query}"), None).await;
        assert_eq!(r.status, 400, "{query:?}: {}", r.body);
        assert_eq!(r.json()["status"], "error");
        assert!(r.json()["message"].as_str().unwrap().contains("§12.5"), "{}", r.body);
        assert_eq!(t.sim.state(|s| s.job_codes.len()), before, "{query:?}: nothing deleted");
    }
    // Any one filter is enough: every job code of setting 1.
    let r = t.call("DELETE", &format!("/jobcode/{sid}?jobcode=1"), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(t.sim.state(|s| s.job_codes.keys().all(|(setting, _)| *setting != 1)));
    assert!(t.sim.state(|s| !s.job_codes.is_empty()));
}
