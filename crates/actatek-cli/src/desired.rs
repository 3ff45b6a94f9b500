//! `actatek plan FILE` / `actatek apply FILE`: the desired-state file read with the client's
//! loader ([`actatek::files`]: TOML, YAML, JSON, users from CSV) into the core's
//! [`Declaration`], each terminal's state from it, and the plan shown.

use crate::error::CliError;
use actatek::ValidationErrors;
use actatek::core::plan::{Declaration, Plan, State};
use actatek::files::LoadError;
use serde_json::Value;
use std::path::Path;

/// A read desired-state file: its declaration, and the loader's record of where each entry is.
pub struct DesiredFile {
    pub declaration: Declaration,
    file: actatek::files::DesiredFile,
}

/// Read a desired-state file; every problem is reported with its file and line.
pub fn read(path: &Path) -> Result<DesiredFile, CliError> {
    let file = actatek::files::DesiredFile::load(path).map_err(|e| match e {
        LoadError::Io { path, error } => CliError::io(path.display(), error),
        LoadError::Rows { ref path, ref errors } => CliError::Validation {
            lines: e.to_string().lines().map(str::to_string).collect(),
            summary: format!("{}: {} problem(s) in its rows (nothing was sent)", path.display(), errors.len()),
        },
        LoadError::Syntax { .. } => {
            CliError::Validation { lines: vec![e.to_string()], summary: format!("{e} (nothing was sent)") }
        }
    })?;
    let declaration = match Declaration::from_wire(&file.doc) {
        Ok(d) => d,
        Err(e) => return Err(invalid(&file, &e)),
    };
    Ok(DesiredFile { declaration, file })
}

fn invalid(file: &actatek::files::DesiredFile, errors: &ValidationErrors) -> CliError {
    let lines = file.describe(errors);
    let summary =
        format!("{}: {} problem(s) in the desired state (nothing was sent)", file.path.display(), lines.len());
    CliError::Validation { lines, summary }
}

impl DesiredFile {
    /// The plan's validation errors, each as `FILE:LINE: field: problem`.
    pub fn invalid(&self, errors: &ValidationErrors) -> CliError {
        invalid(&self.file, errors)
    }

    /// What the terminal `name` in `groups` should hold.
    pub fn state_for(&self, name: &str, groups: &[String]) -> Result<State, CliError> {
        self.declaration.for_terminal(Some(name), groups).map_err(|e| self.invalid(&e))
    }

    /// Refuse sections that name no terminal or group the configuration knows.
    pub fn check_sections(&self, known: &[(String, Vec<String>)]) -> Result<(), CliError> {
        let terminals: Vec<&str> = known.iter().map(|(n, _)| n.as_str()).collect();
        let mut groups: Vec<&str> = known.iter().flat_map(|(_, g)| g.iter().map(String::as_str)).collect();
        groups.sort_unstable();
        groups.dedup();
        self.declaration.unknown_sections(&terminals, &groups).map_err(|e| self.invalid(&e))
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
