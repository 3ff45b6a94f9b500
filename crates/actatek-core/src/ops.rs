//! Operations: typed inputs generated from [`operation_table!`](crate::operation_table), turned
//! into request descriptions and replies into typed values. No I/O.

use crate::datetime::TerminalDateTime;
use crate::error::{ReplyError, Rule, ValidationError, ValidationErrors, join};
pub use crate::http::Params;
use crate::http::{HttpRequest, Method, build_request, read_reply};
use crate::lenient::FromReply;
use crate::models::*;
use crate::validate::Validate;
use crate::values::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;

/// One canonical operation: its row of the table plus typed input.
pub trait Operation: Debug + Clone + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Canonical name (`get_logs`).
    const NAME: &'static str;
    /// Manual section (`"2.1"`).
    const SECTION: &'static str;
    const METHOD: Method;
    /// Path template below `/cgi-bin/restapi` (`/getLogs/{sid}/{limit}`).
    const TEMPLATE: &'static str;
    /// Reads (and login) may be retried; writes never are.
    const RETRY_SAFE: bool;
    type Reply: FromReply + Serialize + Debug + Send + Sync + 'static;

    /// Push every broken value rule.
    fn check(&self, errors: &mut Vec<ValidationError>);
    /// Path, query and body values.
    fn params(&self) -> Params;

    /// Whether the path carries the session id.
    fn needs_session() -> bool {
        has_sid(Self::TEMPLATE)
    }
    /// All broken rules, before anything is sent.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        self.check(&mut errors);
        ValidationErrors::check(errors)
    }
    /// Validate, then describe the HTTP request. `session` is ignored by login and
    /// get_api_version.
    fn request(&self, session: Option<&SessionId>) -> Result<HttpRequest, ValidationErrors> {
        self.validate()?;
        Ok(build_request(Self::METHOD, Self::TEMPLATE, session, self.params()))
    }
    /// Read the terminal's answer. (A client may read a list reply element by element while
    /// it arrives, [`crate::http::ReplyReader`], which falls back to this for anything but a
    /// plain array whose every element reads on its own; `tests/incremental.rs` checks that
    /// both agree for every operation.)
    fn read_reply(status: u16, body: &[u8]) -> Result<Self::Reply, ReplyError> {
        read_reply::<Self::Reply>(Self::NAME, status, body)
    }
}

/// Turns a parameter into its path or query text.
pub trait ToParam {
    fn to_param(&self) -> Option<String>;
}

impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Option<String> {
        self.as_ref().and_then(ToParam::to_param)
    }
}

macro_rules! display_param {
    ($($t:ty),*) => { $( impl ToParam for $t {
        fn to_param(&self) -> Option<String> { Some(self.to_string()) }
    } )* };
}

display_param!(
    String,
    i64,
    u32,
    bool,
    TerminalDateTime,
    TriggerType,
    RelayAction,
    RelayTarget,
    TotpType,
    ConsentMode,
    JobCodeSettingId,
    JobCodeId,
    JobCodeEnable,
    HolidayQuery,
    AgentUrl
);

/// Static description of an operation, for docs, CLIs and bindings: typed, so no consumer
/// parses type names or templates again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    pub name: &'static str,
    /// The operation's Rust type (`GetLogs`, `RelayActionOp`).
    pub type_name: &'static str,
    pub section: &'static str,
    pub method: HttpMethod,
    pub template: &'static str,
    pub retry_safe: bool,
    /// Whether the path carries the session id (`{sid}`): every operation but login and
    /// get_api_version.
    pub needs_session: bool,
    pub doc: &'static str,
    /// The doc comment's lines, as written.
    pub doc_lines: &'static [&'static str],
    /// The table marks its parameters as filters (all optional, a `Default` input).
    pub filters: bool,
    pub params: &'static [ParamInfo],
    /// The reply type as the table writes it (`Vec < FullLog >`), for documentation only.
    pub reply: &'static str,
    /// The reply's shape and record.
    pub reply_shape: ReplyShape,
    /// Fields that this operation needs in each record of its body beyond the record's own
    /// required ones (§4.1: a new department needs id, name and description); a needed field
    /// that is a record needs all of its fields (a new user's seven status flags). The
    /// operation's check enforces them; `tests/body_needs.rs` proves the two agree.
    pub body_needs: &'static [&'static str],
}

/// The HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
}

impl HttpMethod {
    /// `GET`, `POST`, `PUT`, `DELETE`.
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a parameter goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// A segment of the URL path.
    Path,
    /// A `?name=value` query parameter.
    Query,
    /// The JSON body.
    Body,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Location {
    /// `path`, `query`, `body`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Body => "body",
        }
    }
}

/// A reply: one record, or a list of them ("X or [X]" replies are lists; a single object is
/// read as a list of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyShape {
    /// A list of records.
    pub list: bool,
    /// The record's name (`FullLog`, `StatusReply`).
    pub record: &'static str,
    /// The reply's format (a list's element's fields in [`ValueFormat::fields`](crate::ValueFormat)).
    pub format: &'static crate::format::ValueFormat,
}

/// One parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamInfo {
    /// Rust / Python name (`employee_id`).
    pub name: &'static str,
    /// Wire name (`employeeID`, or `body`).
    pub wire: &'static str,
    pub location: Location,
    /// Required (not an `Option` in the table).
    pub required: bool,
    /// A list of values (a `Vec` in the table; "X or [X]" bodies).
    pub list: bool,
    /// The scalar kind of the value (or of a list's elements).
    pub scalar: crate::format::Scalar,
    /// How a person writes the value (`DATETIME`: `2025-07-16T10:24:13 (terminal time) or …`).
    pub format: &'static crate::format::ValueFormat,
}

/// Whether a template has the session segment, at compile time.
const fn has_sid(template: &str) -> bool {
    let b = template.as_bytes();
    let mut i = 0;
    while i + 5 <= b.len() {
        if b[i] == b'{' && b[i + 1] == b's' && b[i + 2] == b'i' && b[i + 3] == b'd' && b[i + 4] == b'}' {
            return true;
        }
        i += 1;
    }
    false
}

macro_rules! http_method {
    (GET) => {
        HttpMethod::Get
    };
    (POST) => {
        HttpMethod::Post
    };
    (PUT) => {
        HttpMethod::Put
    };
    (DELETE) => {
        HttpMethod::Delete
    };
}

macro_rules! location {
    (path) => {
        Location::Path
    };
    (query) => {
        Location::Query
    };
    (body) => {
        Location::Body
    };
}

macro_rules! retry_safe {
    (read) => {
        true
    };
    (write) => {
        false
    };
}

macro_rules! collect_param {
    ($p:ident, $v:expr, path, $wire:literal) => {
        $p.path.push(($wire, ToParam::to_param(&$v)))
    };
    ($p:ident, $v:expr, query, $wire:literal) => {
        $p.query.push(($wire, ToParam::to_param(&$v)))
    };
    ($p:ident, $v:expr, body, $wire:literal) => {
        $p.body = Some(serde_json::to_vec(&crate::record::ForWrite(&$v)).expect("request bodies always serialize"))
    };
}

macro_rules! check_param {
    ($errors:ident, $v:expr, path, $wire:literal) => {{
        let before = $errors.len();
        Validate::validate_at(&$v, $wire, $errors);
        if $errors.len() == before {
            if let Some(s) = ToParam::to_param(&$v) {
                if s.trim().is_empty() {
                    $errors.push(ValidationError::new($wire, s, Rule::PathSegment));
                }
            }
        }
    }};
    ($errors:ident, $v:expr, $loc:ident, $wire:literal) => {
        Validate::validate_at(&$v, $wire, $errors)
    };
}

/// Operations whose parameters are all optional filters get `Default` (no filter).
macro_rules! filters_default {
    (; $Op:ident { $($field:ident),* }) => {};
    (filters ; $Op:ident { $($field:ident),* }) => {
        impl Default for $Op {
            fn default() -> Self {
                $Op { $( $field: Default::default() ),* }
            }
        }
    };
}

macro_rules! define_operations {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $Op:ident $section:literal $method:ident $kind:ident $(($flag:ident))? $template:literal
        { $( $field:ident : $fty:ty = $loc:ident $wire:literal ),* $(,)? }
        $(needs [$($need:literal),* $(,)?])?
        $(check $check:ident)?
        -> $Reply:ty ;
    )*) => {
        $(
            $(#[doc = $doc])*
            #[derive(Debug, Clone, PartialEq, Serialize)]
            pub struct $Op {
                $(
                    #[serde(rename = $wire)]
                    pub $field: $fty,
                )*
            }

            /// What `#[derive(Deserialize)]` with `deny_unknown_fields` reads, with serde's
            /// words for unknown, duplicate and missing fields, in less code: the field names
            /// are matched once for every input type ([`FieldName`]), not by a visitor per type.
            /// For serde users; the bindings read inputs with `from_input` (the same
            /// values and errors, `tests/input_reader.rs`), whose object walk is shared by all
            /// 72 operations.
            impl<'de> Deserialize<'de> for $Op {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    const FIELDS: &[&str] = &[$($wire),*];
                    struct V;
                    impl<'de> serde::de::Visitor<'de> for V {
                        type Value = $Op;
                        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                            f.write_str(concat!("struct ", stringify!($Op)))
                        }
                        #[allow(unused_mut, unused_variables, unused_assignments)]
                        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$Op, A::Error> {
                            $( let mut $field: Option<$fty> = None; )*
                            while let Some(key) = map.next_key_seed(FieldName(FIELDS))? {
                                let mut k = 0;
                                $( if key == k {
                                    if $field.is_some() {
                                        return Err(serde::de::Error::duplicate_field($wire));
                                    }
                                    $field = Some(map.next_value()?);
                                    continue;
                                }
                                k += 1; )*
                            }
                            Ok($Op { $( $field: match $field { Some(v) => v, None => missing($wire)? }, )* })
                        }
                    }
                    // An object only: `deserialize_struct` would also read an array (and
                    // compile that reading 72 times); serde's message for one is the same.
                    d.deserialize_map(V)
                }
            }

            impl $Op {
                /// Reads the operation from its wire-form input: what the `Deserialize` above
                /// reads from the input's text, with the same errors, but the object is walked
                /// by one reader for every operation ([`decode_op`]) and only the fields' own
                /// readers are this type's.
                #[allow(unused_variables, unused_mut, unused_assignments)]
                fn from_input(input: &serde_json::Value) -> Result<$Op, ValidationErrors> {
                    const FIELDS: &[&str] = &[$($wire),*];
                    $( let mut $field: Option<$fty> = None; )*
                    let mut op = None;
                    decode_op(input, concat!("struct ", stringify!($Op)), FIELDS, &mut |member| {
                        let Some((i, value)) = member else {
                            op = Some($Op { $( $field: match $field.take() { Some(v) => v, None => missing($wire)? }, )* });
                            return Ok(());
                        };
                        let mut k = 0;
                        $( if i == k {
                            $field = Some(member_value(value)?);
                        }
                        k += 1; )*
                        Ok(())
                    })?;
                    Ok(op.expect("built when decode_op succeeds"))
                }
            }

            impl Operation for $Op {
                const NAME: &'static str = stringify!($name);
                const SECTION: &'static str = $section;
                const METHOD: Method = Method::$method;
                const TEMPLATE: &'static str = $template;
                const RETRY_SAFE: bool = retry_safe!($kind);
                type Reply = $Reply;

                #[allow(unused_variables)]
                fn check(&self, errors: &mut Vec<ValidationError>) {
                    $( check_param!(errors, self.$field, $loc, $wire); )*
                    $( $check(self, errors); )?
                }

                #[allow(unused_mut)]
                fn params(&self) -> Params {
                    let mut p = Params::default();
                    $( collect_param!(p, self.$field, $loc, $wire); )*
                    p
                }
            }

            filters_default!($($flag)? ; $Op { $($field),* });

            impl From<$Op> for AnyOperation {
                fn from(op: $Op) -> Self { AnyOperation::$Op(op) }
            }
        )*

        /// Every operation's static description, in table order.
        pub const OPERATIONS: &[OperationInfo] = &[
            $( OperationInfo {
                name: stringify!($name),
                type_name: stringify!($Op),
                section: $section,
                method: http_method!($method),
                template: $template,
                retry_safe: retry_safe!($kind),
                needs_session: has_sid($template),
                doc: concat!($($doc),*),
                doc_lines: &[ $( $doc ),* ],
                filters: false $( || matches!(stringify!($flag).as_bytes(), b"filters") )?,
                params: &[ $( ParamInfo {
                    name: stringify!($field),
                    wire: $wire,
                    location: location!($loc),
                    required: <$fty as crate::format::Described>::REQUIRED,
                    list: <$fty as crate::format::Described>::FORMAT.list,
                    scalar: <$fty as crate::format::Described>::SCALAR,
                    format: &<$fty as crate::format::Described>::FORMAT,
                } ),* ],
                reply: stringify!($Reply),
                body_needs: &[ $($( $need ),*)? ],
                reply_shape: ReplyShape {
                    list: <$Reply as crate::format::Described>::FORMAT.list,
                    record: <$Reply as crate::format::Described>::NAME,
                    format: &<$Reply as crate::format::Described>::FORMAT,
                },
            } ),*
        ];

        /// Any operation, for dispatch by name (vectors, CLIs, bindings).
        #[derive(Debug, Clone, PartialEq)]
        pub enum AnyOperation { $( $Op($Op), )* }

        impl AnyOperation {
            /// Build an operation from its canonical name and its parameters in wire form
            /// (`{"userID": "A1", "body": {...}}`) and validate it, reporting every problem as
            /// a rule.
            pub fn from_wire(name: &str, input: &serde_json::Value) -> Result<AnyOperation, ValidationErrors> {
                match name {
                    $( stringify!($name) => {
                        let op = $Op::from_input(input)?;
                        op.validate()?;
                        Ok(AnyOperation::$Op(op))
                    } )*
                    other => Err(ValidationError::new("operation", other, Rule::UnknownField).into()),
                }
            }
            /// Like [`AnyOperation::from_wire`] but without the value rules: only the shape
            /// (for a terminal emulation that decides itself what to make of odd values).
            pub fn decode_wire(name: &str, input: &serde_json::Value) -> Result<AnyOperation, ValidationErrors> {
                match name {
                    $( stringify!($name) => $Op::from_input(input).map(AnyOperation::$Op), )*
                    other => Err(ValidationError::new("operation", other, Rule::UnknownField).into()),
                }
            }
            /// [`AnyOperation::decode_wire`] through each operation's `Deserialize` instead of
            /// the shared reader: the oracle that `tests/input_reader.rs` compares it with.
            #[doc(hidden)]
            pub fn decode_wire_with_serde(name: &str, input: &serde_json::Value) -> Result<AnyOperation, ValidationErrors> {
                match name {
                    $( stringify!($name) => decode_input::<$Op>(input).map(AnyOperation::$Op), )*
                    other => Err(ValidationError::new("operation", other, Rule::UnknownField).into()),
                }
            }
            pub fn name(&self) -> &'static str {
                match self { $( AnyOperation::$Op(_) => stringify!($name), )* }
            }
            pub fn retry_safe(&self) -> bool {
                match self { $( AnyOperation::$Op(_) => <$Op as Operation>::RETRY_SAFE, )* }
            }
            pub fn needs_session(&self) -> bool {
                match self { $( AnyOperation::$Op(_) => <$Op as Operation>::needs_session(), )* }
            }
            pub fn validate(&self) -> Result<(), ValidationErrors> {
                match self { $( AnyOperation::$Op(op) => op.validate(), )* }
            }
            pub fn request(&self, session: Option<&SessionId>) -> Result<HttpRequest, ValidationErrors> {
                match self { $( AnyOperation::$Op(op) => op.request(session), )* }
            }
            /// The parameters in wire form (the inverse of [`AnyOperation::from_wire`]).
            pub fn to_wire(&self) -> serde_json::Value {
                match self { $( AnyOperation::$Op(op) => serde_json::to_value(op).expect("operations serialize"), )* }
            }
            /// Read a reply of the named operation into its typed form, written back as JSON
            /// (the normalized form of `tests/vectors/responses.json`).
            pub fn read_reply_json(name: &str, status: u16, body: &[u8]) -> Option<Result<serde_json::Value, ReplyError>> {
                match name {
                    $( stringify!($name) => Some(<$Op as Operation>::read_reply(status, body)
                        .map(|r| serde_json::to_value(&r).expect("replies serialize"))), )*
                    _ => None,
                }
            }
            /// [`AnyOperation::read_reply_json`] as JSON text, the typed reply written straight
            /// to text (the browser's path: no `serde_json::Value` writer per reply type).
            pub fn read_reply_text(name: &str, status: u16, body: &[u8]) -> Option<Result<String, ReplyError>> {
                match name {
                    $( stringify!($name) => Some(<$Op as Operation>::read_reply(status, body)
                        .map(|r| serde_json::to_string(&r).expect("replies serialize"))), )*
                    _ => None,
                }
            }
            /// [`AnyOperation::read_reply_json`], the body fed in `chunks` to a
            /// [`crate::http::ReplyReader`] as the client feeds it while the reply arrives
            /// (for tests: the two must agree however the body is cut).
            pub fn read_reply_json_in_chunks(name: &str, status: u16, chunks: &[&[u8]]) -> Option<Result<serde_json::Value, ReplyError>> {
                match name {
                    $( stringify!($name) => {
                        let size = chunks.iter().map(|c| c.len() as u64).sum();
                        let mut reader = crate::http::ReplyReader::new(<$Op as Operation>::read_reply, status, Some(size));
                        for chunk in chunks {
                            reader.feed(bytes::Bytes::copy_from_slice(chunk));
                        }
                        Some(reader.finish().map(|r| serde_json::to_value(&r).expect("replies serialize")))
                    } )*
                    _ => None,
                }
            }
        }
    };
}

crate::operation_table!(define_operations);

/// Information about the operation with that canonical name.
pub fn operation_info(name: &str) -> Option<&'static OperationInfo> {
    OPERATIONS.iter().find(|o| o.name == name)
}

/// Reads an input's key: the index of one of `FIELDS`, else serde's `unknown field` error.
struct FieldName(&'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for FieldName {
    type Value = usize;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for FieldName {
    type Value = usize;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("field identifier")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<usize, E> {
        self.0.iter().position(|f| *f == v).ok_or_else(|| E::unknown_field(v, self.0))
    }
}

/// What an operation's reader does with one member of its input, `Some((the field's index,
/// the member's JSON text))`, and at the end of the object, `None` (build the operation, or
/// say which field is missing).
type PutMember<'p> = dyn FnMut(Option<(usize, &[u8])>) -> Result<(), serde_json::Error> + 'p;

/// Reads an operation's wire-form input with serde's errors for unknown and missing fields
/// turned into rules with a path, like [`decode_input`]. The object's members are walked
/// here, once for every operation; each member's value is written as JSON text and handed to
/// `put`, whose only work is the field type's own reader ([`member_value`]). Members are read
/// in the order they come, so the first broken one is the one reported, as with a derived
/// reader (`tests/input_reader.rs` compares the two on every vector's input and its
/// variants).
///
/// (A reader per operation inlined serde_json's map reading into each of the 72: the
/// largest part of the browser's `.wasm`. Walking the `serde_json::Value` the bindings
/// already hold, rather than its text, also needs no `RawValue` to cut the members out:
/// serde_json's `raw_value` feature and this reader's use of it cost the `.wasm` 3.4 KB gzip.)
fn decode_op(
    input: &serde_json::Value,
    expecting: &'static str,
    fields: &'static [&'static str],
    put: &mut PutMember<'_>,
) -> Result<(), ValidationErrors> {
    let empty = serde_json::Map::new();
    let members = match input {
        serde_json::Value::Null => &empty,
        serde_json::Value::Object(members) => members,
        // Not an object: serde's words for it, placed where serde places them.
        other => {
            return decode_with(&input_text(other), &mut |d| {
                serde::Deserializer::deserialize_map(d, NotAnObject(expecting))
            });
        }
    };
    // The input's text as `input_text` writes it (serde_json's compact form), written member
    // by member to know where each value is: errors are placed, and their paths found, in it.
    let mut text = Vec::with_capacity(64);
    let mut spans = Vec::with_capacity(members.len());
    text.push(b'{');
    for (key, value) in members {
        if !spans.is_empty() {
            text.push(b',');
        }
        serde_json::to_writer(&mut text, key).expect("keys serialize");
        let key_end = text.len();
        text.push(b':');
        let start = text.len();
        serde_json::to_writer(&mut text, value).expect("values serialize");
        spans.push((key.as_str(), key_end, start..text.len()));
    }
    text.push(b'}');
    let close = text.len() - 1;
    // A value's reader records the rules it finds aside (`lenient::rule_error`).
    crate::lenient::clear_rules();
    for (n, (key, key_end, span)) in spans.iter().enumerate() {
        // serde places an unknown field on its key's closing quote.
        let Some(i) = fields.iter().position(|f| f == key) else {
            let e = <serde_json::Error as serde::de::Error>::unknown_field(key, fields);
            return Err(decode_error(&text, &e, key_end - 1));
        };
        if let Err(e) = put(Some((i, &text[span.clone()]))) {
            let offset = if e.line() != 0 {
                span.start + placed(&text[span.clone()], &e)
            } else if n + 1 == spans.len() {
                // An error without a place: serde_json places it after the member, on the
                // object's end when it is the last one.
                close
            } else {
                span.end - 1
            };
            return Err(decode_error(&text, &e, offset));
        }
    }
    // At the end of the object: a missing field is placed on its closing brace.
    put(None).map_err(|e| decode_error(&text, &e, close))?;
    crate::lenient::clear_rules();
    Ok(())
}

/// The visitor of an input that is not an object: only its words for what it expected.
struct NotAnObject(&'static str);

impl serde::de::Visitor<'_> for NotAnObject {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// A field's value read from its member's JSON text: one copy for each field type, shared by
/// every operation with a field of that type (not inlined into each operation's reader).
#[inline(never)]
fn member_value<T: DeserializeOwned>(text: &[u8]) -> Result<T, serde_json::Error> {
    T::deserialize(&mut serde_json::Deserializer::from_slice(text))
}

/// An input field that is absent: `None` for an optional one, serde's `missing field` error
/// otherwise (what the derive does).
fn missing<'de, T: Deserialize<'de>, E: serde::de::Error>(field: &'static str) -> Result<T, E> {
    struct Missing<E>(&'static str, std::marker::PhantomData<E>);
    impl<'de, E: serde::de::Error> serde::Deserializer<'de> for Missing<E> {
        type Error = E;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
            Err(E::missing_field(self.0))
        }
        fn deserialize_option<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
            v.visit_none()
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
        }
    }
    T::deserialize(Missing(field, std::marker::PhantomData))
}

/// Deserialize wire-form input, turning serde's complaints into rule violations with a path.
///
/// The value is read from its JSON text, so that where it broke is found from the error's
/// position ([`crate::locate`]), one walk for every input type.
pub fn decode_input<T: DeserializeOwned>(input: &serde_json::Value) -> Result<T, ValidationErrors> {
    decode_input_text(&input_text(input))
}

fn input_text(input: &serde_json::Value) -> Vec<u8> {
    if input.is_null() { b"{}".to_vec() } else { serde_json::to_vec(input).expect("values serialize") }
}

/// [`decode_input`] from JSON text.
pub fn decode_input_text<T: DeserializeOwned>(text: &[u8]) -> Result<T, ValidationErrors> {
    // Only `T::deserialize` is per type; the reader, the check that nothing follows the
    // value and what an error means are compiled once (`decode_with`), not in each of the 72
    // input types' copies (the browser's `.wasm`).
    let mut value = None;
    decode_with(text, &mut |d| {
        value = Some(T::deserialize(d)?);
        Ok(())
    })?;
    Ok(value.expect("read when decode_with succeeds"))
}

/// What `serde_json::from_slice` does around `read`, with the errors turned into rules.
type ReadInput<'r> = dyn for<'a> FnMut(&mut serde_json::Deserializer<serde_json::de::SliceRead<'a>>) -> Result<(), serde_json::Error>
    + 'r;

fn decode_with(text: &[u8], read: &mut ReadInput<'_>) -> Result<(), ValidationErrors> {
    read_input(text, read).map_err(|e| decode_error(text, &e, placed(text, &e)))
}

/// `read` over the input's text, then the check that nothing follows the value. The value
/// rules broken while reading are recorded aside (`lenient::rule_error`): cleared before, and
/// after a success; after a failure [`decode_error`] takes them.
fn read_input(text: &[u8], read: &mut ReadInput<'_>) -> Result<(), serde_json::Error> {
    crate::lenient::clear_rules();
    let mut d = serde_json::Deserializer::from_slice(text);
    read(&mut d).and_then(|()| d.end())?;
    crate::lenient::clear_rules();
    Ok(())
}

/// The byte of `text` where serde_json placed `e`.
fn placed(text: &[u8], e: &serde_json::Error) -> usize {
    crate::locate::offset_of(text, e.line(), e.column())
}

/// The rule an input broke, with its path, from serde's error `e` placed at byte `offset` of
/// the input's `text`.
fn decode_error(text: &[u8], e: &serde_json::Error, offset: usize) -> ValidationErrors {
    // serde's own words, without the position it appends (the path says where).
    let message = crate::locate::without_position(e);
    // A value rule travels as data (`lenient::rule_error`); only serde's own structural
    // complaints (missing and unknown fields) are read from its wording, which
    // `tests/rules.rs` pins.
    let rule = crate::lenient::take_rule(&message);
    let located = rule.as_ref().and_then(|broken| crate::locate::value_path(text, offset, &broken.value));
    let path = located.unwrap_or_else(|| crate::locate::path_at(text, offset));
    let named =
        |prefix: &str| message.strip_prefix(prefix).and_then(|rest| rest.split('`').next()).map(|f| join(&path, f));
    let error = if let Some(field) = named("missing field `") {
        let rule = if field.ends_with("userID") { Rule::UserId } else { Rule::Required };
        ValidationError::missing(field, rule)
    } else if let Some(field) = named("unknown field `") {
        // The path already ends at the unknown key (`nope`, `body.nope`): name it once.
        let key = field.rsplit(['.', ']']).next().unwrap_or("");
        let field = if path == key || path.ends_with(&format!(".{key}")) { path.clone() } else { field };
        ValidationError::new(field, "", Rule::UnknownField)
    } else if let Some(broken) = rule {
        ValidationError::new(path, broken.value, broken.rule)
    } else {
        ValidationError::new(path, message, Rule::WrongType)
    };
    ValidationErrors::one(error)
}

// --- Extra checks named in the table ---------------------------------------------------------

fn check_add_user(op: &AddUser, errors: &mut Vec<ValidationError>) {
    op.user.validate_new("body", errors);
}

fn check_add_users(op: &AddUsers, errors: &mut Vec<ValidationError>) {
    for (i, u) in op.users.iter().enumerate() {
        u.validate_new(&format!("body[{i}]"), errors);
    }
}

fn check_add_departments(op: &AddDepartments, errors: &mut Vec<ValidationError>) {
    // §4.1: id, name and description are all required.
    for (i, d) in op.departments.iter().enumerate() {
        let at = format!("body[{i}]");
        require_some(&d.id, &d.extra, &at, "id", errors);
        require_texts(&d.name, &d.extra, &at, "name", errors);
        require_texts(&d.description, &d.extra, &at, "description", errors);
    }
}

fn check_update_departments(op: &UpdateDepartments, errors: &mut Vec<ValidationError>) {
    for (i, d) in op.departments.iter().enumerate() {
        require_some(&d.id, &d.extra, &format!("body[{i}]"), "id", errors);
    }
}

fn check_delete_departments(op: &DeleteDepartments, errors: &mut Vec<ValidationError>) {
    // §4.4: at least one filter, or the terminal would be asked to delete nothing in particular.
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if op.id.is_none() && blank(&op.name) && blank(&op.description) {
        errors.push(ValidationError::missing("", Rule::DepartmentFilter));
    }
}

fn check_delete_job_codes(op: &DeleteJobCodes, errors: &mut Vec<ValidationError>) {
    // §12.5 marks all three required; an empty filter could delete every job code (ENDPOINTS).
    if op.jobcode.is_none() && op.id.is_none() && op.name.as_deref().is_none_or(|s| s.trim().is_empty()) {
        errors.push(ValidationError::missing("", Rule::JobCodeFilter));
    }
}

fn check_update_access_rights(op: &UpdateAccessRights, errors: &mut Vec<ValidationError>) {
    for (i, r) in op.access_rights.iter().enumerate() {
        require_some(&r.id, &r.extra, &format!("body[{i}]"), "id", errors);
    }
}

fn check_update_access_groups(op: &UpdateAccessGroups, errors: &mut Vec<ValidationError>) {
    for (i, g) in op.access_groups.iter().enumerate() {
        require_some(&g.id, &g.extra, &format!("body[{i}]"), "id", errors);
    }
}

#[allow(clippy::ptr_arg)] // every check has this signature
fn check_set_consent(_: &SetConsent, errors: &mut Vec<ValidationError>) {
    // §11.14: the display name is part of the rule, not just a path segment.
    for e in errors.iter_mut().filter(|e| e.field == "display_name" && e.rule == Rule::PathSegment) {
        e.rule = Rule::Consent;
    }
}

fn check_add_job_codes(op: &AddJobCodes, errors: &mut Vec<ValidationError>) {
    // §12.3: name and enable are required when adding.
    for (i, c) in op.job_codes.iter().enumerate() {
        let at = format!("body[{i}]");
        require_texts(&c.name, &c.extra, &at, "name", errors);
        require_some(&c.enable, &c.extra, &at, "enable", errors);
    }
    check_one_default(&op.job_codes, "body", errors);
}

fn check_update_job_codes(op: &UpdateJobCodes, errors: &mut Vec<ValidationError>) {
    check_one_default(&op.job_codes, "body", errors);
}

fn check_get_job_codes(op: &GetJobCodes, errors: &mut Vec<ValidationError>) {
    // §12.6: "jobcode required when id provided".
    if op.id.is_some() && op.jobcode.is_none() {
        errors.push(ValidationError::missing("jobcode", Rule::JobCodeQuery));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared reader walks the input's members, each operation's `Deserialize` its text:
    /// the same operation or the same error (words, rule, path), also for keys written with
    /// escapes, members out of order, and inputs that are not objects.
    /// `tests/input_reader.rs` does this for every vector's input and its variants.
    #[test]
    fn the_shared_reader_gives_what_serde_gives() {
        fn same<T: Operation + PartialEq + std::fmt::Debug>(
            read: fn(&serde_json::Value) -> Result<T, ValidationErrors>,
            text: &str,
        ) {
            let v: serde_json::Value = serde_json::from_str(text).expect(text);
            let shared = read(&v);
            let serde = decode_input::<T>(&v);
            assert_eq!(format!("{shared:?}"), format!("{serde:?}"), "{text}");
        }
        let logs = [
            r#"{"from": "2025-07-16T10:24:13", "to": 5}"#,
            r#"{"to": 5, "from": "x"}"#,
            r#"{"fr\u006fm": "2025-07-16T10:24:13", "limit": 1}"#,
            r#"{"limit": 1, "n\"ope": 2}"#,
            r#"{"nope": 2, "to": "x"}"#,
            r#"{"to": "2025-07-16T10:24:13", "employeeName": 1}"#,
            "{}",
            "null",
            "[]",
            "5",
            r#""x""#,
        ];
        for text in logs {
            same(GetLogs::from_input, text);
            same(GetFullLogs::from_input, text);
        }
        let users = [
            r#"{"body": [{"userID": "A1"}, {"userID": "A2", "status": {"active": "yes"}}]}"#,
            r#"{"body": {"userID": ""}}"#,
            r#"{"body": [{"userID": 1}]}"#,
            r#"{"body": [{"userID": "A1"}, 5]}"#,
            r#"{"body": [{"userID": "A1"}, {"userID": "A2", "departmentID": [1]}], "x": 1}"#,
            r#"{"x": 1, "body": []}"#,
            "{}",
        ];
        for text in users {
            same(AddUsers::from_input, text);
        }
        same(SetUserMessage::from_input, r#"{"userID": "A1", "body": {"message": 5}}"#);
        same(SetUserMessage::from_input, r#"{"body": {"message": "hi"}}"#);
    }
}
