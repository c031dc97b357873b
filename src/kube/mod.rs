//! The Kubernetes side: the exec-plugin contract, kubeconfigs, the TokenRequest API.

pub mod client_config;
pub mod exec_credential;
pub mod exec_plugin;
pub mod in_cluster;
pub mod kubeconfig;
pub mod kubeconfig_fields;
pub mod kubeconfig_writer;
pub mod loading_rules;
pub mod request;
pub mod rest_config;
pub mod token_request;
pub mod validation;
pub mod yaml11;
pub mod yaml11_scalar;
pub mod yaml_node;
pub mod yaml_node_walk;
pub mod yaml_value;
