//! `kubecred ack get-kubeconfig`: the cluster's kubeconfig from Container
//! Service, with every user replaced by an exec user that runs kubecred
//! (`ack get-credential` for certificates, `ack get-token` for tokens).

use super::ack::{AckArgs, cluster_kubeconfig};
use crate::cli::common::print_stdout;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::exec_credential::ApiVersion;
use crate::kube::kubeconfig::{self, Exec, User};

pub fn get_kubeconfig(args: &AckArgs, env: &Env) -> Result<()> {
    let cluster_id = args.cluster_id.as_deref().unwrap_or_default();
    let plugin_command = match args.mode.as_deref().unwrap_or("cert") {
        "cert" | "certificate" => "get-credential",
        "token" | "ram-authenticator-token" => "get-token",
        other => {
            return Err(Error::usage(format!(
                "--mode: expected cert, certificate, token or ram-authenticator-token, got {other:?}"
            )));
        }
    };
    let (mut config, _, _) = cluster_kubeconfig(args, env)?;
    let exec = Exec {
        api_version: args.api_version.unwrap_or(ApiVersion::V1Beta1).as_str().to_string(),
        command: current_exe()?,
        args: plugin_args(args, cluster_id, plugin_command),
        env: Vec::new(),
        interactive_mode: Some("Never".to_string()),
        provide_cluster_info: false,
    };
    // The certificate the reply carried is dropped: the plugin fetches its own, renewed in time.
    for user in &mut config.users {
        user.item = User { exec: Some(exec.clone()), ..User::default() };
    }
    let text = kubeconfig::to_yaml(&config);
    match &args.output_file {
        Some(path) => crate::secret_files::write_private(path, text.as_bytes()),
        None => print_stdout(&text),
    }
}

/// The exec arguments: the command, the cluster, what was asked for, and the
/// global flags that were given, quietly (`--log-level error`).
fn plugin_args(args: &AckArgs, cluster_id: &str, command: &str) -> Vec<String> {
    let mut out: Vec<String> = ["ack", command, "--cluster-id", cluster_id].map(String::from).to_vec();
    let version = match args.api_version.unwrap_or(ApiVersion::V1Beta1) {
        ApiVersion::V1 => "v1",
        ApiVersion::V1Beta1 => "v1beta1",
    };
    out.extend(["--api-version".to_string(), version.to_string()]);
    if command == "get-credential" {
        if let Some(expiration) = args.expiration {
            out.extend(["--expiration".to_string(), crate::duration::format(expiration)]);
        }
        if let Some(dir) = &args.cache_dir {
            out.extend(["--credential-cache-dir".to_string(), dir.to_string_lossy().into_owned()]);
        }
        if args.private_address {
            out.push("--private-address".to_string());
        }
    }
    out.extend(args.global_flags.iter().cloned());
    out.extend(["--log-level".to_string(), "error".to_string()]);
    out
}

fn current_exe() -> Result<String> {
    let path = std::env::current_exe().map_err(|e| Error::new(format!("finding kubecred's own path: {e}")))?;
    path.into_os_string().into_string().map_err(|_| Error::new("kubecred's own path is not valid UTF-8"))
}
