//! The AWS side: SigV4, the credential chain, STS and EKS.

pub mod credentials;
pub mod sigv4;
