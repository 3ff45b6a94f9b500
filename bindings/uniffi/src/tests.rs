//! The conversions between the core and the FFI forms. The Kotlin suite covers them end to end
//! against the simulator; these pin the edge cases.

use crate::bridge::Bridge;
use crate::models::{RelaySetting, TriggerType, User};
use crate::time::{HolidayQuery, TerminalDateTime, UtcInstant, UtcInstantParts, WallClockParts, WallClockTime};
use actatek::ops::{GetLogs, decode_input};
use actatek::{Rule, TerminalDateTime as Core};
use serde_json::{Value, json};

fn wire<T: Bridge>(v: T::Ffi) -> Value {
    T::to_wire(v, "body").unwrap().unwrap()
}

/// What the core makes of a date-time's wire text as get_logs' `from`.
fn decoded_from(text: Value) -> Result<Option<Core>, (String, Rule)> {
    decode_input::<GetLogs>(&json!({ "from": text })).map(|op| op.from).map_err(|e| {
        let first = e.first();
        (first.field.clone(), first.rule)
    })
}

fn local(year: i32, month: i32, day: i32, hour: i32, minute: i32, second: i32, nanosecond: i32) -> TerminalDateTime {
    TerminalDateTime::Local {
        date_time: WallClockTime(WallClockParts { year, month, day, hour, minute, second, nanosecond }),
    }
}

#[test]
fn local_and_utc_round_trip_with_their_fractions() {
    for text in
        ["2025-07-16T10:24:13", "2025-07-16T10:24:13.250", "2025-07-16T10:24:13.123456789", "1969-12-31T23:59:59Z"]
    {
        let core: Core = text.parse().unwrap();
        let ffi = core.to_ffi();
        assert_eq!(core.is_utc(), matches!(ffi, TerminalDateTime::Utc { .. }), "{text}");
        assert_eq!(wire::<Core>(ffi), json!(text), "{text}");
    }
    let utc: Core = "2025-07-16T10:24:13.250Z".parse().unwrap();
    assert_eq!(
        utc.to_ffi(),
        TerminalDateTime::Utc {
            instant: UtcInstant(UtcInstantParts { epoch_seconds: 1_752_661_453, nanosecond: 250_000_000 })
        }
    );
}

#[test]
fn a_leap_second_becomes_the_last_nanosecond_of_second_59() {
    let core: Core = "2016-12-31T23:59:60".parse().unwrap();
    assert_eq!(core.to_ffi(), local(2016, 12, 31, 23, 59, 59, 999_999_999));
}

#[test]
fn parts_that_name_no_time_fail_the_datetime_rule_in_the_core() {
    for parts in [
        local(2025, 13, 1, 0, 0, 0, 0),
        local(2025, 2, 30, 0, 0, 0, 0),
        local(2025, 7, 16, 25, 0, 0, 0),
        local(2025, 7, 16, 10, 0, 0, 1_000_000_000),
        local(2025, 7, 16, 10, 0, 0, -1),
    ] {
        assert_eq!(decoded_from(wire::<Core>(parts)), Err(("from".into(), Rule::DateTime)), "{parts:?}");
    }
    let far = TerminalDateTime::Utc { instant: UtcInstant(UtcInstantParts { epoch_seconds: i64::MAX, nanosecond: 0 }) };
    assert_eq!(decoded_from(wire::<Core>(far)), Err(("from".into(), Rule::DateTime)));
    let bad_nanos = TerminalDateTime::Utc { instant: UtcInstant(UtcInstantParts { epoch_seconds: 0, nanosecond: -5 }) };
    assert_eq!(decoded_from(wire::<Core>(bad_nanos)), Err(("from".into(), Rule::DateTime)));
}

#[test]
fn holiday_queries_keep_their_zero_wildcards() {
    assert_eq!(wire::<actatek::HolidayQuery>(HolidayQuery { year: 2031, month: 12, day: 0 }), json!("2031-12-00"));
    let e = actatek::HolidayQuery::to_wire(HolidayQuery { year: 2031, month: 123, day: 0 }, "date").unwrap_err();
    assert_eq!((e.field.as_str(), e.rule), ("date", Rule::HolidayQuery));
}

#[test]
fn records_write_their_wire_names_and_keep_unmodelled_fields() {
    let user = User {
        user_id: "A1".into(),
        last_name: None,
        first_name: Some("Ben".into()),
        other_name: None,
        admin_level: None,
        password: None,
        group_id: Some(vec![3]),
        department_id: None,
        status: None,
        fingerprints: None,
        keyrecords: None,
        facialrecords: None,
        cardsn: None,
        score_threshold: None,
        expirydate: Some(crate::time::Expiry::Never),
        message: None,
        extra: r#"{"vendorField": 1, "firstName": "overridden"}"#.into(),
    };
    assert_eq!(
        wire::<actatek::User>(user.clone()),
        json!({"vendorField": 1, "firstName": "Ben", "userID": "A1", "groupID": [3], "expirydate": 0})
    );
    let bad = User { extra: "[1]".into(), ..user };
    let e = actatek::User::to_wire(bad, "body[2]").unwrap_err();
    assert_eq!((e.field.as_str(), e.rule), ("body[2].extra", Rule::WrongType));
}

#[test]
fn replies_become_records_with_extra_as_json_text() {
    let core: actatek::RelaySetting =
        serde_json::from_value(json!({"id": "TWO", "option": "doorbell", "delay": 11, "vendor": [1]})).unwrap();
    let ffi: RelaySetting = core.to_ffi();
    assert_eq!((ffi.delay, ffi.extra.as_str()), (11, r#"{"vendor":[1]}"#));
    let trigger: actatek::TriggerType = "F7".parse().unwrap();
    assert_eq!(trigger.to_ffi(), TriggerType::F { key: 7 });
    assert_eq!(wire::<actatek::TriggerType>(TriggerType::F { key: 41 }), json!("F41"));
}
