//! Settings refused while building a client are configuration errors, not transport errors:
//! typed (`ConfigError` naming the setting), found before anything is sent, and usable with `?`
//! in code that returns `actatek::Error`.

mod common;

use actatek::*;
use std::time::Duration;

#[test]
fn a_malformed_url_is_a_config_error_naming_the_url() {
    for (url, problem) in [
        ("ftp://10.0.0.5", "must start with http:// or https://"),
        ("10.0.0.5", "must start with http:// or https://"),
        ("https://", "is not a URL"),
        ("http://ho st/", "is not a URL"),
        ("https://10.0.0.5/?x=1", "must not have a query"),
    ] {
        let e = Client::builder(url, "admin", "secret").build().expect_err(url);
        assert_eq!(e.setting(), Setting::Url, "{url}: {e}");
        assert_eq!(e.setting().name(), "url");
        assert!(e.problem().contains(problem), "{url}: {e}");
        assert!(e.to_string().starts_with("invalid url: "), "{e}");
        assert!(matches!(Client::new(url, "admin", "secret"), Err(ref n) if *n == e), "{url}");
    }
    let fine = Client::new("https://10.0.0.5/cgi-bin/restapi/", "admin", "secret").unwrap();
    assert_eq!(fine.url(), "https://10.0.0.5");
}

#[test]
fn a_config_error_is_an_error_of_the_client_and_not_a_transport_error() {
    let e: Error = Client::new("ftp://10.0.0.5", "admin", "secret").unwrap_err().into();
    assert!(matches!(&e, Error::Config(c) if c.setting() == Setting::Url), "{e:?}");
    assert!(!e.is_transient() && !e.maybe_applied() && e.status().is_none());
    let source: &dyn std::error::Error = &e;
    assert!(source.to_string().contains("ftp://10.0.0.5"));
}

#[test]
fn no_password_in_a_config_error() {
    let e = Client::new("ftp://admin:hunter22@10.0.0.5/x@y", "admin", "s3cret-Pa55").unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(!text.contains("hunter22") && !text.contains("s3cret-Pa55"), "{text}");
    assert!(text.contains("ftp://***@10.0.0.5/x@y"), "{text}");
}

#[test]
fn zero_timeouts_are_refused() {
    let e = Client::builder("http://127.0.0.1:9", "a", "b").timeout(Duration::ZERO).build().unwrap_err();
    assert_eq!(e.setting(), Setting::Timeout);
    let e = Client::builder("http://127.0.0.1:9", "a", "b").connect_timeout(Duration::ZERO).build().unwrap_err();
    assert_eq!(e.setting(), Setting::ConnectTimeout);
}

#[test]
fn a_bad_tls_pin_is_a_typed_error() {
    for bad in ["zz", "ab:cd", &"00".repeat(33)] {
        let e = Tls::pin_sha256(bad).expect_err(bad);
        assert_eq!(e.setting(), Setting::TlsPin, "{bad}");
        assert!(e.to_string().starts_with("invalid tls pin: "), "{e}");
    }
    assert!(Tls::pin_sha256(&"AB:".repeat(31).to_string().replace(':', "")).is_err(), "31 bytes");
    assert!(matches!(Tls::pin_sha256(&"ab:".repeat(32)), Ok(Tls::PinSha256(_))));
}

/// Everything a caller writes in one function returning `actatek::Error`: the pin, the build
/// and the call all propagate with `?`.
async fn status_with_pin(url: &str, pin: &str) -> Result<TerminalStatus, Error> {
    let t = Client::builder(url, common::USER, common::PASSWORD).tls(Tls::pin_sha256(pin)?).retries(0).build()?;
    let status = t.get_terminal_status().await?;
    t.close().await;
    Ok(status)
}

#[tokio::test]
async fn a_bad_pin_propagates_with_question_mark_and_nothing_is_sent() {
    let sim = common::sim(1, 1).await;
    let e = status_with_pin(sim.url(), "not-a-fingerprint").await.unwrap_err();
    assert!(matches!(&e, Error::Config(c) if c.setting() == Setting::TlsPin), "{e:?}");
    assert!(sim.requests().is_empty(), "nothing was sent");
    // A well-formed pin gets as far as the terminal (plain HTTP ignores it).
    status_with_pin(sim.url(), &"00".repeat(32)).await.expect("plain http");
}

#[test]
fn a_ca_pem_without_certificates_is_a_config_error() {
    let e = Client::builder("https://10.0.0.5", "a", "b").tls(Tls::CaPem(b"not a pem".to_vec())).build().unwrap_err();
    assert_eq!(e.setting(), Setting::CaPem, "{e}");
    assert!(e.to_string().starts_with("invalid CA PEM: "), "{e}");
}
