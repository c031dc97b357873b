//! The AWS side: SigV4, the credential chain, STS and EKS.

pub mod chain;
pub mod credentials;
pub mod eks_api;
pub mod endpoint;
pub mod ini;
pub mod mfa;
pub mod profile;
pub mod providers;
pub mod region;
pub mod sigv4;
pub mod sts;
pub mod sts_options;
pub mod token;
pub mod xml;
