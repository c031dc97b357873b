//! A ureq connector that does TLS with kubecred's own rustls configuration,
//! used when the trust roots are given explicitly (a kubeconfig CA,
//! `--ca-bundle`, `AWS_CA_BUNDLE`, `SSL_CERT_FILE`), so that the
//! [`AnchoredVerifier`] can accept a server certificate that is one of them.
//! It sits before ureq's own rustls connector, which then sees a TLS
//! transport and steps aside.

use super::anchored::AnchoredVerifier;
use crate::error::{Error, Result};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use std::io::{Read, Write};
use std::sync::Arc;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport, TransportAdapter,
};

/// The agent for `config`: ureq's own connectors, with kubecred's TLS ahead of
/// ureq's when `anchored` is given (ureq's then passes the TLS stream through),
/// and the pinned resolver of a tls-server-name when given.
pub fn agent(
    config: ureq::config::Config,
    anchored: Option<AnchoredTls>,
    pinned: Option<super::server_name::PinnedName>,
) -> ureq::Agent {
    use ureq::unversioned::resolver::DefaultResolver;
    use ureq::unversioned::transport::{ConnectProxyConnector, DefaultConnector, RustlsConnector, TcpConnector};
    match (anchored, pinned) {
        (None, None) => ureq::Agent::new_with_config(config),
        (None, Some(resolver)) => ureq::Agent::with_parts(config, DefaultConnector::default(), resolver),
        (Some(anchored), resolver) => {
            let chain =
                ().chain(ConnectProxyConnector::default())
                    .chain(TcpConnector::default())
                    .chain(anchored)
                    .chain(RustlsConnector::default());
            match resolver {
                Some(resolver) => ureq::Agent::with_parts(config, chain, resolver),
                None => ureq::Agent::with_parts(config, chain, DefaultResolver::default()),
            }
        }
    }
}

#[derive(Debug)]
pub struct AnchoredTls {
    config: Arc<ClientConfig>,
}

impl AnchoredTls {
    /// TLS trusting exactly `anchors` (DER), presenting `identity` (PEM chain, PEM key) if given.
    pub fn new(anchors: Vec<CertificateDer<'static>>, identity: Option<(&[u8], &[u8])>) -> Result<AnchoredTls> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(anchors.iter().cloned());
        let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| Error::new(format!("TLS: the trust roots are unusable ({e})")))?;
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::new(format!("TLS: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnchoredVerifier::new(inner, anchors)));
        let config = match identity {
            Some((cert_pem, key_pem)) => {
                use rustls::pki_types::pem::PemObject;
                let chain = CertificateDer::pem_slice_iter(cert_pem).filter_map(std::result::Result::ok).collect();
                let key = PrivateKeyDer::from_pem_slice(key_pem)
                    .map_err(|_| Error::new("the client key data holds no usable PEM private key"))?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|e| Error::new(format!("client certificate and key: {e}")))?
            }
            None => builder.with_no_client_auth(),
        };
        Ok(AnchoredTls { config: Arc::new(config) })
    }
}

impl<In: Transport> Connector<In> for AnchoredTls {
    type Out = Either<In, AnchoredTransport>;

    fn connect(&self, details: &ConnectionDetails, chained: Option<In>) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else { return Ok(None) };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }
        let host = details.uri.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
        let name = ServerName::try_from(host.to_string()).map_err(|_| ureq::Error::Tls("invalid server name"))?;
        let mut conn = ClientConnection::new(self.config.clone(), name)?;
        let mut sock = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        sock.set_timeout(details.timeout);
        conn.complete_io(&mut sock)?;
        let buffers = LazyBuffers::new(details.config.input_buffer_size(), details.config.output_buffer_size());
        Ok(Some(Either::B(AnchoredTransport { buffers, stream: StreamOwned { conn, sock } })))
    }
}

/// A TLS stream over the chained transport (as ureq's own rustls transport).
pub struct AnchoredTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl std::fmt::Debug for AnchoredTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AnchoredTransport")
    }
}

impl Transport for AnchoredTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let output = &self.buffers.output()[..amount];
        self.stream.write_all(output)?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let input = self.buffers.input_append_buf();
        let amount = self.stream.read(input)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}
