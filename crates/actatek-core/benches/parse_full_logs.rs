//! Reading a large getFullLogs reply (§2.2): 100,000 records, in two shapes: 5 % of the logs
//! carrying a 6 KB photo, and no photos at all.
//!
//! Times, in one run and on the same bytes, the core's tolerant typed reader
//! (`GetFullLogs::read_reply`: every field optional, unreadable values kept, unknown fields in
//! `extra`) against its baseline, a strict serde derive of the same record with owned `String`
//! fields read into `Vec<Struct>` (what a hand-written client would do, and which fails on the
//! first odd value), and `serde_json::Value` for reference; then the tolerant reader element by
//! element over the same bytes cut into 64 KB chunks (`http::ReplyReader`, how the client
//! reads a list while it arrives). Each reader runs in a process of its own (the bench starts
//! itself once per reader): one warm-up, then the median of 7 runs. Prints `bench:` lines per
//! shape for `scripts/bench.sh`.
//!
//! Run: `cargo bench -p actatek-core --bench parse_full_logs`

use actatek_core::http::ReplyReader;
use actatek_core::ops::{GetFullLogs, Operation};
use base64::Engine;
use serde::Deserialize;
use serde_json::Value;
use std::hint::black_box;
use std::time::{Duration, Instant};

const RECORDS: usize = 100_000;
const RUNS: usize = 7;

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

/// The reply as a terminal writes it (field order of the manual's example); every
/// `photo_every`-th log has a photo of `photo_bytes` bytes (base64: 4/3 of that).
fn full_logs_reply(records: usize, photo_every: usize, photo_bytes: usize) -> Vec<u8> {
    const FIRST: &[&str] = &["Edwin", "Sing", "María", "Zoë", "John", "Ben", "Ægir", "Li", "Anna", "Kofi"];
    const LAST: &[&str] = &["Li", "Chiu", "Núñez", "Smith", "O'Brien", "Müller", "Wong", "Chan", "Okafor"];
    const DEPARTMENTS: &[&str] = &["General", "Sales", "R&D", "Warehouse", "Front Desk", "Security"];
    const TRIGGERS: &[&str] = &["IN", "OUT", "F1", "F2", "REMOTE DOOR OPEN", "ACCESS DENIED"];
    const METHODS: &[&str] = &["FACE", "CARD", "FINGERPRINT", "PIN", "QR"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let start = chrono::NaiveDate::from_ymd_opt(2025, 7, 16).unwrap().and_hms_opt(6, 0, 0).unwrap();
    let mut photo = vec![0u8; photo_bytes];
    let mut out = Vec::with_capacity(records * 520);
    out.push(b'[');
    for i in 0..records {
        if i > 0 {
            out.push(b',');
        }
        let method = rng.pick(METHODS);
        let timestamp = start + chrono::Duration::seconds(i as i64 * 7 + (rng.next() % 5) as i64);
        let record = serde_json::json!({
            "logID": 9355 + i,
            "userID": format!("{}", 100 + rng.next() % 5000),
            "userName": format!("{} {}", rng.pick(FIRST), rng.pick(LAST)),
            "departmentName": rng.pick(DEPARTMENTS),
            "timestamp": timestamp.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "trigger": rng.pick(TRIGGERS),
            "terminalSN": format!("00111D0000{:02}", rng.next() % 4),
            "terminalName": "ACTAtek",
        });
        let mut record = match record {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        if photo_every > 0 && i % photo_every == 0 {
            for b in photo.iter_mut() {
                *b = rng.next() as u8;
            }
            record.insert("jpegPhoto".into(), base64::engine::general_purpose::STANDARD.encode(&photo).into());
        }
        record.insert("accessMethod".into(), method.into());
        record.insert("remarks".into(), format!("#{method}#").into());
        serde_json::to_writer(&mut out, &record).unwrap();
    }
    out.push(b']');
    out
}

fn median_of_runs<T>(mut f: impl FnMut() -> T) -> Duration {
    black_box(f()); // warm-up
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

/// The baseline: a strict serde derive of the record, owned strings, no tolerance.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct StrictFullLog {
    #[serde(rename = "logID")]
    log_id: i64,
    #[serde(rename = "userID")]
    user_id: String,
    #[serde(rename = "userName")]
    user_name: String,
    #[serde(rename = "departmentName")]
    department_name: String,
    timestamp: String,
    trigger: String,
    #[serde(rename = "terminalSN")]
    terminal_sn: String,
    #[serde(rename = "terminalName")]
    terminal_name: String,
    #[serde(rename = "jpegPhoto", default)]
    jpeg_photo: Option<String>,
    #[serde(rename = "accessMethod")]
    access_method: String,
    remarks: String,
}

fn shape(name: &str, photo_every: usize, photo_bytes: usize) {
    let bytes = full_logs_reply(RECORDS, photo_every, photo_bytes);
    let mb = bytes.len() as f64 / 1e6;

    let typed = GetFullLogs::read_reply(200, &bytes).expect("the reply reads");
    assert_eq!(typed.len(), RECORDS, "typed reader must return every record");
    let photos = RECORDS.checked_div(photo_every).unwrap_or(0);
    assert_eq!(typed.iter().filter(|l| l.jpeg_photo.is_some()).count(), photos);
    assert!(typed.iter().all(|l| l.extra.is_empty() && l.remarks.is_some()));
    let strict: Vec<StrictFullLog> = serde_json::from_slice(&bytes).expect("strict reads");
    assert_eq!(strict.len(), RECORDS);
    assert!(
        strict
            .iter()
            .zip(&typed)
            .all(|(s, t)| Some(s.log_id) == t.log_id && Some(s.remarks.as_str()) == t.remarks.as_deref())
    );
    drop((typed, strict));

    let t_typed = in_own_process("tolerant", photo_every, photo_bytes);
    let t_strict = in_own_process("strict", photo_every, photo_bytes);
    let t_value = in_own_process("value", photo_every, photo_bytes);
    let t_chunked = in_own_process("chunked", photo_every, photo_bytes);
    let rate = |t: Duration| mb / t.as_secs_f64();
    println!(
        "getFullLogs reply, {name}: {RECORDS} records, {mb:.1} MB (median of {RUNS} runs after a warm-up, each reader in a process of its own)"
    );
    println!("{:<52} {:>10} {:>10}", "reader", "ms", "MB/s");
    for (label, t) in [
        ("tolerant typed  GetFullLogs::read_reply", t_typed),
        ("strict serde    Vec<StrictFullLog>", t_strict),
        ("untyped         serde_json::Value", t_value),
        ("tolerant typed, element by element in 64 KB chunks", t_chunked),
    ] {
        println!("{label:<52} {:>10.1} {:>10.1}", t.as_secs_f64() * 1e3, rate(t));
    }
    let ratio = t_strict.as_secs_f64() / t_typed.as_secs_f64();
    println!("tolerant / strict speed: {ratio:.2}x");
    println!(
        "bench: core parse, 100k full logs, {name} (speed) | tolerant {:.0} MB/s | strict serde {:.0} MB/s | {ratio:.2} | ≥ 1.0",
        rate(t_typed),
        rate(t_strict)
    );
    println!(
        "bench: core parse while it arrives, 100k full logs, {name} (speed) | element by element {:.0} MB/s | whole body {:.0} MB/s | {:.2} | (what overlapping the transfer costs)",
        rate(t_chunked),
        rate(t_typed),
        t_typed.as_secs_f64() / t_chunked.as_secs_f64()
    );
}

/// The median time of one reader over a shape's bytes, measured in a process of its own: how
/// fast an allocator-heavy reader goes depends on the heap the run before left behind (the
/// strict reader, a `malloc` per text, ran 30 % faster right after our reader had freed its
/// records than after its own run), so no reader runs after another.
fn in_own_process(reader: &str, photo_every: usize, photo_bytes: usize) -> Duration {
    let out = std::process::Command::new(std::env::current_exe().expect("the bench's own path"))
        .env(CHILD, format!("{reader}:{photo_every}:{photo_bytes}"))
        .output()
        .expect("the bench runs itself");
    assert!(out.status.success(), "{reader}: {}", String::from_utf8_lossy(&out.stderr));
    let nanos: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("nanoseconds");
    Duration::from_nanos(nanos)
}

const CHILD: &str = "ACTATEK_PARSE_BENCH_READER";

/// In a child: one reader's median, in nanoseconds, on stdout.
fn child(spec: &str) {
    let parts: Vec<&str> = spec.split(':').collect();
    let (photo_every, photo_bytes) = (parts[1].parse().unwrap(), parts[2].parse().unwrap());
    let bytes = full_logs_reply(RECORDS, photo_every, photo_bytes);
    let t = match parts[0] {
        "tolerant" => median_of_runs(|| GetFullLogs::read_reply(200, black_box(&bytes)).unwrap().len()),
        "strict" => median_of_runs(|| serde_json::from_slice::<Vec<StrictFullLog>>(black_box(&bytes)).unwrap().len()),
        "value" => median_of_runs(|| serde_json::from_slice::<Value>(black_box(&bytes)).unwrap()),
        // The same reply read element by element as it arrives (what the client does
        // natively), fed in 64 KB chunks as a connection hands them over.
        "chunked" => {
            let chunks: Vec<bytes::Bytes> = bytes.chunks(64 << 10).map(bytes::Bytes::copy_from_slice).collect();
            median_of_runs(|| {
                let mut reader = ReplyReader::new(GetFullLogs::read_reply, 200, None);
                for chunk in black_box(&chunks) {
                    reader.feed(chunk.clone());
                }
                assert_eq!(reader.elements_read(), Some(RECORDS), "read as it arrived");
                reader.finish().unwrap().len()
            })
        }
        other => panic!("unknown reader {other}"),
    };
    println!("{}", t.as_nanos());
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        return child(&spec);
    }
    shape("5 % with 6 KB photos", 20, 4608);
    shape("no photos", 0, 0);
}
