//! The spec is the oracle: the operation table of ENDPOINTS.md (the project's corrected
//! reference, `shared/api/ENDPOINTS.md`; a copy is kept in `tests/spec/` for clones without
//! `shared/`) is read as text, and every row's canonical name, method, path template and query
//! parameter names are checked against the core's operation table.

use actatek_core::OPERATIONS;
use std::collections::BTreeMap;

fn spec_text() -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let copy = std::fs::read_to_string(format!("{root}/tests/spec/ENDPOINTS.md")).expect("tests/spec/ENDPOINTS.md");
    // Beside a checkout (as on CI) the shared original must equal the copy.
    if let Ok(shared) = std::fs::read_to_string(format!("{root}/../shared/api/ENDPOINTS.md")) {
        assert!(shared == copy, "tests/spec/ENDPOINTS.md differs from shared/api/ENDPOINTS.md: copy it again");
    }
    copy
}

struct Row {
    name: String,
    method: String,
    path: Vec<String>,
    query: Vec<String>,
}

/// `/a/{sid}/{x}?p&q=Y (see errata E8)` → segments and query names; notes in parentheses and
/// example values dropped, `(same query)` resolved by the caller.
fn parse_path(cell: &str) -> (Vec<String>, Vec<String>) {
    let cell = cell.replace("\\|", "|");
    let mut text = cell.trim().to_string();
    // Notes such as "(no session)" or "(see errata E5)" follow a space.
    if let Some(i) = text.find(" (") {
        text.truncate(i);
    }
    let (path, query) = text.split_once('?').unwrap_or((&text, ""));
    let segments = path.split('/').skip(1).map(str::to_string).collect();
    let query =
        query.split('&').filter(|q| !q.is_empty()).map(|q| q.split('=').next().unwrap_or(q).to_string()).collect();
    (segments, query)
}

fn spec_rows() -> Vec<Row> {
    let text = spec_text();
    let mut rows = Vec::new();
    let mut last_query = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        if cells.len() < 6 || !cells[0].chars().next().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        let (path, mut query) = parse_path(cells[3]);
        if cells[3].contains("?(same query)") {
            query = last_query.clone();
        }
        if !query.is_empty() {
            last_query = query.clone();
        }
        rows.push(Row { name: cells[1].to_string(), method: cells[2].to_string(), path, query });
    }
    rows
}

#[test]
fn every_row_of_the_spec_table_matches_the_core_table() {
    let rows = spec_rows();
    assert_eq!(rows.len(), 72, "ENDPOINTS.md lists 72 operations");
    let core: BTreeMap<&str, _> = OPERATIONS.iter().map(|o| (o.name, o)).collect();
    let mut problems = Vec::new();
    for row in &rows {
        let Some(op) = core.get(row.name.as_str()) else {
            problems.push(format!("{}: not in the core's table", row.name));
            continue;
        };
        if op.method.as_str() != row.method {
            problems.push(format!("{}: method {} in the spec, {} in the core", row.name, row.method, op.method));
        }
        let core_path: Vec<&str> = op.template.split('/').skip(1).collect();
        let same_shape = core_path.len() == row.path.len()
            && core_path.iter().zip(&row.path).all(|(c, s)| match (c.starts_with('{'), s.starts_with('{')) {
                // A parameter whose spec name lists its values (`{ONE|TWO|ALL}`) may be named
                // otherwise in the core; a named one must match.
                (true, true) => s.contains('|') || c == s,
                (false, false) => c == s,
                _ => false,
            });
        if !same_shape {
            problems.push(format!(
                "{}: path {} in the spec, {} in the core",
                row.name,
                row.path.join("/"),
                op.template
            ));
        }
        let core_query: Vec<&str> =
            op.params.iter().filter(|p| p.location == actatek_core::Location::Query).map(|p| p.wire).collect();
        if core_query != row.query {
            problems.push(format!("{}: query {:?} in the spec, {:?} in the core", row.name, row.query, core_query));
        }
    }
    assert_eq!(core.len(), rows.len(), "the core has operations the spec does not list");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
