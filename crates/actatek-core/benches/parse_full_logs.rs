//! Reading a large getFullLogs reply (§2.2): 100,000 records, every 10th with a ~2 KB photo.
//!
//! Times, in one run, the typed reader (`GetFullLogs::read_reply`, via the `Operation` trait)
//! against `serde_json::from_slice::<Value>` on the same bytes: one warm-up, then the median of
//! 7 runs each. A third row times a prototype `FullLog` reader written by hand (known keys
//! matched directly, unknown ones collected into `extra`), to compare with serde's
//! `#[serde(flatten)]` derive; it must produce exactly the same records.
//!
//! Run: `cargo bench -p actatek-core --bench parse_full_logs`

use actatek_core::ops::{GetFullLogs, Operation};
use base64::Engine;
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

/// The reply as a terminal writes it (field order of the manual's example).
fn full_logs_reply(records: usize) -> Vec<u8> {
    const FIRST: &[&str] = &["Edwin", "Sing", "María", "Zoë", "John", "Ben", "Ægir", "Li", "Anna", "Kofi"];
    const LAST: &[&str] = &["Li", "Chiu", "Núñez", "Smith", "O'Brien", "Müller", "Wong", "Chan", "Okafor"];
    const DEPARTMENTS: &[&str] = &["General", "Sales", "R&D", "Warehouse", "Front Desk", "Security"];
    const TRIGGERS: &[&str] = &["IN", "OUT", "F1", "F2", "REMOTE DOOR OPEN", "ACCESS DENIED"];
    const METHODS: &[&str] = &["FACE", "CARD", "FINGERPRINT", "PIN", "QR"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let start = chrono::NaiveDate::from_ymd_opt(2025, 7, 16).unwrap().and_hms_opt(6, 0, 0).unwrap();
    let mut photo = vec![0u8; 1536]; // 2048 base64 characters
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
        if i % 10 == 0 {
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

/// Prototype: a hand-written `Deserialize` for `FullLog` (what `#[serde(flatten)] extra`
/// could be replaced by). Known keys go straight into their fields with the same lenient
/// readers; unknown keys are collected into `extra`; duplicates and missing required fields
/// are errors, as with the derive.
mod hand_written {
    use actatek_core::lenient;
    use actatek_core::{Base64Blob, Extra, FullLog, TerminalDateTime};
    use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
    use serde_json::Value;
    use std::fmt;

    pub struct Fast(pub FullLog);

    enum Key {
        LogId,
        UserId,
        UserName,
        DepartmentName,
        Timestamp,
        Trigger,
        TerminalSn,
        TerminalName,
        JpegPhoto,
        AccessMethod,
        Remarks,
        Other(String),
    }

    impl<'de> Deserialize<'de> for Key {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Key;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a field name")
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
                    Ok(match s {
                        "logID" => Key::LogId,
                        "userID" => Key::UserId,
                        "userName" => Key::UserName,
                        "departmentName" => Key::DepartmentName,
                        "timestamp" => Key::Timestamp,
                        "trigger" => Key::Trigger,
                        "terminalSN" => Key::TerminalSn,
                        "terminalName" => Key::TerminalName,
                        "jpegPhoto" => Key::JpegPhoto,
                        "accessMethod" => Key::AccessMethod,
                        "remarks" => Key::Remarks,
                        other => Key::Other(other.to_string()),
                    })
                }
            }
            d.deserialize_identifier(V)
        }
    }

    struct Int(i64);
    impl<'de> Deserialize<'de> for Int {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            lenient::int(d).map(Int)
        }
    }

    struct OptString(Option<String>);
    impl<'de> Deserialize<'de> for OptString {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            lenient::opt_string(d).map(OptString)
        }
    }

    fn set<'de, A: MapAccess<'de>, T>(slot: &mut Option<T>, name: &'static str, v: T) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = Some(v);
        Ok(())
    }

    impl<'de> Deserialize<'de> for Fast {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Fast;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an event log")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fast, A::Error> {
                    let mut log_id = None;
                    let mut timestamp = None;
                    // Optional fields: the outer Option says "seen", for duplicate detection.
                    let (mut user_id, mut user_name, mut department_name, mut trigger) = (None, None, None, None);
                    let (mut terminal_sn, mut terminal_name, mut jpeg_photo) = (None, None, None);
                    let (mut access_method, mut remarks) = (None, None);
                    let mut extra = Extra::new();
                    while let Some(key) = map.next_key::<Key>()? {
                        match key {
                            Key::LogId => set::<A, _>(&mut log_id, "logID", map.next_value::<Int>()?.0)?,
                            Key::Timestamp => {
                                set::<A, _>(&mut timestamp, "timestamp", map.next_value::<TerminalDateTime>()?)?
                            }
                            Key::UserId => set::<A, _>(&mut user_id, "userID", map.next_value::<OptString>()?.0)?,
                            Key::TerminalSn => {
                                set::<A, _>(&mut terminal_sn, "terminalSN", map.next_value::<OptString>()?.0)?
                            }
                            Key::UserName => {
                                set::<A, _>(&mut user_name, "userName", map.next_value::<Option<String>>()?)?
                            }
                            Key::DepartmentName => set::<A, _>(
                                &mut department_name,
                                "departmentName",
                                map.next_value::<Option<String>>()?,
                            )?,
                            Key::Trigger => set::<A, _>(&mut trigger, "trigger", map.next_value::<Option<String>>()?)?,
                            Key::TerminalName => {
                                set::<A, _>(&mut terminal_name, "terminalName", map.next_value::<Option<String>>()?)?
                            }
                            Key::JpegPhoto => {
                                set::<A, _>(&mut jpeg_photo, "jpegPhoto", map.next_value::<Option<Base64Blob>>()?)?
                            }
                            Key::AccessMethod => {
                                set::<A, _>(&mut access_method, "accessMethod", map.next_value::<Option<String>>()?)?
                            }
                            Key::Remarks => set::<A, _>(&mut remarks, "remarks", map.next_value::<Option<String>>()?)?,
                            Key::Other(name) => {
                                let v = map.next_value::<Value>()?;
                                extra.insert(name, v);
                            }
                        }
                    }
                    Ok(Fast(FullLog {
                        log_id: Some(log_id.ok_or_else(|| de::Error::missing_field("logID"))?),
                        user_id: user_id.flatten(),
                        user_name: user_name.flatten(),
                        department_name: department_name.flatten(),
                        timestamp: Some(timestamp.ok_or_else(|| de::Error::missing_field("timestamp"))?),
                        trigger: trigger.flatten(),
                        terminal_sn: terminal_sn.flatten(),
                        terminal_name: terminal_name.flatten(),
                        jpeg_photo: jpeg_photo.flatten(),
                        access_method: access_method.flatten(),
                        remarks: remarks.flatten(),
                        extra,
                    }))
                }
            }
            d.deserialize_map(V)
        }
    }

    /// The same steps as the core's reader for a list reply: trim, one-or-many, end of input.
    pub fn read(body: &[u8]) -> Result<Vec<FullLog>, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_slice(body.trim_ascii());
        let logs: Vec<Fast> = lenient::many(&mut de)?;
        de.end()?;
        Ok(logs.into_iter().map(|f| f.0).collect())
    }
}

fn main() {
    let bytes = full_logs_reply(RECORDS);
    let mb = bytes.len() as f64 / 1e6;

    let typed = GetFullLogs::read_reply(200, &bytes).expect("the reply reads");
    assert_eq!(typed.len(), RECORDS, "typed reader must return every record");
    assert_eq!(typed.iter().filter(|l| l.jpeg_photo.is_some()).count(), RECORDS / 10);
    assert!(typed.iter().all(|l| l.extra.is_empty() && l.remarks.is_some()));
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(RECORDS));
    let fast = hand_written::read(&bytes).unwrap();
    assert_eq!(fast, typed, "the prototype reads exactly what the derive reads");
    // With unknown fields too (they go to `extra` in both).
    let odd = br#"[{"logID": "7", "timestamp": "2025-07-16T10:24:13Z", "userID": 111, "x": [1, {"y": null}], "jpegPhoto": null}]"#;
    assert_eq!(hand_written::read(odd).unwrap(), GetFullLogs::read_reply(200, odd).unwrap());
    drop((typed, value, fast));

    let t_typed = median_of_runs(|| GetFullLogs::read_reply(200, black_box(&bytes)).unwrap().len());
    let t_value = median_of_runs(|| serde_json::from_slice::<Value>(black_box(&bytes)).unwrap());
    let t_fast = median_of_runs(|| hand_written::read(black_box(&bytes)).unwrap().len());

    let rate = |t: Duration| mb / t.as_secs_f64();
    println!("getFullLogs reply: {RECORDS} records, {mb:.1} MB (median of {RUNS} runs after a warm-up)");
    println!("{:<34} {:>10} {:>10}", "reader", "ms", "MB/s");
    for (name, t) in [
        ("typed  GetFullLogs::read_reply", t_typed),
        ("value  serde_json::Value", t_value),
        ("proto  hand-written FullLog", t_fast),
    ] {
        println!("{name:<34} {:>10.1} {:>10.1}", t.as_secs_f64() * 1e3, rate(t));
    }
    println!(
        "typed: {:.1} MB/s  value: {:.1} MB/s  ratio {:.2}x   (prototype: {:.1} MB/s, {:.2}x of typed)",
        rate(t_typed),
        rate(t_value),
        t_value.as_secs_f64() / t_typed.as_secs_f64(),
        rate(t_fast),
        t_typed.as_secs_f64() / t_fast.as_secs_f64(),
    );
}
