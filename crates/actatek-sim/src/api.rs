//! The terminal's behaviour: one request, already routed by the core's table, against the
//! state. Replies are built from the core's reply types (`<Op as Operation>::Reply`), so the
//! simulator cannot answer a shape the client does not read.

use crate::logs::demo_jpeg;
use crate::state::{SESSION_TIMEOUT, Session, TerminalState};
use actatek_core::ops::*;
use actatek_core::routing::Route;
use actatek_core::*;
use base64::Engine;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use rand::Rng;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

/// The message of the session error; the client looks for the word "session".
pub const SESSION_ERROR: &str = "invalid or expired session id";
/// The message when a PERSONALUSER asks for something only administrators may do.
pub const PERMISSION_ERROR: &str = "permission denied";

/// A request the terminal refuses: HTTP status and the common error body's message (§14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub message: String,
}

impl ApiError {
    pub(crate) fn bad(message: impl Into<String>) -> Self {
        ApiError { status: 400, message: message.into() }
    }
    /// The common error body (§14), built from the core's own status reply type.
    pub(crate) fn body(&self) -> Vec<u8> {
        json(&StatusReply { status: Some("error".into()), message: Some(self.message.clone()), extra: Extra::new() })
    }
}

type Out = Result<Vec<u8>, ApiError>;

/// What a handler knows besides the operation.
pub(crate) struct Cx<'a> {
    pub now: DateTime<Utc>,
    /// The logged-in user's id, for operations with a session.
    pub user: Option<String>,
    /// The session id of the request (a secret: never logged).
    pub session: Option<String>,
    /// `http://127.0.0.1:PORT`, for links the terminal hands out (RTP's SDP file).
    pub base_url: &'a str,
    /// The body was a JSON array: "X or [X]" operations answer an array even for one record.
    pub array_body: bool,
}

/// Route → session check → input (read the way the terminal reads it) → validation →
/// permission → handler. `invalid_dates` are holiday dates that were taken out of the body
/// before typing it (they cannot be typed).
pub(crate) fn process(st: &mut TerminalState, route: &Route, query: &str, body: Option<Value>, cx: &mut Cx) -> Out {
    let info = route.operation;
    if info.template.contains("{sid}") {
        let sid = route.session.as_deref().unwrap_or("");
        cx.user = Some(check_session(st, sid, cx.now)?);
        cx.session = Some(sid.to_string());
    }
    cx.array_body = matches!(body, Some(Value::Array(_)));
    let query = known_query(info, query);
    let body = body.map(|b| known_admin_levels(info.name, b));
    let (body, invalid_dates) = split_holiday_dates(info.name, body);
    if info.name == "set_holidays" || info.name == "delete_holidays" {
        let empty = body.as_ref().and_then(|b| b.get("dates")).and_then(Value::as_array).is_some_and(Vec::is_empty);
        if empty && !invalid_dates.is_empty() {
            let verb = if info.name == "set_holidays" { "added" } else { "deleted" };
            return Ok(holidays_reply(0, verb, invalid_dates));
        }
    }
    let input = route.wire_input(&query, body);
    let mut op = AnyOperation::decode_wire(info.name, &input).map_err(|e| ApiError::bad(e.to_string()))?;
    // §3.14: "any wrong pattern default as PNG".
    if let AnyOperation::GetUserApiTotp(o) = &mut op
        && !o.totp_type.is_known()
    {
        o.totp_type = TotpType::QrPng;
    }
    op.validate().map_err(|e| ApiError::bad(e.to_string()))?;
    if let Some(user) = &cx.user {
        let level = st.users.get(user).and_then(|u| u.admin_level.clone()).unwrap_or(AdminLevel::PersonalUser);
        if !allowed(&level, &op, user) {
            return Err(ApiError::bad(PERMISSION_ERROR));
        }
    }
    handle(st, cx, op, invalid_dates)
}

/// The query without the parameters the operation does not have: the terminal ignores what
/// it does not know (`GET /user/{sid}?userID=x&foo=bar` is get_users for `x`).
fn known_query(info: &OperationInfo, query: &str) -> String {
    let known = |pair: &&str| {
        let name = pair.split_once('=').map_or(*pair, |(k, _)| k);
        let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
        info.params.iter().any(|p| p.location == "query" && p.wire == name)
    };
    query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).filter(known).collect::<Vec<_>>().join("&")
}

/// §3.1, §3.4: "if not present or other words, default to PERSONALUSER". An `adminLevel` the
/// terminal does not know (another word, a number, an object) is stored as PERSONALUSER.
fn known_admin_levels(operation: &str, mut body: Value) -> Value {
    if !matches!(operation, "add_user" | "add_users" | "update_user" | "update_users") {
        return body;
    }
    let fix = |user: &mut Value| {
        if let Some(level) = user.as_object_mut().and_then(|u| u.get_mut("adminLevel"))
            && !level.is_null()
            && !level.as_str().is_some_and(|l| AdminLevel::ALL.iter().any(|k| k.as_str() == l))
        {
            *level = Value::from(AdminLevel::PersonalUser.as_str());
        }
    };
    match &mut body {
        Value::Array(users) => users.iter_mut().for_each(fix),
        user => fix(user),
    }
    body
}

/// The user of a live session, touching it; expired sessions are forgotten (§1.1).
fn check_session(st: &mut TerminalState, sid: &str, now: DateTime<Utc>) -> Result<String, ApiError> {
    match st.sessions.get_mut(sid) {
        Some(s) if now - s.last_seen <= SESSION_TIMEOUT => {
            s.last_seen = now;
            Ok(s.user_id.clone())
        }
        Some(_) => {
            st.sessions.remove(sid);
            Err(ApiError::bad(SESSION_ERROR))
        }
        None => Err(ApiError::bad(SESSION_ERROR)),
    }
}

/// Admin levels, kept simple: PERSONALUSER may only log out, read and update itself, read the
/// API version and get its own TOTP; USERADMIN, NETWORKADMIN and SUPERADMIN may do everything.
fn allowed(level: &AdminLevel, op: &AnyOperation, user: &str) -> bool {
    use AnyOperation as A;
    match level {
        AdminLevel::UserAdmin | AdminLevel::NetworkAdmin | AdminLevel::SuperAdmin => true,
        AdminLevel::PersonalUser | AdminLevel::Unknown(_) => match op {
            A::Logout(_) | A::GetMyself(_) | A::UpdateMyself(_) | A::GetApiVersion(_) => true,
            A::GetUserApiTotp(o) => o.user_id == user,
            _ => false,
        },
    }
}

/// §13.2: dates that are not real calendar dates are reported in `invalid_dates`, not refused
/// as a whole; take them out before the body is typed.
fn split_holiday_dates(operation: &str, body: Option<Value>) -> (Option<Value>, Vec<String>) {
    let mut invalid = Vec::new();
    let Some(mut body) = body else { return (None, invalid) };
    if (operation == "set_holidays" || operation == "delete_holidays")
        && let Some(dates) = body.get_mut("dates")
    {
        let list = match dates.take() {
            Value::Array(a) => a,
            other => vec![other],
        };
        let mut valid = Vec::new();
        for d in list {
            match d.as_str().map(HolidayDate::parse) {
                Some(Ok(_)) => valid.push(d),
                _ => invalid.push(d.as_str().map_or_else(|| d.to_string(), str::to_string)),
            }
        }
        *dates = Value::Array(valid);
    }
    (Some(body), invalid)
}

fn json<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("replies always serialize")
}

/// A reply, typed by the operation it answers.
fn reply<O: Operation>(r: &O::Reply) -> Out {
    Ok(json(r))
}

/// "X or [X]" replies: the object alone when the request named exactly one record.
fn one_or_many<O: Operation<Reply = Vec<T>>, T: Serialize>(items: &O::Reply, single: bool) -> Out {
    if single && items.len() == 1 { Ok(json(&items[0])) } else { Ok(json(items)) }
}

/// Per-record status replies; a lone failed record is an HTTP 400 like any error.
fn statuses<O: Operation<Reply = Vec<StatusReply>>>(items: O::Reply, single: bool) -> Out {
    if single && items.len() == 1 {
        let only = &items[0];
        if only.status.as_deref() == Some("error") {
            return Err(ApiError::bad(only.message.clone().unwrap_or_default()));
        }
        return Ok(json(only));
    }
    Ok(json(&items))
}

fn ok_status(message: impl Into<String>) -> StatusReply {
    StatusReply { status: Some("success".into()), message: Some(message.into()), extra: Extra::new() }
}

fn err_status(message: impl Into<String>) -> StatusReply {
    StatusReply { status: Some("error".into()), message: Some(message.into()), extra: Extra::new() }
}

fn success() -> StatusReply {
    StatusReply { status: Some("success".into()), message: None, extra: Extra::new() }
}

/// A single status reply, or the error it carries as an HTTP 400.
fn status<O: Operation<Reply = StatusReply>>(r: StatusReply) -> Out {
    if r.status.as_deref() == Some("error") {
        Err(ApiError::bad(r.message.unwrap_or_default()))
    } else {
        reply::<O>(&r)
    }
}

fn holidays_reply(n: usize, verb: &str, invalid: Vec<String>) -> Vec<u8> {
    let s = if n == 1 { "" } else { "s" };
    json(&HolidaysReply {
        status: Some("success".into()),
        message: Some(format!("{n} holiday{s} {verb}")),
        invalid_dates: Some(invalid),
        extra: Extra::new(),
    })
}

/// A user as get_users shows it: no password, no face photos.
fn public_user(u: &User) -> User {
    let mut u = u.clone();
    u.password = None;
    if let Some(faces) = &mut u.facialrecords {
        for f in faces {
            f.facial_photo = None;
        }
    }
    u
}

/// update_user: fields present in the update replace the stored ones; absent ones stay (the
/// status flags one by one).
fn merge_user(dst: &mut User, mut src: User) {
    if let (Some(stored), Some(update)) = (dst.status.as_mut(), src.status.take()) {
        stored.merge(update);
    }
    dst.merge(src);
}

fn add_user(st: &mut TerminalState, mut u: User) -> StatusReply {
    let id = u.user_id.clone().unwrap_or_default();
    if st.users.contains_key(&id) {
        return err_status(format!("User {id} already exists"));
    }
    // §3.1 defaults: PERSONALUSER, group 0, department 0.
    u.admin_level.get_or_insert(AdminLevel::PersonalUser);
    u.group_id.get_or_insert_with(|| vec![0]);
    u.department_id.get_or_insert_with(|| vec![0]);
    let msg = format!("User {id} Added");
    st.users.insert(id, u);
    ok_status(msg)
}

fn update_user(st: &mut TerminalState, u: User) -> StatusReply {
    let id = u.user_id.clone().unwrap_or_default();
    match st.users.get_mut(&id) {
        None => err_status(format!("User {id} not found")),
        Some(stored) => {
            let msg = format!("User {id} Updated");
            merge_user(stored, u);
            ok_status(msg)
        }
    }
}

fn user_not_found(id: &str) -> ApiError {
    ApiError::bad(format!("User {id} not found"))
}

/// "First Last", as getFullLogs' userName (§2.2).
fn full_name(u: &User) -> Option<String> {
    let parts: Vec<&str> =
        [u.first_name.as_deref(), u.last_name.as_deref()].into_iter().flatten().filter(|s| !s.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

// --- logs ----------------------------------------------------------------------------------

struct LogQuery<'a> {
    from: Option<TerminalDateTime>,
    to: Option<TerminalDateTime>,
    employee_name: Option<&'a str>,
    employee_id: Option<&'a str>,
    department_id: Option<i64>,
    trigger: Option<&'a str>,
    terminal_sn: Option<&'a str>,
    limit: Option<u32>,
}

/// What a log's user looks like, per interned user id.
struct UserInfo {
    name: Option<String>,
    departments: Vec<i64>,
    department_name: Option<String>,
}

fn user_infos(st: &TerminalState) -> Vec<Option<UserInfo>> {
    let strings = &st.logs.strings;
    (0..strings.len() as u32)
        .map(|i| {
            st.users.get(strings.resolve(i)).map(|u| {
                let departments = u.department_id.clone().unwrap_or_default();
                let department_name =
                    departments.first().and_then(|d| st.departments.get(d)).and_then(|d| d.name.clone());
                UserInfo { name: full_name(u), departments, department_name }
            })
        })
        .collect()
}

/// The matching logs' indices in (timestamp, logID) order, and whether to answer in UTC.
fn select_logs(st: &TerminalState, q: &LogQuery, infos: Option<&[Option<UserInfo>]>) -> (Vec<usize>, bool) {
    let local = |t: &TerminalDateTime| match t {
        TerminalDateTime::Local(n) => *n,
        TerminalDateTime::Utc(u) => st.to_local(*u),
    };
    // §2.1: both bounds in UTC → the answer is in UTC.
    let utc =
        q.from.as_ref().is_some_and(TerminalDateTime::is_utc) && q.to.as_ref().is_some_and(TerminalDateTime::is_utc);
    let logs = &st.logs;
    let mut idx = logs.range(q.from.as_ref().map(local), q.to.as_ref().map(local));
    let lookup = |s: Option<&str>| s.map(|s| logs.strings.get(s));
    let (user, trigger, terminal) = (lookup(q.employee_id), lookup(q.trigger), lookup(q.terminal_sn));
    if [user, trigger, terminal].iter().any(|f| matches!(f, Some(None))) {
        return (Vec::new(), utc);
    }
    let name = q.employee_name.map(str::to_lowercase);
    idx.retain(|&i| {
        let r = &logs.records[i];
        user.is_none_or(|u| u == Some(r.user))
            && trigger.is_none_or(|t| t == Some(r.trigger))
            && terminal.is_none_or(|t| t == Some(u32::from(r.terminal)))
            && (name.is_none() && q.department_id.is_none() || {
                let info = infos.and_then(|infos| infos[r.user as usize].as_ref());
                name.as_ref().is_none_or(|n| {
                    info.and_then(|i| i.name.as_ref()).is_some_and(|full| full.to_lowercase().contains(n.as_str()))
                }) && q.department_id.is_none_or(|d| info.is_some_and(|i| i.departments.contains(&d)))
            })
    });
    if let Some(limit) = q.limit {
        idx.truncate(limit as usize);
    }
    (idx, utc)
}

fn log_time(st: &TerminalState, ts: NaiveDateTime, utc: bool) -> TerminalDateTime {
    if utc { TerminalDateTime::Utc(st.to_utc(ts)) } else { TerminalDateTime::Local(ts) }
}

/// Stream a log list straight into the reply buffer, typed by the operation.
#[allow(clippy::extra_unused_type_parameters)] // `O` ties the element type to the operation's reply
fn stream<O: Operation<Reply = Vec<T>>, T: Serialize>(n: usize, items: impl Iterator<Item = T>) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * 120 + 2);
    let mut ser = serde_json::Serializer::new(&mut out);
    let mut seq = ser.serialize_seq(Some(n)).expect("in-memory writes do not fail");
    for item in items {
        seq.serialize_element(&item).expect("replies always serialize");
    }
    seq.end().expect("in-memory writes do not fail");
    out
}

const ACCESS_METHODS: &[&str] = &["FACE", "FINGERPRINT", "CARD", "PASSWORD"];

fn get_logs(st: &TerminalState, q: &LogQuery) -> Vec<u8> {
    let infos = (q.employee_name.is_some() || q.department_id.is_some()).then(|| user_infos(st));
    let (idx, utc) = select_logs(st, q, infos.as_deref());
    let logs = &st.logs;
    stream::<GetLogs, Log>(
        idx.len(),
        idx.iter().map(|&i| {
            let r = &logs.records[i];
            Log {
                log_id: Some(r.id),
                user_id: Some(logs.strings.resolve(r.user).to_string()),
                timestamp: Some(log_time(st, r.ts, utc)),
                trigger: Some(logs.strings.resolve(r.trigger).to_string()),
                terminal_sn: Some(logs.strings.resolve(u32::from(r.terminal)).to_string()),
                extra: Extra::new(),
            }
        }),
    )
}

fn get_full_logs(st: &TerminalState, q: &LogQuery) -> Vec<u8> {
    let infos = user_infos(st);
    let (idx, utc) = select_logs(st, q, Some(&infos));
    let logs = &st.logs;
    stream::<GetFullLogs, FullLog>(
        idx.len(),
        idx.iter().map(|&i| {
            let r = &logs.records[i];
            let info = infos[r.user as usize].as_ref();
            let trigger = logs.strings.resolve(r.trigger);
            let method = if trigger == "REMOTE DOOR OPEN" {
                "REMOTE"
            } else {
                ACCESS_METHODS[(r.id as usize) % ACCESS_METHODS.len()]
            };
            FullLog {
                log_id: Some(r.id),
                user_id: Some(logs.strings.resolve(r.user).to_string()),
                user_name: info.and_then(|i| i.name.clone()),
                department_name: info.and_then(|i| i.department_name.clone()),
                timestamp: Some(log_time(st, r.ts, utc)),
                trigger: Some(trigger.to_string()),
                terminal_sn: Some(logs.strings.resolve(u32::from(r.terminal)).to_string()),
                terminal_name: Some(st.description.clone()),
                jpeg_photo: logs.photo(r).map(|p| Base64Blob::from_bytes(&p)),
                access_method: Some(method.to_string()),
                remarks: Some(format!("#{method}#")),
                extra: Extra::new(),
            }
        }),
    )
}

// --- job codes ------------------------------------------------------------------------------

/// §12.3: at most one default job code per setting, across the whole terminal.
fn check_defaults(codes: &BTreeMap<(u32, u32), JobCode>) -> Result<(), ApiError> {
    let mut seen = BTreeSet::new();
    for ((setting, _), c) in codes {
        if c.enable == Some(JobCodeEnable::Default) && !seen.insert(*setting) {
            return Err(ApiError::bad(format!(
                "jobcode setting {setting} already has a default job code (only one default per setting, §12.3)"
            )));
        }
    }
    Ok(())
}

fn code_key(c: &JobCode) -> (u32, u32) {
    (c.jobcode.map_or(0, JobCodeSettingId::get), c.id.map_or(0, JobCodeId::get))
}

// --- TOTP -----------------------------------------------------------------------------------

fn totp(user: &str, kind: &TotpType, now: DateTime<Utc>) -> Totp {
    let step = now.timestamp().div_euclid(30);
    let digest = Sha256::digest(format!("actatek-sim:{user}:{step}").as_bytes());
    let code = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 100_000_000;
    let secret = hex::encode(&Sha256::digest(format!("actatek-sim secret {user}").as_bytes())[..10]);
    let content = format!(
        "ACTATEK-API-TOTP\n{{\"userID\":{},\"secret\":\"{secret}\",\"issuer\":\"actatek-sim\"}}",
        Value::from(user)
    );
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let data = match kind {
        TotpType::OtpPasscode => format!("{code:08}"),
        TotpType::QrPlaintext => content,
        TotpType::QrSvg => b64(format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><desc>{}</desc></svg>",
            hex::encode(&digest[..8])
        )
        .as_bytes()),
        TotpType::QrAnsi => b64(format!("\u{1b}[7m  \u{1b}[0m QR {}\n", hex::encode(&digest[..8])).as_bytes()),
        TotpType::QrPng | TotpType::Unknown(_) => {
            let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
            png.extend_from_slice(&digest);
            b64(&png)
        }
    };
    let format = if kind.is_known() { kind.clone() } else { TotpType::QrPng };
    Totp {
        format: Some(format),
        expiry: Some(TerminalDateTime::Utc(now + TimeDelta::seconds(30))),
        data: Some(data),
        extra: Extra::new(),
    }
}

/// A new random 10-digit session id (sent as a string, §1.1).
fn new_session_id(st: &TerminalState) -> String {
    let mut rng = rand::rng();
    loop {
        let id = rng.random_range(1_000_000_000u64..10_000_000_000).to_string();
        if !st.sessions.contains_key(&id) {
            return id;
        }
    }
}

/// Every operation of the table, against the state.
fn handle(st: &mut TerminalState, cx: &Cx, op: AnyOperation, invalid_dates: Vec<String>) -> Out {
    use AnyOperation as A;
    let me = cx.user.clone().unwrap_or_default();
    match op {
        // §1 session
        A::Login(o) => {
            let ok = st.users.get(&o.credentials.username).is_some_and(|u| {
                u.password.as_ref().is_some_and(|p| p.expose() == o.credentials.password.expose())
                    && u.status.as_ref().and_then(|s| s.active) != Some(false)
            });
            if !ok {
                return Err(ApiError::bad("login failed"));
            }
            let id = new_session_id(st);
            st.sessions.insert(id.clone(), Session { user_id: o.credentials.username.clone(), last_seen: cx.now });
            reply::<Login>(&LoginReply {
                status: Some("success".into()),
                sessionid: Some(SessionId::new(id)),
                extra: Extra::new(),
            })
        }
        A::Logout(_) => {
            if let Some(sid) = &cx.session {
                st.sessions.remove(sid);
            }
            reply::<Logout>(&success())
        }

        // §2 logs
        A::GetLogs(o) => Ok(get_logs(
            st,
            &LogQuery {
                from: o.from,
                to: o.to,
                employee_name: o.employee_name.as_deref(),
                employee_id: o.employee_id.as_deref(),
                department_id: o.department_id,
                trigger: o.trigger.as_deref(),
                terminal_sn: o.terminal_sn.as_deref(),
                limit: None,
            },
        )),
        A::GetFullLogs(o) => Ok(get_full_logs(
            st,
            &LogQuery {
                from: o.from,
                to: o.to,
                employee_name: o.employee_name.as_deref(),
                employee_id: o.employee_id.as_deref(),
                department_id: o.department_id,
                trigger: o.trigger.as_deref(),
                terminal_sn: o.terminal_sn.as_deref(),
                limit: o.limit,
            },
        )),
        A::GetLogPhoto(o) => {
            let at = match o.timestamp {
                TerminalDateTime::Local(n) => n,
                TerminalDateTime::Utc(u) => st.to_local(u),
            };
            let sn = o.terminal_sn.unwrap_or_else(|| st.serial.clone());
            let logs = &st.logs;
            let sn_idx = logs.strings.get(&sn);
            let photo = logs
                .range(Some(at), Some(at))
                .into_iter()
                .map(|i| &logs.records[i])
                .filter(|r| sn_idx == Some(u32::from(r.terminal)))
                .find_map(|r| logs.photo(r));
            match photo {
                Some(p) => reply::<GetLogPhoto>(&Photo {
                    status: Some("success".into()),
                    jpeg_photo: Some(Base64Blob::from_bytes(&p)),
                    extra: Extra::new(),
                }),
                None => Err(ApiError::bad(format!("no log photo at {} on terminal {sn}", o.timestamp))),
            }
        }
        A::AddLog(o) => {
            let at = match o.timestamp {
                TerminalDateTime::Local(n) => n,
                TerminalDateTime::Utc(u) => st.to_local(u),
            };
            let serial = st.serial.clone();
            st.logs.push(at, &o.employee_id, &o.trigger, &serial);
            reply::<AddLog>(&success())
        }
        A::DeleteLogs(o) => {
            let cutoff = st.local_now(cx.now) - TimeDelta::days(i64::from(o.days_to_keep));
            st.logs.retain(|r| r.ts >= cutoff);
            reply::<DeleteLogs>(&success())
        }
        A::ResetLog(_) => {
            st.logs.clear();
            reply::<ResetLog>(&success())
        }

        // §3 users
        A::AddUser(o) => status::<AddUser>(add_user(st, o.user)),
        A::AddUsers(o) => reply::<AddUsers>(&o.users.into_iter().map(|u| add_user(st, u)).collect()),
        A::GetUsers(o) => {
            let eq = |want: &Option<String>, have: &Option<String>| want.is_none() || want == have;
            let users: Vec<User> = st
                .users
                .values()
                .filter(|u| o.user_id.is_none() || u.user_id == o.user_id)
                .filter(|u| {
                    o.partial_user_id.as_ref().is_none_or(|p| u.user_id.as_deref().unwrap_or("").contains(p.as_str()))
                })
                .filter(|u| {
                    eq(&o.last_name, &u.last_name)
                        && eq(&o.first_name, &u.first_name)
                        && eq(&o.other_name, &u.other_name)
                })
                .map(public_user)
                .collect();
            reply::<GetUsers>(&users)
        }
        A::UpdateUser(o) => status::<UpdateUser>(update_user(st, o.user)),
        A::UpdateUsers(o) => reply::<UpdateUsers>(&o.users.into_iter().map(|u| update_user(st, u)).collect()),
        A::DeleteUser(o) => match st.users.remove(&o.user_id) {
            Some(_) => reply::<DeleteUser>(&ok_status(format!("User {} Deleted", o.user_id))),
            None => Err(user_not_found(&o.user_id)),
        },
        A::ActivateUser(o) => {
            let u = st.users.get_mut(&o.user_id).ok_or_else(|| user_not_found(&o.user_id))?;
            u.status.get_or_insert_with(UserStatus::default).active = Some(true);
            reply::<ActivateUser>(&success())
        }
        A::DeactivateUser(o) => {
            let u = st.users.get_mut(&o.user_id).ok_or_else(|| user_not_found(&o.user_id))?;
            u.status.get_or_insert_with(UserStatus::default).active = Some(false);
            reply::<DeactivateUser>(&success())
        }
        A::GetUserMessage(o) => {
            let u = st.users.get(&o.user_id).ok_or_else(|| user_not_found(&o.user_id))?;
            reply::<GetUserMessage>(&UserMessage::new(u.message.clone().unwrap_or_default()))
        }
        A::SetUserMessage(o) => {
            let u = st.users.get_mut(&o.user_id).ok_or_else(|| user_not_found(&o.user_id))?;
            u.message = o.message.usermessage;
            reply::<SetUserMessage>(&success())
        }
        A::DeleteUserMessage(o) => {
            let u = st.users.get_mut(&o.user_id).ok_or_else(|| user_not_found(&o.user_id))?;
            u.message = None;
            reply::<DeleteUserMessage>(&success())
        }
        A::GetUserCount(_) => {
            reply::<GetUserCount>(&UserCount { usercount: Some(st.users.len() as i64), extra: Extra::new() })
        }
        A::GetUserBatch(o) => {
            let users: Vec<User> =
                st.users.values().skip(o.offset as usize).take(o.limit as usize).map(public_user).collect();
            reply::<GetUserBatch>(&users)
        }
        A::GetUserApiTotp(o) => {
            if !st.users.contains_key(&o.user_id) {
                return Err(user_not_found(&o.user_id));
            }
            reply::<GetUserApiTotp>(&totp(&o.user_id, &o.totp_type, cx.now))
        }

        // §4 departments
        A::AddDepartments(o) => {
            let single = !cx.array_body;
            let replies = o
                .departments
                .into_iter()
                .map(|d| {
                    let id = d.id.unwrap_or_default();
                    match st.departments.entry(id) {
                        Entry::Occupied(_) => err_status(format!("department ID {id} already exists")),
                        Entry::Vacant(slot) => {
                            slot.insert(d);
                            ok_status(format!("department ID {id} Added"))
                        }
                    }
                })
                .collect();
            statuses::<AddDepartments>(replies, single)
        }
        A::UpdateDepartments(o) => {
            let single = !cx.array_body;
            let replies = o
                .departments
                .into_iter()
                .map(|d| {
                    let id = d.id.unwrap_or_default();
                    match st.departments.get_mut(&id) {
                        None => err_status(format!("department ID {id} not found")),
                        Some(stored) => {
                            if d.name.is_some() {
                                stored.name = d.name;
                            }
                            if d.description.is_some() {
                                stored.description = d.description;
                            }
                            stored.extra.extend(d.extra);
                            ok_status(format!("department ID {id} Updated"))
                        }
                    }
                })
                .collect();
            statuses::<UpdateDepartments>(replies, single)
        }
        A::GetDepartments(o) => {
            let found: Vec<Department> = st
                .departments
                .values()
                .filter(|d| o.id.is_none_or(|id| d.id == Some(id)))
                .filter(|d| o.name.is_none() || d.name == o.name)
                .filter(|d| o.description.is_none() || d.description == o.description)
                .cloned()
                .collect();
            one_or_many::<GetDepartments, _>(&found, o.id.is_some())
        }
        A::DeleteDepartments(o) => {
            let ids: Vec<i64> = st
                .departments
                .iter()
                .filter(|(_, d)| o.id.is_none_or(|id| d.id == Some(id)))
                .filter(|(_, d)| o.name.is_none() || d.name == o.name)
                .filter(|(_, d)| o.description.is_none() || d.description == o.description)
                .map(|(k, _)| *k)
                .collect();
            match ids.as_slice() {
                [] => Err(ApiError::bad("no department matches")),
                [id] => {
                    st.departments.remove(id);
                    reply::<DeleteDepartments>(&ok_status(format!("department ID {id} Deleted")))
                }
                many => {
                    for id in many {
                        st.departments.remove(id);
                    }
                    reply::<DeleteDepartments>(&ok_status(format!("{} departments Deleted", many.len())))
                }
            }
        }

        // §5 access rights
        A::AddAccessRights(o) => {
            let single = !cx.array_body;
            let replies = o
                .access_rights
                .into_iter()
                .map(|mut r| {
                    let id = r.id.unwrap_or_else(|| st.access_rights.keys().last().map_or(0, |k| k + 1));
                    match st.access_rights.entry(id) {
                        Entry::Occupied(_) => err_status(format!("access right ID {id} already exists")),
                        Entry::Vacant(slot) => {
                            r.id = Some(id);
                            slot.insert(r);
                            ok_status(format!("access right ID {id} Added"))
                        }
                    }
                })
                .collect();
            statuses::<AddAccessRights>(replies, single)
        }
        A::GetAccessRights(o) => {
            let found: Vec<AccessRight> =
                st.access_rights.values().filter(|r| o.id.is_none_or(|id| r.id == Some(id))).cloned().collect();
            one_or_many::<GetAccessRights, _>(&found, o.id.is_some())
        }
        A::UpdateAccessRights(o) => {
            let single = !cx.array_body;
            let replies = o
                .access_rights
                .into_iter()
                .map(|r| {
                    let id = r.id.unwrap_or_default();
                    match st.access_rights.get_mut(&id) {
                        None => err_status(format!("access right ID {id} not found")),
                        Some(stored) => {
                            if r.name.is_some() {
                                stored.name = r.name;
                            }
                            if r.timespec.is_some() {
                                stored.timespec = r.timespec;
                            }
                            stored.extra.extend(r.extra);
                            ok_status(format!("access right ID {id} Updated"))
                        }
                    }
                })
                .collect();
            statuses::<UpdateAccessRights>(replies, single)
        }
        A::DeleteAccessRight(o) => match st.access_rights.remove(&o.id) {
            Some(_) => reply::<DeleteAccessRight>(&ok_status(format!("access right ID {} Deleted", o.id))),
            None => Err(ApiError::bad(format!("access right ID {} not found", o.id))),
        },

        // §6 access groups
        A::AddAccessGroups(o) => {
            let single = !cx.array_body;
            let replies = o
                .access_groups
                .into_iter()
                .map(|mut g| {
                    // §6.1: "if not present will auto create".
                    let id = g.id.unwrap_or_else(|| st.access_groups.keys().last().map_or(0, |k| k + 1));
                    match st.access_groups.entry(id) {
                        Entry::Occupied(_) => err_status(format!("access group ID {id} already exists")),
                        Entry::Vacant(slot) => {
                            g.id = Some(id);
                            slot.insert(g);
                            ok_status(format!("access group ID {id} Added"))
                        }
                    }
                })
                .collect();
            statuses::<AddAccessGroups>(replies, single)
        }
        A::GetAccessGroups(o) => {
            let found: Vec<AccessGroup> = st
                .access_groups
                .values()
                .filter(|g| o.groupid.is_none_or(|id| g.id == Some(id)))
                .filter(|g| o.deptid.is_none_or(|d| g.departmentid == Some(d)))
                .cloned()
                .collect();
            reply::<GetAccessGroups>(&found)
        }
        A::UpdateAccessGroups(o) => {
            let single = !cx.array_body;
            let replies = o
                .access_groups
                .into_iter()
                .map(|g| {
                    let id = g.id.unwrap_or_default();
                    match st.access_groups.get_mut(&id) {
                        None => err_status(format!("access group ID {id} not found")),
                        Some(stored) => {
                            if g.name.is_some() {
                                stored.name = g.name;
                            }
                            if g.departmentid.is_some() {
                                stored.departmentid = g.departmentid;
                            }
                            if g.accessrightid.is_some() {
                                stored.accessrightid = g.accessrightid;
                            }
                            stored.extra.extend(g.extra);
                            ok_status(format!("access group ID {id} Updated"))
                        }
                    }
                })
                .collect();
            statuses::<UpdateAccessGroups>(replies, single)
        }
        A::DeleteAccessGroup(o) => match st.access_groups.remove(&o.id) {
            Some(_) => reply::<DeleteAccessGroup>(&ok_status(format!("access group ID {} Deleted", o.id))),
            None => Err(ApiError::bad(format!("access group ID {} not found", o.id))),
        },

        // §7 triggers
        A::GetTriggers(o) => {
            let found: Vec<Trigger> = st
                .triggers
                .iter()
                .filter(|t| o.trigger_type.is_none() || t.trigger_type == o.trigger_type)
                .cloned()
                .collect();
            one_or_many::<GetTriggers, _>(&found, o.trigger_type.is_some())
        }
        A::UpdateTrigger(o) => {
            let t = o.trigger;
            let kind = t.trigger_type.clone().unwrap_or_else(|| TriggerType::Unknown(String::new()));
            let stored =
                st.trigger_mut(&kind).ok_or_else(|| ApiError::bad(format!("trigger type {kind} not found")))?;
            stored.merge(t);
            reply::<UpdateTrigger>(&ok_status(format!("trigger type {kind} schedule Updated")))
        }
        A::ClearTrigger(o) => {
            let stored = st
                .trigger_mut(&o.trigger_type)
                .ok_or_else(|| ApiError::bad(format!("trigger type {} not found", o.trigger_type)))?;
            stored.timespec = None;
            reply::<ClearTrigger>(&ok_status(format!("trigger type {} schedule cleared", o.trigger_type)))
        }

        // §8 personal
        A::GetMyself(_) => {
            let u = st.users.get(&me).ok_or_else(|| user_not_found(&me))?;
            reply::<GetMyself>(&public_user(u))
        }
        A::UpdateMyself(o) => {
            let b = o.myself;
            if b.user_id != me {
                return Err(ApiError::bad(format!("userID {} is not the logged-in user", b.user_id)));
            }
            let u = st.users.get_mut(&me).ok_or_else(|| user_not_found(&me))?;
            macro_rules! take { ($($f:ident),*) => { $( if b.$f.is_some() { u.$f = b.$f; } )* } }
            take!(last_name, first_name, other_name, password, cardsn);
            reply::<UpdateMyself>(&ok_status(format!("User {me} Updated")))
        }

        // §9 agents
        A::RegisterAgent(o) => {
            let url = o.agent.url.as_str().to_string();
            st.agents.retain(|a| a.url.as_deref() != Some(url.as_str()));
            let epoch = TerminalDateTime::Utc(DateTime::<Utc>::UNIX_EPOCH);
            st.agents.push(Agent {
                url: Some(url),
                registration_time: Some(TerminalDateTime::Utc(cx.now.with_timezone(&Utc))),
                last_update: Some(epoch),
                last_check: Some(epoch),
                last_check_status: Some(false),
                active: Some(true),
                extra: Extra::new(),
            });
            reply::<RegisterAgent>(&ok_status("agent registered"))
        }
        A::UnregisterAgent(o) => {
            let before = st.agents.len();
            st.agents.retain(|a| a.url.as_deref() != Some(o.url.as_str()));
            if st.agents.len() == before {
                return Err(ApiError::bad(format!("agent {} is not registered", o.url)));
            }
            reply::<UnregisterAgent>(&ok_status("Unregistration Agent Success"))
        }
        A::GetAgents(_) => reply::<GetAgents>(&st.agents.clone()),

        // §10 time
        A::GetNtp(_) => reply::<GetNtp>(&st.ntp.clone()),
        A::SetNtp(o) => {
            st.ntp = o.ntp;
            reply::<SetNtp>(&ok_status("NTP Server setting updated"))
        }
        A::GetTime(_) => reply::<GetTime>(&TerminalTime::new(
            TerminalDateTime::Local(st.local_now(cx.now)),
            TimeZoneId::new(st.timezone.clone()).unwrap_or_else(|_| TimeZoneId::new("UTC").expect("UTC")),
        )),
        A::SetTime(o) => {
            if let Some(tz) = &o.time.timezone {
                st.timezone = tz.as_str().to_string();
            }
            let wanted = match o.time.current_time {
                Some(TerminalDateTime::Utc(u)) => Some(u),
                Some(TerminalDateTime::Local(n)) => Some(st.to_utc(n)),
                None => None,
            };
            if let Some(wanted) = wanted {
                st.time_offset = wanted - cx.now;
            }
            reply::<SetTime>(&ok_status("Time setting updated"))
        }

        // §11 terminal functions
        A::OpenDoor(_) => {
            let (now, serial) = (st.local_now(cx.now), st.serial.clone());
            st.logs.push(now, &me, "REMOTE DOOR OPEN", &serial);
            st.door_opens += 1;
            reply::<OpenDoor>(&ok_status("Main door opened"))
        }
        A::GetApiVersion(_) => reply::<GetApiVersion>(&ApiVersion {
            name: Some("A4 REST API".into()),
            version: Some("0.1".into()),
            extra: Extra::new(),
        }),
        A::GetTerminalStatus(_) => {
            let automatch = st.users.values().filter(|u| u.status.as_ref().and_then(|s| s.auto_match) == Some(true));
            reply::<GetTerminalStatus>(&TerminalStatus {
                serial_number: Some(st.serial.clone()),
                fam_version: Some("NO FAM".into()),
                description: Some(st.description.clone()),
                registered_users: Some(st.users.len() as i64),
                maximum_users: Some(100_000),
                automatch_users: Some(automatch.count() as i64),
                maximum_automatch_users: Some(0),
                current_status: Some("Online".into()),
                firmware_version: Some(st.firmware.clone()),
                extra: Extra::new(),
            })
        }
        A::RelayActionOp(o) => {
            *st.relay_actions.entry(format!("{} {}", o.action, o.relay)).or_default() += 1;
            let done = if o.action == RelayAction::Open { "opened" } else { "closed" };
            reply::<RelayActionOp>(&ok_status(format!("Relay {} {done}", o.relay)))
        }
        A::SetRelaySetting(o) => {
            let s = o.setting;
            if let Some(delay) = s.delay
                && !st.door_open_schedule
                && !delay.allowed_without_schedule()
            {
                return Err(ApiError::bad(format!(
                    "relay delay {delay} s is out of range: 1 to 20 seconds while the door open schedule is disabled (§11.5)"
                )));
            }
            let id = s.id.clone().unwrap_or(RelayId::One);
            st.relays.retain(|r| r.id.as_ref() != Some(&id));
            st.relays.push(s);
            st.relays.sort_by_key(|r| r.id != Some(RelayId::One));
            reply::<SetRelaySetting>(&ok_status(format!("relay setting {id} updated")))
        }
        A::GetRelaySetting(o) => {
            let found: Vec<RelaySetting> = st
                .relays
                .iter()
                .filter(|r| o.relay == RelayTarget::All || r.id.as_ref().map(RelayId::as_str) == Some(o.relay.as_str()))
                .cloned()
                .collect();
            one_or_many::<GetRelaySetting, _>(&found, o.relay != RelayTarget::All)
        }
        A::SetAutoInOut(o) => {
            st.auto_in_out = o.setting;
            reply::<SetAutoInOut>(&ok_status("autoInOut option updated"))
        }
        A::GetAutoInOut(_) => reply::<GetAutoInOut>(&st.auto_in_out.clone()),
        // §11.9/§11.10 and §11.16's log_unAuth_event are one setting.
        A::SetLogUnauthorizedEvent(o) => {
            st.log_setting.log_unauth_event = Some(o.enable);
            reply::<SetLogUnauthorizedEvent>(&ok_status(format!("logUnauthorizedEvent set {}", o.enable)))
        }
        A::GetLogUnauthorizedEvent(_) => reply::<GetLogUnauthorizedEvent>(&LogUnauthorizedEvent {
            enable: Some(st.log_setting.log_unauth_event.unwrap_or(false)),
            extra: Extra::new(),
        }),
        A::GetCaptureFingerprint(_) => reply::<GetCaptureFingerprint>(&Photo {
            status: None,
            jpeg_photo: Some(Base64Blob::from_bytes(&demo_jpeg(0xF1, cx.now.timestamp()))),
            extra: Extra::new(),
        }),
        A::SetRtpSetting(o) => {
            // Stored as sent: what the terminal reports (sdpfile, status) is filled in by get.
            st.rtp = o.setting;
            reply::<SetRtpSetting>(&ok_status("rtp setting updated, wait few second to get latest status"))
        }
        A::GetRtpSetting(_) => {
            let mut r = st.rtp.clone();
            r.sdpfile = Some(format!("{}/A4.sdp", cx.base_url));
            r.status = Some(if r.mode == Some(RtpMode::Disable) { "Terminated" } else { "Running" }.into());
            reply::<GetRtpSetting>(&r)
        }
        A::SetConsent(o) => {
            st.consent_enabled = o.enable == ConsentMode::Enable;
            st.consent_display_name = o.display_name;
            reply::<SetConsent>(&ok_status(format!("Consent is {}", o.enable)))
        }
        A::GetConsent(_) => reply::<GetConsent>(&Consent {
            status: Some("success".into()),
            enable: Some(st.consent_enabled),
            display_name: Some(st.consent_display_name.clone()),
            extra: Extra::new(),
        }),
        A::SetLogSetting(o) => {
            let (d, s) = (&mut st.log_setting, o.setting);
            macro_rules! take { ($($f:ident),*) => { $( if s.$f.is_some() { d.$f = s.$f; } )* } }
            take!(
                log_event,
                log_size,
                log_unauth_event,
                log_accept_non_registered_card,
                log_photo_auth_event,
                log_photo_unauth_event,
                log_accept_non_registered_facial,
                log_case_event,
                log_em_option
            );
            d.extra.extend(s.extra);
            reply::<SetLogSetting>(&ok_status("log setting updated"))
        }
        A::GetLogSetting(_) => reply::<GetLogSetting>(&st.log_setting.clone()),

        // §12 job codes
        A::GetJobCodeSettings(_) => reply::<GetJobCodeSettings>(&st.job_code_settings.clone()),
        A::UpdateJobCodeSettings(o) => {
            let single = !cx.array_body;
            let replies = o
                .settings
                .into_iter()
                .map(|s| {
                    let setting = s.jobcode.map_or(0, JobCodeSettingId::get);
                    match st.job_code_settings.iter_mut().find(|x| x.jobcode == s.jobcode) {
                        None => err_status(format!("jobcode setting {setting} not found")),
                        Some(stored) => {
                            stored.merge(s);
                            ok_status(format!("jobcode setting {setting} updated"))
                        }
                    }
                })
                .collect();
            statuses::<UpdateJobCodeSettings>(replies, single)
        }
        A::AddJobCodes(o) => {
            let single = !cx.array_body;
            let mut trial = st.job_codes.clone();
            let replies: Vec<StatusReply> = o
                .job_codes
                .into_iter()
                .map(|c| {
                    let (s, i) = code_key(&c);
                    match trial.entry((s, i)) {
                        Entry::Occupied(_) => err_status(format!("jobcode {s} id {i} already exists")),
                        Entry::Vacant(slot) => {
                            slot.insert(c);
                            ok_status(format!("jobcode {s} id {i} added"))
                        }
                    }
                })
                .collect();
            check_defaults(&trial)?;
            st.job_codes = trial;
            statuses::<AddJobCodes>(replies, single)
        }
        A::UpdateJobCodes(o) => {
            let single = !cx.array_body;
            let mut trial = st.job_codes.clone();
            let replies: Vec<StatusReply> = o
                .job_codes
                .into_iter()
                .map(|c| {
                    let (s, i) = code_key(&c);
                    match trial.get_mut(&(s, i)) {
                        None => err_status(format!("jobcode {s} id {i} not found")),
                        Some(stored) => {
                            if c.name.is_some() {
                                stored.name = c.name;
                            }
                            if c.enable.is_some() {
                                stored.enable = c.enable;
                            }
                            stored.extra.extend(c.extra);
                            ok_status(format!("jobcode {s} id {i} updated"))
                        }
                    }
                })
                .collect();
            check_defaults(&trial)?;
            st.job_codes = trial;
            statuses::<UpdateJobCodes>(replies, single)
        }
        A::DeleteJobCodes(o) => {
            // §12.5 marks every filter required; an empty filter would match every job code.
            // A careful terminal refuses it and deletes nothing.
            if o.jobcode.is_none() && o.id.is_none() && o.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(ApiError::bad(
                    "delete_job_codes needs at least one of jobcode, id, name (§12.5); nothing deleted",
                ));
            }
            let keys: Vec<(u32, u32)> = st
                .job_codes
                .iter()
                .filter(|(_, c)| o.jobcode.is_none_or(|s| c.jobcode == Some(s)))
                .filter(|(_, c)| o.id.is_none_or(|i| c.id == Some(i)))
                .filter(|(_, c)| o.name.is_none() || c.name == o.name)
                .map(|(k, _)| *k)
                .collect();
            if keys.is_empty() {
                return Err(ApiError::bad("no job code matches"));
            }
            let replies = keys
                .into_iter()
                .map(|(s, i)| {
                    st.job_codes.remove(&(s, i));
                    ok_status(format!("jobcode {s} id {i} deleted"))
                })
                .collect();
            statuses::<DeleteJobCodes>(replies, true)
        }
        A::GetJobCodes(o) => {
            let found: Vec<JobCode> = st
                .job_codes
                .values()
                .filter(|c| o.jobcode.is_none_or(|s| c.jobcode == Some(s)))
                .filter(|c| o.id.is_none_or(|i| c.id == Some(i)))
                .filter(|c| o.name.is_none() || c.name == o.name)
                .filter(|c| o.enable.is_none() || c.enable == o.enable)
                .cloned()
                .collect();
            one_or_many::<GetJobCodes, _>(&found, o.id.is_some())
        }

        // §13 holidays
        A::GetHolidays(o) => {
            let dates = st.holidays.iter().copied().filter(|d| o.date.is_none_or(|q| q.matches(*d))).collect();
            reply::<GetHolidays>(&Holidays::new(dates))
        }
        A::SetHolidays(o) => {
            let mut invalid = invalid_dates;
            let mut added = 0;
            for d in o.holidays.dates.unwrap_or_default() {
                if st.holidays.insert(d) {
                    added += 1;
                } else {
                    invalid.push(d.to_string());
                }
            }
            Ok(holidays_reply(added, "added", invalid))
        }
        A::DeleteHolidays(o) => {
            let mut invalid = invalid_dates;
            let mut deleted = 0;
            for d in o.holidays.dates.unwrap_or_default() {
                if st.holidays.remove(&d) {
                    deleted += 1;
                } else {
                    invalid.push(d.to_string());
                }
            }
            Ok(holidays_reply(deleted, "deleted", invalid))
        }
    }
}
