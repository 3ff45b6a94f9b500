//! Value types of the terminal's vocabulary. Constructors check the rule, so a value built in
//! code is always valid. Values read from a terminal that fall outside the documented sets are
//! kept verbatim (an `Unknown` variant, or a number out of range) so that nothing is lost; any
//! write re-checks them ([`Validate`]).

use crate::error::{Rule, ValidationError};
use crate::format::{Described, ValueFormat};
use crate::lenient::{self, rule_error};
use crate::validate::Validate;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::fmt;
use std::str::FromStr;

/// An enum of wire strings, with an `Unknown` variant that keeps what a terminal sent.
macro_rules! wire_enum {
    ($(#[$m:meta])* pub enum $Name:ident : $rule:ident { $( $(#[$vm:meta])* $Var:ident = $wire:literal ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $Name {
            $( $(#[$vm])* $Var, )*
            /// A value this library does not know, kept as the terminal sent it. Writing it
            /// back fails validation.
            Unknown(String),
        }
        impl $Name {
            /// Every documented value.
            pub const ALL: &'static [$Name] = &[ $( $Name::$Var, )* ];
            /// The wire form.
            pub fn as_str(&self) -> &str {
                match self { $( $Name::$Var => $wire, )* $Name::Unknown(s) => s }
            }
            /// Read a wire value, keeping an unknown one.
            pub fn from_wire(s: &str) -> Self {
                match s { $( $wire => $Name::$Var, )* other => $Name::Unknown(other.to_string()) }
            }
            pub fn is_known(&self) -> bool {
                !matches!(self, $Name::Unknown(_))
            }
        }
        impl FromStr for $Name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, ValidationError> {
                match $Name::from_wire(s) {
                    $Name::Unknown(_) => Err(ValidationError::new("", s, Rule::$rule)),
                    v => Ok(v),
                }
            }
        }
        impl fmt::Display for $Name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
        impl Serialize for $Name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.as_str()) }
        }
        impl<'de> Deserialize<'de> for $Name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = lenient::string(d)?;
                Ok($Name::from_wire(&s))
            }
        }
        impl Validate for $Name {
            fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
                if let $Name::Unknown(s) = self {
                    errors.push(ValidationError::new(at, s.as_str(), Rule::$rule));
                }
            }
        }
        impl Described for $Name {
            const FORMAT: ValueFormat = ValueFormat::choice(&[ $( $wire, )* ], Rule::$rule).named(stringify!($Name));
        }
    };
}

/// An integer newtype whose constructor checks a rule; reading keeps any integer. The rule is
/// data in its format (a range `1..=1800` or a list `[5, 10]`), which the check reads too, so
/// the OpenAPI document states exactly what the constructor checks.
macro_rules! checked_int {
    ($(#[$m:meta])* pub struct $Name:ident($t:ty) : $rule:ident $placeholder:literal, $min:literal ..= $max:literal) => {
        checked_int!(@ $(#[$m])* $Name $t, $rule, ValueFormat::ruled($placeholder, "a whole number", Rule::$rule).between($min, $max));
    };
    ($(#[$m:meta])* pub struct $Name:ident($t:ty) : $rule:ident $placeholder:literal, [$($n:literal),+]) => {
        checked_int!(@ $(#[$m])* $Name $t, $rule, ValueFormat::ruled($placeholder, "a whole number", Rule::$rule).one_of_numbers(&[$($n),+]));
    };
    (@ $(#[$m:meta])* $Name:ident $t:ty, $rule:ident, $format:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $Name($t);
        impl $Name {
            /// Checks the rule.
            pub fn new(v: $t) -> Result<Self, ValidationError> {
                if Self::allowed(v) { Ok($Name(v)) } else { Err(ValidationError::new("", v.to_string(), Rule::$rule)) }
            }
            pub fn get(self) -> $t { self.0 }
            fn allowed(v: $t) -> bool { <Self as Described>::FORMAT.admits_number(i64::from(v)) }
        }
        impl TryFrom<$t> for $Name {
            type Error = ValidationError;
            fn try_from(v: $t) -> Result<Self, ValidationError> { $Name::new(v) }
        }
        impl From<$Name> for $t {
            fn from(v: $Name) -> $t { v.0 }
        }
        impl fmt::Display for $Name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { self.0.fmt(f) }
        }
        impl Serialize for $Name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { self.0.serialize(s) }
        }
        impl<'de> Deserialize<'de> for $Name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = lenient::int::<D, i64>(d)?;
                <$t>::try_from(v).map($Name).map_err(|_| rule_error(Rule::$rule, v))
            }
        }
        impl Validate for $Name {
            fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
                if !Self::allowed(self.0) {
                    errors.push(ValidationError::new(at, self.0.to_string(), Rule::$rule));
                }
            }
        }
        impl Described for $Name {
            const FORMAT: ValueFormat = $format.of_kind(crate::format::Kind::Integer).named(stringify!($Name));
            const SCALAR: crate::format::Scalar = crate::format::Scalar::Integer;
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Schedules

/// A day's schedule: 48 half-hour slots, slot *i* starting at *i* × 30 minutes (§5.1).
/// Wire form: 48 characters of `'0'` (off) or `'1'` (on).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TimePattern(u64);

impl TimePattern {
    pub const SLOTS: usize = 48;
    /// No slot on.
    pub const EMPTY: TimePattern = TimePattern(0);
    /// Every slot on.
    pub const ALL_DAY: TimePattern = TimePattern((1 << 48) - 1);

    /// Parse the 48-character wire form.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let b = s.as_bytes();
        if b.len() != Self::SLOTS {
            return Err(ValidationError::new("", s, Rule::TimePattern));
        }
        let mut bits = 0u64;
        for (i, &c) in b.iter().enumerate() {
            match c {
                b'0' => {}
                b'1' => bits |= 1 << i,
                _ => return Err(ValidationError::new("", s, Rule::TimePattern)),
            }
        }
        Ok(TimePattern(bits))
    }

    /// Build from ranges such as `"08:00-12:30, 13:30-17:00"`: every slot whose start is at or
    /// after a range's start and before its end is on. Boundaries must be on the half hour;
    /// `24:00` may end a range. An empty text is the empty pattern.
    pub fn from_ranges(text: &str) -> Result<Self, ValidationError> {
        let err = || ValidationError::new("", text, Rule::TimeRange);
        let mut bits = 0u64;
        if text.trim().is_empty() {
            return Ok(TimePattern(0));
        }
        for part in text.split(',').map(str::trim) {
            let (a, b) = part.split_once('-').ok_or_else(err)?;
            let start = half_hours(a.trim()).ok_or_else(err)?;
            let end = half_hours(b.trim()).ok_or_else(err)?;
            if start >= end || end > 48 {
                return Err(err());
            }
            for slot in start..end {
                bits |= 1 << slot;
            }
        }
        Ok(TimePattern(bits))
    }

    /// The on-slots as merged ranges, `"08:00-12:30, 13:30-17:00"` (`""` when none).
    pub fn to_ranges(&self) -> String {
        self.ranges().iter().map(|(a, b)| format!("{}-{}", hhmm(*a), hhmm(*b))).collect::<Vec<_>>().join(", ")
    }

    /// The on-slots as merged `(start, end)` slot-index ranges, end exclusive.
    pub fn ranges(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < Self::SLOTS {
            if self.is_on(i) {
                let start = i;
                while i < Self::SLOTS && self.is_on(i) {
                    i += 1;
                }
                out.push((start, i));
            } else {
                i += 1;
            }
        }
        out
    }

    /// Whether slot `i` (0–47) is on.
    pub fn is_on(&self, slot: usize) -> bool {
        slot < Self::SLOTS && self.0 & (1 << slot) != 0
    }

    /// Whether the schedule is on at `hour:minute`.
    pub fn is_on_at(&self, hour: u32, minute: u32) -> bool {
        hour < 24 && minute < 60 && self.is_on((hour * 2 + minute / 30) as usize)
    }

    /// Turn one slot on or off (panics on a slot past 47).
    pub fn with_slot(mut self, slot: usize, on: bool) -> Self {
        assert!(slot < Self::SLOTS, "slot {slot} is past 47");
        if on {
            self.0 |= 1 << slot
        } else {
            self.0 &= !(1 << slot)
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
}

fn half_hours(s: &str) -> Option<usize> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m): (usize, usize) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(48),
        (0..=23, 0) => Some(h * 2),
        (0..=23, 30) => Some(h * 2 + 1),
        _ => None,
    }
}

fn hhmm(slot: usize) -> String {
    format!("{:02}:{:02}", slot / 2, (slot % 2) * 30)
}

impl fmt::Display for TimePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = [b'0'; 48];
        for (i, c) in s.iter_mut().enumerate() {
            if self.is_on(i) {
                *c = b'1';
            }
        }
        f.write_str(std::str::from_utf8(&s).expect("ascii"))
    }
}

impl fmt::Debug for TimePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TimePattern({:?})", self.to_ranges())
    }
}

impl FromStr for TimePattern {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, ValidationError> {
        TimePattern::parse(s)
    }
}

impl Serialize for TimePattern {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimePattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = lenient::string(d)?;
        TimePattern::parse(&s).map_err(|_| rule_error(Rule::TimePattern, s))
    }
}

impl Described for TimePattern {
    const FORMAT: ValueFormat = ValueFormat::ruled("PATTERN", "a time pattern", Rule::TimePattern)
        .of_kind(crate::format::Kind::TimePattern)
        .named("TimePattern")
        .matching("^[01]{48}$");
}

impl Validate for TimePattern {
    fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
}

wire_enum! {
    /// A day of a `timespec` (§5.1). `HOLIDAY` applies on the terminal's holidays (§13).
    pub enum Weekday: Weekday {
        Sunday = "SUNDAY", Monday = "MONDAY", Tuesday = "TUESDAY", Wednesday = "WEDNESDAY",
        Thursday = "THURSDAY", Friday = "FRIDAY", Saturday = "SATURDAY", Holiday = "HOLIDAY",
    }
}

// ---------------------------------------------------------------------------------------------
// Triggers

/// A function key number, 1 to 40.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FunctionKey(u8);

impl FunctionKey {
    pub fn new(n: u8) -> Result<Self, ValidationError> {
        if (1..=40).contains(&n) {
            Ok(FunctionKey(n))
        } else {
            Err(ValidationError::new("", format!("F{n}"), Rule::TriggerType))
        }
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

/// A trigger (§7): `IN`, `OUT` or a function key `F1` … `F40`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TriggerType {
    In,
    Out,
    F(FunctionKey),
    /// Kept as the terminal sent it; writing it fails validation.
    Unknown(String),
}

impl TriggerType {
    /// `F1` … `F40`.
    pub fn f(n: u8) -> Result<Self, ValidationError> {
        FunctionKey::new(n).map(TriggerType::F)
    }
    /// IN, OUT, F1 … F40.
    pub fn all() -> Vec<TriggerType> {
        let mut v = vec![TriggerType::In, TriggerType::Out];
        v.extend((1..=40).map(|n| TriggerType::F(FunctionKey(n))));
        v
    }
    pub fn from_wire(s: &str) -> Self {
        match s {
            "IN" => TriggerType::In,
            "OUT" => TriggerType::Out,
            _ => s
                .strip_prefix('F')
                .filter(|n| !n.starts_with('0') && n.len() <= 2 && n.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|n| n.parse::<u8>().ok())
                .and_then(|n| FunctionKey::new(n).ok())
                .map(TriggerType::F)
                .unwrap_or_else(|| TriggerType::Unknown(s.to_string())),
        }
    }
    /// Whether `freeJobcode` may be set: F1 … F10 only (§7.2).
    pub fn allows_free_jobcode(&self) -> bool {
        matches!(self, TriggerType::F(k) if k.0 <= 10)
    }
}

impl fmt::Display for TriggerType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TriggerType::In => f.write_str("IN"),
            TriggerType::Out => f.write_str("OUT"),
            TriggerType::F(k) => write!(f, "F{}", k.0),
            TriggerType::Unknown(s) => f.write_str(s),
        }
    }
}

impl FromStr for TriggerType {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, ValidationError> {
        match TriggerType::from_wire(s) {
            TriggerType::Unknown(_) => Err(ValidationError::new("", s, Rule::TriggerType)),
            t => Ok(t),
        }
    }
}

impl Serialize for TriggerType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TriggerType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(TriggerType::from_wire(&lenient::string(d)?))
    }
}

impl Described for TriggerType {
    const FORMAT: ValueFormat = ValueFormat::ruled("TRIGGER", "a trigger", Rule::TriggerType)
        .named("TriggerType")
        .matching("^(IN|OUT|F([1-9]|[1-3][0-9]|40))$");
}

impl Validate for TriggerType {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if let TriggerType::Unknown(s) = self {
            errors.push(ValidationError::new(at, s.as_str(), Rule::TriggerType));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Relays (§11.4–11.6)

wire_enum! {
    /// A relay that has settings: door strike 1 or 2.
    pub enum RelayId: RelayId { One = "ONE", Two = "TWO" }
}

wire_enum! {
    /// A relay to act on or read: one strike or both.
    pub enum RelayTarget: RelayTarget { One = "ONE", Two = "TWO", All = "ALL" }
}

wire_enum! {
    /// What relay_action does.
    pub enum RelayAction: RelayAction { Open = "open", Close = "close" }
}

wire_enum! {
    /// What a relay is used for. ONE: disable, access_denied; TWO: all five (§11.5).
    pub enum RelayOption: RelayOption {
        Disable = "disable", AccessGranted = "access_granted", AccessDenied = "access_denied",
        Doorbell = "doorbell", BellSchedule = "bell_schedule",
    }
}

impl RelayOption {
    /// Whether relay `id` accepts this option (§11.5).
    pub fn allowed_on(&self, id: &RelayId) -> bool {
        match id {
            RelayId::One => matches!(self, RelayOption::Disable | RelayOption::AccessDenied),
            RelayId::Two => self.is_known(),
            RelayId::Unknown(_) => true,
        }
    }
}

checked_int! {
    /// Relay delay in seconds: 1–1800 (§11.5). While the door-open schedule is disabled the
    /// terminal accepts only 1–20; see [`RelayDelay::allowed_without_schedule`].
    pub struct RelayDelay(u32): RelayDelay "SECONDS", 1..=1800
}

impl RelayDelay {
    /// §11.5: 1–20 s unless the door-open schedule is on.
    pub fn allowed_without_schedule(self) -> bool {
        (1..=20).contains(&self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Auto in/out (§11.7)

wire_enum! {
    /// Auto in/out mode. `enable` and `autoInOut` mean the same; both are kept as sent.
    pub enum AutoInOutMode: AutoInOutMode {
        Disable = "disable", Enable = "enable", AutoInOut = "autoInOut",
        RejectRepeatLogin = "reject_repeat_login", AntiPassback = "anti_passback",
        LunchBreak = "lunch_break", CrowdControl = "crowd_control",
    }
}

checked_int! {
    /// `rejectRepeat_time_sec`: 1–86400.
    pub struct RejectRepeatSeconds(u32): RejectRepeatTime "SECONDS", 1..=86400
}

checked_int! {
    /// `lockout_time_min`: 1–120.
    pub struct LockoutMinutes(u32): LockoutTime "MINUTES", 1..=120
}

checked_int! {
    /// `crowd_limit_count`: 1–65535.
    pub struct CrowdLimit(u32): CrowdLimit "N", 1..=65535
}

/// A time of day `HH:MM`, 00:00–23:59.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HhMm {
    hour: u8,
    minute: u8,
}

impl HhMm {
    pub fn new(hour: u8, minute: u8) -> Result<Self, ValidationError> {
        if hour < 24 && minute < 60 {
            Ok(HhMm { hour, minute })
        } else {
            Err(ValidationError::new("", format!("{hour}:{minute}"), Rule::HhMm))
        }
    }
    pub fn hour(self) -> u8 {
        self.hour
    }
    pub fn minute(self) -> u8 {
        self.minute
    }
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let err = || ValidationError::new("", s, Rule::HhMm);
        let b = s.as_bytes();
        if b.len() != 5 || b[2] != b':' || !b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit) {
            return Err(err());
        }
        HhMm::new((b[0] - b'0') * 10 + b[1] - b'0', (b[3] - b'0') * 10 + b[4] - b'0').map_err(|_| err())
    }
}

impl fmt::Display for HhMm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl FromStr for HhMm {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, ValidationError> {
        HhMm::parse(s)
    }
}

impl Serialize for HhMm {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HhMm {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = lenient::string(d)?;
        HhMm::parse(&s).map_err(|_| rule_error(Rule::HhMm, s))
    }
}

impl Described for HhMm {
    const FORMAT: ValueFormat = ValueFormat::ruled("HH:MM", "a time of day", Rule::HhMm)
        .named("HhMm")
        .matching("^([01][0-9]|2[0-3]):[0-5][0-9]$");
}

impl Validate for HhMm {
    fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
}

// ---------------------------------------------------------------------------------------------
// Log setting (§11.16), RTP (§11.12)

wire_enum! {
    /// Which events are logged.
    pub enum LogEvent: LogEvent {
        Disable = "disable", UserEvent = "user_event", AuditEvent = "audit_event", UserAuditEvent = "user_audit_event",
    }
}

checked_int! {
    /// Log capacity: 10000, 75000, 100000, 500000 or 1000000 records.
    pub struct LogSize(u32): LogSize "N", [10_000, 75_000, 100_000, 500_000, 1_000_000]
}

wire_enum! {
    /// How EM cards are written into logs.
    pub enum EmOption: EmOption { FullSn = "FullSN", Id = "ID", FcId = "FC_ID" }
}

wire_enum! {
    /// Video streaming mode.
    pub enum RtpMode: RtpMode { Disable = "disable", Rtp = "RTP", Srtp = "SRTP" }
}

checked_int! {
    /// Video frames per second: 5, 10, 15, 20, 25 or 30.
    pub struct Fps(u32): RtpFps "FPS", [5, 10, 15, 20, 25, 30]
}

// ---------------------------------------------------------------------------------------------
// Job codes (§12)

checked_int! {
    /// A job code setting: 1, 2 or 3.
    pub struct JobCodeSettingId(u32): JobCodeSettingId "ID", 1..=3
}

checked_int! {
    /// A job code id within its setting: 1–999999.
    pub struct JobCodeId(u32): JobCodeId "ID", 1..=999_999
}

wire_enum! {
    /// A job code's (or a job code setting's) state. Settings take only enable/disable.
    pub enum JobCodeEnable: JobCodeEnable { Enable = "enable", Disable = "disable", Default = "default" }
}

// ---------------------------------------------------------------------------------------------
// Users (§3)

wire_enum! {
    /// A user's rights on the terminal. The terminal treats a missing level as PERSONALUSER.
    pub enum AdminLevel: AdminLevel {
        PersonalUser = "PERSONALUSER", NetworkAdmin = "NETWORKADMIN", UserAdmin = "USERADMIN", SuperAdmin = "SUPERADMIN",
    }
}

wire_enum! {
    /// What get_user_api_totp returns (§3.14).
    pub enum TotpType: TotpType {
        QrPng = "QR_PNG", QrSvg = "QR_SVG", QrAnsi = "QR_ANSI", QrPlaintext = "QR_PLAINTEXT", OtpPasscode = "OTP_PASSCODE",
    }
}

wire_enum! {
    /// set_consent's switch (§11.14).
    pub enum ConsentMode: Consent { Enable = "enable", Disable = "disable" }
}

// ---------------------------------------------------------------------------------------------
// Holidays (§13)

/// A real calendar date, `YYYY-MM-DD` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HolidayDate(NaiveDate);

impl HolidayDate {
    pub fn new(year: i32, month: u32, day: u32) -> Result<Self, ValidationError> {
        NaiveDate::from_ymd_opt(year, month, day)
            .filter(|d| (1..=9999).contains(&d.year()))
            .map(HolidayDate)
            .ok_or_else(|| ValidationError::new("", format!("{year}-{month}-{day}"), Rule::HolidayDate))
    }
    pub fn date(self) -> NaiveDate {
        self.0
    }
    /// `YYYY-MM-DD`, zero-padded.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let err = || ValidationError::new("", s, Rule::HolidayDate);
        if s.len() != 10 {
            return Err(err());
        }
        let [y, m, d] = date_parts(s).ok_or_else(err)?;
        HolidayDate::new(y as i32, m, d).map_err(|_| err())
    }
}

impl TryFrom<NaiveDate> for HolidayDate {
    type Error = ValidationError;
    fn try_from(d: NaiveDate) -> Result<Self, ValidationError> {
        HolidayDate::new(d.year(), d.month(), d.day())
    }
}

fn date_parts(s: &str) -> Option<[u32; 3]> {
    let mut it = s.split('-');
    let mut out = [0u32; 3];
    for (slot, max_len) in out.iter_mut().zip([4usize, 2, 2]) {
        let p = it.next()?;
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *slot = p.parse().ok()?;
    }
    it.next().is_none().then_some(out)
}

impl fmt::Display for HolidayDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::datetime::write_date(f, self.0)
    }
}

impl FromStr for HolidayDate {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, ValidationError> {
        HolidayDate::parse(s)
    }
}

impl Serialize for HolidayDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HolidayDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = lenient::string(d)?;
        HolidayDate::parse(&s).map_err(|_| rule_error(Rule::HolidayDate, s))
    }
}

impl Described for HolidayDate {
    const FORMAT: ValueFormat = ValueFormat::ruled("DATE", "a date", Rule::HolidayDate)
        .of_kind(crate::format::Kind::Date)
        .named("HolidayDate")
        .matching("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$");
}

impl Validate for HolidayDate {
    fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
}

/// A get_holidays filter: year, month and day where `0` is a wildcard (`2025-0-0` = every
/// holiday of 2025). Written with bare zeros, as the terminal does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HolidayQuery {
    year: u16,
    month: u8,
    day: u8,
}

impl HolidayQuery {
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, ValidationError> {
        let err = || ValidationError::new("", format!("{year}-{month}-{day}"), Rule::HolidayQuery);
        if year > 9999 || month > 12 || day > 31 {
            return Err(err());
        }
        // A day that no month (or not this month) has is no filter at all.
        let probe_year = if year == 0 { 2000 } else { i32::from(year) };
        if month != 0 && day != 0 && NaiveDate::from_ymd_opt(probe_year, month.into(), day.into()).is_none() {
            return Err(err());
        }
        Ok(HolidayQuery { year, month, day })
    }
    /// Every holiday of a year.
    pub fn year(year: u16) -> Result<Self, ValidationError> {
        HolidayQuery::new(year, 0, 0)
    }
    /// Every holiday of a month.
    pub fn month(year: u16, month: u8) -> Result<Self, ValidationError> {
        HolidayQuery::new(year, month, 0)
    }
    pub fn parts(self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let err = || ValidationError::new("", s, Rule::HolidayQuery);
        let [y, m, d] = date_parts(s).ok_or_else(err)?;
        HolidayQuery::new(y as u16, m as u8, d as u8).map_err(|_| err())
    }
    /// Whether a date matches this filter.
    pub fn matches(self, date: HolidayDate) -> bool {
        let d = date.0;
        (self.year == 0 || d.year() == i32::from(self.year))
            && (self.month == 0 || d.month() == u32::from(self.month))
            && (self.day == 0 || d.day() == u32::from(self.day))
    }
}

impl From<HolidayDate> for HolidayQuery {
    fn from(d: HolidayDate) -> Self {
        HolidayQuery { year: d.0.year() as u16, month: d.0.month() as u8, day: d.0.day() as u8 }
    }
}

impl fmt::Display for HolidayQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year == 0 {
            f.write_str("0")?
        } else {
            write!(f, "{:04}", self.year)?
        }
        for part in [self.month, self.day] {
            if part == 0 { f.write_str("-0")? } else { write!(f, "-{part:02}")? }
        }
        Ok(())
    }
}

impl FromStr for HolidayQuery {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, ValidationError> {
        HolidayQuery::parse(s)
    }
}

impl Serialize for HolidayQuery {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HolidayQuery {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = lenient::string(d)?;
        HolidayQuery::parse(&s).map_err(|_| rule_error(Rule::HolidayQuery, s))
    }
}

impl Described for HolidayQuery {
    const FORMAT: ValueFormat = ValueFormat::ruled("DATE", "a date query", Rule::HolidayQuery)
        .named("HolidayQuery")
        .matching("^[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}$");
}

impl Validate for HolidayQuery {
    fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
}

// ---------------------------------------------------------------------------------------------
// Strings with a rule

/// An agent endpoint (§9.1): an absolute `http://` or `https://` URL with a host. Registered
/// URLs may hold characters a strict URL parser refuses (the manual shows a space), so only
/// the scheme and the host are checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AgentUrl(String);

impl AgentUrl {
    pub fn new(url: impl Into<String>) -> Result<Self, ValidationError> {
        let url = url.into();
        if Self::well_formed(&url) { Ok(AgentUrl(url)) } else { Err(ValidationError::new("", url, Rule::AgentUrl)) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    fn well_formed(url: &str) -> bool {
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            &url[8..]
        } else if lower.starts_with("http://") {
            &url[7..]
        } else {
            return false;
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or("");
        let host = match host.rsplit_once(':') {
            Some((h, port)) if !h.ends_with(']') || host.starts_with('[') => {
                if !port.is_empty() && !port.bytes().all(|c| c.is_ascii_digit()) && !host.starts_with('[') {
                    return false;
                }
                h
            }
            _ => host,
        };
        !host.is_empty() && !authority.chars().any(char::is_whitespace) && !url.chars().any(char::is_control)
    }
}

impl fmt::Display for AgentUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for AgentUrl {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, ValidationError> {
        AgentUrl::new(s)
    }
}

impl Serialize for AgentUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AgentUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(AgentUrl(lenient::string(d)?))
    }
}

impl Described for AgentUrl {
    const FORMAT: ValueFormat = ValueFormat::ruled("URL", "a URL", Rule::AgentUrl)
        .named("AgentUrl")
        .matching("^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]+");
}

impl Validate for AgentUrl {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if !Self::well_formed(&self.0) {
            errors.push(ValidationError::new(at, self.0.as_str(), Rule::AgentUrl));
        }
    }
}

/// An IANA time zone identifier (`Europe/London`, `UTC`) (§10.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TimeZoneId(String);

impl TimeZoneId {
    pub fn new(id: impl Into<String>) -> Result<Self, ValidationError> {
        let id = id.into();
        if Self::known(&id) { Ok(TimeZoneId(id)) } else { Err(ValidationError::new("", id, Rule::TimeZone)) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// One of chrono-tz's identifiers (exactly, as chrono-tz parses them).
    #[cfg(feature = "tz")]
    fn known(id: &str) -> bool {
        // Sorted, one per line (build.rs): one string, no table of pointers.
        const ZONES: &str = include_str!(concat!(env!("OUT_DIR"), "/time_zones.txt"));
        !id.is_empty() && !id.contains('\n') && ZONES.split('\n').any(|zone| zone == id)
    }
    /// Without the IANA table: the shape of an identifier (`Area/Location` or a bare name).
    #[cfg(not(feature = "tz"))]
    fn known(id: &str) -> bool {
        !id.is_empty()
            && id.split('/').all(|p| {
                !p.is_empty()
                    && p.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && p.chars().all(|c| c.is_ascii_alphanumeric() || "_-+".contains(c))
            })
    }
}

impl fmt::Display for TimeZoneId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TimeZoneId {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, ValidationError> {
        TimeZoneId::new(s)
    }
}

impl Serialize for TimeZoneId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TimeZoneId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(TimeZoneId(lenient::string(d)?))
    }
}

impl Described for TimeZoneId {
    const FORMAT: ValueFormat = ValueFormat::ruled("ZONE", "a time zone", Rule::TimeZone).named("TimeZoneId");
}

impl Validate for TimeZoneId {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if !Self::known(&self.0) {
            errors.push(ValidationError::new(at, self.0.as_str(), Rule::TimeZone));
        }
    }
}

/// A password or key. Never shown by `Debug` or in errors; serialized as the plain string
/// because the terminal needs it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Secret(lenient::string(d)?))
    }
}

impl Described for Secret {
    const FORMAT: ValueFormat =
        ValueFormat::plain("SECRET", "text", "text (never shown)").of_kind(crate::format::Kind::Secret).named("Secret");
}

impl Validate for Secret {
    fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
}

/// The session id from login (a number or a string on the wire). Never shown by `Debug`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    pub fn new(s: impl Into<String>) -> Self {
        SessionId(s.into())
    }
    /// The id itself, for building request paths.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionId(***)")
    }
}

impl Described for SessionId {
    const FORMAT: ValueFormat = ValueFormat::plain("ID", "a session id", "a session id")
        .of_kind(crate::format::Kind::Secret)
        .named("SessionId");
}

impl Serialize for SessionId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SessionId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = lenient::string(d)?;
        if s.is_empty() {
            return Err(de::Error::invalid_value(de::Unexpected::Str(""), &"a session id"));
        }
        Ok(SessionId(s))
    }
}

/// Base64 data (photos, templates), kept encoded until asked for: a large log list parses
/// without decoding every photo, and a terminal's odd padding never fails a whole reply.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Base64Blob(String);

impl Base64Blob {
    pub fn from_bytes(bytes: &[u8]) -> Self {
        use base64::Engine;
        Base64Blob(base64::engine::general_purpose::STANDARD.encode(bytes))
    }
    pub fn from_base64(text: impl Into<String>) -> Self {
        Base64Blob(text.into())
    }
    pub fn as_base64(&self) -> &str {
        &self.0
    }
    /// Decode (standard alphabet; padding optional; whitespace ignored).
    pub fn decode(&self) -> Result<Vec<u8>, base64::DecodeError> {
        use base64::Engine;
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        if self.0.bytes().any(|c| c.is_ascii_whitespace()) {
            let clean: String = self.0.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            engine.decode(clean)
        } else {
            engine.decode(&self.0)
        }
    }
}

impl fmt::Debug for Base64Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Blob({} chars)", self.0.len())
    }
}

impl Described for Base64Blob {
    const FORMAT: ValueFormat = ValueFormat::plain("BASE64", "base64 text", "base64 text")
        .of_kind(crate::format::Kind::Base64)
        .named("Base64Blob");
}

impl Validate for Base64Blob {
    fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
}
