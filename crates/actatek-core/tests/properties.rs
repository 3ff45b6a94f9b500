//! Properties of the core, checked on random inputs (proptest):
//!
//! 1. no reply body, however broken, makes a reply reader panic (nor `repair`, nor `route`);
//! 2. every valid value survives its wire form (text and JSON), and records keep the fields
//!    they do not model;
//! 3. valid inputs build requests whose path and query decode back to the inputs, and the
//!    simulator's router finds the same operation and parameters again.

use actatek_core::ops::{AddLog, DeleteUser, GetLogs, GetUsers, Operation, UpdateUser};
use actatek_core::repair::repair;
use actatek_core::routing::route;
use actatek_core::*;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use std::fmt::Debug;
use std::sync::OnceLock;

// --- Shared strategies -------------------------------------------------------------------------

/// Text a user might type, heavy on the characters that break URLs and JSON.
fn wild() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[ /#?&=%+:;.,~_\\-\"'\\\\a-zA-Z0-9éü日本😀\u{0}\u{7f}\t]{0,16}",
        1 => any::<String>(),
    ]
}

fn non_blank() -> impl Strategy<Value = String> {
    wild().prop_filter("non-blank", |s| !s.trim().is_empty())
}

/// A date-time with millisecond precision (what the terminal writes), years 0001–9999.
fn naive_datetime() -> impl Strategy<Value = NaiveDateTime> {
    (1i32..=3_652_059, 0u32..86_400, prop_oneof![Just(0u32), 0u32..1000]).prop_map(|(day, secs, ms)| {
        let date = NaiveDate::from_num_days_from_ce_opt(day).expect("day in range");
        date.and_time(NaiveTime::from_num_seconds_from_midnight_opt(secs, ms * 1_000_000).expect("time in range"))
    })
}

fn terminal_datetime() -> impl Strategy<Value = TerminalDateTime> {
    (naive_datetime(), any::<bool>())
        .prop_map(|(n, utc)| if utc { TerminalDateTime::utc(n.and_utc()) } else { TerminalDateTime::local(n) })
}

/// Any JSON value whose text form round-trips exactly (floats are binary fractions).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1_000_000i32..1_000_000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
        wild().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(wild(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Fields no record models: `x-` keeps them clear of every wire name.
fn extra() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(wild().prop_map(|k| format!("x-{k}")), json_value(), 0..4)
        .prop_map(|m| m.into_iter().collect())
}

fn json_round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(v: &T) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(v).map_err(|e| TestCaseError::fail(format!("{v:?}: {e}")))?;
    let back: T = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
    prop_assert_eq!(&back, v, "through {}", text);
    Ok(())
}

// --- 1. Reply readers never panic -------------------------------------------------------------

const STATUSES: [u16; 4] = [200, 400, 500, 404];

/// The reply bodies of tests/vectors/responses.json: (operation, status, body).
fn reply_vectors() -> &'static [(String, u16, Vec<u8>)] {
    static VECTORS: OnceLock<Vec<(String, u16, Vec<u8>)>> = OnceLock::new();
    VECTORS.get_or_init(|| {
        let path = format!("{}/../../tests/vectors/responses.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect(&path);
        let file: Value = serde_json::from_str(&text).expect(&path);
        let cases = file["cases"].as_array().expect("cases");
        let out: Vec<_> = cases
            .iter()
            .map(|c| {
                let op = c["operation"].as_str().expect("operation").to_string();
                let status = c["status"].as_u64().expect("status") as u16;
                (op, status, c["body"].as_str().expect("body").as_bytes().to_vec())
            })
            .collect();
        assert!(out.len() > 50, "responses.json has its cases");
        out
    })
}

/// Every reader, on one body: Ok or Err, never a panic. A non-2xx status is always an API error.
fn read_with_every_operation(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    for op in OPERATIONS {
        let result = AnyOperation::read_reply_json(op.name, status, body)
            .ok_or_else(|| TestCaseError::fail(format!("{} has no reader", op.name)))?;
        if !(200..300).contains(&status) {
            prop_assert!(matches!(result, Err(ReplyError::Api { .. })), "{} {}: {:?}", op.name, status, result);
        }
    }
    Ok(())
}

/// One edit of a reply body.
#[derive(Debug, Clone)]
enum Edit {
    Truncate(Index),
    SetByte(Index, u8),
    Insert(Index, &'static str),
    Delete(Index, usize),
    Duplicate(Index, usize),
}

const TOKENS: &[&str] = &[
    ",",
    "}",
    "]",
    "{",
    "[",
    "\"",
    ":",
    "\\",
    "null",
    "true",
    "\"x\"",
    "-1e999",
    "1e400",
    "0.5",
    "-",
    "[]",
    "{}",
    "\"\\u00\"",
    "\u{fffd}",
    "\"succes\"",
    "\"status\":\"error\"",
    "\"logID\":",
    "[[[[[[[[",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<Index>().prop_map(Edit::Truncate),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Edit::SetByte(i, b)),
        (any::<Index>(), prop::sample::select(TOKENS)).prop_map(|(i, t)| Edit::Insert(i, t)),
        (any::<Index>(), 1usize..16).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<Index>(), 1usize..64).prop_map(|(i, n)| Edit::Duplicate(i, n)),
    ]
}

fn apply(body: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut b = body.to_vec();
    for e in edits {
        let at = |i: &Index, b: &Vec<u8>| i.index(b.len() + 1);
        match e {
            Edit::Truncate(i) => b.truncate(at(i, &b)),
            Edit::SetByte(i, v) if !b.is_empty() => {
                let i = i.index(b.len());
                b[i] = *v;
            }
            Edit::SetByte(..) => {}
            Edit::Insert(i, t) => {
                let i = at(i, &b);
                b.splice(i..i, t.bytes());
            }
            Edit::Delete(i, n) => {
                let i = at(i, &b);
                let end = (i + n).min(b.len());
                b.drain(i..end);
            }
            Edit::Duplicate(i, n) => {
                let i = at(i, &b);
                let end = (i + n).min(b.len());
                let piece = b[i..end].to_vec();
                b.splice(i..i, piece);
            }
        }
    }
    b
}

/// JSON-shaped text: records with the wire names the models know, values of every type.
fn json_like() -> impl Strategy<Value = String> {
    const KEYS: &[&str] = &[
        "status",
        "message",
        "sessionid",
        "logID",
        "userID",
        "timestamp",
        "trigger",
        "terminalSN",
        "jpegPhoto",
        "groupID",
        "departmentID",
        "keyrecords",
        "facialrecords",
        "expirydate",
        "timespec",
        "weekday",
        "timePattern",
        "type",
        "freeJobcode",
        "id",
        "option",
        "delay",
        "mode",
        "fps",
        "key",
        "jobcode",
        "enable",
        "dates",
        "currentTime",
        "timezone",
        "usercount",
        "format",
        "data",
        "url",
        "serveraddr",
        "display_name",
        "log_size",
    ];
    let scalar = prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![
            "success",
            "succes",
            "error",
            "fail",
            "1",
            "-5",
            "true",
            "ONE",
            "F1",
            "MONDAY",
            "2025-07-16T10:24:13",
            "2025-07-16T10:24:13Z",
            "0",
            "",
            "000000000000000011111111111111111100000000000000",
            "UTC",
            "enable",
        ])
        .prop_map(Value::from),
        wild().prop_map(Value::from),
    ];
    let value = scalar.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    });
    (value, any::<bool>()).prop_map(|(v, pretty)| {
        if pretty { serde_json::to_string_pretty(&v).unwrap() } else { serde_json::to_string(&v).unwrap() }
    })
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![4 => prop::sample::select(STATUSES.to_vec()), 1 => any::<u16>()]
}

proptest! {
    #[test]
    fn no_bytes_make_a_reply_reader_panic(body in prop::collection::vec(any::<u8>(), 0..256), status in status()) {
        read_with_every_operation(status, &body)?;
    }

    #[test]
    fn no_json_like_text_makes_a_reply_reader_panic(
        text in json_like(),
        edits in prop::collection::vec(edit(), 0..3),
        status in status(),
    ) {
        read_with_every_operation(status, &apply(text.as_bytes(), &edits))?;
    }

    #[test]
    fn no_edit_of_a_real_reply_makes_a_reader_panic(
        case in any::<Index>(),
        edits in prop::collection::vec(edit(), 1..5),
        status in status(),
    ) {
        let vectors = reply_vectors();
        let (op, _, body) = &vectors[case.index(vectors.len())];
        let mutated = apply(body, &edits);
        // Its own reader first (the most likely to get deep), then all the others.
        let _ = AnyOperation::read_reply_json(op, status, &mutated);
        read_with_every_operation(status, &mutated)?;
    }

    #[test]
    fn repair_never_panics(body in prop::collection::vec(any::<u8>(), 0..256), text in json_like(), edits in prop::collection::vec(edit(), 0..4)) {
        let _ = repair(&body);
        let _ = repair(&apply(text.as_bytes(), &edits));
    }

    #[test]
    fn repair_leaves_valid_json_alone(v in json_value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { serde_json::to_string(&v).unwrap() };
        prop_assert_eq!(repair(text.as_bytes()), None, "changed {}", text);
    }

    #[test]
    fn route_never_panics(
        method in prop_oneof![prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "get", ""]).prop_map(String::from), wild()],
        path in prop_oneof![wild(), "(/cgi-bin/restapi)?(/[a-zA-Z%0-9{}?]{0,6}){0,6}/?"],
    ) {
        if let Some(r) = route(&method, &path) {
            let _ = r.wire_input("a=%zz&b", None);
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let closed = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    read_with_every_operation(200, closed.as_bytes()).unwrap();
    for open in ["[", "{\"a\":", "[{\"groupID\":"] {
        let body = open.repeat(100_000);
        read_with_every_operation(200, body.as_bytes()).unwrap();
        let _ = repair(body.as_bytes());
    }
}

#[test]
fn every_reply_vector_reads_with_every_operation() {
    for (op, status, body) in reply_vectors() {
        assert!(AnyOperation::read_reply_json(op, *status, body).is_some(), "{op}");
        read_with_every_operation(*status, body).unwrap();
    }
}

// --- 2. Values survive their wire form --------------------------------------------------------

fn pattern_text(bits: u64) -> String {
    (0..48).map(|i| if bits & (1 << i) != 0 { '1' } else { '0' }).collect()
}

proptest! {
    #[test]
    fn time_pattern_round_trips(bits in any::<u64>()) {
        let bits = bits & ((1 << 48) - 1);
        let text = pattern_text(bits);
        let p = TimePattern::parse(&text).unwrap();
        prop_assert_eq!(p.to_string(), text.clone());
        for slot in 0..48 {
            prop_assert_eq!(p.is_on(slot), bits & (1 << slot) != 0);
        }
        let ranges = p.to_ranges();
        prop_assert_eq!(TimePattern::from_ranges(&ranges).unwrap(), p, "through {:?}", ranges);
        prop_assert_eq!(p.is_empty(), bits == 0);
        json_round_trip(&p)?;
        prop_assert_eq!(serde_json::to_value(p).unwrap(), Value::String(text));
    }

    #[test]
    fn terminal_datetime_round_trips(t in terminal_datetime()) {
        let text = t.to_string();
        prop_assert_eq!(text.ends_with('Z'), t.is_utc());
        prop_assert_eq!(TerminalDateTime::parse(&text).unwrap(), t, "through {}", text);
        json_round_trip(&t)?;
        json_round_trip(&Expiry::At(t))?;
    }

    /// A float read into a text field is written as Rust's `Display` writes it (zmij's digits
    /// in its notation): any finite float, from raw bits (subnormals, huge and tiny exponents)
    /// and from short decimals such as a terminal sends. The one difference allowed is a tie:
    /// two shortest texts equally near the float (`-1459936876252426.25` as `…26.2` or `…26.3`),
    /// where zmij takes the even last digit; both read back as the same float.
    #[test]
    fn a_float_is_written_as_rusts_display_writes_it(bits in any::<u64>(), units in -1_000_000i64..1_000_000, scale in 0u32..12) {
        let decimal = units as f64 / 10f64.powi(scale as i32);
        for float in [f64::from_bits(bits), decimal] {
            if !float.is_finite() {
                continue;
            }
            let ours = actatek_core::lenient::float_text(float);
            let display = float.to_string();
            if ours != display {
                prop_assert_eq!(ours.parse::<f64>().unwrap(), float, "{} reads back", ours);
                prop_assert_eq!(ours.len(), display.len());
                let (a, b) = (ours.as_bytes(), display.as_bytes());
                prop_assert_eq!(&a[..a.len() - 1], &b[..b.len() - 1], "{} vs {}: only the last digit", ours, display);
                prop_assert!(a[a.len() - 1].abs_diff(b[b.len() - 1]) == 1 && a[a.len() - 1] % 2 == 0, "{} vs {}", ours, display);
            }
        }
    }

    /// The date-time is written without chrono's formatter for years 0–9999: exactly what
    /// chrono writes, whatever the year (negative and five-digit ones included), fraction or zone.
    #[test]
    fn terminal_datetime_is_written_as_chrono_writes_it(
        day in -800_000i32..=4_000_000,
        secs in 0u32..86_400,
        nanos in prop_oneof![Just(0u32), 0u32..1000, 0u32..1_000_000_000, 1_000_000_000u32..2_000_000_000],
        utc in any::<bool>(),
    ) {
        // A leap second (nanos ≥ 10⁹) only at a minute's 59th second.
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
            .or_else(|| NaiveTime::from_num_seconds_from_midnight_opt(secs - secs % 60 + 59, nanos))
            .unwrap();
        let n = NaiveDate::from_num_days_from_ce_opt(day).unwrap().and_time(time);
        let t = if utc { TerminalDateTime::utc(n.and_utc()) } else { TerminalDateTime::local(n) };
        let text = t.to_string();
        let whole = n.format("%Y-%m-%dT%H:%M:%S").to_string();
        prop_assert!(text.starts_with(&whole), "{} is not {}…", text, whole);
        // …and the fraction and zone after it exactly as chrono writes them.
        let fraction = n.format("%.f").to_string();
        prop_assert_eq!(&text[whole.len()..], format!("{fraction}{}", if utc { "Z" } else { "" }));
        prop_assert_eq!(text.ends_with('Z'), utc);
    }

    #[test]
    fn holiday_date_round_trips(day in 1i32..=3_652_059) {
        let date = NaiveDate::from_num_days_from_ce_opt(day).unwrap();
        let h = HolidayDate::new(date.year(), date.month(), date.day()).unwrap();
        prop_assert_eq!(h.date(), date);
        let text = h.to_string();
        prop_assert_eq!(&text, &date.format("%Y-%m-%d").to_string());
        prop_assert_eq!(HolidayDate::parse(&text).unwrap(), h, "through {}", text);
        json_round_trip(&h)?;
        // A real date is also a query that matches it.
        let q = HolidayQuery::from(h);
        prop_assert!(q.matches(h));
        prop_assert_eq!(HolidayQuery::parse(&q.to_string()).unwrap(), q);
    }

    #[test]
    fn holiday_query_round_trips(
        q in (0u16..=9999, 0u8..=12, 0u8..=31).prop_filter_map("a valid query", |(y, m, d)| HolidayQuery::new(y, m, d).ok()),
    ) {
        let text = q.to_string();
        prop_assert_eq!(HolidayQuery::parse(&text).unwrap(), q, "through {}", text);
        json_round_trip(&q)?;
    }

    #[test]
    fn hhmm_round_trips(hour in 0u8..24, minute in 0u8..60) {
        let t = HhMm::new(hour, minute).unwrap();
        let text = t.to_string();
        prop_assert_eq!(text.len(), 5);
        prop_assert_eq!(HhMm::parse(&text).unwrap(), t);
        prop_assert_eq!((t.hour(), t.minute()), (hour, minute));
        json_round_trip(&t)?;
    }

    #[test]
    fn unknown_wire_values_are_kept_verbatim(s in wild()) {
        let w = Weekday::from_wire(&s);
        prop_assert_eq!(w.as_str(), s.as_str());
        json_round_trip(&w)?;
        let r = RelayOption::from_wire(&s);
        prop_assert_eq!(r.as_str(), s.as_str());
        json_round_trip(&r)?;
        let t = TriggerType::from_wire(&s);
        json_round_trip(&t)?;
        if let TriggerType::Unknown(kept) = &t {
            prop_assert_eq!(kept, &s);
        }
    }
}

#[test]
fn trigger_types_round_trip() {
    for t in TriggerType::all() {
        let text = t.to_string();
        assert_eq!(text.parse::<TriggerType>().unwrap(), t);
        assert_eq!(TriggerType::from_wire(&text), t);
        assert_eq!(serde_json::to_value(&t).unwrap(), Value::String(text));
        json_round_trip(&t).unwrap();
    }
}

/// `"F+1".parse::<u8>()` is `Ok(1)`: the trigger parser must not accept it as F1.
#[test]
fn only_canonical_trigger_text_parses() {
    for s in ["F+1", "F+9"] {
        assert!(s.parse::<TriggerType>().is_err(), "{s} parsed as {:?}", s.parse::<TriggerType>());
    }
}

proptest! {
    #[test]
    fn trigger_text_that_parses_is_canonical(s in "(IN|OUT|F[+0-9]{0,3}|[a-zA-Z+ ]{0,4})") {
        prop_assume!(!s.starts_with("F+"), "known bug, see only_canonical_trigger_text_parses");
        if let Ok(t) = s.parse::<TriggerType>() {
            prop_assert_eq!(t.to_string(), s);
        }
    }
}

macro_rules! wire_enums_round_trip {
    ($($t:ty),* $(,)?) => {$(
        assert!(!<$t>::ALL.is_empty());
        for v in <$t>::ALL {
            let wire = serde_json::to_value(v).unwrap();
            assert_eq!(wire, Value::String(v.as_str().to_string()));
            assert_eq!(serde_json::from_value::<$t>(wire).unwrap(), *v);
            assert_eq!(v.as_str().parse::<$t>().unwrap(), *v);
            assert_eq!(v.to_string(), v.as_str());
            assert!(v.is_known());
        }
    )*};
}

#[test]
fn every_wire_enum_value_round_trips_through_json() {
    wire_enums_round_trip!(
        Weekday,
        RelayId,
        RelayTarget,
        RelayAction,
        RelayOption,
        AutoInOutMode,
        LogEvent,
        EmOption,
        RtpMode,
        JobCodeEnable,
        AdminLevel,
        TotpType,
        ConsentMode,
    );
}

/// A checked integer: every allowed value is accepted and round-trips; the rest are refused.
fn checked_int_round_trips<T>(
    v: u32,
    allowed: bool,
    new: fn(u32) -> Result<T, ValidationError>,
) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug + Copy + Into<u32>,
{
    match new(v) {
        Ok(x) => {
            prop_assert!(allowed, "{} accepted", v);
            prop_assert_eq!(x.into(), v);
            prop_assert_eq!(serde_json::to_value(x).unwrap(), json!(v));
            json_round_trip(&x)?;
            // Terminals may send the number as a string.
            prop_assert_eq!(serde_json::from_value::<T>(json!(v.to_string())).unwrap(), x);
        }
        Err(e) => prop_assert!(!allowed, "{} refused: {}", v, e),
    }
    Ok(())
}

fn around(lo: u32, hi: u32) -> impl Strategy<Value = u32> {
    prop_oneof![lo..=hi, Just(0), Just(lo), Just(hi), Just(hi.saturating_add(1)), any::<u32>()]
}

proptest! {
    #[test]
    fn checked_ints_round_trip(
        delay in around(1, 1800),
        reject in around(1, 86_400),
        lockout in around(1, 120),
        crowd in around(1, 65_535),
        setting in around(1, 3),
        job in around(1, 999_999),
        size in prop_oneof![prop::sample::select(vec![10_000u32, 75_000, 100_000, 500_000, 1_000_000]), any::<u32>()],
        fps in prop_oneof![prop::sample::select(vec![5u32, 10, 15, 20, 25, 30]), 0u32..64],
    ) {
        checked_int_round_trips(delay, (1..=1800).contains(&delay), RelayDelay::new)?;
        checked_int_round_trips(reject, (1..=86_400).contains(&reject), RejectRepeatSeconds::new)?;
        checked_int_round_trips(lockout, (1..=120).contains(&lockout), LockoutMinutes::new)?;
        checked_int_round_trips(crowd, (1..=65_535).contains(&crowd), CrowdLimit::new)?;
        checked_int_round_trips(setting, (1..=3).contains(&setting), JobCodeSettingId::new)?;
        checked_int_round_trips(job, (1..=999_999).contains(&job), JobCodeId::new)?;
        checked_int_round_trips(size, [10_000, 75_000, 100_000, 500_000, 1_000_000].contains(&size), LogSize::new)?;
        checked_int_round_trips(fps, fps % 5 == 0 && (5..=30).contains(&fps), Fps::new)?;
    }
}

// --- Models ------------------------------------------------------------------------------------

fn opt<T: Debug + Clone>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    prop::option::of(s)
}

fn user_status() -> impl Strategy<Value = UserStatus> {
    (prop::array::uniform7(opt(any::<bool>())), extra()).prop_map(|(f, extra)| UserStatus {
        active: f[0],
        auto_match: f[1],
        smart_card: f[2],
        fingerprint: f[3],
        password: f[4],
        facial: f[5],
        facial_auto_match: f[6],
        extra,
    })
}

fn blob() -> impl Strategy<Value = Base64Blob> {
    prop::collection::vec(any::<u8>(), 0..48).prop_map(|b| Base64Blob::from_bytes(&b))
}

fn key_record() -> impl Strategy<Value = KeyRecord> {
    (any::<i64>(), wild(), wild(), any::<bool>(), extra()).prop_map(|(t, s, id, on, extra)| KeyRecord {
        keytype: Some(t),
        keystring: Some(s),
        keyid: Some(id),
        keyenabled: Some(on),
        extra,
    })
}

fn facial_record() -> impl Strategy<Value = FacialRecord> {
    (any::<i64>(), blob(), opt(blob()), extra()).prop_map(|(t, template, photo, extra)| FacialRecord {
        facial_template_type: Some(t),
        facial_template: Some(template),
        facial_photo: photo,
        extra,
    })
}

/// A valid user: every field, present or not, in every form the models write.
fn user() -> impl Strategy<Value = User> {
    let names =
        (non_blank(), opt(wild()), opt(wild()), opt(wild()), opt(prop::sample::select(AdminLevel::ALL.to_vec())));
    let access = (
        opt(wild().prop_map(Secret::new)),
        opt(prop::collection::vec(any::<i64>(), 0..4)),
        opt(prop::collection::vec(any::<i64>(), 0..4)),
        opt(user_status()),
        opt(blob()),
    );
    let records = (
        opt(prop::collection::vec(key_record(), 0..3)),
        opt(prop::collection::vec(facial_record(), 0..3)),
        opt(wild()),
        opt(any::<i64>()),
        opt(prop_oneof![Just(Expiry::Never), terminal_datetime().prop_map(Expiry::At)]),
        opt(wild()),
        extra(),
    );
    (names, access, records).prop_map(
        |(
            (user_id, last_name, first_name, other_name, admin_level),
            (password, group_id, department_id, status, fingerprints),
            (keyrecords, facialrecords, cardsn, score_threshold, expirydate, message, extra),
        )| User {
            user_id: Some(user_id),
            last_name,
            first_name,
            other_name,
            admin_level,
            password,
            group_id,
            department_id,
            status,
            fingerprints,
            keyrecords,
            facialrecords,
            cardsn,
            score_threshold,
            expirydate,
            message,
            extra,
        },
    )
}

proptest! {
    #[test]
    fn a_valid_user_round_trips_through_json(user in user()) {
        prop_assert!(Validate::validate(&user).is_ok(), "generated user is valid: {:?}", Validate::validate(&user));
        json_round_trip(&user)?;
        // The same through the get_users reply reader (a one-element list).
        let body = serde_json::to_vec(&vec![&user]).unwrap();
        let users = GetUsers::read_reply(200, &body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(users, vec![user]);
    }

    /// get → modify → update loses nothing: unknown keys (top level, in `status`, in each key
    /// record) come back with identical values, in the update's body.
    #[test]
    fn unknown_fields_survive_get_modify_update(
        top in extra(),
        in_status in extra(),
        in_key in extra(),
        new_name in wild(),
    ) {
        let mut wire = json!({
            "userID": "A0001", "lastName": "John", "firstName": "Ben", "adminLevel": "PERSONALUSER",
            "groupID": 0, "departmentID": "1",
            "status": {"active": true, "autoMatch": "false", "smartCard": 1, "fingerprint": false, "password": false, "facial": true, "facialAutoMatch": false},
            "keyrecords": {"keytype": 1, "keystring": "1234", "keyid": 1, "keyenabled": true},
            "expirydate": 0,
        });
        wire.as_object_mut().unwrap().extend(top.clone());
        wire["status"].as_object_mut().unwrap().extend(in_status.clone());
        wire["keyrecords"].as_object_mut().unwrap().extend(in_key.clone());
        let body = serde_json::to_vec(&vec![&wire]).unwrap();

        let mut user = GetUsers::read_reply(200, &body)
            .map_err(|e| TestCaseError::fail(format!("{e}")))?
            .remove(0);
        prop_assert_eq!(&user.extra, &top);
        user.first_name = Some(new_name.clone());

        let req = UpdateUser { user }
            .request(Some(&SessionId::new("1")))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let sent: Value = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
        for (k, v) in &top {
            prop_assert_eq!(sent.get(k), Some(v), "top-level {:?}", k);
        }
        for (k, v) in &in_status {
            prop_assert_eq!(sent["status"].get(k), Some(v), "status.{:?}", k);
        }
        // "one object or an array" is written as an array.
        for (k, v) in &in_key {
            prop_assert_eq!(sent["keyrecords"][0].get(k), Some(v), "keyrecords[0].{:?}", k);
        }
        prop_assert_eq!(&sent["firstName"], &Value::String(new_name));
        prop_assert_eq!(&sent["lastName"], &json!("John"));
        prop_assert_eq!(&sent["groupID"], &json!([0]));
        prop_assert_eq!(&sent["departmentID"], &json!([1]));
        prop_assert_eq!(&sent["status"]["autoMatch"], &json!(false));
        prop_assert_eq!(&sent["expirydate"], &json!(0));
    }
}

// --- 3. Valid inputs build requests that decode back ------------------------------------------

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8().expect("valid UTF-8 after decoding").into_owned()
}

/// Path segments keep only `A-Z a-z 0-9 - . _ ~ :` (and `%XX`); query values also keep `/`.
fn assert_encoded(text: &str, also: &str) -> Result<(), TestCaseError> {
    for c in text.chars() {
        prop_assert!(
            c.is_ascii_alphanumeric() || "-._~:%".contains(c) || also.contains(c),
            "raw {:?} in {:?}",
            c,
            text
        );
    }
    Ok(())
}

proptest! {
    #[test]
    fn get_logs_query_values_decode_back(
        from in opt(terminal_datetime()),
        to in opt(terminal_datetime()),
        employee_name in opt(wild()),
        employee_id in opt(wild()),
        department_id in opt(any::<i64>()),
        trigger in opt(wild()),
        terminal_sn in opt(wild()),
        session in "[0-9]{1,12}",
    ) {
        let op = GetLogs {
            from, to,
            employee_name: employee_name.clone(),
            employee_id: employee_id.clone(),
            department_id,
            trigger: trigger.clone(),
            terminal_sn: terminal_sn.clone(),
        };
        let expected: Vec<(&str, String)> = [
            ("from", from.map(|t| t.to_string())),
            ("to", to.map(|t| t.to_string())),
            ("employeeName", employee_name),
            ("employeeID", employee_id),
            ("departmentID", department_id.map(|d| d.to_string())),
            ("trigger", trigger),
            ("terminalSN", terminal_sn),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();

        let req = op.request(Some(&SessionId::new(session.clone()))).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(req.method.as_str(), "GET");
        prop_assert_eq!(&req.query, &expected);
        let url = req.path_and_query();
        prop_assert!(!url.contains(' ') && !url.contains('#') && !url.contains('+'), "{}", url);
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        prop_assert_eq!(path.to_string(), format!("/cgi-bin/restapi/getLogs/{session}"));
        prop_assert_eq!(query.is_empty(), expected.is_empty());
        let mut decoded = Vec::new();
        for pair in query.split('&').filter(|_| !query.is_empty()) {
            // Exactly one '=' per pair: no value holds a raw '&' or '='.
            let parts: Vec<&str> = pair.split('=').collect();
            prop_assert_eq!(parts.len(), 2, "pair {:?} of {:?}", pair, url);
            assert_encoded(parts[1], "/")?;
            decoded.push((parts[0], decode(parts[1])));
        }
        prop_assert_eq!(decoded, expected);
        // The simulator reads the same operation and values back.
        let r = route("GET", &url).ok_or_else(|| TestCaseError::fail(format!("no route for {url}")))?;
        prop_assert_eq!(r.operation.name, "get_logs");
        prop_assert_eq!(r.session.as_deref(), Some(session.as_str()));
        let again = AnyOperation::from_wire("get_logs", &r.wire_input(query, None)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again, AnyOperation::from(op));
    }

    #[test]
    fn delete_user_path_decodes_back_and_routes(user_id in non_blank(), session in non_blank()) {
        let op = DeleteUser { user_id: user_id.clone() };
        let req = op.request(Some(&SessionId::new(session.clone()))).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(req.method.as_str(), "DELETE");
        prop_assert!(req.query.is_empty() && req.body.is_none());
        let segments: Vec<&str> = req.path.split('/').collect();
        prop_assert_eq!(&segments[..4], &["", "cgi-bin", "restapi", "user"][..]);
        prop_assert_eq!(segments.len(), 6, "{}", req.path);
        assert_encoded(segments[4], "")?;
        assert_encoded(segments[5], "")?;
        prop_assert_eq!(decode(segments[4]), session.clone());
        prop_assert_eq!(decode(segments[5]), user_id.clone());
        for path in [req.path.clone(), req.path_and_query(), req.path.trim_start_matches("/cgi-bin/restapi").to_string()] {
            let r = route("DELETE", &path).ok_or_else(|| TestCaseError::fail(format!("no route for {path}")))?;
            prop_assert_eq!(r.operation.name, "delete_user");
            prop_assert_eq!(r.session.as_deref(), Some(session.as_str()));
            prop_assert_eq!(&r.path_params, &vec![("userID", user_id.clone())]);
            let again = AnyOperation::from_wire("delete_user", &r.wire_input("", None)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&again, &AnyOperation::from(op.clone()));
        }
    }

    #[test]
    fn user_id_paths_route_back_to_their_operation(
        name in prop::sample::select(vec!["delete_user", "activate_user", "deactivate_user", "get_user_message", "delete_user_message"]),
        user_id in non_blank(),
    ) {
        let op = AnyOperation::from_wire(name, &json!({ "userID": user_id })).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let req = op.request(Some(&SessionId::new("7"))).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let r = route(req.method.as_str(), &req.path).ok_or_else(|| TestCaseError::fail(format!("no route for {}", req.path)))?;
        prop_assert_eq!(r.operation.name, name);
        prop_assert_eq!(AnyOperation::from_wire(name, &r.wire_input("", None)).ok(), Some(op));
    }

    #[test]
    fn add_log_path_decodes_back_and_routes(timestamp in terminal_datetime(), employee_id in non_blank(), trigger in non_blank()) {
        let op = AddLog { timestamp, employee_id: employee_id.clone(), trigger: trigger.clone() };
        let req = op.request(Some(&SessionId::new("42"))).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let r = route("POST", &req.path).ok_or_else(|| TestCaseError::fail(format!("no route for {}", req.path)))?;
        prop_assert_eq!(r.operation.name, "add_log");
        prop_assert_eq!(
            &r.path_params,
            &vec![("timestamp", timestamp.to_string()), ("employeeID", employee_id), ("trigger", trigger)]
        );
        let again = AnyOperation::from_wire("add_log", &r.wire_input("", None)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again, AnyOperation::from(op));
    }
}

/// A document with one string leaf replaced by a marker, and the path to it as
/// `locate::path_at` writes paths (`a.b[2].c`).
fn doc_with_marked_leaf() -> impl Strategy<Value = (Value, String)> {
    let key = "[a-zA-Z][a-zA-Z0-9_]{0,6}";
    let leaf = Just((Value::String("\u{1}MARK".into()), String::new()));
    leaf.prop_recursive(4, 32, 4, move |inner| {
        prop_oneof![
            (prop::collection::vec(json_value(), 0..3), inner.clone(), any::<Index>()).prop_map(
                |(mut items, (v, p), at)| {
                    let i = at.index(items.len() + 1);
                    items.insert(i, v);
                    (
                        Value::Array(items),
                        format!("[{i}]{}", if p.is_empty() || p.starts_with('[') { p } else { format!(".{p}") }),
                    )
                }
            ),
            (prop::collection::btree_map(key, json_value(), 0..3), key, inner).prop_map(|(others, k, (v, p))| {
                let mut m: Map<String, Value> = others.into_iter().filter(|(o, _)| *o != k).collect();
                m.insert(k.clone(), v);
                let path = if p.is_empty() {
                    k
                } else if p.starts_with('[') {
                    format!("{k}{p}")
                } else {
                    format!("{k}.{p}")
                };
                (Value::Object(m), path)
            }),
        ]
    })
}

proptest! {
    #[test]
    fn an_error_position_is_walked_back_to_the_path_of_its_value((doc, path) in doc_with_marked_leaf(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_vec_pretty(&doc).unwrap() } else { serde_json::to_vec(&doc).unwrap() };
        let marker = br#""\u0001MARK""#;
        let at = memchr::memmem::find(&text, marker).expect("the marker is in the text");
        // serde_json reports the last byte it read: the closing quote.
        prop_assert_eq!(actatek_core::locate::path_at(&text, at + marker.len() - 1), path.clone());
        prop_assert_eq!(actatek_core::locate::path_at(&text, at), path.clone());
        prop_assert_eq!(actatek_core::locate::value_path(&text, text.len() - 1, "\u{1}MARK"), Some(path));
    }

    #[test]
    fn no_bytes_make_the_locator_panic(text in prop::collection::vec(any::<u8>(), 0..200), offset in 0usize..220, value in wild()) {
        let _ = actatek_core::locate::path_at(&text, offset);
        let _ = actatek_core::locate::value_path(&text, offset.min(text.len()), &value);
        let _ = actatek_core::locate::offset_of(&text, offset % 7, offset);
    }
}

// --- Time zone identifiers: the built-in table against chrono-tz's own parse ------------------

/// A name near a real one: a real identifier, changed a little or not at all.
fn zone_like() -> impl Strategy<Value = String> {
    let names: Vec<&'static str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    (proptest::sample::select(names), 0..6u8, "[a-zA-Z/_\\-+0-9\n ]{0,3}").prop_map(|(name, how, extra)| match how {
        0 => name.to_string(),
        1 => name.to_lowercase(),
        2 => format!("{name}{extra}"),
        3 => format!("{extra}{name}"),
        4 => name[..name.len() / 2].to_string(),
        _ => name.replacen('/', &extra, 1),
    })
}

#[test]
fn every_chrono_tz_identifier_is_a_time_zone() {
    for tz in chrono_tz::TZ_VARIANTS {
        assert!(TimeZoneId::new(tz.name()).is_ok(), "{}", tz.name());
    }
    for not in ["", "\n", "Europe/London\nUTC", "europe/london", "Mars/Olympus_Mons", "Europe/", "/London"] {
        assert!(TimeZoneId::new(not).is_err(), "{not:?}");
    }
}

proptest! {
    #[test]
    fn time_zone_ids_are_what_chrono_tz_parses(id in prop_oneof![3 => zone_like(), 1 => wild()]) {
        prop_assert_eq!(TimeZoneId::new(id.as_str()).is_ok(), id.parse::<chrono_tz::Tz>().is_ok(), "{:?}", id);
    }
}
