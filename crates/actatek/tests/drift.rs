//! The client against a terminal with other firmware (the simulator's drift mode) and against
//! replies it cannot read: the main flows work, nothing read is lost, nothing harmful is sent.

mod common;

use actatek::ops::{GetFullLogs, GetUsers};
use actatek::{Checkpoint, Error, Rule, *};
use actatek_sim::{DriftConfig, Fault};
use std::collections::BTreeSet;

fn count(sim: &actatek_sim::RunningSimulator, op: &str) -> usize {
    sim.requests().iter().filter(|r| r.operation.as_deref() == Some(op)).count()
}

#[tokio::test]
async fn an_unreadable_reply_to_a_write_says_it_may_have_been_applied_and_is_not_repeated() {
    let sim = common::sim(0, 0).await;
    let t = common::client(&sim);
    t.get_user_count().await.unwrap();
    sim.faults().push(Fault::truncate().on("add_user"));
    let mut u = User::new("TRUNC");
    u.status = Some(UserStatus::all(true));
    let err = t.add_user(u).await.expect_err("the reply is cut");
    assert!(matches!(err, Error::Protocol { maybe_applied: true, .. }), "{err:?}");
    assert!(err.maybe_applied());
    assert!(err.to_string().contains("may have applied it"), "{err}");
    assert_eq!(count(&sim, "add_user"), 1, "sent exactly once");
    assert!(sim.state(|s| s.users.contains_key("TRUNC")), "it was applied");
    // A read whose reply is cut is simply read again.
    sim.faults().push(Fault::truncate().on("get_users"));
    assert!(!t.get_users(GetUsers::default()).await.unwrap().is_empty());
}

#[tokio::test]
async fn what_only_the_terminal_reports_is_never_written_back() {
    let sim = common::sim(0, 0).await;
    let t = common::client(&sim);
    let mut rtp = t.get_rtp_setting().await.unwrap();
    assert!(rtp.sdpfile.is_some() && rtp.status.is_some(), "the terminal reports both: {rtp:?}");
    rtp.mode = Some(RtpMode::Rtp);
    t.set_rtp_setting(rtp).await.unwrap();
    let stored = sim.state(|s| s.rtp.clone());
    assert_eq!((stored.sdpfile, stored.status), (None, None), "set_rtp_setting's body had neither");
    assert_eq!(stored.mode, Some(RtpMode::Rtp));
}

#[tokio::test]
async fn delete_job_codes_without_a_filter_is_refused_before_sending() {
    let sim = common::sim(0, 0).await;
    let t = common::client(&sim);
    let before = sim.state(|s| s.job_codes.len());
    let err = t.delete_job_codes(Default::default()).await.expect_err("no filter");
    let Error::Validation(v) = &err else { panic!("{err:?}") };
    assert_eq!(v.first().rule, Rule::JobCodeFilter);
    assert_eq!(sim.requests().len(), 0, "nothing sent, not even a login");
    assert_eq!(sim.state(|s| s.job_codes.len()), before);
}

/// get users → update a user; export logs with a resume; get and set a relay setting; get and
/// set auto in/out — against a terminal whose replies drift in every way that a strict writer
/// can still write back.
#[tokio::test]
async fn the_main_flows_work_against_a_drifting_terminal() {
    for seed in [1u64, 2, 3, 4, 5] {
        let sim = common::sim(30, 400).await;
        sim.set_drift(Some(DriftConfig::write_back_safe(seed)));
        let t = common::client(&sim);

        let users = t.get_users(GetUsers::default()).await.unwrap();
        assert_eq!(users.len(), sim.state(|s| s.users.len()), "seed {seed}");
        let mut u = users.into_iter().find(|u| u.user_id.as_deref() != Some(common::USER)).unwrap();
        u.first_name = Some(format!("Drift{seed}"));
        let id = u.user_id.clone().unwrap();
        t.update_user(u).await.unwrap();
        assert_eq!(sim.state(|s| s.users[&id].first_name.clone()), Some(format!("Drift{seed}")));

        let mut saved = serde_json::to_string(&Checkpoint::default()).unwrap();
        let mut ids = Vec::new();
        loop {
            let mut export = t.export_logs(GetFullLogs::default(), 37, serde_json::from_str(&saved).unwrap());
            let Some(chunk) = export.next_chunk().await.unwrap() else { break };
            ids.extend(chunk.iter().map(|l| l.log_id.expect("logID is never dropped by this drift")));
            saved = serde_json::to_string(export.checkpoint()).unwrap();
        }
        let unique: BTreeSet<i64> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "seed {seed}: no log twice");
        assert_eq!(unique, sim.state(|s| s.logs.iter().map(|l| l.log_id).collect()), "seed {seed}: every log");

        let relays = t.get_relay_setting(RelayTarget::All).await.unwrap();
        let mut two = relays.into_iter().find(|r| r.id == Some(RelayId::Two)).expect("relay TWO");
        two.option = Some(RelayOption::Doorbell);
        t.set_relay_setting(two).await.unwrap();
        let stored = sim.state(|s| s.relays.iter().find(|r| r.id == Some(RelayId::Two)).cloned()).unwrap();
        assert_eq!(stored.option, Some(RelayOption::Doorbell));

        let mut auto = t.get_auto_in_out().await.unwrap();
        auto.mode = Some(AutoInOutMode::AntiPassback);
        t.set_auto_in_out(auto).await.unwrap();
        assert_eq!(sim.state(|s| s.auto_in_out.mode.clone()), Some(AutoInOutMode::AntiPassback));
        assert!(sim.requests().iter().any(|r| !r.drift.is_empty()), "seed {seed}: the replies did drift");
    }
}

/// With every kind of drift (fields left out, off-format values, unknown words), every read
/// succeeds, and a record holding a value the terminal wrote off-format is refused when it is
/// written back, naming the field and the rule; nothing is sent.
#[tokio::test]
async fn every_read_survives_full_drift_and_off_format_values_are_refused_on_write() {
    let mut refused = 0;
    for seed in 0u64..40 {
        let sim = common::sim(10, 60).await;
        let t = common::client(&sim);
        let mut crowd = AutoInOut::new(AutoInOutMode::CrowdControl);
        crowd.crowd_limit_count = Some(CrowdLimit::new(40).unwrap());
        crowd.crowd_reset_hhmm = Some(HhMm::new(9, 30).unwrap());
        t.set_auto_in_out(crowd).await.unwrap();
        sim.set_drift(Some(DriftConfig::new(seed)));
        t.get_users(GetUsers::default()).await.unwrap();
        t.get_full_logs(GetFullLogs::default()).await.unwrap();
        t.get_logs(Default::default()).await.unwrap();
        t.get_relay_setting(RelayTarget::All).await.unwrap();
        t.get_triggers(None).await.unwrap();
        t.get_access_rights(None).await.unwrap();
        t.get_access_groups(Default::default()).await.unwrap();
        t.get_departments(Default::default()).await.unwrap();
        t.get_holidays(None).await.unwrap();
        t.get_log_setting().await.unwrap();
        t.get_rtp_setting().await.unwrap();
        t.get_job_codes(Default::default()).await.unwrap();
        t.get_job_code_settings().await.unwrap();
        t.get_terminal_status().await.unwrap();
        t.get_time().await.unwrap();
        t.get_ntp().await.unwrap();
        let auto = t.get_auto_in_out().await.unwrap();
        if auto.crowd_reset_hhmm.is_none()
            && let Some(raw) = auto.extra.get("crowd_reset_hhmm")
        {
            let sent = sim.requests().len();
            let err = t.set_auto_in_out(auto.clone()).await.expect_err("an off-format value is not written back");
            let Error::Validation(v) = &err else { panic!("{err:?}") };
            let e = v.errors().iter().find(|e| e.field == "body.crowd_reset_hhmm").expect("names the field");
            assert_eq!((e.rule, e.value.as_str()), (Rule::HhMm, raw.as_str().unwrap()));
            assert_eq!(sim.requests().len(), sent, "nothing sent");
            refused += 1;
        }
    }
    assert!(refused > 0, "some seed wrote crowd_reset_hhmm off-format");
}
