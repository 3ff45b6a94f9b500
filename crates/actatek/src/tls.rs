//! How the client trusts a terminal's certificate. Terminals ship self-signed certificates, so
//! besides the system roots a caller can trust a CA file or pin one certificate by its SHA-256
//! fingerprint. Turning verification off is possible only under a name that says what it is.

use crate::errors::{ConfigError, Setting};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Certificate trust for `https://` terminals.
#[derive(Clone, Default)]
pub enum Tls {
    /// Verify against the built-in web roots (the default).
    #[default]
    Verify,
    /// Also trust the CA (or self-signed) certificates in this PEM.
    CaPem(Vec<u8>),
    /// Accept exactly the certificate with this SHA-256 fingerprint (of its DER), whatever its
    /// issuer and names: the usual way to trust one terminal's self-signed certificate.
    PinSha256([u8; 32]),
    /// Accept any certificate. Anyone on the network path can read and change the traffic,
    /// including the password. For a lab bench only.
    DangerAcceptInvalidCertificates,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tls::Verify => f.write_str("Verify"),
            Tls::CaPem(p) => write!(f, "CaPem({} bytes)", p.len()),
            Tls::PinSha256(d) => write!(f, "PinSha256({})", hex::encode(d)),
            Tls::DangerAcceptInvalidCertificates => f.write_str("DangerAcceptInvalidCertificates"),
        }
    }
}

impl Tls {
    /// Trust the certificates in a PEM file.
    pub fn ca_file(path: impl AsRef<std::path::Path>) -> std::io::Result<Tls> {
        std::fs::read(path).map(Tls::CaPem)
    }

    /// Pin a fingerprint given as hex, with or without `:` separators, any case. A fingerprint
    /// that is not 32 bytes of hex is a [`ConfigError`] for the `tls pin` setting.
    pub fn pin_sha256(fingerprint: &str) -> Result<Tls, ConfigError> {
        let clean: String = fingerprint.chars().filter(|c| *c != ':' && !c.is_whitespace()).collect();
        let bad = |what: String| ConfigError::new(Setting::TlsPin, format!("{fingerprint:?} {what}"));
        let bytes = hex::decode(&clean).map_err(|e| bad(format!("is not hex ({e})")))?;
        let pin: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            bad(format!("has {} bytes; a SHA-256 fingerprint has 32 (64 hex digits, colons allowed)", b.len()))
        })?;
        Ok(Tls::PinSha256(pin))
    }

    pub(crate) fn apply(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, ConfigError> {
        Ok(match self {
            Tls::Verify => builder,
            Tls::CaPem(pem) => {
                let certs = reqwest::Certificate::from_pem_bundle(pem)
                    .map_err(|e| ConfigError::new(Setting::CaPem, format!("is not a PEM certificate bundle ({e})")))?;
                if certs.is_empty() {
                    return Err(ConfigError::new(Setting::CaPem, "holds no certificate (no BEGIN CERTIFICATE block)"));
                }
                certs.into_iter().fold(builder, |b, c| b.add_root_certificate(c))
            }
            Tls::PinSha256(pin) => builder.use_preconfigured_tls(
                pinned_config(Some(*pin))
                    .map_err(|e| ConfigError::new(Setting::Tls, format!("the TLS library refused it ({e})")))?,
            ),
            Tls::DangerAcceptInvalidCertificates => builder.danger_accept_invalid_certs(true),
        })
    }
}

impl Tls {
    /// This trust as a rustls configuration, for a client that runs TLS itself over its own
    /// sockets (the Python package's `AsyncClient`, on asyncio's event loop): the same roots,
    /// pin and refusals as the client's own pool.
    pub fn rustls_config(&self) -> Result<Arc<rustls::ClientConfig>, ConfigError> {
        let refused = |e: String| ConfigError::new(Setting::Tls, format!("the TLS library refused it ({e})"));
        let config = match self {
            Tls::Verify | Tls::CaPem(_) => {
                let mut roots = rustls::RootCertStore::empty();
                roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
                if let Tls::CaPem(pem) = self {
                    let bad =
                        |e: String| ConfigError::new(Setting::CaPem, format!("is not a PEM certificate bundle ({e})"));
                    let certs: Vec<_> = rustls_pemfile::certs(&mut &pem[..])
                        .collect::<Result<_, _>>()
                        .map_err(|e| bad(e.to_string()))?;
                    if certs.is_empty() {
                        return Err(ConfigError::new(
                            Setting::CaPem,
                            "holds no certificate (no BEGIN CERTIFICATE block)",
                        ));
                    }
                    for cert in certs {
                        roots.add(cert).map_err(|e| bad(e.to_string()))?;
                    }
                }
                rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                    .with_safe_default_protocol_versions()
                    .map_err(|e| refused(e.to_string()))?
                    .with_root_certificates(roots)
                    .with_no_client_auth()
            }
            Tls::PinSha256(pin) => pinned_config(Some(*pin)).map_err(refused)?,
            Tls::DangerAcceptInvalidCertificates => pinned_config(None).map_err(refused)?,
        };
        Ok(Arc::new(config))
    }
}

/// A configuration that accepts exactly the certificate with fingerprint `pin`, or any
/// certificate without one.
fn pinned_config(pin: Option<[u8; 32]>) -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(PinVerifier { pin, provider: provider.clone() });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(config)
}

#[derive(Debug)]
struct PinVerifier {
    /// `None`: any certificate (`Tls::DangerAcceptInvalidCertificates`).
    pin: Option<[u8; 32]>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl rustls::client::danger::ServerCertVerifier for PinVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        let Some(pin) = self.pin else {
            return Ok(rustls::client::danger::ServerCertVerified::assertion());
        };
        let got: [u8; 32] = Sha256::digest(end_entity.as_ref()).into();
        if got == pin {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(format!(
                "certificate fingerprint {} does not match the pinned {}",
                hex::encode(got),
                hex::encode(pin)
            )))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}
