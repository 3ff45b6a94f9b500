//! Drift mode: every JSON reply of a terminal operation written the way *another firmware
//! version* might write it (ENDPOINTS.md "Tolerant reading"), seeded and reproducible, so
//! client libraries can run their main flows against replies they were not written for.
//!
//! Drift rewrites the serialized reply (`serde_json::Value` → bytes) and knows the replies
//! only by operation name and wire field names; it never looks at the core's model types and
//! never changes the terminal's state. The same seed and the same sequence of requests give
//! the same bytes: each reply gets its own RNG, keyed on the seed and the number of replies
//! drifted since drift was switched on (rand's `StdRng`, so reproducible for a given build).
//!
//! What a mutation may do, and how often ([`DriftKind`]; each roll is independent):
//!
//! | kind | what | rate |
//! |---|---|---|
//! | `drop_field` | a field of a record left out | 8 % per field; `logID` 1 %; never an identity (below) |
//! | `extra_field` | an unknown field added (`"fw_extra_3": "x"`) | 20 % per record (nested ones too) |
//! | `number_as_string` | an integer sent as a string (`"delay": "5"`) | 15 % per integer |
//! | `off_format` | `crowd_reset_hhmm` `"9:30"`, a 47-character `timePattern`, an unpadded holiday date, a log's `"timestamp": ""` | 10 % per eligible value (log timestamps 3 %) |
//! | `unknown_enum` | an enum word nobody listed (`"adminLevel": "GUESTUSER"`, relay `option`, auto in/out and RTP `mode`, `log_event`, `log_EM_Option`, job code `enable`, `weekday`, TOTP `format`) | 10 % per enum value |
//! | `soap_names` | the older SOAP API's names: access right `id` → `accessID`, `timespec` → `timeSpec` (access rights, triggers), one timespec entry naming a list of weekdays | 30 % per name (per timespec list) |
//! | `single_object` | one object (or value) in place of a one-element array, top level included | 30 % per one-element array |
//! | `trailing_comma` | `{"status": "success", }` | half the replies; then 50 % per non-empty object or array |
//!
//! Never touched, so a drifting terminal stays a terminal: a string `status` (the outcome of
//! a status reply; error replies get only unknown fields and trailing commas), and the
//! identity a client needs to write a record back: `userID` of a user, `id` of a department,
//! access right, access group or relay setting, `jobcode` (and `id`) of job code (settings),
//! `type` of a trigger, `url` of an agent, `mode` of auto in/out and RTP, `weekday` and
//! `timePattern` of a timespec entry, login's `sessionid`, and the one value of single-value
//! replies (`usercount`, `usermessage`, `enable`, `dates`). Identities may still be renamed
//! (SOAP) or sent as strings; relay ids and trigger types never get unknown words.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::fmt;

/// One kind of mutation drift may apply (wire names in `snake_case`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// A field of a record left out (never an identity).
    DropField,
    /// An unknown field added (`"fw_extra_3": "x"`).
    ExtraField,
    /// An integer sent as a string.
    NumberAsString,
    /// A value that breaks a writing rule: `"9:30"`, 47 slots, `2025-1-1`, `"timestamp": ""`.
    OffFormat,
    /// An enum word nobody listed.
    UnknownEnum,
    /// The SOAP API's names (`accessID`, `timeSpec`, a weekday list).
    SoapNames,
    /// One object in place of a one-element array.
    SingleObject,
    /// Trailing commas (`{"status": "success", }`).
    TrailingComma,
}

impl DriftKind {
    /// Every kind.
    pub const ALL: [DriftKind; 8] = [
        DriftKind::DropField,
        DriftKind::ExtraField,
        DriftKind::NumberAsString,
        DriftKind::OffFormat,
        DriftKind::UnknownEnum,
        DriftKind::SoapNames,
        DriftKind::SingleObject,
        DriftKind::TrailingComma,
    ];

    /// The kinds after which every record read can be written back as it is by a client that
    /// writes strictly (no value breaks a writing rule, no field is missing): unknown fields,
    /// numbers as strings, SOAP names, one object for an array, trailing commas. The others
    /// (`drop_field`, `off_format`, `unknown_enum`) test that a client reads what it cannot
    /// write back, and refuses to write it with a field-and-rule error.
    pub const WRITE_BACK_SAFE: [DriftKind; 5] = [
        DriftKind::ExtraField,
        DriftKind::NumberAsString,
        DriftKind::SoapNames,
        DriftKind::SingleObject,
        DriftKind::TrailingComma,
    ];

    /// The wire name (`drop_field`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::DropField => "drop_field",
            DriftKind::ExtraField => "extra_field",
            DriftKind::NumberAsString => "number_as_string",
            DriftKind::OffFormat => "off_format",
            DriftKind::UnknownEnum => "unknown_enum",
            DriftKind::SoapNames => "soap_names",
            DriftKind::SingleObject => "single_object",
            DriftKind::TrailingComma => "trailing_comma",
        }
    }
}

impl fmt::Display for DriftKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for DriftKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        DriftKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            let all: Vec<&str> = DriftKind::ALL.iter().map(|k| k.as_str()).collect();
            format!("unknown drift kind {s:?} (expected one of {})", all.join(", "))
        })
    }
}

/// Drift switched on: a seed and the kinds of mutation to apply (all by default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftConfig {
    /// Same seed, same requests → same bytes.
    pub seed: u64,
    /// The mutations applied; the others never happen.
    pub kinds: BTreeSet<DriftKind>,
}

impl DriftConfig {
    /// Every kind of mutation.
    pub fn new(seed: u64) -> Self {
        DriftConfig { seed, kinds: DriftKind::ALL.into_iter().collect() }
    }
    /// Only [`DriftKind::WRITE_BACK_SAFE`]: get → modify → update flows keep working.
    pub fn write_back_safe(seed: u64) -> Self {
        DriftConfig::only(seed, DriftKind::WRITE_BACK_SAFE)
    }
    /// Only these kinds.
    pub fn only(seed: u64, kinds: impl IntoIterator<Item = DriftKind>) -> Self {
        DriftConfig { seed, kinds: kinds.into_iter().collect() }
    }
    /// Also apply `kind`.
    pub fn with(mut self, kind: DriftKind) -> Self {
        self.kinds.insert(kind);
        self
    }
    /// Never apply `kind`.
    pub fn without(mut self, kind: DriftKind) -> Self {
        self.kinds.remove(&kind);
        self
    }
    /// Whether `kind` is applied.
    pub fn has(&self, kind: DriftKind) -> bool {
        self.kinds.contains(&kind)
    }
}

impl From<u64> for DriftConfig {
    fn from(seed: u64) -> Self {
        DriftConfig::new(seed)
    }
}

// --- rates (documented in the module docs and the README) --------------------------------------

const P_DROP: f64 = 0.08;
const P_DROP_RARE: f64 = 0.01;
const P_EXTRA: f64 = 0.20;
const P_NUMBER: f64 = 0.15;
const P_OFF: f64 = 0.10;
const P_OFF_TIMESTAMP: f64 = 0.03;
const P_ENUM: f64 = 0.10;
const P_SOAP: f64 = 0.30;
const P_SINGLE: f64 = 0.30;
const P_COMMA_REPLY: f64 = 0.5;
const P_COMMA: f64 = 0.5;

/// The values an unknown field gets.
const EXTRA_VALUES: &[&str] = &[r#""x""#, "7", "true", r#""""#, r#"{"fw": "x"}"#, r#"["x"]"#];

// --- what the replies are ---------------------------------------------------------------------

/// The kinds of record that replies carry, by wire shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rec {
    Status,
    Error,
    Login,
    Log,
    FullLog,
    Photo,
    User,
    UserStatus,
    KeyRecord,
    FacialRecord,
    UserMessage,
    UserCount,
    Totp,
    Department,
    AccessRight,
    TimeSpec,
    AccessGroup,
    Trigger,
    Agent,
    Relay,
    AutoInOut,
    LogUnauth,
    Rtp,
    LogSetting,
    JobCodeSetting,
    JobCode,
    Holidays,
    /// Any other flat record (ntp, time, API version, terminal status, consent, holidays reply).
    Plain,
}

/// The record a successful reply of `operation` carries (a list of them or one).
fn reply_record(operation: &str) -> Rec {
    match operation {
        "login" => Rec::Login,
        "get_logs" => Rec::Log,
        "get_full_logs" => Rec::FullLog,
        "get_log_photo" | "get_capture_fingerprint" => Rec::Photo,
        "get_users" | "get_user_batch" | "get_myself" => Rec::User,
        "get_user_message" => Rec::UserMessage,
        "get_user_count" => Rec::UserCount,
        "get_user_api_totp" => Rec::Totp,
        "get_departments" => Rec::Department,
        "get_access_rights" => Rec::AccessRight,
        "get_access_groups" => Rec::AccessGroup,
        "get_triggers" => Rec::Trigger,
        "get_agents" => Rec::Agent,
        "get_relay_setting" => Rec::Relay,
        "get_auto_in_out" => Rec::AutoInOut,
        "get_log_unauthorized_event" => Rec::LogUnauth,
        "get_rtp_setting" => Rec::Rtp,
        "get_log_setting" => Rec::LogSetting,
        "get_job_code_settings" => Rec::JobCodeSetting,
        "get_job_codes" => Rec::JobCode,
        "get_holidays" => Rec::Holidays,
        "get_ntp"
        | "get_time"
        | "get_api_version"
        | "get_terminal_status"
        | "get_consent"
        | "set_holidays"
        | "delete_holidays" => Rec::Plain,
        _ => Rec::Status,
    }
}

/// Never dropped: what a client needs to write the record back, or the reply's one value.
fn identity(rec: Rec, key: &str) -> bool {
    match rec {
        Rec::Error => true,
        Rec::Login => key == "sessionid",
        Rec::User => key == "userID",
        Rec::Department | Rec::AccessRight | Rec::AccessGroup | Rec::Relay => key == "id",
        Rec::JobCodeSetting => key == "jobcode",
        Rec::JobCode => key == "jobcode" || key == "id",
        Rec::Trigger => key == "type",
        Rec::Agent => key == "url",
        Rec::AutoInOut | Rec::Rtp => key == "mode",
        Rec::TimeSpec => key == "weekday" || key == "timePattern",
        Rec::UserCount => key == "usercount",
        Rec::UserMessage => key == "usermessage",
        Rec::LogUnauth => key == "enable",
        Rec::Holidays => key == "dates",
        _ => false,
    }
}

/// Droppable, but rarely.
fn rarely_dropped(rec: Rec, key: &str) -> bool {
    matches!(rec, Rec::Log | Rec::FullLog) && key == "logID"
}

/// Nested records.
fn child(rec: Rec, key: &str) -> Option<Rec> {
    match (rec, key) {
        (Rec::User, "status") => Some(Rec::UserStatus),
        (Rec::User, "keyrecords") => Some(Rec::KeyRecord),
        (Rec::User, "facialrecords") => Some(Rec::FacialRecord),
        (Rec::AccessRight | Rec::Trigger, "timespec") => Some(Rec::TimeSpec),
        _ => None,
    }
}

/// Arrays of plain values ("one value or an array" on the wire).
fn scalar_list(rec: Rec, key: &str) -> bool {
    matches!(
        (rec, key),
        (Rec::User, "groupID" | "departmentID")
            | (Rec::AccessGroup, "accessrightid")
            | (Rec::Holidays, "dates")
            | (Rec::Plain, "invalid_dates")
    )
}

/// An enum word no manual lists, for the enum fields.
fn unknown_word(rec: Rec, key: &str) -> Option<&'static str> {
    Some(match (rec, key) {
        (Rec::User, "adminLevel") => "GUESTUSER",
        (Rec::Relay, "option") => "emergency_release",
        (Rec::AutoInOut, "mode") => "time_attendance",
        (Rec::Rtp, "mode") => "WebRTC",
        (Rec::LogSetting, "log_event") => "system_event",
        (Rec::LogSetting, "log_EM_Option") => "FC_ID_SN",
        (Rec::JobCode | Rec::JobCodeSetting, "enable") => "locked",
        (Rec::TimeSpec, "weekday") => "WORKDAY",
        (Rec::Totp, "format") => "QR_JPEG",
        _ => return None,
    })
}

/// The value written off-format, and how likely that is; `None` when there is nothing to
/// do to this value.
fn off_format(rec: Rec, key: &str, value: &str) -> Option<(String, f64)> {
    match (rec, key) {
        // "09:30" → "9:30"; "12:30" → "12:30:00".
        (Rec::AutoInOut, "crowd_reset_hhmm") => {
            let off = match value.strip_prefix('0') {
                Some(rest) if rest.len() == 4 => rest.to_string(),
                _ => format!("{value}:00"),
            };
            Some((off, P_OFF))
        }
        // 47 slots instead of 48.
        (Rec::TimeSpec, "timePattern") if value.len() == 48 => Some((value[..47].to_string(), P_OFF)),
        // "2025-01-05" → "2025-1-5".
        (Rec::Holidays, "dates") => {
            let parts: Vec<&str> = value.split('-').collect();
            let [y, m, d] = parts.as_slice() else { return None };
            let off = format!("{y}-{}-{}", m.trim_start_matches('0'), d.trim_start_matches('0'));
            (off != value && !m.trim_start_matches('0').is_empty() && !d.trim_start_matches('0').is_empty())
                .then_some((off, P_OFF))
        }
        (Rec::Log | Rec::FullLog, "timestamp") if !value.is_empty() => Some((String::new(), P_OFF_TIMESTAMP)),
        _ => None,
    }
}

/// The older SOAP API's name of a field (E4).
fn soap_name(rec: Rec, key: &str) -> Option<&'static str> {
    match (rec, key) {
        (Rec::AccessRight, "id") => Some("accessID"),
        (Rec::AccessRight | Rec::Trigger, "timespec") => Some("timeSpec"),
        _ => None,
    }
}

// --- the rewriting ----------------------------------------------------------------------------

/// One reply's mutations: its own RNG, what was applied.
struct Drifter<'a> {
    config: &'a DriftConfig,
    rng: StdRng,
    applied: BTreeSet<DriftKind>,
    commas: bool,
}

impl<'a> Drifter<'a> {
    fn new(config: &'a DriftConfig, reply: u64) -> Self {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&config.seed.to_le_bytes());
        key[8..16].copy_from_slice(&reply.to_le_bytes());
        key[16..].copy_from_slice(b"actatek-sim drft");
        Drifter { config, rng: StdRng::from_seed(key), applied: BTreeSet::new(), commas: false }
    }

    /// Roll for a mutation of `kind` with probability `p`. The RNG is drawn from whether or not
    /// the kind is on, so switching one kind off changes little of the rest.
    fn roll(&mut self, kind: DriftKind, p: f64) -> bool {
        let hit = self.rng.random_bool(p);
        if hit && self.config.has(kind) {
            self.applied.insert(kind);
            true
        } else {
            false
        }
    }

    /// A top-level reply: a record or a list of records.
    fn reply(&mut self, rec: Rec, value: &mut Value) {
        match value {
            Value::Array(items) => {
                for item in items.iter_mut() {
                    self.record(rec, item);
                }
                self.maybe_single(value);
            }
            Value::Object(_) => self.record(rec, value),
            _ => {}
        }
    }

    fn record(&mut self, rec: Rec, value: &mut Value) {
        let Value::Object(map) = value else { return };
        let fields = std::mem::take(map);
        let names: Vec<String> = fields.keys().cloned().collect();
        let extra_at = if self.roll(DriftKind::ExtraField, P_EXTRA) {
            let name = format!("fw_extra_{}", self.rng.random_range(0..10u8));
            let value = EXTRA_VALUES[self.rng.random_range(0..EXTRA_VALUES.len())];
            let at = self.rng.random_range(0..=fields.len());
            (!names.contains(&name)).then(|| (at, name, serde_json::from_str::<Value>(value).expect("valid JSON")))
        } else {
            None
        };
        let mut extra = extra_at;
        let mut out = Map::with_capacity(fields.len() + 1);
        for (i, (key, mut v)) in fields.into_iter().enumerate() {
            if extra.as_ref().is_some_and(|(at, _, _)| *at == i)
                && let Some((_, name, x)) = extra.take()
            {
                out.insert(name, x);
            }
            // The outcome of a status reply, and everything of an error reply but its form.
            if rec == Rec::Error || (key == "status" && v.is_string()) {
                out.insert(key, v);
                continue;
            }
            if !identity(rec, &key) {
                let p = if rarely_dropped(rec, &key) { P_DROP_RARE } else { P_DROP };
                if self.roll(DriftKind::DropField, p) {
                    continue;
                }
            }
            self.field(rec, &key, &mut v);
            let key = match soap_name(rec, &key) {
                Some(soap) if self.roll(DriftKind::SoapNames, P_SOAP) => soap.to_string(),
                _ => key,
            };
            out.insert(key, v);
        }
        if let Some((_, name, x)) = extra {
            out.insert(name, x);
        }
        *map = out;
    }

    fn field(&mut self, rec: Rec, key: &str, value: &mut Value) {
        if let Some(child) = child(rec, key) {
            if child == Rec::TimeSpec {
                self.weekday_lists(value);
            }
            match value {
                Value::Array(items) => {
                    for item in items.iter_mut() {
                        self.record(child, item);
                    }
                    self.maybe_single(value);
                }
                Value::Object(_) => self.record(child, value),
                _ => {}
            }
        } else if scalar_list(rec, key) {
            match value {
                Value::Array(items) => {
                    for item in items.iter_mut() {
                        self.scalar(rec, key, item);
                    }
                    self.maybe_single(value);
                }
                other => self.scalar(rec, key, other),
            }
        } else {
            self.scalar(rec, key, value);
        }
    }

    fn scalar(&mut self, rec: Rec, key: &str, value: &mut Value) {
        match value {
            Value::Number(n) if (n.is_i64() || n.is_u64()) && self.roll(DriftKind::NumberAsString, P_NUMBER) => {
                *value = Value::String(n.to_string());
            }
            Value::String(s) => {
                if let Some(word) = unknown_word(rec, key)
                    && self.roll(DriftKind::UnknownEnum, P_ENUM)
                {
                    *value = Value::String(word.to_string());
                    return;
                }
                if let Some((off, p)) = off_format(rec, key, s)
                    && self.roll(DriftKind::OffFormat, p)
                {
                    *value = Value::String(off);
                }
            }
            _ => {}
        }
    }

    /// A one-element array becomes its element.
    fn maybe_single(&mut self, value: &mut Value) {
        if let Value::Array(items) = value
            && items.len() == 1
            && self.roll(DriftKind::SingleObject, P_SINGLE)
        {
            *value = items.pop().expect("one element");
        }
    }

    /// SOAP style (E4): timespec entries with the same pattern written as one entry naming a
    /// list of weekdays. Only entries with nothing but a weekday and a pattern are merged.
    fn weekday_lists(&mut self, value: &mut Value) {
        let Value::Array(items) = value else { return };
        let plain = |v: &Value| {
            v.as_object().is_some_and(|o| {
                o.len() == 2 && o.get("weekday").is_some_and(Value::is_string) && o.contains_key("timePattern")
            })
        };
        if items.is_empty() || !items.iter().all(plain) || !self.roll(DriftKind::SoapNames, P_SOAP) {
            return;
        }
        let mut merged: Vec<(Value, Vec<Value>)> = Vec::new();
        for item in items.drain(..) {
            let pattern = item["timePattern"].clone();
            let weekday = item["weekday"].clone();
            match merged.iter_mut().find(|(p, _)| *p == pattern) {
                Some((_, days)) => days.push(weekday),
                None => merged.push((pattern, vec![weekday])),
            }
        }
        *items = merged
            .into_iter()
            .map(|(pattern, days)| {
                let mut entry = Map::new();
                entry.insert("weekday".into(), Value::Array(days));
                entry.insert("timePattern".into(), pattern);
                Value::Object(entry)
            })
            .collect();
    }

    /// Compact JSON, with a trailing comma in some objects and arrays.
    fn write(&mut self, value: &Value, out: &mut Vec<u8>) {
        match value {
            Value::Object(map) => {
                out.push(b'{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut *out, k).expect("in-memory writes do not fail");
                    out.push(b':');
                    self.write(v, out);
                }
                self.trailing_comma(!map.is_empty(), out);
                out.push(b'}');
            }
            Value::Array(items) => {
                out.push(b'[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    self.write(v, out);
                }
                self.trailing_comma(!items.is_empty(), out);
                out.push(b']');
            }
            scalar => serde_json::to_writer(&mut *out, scalar).expect("in-memory writes do not fail"),
        }
    }

    fn trailing_comma(&mut self, non_empty: bool, out: &mut Vec<u8>) {
        if self.commas && non_empty && self.roll(DriftKind::TrailingComma, P_COMMA) {
            out.extend_from_slice(b", ");
        }
    }
}

/// Rewrite the reply to `operation` (HTTP `status`) as the `reply`-th drifted reply under
/// `config`: the new bytes and the kinds of mutation applied. `None` when the body is not JSON
/// (it is then sent as it is).
pub fn rewrite(
    config: &DriftConfig,
    reply: u64,
    operation: &str,
    status: u16,
    body: &[u8],
) -> Option<(Vec<u8>, Vec<DriftKind>)> {
    let mut value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        // Quirks mode writes trailing commas too.
        Err(_) => serde_json::from_slice(&actatek_core::repair::repair(body)?).ok()?,
    };
    let mut d = Drifter::new(config, reply);
    let rec = if status >= 400 { Rec::Error } else { reply_record(operation) };
    d.reply(rec, &mut value);
    d.commas = d.rng.random_bool(P_COMMA_REPLY);
    let mut out = Vec::with_capacity(body.len() + body.len() / 8 + 16);
    d.write(&value, &mut out);
    Some((out, d.applied.into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn drift(config: &DriftConfig, n: u64, op: &str, v: &Value) -> (String, Vec<DriftKind>) {
        let (bytes, kinds) = rewrite(config, n, op, 200, &serde_json::to_vec(v).unwrap()).unwrap();
        (String::from_utf8(bytes).unwrap(), kinds)
    }

    fn repaired(s: &str) -> Value {
        let fixed = actatek_core::repair::repair(s.as_bytes()).unwrap_or_else(|| s.as_bytes().to_vec());
        serde_json::from_slice(&fixed).unwrap_or_else(|e| panic!("{e}: {s}"))
    }

    fn users() -> Value {
        json!([{"userID": "U1", "lastName": "Li", "firstName": "Ada", "adminLevel": "PERSONALUSER",
            "groupID": [0], "departmentID": [1], "status": {"active": true, "autoMatch": false},
            "cardsn": "00010001", "ScoreThreshold": 0}])
    }

    #[test]
    fn the_same_seed_and_reply_number_give_the_same_bytes() {
        let c = DriftConfig::new(42);
        let v = users();
        assert_eq!(drift(&c, 3, "get_users", &v), drift(&c, 3, "get_users", &v));
        let differs =
            (0..20).any(|n| drift(&c, n, "get_users", &v).0 != drift(&DriftConfig::new(43), n, "get_users", &v).0);
        assert!(differs, "another seed, other bytes");
    }

    #[test]
    fn identities_and_error_statuses_survive_every_roll() {
        let c = DriftConfig::new(1);
        for n in 0..500 {
            let (s, _) = drift(&c, n, "get_users", &users());
            let v = repaired(&s);
            let user = if v.is_array() { &v[0] } else { &v };
            assert_eq!(user["userID"], "U1", "{s}");

            let relay = json!({"id": "ONE", "option": "disable", "delay": 5});
            let v = repaired(&drift(&c, n, "get_relay_setting", &relay).0);
            assert_eq!(v["id"], "ONE");

            let error = json!({"status": "error", "message": "invalid or expired session id"});
            let (bytes, kinds) = rewrite(&c, n, "get_users", 400, &serde_json::to_vec(&error).unwrap()).unwrap();
            let v = repaired(std::str::from_utf8(&bytes).unwrap());
            assert_eq!((&v["status"], &v["message"]), (&error["status"], &error["message"]));
            assert!(kinds.iter().all(|k| matches!(k, DriftKind::ExtraField | DriftKind::TrailingComma)), "{kinds:?}");

            let ok = json!({"status": "success", "message": "User A1 Added"});
            assert_eq!(repaired(&drift(&c, n, "add_user", &ok).0)["status"], "success");
        }
    }

    #[test]
    fn only_the_chosen_kinds_apply() {
        let c = DriftConfig::only(9, [DriftKind::TrailingComma]);
        let mut seen = BTreeSet::new();
        for n in 0..50 {
            let (s, kinds) = drift(&c, n, "get_users", &users());
            seen.extend(kinds);
            assert_eq!(repaired(&s), users(), "only commas: {s}");
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), [DriftKind::TrailingComma]);
    }

    #[test]
    fn soap_weekday_lists_merge_equal_patterns() {
        let pattern = "0".repeat(16) + &"1".repeat(20) + &"0".repeat(12);
        let rights = json!([{"id": 1, "name": "Office", "timespec": [
            {"weekday": "MONDAY", "timePattern": pattern}, {"weekday": "TUESDAY", "timePattern": pattern}]}]);
        let c = DriftConfig::only(5, [DriftKind::SoapNames]);
        let merged = (0..100).map(|n| repaired(&drift(&c, n, "get_access_rights", &rights).0)).find(|v| {
            let r = if v.is_array() { &v[0] } else { v };
            r.get("timespec").or(r.get("timeSpec")).is_some_and(|t| t[0]["weekday"].is_array())
        });
        let v = merged.expect("some reply merges the weekdays");
        let r = if v.is_array() { &v[0] } else { &v };
        let ts = r.get("timespec").or(r.get("timeSpec")).unwrap();
        assert_eq!(ts[0]["weekday"], json!(["MONDAY", "TUESDAY"]));
    }

    #[test]
    fn off_format_values_look_like_the_spec_says() {
        assert_eq!(off_format(Rec::AutoInOut, "crowd_reset_hhmm", "09:30").unwrap().0, "9:30");
        assert_eq!(off_format(Rec::Holidays, "dates", "2025-01-05").unwrap().0, "2025-1-5");
        assert!(off_format(Rec::Holidays, "dates", "2025-12-25").is_none());
        assert_eq!(off_format(Rec::TimeSpec, "timePattern", &"1".repeat(48)).unwrap().0.len(), 47);
        assert_eq!(off_format(Rec::Log, "timestamp", "2025-07-16T10:00:00").unwrap().0, "");
    }

    #[test]
    fn kinds_have_wire_names() {
        for k in DriftKind::ALL {
            assert_eq!(k.as_str().parse::<DriftKind>().unwrap(), k);
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert!("nope".parse::<DriftKind>().is_err());
    }
}
