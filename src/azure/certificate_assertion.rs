//! A service principal's certificate login: a client assertion (RFC 7523)
//! signed with the application's private key, as MSAL for Go builds it for
//! Entra ID today: PS256, the certificate's SHA-256 thumbprint in `x5t#S256`,
//! and (because kubelogin asks for it, for subject-name/issuer authentication)
//! the certificate itself in `x5c`.
//!
//! MSAL signs RS256 with the SHA-1 `x5t` only for ADFS and dSTS authorities,
//! which kubelogin does not target. Both thumbprints are standard base64 with
//! padding, as MSAL writes them (not base64url).
//!
//! The certificate file is PEM holding the certificate and its RSA private key
//! (kubelogin's `--client-certificate` PEM form); of several certificates the
//! one whose public key matches the private key is used.

use super::authority::Authority;
use crate::error::{Error, Result};
use crate::jwt::{Algorithm, SigningKey, sign};
use crate::time::Timestamp;
use base64::Engine;
use serde_json::json;
use std::path::Path;

/// The most bytes a certificate file may hold.
const MAX_CERTIFICATE_FILE_BYTES: u64 = 256 * 1024;

/// How long an assertion is valid (MSAL: 10 minutes).
const ASSERTION_LIFETIME_SECONDS: i64 = 600;

/// A certificate and its key, ready to sign assertions; `Debug` hides the key.
#[derive(Debug)]
pub struct ClientCertificate {
    /// The certificate, DER.
    der: Vec<u8>,
    key: SigningKey,
}

impl ClientCertificate {
    /// Reads `path` (PEM: certificate(s) and an RSA private key). Errors name
    /// the file, never its content.
    pub fn load(path: &Path) -> Result<ClientCertificate> {
        let shown = path.display();
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pfx") || e.eq_ignore_ascii_case("p12")) {
            return Err(Error::new(format!(
                "client certificate {shown}: PKCS#12 (.pfx) is not supported; convert it to PEM (openssl pkcs12 -nodes)"
            )));
        }
        let bytes = crate::files::read_bounded(path, MAX_CERTIFICATE_FILE_BYTES)
            .map_err(|e| Error::new(format!("client certificate {shown}: {e}")))?;
        let text =
            String::from_utf8(bytes).map_err(|_| Error::new(format!("client certificate {shown}: not PEM text")))?;
        let key = SigningKey::from_pem(&text, &format!("client certificate {shown}"))?;
        Self::from_pem_parts(&text, key, &shown.to_string())
    }

    fn from_pem_parts(text: &str, key: SigningKey, shown: &str) -> Result<ClientCertificate> {
        let certificates: Vec<Vec<u8>> = ureq::tls::parse_pem(text.as_bytes())
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert.der().to_vec()),
                _ => None,
            })
            .collect();
        if certificates.is_empty() {
            return Err(Error::new(format!("client certificate {shown}: no PEM certificate in it")));
        }
        // A certificate's SubjectPublicKeyInfo holds the key's RSAPublicKey DER
        // verbatim: finding those bytes in it pairs the certificate with the key.
        let public = key.public_key_der();
        let der = certificates
            .into_iter()
            .find(|der| der.windows(public.len()).any(|w| w == public))
            .ok_or_else(|| Error::new(format!("client certificate {shown}: no certificate matches the private key")))?;
        Ok(ClientCertificate { der, key })
    }

    /// The SHA-256 thumbprint as `x5t#S256` carries it (standard base64, padded).
    pub fn thumbprint_sha256(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(crate::digest::sha256(&self.der))
    }

    /// The signed assertion for `client_id` at `authority`'s token endpoint, issued at `now`.
    pub fn assertion(&self, authority: &Authority, client_id: &str, now: Timestamp) -> Result<String> {
        let b64 = base64::engine::general_purpose::STANDARD;
        // Keys in the order Go's encoding/json prints a map (sorted), as MSAL's header and claims are.
        let header = json!({
            "alg": "PS256",
            "typ": "JWT",
            "x5c": [b64.encode(&self.der)],
            "x5t#S256": self.thumbprint_sha256(),
        });
        let claims = json!({
            "aud": authority.token_endpoint(),
            "exp": now.0 + ASSERTION_LIFETIME_SECONDS,
            "iss": client_id,
            "jti": random_uuid()?,
            "nbf": now.0,
            "sub": client_id,
        });
        sign(&header, &claims, &self.key, Algorithm::Ps256)
    }
}

/// A random (version 4) UUID in lower-case hex, for the assertion's `jti`.
///
/// ```
/// let id = kubecred::azure::certificate_assertion::random_uuid()?;
/// assert_eq!((id.len(), &id[14..15]), (36, "4"));
/// assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
/// # Ok::<(), kubecred::error::Error>(())
/// ```
pub fn random_uuid() -> Result<String> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new().fill(&mut bytes).map_err(|_| Error::new("no random numbers for a jti"))?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = crate::encoding::hex(&bytes);
    // ok: the hex of 16 bytes is 32 ASCII characters, so every slice below is in bounds.
    Ok(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_without_the_key_is_refused() {
        let dir = format!("{}/tests/data/jwt", env!("CARGO_MANIFEST_DIR"));
        let pem = std::fs::read_to_string(format!("{dir}/rsa-pkcs8.pem")).unwrap();
        let key = SigningKey::from_pem(&pem, "k").unwrap();
        let message = ClientCertificate::from_pem_parts(&pem, key, "f").unwrap_err().to_string();
        assert_eq!(message, "client certificate f: no PEM certificate in it");
        let message = ClientCertificate::load(Path::new("/nonexistent/c.pfx")).unwrap_err().to_string();
        assert!(message.contains("PKCS#12"), "{message}");
    }
}
