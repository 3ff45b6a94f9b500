//! Firmware drift, generated: the ways a terminal with other firmware could write a reply
//! (ENDPOINTS.md "Tolerant reading — Precisely"), applied one at a time to a reply body.
//!
//! Each [`Mutation`] changes one place of a reply: a field dropped, a number sent as a string,
//! a string given an off-format value, a value given a JSON type it cannot have, an unknown
//! field added, one object in place of a one-element array or the other way round. Every
//! language's test suite reads each mutated body and checks that it is read and that nothing
//! the terminal sent is lost ([`lost`]). Pure data in, data out: no I/O.

use serde_json::{Map, Value};

/// One change of a reply body.
#[derive(Debug, Clone, PartialEq)]
pub struct Mutation {
    /// `drop`, `number_as_string`, `off_format`, `wrong_type`, `unknown_field`,
    /// `object_for_array`, `array_for_object`.
    pub kind: &'static str,
    /// Where, as a JSON pointer into the original body (`/0/timestamp`).
    pub pointer: String,
    /// The whole mutated body.
    pub body: Value,
}

/// Every kind of mutation, by name.
pub const KINDS: &[&str] =
    &["drop", "number_as_string", "off_format", "wrong_type", "unknown_field", "object_for_array", "array_for_object"];

/// The field added by `unknown_field`.
pub const UNKNOWN_FIELD: &str = "fw_unknown_field";

/// Every mutation of `body` (a reply already parsed as JSON). The root itself and the records
/// of a top-level list are never replaced by a value of another type: only a non-JSON reply or
/// an impossible top level may fail to read.
pub fn mutations(body: &Value) -> Vec<Mutation> {
    let mut out = Vec::new();
    walk(body, &mut Vec::new(), body, &mut out);
    out
}

#[derive(Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// A copy of `root` with the value at `path` replaced (or removed when `new` is `None`).
fn replaced(root: &Value, path: &[Seg], new: Option<Value>) -> Value {
    let mut copy = root.clone();
    let Some((last, parents)) = path.split_last() else { return new.unwrap_or(Value::Null) };
    let mut at = &mut copy;
    for seg in parents {
        at = match seg {
            Seg::Key(k) => at.get_mut(k.as_str()).expect("path exists"),
            Seg::Index(i) => at.get_mut(*i).expect("path exists"),
        };
    }
    match (last, new) {
        (Seg::Key(k), Some(v)) => {
            at.as_object_mut().expect("object").insert(k.clone(), v);
        }
        (Seg::Key(k), None) => {
            at.as_object_mut().expect("object").shift_remove(k.as_str());
        }
        (Seg::Index(i), Some(v)) => at.as_array_mut().expect("array")[*i] = v,
        (Seg::Index(i), None) => {
            at.as_array_mut().expect("array").remove(*i);
        }
    }
    copy
}

/// A string that breaks every value rule a string can have (date-times, `HH:MM`, patterns,
/// dates, enum words) yet stays readable text.
fn off_format(s: &str) -> String {
    format!("{s}~x")
}

fn walk(root: &Value, path: &mut Vec<Seg>, here: &Value, out: &mut Vec<Mutation>) {
    let mut push = |kind: &'static str, path: &[Seg], new: Option<Value>| {
        out.push(Mutation { kind, pointer: pointer(path), body: replaced(root, path, new) });
    };
    // The root, and the records of a top-level list, keep their type.
    let keeps_type = path.is_empty() || (path.len() == 1 && root.is_array());
    match here {
        Value::Object(map) => {
            let mut with_unknown = map.clone();
            with_unknown.insert(UNKNOWN_FIELD.into(), Value::String("added by newer firmware".into()));
            push("unknown_field", path, Some(Value::Object(with_unknown)));
            if !keeps_type {
                push("wrong_type", path, Some(Value::String("not a record".into())));
            }
            if !matches!(path.last(), Some(Seg::Index(_))) {
                push("array_for_object", path, Some(Value::Array(vec![here.clone()])));
            }
        }
        Value::Array(items) => {
            if items.len() == 1 {
                push("object_for_array", path, Some(items[0].clone()));
            }
            if !keeps_type {
                push("wrong_type", path, Some(Value::Bool(true)));
            }
        }
        Value::Number(n) => {
            push("number_as_string", path, Some(Value::String(n.to_string())));
            push("wrong_type", path, Some(Value::Object(Map::from_iter([("odd".to_string(), Value::from(1))]))));
        }
        Value::String(s) => {
            push("off_format", path, Some(Value::String(off_format(s))));
            push("wrong_type", path, Some(Value::Object(Map::from_iter([("odd".to_string(), Value::from(1))]))));
        }
        Value::Bool(_) => {
            push("wrong_type", path, Some(Value::Array(vec![Value::from("odd")])));
        }
        Value::Null => {}
    }
    match here {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(Seg::Key(k.clone()));
                out.push(Mutation { kind: "drop", pointer: pointer(path), body: replaced(root, path, None) });
                walk(root, path, v, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                walk(root, path, v, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Names of the older SOAP API read as today's (E4).
const ALIASES: &[(&str, &str)] = &[("accessID", "id"), ("timeSpec", "timespec")];

fn canonical(key: &str) -> &str {
    ALIASES.iter().find(|(old, _)| *old == key).map_or(key, |(_, new)| new)
}

/// Every field name the terminal sent, as dotted paths without array indices
/// (`timespec.weekday`); `null` values count as absent.
pub fn field_paths(v: &Value) -> std::collections::BTreeSet<String> {
    fn go(v: &Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    if v.is_null() {
                        continue;
                    }
                    let p =
                        if prefix.is_empty() { canonical(k).to_string() } else { format!("{prefix}.{}", canonical(k)) };
                    out.insert(p.clone());
                    go(v, &p, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    go(item, prefix, out);
                }
            }
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    go(v, "", &mut out);
    out
}

/// What a reading lost: the field paths of `sent` that are not in `read` (the reply read and
/// written back in wire form, typed fields and `extra` together), and, at the mutated place,
/// a value that is neither the terminal's value as sent nor the typed reading of the original
/// (`read_original`). Empty when nothing was lost.
pub fn lost(mutation: &Mutation, read: &Value, read_original: &Value) -> Vec<String> {
    let sent = field_paths(&mutation.body);
    let got = field_paths(read);
    let mut problems: Vec<String> = sent.difference(&got).map(|p| format!("field {p} lost")).collect();
    if matches!(mutation.kind, "number_as_string" | "off_format" | "wrong_type") {
        let sent_value = mutation.body.pointer(&mutation.pointer);
        let got_value = at_pointer(read, &mutation.pointer);
        let typed_value = at_pointer(read_original, &mutation.pointer);
        if got_value.is_some() && got_value != sent_value && got_value != typed_value {
            problems.push(format!(
                "value at {} is {}, neither as sent ({}) nor as typed ({})",
                mutation.pointer,
                got_value.map_or("nothing".into(), Value::to_string),
                sent_value.map_or("nothing".into(), Value::to_string),
                typed_value.map_or("nothing".into(), Value::to_string),
            ));
        }
        // A list spread into several records (a SOAP weekday list): the value must be under
        // the same field name somewhere in the reading.
        let field = mutation.pointer.rsplit('/').find(|s| s.parse::<usize>().is_err()).unwrap_or("");
        if got_value.is_none()
            && let Some(sent) = sent_value.filter(|v| !v.is_null())
            && !holds(read, canonical(field), sent)
        {
            problems.push(format!("value at {} lost", mutation.pointer));
        }
    }
    problems
}

/// Whether `v` holds `value` under `field` (or inside a list there), at any depth.
fn holds(v: &Value, field: &str, value: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, x)| {
            (canonical(k) == field && (x == value || x.as_array().is_some_and(|a| a.contains(value))))
                || holds(x, field, value)
        }),
        Value::Array(items) => items.iter().any(|x| holds(x, field, value)),
        _ => false,
    }
}

/// The value at a pointer of the original body, found in a reading that may have turned one
/// record into a one-element list (or back) and SOAP names into today's.
fn at_pointer<'a>(read: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut at = read;
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        at = match (at, seg.parse::<usize>()) {
            (Value::Array(items), Ok(i)) => items.get(i)?,
            (Value::Array(items), Err(_)) if items.len() == 1 => items[0].get(canonical(&seg))?,
            (Value::Object(m), Err(_)) => m.get(canonical(&seg)).or_else(|| m.get(seg.as_str()))?,
            // A one-element list read as its element (or a weekday list spread into entries).
            (_, Ok(0)) => at,
            _ => return None,
        };
    }
    Some(at)
}
