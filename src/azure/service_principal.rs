//! A service principal (`spn` login) with a client secret, or with a
//! certificate whose key signs a client assertion ([`super::certificate_assertion`]).

use super::authority::Authority;
use super::certificate_assertion::ClientCertificate;
use super::client_credentials::{ClientAuth, request_token};
use super::token_reply::AccessToken;
use crate::error::Result;
use crate::time::Timestamp;

/// The client-credentials grant with `client_secret`.
pub fn token_with_secret(authority: &Authority, client_id: &str, server_id: &str, secret: &str) -> Result<AccessToken> {
    request_token(authority, client_id, server_id, &ClientAuth::Secret(secret), "spn (client secret)")
}

/// The client-credentials grant with an assertion signed by `certificate`'s key.
pub fn token_with_certificate(
    authority: &Authority,
    client_id: &str,
    server_id: &str,
    certificate: &ClientCertificate,
) -> Result<AccessToken> {
    let assertion = certificate.assertion(authority, client_id, Timestamp::now())?;
    request_token(authority, client_id, server_id, &ClientAuth::Assertion(&assertion), "spn (client certificate)")
}
