//! Firmware drift, measured (issue "Real terminals"): every reply vector of
//! `tests/vectors/responses.json` is mutated the ways another firmware could write it
//! ([`actatek_core::mutate`]), and every mutation must be read with nothing lost: each field the
//! terminal sent is in the typed reply or in its unknown fields, and the mutated value is either
//! the typed value or kept as sent.

use actatek_core::mutate::{lost, mutations};
use serde_json::Value;
use std::collections::BTreeSet;

mod common;

use common::{read_whole as read, reply_cases as vectors};

#[test]
fn every_mutation_of_every_reply_vector_is_read_and_nothing_is_lost() {
    let (mut total, mut read_ok, mut lost_count) = (0usize, 0usize, 0usize);
    let mut operations = BTreeSet::new();
    let mut failures = Vec::new();
    for case in vectors() {
        if case.get("expect").is_none() {
            continue; // error vectors: an error is the expected reading
        }
        let operation = case["operation"].as_str().expect("operation");
        let status = case["status"].as_u64().expect("status") as u16;
        let raw = case["body"].as_str().expect("body").as_bytes();
        let Ok(body) = serde_json::from_slice::<Value>(raw)
            .or_else(|_| serde_json::from_slice::<Value>(&actatek_core::repair::repair(raw).expect("repairable")))
        else {
            panic!("{}: body is not JSON even after repair", case["name"]);
        };
        let original = read(operation, status, &serde_json::to_vec(&body).unwrap())
            .unwrap_or_else(|e| panic!("{}: the unmutated body must read: {e}", case["name"]));
        operations.insert(operation.to_string());
        for m in mutations(&body) {
            total += 1;
            match read(operation, status, &serde_json::to_vec(&m.body).unwrap()) {
                Err(e) => failures.push(format!("{} [{} at {}]: not read: {e}", case["name"], m.kind, m.pointer)),
                Ok(got) => {
                    read_ok += 1;
                    let problems = lost(&m, &got, &original);
                    if !problems.is_empty() {
                        lost_count += 1;
                        failures.push(format!(
                            "{} [{} at {}]: {}",
                            case["name"],
                            m.kind,
                            m.pointer,
                            problems.join("; ")
                        ));
                    }
                }
            }
        }
    }
    println!(
        "firmware drift: {total} mutations over {} operations, {read_ok} read, {lost_count} lost",
        operations.len()
    );
    assert!(failures.is_empty(), "{} of {total} mutations failed:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(operations.len(), 72, "every operation's reply is mutated");
}
