//! The terminal's records and vocabulary as uniffi records and enums: Kotlin data classes and
//! sealed classes, Swift structs and enums. Each mirrors one core type field by field, with the
//! core field's wire name beside it (used when an input goes back to the core, see
//! [`crate::bridge`]). Every record keeps what it does not model in `extra`, so get → modify →
//! update loses nothing.

use crate::bridge::{Bridge, child, extra_to_ffi, extra_to_wire};
use actatek as sdk;
use actatek::ValidationError;
use serde_json::Value;
use std::sync::Arc;

/// Declares FFI records, one per core type, field by field:
///
/// - `Name => CoreType [tolerant] { field: T = "wireName", … }` mirrors a core `record!`: every
///   field of the core is `Option<T>` (any field of a reply may be absent), so every field here
///   is nullable (`<Option<T> as Bridge>::Ffi`, default `null`/`nil`), plus `extra`;
/// - `Name => CoreType [extra] { … }` and `Name => CoreType { … }` mirror an input struct with
///   the core's field types as written (`Option<T>` where the core has one).
///
/// The FFI type of a field of core type `T` is `<T as Bridge>::Ffi`. A core field missing here
/// does not compile (`to_ffi` destructures the core type in full); `tests.rs` also round-trips
/// every record with every field set.
macro_rules! records {
    () => {};
    (
        $(#[doc = $doc:literal])*
        $Name:ident => $Core:ident [tolerant] {
            $( $(#[$fattr:meta])* $field:ident : $fty:ty = $wire:literal ),* $(,)?
        }
        $($rest:tt)*
    ) => {
        record_mirror! {
            $(#[doc = $doc])*
            $Name => $Core [extra] {
                $( #[uniffi(default)] $(#[$fattr])* $field: Option<$fty> = $wire, )*
            }
        }
        records! { $($rest)* }
    };
    (
        $(#[doc = $doc:literal])*
        $Name:ident => $Core:ident $([$extra:ident])? { $($body:tt)* }
        $($rest:tt)*
    ) => {
        record_mirror! { $(#[doc = $doc])* $Name => $Core $([$extra])? { $($body)* } }
        records! { $($rest)* }
    };
}

/// One FFI record and its [`Bridge`] (see [`records!`]).
macro_rules! record_mirror {
    (
        $(#[doc = $doc:literal])*
        $Name:ident => $Core:ident $([$extra:ident])? {
            $( $(#[$fattr:meta])* $field:ident : $fty:ty = $wire:literal ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct $Name {
            $( $(#[$fattr])* pub $field: <$fty as Bridge>::Ffi, )*
            $(
                /// Fields this SDK does not model, and values a field could not read (under the
                /// field's wire name, the field itself then `null`), as a JSON object text;
                /// sent back unchanged (see `extraValue`).
                #[uniffi(default = "{}")]
                pub $extra: String,
            )?
        }

        impl $Name {
            /// The wire names of the mirrored fields, in declaration order.
            #[allow(dead_code)]
            pub const WIRE_NAMES: &'static [&'static str] = &[$($wire),*];
        }

        impl Bridge for sdk::$Core {
            type Ffi = $Name;
            fn to_ffi(self) -> $Name {
                // Destructured in full: a field the core gains and this mirror lacks is a
                // compile error here ("pattern does not mention field"), never a silent drop.
                let sdk::$Core { $( $field, )* $( $extra, )? } = self;
                $Name {
                    $( $field: <$fty as Bridge>::to_ffi($field), )*
                    $( $extra: extra_to_ffi($extra), )?
                }
            }
            fn to_wire(value: $Name, at: &str) -> Result<Option<Value>, ValidationError> {
                #[allow(unused_mut)]
                let mut map = serde_json::Map::new();
                $( map.extend(extra_to_wire(&value.$extra, at)?); )?
                $(
                    if let Some(v) = <$fty as Bridge>::to_wire(value.$field, &child(at, $wire))? {
                        map.insert($wire.to_string(), v);
                    }
                )*
                Ok(Some(Value::Object(map)))
            }
        }
    };
}

/// Declares FFI enums for the core's wire enums, each with an `Unknown` variant that keeps a
/// value this SDK does not know (as the terminal sent it; writing it back fails validation).
macro_rules! wire_enums {
    ($(
        $(#[doc = $doc:literal])*
        $Name:ident { $( $Var:ident ),* $(,)? }
    )*) => { $(
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $Name {
            $( $Var, )*
            /// A value this SDK does not know, kept as the terminal sent it. Writing it back
            /// fails validation.
            Unknown { value: String },
        }

        impl Bridge for sdk::$Name {
            type Ffi = $Name;
            fn to_ffi(self) -> $Name {
                match self {
                    $( sdk::$Name::$Var => $Name::$Var, )*
                    sdk::$Name::Unknown(value) => $Name::Unknown { value },
                }
            }
            fn to_wire(value: $Name, _: &str) -> Result<Option<Value>, ValidationError> {
                let core = match value {
                    $( $Name::$Var => sdk::$Name::$Var, )*
                    $Name::Unknown { value } => sdk::$Name::Unknown(value),
                };
                Ok(Some(Value::String(core.as_str().to_string())))
            }
        }
    )* };
}

/// Integers with a documented range: `Int` in Kotlin, `Int32` in Swift; the core checks the
/// range (and names the rule) when a value is sent.
macro_rules! checked_ints {
    ($($t:ident),*) => { $(
        impl Bridge for sdk::$t {
            type Ffi = i32;
            fn to_ffi(self) -> i32 { i32::try_from(self.get()).unwrap_or(i32::MAX) }
            fn to_wire(value: i32, _: &str) -> Result<Option<Value>, ValidationError> { Ok(Some(Value::from(value))) }
        }
    )* };
}

checked_ints!(RelayDelay, RejectRepeatSeconds, LockoutMinutes, CrowdLimit, LogSize, Fps, JobCodeSettingId, JobCodeId);

wire_enums! {
    /// A user's rights on the terminal; a missing level means PERSONALUSER (§3.1).
    AdminLevel { PersonalUser, NetworkAdmin, UserAdmin, SuperAdmin }
    /// What get_user_api_totp returns (§3.14).
    TotpType { QrPng, QrSvg, QrAnsi, QrPlaintext, OtpPasscode }
    /// A day of a `timespec` (§5.1); HOLIDAY applies on the terminal's holidays (§13).
    Weekday { Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Holiday }
    /// A relay that has settings: door strike ONE or TWO (§11.5).
    RelayId { One, Two }
    /// A relay to act on or read: ONE, TWO or ALL (§11.4, §11.6).
    RelayTarget { One, Two, All }
    /// What relay_action does (§11.4).
    RelayAction { Open, Close }
    /// What a relay is used for. ONE: disable, access_denied; TWO: all five (§11.5).
    RelayOption { Disable, AccessGranted, AccessDenied, Doorbell, BellSchedule }
    /// Auto in/out mode (§11.7); `enable` and `autoInOut` mean the same.
    AutoInOutMode { Disable, Enable, AutoInOut, RejectRepeatLogin, AntiPassback, LunchBreak, CrowdControl }
    /// Which events are logged (§11.16).
    LogEvent { Disable, UserEvent, AuditEvent, UserAuditEvent }
    /// How EM cards are written into logs (§11.16).
    EmOption { FullSn, Id, FcId }
    /// Video streaming mode (§11.12).
    RtpMode { Disable, Rtp, Srtp }
    /// A job code's (or a job code setting's) state; settings take only enable/disable (§12).
    JobCodeEnable { Enable, Disable, Default }
    /// set_consent's switch (§11.14).
    ConsentMode { Enable, Disable }
}

/// A trigger (§7): IN, OUT or a function key F1 … F40.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum TriggerType {
    In,
    Out,
    /// Function key `F<key>`, 1 to 40.
    F {
        key: i32,
    },
    /// A value this SDK does not know, kept as the terminal sent it. Writing it back fails
    /// validation.
    Unknown {
        value: String,
    },
}

impl Bridge for sdk::TriggerType {
    type Ffi = TriggerType;
    fn to_ffi(self) -> TriggerType {
        match self {
            sdk::TriggerType::In => TriggerType::In,
            sdk::TriggerType::Out => TriggerType::Out,
            sdk::TriggerType::F(k) => TriggerType::F { key: k.get().into() },
            sdk::TriggerType::Unknown(value) => TriggerType::Unknown { value },
        }
    }
    fn to_wire(value: TriggerType, _: &str) -> Result<Option<Value>, ValidationError> {
        // F41 or F0 reaches the core as text, which reports the trigger_type rule.
        Ok(Some(Value::String(match value {
            TriggerType::In => "IN".to_string(),
            TriggerType::Out => "OUT".to_string(),
            TriggerType::F { key } => format!("F{key}"),
            TriggerType::Unknown { value } => value,
        })))
    }
}

/// A password, key or session id. Kotlin's `toString()` and Swift's `description` show `***`;
/// `expose()` gives the value to the one place that needs it.
#[derive(PartialEq, Eq, Hash, uniffi::Object)]
#[uniffi::export(Debug, Display, Eq, Hash)]
pub struct Secret(String);

#[uniffi::export]
impl Secret {
    #[uniffi::constructor]
    pub fn new(value: String) -> Arc<Self> {
        Arc::new(Secret(value))
    }
    /// The secret itself.
    pub fn expose(&self) -> String {
        self.0.clone()
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Bridge for sdk::Secret {
    type Ffi = Arc<Secret>;
    fn to_ffi(self) -> Arc<Secret> {
        Arc::new(Secret(self.expose().to_string()))
    }
    fn to_wire(value: Arc<Secret>, _: &str) -> Result<Option<Value>, ValidationError> {
        Ok(Some(Value::String(value.0.clone())))
    }
}

impl Bridge for sdk::SessionId {
    type Ffi = Arc<Secret>;
    fn to_ffi(self) -> Arc<Secret> {
        Arc::new(Secret(self.expose().to_string()))
    }
    fn to_wire(value: Arc<Secret>, _: &str) -> Result<Option<Value>, ValidationError> {
        Ok(Some(Value::String(value.0.clone())))
    }
}

records! {
    // --- Session (§1) -------------------------------------------------------------------------

    /// login's body (§1.1).
    Credentials => Credentials {
        username: String = "username",
        password: sdk::Secret = "password",
    }

    /// login's reply (§1.1). The client keeps its own session; this one is for callers that
    /// manage sessions themselves.
    LoginReply => LoginReply [tolerant] {
        status: String = "status",
        sessionid: sdk::SessionId = "sessionid",
    }

    /// The reply of most writes: `status` is `success` (or the manual's `succes`).
    StatusReply => StatusReply [tolerant] {
        status: String = "status",
        message: String = "message",
    }

    // --- Logs (§2) ----------------------------------------------------------------------------

    /// An event log (§2.1).
    Log => Log [tolerant] {
        log_id: i64 = "logID",
        user_id: sdk::CompactString = "userID",
        timestamp: sdk::TerminalDateTime = "timestamp",
        trigger: sdk::CompactString = "trigger",
        terminal_sn: sdk::CompactString = "terminalSN",
    }

    /// An event log with names, photo and access method (§2.2).
    FullLog => FullLog [tolerant] {
        log_id: i64 = "logID",
        user_id: sdk::CompactString = "userID",
        user_name: sdk::CompactString = "userName",
        department_name: sdk::CompactString = "departmentName",
        timestamp: sdk::TerminalDateTime = "timestamp",
        trigger: sdk::CompactString = "trigger",
        terminal_sn: sdk::CompactString = "terminalSN",
        terminal_name: sdk::CompactString = "terminalName",
        /// Base64 JPEG; absent when the log has no photo.
        jpeg_photo: sdk::Base64Blob = "jpegPhoto",
        access_method: sdk::CompactString = "accessMethod",
        remarks: sdk::CompactString = "remarks",
    }

    /// A photo reply (get_log_photo §2.3, get_capture_fingerprint §11.11).
    Photo => Photo [tolerant] {
        status: String = "status",
        /// Base64 JPEG.
        jpeg_photo: sdk::Base64Blob = "jpegPhoto",
    }

    // --- Users (§3) ---------------------------------------------------------------------------

    /// How a user may identify (§3.1). Adding a user needs all seven flags.
    UserStatus => UserStatus [tolerant] {
        active: bool = "active",
        auto_match: bool = "autoMatch",
        smart_card: bool = "smartCard",
        fingerprint: bool = "fingerprint",
        password: bool = "password",
        facial: bool = "facial",
        facial_auto_match: bool = "facialAutoMatch",
    }

    /// A credential key (§3.1 `keyrecords`).
    KeyRecord => KeyRecord [tolerant] {
        keytype: i64 = "keytype",
        keystring: String = "keystring",
        keyid: String = "keyid",
        keyenabled: bool = "keyenabled",
    }

    /// A face (§3.1 `facialrecords`).
    FacialRecord => FacialRecord [tolerant] {
        facial_template_type: i64 = "FacialTemplateType",
        /// Base64.
        facial_template: sdk::Base64Blob = "FacialTemplate",
        /// Base64 JPEG; required when adding, left out of get_users replies.
        facial_photo: sdk::Base64Blob = "FacialPhoto",
    }

    /// A user (§3.1, §3.3).
    User => User [tolerant] {
        user_id: String = "userID",
        last_name: String = "lastName",
        first_name: String = "firstName",
        other_name: String = "otherName",
        /// A missing level means PERSONALUSER.
        admin_level: sdk::AdminLevel = "adminLevel",
        password: sdk::Secret = "password",
        /// Access group ids.
        group_id: Vec<i64> = "groupID",
        /// Department ids.
        department_id: Vec<i64> = "departmentID",
        /// Required (all seven flags) when adding a user.
        status: sdk::UserStatus = "status",
        /// Base64 fingerprint templates.
        fingerprints: sdk::Base64Blob = "fingerprints",
        keyrecords: Vec<sdk::KeyRecord> = "keyrecords",
        facialrecords: Vec<sdk::FacialRecord> = "facialrecords",
        cardsn: String = "cardsn",
        score_threshold: i64 = "ScoreThreshold",
        expirydate: sdk::Expiry = "expirydate",
        message: String = "message",
    }

    /// update_myself's body (§8.2): only these fields can be changed.
    MyselfUpdate => MyselfUpdate [extra] {
        user_id: String = "userID",
        #[uniffi(default)]
        last_name: Option<String> = "lastName",
        #[uniffi(default)]
        first_name: Option<String> = "firstName",
        #[uniffi(default)]
        other_name: Option<String> = "otherName",
        #[uniffi(default)]
        password: Option<sdk::Secret> = "password",
        #[uniffi(default)]
        cardsn: Option<String> = "cardsn",
    }

    /// A user's message (§3.9–3.10).
    UserMessage => UserMessage [tolerant] {
        usermessage: String = "usermessage",
    }

    /// get_user_count's reply (§3.12).
    UserCount => UserCount [tolerant] {
        usercount: i64 = "usercount",
    }

    /// get_user_api_totp's reply (§3.14).
    Totp => Totp [tolerant] {
        format: sdk::TotpType = "format",
        expiry: sdk::TerminalDateTime = "expiry",
        /// Base64 for the QR images, raw text for QR_PLAINTEXT, 8 digits for OTP_PASSCODE.
        data: String = "data",
    }

    // --- Departments (§4), access rights (§5), access groups (§6), triggers (§7) ---------------

    /// A department (§4). Adding needs id, name and description.
    Department => Department [tolerant] {
        id: i64 = "id",
        name: String = "name",
        description: String = "description",
    }

    /// One day of a schedule: a weekday and its 48 half-hour slots (§5.1, §7.2).
    TimeSpec => TimeSpec [tolerant] {
        weekday: sdk::Weekday = "weekday",
        /// 48 characters `0`/`1`, slot i starting at i × 30 minutes (see `timePatternFromRanges`).
        time_pattern: sdk::TimePattern = "timePattern",
    }

    /// An access right: a named weekly schedule (§5).
    AccessRight => AccessRight [tolerant] {
        id: i64 = "id",
        name: String = "name",
        timespec: Vec<sdk::TimeSpec> = "timespec",
    }

    /// An access group: a department's set of access rights (§6).
    AccessGroup => AccessGroup [tolerant] {
        id: i64 = "id",
        name: String = "name",
        departmentid: i64 = "departmentid",
        accessrightid: Vec<i64> = "accessrightid",
    }

    /// A trigger and its schedule (§7).
    Trigger => Trigger [tolerant] {
        trigger_type: sdk::TriggerType = "type",
        name: String = "name",
        enable: bool = "enable",
        /// Only on F1 … F10 (§7.2).
        free_jobcode: bool = "freeJobcode",
        timespec: Vec<sdk::TimeSpec> = "timespec",
    }

    // --- Agents (§9), time (§10) ----------------------------------------------------------------

    /// register_agent's body (§9.1).
    AgentRegistration => AgentRegistration {
        /// An absolute http:// or https:// URL.
        url: sdk::AgentUrl = "url",
        #[uniffi(default = "1.2")]
        agent_version: String = "agentVersion",
        #[uniffi(default = "")]
        magic: String = "magic",
        #[uniffi(default)]
        init_sync: Option<bool> = "initSync",
    }

    /// A registered agent (§9.3).
    Agent => Agent [tolerant] {
        url: String = "url",
        registration_time: sdk::TerminalDateTime = "registrationTime",
        last_update: sdk::TerminalDateTime = "lastUpdate",
        last_check: sdk::TerminalDateTime = "lastCheck",
        last_check_status: bool = "lastCheckStatus",
        active: bool = "active",
    }

    /// NTP setting (§10.1–10.2); several servers are separated by spaces.
    Ntp => Ntp [tolerant] {
        serveraddr: String = "serveraddr",
        enable: bool = "enable",
    }

    /// The terminal's clock and time zone (§10.3–10.4). get_time answers local time; set_time
    /// takes either.
    TerminalTime => TerminalTime [tolerant] {
        current_time: sdk::TerminalDateTime = "currentTime",
        /// An IANA time zone id (`Europe/London`).
        timezone: sdk::TimeZoneId = "timezone",
    }

    // --- Terminal functions (§11) ---------------------------------------------------------------

    /// get_api_version's reply (§11.2).
    ApiVersion => ApiVersion [tolerant] {
        name: String = "name",
        version: String = "version",
    }

    /// get_terminal_status's reply (§11.3).
    TerminalStatus => TerminalStatus [tolerant] {
        serial_number: String = "serialNumber",
        fam_version: String = "FAMVersion",
        description: String = "description",
        registered_users: i64 = "registeredUsers",
        maximum_users: i64 = "maximumUsers",
        automatch_users: i64 = "automatchUsers",
        maximum_automatch_users: i64 = "maximumAutomatchUsers",
        current_status: String = "currentStatus",
        firmware_version: String = "firmwareVersion",
    }

    /// A relay's setting (§11.5–11.6).
    RelaySetting => RelaySetting [tolerant] {
        id: sdk::RelayId = "id",
        option: sdk::RelayOption = "option",
        /// Seconds, 1 to 1800; 1 to 20 while the door-open schedule is off (§11.5).
        delay: sdk::RelayDelay = "delay",
    }

    /// Auto in/out and related modes (§11.7–11.8).
    AutoInOut => AutoInOut [tolerant] {
        mode: sdk::AutoInOutMode = "mode",
        auto_reset: bool = "auto_reset",
        /// 1 to 86400 seconds.
        reject_repeat_time_sec: sdk::RejectRepeatSeconds = "rejectRepeat_time_sec",
        /// 1 to 120 minutes.
        lockout_time_min: sdk::LockoutMinutes = "lockout_time_min",
        /// 1 to 65535.
        crowd_limit_count: sdk::CrowdLimit = "crowd_limit_count",
        /// `HH:MM`.
        crowd_reset_hhmm: sdk::HhMm = "crowd_reset_hhmm",
    }

    /// get_log_unauthorized_event's reply (§11.10).
    LogUnauthorizedEvent => LogUnauthorizedEvent [tolerant] {
        enable: bool = "enable",
    }

    /// Video streaming (§11.12–11.13); `sdpfile` and `status` are reported by the terminal.
    RtpSetting => RtpSetting [tolerant] {
        mode: sdk::RtpMode = "mode",
        /// The SRTP key; required when mode is SRTP.
        key: sdk::Secret = "key",
        target: String = "target",
        /// 5, 10, 15, 20, 25 or 30.
        fps: sdk::Fps = "fps",
        stun: String = "stun",
        sdpfile: String = "sdpfile",
        status: String = "status",
    }

    /// get_consent's reply (§11.15).
    Consent => Consent [tolerant] {
        status: String = "status",
        enable: bool = "enable",
        display_name: String = "display_name",
    }

    /// Log setting (§11.16–11.17).
    LogSetting => LogSetting [tolerant] {
        log_event: sdk::LogEvent = "log_event",
        /// 10000, 75000, 100000, 500000 or 1000000 records.
        log_size: sdk::LogSize = "log_size",
        log_unauth_event: bool = "log_unAuth_event",
        log_accept_non_registered_card: bool = "log_Accept_nonRegistered_card",
        log_photo_auth_event: bool = "log_photo_Auth_event",
        log_photo_unauth_event: bool = "log_photo_unAuth_event",
        log_accept_non_registered_facial: bool = "log_Accept_nonRegistered_facial",
        log_case_event: bool = "log_case_event",
        log_em_option: sdk::EmOption = "log_EM_Option",
    }

    // --- Job codes (§12), holidays (§13) --------------------------------------------------------

    /// One of the three job code settings (§12.1).
    JobCodeSetting => JobCodeSetting [tolerant] {
        /// 1, 2 or 3.
        jobcode: sdk::JobCodeSettingId = "jobcode",
        name: String = "name",
        /// Enable or Disable (Default is for job codes only).
        enable: sdk::JobCodeEnable = "enable",
    }

    /// A job code within a setting (§12.3).
    JobCode => JobCode [tolerant] {
        /// 1, 2 or 3.
        jobcode: sdk::JobCodeSettingId = "jobcode",
        /// 1 to 999999.
        id: sdk::JobCodeId = "id",
        name: String = "name",
        /// At most one Default per setting.
        enable: sdk::JobCodeEnable = "enable",
    }

    /// A list of holidays: get_holidays' reply, set/delete_holidays' body (§13).
    Holidays => Holidays [tolerant] {
        dates: Vec<sdk::HolidayDate> = "dates",
    }

    /// set/delete_holidays' reply: refused dates as the terminal wrote them (§13.2–13.3).
    HolidaysReply => HolidaysReply [tolerant] {
        status: String = "status",
        message: String = "message",
        invalid_dates: Vec<String> = "invalid_dates",
    }
}
