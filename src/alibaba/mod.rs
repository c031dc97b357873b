//! The Alibaba Cloud side: RPC, ROA and V3 signers, the credential chain, STS and
//! the Container Service API.

pub mod ack_token;
pub mod cert_cache;
pub mod chain;
pub mod cli_config;
pub mod credentials;
pub mod credentials_file;
pub mod cs;
pub mod endpoint;
pub mod providers;
pub mod roa;
pub mod rpc;
pub mod sts;
pub mod v3;
