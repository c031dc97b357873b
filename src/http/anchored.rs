//! Server certificate verification with one addition to webpki's: a server
//! certificate that is itself one of the explicitly trusted roots is accepted.
//!
//! `openssl req -x509` makes a self-signed certificate with `CA:TRUE`; people
//! serve it and trust it as its own CA. Go (kubectl) and OpenSSL (the AWS CLI)
//! accept that; webpki refuses it as `CaUsedAsEndEntity`. Only in that case,
//! and only when the presented certificate equals a configured anchor byte for
//! byte, kubecred accepts it, after checking the name it is valid for and its
//! validity period itself.

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, SignatureScheme};
use std::sync::Arc;

#[derive(Debug)]
pub struct AnchoredVerifier {
    inner: Arc<WebPkiServerVerifier>,
    anchors: Vec<CertificateDer<'static>>,
}

impl AnchoredVerifier {
    pub fn new(inner: Arc<WebPkiServerVerifier>, anchors: Vec<CertificateDer<'static>>) -> AnchoredVerifier {
        AnchoredVerifier { inner, anchors }
    }
}

fn is_ca_used_as_end_entity(error: &Error) -> bool {
    match error {
        Error::InvalidCertificate(CertificateError::Other(other)) => {
            matches!(other.0.downcast_ref::<webpki::Error>(), Some(webpki::Error::CaUsedAsEndEntity))
        }
        _ => false,
    }
}

impl ServerCertVerifier for AnchoredVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(error)
                if is_ca_used_as_end_entity(&error)
                    && self.anchors.iter().any(|a| a.as_ref() == end_entity.as_ref()) =>
            {
                let cert = webpki::EndEntityCert::try_from(end_entity).map_err(|_| error.clone())?;
                cert.verify_is_valid_for_subject_name(server_name)
                    .map_err(|_| Error::InvalidCertificate(CertificateError::NotValidForName))?;
                let validity = crate::certificate::validity_of_der(end_entity.as_ref())
                    .ok_or(Error::InvalidCertificate(CertificateError::BadEncoding))?;
                let now = now.as_secs() as i64;
                if now < validity.not_before.0 {
                    return Err(Error::InvalidCertificate(CertificateError::NotValidYet));
                }
                if now > validity.not_after.0 {
                    return Err(Error::InvalidCertificate(CertificateError::Expired));
                }
                Ok(ServerCertVerified::assertion())
            }
            // A self-signed CA certificate that is no anchor is simply not trusted (Go says so too).
            Err(error) if is_ca_used_as_end_entity(&error) => {
                Err(Error::InvalidCertificate(CertificateError::UnknownIssuer))
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}
