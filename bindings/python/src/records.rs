//! Replies (and `Model.from_dict`) read by the core, handed to `actatek._models` in wire form
//! with what the core could not read marked.
//!
//! The core reads every record tolerantly (ENDPOINTS.md "Tolerant reading"): a value that
//! cannot be its field's type (`"crowd_reset_hhmm": "9:30"`, an object where a name belongs)
//! leaves the field `None` and is kept verbatim in `extra` under the field's wire name. The
//! record's wire form writes it back under that name, so the Python side could not tell it
//! from a value that was read; [`Marked::mark`] adds, to each record object that has such
//! values, the key [`RAW_KEY`] listing their wire names. `actatek._models` moves those values to
//! the model's `extra` (the attribute reads `None`) and drops the key.

use crate::convert::{json_to_py, py_to_json};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use serde_json::Value;

/// The key that lists the wire names of a record's values the core could not read (a name no
/// terminal sends; mirrored by `actatek._models._RAW`).
pub const RAW_KEY: &str = "\u{0}raw";

/// A reply type whose wire form can be marked (see the module docs).
pub trait Marked {
    /// Mark `wire` (this value's own wire form) and its nested records.
    fn mark(&self, wire: &mut Value);
}

impl<T: Marked> Marked for Vec<T> {
    fn mark(&self, wire: &mut Value) {
        if let Value::Array(items) = wire {
            for (record, item) in self.iter().zip(items.iter_mut()) {
                record.mark(item);
            }
        }
    }
}

/// The wire form of a reply, marked.
pub fn marked_wire<R: serde::Serialize + Marked>(reply: &R) -> Value {
    let mut wire = serde_json::to_value(reply).expect("replies serialize");
    reply.mark(&mut wire);
    wire
}

macro_rules! marked_records {
    ($( $T:ident { $( $field:ident : $wire:literal ),* } )*) => {
        $( impl Marked for actatek::$T {
            fn mark(&self, wire: &mut Value) {
                let Value::Object(map) = wire else { return };
                $( if let (Some(nested), Some(child)) = (&self.$field, map.get_mut($wire)) {
                    nested.mark(child);
                } )*
                // A freshly read record holds a field's wire name in `extra` only when the
                // value could not be read (the typed field is then `None`).
                let raw: Vec<Value> = actatek::$T::WIRE_NAMES
                    .iter()
                    .filter(|w| self.extra.contains_key(**w))
                    .map(|w| Value::from(*w))
                    .collect();
                if !raw.is_empty() {
                    map.insert(RAW_KEY.to_owned(), Value::Array(raw));
                }
            }
        } )*

        /// The records `read_record` knows, by name.
        const RECORD_NAMES: &[&str] = &[$( stringify!($T) ),*];

        /// The wire names of a record's fields, as the core declares them (for the test that
        /// the Python models mirror every field: `python/tests/test_models.py`).
        fn wire_names_of(name: &str) -> Option<&'static [&'static str]> {
            match name {
                $( stringify!($T) => Some(actatek::$T::WIRE_NAMES), )*
                _ => None,
            }
        }

        /// Read `value` as the named record and return its marked wire form.
        fn read_named(name: &str, value: Value) -> PyResult<Option<Value>> {
            match name {
                $( stringify!($T) => {
                    let record: actatek::$T = serde_json::from_value(value)
                        .map_err(|e| PyValueError::new_err(format!("{name}: {e}")))?;
                    Ok(Some(marked_wire(&record)))
                } )*
                _ => Ok(None),
            }
        }
    };
}

marked_records! {
    LoginReply {}
    StatusReply {}
    Log {}
    FullLog {}
    Photo {}
    UserStatus {}
    KeyRecord {}
    FacialRecord {}
    User { status: "status", keyrecords: "keyrecords", facialrecords: "facialrecords" }
    UserMessage {}
    UserCount {}
    Totp {}
    Department {}
    TimeSpec {}
    AccessRight { timespec: "timespec" }
    AccessGroup {}
    Trigger { timespec: "timespec" }
    Agent {}
    Ntp {}
    TerminalTime {}
    ApiVersion {}
    TerminalStatus {}
    RelaySetting {}
    AutoInOut {}
    LogUnauthorizedEvent {}
    RtpSetting {}
    Consent {}
    LogSetting {}
    JobCodeSetting {}
    JobCode {}
    Holidays {}
    HolidaysReply {}
}

/// The names of the records the core reads (`read_record` accepts them).
#[pyfunction]
pub fn record_names() -> Vec<&'static str> {
    RECORD_NAMES.to_vec()
}

/// The wire names of the core record `name`'s fields, in declaration order.
#[pyfunction]
pub fn record_wire_names(name: &str) -> PyResult<Vec<&'static str>> {
    wire_names_of(name).map(<[&str]>::to_vec).ok_or_else(|| PyValueError::new_err(format!("no core record {name:?}")))
}

/// Read a wire-form `dict` as the core reads a reply's record `name` (`"AutoInOut"`): values
/// normalized (numbers sent as strings, SOAP names), unknown fields kept, values the core could
/// not read listed under the key `"\0raw"`. For `Model.from_dict`.
#[pyfunction]
pub fn read_record<'py>(name: &str, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let value = py_to_json(data)?;
    if !value.is_object() {
        return Err(PyTypeError::new_err(format!("{name}.from_dict expects a mapping")));
    }
    match read_named(name, value)? {
        Some(wire) => json_to_py(data.py(), &wire),
        None => Err(PyValueError::new_err(format!("unknown record {name:?}"))),
    }
}
