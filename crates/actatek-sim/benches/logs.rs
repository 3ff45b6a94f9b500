//! The simulator's big-data paths, in release: a million demo logs generated, then 100k of
//! them answered over loopback HTTP to getLogs and getFullLogs. Prints each time and, as the
//! baseline, the time to serialize the same 100k logs collected into a `Vec` first.
//!
//! `cargo bench -p actatek-sim --bench logs`

use actatek_core::ops::{GetFullLogs, GetLogs, Operation};
use actatek_core::{Extra, Log, TerminalDateTime};
use actatek_sim::Simulator;
use std::time::{Duration, Instant};

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let before = rss_mib();
    let start = Instant::now();
    let sim = Simulator::builder().users(1000).logs(1_000_000).seed(1).build();
    let generated = start.elapsed();
    let grown = rss_mib() - before;
    println!(
        "generate 1,000,000 logs: {:.0} ms, +{grown:.0} MiB resident ({:.0} bytes per log)",
        ms(generated),
        grown * 1024.0 * 1024.0 / 1e6
    );

    let handle = sim.handle();
    let from = handle.state(|s| s.logs.iter().nth(900_000).unwrap().timestamp);
    let running = sim.start("127.0.0.1:0").await.unwrap();
    let http = reqwest::Client::new();
    let base = format!("{}/cgi-bin/restapi", running.url());
    let login = http.post(format!("{base}/login")).body(r#"{"username":"admin","password":"admin"}"#).send();
    let sid =
        login.await.unwrap().json::<serde_json::Value>().await.unwrap()["sessionid"].as_str().unwrap().to_string();
    let from = from.format("%Y-%m-%dT%H:%M:%S");

    let start = Instant::now();
    let body = http.get(format!("{base}/getLogs/{sid}?from={from}")).send().await.unwrap().bytes().await.unwrap();
    let served = start.elapsed();
    let start = Instant::now();
    let logs = GetLogs::read_reply(200, &body).unwrap();
    let parsed = start.elapsed();
    println!(
        "getLogs of {} logs ({:.1} MB): served in {:.0} ms; client parse {:.0} ms",
        logs.len(),
        body.len() as f64 / 1e6,
        ms(served),
        ms(parsed)
    );

    // Baseline: the same logs built into a Vec of the core's type, then serialized.
    let start = Instant::now();
    let collected: Vec<Log> = logs
        .iter()
        .map(|l| Log {
            log_id: l.log_id,
            user_id: l.user_id.clone(),
            timestamp: l.timestamp.map(|t| TerminalDateTime::Local(t.naive())),
            trigger: l.trigger.clone(),
            terminal_sn: l.terminal_sn.clone(),
            extra: Extra::new(),
        })
        .collect();
    let baseline = serde_json::to_vec(&collected).unwrap();
    let base_time = start.elapsed();
    assert_eq!(baseline.len(), body.len(), "same bytes");
    println!(
        "baseline (collect + serde_json::to_vec, no HTTP): {:.0} ms; served/baseline = {:.2}",
        ms(base_time),
        served.as_secs_f64() / base_time.as_secs_f64()
    );

    let start = Instant::now();
    let body = http.get(format!("{base}/getLogs/{sid}/?from={from}")).send().await.unwrap().bytes().await.unwrap();
    let served = start.elapsed();
    let full = GetFullLogs::read_reply(200, &body).unwrap();
    let photos = full.iter().filter(|l| l.jpeg_photo.is_some()).count();
    println!(
        "getFullLogs of {} logs ({photos} photos, {:.1} MB): served in {:.0} ms",
        full.len(),
        body.len() as f64 / 1e6,
        ms(served)
    );
    running.shutdown().await;
}
