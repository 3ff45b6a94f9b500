//! Fuzzes every reply reader and the JSON repair with mutated replies (not part of CI; run
//! `bash scripts/fuzz.sh`, default 10 million inputs). Stable Rust, no sanitizer runtime:
//! nightly cannot be installed on these machines, which rules out cargo-fuzz's libFuzzer
//! build; this is a mutation fuzzer seeded with every reply vector of
//! `tests/vectors/responses.json` and their firmware mutations (`actatek_core::mutate`).
//!
//! Each input is a seed body with one to four random edits (byte flips, inserted JSON
//! punctuation, deleted or duplicated ranges, splices from another body, deep nesting,
//! huge numbers, long strings), read by the seed's operation and by a random other one, and
//! repaired. A panic is caught, counted and its input written to `target/fuzz-crashes/`. The
//! run prints inputs, panics, throughput and the peak resident memory.
//!
//!     cargo run --release -p actatek-core --example fuzz_replies -- [INPUTS] [SEED]

use actatek_core::{AnyOperation, OPERATIONS, mutate, repair};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

struct Seed {
    operation: &'static str,
    status: u16,
    body: Vec<u8>,
}

fn seeds() -> Vec<Seed> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/responses.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("responses.json")).expect("JSON");
    let mut out = Vec::new();
    for case in doc["cases"].as_array().expect("cases") {
        let name = case["operation"].as_str().expect("operation");
        let operation = OPERATIONS.iter().find(|o| o.name == name).expect("known operation").name;
        let status = case["status"].as_u64().unwrap_or(200) as u16;
        let body = case["body"].as_str().unwrap_or("").as_bytes().to_vec();
        if let Ok(v) = serde_json::from_slice::<Value>(&body)
            .or_else(|_| serde_json::from_slice::<Value>(&repair::repair(&body).unwrap_or_default()))
        {
            for m in mutate::mutations(&v) {
                out.push(Seed { operation, status, body: serde_json::to_vec(&m.body).unwrap() });
            }
        }
        out.push(Seed { operation, status, body });
    }
    out
}

const PUNCT: &[u8] = b"{}[]\",:0123456789-+.eE truefalsn\\u00ZzT";

fn mutate_bytes(rng: &mut SmallRng, body: &mut Vec<u8>, other: &[u8]) {
    for _ in 0..rng.random_range(1..=4) {
        let len = body.len();
        match rng.random_range(0..9) {
            0 if len > 0 => {
                let i = rng.random_range(0..len);
                body[i] ^= 1 << rng.random_range(0..8);
            }
            1 => {
                let i = rng.random_range(0..=len);
                body.insert(i, PUNCT[rng.random_range(0..PUNCT.len())]);
            }
            2 if len > 0 => {
                let a = rng.random_range(0..len);
                let b = (a + rng.random_range(1..=16)).min(len);
                body.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.random_range(0..len);
                let b = (a + rng.random_range(1..=32)).min(len);
                let piece = body[a..b].to_vec();
                let at = rng.random_range(0..=body.len());
                body.splice(at..at, piece);
            }
            4 if !other.is_empty() => {
                let a = rng.random_range(0..other.len());
                let b = (a + rng.random_range(1..=64)).min(other.len());
                let at = rng.random_range(0..=len);
                body.splice(at..at, other[a..b].iter().copied());
            }
            5 => {
                // Deep nesting, as a hostile or broken peer might send.
                let depth = rng.random_range(1..=400);
                let at = rng.random_range(0..=len);
                let open = if rng.random_bool(0.5) { b'[' } else { b'{' };
                body.splice(at..at, std::iter::repeat_n(open, depth));
            }
            6 => {
                let at = rng.random_range(0..=len);
                let big = ["1e999", "-0", "99999999999999999999999", "1.5", "\"\\ud800\"", "NaN"];
                body.splice(at..at, big[rng.random_range(0..big.len())].bytes());
            }
            7 => {
                let at = rng.random_range(0..=len);
                let n = rng.random_range(1..=5000);
                body.splice(at..at, std::iter::once(b'"').chain(std::iter::repeat_n(b'a', n)).chain([b'"']));
            }
            _ if len > 0 => {
                body.truncate(rng.random_range(0..len));
            }
            _ => {}
        }
    }
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let inputs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0x5eed);
    let seeds = seeds();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let (done, panics, readable) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    std::panic::set_hook(Box::new(|_| {}));
    let crash_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/fuzz-crashes");
    let start = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (seeds, done, panics, readable) = (&seeds, &done, &panics, &readable);
            scope.spawn(move || {
                let mut rng = SmallRng::seed_from_u64(seed.wrapping_add(t));
                let share = inputs / threads + u64::from(t < inputs % threads);
                for i in 0..share {
                    let s = &seeds[rng.random_range(0..seeds.len())];
                    let other = &seeds[rng.random_range(0..seeds.len())].body;
                    let mut body = s.body.clone();
                    mutate_bytes(&mut rng, &mut body, other);
                    let op = if rng.random_bool(0.8) {
                        s.operation
                    } else {
                        OPERATIONS[rng.random_range(0..OPERATIONS.len())].name
                    };
                    let outcome = catch_unwind(AssertUnwindSafe(|| {
                        let read = AnyOperation::read_reply_json(op, s.status, &body).expect("known operation");
                        let _ = repair::repair(&body);
                        read.is_ok()
                    }));
                    match outcome {
                        Ok(true) => {
                            readable.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(false) => {}
                        Err(_) => {
                            let n = panics.fetch_add(1, Ordering::Relaxed);
                            if n < 20 {
                                let _ = std::fs::create_dir_all(crash_dir);
                                let _ = std::fs::write(format!("{crash_dir}/{op}-{t}-{i}.json"), &body);
                            }
                        }
                    }
                    if i % 100_000 == 0 {
                        done.fetch_add(i.min(100_000), Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let secs = start.elapsed().as_secs_f64();
    let panics = panics.load(Ordering::Relaxed);
    println!(
        "fuzz: {inputs} inputs over {} operations ({} seeds, {threads} threads) in {secs:.1} s ({:.0} inputs/s), {} read, {panics} panics, peak RSS {} MiB",
        OPERATIONS.len(),
        seeds.len(),
        inputs as f64 / secs,
        readable.load(Ordering::Relaxed),
        peak_rss_kib() / 1024,
    );
    if panics > 0 {
        eprintln!("fuzz: inputs that panicked are in target/fuzz-crashes/");
        std::process::exit(1);
    }
}
