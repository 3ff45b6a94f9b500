//! How a person writes each value: one [`ValueFormat`] per value type, for help texts, forms
//! and error messages in a user's words (`--from <DATETIME>`, `"maybe" is not yes/no`).
//!
//! A type checked by a value rule takes its text from the rule's row in `error.rs`
//! ([`Rule::format`]), so the help and the validation error cannot drift apart; enums list
//! their wire values from their own declaration; records list their fields' wire names and
//! formats from their `record!` declaration. Every operation parameter carries its type's
//! format in [`ParamInfo::format`](crate::ParamInfo::format).

use crate::error::Rule;

/// How a value of one type is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueFormat {
    /// A short placeholder in capitals (`DATETIME`, `HH:MM`, `YES|NO`, `N`, `TEXT`, `JSON`);
    /// empty for an enum, whose placeholder is its values ([`ValueFormat::value_name`]).
    pub placeholder: &'static str,
    /// What the value is, to finish "… is not ___" (`a date-time`, `yes/no`, `a whole number`).
    pub noun: &'static str,
    /// How to write one, with an example (for an enum its values, for a record `a JSON object`).
    pub help: &'static str,
    /// The accepted words: an enum's wire values, the spellings of yes and no; empty otherwise.
    pub choices: &'static [&'static str],
    /// The rule a value of this type breaks when it is not one ([`Rule::WrongType`] for plain
    /// text, numbers and yes/no).
    pub rule: Rule,
    /// A list of such values (one or more; in CSV separated by `;`).
    pub list: bool,
    /// A record's fields, in declaration order (empty for a plain value).
    pub fields: &'static [FieldFormat],
    /// What kind of value it is, for a binding's type (`datetime`, `bytes`, a model class).
    pub kind: Kind,
    /// The type's name (`FullLog`, `RelayTarget`); empty for plain text, numbers, yes/no and
    /// JSON.
    pub name: &'static str,
    /// A record's doc comment, as written (one line per `///` line).
    pub doc: &'static str,
    /// What JSON Schema can state of a valid value (the OpenAPI document's `pattern`): a
    /// regular expression, anchored, that every value this type writes matches and that
    /// [`Rule::text`] may narrow further (a real calendar date); empty when there is none.
    pub pattern: &'static str,
    /// The smallest and largest number allowed (JSON Schema's `minimum`/`maximum`).
    pub range: Option<(i64, i64)>,
    /// The only numbers allowed (a log size, frames per second); empty when any in `range`.
    pub numbers: &'static [i64],
}

/// What kind of value a type holds: what every binding's generated code maps it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Text (an enum's word too: see [`ValueFormat::choices`]).
    Text,
    /// A whole number.
    Integer,
    /// Yes or no.
    Bool,
    /// A terminal date-time (local without a zone, UTC with `Z`).
    DateTime,
    /// A calendar date (`2025-12-25`).
    Date,
    /// A date-time or `0` (never expires).
    Expiry,
    /// Bytes, base64 on the wire.
    Base64,
    /// A schedule day's 48 half-hour slots (`0`/`1`).
    TimePattern,
    /// Text that is never shown (passwords, keys, the session id).
    Secret,
    /// Any JSON value.
    Json,
    /// A record (a JSON object), named by [`ValueFormat::name`].
    Record,
}

impl Kind {
    /// The kind's name in descriptions (`datetime`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Integer => "integer",
            Kind::Bool => "bool",
            Kind::DateTime => "datetime",
            Kind::Date => "date",
            Kind::Expiry => "expiry",
            Kind::Base64 => "base64",
            Kind::TimePattern => "time_pattern",
            Kind::Secret => "secret",
            Kind::Json => "json",
            Kind::Record => "record",
        }
    }
}

/// One field of a record, as its `record!` declaration writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldFormat {
    /// The Rust (and Python, Kotlin) field name (`user_id`).
    pub name: &'static str,
    pub wire: &'static str,
    /// Older spellings read as this field (the SOAP API's `accessID`, E4).
    pub aliases: &'static [&'static str],
    /// Required when writing (a write without it is refused with [`Rule::Required`] or the
    /// field's own rule).
    pub required: bool,
    /// Only the terminal reports it: read, never written back.
    pub reported: bool,
    /// The field's doc comment, as written.
    pub doc: &'static str,
    pub format: &'static ValueFormat,
}

impl FieldFormat {
    /// A plain optional field named `name` on the wire as `wire`.
    pub const fn new(name: &'static str, wire: &'static str, format: &'static ValueFormat) -> Self {
        FieldFormat { name, wire, aliases: &[], required: false, reported: false, doc: "", format }
    }
    /// The same field, required when writing.
    pub const fn required(self) -> Self {
        FieldFormat { required: true, ..self }
    }
}

impl ValueFormat {
    /// A value checked by `rule`: the help is the rule's own [`Rule::format`].
    pub const fn ruled(placeholder: &'static str, noun: &'static str, rule: Rule) -> Self {
        ValueFormat { help: rule.format(), rule, ..ValueFormat::plain(placeholder, noun, "") }
    }

    /// A value with no rule of its own beyond its type.
    pub const fn plain(placeholder: &'static str, noun: &'static str, help: &'static str) -> Self {
        ValueFormat {
            placeholder,
            noun,
            help,
            choices: &[],
            rule: Rule::WrongType,
            list: false,
            fields: &[],
            kind: Kind::Text,
            name: "",
            doc: "",
            pattern: "",
            range: None,
            numbers: &[],
        }
    }

    /// The same format, whose valid values match `pattern` (see [`ValueFormat::pattern`]).
    pub const fn matching(self, pattern: &'static str) -> Self {
        ValueFormat { pattern, ..self }
    }

    /// The same format, for numbers from `min` to `max`.
    pub const fn between(self, min: i64, max: i64) -> Self {
        ValueFormat { range: Some((min, max)), ..self }
    }

    /// The same format, for these numbers only.
    pub const fn one_of_numbers(self, numbers: &'static [i64]) -> Self {
        ValueFormat { numbers, ..self }
    }

    /// Whether `v` is in [`ValueFormat::range`] and, when they are listed, among
    /// [`ValueFormat::numbers`]: the check of every checked integer type.
    pub fn admits_number(&self, v: i64) -> bool {
        self.range.is_none_or(|(min, max)| (min..=max).contains(&v))
            && (self.numbers.is_empty() || self.numbers.contains(&v))
    }

    /// The same format, for the type `name` (a binding's type of that name, `RelayTarget`).
    pub const fn named(self, name: &'static str) -> Self {
        ValueFormat { name, ..self }
    }

    /// The same format, of another kind.
    pub const fn of_kind(self, kind: Kind) -> Self {
        ValueFormat { kind, ..self }
    }

    /// One of `choices`, checked by `rule`.
    pub const fn choice(choices: &'static [&'static str], rule: Rule) -> Self {
        ValueFormat { placeholder: "", choices, ..ValueFormat::ruled("", "one of the listed values", rule) }
    }

    /// The record `name` (documented by `doc`), a JSON object with these fields.
    pub const fn record(name: &'static str, doc: &'static str, fields: &'static [FieldFormat]) -> Self {
        ValueFormat {
            fields,
            kind: Kind::Record,
            name,
            doc,
            ..ValueFormat::plain("JSON", "a JSON object", "a JSON object")
        }
    }

    /// A list of values of `element`'s format.
    pub const fn list_of(element: ValueFormat) -> Self {
        ValueFormat { list: true, ..element }
    }

    /// The type as Rust writes it, without `Option` (`Vec<User>`, `TerminalDateTime`, `i64`),
    /// for documentation.
    pub fn type_text(&self) -> String {
        let base = if !self.name.is_empty() {
            self.name
        } else {
            match self.kind {
                Kind::Integer => "i64",
                Kind::Bool => "bool",
                Kind::Json => "Value",
                _ => "String",
            }
        };
        if self.list { format!("Vec<{base}>") } else { base.to_string() }
    }

    /// The placeholder for a command line (`DATETIME`), an enum's values joined by `|`
    /// (`ONE|TWO|ALL`).
    pub fn value_name(&self) -> String {
        if self.placeholder.is_empty() { self.choices.join("|") } else { self.placeholder.to_string() }
    }

    /// The format of a field of this record, by a dotted wire path (`status.active`; list
    /// indices such as `keyrecords[0].keyid` are skipped). `None` when there is no such field.
    pub fn field(&self, path: &str) -> Option<&'static ValueFormat> {
        let mut fields = self.fields;
        let mut found: Option<&'static ValueFormat> = None;
        for part in path.split('.') {
            let name = part.split('[').next().unwrap_or(part);
            if name.is_empty() {
                continue;
            }
            let f = fields.iter().find(|f| f.wire == name)?;
            found = Some(f.format);
            fields = f.format.fields;
        }
        found
    }
}

/// What kind of scalar a value (or a list's element) is, for reading it from text (a path
/// segment, a query value, a CSV cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// A whole number.
    Integer,
    /// Yes or no.
    Bool,
    /// Anything else: text, a date-time, an enum's word, a record (JSON).
    Text,
}

/// A type whose values a person can be told how to write, and what the operation table needs
/// to know of it ([`ParamInfo`](crate::ParamInfo), [`ReplyShape`](crate::ops::ReplyShape)).
pub trait Described {
    const FORMAT: ValueFormat;
    /// Not an `Option`.
    const REQUIRED: bool = true;
    const SCALAR: Scalar = Scalar::Text;
    /// A record's name (`FullLog`); empty for a plain value.
    const NAME: &'static str = "";
}

impl<T: Described> Described for Option<T> {
    const FORMAT: ValueFormat = T::FORMAT;
    const REQUIRED: bool = false;
    const SCALAR: Scalar = T::SCALAR;
    const NAME: &'static str = T::NAME;
}

impl<T: Described> Described for Vec<T> {
    const FORMAT: ValueFormat = ValueFormat::list_of(T::FORMAT);
    const SCALAR: Scalar = T::SCALAR;
    const NAME: &'static str = T::NAME;
}

/// The spellings of yes and no every reader of this library accepts (`lenient::bool`, the CLI).
pub const YES_NO: &[&str] = &["yes", "no", "true", "false", "1", "0", "on", "off"];

impl Described for bool {
    const FORMAT: ValueFormat = ValueFormat {
        choices: YES_NO,
        ..ValueFormat::plain("YES|NO", "yes/no", "yes or no (also true/false, 1/0, on/off)").of_kind(Kind::Bool)
    };
    const SCALAR: Scalar = Scalar::Bool;
}

impl Described for String {
    const FORMAT: ValueFormat = ValueFormat::plain("TEXT", "text", "text");
}

impl Described for compact_str::CompactString {
    const FORMAT: ValueFormat = <String as Described>::FORMAT;
}

impl Described for i64 {
    const FORMAT: ValueFormat = ValueFormat::plain("N", "a whole number", "a whole number (42)")
        .of_kind(Kind::Integer)
        .between(i64::MIN, i64::MAX);
    const SCALAR: Scalar = Scalar::Integer;
}

impl Described for u32 {
    const FORMAT: ValueFormat = ValueFormat::plain("N", "a whole number, 0 or more", "a whole number, 0 or more (30)")
        .of_kind(Kind::Integer)
        .between(0, u32::MAX as i64);
    const SCALAR: Scalar = Scalar::Integer;
}

impl Described for serde_json::Value {
    const FORMAT: ValueFormat = ValueFormat::plain("JSON", "JSON", "any JSON value").of_kind(Kind::Json);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::User;

    #[test]
    fn a_records_fields_are_found_by_their_wire_path() {
        let user = <Vec<User> as Described>::FORMAT;
        assert!(user.list);
        assert_eq!(user.field("status.active"), Some(&bool::FORMAT));
        assert_eq!(user.field("keyrecords[0].keyid").map(|f| f.noun), Some("text"));
        assert_eq!(user.field("groupID[1]").map(|f| (f.list, f.noun)), Some((true, "a whole number")));
        assert_eq!(user.field("nosuch"), None);
    }

    #[test]
    fn an_enum_is_named_by_its_values() {
        assert_eq!(crate::values::RelayTarget::FORMAT.value_name(), "ONE|TWO|ALL");
        assert_eq!(crate::TerminalDateTime::FORMAT.value_name(), "DATETIME");
    }
}
