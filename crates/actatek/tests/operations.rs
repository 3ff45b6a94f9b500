//! Every canonical operation, through the client, against the simulator over loopback.

mod common;

use actatek::ops::*;
use actatek::*;
use chrono::NaiveDate;
use std::collections::BTreeSet;

fn dt(s: &str) -> TerminalDateTime {
    s.parse().unwrap()
}

fn ok(r: &StatusReply) {
    assert!(r.is_success(), "{r:?}");
}

#[tokio::test]
async fn every_operation_works_against_the_simulator() {
    let sim = common::sim(5, 200).await;
    let t = common::client(&sim);
    let mut done = BTreeSet::new();
    macro_rules! did {
        ($($n:literal),*) => { $( done.insert($n); )* };
    }

    // Session (§1) and terminal info (§11.2, §11.3).
    let login =
        t.login(Credentials { username: common::USER.into(), password: common::PASSWORD.into() }).await.unwrap();
    assert!(!login.sessionid.expect("a session id").expose().is_empty());
    let version = t.get_api_version().await.unwrap();
    assert!(!version.version.unwrap_or_default().is_empty());
    let status = t.get_terminal_status().await.unwrap();
    assert!(status.serial_number.is_some());
    did!("login", "get_api_version", "get_terminal_status");

    // Users (§3).
    let mut user = User::new("A/1 #2?");
    user.first_name = Some("Ben".into());
    user.last_name = Some("John".into());
    user.status = Some(UserStatus::active());
    user.extra.insert("vendorField".into(), serde_json::json!({"kept": true}));
    ok(&t.add_user(user.clone()).await.unwrap());
    let found = t.get_users(GetUsers { user_id: Some("A/1 #2?".into()), ..Default::default() }).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].first_name.as_deref(), Some("Ben"));
    assert_eq!(found[0].extra.get("vendorField"), Some(&serde_json::json!({"kept": true})), "unknown fields survive");
    let mut batch = vec![User::new("B1"), User::new("B2")];
    for u in &mut batch {
        u.status = Some(UserStatus::all(true));
    }
    let replies = t.add_users(batch.clone()).await.unwrap();
    assert_eq!(replies.len(), 2);
    replies.iter().for_each(ok);
    let mut changed = found[0].clone();
    changed.other_name = Some("Teddy".into());
    ok(&t.update_user(changed).await.unwrap());
    batch[0].first_name = Some("Bee".into());
    batch[1].first_name = Some("Bea".into());
    t.update_users(batch).await.unwrap().iter().for_each(ok);
    let count = t.get_user_count().await.unwrap().usercount;
    assert_eq!(count, Some(5 + 1 + 3), "seeded users + admin + three added");
    assert_eq!(t.get_user_batch(0, 4).await.unwrap().len(), 4);
    ok(&t.deactivate_user("B1".into()).await.unwrap());
    let b1 = t.get_users(GetUsers { user_id: Some("B1".into()), ..Default::default() }).await.unwrap();
    assert_eq!(b1[0].status.as_ref().unwrap().active, Some(false));
    ok(&t.activate_user("B1".into()).await.unwrap());
    ok(&t.set_user_message("B1".into(), UserMessage::new("Hello")).await.unwrap());
    assert_eq!(t.get_user_message("B1".into()).await.unwrap().usermessage.as_deref(), Some("Hello"));
    ok(&t.delete_user_message("B1".into()).await.unwrap());
    let totp = t.get_user_api_totp("B1".into(), TotpType::OtpPasscode).await.unwrap();
    assert_eq!(totp.format, Some(TotpType::OtpPasscode));
    ok(&t.delete_user("B2".into()).await.unwrap());
    did!(
        "add_user",
        "get_users",
        "add_users",
        "update_user",
        "update_users",
        "get_user_count",
        "get_user_batch",
        "deactivate_user",
        "activate_user",
        "set_user_message",
        "get_user_message",
        "delete_user_message",
        "get_user_api_totp",
        "delete_user"
    );

    // Departments (§4).
    t.add_departments(vec![Department::new(21, "ABC", "LONG")]).await.unwrap().iter().for_each(ok);
    t.update_departments(vec![Department::new(21, "ABD", "LONGER")]).await.unwrap().iter().for_each(ok);
    let d = t.get_departments(GetDepartments { id: Some(21), ..Default::default() }).await.unwrap();
    assert_eq!(d[0].name.as_deref(), Some("ABD"));
    ok(&t.delete_departments(DeleteDepartments { id: Some(21), ..Default::default() }).await.unwrap());
    assert!(
        t.get_departments(GetDepartments { id: Some(21), ..Default::default() })
            .await
            .map(|v| v.is_empty())
            .unwrap_or(true)
    );
    did!("add_departments", "update_departments", "get_departments", "delete_departments");

    // Access rights (§5) and groups (§6).
    let office = TimePattern::from_ranges("08:00-12:30, 13:30-17:00").unwrap();
    let right = AccessRight {
        id: Some(14),
        name: Some("Office".into()),
        timespec: Some(vec![TimeSpec::new(Weekday::Monday, office)]),
        extra: Extra::new(),
    };
    t.add_access_rights(vec![right.clone()]).await.unwrap().iter().for_each(ok);
    t.update_access_rights(vec![AccessRight { name: Some("Office hours".into()), ..right }])
        .await
        .unwrap()
        .iter()
        .for_each(ok);
    let rights = t.get_access_rights(Some(14)).await.unwrap();
    assert_eq!(rights[0].timespec.as_ref().unwrap()[0].time_pattern, Some(office));
    let group = AccessGroup {
        id: Some(9),
        name: Some("Staff".into()),
        departmentid: Some(1),
        accessrightid: Some(vec![14]),
        extra: Extra::new(),
    };
    t.add_access_groups(vec![group.clone()]).await.unwrap().iter().for_each(ok);
    t.update_access_groups(vec![AccessGroup { name: Some("All staff".into()), ..group }])
        .await
        .unwrap()
        .iter()
        .for_each(ok);
    let groups = t.get_access_groups(GetAccessGroups { groupid: Some(9), ..Default::default() }).await.unwrap();
    assert_eq!(groups[0].name.as_deref(), Some("All staff"));
    ok(&t.delete_access_group(9).await.unwrap());
    ok(&t.delete_access_right(14).await.unwrap());
    did!(
        "add_access_rights",
        "update_access_rights",
        "get_access_rights",
        "delete_access_right",
        "add_access_groups",
        "update_access_groups",
        "get_access_groups",
        "delete_access_group"
    );

    // Triggers (§7).
    let mut lunch = Trigger::new(TriggerType::f(1).unwrap());
    lunch.name = Some("Lunch".into());
    lunch.enable = Some(true);
    lunch.free_jobcode = Some(true);
    lunch.timespec = Some(vec![TimeSpec::new(Weekday::Friday, TimePattern::from_ranges("12:00-13:00").unwrap())]);
    ok(&t.update_trigger(lunch).await.unwrap());
    let f1 = t.get_triggers(Some(TriggerType::f(1).unwrap())).await.unwrap();
    assert_eq!(f1[0].name.as_deref(), Some("Lunch"));
    ok(&t.clear_trigger(TriggerType::f(1).unwrap()).await.unwrap());
    let f1 = t.get_triggers(Some(TriggerType::f(1).unwrap())).await.unwrap();
    assert!(f1[0].timespec.as_ref().is_none_or(|v| v.is_empty()), "schedule cleared: {f1:?}");
    did!("update_trigger", "get_triggers", "clear_trigger");

    // Myself (§8).
    let me = t.get_myself().await.unwrap();
    assert_eq!(me.user_id.as_deref(), Some(common::USER));
    let update = MyselfUpdate {
        user_id: me.user_id.clone().unwrap_or_default(),
        other_name: Some("Root".into()),
        ..Default::default()
    };
    ok(&t.update_myself(update).await.unwrap());
    assert_eq!(t.get_myself().await.unwrap().other_name.as_deref(), Some("Root"));
    did!("get_myself", "update_myself");

    // Agents (§9).
    let url = AgentUrl::new("https://anc.cde.com/agent").unwrap();
    ok(&t.register_agent(AgentRegistration::new(url.clone())).await.unwrap());
    assert!(t.get_agents().await.unwrap().iter().any(|a| a.url.as_deref() == Some(url.as_str())));
    ok(&t.unregister_agent(url.clone()).await.unwrap());
    assert!(!t.get_agents().await.unwrap().iter().any(|a| a.url.as_deref() == Some(url.as_str())));
    did!("register_agent", "get_agents", "unregister_agent");

    // Time (§10).
    ok(&t.set_ntp(Ntp::new("0.pool.ntp.org", true)).await.unwrap());
    assert_eq!(t.get_ntp().await.unwrap().serveraddr.as_deref(), Some("0.pool.ntp.org"));
    let time = TerminalTime {
        current_time: Some(dt("2025-09-02T16:29:14")),
        timezone: Some(TimeZoneId::new("Europe/London").unwrap()),
        extra: Extra::new(),
    };
    ok(&t.set_time(time).await.unwrap());
    let now = t.get_time().await.unwrap();
    assert_eq!(now.timezone.as_ref().map(TimeZoneId::as_str), Some("Europe/London"));
    assert!(!now.current_time.unwrap().is_utc(), "get_time answers local time");
    did!("set_ntp", "get_ntp", "set_time", "get_time");

    // Terminal functions (§11).
    ok(&t.open_door().await.unwrap());
    ok(&t.relay_action(RelayAction::Open, RelayTarget::All).await.unwrap());
    ok(&t
        .set_relay_setting(RelaySetting::new(RelayId::Two, RelayOption::Doorbell, RelayDelay::new(11).unwrap()))
        .await
        .unwrap());
    let relays = t.get_relay_setting(RelayTarget::All).await.unwrap();
    assert_eq!(relays.len(), 2);
    assert_eq!(t.get_relay_setting(RelayTarget::Two).await.unwrap()[0].option, Some(RelayOption::Doorbell));
    let mut aio = AutoInOut::new(AutoInOutMode::CrowdControl);
    aio.crowd_limit_count = Some(CrowdLimit::new(100).unwrap());
    aio.crowd_reset_hhmm = Some(HhMm::new(10, 11).unwrap());
    ok(&t.set_auto_in_out(aio).await.unwrap());
    assert_eq!(t.get_auto_in_out().await.unwrap().mode, Some(AutoInOutMode::CrowdControl));
    ok(&t.set_log_unauthorized_event(true).await.unwrap());
    assert!(t.get_log_unauthorized_event().await.unwrap().enable == Some(true));
    let _fingerprint = t.get_capture_fingerprint().await.unwrap();
    let mut rtp = RtpSetting::new(RtpMode::Srtp);
    rtp.key = Some(Secret::new("k3y"));
    rtp.fps = Some(Fps::new(15).unwrap());
    ok(&t.set_rtp_setting(rtp).await.unwrap());
    let rtp = t.get_rtp_setting().await.unwrap();
    assert_eq!((rtp.mode, rtp.fps.map(Fps::get)), (Some(RtpMode::Srtp), Some(15)));
    ok(&t.set_consent(ConsentMode::Enable, "Jakin ID/Front".into()).await.unwrap());
    let consent = t.get_consent().await.unwrap();
    assert!(consent.enable == Some(true));
    assert_eq!(consent.display_name.as_deref(), Some("Jakin ID/Front"));
    let setting = LogSetting {
        log_event: Some(LogEvent::UserEvent),
        log_size: Some(LogSize::new(75_000).unwrap()),
        ..Default::default()
    };
    ok(&t.set_log_setting(setting).await.unwrap());
    assert_eq!(t.get_log_setting().await.unwrap().log_event, Some(LogEvent::UserEvent));
    did!(
        "open_door",
        "relay_action",
        "set_relay_setting",
        "get_relay_setting",
        "set_auto_in_out",
        "get_auto_in_out",
        "set_log_unauthorized_event",
        "get_log_unauthorized_event",
        "get_capture_fingerprint",
        "set_rtp_setting",
        "get_rtp_setting",
        "set_consent",
        "get_consent",
        "set_log_setting",
        "get_log_setting"
    );
    assert_eq!(sim.door_opens(), 1);

    // Job codes (§12).
    let settings = t.get_job_code_settings().await.unwrap();
    assert_eq!(settings.len(), 3);
    let mut s1 = settings[0].clone();
    s1.enable = Some(JobCodeEnable::Enable);
    t.update_job_code_settings(vec![s1]).await.unwrap().iter().for_each(ok);
    let code = |id: u32, enable| JobCode {
        jobcode: Some(JobCodeSettingId::new(1).unwrap()),
        id: Some(JobCodeId::new(id).unwrap()),
        name: Some(format!("Job 1-{id}")),
        enable: Some(enable),
        extra: Extra::new(),
    };
    t.add_job_codes(vec![code(101, JobCodeEnable::Enable), code(102, JobCodeEnable::Enable)])
        .await
        .unwrap()
        .iter()
        .for_each(ok);
    t.update_job_codes(vec![code(102, JobCodeEnable::Disable)]).await.unwrap().iter().for_each(ok);
    let filter = GetJobCodes {
        jobcode: Some(JobCodeSettingId::new(1).unwrap()),
        id: Some(JobCodeId::new(102).unwrap()),
        ..Default::default()
    };
    assert_eq!(t.get_job_codes(filter).await.unwrap()[0].enable, Some(JobCodeEnable::Disable));
    let delete = DeleteJobCodes {
        jobcode: Some(JobCodeSettingId::new(1).unwrap()),
        id: Some(JobCodeId::new(102).unwrap()),
        ..Default::default()
    };
    t.delete_job_codes(delete).await.unwrap().iter().for_each(ok);
    did!(
        "get_job_code_settings",
        "update_job_code_settings",
        "add_job_codes",
        "update_job_codes",
        "get_job_codes",
        "delete_job_codes"
    );

    // Holidays (§13).
    let day = |y, m, d| HolidayDate::try_from(NaiveDate::from_ymd_opt(y, m, d).unwrap()).unwrap();
    let reply =
        t.set_holidays(Holidays::new(vec![day(2031, 12, 25), day(2031, 12, 26), day(2032, 1, 1)])).await.unwrap();
    assert!(StatusReply { status: reply.status.clone(), ..Default::default() }.is_success(), "{reply:?}");
    let h2031 = t.get_holidays(Some(HolidayQuery::year(2031).unwrap())).await.unwrap();
    assert_eq!(h2031.dates, Some(vec![day(2031, 12, 25), day(2031, 12, 26)]));
    t.delete_holidays(Holidays::new(vec![day(2031, 12, 26)])).await.unwrap();
    let dec = t.get_holidays(Some(HolidayQuery::month(2031, 12).unwrap())).await.unwrap();
    assert_eq!(dec.dates, Some(vec![day(2031, 12, 25)]));
    did!("set_holidays", "get_holidays", "delete_holidays");

    // Logs (§2).
    let logs = t.get_logs(GetLogs::default()).await.unwrap();
    assert!(logs.len() >= 200, "seeded logs + door open: {}", logs.len());
    let full = t.get_full_logs(GetFullLogs { limit: Some(50), ..Default::default() }).await.unwrap();
    assert_eq!(full.len(), 50);
    let with_photo = t
        .get_full_logs(GetFullLogs::default())
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.jpeg_photo.is_some())
        .expect("some logs have photos");
    let photo = t
        .get_log_photo(with_photo.timestamp.unwrap(), with_photo.terminal_sn.as_deref().map(String::from))
        .await
        .unwrap();
    assert_eq!(photo.jpeg_photo.unwrap().decode().unwrap(), with_photo.jpeg_photo.unwrap().decode().unwrap());
    ok(&t.add_log(dt("2030-01-01T08:00:00"), "B1".into(), "IN".into()).await.unwrap());
    let mine = t.get_logs(GetLogs { employee_id: Some("B1".into()), ..Default::default() }).await.unwrap();
    assert_eq!(mine.last().unwrap().timestamp, Some(dt("2030-01-01T08:00:00")));
    let utc = t
        .get_logs(GetLogs {
            from: Some(dt("2000-01-01T00:00:00Z")),
            to: Some(dt("2100-01-01T00:00:00Z")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(utc.iter().all(|l| l.timestamp.is_some_and(|t| t.is_utc())), "both bounds UTC → UTC timestamps");
    ok(&t.delete_logs(36500).await.unwrap());
    ok(&t.reset_log().await.unwrap());
    assert!(t.get_logs(GetLogs::default()).await.unwrap().is_empty());
    did!("get_logs", "get_full_logs", "get_log_photo", "add_log", "delete_logs", "reset_log");

    ok(&t.logout().await.unwrap());
    // The client logs in again by itself after a logout.
    assert!(t.get_user_count().await.is_ok());
    t.close().await;
    did!("logout");

    let all: BTreeSet<&str> = OPERATIONS.iter().map(|o| o.name).collect();
    let missing: Vec<_> = all.difference(&done).collect();
    assert!(missing.is_empty(), "operations not exercised: {missing:?}");
    // And the simulator saw each of them.
    let seen: BTreeSet<String> = sim.requests().into_iter().filter_map(|r| r.operation).collect();
    let unseen: Vec<_> = all.iter().filter(|n| !seen.contains(**n)).collect();
    assert!(unseen.is_empty(), "simulator never saw: {unseen:?}");
}
