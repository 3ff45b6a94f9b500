//! §2: Event logs.

use super::users::full_name;
use super::*;
use crate::logs::{LogRecord, photo_of};
use std::collections::HashMap;

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

// The two log lists are handed to the server as a [`LogList`] (in `cx.log_list`), which
// writes them while it produces them; the body returned here is empty.
pub(super) fn get_logs(st: &mut TerminalState, cx: &Cx, o: GetLogs) -> Out {
    cx.log_list.replace(Some(LogList::take(st, &log_query!(o, None), false)));
    Ok(Vec::new())
}

pub(super) fn get_full_logs(st: &mut TerminalState, cx: &Cx, o: GetFullLogs) -> Out {
    cx.log_list.replace(Some(LogList::take(st, &log_query!(o, o.limit), true)));
    Ok(Vec::new())
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

/// A log list taken from the state and written in pieces as it is produced, the way a
/// terminal's CGI program writes a long list to its web server: the first logs are on the wire
/// while the last are still being written. The selected records and what they refer to are
/// copied out, so the state is not held while the list is sent.
pub(crate) struct LogList {
    full: bool,
    records: Vec<LogRecord>,
    strings: Vec<std::sync::Arc<str>>,
    /// Per interned user id (full logs only).
    infos: Vec<Option<UserInfo>>,
    /// The stored photos of the selected logs (full logs only).
    photos: HashMap<i64, Vec<u8>>,
    photo_seed: u64,
    terminal_name: String,
    /// Answer in UTC (§2.1) with the terminal's zone.
    utc: Option<chrono_tz::Tz>,
    next: usize,
}

/// Logs per piece: about 70 KB of full logs.
const LOGS_PER_PIECE: usize = 256;

impl LogList {
    fn take(st: &TerminalState, q: &LogQuery, full: bool) -> LogList {
        let infos = (full || q.employee_name.is_some() || q.department_id.is_some()).then(|| user_infos(st));
        let (idx, utc) = select_logs(st, q, infos.as_deref());
        let logs = &st.logs;
        let records: Vec<LogRecord> = idx.iter().map(|&i| logs.records[i]).collect();
        let photos = if full {
            records.iter().filter_map(|r| Some((r.id, logs.photos.get(&r.id)?.clone()))).collect()
        } else {
            HashMap::new()
        };
        LogList {
            full,
            records,
            strings: logs.strings.snapshot(),
            infos: if full { infos.unwrap_or_default() } else { Vec::new() },
            photos,
            photo_seed: logs.photo_seed(),
            terminal_name: st.description.clone(),
            utc: utc.then(|| st.tz()),
            next: 0,
        }
    }

    /// Whether every log has been written.
    pub(crate) fn is_done(&self) -> bool {
        self.next > self.records.len()
    }

    /// The next piece of the reply: `[` first, up to [`LOGS_PER_PIECE`] logs, `]` last.
    pub(crate) fn next_piece(&mut self) -> Vec<u8> {
        let (start, total) = (self.next, self.records.len());
        let end = (start + LOGS_PER_PIECE).min(total);
        let mut out = Vec::with_capacity((end - start) * if self.full { 300 } else { 130 } + 2);
        if start == 0 {
            out.push(b'[');
        }
        for (k, r) in self.records[start..end].iter().enumerate() {
            if start + k > 0 {
                out.push(b',');
            }
            if self.full {
                serde_json::to_writer(&mut out, &self.full_log(r))
            } else {
                serde_json::to_writer(&mut out, &self.log(r))
            }
            .expect("replies always serialize");
        }
        if end == total {
            out.push(b']');
            self.next = total + 1;
        } else {
            self.next = end;
        }
        out
    }

    /// The whole reply at once.
    pub(crate) fn into_bytes(mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while !self.is_done() {
            out.extend_from_slice(&self.next_piece());
        }
        out
    }

    fn resolve(&self, i: u32) -> &str {
        &self.strings[i as usize]
    }

    fn time(&self, ts: NaiveDateTime) -> TerminalDateTime {
        match self.utc {
            Some(tz) => TerminalDateTime::Utc(crate::state::local_to_utc(tz, ts)),
            None => TerminalDateTime::Local(ts),
        }
    }

    fn log(&self, r: &LogRecord) -> Log {
        Log {
            log_id: Some(r.id),
            user_id: Some(self.resolve(r.user).into()),
            timestamp: Some(self.time(r.ts)),
            trigger: Some(self.resolve(r.trigger).into()),
            terminal_sn: Some(self.resolve(u32::from(r.terminal)).into()),
            extra: Extra::new(),
        }
    }

    fn full_log(&self, r: &LogRecord) -> FullLog {
        let info = self.infos.get(r.user as usize).and_then(Option::as_ref);
        let trigger = self.resolve(r.trigger);
        let method = if trigger == "REMOTE DOOR OPEN" {
            "REMOTE"
        } else {
            ACCESS_METHODS[(r.id as usize) % ACCESS_METHODS.len()]
        };
        FullLog {
            log_id: Some(r.id),
            user_id: Some(self.resolve(r.user).into()),
            user_name: info.and_then(|i| i.name.as_deref()).map(Into::into),
            department_name: info.and_then(|i| i.department_name.as_deref()).map(Into::into),
            timestamp: Some(self.time(r.ts)),
            trigger: Some(trigger.into()),
            terminal_sn: Some(self.resolve(u32::from(r.terminal)).into()),
            terminal_name: Some(self.terminal_name.as_str().into()),
            jpeg_photo: photo_of(r, self.photo_seed, &self.photos).map(|p| Base64Blob::from_bytes(&p)),
            access_method: Some(method.into()),
            remarks: Some(actatek_core::CompactString::from(format!("#{method}#"))),
            extra: Extra::new(),
        }
    }
}

const ACCESS_METHODS: &[&str] = &["FACE", "FINGERPRINT", "CARD", "PASSWORD"];
