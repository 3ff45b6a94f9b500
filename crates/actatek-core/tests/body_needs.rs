//! An operation's `needs [...]` (the body fields the description and the OpenAPI document
//! publish as required) says exactly what its check refuses: for each manual example of such
//! an operation (tests/vectors/requests.json), leaving out a needed field is refused at that
//! field, and leaving out any other field that the record does not require is not.

use actatek_core::{AnyOperation, OPERATIONS};
use serde_json::Value;

fn requests() -> Vec<Value> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let text = std::fs::read_to_string(format!("{root}/tests/vectors/requests.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"].as_array().unwrap().clone()
}

/// The body's first record, and its path (`body` or `body[0]`).
fn first_record(input: &mut Value) -> (&mut serde_json::Map<String, Value>, String) {
    match &mut input["body"] {
        Value::Array(items) => (items[0].as_object_mut().unwrap(), "body[0]".into()),
        body => (body.as_object_mut().unwrap(), "body".into()),
    }
}

fn refused_at(name: &str, input: &Value) -> Vec<String> {
    match AnyOperation::from_wire(name, input) {
        Ok(_) => vec![],
        Err(errors) => errors.errors().iter().map(|e| e.field.clone()).collect(),
    }
}

#[test]
fn each_operations_body_needs_are_what_its_check_refuses() {
    let cases = requests();
    let mut checked = 0;
    for op in OPERATIONS.iter().filter(|o| !o.body_needs.is_empty()) {
        let case = cases
            .iter()
            .find(|c| c["operation"] == op.name && AnyOperation::from_wire(op.name, &c["input"]).is_ok())
            .unwrap_or_else(|| panic!("{}: no valid request vector to probe", op.name));
        let body = op.params.iter().find(|p| p.location.as_str() == "body").unwrap();
        let record_required: Vec<&str> = body.format.fields.iter().filter(|f| f.required).map(|f| f.wire).collect();
        let mut input = case["input"].clone();
        let (record, at) = first_record(&mut input);
        let fields: Vec<String> = record.keys().cloned().collect();
        for need in op.body_needs {
            assert!(fields.iter().any(|f| f == need), "{}: the example has no {need} to leave out", op.name);
        }
        for field in fields {
            let mut without = case["input"].clone();
            first_record(&mut without).0.remove(&field);
            let refused = refused_at(op.name, &without);
            let here = format!("{at}.{field}");
            let is_refused = refused.iter().any(|f| f == &here || f.starts_with(&format!("{here}.")));
            if op.body_needs.contains(&field.as_str()) || record_required.contains(&field.as_str()) {
                assert!(is_refused, "{}: without {field} it must be refused at {here}; got {refused:?}", op.name);
            } else {
                assert!(!is_refused, "{}: {field} is not in needs [...] but leaving it out is refused", op.name);
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} fields probed");
}
