//! The API as one machine-readable description: every operation of [`OPERATIONS`] and every
//! record they send or receive, with their fields, flags, kinds, value rules and docs.
//!
//! [`description`] is written to `docs/api.json` by `cargo xtask codegen`, and the generators
//! of the other languages' code (the Python models and methods, the API reference) read it, so
//! nothing outside the core restates the API by hand. The records are found by walking the
//! operations' parameters and replies: a record no operation uses is not part of the API.

use crate::format::{FieldFormat, Kind, ValueFormat};
use crate::ops::{OPERATIONS, OperationInfo, ParamInfo};
use serde_json::{Map, Value, json};

/// The manual's chapters, by number, as the manual titles them (the OpenAPI document's tags).
pub const CHAPTERS: &[(&str, &str)] = &[
    ("1", "Session Establishment"),
    ("2", "Log Management"),
    ("3", "User Management"),
    ("4", "Department Management"),
    ("5", "Access Right Management"),
    ("6", "Access Group Management"),
    ("7", "Trigger Maintenance Functions"),
    ("8", "Personal Functions"),
    ("9", "Agent"),
    ("10", "Time Settings"),
    ("11", "Terminal Functions"),
    ("12", "Job Code"),
    ("13", "Holiday"),
];

/// Every record the operations send or receive (and the records inside them), each once, in
/// the order the table first reaches them.
pub fn records() -> Vec<&'static ValueFormat> {
    fn visit(f: &'static ValueFormat, out: &mut Vec<&'static ValueFormat>) {
        if f.kind == Kind::Record {
            if out.iter().any(|r| r.name == f.name) {
                return;
            }
            out.push(f);
        }
        for field in f.fields {
            visit(field.format, out);
        }
    }
    let mut out = Vec::new();
    for op in OPERATIONS {
        for p in op.params {
            visit(p.format, &mut out);
        }
        visit(op.reply_shape.format, &mut out);
    }
    out
}

/// The record named `name`, if the API has one.
pub fn record(name: &str) -> Option<&'static ValueFormat> {
    records().into_iter().find(|r| r.name == name)
}

/// A value's description: its kind, whether a list, the record it is, the words an enum
/// takes, the rule that checks it and how a person writes it.
pub fn value(f: &ValueFormat) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), json!(f.kind.as_str()));
    if f.list {
        m.insert("list".into(), json!(true));
    }
    if f.kind == Kind::Record {
        m.insert("record".into(), json!(f.name));
    } else {
        if !f.name.is_empty() {
            m.insert("type".into(), json!(f.name));
        }
        if !f.choices.is_empty() {
            m.insert("choices".into(), json!(f.choices));
        }
        if !f.pattern.is_empty() {
            m.insert("pattern".into(), json!(f.pattern));
        }
        if let Some((min, max)) = f.range {
            m.insert("minimum".into(), json!(min));
            m.insert("maximum".into(), json!(max));
        }
        if !f.numbers.is_empty() {
            m.insert("numbers".into(), json!(f.numbers));
        }
        m.insert("rule".into(), json!(f.rule.code()));
        m.insert("placeholder".into(), json!(f.value_name()));
        m.insert("help".into(), json!(f.help));
    }
    Value::Object(m)
}

fn doc_text(doc: &str) -> String {
    doc.lines().map(str::trim).collect::<Vec<_>>().join("\n").trim().to_string()
}

fn field(f: &FieldFormat) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(f.name));
    m.insert("wire".into(), json!(f.wire));
    if !f.aliases.is_empty() {
        m.insert("aliases".into(), json!(f.aliases));
    }
    m.insert("required".into(), json!(f.required));
    if f.reported {
        m.insert("reported".into(), json!(true));
    }
    let doc = doc_text(f.doc);
    if !doc.is_empty() {
        m.insert("doc".into(), json!(doc));
    }
    m.insert("value".into(), value(f.format));
    Value::Object(m)
}

fn param(p: &ParamInfo) -> Value {
    json!({
        "name": p.name,
        "wire": p.wire,
        "location": p.location.as_str(),
        "required": p.required,
        "value": value(p.format),
    })
}

fn operation(o: &OperationInfo) -> Value {
    json!({
        "name": o.name,
        "section": o.section,
        "method": o.method.as_str(),
        "path": o.template,
        "retry_safe": o.retry_safe,
        "needs_session": o.needs_session,
        "filters": o.filters,
        "doc": doc_text(&o.doc_lines.join("\n")),
        "params": o.params.iter().map(param).collect::<Vec<_>>(),
        "body_needs": o.body_needs,
        "reply": value(o.reply_shape.format),
    })
}

/// The whole API: `{"operations": [...], "records": {...}, "rules": [...]}`.
pub fn description() -> Value {
    let records: Map<String, Value> = records()
        .into_iter()
        .map(|r| {
            let fields: Vec<Value> = r.fields.iter().map(field).collect();
            (r.name.to_string(), json!({"doc": doc_text(r.doc), "fields": fields}))
        })
        .collect();
    let rules: Vec<Value> = crate::Rule::ALL
        .iter()
        .map(|r| json!({"code": r.code(), "section": r.section(), "text": r.text(), "format": r.format()}))
        .collect();
    json!({
        "description": "The ACTAtek terminal REST API as the actatek SDK knows it (generated from actatek-core).",
        "version": env!("CARGO_PKG_VERSION"),
        "base_path": "/cgi-bin/restapi",
        "chapters": CHAPTERS.iter().map(|(n, t)| json!({"number": n, "title": t})).collect::<Vec<_>>(),
        "operations": OPERATIONS.iter().map(operation).collect::<Vec<_>>(),
        "records": records,
        "rules": rules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_an_operation_uses_is_described_once_with_its_fields() {
        let d = description();
        let records = d["records"].as_object().unwrap();
        for name in ["User", "UserStatus", "KeyRecord", "FullLog", "Holidays", "Credentials", "TimeSpec"] {
            assert!(records.contains_key(name), "{name} missing");
        }
        let user = &records["User"]["fields"];
        let id = user.as_array().unwrap().iter().find(|f| f["wire"] == "userID").unwrap();
        assert_eq!(id["required"], true);
        assert_eq!(id["name"], "user_id");
        let groups = user.as_array().unwrap().iter().find(|f| f["wire"] == "groupID").unwrap();
        assert_eq!(
            groups["value"],
            json!({"kind": "integer", "list": true, "minimum": i64::MIN, "maximum": i64::MAX, "rule": "type", "placeholder": "N", "help": "a whole number (42)"})
        );
        let rtp = &records["RtpSetting"]["fields"];
        assert!(rtp.as_array().unwrap().iter().any(|f| f["wire"] == "sdpfile" && f["reported"] == true));
        assert_eq!(d["operations"].as_array().unwrap().len(), 72);
        for op in OPERATIONS {
            let chapter = op.section.split('.').next().unwrap();
            assert!(CHAPTERS.iter().any(|(n, _)| *n == chapter), "{}: no chapter {chapter}", op.name);
        }
    }

    #[test]
    fn a_required_field_of_the_declaration_is_refused_when_absent() {
        use crate::validate::Validate;
        let mut errors = Vec::new();
        crate::models::RelaySetting::default().validate_at("body", &mut errors);
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.rule)).collect();
        assert_eq!(
            fields,
            [
                ("body.id", crate::Rule::Required),
                ("body.option", crate::Rule::Required),
                ("body.delay", crate::Rule::Required)
            ]
        );
    }
}
