//! The desired-state planner (issue 16): for random current and desired states, applying the
//! plan to the current state gives the desired state on every field the declaration mentions,
//! leaves what it does not mention as it was, and planning again finds nothing to do.

use actatek_core::plan::{Change, Declaration, Plan, PlanOptions, State, plan};
use actatek_core::*;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Every field of `want` (nested records field by field) has its value in `have`; a schedule
/// day by day (in any order; none is the empty one).
fn holds(have: &Value, want: &Value, skip: &[&str]) -> bool {
    let days = |v: Option<&Value>| -> Vec<String> {
        let mut d: Vec<String> = v.and_then(Value::as_array).into_iter().flatten().map(Value::to_string).collect();
        d.sort();
        d
    };
    want.as_object().unwrap().iter().filter(|(k, _)| !skip.contains(&k.as_str())).all(|(k, w)| match (have.get(k), w) {
        _ if k == "timespec" => days(have.get(k)) == days(Some(w)),
        (Some(h @ Value::Object(_)), Value::Object(_)) => holds(h, w, &[]),
        (h, w) => h == Some(w),
    })
}

/// The model of a terminal: what the plan's changes do to the state.
fn apply(current: &State, p: &Plan) -> State {
    fn kind<T: Clone>(have: &[T], changes: &[Change<T>], key: impl Fn(&T) -> String) -> Vec<T> {
        let mut out = have.to_vec();
        for c in changes {
            match c {
                Change::Create(r) => out.push(r.clone()),
                Change::Update { key: k, record, .. } => {
                    let slot = out.iter_mut().find(|r| &key(r) == k).expect("an update of a record that exists");
                    *slot = record.clone();
                }
                Change::Delete { key: k } => out.retain(|r| &key(r) != k),
            }
        }
        out
    }
    let mut holidays: Vec<HolidayDate> =
        current.holidays.iter().filter(|d| !p.holidays_deleted.contains(d)).copied().collect();
    holidays.extend(p.holidays_added.iter().copied());
    State {
        departments: kind(&current.departments, &p.departments, |d| d.id.unwrap().to_string()),
        access_rights: kind(&current.access_rights, &p.access_rights, |r| r.id.unwrap().to_string()),
        access_groups: kind(&current.access_groups, &p.access_groups, |g| g.id.unwrap().to_string()),
        users: kind(&current.users, &p.users, |u| u.user_id.clone().unwrap()),
        triggers: {
            // clear_trigger empties a type's schedule; the type stays.
            let mut t = current.triggers.clone();
            for c in &p.triggers {
                match c {
                    Change::Delete { key } => {
                        let slot = t.iter_mut().find(|t| t.trigger_type.as_ref().unwrap().to_string() == *key).unwrap();
                        slot.timespec = None;
                    }
                    Change::Update { key, record, .. } => {
                        *t.iter_mut().find(|t| t.trigger_type.as_ref().unwrap().to_string() == *key).unwrap() =
                            record.clone();
                    }
                    Change::Create(r) => t.push(r.clone()),
                }
            }
            t
        },
        holidays,
    }
}

fn trigger() -> impl Strategy<Value = Trigger> {
    (
        prop::sample::select(vec!["IN", "OUT", "F1", "F2", "F12"]),
        proptest::option::of(any::<bool>()),
        proptest::option::of(prop::collection::vec((0usize..7, 0usize..48), 0..3)),
    )
        .prop_map(|(kind, enable, spec)| {
            let mut t = Trigger::new(kind.parse().unwrap());
            t.enable = enable;
            t.timespec = spec.map(|days| {
                days.into_iter()
                    .map(|(d, slot)| TimeSpec {
                        weekday: Some(Weekday::ALL[d].clone()),
                        time_pattern: Some(TimePattern::EMPTY.with_slot(slot, true)),
                        ..TimeSpec::default()
                    })
                    .collect()
            });
            t
        })
}

fn department() -> impl Strategy<Value = Department> {
    (1i64..8, proptest::option::of("[A-C]{1,2}"), proptest::option::of("[a-c]{1,3}"), any::<bool>()).prop_map(
        |(id, name, description, note)| {
            let mut d = Department { id: Some(id), name, description, ..Department::default() };
            if note {
                // A field the SDK does not model: kept through every update.
                d.extra.insert("firmwareNote".into(), json!("kept"));
            }
            d
        },
    )
}

fn status(flags: [bool; 7]) -> UserStatus {
    serde_json::from_value(json!({
        "active": flags[0], "autoMatch": flags[1], "smartCard": flags[2], "fingerprint": flags[3],
        "password": flags[4], "facial": flags[5], "facialAutoMatch": flags[6]
    }))
    .unwrap()
}

fn user() -> impl Strategy<Value = User> {
    (
        1u8..8,
        proptest::option::of("[A-D][a-z]{0,3}"),
        proptest::option::of(prop_oneof![Just(AdminLevel::PersonalUser), Just(AdminLevel::UserAdmin)]),
        any::<[bool; 7]>(),
        proptest::option::of(proptest::collection::vec(1i64..4, 0..3)),
        proptest::option::of("[0-9]{4}"),
    )
        .prop_map(|(n, last_name, admin_level, flags, department_id, password)| User {
            user_id: Some(format!("U{n}")),
            last_name,
            admin_level,
            status: Some(status(flags)),
            department_id,
            password: password.map(Secret::new),
            ..User::default()
        })
}

/// Records with distinct keys.
fn unique<T>(items: Vec<T>, key: impl Fn(&T) -> String) -> Vec<T> {
    let mut seen = std::collections::BTreeSet::new();
    items.into_iter().filter(|i| seen.insert(key(i))).collect()
}

fn state() -> impl Strategy<Value = State> {
    (
        proptest::collection::vec(department(), 0..6),
        proptest::collection::vec(user(), 0..6),
        proptest::collection::btree_set((1u32..13, 1u32..29), 0..4),
        proptest::collection::vec(trigger(), 0..4),
    )
        .prop_map(|(departments, users, days, triggers)| State {
            departments: unique(departments, |d| d.id.unwrap().to_string()),
            users: unique(users, |u| u.user_id.clone().unwrap()),
            triggers: unique(triggers, |t| t.trigger_type.as_ref().unwrap().to_string()),
            holidays: days.into_iter().map(|(m, d)| HolidayDate::new(2026, m, d).unwrap()).collect(),
            ..State::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn applying_the_plan_gives_the_desired_state_and_then_nothing_is_left_to_do(
        current in state(), desired in state(), prune: bool,
    ) {
        // A new department needs a name and a description (§4.1): declare them for the new ones.
        let mut desired = desired;
        for d in &mut desired.departments {
            if !current.departments.iter().any(|c| c.id == d.id) {
                d.name.get_or_insert_with(|| "New".into());
                d.description.get_or_insert_with(|| "new".into());
            }
        }
        let options = PlanOptions { prune, ..PlanOptions::default() };
        let p = plan(&current, &desired, &options).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let after = apply(&current, &p);

        for want in &desired.departments {
            let have = after.departments.iter().find(|d| d.id == want.id).expect("a desired department is there");
            prop_assert!(holds(&serde_json::to_value(have)?, &serde_json::to_value(want)?, &[]), "{have:?} vs {want:?}");
        }
        for want in &desired.users {
            let have = after.users.iter().find(|u| u.user_id == want.user_id).expect("a desired user is there");
            // A password is written when the user is created, never compared later.
            let existed = current.users.iter().any(|u| u.user_id == want.user_id);
            let skip: &[&str] = if existed { &["password"] } else { &[] };
            prop_assert!(holds(&serde_json::to_value(have)?, &serde_json::to_value(want)?, skip), "{have:?} vs {want:?}");
        }
        for d in &desired.holidays {
            prop_assert!(after.holidays.contains(d));
        }
        for want in &desired.triggers {
            let have = after.triggers.iter().find(|t| t.trigger_type == want.trigger_type).expect("a desired trigger");
            prop_assert!(holds(&serde_json::to_value(have)?, &serde_json::to_value(want)?, &[]), "{have:?} vs {want:?}");
        }
        for have in &current.triggers {
            if !desired.triggers.iter().any(|t| t.trigger_type == have.trigger_type) {
                let now = after.triggers.iter().find(|t| t.trigger_type == have.trigger_type).unwrap();
                if prune && !desired.triggers.is_empty() {
                    prop_assert!(now.timespec.as_ref().is_none_or(Vec::is_empty), "cleared: {now:?}");
                } else {
                    prop_assert_eq!(now, have);
                }
            }
        }
        // What the declaration does not mention: kept without prune, gone with it.
        for have in &current.departments {
            let mentioned = desired.departments.iter().any(|d| d.id == have.id);
            let now = after.departments.iter().find(|d| d.id == have.id);
            if !mentioned {
                // A kind the declaration leaves empty is not managed.
                let pruned = prune && !desired.departments.is_empty();
                prop_assert_eq!(now.is_none(), pruned);
                if !pruned { prop_assert_eq!(now, Some(have)); }
            } else if have.extra.contains_key("firmwareNote") {
                prop_assert_eq!(&now.unwrap().extra["firmwareNote"], &json!("kept"));
            }
        }
        for have in &current.users {
            if !desired.users.iter().any(|u| u.user_id == have.user_id) {
                let pruned = prune && !desired.users.is_empty();
                prop_assert_eq!(after.users.iter().any(|u| u.user_id == have.user_id), !pruned);
            }
        }

        let again = plan(&after, &desired, &options).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(again.is_empty(), "a second plan: {again:?}");
    }
}

#[test]
fn an_update_lists_the_fields_it_changes_and_sends_the_terminals_record_with_them() {
    let mut have = Department::new(3, "Sales", "old");
    have.extra.insert("firmwareNote".into(), json!("kept"));
    let want = Department { id: Some(3), description: Some("new".into()), ..Department::default() };
    let current = State { departments: vec![have], ..State::default() };
    let desired = State { departments: vec![want], ..State::default() };
    let p = plan(&current, &desired, &PlanOptions::default()).unwrap();
    let Change::Update { key, fields, record } = &p.departments[0] else { panic!("{p:?}") };
    assert_eq!(key, "3");
    assert_eq!(fields.len(), 1);
    assert_eq!(
        (fields[0].field.as_str(), &fields[0].from, &fields[0].to),
        ("description", &Some(json!("old")), &json!("new"))
    );
    assert_eq!(record.name.as_deref(), Some("Sales"));
    assert_eq!(record.extra["firmwareNote"], json!("kept"));
}

#[test]
fn the_operations_come_batched_and_in_reference_order() {
    let current = State {
        users: vec![User { user_id: Some("OLD".into()), status: Some(status([true; 7])), ..User::default() }],
        departments: vec![Department::new(9, "Gone", "x")],
        ..State::default()
    };
    let new_user = |id: &str| User {
        user_id: Some(id.into()),
        department_id: Some(vec![1]),
        status: Some(status([true; 7])),
        ..User::default()
    };
    let desired = State {
        departments: vec![Department::new(1, "Sales", "s"), Department::new(2, "Ops", "o")],
        users: vec![new_user("A"), new_user("B")],
        holidays: vec![HolidayDate::parse("2026-12-25").unwrap()],
        ..State::default()
    };
    let p = plan(&current, &desired, &PlanOptions { prune: true, ..PlanOptions::default() }).unwrap();
    let names: Vec<&str> = p.operations().iter().map(|o| o.name()).collect();
    assert_eq!(names, ["add_departments", "add_users", "set_holidays", "delete_user", "delete_departments"]);
}

#[test]
fn one_invalid_entry_fails_the_whole_plan_with_every_problem_named_by_its_record() {
    let desired = State {
        users: vec![
            User::new("NEW1"), // a new user needs a status with all seven flags
            User { user_id: Some("NEW2".into()), status: Some(status([true; 7])), ..User::default() },
            User { user_id: None, ..User::default() },
        ],
        departments: vec![Department { id: Some(4), name: Some("No description".into()), ..Department::default() }],
        ..State::default()
    };
    let errors = plan(&State::default(), &desired, &PlanOptions::default()).unwrap_err();
    let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"users[NEW1].status"), "{fields:?}");
    assert!(fields.contains(&"users[2]"), "{fields:?}");
    assert!(fields.contains(&"departments[4].description"), "{fields:?}");
    assert!(!fields.iter().any(|f| f.starts_with("users[NEW2]")), "{fields:?}");
}

#[test]
fn a_desired_state_is_read_from_wire_form_with_schedules_as_time_ranges() {
    let v = json!({
        "access_rights": [{"id": 14, "name": "Office", "schedule": {"MONDAY": "08:00-12:30, 13:30-17:00"}}],
        "users": [{"userID": "A1", "departmentID": 2}],
        "holidays": ["2026-12-25"],
    });
    let s = State::from_wire(&v).unwrap();
    let spec = s.access_rights[0].timespec.as_ref().unwrap();
    assert_eq!(spec.len(), 1);
    assert_eq!(spec[0].weekday, Some(Weekday::Monday));
    assert_eq!(spec[0].time_pattern, Some(TimePattern::from_ranges("08:00-12:30, 13:30-17:00").unwrap()));
    assert_eq!(s.users[0].department_id, Some(vec![2]));
    assert_eq!(s.holidays, [HolidayDate::parse("2026-12-25").unwrap()]);

    let bad = json!({
        "access_rights": [{"id": 1, "schedule": {"MOONDAY": "08:00-09:00", "FRIDAY": "08:00-25:00"}}],
        "holidays": ["2026-02-30"],
        "doors": [],
    });
    let errors = State::from_wire(&bad).unwrap_err();
    let fields: Vec<(&str, Rule)> = errors.errors().iter().map(|e| (e.field.as_str(), e.rule)).collect();
    assert!(fields.contains(&("access_rights[0].schedule.MOONDAY", Rule::Weekday)), "{fields:?}");
    assert!(fields.contains(&("access_rights[0].schedule.FRIDAY", Rule::TimeRange)), "{fields:?}");
    assert!(fields.contains(&("holidays[0]", Rule::HolidayDate)), "{fields:?}");
    assert!(fields.contains(&("doors", Rule::DesiredKind)), "{fields:?}");
}

#[test]
fn large_writes_go_in_batches_of_a_hundred() {
    let desired = State {
        users: (0..250)
            .map(|i| User { user_id: Some(format!("B{i:03}")), status: Some(status([true; 7])), ..User::default() })
            .collect(),
        ..State::default()
    };
    let ops = plan(&State::default(), &desired, &PlanOptions::default()).unwrap().operations();
    let sizes: Vec<usize> = ops
        .iter()
        .map(|o| match o {
            AnyOperation::AddUsers(a) => a.users.len(),
            other => panic!("{}", other.name()),
        })
        .collect();
    assert_eq!(sizes, [actatek_core::plan::BATCH, actatek_core::plan::BATCH, 50]);
}

#[test]
fn trigger_schedules_are_written_one_type_at_a_time_and_prune_clears_the_others() {
    let v = json!({"triggers": [{"type": "IN", "enable": true, "schedule": {"MONDAY": "07:00-09:00"}}]});
    let desired = State::from_wire(&v).unwrap();
    let mut busy = Trigger::new("F3".parse().unwrap());
    busy.timespec = Some(vec![TimeSpec {
        weekday: Some(Weekday::Friday),
        time_pattern: Some(TimePattern::from_ranges("12:00-13:00").unwrap()),
        ..TimeSpec::default()
    }]);
    let current = State {
        triggers: vec![Trigger::new("IN".parse().unwrap()), busy, Trigger::new("OUT".parse().unwrap())],
        ..State::default()
    };
    let p = plan(&current, &desired, &PlanOptions { prune: true, ..PlanOptions::default() }).unwrap();
    let names: Vec<String> = p.operations().iter().map(|o| o.name().to_string()).collect();
    // IN gets its schedule; F3 (a schedule nobody declared) is cleared; OUT (none) is left.
    assert_eq!(names, ["update_trigger", "clear_trigger"]);
    match &p.operations()[1] {
        AnyOperation::ClearTrigger(c) => assert_eq!(c.trigger_type.to_string(), "F3"),
        other => panic!("{}", other.name()),
    }
    // freeJobcode only on F1 … F10 (§7): checked before anything is sent.
    let bad = State::from_wire(&json!({"triggers": [{"type": "F20", "freeJobcode": true}]})).unwrap();
    let e = plan(&current, &bad, &PlanOptions::default()).unwrap_err();
    assert_eq!(e.errors()[0].field, "triggers[F20].freeJobcode", "{e}");
    assert_eq!(e.errors()[0].rule, Rule::FreeJobcode);
}

#[test]
fn terminal_and_group_sections_add_records_and_change_fields_for_their_terminals() {
    let doc = json!({
        "holidays": ["2026-12-25"],
        "users": [
            {"userID": "A1", "lastName": "Li", "status": {"active": true, "facial": true}},
            {"userID": "A2", "lastName": "Wu"},
        ],
        "groups": {
            "warehouse": {
                "users": [{"userID": "A1", "status": {"active": false}}],
                "holidays": ["2026-12-31"],
                "access_rights": [{"id": 5, "name": "Night", "schedule": {"MONDAY": "22:00-24:00"}}],
            },
            "night": {"access_rights": [{"id": 5, "schedule": {"TUESDAY": "22:00-23:00"}}]},
        },
        "terminals": {
            "door-17": {"users": [{"userID": "G1", "lastName": "Guest"}]},
        },
    });
    let d = Declaration::from_wire(&doc).unwrap();
    assert!(d.has_sections());

    // A terminal in no group and without a section: the top level only.
    let plain = d.for_terminal::<&str>(Some("door-1"), &[]).unwrap();
    assert_eq!(plain.users.len(), 2);
    assert_eq!(plain.users[0].status.as_ref().unwrap().active, Some(true));
    assert!(plain.access_rights.is_empty());

    // door-17 in both groups: status merged flag by flag, the later group's schedule replaces
    // the earlier one whole, holidays add up, its own section adds a user.
    let s = d.for_terminal(Some("door-17"), &["warehouse", "night"]).unwrap();
    let a1 = s.users.iter().find(|u| u.user_id.as_deref() == Some("A1")).unwrap();
    assert_eq!(a1.status.as_ref().unwrap().active, Some(false));
    assert_eq!(a1.status.as_ref().unwrap().facial, Some(true));
    assert_eq!(a1.last_name.as_deref(), Some("Li"));
    assert!(s.users.iter().any(|u| u.user_id.as_deref() == Some("G1")));
    assert_eq!(s.holidays.len(), 2);
    let right = &s.access_rights[0];
    assert_eq!(right.name.as_deref(), Some("Night"));
    let days: Vec<Weekday> = right.timespec.as_ref().unwrap().iter().map(|t| t.weekday.clone().unwrap()).collect();
    assert_eq!(days, [Weekday::Tuesday]);

    // Sections nobody is named for are refused by name.
    let e = d.unknown_sections(&["door-1", "door-18"], &["warehouse"]).unwrap_err();
    let fields: Vec<&str> = e.errors().iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["terminals.door-17", "groups.night"]);
    d.unknown_sections(&["door-17"], &["warehouse", "night"]).unwrap();

    // A problem inside a section is named by its section.
    let bad = json!({"terminals": {"door-2": {"holidays": ["2026-02-30"], "doors": []}}});
    let e = Declaration::from_wire(&bad).unwrap_err();
    let fields: Vec<&str> = e.errors().iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"terminals.door-2.holidays[0]"), "{fields:?}");
    assert!(fields.contains(&"terminals.door-2.doors"), "{fields:?}");
}

#[test]
fn a_schedule_read_back_in_another_day_order_or_cleared_is_not_a_change() {
    let spec = |day: Weekday, ranges: &str| TimeSpec::new(day, TimePattern::from_ranges(ranges).unwrap());
    let desired = State::from_wire(&json!({
        "access_rights": [{"id": 3, "schedule": {"MONDAY": "08:00-09:00", "TUESDAY": "10:00-11:00", "WEDNESDAY": "08:00-09:00"}}],
        "triggers": [{"type": "OUT", "schedule": {}}],
    }))
    .unwrap();
    // The older API's one entry for MONDAY and WEDNESDAY comes back as two, before TUESDAY.
    let right = AccessRight {
        id: Some(3),
        timespec: Some(vec![
            spec(Weekday::Monday, "08:00-09:00"),
            spec(Weekday::Wednesday, "08:00-09:00"),
            spec(Weekday::Tuesday, "10:00-11:00"),
        ]),
        ..AccessRight::default()
    };
    // A cleared trigger reports no schedule at all.
    let current =
        State { access_rights: vec![right], triggers: vec![Trigger::new("OUT".parse().unwrap())], ..State::default() };
    let p = plan(&current, &desired, &PlanOptions::default()).unwrap();
    assert!(p.is_empty(), "{:?}", p.changes());
    // A real difference still is one.
    let mut moved = desired.clone();
    moved.access_rights[0].timespec.as_mut().unwrap()[1] = spec(Weekday::Tuesday, "12:00-13:00");
    let p = plan(&current, &moved, &PlanOptions::default()).unwrap();
    assert_eq!(p.changes().len(), 1, "{:?}", p.changes());
}

#[test]
fn a_key_twice_in_one_section_or_holidays_not_a_list_is_refused() {
    let doc = json!({
        "holidays": "2026-12-25",
        "terminals": {"door-1": {"users": [{"userID": "U1"}, {"userID": "U1", "lastName": "again"}]}},
    });
    let e = Declaration::from_wire(&doc).unwrap_err();
    let fields: Vec<&str> = e.errors().iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"terminals.door-1.users[U1]"), "{fields:?}");
    assert!(fields.contains(&"holidays"), "{fields:?}");
}
