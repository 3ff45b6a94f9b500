//! Everything a terminal remembers: users, logs, settings, sessions and the counters tests
//! look at. Records are the core's own model types, so what the simulator stores and answers
//! is exactly what the client reads.

use crate::logs::{LogStore, PhotoSource};
use actatek_core::*;
use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Timelike, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// §1.1: a session ends after 30 minutes without a request.
pub const SESSION_TIMEOUT: TimeDelta = TimeDelta::minutes(30);

/// A logged-in session. The id itself is the map key and never printed.
#[derive(Clone)]
pub(crate) struct Session {
    pub(crate) user_id: String,
    pub(crate) last_seen: DateTime<Utc>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session").field("user_id", &self.user_id).field("last_seen", &self.last_seen).finish()
    }
}

/// The state of one simulated terminal. Fields are public so tests can look and arrange
/// (`running.state_mut(|s| s.users.remove("U0001"))`).
pub struct TerminalState {
    /// Serial number (`00111D000000`), also each log's terminalSN.
    pub serial: String,
    /// getTerminalStatus' description and getFullLogs' terminalName.
    pub description: String,
    /// getTerminalStatus' firmwareVersion.
    pub firmware: String,
    /// Users by userID (passwords stored, never answered).
    pub users: BTreeMap<String, User>,
    /// Event logs.
    pub logs: LogStore,
    /// Departments by id.
    pub departments: BTreeMap<i64, Department>,
    /// Access rights by id.
    pub access_rights: BTreeMap<i64, AccessRight>,
    /// Access groups by id.
    pub access_groups: BTreeMap<i64, AccessGroup>,
    /// IN, OUT, F1 … F40, in that order.
    pub triggers: Vec<Trigger>,
    /// Registered agents, in registration order.
    pub agents: Vec<Agent>,
    /// NTP setting (§10.1).
    pub ntp: Ntp,
    /// IANA time zone of the terminal's local time (§10.3).
    pub timezone: String,
    /// What set_time moved the terminal's clock by, relative to the simulator clock.
    pub time_offset: TimeDelta,
    /// ONE and TWO.
    pub relays: Vec<RelaySetting>,
    /// §11.5: when false, relay delays above 20 s are refused.
    pub door_open_schedule: bool,
    /// Auto in/out mode (§11.7).
    pub auto_in_out: AutoInOut,
    /// Video streaming setting (§11.12), without sdpfile and status.
    pub rtp: RtpSetting,
    /// Consent message on or off (§11.14).
    pub consent_enabled: bool,
    /// The consent message's display name.
    pub consent_display_name: String,
    /// §11.16; its `log_unauth_event` is also §11.9–11.10's setting (one setting, two APIs).
    pub log_setting: LogSetting,
    /// Job code settings 1, 2, 3.
    pub job_code_settings: Vec<JobCodeSetting>,
    /// Keyed by (setting, id).
    pub job_codes: BTreeMap<(u32, u32), JobCode>,
    /// Holidays (§13).
    pub holidays: BTreeSet<HolidayDate>,
    /// How many times open_door was called.
    pub door_opens: u64,
    /// relay_action calls by `"open ONE"`, `"close ALL"`, …
    pub relay_actions: BTreeMap<String, u64>,
    /// Live sessions by id (ids are secrets: never printed).
    pub(crate) sessions: HashMap<String, Session>,
}

impl fmt::Debug for TerminalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TerminalState")
            .field("serial", &self.serial)
            .field("users", &self.users.len())
            .field("logs", &self.logs.len())
            .field("door_opens", &self.door_opens)
            .field("sessions", &self.sessions.len())
            .finish_non_exhaustive()
    }
}

/// What demo data to create.
#[derive(Debug, Clone)]
pub(crate) struct Seeding {
    pub users: usize,
    pub logs: usize,
    pub seed: u64,
    pub admin_user: String,
    pub admin_password: Secret,
    pub serial: String,
}

const FIRST_NAMES: &[&str] =
    &["Ben", "Edwin", "Sing", "Ada", "Grace", "Alan", "Maria", "Chen", "Priya", "Omar", "Lena", "Tom"];
const LAST_NAMES: &[&str] =
    &["Li", "Chiu", "John", "Lovelace", "Hopper", "Turing", "Garcia", "Wei", "Patel", "Haddad", "Novak", "Smith"];
const DEPARTMENTS: &[(i64, &str, &str)] = &[
    (0, "General", "General"),
    (1, "Engineering", "Builds things"),
    (2, "Sales", "Sales & Marketing"),
    (3, "Support", "Customer support"),
    (4, "Operations", "Facilities and operations"),
    (5, "Management", "Management"),
];

fn office_hours() -> TimePattern {
    TimePattern::from_ranges("08:00-18:00").expect("a valid range")
}

impl TerminalState {
    /// A terminal with factory settings, the admin user and deterministic demo data.
    pub(crate) fn seeded(s: &Seeding, now_utc: DateTime<Utc>) -> Self {
        let mut rng = StdRng::seed_from_u64(s.seed);
        let mut st = TerminalState {
            serial: s.serial.clone(),
            description: "ACTAtek".into(),
            firmware: format!("actatek-sim {}", env!("CARGO_PKG_VERSION")),
            users: BTreeMap::new(),
            logs: LogStore::new(s.seed),
            departments: DEPARTMENTS.iter().map(|&(id, n, d)| (id, Department::new(id, n, d))).collect(),
            access_rights: BTreeMap::new(),
            access_groups: BTreeMap::new(),
            triggers: TriggerType::all()
                .into_iter()
                .map(|t| {
                    let builtin = matches!(t, TriggerType::In | TriggerType::Out);
                    let mut tr = Trigger::new(t.clone());
                    tr.name = Some(t.to_string());
                    tr.enable = Some(builtin);
                    if t.allows_free_jobcode() {
                        tr.free_jobcode = Some(false);
                    }
                    tr
                })
                .collect(),
            agents: Vec::new(),
            ntp: Ntp::new("0.pool.ntp.org 1.pool.ntp.org", true),
            timezone: "UTC".into(),
            time_offset: TimeDelta::zero(),
            relays: vec![
                RelaySetting::new(RelayId::One, RelayOption::Disable, RelayDelay::new(5).expect("valid")),
                RelaySetting::new(RelayId::Two, RelayOption::AccessGranted, RelayDelay::new(5).expect("valid")),
            ],
            door_open_schedule: false,
            auto_in_out: AutoInOut::new(AutoInOutMode::Disable),
            rtp: {
                let mut r = RtpSetting::new(RtpMode::Disable);
                r.fps = Some(Fps::new(10).expect("valid"));
                r.stun = Some("stun:stun1.l.google.com:3478".into());
                r
            },
            consent_enabled: false,
            consent_display_name: "ACTAtek".into(),
            log_setting: LogSetting {
                log_event: Some(LogEvent::UserAuditEvent),
                log_size: Some(LogSize::new(75_000).expect("valid")),
                log_unauth_event: Some(true),
                log_accept_non_registered_card: Some(false),
                log_photo_auth_event: Some(true),
                log_photo_unauth_event: Some(true),
                log_accept_non_registered_facial: Some(false),
                log_case_event: Some(true),
                log_em_option: Some(EmOption::FullSn),
                extra: Extra::new(),
            },
            job_code_settings: [(1, "Job 1111"), (2, "Occup. 2222"), (3, "Customise 3333")]
                .into_iter()
                .map(|(id, name)| JobCodeSetting {
                    jobcode: Some(JobCodeSettingId::new(id).expect("valid")),
                    name: Some(name.into()),
                    enable: Some(JobCodeEnable::Disable),
                    extra: Extra::new(),
                })
                .collect(),
            job_codes: BTreeMap::new(),
            holidays: BTreeSet::new(),
            door_opens: 0,
            relay_actions: BTreeMap::new(),
            sessions: HashMap::new(),
        };

        let mut always = AccessRight { id: Some(0), name: Some("Always".into()), ..AccessRight::default() };
        always.timespec = Some(Weekday::ALL.iter().map(|w| TimeSpec::new(w.clone(), TimePattern::ALL_DAY)).collect());
        let mut office = AccessRight { id: Some(1), name: Some("Office hours".into()), ..AccessRight::default() };
        office.timespec = Some(
            [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday]
                .into_iter()
                .map(|w| TimeSpec::new(w, office_hours()))
                .collect(),
        );
        st.access_rights.insert(0, always);
        st.access_rights.insert(1, office);
        st.access_groups.insert(
            0,
            AccessGroup {
                id: Some(0),
                name: Some("General Staff".into()),
                departmentid: Some(0),
                accessrightid: Some(vec![0]),
                extra: Extra::new(),
            },
        );
        st.access_groups.insert(
            1,
            AccessGroup {
                id: Some(1),
                name: Some("Office Staff".into()),
                departmentid: Some(1),
                accessrightid: Some(vec![1]),
                extra: Extra::new(),
            },
        );
        for (setting, id, name, enable) in [
            (1, 1, "Assembly", JobCodeEnable::Default),
            (1, 2, "Packing", JobCodeEnable::Enable),
            (2, 1, "Driver", JobCodeEnable::Enable),
        ] {
            st.job_codes.insert(
                (setting, id),
                JobCode {
                    jobcode: Some(JobCodeSettingId::new(setting).expect("valid")),
                    id: Some(JobCodeId::new(id).expect("valid")),
                    name: Some(name.into()),
                    enable: Some(enable),
                    extra: Extra::new(),
                },
            );
        }
        let year = st.local_now(now_utc).date().format("%Y").to_string().parse::<i32>().unwrap_or(2025);
        for (m, d) in [(1, 1), (5, 1), (12, 25), (12, 26)] {
            if let Ok(h) = HolidayDate::new(year, m, d) {
                st.holidays.insert(h);
            }
        }

        // The administrator, then the demo users.
        let mut admin = User::new(s.admin_user.clone());
        admin.first_name = Some("System".into());
        admin.last_name = Some("Administrator".into());
        admin.admin_level = Some(AdminLevel::SuperAdmin);
        admin.password = Some(s.admin_password.clone());
        admin.group_id = Some(vec![0]);
        admin.department_id = Some(vec![0]);
        admin.status = Some(UserStatus::active());
        st.users.insert(admin.user_id.clone().unwrap_or_default(), admin);
        let width = s.users.to_string().len().max(4);
        let mut ids = Vec::with_capacity(s.users);
        for i in 1..=s.users {
            let id = format!("U{i:0width$}");
            let mut u = User::new(id.clone());
            u.first_name = Some(FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())].into());
            u.last_name = Some(LAST_NAMES[rng.random_range(0..LAST_NAMES.len())].into());
            u.admin_level = Some(AdminLevel::PersonalUser);
            // Demo users log in with their id as password.
            u.password = Some(Secret::new(id.clone()));
            let dept = (i as i64 - 1) % 5 + 1;
            u.department_id = Some(vec![dept]);
            u.group_id = Some(vec![if dept == 1 { 1 } else { 0 }]);
            u.status = Some(UserStatus::active());
            u.cardsn = Some(format!("{:08}", 10_000 + i));
            u.score_threshold = Some(0);
            if i % 3 == 0 {
                u.facialrecords = Some(vec![FacialRecord {
                    facial_template_type: Some(2),
                    facial_template: Some(Base64Blob::from_bytes(format!("face-template-{id}").as_bytes())),
                    facial_photo: None,
                    extra: Extra::new(),
                }]);
            }
            ids.push(id.clone());
            st.users.insert(id, u);
        }
        st.generate_demo_logs(s.logs, &ids, &mut rng, now_utc);
        st
    }

    /// Demo logs ending just before now: bursts of several per minute (3–20 s apart) with
    /// a few pauses of half an hour to three hours, so they spread over the last days;
    /// timestamps strictly increasing; about 10 % with a photo.
    fn generate_demo_logs(&mut self, n: usize, user_ids: &[String], rng: &mut StdRng, now_utc: DateTime<Utc>) {
        if n == 0 {
            return;
        }
        let pause = (200.0 / n as f64).min(0.02);
        let gaps: Vec<u16> = (0..n)
            .map(|_| if rng.random_bool(pause) { rng.random_range(1800..=10_800) } else { rng.random_range(3..=20) })
            .collect();
        let total: i64 = gaps.iter().map(|&g| i64::from(g)).sum();
        let mut ts = self.local_now(now_utc) - TimeDelta::seconds(total + 30);
        let users: Vec<u32> = if user_ids.is_empty() {
            let admin = self.users.keys().next().cloned().unwrap_or_default();
            vec![self.logs.strings.intern(&admin)]
        } else {
            user_ids.iter().map(|u| self.logs.strings.intern(u)).collect()
        };
        let triggers: Vec<u32> =
            ["IN", "OUT", "F1", "F2", "F3", "REMOTE DOOR OPEN"].iter().map(|t| self.logs.strings.intern(t)).collect();
        let terminal = self.logs.intern_terminal(&self.serial.clone());
        self.logs.reserve(n);
        for gap in gaps {
            ts += TimeDelta::seconds(i64::from(gap));
            let roll = rng.random_range(0..100u32);
            let trigger = match roll {
                0..45 => triggers[0],
                45..90 => triggers[1],
                90..97 => triggers[2 + (roll as usize % 3)],
                _ => triggers[5],
            };
            let user = users[rng.random_range(0..users.len())];
            let photo = if rng.random_ratio(1, 10) { PhotoSource::Generated } else { PhotoSource::None };
            self.logs.push_record(ts, user, trigger, terminal, photo);
        }
    }

    /// Append `n` logs stamped now (terminal local time, never before the last log), as if
    /// people were passing the terminal: for tests that watch for new logs.
    pub fn append_logs_now(&mut self, n: usize, now_utc: DateTime<Utc>) -> Option<std::ops::RangeInclusive<i64>> {
        if n == 0 {
            return None;
        }
        let first = self.logs.next_id();
        let mut rng = StdRng::seed_from_u64(first as u64 ^ 0xA5A5);
        let ts = match self.logs.records.last() {
            Some(last) if last.ts > self.local_now(now_utc) => last.ts,
            _ => self.local_now(now_utc),
        };
        let users: Vec<String> = self.users.keys().cloned().collect();
        let serial = self.serial.clone();
        for i in 0..n {
            let user = users.get(rng.random_range(0..users.len().max(1))).map_or("unknown", String::as_str);
            let trigger = if i % 2 == 0 { "IN" } else { "OUT" };
            self.logs.push(ts, user, trigger, &serial);
        }
        Some(first..=self.logs.next_id() - 1)
    }

    /// The IANA zone of the terminal (UTC if the stored name is unknown).
    pub(crate) fn tz(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// The terminal's local wall-clock time, to the second.
    pub fn local_now(&self, now_utc: DateTime<Utc>) -> NaiveDateTime {
        let t = (now_utc + self.time_offset).with_timezone(&self.tz()).naive_local();
        t.with_nanosecond(0).unwrap_or(t)
    }

    /// A UTC instant as terminal local time.
    pub(crate) fn to_local(&self, utc: DateTime<Utc>) -> NaiveDateTime {
        utc.with_timezone(&self.tz()).naive_local()
    }

    /// A terminal local time as a UTC instant (the earlier one in a DST fold).
    pub(crate) fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        local_to_utc(self.tz(), local)
    }

    /// How many sessions are live.
    pub fn session_count(&self) -> usize {
        self.sessions.len()
    }

    /// The trigger of that type.
    pub fn trigger_mut(&mut self, t: &TriggerType) -> Option<&mut Trigger> {
        self.triggers.iter_mut().find(|tr| tr.trigger_type.as_ref() == Some(t))
    }
}

/// A local time in `tz` as a UTC instant (the earlier one in a DST fold; in a gap, an hour
/// later).
pub(crate) fn local_to_utc(tz: chrono_tz::Tz, local: NaiveDateTime) -> DateTime<Utc> {
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(local + TimeDelta::hours(1))).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| local.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn seeding(users: usize, logs: usize) -> Seeding {
        Seeding {
            users,
            logs,
            seed: 7,
            admin_user: "admin".into(),
            admin_password: Secret::new("admin"),
            serial: "00111D000000".into(),
        }
    }

    #[test]
    fn demo_data_is_deterministic_and_ordered() {
        let now = Utc.with_ymd_and_hms(2025, 7, 16, 10, 0, 0).unwrap();
        let a = TerminalState::seeded(&seeding(10, 500), now);
        let b = TerminalState::seeded(&seeding(10, 500), now);
        assert_eq!(a.logs.iter().collect::<Vec<_>>(), b.logs.iter().collect::<Vec<_>>());
        assert_eq!(a.users.len(), 11);
        assert!(a.logs.sorted);
        let entries: Vec<_> = a.logs.iter().collect();
        assert!(entries.windows(2).all(|w| w[0].timestamp < w[1].timestamp));
        assert!(entries.last().unwrap().timestamp < now.naive_utc());
        let photos = entries.iter().filter(|e| e.has_photo).count();
        assert!((20..90).contains(&photos), "{photos}");
    }
}
