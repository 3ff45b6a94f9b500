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
        user_id: Some("A1".into()),
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
    assert_eq!((ffi.delay, ffi.extra.as_str()), (Some(11), r#"{"vendor":[1]}"#));
    let trigger: actatek::TriggerType = "F7".parse().unwrap();
    assert_eq!(trigger.to_ffi(), TriggerType::F { key: 7 });
    assert_eq!(wire::<actatek::TriggerType>(TriggerType::F { key: 41 }), json!("F41"));
}

/// The wire form of a record with every field set: checks that `wire` sets every field the core
/// declares and adds an unknown field when the record keeps them.
fn every_field_input(name: &str, wire: Value, core_names: Option<&[&str]>) -> serde_json::Map<String, Value> {
    let Value::Object(mut input) = wire else { panic!("{name}: the test's wire form is not an object") };
    if let Some(names) = core_names {
        for n in names {
            assert!(input.contains_key(*n), "{name}: the test sets no `{n}`");
        }
        input.insert("fw_extra_1".into(), json!({"nested": [1, "x", null], "b": true}));
    }
    input
}

/// Reads the wire form as the core record, checks that every field was read as its type, then
/// converts to the FFI record and back: the wire JSON must be the core's own. A field the
/// mirror in `models.rs` forgot (or converts lossily) fails here instead of being dropped
/// silently. (A macro rather than a generic function: this crate does not depend on serde.)
macro_rules! check_every_field {
    ($T:ident, $wire:expr, $names:expr, $extra_keys:expr) => {{
        let name = stringify!($T);
        let input = every_field_input(name, $wire, $names);
        let core: actatek::$T =
            serde_json::from_value(Value::Object(input.clone())).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected_extra: Vec<String> = if $names.is_some() { vec!["fw_extra_1".into()] } else { vec![] };
        let extra_keys: fn(&actatek::$T) -> Vec<String> = $extra_keys;
        assert_eq!(extra_keys(&core), expected_extra, "{name}: every field is read as its type");
        let expected = serde_json::to_value(&core).unwrap();
        assert_eq!(expected, Value::Object(input), "{name}: the core writes back what it read");
        let back = <actatek::$T as Bridge>::to_wire(core.to_ffi(), "body").unwrap().unwrap();
        assert_eq!(back, expected, "{name}: the FFI record drops or changes a field");
    }};
}

/// Every record of the operation table, every field set: core → FFI → wire is the identity.
macro_rules! every_field {
    ($( $T:ident $($kind:ident)? => $wire:tt ),* $(,)?) => { $( every_field!(@one $T $($kind)? => $wire); )* };
    (@one $T:ident => $wire:tt) => {{
        check_every_field!($T, json!($wire), Some(actatek::$T::WIRE_NAMES), |c| c.extra.keys().cloned().collect());
        assert_eq!(crate::models::$T::WIRE_NAMES, actatek::$T::WIRE_NAMES, "{}: mirror fields", stringify!($T));
    }};
    (@one $T:ident plain => $wire:tt) => {
        check_every_field!($T, json!($wire), None::<&[&str]>, |_| vec![])
    };
    (@one $T:ident plain_extra => $wire:tt) => {
        check_every_field!($T, json!($wire), None::<&[&str]>, |c| c.extra.keys().cloned().collect())
    };
}

#[test]
fn every_field_of_every_record_crosses_the_ffi_and_back() {
    const PATTERN: &str = "000000000000000011111111111111110000000000000000";
    const AT: &str = "2025-07-16T10:24:13";
    let status = json!({"active": true, "autoMatch": false, "smartCard": true, "fingerprint": false,
        "password": true, "facial": false, "facialAutoMatch": true});
    let key = json!({"keytype": 1, "keystring": "abc", "keyid": "k1", "keyenabled": true});
    let face = json!({"FacialTemplateType": 2, "FacialTemplate": "AAAA", "FacialPhoto": "/9j/"});
    let day = json!({"weekday": "MONDAY", "timePattern": PATTERN});
    every_field! {
        Credentials plain => {"username": "admin", "password": "pw"},
        MyselfUpdate plain_extra => {"userID": "U1", "lastName": "L", "firstName": "F", "otherName": "O",
            "password": "pw", "cardsn": "123"},
        AgentRegistration plain => {"url": "https://a.example/agent", "agentVersion": "1.2", "magic": "m",
            "initSync": true},
        LoginReply => {"status": "success", "sessionid": "1234567890"},
        StatusReply => {"status": "success", "message": "done"},
        Log => {"logID": 5, "userID": "U1", "timestamp": AT, "trigger": "IN", "terminalSN": "00111D000000"},
        FullLog => {"logID": 5, "userID": "U1", "userName": "Ben", "departmentName": "D", "timestamp": "2025-07-16T10:24:13Z",
            "trigger": "F1", "terminalSN": "00111D000000", "terminalName": "Front", "jpegPhoto": "/9j/4AAQ",
            "accessMethod": "fingerprint", "remarks": "r"},
        Photo => {"status": "success", "jpegPhoto": "/9j/4AAQ"},
        UserStatus => status,
        KeyRecord => key,
        FacialRecord => face,
        User => {"userID": "U1", "lastName": "L", "firstName": "F", "otherName": "O", "adminLevel": "SUPERADMIN",
            "password": "pw", "groupID": [1, 2], "departmentID": [3], "status": status, "fingerprints": "AAAA",
            "keyrecords": [key], "facialrecords": [face], "cardsn": "123", "ScoreThreshold": 5,
            "expirydate": "2030-01-01T00:00:00", "message": "hi"},
        UserMessage => {"usermessage": "Hello"},
        UserCount => {"usercount": 7},
        Totp => {"format": "OTP_PASSCODE", "expiry": AT, "data": "12345678"},
        Department => {"id": 21, "name": "ABC", "description": "LONG"},
        TimeSpec => day,
        AccessRight => {"id": 14, "name": "Office", "timespec": [day]},
        AccessGroup => {"id": 9, "name": "Staff", "departmentid": 1, "accessrightid": [14, 15]},
        Trigger => {"type": "F1", "name": "Lunch", "enable": true, "freeJobcode": true, "timespec": [day]},
        Agent => {"url": "https://a.example/agent", "registrationTime": AT, "lastUpdate": AT, "lastCheck": AT,
            "lastCheckStatus": true, "active": false},
        Ntp => {"serveraddr": "0.pool.ntp.org 1.pool.ntp.org", "enable": true},
        TerminalTime => {"currentTime": AT, "timezone": "Europe/London"},
        ApiVersion => {"name": "ACTAtek REST API", "version": "1.2"},
        TerminalStatus => {"serialNumber": "00111D000000", "FAMVersion": "3", "description": "d",
            "registeredUsers": 5, "maximumUsers": 1000, "automatchUsers": 1, "maximumAutomatchUsers": 100,
            "currentStatus": "ok", "firmwareVersion": "4.1"},
        RelaySetting => {"id": "TWO", "option": "doorbell", "delay": 11},
        AutoInOut => {"mode": "crowd_control", "auto_reset": true, "rejectRepeat_time_sec": 60,
            "lockout_time_min": 5, "crowd_limit_count": 100, "crowd_reset_hhmm": "09:30"},
        LogUnauthorizedEvent => {"enable": true},
        RtpSetting => {"mode": "SRTP", "key": "k3y", "target": "10.0.0.9:5004", "fps": 15, "stun": "stun.example",
            "sdpfile": "v=0", "status": "streaming"},
        Consent => {"status": "success", "enable": true, "display_name": "Front"},
        LogSetting => {"log_event": "user_event", "log_size": 75000, "log_unAuth_event": true,
            "log_Accept_nonRegistered_card": false, "log_photo_Auth_event": true, "log_photo_unAuth_event": false,
            "log_Accept_nonRegistered_facial": true, "log_case_event": false, "log_EM_Option": "FC_ID"},
        JobCodeSetting => {"jobcode": 1, "name": "Job", "enable": "enable"},
        JobCode => {"jobcode": 1, "id": 101, "name": "Job 1-101", "enable": "default"},
        Holidays => {"dates": ["2031-12-25", "2032-01-01"]},
        HolidaysReply => {"status": "success", "message": "m", "invalid_dates": ["2031-13-01"]},
    }
}

#[test]
fn values_the_sdk_cannot_read_stay_in_extra_and_fail_their_rule_on_write() {
    use crate::models::{AutoInOut, Log};
    let core: actatek::AutoInOut =
        serde_json::from_value(json!({"mode": "crowd_control", "crowd_reset_hhmm": "9:30", "auto_reset": {"x": 1}}))
            .unwrap();
    let ffi: AutoInOut = core.to_ffi();
    assert_eq!((ffi.crowd_reset_hhmm.as_deref(), ffi.auto_reset), (None, None));
    assert_eq!(crate::extra_value(ffi.extra.clone(), "crowd_reset_hhmm".into()).as_deref(), Some(r#""9:30""#));
    assert_eq!(crate::extra_value(ffi.extra.clone(), "auto_reset".into()).as_deref(), Some(r#"{"x":1}"#));
    assert_eq!(crate::extra_value(ffi.extra.clone(), "mode".into()), None);
    assert_eq!(crate::extra_value("not json".into(), "mode".into()), None);
    let wire = actatek::AutoInOut::to_wire(ffi.clone(), "body").unwrap().unwrap();
    assert_eq!(wire, json!({"mode": "crowd_control", "crowd_reset_hhmm": "9:30", "auto_reset": {"x": 1}}));
    let e = actatek::ops::AnyOperation::from_wire("set_auto_in_out", &json!({ "body": wire })).unwrap_err();
    let broken: Vec<(&str, Rule)> = e.errors().iter().map(|v| (v.field.as_str(), v.rule)).collect();
    assert!(broken.contains(&("body.crowd_reset_hhmm", Rule::HhMm)), "{broken:?}");
    // A new value set by the caller wins over the one kept in extra.
    let fixed = AutoInOut { crowd_reset_hhmm: Some("09:30".into()), auto_reset: Some(true), ..ffi };
    let wire = actatek::AutoInOut::to_wire(fixed, "body").unwrap().unwrap();
    assert_eq!(wire, json!({"mode": "crowd_control", "crowd_reset_hhmm": "09:30", "auto_reset": true}));
    actatek::ops::AnyOperation::from_wire("set_auto_in_out", &json!({ "body": wire })).unwrap();

    // Ids and timestamps may be absent or unreadable too.
    let log: Log = serde_json::from_value::<actatek::Log>(json!({"timestamp": "", "userID": "U1"})).unwrap().to_ffi();
    assert_eq!((log.log_id, log.timestamp, log.user_id.as_deref()), (None, None, Some("U1")));
    assert_eq!(crate::extra_value(log.extra, "timestamp".into()).as_deref(), Some(r#""""#));
}

#[test]
fn unreadable_replies_to_writes_say_maybe_applied() {
    let e = crate::ActatekError::from_client(
        "set_ntp",
        actatek::Error::Protocol { operation: "set_ntp", status: 200, detail: "not JSON".into(), maybe_applied: true },
    );
    assert!(matches!(e, crate::ActatekError::Protocol { maybe_applied: true, status: 200, .. }), "{e:?}");
    assert!(e.to_string().contains("may have applied"), "{e}");
}
