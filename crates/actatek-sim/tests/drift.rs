//! Drift mode over loopback: replies written as other firmware versions might write them,
//! reproducible for a seed, switchable over `/_sim/drift`, never changing the state, never
//! dropping the identity a client writes a record back with.

mod common;

use actatek_sim::{Clock, DriftConfig, DriftKind, Simulator, SimulatorBuilder};
use chrono::{TimeZone, Utc};
use common::Term;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn frozen() -> Clock {
    Clock::frozen(Utc.with_ymd_and_hms(2025, 7, 20, 12, 0, 0).unwrap())
}

fn small() -> SimulatorBuilder {
    Simulator::builder().users(6).logs(40).seed(3).clock(frozen())
}

/// Remove trailing commas (a `,` before `}` or `]`, outside strings) and nothing else.
fn without_trailing_commas(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let (mut in_string, mut escaped) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' && chars[i + 1..].iter().find(|c| !c.is_whitespace()).is_some_and(|n| *n == '}' || *n == ']') {
            continue;
        }
        out.push(c);
    }
    out
}

/// The reply as JSON after removing trailing commas: the only liberty drift takes with syntax.
fn repaired(body: &str) -> Value {
    serde_json::from_str(&without_trailing_commas(body)).unwrap_or_else(|e| panic!("not repairable ({e}): {body}"))
}

/// A list reply's records (one object counts as a list of one).
fn records(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// Read requests touching every kind of record, with `{sid}` to fill in.
const READS: &[&str] = &[
    "/user/{sid}",
    "/UserBatch/{sid}/0/3",
    "/myself/{sid}/",
    "/getLogs/{sid}?employeeID=U0001",
    "/getLogs/{sid}/4",
    "/department/{sid}",
    "/department/{sid}?id=1",
    "/accessright/{sid}",
    "/accessright/{sid}?id=1",
    "/accessgroup/{sid}",
    "/trigger/{sid}?type=IN",
    "/trigger/{sid}",
    "/relaysetting/{sid}/ALL",
    "/relaysetting/{sid}/ONE",
    "/autoInOut/{sid}/",
    "/logsetting/{sid}",
    "/logUnauthorizedEvent/{sid}/",
    "/jobcodesetting/{sid}",
    "/jobcode/{sid}",
    "/jobcode/{sid}?jobcode=1&id=1",
    "/holiday/{sid}",
    "/UserCount/{sid}",
    "/UserAPITOTP/{sid}/U0001/QR_PLAINTEXT",
    "/terminalstatus/{sid}",
    "/ntp/{sid}",
    "/time/{sid}",
    "/consent/{sid}",
    "/apiversion",
];

/// Arrange what the demo data lacks (a crowd reset time, an agent) before drift is on.
async fn arrange(t: &Term, sid: &str) {
    let auto =
        json!({"mode": "crowd_control", "crowd_limit_count": 10, "crowd_reset_hhmm": "09:30", "auto_reset": true});
    assert_eq!(t.call("PUT", &format!("/autoInOut/{sid}"), Some(&auto)).await.status, 200);
    let agent = json!({"url": "http://127.0.0.1:9/agent", "agentVersion": "1.2", "magic": ""});
    assert_eq!(t.call("POST", &format!("/agent/{sid}"), Some(&agent)).await.status, 200);
}

/// `rounds` passes over [`READS`] (plus get_agents and a failing request): every body.
async fn read_all(t: &Term, sid: &str, rounds: usize) -> Vec<(String, u16, String)> {
    let mut out = Vec::new();
    for _ in 0..rounds {
        for path in READS.iter().copied().chain(["/agent/{sid}", "/user/{sid}/NOBODY"]) {
            let path = path.replace("{sid}", sid);
            let method = if path.ends_with("/NOBODY") { "DELETE" } else { "GET" };
            let r = t.call(method, &path, None).await;
            out.push((path.replace(sid, "***"), r.status, r.body));
        }
    }
    out
}

#[tokio::test]
async fn the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes() {
    let mut runs = Vec::new();
    for drift in [11, 11, 12] {
        let t = Term::start(small().drift(drift)).await;
        let sid = t.admin().await;
        arrange(&t, &sid).await;
        runs.push(read_all(&t, &sid, 3).await);
    }
    assert_eq!(runs[0].len(), runs[1].len());
    for (a, b) in runs[0].iter().zip(&runs[1]) {
        assert_eq!(a, b, "same seed, same requests, same bytes");
    }
    let differ = runs[0].iter().zip(&runs[2]).filter(|(a, b)| a.2 != b.2).count();
    assert!(differ > runs[0].len() / 4, "another seed drifts otherwise ({differ} of {})", runs[0].len());
}

#[tokio::test]
async fn every_kind_of_mutation_occurs_and_every_reply_stays_repairable_json() {
    let t = Term::start(small().drift(2025)).await;
    let sid = t.admin().await;
    arrange(&t, &sid).await;
    t.sim.clear_requests();
    let replies = read_all(&t, &sid, 10).await;
    assert!(replies.len() >= 300);

    let mut kinds = BTreeSet::new();
    for r in t.sim.requests() {
        kinds.extend(r.drift);
    }
    assert_eq!(kinds, DriftKind::ALL.into_iter().collect(), "every kind over {} replies", replies.len());

    let mut seen = BTreeSet::new();
    for (path, status, body) in &replies {
        let v = repaired(body);
        if body.contains(", }") || body.contains(", ]") {
            seen.insert("trailing comma");
        }
        if body.contains("\"fw_extra_") {
            seen.insert("extra field");
        }
        if body.contains("\"accessID\"") || body.contains("\"timeSpec\"") {
            seen.insert("SOAP name");
        }
        if body.contains("\"9:30\"") {
            seen.insert("crowd_reset_hhmm 9:30");
        }
        if body.contains("\"timestamp\":\"\"") {
            seen.insert("empty timestamp");
        }
        if body.contains("\"GUESTUSER\"")
            || body.contains("\"emergency_release\"")
            || body.contains("\"time_attendance\"")
        {
            seen.insert("unknown enum");
        }
        if *status >= 400 {
            assert_eq!(v["status"], "error", "{path}: {body}");
            assert!(v["message"].as_str().unwrap().contains("NOBODY"), "{path}: {body}");
            continue;
        }
        // The identity a client writes a record back with is always there.
        if path.starts_with("/cgi-bin/restapi/user/") || path.contains("/UserBatch/") || path.contains("/myself/") {
            assert!(records(&v).iter().all(|u| u["userID"].is_string()), "{path}: {body}");
        }
        if path.contains("/relaysetting/") {
            assert!(records(&v).iter().all(|r| r["id"] == "ONE" || r["id"] == "TWO"), "{path}: {body}");
        }
        if path.contains("/accessright/") {
            assert!(records(&v).iter().all(|r| r.get("id").or(r.get("accessID")).is_some()), "{path}: {body}");
        }
        if path.contains("/jobcode/") {
            assert!(records(&v).iter().all(|c| c.get("jobcode").is_some() && c.get("id").is_some()), "{body}");
        }
    }
    let want =
        ["trailing comma", "extra field", "SOAP name", "crowd_reset_hhmm 9:30", "empty timestamp", "unknown enum"];
    assert_eq!(seen, want.into_iter().collect(), "seen in the bytes");
}

#[tokio::test]
async fn drift_changes_only_how_replies_are_written_never_the_state() {
    let plain = Term::start(small()).await;
    let drifting = Term::start(small().drift(9)).await;
    let (sid_p, sid_d) = (plain.admin().await, drifting.admin().await);
    read_all(&plain, &sid_p, 2).await;
    read_all(&drifting, &sid_d, 2).await;
    let users = |t: &Term| t.sim.state(|s| s.users.clone());
    let relays = |t: &Term| t.sim.state(|s| s.relays.clone());
    let rights = |t: &Term| t.sim.state(|s| s.access_rights.clone());
    assert_eq!(users(&plain), users(&drifting));
    assert_eq!(relays(&plain), relays(&drifting));
    assert_eq!(rights(&plain), rights(&drifting));
    assert_eq!(plain.sim.logs_len(), drifting.sim.logs_len());

    // Writes through a drifting terminal land as on any terminal.
    for (t, sid) in [(&plain, &sid_p), (&drifting, &sid_d)] {
        let r = t
            .call(
                "PUT",
                &format!("/relaysetting/{sid}/"),
                Some(&json!({"id": "TWO", "option": "doorbell", "delay": 7})),
            )
            .await;
        assert_eq!(repaired(&r.body)["status"], "success", "{}", r.body);
    }
    assert_eq!(relays(&plain), relays(&drifting));
}

#[tokio::test]
async fn the_control_api_switches_drift_on_and_off() {
    let t = Term::start(small()).await;
    let sid = t.admin().await;
    let paths: Vec<String> = READS.iter().map(|p| p.replace("{sid}", &sid)).collect();
    let mut plain = Vec::new();
    for p in &paths {
        plain.push(t.call("GET", p, None).await.body);
    }

    assert_eq!(t.control("GET", "drift", None).await, json!({"seed": null, "kinds": [], "replies": 0}));
    let on = t.control("POST", "drift", Some(json!({"seed": 5}))).await;
    assert_eq!(on["seed"], 5);
    assert_eq!(on["kinds"].as_array().unwrap().len(), DriftKind::ALL.len());
    assert_eq!(t.sim.drift(), Some(DriftConfig::new(5)));
    let mut changed = 0;
    for (p, before) in paths.iter().zip(&plain) {
        let now = t.call("GET", p, None).await.body;
        changed += usize::from(&now != before);
    }
    assert!(changed > paths.len() / 3, "drift on: {changed} of {} replies rewritten", paths.len());
    assert_eq!(t.control("GET", "drift", None).await["replies"], paths.len());

    let off = t.control("POST", "drift", Some(json!({"seed": null}))).await;
    assert_eq!(off["seed"], Value::Null);
    for (p, before) in paths.iter().zip(&plain) {
        assert_eq!(&t.call("GET", p, None).await.body, before, "drift off: {p}");
    }

    // A chosen mix, then DELETE.
    let only = t.control("POST", "drift", Some(json!({"seed": 5, "kinds": ["trailing_comma", "extra_field"]}))).await;
    assert_eq!(only["kinds"], json!(["extra_field", "trailing_comma"]));
    t.sim.clear_requests();
    for p in &paths {
        let body = t.call("GET", p, None).await.body;
        assert!(!body.contains("\"accessID\""), "{body}");
    }
    let applied: BTreeSet<DriftKind> = t.sim.requests().into_iter().flat_map(|r| r.drift).collect();
    assert_eq!(applied, [DriftKind::ExtraField, DriftKind::TrailingComma].into_iter().collect());
    let recorded = t.control("GET", "requests", None).await;
    assert!(recorded.as_array().unwrap().iter().any(|r| r["drift"].is_array()), "the request log says what drifted");
    t.control("DELETE", "drift", None).await;
    assert_eq!(t.sim.drift(), None);
    assert_eq!(t.call("GET", &paths[0], None).await.body, plain[0]);

    // Switching on again restarts the sequence: the same bytes as the first time.
    t.control("POST", "drift", Some(json!({"seed": 5}))).await;
    let first: Vec<String> = {
        let mut v = Vec::new();
        for p in &paths {
            v.push(t.call("GET", p, None).await.body);
        }
        v
    };
    t.control("POST", "drift", Some(json!({"seed": 5}))).await;
    for (p, want) in paths.iter().zip(&first) {
        assert_eq!(&t.call("GET", p, None).await.body, want, "{p}");
    }

    let bad =
        t.http.post(format!("{}/_sim/drift", t.sim.url())).json(&json!({"seed": 1, "kinds": ["nope"]})).send().await;
    assert!(bad.unwrap().status().is_client_error());
}

#[tokio::test]
async fn the_builder_and_the_command_line_choose_the_mix() {
    let t = Term::start(small().drift_config(DriftConfig::only(3, [DriftKind::DropField]))).await;
    let sid = t.admin().await;
    for _ in 0..5 {
        let body = t.call("GET", &format!("/user/{sid}"), None).await.body;
        let v: Value = serde_json::from_str(&body).expect("no trailing commas in this mix");
        assert!(!body.contains("fw_extra"));
        assert!(records(&v).iter().all(|u| u["userID"].is_string()));
    }
    assert!(t.sim.requests().iter().flat_map(|r| r.drift.iter()).all(|k| *k == DriftKind::DropField));

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        sim: actatek_sim::SimArgs,
    }
    use clap::Parser;
    let args = ["actatek-sim", "--listen", "127.0.0.1:0", "--users", "1", "--logs", "1", "--drift", "7"];
    let cli = Cli::try_parse_from(args).unwrap();
    let fleet = actatek_sim::start_from_args(&cli.sim).await.unwrap();
    assert_eq!(fleet.terminals()[0].drift(), Some(DriftConfig::new(7)));
    fleet.shutdown().await;
    let cli = Cli::try_parse_from(args.into_iter().chain(["--drift-kinds", "soap_names,single_object"])).unwrap();
    let fleet = actatek_sim::start_from_args(&cli.sim).await.unwrap();
    assert_eq!(
        fleet.terminals()[0].drift(),
        Some(DriftConfig::only(7, [DriftKind::SoapNames, DriftKind::SingleObject]))
    );
    fleet.shutdown().await;
    assert!(Cli::try_parse_from(["actatek-sim", "--drift-kinds", "drop_field"]).is_err(), "kinds need a seed");
    assert!(Cli::try_parse_from(["actatek-sim", "--drift", "1", "--drift-kinds", "nope"]).is_err());
}

#[tokio::test]
async fn with_the_write_back_safe_mix_records_read_can_be_written_back_as_they_are() {
    let t = Term::start(small().drift_config(DriftConfig::write_back_safe(77))).await;
    let sid = t.admin().await;
    arrange(&t, &sid).await;
    for round in 0..15 {
        // get users → update a user
        let v = repaired(&t.call("GET", &format!("/user/{sid}"), None).await.body);
        let mut user = records(&v)[round % 6].clone();
        let id = user["userID"].as_str().unwrap().to_string();
        user["firstName"] = json!(format!("Round{round}"));
        let r = t.call("PUT", &format!("/user/{sid}"), Some(&user)).await;
        assert_eq!(repaired(&r.body)["status"], "success", "{user}: {}", r.body);
        assert_eq!(t.sim.state(|s| s.users[&id].first_name.clone()), Some(format!("Round{round}")));

        // get and set a relay setting
        let v = repaired(&t.call("GET", &format!("/relaysetting/{sid}/TWO"), None).await.body);
        let mut relay = records(&v)[0].clone();
        relay["delay"] = json!(round % 20 + 1);
        let r = t.call("PUT", &format!("/relaysetting/{sid}/"), Some(&relay)).await;
        assert_eq!(repaired(&r.body)["status"], "success", "{relay}: {}", r.body);

        // get and set auto in/out
        let auto = repaired(&t.call("GET", &format!("/autoInOut/{sid}/"), None).await.body);
        let r = t.call("PUT", &format!("/autoInOut/{sid}"), Some(&auto)).await;
        assert_eq!(repaired(&r.body)["status"], "success", "{auto}: {}", r.body);
        assert_eq!(
            t.sim.state(|s| s.auto_in_out.crowd_reset_hhmm.as_ref().map(|h| h.to_string())).as_deref(),
            Some("09:30")
        );
    }
    let applied: BTreeSet<DriftKind> = t.sim.requests().into_iter().flat_map(|r| r.drift).collect();
    assert!(applied.iter().all(|k| DriftKind::WRITE_BACK_SAFE.contains(k)), "{applied:?}");
    assert!(applied.len() >= 4, "{applied:?}");
}

#[tokio::test]
async fn quirks_and_drift_together_still_answer_repairable_json() {
    let t = Term::start(small().quirks(true).drift(4)).await;
    let sid = t.admin().await;
    for _ in 0..10 {
        for path in ["/consent/{sid}", "/department/{sid}", "/accessgroup/{sid}", "/getLogs/{sid}/3"] {
            let r = t.call("GET", &path.replace("{sid}", &sid), None).await;
            assert_eq!(r.status, 200);
            let v = repaired(&r.body);
            if path.starts_with("/consent") {
                assert_eq!(v["status"], "succes", "quirks wrote it, drift kept it: {}", r.body);
            }
        }
    }
    assert!(t.sim.requests().iter().any(|r| !r.drift.is_empty()));
}
