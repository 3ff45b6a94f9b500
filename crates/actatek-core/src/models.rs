//! Request and reply bodies, with the manual's field names on the wire. Every record keeps the
//! fields it does not model (and values a field could not read) in `extra`, so get → modify →
//! update loses nothing; see [`crate::record`] for how records are read and written.

#![allow(non_snake_case)]

use crate::datetime::{Expiry, TerminalDateTime};
use crate::error::{Rule, ValidationError};
use crate::format::{Described, FieldFormat, ValueFormat};
use crate::lenient;
use crate::record::{RecordRules, record};
use crate::validate::{Validate, child};
use crate::values::*;
pub use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// Fields a terminal sent that this library does not model (or could not read as the field's
/// type), by wire name; written back unchanged.
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

impl Described for Credentials {
    const NAME: &'static str = "Credentials";
    const FORMAT: ValueFormat = ValueFormat::record(
        "Credentials",
        "login's body (§1.1).",
        &[
            FieldFormat::new("username", "username", &<String as Described>::FORMAT).required(),
            FieldFormat::new("password", "password", &<Secret as Described>::FORMAT).required(),
        ],
    );
}

impl Validate for Credentials {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if self.username.is_empty() {
            errors.push(ValidationError::new(child(at, "username"), "", Rule::Required));
        }
    }
}

impl crate::record::WriteMembers for Credentials {
    fn serialize_for_write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}

record! {
    /// login's reply: the session id comes as a number or a string.
    pub struct LoginReply {
        pub status: String = "status",
        pub sessionid: SessionId = "sessionid",
    }
}
impl RecordRules for LoginReply {}

record! {
    /// The reply of most writes: `{"status": "success", "message": "…"}`.
    pub struct StatusReply {
        pub status: String = "status",
        pub message: String = "message",
    }
}
impl RecordRules for StatusReply {}

impl StatusReply {
    /// `success` (and the manual's `succes`); an absent status counts as success.
    pub fn is_success(&self) -> bool {
        is_success_status(self.status.as_deref().unwrap_or(""))
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

// The log records' text fields are `CompactString`s (`as_str()`, `Deref<Target = str>`,
// `From<&str>`, `From<String>`): a terminal's ids, names and words are short, and up to 24
// bytes are kept inline, so a reply of 100,000 logs is not a million small heap strings (a
// fifth of the peak memory of a `get_full_logs` in Python, and of the time spent in malloc).
// The other records are read far less often and keep `String`.
record! {
    /// An event log (§2.1). Any field may be missing on some firmware, the timestamp too.
    pub struct Log {
        pub log_id: i64 = "logID",
        pub user_id: CompactString = "userID",
        pub timestamp: TerminalDateTime = "timestamp",
        pub trigger: CompactString = "trigger",
        pub terminal_sn: CompactString = "terminalSN",
    }
}
impl RecordRules for Log {}

record! {
    /// An event log with details (§2.2).
    pub struct FullLog {
        pub log_id: i64 = "logID",
        pub user_id: CompactString = "userID",
        pub user_name: CompactString = "userName",
        pub department_name: CompactString = "departmentName",
        pub timestamp: TerminalDateTime = "timestamp",
        pub trigger: CompactString = "trigger",
        pub terminal_sn: CompactString = "terminalSN",
        pub terminal_name: CompactString = "terminalName",
        /// Absent when the log has no photo.
        pub jpeg_photo: Base64Blob = "jpegPhoto",
        pub access_method: CompactString = "accessMethod",
        pub remarks: CompactString = "remarks",
    }
}
impl RecordRules for FullLog {}

record! {
    /// A photo reply (get_log_photo §2.3, get_capture_fingerprint §11.11).
    pub struct Photo {
        pub status: String = "status",
        pub jpeg_photo: Base64Blob = "jpegPhoto",
    }
}
impl RecordRules for Photo {}

// ---------------------------------------------------------------------------------------------
// Users (§3)

record! {
    /// How a user may identify (§3.1). All seven flags are required when adding a user.
    pub struct UserStatus {
        pub active: bool = "active",
        pub auto_match: bool = "autoMatch",
        pub smart_card: bool = "smartCard",
        pub fingerprint: bool = "fingerprint",
        pub password: bool = "password",
        pub facial: bool = "facial",
        pub facial_auto_match: bool = "facialAutoMatch",
    }
}
impl RecordRules for UserStatus {}

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

record! {
    /// A credential key (§3.1 `keyrecords`).
    pub struct KeyRecord {
        pub keytype: i64 = "keytype" required,
        pub keystring: String = "keystring" required,
        pub keyid: String = "keyid" required,
        pub keyenabled: bool = "keyenabled" required,
    }
}

impl RecordRules for KeyRecord {}

record! {
    /// A face (§3.1 `facialrecords`).
    pub struct FacialRecord {
        pub facial_template_type: i64 = "FacialTemplateType" required,
        pub facial_template: Base64Blob = "FacialTemplate" required,
        /// Terminals leave the photo out of get_users replies.
        pub facial_photo: Base64Blob = "FacialPhoto",
    }
}

impl RecordRules for FacialRecord {}

record! {
    /// A user (§3.1, §3.3).
    pub struct User {
        /// Required when writing.
        pub user_id: String = "userID" required(UserId),
        pub last_name: String = "lastName",
        pub first_name: String = "firstName",
        pub other_name: String = "otherName",
        /// The terminal treats a missing level as PERSONALUSER.
        pub admin_level: AdminLevel = "adminLevel",
        pub password: Secret = "password",
        /// Access group ids; one integer or an array on the wire.
        pub group_id: Vec<i64> = "groupID",
        /// Department ids; one integer or an array on the wire.
        pub department_id: Vec<i64> = "departmentID",
        pub status: UserStatus = "status",
        pub fingerprints: Base64Blob = "fingerprints",
        /// One object or an array on the wire.
        pub keyrecords: Vec<KeyRecord> = "keyrecords",
        /// One object or an array on the wire.
        pub facialrecords: Vec<FacialRecord> = "facialrecords",
        pub cardsn: String = "cardsn",
        pub score_threshold: i64 = "ScoreThreshold",
        /// A date-time, or `0` (never expires).
        pub expirydate: Expiry = "expirydate",
        pub message: String = "message",
    }
}

impl User {
    /// A user with an id and nothing else (enough to update; add needs a status too).
    pub fn new(user_id: impl Into<String>) -> Self {
        User { user_id: Some(user_id.into()), ..User::default() }
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

impl RecordRules for User {
    fn rules(&self, at: &str, errors: &mut Vec<ValidationError>) {
        match self.user_id.as_deref() {
            Some(id) if !id.trim().is_empty() => {}
            Some(id) => errors.push(ValidationError::new(child(at, "userID"), id, Rule::UserId)),
            None => {} // absent: the declaration's `required(UserId)`
        }
    }
}

/// update_myself's body (§8.2): only these fields can be changed.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
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

/// What `#[derive(Deserialize)]` with `#[serde(flatten)] extra` reads (the same fields, serde's
/// duplicate-field error, every other member into `extra`), without the derive's buffering of
/// the whole object for the flattened map (serde's `Content` reader, 6 KB of the browser's
/// `.wasm` for this one type).
impl<'de> Deserialize<'de> for MyselfUpdate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
        const NAMES: [&str; 6] = ["userID", "lastName", "firstName", "otherName", "password", "cardsn"];

        /// `userID` and `cardsn`: text a terminal may also send as a number.
        struct Text;
        impl<'de> DeserializeSeed<'de> for Text {
            type Value = Option<String>;
            fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
                lenient::opt_string(d)
            }
        }

        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MyselfUpdate;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("struct MyselfUpdate")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MyselfUpdate, A::Error> {
                let mut out = MyselfUpdate::default();
                let mut seen = [false; 6];
                while let Some(key) = map.next_key::<String>()? {
                    let Some(i) = NAMES.iter().position(|n| *n == key) else {
                        let value: Value = map.next_value()?;
                        out.extra.insert(key, value);
                        continue;
                    };
                    if std::mem::replace(&mut seen[i], true) {
                        return Err(de::Error::duplicate_field(NAMES[i]));
                    }
                    match i {
                        0 => out.user_id = map.next_value_seed(Text)?.unwrap_or_default(),
                        1 => out.last_name = map.next_value()?,
                        2 => out.first_name = map.next_value()?,
                        3 => out.other_name = map.next_value()?,
                        4 => out.password = map.next_value()?,
                        _ => out.cardsn = map.next_value_seed(Text)?,
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

impl Described for MyselfUpdate {
    const NAME: &'static str = "MyselfUpdate";
    const FORMAT: ValueFormat = ValueFormat::record(
        "MyselfUpdate",
        "update_myself's body (§8.2): only these fields can be changed.",
        &[
            FieldFormat::new("user_id", "userID", &<String as Described>::FORMAT).required(),
            FieldFormat::new("last_name", "lastName", &<String as Described>::FORMAT),
            FieldFormat::new("first_name", "firstName", &<String as Described>::FORMAT),
            FieldFormat::new("other_name", "otherName", &<String as Described>::FORMAT),
            FieldFormat::new("password", "password", &<Secret as Described>::FORMAT),
            FieldFormat::new("cardsn", "cardsn", &<String as Described>::FORMAT),
        ],
    );
}

impl Validate for MyselfUpdate {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if self.user_id.trim().is_empty() {
            errors.push(ValidationError::new(child(at, "userID"), self.user_id.as_str(), Rule::UserId));
        }
    }
}

impl crate::record::WriteMembers for MyselfUpdate {
    fn serialize_for_write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}

record! {
    /// A user's message (get/set_user_message §3.9–3.10).
    pub struct UserMessage {
        pub usermessage: String = "usermessage" required,
    }
}

impl UserMessage {
    pub fn new(text: impl Into<String>) -> Self {
        UserMessage { usermessage: Some(text.into()), extra: Extra::new() }
    }
}

impl RecordRules for UserMessage {}

record! {
    /// get_user_count's reply (§3.12).
    pub struct UserCount {
        pub usercount: i64 = "usercount",
    }
}
impl RecordRules for UserCount {}

record! {
    /// get_user_api_totp's reply (§3.14).
    pub struct Totp {
        pub format: TotpType = "format",
        pub expiry: TerminalDateTime = "expiry",
        /// Base64 for the QR formats, raw text for QR_PLAINTEXT, 8 digits for OTP_PASSCODE.
        pub data: String = "data",
    }
}
impl RecordRules for Totp {}

// ---------------------------------------------------------------------------------------------
// Departments (§4), access rights (§5), access groups (§6), triggers (§7)

record! {
    /// A department (§4).
    pub struct Department {
        pub id: i64 = "id",
        pub name: String = "name",
        pub description: String = "description",
    }
}
impl RecordRules for Department {}

impl Department {
    pub fn new(id: i64, name: impl Into<String>, description: impl Into<String>) -> Self {
        Department { id: Some(id), name: Some(name.into()), description: Some(description.into()), extra: Extra::new() }
    }
}

record! {
    /// One day of a schedule: a weekday and its 48 half-hour slots (§5.1, §7.2). Read from the
    /// older API, an entry naming several weekdays becomes one entry per weekday (E4).
    pub struct TimeSpec {
        pub weekday: Weekday = "weekday" required,
        pub time_pattern: TimePattern = "timePattern" required,
    }
}

impl TimeSpec {
    pub fn new(weekday: Weekday, time_pattern: TimePattern) -> Self {
        TimeSpec { weekday: Some(weekday), time_pattern: Some(time_pattern), extra: Extra::new() }
    }
}

/// A field that must be given when writing, unless a value the terminal sent (and that failed
/// its rule, reported by the record) stands there.
fn require_field<T>(v: &Option<T>, extra: &Extra, at: &str, field: &str, errors: &mut Vec<ValidationError>) {
    if v.is_none() && !extra.contains_key(field) {
        errors.push(ValidationError::missing(child(at, field), Rule::Required));
    }
}

impl RecordRules for TimeSpec {}

record! {
    /// An access right: a named weekly schedule (§5, E4). The older SOAP API's `accessID` and
    /// `timeSpec` are read as `id` and `timespec`.
    pub struct AccessRight {
        pub id: i64 = "id" ["accessID"],
        pub name: String = "name",
        pub timespec: Vec<TimeSpec> = "timespec" ["timeSpec"],
    }
}
impl RecordRules for AccessRight {}

record! {
    /// An access group: a department's set of access rights (§6).
    pub struct AccessGroup {
        pub id: i64 = "id",
        pub name: String = "name",
        pub departmentid: i64 = "departmentid" required,
        /// One integer or an array on the wire.
        pub accessrightid: Vec<i64> = "accessrightid",
    }
}

impl RecordRules for AccessGroup {}

record! {
    /// A trigger and its schedule (§7). The older SOAP API's `timeSpec` is read as `timespec`.
    pub struct Trigger {
        /// IN, OUT or F1 … F40; required when writing.
        pub trigger_type: TriggerType = "type" required,
        pub name: String = "name",
        pub enable: bool = "enable",
        /// Only on F1 … F10.
        pub free_jobcode: bool = "freeJobcode",
        pub timespec: Vec<TimeSpec> = "timespec" ["timeSpec"],
    }
}

impl Trigger {
    pub fn new(trigger_type: TriggerType) -> Self {
        Trigger { trigger_type: Some(trigger_type), ..Trigger::default() }
    }
}

impl RecordRules for Trigger {
    fn rules(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if let Some(t) = &self.trigger_type
            && self.free_jobcode == Some(true)
            && t.is_known()
            && !t.allows_free_jobcode()
        {
            errors.push(ValidationError::new(child(at, "freeJobcode"), format!("true on {t}"), Rule::FreeJobcode));
        }
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

impl Described for AgentRegistration {
    const NAME: &'static str = "AgentRegistration";
    const FORMAT: ValueFormat = ValueFormat::record(
        "AgentRegistration",
        "register_agent's body (§9.1); agentVersion defaults to \"1.2\", magic to \"\".",
        &[
            FieldFormat::new("url", "url", &<AgentUrl as Described>::FORMAT).required(),
            FieldFormat::new("agent_version", "agentVersion", &<String as Described>::FORMAT),
            FieldFormat::new("magic", "magic", &<String as Described>::FORMAT),
            FieldFormat::new("init_sync", "initSync", &<bool as Described>::FORMAT),
        ],
    );
}

impl Validate for AgentRegistration {
    fn validate_at(&self, at: &str, errors: &mut Vec<ValidationError>) {
        self.url.validate_at(&child(at, "url"), errors);
    }
}

impl crate::record::WriteMembers for AgentRegistration {
    fn serialize_for_write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}

record! {
    /// A registered agent (§9.3).
    pub struct Agent {
        pub url: String = "url",
        pub registration_time: TerminalDateTime = "registrationTime",
        pub last_update: TerminalDateTime = "lastUpdate",
        pub last_check: TerminalDateTime = "lastCheck",
        pub last_check_status: bool = "lastCheckStatus",
        pub active: bool = "active",
    }
}
impl RecordRules for Agent {}

record! {
    /// NTP setting (§10.1–10.2). Several servers are separated by spaces.
    pub struct Ntp {
        pub serveraddr: String = "serveraddr" required,
        pub enable: bool = "enable" required,
    }
}

impl Ntp {
    pub fn new(serveraddr: impl Into<String>, enable: bool) -> Self {
        Ntp { serveraddr: Some(serveraddr.into()), enable: Some(enable), extra: Extra::new() }
    }
}

impl RecordRules for Ntp {}

record! {
    /// The terminal's clock (§10.3–10.4). get_time answers local time (no `Z`); set_time takes
    /// either.
    pub struct TerminalTime {
        pub current_time: TerminalDateTime = "currentTime" required,
        pub timezone: TimeZoneId = "timezone" required,
    }
}

impl TerminalTime {
    pub fn new(current_time: TerminalDateTime, timezone: TimeZoneId) -> Self {
        TerminalTime { current_time: Some(current_time), timezone: Some(timezone), extra: Extra::new() }
    }
}

impl RecordRules for TerminalTime {}

// ---------------------------------------------------------------------------------------------
// Terminal functions (§11)

record! {
    /// get_api_version's reply (§11.2).
    pub struct ApiVersion {
        pub name: String = "name",
        pub version: String = "version",
    }
}
impl RecordRules for ApiVersion {}

record! {
    /// get_terminal_status's reply (§11.3).
    pub struct TerminalStatus {
        pub serial_number: String = "serialNumber",
        pub fam_version: String = "FAMVersion",
        pub description: String = "description",
        pub registered_users: i64 = "registeredUsers",
        pub maximum_users: i64 = "maximumUsers",
        pub automatch_users: i64 = "automatchUsers",
        pub maximum_automatch_users: i64 = "maximumAutomatchUsers",
        pub current_status: String = "currentStatus",
        pub firmware_version: String = "firmwareVersion",
    }
}
impl RecordRules for TerminalStatus {}

record! {
    /// A relay's setting (§11.5–11.6). id, option and delay are required when writing.
    pub struct RelaySetting {
        pub id: RelayId = "id" required,
        pub option: RelayOption = "option" required,
        /// Seconds: 1–1800 (1–20 while the door-open schedule is disabled; the terminal checks that).
        pub delay: RelayDelay = "delay" required,
    }
}

impl RelaySetting {
    pub fn new(id: RelayId, option: RelayOption, delay: RelayDelay) -> Self {
        RelaySetting { id: Some(id), option: Some(option), delay: Some(delay), extra: Extra::new() }
    }
}

impl RecordRules for RelaySetting {
    fn rules(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if let (Some(id), Some(option)) = (&self.id, &self.option)
            && option.is_known()
            && !option.allowed_on(id)
        {
            errors.push(ValidationError::new(
                child(at, "option"),
                format!("{option} on relay {id}"),
                Rule::RelayOption,
            ));
        }
    }
}

record! {
    /// Auto in/out and related modes (§11.7–11.8). `mode` is required when writing.
    pub struct AutoInOut {
        pub mode: AutoInOutMode = "mode" required,
        pub auto_reset: bool = "auto_reset",
        pub reject_repeat_time_sec: RejectRepeatSeconds = "rejectRepeat_time_sec",
        pub lockout_time_min: LockoutMinutes = "lockout_time_min",
        pub crowd_limit_count: CrowdLimit = "crowd_limit_count",
        pub crowd_reset_hhmm: HhMm = "crowd_reset_hhmm",
    }
}

impl AutoInOut {
    pub fn new(mode: AutoInOutMode) -> Self {
        AutoInOut { mode: Some(mode), ..AutoInOut::default() }
    }
}

impl RecordRules for AutoInOut {}

record! {
    /// get_log_unauthorized_event's reply (§11.10).
    pub struct LogUnauthorizedEvent {
        pub enable: bool = "enable",
    }
}
impl RecordRules for LogUnauthorizedEvent {}

record! {
    /// Video streaming (§11.12–11.13). `sdpfile` and `status` are reported by the terminal and
    /// never written back (§11.12 lists neither). `mode` is required when writing.
    pub struct RtpSetting {
        pub mode: RtpMode = "mode" required,
        /// The SRTP key (a secret: never shown by `Debug`).
        pub key: Secret = "key",
        pub target: String = "target",
        pub fps: Fps = "fps",
        pub stun: String = "stun",
        /// Reported by the terminal only.
        pub sdpfile: String = "sdpfile" reported,
        /// The stream's state, reported by the terminal only.
        pub status: String = "status" reported,
    }
}

impl RtpSetting {
    pub fn new(mode: RtpMode) -> Self {
        RtpSetting { mode: Some(mode), ..RtpSetting::default() }
    }
}

impl RecordRules for RtpSetting {
    fn rules(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if self.mode == Some(RtpMode::Srtp) && self.key.as_ref().is_none_or(|k| k.expose().trim().is_empty()) {
            let value = if self.key.is_none() { "<missing>" } else { "" };
            errors.push(ValidationError::new(child(at, "key"), value, Rule::RtpKey));
        }
    }
}

record! {
    /// get_consent's reply (§11.15).
    pub struct Consent {
        pub status: String = "status",
        pub enable: bool = "enable",
        pub display_name: String = "display_name",
    }
}
impl RecordRules for Consent {}

record! {
    /// Log setting (§11.16–11.17). `log_unAuth_event` is the setting of §11.9 too.
    pub struct LogSetting {
        pub log_event: LogEvent = "log_event",
        pub log_size: LogSize = "log_size",
        pub log_unauth_event: bool = "log_unAuth_event",
        pub log_accept_non_registered_card: bool = "log_Accept_nonRegistered_card",
        pub log_photo_auth_event: bool = "log_photo_Auth_event",
        pub log_photo_unauth_event: bool = "log_photo_unAuth_event",
        pub log_accept_non_registered_facial: bool = "log_Accept_nonRegistered_facial",
        pub log_case_event: bool = "log_case_event",
        pub log_em_option: EmOption = "log_EM_Option",
    }
}
impl RecordRules for LogSetting {}

// ---------------------------------------------------------------------------------------------
// Job codes (§12)

record! {
    /// One of the three job code settings (§12.1). `jobcode` is required when writing.
    pub struct JobCodeSetting {
        pub jobcode: JobCodeSettingId = "jobcode" required,
        pub name: String = "name",
        /// enable or disable (`default` is for job codes only).
        pub enable: JobCodeEnable = "enable",
    }
}

impl RecordRules for JobCodeSetting {
    fn rules(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if self.enable == Some(JobCodeEnable::Default) {
            errors.push(ValidationError::new(child(at, "enable"), "default", Rule::JobCodeEnable));
        }
    }
}

record! {
    /// A job code within a setting (§12.3). `jobcode` and `id` are required when writing.
    pub struct JobCode {
        pub jobcode: JobCodeSettingId = "jobcode" required,
        pub id: JobCodeId = "id" required,
        pub name: String = "name",
        /// enable, disable or default; at most one default per setting.
        pub enable: JobCodeEnable = "enable",
    }
}

impl JobCode {
    pub fn new(jobcode: JobCodeSettingId, id: JobCodeId) -> Self {
        JobCode { jobcode: Some(jobcode), id: Some(id), ..JobCode::default() }
    }
}

impl RecordRules for JobCode {}

/// §12.3: at most one job code per setting may be `default` (checked within one request).
pub(crate) fn check_one_default(codes: &[JobCode], at: &str, errors: &mut Vec<ValidationError>) {
    // The settings that have a default so far: few, and a list needs no hash table.
    let mut seen = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        if c.enable == Some(JobCodeEnable::Default)
            && let Some(setting) = c.jobcode
        {
            if !seen.contains(&setting) {
                seen.push(setting);
                continue;
            }
            errors.push(ValidationError::new(
                child(&child(at, &format!("[{i}]")), "enable"),
                format!("second default in jobcode setting {setting}"),
                Rule::JobCodeOneDefault,
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Holidays (§13)

record! {
    /// A list of holidays: get_holidays' reply, set/delete_holidays' body (E9). One date the
    /// terminal wrote off-format keeps the whole list as sent (in `extra["dates"]`).
    pub struct Holidays {
        pub dates: Vec<HolidayDate> = "dates" required,
    }
}

impl Holidays {
    pub fn new(dates: Vec<HolidayDate>) -> Self {
        Holidays { dates: Some(dates), extra: Extra::new() }
    }
}

impl RecordRules for Holidays {
    fn rules(&self, at: &str, errors: &mut Vec<ValidationError>) {
        if self.dates.as_ref().is_some_and(Vec::is_empty) {
            errors.push(ValidationError::missing(child(at, "dates"), Rule::Required));
        }
    }
}

record! {
    /// set/delete_holidays' reply: what was refused is listed as the terminal wrote it.
    pub struct HolidaysReply {
        pub status: String = "status",
        pub message: String = "message",
        pub invalid_dates: Vec<String> = "invalid_dates",
    }
}
impl RecordRules for HolidaysReply {}

pub(crate) fn require_texts(
    v: &Option<String>,
    extra: &Extra,
    at: &str,
    field: &str,
    errors: &mut Vec<ValidationError>,
) {
    if !(v.is_none() && extra.contains_key(field)) {
        require_text(v, at, field, Rule::Required, errors)
    }
}

pub(crate) fn require_some<T>(v: &Option<T>, extra: &Extra, at: &str, field: &str, errors: &mut Vec<ValidationError>) {
    require_field(v, extra, at, field, errors)
}
