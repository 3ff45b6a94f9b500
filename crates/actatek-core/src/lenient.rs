//! Tolerant reading of what real terminals send (ENDPOINTS.md, "Tolerant reading"): numbers
//! and booleans written as strings, one object where an array is usual, `null` for absent.
//! Every helper keeps serde's position information, so an unreadable value is reported with
//! its path and the rule it breaks.

use crate::error::Rule;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use std::fmt::{self, Display};
use std::marker::PhantomData;

/// A deserialization error that names a value rule. serde can only carry text through its
/// errors, so the rule and the value also go, as data, to a per-thread record that
/// [`take_rule`] reads back: the rule is never parsed out of a message.
pub fn rule_error<E: de::Error>(rule: Rule, value: impl Display) -> E {
    let value = value.to_string();
    let message = format!("{value:?} {} (rule {})", rule.text(), rule.code());
    RULES.with(|r| r.borrow_mut().push(RuleBreak { rule, value, message: message.clone() }));
    E::custom(message)
}

/// A broken rule recorded by [`rule_error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBreak {
    pub rule: Rule,
    /// The offending value, as text.
    pub value: String,
    /// The message handed to serde.
    message: String,
}

thread_local! {
    static RULES: std::cell::RefCell<Vec<RuleBreak>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Forget the rules recorded on this thread (before a deserialization whose failure
/// [`take_rule`] will explain).
pub fn clear_rules() {
    RULES.with(|r| r.borrow_mut().clear());
}

/// The rule whose error became `message` (the error serde finally reported): the latest one
/// recorded with exactly that message. serde may try one way, fail, and try another (untagged
/// and optional values), so earlier records may belong to attempts it gave up; matching the
/// message we wrote ourselves tells them apart. Clears the record.
pub fn take_rule(message: &str) -> Option<RuleBreak> {
    RULES.with(|r| {
        let mut rules = r.borrow_mut();
        let found = rules.iter().rev().find(|b| b.message == message).cloned();
        rules.clear();
        found
    })
}

/// Integers: a JSON number, or a string holding one (`"departmentid": "0"`).
pub trait LenientInt: Sized + Copy {
    fn from_i128(v: i128) -> Option<Self>;
}
macro_rules! lenient_int { ($($t:ty),*) => { $( impl LenientInt for $t {
    fn from_i128(v: i128) -> Option<Self> { <$t>::try_from(v).ok() }
} )* } }
lenient_int!(i32, i64, u8, u16, u32, u64);

struct IntVisitor<T>(PhantomData<T>);

impl<T: LenientInt> Visitor<'_> for IntVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer (or a string holding one)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::from_i128(v.into()).map(Some).ok_or_else(|| E::custom(format_args!("integer {v} out of range")))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::from_i128(v.into()).map(Some).ok_or_else(|| E::custom(format_args!("integer {v} out of range")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            self.visit_i64(v as i64)
        } else {
            Err(E::invalid_type(de::Unexpected::Float(v), &self))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<i128>()
            .ok()
            .and_then(T::from_i128)
            .map(Some)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A required lenient integer.
pub fn int<'de, D: Deserializer<'de>, T: LenientInt>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(IntVisitor(PhantomData))?
        .ok_or_else(|| de::Error::invalid_type(de::Unexpected::Unit, &"an integer"))
}

/// An optional lenient integer (`null` and `""` are absent).
pub fn opt_int<'de, D: Deserializer<'de>, T: LenientInt>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(IntVisitor(PhantomData))
}

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean (or \"true\"/\"false\"/\"1\"/\"0\")")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match v {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_i64(v.min(2) as i64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "enable" | "enabled" | "on" => Ok(Some(true)),
            "false" | "0" | "no" | "disable" | "disabled" | "off" => Ok(Some(false)),
            "" => Ok(None),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A required lenient boolean.
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(BoolVisitor)?.ok_or_else(|| de::Error::invalid_type(de::Unexpected::Unit, &"a boolean"))
}

/// An optional lenient boolean.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(BoolVisitor)
}

/// A float's text as Rust's `Display` writes it (`1.5`, `1`, `100000000000000000000`,
/// `0.0000001`, `-0`): the shortest digits that read back as the same float, in plain decimal
/// notation. The digits come from `zmij` (which serde_json already links to write floats);
/// core's own float formatter is 14 KB of the browser's `.wasm` and no other code needs it.
/// Where two shortest texts are equally near the float, zmij takes the even last digit and
/// `Display` may not; `tests/properties.rs` compares the two on any finite float.
pub fn float_text(v: f64) -> String {
    let mut buffer = zmij::Buffer::new();
    let shortest = buffer.format_finite(v);
    let (negative, unsigned) = match shortest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, shortest),
    };
    let (mantissa, exponent) = match unsigned.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The digits without leading zeros, and how many of them come before the point.
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    let leading = digits.len() - digits.trim_start_matches('0').len();
    let digits = digits[leading..].trim_end_matches('0');
    let point = whole.len() as i32 + exponent - leading as i32;
    let mut text = String::with_capacity(digits.len() + 8);
    if negative {
        text.push('-');
    }
    if digits.is_empty() {
        text.push('0');
    } else if point <= 0 {
        text.push_str("0.");
        text.extend(std::iter::repeat_n('0', (-point) as usize));
        text.push_str(digits);
    } else if point as usize >= digits.len() {
        text.push_str(digits);
        text.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        text.push_str(&digits[..point as usize]);
        text.push('.');
        text.push_str(&digits[point as usize..]);
    }
    text
}

/// A string, or a number read as its text, as any owned text type (`String`, or the inline
/// `CompactString` of the log records).
struct StringVisitor<T>(PhantomData<T>);

impl<T: for<'a> From<&'a str> + From<String>> Visitor<'_> for StringVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(T::from(v)))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(T::from(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(T::from(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(T::from(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(T::from(float_text(v))))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// An optional text that a terminal may also send as a number, as any owned text type.
pub fn opt_text<'de, T: for<'a> From<&'a str> + From<String>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    d.deserialize_any(StringVisitor(PhantomData))
}

/// A required string that a terminal may also send as a number (ids such as `userID`).
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_text(d)?.unwrap_or_default())
}

/// An optional string that a terminal may also send as a number.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    opt_text(d)
}

/// How an array's elements become a `Vec`: each read as a value of its own ([`ByValue`]), or
/// each into its slot of the list ([`InSlots`], for a list reply).
trait ReadArray<'de, T> {
    fn read_array<A: de::SeqAccess<'de>>(seq: A) -> Result<Vec<T>, A::Error>;
}

struct ByValue;

impl<'de, T: Deserialize<'de>> ReadArray<'de, T> for ByValue {
    fn read_array<A: de::SeqAccess<'de>>(mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(out)
    }
}

/// One value or an array of them, read as a `Vec` (`"groupID": 0` and `"groupID": [0]`), the
/// array's elements as `R` reads them.
struct ManyVisitor<T, R>(PhantomData<(T, R)>);

impl<'de, T: Deserialize<'de>, R: ReadArray<'de, T>> Visitor<'de> for ManyVisitor<T, R> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("one value or an array of values")
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
        R::read_array(seq)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        Ok(vec![T::deserialize(de::value::MapAccessDeserializer::new(map))?])
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        Ok(vec![T::deserialize(v.into_deserializer())?])
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Vec<T>, E> {
        Ok(vec![T::deserialize(v.into_deserializer())?])
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
        Ok(vec![T::deserialize(v.into_deserializer())?])
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
        Ok(vec![T::deserialize(v.into_deserializer())?])
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<T>, E> {
        Ok(vec![T::deserialize(v.into_deserializer())?])
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
        Ok(vec![T::deserialize(v.into_deserializer())?])
    }
    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
}

/// One value or an array of them.
pub fn many<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(ManyVisitor::<T, ByValue>(PhantomData))
}

/// One value or an array of them; absent or `null` is `None`.
pub fn opt_many<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Vec<T>>, D::Error> {
    struct Opt<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Opt<T> {
        type Value = Option<Vec<T>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("one value or an array of values")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            many(d).map(Some)
        }
    }
    d.deserialize_option(Opt(PhantomData))
}

/// Integers, one or many, each lenient (`"accessrightid": [1, "2"]`, `"groupID": 0`).
pub fn opt_many_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<i64>>, D::Error> {
    Ok(opt_many::<D, LenientI64>(d)?.map(|v| v.into_iter().map(|x| x.0).collect()))
}

/// An `i64` read leniently, for use inside containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LenientI64(pub i64);

impl<'de> Deserialize<'de> for LenientI64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        int(d).map(LenientI64)
    }
}

/// A reply type: most are read with their `Deserialize`; lists also accept one bare object
/// ("X or [X]" in the manual).
pub trait FromReply: Sized {
    fn from_reply<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;

    /// A list reply only: the empty list that [`FromReply::push_element`] fills while the
    /// reply arrives ([`crate::http::ReplyReader`]). `None` for every other reply.
    fn empty_list() -> Option<Self> {
        None
    }

    /// [`FromReply::empty_list`] with room for `n` elements.
    fn empty_list_for(_n: usize) -> Option<Self> {
        Self::empty_list()
    }

    /// Read the element of the reply's top-level array that `rest` starts with onto the
    /// list (see [`Element`]). `rest` is text: the reader checks UTF-8 once per chunk, not
    /// once per string of every element.
    fn push_element(&mut self, _rest: &str) -> Element {
        Element::Unreadable
    }
}

/// What became of one element of a list reply read while it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    /// Read and pushed; it took this many bytes.
    Read(usize),
    /// Its bytes are not all in yet.
    Incomplete,
    /// It does not read on its own: the reply is to be read whole.
    Unreadable,
}

/// The element type of a list reply (every record): read straight into its slot of the
/// list. A full log is about 300 bytes; read into a value of its own it was moved from the
/// reader to the result to the list, a tenth of the time of reading 100,000 of them.
#[cfg(not(feature = "compact-replies"))]
pub trait ListElement: Default + for<'a> Deserialize<'a> {
    /// Read one element into `place`, which holds `Self::default()`.
    fn read_into<'de, D: Deserializer<'de>>(d: D, place: &mut Self) -> Result<(), D::Error>;
}

/// The element type of a list reply (every record): read straight into its slot of the
/// list, by the compact reader's [`Fields`](crate::record::compact::Fields).
#[cfg(feature = "compact-replies")]
pub trait ListElement: Default + for<'a> Deserialize<'a> + crate::record::compact::Fields {
    /// Read one element into `place`, which holds `Self::default()`.
    fn read_into<'de, D: Deserializer<'de>>(d: D, place: &mut Self) -> Result<(), D::Error>;
}

/// A list's slot, read by [`ListElement::read_into`].
struct Slot<'p, T>(&'p mut T);

impl<'de, T: ListElement> DeserializeSeed<'de> for Slot<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        T::read_into(d, self.0)
    }
}

/// A list reply's array: each element read into its slot of the list.
#[cfg(not(feature = "compact-replies"))]
struct InSlots;

#[cfg(not(feature = "compact-replies"))]
impl<'de, T: ListElement> ReadArray<'de, T> for InSlots {
    fn read_array<A: de::SeqAccess<'de>>(mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            out.push(T::default());
            let place = out.last_mut().expect("an element was just pushed");
            if seq.next_element_seed(Slot(place))?.is_none() {
                out.pop();
                return Ok(out);
            }
        }
    }
}

impl<T: ListElement> FromReply for Vec<T> {
    // One element or an array of them (`many`), the array's read into their slots.
    #[cfg(not(feature = "compact-replies"))]
    fn from_reply<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ManyVisitor::<T, InSlots>(PhantomData))
    }

    // The same reading by one reader for every record type (`RecordSlots`).
    #[cfg(feature = "compact-replies")]
    fn from_reply<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut list = Vec::new();
        d.deserialize_any(RecordSlots(&mut list))?;
        Ok(list)
    }

    fn empty_list() -> Option<Self> {
        Some(Vec::new())
    }

    fn empty_list_for(n: usize) -> Option<Self> {
        Some(Vec::with_capacity(n))
    }

    // The element as `many` reads it inside the array: `T`'s reading, here into the list's
    // new last slot. An element cut by the end of what has arrived fails with an
    // end-of-input error (its slot is taken back) and is read again, whole, once more has
    // come.
    fn push_element(&mut self, rest: &str) -> Element {
        let mut read = serde_json::de::StrRead::new(rest);
        self.push(T::default());
        let place = self.last_mut().expect("an element was just pushed");
        match Slot(place).deserialize(&mut serde_json::Deserializer::new(&mut read)) {
            // Where the element ended, through serde_json's public API: a stream starts
            // counting at its reader's position.
            Ok(()) => Element::Read(serde_json::StreamDeserializer::<_, de::IgnoredAny>::new(read).byte_offset()),
            Err(e) => {
                self.pop();
                if e.is_eof() { Element::Incomplete } else { Element::Unreadable }
            }
        }
    }
}

/// A list of records being read, whatever the record's type: the compact reader's list
/// (feature `compact-replies`), read by one [`RecordSlots`] for every record type instead of
/// a [`ManyVisitor`] for each.
#[cfg(feature = "compact-replies")]
trait Slots {
    /// A new last record, empty, to read into.
    fn push_slot(&mut self) -> &mut dyn crate::record::compact::Fields;
    /// Takes back the last record (nothing was read into it).
    fn pop_slot(&mut self);
    /// What the record's reader expects: `a User record (a JSON object)`.
    fn expecting(&self) -> &'static str;
}

#[cfg(feature = "compact-replies")]
impl<T: ListElement> Slots for Vec<T> {
    fn push_slot(&mut self) -> &mut dyn crate::record::compact::Fields {
        self.push(T::default());
        self.last_mut().expect("a record was just pushed")
    }
    fn pop_slot(&mut self) {
        self.pop();
    }
    fn expecting(&self) -> &'static str {
        crate::record::compact::Fields::expecting(&T::default())
    }
}

/// What [`ManyVisitor`] with [`InSlots`] reads, with the same errors: an array of records
/// read into their slots, one record as a list of one, `null` as none; any other value fails
/// as the record's own reader fails on it (its `expecting` is the record's).
#[cfg(feature = "compact-replies")]
struct RecordSlots<'a>(&'a mut dyn Slots);

#[cfg(feature = "compact-replies")]
impl<'de> Visitor<'de> for RecordSlots<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0.expecting())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use crate::record::compact::RecordSeed;
        loop {
            if seq.next_element_seed(RecordSeed(self.0.push_slot()))?.is_none() {
                self.0.pop_slot();
                return Ok(());
            }
        }
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        crate::record::compact::RecordSeed(self.0.push_slot()).visit_map(map)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Seed that reads a [`FromReply`] type.
pub struct ReplySeed<T>(pub PhantomData<T>);

impl<'de, T: FromReply> DeserializeSeed<'de> for ReplySeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::from_reply(d)
    }
}

macro_rules! single_reply {
    ($($t:ty),* $(,)?) => { $( impl $crate::lenient::FromReply for $t {
        fn from_reply<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            <$t as serde::Deserialize>::deserialize(d)
        }
    } )* };
}
pub(crate) use single_reply;

#[cfg(test)]
mod float_tests {
    #[test]
    fn floats_are_written_as_display_writes_them() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            1e-7,
            1.5e-7,
            1e15,
            1e16,
            1e20,
            1.7976931348623157e308,
            5e-324,
            123456.789,
            -0.000123,
        ] {
            assert_eq!(super::float_text(v), v.to_string(), "{v:?}");
        }
    }
}
