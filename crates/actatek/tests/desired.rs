//! Desired state applied to simulated terminals over loopback (issue 16): terminals that each
//! differ converge in one apply; lost and refused writes followed by another apply converge
//! with no duplicate records; records and fields the declaration does not mention stay.

mod common;

use actatek::core::plan::{PlanOptions, State};
use actatek::ops::*;
use actatek::*;
use actatek_sim::{DriftConfig, Fault, RunningSimulator, Simulator};
use serde_json::json;

fn count(sim: &RunningSimulator, op: &str) -> usize {
    sim.requests().iter().filter(|r| r.operation.as_deref() == Some(op)).count()
}

fn desired() -> State {
    let user = |i: usize| {
        let mut u = User::new(format!("D{i:03}"));
        u.last_name = Some(format!("Person {i}"));
        u.department_id = Some(vec![(i % 3) as i64 + 1]);
        u.status = Some(UserStatus::all(true));
        u
    };
    State {
        departments: vec![
            Department::new(1, "Head office", "Board"),
            Department::new(2, "Sales", "Sales & Marketing"),
            Department::new(30, "Night shift", "Warehouse, 22:00-06:00"),
        ],
        users: (1..=25).map(user).collect(),
        holidays: vec![HolidayDate::parse("2026-12-25").unwrap(), HolidayDate::parse("2026-12-26").unwrap()],
        ..State::default()
    }
}

/// Terminal `i` of the fleet: a different number of demo users, some of the declared users
/// already there (some with other names), an unmanaged user with a field nobody models.
async fn terminal(i: usize) -> (RunningSimulator, Client) {
    let mut b = Simulator::builder().users(i % 4).logs(0).seed(i as u64).admin(common::USER, common::PASSWORD);
    if i == 7 {
        // One terminal whose firmware writes its replies differently (and can be written back).
        b = b.drift_config(DriftConfig::write_back_safe(11));
    }
    let sim = b.build().start("127.0.0.1:0").await.unwrap();
    let t = common::client(&sim);
    let mut users: Vec<User> = (1..=25)
        .filter(|n| n % (i + 2) == 0)
        .map(|n| {
            let mut u = User::new(format!("D{n:03}"));
            u.last_name = Some(if n % 2 == 0 { format!("Person {n}") } else { "Old name".into() });
            u.status = Some(UserStatus::all(false));
            u
        })
        .collect();
    let mut keep = User::new("KEEP");
    keep.status = Some(UserStatus::all(true));
    keep.extra.insert("badgeColour".into(), json!("green"));
    users.push(keep);
    t.add_users(users).await.unwrap();
    (sim, t)
}

#[tokio::test]
async fn a_fleet_that_differs_converges_in_one_apply_and_a_second_finds_nothing() {
    let want = desired();
    let mut fleet = Vec::new();
    for i in 0..20 {
        fleet.push(terminal(i).await);
    }
    for (i, (sim, t)) in fleet.iter().enumerate() {
        let before = t.plan(&want, &PlanOptions::default()).await.unwrap();
        assert!(!before.is_empty(), "terminal {i}");
        sim.clear_requests();
        let report = t.apply(&want, &PlanOptions::default()).await.unwrap();
        assert!(report.converged(), "terminal {i}: {report:?}");
        assert_eq!(report.rounds.len(), 2, "terminal {i}: one round of writes, one read to confirm");
        // Batched: one add_users and at most one update_users, never a call per user.
        assert_eq!(count(sim, "add_users"), 1, "terminal {i}");
        assert!(count(sim, "update_users") <= 1, "terminal {i}");
        assert_eq!(count(sim, "add_user") + count(sim, "update_user"), 0, "terminal {i}");

        let users = t.get_users(GetUsers::default()).await.unwrap();
        for u in &want.users {
            let found: Vec<&User> = users.iter().filter(|x| x.user_id == u.user_id).collect();
            assert_eq!(found.len(), 1, "terminal {i}: {:?}", u.user_id);
            assert_eq!(found[0].last_name, u.last_name, "terminal {i}");
            assert_eq!(found[0].department_id, u.department_id, "terminal {i}");
        }
        // What the declaration does not mention is still there, unknown fields included.
        let keep = users.iter().find(|u| u.user_id.as_deref() == Some("KEEP")).expect("unmanaged user kept");
        assert_eq!(keep.extra.get("badgeColour"), Some(&json!("green")), "terminal {i}");
        assert!(users.iter().any(|u| u.user_id.as_deref() == Some("U0001")) || i % 4 == 0, "terminal {i}");
        let departments = t.get_departments(GetDepartments::default()).await.unwrap();
        assert!(departments.iter().any(|d| d.id == Some(3)), "terminal {i}: an undeclared department stays");

        sim.clear_requests();
        let again = t.apply(&want, &PlanOptions::default()).await.unwrap();
        assert_eq!(again.rounds.len(), 1, "terminal {i}: {again:?}");
        assert!(again.converged());
        let writes =
            sim.requests().iter().filter(|r| r.method != "GET" && r.operation.as_deref() != Some("login")).count();
        assert_eq!(writes, 0, "terminal {i}: a second apply writes nothing");
    }
}

#[tokio::test]
async fn lost_and_refused_writes_then_another_apply_converge_without_duplicates() {
    let want = desired();
    let (sim, t) = terminal(3).await;
    sim.clear_requests();
    // The answer to add_users is lost after the terminal ran it: the apply reads again and
    // does not send those users a second time.
    sim.faults().push(Fault::drop_after().on("add_users"));
    let report = t.apply(&want, &PlanOptions::default()).await.unwrap();
    assert!(report.converged(), "{report:?}");
    assert_eq!(count(&sim, "add_users"), 1, "never resent");
    assert!(report.rounds.len() >= 3, "the lost write cost a round: {report:?}");
    assert!(report.rounds[1].users.iter().all(|c| c.verb() != "create"), "the re-read found the users");

    // A terminal error on the next write stops that apply; the next apply converges.
    let mut more = want.clone();
    more.users.iter_mut().for_each(|u| u.last_name = Some("Renamed".into()));
    sim.faults().push(Fault::status500().on("update_users"));
    let stopped = t.apply(&more, &PlanOptions::default()).await.unwrap();
    assert!(!stopped.converged(), "{stopped:?}");
    assert!(!stopped.refused.is_empty());
    let done = t.apply(&more, &PlanOptions::default()).await.unwrap();
    assert!(done.converged(), "{done:?}");

    let users = t.get_users(GetUsers::default()).await.unwrap();
    for u in &want.users {
        assert_eq!(users.iter().filter(|x| x.user_id == u.user_id).count(), 1, "{:?}", u.user_id);
    }
    assert!(
        users
            .iter()
            .filter(|u| u.user_id.as_deref().is_some_and(|id| id.starts_with('D')))
            .all(|u| u.last_name.as_deref() == Some("Renamed"))
    );
}

#[tokio::test]
async fn prune_deletes_only_what_a_declared_kind_does_not_mention() {
    let (_sim, t) = terminal(5).await;
    let mut want = desired();
    want.holidays.clear();
    let report = t.apply(&want, &PlanOptions { prune: true, ..PlanOptions::default() }).await.unwrap();
    assert!(report.converged(), "{report:?}");
    let users = t.get_users(GetUsers::default()).await.unwrap();
    let ids: Vec<&str> = users.iter().filter_map(|u| u.user_id.as_deref()).collect();
    assert!(!ids.contains(&"KEEP"), "pruned: {ids:?}");
    assert_eq!(ids.len(), 25 + 1, "the declared users and the admin: {ids:?}");
    let departments = t.get_departments(GetDepartments::default()).await.unwrap();
    assert_eq!(departments.len(), 3);
}
