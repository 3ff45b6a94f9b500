//! The terminal's behaviour: one request, already routed by the core's table, against the
//! state. Replies are built from the core's reply types (`<Op as Operation>::Reply`), so the
//! simulator cannot answer a shape the client does not read.
//!
//! This module reads a request the way the terminal reads it (session, unknown parameters,
//! odd admin levels and holiday dates, permissions); one module per section of the vendor
//! manual (the CLI's command groups) answers it, one function per operation, named as the
//! operation. The dispatcher is generated from the core's table: an operation added there
//! without its function here does not compile.

mod access_groups;
mod access_rights;
mod agents;
mod departments;
mod holidays;
use holidays::holidays_reply;
mod job_codes;
mod logs;
pub(crate) use logs::LogList;
mod session;
mod terminal;
mod time;
mod triggers;
mod users;

/// Every per-operation function, by operation name, for the generated dispatcher.
mod sections {
    pub(super) use super::access_groups::*;
    pub(super) use super::access_rights::*;
    pub(super) use super::agents::*;
    pub(super) use super::departments::*;
    pub(super) use super::holidays::*;
    pub(super) use super::job_codes::*;
    pub(super) use super::logs::*;
    pub(super) use super::session::*;
    pub(super) use super::terminal::*;
    pub(super) use super::time::*;
    pub(super) use super::triggers::*;
    pub(super) use super::users::*;
}

use crate::logs::demo_jpeg;
use crate::state::{SESSION_TIMEOUT, Session, TerminalState};
use actatek_core::ops::*;
use actatek_core::routing::Route;
use actatek_core::*;
use base64::Engine;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use rand::Rng;
use serde::Serialize;
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
    /// Holiday dates of the body that are not real dates (§13.2), taken out before typing it.
    pub invalid_dates: Vec<String>,
    /// A log list to write as it is produced (get_logs, get_full_logs), in place of the body.
    pub log_list: std::cell::RefCell<Option<LogList>>,
}

impl Cx<'_> {
    /// The logged-in user's id (empty for operations without a session).
    fn me(&self) -> String {
        self.user.clone().unwrap_or_default()
    }
}

/// Route → session check → input (read the way the terminal reads it) → validation →
/// permission → handler. Holiday dates that cannot be typed are taken out of the body first
/// and handed to the handler in `cx.invalid_dates`.
pub(crate) fn process(st: &mut TerminalState, route: &Route, query: &str, body: Option<Value>, cx: &mut Cx) -> Out {
    let info = route.operation;
    if info.needs_session {
        let sid = route.session.as_deref().unwrap_or("");
        cx.user = Some(check_session(st, sid, cx.now)?);
        cx.session = Some(sid.to_string());
    }
    cx.array_body = matches!(body, Some(Value::Array(_)));
    let query = known_query(info, query);
    let body = body.map(|b| known_admin_levels(info.name, b));
    let (body, invalid_dates) = split_holiday_dates(info.name, body);
    if info.name == SetHolidays::NAME || info.name == DeleteHolidays::NAME {
        let empty = body.as_ref().and_then(|b| b.get("dates")).and_then(Value::as_array).is_some_and(Vec::is_empty);
        if empty && !invalid_dates.is_empty() {
            let verb = if info.name == SetHolidays::NAME { "added" } else { "deleted" };
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
    cx.invalid_dates = invalid_dates;
    handle(st, cx, op)
}

/// One arm per row of the core's table: the operation's function in its section's module.
macro_rules! dispatch {
    ($( $name:ident $Op:ident; )*) => {
        /// Every operation of the table, against the state.
        fn handle(st: &mut TerminalState, cx: &Cx, op: AnyOperation) -> Out {
            match op {
                $( AnyOperation::$Op(o) => sections::$name(st, cx, o), )*
            }
        }
    };
}

actatek_core::operation_names!(dispatch);

/// The query without the parameters the operation does not have: the terminal ignores what
/// it does not know (`GET /user/{sid}?userID=x&foo=bar` is get_users for `x`).
fn known_query(info: &OperationInfo, query: &str) -> String {
    let known = |pair: &&str| {
        let name = pair.split_once('=').map_or(*pair, |(k, _)| k);
        let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
        info.params.iter().any(|p| p.location == Location::Query && p.wire == name)
    };
    query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).filter(known).collect::<Vec<_>>().join("&")
}

/// §3.1, §3.4: "if not present or other words, default to PERSONALUSER". An `adminLevel` the
/// terminal does not know (another word, a number, an object) is stored as PERSONALUSER.
fn known_admin_levels(operation: &str, mut body: Value) -> Value {
    if ![AddUser::NAME, AddUsers::NAME, UpdateUser::NAME, UpdateUsers::NAME].contains(&operation) {
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
    if (operation == SetHolidays::NAME || operation == DeleteHolidays::NAME)
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

/// A store of records found by key, for [`update_by_id`].
trait ById<K, T> {
    fn by_id(&mut self, key: &K) -> Option<&mut T>;
}

impl<K: Ord, T> ById<K, T> for BTreeMap<K, T> {
    fn by_id(&mut self, key: &K) -> Option<&mut T> {
        self.get_mut(key)
    }
}

/// Update by id, as the terminal does for every "update" operation: each record of the body is
/// looked up by its key; `merge` applies it (the fields it holds replace the stored ones, the
/// others stay, its unknown fields are added). One status per record, `"{name} {updated}"` or
/// `"{name} not found"`, where `name` names the record by its key ("department ID 3").
fn update_by_id<T, K>(
    store: &mut impl ById<K, T>,
    items: Vec<T>,
    key: impl Fn(&T) -> K,
    merge: impl Fn(&mut T, T),
    name: impl Fn(&K) -> String,
    updated: &str,
) -> Vec<StatusReply> {
    items
        .into_iter()
        .map(|item| {
            let k = key(&item);
            match store.by_id(&k) {
                None => err_status(format!("{} not found", name(&k))),
                Some(stored) => {
                    merge(stored, item);
                    ok_status(format!("{} {updated}", name(&k)))
                }
            }
        })
        .collect()
}

/// Add by id, as the terminal does for "add" operations keyed by an integer id: a record
/// without an id gets the next free one when `auto_id` (§5.1, §6.1: "if not present will auto
/// create"), else id 0; an id already taken is refused for that record alone. One status per
/// record, `"{name} Added"` or `"{name} already exists"`.
fn add_by_id<T>(
    store: &mut BTreeMap<i64, T>,
    items: Vec<T>,
    id: impl Fn(&mut T) -> &mut Option<i64>,
    auto_id: bool,
    name: impl Fn(i64) -> String,
) -> Vec<StatusReply> {
    items
        .into_iter()
        .map(|mut item| {
            // After an id of i64::MAX there is no next one (Schemathesis sent that id).
            let Some(next) = store.keys().last().map_or(Some(0), |k| k.checked_add(1)) else {
                return err_status("no free id left".to_string());
            };
            let key = *id(&mut item).get_or_insert(if auto_id { next } else { 0 });
            match store.entry(key) {
                Entry::Occupied(_) => err_status(format!("{} already exists", name(key))),
                Entry::Vacant(slot) => {
                    slot.insert(item);
                    ok_status(format!("{} Added", name(key)))
                }
            }
        })
        .collect()
}

/// A single status reply, or the error it carries as an HTTP 400.
fn status<O: Operation<Reply = StatusReply>>(r: StatusReply) -> Out {
    if r.status.as_deref() == Some("error") {
        Err(ApiError::bad(r.message.unwrap_or_default()))
    } else {
        reply::<O>(&r)
    }
}
