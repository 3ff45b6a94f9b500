//! How a core type crosses the FFI. Every type of the operation table implements [`Bridge`]:
//! its FFI form (a uniffi record, enum, object or builtin), the conversion of a reply into that
//! form, and the conversion of an input back into the terminal's wire form (JSON).
//!
//! Inputs go through the wire form on purpose: the core then decodes them exactly as it decodes
//! the shared vectors (`AnyOperation::from_wire`), so a value outside its rule (a relay delay of
//! 9000, a trigger `F41`, a 13th month) is reported with the same field path and rule code as in
//! every other language, instead of failing inside a constructor here.

use actatek::{Base64Blob, Extra, HhMm, TimePattern, TimeZoneId};
use actatek::{Rule, ValidationError};
use serde_json::Value;

/// A core type and its FFI form.
pub trait Bridge: Sized {
    /// What Kotlin and Swift see.
    type Ffi;
    /// A reply value, for the foreign side.
    fn to_ffi(self) -> Self::Ffi;
    /// An input value in the terminal's wire form; `None` leaves an optional value out. `at` is
    /// where the value sits, in wire names (`body[0].extra`), for the few errors found here.
    fn to_wire(value: Self::Ffi, at: &str) -> Result<Option<Value>, ValidationError>;
}

/// `a.b`, `a[0]`, or `b` at the top: the core's field paths, joined by the core.
pub fn child(at: &str, field: &str) -> String {
    actatek::core::error::join(at, field)
}

macro_rules! identity {
    ($($t:ty),*) => { $(
        impl Bridge for $t {
            type Ffi = $t;
            fn to_ffi(self) -> $t { self }
            fn to_wire(value: $t, _: &str) -> Result<Option<Value>, ValidationError> { Ok(Some(Value::from(value))) }
        }
    )* };
}

identity!(String, i64, bool);

/// Counts and limits: `Int` in Kotlin, `Int32` in Swift. A negative value reaches the core, which
/// names the field and the rule.
impl Bridge for u32 {
    type Ffi = i32;
    fn to_ffi(self) -> i32 {
        i32::try_from(self).unwrap_or(i32::MAX)
    }
    fn to_wire(value: i32, _: &str) -> Result<Option<Value>, ValidationError> {
        Ok(Some(Value::from(value)))
    }
}

impl<T: Bridge> Bridge for Option<T> {
    type Ffi = Option<T::Ffi>;
    fn to_ffi(self) -> Self::Ffi {
        self.map(T::to_ffi)
    }
    fn to_wire(value: Self::Ffi, at: &str) -> Result<Option<Value>, ValidationError> {
        match value {
            Some(v) => T::to_wire(v, at),
            None => Ok(None),
        }
    }
}

impl<T: Bridge> Bridge for Vec<T> {
    type Ffi = Vec<T::Ffi>;
    fn to_ffi(self) -> Self::Ffi {
        self.into_iter().map(T::to_ffi).collect()
    }
    fn to_wire(value: Self::Ffi, at: &str) -> Result<Option<Value>, ValidationError> {
        let mut items = Vec::with_capacity(value.len());
        for (i, v) in value.into_iter().enumerate() {
            items.push(T::to_wire(v, &child(at, &format!("[{i}]")))?.unwrap_or(Value::Null));
        }
        Ok(Some(Value::Array(items)))
    }
}

/// Values whose FFI form is their wire text.
macro_rules! as_text {
    ($($t:ty),*) => { $(
        impl Bridge for $t {
            type Ffi = String;
            fn to_ffi(self) -> String { self.to_string() }
            fn to_wire(value: String, _: &str) -> Result<Option<Value>, ValidationError> { Ok(Some(Value::String(value))) }
        }
    )* };
}

// A time pattern stays its 48-character wire form (`timePatternFromRanges` builds one from
// "08:00-12:30"); HH:MM, time zone ids and agent URLs are text checked by the core; the log
// records' inline text is a `String` there.
as_text!(TimePattern, HhMm, TimeZoneId, actatek::AgentUrl, actatek::CompactString);

/// Photos and templates stay base64 text: the core keeps them encoded so that a terminal's odd
/// padding never fails a whole reply (decode with `java.util.Base64.getMimeDecoder()` or
/// `Data(base64Encoded:options:.ignoreUnknownCharacters)`).
impl Bridge for Base64Blob {
    type Ffi = String;
    fn to_ffi(self) -> String {
        self.as_base64().to_string()
    }
    fn to_wire(value: String, _: &str) -> Result<Option<Value>, ValidationError> {
        Ok(Some(Value::String(value)))
    }
}

/// The fields a record does not model, as a JSON object text (`"{}"` when none): a record read
/// from a terminal and written back keeps them.
pub fn extra_to_ffi(extra: Extra) -> String {
    if extra.is_empty() { "{}".to_string() } else { Value::Object(extra).to_string() }
}

/// The unmodelled fields of an input record; an empty text counts as none.
pub fn extra_to_wire(text: &str, at: &str) -> Result<serde_json::Map<String, Value>, ValidationError> {
    if text.trim().is_empty() {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ValidationError::new(child(at, "extra"), text, Rule::WrongType)),
    }
}
