//! `cargo bench -p actatek-cli --bench export`: the built `actatek` binary exporting logs from
//! simulated terminals started in this process.
//!
//! 1. 100,000 and then 1,000,000 logs from one terminal to CSV: logs/s and the child's peak
//!    RSS (VmHWM from /proc/<pid>/status, polled until it exits). The ratio of the two peaks
//!    shows that memory does not grow with the number of logs.
//! 2. 2,000 logs from each of 200 terminals (`--terminals FILE`, default concurrency 16)
//!    against the same export from one terminal: wall time and the ratio.
//!
//! `-- --quick` runs 10k/100k logs and 50 terminals instead.

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

fn count_rows(path: &Path) -> usize {
    let bytes = std::fs::read(path).expect("the CSV exists");
    bytes.iter().filter(|&&b| b == b'\n').count().saturating_sub(1)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (small, large, terminals, per_terminal) =
        if quick { (10_000, 100_000, 50, 2_000) } else { (100_000, 1_000_000, 200, 2_000) };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let cwd = dir.path();

    println!("== export to CSV: one terminal (chunk 1000, the default) ==");
    let mut results = Vec::new();
    for n in [small, large] {
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
        results.push((n, r));
        runtime.block_on(sim.shutdown());
    }
    let (a, b) = (&results[0].1, &results[1].1);
    println!(
        "peak RSS ratio {}/{}: {:.2} for {}x the logs (flat memory: ~1.0)",
        results[1].0,
        results[0].0,
        b.peak_kib as f64 / a.peak_kib.max(1) as f64,
        results[1].0 / results[0].0
    );

    println!("== fleet: {per_terminal} logs from each of {terminals} terminals (--concurrency 16) ==");
    let fleet = runtime
        .block_on(start_fleet(terminals, Simulator::builder().users(10).logs(per_terminal)))
        .expect("fleet starts");
    let urls = fleet.urls();
    std::fs::write(cwd.join("fleet.txt"), urls.join("\n")).expect("terminals file");
    let one = run(&["--url", &urls[0], "logs", "export", "--out", "one.csv"], cwd);
    assert_eq!(count_rows(&cwd.join("one.csv")), per_terminal);
    std::fs::create_dir_all(cwd.join("fleet")).expect("dir");
    let all = run(&["--terminals", "fleet.txt", "logs", "export", "--out", "fleet/logs.csv"], cwd);
    let files: Vec<_> = std::fs::read_dir(cwd.join("fleet")).expect("dir").flatten().collect();
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
    runtime.block_on(fleet.shutdown());
}
