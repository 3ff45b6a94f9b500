//! The one error of the Kotlin and Swift API, mapped explicitly from the client's
//! [`actatek::Error`]. Kotlin sees `ActatekException` with one subclass per variant, Swift an
//! `ActatekError` enum. No field is called `message` (it would clash with
//! `Throwable.message`); none carries the password or the session id.

use actatek::{ConfigError, Error, TransportKind as CoreTransportKind, ValidationError, ValidationErrors};

/// One broken value rule.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Violation {
    /// Where, in wire names: `body.timespec[0].timePattern`, `userID`, `body[1].enable`.
    pub field: String,
    /// The offending value as text (`***` for secrets, `<missing>` when absent).
    pub value: String,
    /// The rule's stable code, shared by every language (`relay_delay`, `datetime`, …).
    pub rule: String,
    /// The vendor manual's section the rule comes from (`11.5`), or `project`.
    pub section: String,
    /// The whole sentence: field, value, what a valid value looks like, rule and section.
    pub description: String,
}

impl From<&ValidationError> for Violation {
    fn from(e: &ValidationError) -> Self {
        Violation {
            field: e.field.clone(),
            value: e.value.clone(),
            rule: e.rule.code().to_string(),
            section: e.rule.section().to_string(),
            description: e.to_string(),
        }
    }
}

/// Which part of the transport failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TransportKind {
    /// Could not connect; nothing was sent.
    Connect,
    /// No answer in time.
    Timeout,
    /// Certificate refused or TLS handshake failed.
    Tls,
    /// The connection broke while sending or receiving.
    Connection,
}

/// What went wrong with a terminal call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum ActatekError {
    /// A client option cannot be used (a malformed URL, a bad TLS pin, an unreadable CA PEM);
    /// found while creating the client, before anything was sent.
    #[error("invalid {setting}: {detail}")]
    Config {
        /// Which option: `url`, `tls pin`, `CA PEM`, `TLS`, `timeout`, `connect timeout`.
        setting: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The input breaks a value rule; nothing was sent. `field`, `value` and `rule` name the
    /// first broken rule, `violations` lists every one.
    #[error("{operation}: {description}")]
    Validation {
        /// The canonical operation (`set_relay_setting`).
        operation: String,
        field: String,
        value: String,
        /// The rule's stable code (`relay_delay`).
        rule: String,
        /// The vendor manual's section (`11.5`), or `project`.
        section: String,
        description: String,
        violations: Vec<Violation>,
    },
    /// The terminal answered with an error (HTTP 400/500 or `"status": "error"`).
    #[error("{operation}: terminal error (HTTP {status}): {detail}")]
    Api {
        operation: String,
        status: i32,
        /// What the terminal said.
        detail: String,
    },
    /// The terminal's answer could not be read (not JSON, or a top level of an impossible
    /// shape); says what and where. Odd values inside a record are not this error: they are
    /// kept in the record's `extra`.
    #[error("{operation}: unreadable reply (HTTP {status}): {detail}{}", if *.maybe_applied {
        " (the terminal received the request and may have applied it; a write is never repeated automatically)"
    } else { "" })]
    Protocol {
        operation: String,
        status: i32,
        detail: String,
        /// True for a write: the terminal answered, so the request arrived and may have been
        /// applied (writes are never repeated automatically).
        maybe_applied: bool,
    },
    /// No usable answer: connection, timeout or TLS trouble.
    #[error("{operation}: {kind:?} error: {detail}{}", if *.maybe_applied {
        " (the request may have reached the terminal; a write is never repeated automatically)"
    } else { "" })]
    Transport {
        operation: String,
        kind: TransportKind,
        detail: String,
        /// True when a write may have been applied although no answer came back (writes are
        /// never repeated automatically).
        maybe_applied: bool,
    },
}

impl ActatekError {
    /// Every broken rule of `operation`'s input.
    pub fn validation(operation: &str, errors: &ValidationErrors) -> Self {
        let violations: Vec<Violation> = errors.errors().iter().map(Violation::from).collect();
        let first = violations[0].clone();
        let description = if violations.len() > 1 {
            format!("{} (and {} more)", first.description, violations.len() - 1)
        } else {
            first.description
        };
        ActatekError::Validation {
            operation: operation.to_string(),
            field: first.field,
            value: first.value,
            rule: first.rule,
            section: first.section,
            description,
            violations,
        }
    }

    /// A client option that cannot be used.
    pub fn config(e: &ConfigError) -> Self {
        ActatekError::Config { setting: e.setting().name().to_string(), detail: e.problem().to_string() }
    }

    /// The client's error of `operation`.
    pub fn from_client(operation: &str, e: Error) -> Self {
        match e {
            Error::Config(c) => ActatekError::config(&c),
            Error::Validation(v) => ActatekError::validation(operation, &v),
            Error::Api { operation, status, message } => {
                ActatekError::Api { operation: operation.to_string(), status: status.into(), detail: message }
            }
            Error::Protocol { operation, status, detail, maybe_applied } => ActatekError::Protocol {
                operation: operation.to_string(),
                status: status.into(),
                detail,
                maybe_applied,
            },
            Error::Transport { operation, kind, detail, maybe_applied } => ActatekError::Transport {
                operation: operation.to_string(),
                kind: match kind {
                    CoreTransportKind::Connect => TransportKind::Connect,
                    CoreTransportKind::Timeout => TransportKind::Timeout,
                    CoreTransportKind::Tls => TransportKind::Tls,
                    CoreTransportKind::Connection => TransportKind::Connection,
                    // A kind the client tells apart later: the broadest one here.
                    _ => TransportKind::Connection,
                },
                detail,
                maybe_applied,
            },
            // The client's error is non-exhaustive; a future variant still reaches the caller.
            other => ActatekError::Protocol {
                operation: operation.to_string(),
                status: 0,
                maybe_applied: other.maybe_applied(),
                detail: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod config_tests {
    use super::*;

    #[test]
    fn a_url_that_is_not_http_is_a_config_error_naming_the_url() {
        let Err(e) = crate::Client::new("ftp://10.0.0.5".into(), "admin".into(), "x".into(), None) else {
            panic!("an ftp URL is refused")
        };
        let ActatekError::Config { setting, detail } = &e else { panic!("{e:?}") };
        assert_eq!(setting, "url");
        assert!(detail.contains("must start with http:// or https://"), "{detail}");
        assert!(e.to_string().starts_with("invalid url: "), "{e}");
    }

    #[test]
    fn a_bad_pin_is_a_config_error_and_so_is_the_clients_config_variant() {
        let pin = actatek::Tls::pin_sha256("zz").unwrap_err();
        assert!(matches!(ActatekError::config(&pin), ActatekError::Config { ref setting, .. } if setting == "tls pin"));
        let e = ActatekError::from_client("connect", Error::Config(pin));
        assert!(matches!(e, ActatekError::Config { .. }), "{e:?}");
    }
}
