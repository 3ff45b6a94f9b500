//! Desired state, planned (issue 16, first part): what a terminal must be sent so that it holds
//! what a declaration says. Sans-IO: the current state (as read from the terminal) and the
//! desired state in, the changes and the operations that make them out; any binding runs them.
//!
//! - Records are matched by their key (a department's, access right's or group's `id`, a
//!   user's `userID`, a holiday's date). A desired record that the terminal lacks is created;
//!   one that differs on a field the declaration **mentions** is updated, field by field, and
//!   the record sent is the terminal's own with those fields changed, so fields the
//!   declaration leaves out and fields the SDK does not model stay as they are. Only with
//!   `prune` is a record the declaration does not mention deleted.
//! - A field only written, never reported (a user's password: [`Kind::Secret`]) is sent when
//!   the record is created and never compared afterwards, or every plan would change it again.
//! - Every write is validated before anything is sent; one invalid entry fails the whole plan
//!   with every problem, each named by its record (`users[U0003].status`).
//! - [`Plan::operations`] orders the writes so that references resolve: departments, access
//!   rights, access groups, then users and holidays; deletions last, users first.

use crate::error::{ValidationError, ValidationErrors};
use crate::format::{Described, Kind};
use crate::models::{AccessGroup, AccessRight, Department, Holidays, Trigger, User};
use crate::ops::{self, AnyOperation};
use crate::values::HolidayDate;
use indexmap::{IndexMap, IndexSet};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What a terminal holds, or what it should hold. A kind of record left empty in a desired
/// state is not managed: `prune` deletes nothing of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub departments: Vec<Department>,
    pub access_rights: Vec<AccessRight>,
    pub access_groups: Vec<AccessGroup>,
    pub users: Vec<User>,
    pub holidays: Vec<HolidayDate>,
    /// Trigger schedules (§7), by trigger type: a terminal has every type, so "create" and
    /// "update" are both `update_trigger`, and `prune` clears the schedule of a type the
    /// declaration does not mention.
    pub triggers: Vec<Trigger>,
}

/// The kinds of record a desired state declares, as their keys in [`State::from_wire`].
pub const KINDS: [&str; 6] = ["departments", "access_rights", "access_groups", "users", "holidays", "triggers"];

/// The wire field that keys each kind's records (holidays are keyed by themselves).
pub fn key_field(kind: &str) -> Option<&'static str> {
    match kind {
        "departments" | "access_rights" | "access_groups" => Some("id"),
        "users" => Some("userID"),
        "triggers" => Some("type"),
        _ => None,
    }
}

fn wire_error(field: String, value: impl Into<String>) -> ValidationError {
    ValidationError::new(field, value, crate::Rule::WrongType)
}

/// `schedule = {MONDAY = "08:00-12:30"}` → `timespec = [{weekday, timePattern}]`.
fn schedule_to_timespec(entry: &mut serde_json::Map<String, Value>, at: &str, errors: &mut Vec<ValidationError>) {
    let Some(schedule) = entry.remove("schedule") else { return };
    let Value::Object(days) = schedule else {
        errors.push(wire_error(format!("{at}.schedule"), "not a table of WEEKDAY = \"HH:MM-HH:MM, …\""));
        return;
    };
    let mut timespec = Vec::new();
    for (day, ranges) in days {
        let at = format!("{at}.schedule.{day}");
        let weekday = match day.parse::<crate::values::Weekday>() {
            Ok(w) => w,
            Err(mut e) => {
                e.field = at;
                errors.push(e);
                continue;
            }
        };
        match crate::values::TimePattern::from_ranges(ranges.as_str().unwrap_or_default()) {
            Ok(p) => timespec.push(serde_json::json!({"weekday": weekday.as_str(), "timePattern": p.to_string()})),
            Err(mut e) => {
                e.field = at;
                errors.push(e);
            }
        }
    }
    entry.insert("timespec".into(), Value::Array(timespec));
}

fn wire_records<T: DeserializeOwned>(kind: &str, v: Value, errors: &mut Vec<ValidationError>) -> Vec<T> {
    let Value::Array(items) = v else {
        errors.push(wire_error(kind.to_string(), "not a list"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, mut item) in items.into_iter().enumerate() {
        let at = format!("{kind}[{i}]");
        if matches!(kind, "access_rights" | "triggers")
            && let Some(entry) = item.as_object_mut()
        {
            schedule_to_timespec(entry, &at, errors);
        }
        match crate::record::from_value_text(&item) {
            Ok(r) => out.push(r),
            Err(e) => errors.push(wire_error(at, e.to_string())),
        }
    }
    out
}

impl State {
    /// A desired state in wire form, as a file or a binding gives it: `departments`,
    /// `access_rights`, `access_groups` and `users` are lists of records in wire names (an
    /// access right may give `schedule: {"MONDAY": "08:00-12:30, 13:30-17:00"}` instead of
    /// `timespec`), `holidays` a list of `YYYY-MM-DD` dates. Every problem is reported.
    pub fn from_wire(v: &Value) -> Result<State, ValidationErrors> {
        let mut errors = Vec::new();
        let mut state = State::default();
        match v {
            Value::Object(top) => {
                for (key, v) in top {
                    match key.as_str() {
                        "departments" => state.departments = wire_records(key, v.clone(), &mut errors),
                        "access_rights" => state.access_rights = wire_records(key, v.clone(), &mut errors),
                        "access_groups" => state.access_groups = wire_records(key, v.clone(), &mut errors),
                        "users" => state.users = wire_records(key, v.clone(), &mut errors),
                        "triggers" => state.triggers = wire_records(key, v.clone(), &mut errors),
                        "holidays" => {
                            if !v.is_array() {
                                errors.push(wire_error(key.clone(), "not a list of YYYY-MM-DD dates"));
                            }
                            for (i, d) in v.as_array().into_iter().flatten().enumerate() {
                                match d.as_str().map(HolidayDate::parse) {
                                    Some(Ok(date)) => state.holidays.push(date),
                                    Some(Err(mut e)) => {
                                        e.field = format!("holidays[{i}]");
                                        errors.push(e);
                                    }
                                    None => errors.push(wire_error(format!("holidays[{i}]"), d.to_string())),
                                }
                            }
                        }
                        other => errors.push(ValidationError::new(other, other, crate::Rule::DesiredKind)),
                    }
                }
            }
            other => errors.push(wire_error(String::new(), format!("not an object: {other}"))),
        }
        ValidationErrors::check(errors).map(|()| state)
    }
}

/// A desired-state document: the records every terminal should hold, and sections that add
/// records or other values of the same records for named terminals (`terminals.NAME`) and
/// named groups of terminals (`groups.NAME`), each with the same kinds as the top level.
///
/// A terminal's state ([`Declaration::for_terminal`]) is the top level, then each of its
/// groups' sections in the order the terminal lists its groups, then its own section: a
/// record with the same key has its fields replaced by the later section's (a user's
/// `status` flags one by one; a schedule as a whole), a new key is added, and holidays add
/// up. Every section is checked when the document is read, so a problem in a section for one
/// terminal fails the document for all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declaration {
    all: serde_json::Map<String, Value>,
    // By name, in name order (sorted when read).
    groups: IndexMap<String, serde_json::Map<String, Value>>,
    terminals: IndexMap<String, serde_json::Map<String, Value>>,
}

/// A record's key as text (`3` and `"3"` are the same department).
fn key_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `over`'s fields on `base`: nested tables (`status`) merged, a schedule replaced whole.
fn overlay_record(base: &mut serde_json::Map<String, Value>, over: &serde_json::Map<String, Value>) {
    for (k, v) in over {
        if k == "schedule" || k == "timespec" || k == "timeSpec" {
            for other in ["schedule", "timespec", "timeSpec"] {
                base.remove(other);
            }
        }
        match (base.get_mut(k), v) {
            (Some(Value::Object(have)), Value::Object(want)) if k != "schedule" => {
                for (nk, nv) in want {
                    have.insert(nk.clone(), nv.clone());
                }
            }
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// One section over another, kind by kind.
fn merge_section(base: &mut serde_json::Map<String, Value>, over: &serde_json::Map<String, Value>) {
    for (kind, items) in over {
        let Value::Array(items) = items else {
            base.insert(kind.clone(), items.clone());
            continue;
        };
        let slot = base.entry(kind.clone()).or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(have) = slot else { continue };
        for item in items {
            let field = key_field(kind);
            let key = field.and_then(|f| item.get(f)).and_then(key_text);
            let found = match (&key, field) {
                (Some(key), Some(f)) => {
                    have.iter_mut().find(|h| h.get(f).and_then(key_text).as_deref() == Some(key.as_str()))
                }
                _ => have.iter_mut().find(|h| *h == item),
            };
            match (found, item) {
                (Some(Value::Object(h)), Value::Object(i)) => overlay_record(h, i),
                (Some(_), _) => {}
                (None, _) => have.push(item.clone()),
            }
        }
    }
}

impl Declaration {
    /// Read a document in wire form ([`State::from_wire`] for the top level and for each
    /// section of `terminals` and `groups`); every problem of every section is reported, a
    /// section's named `terminals.NAME.users[0]`.
    pub fn from_wire(v: &Value) -> Result<Declaration, ValidationErrors> {
        let mut errors = Vec::new();
        let mut d = Declaration::default();
        let Some(top) = v.as_object() else {
            return Err(wire_error(String::new(), format!("not an object: {v}")).into());
        };
        let check = |at: &str, section: &serde_json::Map<String, Value>, errors: &mut Vec<ValidationError>| {
            let prefix = if at.is_empty() { String::new() } else { format!("{at}.") };
            // A key twice in one section (a CSV row repeating a record, say): merging would
            // silently keep one of them, so it is refused as the top level refuses it.
            for (kind, items) in section {
                let (Some(field), Some(items)) = (key_field(kind), items.as_array()) else { continue };
                let mut seen = IndexSet::new();
                for key in items.iter().filter_map(|i| i.get(field)).filter_map(key_text) {
                    if !seen.insert(key.clone()) {
                        errors.push(ValidationError::new(
                            format!("{prefix}{kind}[{key}]"),
                            "declared twice",
                            crate::Rule::Required,
                        ));
                    }
                }
            }
            if let Err(e) = State::from_wire(&Value::Object(section.clone())) {
                errors.extend(e.errors().iter().cloned().map(|mut one| {
                    one.field = if at.is_empty() { one.field } else { format!("{at}.{}", one.field) };
                    one
                }));
            }
        };
        for (key, value) in top {
            match key.as_str() {
                "terminals" | "groups" => {
                    let Some(sections) = value.as_object() else {
                        errors.push(wire_error(key.clone(), "not a table of NAME = { users = [...], ... }"));
                        continue;
                    };
                    for (name, section) in sections {
                        let at = format!("{key}.{name}");
                        let Some(section) = section.as_object() else {
                            errors.push(wire_error(at, "not a table of departments, users, ..."));
                            continue;
                        };
                        check(&at, section, &mut errors);
                        let into = if key == "terminals" { &mut d.terminals } else { &mut d.groups };
                        into.insert(name.clone(), section.clone());
                    }
                }
                _ => {
                    d.all.insert(key.clone(), value.clone());
                }
            }
        }
        d.terminals.sort_unstable_keys();
        d.groups.sort_unstable_keys();
        let all = d.all.clone();
        check("", &all, &mut errors);
        ValidationErrors::check(errors).map(|()| d)
    }

    /// The names of the terminal sections.
    pub fn terminal_sections(&self) -> impl Iterator<Item = &str> {
        self.terminals.keys().map(String::as_str)
    }

    /// The names of the group sections.
    pub fn group_sections(&self) -> impl Iterator<Item = &str> {
        self.groups.keys().map(String::as_str)
    }

    /// Whether any record is declared for some terminals only.
    pub fn has_sections(&self) -> bool {
        !self.terminals.is_empty() || !self.groups.is_empty()
    }

    /// Sections that name no terminal of `terminals` and no group of `groups`: a typo there
    /// would silently leave a terminal without its records, so callers refuse them.
    pub fn unknown_sections(&self, terminals: &[&str], groups: &[&str]) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        for name in self.terminal_sections().filter(|n| !terminals.contains(n)) {
            errors.push(ValidationError::new(format!("terminals.{name}"), name, crate::Rule::DesiredSection));
        }
        for name in self.group_sections().filter(|n| !groups.contains(n)) {
            errors.push(ValidationError::new(format!("groups.{name}"), name, crate::Rule::DesiredSection));
        }
        ValidationErrors::check(errors)
    }

    /// [`Declaration::for_terminal`] for one client of a binding, which may not know its
    /// terminal's name: a declaration with sections is refused unless a name or groups say
    /// which of them apply (else records meant for that terminal would silently be left out).
    pub fn for_client<G: AsRef<str>>(&self, name: Option<&str>, groups: &[G]) -> Result<State, ValidationErrors> {
        if self.has_sections() && name.is_none() && groups.is_empty() {
            let first = self
                .terminal_sections()
                .map(|n| format!("terminals.{n}"))
                .chain(self.group_sections().map(|n| format!("groups.{n}")))
                .next()
                .unwrap_or_default();
            return Err(ValidationError::new(
                first,
                "this client was given no terminal name and no groups",
                crate::Rule::DesiredSection,
            )
            .into());
        }
        self.for_terminal(name, groups)
    }

    /// What the terminal named `name` (if it has a name), in `groups`, should hold.
    pub fn for_terminal<G: AsRef<str>>(&self, name: Option<&str>, groups: &[G]) -> Result<State, ValidationErrors> {
        let mut doc = self.all.clone();
        for g in groups {
            if let Some(section) = self.groups.get(g.as_ref()) {
                merge_section(&mut doc, section);
            }
        }
        if let Some(section) = name.and_then(|n| self.terminals.get(n)) {
            merge_section(&mut doc, section);
        }
        State::from_wire(&Value::Object(doc))
    }
}

/// One field that an update changes: its dotted wire path, the terminal's value (absent when
/// it has none) and the declared one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<Value>,
    pub to: Value,
}

/// What happens to one record.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<T> {
    Create(T),
    /// The record to send: the terminal's, with `fields` changed.
    Update {
        key: String,
        fields: Vec<FieldChange>,
        record: T,
    },
    Delete {
        key: String,
    },
}

impl<T> Change<T> {
    pub fn verb(&self) -> &'static str {
        match self {
            Change::Create(_) => "create",
            Change::Update { .. } => "update",
            Change::Delete { .. } => "delete",
        }
    }
}

/// The changes that make a terminal hold a desired state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub departments: Vec<Change<Department>>,
    pub access_rights: Vec<Change<AccessRight>>,
    pub access_groups: Vec<Change<AccessGroup>>,
    pub users: Vec<Change<User>>,
    pub triggers: Vec<Change<Trigger>>,
    pub holidays_added: Vec<HolidayDate>,
    pub holidays_deleted: Vec<HolidayDate>,
}

/// Options of [`plan`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Delete the records that the desired state does not mention, of each kind it declares
    /// at least one record of.
    pub prune: bool,
    /// Users never deleted by `prune` (a client adds the user it logs in as).
    pub protected_users: Vec<String>,
}

trait Keyed: Serialize + DeserializeOwned + Described + Clone {
    const KIND: &'static str;
    fn key(&self) -> Option<String>;
    /// The batch writes that add and update records of this kind.
    fn add(records: Vec<Self>) -> AnyOperation;
    fn update(records: Vec<Self>) -> AnyOperation;
    /// The write that deletes the record with this key.
    fn delete(key: &str) -> AnyOperation;
    /// Records per add or update write: [`BATCH`] where the manual has batch writes.
    const BATCH: usize = BATCH;
    /// A record that holds nothing worth deleting (a trigger type without a schedule).
    fn blank(&self) -> bool {
        false
    }
}

impl Keyed for Department {
    const KIND: &'static str = "departments";
    fn add(records: Vec<Self>) -> AnyOperation {
        ops::AddDepartments { departments: records }.into()
    }
    fn update(records: Vec<Self>) -> AnyOperation {
        ops::UpdateDepartments { departments: records }.into()
    }
    fn delete(key: &str) -> AnyOperation {
        ops::DeleteDepartments { id: key.parse().ok(), ..Default::default() }.into()
    }
    fn key(&self) -> Option<String> {
        self.id.map(|i| i.to_string())
    }
}
impl Keyed for AccessRight {
    const KIND: &'static str = "access_rights";
    fn add(records: Vec<Self>) -> AnyOperation {
        ops::AddAccessRights { access_rights: records }.into()
    }
    fn update(records: Vec<Self>) -> AnyOperation {
        ops::UpdateAccessRights { access_rights: records }.into()
    }
    fn delete(key: &str) -> AnyOperation {
        ops::DeleteAccessRight { id: key.parse().unwrap_or_default() }.into()
    }
    fn key(&self) -> Option<String> {
        self.id.map(|i| i.to_string())
    }
}
impl Keyed for AccessGroup {
    const KIND: &'static str = "access_groups";
    fn add(records: Vec<Self>) -> AnyOperation {
        ops::AddAccessGroups { access_groups: records }.into()
    }
    fn update(records: Vec<Self>) -> AnyOperation {
        ops::UpdateAccessGroups { access_groups: records }.into()
    }
    fn delete(key: &str) -> AnyOperation {
        ops::DeleteAccessGroup { id: key.parse().unwrap_or_default() }.into()
    }
    fn key(&self) -> Option<String> {
        self.id.map(|i| i.to_string())
    }
}
impl Keyed for User {
    const KIND: &'static str = "users";
    fn add(records: Vec<Self>) -> AnyOperation {
        ops::AddUsers { users: records }.into()
    }
    fn update(records: Vec<Self>) -> AnyOperation {
        ops::UpdateUsers { users: records }.into()
    }
    fn delete(key: &str) -> AnyOperation {
        ops::DeleteUser { user_id: key.to_string() }.into()
    }
    fn key(&self) -> Option<String> {
        self.user_id.clone()
    }
}
impl Keyed for Trigger {
    const KIND: &'static str = "triggers";
    /// §7 has no batch write: one `update_trigger` per type.
    const BATCH: usize = 1;
    fn add(records: Vec<Self>) -> AnyOperation {
        Self::update(records)
    }
    fn update(mut records: Vec<Self>) -> AnyOperation {
        ops::UpdateTrigger { trigger: records.pop().unwrap_or_default() }.into()
    }
    fn delete(key: &str) -> AnyOperation {
        let trigger_type = key.parse().unwrap_or_else(|_| crate::values::TriggerType::Unknown(key.to_string()));
        ops::ClearTrigger { trigger_type }.into()
    }
    fn key(&self) -> Option<String> {
        self.trigger_type.as_ref().map(|t| t.to_string())
    }
    fn blank(&self) -> bool {
        self.timespec.as_ref().is_none_or(Vec::is_empty)
    }
}

fn json<T: Serialize>(v: &T) -> Value {
    crate::record::to_value_text(v)
}

/// The fields `desired` mentions whose value on `current` differs (nested records field by
/// field), skipping `skip` at the top level.
fn diff(at: &str, current: &Value, desired: &Value, skip: &[&str], out: &mut Vec<FieldChange>) {
    let Some(desired) = desired.as_object() else { return };
    for (k, want) in desired {
        if at.is_empty() && skip.contains(&k.as_str()) {
            continue;
        }
        let path = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
        let have = current.get(k);
        match (have, want) {
            (Some(have @ Value::Object(_)), Value::Object(_)) => diff(&path, have, want, &[], out),
            _ if have == Some(want) => {}
            _ => out.push(FieldChange { field: path, from: have.cloned(), to: want.clone() }),
        }
    }
}

/// `current` with every field `desired` mentions set to its value (nested records merged).
fn overlay(current: &mut Value, desired: &Value, skip: &[&str]) {
    let (Some(have), Some(want)) = (current.as_object_mut(), desired.as_object()) else { return };
    for (k, v) in want {
        if skip.contains(&k.as_str()) {
            continue;
        }
        match (have.get_mut(k), v) {
            (Some(slot @ Value::Object(_)), Value::Object(_)) => overlay(slot, v, &[]),
            _ => {
                have.insert(k.clone(), v.clone());
            }
        }
    }
}

/// A schedule compared day by day, not by the order its entries come in: a terminal (or the
/// older API's one entry for several weekdays) may list the days in another order than the
/// declaration. Both sides' `timespec` sorted by weekday; a terminal that reports no
/// schedule holds the empty one.
fn same_schedule_order(have: &mut Value, want: &mut Value) {
    fn day(entry: &Value) -> usize {
        let name = entry.get("weekday").and_then(Value::as_str).unwrap_or_default();
        crate::values::Weekday::ALL.iter().position(|w| w.as_str() == name).unwrap_or(usize::MAX)
    }
    if want.get("timespec").is_none() {
        return;
    }
    if let Some(h) = have.as_object_mut() {
        let slot = h.entry("timespec").or_insert_with(|| Value::Array(Vec::new()));
        if slot.is_null() {
            *slot = Value::Array(Vec::new());
        }
    }
    for side in [have, want] {
        if let Some(Value::Array(entries)) = side.get_mut("timespec") {
            entries.sort_by_key(day);
        }
    }
}

/// Wire names of the fields a terminal never reports back.
fn write_only<T: Described>() -> Vec<&'static str> {
    T::FORMAT.fields.iter().filter(|f| f.format.kind == Kind::Secret).map(|f| f.wire).collect()
}

fn plan_kind<T: Keyed>(
    current: &[T],
    desired: &[T],
    prune: bool,
    protected: &[String],
    errors: &mut Vec<ValidationError>,
) -> Vec<Change<T>> {
    let skip = write_only::<T>();
    let mut seen = IndexSet::new();
    let mut out = Vec::new();
    // By key, so that planning stays linear in the number of records.
    let held: IndexMap<String, &T> = current.iter().filter_map(|c| c.key().map(|k| (k, c))).collect();
    for (i, want) in desired.iter().enumerate() {
        let Some(key) = want.key() else {
            errors.push(ValidationError::missing(format!("{}[{i}]", T::KIND), crate::Rule::Required));
            continue;
        };
        if !seen.insert(key.clone()) {
            errors.push(ValidationError::new(format!("{}[{key}]", T::KIND), "declared twice", crate::Rule::Required));
            continue;
        }
        match held.get(&key).copied() {
            None => out.push(Change::Create(want.clone())),
            Some(have) => {
                let (mut have, mut want_json) = (json(have), json(want));
                same_schedule_order(&mut have, &mut want_json);
                let mut fields = Vec::new();
                diff("", &have, &want_json, &skip, &mut fields);
                if !fields.is_empty() {
                    let mut merged = have;
                    overlay(&mut merged, &want_json, &skip);
                    match crate::record::from_value_text::<T>(&merged) {
                        Ok(record) => out.push(Change::Update { key, fields, record }),
                        Err(e) => errors.push(ValidationError::new(
                            format!("{}[{key}]", T::KIND),
                            e.to_string(),
                            crate::Rule::WrongType,
                        )),
                    }
                }
            }
        }
    }
    if prune && !desired.is_empty() {
        for have in current {
            if let Some(key) = have.key()
                && !seen.contains(&key)
                && !protected.contains(&key)
                && !have.blank()
            {
                out.push(Change::Delete { key });
            }
        }
    }
    out
}

/// Validate one record as the operation that would send it, naming it by its kind and key.
fn check(kind: &str, key: &str, op: AnyOperation, errors: &mut Vec<ValidationError>) {
    if let Err(e) = op.validate() {
        for mut one in e.errors().iter().cloned() {
            let rest =
                one.field.strip_prefix("body[0]").or_else(|| one.field.strip_prefix("body")).unwrap_or(&one.field);
            one.field = format!("{kind}[{key}]{rest}");
            errors.push(one);
        }
    }
}

/// Validate each create and update as the one-record batch write that would send it.
fn check_kind<T: Keyed>(changes: &[Change<T>], errors: &mut Vec<ValidationError>) {
    for c in changes {
        match c {
            Change::Create(r) => check(T::KIND, &r.key().unwrap_or_default(), T::add(vec![r.clone()]), errors),
            Change::Update { key, record, .. } => check(T::KIND, key, T::update(vec![record.clone()]), errors),
            Change::Delete { .. } => {}
        }
    }
}

/// The changes that make a terminal holding `current` hold `desired`; every write validated.
pub fn plan(current: &State, desired: &State, options: &PlanOptions) -> Result<Plan, ValidationErrors> {
    let mut errors = Vec::new();
    let prune = options.prune;
    let p = Plan {
        departments: plan_kind(&current.departments, &desired.departments, prune, &[], &mut errors),
        access_rights: plan_kind(&current.access_rights, &desired.access_rights, prune, &[], &mut errors),
        access_groups: plan_kind(&current.access_groups, &desired.access_groups, prune, &[], &mut errors),
        users: plan_kind(&current.users, &desired.users, prune, &options.protected_users, &mut errors),
        triggers: plan_kind(&current.triggers, &desired.triggers, prune, &[], &mut errors),
        holidays_added: desired.holidays.iter().filter(|d| !current.holidays.contains(d)).copied().collect(),
        holidays_deleted: if prune && !desired.holidays.is_empty() {
            current.holidays.iter().filter(|d| !desired.holidays.contains(d)).copied().collect()
        } else {
            Vec::new()
        },
    };
    check_kind(&p.departments, &mut errors);
    check_kind(&p.access_rights, &mut errors);
    check_kind(&p.access_groups, &mut errors);
    check_kind(&p.users, &mut errors);
    check_kind(&p.triggers, &mut errors);
    ValidationErrors::check(errors).map(|()| p)
}

/// A kind's adds, then its updates, in batches of [`BATCH`].
fn batched<T: Keyed>(changes: &[Change<T>], out: &mut Vec<AnyOperation>) {
    out.extend(batches(creates(changes), T::BATCH).into_iter().map(T::add));
    out.extend(batches(updates(changes), T::BATCH).into_iter().map(T::update));
}

fn creates<T: Clone>(changes: &[Change<T>]) -> Vec<T> {
    changes.iter().filter_map(|c| if let Change::Create(r) = c { Some(r.clone()) } else { None }).collect()
}

fn updates<T: Clone>(changes: &[Change<T>]) -> Vec<T> {
    changes
        .iter()
        .filter_map(|c| if let Change::Update { record, .. } = c { Some(record.clone()) } else { None })
        .collect()
}

/// Records per batch write: a terminal's request body stays small (the CLI's `users import`
/// sends 100 at a time too).
pub const BATCH: usize = 100;

/// The records in batches of `size`.
fn batches<T>(v: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut it = v.into_iter().peekable();
    while it.peek().is_some() {
        out.push(it.by_ref().take(size.max(1)).collect());
    }
    out
}

/// A kind's deletions.
fn deleted<T: Keyed>(changes: &[Change<T>], out: &mut Vec<AnyOperation>) {
    out.extend(changes.iter().filter_map(|c| if let Change::Delete { key } = c { Some(T::delete(key)) } else { None }));
}

/// One planned change, for showing a plan (the CLI's `plan`, `-o json`, the bindings).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedChange {
    /// `departments`, `access_rights`, `access_groups`, `users`, `triggers` or `holidays`.
    pub kind: &'static str,
    pub key: String,
    /// `create`, `update` or `delete`.
    pub action: &'static str,
    /// What an update changes (empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

fn summarize<T: Keyed>(changes: &[Change<T>], out: &mut Vec<PlannedChange>) {
    for c in changes {
        let (key, fields) = match c {
            Change::Create(r) => (r.key().unwrap_or_default(), Vec::new()),
            Change::Update { key, fields, .. } => (key.clone(), fields.clone()),
            Change::Delete { key } => (key.clone(), Vec::new()),
        };
        out.push(PlannedChange { kind: T::KIND, key, action: c.verb(), fields });
    }
}

impl Plan {
    /// Every change, in the order [`Plan::operations`] makes them.
    pub fn changes(&self) -> Vec<PlannedChange> {
        let mut out = Vec::new();
        summarize(&self.departments, &mut out);
        summarize(&self.access_rights, &mut out);
        summarize(&self.access_groups, &mut out);
        summarize(&self.users, &mut out);
        summarize(&self.triggers, &mut out);
        for (dates, action) in [(&self.holidays_added, "create"), (&self.holidays_deleted, "delete")] {
            out.extend(dates.iter().map(|d| PlannedChange {
                kind: "holidays",
                key: d.to_string(),
                action,
                fields: Vec::new(),
            }));
        }
        out
    }

    /// Nothing to do.
    pub fn is_empty(&self) -> bool {
        self.departments.is_empty()
            && self.access_rights.is_empty()
            && self.access_groups.is_empty()
            && self.users.is_empty()
            && self.triggers.is_empty()
            && self.holidays_added.is_empty()
            && self.holidays_deleted.is_empty()
    }

    /// The writes, batched ([`BATCH`] records a request) where the manual has batch
    /// operations, in an order that respects
    /// references: departments, access rights, access groups, users, triggers, holidays; then
    /// the deletions, users first and departments last.
    pub fn operations(&self) -> Vec<AnyOperation> {
        let mut out: Vec<AnyOperation> = Vec::new();
        // References first: departments and access rights before the groups and users.
        batched(&self.departments, &mut out);
        batched(&self.access_rights, &mut out);
        batched(&self.access_groups, &mut out);
        batched(&self.users, &mut out);
        batched(&self.triggers, &mut out);
        if !self.holidays_added.is_empty() {
            out.push(ops::SetHolidays { holidays: Holidays::new(self.holidays_added.clone()) }.into());
        }
        deleted(&self.users, &mut out);
        deleted(&self.access_groups, &mut out);
        deleted(&self.access_rights, &mut out);
        deleted(&self.departments, &mut out);
        deleted(&self.triggers, &mut out);
        if !self.holidays_deleted.is_empty() {
            out.push(ops::DeleteHolidays { holidays: Holidays::new(self.holidays_deleted.clone()) }.into());
        }
        out
    }
}
