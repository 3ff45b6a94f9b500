//! From command-line flags and body files to an operation's wire input
//! (`{"employeeID": "A123", "body": [...]}`), validated by the core before anything is sent.
//!
//! Bodies come as JSON or CSV. CSV columns use wire names; nested fields are written with
//! dots (`status.active`), list fields with `;` (`groupID` = `1;2`), and a cell holding JSON
//! (`[{"keytype": 1, ...}]`) is taken as that JSON. Every row is decoded with the core's own
//! types and checked against every value rule; all problems are reported by row and field.

use crate::error::CliError;
use actatek::core::{AnyOperation, OperationInfo, ParamInfo, Rule, Scalar, ValidationError, ValueFormat};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

/// `employee_id` → `employee-id`.
pub fn kebab(name: &str) -> String {
    name.replace('_', "-")
}

/// Whether a body parameter is a list (`Vec<User>`): such bodies take many rows.
pub fn is_list(p: &ParamInfo) -> bool {
    p.format.list
}

/// What a body is, in the user's words, from the core's format of its type: `a JSON list of
/// objects with the fields userID, …, or CSV with those columns (…)`.
pub fn body_description(p: &ParamInfo) -> String {
    let f = p.format;
    let fields: Vec<&str> = f.fields.iter().map(|x| x.wire).collect();
    let with = if fields.is_empty() { String::new() } else { format!(" with the fields {}", fields.join(", ")) };
    if f.list {
        format!(
            "a JSON list of objects (or one object){with}, or CSV with those names as columns \
             (nested fields with dots: status.active; lists with ;: groupID=1;2)"
        )
    } else {
        format!("a JSON object{with}")
    }
}

/// A flag's text as JSON, typed by the parameter's scalar kind: integers and booleans become
/// JSON numbers and booleans; everything else stays a string (the core's value types read
/// strings and say which rule a bad one breaks).
pub fn param_value(scalar: Scalar, text: &str) -> Value {
    match scalar {
        Scalar::Integer => {
            text.trim().parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(text.to_string()))
        }
        Scalar::Bool => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "on" | "enable" => Value::Bool(true),
            "false" | "no" | "0" | "off" | "disable" => Value::Bool(false),
            _ => Value::String(text.to_string()),
        },
        Scalar::Text => Value::String(text.to_string()),
    }
}

/// A body as read from a file, stdin or `--json`.
#[derive(Debug, Clone)]
pub enum Body {
    Json(Value),
    Csv(Vec<CsvRow>),
}

pub use actatek::rows::CsvRow;
use actatek::rows::{decode_csv_row, insert_path, strip_indices};

/// Read `--body FILE` (`-` = stdin): CSV when the name ends in `.csv`, JSON when it ends in
/// `.json`, otherwise JSON if it starts with `[` or `{`.
pub fn read_body_file(path: &Path) -> Result<Body, CliError> {
    let (text, origin) = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| CliError::io("reading the body from stdin", e))?;
        (s, "stdin".to_string())
    } else {
        let s = std::fs::read_to_string(path).map_err(|e| CliError::io(path.display(), e))?;
        (s, path.display().to_string())
    };
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let json = match ext.as_deref() {
        Some("csv") => false,
        Some("json") => true,
        _ => text.trim_start().starts_with(['[', '{']),
    };
    if json { parse_json(text, &origin) } else { parse_csv(text.as_bytes(), &origin) }
}

/// Inline `--json` text.
pub fn parse_json(text: &str, origin: &str) -> Result<Body, CliError> {
    serde_json::from_str(text).map(Body::Json).map_err(|e| CliError::Validation {
        lines: Vec::new(),
        summary: format!("{origin}: not valid JSON: {e} (nothing was sent)"),
    })
}

/// CSV with a header row of wire names.
pub fn parse_csv(bytes: &[u8], origin: &str) -> Result<Body, CliError> {
    actatek::rows::read_csv(bytes).map(Body::Csv).map_err(|e| CliError::io(origin, e))
}

/// Where a broken rule sits, in the words of the command line.
pub fn describe_field(field: &str, info: &OperationInfo) -> String {
    if let Some(rest) = field.strip_prefix("body[")
        && let Some((idx, tail)) = rest.split_once(']')
        && let Ok(i) = idx.parse::<usize>()
    {
        let tail = tail.strip_prefix('.').unwrap_or(tail);
        return if tail.is_empty() { format!("row {}", i + 1) } else { format!("row {}, field {tail}", i + 1) };
    }
    if field == "body" {
        return "body".into();
    }
    if let Some(rest) = field.strip_prefix("body.") {
        return format!("body field {rest}");
    }
    if field.is_empty() {
        return "request".into();
    }
    let head = field.split(['.', '[']).next().unwrap_or(field);
    match info.params.iter().find(|p| p.wire == head && p.location != actatek::Location::Body) {
        Some(p) => format!("--{} ({})", kebab(p.name), field),
        None => format!("field {field}"),
    }
}

/// One report line: `row 3, field status.facial: missing; a new user needs ... (rule user_status, manual §3.1)`.
pub fn describe(e: &ValidationError, info: &OperationInfo) -> String {
    describe_in(e, &Context { info, params: None, row: None })
}

/// What a report line can say besides the error: the flags as typed, the CSV row as written.
struct Context<'a> {
    info: &'a OperationInfo,
    /// The path and query flags, in wire form.
    params: Option<&'a Map<String, Value>>,
    /// The CSV row the error is about (its fields are then columns).
    row: Option<&'a CsvRow>,
}

impl Context<'_> {
    /// The column of a field of this row (`status.active`; `groupID[1]` is in `groupID`).
    fn column(&self, tail: &str) -> Option<&CsvRow> {
        let row = self.row?;
        let name = strip_indices(tail);
        row.cells.iter().any(|(c, _)| *c == name).then_some(row)
    }
}

/// Where an error is, how its value is written and what such a value looks like.
struct Located {
    place: String,
    value: Option<String>,
    format: Option<&'static ValueFormat>,
}

fn locate(e: &ValidationError, cx: &Context<'_>) -> Located {
    let body = cx.info.params.iter().find(|p| p.location == actatek::Location::Body).map(|p| p.format);
    let row_tail = e
        .field
        .strip_prefix("body[")
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(idx, tail)| idx.parse::<usize>().ok().map(|i| (i, tail.strip_prefix('.').unwrap_or(tail))));
    if let Some((i, tail)) = row_tail {
        let format = body.and_then(|f| if tail.is_empty() { Some(f) } else { f.field(tail) });
        if tail.is_empty() {
            return Located { place: format!("row {}", i + 1), value: None, format };
        }
        return match cx.column(tail) {
            Some(row) => {
                // The cell as written (`yes;no`), unless the error is about one element of it.
                let name = strip_indices(tail);
                let cell = row.cells.iter().find(|(c, _)| *c == name).map(|(_, raw)| raw.clone());
                Located {
                    place: format!("row {}, column {name}", i + 1),
                    value: if tail == name { cell } else { None },
                    format,
                }
            }
            None => Located { place: format!("row {}, field {tail}", i + 1), value: None, format },
        };
    }
    if let Some(tail) = e.field.strip_prefix("body.") {
        return Located { place: format!("body field {tail}"), value: None, format: body.and_then(|f| f.field(tail)) };
    }
    let head = e.field.split(['.', '[']).next().unwrap_or(&e.field);
    match cx.info.params.iter().find(|p| p.wire == head && p.location != actatek::Location::Body) {
        Some(p) => {
            let given = cx.params.and_then(|m| m.get(p.wire)).map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            Located {
                place: describe_field(&e.field, cx.info),
                value: if e.field == p.wire { given } else { None },
                format: Some(p.format),
            }
        }
        None => Located { place: describe_field(&e.field, cx.info), value: None, format: None },
    }
}

/// A report line in the user's words: the flag or the row and column, the value as written,
/// and what is wrong with it. A value of the wrong type says what was expected (`"maybe" is
/// not yes/no (expected yes, no, …)`), never the parser's words or a Rust type name.
fn describe_in(e: &ValidationError, cx: &Context<'_>) -> String {
    let at = locate(e, cx);
    let missing = e.value == "<missing>";
    if e.rule == Rule::WrongType
        && !missing
        && let Some(format) = at.format
    {
        let value = at.value.unwrap_or_else(|| e.value.clone());
        let mut s = format!("{}: {value:?} is not {}", at.place, format.noun);
        if !format.choices.is_empty() {
            s.push_str(&format!(" (expected {})", format.choices.join(", ")));
        } else if format.help != format.noun && !format.help.starts_with(format.noun) {
            s.push_str(&format!(" (expected {})", format.help));
        }
        return s;
    }
    let value = match at.value {
        _ if missing => "missing;".to_string(),
        Some(raw) if !raw.trim().is_empty() => format!("{raw:?}"),
        _ => format!("{:?}", e.value),
    };
    let mut s = format!("{}: {value} {} (rule {}", at.place, e.rule.text(), e.rule.code());
    if e.rule.section() != "project" {
        s.push_str(&format!(", manual §{}", e.rule.section()));
    }
    s.push(')');
    s
}

/// One row's errors as reported: a field whose value is wrong is not also reported missing
/// (a `maybe` in `status.active` is the problem, not the absent flag the core then sees), and
/// the errors follow the columns' order (problems outside any column last).
fn tidy_row(errors: Vec<ValidationError>, row: Option<&CsvRow>) -> Vec<ValidationError> {
    let wrong: Vec<String> =
        errors.iter().filter(|e| e.value != "<missing>").map(|e| strip_indices(&e.field)).collect();
    let follows_from_wrong = |e: &ValidationError| {
        let f = strip_indices(&e.field);
        e.value == "<missing>" && wrong.iter().any(|w| *w == f || f.starts_with(&format!("{w}.")))
    };
    let mut kept: Vec<ValidationError> = errors.iter().filter(|e| !follows_from_wrong(e)).cloned().collect();
    if let Some(row) = row {
        let position = |e: &ValidationError| {
            let tail = e.field.split_once("].").map(|(_, t)| t).unwrap_or("");
            let name = strip_indices(tail);
            row.cells.iter().position(|(c, _)| *c == name || name.starts_with(&format!("{c}."))).unwrap_or(usize::MAX)
        };
        kept.sort_by_key(position);
    }
    kept
}

/// The wire input of an operation, checked: every row of a list body decoded and validated
/// on its own (so every row's problems are found), then the whole request (rules across rows).
pub struct Prepared {
    pub op: AnyOperation,
    /// The wire input (`{"...": ..., "body": ...}`), for splitting into batches.
    pub input: Value,
    /// Rows of a list body.
    #[allow(dead_code)] // read by tests; kept for callers that report row counts
    pub rows: Option<usize>,
}

fn body_param(info: &OperationInfo) -> Option<&'static ParamInfo> {
    info.params.iter().find(|p| p.location == actatek::Location::Body)
}

fn rows_of(body: Body, list: bool) -> Vec<RowSource> {
    match body {
        Body::Json(Value::Array(items)) if list => items.into_iter().map(RowSource::Json).collect(),
        Body::Json(v) => vec![RowSource::Json(v)],
        Body::Csv(rows) => rows.into_iter().map(RowSource::Csv).collect(),
    }
}

enum RowSource {
    Json(Value),
    Csv(CsvRow),
}

/// Build and validate the operation; on broken rules, every one of them as a report line.
pub fn prepare(
    info: &OperationInfo,
    params: Map<String, Value>,
    body: Option<Body>,
    origin: &str,
) -> Result<Prepared, CliError> {
    let mut errors: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut report = |e: &ValidationError, row: Option<&CsvRow>, errors: &mut Vec<String>| {
        let line = describe_in(e, &Context { info, params: Some(&params), row });
        if seen.insert(line.clone()) {
            errors.push(line);
        }
    };
    let with_body = |body: Value| {
        let mut input = params.clone();
        input.insert("body".into(), body);
        Value::Object(input)
    };
    let check = |input: &Value| -> Result<AnyOperation, Vec<ValidationError>> {
        let op = AnyOperation::from_wire(info.name, input).map_err(|e| e.into_vec())?;
        op.validate().map_err(|e| e.into_vec())?;
        Ok(op)
    };

    let bp = body_param(info);
    let (input, rows) = match (bp, body) {
        (None, Some(_)) => {
            return Err(CliError::Usage(format!("{} takes no body (--body/--json)", kebab(info.name))));
        }
        (None, None) => (Value::Object(params.clone()), None),
        (Some(p), None) => {
            if !p.required {
                (Value::Object(params.clone()), None)
            } else {
                return Err(CliError::Usage(format!(
                    "{} needs a body: --body FILE (- for stdin) or --json TEXT, {}",
                    kebab(info.name),
                    body_description(p)
                )));
            }
        }
        (Some(p), Some(body)) if is_list(p) => {
            let sources = rows_of(body, true);
            let mut values = Vec::with_capacity(sources.len());
            for (i, src) in sources.into_iter().enumerate() {
                // Each row alone, as element 0 of the list; its errors are renumbered.
                let renumber = |e: ValidationError| -> ValidationError {
                    match e.field.strip_prefix("body[0]") {
                        Some(rest) => ValidationError { field: format!("body[{i}]{rest}"), ..e },
                        None => e,
                    }
                };
                let csv_row = match &src {
                    RowSource::Csv(row) => Some(row.clone()),
                    RowSource::Json(_) => None,
                };
                let (value, row_errors) = match src {
                    RowSource::Json(v) => {
                        let r = check(&with_body(Value::Array(vec![v.clone()])));
                        (v, r.err().unwrap_or_default())
                    }
                    RowSource::Csv(row) => {
                        let (v, decode_errors) = decode_csv_row(
                            &row,
                            |v| {
                                AnyOperation::from_wire(info.name, &with_body(Value::Array(vec![v.clone()])))
                                    .map(|_| ())
                                    .map_err(|e| e.into_vec())
                            },
                            |e| e.field.strip_prefix("body[0].").map(str::to_string),
                        );
                        if decode_errors.is_empty() {
                            let r = check(&with_body(Value::Array(vec![v.clone()])));
                            (v, r.err().unwrap_or_default())
                        } else {
                            (v, decode_errors)
                        }
                    }
                };
                for e in tidy_row(row_errors, csv_row.as_ref()) {
                    report(&renumber(e), csv_row.as_ref(), &mut errors);
                }
                values.push(value);
            }
            let n = values.len();
            if n == 0 {
                return Err(CliError::Validation {
                    lines: Vec::new(),
                    summary: format!("{origin}: no rows; nothing was sent"),
                });
            }
            (with_body(Value::Array(values)), Some(n))
        }
        (Some(_), Some(body)) => {
            let value = match body {
                Body::Json(v) => v,
                Body::Csv(rows) if rows.len() == 1 => {
                    let row = &rows[0];
                    decode_csv_row(
                        row,
                        |v| {
                            AnyOperation::from_wire(info.name, &with_body(v.clone()))
                                .map(|_| ())
                                .map_err(|e| e.into_vec())
                        },
                        |e| e.field.strip_prefix("body.").map(str::to_string),
                    )
                    .0
                }
                // Several rows for one object: each column becomes the list of its values
                // (a CSV of holiday `dates`, one per line).
                Body::Csv(rows) => {
                    let mut columns: Vec<(String, Vec<Value>)> = Vec::new();
                    for row in rows {
                        for (col, raw) in row.cells {
                            if raw.trim().is_empty() {
                                continue;
                            }
                            match columns.iter_mut().find(|(c, _)| *c == col) {
                                Some((_, vals)) => vals.push(Value::String(raw)),
                                None => columns.push((col, vec![Value::String(raw)])),
                            }
                        }
                    }
                    let mut obj = Map::new();
                    for (col, vals) in columns {
                        insert_path(&mut obj, &col, Value::Array(vals));
                    }
                    Value::Object(obj)
                }
            };
            (with_body(value), None)
        }
    };

    if errors.is_empty() {
        match check(&input) {
            Ok(op) => return Ok(Prepared { op, input, rows }),
            Err(es) => {
                for e in es {
                    report(&e, None, &mut errors);
                }
            }
        }
    }
    let bad_rows: BTreeSet<&str> =
        errors.iter().filter_map(|l| l.strip_prefix("row ")).filter_map(|l| l.split([',', ':']).next()).collect();
    let summary = match rows {
        Some(n) if !bad_rows.is_empty() => format!(
            "{origin}: {} of {n} rows break value rules ({}); nothing was sent",
            bad_rows.len(),
            problems(errors.len())
        ),
        _ => format!("{origin}: {}; nothing was sent", problems(errors.len())),
    };
    Err(CliError::Validation { lines: errors, summary })
}

fn problems(n: usize) -> String {
    if n == 1 { "1 problem".into() } else { format!("{n} problems") }
}

/// Report lines for validation errors the client raised (should not happen: inputs are
/// checked first, but the client checks again).
pub fn client_validation(e: actatek::Error, info: &OperationInfo) -> CliError {
    match e {
        actatek::Error::Validation(v) => {
            let lines: Vec<String> = v.errors().iter().map(|e| describe(e, info)).collect();
            CliError::Validation { summary: format!("{}; nothing was sent", problems(lines.len())), lines }
        }
        other => CliError::Client(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actatek::core::operation_info;

    fn csv(text: &str) -> Body {
        parse_csv(text.as_bytes(), "t.csv").unwrap()
    }

    #[test]
    fn flags_are_typed_by_the_table() {
        assert_eq!(param_value(Scalar::Integer, "10"), Value::from(10));
        assert_eq!(param_value(Scalar::Integer, "x"), Value::from("x"));
        assert_eq!(param_value(Scalar::Bool, "true"), Value::Bool(true));
        assert_eq!(param_value(Scalar::Text, "007"), Value::from("007"));
    }

    #[test]
    fn csv_users_with_dots_and_lists() {
        let info = operation_info("add_users").unwrap();
        let body = csv(
            "userID,firstName,groupID,status.active,status.autoMatch,status.smartCard,status.fingerprint,status.password,status.facial,status.facialAutoMatch\n\
             0012,Ada,1;2,true,false,true,true,true,false,false\n\
             B7,Grace,3,1,0,1,1,1,0,0\n",
        );
        let p = prepare(info, Map::new(), Some(body), "t.csv").unwrap();
        assert_eq!(p.rows, Some(2));
        let body = &p.input["body"];
        assert_eq!(body[0]["userID"], "0012");
        assert_eq!(body[0]["groupID"], serde_json::json!(["1", "2"]));
        assert_eq!(body[0]["status"]["active"], "true");
        assert!(matches!(p.op, AnyOperation::AddUsers(ref op) if op.users[0].group_id == Some(vec![1, 2])));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_field_and_rule() {
        let info = operation_info("add_users").unwrap();
        let body = csv(
            "userID,adminLevel,status.active,status.autoMatch,status.smartCard,status.fingerprint,status.password,status.facial,status.facialAutoMatch\n\
             A1,PERSONALUSER,1,0,1,1,1,0,0\n\
             A2,BOSS,1,0,1,1,1,0,0\n\
             A3,,1,0,1,1,1,,0\n\
             A4,,1,0,1,1,1,0,0\n",
        );
        let Err(CliError::Validation { lines, summary }) = prepare(info, Map::new(), Some(body), "t.csv") else {
            panic!("expected a validation error")
        };
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("row 2, column adminLevel: \"BOSS\""), "{}", lines[0]);
        assert!(lines[0].contains("rule admin_level"), "{}", lines[0]);
        assert!(lines[1].starts_with("row 3, column status.facial: missing"), "{}", lines[1]);
        assert!(lines[1].contains("rule user_status"), "{}", lines[1]);
        assert!(summary.contains("2 of 4 rows break value rules (2 problems)"), "{summary}");
    }

    #[test]
    fn wrong_types_in_csv_are_reported_by_row() {
        let info = operation_info("add_departments").unwrap();
        let body = csv("id,name,description\n1,Eng,Builds\nx,Sales,Sells\n");
        let Err(CliError::Validation { lines, .. }) = prepare(info, Map::new(), Some(body), "t.csv") else {
            panic!("expected a validation error")
        };
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0], "row 2, column id: \"x\" is not a whole number");
    }

    #[test]
    fn a_wrong_yes_no_is_reported_as_written_and_hides_no_other_problem_of_its_row() {
        let info = operation_info("add_users").unwrap();
        let body = csv(
            "userID,adminLevel,status.active,status.autoMatch,status.smartCard,status.fingerprint,status.password,status.facial,status.facialAutoMatch\n\
             A1,PERSONALUSER,yes,no,on,off,1,0,true\n\
             ,BOSS,maybe,0,1,1,1,0,yes;no\n",
        );
        let Err(CliError::Validation { lines, .. }) = prepare(info, Map::new(), Some(body), "t.csv") else {
            panic!("expected a validation error")
        };
        let expected = [
            "row 2, column userID: missing; userID is required and must not be empty (rule user_id, manual §3.1)",
            "row 2, column adminLevel: \"BOSS\" must be PERSONALUSER, NETWORKADMIN, USERADMIN or SUPERADMIN (rule admin_level, manual §3.1)",
            "row 2, column status.active: \"maybe\" is not yes/no (expected yes, no, true, false, 1, 0, on, off)",
            "row 2, column status.facialAutoMatch: \"yes;no\" is not yes/no (expected yes, no, true, false, 1, 0, on, off)",
        ];
        assert_eq!(lines, expected);
    }

    #[test]
    fn a_flag_of_the_wrong_type_says_what_it_should_be() {
        let info = operation_info("get_logs").unwrap();
        let mut params = Map::new();
        params.insert("departmentID".into(), param_value(Scalar::Integer, "x"));
        let Err(CliError::Validation { lines, .. }) = prepare(info, params, None, "x") else { panic!() };
        assert_eq!(lines, ["--department-id (departmentID): \"x\" is not a whole number"]);
    }

    #[test]
    fn json_rows_are_numbered_from_one() {
        let info = operation_info("add_departments").unwrap();
        let body = parse_json(r#"[{"id": 1, "name": "A", "description": "a"}, {"id": 2, "name": " "}]"#, "d").unwrap();
        let Err(CliError::Validation { lines, .. }) = prepare(info, Map::new(), Some(body), "d.json") else { panic!() };
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.starts_with("row 2, field ")), "{lines:?}");
    }

    #[test]
    fn a_csv_of_dates_is_one_holidays_body() {
        let info = operation_info("set_holidays").unwrap();
        let p = prepare(info, Map::new(), Some(csv("dates\n2026-10-12\n2026-12-25\n")), "h.csv").unwrap();
        assert_eq!(p.input["body"]["dates"], serde_json::json!(["2026-10-12", "2026-12-25"]));
        let one = prepare(info, Map::new(), Some(csv("dates\n2026-10-12\n")), "h.csv").unwrap();
        assert!(
            matches!(one.op, AnyOperation::SetHolidays(ref op) if op.holidays.dates.as_ref().map(Vec::len) == Some(1))
        );
    }

    #[test]
    fn job_code_csv_reads_numbers_for_checked_ids() {
        let info = operation_info("add_job_codes").unwrap();
        let p = prepare(info, Map::new(), Some(csv("jobcode,id,name,enable\n1,7,Welding,enable\n")), "j.csv").unwrap();
        assert_eq!(p.rows, Some(1));
    }

    #[test]
    fn a_missing_required_flag_names_the_flag() {
        let info = operation_info("delete_user").unwrap();
        let Err(CliError::Validation { lines, .. }) = prepare(info, Map::new(), None, "x") else { panic!() };
        assert!(lines[0].starts_with("--user-id (userID)"), "{lines:?}");
    }
}
