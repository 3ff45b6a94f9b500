//! The reply read while it arrives (`http::ReplyReader`) must read exactly what the whole body
//! reads (`http::read_reply`), however the body is cut into chunks: every reply vector, every
//! firmware-drift mutation of it, and generated log lists full of escapes and brackets.

use actatek_core::AnyOperation;
use actatek_core::http::{ReplyReader, Rest};
use actatek_core::models::FullLog;
use actatek_core::mutate::mutations;
use actatek_core::ops::{GetFullLogs, Operation};
use proptest::prelude::*;
use serde_json::{Value, json};

mod common;

use common::{read_whole as whole, reply_cases as vectors};

fn in_chunks(operation: &str, status: u16, body: &[u8], size: usize) -> Result<Value, String> {
    let chunks: Vec<&[u8]> = body.chunks(size.max(1)).collect();
    AnyOperation::read_reply_json_in_chunks(operation, status, &chunks)
        .expect("known operation")
        .map_err(|e| e.to_string())
}

const SIZES: [usize; 5] = [1, 2, 7, 61, usize::MAX];

/// Every reply vector and every firmware-drift mutation of it: (case name, operation, status,
/// body).
fn every_body() -> Vec<(String, String, u16, Vec<u8>)> {
    let mut out = Vec::new();
    for case in vectors() {
        let name = case["name"].to_string();
        let operation = case["operation"].as_str().unwrap().to_string();
        let status = case["status"].as_u64().unwrap() as u16;
        let raw = case["body"].as_str().unwrap().as_bytes().to_vec();
        if let Ok(v) = serde_json::from_slice::<Value>(&raw) {
            for m in mutations(&v) {
                out.push((name.clone(), operation.clone(), status, serde_json::to_vec(&m.body).unwrap()));
            }
        }
        out.push((name, operation, status, raw));
    }
    out
}

#[test]
fn every_reply_vector_and_every_mutation_reads_the_same_in_chunks() {
    let mut checked = 0;
    for (name, operation, status, body) in every_body() {
        let expected = whole(&operation, status, &body);
        for size in SIZES {
            let got = in_chunks(&operation, status, &body, size);
            assert_eq!(got, expected, "{name} cut every {size} bytes: {}", String::from_utf8_lossy(&body));
            checked += 1;
        }
    }
    assert!(checked > 5000, "only {checked} readings compared");
}

#[test]
fn a_plain_array_is_read_element_by_element_and_anything_else_whole() {
    let read = |body: &str| {
        let mut r = ReplyReader::<Vec<FullLog>>::new(GetFullLogs::read_reply, 200, None);
        for b in body.as_bytes().chunks(3) {
            r.feed(bytes::Bytes::copy_from_slice(b));
        }
        (r.elements_read(), r.finish().map(|v| v.len()).map_err(|e| e.to_string()))
    };
    let two = r#" [ {"logID": 1, "userName": "a \"}]\\"}, {"logID": 2, "extra": {"x": [1, {"y": "]"}]}} ] "#;
    assert_eq!(read(two), (Some(2), Ok(2)));
    assert_eq!(read("[]"), (Some(0), Ok(0)));
    // Trailing comma (the repair's job), one bare object, text after the array, an element
    // that is not an object: read whole, with the same outcome as read_reply.
    assert_eq!(read(r#"[{"logID": 1},]"#), (None, Ok(1)));
    assert_eq!(read(r#"{"logID": 1}"#), (None, Ok(1)));
    assert_eq!(read(r#"[{"logID": 1}] x"#).0, None);
    assert_eq!(read(r#"[{"logID": 1}, "text"]"#).0, None);
    // An error status is never a list.
    let mut r = ReplyReader::<Vec<FullLog>>::new(GetFullLogs::read_reply, 500, None);
    r.feed(bytes::Bytes::from_static(b"[]"));
    assert_eq!(r.elements_read(), None);
    assert!(r.finish().is_err());
}

#[test]
fn nesting_near_the_parsers_depth_limit_reads_the_same() {
    // serde_json stops at 128 levels; an element read alone starts a level higher.
    for depth in [1, 98, 99, 100, 101, 125, 126, 127, 128, 140] {
        let body = format!(r#"[{{"logID": 1, "x": {}{}}}]"#, "[".repeat(depth), "]".repeat(depth));
        let expected = whole("get_full_logs", 200, body.as_bytes());
        assert_eq!(in_chunks("get_full_logs", 200, body.as_bytes(), 5), expected, "depth {depth}");
    }
}

#[test]
fn bytes_that_are_not_utf8_read_as_the_whole_body_reads_them() {
    // The reader checks UTF-8 once per chunk and reads elements as text: a byte that is not
    // UTF-8, wherever the chunks cut, must end as the whole reading ends (an error saying
    // where), and a character cut by a chunk's end must still read element by element.
    let bad: &[&[u8]] = &[
        b"[{\"logID\": 1, \"userName\": \"Zo\xeb\"}]",
        b"[{\"logID\": 1}, {\"logID\": 2, \"userName\": \"\xff\"}, {\"logID\": 3}]",
        b"[{\"logID\": 1, \"userName\": \"Zo\xc3\"}, {\"logID\": 2}]",
        b"[{\"logID\": 1}] \xff",
    ];
    for body in bad {
        let expected = whole("get_full_logs", 200, body);
        assert!(expected.is_err(), "{}", String::from_utf8_lossy(body));
        for size in [1, 2, 3, 5, 13, usize::MAX] {
            assert_eq!(in_chunks("get_full_logs", 200, body, size), expected, "cut every {size}");
        }
    }
    let good = "[{\"logID\": 1, \"userName\": \"Zoë Ægir 李\"}, {\"logID\": 2, \"userName\": \"😀\"}]".as_bytes();
    for size in 1..good.len() {
        let mut reader = ReplyReader::<Vec<FullLog>>::new(GetFullLogs::read_reply, 200, None);
        for c in good.chunks(size) {
            reader.feed(bytes::Bytes::copy_from_slice(c));
        }
        assert_eq!(reader.elements_read(), Some(2), "cut every {size}");
        let logs = reader.finish().unwrap();
        assert_eq!(logs[0].user_name.as_deref(), Some("Zoë Ægir 李"));
        assert_eq!(logs[1].user_name.as_deref(), Some("😀"));
    }
}

#[test]
fn a_list_drained_whole_leaves_no_room_behind() {
    // The list that replaces a drained one gets room for the next batch (at most 4,096
    // elements), and none once the list's end has been read: a body that came in one piece
    // must not leave an empty list the size of the whole reply behind it.
    let body = serde_json::to_vec(&(0..10_000).map(|i| json!({"logID": i})).collect::<Vec<_>>()).unwrap();
    let mut reader = ReplyReader::<Vec<FullLog>>::new(GetFullLogs::read_reply, 200, None);
    reader.feed(bytes::Bytes::from(body.clone()));
    assert_eq!(reader.drain().map(|d| d.len()), Some(10_000));
    match reader.finish_rest().unwrap() {
        Rest::More(rest) => assert_eq!((rest.len(), rest.capacity()), (0, 0)),
        Rest::Whole(_) => panic!("read element by element"),
    }
    // Cut before its end: the next list has room for the batch, capped.
    let mut reader = ReplyReader::<Vec<FullLog>>::new(GetFullLogs::read_reply, 200, None);
    reader.feed(bytes::Bytes::copy_from_slice(&body[..body.len() - 20]));
    let drained = reader.drain().map_or(0, |d| d.len());
    assert!(drained > 4096, "{drained}");
    reader.feed(bytes::Bytes::copy_from_slice(&body[body.len() - 20..]));
    match reader.finish_rest().unwrap() {
        Rest::More(rest) => {
            assert_eq!(drained + rest.len(), 10_000);
            assert!(rest.capacity() <= 4096, "{}", rest.capacity());
        }
        Rest::Whole(_) => panic!("read element by element"),
    }
}

fn text() -> impl Strategy<Value = String> {
    // Quotes, backslashes, brackets, commas and non-ASCII: what could fool a splitter.
    proptest::collection::vec(
        prop_oneof![Just('"'), Just('\\'), Just('{'), Just(']'), Just(','), Just('é'), any::<char>()],
        0..12,
    )
    .prop_map(|c| c.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn generated_log_lists_read_the_same_however_cut(
        logs in proptest::collection::vec((any::<i32>(), text(), text(), proptest::option::of(text())), 0..8),
        cuts in proptest::collection::vec(1usize..40, 1..20),
        spaced in any::<bool>(),
    ) {
        let list: Vec<Value> = logs
            .iter()
            .map(|(id, user, name, extra)| {
                let mut log = json!({"logID": id, "userID": user, "userName": name, "timestamp": "2026-01-02 03:04:05"});
                if let Some(x) = extra {
                    log["firmwareNote"] = json!({"text": x, "list": [x, {"deep": [x]}]});
                }
                log
            })
            .collect();
        let body = if spaced { serde_json::to_vec_pretty(&list).unwrap() } else { serde_json::to_vec(&list).unwrap() };
        let mut chunks = Vec::new();
        let (mut at, mut k) = (0, 0);
        while at < body.len() {
            let end = (at + cuts[k % cuts.len()]).min(body.len());
            chunks.push(&body[at..end]);
            at = end;
            k += 1;
        }
        let expected = AnyOperation::read_reply_json("get_full_logs", 200, &body).unwrap().map_err(|e| e.to_string());
        let got = AnyOperation::read_reply_json_in_chunks("get_full_logs", 200, &chunks).unwrap().map_err(|e| e.to_string());
        prop_assert_eq!(got, expected);
        let mut reader = ReplyReader::<Vec<FullLog>>::new(GetFullLogs::read_reply, 200, None);
        for c in &chunks {
            reader.feed(bytes::Bytes::copy_from_slice(c));
        }
        prop_assert_eq!(reader.elements_read(), Some(logs.len()), "read as it arrived");
    }
}

macro_rules! in_parts_by_name {
    ($( $name:ident $Op:ident; )*) => {
        /// The reply fed in chunks, its elements handed over every `every` chunks
        /// (`ReplyReader::drain`), then the rest (`finish_rest`): the parts put together must be
        /// what the whole body reads.
        fn in_parts(operation: &str, status: u16, body: &[u8], size: usize, every: usize) -> Result<Value, String> {
            match operation {
                $( stringify!($name) => {
                    let mut reader = ReplyReader::new(<actatek_core::ops::$Op as Operation>::read_reply, status, None);
                    let mut parts: Vec<Value> = Vec::new();
                    for (k, chunk) in body.chunks(size.max(1)).enumerate() {
                        reader.feed(bytes::Bytes::copy_from_slice(chunk));
                        if k % every == 0 && reader.pending() > 0 {
                            parts.push(serde_json::to_value(reader.drain().expect("pending elements")).unwrap());
                        }
                    }
                    match reader.finish_rest().map_err(|e| e.to_string())? {
                        Rest::Whole(all) => Ok(serde_json::to_value(&all).unwrap()),
                        Rest::More(rest) => {
                            parts.push(serde_json::to_value(&rest).unwrap());
                            let all: Vec<Value> = parts
                                .into_iter()
                                .flat_map(|p| match p {
                                    Value::Array(items) => items,
                                    other => panic!("a part of a list is a list: {other}"),
                                })
                                .collect();
                            Ok(Value::Array(all))
                        }
                    }
                } )*
                other => panic!("unknown operation {other}"),
            }
        }
    };
}

actatek_core::operation_names!(in_parts_by_name);

#[test]
fn elements_handed_over_while_arriving_add_up_to_the_whole_reply() {
    let mut checked = 0;
    for (name, operation, status, body) in every_body() {
        let expected = whole(&operation, status, &body);
        for (size, every) in [(1, 1), (7, 3), (61, 1), (usize::MAX, 1)] {
            let got = in_parts(&operation, status, &body, size, every);
            assert_eq!(got, expected, "{name} cut every {size} bytes: {}", String::from_utf8_lossy(&body));
            checked += 1;
        }
    }
    assert!(checked > 4000, "only {checked} readings compared");
}

#[test]
fn elements_handed_over_before_the_reply_turns_out_odd_are_replaced_by_the_whole_reading() {
    for body in [
        r#"[{"logID": 1}, {"logID": 2}, {"logID": 3}, ]"#,
        r#"[{"logID": 1}, {"logID": 2}, "text", {"logID": 4}]"#,
        r#"[{"logID": 1}, {"logID": 2}] trailing"#,
    ] {
        let mut reader = ReplyReader::new(GetFullLogs::read_reply, 200, None);
        let mut handed = 0;
        for chunk in body.as_bytes().chunks(4) {
            reader.feed(bytes::Bytes::copy_from_slice(chunk));
            handed += reader.drain().map_or(0, |d| d.len());
        }
        assert!(handed >= 2, "the first elements were handed over: {body}");
        let expected = GetFullLogs::read_reply(200, body.as_bytes()).map(|v| v.len()).map_err(|e| e.to_string());
        match reader.finish_rest() {
            Ok(Rest::Whole(all)) => assert_eq!(Ok(all.len()), expected, "{body}"),
            Ok(Rest::More(rest)) => panic!("an odd reply is read whole, not continued ({} more): {body}", rest.len()),
            Err(e) => assert_eq!(Err(e.to_string()), expected, "{body}"),
        }
    }
}

#[test]
fn a_long_element_spanning_many_chunks_is_read_once_its_end_has_come() {
    // A log with a 3 MB photo between two short ones, arriving 1 KB at a time: the cut element
    // is followed by its brackets and read once (reading it again with every chunk would take
    // minutes here).
    let photo = "A".repeat(3 << 20);
    let body = format!(
        r#"[{{"logID": 1, "remarks": "a \"quoted\" ] and \\ backslash"}}, {{"logID": 2, "jpegPhoto": "{photo}", "x": [{{"y": "}}"}}]}}, {{"logID": 3}}]"#
    );
    let mut reader = ReplyReader::new(GetFullLogs::read_reply, 200, None);
    for chunk in body.as_bytes().chunks(1024) {
        reader.feed(bytes::Bytes::copy_from_slice(chunk));
    }
    assert_eq!(reader.elements_read(), Some(3), "read as it arrived");
    let logs = reader.finish().unwrap();
    assert_eq!(logs.iter().map(|l| l.log_id).collect::<Vec<_>>(), [Some(1), Some(2), Some(3)]);
    assert_eq!(logs[1].jpeg_photo.as_ref().map(|p| p.as_base64().len()), Some(3 << 20));
}

#[test]
fn an_element_read_into_its_slot_leaves_nothing_behind_when_it_does_not_read() {
    // Elements are read straight into the list's new last slot; a cut or unreadable one
    // gives its slot back, and the offset of a read one ends at its closing brace.
    use actatek_core::lenient::{Element, FromReply};
    let mut list: Vec<FullLog> = Vec::new();
    assert_eq!(list.push_element(r#"{"logID": 1, "userName": "A"} , {"#), Element::Read(29));
    assert_eq!(list.push_element(r#"{"logID": 2, "userName": "B"#), Element::Incomplete);
    assert_eq!(list.push_element(r#"[1, 2]"#), Element::Unreadable);
    assert_eq!(list.push_element("nul"), Element::Incomplete);
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].log_id, list[0].user_name.as_deref()), (Some(1), Some("A")));
    // One record sent as a one-element array is that record, read into the same slot.
    assert_eq!(list.push_element(r#"[{"logID": 3}]"#), Element::Read(14));
    assert_eq!(list.last().and_then(|l| l.log_id), Some(3));
}
