//! Request and reply bodies, with the manual's field names on the wire. Every record keeps the
//! fields it does not model in `extra`, so get → modify → update loses nothing.

#![allow(non_snake_case)]

use crate::datetime::{Expiry, TerminalDateTime};
use crate::error::{Rule, ValidationError};
use crate::lenient::{self, single_reply};
use crate::validate::{Validate, child};
use crate::values::*;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// Fields a terminal sent that this library does not model; written back unchanged.
pub type Extra = Map<String, Value>;

fn require<T>(v: &Option<T>, at: &str, field: &str, errors: &mut Vec<ValidationError>) {
    if v.is_none() {
        errors.push(ValidationError::missing(child(at, field), Rule::Required));
    }
}

fn require_text(v: &Option<String>, at: &str, field: &str, rule: Rule, errors: &mut Vec<ValidationError>) {
    match v.as_deref().map(str::trim) {
        None => errors.push(ValidationError::missing(child(at, field), rule)),
        Some("") => errors.push(ValidationError::new(child(at, field), "", rule)),
        Some(_) => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Session (§1)

/// login's body (§1.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Credentials {
    pub username: String,
    pub password: Secret,
}

impl Validate for Credentials {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if self.username.is_empty() {
            errors.push(ValidationError::new(child(at, "username"), "", Rule::Required));
        }
    }
}

/// login's reply: the session id comes as a number or a string.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct LoginReply {
    pub status: Option<String>,
    pub sessionid: SessionId,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The reply of most writes: `{"status": "success", "message": "…"}`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct StatusReply {
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl StatusReply {
    /// `success` (and the manual's `succes`); an absent status counts as success.
    pub fn is_success(&self) -> bool {
        is_success_status(&self.status)
    }
}

/// Whether a reply's `status` says success (the manual also writes `succes`).
pub fn is_success_status(status: &str) -> bool {
    !is_error_status(status)
}

/// Whether a reply's `status` says the request failed (`error`, `fail`, `failed`). Other
/// values are not request outcomes (get_rtp_setting's `status` is the stream state).
pub fn is_error_status(status: &str) -> bool {
    let s = status.trim().to_ascii_lowercase();
    s == "error" || s.starts_with("fail")
}

// ---------------------------------------------------------------------------------------------
// Logs (§2)

/// An event log (§2.1).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Log {
    #[serde(rename = "logID", deserialize_with = "lenient::int")]
    pub log_id: i64,
    #[serde(rename = "userID", default, deserialize_with = "lenient::opt_string")]
    pub user_id: Option<String>,
    pub timestamp: TerminalDateTime,
    #[serde(default)]
    pub trigger: Option<String>,
    #[serde(rename = "terminalSN", default, deserialize_with = "lenient::opt_string")]
    pub terminal_sn: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// An event log with details (§2.2).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct FullLog {
    #[serde(rename = "logID", deserialize_with = "lenient::int")]
    pub log_id: i64,
    #[serde(rename = "userID", default, deserialize_with = "lenient::opt_string")]
    pub user_id: Option<String>,
    #[serde(rename = "userName", default)]
    pub user_name: Option<String>,
    #[serde(rename = "departmentName", default)]
    pub department_name: Option<String>,
    pub timestamp: TerminalDateTime,
    #[serde(default)]
    pub trigger: Option<String>,
    #[serde(rename = "terminalSN", default, deserialize_with = "lenient::opt_string")]
    pub terminal_sn: Option<String>,
    #[serde(rename = "terminalName", default)]
    pub terminal_name: Option<String>,
    /// Absent when the log has no photo.
    #[serde(rename = "jpegPhoto", default)]
    pub jpeg_photo: Option<Base64Blob>,
    #[serde(rename = "accessMethod", default)]
    pub access_method: Option<String>,
    #[serde(default)]
    pub remarks: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A photo reply (get_log_photo §2.3, get_capture_fingerprint §11.11).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Photo {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(rename = "jpegPhoto", default)]
    pub jpeg_photo: Option<Base64Blob>,
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// Users (§3)

/// How a user may identify (§3.1). All seven flags are required when adding a user.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct UserStatus {
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub active: Option<bool>,
    #[serde(rename = "autoMatch", default, deserialize_with = "lenient::opt_bool")]
    pub auto_match: Option<bool>,
    #[serde(rename = "smartCard", default, deserialize_with = "lenient::opt_bool")]
    pub smart_card: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub fingerprint: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub password: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub facial: Option<bool>,
    #[serde(rename = "facialAutoMatch", default, deserialize_with = "lenient::opt_bool")]
    pub facial_auto_match: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl UserStatus {
    /// All seven flags set to the same value.
    pub fn all(on: bool) -> Self {
        UserStatus {
            active: Some(on),
            auto_match: Some(on),
            smart_card: Some(on),
            fingerprint: Some(on),
            password: Some(on),
            facial: Some(on),
            facial_auto_match: Some(on),
            extra: Extra::new(),
        }
    }
    /// An active user identified by any method.
    pub fn active() -> Self {
        UserStatus { facial_auto_match: Some(false), auto_match: Some(false), ..UserStatus::all(true) }
    }
    fn flags(&self) -> [(&'static str, Option<bool>); 7] {
        [
            ("active", self.active),
            ("autoMatch", self.auto_match),
            ("smartCard", self.smart_card),
            ("fingerprint", self.fingerprint),
            ("password", self.password),
            ("facial", self.facial),
            ("facialAutoMatch", self.facial_auto_match),
        ]
    }
}

impl Validate for UserStatus {
    fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
}

/// A credential key (§3.1 `keyrecords`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct KeyRecord {
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub keytype: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub keystring: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub keyid: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub keyenabled: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for KeyRecord {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        require(&self.keytype, at, "keytype", errors);
        require(&self.keystring, at, "keystring", errors);
        require(&self.keyid, at, "keyid", errors);
        require(&self.keyenabled, at, "keyenabled", errors);
    }
}

/// A face (§3.1 `facialrecords`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct FacialRecord {
    #[serde(rename = "FacialTemplateType", default, deserialize_with = "lenient::opt_int")]
    pub facial_template_type: Option<i64>,
    #[serde(rename = "FacialTemplate", default)]
    pub facial_template: Option<Base64Blob>,
    /// Terminals leave the photo out of get_users replies.
    #[serde(rename = "FacialPhoto", default)]
    pub facial_photo: Option<Base64Blob>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for FacialRecord {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        require(&self.facial_template_type, at, "FacialTemplateType", errors);
        require(&self.facial_template, at, "FacialTemplate", errors);
    }
}

/// A user (§3.1, §3.3).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct User {
    #[serde(rename = "userID", default, deserialize_with = "lenient::string")]
    pub user_id: String,
    #[serde(rename = "lastName", default)]
    pub last_name: Option<String>,
    #[serde(rename = "firstName", default)]
    pub first_name: Option<String>,
    #[serde(rename = "otherName", default)]
    pub other_name: Option<String>,
    /// The terminal treats a missing level as PERSONALUSER.
    #[serde(rename = "adminLevel", default)]
    pub admin_level: Option<AdminLevel>,
    #[serde(default)]
    pub password: Option<Secret>,
    /// Access group ids; one integer or an array on the wire.
    #[serde(rename = "groupID", default, deserialize_with = "lenient::opt_many_int")]
    pub group_id: Option<Vec<i64>>,
    /// Department ids; one integer or an array on the wire.
    #[serde(rename = "departmentID", default, deserialize_with = "lenient::opt_many_int")]
    pub department_id: Option<Vec<i64>>,
    #[serde(default)]
    pub status: Option<UserStatus>,
    #[serde(default)]
    pub fingerprints: Option<Base64Blob>,
    #[serde(default, deserialize_with = "lenient::opt_many")]
    pub keyrecords: Option<Vec<KeyRecord>>,
    #[serde(default, deserialize_with = "lenient::opt_many")]
    pub facialrecords: Option<Vec<FacialRecord>>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub cardsn: Option<String>,
    #[serde(rename = "ScoreThreshold", default, deserialize_with = "lenient::opt_int")]
    pub score_threshold: Option<i64>,
    #[serde(default)]
    pub expirydate: Option<Expiry>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl User {
    /// A user with an id and nothing else (enough to update; add needs a status too).
    pub fn new(user_id: impl Into<String>) -> Self {
        User { user_id: user_id.into(), ..User::default() }
    }
    /// add_user's extra rule: `status` with all seven flags (§3.1).
    pub fn validate_new(&self, at: &str, errors: &mut Vec<ValidationError>) {
        match &self.status {
            None => errors.push(ValidationError::missing(child(at, "status"), Rule::UserStatus)),
            Some(s) => {
                for (name, flag) in s.flags() {
                    if flag.is_none() {
                        errors.push(ValidationError::missing(child(&child(at, "status"), name), Rule::UserStatus));
                    }
                }
            }
        }
        // §3.1: a new face needs its photo (replies leave it out, so updates do not).
        for (i, f) in self.facialrecords.iter().flatten().enumerate() {
            require(&f.facial_photo, &child(at, &format!("facialrecords[{i}]")), "FacialPhoto", errors);
        }
    }
}

impl Validate for User {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if self.user_id.trim().is_empty() {
            errors.push(ValidationError::new(child(at, "userID"), self.user_id.as_str(), Rule::UserId));
        }
        self.admin_level.validate_at(&child(at, "adminLevel"), errors);
        self.keyrecords.validate_at(&child(at, "keyrecords"), errors);
        self.facialrecords.validate_at(&child(at, "facialrecords"), errors);
    }
}

/// update_myself's body (§8.2): only these fields can be changed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct MyselfUpdate {
    #[serde(rename = "userID", default, deserialize_with = "lenient::string")]
    pub user_id: String,
    #[serde(rename = "lastName", default)]
    pub last_name: Option<String>,
    #[serde(rename = "firstName", default)]
    pub first_name: Option<String>,
    #[serde(rename = "otherName", default)]
    pub other_name: Option<String>,
    #[serde(default)]
    pub password: Option<Secret>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub cardsn: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for MyselfUpdate {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if self.user_id.trim().is_empty() {
            errors.push(ValidationError::new(child(at, "userID"), self.user_id.as_str(), Rule::UserId));
        }
    }
}

/// A user's message (get/set_user_message §3.9–3.10).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct UserMessage {
    #[serde(default, deserialize_with = "lenient::string")]
    pub usermessage: String,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for UserMessage {
    fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
}

/// get_user_count's reply (§3.12).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct UserCount {
    #[serde(deserialize_with = "lenient::int")]
    pub usercount: i64,
    #[serde(flatten)]
    pub extra: Extra,
}

/// get_user_api_totp's reply (§3.14).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Totp {
    pub format: TotpType,
    #[serde(default)]
    pub expiry: Option<TerminalDateTime>,
    /// Base64 for the QR formats, raw text for QR_PLAINTEXT, 8 digits for OTP_PASSCODE.
    #[serde(default, deserialize_with = "lenient::string")]
    pub data: String,
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// Departments (§4), access rights (§5), access groups (§6), triggers (§7)

/// A department (§4).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Department {
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub id: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Department {
    pub fn new(id: i64, name: impl Into<String>, description: impl Into<String>) -> Self {
        Department { id: Some(id), name: Some(name.into()), description: Some(description.into()), extra: Extra::new() }
    }
}

impl Validate for Department {
    fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
}

/// One day of a schedule: a weekday and its 48 half-hour slots (§5.1, §7.2).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct TimeSpec {
    pub weekday: Weekday,
    #[serde(rename = "timePattern")]
    pub time_pattern: TimePattern,
    #[serde(flatten)]
    pub extra: Extra,
}

impl TimeSpec {
    pub fn new(weekday: Weekday, time_pattern: TimePattern) -> Self {
        TimeSpec { weekday, time_pattern, extra: Extra::new() }
    }
}

impl Validate for TimeSpec {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.weekday.validate_at(&child(at, "weekday"), errors);
    }
}

/// A timespec entry as read: the older API let one entry name a list of weekdays (E4).
#[derive(Deserialize)]
struct RawTimeSpec {
    #[serde(deserialize_with = "lenient::many")]
    weekday: Vec<Weekday>,
    #[serde(rename = "timePattern")]
    time_pattern: TimePattern,
    #[serde(flatten)]
    extra: Extra,
}

impl<'de> Deserialize<'de> for TimeSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawTimeSpec::deserialize(d)?;
        let weekday = raw.weekday.into_iter().next().ok_or_else(|| serde::de::Error::custom("empty weekday list"))?;
        Ok(TimeSpec { weekday, time_pattern: raw.time_pattern, extra: raw.extra })
    }
}

/// Reads a `timespec` list: one entry or many, an entry with a weekday list becoming one entry
/// per weekday.
fn timespecs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<TimeSpec>>, D::Error> {
    let raw: Option<Vec<RawTimeSpec>> = lenient::opt_many(d)?;
    Ok(raw.map(|list| {
        list.into_iter()
            .flat_map(|r| {
                let (pattern, extra) = (r.time_pattern, r.extra);
                r.weekday.into_iter().map(move |w| TimeSpec { weekday: w, time_pattern: pattern, extra: extra.clone() })
            })
            .collect()
    }))
}

/// An access right: a named weekly schedule (§5, E4).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct AccessRight {
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub id: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "timespecs")]
    pub timespec: Option<Vec<TimeSpec>>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for AccessRight {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.timespec.validate_at(&child(at, "timespec"), errors);
    }
}

/// An access group: a department's set of access rights (§6).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct AccessGroup {
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub id: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub departmentid: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_many_int")]
    pub accessrightid: Option<Vec<i64>>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for AccessGroup {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        require(&self.departmentid, at, "departmentid", errors);
    }
}

/// A trigger and its schedule (§7).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Trigger {
    #[serde(rename = "type")]
    pub trigger_type: TriggerType,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub enable: Option<bool>,
    /// Only on F1 … F10.
    #[serde(rename = "freeJobcode", default, deserialize_with = "lenient::opt_bool")]
    pub free_jobcode: Option<bool>,
    #[serde(default, deserialize_with = "timespecs")]
    pub timespec: Option<Vec<TimeSpec>>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Trigger {
    pub fn new(trigger_type: TriggerType) -> Self {
        Trigger { trigger_type, name: None, enable: None, free_jobcode: None, timespec: None, extra: Extra::new() }
    }
}

impl Validate for Trigger {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.trigger_type.validate_at(&child(at, "type"), errors);
        if self.free_jobcode == Some(true) && self.trigger_type.is_known() && !self.trigger_type.allows_free_jobcode() {
            errors.push(ValidationError::new(
                child(at, "freeJobcode"),
                format!("true on {}", self.trigger_type),
                Rule::FreeJobcode,
            ));
        }
        self.timespec.validate_at(&child(at, "timespec"), errors);
    }
}

impl TriggerType {
    fn is_known(&self) -> bool {
        !matches!(self, TriggerType::Unknown(_))
    }
}

// ---------------------------------------------------------------------------------------------
// Agents (§9), time (§10)

/// register_agent's body (§9.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct AgentRegistration {
    pub url: AgentUrl,
    #[serde(rename = "agentVersion", default = "default_agent_version")]
    pub agent_version: String,
    #[serde(default)]
    pub magic: String,
    #[serde(
        rename = "initSync",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub init_sync: Option<bool>,
}

fn default_agent_version() -> String {
    "1.2".to_string()
}

impl AgentRegistration {
    /// Version "1.2", empty magic: the terminal's own defaults.
    pub fn new(url: AgentUrl) -> Self {
        AgentRegistration { url, agent_version: default_agent_version(), magic: String::new(), init_sync: None }
    }
}

impl Validate for AgentRegistration {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.url.validate_at(&child(at, "url"), errors);
    }
}

/// A registered agent (§9.3).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Agent {
    #[serde(deserialize_with = "lenient::string")]
    pub url: String,
    #[serde(rename = "registrationTime", default)]
    pub registration_time: Option<TerminalDateTime>,
    #[serde(rename = "lastUpdate", default)]
    pub last_update: Option<TerminalDateTime>,
    #[serde(rename = "lastCheck", default)]
    pub last_check: Option<TerminalDateTime>,
    #[serde(rename = "lastCheckStatus", default, deserialize_with = "lenient::opt_bool")]
    pub last_check_status: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub active: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// NTP setting (§10.1–10.2). Several servers are separated by spaces.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Ntp {
    #[serde(default, deserialize_with = "lenient::string")]
    pub serveraddr: String,
    #[serde(default, deserialize_with = "lenient::bool")]
    pub enable: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for Ntp {
    fn validate_at(&self, _: &str, _: &mut Vec<ValidationError>) {}
}

/// The terminal's clock (§10.3–10.4). get_time answers local time (no `Z`); set_time takes
/// either.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct TerminalTime {
    #[serde(rename = "currentTime")]
    pub current_time: TerminalDateTime,
    pub timezone: TimeZoneId,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for TerminalTime {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.timezone.validate_at(&child(at, "timezone"), errors);
    }
}

// ---------------------------------------------------------------------------------------------
// Terminal functions (§11)

/// get_api_version's reply (§11.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct ApiVersion {
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub version: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// get_terminal_status's reply (§11.3).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct TerminalStatus {
    #[serde(rename = "serialNumber", default, deserialize_with = "lenient::opt_string")]
    pub serial_number: Option<String>,
    #[serde(rename = "FAMVersion", default, deserialize_with = "lenient::opt_string")]
    pub fam_version: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(rename = "registeredUsers", default, deserialize_with = "lenient::opt_int")]
    pub registered_users: Option<i64>,
    #[serde(rename = "maximumUsers", default, deserialize_with = "lenient::opt_int")]
    pub maximum_users: Option<i64>,
    #[serde(rename = "automatchUsers", default, deserialize_with = "lenient::opt_int")]
    pub automatch_users: Option<i64>,
    #[serde(rename = "maximumAutomatchUsers", default, deserialize_with = "lenient::opt_int")]
    pub maximum_automatch_users: Option<i64>,
    #[serde(rename = "currentStatus", default)]
    pub current_status: Option<String>,
    #[serde(rename = "firmwareVersion", default, deserialize_with = "lenient::opt_string")]
    pub firmware_version: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A relay's setting (§11.5–11.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct RelaySetting {
    pub id: RelayId,
    pub option: RelayOption,
    pub delay: RelayDelay,
    #[serde(flatten)]
    pub extra: Extra,
}

impl RelaySetting {
    pub fn new(id: RelayId, option: RelayOption, delay: RelayDelay) -> Self {
        RelaySetting { id, option, delay, extra: Extra::new() }
    }
}

impl Validate for RelaySetting {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.id.validate_at(&child(at, "id"), errors);
        self.option.validate_at(&child(at, "option"), errors);
        if self.option.is_known() && !self.option.allowed_on(&self.id) {
            errors.push(ValidationError::new(
                child(at, "option"),
                format!("{} on relay {}", self.option, self.id),
                Rule::RelayOption,
            ));
        }
        self.delay.validate_at(&child(at, "delay"), errors);
    }
}

/// Auto in/out and related modes (§11.7–11.8).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct AutoInOut {
    pub mode: AutoInOutMode,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub auto_reset: Option<bool>,
    #[serde(rename = "rejectRepeat_time_sec", default)]
    pub reject_repeat_time_sec: Option<RejectRepeatSeconds>,
    #[serde(default)]
    pub lockout_time_min: Option<LockoutMinutes>,
    #[serde(default)]
    pub crowd_limit_count: Option<CrowdLimit>,
    #[serde(default)]
    pub crowd_reset_hhmm: Option<HhMm>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl AutoInOut {
    pub fn new(mode: AutoInOutMode) -> Self {
        AutoInOut {
            mode,
            auto_reset: None,
            reject_repeat_time_sec: None,
            lockout_time_min: None,
            crowd_limit_count: None,
            crowd_reset_hhmm: None,
            extra: Extra::new(),
        }
    }
}

impl Validate for AutoInOut {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.mode.validate_at(&child(at, "mode"), errors);
        self.reject_repeat_time_sec.validate_at(&child(at, "rejectRepeat_time_sec"), errors);
        self.lockout_time_min.validate_at(&child(at, "lockout_time_min"), errors);
        self.crowd_limit_count.validate_at(&child(at, "crowd_limit_count"), errors);
    }
}

/// get_log_unauthorized_event's reply (§11.10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct LogUnauthorizedEvent {
    #[serde(deserialize_with = "lenient::bool")]
    pub enable: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Video streaming (§11.12–11.13). `sdpfile` and `status` are reported by the terminal and
/// ignored by set_rtp_setting.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct RtpSetting {
    pub mode: RtpMode,
    /// The SRTP key (a secret: never shown by `Debug`).
    #[serde(default)]
    pub key: Option<Secret>,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub fps: Option<Fps>,
    #[serde(default)]
    pub stun: Option<String>,
    #[serde(default)]
    pub sdpfile: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl RtpSetting {
    pub fn new(mode: RtpMode) -> Self {
        RtpSetting {
            mode,
            key: None,
            target: None,
            fps: None,
            stun: None,
            sdpfile: None,
            status: None,
            extra: Extra::new(),
        }
    }
}

impl Validate for RtpSetting {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.mode.validate_at(&child(at, "mode"), errors);
        self.fps.validate_at(&child(at, "fps"), errors);
        if self.mode == RtpMode::Srtp && self.key.as_ref().is_none_or(|k| k.expose().trim().is_empty()) {
            let value = if self.key.is_none() { "<missing>" } else { "" };
            errors.push(ValidationError::new(child(at, "key"), value, Rule::RtpKey));
        }
    }
}

/// get_consent's reply (§11.15).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Consent {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::bool")]
    pub enable: bool,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Log setting (§11.16–11.17).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct LogSetting {
    #[serde(default)]
    pub log_event: Option<LogEvent>,
    #[serde(default)]
    pub log_size: Option<LogSize>,
    #[serde(rename = "log_unAuth_event", default, deserialize_with = "lenient::opt_bool")]
    pub log_unauth_event: Option<bool>,
    #[serde(rename = "log_Accept_nonRegistered_card", default, deserialize_with = "lenient::opt_bool")]
    pub log_accept_non_registered_card: Option<bool>,
    #[serde(rename = "log_photo_Auth_event", default, deserialize_with = "lenient::opt_bool")]
    pub log_photo_auth_event: Option<bool>,
    #[serde(rename = "log_photo_unAuth_event", default, deserialize_with = "lenient::opt_bool")]
    pub log_photo_unauth_event: Option<bool>,
    #[serde(rename = "log_Accept_nonRegistered_facial", default, deserialize_with = "lenient::opt_bool")]
    pub log_accept_non_registered_facial: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub log_case_event: Option<bool>,
    #[serde(rename = "log_EM_Option", default)]
    pub log_em_option: Option<EmOption>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for LogSetting {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.log_event.validate_at(&child(at, "log_event"), errors);
        self.log_size.validate_at(&child(at, "log_size"), errors);
        self.log_em_option.validate_at(&child(at, "log_EM_Option"), errors);
    }
}

// ---------------------------------------------------------------------------------------------
// Job codes (§12)

/// One of the three job code settings (§12.1).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct JobCodeSetting {
    pub jobcode: JobCodeSettingId,
    #[serde(default)]
    pub name: Option<String>,
    /// enable or disable (`default` is for job codes only).
    #[serde(default)]
    pub enable: Option<JobCodeEnable>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for JobCodeSetting {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.jobcode.validate_at(&child(at, "jobcode"), errors);
        self.enable.validate_at(&child(at, "enable"), errors);
        if self.enable == Some(JobCodeEnable::Default) {
            errors.push(ValidationError::new(child(at, "enable"), "default", Rule::JobCodeEnable));
        }
    }
}

/// A job code within a setting (§12.3).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct JobCode {
    pub jobcode: JobCodeSettingId,
    pub id: JobCodeId,
    #[serde(default)]
    pub name: Option<String>,
    /// enable, disable or default; at most one default per setting.
    #[serde(default)]
    pub enable: Option<JobCodeEnable>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for JobCode {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.jobcode.validate_at(&child(at, "jobcode"), errors);
        self.id.validate_at(&child(at, "id"), errors);
        self.enable.validate_at(&child(at, "enable"), errors);
    }
}

/// §12.3: at most one job code per setting may be `default` (checked within one request).
pub(crate) fn check_one_default(codes: &[JobCode], at: &str, errors: &mut Vec<ValidationError>) {
    let mut seen = std::collections::HashSet::new();
    for (i, c) in codes.iter().enumerate() {
        if c.enable == Some(JobCodeEnable::Default) && !seen.insert(c.jobcode) {
            errors.push(ValidationError::new(
                child(&child(at, &format!("[{i}]")), "enable"),
                format!("second default in jobcode setting {}", c.jobcode),
                Rule::JobCodeOneDefault,
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Holidays (§13)

/// A list of holidays: get_holidays' reply, set/delete_holidays' body (E9).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Holidays {
    #[serde(default, deserialize_with = "lenient::many")]
    pub dates: Vec<HolidayDate>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Holidays {
    pub fn new(dates: Vec<HolidayDate>) -> Self {
        Holidays { dates, extra: Extra::new() }
    }
}

impl Validate for Holidays {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if self.dates.is_empty() {
            errors.push(ValidationError::missing(child(at, "dates"), Rule::Required));
        }
    }
}

/// set/delete_holidays' reply: what was refused is listed as the terminal wrote it.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct HolidaysReply {
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: String,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_many")]
    pub invalid_dates: Option<Vec<String>>,
    #[serde(flatten)]
    pub extra: Extra,
}

pub(crate) fn require_texts(v: &Option<String>, at: &str, field: &str, rule: Rule, errors: &mut Vec<ValidationError>) {
    require_text(v, at, field, rule, errors)
}

pub(crate) fn require_some<T>(v: &Option<T>, at: &str, field: &str, errors: &mut Vec<ValidationError>) {
    require(v, at, field, errors)
}

single_reply!(
    LoginReply,
    StatusReply,
    Photo,
    User,
    UserMessage,
    UserCount,
    Totp,
    Agent,
    Ntp,
    TerminalTime,
    ApiVersion,
    TerminalStatus,
    AutoInOut,
    LogUnauthorizedEvent,
    RtpSetting,
    Consent,
    LogSetting,
    Holidays,
    HolidaysReply,
);
