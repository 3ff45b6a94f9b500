//! `actatek plan FILE` / `actatek apply FILE`: the desired-state file (TOML or JSON) read into
//! the core's [`State`], and the plan shown.
//!
//! The file is the core's wire form of a desired state ([`State::from_wire`]): lists of
//! `departments`, `access_rights` (a `schedule` of time ranges per weekday may stand for
//! `timespec`), `access_groups` and `users` in wire names, and `holidays`.

use crate::error::CliError;
use actatek::ValidationErrors;
use actatek::core::plan::{Plan, State};
use serde_json::Value;
use std::path::Path;

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

/// Read a desired-state file (`.toml`, else JSON) with [`State::from_wire`].
pub fn read(path: &Path) -> Result<DesiredFile, CliError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(&origin, e))?;
    let value: Value = if path.extension().and_then(|e| e.to_str()) == Some("toml") {
        let t: toml::Table = toml::from_str(&text).map_err(|e| bad(&origin, format!("not valid TOML: {e}")))?;
        serde_json::to_value(t).map_err(|e| bad(&origin, e.to_string()))?
    } else {
        serde_json::from_str(&text).map_err(|e| bad(&origin, format!("not valid JSON: {e}")))?
    };
    let mut file = DesiredFile { state: State::default(), origin, text };
    file.state = State::from_wire(&value).map_err(|e| file.invalid(&e))?;
    Ok(file)
}

impl DesiredFile {
    /// The line where the entry `kind[key]` is declared: the first line after the kind's name
    /// that holds the key as a value.
    fn line_of(&self, field: &str) -> Option<usize> {
        let (kind, rest) = field.split_once('[')?;
        // `users[2]`: the third entry of its kind has no key to look for.
        if rest.split(']').next()?.parse::<usize>().is_ok() && kind == "users" {
            return None;
        }
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
