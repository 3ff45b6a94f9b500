//! Records read the way ENDPOINTS.md "Tolerant reading — Precisely" asks, declared once.
//!
//! A terminal with other firmware leaves fields out, sends numbers as strings, writes values
//! that break a writing rule (`"crowd_reset_hhmm": "9:30"`, `"timestamp": ""`), puts an object
//! where a name belongs, uses the older SOAP API's names (`accessID`, `timeSpec`, E4) and adds
//! fields nobody listed. [`record!`] declares a record's fields once (Rust name, type, wire
//! name, older names) and generates:
//!
//! - the struct: every field `Option<T>` (any field of a reply may be absent), plus `extra`;
//! - `Deserialize` that never fails on a field: a value its type reads is the typed value; a
//!   value it cannot read (off-format or of an impossible JSON type) leaves the field `None`
//!   and is kept verbatim in `extra` under the field's wire name; unknown fields go to `extra`;
//!   one record in a one-element array is read as the record;
//! - `Serialize` in wire form: typed fields, then `extra` (an `extra` entry under a field's wire
//!   name is written only while the typed field is `None`, so a caller's new value wins);
//! - [`Validate`](crate::Validate): a value kept verbatim under a field's wire name fails that
//!   field's rule (strict writing), every field's own rules are checked, then the record's
//!   [`RecordRules`] (required fields, cross-field rules).
//!
//! Only a value that is not a JSON object (nor a one-element array of one) fails to read.

use crate::error::{Rule, ValidationError};
use crate::models::{FacialRecord, KeyRecord, TimeSpec};
use crate::values::*;
use serde::de::value::{BoolDeserializer, BorrowedStrDeserializer, F64Deserializer};
use serde::de::value::{I64Deserializer, StrDeserializer, U64Deserializer};
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, Visitor};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// The error of a field's value that its type cannot read. Why does not matter, the value is
/// kept as the terminal sent it, so nothing is written: serde's wording of the value
/// (`invalid type: floating point ...`) would link a float formatter into the browser's
/// `.wasm` for text nobody reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the field's type cannot read this value")
    }
}

impl std::error::Error for Unreadable {}

impl de::Error for Unreadable {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unreadable
    }
}

/// How a field's type is read from a terminal's reply, and which rule it is written under.
pub trait WireRead: Sized {
    /// The rule a value kept verbatim in this field breaks when written back.
    const RULE: Rule;
    /// Read leniently. `Ok(None)` is "absent" (`null`; `""` for numbers and booleans); `Err`
    /// means the value cannot be this type (it is then kept verbatim).
    fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;
    /// The error for a value kept verbatim in a field at `at` that is being written back.
    fn raw_error(at: String, raw: &Value) -> ValidationError {
        ValidationError::new(at, raw_text(raw), Self::RULE)
    }
}

/// A record's own writing rules beyond its fields' types: required fields and rules that
/// relate several fields. Every record implements it (the compiler asks for it).
pub trait RecordRules {
    fn rules(&self, _at: &str, _errors: &mut Vec<ValidationError>) {}
}

/// A record (or any type) from a JSON value, read from the value's text.
///
/// `serde_json::from_value` would instantiate every record's reader a second time, for
/// `serde_json::Value` besides JSON text: in the browser's `.wasm` that copy of the 40-odd
/// readers is tens of kilobytes. Going through the text costs a serialization of small
/// documents (plans, write replies) and keeps one reader per record. The error says what
/// serde says, without a position in text nobody sees.
pub fn from_value_text<T: de::DeserializeOwned>(v: &Value) -> Result<T, serde_json::Error> {
    let text = serde_json::to_vec(v).expect("values serialize");
    serde_json::from_slice(&text)
        .map_err(|e| <serde_json::Error as de::Error>::custom(crate::locate::without_position(&e)))
}

/// `serde_json::to_value(v)`, for the planner and the desired-state report. In the browser
/// build (feature `compact-replies`) it goes through `v`'s JSON text instead, the other
/// direction of [`from_value_text`]: `to_value` would instantiate every record's writer for
/// `serde_json::Value` besides the text writer the replies already use, 3.5 KB of the `.wasm`.
/// Natively `to_value` stays: planning 5,000 changed users took about 1.2x as long (48 ms
/// against 40 ms) through text.
pub fn to_value_text<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    #[cfg(feature = "compact-replies")]
    {
        let text = serde_json::to_vec(v).expect("records serialize");
        serde_json::from_slice(&text).expect("JSON text reads back")
    }
    #[cfg(not(feature = "compact-replies"))]
    {
        serde_json::to_value(v).expect("records serialize")
    }
}

/// The text of a value kept verbatim, for an error message: a string as it is, anything else
/// as JSON.
pub fn raw_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl WireRead for i64 {
    const RULE: Rule = Rule::WrongType;
    fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        crate::lenient::opt_int(d)
    }
}

impl WireRead for bool {
    const RULE: Rule = Rule::WrongType;
    fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        crate::lenient::opt_bool(d)
    }
}

impl WireRead for String {
    const RULE: Rule = Rule::WrongType;
    fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        crate::lenient::opt_string(d)
    }
}

impl WireRead for compact_str::CompactString {
    const RULE: Rule = Rule::WrongType;
    fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        crate::lenient::opt_text(d)
    }
}

impl WireRead for Secret {
    const RULE: Rule = Rule::WrongType;
    fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(crate::lenient::opt_string(d)?.map(Secret::new))
    }
}

impl WireRead for Base64Blob {
    const RULE: Rule = Rule::WrongType;
    fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Option<Base64Blob>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("base64 text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Some(Base64Blob::from_base64(v)))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Some(Base64Blob::from_base64(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
        }
        d.deserialize_any(V)
    }
}

/// Types whose own `Deserialize` already reads a terminal's value (checked rules keep
/// out-of-range numbers and unknown words; a value that cannot be the type fails).
macro_rules! wire_read_via_deserialize {
    ($($t:ty => $rule:ident),* $(,)?) => { $( impl WireRead for $t {
        const RULE: Rule = Rule::$rule;
        fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
            <$t as Deserialize>::deserialize(d).map(Some)
        }
    } )* };
}

wire_read_via_deserialize!(
    crate::datetime::TerminalDateTime => DateTime,
    crate::datetime::Expiry => Expiry,
    SessionId => WrongType,
    TimePattern => TimePattern,
    Weekday => Weekday,
    TriggerType => TriggerType,
    RelayId => RelayId,
    RelayOption => RelayOption,
    RelayDelay => RelayDelay,
    AutoInOutMode => AutoInOutMode,
    RejectRepeatSeconds => RejectRepeatTime,
    LockoutMinutes => LockoutTime,
    CrowdLimit => CrowdLimit,
    HhMm => HhMm,
    LogEvent => LogEvent,
    LogSize => LogSize,
    EmOption => EmOption,
    RtpMode => RtpMode,
    Fps => RtpFps,
    JobCodeSettingId => JobCodeSettingId,
    JobCodeId => JobCodeId,
    JobCodeEnable => JobCodeEnable,
    AdminLevel => AdminLevel,
    TotpType => TotpType,
    HolidayDate => HolidayDate,
    TimeZoneId => TimeZone,
);

/// One element of a list field.
struct Element<T>(PhantomData<T>);

impl<'de, T: WireRead> DeserializeSeed<'de> for Element<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read_wire(d)?.ok_or_else(|| de::Error::invalid_type(de::Unexpected::Unit, &"a list element"))
    }
}

/// A list field: one value or an array of them (`"groupID": 0` and `"groupID": [0]`). One
/// element that cannot be read keeps the whole list verbatim.
macro_rules! wire_read_list {
    ($($t:ty),* $(,)?) => { $( impl WireRead for Vec<$t> {
        const RULE: Rule = <$t as WireRead>::RULE;
        fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
            read_list::<D, $t>(d)
        }
        /// Points at the first element that cannot be read.
        fn raw_error(at: String, raw: &Value) -> ValidationError {
            if let Value::Array(items) = raw {
                for (i, item) in items.iter().enumerate() {
                    if !matches!(<$t as WireRead>::read_wire(item), Ok(Some(_))) {
                        return <$t as WireRead>::raw_error(format!("{at}[{i}]"), item);
                    }
                }
            }
            ValidationError::new(at, raw_text(raw), Self::RULE)
        }
    } )* };
}

wire_read_list!(i64, String, HolidayDate, KeyRecord, FacialRecord);

fn read_list<'de, D: Deserializer<'de>, T: WireRead>(d: D) -> Result<Option<Vec<T>>, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: WireRead> Visitor<'de> for V<T> {
        type Value = Option<Vec<T>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("one value or an array of values")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(v) = seq.next_element_seed(Element::<T>(PhantomData))? {
                out.push(v);
            }
            Ok(Some(out))
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Ok(T::read_wire(de::value::MapAccessDeserializer::new(map))?.map(|v| vec![v]))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(T::read_wire(StrDeserializer::<E>::new(v))?.map(|v| vec![v]))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(T::read_wire(I64Deserializer::<E>::new(v))?.map(|v| vec![v]))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(T::read_wire(U64Deserializer::<E>::new(v))?.map(|v| vec![v]))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(T::read_wire(F64Deserializer::<E>::new(v))?.map(|v| vec![v]))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(T::read_wire(BoolDeserializer::<E>::new(v))?.map(|v| vec![v]))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V(PhantomData))
}

/// A `timespec` list (E4): one entry or many; an entry whose weekday is a list (the older
/// API) becomes one entry per weekday.
impl WireRead for Vec<TimeSpec> {
    const RULE: Rule = Rule::WrongType;
    fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        let Some(entries) = read_list::<D, Value>(d)? else { return Ok(None) };
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let Value::Object(map) = entry else {
                return Err(de::Error::invalid_type(de::Unexpected::Other("a non-object entry"), &"a timespec entry"));
            };
            match map.get("weekday") {
                Some(Value::Array(days)) if !days.is_empty() => {
                    for day in days {
                        let mut one = map.clone();
                        one.insert("weekday".into(), day.clone());
                        out.push(from_value_text::<TimeSpec>(&Value::Object(one)).map_err(de::Error::custom)?);
                    }
                }
                // Through the entry's text: the one TimeSpec reader ([`from_value_text`]).
                _ => out.push(from_value_text::<TimeSpec>(&Value::Object(map)).map_err(de::Error::custom)?),
            }
        }
        Ok(Some(out))
    }
}

impl WireRead for Value {
    const RULE: Rule = Rule::WrongType;
    fn read_wire<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(Some(Value::deserialize(d)?))
    }
}

/// A record's request-body form: what [`Serialize`](serde::Serialize) writes, less the
/// fields only a terminal reports (ENDPOINTS.md: never written back).
pub trait WriteMembers {
    fn serialize_for_write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
}

/// Serializes a record (or a list of records) in its request-body form.
pub struct ForWrite<'a, T: ?Sized>(pub &'a T);

impl<T: WriteMembers> serde::Serialize for ForWrite<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_for_write(s)
    }
}

impl<T: WriteMembers> WriteMembers for Vec<T> {
    fn serialize_for_write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(ForWrite))
    }
}

/// What one field of a reply turned out to be.
pub enum Captured<T> {
    /// `null` (or an empty number or boolean).
    Absent,
    /// Read as its type.
    Typed(T),
    /// Not readable as its type: kept as the terminal sent it.
    Raw(Value),
}

/// Reads one field's value without ever failing on it (only on broken JSON).
pub struct Capture<T>(PhantomData<T>);

impl<T> Capture<T> {
    pub fn new() -> Self {
        Capture(PhantomData)
    }
}

impl<T> Default for Capture<T> {
    fn default() -> Self {
        Capture::new()
    }
}

fn settle<T>(read: Result<Option<T>, Unreadable>, raw: impl FnOnce() -> Value) -> Captured<T> {
    match read {
        Ok(Some(v)) => Captured::Typed(v),
        Ok(None) => Captured::Absent,
        Err(_) => Captured::Raw(raw()),
    }
}

fn settle_value<T: WireRead>(v: Value) -> Captured<T> {
    match T::read_wire(&v) {
        Ok(Some(t)) => Captured::Typed(t),
        Ok(None) => Captured::Absent,
        Err(_) => Captured::Raw(v),
    }
}

impl<'de, T: WireRead> DeserializeSeed<'de> for Capture<T> {
    type Value = Captured<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Captured<T>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: WireRead> Visitor<'de> for Capture<T> {
    type Value = Captured<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Captured::Absent)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Captured::Absent)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(settle(T::read_wire(BoolDeserializer::new(v)), || Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(settle(T::read_wire(I64Deserializer::new(v)), || Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(settle(T::read_wire(U64Deserializer::new(v)), || Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(settle(T::read_wire(F64Deserializer::new(v)), || Value::from(v)))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(settle(T::read_wire(BorrowedStrDeserializer::new(v)), || Value::String(v.to_owned())))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(settle(T::read_wire(StrDeserializer::new(v)), || Value::String(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        match T::read_wire(StrDeserializer::<Unreadable>::new(&v)) {
            Ok(Some(t)) => Ok(Captured::Typed(t)),
            Ok(None) => Ok(Captured::Absent),
            Err(_) => Ok(Captured::Raw(Value::String(v))),
        }
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok(settle_value(Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(settle_value(Value::deserialize(de::value::MapAccessDeserializer::new(map))?))
    }
}

/// The replies' reader of the browser build (feature `compact-replies`): the same reading
/// in far less code, and slower.
///
/// Natively, each field's type reads straight from the JSON reader ([`Capture`]), inlined
/// into a reader per record: fast, but one copy of every field type's reader per record and
/// per JSON reader (in the browser's `.wasm`, the largest part of the replies' code). Here a
/// field's value is first read into a [`Wire`] by one reader shared by every field and every
/// record, then handed to the field's type through one deserializer ([`ViewDeserializer`]);
/// a record's own code is only its [`Fields::put`], which is not generic over the JSON reader.
/// The shared vectors and the firmware-drift suite run against both (`scripts/test.sh`).
#[cfg(feature = "compact-replies")]
pub mod compact {
    use super::{Unreadable, WireRead};
    use serde::de::value::BorrowedStrDeserializer;
    use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, Visitor};
    use serde_json::Value;
    use std::borrow::Cow;
    use std::fmt;

    /// One field's JSON value as a record reads it: read once, by one reader for every field type
    /// (and the same for every JSON reader), then given to the field's type.
    ///
    /// Reading each field type straight from the JSON reader would instantiate every type's
    /// reader for every JSON reader and every record: in the browser's `.wasm` that was the
    /// largest part of the replies' code.
    #[derive(Debug)]
    pub enum Wire<'de> {
        Null,
        Bool(bool),
        I64(i64),
        U64(u64),
        F64(f64),
        /// Borrowed from the reply's text when it holds no escapes.
        Str(Cow<'de, str>),
        /// An array or an object.
        Tree(Value),
    }

    impl Wire<'_> {
        /// The value as the terminal sent it.
        pub fn into_value(self) -> Value {
            match self {
                Wire::Null => Value::Null,
                Wire::Bool(b) => Value::Bool(b),
                Wire::I64(v) => Value::from(v),
                Wire::U64(v) => Value::from(v),
                Wire::F64(v) => Value::from(v),
                Wire::Str(s) => Value::String(s.into_owned()),
                Wire::Tree(v) => v,
            }
        }
    }

    /// Reads any JSON value as a [`Wire`].
    pub struct ReadWire;

    impl<'de> DeserializeSeed<'de> for ReadWire {
        type Value = Wire<'de>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Wire<'de>, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for ReadWire {
        type Value = Wire<'de>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Wire::Null)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Wire::Null)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Wire::Bool(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Wire::I64(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Wire::U64(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Wire::F64(v))
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Wire::Str(Cow::Borrowed(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Wire::Str(Cow::Owned(v.to_owned())))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Wire::Str(Cow::Owned(v)))
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Ok(Wire::Tree(Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?))
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Ok(Wire::Tree(Value::deserialize(de::value::MapAccessDeserializer::new(map))?))
        }
    }

    /// What a field's type reads: a member's value as it was read, or a part of one that is
    /// an array or an object (its elements and members, and their keys).
    #[derive(Clone, Copy)]
    enum View<'a, 'w> {
        Wire(&'a Wire<'w>),
        Value(&'a Value),
        Key(&'a str),
    }

    /// A [`View`] as the visitor sees it.
    enum Kind<'a> {
        Unit,
        Bool(bool),
        I64(i64),
        U64(u64),
        F64(f64),
        Str(&'a str),
        Seq(&'a [Value]),
        Map(&'a serde_json::Map<String, Value>),
    }

    /// Not generic: the one place that looks into a value, for every field type.
    fn classify<'a>(view: View<'a, '_>) -> Kind<'a> {
        match view {
            View::Key(k) => Kind::Str(k),
            View::Wire(Wire::Null) | View::Value(Value::Null) => Kind::Unit,
            View::Wire(Wire::Bool(v)) => Kind::Bool(*v),
            View::Wire(Wire::I64(v)) => Kind::I64(*v),
            View::Wire(Wire::U64(v)) => Kind::U64(*v),
            View::Wire(Wire::F64(v)) => Kind::F64(*v),
            View::Wire(Wire::Str(s)) => Kind::Str(s),
            View::Wire(Wire::Tree(v)) => classify(View::Value(v)),
            View::Value(Value::Bool(v)) => Kind::Bool(*v),
            // As serde_json hands a number on: unsigned, else signed, else a float.
            View::Value(Value::Number(n)) => match (n.as_u64(), n.as_i64()) {
                (Some(v), _) => Kind::U64(v),
                (None, Some(v)) => Kind::I64(v),
                (None, None) => Kind::F64(n.as_f64().unwrap_or(f64::NAN)),
            },
            View::Value(Value::String(s)) => Kind::Str(s),
            View::Value(Value::Array(a)) => Kind::Seq(a),
            View::Value(Value::Object(m)) => Kind::Map(m),
        }
    }

    /// A [`View`] as a deserializer: what a field's type reads its value through, scalar or
    /// tree (one deserializer type for every value, so each type's reader exists once; serde_json's
    /// own `&Value` deserializer would be a second copy of every reader that meets an array or
    /// an object).
    struct ViewDeserializer<'de, 'w>(View<'de, 'w>);

    impl<'de> Deserializer<'de> for ViewDeserializer<'de, '_> {
        type Error = Unreadable;
        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
            match classify(self.0) {
                Kind::Unit => visitor.visit_unit(),
                Kind::Bool(v) => visitor.visit_bool(v),
                Kind::I64(v) => visitor.visit_i64(v),
                Kind::U64(v) => visitor.visit_u64(v),
                Kind::F64(v) => visitor.visit_f64(v),
                Kind::Str(s) => visitor.visit_borrowed_str(s),
                Kind::Seq(items) => {
                    let mut items = Items(items.iter());
                    let value = visitor.visit_seq(&mut items)?;
                    // Every element read, as serde_json's reader of a `Value` requires.
                    if items.0.len() == 0 { Ok(value) } else { Err(Unreadable) }
                }
                Kind::Map(map) => {
                    let mut members = Members { members: map.iter(), value: None };
                    let value = visitor.visit_map(&mut members)?;
                    if members.members.len() == 0 { Ok(value) } else { Err(Unreadable) }
                }
            }
        }
        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
            match classify(self.0) {
                Kind::Unit => visitor.visit_none(),
                _ => visitor.visit_some(self),
            }
        }
        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Unreadable> {
            visitor.visit_newtype_struct(self)
        }
        fn deserialize_enum<V: Visitor<'de>>(
            self,
            name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Unreadable> {
            match classify(self.0) {
                Kind::Str(s) => BorrowedStrDeserializer::<Unreadable>::new(s).deserialize_enum(name, variants, visitor),
                _ => self.deserialize_any(visitor),
            }
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
        }
    }

    /// The elements of an array, each read through [`ViewDeserializer`].
    struct Items<'a>(std::slice::Iter<'a, Value>);

    impl<'de> de::SeqAccess<'de> for Items<'de> {
        type Error = Unreadable;
        fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Unreadable> {
            match self.0.next() {
                Some(v) => seed.deserialize(ViewDeserializer(View::Value(v))).map(Some),
                None => Ok(None),
            }
        }
        fn size_hint(&self) -> Option<usize> {
            Some(self.0.len())
        }
    }

    /// The members of an object, keys and values each read through [`ViewDeserializer`].
    struct Members<'a> {
        members: serde_json::map::Iter<'a>,
        value: Option<&'a Value>,
    }

    impl<'de> de::MapAccess<'de> for Members<'de> {
        type Error = Unreadable;
        fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Unreadable> {
            match self.members.next() {
                Some((k, v)) => {
                    self.value = Some(v);
                    seed.deserialize(ViewDeserializer(View::Key(k))).map(Some)
                }
                None => Ok(None),
            }
        }
        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Unreadable> {
            match self.value.take() {
                Some(v) => seed.deserialize(ViewDeserializer(View::Value(v))),
                None => Err(Unreadable),
            }
        }
        fn size_hint(&self) -> Option<usize> {
            Some(self.members.len())
        }
    }

    /// Puts a field's value into a record: typed into its slot, or (when its type cannot read
    /// it) verbatim into `extra` under the field's wire name. Only the reading is per type.
    pub fn store<T: WireRead>(
        slot: &mut Option<T>,
        extra: &mut crate::models::Extra,
        wire_name: &str,
        value: Wire<'_>,
    ) {
        let read = match &value {
            Wire::Null => Ok(None),
            value => T::read_wire(ViewDeserializer(View::Wire(value))),
        };
        match read {
            Ok(v) => *slot = v,
            Err(_) => {
                *slot = None;
                keep_raw(extra, wire_name, value);
            }
        }
    }

    /// A value its field's type cannot read, kept as the terminal sent it.
    #[inline(never)]
    fn keep_raw(extra: &mut crate::models::Extra, wire_name: &str, value: Wire<'_>) {
        extra.insert(wire_name.to_owned(), value.into_value());
    }

    /// The index in `fields` of the field whose wire name, or older name, `key` is.
    /// `next` is where the search starts, and becomes the place after the field found: a
    /// terminal sends the members of every record of a list in one order, so most searches
    /// end at their first comparison.
    pub fn field_index(fields: &[crate::format::FieldFormat], key: &str, next: &mut usize) -> Option<usize> {
        let is = |f: &crate::format::FieldFormat| f.wire == key || f.aliases.contains(&key);
        let start = (*next).min(fields.len());
        let found = match fields[start..].iter().position(is) {
            Some(i) => Some(start + i),
            None => fields[..start].iter().position(is),
        }?;
        *next = found + 1;
        Some(found)
    }

    /// A record's field as [`Fields::put`] stores a value into it, whatever the field's type.
    pub trait Slot {
        fn store(&mut self, extra: &mut crate::models::Extra, wire_name: &str, value: Wire<'_>);
    }

    impl<T: WireRead> Slot for Option<T> {
        fn store(&mut self, extra: &mut crate::models::Extra, wire_name: &str, value: Wire<'_>) {
            store::<T>(self, extra, wire_name, value)
        }
    }

    /// A record being read: the part of its reading that is its own. Everything that touches
    /// the JSON reader ([`read_record`]) is shared by every record.
    pub trait Fields {
        /// What the reader expected, for its error: `a User record (a JSON object)`.
        fn expecting(&self) -> &'static str;
        /// One member of the record's JSON object.
        /// `next` is the search hint of [`field_index`], kept by the reader across the members
        /// of one record.
        fn put(&mut self, key: Cow<'_, str>, value: Wire<'_>, next: &mut usize);
    }

    /// Reads a record's JSON object member by member into `fields`; one record sent as a
    /// one-element array is read as the record. Only a value that is neither fails.
    pub fn read_record<'de, D: Deserializer<'de>>(d: D, fields: &mut dyn Fields) -> Result<(), D::Error> {
        d.deserialize_any(RecordSeed(fields))
    }

    /// Reads one record into its fields (a JSON object, or a one-element array of one).
    pub struct RecordSeed<'r>(pub &'r mut dyn Fields);

    /// A member's name, borrowed from the reply's text when it can be.
    struct Key;

    impl<'de> DeserializeSeed<'de> for Key {
        type Value = Cow<'de, str>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for Key {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a field name")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v))
        }
    }

    impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for RecordSeed<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.0.expecting())
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut next = 0;
            while let Some(key) = map.next_key_seed(Key)? {
                let value = map.next_value_seed(ReadWire)?;
                self.0.put(key, value, &mut next);
            }
            Ok(())
        }
        /// One record sent as a one-element array.
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            if seq.next_element_seed(RecordSeed(&mut *self.0))?.is_none() {
                return Err(de::Error::invalid_length(0, &"one record"));
            }
            if seq.next_element::<de::IgnoredAny>()?.is_some() {
                return Err(de::Error::invalid_length(2, &"one record"));
            }
            Ok(())
        }
    }
}

/// Declares a record (see the module docs). Syntax:
///
/// ```text
/// record! {
///     /// docs
///     pub struct Name {
///         /// docs
///         pub field: Type = "wireName" ["olderName", …] [required | required(Rule) | reported],
///     }
/// }
/// ```
///
/// `required` fields are refused when absent from a write ([`Rule::Required`], or the rule
/// named); `reported` ones are only read, never written back.
macro_rules! record {
    (
        $(#[doc = $sdoc:literal])*
        pub struct $Name:ident {
            $(
                $(#[doc = $doc:literal])*
                pub $field:ident : $ty:ty = $wire:literal $([$($alias:literal),* $(,)?])? $($flag:ident $(($frule:ident))?)? ,
            )*
        }
    ) => {
        $(#[doc = $sdoc])*
        #[derive(Debug, Clone, PartialEq, Default)]
        #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
        pub struct $Name {
            $(
                $(#[doc = $doc])*
                #[cfg_attr(feature = "tsify", serde(rename = $wire, default, skip_serializing_if = "Option::is_none"))]
                pub $field: Option<$ty>,
            )*
            /// Fields this library does not model, and values a field could not read (under
            /// the field's wire name), as the terminal sent them; written back unchanged.
            #[cfg_attr(feature = "tsify", serde(flatten))]
            pub extra: $crate::models::Extra,
        }

        impl $Name {
            /// Wire names of the modeled fields, in declaration order.
            pub const WIRE_NAMES: &'static [&'static str] = &[$($wire),*];
            /// The modeled fields as the declaration writes them (names, flags, docs, formats).
            pub const FIELDS: &'static [$crate::format::FieldFormat] = &[
                $( $crate::format::FieldFormat {
                    name: stringify!($field),
                    wire: $wire,
                    aliases: &[$($($alias),*)?],
                    required: $crate::record::flag_required!($($flag)?),
                    reported: $crate::record::flag_reported!($($flag)?),
                    doc: concat!($($doc, "\n"),*),
                    format: &<$ty as $crate::format::Described>::FORMAT,
                }, )*
            ];

            /// Whether `wire` names a field only the terminal reports.
            fn reported(wire: &str) -> bool {
                match wire {
                    $( $wire => $crate::record::flag_reported!($($flag)?), )*
                    _ => false,
                }
            }

            /// Write the record's members: typed fields, then `extra` (but a field's raw value
            /// while the field holds a new one); `for_write` leaves out what only the terminal
            /// reports.
            fn serialize_members<M: serde::ser::SerializeMap>(&self, m: &mut M, for_write: bool) -> Result<(), M::Error> {
                $( if let Some(v) = &self.$field {
                    if !(for_write && $crate::record::flag_reported!($($flag)?)) {
                        m.serialize_entry($wire, v)?;
                    }
                } )*
                for (k, v) in &self.extra {
                    if !self.shadowed(k) && !(for_write && Self::reported(k)) {
                        m.serialize_entry(k, v)?;
                    }
                }
                Ok(())
            }

            /// Whether `key` of `extra` is hidden by a typed field that holds a value.
            fn shadowed(&self, key: &str) -> bool {
                match key {
                    $( $wire => self.$field.is_some(), )*
                    _ => false,
                }
            }

            /// Apply an update as a terminal does: every field the update holds replaces this
            /// record's; fields it leaves out stay; its unknown fields are added.
            pub fn merge(&mut self, update: Self) {
                $( if update.$field.is_some() { self.$field = update.$field; } )*
                self.extra.extend(update.extra);
            }

            /// The value the terminal sent for a field, by wire name, whether or not it could
            /// be read as the field's type (`None` when absent).
            pub fn wire_value(&self, wire: &str) -> Option<serde_json::Value> {
                match wire {
                    $( $wire => match &self.$field {
                        Some(v) => Some(serde_json::to_value(v).expect("fields serialize")),
                        None => self.extra.get(wire).cloned(),
                    }, )*
                    _ => self.extra.get(wire).cloned(),
                }
            }
        }

        impl serde::Serialize for $Name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(None)?;
                self.serialize_members(&mut m, false)?;
                m.end()
            }
        }

        impl $crate::record::WriteMembers for $Name {
            fn serialize_for_write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(None)?;
                self.serialize_members(&mut m, true)?;
                m.end()
            }
        }

        #[cfg(not(feature = "compact-replies"))]
        impl $crate::lenient::ListElement for $Name {
            fn read_into<'de, D: serde::Deserializer<'de>>(d: D, place: &mut Self) -> Result<(), D::Error> {
                use serde::de::{self, MapAccess, SeqAccess, Visitor};
                use $crate::record::{Capture, Captured};

                #[allow(non_camel_case_types)]
                enum Key { $( $field, )* Other(String) }

                struct KeyVisitor;
                impl<'de> Visitor<'de> for KeyVisitor {
                    type Value = Key;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
                        Ok(match s {
                            $( $wire $($(| $alias)*)? => Key::$field, )*
                            other => Key::Other(other.to_owned()),
                        })
                    }
                    fn visit_string<E: de::Error>(self, s: String) -> Result<Key, E> {
                        Ok(match s.as_str() {
                            $( $wire $($(| $alias)*)? => Key::$field, )*
                            _ => Key::Other(s),
                        })
                    }
                }
                struct KeySeed;
                impl<'de> de::DeserializeSeed<'de> for KeySeed {
                    type Value = Key;
                    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
                        d.deserialize_str(KeyVisitor)
                    }
                }

                /// Reads into a record: a default one, or a list's slot ([`ListElement`]).
                struct RecordVisitor<'p>(&'p mut $Name);
                impl<'de> de::DeserializeSeed<'de> for RecordVisitor<'_> {
                    type Value = ();
                    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                        d.deserialize_any(self)
                    }
                }
                impl<'de> Visitor<'de> for RecordVisitor<'_> {
                    type Value = ();
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($Name), " record (a JSON object)"))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                        let rec = self.0;
                        while let Some(field_key) = map.next_key_seed(KeySeed)? {
                            match field_key {
                                $( Key::$field => match map.next_value_seed(Capture::<$ty>::new())? {
                                    Captured::Absent => rec.$field = None,
                                    Captured::Typed(v) => rec.$field = Some(v),
                                    Captured::Raw(raw) => {
                                        rec.$field = None;
                                        rec.extra.insert($wire.to_owned(), raw);
                                    }
                                }, )*
                                Key::Other(k) => {
                                    let v: serde_json::Value = map.next_value()?;
                                    rec.extra.insert(k, v);
                                }
                            }
                        }
                        Ok(())
                    }
                    /// One record sent as a one-element array.
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
                        if seq.next_element_seed(RecordVisitor(self.0))?.is_none() {
                            return Err(de::Error::invalid_length(0, &"one record"));
                        }
                        if seq.next_element::<de::IgnoredAny>()?.is_some() {
                            return Err(de::Error::invalid_length(2, &"one record"));
                        }
                        Ok(())
                    }
                }
                d.deserialize_any(RecordVisitor(place))
            }
        }

        #[cfg(not(feature = "compact-replies"))]
        impl<'de> serde::Deserialize<'de> for $Name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut rec = $Name::default();
                <$Name as $crate::lenient::ListElement>::read_into(d, &mut rec)?;
                Ok(rec)
            }
        }

        #[cfg(feature = "compact-replies")]
        impl $crate::record::compact::Fields for $Name {
            fn expecting(&self) -> &'static str {
                concat!("a ", stringify!($Name), " record (a JSON object)")
            }
            // The field is found in the record's table (one search for every record) and
            // stored through its type's `Slot` (one copy per field type, not per record).
            #[allow(unused_mut, unused_assignments, unreachable_code)]
            fn put(&mut self, key: std::borrow::Cow<'_, str>, value: $crate::record::compact::Wire<'_>, next: &mut usize) {
                let Some(i) = $crate::record::compact::field_index(Self::FIELDS, &key, next) else {
                    self.extra.insert(key.into_owned(), value.into_value());
                    return;
                };
                let mut k = 0;
                let slot: &mut dyn $crate::record::compact::Slot = 'found: {
                    $( if i == k {
                        break 'found &mut self.$field;
                    }
                    k += 1; )*
                    return;
                };
                slot.store(&mut self.extra, Self::FIELDS[i].wire, value);
            }
        }

        #[cfg(feature = "compact-replies")]
        impl<'de> serde::Deserialize<'de> for $Name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut rec = $Name::default();
                $crate::record::compact::read_record(d, &mut rec)?;
                Ok(rec)
            }
        }

        #[cfg(feature = "compact-replies")]
        impl $crate::lenient::ListElement for $Name {
            fn read_into<'de, D: serde::Deserializer<'de>>(d: D, place: &mut Self) -> Result<(), D::Error> {
                $crate::record::compact::read_record(d, place)
            }
        }

        impl $crate::format::Described for $Name {
            const NAME: &'static str = stringify!($Name);
            const FORMAT: $crate::format::ValueFormat =
                $crate::format::ValueFormat::record(stringify!($Name), concat!($($sdoc, "\n"),*), $Name::FIELDS);
        }

        impl $crate::record::WireRead for $Name {
            const RULE: $crate::error::Rule = $crate::error::Rule::WrongType;
            fn read_wire<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                <$Name as serde::Deserialize>::deserialize(d).map(Some)
            }
        }

        impl $crate::validate::Validate for $Name {
            fn validate_at(&self, at: &str, errors: &mut Vec<$crate::error::ValidationError>) {
                $(
                    match &self.$field {
                        Some(v) => $crate::validate::Validate::validate_at(v, &$crate::validate::child(at, $wire), errors),
                        None => if let Some(raw) = self.extra.get($wire) {
                            errors.push(<$ty as $crate::record::WireRead>::raw_error($crate::validate::child(at, $wire), raw));
                        },
                    }
                )*
                $(
                    if $crate::record::flag_required!($($flag)?) && self.$field.is_none() && !self.extra.contains_key($wire) {
                        errors.push($crate::error::ValidationError::missing(
                            $crate::validate::child(at, $wire),
                            $crate::record::flag_rule!($($flag $($frule)?)?),
                        ));
                    }
                )*
                $crate::record::RecordRules::rules(self, at, errors);
            }
        }

        $crate::lenient::single_reply!($Name);
    };
}

pub(crate) use record;

/// Whether a field's flag makes it required when writing.
macro_rules! flag_required {
    () => {
        false
    };
    (required) => {
        true
    };
    (reported) => {
        false
    };
}

/// Whether a field's flag says only the terminal reports it.
macro_rules! flag_reported {
    () => {
        false
    };
    (required) => {
        false
    };
    (reported) => {
        true
    };
}

/// The rule an absent required field breaks.
macro_rules! flag_rule {
    () => {
        $crate::error::Rule::Required
    };
    (required) => {
        $crate::error::Rule::Required
    };
    (required $rule:ident) => {
        $crate::error::Rule::$rule
    };
    (reported) => {
        $crate::error::Rule::Required
    };
}

pub(crate) use {flag_reported, flag_required, flag_rule};

#[cfg(all(test, feature = "compact-replies"))]
mod compact_tests {
    use super::compact::field_index;
    use crate::models::{AccessRight, FullLog};

    #[test]
    fn a_field_is_found_whatever_the_hint_and_by_its_older_name() {
        let fields = FullLog::FIELDS;
        let mut next = 0;
        // In declaration order every search ends at its first comparison and moves the hint on.
        for (i, f) in fields.iter().enumerate() {
            assert_eq!(field_index(fields, f.wire, &mut next), Some(i));
            assert_eq!(next, i + 1);
        }
        // Out of order: found behind the hint too; an unknown name leaves the hint alone.
        assert_eq!(field_index(fields, fields[0].wire, &mut next), Some(0));
        next = 3;
        assert_eq!(field_index(fields, "nope", &mut next), None);
        assert_eq!(next, 3);
        assert_eq!(field_index(fields, fields[1].wire, &mut next), Some(1));
        // An older (SOAP) name finds its field (E4: `accessID` is `id`).
        let rights = AccessRight::FIELDS;
        let id = rights.iter().position(|f| f.wire == "id").unwrap();
        assert!(rights[id].aliases.contains(&"accessID"));
        assert_eq!(field_index(rights, "accessID", &mut 0), Some(id));
    }
}
