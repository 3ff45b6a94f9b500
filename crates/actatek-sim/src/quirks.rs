//! Quirks mode: replies written the way real terminals write them (ENDPOINTS.md "Tolerant
//! reading"), so clients are tested against the real thing: trailing commas, integers as
//! strings, consent's `"succes"` without the comma after it.

use serde_json::Value;

/// Rewrite a well-formed reply of `operation` as a real terminal would send it.
pub(crate) fn apply(operation: Option<&str>, body: &[u8]) -> Vec<u8> {
    let rewritten;
    let mut body = body;
    match operation {
        // §4.3, §6.2 examples: `"departmentid": "0"`.
        Some("get_departments") => {
            rewritten = stringify_ints(body, &["id"]);
            body = &rewritten;
        }
        Some("get_access_groups") => {
            rewritten = stringify_ints(body, &["id", "departmentid"]);
            body = &rewritten;
        }
        // §11.15 example: `{ "status": "succes" "enable":true, … }`.
        Some("get_consent") => {
            if let Some(rest) = body.strip_prefix(br#"{"status":"success","#.as_slice()) {
                let mut v = br#"{"status": "succes" "#.to_vec();
                v.extend_from_slice(rest);
                rewritten = v;
                body = &rewritten;
            }
        }
        _ => {}
    }
    trailing_commas(body)
}

/// Integer members named in `keys` become strings, at any depth.
fn stringify_ints(body: &[u8], keys: &[&str]) -> Vec<u8> {
    fn walk(v: &mut Value, keys: &[&str]) {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if keys.contains(&k.as_str()) && v.is_i64() {
                        *v = Value::String(v.to_string());
                    } else {
                        walk(v, keys);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, keys)),
            _ => {}
        }
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => {
            walk(&mut v, keys);
            serde_json::to_vec(&v).expect("values serialize")
        }
        Err(_) => body.to_vec(),
    }
}

/// `, ` before the `}` of every non-empty object and the `]` of a non-empty top-level array
/// (`{"status": "success", }`, §1.2 and §2.2 examples). Strings are left alone.
pub(crate) fn trailing_commas(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 8 + 4);
    let mut stack: Vec<(u8, bool)> = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    for &c in json {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_string = false;
            }
            continue;
        }
        match c {
            b'{' | b'[' => {
                if let Some(top) = stack.last_mut() {
                    top.1 = true;
                }
                stack.push((c, false));
            }
            b'}' | b']' => {
                if let Some((open, non_empty)) = stack.pop()
                    && non_empty
                    && (open == b'{' || stack.is_empty())
                {
                    out.extend_from_slice(b", ");
                }
            }
            b' ' | b'\n' | b'\r' | b'\t' | b',' | b':' => {}
            _ => {
                if c == b'"' {
                    in_string = true;
                }
                if let Some(top) = stack.last_mut() {
                    top.1 = true;
                }
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(b: Vec<u8>) -> String {
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn objects_get_a_trailing_comma() {
        assert_eq!(text(trailing_commas(br#"{"status":"success"}"#)), r#"{"status":"success", }"#);
        assert_eq!(text(trailing_commas(br#"[{"a":{}},{"b":"}"}]"#)), r#"[{"a":{}, },{"b":"}", }, ]"#);
        assert_eq!(text(trailing_commas(b"[]")), "[]");
    }

    #[test]
    fn departments_carry_ids_as_strings() {
        let out = text(apply(Some("get_departments"), br#"[{"id":0,"name":"General"}]"#));
        assert_eq!(out, r#"[{"id":"0","name":"General", }, ]"#);
    }

    #[test]
    fn consent_says_succes_like_the_manual() {
        let out = text(apply(Some("get_consent"), br#"{"status":"success","enable":true,"display_name":"oh my"}"#));
        assert_eq!(out, r#"{"status": "succes" "enable":true,"display_name":"oh my", }"#);
    }
}
