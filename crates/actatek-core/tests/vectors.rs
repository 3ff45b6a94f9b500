//! Runs the shared, language-neutral vectors in `tests/vectors/` (the manual's examples and
//! the value rules) against the core.

use actatek_core::error::ReplyError;
use actatek_core::{AnyOperation, HolidayQuery, OPERATIONS, Rule, SessionId, TerminalDateTime, TimePattern};
use serde_json::Value;
use std::collections::BTreeSet;

fn load(name: &str) -> Value {
    let path = format!("{}/../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

fn cases(v: &Value) -> &Vec<Value> {
    v["cases"].as_array().expect("cases")
}

fn canonical_names() -> BTreeSet<String> {
    let text = std::fs::read_to_string(format!("{}/../../../shared/api/ENDPOINTS.md", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells.len() > 3 && cells[1].chars().next().is_some_and(|c| c.is_ascii_digit()) && cells[1].contains('.'))
                .then(|| cells[2].to_string())
        })
        .collect()
}

#[test]
fn the_table_has_all_72_operations_of_endpoints_md() {
    assert_eq!(OPERATIONS.len(), 72);
    let ours: BTreeSet<String> = OPERATIONS.iter().map(|o| o.name.to_string()).collect();
    assert_eq!(ours.len(), 72, "names are unique");
    let spec = canonical_names();
    if !spec.is_empty() {
        assert_eq!(ours, spec, "table names = ENDPOINTS.md names");
    }
}

#[test]
fn every_request_vector_builds_the_exact_request() {
    let file = load("requests.json");
    let default_session = file["session"].as_str().unwrap().to_string();
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    for case in cases(&file) {
        let name = case["name"].as_str().unwrap();
        let op_name = case["operation"].as_str().unwrap();
        covered.insert(op_name.to_string());
        let session = SessionId::new(case["session"].as_str().unwrap_or(&default_session));
        let op = match AnyOperation::from_wire(op_name, &case["input"]) {
            Ok(op) => op,
            Err(e) => {
                failures.push(format!("{name}: input rejected: {e}"));
                continue;
            }
        };
        let req = match op.request(Some(&session)) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: invalid: {e}"));
                continue;
            }
        };
        let expect = &case["expect"];
        let query: Vec<Value> = req.query.iter().map(|(k, v)| serde_json::json!([k, v])).collect();
        let body: Value = req.body.as_ref().map(|b| serde_json::from_slice(b).unwrap()).unwrap_or(Value::Null);
        let got = serde_json::json!({
            "method": req.method.as_str(), "path": req.path, "query": query, "url": req.path_and_query(), "body": body,
        });
        for key in ["method", "path", "query", "url", "body"] {
            if got[key] != expect[key] {
                failures.push(format!("{name}: {key}: got {} expected {}", got[key], expect[key]));
            }
        }
        // The wire form of the input round-trips.
        let again = AnyOperation::from_wire(op_name, &op.to_wire()).expect("to_wire reads back");
        assert_eq!(again, op, "{name}: to_wire/from_wire round trip");
    }
    assert!(failures.is_empty(), "{} request vectors failed:\n{}", failures.len(), failures.join("\n"));
    let all: BTreeSet<String> = OPERATIONS.iter().map(|o| o.name.to_string()).collect();
    let missing: Vec<_> = all.difference(&covered).collect();
    assert!(missing.is_empty(), "operations without a request vector: {missing:?}");
}

#[test]
fn every_reply_vector_reads_as_expected() {
    let file = load("responses.json");
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    for case in cases(&file) {
        let name = case["name"].as_str().unwrap();
        let op_name = case["operation"].as_str().unwrap();
        covered.insert(op_name.to_string());
        let status = case["status"].as_u64().unwrap() as u16;
        let body = case["body"].as_str().unwrap();
        let got = AnyOperation::read_reply_json(op_name, status, body.as_bytes()).expect("known operation");
        match (&got, case.get("error")) {
            (Ok(v), None) => {
                if v != &case["expect"] {
                    failures.push(format!("{name}: got {v} expected {}", case["expect"]));
                }
            }
            (Err(ReplyError::Api { status: s, message, .. }), Some(e)) if e["kind"] == "api" => {
                if u64::from(*s) != e["status"].as_u64().unwrap() || message != e["message"].as_str().unwrap() {
                    failures.push(format!("{name}: got api {s} {message:?} expected {e}"));
                }
            }
            (Err(ReplyError::Protocol { detail, .. }), Some(e)) if e["kind"] == "protocol" => {
                assert!(!detail.is_empty(), "{name}: protocol errors say what is wrong");
            }
            (got, expect) => failures.push(format!("{name}: got {got:?} expected {expect:?}")),
        }
    }
    assert!(failures.is_empty(), "{} reply vectors failed:\n{}", failures.len(), failures.join("\n"));
    let all: BTreeSet<String> = OPERATIONS.iter().map(|o| o.name.to_string()).collect();
    let missing: Vec<_> = all.difference(&covered).collect();
    assert!(missing.is_empty(), "operations without a reply vector: {missing:?}");
}

#[test]
fn every_value_rule_has_a_passing_and_a_failing_case_and_both_behave() {
    let file = load("validation.json");
    let mut seen_valid = BTreeSet::new();
    let mut seen_invalid = BTreeSet::new();
    let mut failures = Vec::new();
    for (i, case) in cases(&file).iter().enumerate() {
        let rule = case["rule"].as_str().unwrap();
        let op_name = case["operation"].as_str().unwrap();
        let valid = case["valid"].as_bool().unwrap();
        let label = format!("#{i} {rule} {op_name} {}", case["input"]);
        let result = if op_name == "time_pattern_from_ranges" {
            TimePattern::from_ranges(case["input"]["ranges"].as_str().unwrap())
                .map(|_| ())
                .map_err(|e| vec![actatek_core::ValidationError { field: "ranges".into(), ..e }])
        } else {
            AnyOperation::from_wire(op_name, &case["input"])
                .and_then(|op| op.request(Some(&SessionId::new("1"))).map(|_| ()))
                .map_err(|e| e.into_vec())
        };
        match (valid, result) {
            (true, Ok(())) => {
                seen_valid.insert(rule.to_string());
            }
            (true, Err(e)) => failures.push(format!("{label}: expected valid, got {e:?}")),
            (false, Ok(())) => failures.push(format!("{label}: expected {rule} error, got none")),
            (false, Err(errors)) => {
                seen_invalid.insert(rule.to_string());
                let field = case["field"].as_str().unwrap();
                let hit = errors.iter().any(|e| e.rule.code() == rule && e.field == field);
                if !hit || errors.len() != 1 {
                    failures.push(format!("{label}: expected exactly {rule} at {field:?}, got {errors:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} validation vectors failed:\n{}", failures.len(), failures.join("\n"));
    for rule in Rule::ALL
        .iter()
        .filter(|r| !matches!(r, Rule::UnknownField | Rule::WrongType | Rule::DesiredKind | Rule::DesiredSection))
    {
        assert!(seen_valid.contains(rule.code()), "rule {} has no passing case", rule.code());
        assert!(seen_invalid.contains(rule.code()), "rule {} has no failing case", rule.code());
    }
}

#[test]
fn time_pattern_ranges_vectors() {
    let file = load("values.json");
    for case in file["time_pattern_ranges"].as_array().unwrap() {
        let ranges = case["ranges"].as_str().unwrap();
        match case.get("error") {
            Some(rule) => {
                let e = TimePattern::from_ranges(ranges).expect_err(ranges);
                assert_eq!(e.rule.code(), rule.as_str().unwrap(), "{ranges}");
            }
            None => {
                let tp = TimePattern::from_ranges(ranges).expect(ranges);
                assert_eq!(tp.to_string(), case["pattern"].as_str().unwrap(), "{ranges}");
                assert_eq!(tp.to_ranges(), case["canonical"].as_str().unwrap(), "{ranges}");
                assert_eq!(TimePattern::parse(&tp.to_string()).unwrap(), tp);
            }
        }
    }
}

#[test]
fn datetime_vectors() {
    let file = load("values.json");
    for case in file["datetimes"].as_array().unwrap() {
        let wire = case["wire"].as_str().unwrap();
        match case.get("error") {
            Some(rule) => {
                assert_eq!(TerminalDateTime::parse(wire).expect_err(wire).rule.code(), rule.as_str().unwrap())
            }
            None => {
                let t = TerminalDateTime::parse(wire).expect(wire);
                assert_eq!(t.is_utc(), case["kind"] == "utc", "{wire}");
                assert_eq!(t.to_string(), case["canonical"].as_str().unwrap(), "{wire}");
            }
        }
    }
}

#[test]
fn holiday_query_vectors() {
    let file = load("values.json");
    for case in file["holiday_queries"].as_array().unwrap() {
        let wire = case["wire"].as_str().unwrap();
        if let Some(rule) = case.get("error") {
            assert_eq!(HolidayQuery::parse(wire).expect_err(wire).rule.code(), rule.as_str().unwrap(), "{wire}");
        } else if let Some(parsed) = case.get("parsed") {
            let q = HolidayQuery::parse(wire).expect(wire);
            let (y, m, d) = q.parts();
            assert_eq!(serde_json::json!([y, m, d]), *parsed, "{wire}");
        } else {
            let q = HolidayQuery::new(
                case["year"].as_u64().unwrap() as u16,
                case["month"].as_u64().unwrap() as u8,
                case["day"].as_u64().unwrap() as u8,
            )
            .expect(wire);
            assert_eq!(q.to_string(), wire);
        }
    }
}

/// ENDPOINTS "Tolerant reading": only a reply that is not JSON, or whose top level has an
/// impossible shape (text where a list of records belongs), is unreadable, and the error names
/// the operation and the place.
#[test]
fn a_reply_whose_top_level_is_impossible_is_a_protocol_error_naming_the_place() {
    let mut checked = 0;
    for op in OPERATIONS.iter().filter(|o| o.reply.replace(' ', "").starts_with("Vec<")) {
        for body in ["\"just text\"", "42", "true", "[\"text\", 1]"] {
            match AnyOperation::read_reply_json(op.name, 200, body.as_bytes()).expect("known operation") {
                Err(ReplyError::Protocol { operation, detail, .. }) => {
                    assert_eq!(operation, op.name);
                    assert!(!detail.is_empty(), "{} {body}: the error says what is wrong", op.name);
                    checked += 1;
                }
                other => panic!("{} read {body} as {other:?}", op.name),
            }
        }
    }
    assert!(checked >= 40, "only {checked} cases");
    // And where: an impossible element of a list is named by its index.
    let Err(ReplyError::Protocol { detail, .. }) =
        AnyOperation::read_reply_json("get_logs", 200, br#"[{"logID": 1}, "text"]"#).unwrap()
    else {
        panic!("a list element of an impossible shape is an error");
    };
    assert!(detail.starts_with("at [1]: "), "the place of the element: {detail}");
    // A field deep inside: its whole path.
    let Err(ReplyError::Protocol { detail, .. }) = AnyOperation::read_reply_json(
        "get_terminal_status",
        200,
        br#"{"status": "success", "serialNo": {"a": [1, {"b": 2}]}, "x": ["#,
    )
    .unwrap() else {
        panic!("a cut reply is an error");
    };
    assert!(detail.starts_with("reply ends too early"), "{detail}");
    let Err(ReplyError::Protocol { detail, .. }) = AnyOperation::read_reply_json(
        "get_logs",
        200,
        br#"[{"logID": 1}, {"logID": 2, "timestamp": "2026-01-01 00:00:00"} 7]"#,
    )
    .unwrap() else {
        panic!("a syntax error is an error");
    };
    assert!(detail.contains("at line 1 column"), "{detail}");
}
