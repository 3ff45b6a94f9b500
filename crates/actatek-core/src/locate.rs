//! Where in a JSON text a reading broke, as a path (`[3].userID`, `logs[0].timestamp`): the
//! position serde_json's error gives, walked back to the keys and indices around it. One walk
//! over the bytes, the same for every reply type (a path-tracking deserializer would be
//! compiled again for each of the 72, which the browser package pays for in size).

/// A container being walked, and which of its members the walk is in.
enum Frame {
    Object(Option<String>),
    Array(usize),
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(i) => {
                path.push('[');
                path.push_str(&i.to_string());
                path.push(']');
            }
        }
    }
    path
}

/// The byte offset of serde_json's 1-based `line` and `column` (the last byte it read).
pub fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match memchr::memchr(b'\n', &text[start..]) {
            Some(k) => start += k + 1,
            None => break,
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

/// The path of the innermost value of `text` whose bytes include `offset`; empty for the top
/// level. Keys are written as they are in the text (escapes undone only for `\"` and `\\`).
pub fn path_at(text: &[u8], offset: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    // Whether the next string in an object is a key.
    let mut want_key = false;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        match c {
            b'{' | b'[' => {
                if i >= offset {
                    return render(&stack);
                }
                stack.push(if c == b'{' { Frame::Object(None) } else { Frame::Array(0) });
                want_key = c == b'{';
                i += 1;
            }
            b'}' | b']' => {
                if i >= offset {
                    // The container itself (its last byte): its path, not a member's.
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = None;
                    }
                    stack.pop();
                    return render(&stack);
                }
                stack.pop();
                want_key = false;
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Array(n)) => *n += 1,
                    Some(Frame::Object(key)) => {
                        *key = None;
                        want_key = true;
                    }
                    None => {}
                }
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let mut end = start;
                while end < text.len() && text[end] != b'"' {
                    end += if text[end] == b'\\' { 2 } else { 1 };
                }
                let end = end.min(text.len());
                if want_key && let Some(Frame::Object(key)) = stack.last_mut() {
                    let raw = String::from_utf8_lossy(&text[start..end]);
                    *key = Some(raw.replace("\\\"", "\"").replace("\\\\", "\\"));
                    want_key = false;
                }
                if end >= offset {
                    return render(&stack);
                }
                i = end + 1;
            }
            _ => {
                if i >= offset && !c.is_ascii_whitespace() && c != b':' {
                    return render(&stack);
                }
                i += 1;
            }
        }
    }
    render(&stack)
}

/// The path of the value that broke a rule, `value` as the rule saw it (a string's text or a
/// number's digits): the last value written so at or before `offset`. serde reads in order, so
/// the value read last is the one that failed; serde_json places some errors (a value
/// checked after it was read) at the end of the enclosing object instead of at the value.
pub fn value_path(text: &[u8], offset: usize, value: &str) -> Option<String> {
    let quoted = serde_json::to_string(value).ok()?;
    let end = (offset + 1).min(text.len());
    let standalone = |at: usize, len: usize| {
        let before = text[..at].iter().rev().find(|b| !b.is_ascii_whitespace());
        let after = text[at + len..].iter().find(|b| !b.is_ascii_whitespace());
        matches!(before, None | Some(b':' | b'[' | b',')) && matches!(after, None | Some(b',' | b'}' | b']'))
    };
    for needle in [quoted.as_bytes(), value.as_bytes()] {
        if needle.is_empty() {
            continue;
        }
        let found = memchr::memmem::rfind_iter(&text[..end], needle).find(|&at| standalone(at, needle.len()));
        if let Some(at) = found {
            return Some(path_at(text, at + needle.len() - 1));
        }
    }
    None
}

/// serde_json's message without the ` at line L column C` it appends: the words only, for an
/// error whose place is told otherwise (a path) or is in text nobody sees.
pub fn without_position(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&suffix).map(str::to_string).unwrap_or(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str) -> String {
        path_at(text.as_bytes(), text.find(needle).expect("needle"))
    }

    #[test]
    fn paths() {
        let t = r#"[{"logID": 1, "user": {"id": "x\"y", "n": [1, 2, "bad"]}}, "text", {"a": {}}]"#;
        assert_eq!(at(t, "\"text\""), "[1]");
        assert_eq!(at(t, "\"bad\""), "[0].user.n[2]");
        assert_eq!(at(t, "1,"), "[0].logID");
        assert_eq!(at(t, "x\\\"y"), "[0].user.id");
        assert_eq!(at(t, "{}"), "[2].a");
        assert_eq!(at(t, "\"logID\""), "[0].logID");
        assert_eq!(path_at(t.as_bytes(), 0), "");
        // The last byte of an object: the object's own path (a missing field is reported there).
        let o = r#"{"body": {"x": 1}}"#;
        assert_eq!(path_at(o.as_bytes(), o.find('}').unwrap()), "body");
        assert_eq!(offset_of(b"ab\ncd\nef", 3, 2), 7);
        let v = r#"{"a": "x", "body": {"dates": ["2025-01-01", "x"], "n": 300}}"#;
        assert_eq!(value_path(v.as_bytes(), v.len() - 1, "x").as_deref(), Some("body.dates[1]"));
        assert_eq!(value_path(v.as_bytes(), v.len() - 1, "300").as_deref(), Some("body.n"));
        assert_eq!(value_path(v.as_bytes(), 8, "x").as_deref(), Some("a"));
        assert_eq!(value_path(v.as_bytes(), v.len() - 1, "2025"), None);
    }
}
