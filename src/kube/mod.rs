//! The Kubernetes side: the exec-plugin contract, kubeconfigs, the TokenRequest API.

pub mod exec_credential;
pub mod kubeconfig;
pub mod kubeconfig_writer;
