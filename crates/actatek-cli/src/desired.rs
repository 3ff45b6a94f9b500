//! `actatek plan FILE` / `actatek apply FILE`: the desired-state file (TOML or JSON) read into
//! the core's [`State`], and the plan shown.
//!
//! The file: `departments`, `access_rights`, `access_groups` and `users` are lists of records
//! in wire form (`userID`, `lastName`, `departmentID = [1]`, `status = {…}`), exactly as the
//! terminal's API writes them; an access right may give `schedule = { MONDAY = "08:00-12:30,
//! 13:30-17:00" }` instead of `timespec`; `holidays` is a list of dates.

use crate::error::CliError;
use actatek::core::plan::{Plan, State};
use actatek::{TimePattern, ValidationErrors, Weekday};
use serde_json::{Map, Value, json};
use std::path::Path;

const KINDS: [&str; 5] = ["departments", "access_rights", "access_groups", "users", "holidays"];

/// A parsed file: the state, and its text (to find the line of an entry).
pub struct DesiredFile {
    pub state: State,
    pub origin: String,
    text: String,
}

fn bad(origin: &str, what: String) -> CliError {
    CliError::Validation {
        lines: vec![format!("{origin}: {what}")],
        summary: format!("{origin}: {what} (nothing was sent)"),
    }
}

/// `schedule = { MONDAY = "08:00-12:30" }` → `timespec = [{weekday, timePattern}]`.
fn schedule_to_timespec(entry: &mut Map<String, Value>, origin: &str, at: &str) -> Result<(), CliError> {
    let Some(schedule) = entry.remove("schedule") else { return Ok(()) };
    let Value::Object(days) = schedule else {
        return Err(bad(origin, format!("{at}.schedule: must be a table of WEEKDAY = \"HH:MM-HH:MM, …\"")));
    };
    let mut timespec = Vec::new();
    for (day, ranges) in days {
        let weekday: Weekday =
            day.parse().map_err(|e: actatek::ValidationError| bad(origin, format!("{at}.schedule.{day}: {e}")))?;
        let text = ranges.as_str().unwrap_or_default();
        let pattern = TimePattern::from_ranges(text).map_err(|e| bad(origin, format!("{at}.schedule.{day}: {e}")))?;
        timespec.push(json!({"weekday": weekday.as_str(), "timePattern": pattern.to_string()}));
    }
    entry.insert("timespec".into(), Value::Array(timespec));
    Ok(())
}

fn records<T: serde::de::DeserializeOwned>(v: Value, origin: &str, kind: &str) -> Result<Vec<T>, CliError> {
    let Value::Array(items) = v else { return Err(bad(origin, format!("{kind}: must be a list"))) };
    items
        .into_iter()
        .enumerate()
        .map(|(i, mut item)| {
            if kind == "access_rights"
                && let Some(entry) = item.as_object_mut()
            {
                schedule_to_timespec(entry, origin, &format!("{kind}[{i}]"))?;
            }
            serde_json::from_value(item).map_err(|e| bad(origin, format!("{kind}[{i}]: {e}")))
        })
        .collect()
}

/// Read a desired-state file (`.toml`, else JSON).
pub fn read(path: &Path) -> Result<DesiredFile, CliError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(&origin, e))?;
    let value: Value = if path.extension().and_then(|e| e.to_str()) == Some("toml") {
        let t: toml::Table = toml::from_str(&text).map_err(|e| bad(&origin, format!("not valid TOML: {e}")))?;
        serde_json::to_value(t).map_err(|e| bad(&origin, e.to_string()))?
    } else {
        serde_json::from_str(&text).map_err(|e| bad(&origin, format!("not valid JSON: {e}")))?
    };
    let Value::Object(top) = value else { return Err(bad(&origin, "must be a table of lists".into())) };
    let mut state = State::default();
    for (key, v) in top {
        match key.as_str() {
            "departments" => state.departments = records(v, &origin, &key)?,
            "access_rights" => state.access_rights = records(v, &origin, &key)?,
            "access_groups" => state.access_groups = records(v, &origin, &key)?,
            "users" => state.users = records(v, &origin, &key)?,
            "holidays" => {
                let dates: Vec<String> =
                    serde_json::from_value(v).map_err(|e| bad(&origin, format!("holidays: {e}")))?;
                state.holidays = dates
                    .iter()
                    .map(|d| d.parse().map_err(|e: actatek::ValidationError| bad(&origin, format!("holidays: {e}"))))
                    .collect::<Result<_, _>>()?;
            }
            other => return Err(bad(&origin, format!("unknown key {other:?} (expected one of {})", KINDS.join(", ")))),
        }
    }
    Ok(DesiredFile { state, origin, text })
}

impl DesiredFile {
    /// The line where the entry `kind[key]` is declared: the first line after the kind's name
    /// that holds the key as a value.
    fn line_of(&self, field: &str) -> Option<usize> {
        let (kind, rest) = field.split_once('[')?;
        let key = rest.split(']').next()?;
        let start = self.text.lines().position(|l| l.contains(kind))?;
        let quoted = format!("\"{key}\"");
        self.text
            .lines()
            .enumerate()
            .skip(start)
            .find(|(_, l)| l.contains(&quoted) || l.split(['=', ':', ',', ' ']).any(|w| w.trim() == key))
            .map(|(i, _)| i + 1)
    }

    /// The plan's validation errors, each as `FILE:LINE: field: problem`.
    pub fn invalid(&self, errors: &ValidationErrors) -> CliError {
        let lines: Vec<String> = errors
            .errors()
            .iter()
            .map(|e| match self.line_of(&e.field) {
                Some(line) => format!("{}:{line}: {e}", self.origin),
                None => format!("{}: {e}", self.origin),
            })
            .collect();
        let summary = format!("{}: {} problem(s) in the desired state (nothing was sent)", self.origin, lines.len());
        CliError::Validation { lines, summary }
    }
}

/// A plan for people: one line per change, updates with their fields.
pub fn describe(terminal: &str, plan: &Plan) -> String {
    let changes = plan.changes();
    if changes.is_empty() {
        return format!("{terminal}: nothing to do\n");
    }
    let n = |a: &str| changes.iter().filter(|c| c.action == a).count();
    let mut out =
        format!("{terminal}: {} to create, {} to update, {} to delete\n", n("create"), n("update"), n("delete"));
    for c in &changes {
        out.push_str(&format!("  {} {} {}\n", c.action, c.kind, c.key));
        for f in &c.fields {
            let from = f.from.as_ref().map_or("(none)".to_string(), Value::to_string);
            out.push_str(&format!("      {}: {from} -> {}\n", f.field, f.to));
        }
    }
    out
}
