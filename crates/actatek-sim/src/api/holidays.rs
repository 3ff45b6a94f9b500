//! §13: Holidays.

use super::*;

pub(super) fn get_holidays(st: &mut TerminalState, _cx: &Cx, o: GetHolidays) -> Out {
    let dates = st.holidays.iter().copied().filter(|d| o.date.is_none_or(|q| q.matches(*d))).collect();
    reply::<GetHolidays>(&Holidays::new(dates))
}

pub(super) fn set_holidays(st: &mut TerminalState, cx: &Cx, o: SetHolidays) -> Out {
    let mut invalid = cx.invalid_dates.clone();
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

pub(super) fn delete_holidays(st: &mut TerminalState, cx: &Cx, o: DeleteHolidays) -> Out {
    let mut invalid = cx.invalid_dates.clone();
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

pub(super) fn holidays_reply(n: usize, verb: &str, invalid: Vec<String>) -> Vec<u8> {
    let s = if n == 1 { "" } else { "s" };
    json(&HolidaysReply {
        status: Some("success".into()),
        message: Some(format!("{n} holiday{s} {verb}")),
        invalid_dates: Some(invalid),
        extra: Extra::new(),
    })
}
