//! The machinery of tests/awscli_parity.rs: generating the cases, laying
//! them out in a HOME, building the sealed command line both tools get, running
//! the AWS CLI through tests/awscli_runner.py, and decoding tokens.

use crate::common::*;
use base64::Engine;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

/// What one tool's run amounted to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Token { access_key: String, region: String, session_token: Option<String>, host: String },
    Failed(String),
}

pub fn aws_available() -> bool {
    std::process::Command::new("aws").arg("--version").output().is_ok_and(|o| o.status.success())
}

pub fn generate(seed: &str, count: usize) -> Vec<Value> {
    let out = std::process::Command::new("python3")
        .arg(repo_root().join("tests/awscli_parity_cases.py"))
        .args([seed, &count.to_string()])
        .output()
        .expect("run the case generator");
    assert!(out.status.success(), "generator: {}", stderr(&out));
    serde_json::from_slice::<Value>(&out.stdout).expect("generator JSON").as_array().expect("a list").clone()
}

/// Writes the case's files under `home` (`@HOME@` replaced).
pub fn lay_out(case: &Value, home: &Path) {
    let fill = |text: &str| text.replace("@HOME@", home.to_str().expect("UTF-8 temp path"));
    let write = |name: &str, text: &Value| {
        let path = home.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, fill(text.as_str().expect("text"))).expect("write");
        path
    };
    for (path, text) in case["files"].as_object().expect("files") {
        write(path, text);
    }
    for (path, text) in case["scripts"].as_object().expect("scripts") {
        use std::os::unix::fs::PermissionsExt;
        let path = write(path, text);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

/// The sealed command line for `case` in `home`, for either tool.
pub fn command(program: &Path, case: &Value, home: &Path, fake: &str) -> Command {
    lay_out(case, home);
    let fill = |text: &str| text.replace("@HOME@", home.to_str().expect("UTF-8 temp path"));
    let mut cmd = command_for(program, home);
    for name in case["unset"].as_array().expect("unset") {
        cmd.env_remove(name.as_str().expect("name"));
    }
    for (name, value) in case["env"].as_object().expect("env") {
        cmd.env(name, fill(value.as_str().expect("value")));
    }
    cmd.env("AWS_ENDPOINT_URL_SSO", fake).env("AWS_ENDPOINT_URL_SSO_OIDC", fake);
    if case["calls_sts"].as_bool() == Some(true) {
        cmd.env("AWS_ENDPOINT_URL_STS", fake);
    }
    cmd.args(["eks", "get-token", "--cluster-name", "parity"]);
    for arg in case["args"].as_array().expect("args") {
        cmd.arg(arg.as_str().expect("arg"));
    }
    cmd
}

/// The AWS CLI, imported once and forked per run (tests/awscli_runner.py):
/// its ~0.5 s start-up would otherwise dominate the test. botocore computes
/// some paths from HOME at import time (the SSO token cache...), so every run
/// of one runner uses the runner's HOME, emptied before each case.
pub struct AwsCli {
    child: Child,
    replies: BufReader<ChildStdout>,
    home: std::path::PathBuf,
}

impl AwsCli {
    pub fn start(home: &Path) -> AwsCli {
        std::fs::create_dir_all(home).expect("runner home");
        let mut child = command_for(Path::new("python3"), home)
            .arg(repo_root().join("tests/awscli_runner.py"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the AWS CLI runner");
        let replies = BufReader::new(child.stdout.take().expect("runner stdout"));
        AwsCli { child, replies, home: home.to_path_buf() }
    }

    /// The runner's HOME, emptied for the next case.
    pub fn fresh_home(&self) -> &Path {
        std::fs::remove_dir_all(&self.home).expect("empty the runner home");
        std::fs::create_dir_all(&self.home).expect("runner home");
        &self.home
    }

    /// Runs `cmd` (made by `command_for`, so its environment is the whole
    /// sealed environment) in the AWS CLI; returns the exit status, stdout, stderr.
    pub fn run(&mut self, cmd: &Command) -> (i32, String, String) {
        let home = &self.home;
        let env: serde_json::Map<String, Value> =
            cmd.get_envs().filter_map(|(k, v)| Some((k.to_str()?.to_string(), Value::from(v?.to_str()?)))).collect();
        let args: Vec<&str> = cmd.get_args().map(|a| a.to_str().expect("UTF-8 arg")).collect();
        let (out, err) = (home.with_extension("stdout"), home.with_extension("stderr"));
        let request = serde_json::json!({"env": env, "args": args, "out": out, "err": err});
        let stdin = self.child.stdin.as_mut().expect("runner stdin");
        writeln!(stdin, "{request}").expect("write to the runner");
        let mut line = String::new();
        self.replies.read_line(&mut line).expect("read the runner");
        let reply: Value = serde_json::from_str(&line).expect("runner reply");
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        (reply["status"].as_i64().expect("status") as i32, read(&out), read(&err))
    }
}

impl Drop for AwsCli {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn outcome(status: i32, stdout: &str, stderr: &str) -> Outcome {
    if status != 0 { Outcome::Failed(stderr.trim().to_string()) } else { decode(stdout) }
}

pub fn decode(stdout: &str) -> Outcome {
    let Ok(doc) = serde_json::from_str::<Value>(stdout) else {
        return Outcome::Failed(format!("stdout is not JSON: {stdout:.80}"));
    };
    let Some(token) = doc["status"]["token"].as_str().and_then(|t| t.strip_prefix("k8s-aws-v1.")) else {
        return Outcome::Failed("no k8s-aws-v1 token".into());
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).expect("base64url token");
    let url = String::from_utf8(bytes).expect("UTF-8 URL");
    let (base, query) = url.split_once('?').expect("a query");
    let params = kubecred::encoding::parse_query(query);
    let param = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let credential = param("X-Amz-Credential").expect("X-Amz-Credential");
    let parts: Vec<&str> = credential.split('/').collect();
    let host = base.split("://").nth(1).unwrap_or(base).trim_end_matches('/').to_string();
    Outcome::Token {
        access_key: parts[0].to_string(),
        region: parts[2].to_string(),
        session_token: param("X-Amz-Security-Token"),
        host,
    }
}
