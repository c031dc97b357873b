//! kubecred: short-lived Kubernetes credentials from one static binary.
//!
//! The binary is `src/main.rs`; this library holds everything so that the fuzz
//! targets under `fuzz/` and the tests can reach the parsers directly.

pub mod alibaba;
pub mod aws;
pub mod azure;
pub mod cache;
pub mod certificate;
pub mod child;
pub mod cli;
pub mod digest;
pub mod duration;
pub mod encoding;
pub mod env;
pub mod error;
pub mod files;
pub mod google;
pub mod http;
pub mod json;
pub mod jwt;
pub mod kube;
pub mod log;
pub mod region_name;
pub mod secret;
pub mod secret_files;
pub mod time;
pub mod trail;
