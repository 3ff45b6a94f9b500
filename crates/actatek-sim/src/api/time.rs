//! §10: Clock, time zone and NTP.

use super::*;

pub(super) fn get_ntp(st: &mut TerminalState, _cx: &Cx, _: GetNtp) -> Out {
    reply::<GetNtp>(&st.ntp.clone())
}

pub(super) fn set_ntp(st: &mut TerminalState, _cx: &Cx, o: SetNtp) -> Out {
    st.ntp = o.ntp;
    reply::<SetNtp>(&ok_status("NTP Server setting updated"))
}

pub(super) fn get_time(st: &mut TerminalState, cx: &Cx, _: GetTime) -> Out {
    reply::<GetTime>(&TerminalTime::new(
        TerminalDateTime::Local(st.local_now(cx.now)),
        TimeZoneId::new(st.timezone.clone()).unwrap_or_else(|_| TimeZoneId::new("UTC").expect("UTC")),
    ))
}

pub(super) fn set_time(st: &mut TerminalState, cx: &Cx, o: SetTime) -> Out {
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
