//! `kubecred eks update-kubeconfig`: `aws eks update-kubeconfig`, with an exec
//! user that runs kubecred. Every other entry of the file, and every field
//! kubecred does not model, is kept.

use crate::aws::chain::{self, ChainRequest};
use crate::aws::{eks_api, region};
use crate::cli::common::{CacheFlags, NetworkFlags, print_stdout, string_value, unexpected, unknown_flag};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::kubeconfig_writer::value_to_yaml;
use serde_json::{Map, Value, json};
use std::ffi::OsString;
use std::path::PathBuf;

const COMMAND: &str = "kubecred eks update-kubeconfig";

const USAGE: &str = "\
Usage: kubecred eks update-kubeconfig --name NAME [flags]

Adds (or updates) the cluster, a user that runs `kubecred eks get-token`, and a
context in the kubeconfig, and makes it the current context.

Flags:
  --name NAME            the EKS cluster (required)
  --region REGION        else AWS_REGION, AWS_DEFAULT_REGION, the profile's region
  --role-arn ARN         the user assumes this role for its tokens
  --profile NAME         AWS profile for DescribeCluster (and written into the user's env)
  --kubeconfig PATH      else the first KUBECONFIG entry, else ~/.kube/config
  --alias NAME           context name (default: the cluster ARN)
  --user-alias NAME      user name (default: the cluster ARN)
  --exec-command CMD     command the user runs (default: this kubecred's absolute path)
  --endpoint-url URL     where DescribeCluster goes (else AWS_ENDPOINT_URL_EKS, AWS_ENDPOINT_URL)
  --dry-run              print the merged kubeconfig instead of writing it
  --verbose              also print the merged kubeconfig after writing it
  --no-cache, --cache-dir DIR, --ca-bundle, --cli-connect-timeout, --cli-read-timeout
";

#[derive(Default)]
struct Args {
    name: Option<String>,
    region: Option<String>,
    role_arn: Option<String>,
    profile: Option<String>,
    kubeconfig: Option<PathBuf>,
    alias: Option<String>,
    user_alias: Option<String>,
    exec_command: Option<String>,
    endpoint_url: Option<String>,
    dry_run: bool,
    verbose: bool,
    network: NetworkFlags,
    cache: CacheFlags,
}

pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut parsed = Args::default();
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next()? {
        let name = match arg {
            lexopt::Arg::Long(name) => name.to_string(),
            lexopt::Arg::Short('h') => return print_stdout(USAGE),
            other => return Err(unexpected(other, COMMAND)),
        };
        let mut value = |flag: &str| string_value(&mut parser, flag);
        match name.as_str() {
            "name" => parsed.name = Some(value("--name")?),
            "region" => parsed.region = Some(value("--region")?),
            "role-arn" => parsed.role_arn = Some(value("--role-arn")?),
            "profile" => parsed.profile = Some(value("--profile")?),
            "kubeconfig" => parsed.kubeconfig = Some(value("--kubeconfig")?.into()),
            "alias" => parsed.alias = Some(value("--alias")?),
            "user-alias" => parsed.user_alias = Some(value("--user-alias")?),
            "exec-command" => parsed.exec_command = Some(value("--exec-command")?),
            "endpoint-url" => parsed.endpoint_url = Some(value("--endpoint-url")?),
            "dry-run" => parsed.dry_run = true,
            "verbose" => parsed.verbose = true,
            "help" => return print_stdout(USAGE),
            _ if parsed.network.parse(&name, &mut parser)? => {}
            _ if parsed.cache.parse(&name, &mut parser)? => {}
            _ => return Err(unknown_flag(&name, COMMAND)),
        }
    }
    update(&parsed, &Env::from_process())
}

fn update(args: &Args, env: &Env) -> Result<()> {
    let name = args
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::usage(format!("{COMMAND}: --name is required")))?;
    args.network.apply();
    args.cache.apply();
    let path = match (&args.kubeconfig, env.get("KUBECONFIG")) {
        (Some(path), _) => path.clone(),
        (None, Some(list)) => PathBuf::from(list.split(':').find(|p| !p.is_empty()).unwrap_or_default()),
        (None, None) => {
            env.home().ok_or_else(|| Error::new("HOME is not set; pass --kubeconfig"))?.join(".kube/config")
        }
    };
    let shown = path.display().to_string();
    let mut config = match crate::files::read_bounded(&path, crate::kube::kubeconfig::MAX_KUBECONFIG_BYTES as u64) {
        Ok(bytes) => {
            let text =
                String::from_utf8(bytes).map_err(|_| Error::new(format!("kubeconfig {shown}: not UTF-8 text")))?;
            crate::kube::yaml_value::parse(&text, &format!("kubeconfig {shown}"))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Value::Object(Map::new()),
        Err(e) => return Err(Error::new(format!("kubeconfig {shown}: {e}"))),
    };
    let request = ChainRequest { profile: args.profile.clone(), region: None };
    // The AWS files are read once for the region and the chain.
    let (region, credentials) = crate::aws::profile::session(|| {
        let region = region::resolve(args.region.as_deref(), env, &request)?;
        let credentials = chain::resolve(&ChainRequest { region: Some(region.clone()), ..request }, env)?;
        Ok::<_, Error>((region, credentials))
    })?;
    let cluster = eks_api::describe_cluster(&credentials, &region, name, args.endpoint_url.as_deref())?;
    let user_name = args.user_alias.clone().unwrap_or_else(|| cluster.arn.clone());
    let context_name = args.alias.clone().unwrap_or_else(|| cluster.arn.clone());
    let mut exec_args: Vec<String> =
        ["eks", "get-token", "--cluster-name", name, "--region", region.as_str()].map(String::from).to_vec();
    if let Some(role) = &args.role_arn {
        exec_args.extend(["--role-arn".to_string(), role.clone()]);
    }
    let env_list = match &args.profile {
        Some(profile) => json!([{"name": "AWS_PROFILE", "value": profile}]),
        None => Value::Null,
    };
    let command = match &args.exec_command {
        Some(command) => command.clone(),
        None => std::env::current_exe()
            .map_err(|e| Error::new(format!("finding kubecred's own path: {e}")))?
            .to_string_lossy()
            .into_owned(),
    };
    let root = config.as_object_mut().ok_or_else(|| Error::new(format!("kubeconfig {shown}: not a mapping")))?;
    for (key, default) in [("apiVersion", json!("v1")), ("clusters", json!([])), ("contexts", json!([]))] {
        root.entry(key).or_insert(default);
    }
    upsert(
        root,
        "clusters",
        &cluster.arn,
        "cluster",
        json!({"certificate-authority-data": cluster.certificate_authority_data, "server": cluster.endpoint}),
        &shown,
    )?;
    let existed =
        upsert(root, "contexts", &context_name, "context", json!({"cluster": cluster.arn, "user": user_name}), &shown)?;
    root.insert("current-context".into(), json!(context_name));
    root.entry("kind").or_insert(json!("Config"));
    root.entry("preferences").or_insert(json!({}));
    root.entry("users").or_insert(json!([]));
    let user = json!({"exec": {
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "args": exec_args,
        "command": command,
        "env": env_list,
        "interactiveMode": "IfAvailable",
        "provideClusterInfo": false,
    }});
    upsert(root, "users", &user_name, "user", user, &shown)?;
    let text = value_to_yaml(&config);
    if args.dry_run {
        return print_stdout(&text);
    }
    crate::secret_files::write_private(&crate::secret_files::rewrite_target(&path), text.as_bytes())?;
    let verb = if existed {
        format!("Updated context {context_name} in {shown}")
    } else {
        format!("Added new context {context_name} to {shown}")
    };
    print_stdout(&format!("{verb}\n{}", if args.verbose { text } else { String::new() }))
}

/// Replaces or appends `{name: NAME, KIND: item}` in list `key`; says whether it existed.
fn upsert(root: &mut Map<String, Value>, key: &str, name: &str, kind: &str, item: Value, shown: &str) -> Result<bool> {
    let list = root.entry(key).or_insert(json!([]));
    if list.is_null() {
        *list = json!([]);
    }
    let list = list.as_array_mut().ok_or_else(|| Error::new(format!("kubeconfig {shown}: {key} is not a list")))?;
    let entry = json!({kind: item, "name": name});
    match list.iter_mut().find(|e| e.get("name").and_then(Value::as_str) == Some(name)) {
        Some(existing) => {
            *existing = entry;
            Ok(true)
        }
        None => {
            list.push(entry);
            Ok(false)
        }
    }
}
