//! CSV rows as records in wire form: the header names wire fields, nested fields with dots
//! (`status.active`), lists with `;` (`groupID` = `1;2`), and a cell holding JSON
//! (`[{"keytype": 1, ...}]`) is that JSON. A cell is read as text, number, boolean or a
//! one-item list as the core's types need it: each row is decoded, and a cell the decoder
//! rejects as the wrong type is read the next way. Used by the CLI's `--body FILE.csv` and by
//! desired-state files ([`crate::files`]).

use actatek_core::{Rule, ValidationError};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One CSV record: the header's column names with this row's cells.
#[derive(Debug, Clone, Default)]
pub struct CsvRow {
    pub cells: Vec<(String, String)>,
    /// The line of the file the row starts on (1 is the header).
    pub line: usize,
}

/// CSV with a header row of wire names (a UTF-8 byte-order mark is dropped); a problem is
/// `CSV row N: ...`.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<CsvRow>, String> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::Headers).from_reader(bytes);
    let headers: Vec<String> =
        reader.headers().map_err(|e| format!("CSV header: {e}"))?.iter().map(str::to_string).collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| match e.position() {
            Some(p) => format!("line {}: {e}", p.line()),
            None => format!("CSV row {}: {e}", i + 1),
        })?;
        // The record's first byte (past the blank lines the reader skipped), as a line number.
        let line = record.position().map_or(i + 2, |p| {
            let mut at = (p.byte() as usize).min(bytes.len());
            while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
                at += 1;
            }
            1 + bytes[..at].iter().filter(|&&b| b == b'\n').count()
        });
        let cells = headers
            .iter()
            .zip(record.iter())
            .filter(|(h, _)| !h.is_empty())
            .map(|(h, c)| (h.clone(), c.to_string()))
            .collect();
        rows.push(CsvRow { cells, line });
    }
    Ok(rows)
}

/// How a CSV cell is tried: the default reading first, then the others when the core says
/// the type is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellAs {
    Default,
    Text,
    Number,
    Bool,
    OneItemList,
}

fn cell_value(raw: &str, how: CellAs) -> Option<Value> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    Some(match how {
        CellAs::Default => {
            if t.starts_with(['[', '{'])
                && let Ok(v) = serde_json::from_str::<Value>(t)
            {
                return Some(v);
            }
            if t.contains(';') {
                Value::Array(t.split(';').map(str::trim).filter(|s| !s.is_empty()).map(Value::from).collect())
            } else {
                Value::String(raw.to_string())
            }
        }
        CellAs::Text => Value::String(raw.to_string()),
        CellAs::Number => t.parse::<i64>().map(Value::from).or_else(|_| t.parse::<f64>().map(Value::from)).ok()?,
        CellAs::Bool => Value::Bool(t.parse::<bool>().ok()?),
        CellAs::OneItemList => Value::Array(vec![Value::String(raw.to_string())]),
    })
}

/// Put `value` at a dotted path (`status.active`) into `obj`.
pub fn insert_path(obj: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            obj.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let child = obj.entry(head.to_string()).or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            if let Value::Object(m) = child {
                insert_path(m, rest, value);
            }
        }
    }
}

fn row_object(row: &CsvRow, how: &HashMap<usize, CellAs>) -> Value {
    let mut obj = Map::new();
    for (i, (col, raw)) in row.cells.iter().enumerate() {
        if let Some(v) = cell_value(raw, how.get(&i).copied().unwrap_or(CellAs::Default)) {
            insert_path(&mut obj, col, v);
        }
    }
    Value::Object(obj)
}

/// A field path without array indices (`keyrecords[0].keyid` → `keyrecords.keyid`).
pub fn strip_indices(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut depth = 0;
    for c in field.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The ways to read a cell, after the default one.
const ALTERNATIVES: [CellAs; 4] = [CellAs::Text, CellAs::Number, CellAs::Bool, CellAs::OneItemList];

/// Decode one CSV row as the body element and fix cells whose type the core rejects (a
/// number where a string was read, a lone value where a list is wanted, text with a `;`).
/// Returns the row as JSON and the decode errors that remain.
pub fn decode_csv_row(
    row: &CsvRow,
    mut decode: impl FnMut(&Value) -> Result<(), Vec<ValidationError>>,
    field_of: impl Fn(&ValidationError) -> Option<String>,
) -> (Value, Vec<ValidationError>) {
    let mut how: HashMap<usize, CellAs> = HashMap::new();
    let mut tried: HashMap<usize, usize> = HashMap::new();
    loop {
        let value = row_object(row, &how);
        let errors = match decode(&value) {
            Ok(()) => return (value, Vec::new()),
            Err(e) => e,
        };
        let first = &errors[0];
        let column = (first.rule == Rule::WrongType)
            .then(|| field_of(first))
            .flatten()
            .map(|f| strip_indices(&f))
            .and_then(|f| row.cells.iter().position(|(col, raw)| col == &f && !raw.trim().is_empty()));
        let Some(col) = column else { return (value, errors) };
        let n = tried.entry(col).or_insert(0);
        let current = how.get(&col).copied().unwrap_or(CellAs::Default);
        let next = ALTERNATIVES[*n..]
            .iter()
            .position(|&alt| alt != current && cell_value(&row.cells[col].1, alt).is_some())
            .map(|p| *n + p);
        match next {
            Some(i) => {
                how.insert(col, ALTERNATIVES[i]);
                *n = i + 1;
            }
            None => {
                // No reading fits: report the cell as it was written, not the last guess.
                how.remove(&col);
                let value = row_object(row, &how);
                let errors = decode(&value).err().unwrap_or(errors);
                return (value, errors);
            }
        }
    }
}
