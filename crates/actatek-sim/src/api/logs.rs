//! §2: Event logs.

use super::users::full_name;
use super::*;

/// The filters of get_logs and get_full_logs (the same fields), as one query.
macro_rules! log_query {
    ($o:expr, $limit:expr) => {
        LogQuery {
            from: $o.from,
            to: $o.to,
            employee_name: $o.employee_name.as_deref(),
            employee_id: $o.employee_id.as_deref(),
            department_id: $o.department_id,
            trigger: $o.trigger.as_deref(),
            terminal_sn: $o.terminal_sn.as_deref(),
            limit: $limit,
        }
    };
}

pub(super) fn get_logs(st: &mut TerminalState, _cx: &Cx, o: GetLogs) -> Out {
    Ok(query_logs(st, &log_query!(o, None)))
}

pub(super) fn get_full_logs(st: &mut TerminalState, _cx: &Cx, o: GetFullLogs) -> Out {
    Ok(query_full_logs(st, &log_query!(o, o.limit)))
}

pub(super) fn get_log_photo(st: &mut TerminalState, _cx: &Cx, o: GetLogPhoto) -> Out {
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

pub(super) fn add_log(st: &mut TerminalState, _cx: &Cx, o: AddLog) -> Out {
    let at = match o.timestamp {
        TerminalDateTime::Local(n) => n,
        TerminalDateTime::Utc(u) => st.to_local(u),
    };
    let serial = st.serial.clone();
    st.logs.push(at, &o.employee_id, &o.trigger, &serial);
    reply::<AddLog>(&success())
}

pub(super) fn delete_logs(st: &mut TerminalState, cx: &Cx, o: DeleteLogs) -> Out {
    // Days beyond the calendar (4294967294, found by Schemathesis) keep every log.
    let cutoff =
        TimeDelta::try_days(i64::from(o.days_to_keep)).and_then(|d| st.local_now(cx.now).checked_sub_signed(d));
    if let Some(cutoff) = cutoff {
        st.logs.retain(|r| r.ts >= cutoff);
    }
    reply::<DeleteLogs>(&success())
}

pub(super) fn reset_log(st: &mut TerminalState, _cx: &Cx, _: ResetLog) -> Out {
    st.logs.clear();
    reply::<ResetLog>(&success())
}

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

fn query_logs(st: &TerminalState, q: &LogQuery) -> Vec<u8> {
    let infos = (q.employee_name.is_some() || q.department_id.is_some()).then(|| user_infos(st));
    let (idx, utc) = select_logs(st, q, infos.as_deref());
    let logs = &st.logs;
    stream::<GetLogs, Log>(
        idx.len(),
        idx.iter().map(|&i| {
            let r = &logs.records[i];
            Log {
                log_id: Some(r.id),
                user_id: Some(logs.strings.resolve(r.user).into()),
                timestamp: Some(log_time(st, r.ts, utc)),
                trigger: Some(logs.strings.resolve(r.trigger).into()),
                terminal_sn: Some(logs.strings.resolve(u32::from(r.terminal)).into()),
                extra: Extra::new(),
            }
        }),
    )
}

fn query_full_logs(st: &TerminalState, q: &LogQuery) -> Vec<u8> {
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
                user_id: Some(logs.strings.resolve(r.user).into()),
                user_name: info.and_then(|i| i.name.as_deref()).map(Into::into),
                department_name: info.and_then(|i| i.department_name.as_deref()).map(Into::into),
                timestamp: Some(log_time(st, r.ts, utc)),
                trigger: Some(trigger.into()),
                terminal_sn: Some(logs.strings.resolve(u32::from(r.terminal)).into()),
                terminal_name: Some(st.description.as_str().into()),
                jpeg_photo: logs.photo(r).map(|p| Base64Blob::from_bytes(&p)),
                access_method: Some(method.into()),
                remarks: Some(actatek_core::CompactString::from(format!("#{method}#"))),
                extra: Extra::new(),
            }
        }),
    )
}
