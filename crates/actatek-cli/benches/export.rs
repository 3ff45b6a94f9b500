//! `cargo bench -p actatek-cli --bench export`: the built `actatek` binary exporting logs from
//! simulated terminals started in this process.
//!
//! 1. 100,000 and then 1,000,000 logs from one terminal to CSV: logs/s and the child's peak
//!    RSS (VmHWM from /proc/<pid>/status, polled until it exits). The ratio of the two peaks
//!    shows that memory does not grow with the number of logs.
//!    Beside each export, its baseline in the same run: the bare transfer of exactly the pages
//!    the export asked for (replayed from the simulator's request log with a plain reqwest
//!    client, bodies read and dropped, nothing parsed or written).
//! 2. 2,000 logs from each of 200 terminals (`--terminals FILE`, default concurrency) against
//!    the same export from one terminal, first on loopback, then with every terminal answering
//!    each request 200 ms late (a real terminal is far slower than loopback): wall time, peak
//!    RSS and the ratio.
//!
//! Each comparison also prints one `bench:` line (name, figure, baseline, ratio) that
//! `scripts/bench.sh` gathers into its table. `-- --quick` runs 10k/100k logs and 50 terminals;
//! `-- --export` only the one-terminal exports, `-- --fleet` only the fleet.

use actatek_sim::{Simulator, start_fleet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_actatek");

struct Run {
    secs: f64,
    peak_kib: u64,
}

/// VmHWM (peak resident set) of a live process, in KiB.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Run the binary; poll its peak RSS until it exits.
fn run(args: &[&str], cwd: &Path) -> Run {
    let start = Instant::now();
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env_remove("ACTATEK_URL")
        .env("ACTATEK_USER", "admin")
        .env("ACTATEK_PASSWORD", "admin")
        .env("XDG_CONFIG_HOME", cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the actatek binary runs");
    let pid = child.id();
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = vm_hwm(pid) {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        panic!("actatek {args:?} failed ({status}): {err}");
    }
    Run { secs, peak_kib: peak }
}

/// One line for `scripts/bench.sh`: `bench: NAME | FIGURE | BASELINE | RATIO | GOAL`.
fn report(name: &str, figure: &str, baseline: &str, ratio: f64, goal: &str) {
    println!("bench: {name} | {figure} | {baseline} | {ratio:.2} | {goal}");
}

/// The bare transfer of the pages an export asked for: log in, then GET each recorded
/// getLogs path (session id put back) and drop the body. Seconds, and bytes read.
async fn bare_transfer(sim: &actatek_sim::RunningSimulator) -> (f64, u64) {
    let pages: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| r.operation.as_deref() == Some("get_full_logs"))
        .map(|r| match r.query {
            Some(q) => format!("{}?{q}", r.path),
            None => r.path,
        })
        .collect();
    let http = reqwest::Client::new();
    let start = Instant::now();
    let login: serde_json::Value = http
        .post(format!("{}/cgi-bin/restapi/login", sim.url()))
        .body(r#"{"username":"admin","password":"admin"}"#)
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login reply");
    let sid = match &login["sessionid"] {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut bytes = 0u64;
    for page in &pages {
        let url = format!("{}{}", sim.url(), page.replace("***", &sid));
        let body = http.get(url).send().await.expect("page").bytes().await.expect("body");
        bytes += body.len() as u64;
    }
    (start.elapsed().as_secs_f64(), bytes)
}

fn count_rows(path: &Path) -> usize {
    let bytes = std::fs::read(path).expect("the CSV exists");
    bytes.iter().filter(|&&b| b == b'\n').count().saturating_sub(1)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    // `-- --fleet`: only the fleet runs.
    let fleet_only = std::env::args().any(|a| a == "--fleet");
    // `-- --export`: only the one-terminal exports run.
    let export_only = std::env::args().any(|a| a == "--export");
    let (small, large, terminals, per_terminal) =
        if quick { (10_000, 100_000, 50, 2_000) } else { (100_000, 1_000_000, 200, 2_000) };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let cwd = dir.path();

    println!("== export to CSV: one terminal (chunk 1000, the default) ==");
    let mut results = Vec::new();
    for n in if fleet_only { vec![] } else { vec![small, large] } {
        let sim = runtime
            .block_on(Simulator::builder().users(50).logs(n).build().start("127.0.0.1:0"))
            .expect("simulator starts");
        let out = format!("logs-{n}.csv");
        let r = run(&["--url", sim.url(), "logs", "export", "--out", &out], cwd);
        let rows = count_rows(&cwd.join(&out));
        assert_eq!(rows, n, "every log exported");
        let _ = std::fs::remove_file(cwd.join(&out));
        println!(
            "{n:>9} logs: {:7.2} s, {:>9.0} logs/s, peak RSS {:6.1} MiB",
            r.secs,
            n as f64 / r.secs,
            r.peak_kib as f64 / 1024.0
        );
        let (bare, bytes) = runtime.block_on(bare_transfer(&sim));
        println!(
            "{n:>9} logs, bare transfer of the same pages: {bare:7.2} s ({:.1} MB), {:>9.0} logs/s",
            bytes as f64 / 1e6,
            n as f64 / bare
        );
        report(
            &format!("CLI export of {n} logs to CSV (logs/s)"),
            &format!("{:.0}k logs/s, {:.1} MiB peak", n as f64 / r.secs / 1e3, r.peak_kib as f64 / 1024.0),
            &format!("bare transfer {:.0}k logs/s", n as f64 / bare / 1e3),
            bare / r.secs,
            "≥ 0.8 of the bare transfer's rate",
        );
        results.push((n, r));
        runtime.block_on(sim.shutdown());
    }
    if let [(_, a), (_, b)] = &results[..] {
        println!(
            "peak RSS ratio {}/{}: {:.2} for {}x the logs (flat memory: ~1.0)",
            results[1].0,
            results[0].0,
            b.peak_kib as f64 / a.peak_kib.max(1) as f64,
            results[1].0 / results[0].0
        );
    }

    for latency_ms in if export_only { vec![] } else { vec![0u64, 200] } {
        fleet_run(&runtime, cwd, terminals, per_terminal, latency_ms);
    }
}

/// 2,000 logs from each terminal of a fleet against the same from one terminal.
fn fleet_run(runtime: &tokio::runtime::Runtime, cwd: &Path, terminals: usize, per_terminal: usize, latency_ms: u64) {
    println!("== fleet: {per_terminal} logs from each of {terminals} terminals, {latency_ms} ms per answer ==");
    let builder = Simulator::builder().users(10).logs(per_terminal).latency(Duration::from_millis(latency_ms));
    let fleet = runtime.block_on(start_fleet(terminals, builder)).expect("fleet starts");
    let urls = fleet.urls();
    std::fs::write(cwd.join("fleet.txt"), urls.join("\n")).expect("terminals file");
    let one = run(&["--url", &urls[0], "logs", "export", "--out", "one.csv"], cwd);
    assert_eq!(count_rows(&cwd.join("one.csv")), per_terminal);
    let dir = format!("fleet-{latency_ms}");
    std::fs::create_dir_all(cwd.join(&dir)).expect("dir");
    let out = format!("{dir}/logs.csv");
    let mut args = vec!["--terminals", "fleet.txt", "logs", "export", "--out", &out];
    // `-- --concurrency N`: the fleet at another concurrency than the default.
    let concurrency = flag_value("--concurrency");
    if let Some(n) = &concurrency {
        args.extend(["--concurrency", n]);
    }
    // `-- --chunk N`: the fleet's pages of another size.
    let chunk = flag_value("--chunk");
    if let Some(n) = &chunk {
        args.extend(["--chunk", n]);
    }
    let all = run(&args, cwd);
    let files: Vec<_> = std::fs::read_dir(cwd.join(&dir)).expect("dir").flatten().collect();
    assert_eq!(files.len(), terminals, "one CSV per terminal");
    let total: usize = files.iter().map(|f| count_rows(&f.path())).sum();
    assert_eq!(total, terminals * per_terminal);
    println!("  1 terminal : {:6.2} s ({:.0} logs/s)", one.secs, per_terminal as f64 / one.secs);
    println!(
        "{terminals:>3} terminals: {:6.2} s ({:.0} logs/s in all, peak RSS {:.1} MiB)",
        all.secs,
        total as f64 / all.secs,
        all.peak_kib as f64 / 1024.0
    );
    println!(
        "fleet / one = {:.1}x the wall time for {terminals}x the work ({:.1}x faster than one after another)",
        all.secs / one.secs,
        one.secs * terminals as f64 / all.secs
    );
    report(
        &format!("CLI fleet export, {terminals} terminals x {per_terminal} logs, {latency_ms} ms latency (wall)"),
        &format!("{:.2} s, {:.1} MiB peak", all.secs, all.peak_kib as f64 / 1024.0),
        &format!("one terminal {:.2} s", one.secs),
        all.secs / one.secs,
        "wall ≤ 2× one terminal's, ≤ 100 MB",
    );
    runtime.block_on(fleet.shutdown());
}

/// The value after `name` on the command line.
fn flag_value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}
