//! Desired-state files (issue 16): TOML, YAML or JSON documents, and users from CSV, read into
//! the wire form that [`actatek_core::plan::Declaration::from_wire`] takes. The CLI's
//! `actatek plan FILE`, Python's `actatek.load_desired` and the Kotlin package read files
//! with this one loader.
//!
//! - `.toml`, `.yaml`/`.yml`, `.json` by the file's extension; `.csv` is a list of users, one
//!   row each, with a header of wire names ([`crate::rows`]).
//! - `users_csv = "staff.csv"` (or a list of paths), at the top level or in a `terminals.NAME`
//!   or `groups.NAME` section, adds that CSV's rows to the section's `users`; a relative path
//!   is relative to the file that names it.
//! - Every problem names its file and line: [`DesiredFile::locate`] finds where a record of
//!   a validation error (`users[U0003].status`) is declared, a CSV row by its line number.

use crate::rows::{CsvRow, decode_csv_row, read_csv};
use actatek_core::models::User;
use actatek_core::ops::AnyOperation;
use actatek_core::{ValidationError, ValidationErrors};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Why a desired-state file could not be read; each problem with its file and line.
#[derive(Debug)]
pub enum LoadError {
    /// The file (or a CSV it names) could not be read.
    Io { path: PathBuf, error: std::io::Error },
    /// Not valid TOML, YAML, JSON or CSV, or of the wrong shape.
    Syntax { path: PathBuf, message: String },
    /// CSV rows whose cells no reading turns into a user: `(line, problem)` each.
    Rows { path: PathBuf, errors: Vec<(usize, ValidationError)> },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            LoadError::Syntax { path, message } => write!(f, "{}: {message}", path.display()),
            LoadError::Rows { path, errors } => {
                let lines: Vec<String> =
                    errors.iter().map(|(line, e)| format!("{}:{line}: {e}", path.display())).collect();
                f.write_str(&lines.join("\n"))
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// A desired-state file, read: the document in wire form and where its records come from.
#[derive(Debug, Clone)]
pub struct DesiredFile {
    /// The document: the kinds, `terminals` and `groups` sections, CSV users included.
    pub doc: Value,
    pub path: PathBuf,
    text: String,
    /// `users[KEY]` → the CSV file and line it was read from.
    rows: HashMap<String, (PathBuf, usize)>,
}

fn syntax(path: &Path, message: impl fmt::Display) -> LoadError {
    LoadError::Syntax { path: path.to_path_buf(), message: message.to_string() }
}

fn read_text(path: &Path) -> Result<String, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|error| LoadError::Io { path: path.to_path_buf(), error })?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

/// The users of a CSV file as wire records, each with its line (the header is line 1).
fn csv_users(path: &Path) -> Result<Vec<(Value, usize)>, LoadError> {
    let bytes = std::fs::read(path).map_err(|error| LoadError::Io { path: path.to_path_buf(), error })?;
    let rows: Vec<CsvRow> = read_csv(&bytes).map_err(|e| syntax(path, e))?;
    let mut out = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for row in &rows {
        let line = row.line;
        let (value, problems) = decode_csv_row(
            row,
            |v| {
                AnyOperation::from_wire("add_users", &serde_json::json!({ "body": [v] }))
                    .map(|_| ())
                    .map_err(ValidationErrors::into_vec)
            },
            |e| e.field.strip_prefix("body[0].").map(str::to_string),
        );
        for mut e in problems {
            e.field = e.field.strip_prefix("body[0].").unwrap_or(&e.field).to_string();
            errors.push((line, e));
        }
        // The cells as the user's wire form: `"true"` a boolean, `2` a list of one department
        // (unknown columns are kept in the record's extra fields).
        let value = serde_json::from_value::<User>(value.clone())
            .ok()
            .and_then(|u| serde_json::to_value(u).ok())
            .unwrap_or(value);
        out.push((value, line));
    }
    if errors.is_empty() { Ok(out) } else { Err(LoadError::Rows { path: path.to_path_buf(), errors }) }
}

impl DesiredFile {
    /// Read `path` by its extension, with the CSV files it names.
    pub fn load(path: &Path) -> Result<DesiredFile, LoadError> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let mut file =
            DesiredFile { doc: Value::Null, path: path.to_path_buf(), text: String::new(), rows: HashMap::new() };
        if ext.as_deref() == Some("csv") {
            let mut top = Map::new();
            top.insert("users".into(), Value::Array(file.add_rows(path, "")?));
            file.doc = Value::Object(top);
            return Ok(file);
        }
        file.text = read_text(path)?;
        let doc: Value = match ext.as_deref() {
            Some("toml") => {
                let t: toml::Table =
                    toml::from_str(&file.text).map_err(|e| syntax(path, format!("not valid TOML: {e}")))?;
                serde_json::to_value(t).map_err(|e| syntax(path, e))?
            }
            Some("yaml" | "yml") => {
                serde_norway::from_str(&file.text).map_err(|e| syntax(path, format!("not valid YAML: {e}")))?
            }
            Some("json") => {
                serde_json::from_str(&file.text).map_err(|e| syntax(path, format!("not valid JSON: {e}")))?
            }
            _ => {
                return Err(syntax(path, "a desired-state file ends in .toml, .yaml, .yml, .json or .csv (users)"));
            }
        };
        let Value::Object(mut top) = doc else {
            return Err(syntax(
                path,
                "not a table of departments, access_rights, access_groups, users, holidays, triggers",
            ));
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        file.inline_csv(&mut top, &dir, "")?;
        for sections in ["terminals", "groups"] {
            if let Some(Value::Object(named)) = top.get_mut(sections) {
                for (name, section) in named.iter_mut() {
                    if let Value::Object(section) = section {
                        file.inline_csv(section, &dir, &format!("{sections}.{name}."))?;
                    }
                }
            }
        }
        file.doc = Value::Object(top);
        Ok(file)
    }

    /// A section's `users_csv` replaced by its rows, added to the section's `users`.
    fn inline_csv(&mut self, section: &mut Map<String, Value>, dir: &Path, at: &str) -> Result<(), LoadError> {
        let Some(named) = section.remove("users_csv") else { return Ok(()) };
        let paths: Vec<&Value> = match &named {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        let mut users = Vec::new();
        for p in paths {
            let Some(p) = p.as_str() else {
                return Err(syntax(&self.path, format!("{at}users_csv: {p} is not a path to a CSV file")));
            };
            users.extend(self.add_rows(&dir.join(p), at)?);
        }
        match section.entry("users").or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(list) => list.extend(users),
            _ => return Err(syntax(&self.path, format!("{at}users: not a list"))),
        }
        Ok(())
    }

    fn add_rows(&mut self, csv: &Path, at: &str) -> Result<Vec<Value>, LoadError> {
        let rows = csv_users(csv)?;
        let mut out = Vec::with_capacity(rows.len());
        for (value, line) in rows {
            if let Some(id) = value.get("userID").and_then(Value::as_str) {
                // Plan errors name the user without its section: both names lead here.
                self.rows.insert(format!("{at}users[{id}]"), (csv.to_path_buf(), line));
                self.rows.entry(format!("users[{id}]")).or_insert_with(|| (csv.to_path_buf(), line));
            }
            out.push(value);
        }
        Ok(out)
    }

    /// Where the record that a validation error names (`users[U0003].status`,
    /// `terminals.door-17.users[0]`) is declared: a CSV row exactly, a line of the file by
    /// its text (the first line after its kind's name that holds the key).
    pub fn locate(&self, field: &str) -> Option<(PathBuf, usize)> {
        let Some((kind, rest)) = field.split_once('[') else {
            // A section or a kind (`terminals.door-9`, `doors`): the line that names it.
            let name = field.rsplit('.').next()?;
            let at = self.text.lines().position(|l| {
                let l = l.trim_start().trim_start_matches('[').trim_start_matches('"');
                l.starts_with(name) || l.starts_with(field) || l.contains(&format!(".{name}]"))
            })?;
            return Some((self.path.clone(), at + 1));
        };
        let key = rest.split(']').next()?;
        if let Some(found) = self.rows.get(&format!("{kind}[{key}]")) {
            return Some(found.clone());
        }
        if self.text.is_empty() {
            return None;
        }
        let name = kind.rsplit('.').next().unwrap_or(kind);
        // A record named by its position (`users[2]`, no key): the kind's line.
        let by_position = key.parse::<usize>().is_ok() && name == "users";
        let lines: Vec<&str> = self.text.lines().collect();
        let start =
            lines.iter().position(|l| l.contains(kind)).or_else(|| lines.iter().position(|l| l.contains(name)))?;
        if by_position {
            return Some((self.path.clone(), start + 1));
        }
        let quoted = format!("\"{key}\"");
        lines
            .iter()
            .enumerate()
            .skip(start)
            .find(|(_, l)| l.contains(&quoted) || l.split(['=', ':', ',', ' ']).any(|w| w.trim() == key))
            .map(|(i, _)| (self.path.clone(), i + 1))
    }

    /// Each validation error as `FILE:LINE: problem` (`FILE: problem` when no line is known).
    pub fn describe(&self, errors: &ValidationErrors) -> Vec<String> {
        errors
            .errors()
            .iter()
            .map(|e| match self.locate(&e.field) {
                Some((path, line)) => format!("{}:{line}: {e}", path.display()),
                None => format!("{}: {e}", self.path.display()),
            })
            .collect()
    }
}
