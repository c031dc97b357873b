//! Signed JSON Web Tokens (compact form), for the assertions that cloud token
//! endpoints take in place of a password: a Google service account's
//! `jwt-bearer` grant, an Azure application's client assertion.
//!
//! Only signing with RSA keys is here (RS256, PS256): both clouds issue RSA
//! keys. The private key is held in [`SigningKey`], whose `Debug` never shows it.
//!
//! ```
//! use kubecred::jwt::{Algorithm, SigningKey, sign};
//! let pem = std::fs::read_to_string("tests/data/jwt/rsa-pkcs8.pem").unwrap();
//! let key = SigningKey::from_pem(&pem, "test key")?;
//! let header = serde_json::json!({"alg": "RS256", "typ": "JWT"});
//! let claims = serde_json::json!({"iss": "a@b.iam.gserviceaccount.com", "exp": 1});
//! let jwt = sign(&header, &claims, &key, Algorithm::Rs256)?;
//! assert_eq!(jwt.split('.').count(), 3);
//! assert!(!format!("{key:?}").contains("PRIVATE"));
//! # Ok::<(), kubecred::error::Error>(())
//! ```

use crate::error::{Error, Result};
use base64::Engine;
use ring::signature::RsaKeyPair;

/// How the token is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// RSASSA-PSS with SHA-256 (MGF1 SHA-256, salt of 32 bytes).
    Ps256,
}

impl Algorithm {
    /// The `alg` header value.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Rs256 => "RS256",
            Algorithm::Ps256 => "PS256",
        }
    }
}

/// An RSA private key ready to sign; it never prints.
pub struct SigningKey {
    pair: RsaKeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

impl SigningKey {
    /// The first private key in PEM text: PKCS#8 (`BEGIN PRIVATE KEY`, as Google
    /// issues them) or PKCS#1 (`BEGIN RSA PRIVATE KEY`, as many certificate tools
    /// write). `what` names it in errors, which never quote it.
    pub fn from_pem(pem: &str, what: &str) -> Result<SigningKey> {
        let key = ureq::tls::parse_pem(pem.as_bytes())
            .find_map(|item| match item {
                Ok(ureq::tls::PemItem::PrivateKey(key)) => Some(key),
                _ => None,
            })
            .ok_or_else(|| Error::new(format!("{what}: no PEM private key in it")))?;
        // The PEM label tells PKCS#8 from PKCS#1, but ureq keeps it to itself: try both.
        let der = key.der();
        let pair = RsaKeyPair::from_pkcs8(der)
            .or_else(|_| RsaKeyPair::from_der(der))
            .map_err(|why| Error::new(format!("{what}: not a usable RSA private key ({why})")))?;
        Ok(SigningKey { pair })
    }

    /// The public half as a PKCS#1 `RSAPublicKey` (DER): what a certificate for
    /// this key holds in its SubjectPublicKeyInfo, to find the certificate that
    /// belongs with the key.
    pub fn public_key_der(&self) -> &[u8] {
        self.pair.public().as_ref()
    }
}

/// `base64url(header).base64url(claims).base64url(signature)`, unpadded, the
/// JSON printed compactly with its keys in the order given.
pub fn sign(
    header: &serde_json::Value,
    claims: &serde_json::Value,
    key: &SigningKey,
    algorithm: Algorithm,
) -> Result<String> {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let mut token = format!(
        "{}.{}",
        b64(crate::json::to_string(header, 0).as_bytes()),
        b64(crate::json::to_string(claims, 0).as_bytes())
    );
    let padding: &dyn ring::signature::RsaEncoding = match algorithm {
        Algorithm::Rs256 => &ring::signature::RSA_PKCS1_SHA256,
        Algorithm::Ps256 => &ring::signature::RSA_PSS_SHA256,
    };
    let mut signature = vec![0; key.pair.public().modulus_len()];
    key.pair
        .sign(padding, &ring::rand::SystemRandom::new(), token.as_bytes(), &mut signature)
        .map_err(|_| Error::new(format!("signing a {} token failed", algorithm.name())))?;
    token.push('.');
    token.push_str(&b64(&signature));
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> SigningKey {
        let pem = std::fs::read_to_string(format!("{}/tests/data/jwt/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        SigningKey::from_pem(&pem, name).unwrap()
    }

    #[test]
    fn rs256_is_deterministic_and_verifies() {
        let key = key("rsa-pkcs8.pem");
        let header = serde_json::json!({"alg": "RS256", "typ": "JWT"});
        let claims = serde_json::json!({"sub": "x"});
        let a = sign(&header, &claims, &key, Algorithm::Rs256).unwrap();
        assert_eq!(a, sign(&header, &claims, &key, Algorithm::Rs256).unwrap());
        let (signed, signature) = a.rsplit_once('.').unwrap();
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature).unwrap();
        let public = ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            key.pair.public().as_ref(),
        );
        public.verify(signed.as_bytes(), &signature).unwrap();
        assert!(a.starts_with("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."), "{a}");
    }

    #[test]
    fn ps256_verifies_and_pkcs1_keys_load() {
        let key = key("rsa-pkcs1.pem");
        let token = sign(&serde_json::json!({"alg": "PS256"}), &serde_json::json!({}), &key, Algorithm::Ps256).unwrap();
        let (signed, signature) = token.rsplit_once('.').unwrap();
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature).unwrap();
        let public = ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PSS_2048_8192_SHA256,
            key.pair.public().as_ref(),
        );
        public.verify(signed.as_bytes(), &signature).unwrap();
    }

    #[test]
    fn bad_keys_are_clear_errors_that_quote_nothing() {
        for (pem, expected) in [
            ("no key here", "no PEM private key"),
            ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a usable RSA private key"),
        ] {
            let message = SigningKey::from_pem(pem, "the file").unwrap_err().to_string();
            assert!(message.starts_with("the file: ") && message.contains(expected), "{message}");
            assert!(!message.contains("AAAA"));
        }
    }
}
