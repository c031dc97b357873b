//! The Kubernetes side: the exec-plugin contract, kubeconfigs, the TokenRequest API.

pub mod client_config;
pub mod exec_credential;
pub mod exec_plugin;
pub mod kubeconfig;
pub mod kubeconfig_writer;
pub mod request;
pub mod token_request;
pub mod yaml_value;
