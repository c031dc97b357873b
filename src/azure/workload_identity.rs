//! Workload identity: the Kubernetes ServiceAccount token the AKS webhook
//! projects into the pod (`AZURE_FEDERATED_TOKEN_FILE`) is the client
//! assertion of a client-credentials grant for `AZURE_CLIENT_ID` in
//! `AZURE_TENANT_ID`, as azidentity's WorkloadIdentityCredential sends it.

use super::authority::Authority;
use super::client_credentials::{ClientAuth, request_token};
use super::token_reply::AccessToken;
use crate::error::Result;
use std::path::Path;

/// The most bytes a federated token file may hold (ServiceAccount tokens are ~1 KiB).
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// Reads the federated token (afresh on every call: the kubelet rotates it) and exchanges it.
pub fn token(authority: &Authority, client_id: &str, server_id: &str, token_file: &Path) -> Result<AccessToken> {
    let assertion = crate::files::read_token_file(token_file, MAX_TOKEN_BYTES, "federated token file")?;
    request_token(authority, client_id, server_id, &ClientAuth::Assertion(&assertion), "workload identity")
}
