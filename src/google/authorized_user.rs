//! A user's refresh token (`gcloud auth application-default login`), traded at
//! the file's `token_uri` for an access token (the `refresh_token` grant).

use super::credentials_file::CredentialsFile;
use super::{AccessToken, cached, post_form};
use crate::error::{Error, Result};

/// A token for the user in `file` (a [`CredentialsFile::AuthorizedUser`]). The
/// scopes are those the user granted at login; the grant takes none.
pub fn token(file: &CredentialsFile) -> Result<AccessToken> {
    let CredentialsFile::AuthorizedUser { client_id, client_secret, refresh_token, token_uri } = file else {
        return Err(Error::new("not an authorized_user file"));
    };
    // The refresh token decides the identity but must not be a key part in clear.
    let refresh_hash = crate::digest::sha256_hex(refresh_token.expose().as_bytes());
    cached("google-authorized-user", &[client_id, &refresh_hash, token_uri], || {
        let what = format!("refresh token of client {client_id} at {}", crate::http::host_of(token_uri));
        post_form(
            token_uri,
            &[
                ("client_id", client_id),
                ("client_secret", client_secret.expose()),
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.expose()),
            ],
            &what,
            &[client_secret.expose(), refresh_token.expose()],
        )
    })
}
