//! `docs/openapi.json`: the API as an OpenAPI 3.1 document, written from the core's
//! description (`docs/api.json`), for people who generate a client in a language the SDK does
//! not bind, read a rendered reference, or test an integration with other people's tools.
//!
//! What the document says and how:
//! - Every operation, `operationId` = its canonical name, tagged with its manual chapter and
//!   carrying its section (`x-actatek-section`) and whether the SDK retries it
//!   (`x-actatek-retry-safe`). Two pairs share a method and path, which OpenAPI allows only
//!   once: add_user/add_users (`POST /user/{sid}`) and update_user/update_users
//!   (`PUT /user/{sid}`). Each pair is one operation named after its batch form, whose body is
//!   one user or an array of them and whose reply follows the body's shape; both canonical
//!   names are listed in `x-actatek-operations`.
//! - Bodies sent to a terminal are the `…Input` schemas: the rules the SDK checks before
//!   sending (required fields, enums, patterns, ranges, lists of allowed numbers); what JSON
//!   Schema cannot state (a real calendar date, a relay option that depends on the relay) is
//!   in the description of the field. Unknown fields are allowed, because get → modify →
//!   update keeps fields the SDK does not model.
//! - Replies are read tolerantly, as real firmware sends them (ENDPOINTS.md, "Tolerant
//!   reading"): every field may be absent, numbers may come as strings and ids as numbers, a
//!   one-or-many field or reply may be one object, a value that breaks a writing rule is kept
//!   as sent, unknown fields are kept. The reply schemas say exactly that, so a generated
//!   client does not trip on a real terminal.
//! - Errors: HTTP 400 or 500 with `{"status": "error", "message": …}` (manual §14).

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn rules(d: &Value) -> BTreeMap<String, Value> {
    d["rules"].as_array().into_iter().flatten().map(|r| (s(&r["code"]).to_string(), r.clone())).collect()
}

/// What a value's rule says, for a description: the rule's text and how to write one.
fn rule_text(v: &Value, rules: &BTreeMap<String, Value>) -> Option<String> {
    let code = s(&v["rule"]);
    if code.is_empty() || code == "type" {
        return None;
    }
    let r = rules.get(code)?;
    let mut text = format!("Rule `{code}` (§{}): {}.", s(&r["section"]), s(&r["text"]));
    if !s(&r["format"]).is_empty() {
        text.push_str(&format!(" Written as {}.", s(&r["format"])));
    }
    Some(text)
}

/// The schema of one value (not a list) as the SDK writes it to a terminal.
fn write_scalar(v: &Value, text_required: bool) -> Value {
    let mut m = Map::new();
    match s(&v["kind"]) {
        "record" => return json!({"$ref": format!("#/components/schemas/{}Input", s(&v["record"]))}),
        "integer" => {
            m.insert("type".into(), json!("integer"));
            if let (Some(min), Some(max)) = (v["minimum"].as_i64(), v["maximum"].as_i64()) {
                m.insert("minimum".into(), json!(min));
                m.insert("maximum".into(), json!(max));
            }
            if let Some(n) = v["numbers"].as_array() {
                m.insert("enum".into(), json!(n));
            }
        }
        "bool" => {
            m.insert("type".into(), json!("boolean"));
        }
        "json" => {}
        "expiry" => {
            return json!({"anyOf": [
                {"type": "integer", "const": 0, "description": "never expires"},
                {"type": "string", "pattern": s(&v["pattern"])},
            ]});
        }
        kind => {
            m.insert("type".into(), json!("string"));
            if let Some(words) = v["choices"].as_array() {
                m.insert("enum".into(), json!(words));
            }
            if !s(&v["pattern"]).is_empty() {
                m.insert("pattern".into(), json!(s(&v["pattern"])));
            }
            match kind {
                "base64" => {
                    m.insert("contentEncoding".into(), json!("base64"));
                }
                "secret" => {
                    m.insert("format".into(), json!("password"));
                }
                "date" => {
                    m.insert("format".into(), json!("date"));
                }
                _ => {}
            }
            if text_required && !m.contains_key("enum") && !m.contains_key("pattern") {
                m.insert("minLength".into(), json!(1));
            }
        }
    }
    Value::Object(m)
}

fn write_value(v: &Value, required: bool) -> Value {
    let one = write_scalar(v, required);
    if v["list"] == true { json!({"type": "array", "items": one}) } else { one }
}

/// The schema of one value as a terminal may send it: kept as sent, whatever rule it breaks.
fn read_scalar(v: &Value) -> Value {
    match s(&v["kind"]) {
        "record" => json!({"$ref": format!("#/components/schemas/{}", s(&v["record"]))}),
        "integer" => json!({"type": ["integer", "string"]}),
        "bool" => json!({"type": ["boolean", "string", "integer"]}),
        "json" => json!({}),
        "expiry" => json!({"type": ["string", "integer"]}),
        _ => json!({"type": ["string", "integer"]}),
    }
}

/// One value or an array of them, for what the manual shows both ways.
fn one_or_many(one: Value) -> Value {
    json!({"anyOf": [{"type": "array", "items": one.clone()}, one]})
}

fn read_value(v: &Value) -> Value {
    let one = read_scalar(v);
    if v["list"] == true { one_or_many(one) } else { one }
}

fn known_words(v: &Value) -> Option<String> {
    let words = v["choices"].as_array()?;
    if s(&v["kind"]) == "bool" {
        return Some("Read as yes or no from true/false, 1/0, yes/no, on/off.".into());
    }
    let words: Vec<&str> = words.iter().map(s).collect();
    Some(format!("Known values: {}; others are kept as sent.", words.join(", ")))
}

fn describe(mut schema: Value, parts: &[Option<String>]) -> Value {
    let text: Vec<&str> = parts.iter().flatten().map(String::as_str).filter(|t| !t.is_empty()).collect();
    if !text.is_empty()
        && let Some(m) = schema.as_object_mut()
    {
        if m.contains_key("$ref") {
            // A $ref's siblings are allowed in 3.1, but some tools drop them: wrap instead.
            return json!({"allOf": [schema], "description": text.join(" ")});
        }
        m.insert("description".into(), json!(text.join(" ")));
    }
    schema
}

/// Fields that the core reads in more shapes than their value type says, because the record's
/// list reader takes them apart: a `timespec` entry of the older API names several weekdays
/// at once, and becomes one entry per weekday (E4, `WireRead for Vec<TimeSpec>`).
const READ_ONE_OR_MANY: &[(&str, &str)] = &[("TimeSpec", "weekday")];

/// `User` (as read) and, for records that are written, `UserInput`.
fn record_schemas(
    name: &str,
    r: &Value,
    read: bool,
    written: bool,
    rules: &BTreeMap<String, Value>,
) -> Vec<(String, Value)> {
    let fields = r["fields"].as_array().cloned().unwrap_or_default();
    let doc = s(&r["doc"]).replace('\n', " ");
    let mut read_props = Map::new();
    for f in &fields {
        let v = &f["value"];
        let mut notes = vec![Some(s(&f["doc"]).replace('\n', " ")), known_words(v)];
        if f["reported"] == true {
            notes.push(Some("Reported by the terminal only; never written back.".into()));
        }
        let mut schema = read_value(v);
        if READ_ONE_OR_MANY.contains(&(name, s(&f["wire"]))) {
            schema = one_or_many(schema);
            notes.push(Some("The older API names several at once (E4).".into()));
        }
        read_props.insert(s(&f["wire"]).to_string(), describe(schema, &notes));
        for alias in f["aliases"].as_array().into_iter().flatten() {
            let note = format!("The older SOAP API's name of `{}`, read as it.", s(&f["wire"]));
            read_props.insert(s(alias).to_string(), describe(read_value(v), &[Some(note)]));
        }
    }
    let mut out = Vec::new();
    if read {
        out.push((
        name.to_string(),
        json!({
            "type": "object",
            "description": format!("{doc} As a terminal sends it: any field may be absent, unknown fields are kept."),
            "properties": read_props,
            "additionalProperties": true,
        }),
        ));
    }
    if written {
        let mut props = Map::new();
        let mut required = Vec::new();
        for f in fields.iter().filter(|f| f["reported"] != true) {
            let v = &f["value"];
            let req = f["required"] == true;
            if req {
                required.push(s(&f["wire"]).to_string());
            }
            let notes = [Some(s(&f["doc"]).replace('\n', " ")), rule_text(v, rules)];
            props.insert(s(&f["wire"]).to_string(), describe(write_value(v, req), &notes));
        }
        let mut schema = json!({
            "type": "object",
            "description": format!("{doc} As the SDK writes it: checked before sending."),
            "properties": props,
            "additionalProperties": true,
        });
        if !required.is_empty() {
            schema["required"] = json!(required);
        }
        out.push((format!("{name}Input"), schema));
    }
    out
}

/// The records inside `name`, and itself.
fn visit(name: &str, d: &Value, out: &mut Vec<String>) {
    if out.iter().any(|n| n == name) {
        return;
    }
    out.push(name.to_string());
    for f in d["records"][name]["fields"].as_array().into_iter().flatten() {
        if f["value"]["kind"] == "record" {
            visit(s(&f["value"]["record"]), d, out);
        }
    }
}

/// Records that some operation answers, with the records inside them.
fn read_records(d: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for o in d["operations"].as_array().into_iter().flatten() {
        visit(s(&o["reply"]["record"]), d, &mut out);
    }
    out
}

/// Records that some operation sends, with the records inside them.
fn written_records(d: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for o in d["operations"].as_array().into_iter().flatten() {
        for p in o["params"].as_array().into_iter().flatten() {
            if p["location"] == "body" && p["value"]["kind"] == "record" {
                visit(s(&p["value"]["record"]), d, &mut out);
            }
        }
    }
    out
}

fn chapter_title(d: &Value, section: &str) -> String {
    let number = section.split('.').next().unwrap_or(section);
    d["chapters"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| s(&c["number"]) == number)
        .map(|c| s(&c["title"]).to_string())
        .unwrap_or_else(|| format!("Chapter {number}"))
}

fn parameter(o: &Value, p: &Value, rules: &BTreeMap<String, Value>) -> Value {
    let v = &p["value"];
    let location = s(&p["location"]);
    let mut schema = write_value(v, location == "path");
    let mut notes = vec![rule_text(v, rules)];
    // get_full_logs' limit is the one optional path segment: empty, the path ends in `/`.
    let required = location == "path" || p["required"] == true;
    if location == "path" && p["required"] != true {
        schema = json!({"anyOf": [schema, {"type": "string", "maxLength": 0}]});
        notes.push(Some(format!("Optional in {}: empty for none, and the path then ends in `/`.", s(&o["name"]))));
    }
    let mut m = json!({
        "name": s(&p["wire"]),
        "in": location,
        "required": required,
        "schema": schema,
    });
    let text: Vec<String> = notes.into_iter().flatten().collect();
    if !text.is_empty() {
        m["description"] = json!(text.join(" "));
    }
    m
}

fn responses(reply: Value) -> Value {
    json!({
        "200": {"description": "The terminal's answer.", "content": {"application/json": {"schema": reply}}},
        "400": {"$ref": "#/components/responses/Error"},
        "500": {"$ref": "#/components/responses/Error"},
    })
}

/// A body record's schema with the operation's `body_needs` on top of the record's own
/// required fields; a needed record field needs every field of its record.
fn body_record(d: &Value, o: &Value, v: &Value) -> Value {
    let one = write_scalar(v, true);
    let needs: Vec<&str> = o["body_needs"].as_array().into_iter().flatten().map(s).collect();
    if needs.is_empty() {
        return one;
    }
    let fields = d["records"][s(&v["record"])]["fields"].as_array().cloned().unwrap_or_default();
    let mut props = Map::new();
    for f in fields.iter().filter(|f| needs.contains(&s(&f["wire"])) && f["value"]["kind"] == "record") {
        let inner: Vec<Value> = d["records"][s(&f["value"]["record"])]["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| x["wire"].clone())
            .collect();
        props.insert(s(&f["wire"]).to_string(), json!({"required": inner}));
    }
    let mut extra = json!({"required": needs});
    if !props.is_empty() {
        extra["properties"] = Value::Object(props);
    }
    json!({"allOf": [one, extra], "description": format!("{} also needs {}.", s(&o["name"]), needs.join(", "))})
}

fn operation(d: &Value, o: &Value, rules: &BTreeMap<String, Value>) -> Value {
    let mut params = Vec::new();
    let mut body = None;
    for p in o["params"].as_array().into_iter().flatten() {
        if p["location"] == "body" {
            let v = &p["value"];
            let one = if v["kind"] == "record" { body_record(d, o, v) } else { write_scalar(v, true) };
            body = Some(if v["list"] == true { json!({"type": "array", "items": one}) } else { one });
        } else {
            params.push(parameter(o, p, rules));
        }
    }
    let path = s(&o["path"]);
    if path.contains("{sid}") {
        params.insert(0, json!({"$ref": "#/components/parameters/sid"}));
    }
    let doc = s(&o["doc"]).replace('\n', " ");
    let retry = if o["retry_safe"] == true {
        "A read: the SDK retries it on a lost connection."
    } else {
        "A write: the SDK never repeats it blindly."
    };
    let mut op = json!({
        "operationId": s(&o["name"]),
        "summary": doc.split(". ").next().unwrap_or(&doc).trim_end_matches('.'),
        "description": format!("{doc}\n\n{retry}"),
        "tags": [chapter_title(d, s(&o["section"]))],
        "x-actatek-section": s(&o["section"]),
        "x-actatek-retry-safe": o["retry_safe"] == true,
        "parameters": params,
        "responses": responses(read_value(&o["reply"])),
    });
    if let Some(schema) = body {
        op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": schema}}});
    }
    op
}

/// One operation for a single/batch pair on the same method and path: the body is one record
/// or an array of them, and the reply follows the body's shape.
fn merged(d: &Value, single: &Value, batch: &Value, rules: &BTreeMap<String, Value>) -> Value {
    let mut op = operation(d, batch, rules);
    let one = operation(d, single, rules);
    let body_one = &one["requestBody"]["content"]["application/json"]["schema"];
    let body_many = &op["requestBody"]["content"]["application/json"]["schema"].clone();
    op["requestBody"]["content"]["application/json"]["schema"] = json!({"anyOf": [body_many, body_one]});
    op["responses"]["200"]["content"]["application/json"]["schema"] = read_value(&batch["reply"]);
    op["description"] = json!(format!(
        "{} (`{}`: an array of them, one reply each) or {} (`{}`: one object, one reply). \
         OpenAPI allows one operation per method and path, so both are this operation.\n\n{}",
        s(&batch["doc"]).trim_end_matches('.'),
        s(&batch["name"]),
        s(&single["doc"]).trim_end_matches('.'),
        s(&single["name"]),
        "A write: the SDK never repeats it blindly."
    ));
    op["x-actatek-operations"] = json!([s(&single["name"]), s(&batch["name"])]);
    op["x-actatek-section"] = json!(format!("{}, {}", s(&single["section"]), s(&batch["section"])));
    op
}

pub fn openapi(d: &Value) -> String {
    let rules = rules(d);
    let ops = d["operations"].as_array().cloned().unwrap_or_default();
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for o in &ops {
        let path = s(&o["path"]).to_string();
        let method = s(&o["method"]).to_lowercase();
        if !order.contains(&path) {
            order.push(path.clone());
        }
        let entry = paths.entry(path.clone()).or_default();
        let op = match entry.get(&method) {
            Some(existing) => {
                let first = ops.iter().find(|x| x["name"] == existing["operationId"]).cloned().unwrap_or_default();
                // The single form comes first in the table, the batch second.
                merged(d, &first, o, &rules)
            }
            None => operation(d, o, &rules),
        };
        entry.insert(method, op);
    }
    let mut path_map = Map::new();
    for p in order {
        path_map.insert(p.clone(), Value::Object(paths.remove(&p).unwrap_or_default()));
    }

    let written = written_records(d);
    let read = read_records(d);
    let mut schemas = Map::new();
    for (name, r) in d["records"].as_object().into_iter().flatten() {
        for (n, schema) in record_schemas(name, r, read.contains(name), written.contains(name), &rules) {
            schemas.insert(n, schema);
        }
    }
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "description": "The common error reply (§14), with HTTP 400 or 500.",
            "properties": {
                "status": {"type": "string", "description": "`error`."},
                "message": {"type": "string", "description": "What went wrong, in the terminal's words."},
            },
            "required": ["status"],
            "additionalProperties": true,
        }),
    );

    let tags: Vec<Value> = d["chapters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| json!({"name": s(&c["title"]), "description": format!("Manual chapter {}.", s(&c["number"]))}))
        .collect();
    let doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "ACTAtek terminal REST API",
            "version": s(&d["version"]),
            "summary": "Every operation of the ACTAtek access-control terminal's REST API, corrected against the vendor manual's errors.",
            "description": INFO,
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"},
        },
        "servers": [{
            "url": format!("{{scheme}}://{{terminal}}{}", s(&d["base_path"])),
            "description": "A terminal.",
            "variables": {
                "scheme": {"enum": ["https", "http"], "default": "https"},
                "terminal": {"default": "192.168.1.100", "description": "The terminal's host (and port)."},
            },
        }],
        "tags": tags,
        "paths": path_map,
        "components": {
            "schemas": schemas,
            "parameters": {
                "sid": {
                    "name": "sid",
                    "in": "path",
                    "required": true,
                    "description": "The session id that login answers (§1.1). A secret: keep it out of logs.",
                    "schema": {"type": "string", "minLength": 1},
                },
            },
            "responses": {
                "Error": {
                    "description": "The common error reply (§14).",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
            },
        },
        "x-generated-by": "cargo xtask codegen openapi, from actatek-core's description (docs/api.json). Do not edit.",
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

const INFO: &str = "\
Generated from the actatek SDK's core, which knows every operation, value rule and quirk of the \
real terminal (ENDPOINTS.md, with the errata where the vendor manual is wrong).

**Sessions.** `login` answers a session id; every other operation but `get_api_version` takes it \
as the `{sid}` path segment; `logout` ends it.

**Writing.** The `…Input` schemas state the rules the SDK checks before it sends anything. \
Unknown fields are allowed: a record read, changed and written back keeps what it had.

**Reading.** Real firmware varies, so the reply schemas are tolerant: any field may be absent; \
numbers may come as strings (`\"departmentid\": \"0\"`) and ids as numbers (`sessionid`); a \
field or reply the manual shows as one object or an array may be either; a value that breaks a \
writing rule (a 47-character timePattern, an unknown enum word) is kept as sent; unknown fields \
are kept. Some firmware also sends JSON with a trailing comma, which a strict JSON parser \
refuses: the SDK repairs it.

**Errors.** HTTP 400 or 500 with `{\"status\": \"error\", \"message\": \"…\"}` (§14). A 200 \
reply whose `status` is `error` or starts with `fail` is a refusal too.

**Retries.** Reads (`x-actatek-retry-safe: true`) may be retried; a write whose outcome is \
unknown must be re-read, never repeated blindly.";
