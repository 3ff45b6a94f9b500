//! §11: Terminal functions: door, relays, status and settings.

use super::*;

pub(super) fn open_door(st: &mut TerminalState, cx: &Cx, _: OpenDoor) -> Out {
    let me = cx.me();
    let (now, serial) = (st.local_now(cx.now), st.serial.clone());
    st.logs.push(now, &me, "REMOTE DOOR OPEN", &serial);
    st.door_opens += 1;
    reply::<OpenDoor>(&ok_status("Main door opened"))
}

pub(super) fn get_api_version(_st: &mut TerminalState, _cx: &Cx, _: GetApiVersion) -> Out {
    reply::<GetApiVersion>(&ApiVersion {
        name: Some("A4 REST API".into()),
        version: Some("0.1".into()),
        extra: Extra::new(),
    })
}

pub(super) fn get_terminal_status(st: &mut TerminalState, _cx: &Cx, _: GetTerminalStatus) -> Out {
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

pub(super) fn relay_action(st: &mut TerminalState, _cx: &Cx, o: RelayActionOp) -> Out {
    *st.relay_actions.entry(format!("{} {}", o.action, o.relay)).or_default() += 1;
    let done = if o.action == RelayAction::Open { "opened" } else { "closed" };
    reply::<RelayActionOp>(&ok_status(format!("Relay {} {done}", o.relay)))
}

pub(super) fn set_relay_setting(st: &mut TerminalState, _cx: &Cx, o: SetRelaySetting) -> Out {
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

pub(super) fn get_relay_setting(st: &mut TerminalState, _cx: &Cx, o: GetRelaySetting) -> Out {
    let found: Vec<RelaySetting> = st
        .relays
        .iter()
        .filter(|r| o.relay == RelayTarget::All || r.id.as_ref().map(RelayId::as_str) == Some(o.relay.as_str()))
        .cloned()
        .collect();
    one_or_many::<GetRelaySetting, _>(&found, o.relay != RelayTarget::All)
}

pub(super) fn set_auto_in_out(st: &mut TerminalState, _cx: &Cx, o: SetAutoInOut) -> Out {
    st.auto_in_out = o.setting;
    reply::<SetAutoInOut>(&ok_status("autoInOut option updated"))
}

pub(super) fn get_auto_in_out(st: &mut TerminalState, _cx: &Cx, _: GetAutoInOut) -> Out {
    reply::<GetAutoInOut>(&st.auto_in_out.clone())
}

pub(super) fn set_log_unauthorized_event(st: &mut TerminalState, _cx: &Cx, o: SetLogUnauthorizedEvent) -> Out {
    st.log_setting.log_unauth_event = Some(o.enable);
    reply::<SetLogUnauthorizedEvent>(&ok_status(format!("logUnauthorizedEvent set {}", o.enable)))
}

pub(super) fn get_log_unauthorized_event(st: &mut TerminalState, _cx: &Cx, _: GetLogUnauthorizedEvent) -> Out {
    reply::<GetLogUnauthorizedEvent>(&LogUnauthorizedEvent {
        enable: Some(st.log_setting.log_unauth_event.unwrap_or(false)),
        extra: Extra::new(),
    })
}

pub(super) fn get_capture_fingerprint(_st: &mut TerminalState, cx: &Cx, _: GetCaptureFingerprint) -> Out {
    reply::<GetCaptureFingerprint>(&Photo {
        status: None,
        jpeg_photo: Some(Base64Blob::from_bytes(&demo_jpeg(0xF1, cx.now.timestamp()))),
        extra: Extra::new(),
    })
}

pub(super) fn set_rtp_setting(st: &mut TerminalState, _cx: &Cx, o: SetRtpSetting) -> Out {
    // Stored as sent: what the terminal reports (sdpfile, status) is filled in by get.
    st.rtp = o.setting;
    reply::<SetRtpSetting>(&ok_status("rtp setting updated, wait few second to get latest status"))
}

pub(super) fn get_rtp_setting(st: &mut TerminalState, cx: &Cx, _: GetRtpSetting) -> Out {
    let mut r = st.rtp.clone();
    r.sdpfile = Some(format!("{}/A4.sdp", cx.base_url));
    r.status = Some(if r.mode == Some(RtpMode::Disable) { "Terminated" } else { "Running" }.into());
    reply::<GetRtpSetting>(&r)
}

pub(super) fn set_consent(st: &mut TerminalState, _cx: &Cx, o: SetConsent) -> Out {
    st.consent_enabled = o.enable == ConsentMode::Enable;
    st.consent_display_name = o.display_name;
    reply::<SetConsent>(&ok_status(format!("Consent is {}", o.enable)))
}

pub(super) fn get_consent(st: &mut TerminalState, _cx: &Cx, _: GetConsent) -> Out {
    reply::<GetConsent>(&Consent {
        status: Some("success".into()),
        enable: Some(st.consent_enabled),
        display_name: Some(st.consent_display_name.clone()),
        extra: Extra::new(),
    })
}

pub(super) fn set_log_setting(st: &mut TerminalState, _cx: &Cx, o: SetLogSetting) -> Out {
    st.log_setting.merge(o.setting);
    reply::<SetLogSetting>(&ok_status("log setting updated"))
}

pub(super) fn get_log_setting(st: &mut TerminalState, _cx: &Cx, _: GetLogSetting) -> Out {
    reply::<GetLogSetting>(&st.log_setting.clone())
}
