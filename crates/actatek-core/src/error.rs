//! Errors of the core: value rules broken before sending, and replies that say "error" or
//! cannot be read.

use std::fmt;

macro_rules! rules {
    ($( $(#[$m:meta])* $Var:ident = $code:literal, $section:literal, $text:literal, $format:literal; )*) => {
        /// A value rule from ENDPOINTS.md ("Value rules"). Every [`ValidationError`] names one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Rule { $( $(#[$m])* $Var, )* }

        impl Rule {
            /// Every rule, in table order.
            pub const ALL: &'static [Rule] = &[ $( Rule::$Var, )* ];
            /// Stable machine code (`time_pattern`, `relay_delay`, …), shared by every language.
            pub const fn code(self) -> &'static str { match self { $( Rule::$Var => $code, )* } }
            /// Where the rule comes from in the vendor manual (`"11.5"`), or `"project"`.
            pub const fn section(self) -> &'static str { match self { $( Rule::$Var => $section, )* } }
            /// What a valid value looks like, in a sentence fragment.
            pub const fn text(self) -> &'static str { match self { $( Rule::$Var => $text, )* } }
            /// How a person writes a valid value, with an example, for help texts and forms
            /// (`2025-07-16T10:24:13 (terminal time) or 2025-07-16T08:24:13Z (UTC)`); empty for
            /// rules about a whole record or request rather than one value's form.
            pub const fn format(self) -> &'static str { match self { $( Rule::$Var => $format, )* } }
            /// The rule with that code.
            pub fn from_code(code: &str) -> Option<Rule> {
                match code { $( $code => Some(Rule::$Var), )* _ => None }
            }
        }
    };
}

// Each row: variant = code, manual section, what a valid value is (`must be …`, for errors),
// how a person writes one (for help texts; empty when the rule is not about one value's form).
rules! {
    DateTime = "datetime", "2.1", "must be an xsd:dateTime YYYY-MM-DDTHH:MM:SS, optionally with a fraction and a trailing Z for UTC",
        "2025-07-16T10:24:13 (terminal time) or 2025-07-16T08:24:13Z (UTC)";
    Required = "required", "project", "is required and must not be empty",
        "";
    TimePattern = "time_pattern", "5.1", "must be exactly 48 characters, each '0' or '1'",
        "48 characters 0 or 1, one per half hour from 00:00 (08:00-17:00 is 000000000000000011111111111111111100000000000000)";
    TimeRange = "time_range", "project", "must be ranges like '08:00-12:30, 13:30-17:00' on half-hour boundaries, each start before its end, ends at most 24:00",
        "half-hour ranges such as 08:00-12:30, 13:30-17:00";
    Weekday = "weekday", "5.1", "must be one of SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, HOLIDAY",
        "SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY or HOLIDAY";
    TriggerType = "trigger_type", "7.2", "must be IN, OUT or F1 to F40",
        "IN, OUT or F1 to F40";
    FreeJobcode = "free_jobcode", "7.2", "freeJobcode may be true only on triggers F1 to F10",
        "";
    RelayId = "relay_id", "11.5", "must be ONE or TWO",
        "ONE or TWO";
    RelayTarget = "relay_target", "11.4", "must be ONE, TWO or ALL",
        "ONE, TWO or ALL";
    RelayAction = "relay_action", "11.4", "must be open or close",
        "open or close";
    RelayOption = "relay_option", "11.5", "must be disable or access_denied for relay ONE; disable, access_granted, access_denied, doorbell or bell_schedule for relay TWO",
        "disable or access_denied (relay ONE); disable, access_granted, access_denied, doorbell or bell_schedule (relay TWO)";
    RelayDelay = "relay_delay", "11.5", "must be 1 to 1800 seconds (1 to 20 while the door-open schedule is disabled)",
        "seconds, 1 to 1800 (1 to 20 while the door-open schedule is disabled)";
    AutoInOutMode = "auto_in_out_mode", "11.7", "must be disable, enable, autoInOut, reject_repeat_login, anti_passback, lunch_break or crowd_control",
        "disable, enable, autoInOut, reject_repeat_login, anti_passback, lunch_break or crowd_control";
    RejectRepeatTime = "reject_repeat_time", "11.7", "must be 1 to 86400 seconds",
        "seconds, 1 to 86400";
    LockoutTime = "lockout_time", "11.7", "must be 1 to 120 minutes",
        "minutes, 1 to 120";
    CrowdLimit = "crowd_limit", "11.7", "must be 1 to 65535",
        "a number of people, 1 to 65535";
    HhMm = "hhmm", "11.7", "must be HH:MM between 00:00 and 23:59",
        "a time of day HH:MM, 00:00 to 23:59 (09:30)";
    LogEvent = "log_event", "11.16", "must be disable, user_event, audit_event or user_audit_event",
        "disable, user_event, audit_event or user_audit_event";
    LogSize = "log_size", "11.16", "must be 10000, 75000, 100000, 500000 or 1000000",
        "10000, 75000, 100000, 500000 or 1000000";
    EmOption = "em_option", "11.16", "must be FullSN, ID or FC_ID",
        "FullSN, ID or FC_ID";
    RtpMode = "rtp_mode", "11.12", "must be disable, RTP or SRTP",
        "disable, RTP or SRTP";
    RtpFps = "rtp_fps", "11.12", "must be 5, 10, 15, 20, 25 or 30",
        "5, 10, 15, 20, 25 or 30";
    RtpKey = "rtp_key", "11.12", "a non-empty key is required when mode is SRTP",
        "";
    JobCodeSettingId = "job_code_setting_id", "12.1", "must be 1, 2 or 3",
        "1, 2 or 3";
    JobCodeId = "job_code_id", "12.3", "must be 1 to 999999",
        "1 to 999999";
    JobCodeEnable = "job_code_enable", "12.3", "must be enable, disable or default (a job code setting: enable or disable)",
        "enable, disable or default";
    JobCodeOneDefault = "job_code_one_default", "12.3", "at most one job code per job code setting may be default",
        "";
    JobCodeQuery = "job_code_query", "12.6", "a job code id can only be queried together with its jobcode setting",
        "";
    HolidayDate = "holiday_date", "13.2", "must be a real calendar date YYYY-MM-DD",
        "a date YYYY-MM-DD (2025-12-25)";
    HolidayQuery = "holiday_query", "13.1", "must be YYYY-MM-DD where year, month or day may be 0 as a wildcard",
        "YYYY-MM-DD with 0 for any year, month or day (2025-12-0: every December 2025 holiday)";
    AdminLevel = "admin_level", "3.1", "must be PERSONALUSER, NETWORKADMIN, USERADMIN or SUPERADMIN",
        "PERSONALUSER, NETWORKADMIN, USERADMIN or SUPERADMIN";
    UserStatus = "user_status", "3.1", "a new user needs a status with all seven flags (active, autoMatch, smartCard, fingerprint, password, facial, facialAutoMatch)",
        "";
    UserId = "user_id", "3.1", "userID is required and must not be empty",
        "";
    Expiry = "expiry", "3.1", "must be a date-time or 0 for no expiry",
        "2026-12-31T23:59:59 (terminal time), 2026-12-31T22:59:59Z (UTC) or 0 for never";
    TotpType = "totp_type", "3.14", "must be QR_PNG, QR_SVG, QR_ANSI, QR_PLAINTEXT or OTP_PASSCODE",
        "QR_PNG, QR_SVG, QR_ANSI, QR_PLAINTEXT or OTP_PASSCODE";
    AgentUrl = "agent_url", "9.1", "must be an absolute http:// or https:// URL with a host",
        "an http:// or https:// URL with a host (http://10.0.0.9:8080/events)";
    DepartmentFilter = "department_filter", "4.4", "needs at least one of id, name, description",
        "";
    JobCodeFilter = "job_code_filter", "12.5", "needs at least one of jobcode, id, name",
        "";
    Consent = "consent", "11.14", "must be enable or disable with a non-empty display name",
        "enable or disable";
    TimeZone = "timezone", "10.3", "must be an IANA time zone identifier such as Europe/London or UTC",
        "an IANA time zone such as Europe/London or UTC";
    PathSegment = "path_segment", "project", "a path parameter must not be empty",
        "";
    UnknownField = "unknown_field", "project", "is not a parameter of this operation",
        "";
    DesiredKind = "desired_kind", "project", "is not one of the kinds a desired state declares: departments, access_rights, access_groups, users, holidays, triggers, and the sections terminals and groups",
        "";
    DesiredSection = "desired_section", "project", "names no terminal and no group of the configuration (a section that matches nothing would leave its records unsent)",
        "";
    WrongType = "type", "project", "has the wrong type",
        "";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One broken value rule: which field, what value, which rule.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Where, in wire names: `body.timespec[0].timePattern`, `userID`, `body[1].enable`.
    pub field: String,
    /// The offending value as text (`"***"` for secrets, `"<missing>"` when absent).
    pub value: String,
    /// The rule it breaks.
    pub rule: Rule,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, value: impl Into<String>, rule: Rule) -> Self {
        let mut value = value.into();
        if value.len() > 80 {
            let cut = (0..=77).rev().find(|&i| value.is_char_boundary(i)).unwrap_or(0);
            value.truncate(cut);
            value.push_str("...");
        }
        ValidationError { field: field.into(), value, rule }
    }
    /// A required value that is absent.
    pub fn missing(field: impl Into<String>, rule: Rule) -> Self {
        ValidationError::new(field, "<missing>", rule)
    }
    /// The same error, one level deeper (`prefix.field`).
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = join(prefix, &self.field);
        self
    }
}

/// A field path one level deeper, in wire names: `a` + `b` is `a.b`, `a` + `[0]` is `a[0]`, an
/// empty side gives the other. The one place paths are joined: the core's rules, the
/// bindings' conversions and the CLI all name fields this way.
pub fn join(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field.is_empty()) {
        (true, _) => field.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if field.starts_with('[') => format!("{prefix}{field}"),
        _ => format!("{prefix}.{field}"),
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = if self.field.is_empty() { "request" } else { &self.field };
        write!(f, "{field}: {:?} {} (rule {}", self.value, self.rule.text(), self.rule.code())?;
        if self.rule.section() != "project" {
            write!(f, ", manual §{}", self.rule.section())?;
        }
        f.write_str(")")
    }
}

impl fmt::Debug for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ValidationError({self})")
    }
}

impl std::error::Error for ValidationError {}

/// Every rule a request breaks (never empty), so a caller can report them all at once.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidationErrors(Vec<ValidationError>);

impl ValidationErrors {
    /// `Ok(())` when `errors` is empty.
    pub fn check(errors: Vec<ValidationError>) -> Result<(), ValidationErrors> {
        if errors.is_empty() { Ok(()) } else { Err(ValidationErrors(errors)) }
    }
    pub fn one(error: ValidationError) -> Self {
        ValidationErrors(vec![error])
    }
    /// The first (most important) error.
    pub fn first(&self) -> &ValidationError {
        &self.0[0]
    }
    pub fn errors(&self) -> &[ValidationError] {
        &self.0
    }
    pub fn into_vec(self) -> Vec<ValidationError> {
        self.0
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid input: {}", self.0[0])?;
        if self.0.len() > 1 {
            write!(f, " (and {} more:", self.0.len() - 1)?;
            for e in &self.0[1..] {
                write!(f, " {e};")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.0).finish()
    }
}

impl std::error::Error for ValidationErrors {}

impl From<ValidationError> for ValidationErrors {
    fn from(e: ValidationError) -> Self {
        ValidationErrors::one(e)
    }
}

/// A reply that is not the success the operation expects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    /// The terminal answered with an error (`{"status":"error","message":…}`, HTTP 400/500 or any
    /// non-2xx status).
    #[error("{operation}: terminal answered HTTP {status}: {message}")]
    Api { operation: &'static str, status: u16, message: String },
    /// The reply could not be read: says what was expected and where it broke.
    #[error("{operation}: unreadable reply (HTTP {status}): {detail}")]
    Protocol { operation: &'static str, status: u16, detail: String },
}

impl ReplyError {
    /// True when the terminal says the session id is unknown or expired (log in again).
    pub fn is_session_error(&self) -> bool {
        match self {
            ReplyError::Api { message, status, .. } => {
                *status == 401 || message.to_ascii_lowercase().contains("session")
            }
            ReplyError::Protocol { .. } => false,
        }
    }
}

/// Any error of the core. More kinds may be added: match with a `_` arm.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    #[error(transparent)]
    Reply(#[from] ReplyError),
}
