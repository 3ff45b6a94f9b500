//! One test per value rule (tests/README.md "Rule codes"), through the typed Rust API: the
//! constructors refuse a bad value, and an operation holding one (read leniently from a terminal,
//! or built with an `Unknown` variant) refuses to build its request. Each failure names the
//! field, the value and the rule code, and the manual section when the rule has one. Also: no
//! secret reaches a `Debug` output, and a terminal's "invalid session" is a session error.

use actatek_core::ops::*;
use actatek_core::*;
use chrono::NaiveDate;
use serde_json::json;

/// Where a rule comes from, as its error's `Display` must say.
#[derive(Clone, Copy)]
enum Manual {
    /// "manual §x.y" is shown.
    Section(&'static str),
    /// A project rule: no manual section is shown.
    Project,
    /// Not checked (the rule's section depends on the operation).
    Any,
}

/// Asserts field, rule and value, and that `Display` shows all three (and the manual section).
fn assert_error(e: &ValidationError, field: &str, rule: Rule, value: &str, manual: Manual) {
    assert_eq!(e.field, field, "field of {e}");
    assert_eq!(e.rule, rule, "rule of {e}");
    assert_eq!(e.value, value, "value of {e}");
    let shown = e.to_string();
    let named = if field.is_empty() { "request" } else { field };
    assert!(shown.starts_with(&format!("{named}: ")), "{shown:?} should start with the field {named:?}");
    assert!(shown.contains(&format!("{value:?}")), "{shown:?} should show the value {value:?}");
    assert!(shown.contains(&format!("(rule {}", rule.code())), "{shown:?} should name rule {}", rule.code());
    match manual {
        Manual::Section(s) => {
            assert_eq!(rule.section(), s, "section of rule {}", rule.code());
            assert!(shown.contains(&format!("manual §{s})")), "{shown:?} should cite manual §{s}");
        }
        Manual::Project => {
            assert_eq!(rule.section(), "project");
            assert!(!shown.contains("manual §"), "{shown:?} cites a manual section for a project rule");
        }
        Manual::Any => {}
    }
}

/// The one error of a failed check (and its `ValidationErrors` display leads with it).
fn only(result: Result<(), ValidationErrors>) -> ValidationError {
    let errors = result.expect_err("expected a validation error");
    assert_eq!(errors.errors().len(), 1, "exactly one error expected: {errors:?}");
    assert!(errors.to_string().contains(&errors.first().to_string()));
    errors.first().clone()
}

/// The single error of an operation: `validate()` and `request()` agree, and nothing is built.
fn op_error<O: Operation>(op: &O) -> ValidationError {
    let from_validate = only(op.validate());
    let from_request = op.request(Some(&SessionId::new("1805350299"))).expect_err("request must not build");
    assert_eq!(from_request.first(), &from_validate);
    from_validate
}

/// The op is valid and builds a request.
fn builds<O: Operation>(op: &O) -> HttpRequest {
    op.validate().unwrap_or_else(|e| panic!("{op:?} should be valid: {e}"));
    op.request(Some(&SessionId::new("1805350299"))).expect("valid op builds")
}

/// A value read leniently from a terminal (any number, any string): the rule is checked on write.
fn read<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("reading keeps out-of-range values")
}

fn office_hours() -> TimePattern {
    TimePattern::from_ranges("08:00-17:00").unwrap()
}

fn relay(id: RelayId, option: RelayOption, delay: u32) -> SetRelaySetting {
    SetRelaySetting { setting: RelaySetting::new(id, option, read(json!(delay))) }
}

fn job_code(setting: u32, id: u32, enable: JobCodeEnable) -> JobCode {
    JobCode {
        jobcode: Some(JobCodeSettingId::new(setting).unwrap()),
        id: Some(JobCodeId::new(id).unwrap()),
        name: Some(format!("Job {setting}-{id}")),
        enable: Some(enable),
        extra: Extra::new(),
    }
}

fn new_user(id: &str) -> User {
    User { status: Some(UserStatus::active()), ..User::new(id) }
}

// --- Date-times, schedules, triggers ---------------------------------------------------------

#[test]
fn datetime_is_yyyy_mm_ddthh_mm_ss_with_optional_fraction_and_z() {
    for ok in ["2025-07-16T10:24:13", "2025-07-16T10:24:13Z", "2025-07-16T10:24:13.250", "2025-07-16T10:24:13.5Z"] {
        TerminalDateTime::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for bad in ["2025-07-16", "2025-07-16 10:24:13", "2025-13-16T00:00:00", "2025-02-30T00:00:00", "yesterday", ""] {
        let e = TerminalDateTime::parse(bad).expect_err(bad);
        assert_error(&e, "", Rule::DateTime, bad, Manual::Section("2.1"));
    }
    // A date-time read from the wire is checked where it sits.
    let e = AnyOperation::from_wire("get_logs", &json!({"from": "2025-07-16T25:00:00"})).expect_err("bad from");
    assert_error(e.first(), "from", Rule::DateTime, "2025-07-16T25:00:00", Manual::Section("2.1"));
}

#[test]
fn required_fields_are_present_and_non_empty() {
    let department = |name: Option<&str>| Department {
        id: Some(21),
        name: name.map(str::to_string),
        description: Some("LONG".into()),
        extra: Extra::new(),
    };
    builds(&AddDepartments { departments: vec![department(Some("ABC"))] });
    let e = op_error(&AddDepartments { departments: vec![department(None)] });
    // The section of `required` depends on the operation, so it is not checked here.
    assert_error(&e, "body[0].name", Rule::Required, "<missing>", Manual::Any);
    let e = op_error(&AddDepartments { departments: vec![department(Some("ABC")), department(Some("  "))] });
    assert_error(&e, "body[1].name", Rule::Required, "", Manual::Any);
    let e = op_error(&UpdateDepartments { departments: vec![Department { id: None, ..department(Some("x")) }] });
    assert_error(&e, "body[0].id", Rule::Required, "<missing>", Manual::Any);
    let e = op_error(&SetHolidays { holidays: Holidays::new(vec![]) });
    assert_error(&e, "body.dates", Rule::Required, "<missing>", Manual::Any);
}

#[test]
fn time_pattern_is_48_zeros_and_ones() {
    let pattern = "000000000000000011111111111111111100000000000000";
    assert_eq!(TimePattern::parse(pattern).unwrap().to_ranges(), "08:00-17:00");
    let (long, two) = ("0".repeat(49), format!("{}2", "0".repeat(47)));
    let bads: [&str; 4] = ["0101", &long, &two, "08:00-17:00"];
    for bad in bads {
        let e = TimePattern::parse(bad).expect_err(bad);
        assert_error(&e, "", Rule::TimePattern, bad, Manual::Section("5.1"));
    }
    // Read in a trigger body: the error points into the timespec.
    let body = json!({"type": "F1", "timespec": [{"weekday": "MONDAY", "timePattern": pattern}, {"weekday": "TUESDAY", "timePattern": "0101"}]});
    let e = AnyOperation::from_wire("update_trigger", &json!({ "body": body })).expect_err("bad pattern");
    assert_error(e.first(), "body.timespec[1].timePattern", Rule::TimePattern, "0101", Manual::Section("5.1"));
}

#[test]
fn time_range_is_on_half_hours_start_before_end_end_at_most_24_00() {
    assert_eq!(TimePattern::from_ranges("00:00-24:00").unwrap(), TimePattern::ALL_DAY);
    assert_eq!(TimePattern::from_ranges("").unwrap(), TimePattern::EMPTY);
    assert_eq!(TimePattern::from_ranges("08:00-12:30, 13:30-17:00").unwrap().to_ranges(), "08:00-12:30, 13:30-17:00");
    for bad in ["08:15-09:00", "10:00-09:00", "10:00-10:00", "08:00-24:30", "08:00", "8:00-9:00", "08:00-25:00"] {
        let e = TimePattern::from_ranges(bad).expect_err(bad);
        assert_error(&e, "", Rule::TimeRange, bad, Manual::Project);
    }
}

#[test]
fn weekday_is_sunday_to_saturday_or_holiday() {
    for w in Weekday::ALL {
        assert_eq!(w.as_str().parse::<Weekday>().unwrap(), *w);
    }
    assert_eq!(Weekday::ALL.len(), 8);
    let e = "MON".parse::<Weekday>().expect_err("MON");
    assert_error(&e, "", Rule::Weekday, "MON", Manual::Section("5.1"));
    let mut trigger = Trigger::new(TriggerType::In);
    trigger.timespec = Some(vec![
        TimeSpec::new(Weekday::Monday, office_hours()),
        TimeSpec::new(Weekday::Unknown("HOLIDAYS".into()), office_hours()),
    ]);
    let e = op_error(&UpdateTrigger { trigger });
    assert_error(&e, "body.timespec[1].weekday", Rule::Weekday, "HOLIDAYS", Manual::Section("5.1"));
}

#[test]
fn trigger_type_is_in_out_or_f1_to_f40() {
    assert_eq!(TriggerType::all().len(), 42);
    for t in TriggerType::all() {
        assert_eq!(t.to_string().parse::<TriggerType>().unwrap(), t);
        builds(&ClearTrigger { trigger_type: t });
    }
    for bad in ["F0", "F41", "F01", "F", "in", "out", "f1", ""] {
        let e = bad.parse::<TriggerType>().expect_err(bad);
        assert_error(&e, "", Rule::TriggerType, bad, Manual::Section("7.2"));
    }
    let e = TriggerType::f(41).expect_err("F41");
    assert_error(&e, "", Rule::TriggerType, "F41", Manual::Section("7.2"));
    let e = op_error(&ClearTrigger { trigger_type: TriggerType::Unknown("F41".into()) });
    assert_error(&e, "type", Rule::TriggerType, "F41", Manual::Section("7.2"));
    let e = op_error(&GetTriggers { trigger_type: Some(TriggerType::Unknown("out".into())) });
    assert_error(&e, "type", Rule::TriggerType, "out", Manual::Section("7.2"));
}

#[test]
fn free_jobcode_only_on_f1_to_f10() {
    let with_free = |t: TriggerType| UpdateTrigger { trigger: Trigger { free_jobcode: Some(true), ..Trigger::new(t) } };
    for n in 1..=10 {
        builds(&with_free(TriggerType::f(n).unwrap()));
    }
    for t in [TriggerType::f(11).unwrap(), TriggerType::f(40).unwrap(), TriggerType::In, TriggerType::Out] {
        let e = op_error(&with_free(t.clone()));
        assert_error(&e, "body.freeJobcode", Rule::FreeJobcode, &format!("true on {t}"), Manual::Section("7.2"));
        // false is always allowed.
        builds(&UpdateTrigger { trigger: Trigger { free_jobcode: Some(false), ..Trigger::new(t) } });
    }
}

// --- Relays ----------------------------------------------------------------------------------

#[test]
fn relay_id_is_one_or_two() {
    builds(&relay(RelayId::One, RelayOption::Disable, 11));
    builds(&relay(RelayId::Two, RelayOption::Disable, 11));
    let e = "ALL".parse::<RelayId>().expect_err("ALL");
    assert_error(&e, "", Rule::RelayId, "ALL", Manual::Section("11.5"));
    let e = op_error(&relay(RelayId::Unknown("THREE".into()), RelayOption::Disable, 11));
    assert_error(&e, "body.id", Rule::RelayId, "THREE", Manual::Section("11.5"));
}

#[test]
fn relay_target_is_one_two_or_all() {
    for t in RelayTarget::ALL {
        builds(&RelayActionOp { action: RelayAction::Open, relay: t.clone() });
        builds(&GetRelaySetting { relay: t.clone() });
    }
    let e = op_error(&RelayActionOp { action: RelayAction::Open, relay: RelayTarget::Unknown("THREE".into()) });
    assert_error(&e, "relayid", Rule::RelayTarget, "THREE", Manual::Section("11.4"));
    let e = op_error(&GetRelaySetting { relay: RelayTarget::Unknown("all".into()) });
    assert_error(&e, "relayid", Rule::RelayTarget, "all", Manual::Section("11.4"));
}

#[test]
fn relay_action_is_open_or_close() {
    let req = builds(&RelayActionOp { action: RelayAction::Close, relay: RelayTarget::Two });
    assert_eq!(req.path, "/cgi-bin/restapi/relay/1805350299/close/TWO");
    let e = op_error(&RelayActionOp { action: RelayAction::Unknown("toggle".into()), relay: RelayTarget::All });
    assert_error(&e, "relayaction", Rule::RelayAction, "toggle", Manual::Section("11.4"));
    let e = "OPEN".parse::<RelayAction>().expect_err("OPEN");
    assert_error(&e, "", Rule::RelayAction, "OPEN", Manual::Section("11.4"));
}

#[test]
fn relay_option_depends_on_the_relay() {
    for option in [RelayOption::Disable, RelayOption::AccessDenied] {
        builds(&relay(RelayId::One, option, 11));
    }
    for option in RelayOption::ALL {
        builds(&relay(RelayId::Two, option.clone(), 11));
    }
    for option in [RelayOption::AccessGranted, RelayOption::Doorbell, RelayOption::BellSchedule] {
        let e = op_error(&relay(RelayId::One, option.clone(), 11));
        assert_error(&e, "body.option", Rule::RelayOption, &format!("{option} on relay ONE"), Manual::Section("11.5"));
    }
    let e = op_error(&relay(RelayId::Two, RelayOption::Unknown("enable".into()), 11));
    assert_error(&e, "body.option", Rule::RelayOption, "enable", Manual::Section("11.5"));
}

#[test]
fn relay_delay_is_1_to_1800() {
    for ok in [1, 20, 21, 1800] {
        assert_eq!(RelayDelay::new(ok).unwrap().get(), ok);
        builds(&relay(RelayId::One, RelayOption::Disable, ok));
    }
    assert!(RelayDelay::new(20).unwrap().allowed_without_schedule());
    assert!(!RelayDelay::new(21).unwrap().allowed_without_schedule());
    for bad in [0, 1801, u32::MAX] {
        let e = RelayDelay::new(bad).expect_err("out of range");
        assert_error(&e, "", Rule::RelayDelay, &bad.to_string(), Manual::Section("11.5"));
        let e = op_error(&relay(RelayId::One, RelayOption::Disable, bad));
        assert_error(&e, "body.delay", Rule::RelayDelay, &bad.to_string(), Manual::Section("11.5"));
    }
}

// --- Auto in/out -----------------------------------------------------------------------------

fn auto_in_out(f: impl FnOnce(&mut AutoInOut)) -> SetAutoInOut {
    let mut body = AutoInOut::new(AutoInOutMode::CrowdControl);
    f(&mut body);
    SetAutoInOut { setting: body }
}

#[test]
fn auto_in_out_mode_is_one_of_seven() {
    assert_eq!(AutoInOutMode::ALL.len(), 7);
    for mode in AutoInOutMode::ALL {
        builds(&SetAutoInOut { setting: AutoInOut::new(mode.clone()) });
    }
    let e = op_error(&SetAutoInOut { setting: AutoInOut::new(AutoInOutMode::Unknown("auto_in_out".into())) });
    assert_error(&e, "body.mode", Rule::AutoInOutMode, "auto_in_out", Manual::Section("11.7"));
}

#[test]
fn reject_repeat_time_is_1_to_86400() {
    for ok in [1, 86400] {
        builds(&auto_in_out(|a| a.reject_repeat_time_sec = Some(RejectRepeatSeconds::new(ok).unwrap())));
    }
    for bad in [0, 86401] {
        assert_error(
            &RejectRepeatSeconds::new(bad).unwrap_err(),
            "",
            Rule::RejectRepeatTime,
            &bad.to_string(),
            Manual::Section("11.7"),
        );
        let e = op_error(&auto_in_out(|a| a.reject_repeat_time_sec = Some(read(json!(bad)))));
        assert_error(
            &e,
            "body.rejectRepeat_time_sec",
            Rule::RejectRepeatTime,
            &bad.to_string(),
            Manual::Section("11.7"),
        );
    }
}

#[test]
fn lockout_time_is_1_to_120() {
    for ok in [1, 120] {
        builds(&auto_in_out(|a| a.lockout_time_min = Some(LockoutMinutes::new(ok).unwrap())));
    }
    for bad in [0, 121] {
        assert_error(
            &LockoutMinutes::new(bad).unwrap_err(),
            "",
            Rule::LockoutTime,
            &bad.to_string(),
            Manual::Section("11.7"),
        );
        let e = op_error(&auto_in_out(|a| a.lockout_time_min = Some(read(json!(bad)))));
        assert_error(&e, "body.lockout_time_min", Rule::LockoutTime, &bad.to_string(), Manual::Section("11.7"));
    }
}

#[test]
fn crowd_limit_is_1_to_65535() {
    for ok in [1, 65535] {
        builds(&auto_in_out(|a| a.crowd_limit_count = Some(CrowdLimit::new(ok).unwrap())));
    }
    for bad in [0, 65536] {
        assert_error(
            &CrowdLimit::new(bad).unwrap_err(),
            "",
            Rule::CrowdLimit,
            &bad.to_string(),
            Manual::Section("11.7"),
        );
        let e = op_error(&auto_in_out(|a| a.crowd_limit_count = Some(read(json!(bad)))));
        assert_error(&e, "body.crowd_limit_count", Rule::CrowdLimit, &bad.to_string(), Manual::Section("11.7"));
    }
}

#[test]
fn hhmm_is_00_00_to_23_59() {
    assert_eq!(HhMm::new(23, 59).unwrap().to_string(), "23:59");
    assert_eq!(HhMm::parse("00:00").unwrap(), HhMm::new(0, 0).unwrap());
    builds(&auto_in_out(|a| a.crowd_reset_hhmm = Some(HhMm::parse("10:11").unwrap())));
    for bad in ["24:00", "23:60", "9:00", "09:0", "0900", "ab:cd", ""] {
        let e = HhMm::parse(bad).expect_err(bad);
        assert_error(&e, "", Rule::HhMm, bad, Manual::Section("11.7"));
    }
    assert_error(&HhMm::new(24, 0).unwrap_err(), "", Rule::HhMm, "24:0", Manual::Section("11.7"));
    let input = json!({"body": {"mode": "crowd_control", "crowd_reset_hhmm": "24:00"}});
    let e = AnyOperation::from_wire("set_auto_in_out", &input).expect_err("24:00");
    assert_error(e.first(), "body.crowd_reset_hhmm", Rule::HhMm, "24:00", Manual::Section("11.7"));
}

// --- Log setting, RTP ------------------------------------------------------------------------

fn log_setting(f: impl FnOnce(&mut LogSetting)) -> SetLogSetting {
    let mut body = LogSetting::default();
    f(&mut body);
    SetLogSetting { setting: body }
}

#[test]
fn log_event_is_one_of_four() {
    for v in LogEvent::ALL {
        builds(&log_setting(|s| s.log_event = Some(v.clone())));
    }
    let e = op_error(&log_setting(|s| s.log_event = Some(LogEvent::Unknown("all".into()))));
    assert_error(&e, "body.log_event", Rule::LogEvent, "all", Manual::Section("11.16"));
}

#[test]
fn log_size_is_one_of_five() {
    for ok in [10_000, 75_000, 100_000, 500_000, 1_000_000] {
        builds(&log_setting(|s| s.log_size = Some(LogSize::new(ok).unwrap())));
    }
    for bad in [0, 20_000, 1_000_001] {
        assert_error(&LogSize::new(bad).unwrap_err(), "", Rule::LogSize, &bad.to_string(), Manual::Section("11.16"));
        let e = op_error(&log_setting(|s| s.log_size = Some(read(json!(bad)))));
        assert_error(&e, "body.log_size", Rule::LogSize, &bad.to_string(), Manual::Section("11.16"));
    }
}

#[test]
fn em_option_is_fullsn_id_or_fc_id() {
    for v in EmOption::ALL {
        builds(&log_setting(|s| s.log_em_option = Some(v.clone())));
    }
    let e = op_error(&log_setting(|s| s.log_em_option = Some(EmOption::Unknown("SN".into()))));
    assert_error(&e, "body.log_EM_Option", Rule::EmOption, "SN", Manual::Section("11.16"));
}

#[test]
fn rtp_mode_is_disable_rtp_or_srtp() {
    builds(&SetRtpSetting { setting: RtpSetting::new(RtpMode::Disable) });
    builds(&SetRtpSetting { setting: RtpSetting::new(RtpMode::Rtp) });
    let e = op_error(&SetRtpSetting { setting: RtpSetting::new(RtpMode::Unknown("srtp".into())) });
    assert_error(&e, "body.mode", Rule::RtpMode, "srtp", Manual::Section("11.12"));
}

#[test]
fn rtp_fps_is_5_to_30_in_steps_of_5() {
    for ok in [5, 10, 15, 20, 25, 30] {
        builds(&SetRtpSetting {
            setting: RtpSetting { fps: Some(Fps::new(ok).unwrap()), ..RtpSetting::new(RtpMode::Rtp) },
        });
    }
    for bad in [0, 24, 60] {
        assert_error(&Fps::new(bad).unwrap_err(), "", Rule::RtpFps, &bad.to_string(), Manual::Section("11.12"));
        let e = op_error(&SetRtpSetting {
            setting: RtpSetting { fps: Some(read(json!(bad))), ..RtpSetting::new(RtpMode::Rtp) },
        });
        assert_error(&e, "body.fps", Rule::RtpFps, &bad.to_string(), Manual::Section("11.12"));
    }
}

#[test]
fn rtp_key_is_required_for_srtp() {
    let srtp = |key: Option<&str>| SetRtpSetting {
        setting: RtpSetting { key: key.map(Secret::from), ..RtpSetting::new(RtpMode::Srtp) },
    };
    builds(&srtp(Some("0123456789abcdef")));
    let e = op_error(&srtp(None));
    assert_error(&e, "body.key", Rule::RtpKey, "<missing>", Manual::Section("11.12"));
    let e = op_error(&srtp(Some("  ")));
    // The value of a secret is never shown, even an empty one.
    assert_error(&e, "body.key", Rule::RtpKey, "", Manual::Section("11.12"));
}

// --- Job codes -------------------------------------------------------------------------------

#[test]
fn job_code_setting_id_is_1_2_or_3() {
    for ok in 1..=3 {
        let setting = JobCodeSetting {
            jobcode: Some(JobCodeSettingId::new(ok).unwrap()),
            name: None,
            enable: Some(JobCodeEnable::Enable),
            extra: Extra::new(),
        };
        builds(&UpdateJobCodeSettings { settings: vec![setting] });
    }
    for bad in [0, 4] {
        assert_error(
            &JobCodeSettingId::new(bad).unwrap_err(),
            "",
            Rule::JobCodeSettingId,
            &bad.to_string(),
            Manual::Section("12.1"),
        );
        let setting = JobCodeSetting { jobcode: read(json!(bad)), name: None, enable: None, extra: Extra::new() };
        let e = op_error(&UpdateJobCodeSettings { settings: vec![setting] });
        assert_error(&e, "body[0].jobcode", Rule::JobCodeSettingId, &bad.to_string(), Manual::Section("12.1"));
        let e = op_error(&GetJobCodes { jobcode: Some(read(json!(bad))), id: None, name: None, enable: None });
        assert_error(&e, "jobcode", Rule::JobCodeSettingId, &bad.to_string(), Manual::Section("12.1"));
    }
}

#[test]
fn job_code_id_is_1_to_999999() {
    for ok in [1, 999_999] {
        builds(&AddJobCodes { job_codes: vec![job_code(1, ok, JobCodeEnable::Enable)] });
    }
    for bad in [0, 1_000_000] {
        assert_error(&JobCodeId::new(bad).unwrap_err(), "", Rule::JobCodeId, &bad.to_string(), Manual::Section("12.3"));
        let code = JobCode { id: read(json!(bad)), ..job_code(1, 1, JobCodeEnable::Enable) };
        let e = op_error(&AddJobCodes { job_codes: vec![code] });
        assert_error(&e, "body[0].id", Rule::JobCodeId, &bad.to_string(), Manual::Section("12.3"));
    }
}

#[test]
fn job_code_enable_is_enable_disable_or_default_and_settings_take_no_default() {
    for v in JobCodeEnable::ALL {
        builds(&AddJobCodes { job_codes: vec![job_code(2, 7, v.clone())] });
    }
    let e = op_error(&AddJobCodes { job_codes: vec![job_code(2, 7, JobCodeEnable::Unknown("maybe".into()))] });
    assert_error(&e, "body[0].enable", Rule::JobCodeEnable, "maybe", Manual::Section("12.3"));
    let setting = JobCodeSetting {
        jobcode: Some(JobCodeSettingId::new(1).unwrap()),
        name: None,
        enable: Some(JobCodeEnable::Default),
        extra: Extra::new(),
    };
    let e = op_error(&UpdateJobCodeSettings { settings: vec![setting] });
    assert_error(&e, "body[0].enable", Rule::JobCodeEnable, "default", Manual::Section("12.3"));
}

#[test]
fn job_code_one_default_per_setting() {
    // One default in each of two settings is fine.
    builds(&AddJobCodes {
        job_codes: vec![job_code(1, 1, JobCodeEnable::Default), job_code(2, 1, JobCodeEnable::Default)],
    });
    let two = vec![
        job_code(1, 1, JobCodeEnable::Default),
        job_code(2, 1, JobCodeEnable::Enable),
        job_code(1, 2, JobCodeEnable::Default),
    ];
    let e = op_error(&AddJobCodes { job_codes: two.clone() });
    assert_error(
        &e,
        "body[2].enable",
        Rule::JobCodeOneDefault,
        "second default in jobcode setting 1",
        Manual::Section("12.3"),
    );
    let e = op_error(&UpdateJobCodes { job_codes: two });
    assert_error(
        &e,
        "body[2].enable",
        Rule::JobCodeOneDefault,
        "second default in jobcode setting 1",
        Manual::Section("12.3"),
    );
}

#[test]
fn job_code_query_id_needs_jobcode() {
    let id = Some(JobCodeId::new(5).unwrap());
    let req = builds(&GetJobCodes { jobcode: Some(JobCodeSettingId::new(1).unwrap()), id, name: None, enable: None });
    assert_eq!(req.path_and_query(), "/cgi-bin/restapi/jobcode/1805350299?jobcode=1&id=5");
    builds(&GetJobCodes { jobcode: None, id: None, name: None, enable: None });
    let e = op_error(&GetJobCodes { jobcode: None, id, name: None, enable: None });
    assert_error(&e, "jobcode", Rule::JobCodeQuery, "<missing>", Manual::Section("12.6"));
}

// --- Holidays --------------------------------------------------------------------------------

#[test]
fn holiday_date_is_a_real_calendar_date() {
    assert_eq!(HolidayDate::new(2024, 2, 29).unwrap().to_string(), "2024-02-29");
    assert_eq!(HolidayDate::parse("2026-10-12").unwrap(), HolidayDate::new(2026, 10, 12).unwrap());
    assert_error(
        &HolidayDate::new(2025, 2, 29).unwrap_err(),
        "",
        Rule::HolidayDate,
        "2025-2-29",
        Manual::Section("13.2"),
    );
    for bad in ["2025-13-01", "2025-0-0", "2025-1-1", "20251012", "2025-02-30", "0000-01-01"] {
        let e = HolidayDate::parse(bad).expect_err(bad);
        assert_error(&e, "", Rule::HolidayDate, bad, Manual::Section("13.2"));
    }
    let input = json!({"body": {"dates": ["2026-10-12", "2025-13-01"]}});
    let e = AnyOperation::from_wire("set_holidays", &input).expect_err("bad date");
    assert_error(e.first(), "body.dates[1]", Rule::HolidayDate, "2025-13-01", Manual::Section("13.2"));
    builds(&SetHolidays { holidays: Holidays::new(vec![HolidayDate::new(2026, 10, 12).unwrap()]) });
}

#[test]
fn holiday_query_allows_zero_wildcards() {
    for (wire, parts) in
        [("2025-0-0", (2025, 0, 0)), ("0-12-25", (0, 12, 25)), ("2025-02-0", (2025, 2, 0)), ("0-2-29", (0, 2, 29))]
    {
        let q = HolidayQuery::parse(wire).unwrap_or_else(|e| panic!("{wire}: {e}"));
        assert_eq!(q.parts(), parts);
    }
    let req = builds(&GetHolidays { date: Some(HolidayQuery::year(2025).unwrap()) });
    assert_eq!(req.path_and_query(), "/cgi-bin/restapi/holiday/1805350299?date=2025-0-0");
    assert_error(
        &HolidayQuery::new(2025, 13, 0).unwrap_err(),
        "",
        Rule::HolidayQuery,
        "2025-13-0",
        Manual::Section("13.1"),
    );
    for bad in ["2025-2-30", "2025-13-0", "2025-0-32", "2025", "2025-0-0-0", "x-0-0", "2025-4-31"] {
        let e = HolidayQuery::parse(bad).expect_err(bad);
        assert_error(&e, "", Rule::HolidayQuery, bad, Manual::Section("13.1"));
    }
}

// --- Users -----------------------------------------------------------------------------------

#[test]
fn admin_level_is_one_of_four() {
    for level in AdminLevel::ALL {
        builds(&AddUser { user: User { admin_level: Some(level.clone()), ..new_user("A1") } });
    }
    let user = User { admin_level: Some(AdminLevel::Unknown("ROOT".into())), ..new_user("A1") };
    let e = op_error(&AddUser { user: user.clone() });
    assert_error(&e, "body.adminLevel", Rule::AdminLevel, "ROOT", Manual::Section("3.1"));
    let e = op_error(&AddUsers { users: vec![new_user("A0"), user] });
    assert_error(&e, "body[1].adminLevel", Rule::AdminLevel, "ROOT", Manual::Section("3.1"));
}

#[test]
fn user_status_has_all_seven_flags_on_add() {
    builds(&AddUser { user: new_user("A1") });
    // Updates need no status.
    builds(&UpdateUser { user: User::new("A1") });
    let e = op_error(&AddUser { user: User::new("A1") });
    assert_error(&e, "body.status", Rule::UserStatus, "<missing>", Manual::Section("3.1"));
    let partial = UserStatus { facial: None, ..UserStatus::all(true) };
    let e = op_error(&AddUser { user: User { status: Some(partial), ..User::new("A1") } });
    assert_error(&e, "body.status.facial", Rule::UserStatus, "<missing>", Manual::Section("3.1"));
}

#[test]
fn user_id_is_present_and_non_empty() {
    for blank in ["", "   "] {
        let e = op_error(&UpdateUser { user: User::new(blank) });
        assert_error(&e, "body.userID", Rule::UserId, blank, Manual::Section("3.1"));
    }
    let e = op_error(&UpdateMyself { myself: MyselfUpdate::default() });
    assert_error(&e, "body.userID", Rule::UserId, "", Manual::Section("3.1"));
    // A user read without userID reads as absent; the rule fires when it is written.
    let user: User = serde_json::from_value(json!({"lastName": "John"})).expect("reads");
    assert_eq!(user.user_id, None);
    let e = op_error(&UpdateUser { user });
    assert_error(&e, "body.userID", Rule::UserId, "<missing>", Manual::Section("3.1"));
    let e = AnyOperation::from_wire("add_user", &json!({"body": {"lastName": "John"}})).expect_err("no userID");
    assert_eq!((e.first().field.as_str(), e.first().rule), ("body.userID", Rule::UserId));
}

#[test]
fn expiry_is_a_datetime_or_zero() {
    let at = TerminalDateTime::parse("2026-01-01T00:00:00").unwrap();
    for (wire, expiry) in
        [(json!(0), Expiry::Never), (json!("0"), Expiry::Never), (json!("2026-01-01T00:00:00"), Expiry::At(at))]
    {
        assert_eq!(serde_json::from_value::<Expiry>(wire).unwrap(), expiry);
    }
    builds(&UpdateUser { user: User { expirydate: Some(Expiry::At(at)), ..User::new("A1") } });
    for (bad, shown) in
        [(json!("tomorrow"), "tomorrow"), (json!(5), "5"), (json!("2026-13-01T00:00:00"), "2026-13-01T00:00:00")]
    {
        let e = AnyOperation::from_wire("update_user", &json!({"body": {"userID": "A1", "expirydate": bad}}))
            .expect_err("bad expiry");
        assert_error(e.first(), "body.expirydate", Rule::Expiry, shown, Manual::Section("3.1"));
    }
}

#[test]
fn totp_type_is_one_of_five() {
    for t in TotpType::ALL {
        builds(&GetUserApiTotp { user_id: "A1".into(), totp_type: t.clone() });
    }
    let e = op_error(&GetUserApiTotp { user_id: "A1".into(), totp_type: TotpType::Unknown("QR_GIF".into()) });
    assert_error(&e, "TOTPType", Rule::TotpType, "QR_GIF", Manual::Section("3.14"));
}

// --- Agents, departments, consent, time, paths -----------------------------------------------

#[test]
fn agent_url_is_absolute_http_or_https_with_a_host() {
    for ok in ["http://10.0.0.5:8080/agent", "https://agent.example.com", "HTTPS://host/x y", "http://[::1]:80/"] {
        AgentUrl::new(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for bad in ["ftp://host", "http://", "https:///path", "agent.example.com", "http://ho st/", "http://host:port/"] {
        let e = AgentUrl::new(bad).expect_err(bad);
        assert_error(&e, "", Rule::AgentUrl, bad, Manual::Section("9.1"));
    }
    let e = op_error(&RegisterAgent { agent: AgentRegistration::new(read(json!("agent.example.com/cb"))) });
    assert_error(&e, "body.url", Rule::AgentUrl, "agent.example.com/cb", Manual::Section("9.1"));
    let e = op_error(&UnregisterAgent { url: read(json!("ftp://host")) });
    assert_error(&e, "url", Rule::AgentUrl, "ftp://host", Manual::Section("9.1"));
}

#[test]
fn department_filter_needs_one_of_id_name_description() {
    builds(&DeleteDepartments { id: Some(0), name: None, description: None });
    builds(&DeleteDepartments { id: None, name: Some("Sales".into()), description: None });
    builds(&DeleteDepartments { id: None, name: None, description: Some("x".into()) });
    let e = op_error(&DeleteDepartments { id: None, name: None, description: None });
    assert_error(&e, "", Rule::DepartmentFilter, "<missing>", Manual::Section("4.4"));
    let e = op_error(&DeleteDepartments { id: None, name: Some(" ".into()), description: Some(String::new()) });
    assert_error(&e, "", Rule::DepartmentFilter, "<missing>", Manual::Section("4.4"));
}

#[test]
fn job_code_filter_needs_one_of_jobcode_id_name() {
    builds(&DeleteJobCodes { jobcode: Some(JobCodeSettingId::new(1).unwrap()), ..Default::default() });
    builds(&DeleteJobCodes { name: Some("ONE".into()), ..Default::default() });
    let e = op_error(&DeleteJobCodes::default());
    assert_error(&e, "", Rule::JobCodeFilter, "<missing>", Manual::Section("12.5"));
    let e = op_error(&DeleteJobCodes { name: Some("  ".into()), ..Default::default() });
    assert_error(&e, "", Rule::JobCodeFilter, "<missing>", Manual::Section("12.5"));
}

#[test]
fn consent_is_enable_or_disable_with_a_display_name() {
    let req = builds(&SetConsent { enable: ConsentMode::Enable, display_name: "oh my".into() });
    assert_eq!(req.path, "/cgi-bin/restapi/consent/1805350299/enable/oh%20my");
    let e = op_error(&SetConsent { enable: ConsentMode::Unknown("on".into()), display_name: "x".into() });
    assert_error(&e, "enable", Rule::Consent, "on", Manual::Section("11.14"));
    for blank in ["", "  "] {
        let e = op_error(&SetConsent { enable: ConsentMode::Disable, display_name: blank.into() });
        assert_error(&e, "display_name", Rule::Consent, blank, Manual::Section("11.14"));
    }
}

#[test]
fn timezone_is_an_iana_identifier() {
    let now = TerminalDateTime::local(NaiveDate::from_ymd_opt(2025, 9, 2).unwrap().and_hms_opt(16, 29, 14).unwrap());
    for ok in ["Europe/London", "UTC", "Asia/Hong_Kong"] {
        builds(&SetTime { time: TerminalTime::new(now, TimeZoneId::new(ok).unwrap()) });
    }
    for bad in ["Mars/Olympus", "", "GMT+8 China"] {
        assert_error(&TimeZoneId::new(bad).unwrap_err(), "", Rule::TimeZone, bad, Manual::Section("10.3"));
    }
    let body = TerminalTime::new(now, read(json!("Mars/Olympus")));
    let e = op_error(&SetTime { time: body });
    assert_error(&e, "body.timezone", Rule::TimeZone, "Mars/Olympus", Manual::Section("10.3"));
}

#[test]
fn path_segment_is_non_empty() {
    let req = builds(&DeleteUser { user_id: "A/1 #2".into() });
    assert_eq!(req.path, "/cgi-bin/restapi/user/1805350299/A%2F1%20%232");
    for blank in ["", " \t"] {
        let e = op_error(&DeleteUser { user_id: blank.into() });
        assert_error(&e, "userID", Rule::PathSegment, blank, Manual::Project);
    }
    let ts = TerminalDateTime::parse("2025-07-20T10:00:00").unwrap();
    let e = op_error(&AddLog { timestamp: ts, employee_id: "105".into(), trigger: String::new() });
    assert_error(&e, "trigger", Rule::PathSegment, "", Manual::Project);
}

#[test]
fn every_rule_has_a_code_a_text_and_a_section() {
    for rule in Rule::ALL {
        assert_eq!(Rule::from_code(rule.code()), Some(*rule));
        assert!(!rule.text().is_empty());
        let s = rule.section();
        assert!(s == "project" || s.split('.').all(|p| p.parse::<u32>().is_ok()), "{rule:?}: {s}");
    }
}

// --- Secrets and session errors ----------------------------------------------------------------

const SECRET: &str = "hunter2-Tr0ub4dor";
const SESSION: &str = "1805350299777";

fn assert_hidden(what: &str, debug: String) {
    assert!(!debug.contains(SECRET), "{what} shows the secret: {debug}");
    assert!(!debug.contains(SESSION), "{what} shows the session id: {debug}");
}

#[test]
fn debug_never_shows_passwords_keys_or_session_ids() {
    let credentials = Credentials { username: "admin".into(), password: Secret::new(SECRET) };
    assert_hidden("Credentials", format!("{credentials:?} {credentials:#?}"));
    let login = Login { credentials: credentials.clone() };
    assert_hidden("Login", format!("{login:?}"));
    assert_hidden("AnyOperation", format!("{:?}", AnyOperation::from(login.clone())));
    let req = login.request(None).unwrap();
    assert!(String::from_utf8_lossy(req.body.as_deref().unwrap()).contains(SECRET), "the body must carry it");
    assert_hidden("login HttpRequest", format!("{req:?} {req:#?}"));

    let user = User { password: Some(Secret::new(SECRET)), ..new_user("A1") };
    assert_hidden("User", format!("{user:?} {user:#?}"));
    let myself = MyselfUpdate { user_id: "A1".into(), password: Some(SECRET.into()), ..MyselfUpdate::default() };
    assert_hidden("MyselfUpdate", format!("{myself:?}"));
    let rtp = RtpSetting { key: Some(Secret::new(SECRET)), ..RtpSetting::new(RtpMode::Srtp) };
    assert_hidden("RtpSetting", format!("{rtp:?} {rtp:#?}"));
    assert_hidden("Secret", format!("{:?}", Secret::new(SECRET)));

    let sid = SessionId::new(SESSION);
    assert_hidden("SessionId", format!("{sid:?} {sid:#?}"));
    let reply: LoginReply = serde_json::from_value(json!({"status": "success", "sessionid": SESSION})).unwrap();
    assert_hidden("LoginReply", format!("{reply:?}"));

    let req = DeleteUser { user_id: "A1".into() }.request(Some(&sid)).unwrap();
    assert!(req.path.contains(SESSION), "the path must carry it");
    assert_hidden("HttpRequest", format!("{req:?} {req:#?}"));
    assert_eq!(req.redacted_path(), "/cgi-bin/restapi/user/***/A1");
    let req = AddUser { user }.request(Some(&sid)).unwrap();
    assert_hidden("add_user HttpRequest", format!("{req:?}"));
    let req = SetRtpSetting { setting: rtp }.request(Some(&sid)).unwrap();
    assert_hidden("set_rtp_setting HttpRequest", format!("{req:?}"));
}

#[test]
fn invalid_session_reply_is_a_session_error() {
    let body = br#"{"status":"error","message":"invalid session"}"#;
    for status in [200, 400, 500] {
        let e = GetUsers::read_reply(status, body).expect_err("an error reply");
        assert!(
            matches!(&e, ReplyError::Api { status: s, message, .. } if *s == status && message == "invalid session"),
            "{e:?}"
        );
        assert!(e.is_session_error(), "{e}");
        let any = AnyOperation::read_reply_json("open_door", status, body).unwrap().expect_err("an error reply");
        assert!(any.is_session_error());
    }
    let e = OpenDoor::read_reply(400, br#"{"status":"error","message":"user not found"}"#).unwrap_err();
    assert!(!e.is_session_error());
    assert!(OpenDoor::read_reply(401, b"").unwrap_err().is_session_error());
    assert!(!OpenDoor::read_reply(200, b"not json").unwrap_err().is_session_error());
}

/// Rules travel as data from the value types to the `ValidationError`, never parsed back out
/// of serde's message: a wrong-type value whose text looks like a rule's message stays a
/// type error, and a real rule is found with its value, whatever serde wraps around it.
#[test]
fn rules_reach_the_error_as_data_not_as_message_text() {
    let wrong = decode_input::<GetUserBatch>(&json!({"offset": "(rule hhmm)", "limit": 5})).unwrap_err();
    assert_eq!(wrong.first().rule, Rule::WrongType, "{wrong:?}");
    assert_eq!(wrong.first().field, "offset");

    let bad = decode_input::<GetLogPhoto>(&json!({"timestamp": "(rule hhmm) 2025-07-16"})).unwrap_err();
    assert_eq!(bad.first().rule, Rule::DateTime, "{bad:?}");
    assert_eq!(bad.first().field, "timestamp");
    assert_eq!(bad.first().value, "(rule hhmm) 2025-07-16");

    // serde's own complaints, read from its wording (pinned here so an upgrade that rewords
    // them fails this test instead of turning them into type errors).
    let missing = decode_input::<DeleteUser>(&json!({})).unwrap_err();
    assert_eq!((missing.first().field.as_str(), missing.first().rule), ("userID", Rule::UserId));
    let unknown = decode_input::<GetNtp>(&json!({"nope": 1})).unwrap_err();
    assert_eq!((unknown.first().field.as_str(), unknown.first().rule), ("nope", Rule::UnknownField));
}

/// `MyselfUpdate` reads exactly what serde's derive with a flattened `extra` reads (its own
/// reader skips the derive's buffering): the same values, or the same error at the same place.
#[test]
fn myself_update_reads_as_the_serde_derive_with_flatten_reads() {
    use actatek_core::models::MyselfUpdate;

    // Named as ours, so that serde's messages (`expected struct MyselfUpdate`) compare.
    mod derived {
        use serde::Deserialize;
        #[derive(Debug, Deserialize)]
        pub struct MyselfUpdate {
            #[serde(rename = "userID", default, deserialize_with = "actatek_core::lenient::string")]
            pub user_id: String,
            #[serde(rename = "lastName", default)]
            pub last_name: Option<String>,
            #[serde(rename = "firstName", default)]
            pub first_name: Option<String>,
            #[serde(rename = "otherName", default)]
            pub other_name: Option<String>,
            #[serde(default)]
            pub password: Option<actatek_core::values::Secret>,
            #[serde(default, deserialize_with = "actatek_core::lenient::opt_string")]
            pub cardsn: Option<String>,
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    }

    let inputs = [
        r#"{}"#,
        r#"{"userID": "A1", "lastName": "L", "firstName": "F", "otherName": "O", "password": "pw-1234", "cardsn": "77"}"#,
        r#"{"userID": 42, "cardsn": 1234567}"#,
        r#"{"userID": null, "lastName": null, "password": null, "cardsn": null}"#,
        r#"{"userID": "A1", "extra": {"x": [1, 2]}, "photo": "abc", "z": null, "z": 5}"#,
        r#"{"userID": "A1", "userID": "B2"}"#,
        r#"{"cardsn": "1", "x": 1, "cardsn": "2"}"#,
        r#"{"lastName": 5}"#,
        r#"{"userID": true}"#,
        r#"{"userID": ["A1"]}"#,
        r#"{"password": 12}"#,
        r#"{"userID": "A1", "unknown": {"deep": [{"a": "b"}]}, "lastName": 7}"#,
        r#"["A1"]"#,
        r#""A1""#,
        r#"null"#,
        r#"{"userID": "A1",}"#,
        r#"{"userID": "A1""#,
    ];
    for input in inputs {
        let ours = serde_json::from_str::<MyselfUpdate>(input);
        let derived = serde_json::from_str::<derived::MyselfUpdate>(input);
        match (ours, derived) {
            (Ok(o), Ok(d)) => {
                assert_eq!(
                    (&o.user_id, &o.last_name, &o.first_name, &o.other_name, &o.cardsn, &o.extra),
                    (&d.user_id, &d.last_name, &d.first_name, &d.other_name, &d.cardsn, &d.extra),
                    "{input}"
                );
                assert_eq!(o.password.as_ref().map(|p| p.expose()), d.password.as_ref().map(|p| p.expose()), "{input}");
            }
            (Err(o), Err(d)) => assert_eq!(o.to_string(), d.to_string(), "{input}"),
            (o, d) => panic!("{input}: ours {o:?}, the derive's {d:?}"),
        }
    }
}
