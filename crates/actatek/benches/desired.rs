//! `cargo bench -p actatek --bench desired`: desired state at fleet scale (issue 16). 5,000
//! users declared for 20 simulated terminals that each answer 200 ms late (as a real terminal
//! does); each already holds 2,500 of them, 500 under another name. Prints the planner's own
//! time (sans-IO, 5,000 users against 2,500), the fleet's apply wall time and its requests,
//! beside the requests a naive sync sends (one call per user that differs, after one read),
//! then a second apply (nothing to do). `-- --quick`: 1,000 users, 5 terminals.

use actatek::core::plan::{PlanOptions, State, plan};
use actatek::{Client, User, UserStatus};
use actatek_sim::Simulator;
use std::time::{Duration, Instant};

fn user(i: usize, name: &str) -> User {
    let mut u = User::new(format!("P{i:05}"));
    u.last_name = Some(name.to_string());
    u.department_id = Some(vec![(i % 5) as i64 + 1]);
    u.status = Some(UserStatus::all(true));
    u
}

fn report(name: &str, figure: &str, baseline: &str, ratio: f64, goal: &str) {
    println!("bench: {name} | {figure} | {baseline} | {ratio:.3} | {goal}");
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (users, terminals) = if quick { (1_000, 5) } else { (5_000, 20) };
    let latency = Duration::from_millis(200);
    let desired = State { users: (0..users).map(|i| user(i, &format!("Person {i}"))).collect(), ..State::default() };
    // What each terminal already holds: the first half, a fifth of all under an old name.
    let held: Vec<User> = (0..users / 2)
        .map(|i| user(i, &if i % 5 == 0 { "Old name".to_string() } else { format!("Person {i}") }))
        .collect();
    let naive_per_terminal =
        1 + (users - users / 2) + held.iter().filter(|u| u.last_name.as_deref() == Some("Old name")).count();

    // The planner alone, sans-IO.
    let current = State { users: held.clone(), ..State::default() };
    let start = Instant::now();
    let p = plan(&current, &desired, &PlanOptions::default()).expect("valid");
    let plan_ms = start.elapsed().as_secs_f64() * 1000.0;
    let writes = p.operations().len();
    println!("planner: {users} declared users against {} held: {plan_ms:.1} ms, {writes} batched writes", held.len());

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let options = PlanOptions::default();
    rt.block_on(async {
        let mut fleet = Vec::new();
        for i in 0..terminals {
            let sim = Simulator::builder().users(0).logs(0).seed(i as u64).build().start("127.0.0.1:0").await.unwrap();
            let t = Client::builder(sim.url(), "admin", "admin").timeout(Duration::from_secs(60)).build().unwrap();
            for chunk in held.chunks(100) {
                t.add_users(chunk.to_vec()).await.unwrap();
            }
            sim.set_latency(latency);
            sim.clear_requests();
            fleet.push((sim, t));
        }
        let start = Instant::now();
        let reports = futures::future::join_all(fleet.iter().map(|(_, t)| t.apply(&desired, &options))).await;
        let wall = start.elapsed().as_secs_f64();
        let requests: usize = fleet.iter().map(|(sim, _)| sim.requests().len()).sum();
        for r in &reports {
            assert!(r.as_ref().is_ok_and(|r| r.converged()), "{r:?}");
        }
        println!("apply: {terminals} terminals, {wall:.2} s wall, {requests} requests (logins included)");
        let naive = naive_per_terminal * terminals;
        report(
            &format!("desired-state apply, {users} users x {terminals} terminals, 200 ms latency (requests)"),
            &format!("{requests} requests, {wall:.1} s wall"),
            &format!(
                "naive one call per changed user: {naive} requests (≥ {:.0} s per terminal at 200 ms)",
                naive_per_terminal as f64 * 0.2
            ),
            requests as f64 / naive as f64,
            "fewer requests than naive",
        );
        for (sim, _) in &fleet {
            sim.clear_requests();
        }
        let start = Instant::now();
        let again = futures::future::join_all(fleet.iter().map(|(_, t)| t.apply(&desired, &options))).await;
        let wall2 = start.elapsed().as_secs_f64();
        assert!(again.iter().all(|r| r.as_ref().is_ok_and(|r| r.rounds.len() == 1)));
        let requests2: usize = fleet.iter().map(|(sim, _)| sim.requests().len()).sum();
        println!("second apply: {wall2:.2} s wall, {requests2} requests (reads only)");
        report(
            &format!("desired-state plan, {users} declared against {} held (sans-IO)", users / 2),
            &format!("{plan_ms:.1} ms"),
            &format!("a second fleet apply with nothing to do: {wall2:.2} s wall"),
            plan_ms / 1000.0 / wall2,
            "planning is not the cost",
        );
    });
}
