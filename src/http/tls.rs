//! Trust roots, per-destination TLS settings, and TLS failures told in one line.

use super::{Settings, TlsOverrides};
use crate::error::{Error, Result};
use std::path::Path;

/// Where Debian/Ubuntu/Alpine, RHEL/Fedora, openSUSE and others keep their bundle.
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// The TLS configuration for `settings`, with `overrides` for one destination.
pub fn config(settings: &Settings, overrides: Option<&TlsOverrides>, host: &str) -> Result<ureq::tls::TlsConfig> {
    let Some(overrides) = overrides else {
        return Ok(ureq::tls::TlsConfig::builder().root_certs(trust_roots(settings)?).build());
    };
    let roots = match &overrides.ca_pem {
        Some(pem) => {
            roots_from_pem(pem).ok_or_else(|| Error::new(format!("{host}: no PEM certificates in the CA data")))?
        }
        None => trust_roots(settings)?,
    };
    let mut builder =
        ureq::tls::TlsConfig::builder().root_certs(roots).disable_verification(overrides.insecure_skip_verify);
    if let Some((cert_pem, key_pem)) = &overrides.client_identity {
        let certs = certificates(cert_pem);
        if certs.is_empty() {
            return Err(Error::new(format!("{host}: the client certificate data holds no PEM certificate")));
        }
        let key = ureq::tls::PrivateKey::from_pem(key_pem)
            .map_err(|_| Error::new(format!("{host}: the client key data holds no usable PEM private key")))?;
        check_key_pair(&certs, key_pem)
            .map_err(|why| Error::new(format!("{host}: client certificate and key: {why}")))?;
        builder = builder.client_cert(Some(ureq::tls::ClientCert::new_with_certs(&certs, key)));
    }
    Ok(builder.build())
}

/// kubecred's own TLS connector when the trust roots are explicit (a
/// destination's CA data, else a configured bundle) and verification is on;
/// `None` leaves TLS to ureq (system roots, or verification switched off).
pub fn anchored(
    settings: &Settings,
    overrides: Option<&TlsOverrides>,
) -> Result<Option<super::anchored_tls::AnchoredTls>> {
    if overrides.is_some_and(|o| o.insecure_skip_verify) {
        return Ok(None);
    }
    let pem = match (overrides.and_then(|o| o.ca_pem.clone()), &settings.ca_bundle) {
        (Some(pem), _) => pem,
        (None, Some(path)) => crate::files::read_bounded(path, 16 << 20)
            .map_err(|e| Error::new(format!("CA bundle {}: {e}", path.display())))?,
        (None, None) => return Ok(None),
    };
    let anchors: Vec<_> =
        certificates(&pem).iter().map(|c| rustls::pki_types::CertificateDer::from(c.der().to_vec())).collect();
    if anchors.is_empty() {
        return Ok(None);
    }
    let identity = overrides.and_then(|o| o.client_identity.as_ref()).map(|(c, k)| (c.as_slice(), k.as_slice()));
    super::anchored_tls::AnchoredTls::new(anchors, identity).map(Some)
}

/// ureq panics on a certificate whose key does not match; find out first.
fn check_key_pair(certs: &[ureq::tls::Certificate<'static>], key_pem: &[u8]) -> Result<(), String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let key_der = PrivateKeyDer::from_pem_slice(key_pem).map_err(|_| "no usable PEM private key".to_string())?;
    let chain = certs.iter().map(|c| CertificateDer::from(c.der().to_vec())).collect();
    rustls::sign::CertifiedKey::from_der(chain, key_der, &rustls::crypto::ring::default_provider()).map(|_| ()).map_err(
        |e| match e {
            rustls::Error::InconsistentKeys(_) => "the key does not belong to the certificate".to_string(),
            other => other.to_string(),
        },
    )
}

/// Trust roots: the configured bundle, else the system bundle, else the roots built in.
fn trust_roots(settings: &Settings) -> Result<ureq::tls::RootCerts> {
    if let Some(path) = &settings.ca_bundle {
        return load_bundle(path);
    }
    for path in SYSTEM_BUNDLES {
        if let Ok(roots) = load_bundle(Path::new(path)) {
            return Ok(roots);
        }
    }
    Ok(ureq::tls::RootCerts::WebPki)
}

fn load_bundle(path: &Path) -> Result<ureq::tls::RootCerts> {
    let shown = path.display();
    let bytes =
        crate::files::read_bounded(path, 16 << 20).map_err(|e| Error::new(format!("CA bundle {shown}: {e}")))?;
    roots_from_pem(&bytes).ok_or_else(|| Error::new(format!("CA bundle {shown}: no PEM certificates in it")))
}

fn certificates(pem: &[u8]) -> Vec<ureq::tls::Certificate<'static>> {
    ureq::tls::parse_pem(pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
            _ => None,
        })
        .collect()
}

/// Every certificate in a PEM bundle as trust roots; `None` when there is none.
fn roots_from_pem(pem: &[u8]) -> Option<ureq::tls::RootCerts> {
    let certs = certificates(pem);
    if certs.is_empty() { None } else { Some(ureq::tls::RootCerts::new_with_certs(&certs)) }
}

/// The rustls error inside a ureq error, if the failure was TLS.
pub fn rustls_error(error: &ureq::Error) -> Option<&rustls::Error> {
    match error {
        ureq::Error::Rustls(e) => Some(e),
        ureq::Error::Io(io) => io.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()),
        _ => None,
    }
}

/// A TLS failure in words a user can act on.
pub fn describe(error: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match error {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::UnknownIssuer => "TLS: the server's certificate has an unknown issuer (trust its CA with --ca-bundle, AWS_CA_BUNDLE or SSL_CERT_FILE)".into(),
            C::Expired | C::ExpiredContext { .. } => "TLS: the server's certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => "TLS: the server's certificate is not valid yet".into(),
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "TLS: the server's certificate does not name this host".into()
            }
            C::Revoked => "TLS: the server's certificate is revoked".into(),
            other => format!("TLS: invalid server certificate ({other:?})"),
        },
        rustls::Error::AlertReceived(alert) => format!("TLS: the server refused the handshake ({alert:?})"),
        other => format!("TLS: {other}"),
    }
}
