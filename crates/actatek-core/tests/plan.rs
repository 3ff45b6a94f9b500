//! The desired-state planner (issue 16): for random current and desired states, applying the
//! plan to the current state gives the desired state on every field the declaration mentions,
//! leaves what it does not mention as it was, and planning again finds nothing to do.

use actatek_core::plan::{Change, Plan, PlanOptions, State, plan};
use actatek_core::*;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Every field of `want` (nested records field by field) has its value in `have`.
fn holds(have: &Value, want: &Value, skip: &[&str]) -> bool {
    want.as_object().unwrap().iter().filter(|(k, _)| !skip.contains(&k.as_str())).all(|(k, w)| match (have.get(k), w) {
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
        holidays,
    }
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
    )
        .prop_map(|(departments, users, days)| State {
            departments: unique(departments, |d| d.id.unwrap().to_string()),
            users: unique(users, |u| u.user_id.clone().unwrap()),
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
    assert!(fields.contains(&("doors", Rule::UnknownField)), "{fields:?}");
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
