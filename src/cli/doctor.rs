//! `kubecred doctor`: which identity each chain picks and why, and what the
//! kubeconfig's users run — without a secret, and without the network unless
//! `--check`.
//!
//! The chains are explained by running them: each records the sources it
//! passes over and why ([`crate::trail`]), in the order of its `SOURCES`
//! list, so doctor never keeps a second copy of a chain's rules. Without
//! `--check` the HTTP client refuses every request ([`http::set_offline`]): a
//! source whose credentials are cached is shown as used, one that would need
//! a call as such.

use crate::aws::chain as aws_chain;
use crate::aws::profile::{self, AwsConfig};
use crate::cli::common::{print_stdout, string_value, unexpected, unknown_flag};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::http;
use crate::time::Timestamp;
use crate::trail::{self, Record};
use std::ffi::OsString;
use std::path::PathBuf;

const COMMAND: &str = "kubecred doctor";

const USAGE: &str = "\
Usage: kubecred doctor [--profile P] [--region R] [--region-id ID] [--kubeconfig F] [--check] [--debug]

Explains, without printing any secret, which source the AWS and the Alibaba Cloud
credential chains use (each source in order: skipped and why, used, failing or not
reached) and what the kubeconfig's users are (for exec users: whether the command is
found, its apiVersion and interactiveMode). Makes no network call unless --check.

Flags:
  --profile P        AWS profile (else AWS_PROFILE, AWS_DEFAULT_PROFILE, default)
  --region R         AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's)
  --region-id ID     Alibaba Cloud region for STS (default cn-hangzhou)
  --kubeconfig F     else KUBECONFIG, else ~/.kube/config
  --check            also fetch credentials and call STS GetCallerIdentity (AWS and
                     Alibaba Cloud) and the current context's apiserver /version
  --debug            also log each step on stderr (no secrets)
";

/// The command line.
#[derive(Debug, Default)]
pub struct DoctorArgs {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub region_id: Option<String>,
    pub kubeconfig: Option<PathBuf>,
    pub check: bool,
}

pub fn run(args: Vec<OsString>) -> Result<()> {
    let mut parsed = DoctorArgs::default();
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next()? {
        let name = match arg {
            lexopt::Arg::Long(name) => name.to_string(),
            lexopt::Arg::Short('h') => return print_stdout(USAGE),
            other => return Err(unexpected(other, COMMAND)),
        };
        match name.as_str() {
            "profile" => parsed.profile = Some(string_value(&mut parser, "--profile")?),
            "region" => parsed.region = Some(string_value(&mut parser, "--region")?),
            "region-id" => parsed.region_id = Some(string_value(&mut parser, "--region-id")?),
            "kubeconfig" => parsed.kubeconfig = Some(string_value(&mut parser, "--kubeconfig")?.into()),
            "check" => parsed.check = true,
            "debug" => crate::log::set_level(crate::log::Level::Debug),
            "help" => return print_stdout(USAGE),
            _ => return Err(unknown_flag(&name, COMMAND)),
        }
    }
    http::set_offline(!parsed.check);
    let env = Env::from_process();
    let mut report = String::new();
    aws_section(&parsed, &env, &mut report);
    alibaba_section(&parsed, &env, &mut report);
    super::doctor_kube::section(&parsed, &env, &mut report);
    print_stdout(&report)
}

/// What one chain's walk came to, explained source by source.
///
/// ```
/// use kubecred::cli::doctor::explain;
/// use kubecred::trail::{Record, Skip};
/// let skips = vec![Skip { chain: "AWS", source: "a", why: "unset".into() }];
/// let record = Record { skips, walking: vec!["AWS"], ..Record::default() };
/// let lines = explain(&["a", "b", "c"], "AWS", &record, &Ok("access key id AKIA1".into()));
/// assert_eq!(lines, ["  a: skipped (unset)", "  b: used: access key id AKIA1", "  c: not reached"]);
/// ```
pub fn explain(sources: &[&str], chain: &str, record: &Record, outcome: &Result<String>) -> Vec<String> {
    let mut lines = Vec::new();
    // An error from the chain's set-up (a named profile missing, a config file
    // that does not parse) belongs to no source.
    if let Err(e) = outcome
        && !record.walking.contains(&chain)
    {
        lines.extend(sources.iter().map(|source| format!("  {source}: not reached")));
        lines.push(format!("  => failing before any source: {e}"));
        return lines;
    }
    let mut decided = false;
    for source in sources {
        let skip = record.skips.iter().find(|s| s.chain == chain && s.source == *source);
        let line = match (decided, skip, outcome) {
            (true, _, _) => format!("  {source}: not reached"),
            (false, Some(skip), _) => format!("  {source}: skipped ({})", skip.why),
            (false, None, Ok(found)) => {
                decided = true;
                format!("  {source}: used: {found}")
            }
            (false, None, Err(e)) if e.message().contains(http::OFFLINE_REASON) => {
                decided = true;
                format!("  {source}: applies, but needs a network call (nothing cached; --check makes it): {e}")
            }
            (false, None, Err(e)) => {
                decided = true;
                format!("  {source}: failing: {e}")
            }
        };
        lines.push(line);
    }
    if !decided {
        lines.push(match outcome {
            Err(e) => format!("  => no credentials: {e}"),
            Ok(found) => format!("  => used: {found}"),
        });
    }
    lines
}

/// `, expires T` or `, no expiry`; then whether the cache served it.
fn lifetime(expiration: Option<Timestamp>, record: &Record) -> String {
    let expiry = match expiration {
        Some(at) => format!("expires {}", at.to_rfc3339()),
        None => "no expiry (long-term keys)".to_string(),
    };
    let cache = match record.cache_hits.first() {
        Some(namespace) => format!("from kubecred's cache ({namespace})"),
        None if expiration.is_some() => "not from the cache".to_string(),
        None => "not cached".to_string(),
    };
    format!("{expiry}, {cache}")
}

fn aws_section(args: &DoctorArgs, env: &Env, out: &mut String) {
    let selection = profile::select(args.profile.as_deref(), env);
    let mut request = aws_chain::ChainRequest { profile: args.profile.clone(), region: None };
    let region = crate::aws::region::resolve(args.region.as_deref(), env, &request);
    let region_text = match &region {
        Ok(region) => region.clone(),
        Err(e) => format!("none ({e})"),
    };
    out.push_str(&format!("AWS chain (profile {}, region {region_text}):\n", selection.name));
    request.region = region.ok();
    let (result, record) = trail::record(|| aws_chain::resolve(&request, env));
    let summary = result.as_ref().map(|c| {
        let role = role_arn(c.source, &selection.name, env).map(|arn| format!(", role {arn}")).unwrap_or_default();
        format!("access key id {}, from {}{role}, {}", c.access_key_id, c.source, lifetime(c.expiration, &record))
    });
    let summary = summary.map_err(Clone::clone);
    for line in explain(aws_chain::SOURCES, "AWS", &record, &summary) {
        out.push_str(&line);
        out.push('\n');
    }
    if args.check
        && let Ok(credentials) = &result
    {
        let region = request.region.as_deref().unwrap_or("us-east-1");
        let line = match super::doctor_check::aws_caller_identity(credentials, region) {
            Ok(identity) => format!("  check: STS GetCallerIdentity: {identity}\n"),
            Err(e) => format!("  check: STS GetCallerIdentity failed: {e}\n"),
        };
        out.push_str(&line);
    }
}

/// The role an assume-role or web identity source assumed, from the same
/// settings the provider read (a role ARN is not a secret).
fn role_arn(source: &str, profile: &str, env: &Env) -> Option<String> {
    let from_profile = || AwsConfig::load(env).ok()?.profile(profile)?.get("role_arn").map(str::to_string);
    match source {
        "assume-role" => from_profile(),
        "web-identity" => env.get("AWS_ROLE_ARN").map(str::to_string).or_else(from_profile),
        _ => None,
    }
}

fn alibaba_section(args: &DoctorArgs, env: &Env, out: &mut String) {
    let region_id = args.region_id.clone().unwrap_or_else(|| "cn-hangzhou".into());
    out.push_str(&format!("Alibaba Cloud chain (region {region_id}):\n"));
    let request = crate::alibaba::chain::ChainRequest { region_id, ..Default::default() };
    let (result, record) = trail::record(|| crate::alibaba::chain::resolve(&request, env));
    let summary: Result<String, Error> = result
        .as_ref()
        .map_err(Clone::clone)
        .map(|c| format!("AccessKey id {}, from {}, {}", c.access_key_id, c.source, lifetime(c.expiration, &record)));
    for line in explain(crate::alibaba::chain::SOURCES, "Alibaba Cloud", &record, &summary) {
        out.push_str(&line);
        out.push('\n');
    }
    if args.check
        && let Ok(credentials) = &result
    {
        let line = match super::doctor_check::alibaba_caller_identity(credentials, env, &request.region_id) {
            Ok(identity) => format!("  check: STS GetCallerIdentity: {identity}\n"),
            Err(e) => format!("  check: STS GetCallerIdentity failed: {e}\n"),
        };
        out.push_str(&line);
    }
}
