//! Date-times. The terminal's local wall-clock time and UTC stay two different things end to
//! end: [`TerminalDateTime::Local`] carries a [`WallClockTime`] (Kotlin
//! `java.time.LocalDateTime`, Swift `DateComponents` without a time zone) and
//! [`TerminalDateTime::Utc`] a [`UtcInstant`] (Kotlin `java.time.Instant`, Swift `Date`). Nothing
//! converts one into the other silently.
//!
//! The mapping to the native types is declared in `uniffi.toml` (custom types); on the FFI they
//! travel as the `*Parts` records below, with nanoseconds kept.

use crate::bridge::Bridge;
use actatek::{Expiry as CoreExpiry, HolidayDate, HolidayQuery as CoreHolidayQuery, TerminalDateTime as CoreDateTime};
use actatek::{Rule, ValidationError};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde_json::Value;

/// The fields of a wall-clock date-time (no zone). Kotlin and Swift see `WallClockTime` as
/// `java.time.LocalDateTime` / `DateComponents`; these parts are only its form on the FFI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct WallClockParts {
    pub year: i32,
    pub month: i32,
    pub day: i32,
    pub hour: i32,
    pub minute: i32,
    pub second: i32,
    pub nanosecond: i32,
}

/// The terminal's local wall-clock time, no zone attached (`2025-07-16T10:24:13`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallClockTime(pub WallClockParts);

uniffi::custom_type!(WallClockTime, WallClockParts, {
    lower: |v| v.0,
    try_lift: |parts| Ok(WallClockTime(parts)),
});

/// An instant as seconds and nanoseconds since 1970-01-01T00:00:00Z. Kotlin and Swift see
/// `UtcInstant` as `java.time.Instant` / `Date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct UtcInstantParts {
    pub epoch_seconds: i64,
    /// 0 to 999,999,999.
    pub nanosecond: i32,
}

/// An instant (`2025-07-16T10:24:13Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcInstant(pub UtcInstantParts);

uniffi::custom_type!(UtcInstant, UtcInstantParts, {
    lower: |v| v.0,
    try_lift: |parts| Ok(UtcInstant(parts)),
});

/// A calendar date. Kotlin and Swift see `CalendarDate` as `java.time.LocalDate` /
/// `DateComponents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct CalendarDateParts {
    pub year: i32,
    pub month: i32,
    pub day: i32,
}

/// A calendar date (`2031-12-25`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarDate(pub CalendarDateParts);

uniffi::custom_type!(CalendarDate, CalendarDateParts, {
    lower: |v| v.0,
    try_lift: |parts| Ok(CalendarDate(parts)),
});

/// A date-time as the terminal writes it: local wall-clock time (no `Z`) or UTC (`Z`) (§2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TerminalDateTime {
    /// The terminal's local time: what its clock showed, in whatever zone it is set to.
    Local { date_time: WallClockTime },
    /// An instant.
    Utc { instant: UtcInstant },
}

/// A user's expiry: never, or at a date-time (`expirydate`, §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Expiry {
    Never,
    At { time: TerminalDateTime },
}

/// A holiday query date (§13.1): `month` and `day` may be 0 to match any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct HolidayQuery {
    pub year: i32,
    #[uniffi(default = 0)]
    pub month: i32,
    #[uniffi(default = 0)]
    pub day: i32,
}

fn wall_clock(n: NaiveDateTime) -> WallClockTime {
    // A leap second (:60, nanoseconds past one second in chrono) has no place in java.time or
    // Foundation: it becomes the last nanosecond of second 59.
    let nanos = n.nanosecond();
    let nanos = if nanos >= 1_000_000_000 { 999_999_999 } else { nanos };
    WallClockTime(WallClockParts {
        year: n.year(),
        month: n.month() as i32,
        day: n.day() as i32,
        hour: n.hour() as i32,
        minute: n.minute() as i32,
        second: n.second() as i32,
        nanosecond: nanos as i32,
    })
}

/// The wire text of wall-clock parts; parts that name no real time give a text that the core
/// rejects with the `datetime` rule and this field's path.
fn wall_clock_wire(p: WallClockParts) -> String {
    let u = |v: i32| u32::try_from(v).ok();
    let naive = NaiveDate::from_ymd_opt(p.year, u(p.month).unwrap_or(0), u(p.day).unwrap_or(0)).and_then(|d| {
        let t = NaiveTime::from_hms_nano_opt(u(p.hour)?, u(p.minute)?, u(p.second)?, u(p.nanosecond)?)?;
        (p.nanosecond < 1_000_000_000).then(|| NaiveDateTime::new(d, t))
    });
    match naive {
        Some(n) => CoreDateTime::Local(n).to_string(),
        // The space keeps it from ever parsing.
        None => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02} +{}ns",
            p.year, p.month, p.day, p.hour, p.minute, p.second, p.nanosecond
        ),
    }
}

fn utc_wire(p: UtcInstantParts) -> String {
    match u32::try_from(p.nanosecond).ok().filter(|n| *n < 1_000_000_000) {
        Some(n) => match DateTime::<Utc>::from_timestamp(p.epoch_seconds, n) {
            Some(u) => CoreDateTime::Utc(u).to_string(),
            None => format!("{}s after the epoch (out of range)Z", p.epoch_seconds),
        },
        None => format!("{}s and {}ns after the epoch (nanoseconds out of range)Z", p.epoch_seconds, p.nanosecond),
    }
}

impl Bridge for CoreDateTime {
    type Ffi = TerminalDateTime;
    fn to_ffi(self) -> TerminalDateTime {
        match self {
            CoreDateTime::Local(n) => TerminalDateTime::Local { date_time: wall_clock(n) },
            CoreDateTime::Utc(u) => {
                let nanos = u.timestamp_subsec_nanos().min(999_999_999);
                TerminalDateTime::Utc {
                    instant: UtcInstant(UtcInstantParts { epoch_seconds: u.timestamp(), nanosecond: nanos as i32 }),
                }
            }
        }
    }
    fn to_wire(value: TerminalDateTime, _: &str) -> Result<Option<Value>, ValidationError> {
        Ok(Some(Value::String(match value {
            TerminalDateTime::Local { date_time } => wall_clock_wire(date_time.0),
            TerminalDateTime::Utc { instant } => utc_wire(instant.0),
        })))
    }
}

impl Bridge for CoreExpiry {
    type Ffi = Expiry;
    fn to_ffi(self) -> Expiry {
        match self {
            CoreExpiry::Never => Expiry::Never,
            CoreExpiry::At(t) => Expiry::At { time: t.to_ffi() },
        }
    }
    fn to_wire(value: Expiry, at: &str) -> Result<Option<Value>, ValidationError> {
        match value {
            Expiry::Never => Ok(Some(Value::from(0))),
            Expiry::At { time } => CoreDateTime::to_wire(time, at),
        }
    }
}

impl Bridge for HolidayDate {
    type Ffi = CalendarDate;
    fn to_ffi(self) -> CalendarDate {
        let d = self.date();
        CalendarDate(CalendarDateParts { year: d.year(), month: d.month() as i32, day: d.day() as i32 })
    }
    fn to_wire(value: CalendarDate, _: &str) -> Result<Option<Value>, ValidationError> {
        let p = value.0;
        Ok(Some(Value::String(format!("{:04}-{:02}-{:02}", p.year, p.month, p.day))))
    }
}

impl Bridge for CoreHolidayQuery {
    type Ffi = HolidayQuery;
    fn to_ffi(self) -> HolidayQuery {
        let (year, month, day) = self.parts();
        HolidayQuery { year: year.into(), month: month.into(), day: day.into() }
    }
    fn to_wire(value: HolidayQuery, at: &str) -> Result<Option<Value>, ValidationError> {
        let HolidayQuery { year, month, day } = value;
        if !(0..=9999).contains(&year) || !(0..=99).contains(&month) || !(0..=99).contains(&day) {
            return Err(ValidationError::new(at, format!("{year}-{month}-{day}"), Rule::HolidayQuery));
        }
        Ok(Some(Value::String(format!("{year:04}-{month:02}-{day:02}"))))
    }
}
