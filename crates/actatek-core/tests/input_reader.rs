//! The operations' inputs are read by one shared reader (`AnyOperation::decode_wire`, the
//! path of every binding) instead of each operation's `Deserialize`. Both must give the same
//! operation or the same error (rule, path, words) for every input: the shared vectors' inputs
//! and, for each, every member removed, replaced by values of every JSON type, and joined by
//! unknown members before and after it.

use actatek_core::{AnyOperation, OPERATIONS};
use serde_json::{Map, Value, json};

fn load(name: &str) -> Value {
    let path = format!("{}/../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(18446744073709551615u64),
        json!(""),
        json!("x"),
        json!(" "),
        json!("2025-07-16T10:24:13"),
        json!([]),
        json!([1, "a"]),
        json!([{}]),
        json!({}),
        json!({"nope": 1}),
    ]
}

/// Every object in `v` (itself, and the members and elements below it), each changed in
/// every way `change` gives, as whole inputs.
type Object = Map<String, Value>;

fn variants(v: &Value, change: &dyn Fn(&Object) -> Vec<Object>) -> Vec<Value> {
    let mut out = Vec::new();
    match v {
        Value::Object(m) => {
            out.extend(change(m).into_iter().map(Value::Object));
            for (k, child) in m {
                for changed in variants(child, change) {
                    let mut m = m.clone();
                    m.insert(k.clone(), changed);
                    out.push(Value::Object(m));
                }
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                for changed in variants(child, change) {
                    let mut a = a.clone();
                    a[i] = changed;
                    out.push(Value::Array(a));
                }
            }
        }
        _ => {}
    }
    out
}

fn changes(m: &Map<String, Value>) -> Vec<Map<String, Value>> {
    let mut out = Vec::new();
    for k in m.keys() {
        let mut removed = m.clone();
        removed.shift_remove(k);
        out.push(removed);
        for odd in odd_values() {
            let mut replaced = m.clone();
            replaced.insert(k.clone(), odd);
            out.push(replaced);
        }
    }
    // Unknown members first and last; every member broken at once (the first one is reported).
    let mut first = Map::new();
    first.insert("nope".into(), json!(1));
    first.extend(m.clone());
    out.push(first);
    let mut last = m.clone();
    last.insert("nope".into(), json!(1));
    out.push(last);
    out.push(m.keys().map(|k| (k.clone(), json!({"x": [1]}))).collect());
    out
}

#[test]
fn the_shared_input_reader_agrees_with_each_operations_deserialize() {
    let mut inputs: Vec<(String, Value)> = Vec::new();
    for file in ["validation.json", "requests.json"] {
        for case in load(file)["cases"].as_array().unwrap() {
            let name = case["operation"].as_str().unwrap().to_string();
            let input = case["input"].clone();
            for v in variants(&input, &changes) {
                inputs.push((name.clone(), v));
            }
            inputs.push((name, input));
        }
    }
    for op in OPERATIONS {
        for v in [Value::Null, json!({}), json!([]), json!([{}]), json!("x"), json!(1), json!({"nope": true})] {
            inputs.push((op.name.to_string(), v));
        }
    }
    inputs.push(("no_such_operation".into(), json!({})));
    let (mut same_ok, mut same_err) = (0, 0);
    for (name, input) in &inputs {
        let shared = AnyOperation::decode_wire(name, input);
        let serde = AnyOperation::decode_wire_with_serde(name, input);
        assert_eq!(format!("{shared:?}"), format!("{serde:?}"), "{name} {input}");
        if let (Err(a), Err(b)) = (&shared, &serde) {
            assert_eq!(a.to_string(), b.to_string(), "{name} {input}");
            same_err += 1;
        } else {
            same_ok += 1;
        }
    }
    // The variants reach both outcomes many times over.
    assert!(same_ok > 1000 && same_err > 5000, "{same_ok} read, {same_err} refused");
}
