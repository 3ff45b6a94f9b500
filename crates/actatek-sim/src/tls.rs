//! A self-signed certificate for `localhost` and `127.0.0.1`, served with rustls (ring), so
//! clients can test certificate pinning against a fingerprint the simulator prints.

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io;
use std::sync::Arc;

/// A certificate and its key. The key never leaves the process and is never printed.
#[derive(Clone)]
pub struct TlsMaterial {
    cert_der: Vec<u8>,
    key_der: Vec<u8>,
    cert_pem: String,
    fingerprint: String,
}

impl TlsMaterial {
    /// A fresh self-signed certificate with SANs `localhost` and `127.0.0.1`.
    pub fn generate() -> io::Result<Self> {
        let names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
        let rcgen::CertifiedKey { cert, key_pair } =
            rcgen::generate_simple_self_signed(names).map_err(io::Error::other)?;
        let cert_der = cert.der().to_vec();
        let fingerprint = hex::encode(Sha256::digest(&cert_der));
        Ok(TlsMaterial { cert_pem: cert.pem(), key_der: key_pair.serialize_der(), cert_der, fingerprint })
    }

    /// The certificate in PEM, to trust it in a client.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The certificate in DER.
    pub fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// SHA-256 of the certificate's DER, lowercase hex without separators.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    pub(crate) fn acceptor(&self) -> io::Result<tokio_rustls::TlsAcceptor> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(io::Error::other)?
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(self.cert_der.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone())),
            )
            .map_err(io::Error::other)?;
        Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
    }
}

impl fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsMaterial").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}
