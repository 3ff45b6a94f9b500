//! Terminal date-times. The terminal speaks `xsd:dateTime`: with a trailing `Z` the value is
//! UTC, without it the value is the terminal's local wall-clock time (§2.1). The two never turn
//! into each other silently: they are two variants of one type, end to end.

use crate::error::{Rule, ValidationError};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::fmt;
use std::str::FromStr;

/// A date-time as the terminal writes it: local wall-clock time (no `Z`) or UTC (`Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TerminalDateTime {
    /// The terminal's local time, no zone attached (`2025-07-16T10:24:13`).
    Local(NaiveDateTime),
    /// An instant in UTC (`2025-07-16T10:24:13Z`).
    Utc(DateTime<Utc>),
}

impl TerminalDateTime {
    pub fn local(dt: NaiveDateTime) -> Self {
        TerminalDateTime::Local(dt)
    }
    pub fn utc(dt: DateTime<Utc>) -> Self {
        TerminalDateTime::Utc(dt)
    }
    pub fn is_utc(&self) -> bool {
        matches!(self, TerminalDateTime::Utc(_))
    }
    /// The wall-clock reading, whichever zone it is in (for ordering logs of one terminal).
    pub fn naive(&self) -> NaiveDateTime {
        match self {
            TerminalDateTime::Local(n) => *n,
            TerminalDateTime::Utc(u) => u.naive_utc(),
        }
    }
    /// Parse the wire form; the error names the `datetime` rule.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        parse_fast(s.as_bytes()).or_else(|| parse_general(s)).ok_or_else(|| ValidationError::new("", s, Rule::DateTime))
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

/// `YYYY-MM-DDTHH:MM:SS[.f+][Z]`, the form every terminal sends: no allocation, no format parser.
fn parse_fast(b: &[u8]) -> Option<TerminalDateTime> {
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(digits(&b[0..4])? as i32, digits(&b[5..7])?, digits(&b[8..10])?)?;
    let (h, m, s) = (digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?);
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let [b'.', tail @ ..] = rest {
        let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        for (i, &c) in tail[..n].iter().enumerate().take(9) {
            nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
        }
        rest = &tail[n..];
    }
    // A leap second (:60) is chrono's second 59 with a nanosecond count past one second.
    let (s, nanos) = if s == 60 { (59, nanos + 1_000_000_000) } else { (s, nanos) };
    let time = NaiveTime::from_hms_nano_opt(h, m, s, nanos)?;
    let naive = NaiveDateTime::new(date, time);
    match rest {
        [] => Some(TerminalDateTime::Local(naive)),
        [b'Z'] | [b'z'] => Some(TerminalDateTime::Utc(naive.and_utc())),
        _ => None,
    }
}

/// Anything else RFC 3339 allows, such as an offset (`+02:00`): an offset names an instant,
/// so it is read as UTC.
fn parse_general(s: &str) -> Option<TerminalDateTime> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| TerminalDateTime::Utc(d.with_timezone(&Utc)))
}

/// `%Y-%m-%dT%H:%M:%S` for years 0–9999 outside a leap second; `None` otherwise.
fn wire_digits(n: &NaiveDateTime) -> Option<[u8; 19]> {
    use chrono::Datelike;
    let year = u32::try_from(n.year()).ok().filter(|y| *y <= 9999)?;
    if n.nanosecond() >= 1_000_000_000 {
        return None;
    }
    let mut out = *b"0000-00-00T00:00:00";
    let mut put = |at: usize, width: usize, mut v: u32| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, year);
    put(5, 2, n.month());
    put(8, 2, n.day());
    put(11, 2, n.hour());
    put(14, 2, n.minute());
    put(17, 2, n.second());
    Some(out)
}

/// `%Y-%m-%d` exactly as chrono writes it: four digits for the years 0–9999, a sign and at
/// least four digits for the others (ISO 8601). Written with integer formatting: chrono's
/// formatter is 6 KB of gzip in the browser package (tests/properties.rs compares the two).
pub(crate) fn write_date(f: &mut impl fmt::Write, d: chrono::NaiveDate) -> fmt::Result {
    use chrono::Datelike;
    let year = d.year();
    if (0..10_000).contains(&year) {
        write!(f, "{year:04}")?;
    } else {
        write!(f, "{year:+05}")?;
    }
    write!(f, "-{:02}-{:02}", d.month(), d.day())
}

impl fmt::Display for TerminalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.naive();
        // A log export formats millions of these: the usual years' digits are written directly
        // (chrono's formatter was a tenth of the CLI export's own CPU); other years and leap
        // seconds as chrono writes `%Y-%m-%dT%H:%M:%S`.
        // `tests/properties.rs` checks that both write the same.
        match wire_digits(&n) {
            Some(digits) => f.write_str(std::str::from_utf8(&digits).expect("ASCII digits"))?,
            None => {
                // chrono's `%S` writes a leap second as 60.
                write_date(f, n.date())?;
                write!(f, "T{:02}:{:02}:{:02}", n.hour(), n.minute(), n.second() + n.nanosecond() / 1_000_000_000)?;
            }
        }
        // Milliseconds as terminals write them; finer fractions are kept, not rounded away.
        let nanos = n.nanosecond() % 1_000_000_000;
        if nanos.is_multiple_of(1_000_000) && nanos != 0 {
            write!(f, ".{:03}", nanos / 1_000_000)?;
        } else if nanos.is_multiple_of(1_000) && nanos != 0 {
            write!(f, ".{:06}", nanos / 1_000)?;
        } else if nanos != 0 {
            write!(f, ".{nanos:09}")?;
        }
        if self.is_utc() {
            f.write_str("Z")?;
        }
        Ok(())
    }
}

impl FromStr for TerminalDateTime {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TerminalDateTime::parse(s)
    }
}

impl From<NaiveDateTime> for TerminalDateTime {
    fn from(n: NaiveDateTime) -> Self {
        TerminalDateTime::Local(n)
    }
}

impl From<DateTime<Utc>> for TerminalDateTime {
    fn from(u: DateTime<Utc>) -> Self {
        TerminalDateTime::Utc(u)
    }
}

impl crate::format::Described for TerminalDateTime {
    const FORMAT: crate::format::ValueFormat =
        crate::format::ValueFormat::ruled("DATETIME", "a date-time", crate::error::Rule::DateTime)
            .of_kind(crate::format::Kind::DateTime)
            .named("TerminalDateTime")
            .matching(DATETIME_PATTERN);
}

impl Serialize for TerminalDateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TerminalDateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = TerminalDateTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an xsd:dateTime string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                TerminalDateTime::parse(v).map_err(|_| crate::lenient::rule_error(Rule::DateTime, v))
            }
        }
        d.deserialize_str(V)
    }
}

/// What every date-time this library writes matches (local, or UTC with `Z`); the date and
/// time must also exist.
pub const DATETIME_PATTERN: &str =
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?Z?$";

/// A user's `expirydate`: a date-time, or `0` for "never expires" (§3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Expiry {
    #[default]
    Never,
    At(TerminalDateTime),
}

impl crate::format::Described for Expiry {
    const FORMAT: crate::format::ValueFormat =
        crate::format::ValueFormat::ruled("DATETIME|0", "a date-time or 0", crate::error::Rule::Expiry)
            .of_kind(crate::format::Kind::Expiry)
            .named("Expiry")
            .matching(DATETIME_PATTERN);
}

impl Serialize for Expiry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Expiry::Never => s.serialize_u8(0),
            Expiry::At(t) => t.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Expiry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Expiry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date-time or 0")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Expiry, E> {
                if v == 0 { Ok(Expiry::Never) } else { Err(crate::lenient::rule_error(Rule::Expiry, v)) }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Expiry, E> {
                if v == 0 { Ok(Expiry::Never) } else { Err(crate::lenient::rule_error(Rule::Expiry, v)) }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Expiry, E> {
                if v == 0.0 {
                    Ok(Expiry::Never)
                } else {
                    Err(crate::lenient::rule_error(Rule::Expiry, crate::lenient::float_text(v)))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Expiry, E> {
                if v.trim() == "0" || v.is_empty() {
                    return Ok(Expiry::Never);
                }
                TerminalDateTime::parse(v).map(Expiry::At).map_err(|_| crate::lenient::rule_error(Rule::Expiry, v))
            }
        }
        d.deserialize_any(V)
    }
}
