//! The Alibaba Cloud side: RPC, ROA and V3 signers, the credential chain, STS and
//! the Container Service API.

pub mod chain;
pub mod credentials;
pub mod endpoint;
pub mod sts;
