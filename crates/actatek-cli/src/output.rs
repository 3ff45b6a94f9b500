//! Replies on stdout: a readable table (the default), JSON, or CSV whose columns are the
//! wire names (nested fields with dots, lists joined by `;`, the form `--body` reads back).

use comfy_table::{ContentArrangement, Table, presets};
use serde_json::{Map, Value};
use std::io::{IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "table" => Some(Format::Table),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Fields shown as `***` in tables (JSON and CSV keep what the terminal sent).
const SECRET_FIELDS: &[&str] = &["password", "sessionid"];
/// Longer strings (photos, templates) are cut in tables.
const MAX_CELL: usize = 40;

pub fn render(value: &Value, format: Format, out: &mut impl Write) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            writeln!(out)
        }
        Format::Csv => write_csv(value, out),
        Format::Table => {
            let text = table(value);
            if !text.is_empty() {
                writeln!(out, "{text}")?;
            }
            Ok(())
        }
    }
}

/// The table as text: an array of objects is one row per object; an object is a field/value
/// table; anything else is printed as it is.
pub fn table(value: &Value) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    if std::io::stdout().is_terminal() {
        t.set_content_arrangement(ContentArrangement::Dynamic);
    }
    match value {
        Value::Array(items) if items.is_empty() => "(none)".into(),
        Value::Array(items) if items.iter().all(Value::is_object) => {
            let columns = columns(items.iter().filter_map(Value::as_object));
            t.set_header(columns.iter().map(String::as_str));
            for item in items.iter().filter_map(Value::as_object) {
                t.add_row(columns.iter().map(|c| cell(c, item.get(c))));
            }
            t.to_string()
        }
        Value::Array(items) => {
            t.set_header(["value"]);
            for item in items {
                t.add_row([compact(item, 0)]);
            }
            t.to_string()
        }
        Value::Object(map) => {
            t.set_header(["field", "value"]);
            for (k, v) in map {
                t.add_row([k.clone(), cell(k, Some(v))]);
            }
            t.to_string()
        }
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every key, in the order first seen.
fn columns<'a>(objects: impl Iterator<Item = &'a Map<String, Value>>) -> Vec<String> {
    let mut cols: Vec<String> = Vec::new();
    for o in objects {
        for k in o.keys() {
            if !cols.iter().any(|c| c == k) {
                cols.push(k.clone());
            }
        }
    }
    cols
}

fn cell(key: &str, v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(_)) if SECRET_FIELDS.contains(&key) => "***".into(),
        Some(v) => compact(v, 0),
    }
}

/// A nested value on one line: `1;2`, `name=Ada id=3`, `[2 items]`; an object of flags
/// lists the ones that are on (`active,smartCard`), `-` when none is.
pub fn compact(v: &Value, depth: usize) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.chars().count() > MAX_CELL => {
            let head: String = s.chars().take(16).collect();
            format!("{head}… ({} chars)", s.chars().count())
        }
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(|i| compact(i, depth + 1)).collect::<Vec<_>>().join(";")
        }
        Value::Array(items) if depth > 0 || items.len() > 3 => format!("[{} items]", items.len()),
        Value::Array(items) => {
            items.iter().map(|i| format!("{{{}}}", compact(i, depth + 1))).collect::<Vec<_>>().join(" ")
        }
        Value::Object(map) if !map.is_empty() && map.values().all(Value::is_boolean) => {
            let on: Vec<&str> =
                map.iter().filter(|(_, v)| v.as_bool() == Some(true)).map(|(k, _)| k.as_str()).collect();
            if on.is_empty() { "-".into() } else { on.join(",") }
        }
        Value::Object(map) if depth > 1 => format!("{{{} fields}}", map.len()),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let v = if v.is_string() && SECRET_FIELDS.contains(&k.as_str()) {
                    "***".to_string()
                } else {
                    compact(v, depth + 1)
                };
                format!("{k}={v}")
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Flatten an object into dotted columns; lists of plain values joined by `;`, anything else
/// nested in a list as JSON.
pub fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    let key = |k: &str| if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&key(k), v, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            out.push((prefix.to_string(), items.iter().map(scalar).collect::<Vec<_>>().join(";")))
        }
        Value::Array(_) => out.push((prefix.to_string(), v.to_string())),
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn write_csv(value: &Value, out: &mut impl Write) -> std::io::Result<()> {
    let rows: Vec<Vec<(String, String)>> = match value {
        Value::Array(items) => items
            .iter()
            .map(|i| {
                let mut cells = Vec::new();
                if i.is_object() {
                    flatten("", i, &mut cells);
                } else {
                    cells.push(("value".to_string(), scalar(i)));
                }
                cells
            })
            .collect(),
        Value::Object(_) => {
            let mut cells = Vec::new();
            flatten("", value, &mut cells);
            vec![cells]
        }
        other => vec![vec![("value".to_string(), scalar(other))]],
    };
    let mut header: Vec<String> = Vec::new();
    for row in &rows {
        for (k, _) in row {
            if !header.contains(k) {
                header.push(k.clone());
            }
        }
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&header)?;
    for row in rows {
        let record: Vec<&str> =
            header.iter().map(|h| row.iter().find(|(k, _)| k == h).map(|(_, v)| v.as_str()).unwrap_or("")).collect();
        w.write_record(record)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_values_are_compact() {
        assert_eq!(compact(&json!([1, 2]), 0), "1;2");
        assert_eq!(compact(&json!({"active": true, "facial": false, "password": true}), 0), "active,password");
        assert_eq!(compact(&json!({"active": false}), 0), "-");
        assert_eq!(compact(&json!({"id": 3, "password": "x"}), 0), "id=3 password=***");
        assert!(compact(&json!("x".repeat(100)), 0).ends_with("(100 chars)"));
    }

    #[test]
    fn csv_flattens_with_dots_and_semicolons() {
        let mut out = Vec::new();
        write_csv(&json!([{"userID": "A1", "groupID": [1, 2], "status": {"active": true}}, {"userID": "B"}]), &mut out)
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "userID,groupID,status.active\nA1,1;2,true\nB,,\n");
    }

    #[test]
    fn tables_hide_passwords() {
        let t = table(&json!([{"userID": "A1", "password": "hunter2"}]));
        assert!(t.contains("A1") && t.contains("***") && !t.contains("hunter2"), "{t}");
    }
}
