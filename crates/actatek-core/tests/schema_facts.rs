//! The JSON Schema facts of the value formats (`pattern`, `range`, `numbers`, which the OpenAPI
//! document publishes) say what the core checks: the ranges and number lists are read against
//! the spec's own words (ENDPOINTS.md, "Value rules"), and each pattern against the parser of
//! its type, on generated strings.

use actatek_core::format::{Described, ValueFormat};
use actatek_core::*;
use proptest::prelude::*;
use regex::Regex;

fn spec_text() -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    std::fs::read_to_string(format!("{root}/tests/spec/ENDPOINTS.md")).expect("tests/spec/ENDPOINTS.md")
}

/// The spec's sentence for a range (`1–1800`) or a list (`one of 5, 10, 15`, `1, 2 or 3`).
fn spec_words(f: &ValueFormat) -> String {
    if let Some((min, max)) = f.range {
        return format!("{min}–{max}");
    }
    let n: Vec<String> = f.numbers.iter().map(i64::to_string).collect();
    n.join(", ")
}

#[test]
fn every_checked_number_is_the_range_or_list_the_spec_writes() {
    let spec = spec_text().split_whitespace().collect::<Vec<_>>().join(" ");
    let cases: [(&str, ValueFormat); 8] = [
        ("relay delay** in seconds:", RelayDelay::FORMAT),
        ("rejectRepeat_time_sec", RejectRepeatSeconds::FORMAT),
        ("lockout_time_min", LockoutMinutes::FORMAT),
        ("crowd_limit_count", CrowdLimit::FORMAT),
        ("log_size one of", LogSize::FORMAT),
        ("fps one of", Fps::FORMAT),
        ("**job code id**", JobCodeId::FORMAT),
        ("**jobcode setting id**", JobCodeSettingId::FORMAT),
    ];
    for (label, f) in cases {
        let mut words = spec_words(&f);
        if label == "**jobcode setting id**" {
            // The spec writes this one as a sentence: "1, 2 or 3".
            words = "1, 2 or 3".into();
            assert_eq!(f.range, Some((1, 3)));
        }
        let sentence = format!("{label} {words}");
        assert!(spec.contains(&sentence), "ENDPOINTS.md does not say `{sentence}` ({})", f.name);
    }
}

#[test]
fn a_checked_number_is_accepted_exactly_when_its_format_admits_it() {
    for v in [0u32, 1, 5, 6, 20, 21, 120, 121, 1800, 1801, 10_000, 65_535, 65_536, 86_400, 86_401, 999_999, 1_000_000] {
        assert_eq!(RelayDelay::new(v).is_ok(), (1..=1800).contains(&v), "RelayDelay {v}");
        assert_eq!(Fps::new(v).is_ok(), [5, 10, 15, 20, 25, 30].contains(&v), "Fps {v}");
        assert_eq!(LogSize::new(v).is_ok(), LogSize::FORMAT.admits_number(v.into()), "LogSize {v}");
        assert_eq!(JobCodeId::new(v).is_ok(), (1..=999_999).contains(&v), "JobCodeId {v}");
    }
}

fn re(f: &ValueFormat) -> Regex {
    assert!(f.pattern.starts_with('^'), "{}: the pattern is anchored", f.name);
    Regex::new(f.pattern).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Exact patterns: a string matches exactly when the type accepts it.
    #[test]
    fn time_patterns_hhmm_and_trigger_types_match_exactly_what_parses(
        pattern in "[01]{46,49}|[012 ]{48}",
        hhmm in "[0-9]{1,2}:[0-9]{1,3}|[0-2][0-9]:[0-6][0-9]",
        trigger in "IN|OUT|F[0-9]{1,3}|f[0-9]|IN ",
    ) {
        prop_assert_eq!(re(&TimePattern::FORMAT).is_match(&pattern), TimePattern::parse(&pattern).is_ok());
        prop_assert_eq!(re(&HhMm::FORMAT).is_match(&hhmm), HhMm::parse(&hhmm).is_ok(), "{}", hhmm);
        prop_assert_eq!(re(&TriggerType::FORMAT).is_match(&trigger), trigger.parse::<TriggerType>().is_ok(), "{}", trigger);
    }

    /// Patterns that the rule narrows further (a real date): every value the type accepts and
    /// writes matches.
    #[test]
    fn what_the_core_accepts_and_writes_matches_the_pattern(
        date in "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{4}-[01][0-9]-[0-3][0-9]",
        query in "[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}",
        secs in 0i64..4_000_000_000, nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000], utc: bool,
        url in "(http|https|HTTP|ftp)://[a-z0-9.:@]{0,12}(/[a-z ]{0,5})?",
    ) {
        if let Ok(d) = HolidayDate::parse(&date) {
            prop_assert!(re(&HolidayDate::FORMAT).is_match(&date), "{}", date);
            prop_assert!(re(&HolidayDate::FORMAT).is_match(&d.to_string()));
        }
        if HolidayQuery::parse(&query).is_ok() {
            prop_assert!(re(&HolidayQuery::FORMAT).is_match(&query), "{}", query);
        }
        let naive = chrono::DateTime::from_timestamp(secs, nanos).unwrap().naive_utc();
        let t = if utc { TerminalDateTime::utc(naive.and_utc()) } else { TerminalDateTime::local(naive) };
        prop_assert!(re(&TerminalDateTime::FORMAT).is_match(&t.to_string()), "{}", t);
        if AgentUrl::new(url.clone()).is_ok() {
            prop_assert!(re(&AgentUrl::FORMAT).is_match(&url), "{}", url);
        }
    }
}

#[test]
fn the_patterned_examples_of_the_rules_match() {
    for (f, example) in [
        (TerminalDateTime::FORMAT, "2025-07-16T10:24:13"),
        (TerminalDateTime::FORMAT, "2025-07-16T08:24:13Z"),
        (HolidayDate::FORMAT, "2025-12-25"),
        (HolidayQuery::FORMAT, "2025-12-0"),
        (HhMm::FORMAT, "09:30"),
        (AgentUrl::FORMAT, "http://10.0.0.9:8080/events"),
    ] {
        assert!(re(&f).is_match(example), "{} {example}", f.name);
    }
}
