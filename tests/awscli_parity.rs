//! Differential test against the AWS CLI on this machine: for generated
//! `~/.aws` configurations (tests/awscli_parity_cases.py, fixed seed), run
//! `aws eks get-token` and `kubecred eks get-token` with the same sealed
//! environment against the same fake STS/SSO (tests/fakes/fake_aws.py
//! --deterministic, which hands out keys derived from each request), decode both
//! tokens and compare what signed them: access key, credential-scope region,
//! session token, STS host, and whether each succeeded.
//!
//! A difference must be one of [`EXCEPTIONS`] (each also in docs/eks.md, with its
//! reason); any other fails the test. `AWSCLI_PARITY_CASE=n` runs one case and
//! prints both sides in full; `AWSCLI_PARITY_KUBECRED=PATH` compares another
//! kubecred binary (an older build, to measure what a change fixed).

mod awscli_parity_support;
mod common;

use awscli_parity_support::*;
use common::*;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

const SEED: &str = "kubecred-14";
const COUNT: usize = 240;
/// Parallel cases; each runs the AWS CLI (~0.5 s of Python) then kubecred.
const WORKERS: usize = 3;

/// Which part of the outcome an exception lets differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Success,
    AccessKey,
    Region,
    SessionToken,
    Host,
}

/// A deliberate difference: when it applies to a case, and what it lets differ.
struct Exception {
    name: &'static str,
    /// Given the case, the AWS CLI's outcome and kubecred's.
    applies: fn(&Value, &Outcome, &Outcome) -> bool,
    fields: &'static [Field],
}

/// Kept on purpose; docs/eks.md ("Differences from the AWS CLI") gives the reasons.
const EXCEPTIONS: &[Exception] = &[
    // kubecred reads AWS_REGION, as AWS CLI v2 and the SDKs do; AWS CLI v1 does not.
    Exception {
        name: "AWS_REGION is read",
        applies: |case, _, _| {
            env_set(case, "AWS_REGION") && !env_set(case, "AWS_DEFAULT_REGION") && !has_arg(case, "--region")
        },
        fields: &[Field::Success, Field::Region, Field::Host],
    },
    // A profile's `output` never changes the ExecCredential kubectl parses.
    Exception {
        name: "a profile's output is ignored",
        applies: |case, _, _| files_contain(case, "output = json #"),
        fields: &[Field::Success],
    },
    // Empty AWS_PROFILE / AWS_DEFAULT_REGION mean unset, as in the SDKs.
    Exception {
        name: "empty AWS_PROFILE is unset",
        applies: |case, _, _| case["env"].get("AWS_PROFILE").and_then(Value::as_str) == Some(""),
        fields: &[Field::Success, Field::AccessKey, Field::Region, Field::SessionToken, Field::Host],
    },
    // AWS_ENDPOINT_URL_STS moves kubecred's own STS calls only; the token keeps
    // the public STS host the cluster checks (the AWS CLI puts the override in it).
    Exception {
        name: "endpoint override stays out of the token",
        applies: |case, _, _| case["calls_sts"].as_bool() == Some(true),
        fields: &[Field::Host],
    },
    // The same, where legacy STS endpoints are asked for: without the override
    // both sign for the global host in us-east-1; with it the AWS CLI signs for
    // the override in the client's region, kubecred still for the global host.
    Exception {
        name: "endpoint override stays out of the token (legacy STS endpoints)",
        applies: |case, _, _| {
            case["calls_sts"].as_bool() == Some(true)
                && (case["env"].get("AWS_STS_REGIONAL_ENDPOINTS").is_some()
                    || files_contain(case, "sts_regional_endpoints"))
        },
        fields: &[Field::Host, Field::Region],
    },
    // With AWS_ENDPOINT_URL_STS set and no region anywhere the AWS CLI cannot
    // sign (NoRegionError); without the override it uses the global endpoint,
    // as kubecred does with or without it.
    Exception {
        name: "endpoint override without a region",
        applies: |case, aws, ours| {
            case["calls_sts"].as_bool() == Some(true)
                && matches!(aws, Outcome::Failed(why) if why.starts_with("You must specify a region"))
                && matches!(ours, Outcome::Token { host, .. } if host == "sts.amazonaws.com")
        },
        fields: &[Field::Success],
    },
    // Environment credentials with a region given need nothing from the files,
    // so kubecred does not parse them (it is faster); the AWS CLI parses both
    // at start-up and stops at one configparser refuses.
    Exception {
        name: "unneeded files are not parsed",
        applies: |_, aws, ours| {
            matches!(aws, Outcome::Failed(why) if why.contains("ConfigParseError"))
                && matches!(ours, Outcome::Token { access_key, .. } if access_key.starts_with("AKIDENV"))
        },
        fields: &[Field::Success],
    },
    // FIPS or dual-stack outside the aws and aws-us-gov partitions: botocore
    // spells a host nobody answers (sts-fips.cn-north-1.amazonaws.com.cn...);
    // kubecred says there is none.
    Exception {
        name: "no FIPS/dual-stack STS host in this partition",
        applies: |_, _, ours| matches!(ours, Outcome::Failed(why) if why.contains("has no") && why.contains("STS endpoint (FIPS and dual-stack")),
        fields: &[Field::Success],
    },
    // `~/` in a profile's web_identity_token_file is the home directory for
    // kubecred (as in every other path setting); botocore opens a file named `~`.
    Exception {
        name: "~ expanded in web_identity_token_file",
        applies: |case, _, _| files_contain(case, "web_identity_token_file") && files_contain(case, "~/tokens/web"),
        fields: &[Field::Success],
    },
];

fn env_set(case: &Value, name: &str) -> bool {
    case["env"].get(name).and_then(Value::as_str).is_some_and(|v| !v.is_empty())
}

fn has_arg(case: &Value, flag: &str) -> bool {
    case["args"].as_array().is_some_and(|args| args.iter().any(|a| a == flag))
}

/// Whether some file of the case contains `needle` (ignoring ASCII case, as INI keys do).
fn files_contain(case: &Value, needle: &str) -> bool {
    let needle = needle.to_ascii_lowercase();
    case["files"]
        .as_object()
        .is_some_and(|files| files.values().any(|t| t.as_str().unwrap_or("").to_ascii_lowercase().contains(&needle)))
}

/// The fields in which two outcomes differ.
fn differences(aws: &Outcome, ours: &Outcome) -> Vec<Field> {
    match (aws, ours) {
        (Outcome::Failed(_), Outcome::Failed(_)) => vec![],
        (Outcome::Token { .. }, Outcome::Failed(_)) | (Outcome::Failed(_), Outcome::Token { .. }) => {
            vec![Field::Success]
        }
        (
            Outcome::Token { access_key: a1, region: r1, session_token: t1, host: h1 },
            Outcome::Token { access_key: a2, region: r2, session_token: t2, host: h2 },
        ) => [
            (a1 != a2, Field::AccessKey),
            (r1 != r2, Field::Region),
            (t1 != t2, Field::SessionToken),
            (h1 != h2, Field::Host),
        ]
        .into_iter()
        .filter_map(|(differs, field)| differs.then_some(field))
        .collect(),
    }
}

/// The exception that covers every differing field, if one does.
fn excused(case: &Value, aws: &Outcome, ours: &Outcome, fields: &[Field]) -> Option<&'static str> {
    EXCEPTIONS
        .iter()
        .find(|e| (e.applies)(case, aws, ours) && fields.iter().all(|f| e.fields.contains(f)))
        .map(|e| e.name)
}

struct Report {
    agree: usize,
    excused: Vec<(u64, &'static str)>,
    unlisted: Vec<String>,
}

#[test]
fn eks_get_token_signs_with_what_the_aws_cli_signs_with() {
    if !aws_available() {
        eprintln!("skipped: the aws CLI is not installed");
        return;
    }
    let fake = Fake::start(
        "fake_aws.py",
        &[
            "--deterministic",
            "--web-token",
            "web-identity-token",
            "--sso-token",
            "sso-bearer-token-parity",
            "--sso-refresh-token",
            "sso-refresh-token-parity",
        ],
    );
    let url = fake.url("http");
    let mut cases = generate(SEED, COUNT);
    let only = std::env::var("AWSCLI_PARITY_CASE").ok().and_then(|n| n.parse::<u64>().ok());
    if let Some(n) = only {
        cases.retain(|c| c["id"].as_u64() == Some(n));
    }
    let ours_program =
        std::env::var_os("AWSCLI_PARITY_KUBECRED").map(std::path::PathBuf::from).unwrap_or_else(kubecred_path);
    let root = TempDir::new("awscli-parity");
    let queue = Mutex::new(cases.iter());
    let report = Mutex::new(Report { agree: 0, excused: Vec::new(), unlisted: Vec::new() });
    std::thread::scope(|scope| {
        for worker in 0..WORKERS {
            let (root, queue, report, url, ours_program) = (&root, &queue, &report, &url, &ours_program);
            scope.spawn(move || {
                let mut aws_cli = AwsCli::start(&root.join(&format!("aws-{worker}")));
                while let Some(case) = { queue.lock().expect("queue").next() } {
                    let id = case["id"].as_u64().expect("id");
                    let our_home = root.join(&format!("{id}/kubecred"));
                    let cmd = command(Path::new("aws"), case, aws_cli.fresh_home(), url);
                    let (status, out, aws_err) = aws_cli.run(&cmd);
                    let aws = outcome(status, &out, &aws_err);
                    let ran = run(&mut command(ours_program, case, &our_home, url));
                    let our_err = stderr(&ran);
                    let ours = outcome(ran.status.code().unwrap_or(-1), &stdout(&ran), &our_err);
                    if only.is_some() {
                        eprintln!("case {case:#}\naws: {aws:?}\n{aws_err}\nkubecred: {ours:?}\n{our_err}");
                    }
                    let leaked = ["secret-for-", "sso-bearer-token", "sso-refresh-token", "client-secret"]
                        .iter()
                        .any(|secret| our_err.contains(secret));
                    let mut problems = Vec::new();
                    if leaked {
                        problems.push("kubecred's stderr shows a secret".to_string());
                    }
                    if matches!(ours, Outcome::Failed(_)) && our_err.trim().lines().count() != 1 {
                        problems.push(format!("kubecred's error is not one line: {our_err:?}"));
                    }
                    let fields = differences(&aws, &ours);
                    let mut report = report.lock().expect("report");
                    if fields.is_empty() && problems.is_empty() {
                        report.agree += 1;
                    } else if let (Some(name), true) = (excused(case, &aws, &ours, &fields), problems.is_empty()) {
                        report.excused.push((id, name));
                    } else {
                        report.unlisted.push(format!(
                            "case {id} ({}): {fields:?} {problems:?}\n    aws:      {aws:?}\n    kubecred: {ours:?}",
                            case["what"].as_str().unwrap_or("")
                        ));
                    }
                }
            });
        }
    });
    let report = report.into_inner().expect("report");
    let total = cases.len();
    let mut by_exception: Vec<(&str, usize)> = Vec::new();
    for (_, name) in &report.excused {
        match by_exception.iter_mut().find(|(n, _)| n == name) {
            Some((_, count)) => *count += 1,
            None => by_exception.push((name, 1)),
        }
    }
    // Written past the test harness's capture, so `cargo test` shows it.
    let _ = writeln!(
        std::io::stderr(),
        "awscli parity (seed {SEED}): {} of {total} cases agree, {} differ as listed {by_exception:?}, {} differ unlisted",
        report.agree,
        report.excused.len(),
        report.unlisted.len()
    );
    assert!(total >= 200 || only.is_some(), "only {total} cases generated");
    assert!(
        report.unlisted.is_empty(),
        "differences from the AWS CLI not in the exception list:\n{}",
        report.unlisted.join("\n")
    );
}
