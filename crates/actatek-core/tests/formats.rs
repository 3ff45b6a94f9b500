//! The help texts of value formats (`ValueFormat`, `Rule::format`) are true: their examples
//! are accepted by the same parsers that check a request, and every operation parameter has one.

use actatek_core::*;

#[test]
fn the_datetime_examples_are_terminal_time_and_utc() {
    let help = Rule::DateTime.format();
    assert_eq!(help, "2025-07-16T10:24:13 (terminal time) or 2025-07-16T08:24:13Z (UTC)");
    assert!(!TerminalDateTime::parse("2025-07-16T10:24:13").unwrap().is_utc());
    assert!(TerminalDateTime::parse("2025-07-16T08:24:13Z").unwrap().is_utc());
}

#[test]
fn the_time_pattern_example_is_eight_to_five() {
    let example = Rule::TimePattern.format().rsplit(' ').next().unwrap().trim_end_matches(')');
    assert_eq!(TimePattern::parse(example).unwrap(), TimePattern::from_ranges("08:00-17:00").unwrap());
    assert!(TimePattern::from_ranges("08:00-12:30, 13:30-17:00").is_ok(), "{}", Rule::TimeRange.format());
}

#[test]
fn the_date_time_of_day_and_expiry_examples_parse() {
    assert!(HolidayDate::parse("2025-12-25").is_ok());
    let q = HolidayQuery::parse("2025-12-0").unwrap();
    assert!(q.matches(HolidayDate::parse("2025-12-25").unwrap()));
    assert!("09:30".parse::<HhMm>().is_ok());
    for e in ["2026-12-31T23:59:59", "2026-12-31T22:59:59Z", "0"] {
        assert!(Rule::Expiry.format().contains(e));
        let read: Expiry = serde_json::from_value(serde_json::json!(e)).unwrap();
        assert!(Validate::validate(&read).is_ok(), "{e}");
    }
    assert!("http://10.0.0.9:8080/events".parse::<AgentUrl>().is_ok());
}

#[test]
fn every_enum_format_lists_exactly_its_values() {
    for (format, words) in [
        (RelayTarget::FORMAT, vec!["ONE", "TWO", "ALL"]),
        (RelayAction::FORMAT, vec!["open", "close"]),
        (TotpType::FORMAT, vec!["QR_PNG", "QR_SVG", "QR_ANSI", "QR_PLAINTEXT", "OTP_PASSCODE"]),
        (JobCodeEnable::FORMAT, vec!["enable", "disable", "default"]),
    ] {
        assert_eq!(format.choices, words.as_slice());
        for w in words {
            assert!(format.help.contains(w), "{} lists {w}", format.help);
        }
    }
}

#[test]
fn yes_no_spellings_are_read_as_booleans() {
    for (i, word) in format::YES_NO.iter().enumerate() {
        let v: Option<bool> =
            serde_json::from_value(serde_json::json!({ "active": word })).map(|s: UserStatus| s.active).unwrap();
        assert_eq!(v, Some(i % 2 == 0), "{word}");
    }
}

#[test]
fn every_parameter_says_how_to_write_it() {
    for op in OPERATIONS {
        for p in op.params {
            let f = p.format;
            assert!(!f.value_name().is_empty() && !f.help.is_empty(), "{}.{}", op.name, p.name);
            if f.rule != Rule::WrongType {
                assert_eq!(f.help, f.rule.format(), "{}.{}: the help is the rule's", op.name, p.name);
            }
            for word in ["Option<", "Vec<", "String", "i64", "u32", "TerminalDateTime"] {
                assert!(!f.help.contains(word) && !f.value_name().contains(word), "{}.{}", op.name, p.name);
            }
        }
    }
}
