//! `kubecred create token SA` (kubectl's grammar) and `kubecred create
//! kubeconfig SA --output-file PATH` (a self-contained kubeconfig for an
//! initContainer or a CI job).

use crate::cli::common::{print_stdout, string_value, unexpected, unknown_flag};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::client_config::{self, Overrides, RestConfig};
use crate::kube::kubeconfig::{Cluster, Context, Kubeconfig, Named, User, to_yaml};
use crate::kube::kubeconfig_writer::value_to_yaml;
use crate::kube::token_request::{self, TokenRequestSpec};
use base64::Engine;
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

const USAGE: &str = "\
Usage:
  kubecred create token SA [-n NS] [--duration D] [--audience A]... [-o json|yaml|name]
  kubecred create kubeconfig SA [-n NS] [--duration D] [--audience A]... --output-file PATH [--server URL]

Mints a ServiceAccount token with the TokenRequest API (as kubectl create token),
or writes a kubeconfig that uses one.

Flags:
  -n, --namespace NS           the ServiceAccount's namespace
      --duration D             token lifetime (Go syntax: 1h, 10m; 0: the server's default)
      --audience A             intended audience (repeatable)
      --bound-object-kind K    Pod, Secret or Node; with --bound-object-name [--bound-object-uid]
  -o, --output FORMAT          json, yaml or name (create token)
      --output-file PATH       where create kubeconfig writes (0600, atomically)
  -s, --server URL             create kubeconfig: the server URL written (requests use the configured one)
Client flags (as kubectl): --kubeconfig --context --cluster --user -s/--server --token
  --certificate-authority --insecure-skip-tls-verify[=true|false] --tls-server-name --request-timeout
  --as --as-group --as-uid
  -v, --v N                    log level: 1 and up logs progress, 4 and up each request and its status
";

#[derive(Debug, Default)]
struct CreateArgs {
    name: Option<String>,
    client: Overrides,
    spec: TokenRequestSpec,
    bound_kind: Option<String>,
    bound_name: Option<String>,
    bound_uid: Option<String>,
    output: Option<String>,
    output_file: Option<PathBuf>,
}

pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut args = args.into_iter();
    let sub = args.next();
    let rest: Vec<OsString> = args.collect();
    match sub.as_ref().and_then(|s| s.to_str()) {
        Some(kind @ ("token" | "kubeconfig")) => {
            let command = format!("kubecred create {kind}");
            let Some(mut parsed) = parse(rest, &command)? else { return print_stdout(USAGE) };
            // For create kubeconfig, --server is the URL written, not where kubecred sends the request.
            let written_server = if kind == "kubeconfig" { parsed.client.server.take() } else { None };
            let mut config = client_config::load(&parsed.client, &Env::from_process())?;
            let name = parsed.name.as_deref().unwrap_or_default();
            let issued = token_request::create(&config, name, &parsed.spec)?;
            if kind == "token" {
                print_token(&parsed, name, &issued)
            } else {
                if let Some(server) = written_server {
                    config.server = server;
                }
                write_kubeconfig(&parsed, &config, name, &issued.token)
            }
        }
        Some("--help" | "-h" | "help") => print_stdout(USAGE),
        None => Err(crate::cli::common::missing_subcommand("kubecred create", "token, kubeconfig")),
        Some(other) => Err(Error::usage(format!("kubecred create: unknown resource {other:?} (token, kubeconfig)"))),
    }
}

fn parse(args: Vec<OsString>, command: &str) -> Result<Option<CreateArgs>> {
    let mut parsed = CreateArgs::default();
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next()? {
        let name = match arg {
            lexopt::Arg::Value(value) if parsed.name.is_none() => {
                parsed.name =
                    Some(value.into_string().map_err(|_| Error::usage(format!("{command}: name is not UTF-8")))?);
                continue;
            }
            lexopt::Arg::Short('n') => "namespace".to_string(),
            lexopt::Arg::Short('s') => "server".to_string(),
            lexopt::Arg::Short('o') => "output".to_string(),
            lexopt::Arg::Short('v') => "v".to_string(),
            lexopt::Arg::Short('h') => return Ok(None),
            lexopt::Arg::Long(name) => name.to_string(),
            other => return Err(unexpected(other, command)),
        };
        let mut value = |flag: &str| string_value(&mut parser, flag);
        let c = &mut parsed.client;
        match name.as_str() {
            "namespace" => c.namespace = Some(value("--namespace")?),
            "server" => c.server = Some(value("--server")?),
            "kubeconfig" => c.kubeconfig = Some(value("--kubeconfig")?.into()),
            "context" => c.context = Some(value("--context")?),
            "cluster" => c.cluster = Some(value("--cluster")?),
            "user" => c.user = Some(value("--user")?),
            "token" => c.token = Some(value("--token")?),
            "certificate-authority" => c.certificate_authority = Some(value("--certificate-authority")?.into()),
            "insecure-skip-tls-verify" => {
                c.insecure_skip_tls_verify = bool_flag(&mut parser, "--insecure-skip-tls-verify")?
            }
            "tls-server-name" => c.tls_server_name = Some(value("--tls-server-name")?),
            "request-timeout" => {
                let text = value("--request-timeout")?;
                let text = if text.chars().all(|ch| ch.is_ascii_digit()) { format!("{text}s") } else { text };
                c.request_timeout = Some(crate::duration::parse(&text)?).filter(|d| !d.is_zero());
            }
            "as" => c.impersonate = Some(value("--as")?),
            "as-group" => c.impersonate_groups.push(value("--as-group")?),
            "as-uid" => c.impersonate_uid = Some(value("--as-uid")?),
            "duration" => {
                let text = value("--duration")?;
                if text.trim_start().starts_with('-') {
                    return Err(Error::usage(format!("{command}: --duration must be positive, got {text:?}")));
                }
                parsed.spec.duration = Some(crate::duration::parse(&text)?).filter(|d| !d.is_zero());
            }
            "audience" => parsed.spec.audiences.push(value("--audience")?),
            "bound-object-kind" => parsed.bound_kind = Some(value("--bound-object-kind")?),
            "bound-object-name" => parsed.bound_name = Some(value("--bound-object-name")?),
            "bound-object-uid" => parsed.bound_uid = Some(value("--bound-object-uid")?),
            "output" => parsed.output = Some(value("--output")?),
            "output-file" => parsed.output_file = Some(value("--output-file")?.into()),
            "v" => crate::log::set_level(verbosity(&value("-v")?, command)?),
            "help" => return Ok(None),
            _ => return Err(unknown_flag(&name, command)),
        }
    }
    validate(&mut parsed, command)?;
    Ok(Some(parsed))
}

/// A boolean flag as Go's pflag takes it: bare is true, `--flag=true|false` (and 1/0, t/f) sets it.
fn bool_flag(parser: &mut lexopt::Parser, flag: &str) -> Result<bool> {
    let Some(value) = parser.optional_value() else { return Ok(true) };
    match value.to_str() {
        Some("true" | "TRUE" | "True" | "t" | "T" | "1") => Ok(true),
        Some("false" | "FALSE" | "False" | "f" | "F" | "0") => Ok(false),
        _ => Err(Error::usage(format!("{flag}: invalid value {:?} (true or false)", value.to_string_lossy()))),
    }
}

/// kubectl's `-v N` (klog's verbosity) as a kubecred log level.
fn verbosity(text: &str, command: &str) -> Result<crate::log::Level> {
    let level: u32 =
        text.parse().map_err(|_| Error::usage(format!("{command}: -v takes a number (0 to 10), got {text:?}")))?;
    Ok(match level {
        0 => crate::log::Level::Error,
        1..=3 => crate::log::Level::Info,
        _ => crate::log::Level::Debug,
    })
}

/// Everything that is wrong with the command line is found before any request.
fn validate(parsed: &mut CreateArgs, command: &str) -> Result<()> {
    if parsed.name.as_deref().is_none_or(str::is_empty) {
        return Err(Error::usage(format!("{command}: a ServiceAccount name is required")));
    }
    parsed.spec.bound_object = match (&parsed.bound_kind, &parsed.bound_name, &parsed.bound_uid) {
        (None, None, None) => None,
        (Some(kind), Some(name), uid) => {
            if !matches!(kind.as_str(), "Pod" | "Secret" | "Node") {
                return Err(Error::usage(format!(
                    "{command}: --bound-object-kind must be one of Pod, Secret, Node, got {kind:?}"
                )));
            }
            Some((kind.clone(), name.clone(), uid.clone()))
        }
        (Some(_), None, _) => {
            return Err(Error::usage(format!("{command}: --bound-object-name is required with --bound-object-kind")));
        }
        (None, _, _) => {
            return Err(Error::usage(format!(
                "{command}: --bound-object-name and --bound-object-uid need --bound-object-kind"
            )));
        }
    };
    let is_kubeconfig = command.ends_with("kubeconfig");
    if is_kubeconfig && parsed.output_file.is_none() {
        return Err(Error::usage(format!("{command}: --output-file is required")));
    }
    if let Some(output) = &parsed.output
        && (is_kubeconfig || !matches!(output.as_str(), "json" | "yaml" | "name"))
    {
        return Err(Error::usage(format!("{command}: --output must be json, yaml or name, got {output:?}")));
    }
    Ok(())
}

fn print_token(args: &CreateArgs, name: &str, issued: &token_request::IssuedToken) -> Result<()> {
    match args.output.as_deref() {
        Some("json") => print_stdout(&format!("{}\n", crate::json::to_string(&issued.object, 4))),
        Some("yaml") => print_stdout(&value_to_yaml(&issued.object)),
        Some(_) => print_stdout(&format!("tokenrequest.authentication.k8s.io/{name}\n")),
        // As kubectl: a newline only for a person at a terminal, so `$(...)` and pipes get the bare token.
        None if std::io::stdout().is_terminal() => print_stdout(&format!("{}\n", issued.token)),
        None => print_stdout(&issued.token),
    }
}

fn write_kubeconfig(args: &CreateArgs, config: &RestConfig, name: &str, token: &str) -> Result<()> {
    let cluster_name = if config.cluster_name.is_empty() { "cluster".to_string() } else { config.cluster_name.clone() };
    let user_name = format!("{}/{name}", config.namespace);
    let context_name = format!("{user_name}@{cluster_name}");
    let kubeconfig = Kubeconfig {
        current_context: Some(context_name.clone()),
        clusters: vec![Named {
            name: cluster_name.clone(),
            item: Cluster {
                server: Some(config.server.clone()),
                certificate_authority_data: config
                    .ca_pem
                    .as_ref()
                    .map(|pem| base64::engine::general_purpose::STANDARD.encode(pem)),
                insecure_skip_tls_verify: config.insecure_skip_tls_verify,
                tls_server_name: config.tls_server_name.clone(),
                proxy_url: config.proxy_url.clone(),
                ..Cluster::default()
            },
        }],
        users: vec![Named {
            name: user_name.clone(),
            item: User { token: Some(token.to_string()), ..User::default() },
        }],
        contexts: vec![Named {
            name: context_name,
            item: Context {
                cluster: Some(cluster_name),
                user: Some(user_name),
                namespace: Some(config.namespace.clone()),
            },
        }],
    };
    let path = args.output_file.as_deref().unwrap_or(std::path::Path::new("kubeconfig"));
    crate::secret_files::write_private(path, to_yaml(&kubeconfig).as_bytes())
}
