//! Repairs the JSON mistakes real terminals make (ENDPOINTS.md "Tolerant reading"): trailing
//! commas (`{"status": "success", }`) and missing commas between members
//! (`"status": "succes" "enable": true`). Used only after a strict parse failed, so well-formed
//! replies pay nothing.

/// A repaired copy, or `None` when there was nothing this knows how to repair.
pub fn repair(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() + 16);
    let mut changed = false;
    // Whether the last significant token ended a value (string, number, literal, `}` or `]`).
    let mut after_value = false;
    let mut depth = 0usize;
    let mut i = 0;
    while i < input.len() {
        let c = input[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                out.push(c);
                i += 1;
            }
            b'"' => {
                if after_value && depth > 0 {
                    out.push(b',');
                    changed = true;
                }
                let start = i;
                i += 1;
                while i < input.len() && input[i] != b'"' {
                    i += if input[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(input.len());
                out.extend_from_slice(&input[start..i]);
                after_value = true;
            }
            b',' => {
                let next = input[i + 1..].iter().find(|b| !b.is_ascii_whitespace());
                if matches!(next, Some(b'}' | b']' | b',') | None) || !after_value {
                    changed = true;
                } else {
                    out.push(c);
                }
                after_value = false;
                i += 1;
            }
            b':' => {
                out.push(c);
                after_value = false;
                i += 1;
            }
            b'{' | b'[' => {
                if after_value && depth > 0 {
                    out.push(b',');
                    changed = true;
                }
                depth += 1;
                out.push(c);
                after_value = false;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                out.push(c);
                after_value = true;
                i += 1;
            }
            _ => {
                // A number or literal: copy the whole word.
                if after_value && depth > 0 && (c == b'-' || c.is_ascii_alphanumeric()) {
                    out.push(b',');
                    changed = true;
                }
                let start = i;
                while i < input.len() && !b" \t\r\n,:{}[]\"".contains(&input[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                }
                out.extend_from_slice(&input[start..i]);
                after_value = true;
            }
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::repair;

    fn fixed(s: &str) -> String {
        String::from_utf8(repair(s.as_bytes()).unwrap_or_else(|| s.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn trailing_commas_go() {
        assert_eq!(fixed(r#"{ "status": "success", }"#), r#"{ "status": "success" }"#);
        assert_eq!(fixed(r#"[ {"a": 1}, ]"#), r#"[ {"a": 1} ]"#);
    }

    #[test]
    fn missing_commas_come() {
        assert_eq!(fixed(r#"{"status": "succes" "enable":true}"#), r#"{"status": "succes" ,"enable":true}"#);
        assert_eq!(fixed(r#"{"id": 1 "name": "x"}"#), r#"{"id": 1 ,"name": "x"}"#);
    }

    #[test]
    fn strings_are_untouched() {
        let s = r#"{"a": "x, }", "b": "q\"w, ]"}"#;
        assert_eq!(repair(s.as_bytes()), None);
    }
}
