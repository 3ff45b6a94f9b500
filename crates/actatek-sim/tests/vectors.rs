//! Every request of `tests/vectors/requests.json` (what the client sends, byte for byte), sent
//! raw to the simulator: each must be routed to its operation, pass the simulator's
//! validation, and (when it succeeds) answer something the core's reader accepts. This is the
//! proof that the simulator and every client agree on every path.

mod common;

use actatek_core::*;
use actatek_sim::{Simulator, TerminalState};
use chrono::NaiveDateTime;
use common::Term;
use serde_json::Value;
use std::collections::BTreeSet;

fn vectors() -> Value {
    let path = format!("{}/../../tests/vectors/requests.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

/// `url` with the path segment `old` (a session id) replaced by `new`.
fn swap_session(url: &str, old: &str, new: &str) -> String {
    let (path, query) = url.split_once('?').map_or((url, None), |(p, q)| (p, Some(q)));
    let path: Vec<&str> = path.split('/').map(|s| if s == old { new } else { s }).collect();
    let path = path.join("/");
    match query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    }
}

fn user(id: &str) -> User {
    let mut u = User::new(id);
    u.status = Some(UserStatus::active());
    u.password = Some(id.into());
    u
}

fn job_code(setting: u32, id: u32, name: &str) -> JobCode {
    JobCode {
        jobcode: Some(JobCodeSettingId::new(setting).unwrap()),
        id: Some(JobCodeId::new(id).unwrap()),
        name: Some(name.into()),
        enable: Some(JobCodeEnable::Enable),
        extra: Extra::new(),
    }
}

/// The state each manual example expects (the file deletes A123 before activating it, adds
/// departments it later updates, …): arranged again before every case.
fn arrange(s: &mut TerminalState, op: &str) {
    for id in ["A123", "A/1 #2?", "José 1", "A33322", "111", "A0001"] {
        s.users.entry(id.to_string()).or_insert_with(|| user(id));
    }
    match op {
        "add_user" | "add_users" => {
            s.users.remove("A0001");
        }
        "add_departments" => {
            s.departments.remove(&21);
            s.departments.remove(&22);
        }
        "add_access_rights" => {
            s.access_rights.remove(&14);
        }
        "add_access_groups" => {
            s.access_groups.remove(&14);
        }
        "add_job_codes" => {
            s.job_codes.clear();
        }
        "delete_departments" => {
            s.departments.insert(0, Department::new(0, "General", "General"));
            s.departments.insert(22, Department::new(22, "Sales & Marketing", "Sales & Marketing"));
        }
        "delete_job_codes" => {
            s.job_codes.insert((1, 1), job_code(1, 1, "ONE"));
        }
        "update_myself" => {
            s.users.insert("A0001".into(), user("A0001"));
        }
        _ => {}
    }
    if op != "add_departments" {
        s.departments.entry(21).or_insert_with(|| Department::new(21, "ABC", "LONG"));
        s.departments.entry(0).or_insert_with(|| Department::new(0, "General", "General"));
        s.departments.entry(22).or_insert_with(|| Department::new(22, "Sales & Marketing", "Sales & Marketing"));
    }
    if op != "add_access_rights" {
        s.access_rights.entry(14).or_insert_with(|| AccessRight { id: Some(14), ..AccessRight::default() });
    }
    if op != "add_access_groups" {
        for id in [14, 15] {
            s.access_groups.entry(id).or_insert_with(|| AccessGroup {
                id: Some(id),
                departmentid: Some(1),
                ..AccessGroup::default()
            });
        }
    }
    if op != "add_job_codes" {
        s.job_codes.entry((1, 1)).or_insert_with(|| job_code(1, 1, "ONE"));
    }
    for url in [
        "https://anc.cde.com",
        "http://abc.def.com:8080/AccessServer/Agent Service.asmx",
        "https://agent.example.com/hook?id=7&x=1",
    ] {
        if !s.agents.iter().any(|a| a.url.as_deref() == Some(url)) {
            s.agents.push(Agent {
                url: Some(url.into()),
                registration_time: None,
                last_update: None,
                last_check: None,
                last_check_status: None,
                active: Some(true),
                extra: Extra::new(),
            });
        }
    }
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
}

#[tokio::test]
async fn every_request_vector_is_routed_to_its_operation() {
    let t = Term::start(Simulator::builder().users(3).logs(50)).await;
    // The state the manual's examples talk about.
    t.sim.state_mut(|s| {
        let sn = s.serial.clone();
        s.logs.push_with_photo(at("2025-07-20T00:00:00"), "A123", "IN", &sn, vec![0xFF, 0xD8, 0xFF, 0xD9]);
        s.logs.push_with_photo(at("2025-07-16T10:24:13"), "A123", "IN", &sn, vec![0xFF, 0xD8, 0xFF, 0xD9]);
        s.door_open_schedule = true;
        s.holidays.insert(HolidayDate::parse("2026-05-10").unwrap());
    });
    let file = vectors();
    let default_session = file["session"].as_str().unwrap();
    let mut admin = t.admin().await;
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    let mut ok = 0;
    for case in file["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let op = case["operation"].as_str().unwrap();
        let expect = &case["expect"];
        let session = case["session"].as_str().unwrap_or(default_session);
        t.sim.state_mut(|s| arrange(s, op));
        // §8.2: update_myself names the logged-in user.
        let sid = if op == "update_myself" { t.login("A0001", "A0001").await } else { admin.clone() };
        let url = swap_session(expect["url"].as_str().unwrap(), session, &sid);
        let method = reqwest::Method::from_bytes(expect["method"].as_str().unwrap().as_bytes()).unwrap();
        let mut req = t.http.request(method, format!("{}{url}", t.sim.url()));
        if !expect["body"].is_null() {
            req = req.header("content-type", "application/json").body(serde_json::to_vec(&expect["body"]).unwrap());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let body = resp.bytes().await.unwrap();
        let recorded = t.sim.requests().pop().unwrap();
        covered.insert(op.to_string());
        if recorded.operation.as_deref() != Some(op) {
            failures.push(format!("{name}: routed to {:?}, expected {op}", recorded.operation));
            continue;
        }
        let text = String::from_utf8_lossy(&body);
        if text.contains("invalid input") || status == 404 {
            failures.push(format!("{name}: refused: HTTP {status} {text}"));
            continue;
        }
        if status == 200 {
            ok += 1;
            match AnyOperation::read_reply_json(op, status, &body) {
                Some(Ok(_)) => {}
                other => failures.push(format!("{name}: reply not readable: {other:?}: {text}")),
            }
        } else if op != "login" {
            // Only the manual's login example (user "xxx") is expected to fail.
            failures.push(format!("{name}: HTTP {status} {text}"));
        }
        if op == "logout" {
            admin = t.admin().await;
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(covered.len(), 72, "every operation has a vector");
    assert!(ok > 100, "{ok} requests succeeded");
}
