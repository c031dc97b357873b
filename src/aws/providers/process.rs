//! `credential_process`: run a program, read Version 1 JSON from its stdout.
//!
//! As botocore does, the command line is split like a POSIX shell would split
//! it (quotes, backslashes) but no shell runs it: no variables, globs or pipes.
//! The program inherits stdin and our environment; its stdout is parsed, never
//! shown; a failure shows its exit status and the first line of its stderr.

use crate::aws::credentials::Credentials;
use crate::aws::ini::split_words;
use crate::aws::profile::AwsConfig;
use crate::aws::providers::{credentials_from_json, ensure_unexpired};
use crate::child;
use crate::error::{Error, Result};
use std::process::{Command, Stdio};

/// How much of the program's first stderr line an error message shows.
const STDERR_SHOWN_CHARS: usize = 200;

/// Runs the profile's `credential_process`, if it has one.
pub fn load(config: &AwsConfig, profile: &str) -> Result<Option<Credentials>> {
    let Some(command_line) = config.profile(profile).and_then(|p| p.get("credential_process")) else {
        return Ok(None);
    };
    let what = format!("credential_process of {}", config.describe(profile, "credential_process"));
    let words = split_words(command_line).ok_or_else(|| Error::new(format!("{what}: unbalanced quotes")))?;
    let Some((program, args)) = words.split_first() else {
        return Err(Error::new(format!("{what}: the command is empty")));
    };
    crate::debug!("running {what}: {program}");
    let mut command = Command::new(program);
    command.args(args).stdin(Stdio::inherit());
    let name = format!("{what}: {program}");
    let output = child::run(&mut command, child::Stderr::Capture, &name)?;
    if !output.status.success() {
        let first_line = redact_printed_secrets(output.stderr_first_line(STDERR_SHOWN_CHARS), &output.stdout);
        return Err(Error::new(output.describe_failure(&name, &first_line)));
    }
    let document = crate::json::parse(&output.stdout, &format!("{what}: its output"))?;
    match document.get("Version").and_then(serde_json::Value::as_i64) {
        Some(1) => {}
        _ => return Err(Error::new(format!("{what}: its output must have \"Version\": 1"))),
    }
    let credentials = credentials_from_json(&document, "SessionToken", false, &what, "process")?;
    ensure_unexpired(credentials, &what).map(Some)
}

/// A failing program may still have printed credentials on stdout, and echo
/// them on stderr: every secret-looking string from its stdout is blanked out
/// of the stderr line kubecred repeats.
fn redact_printed_secrets(line: String, stdout: &[u8]) -> String {
    let Ok(serde_json::Value::Object(document)) = serde_json::from_slice::<serde_json::Value>(stdout) else {
        return line;
    };
    document
        .iter()
        .filter(|(key, _)| *key != "Version" && *key != "AccessKeyId" && *key != "Expiration")
        .filter_map(|(_, value)| value.as_str())
        .filter(|value| value.len() >= 4)
        .fold(line, |line, secret| line.replace(secret, "REDACTED"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_printed_on_stdout_are_blanked_from_stderr() {
        let stdout =
            br#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "s3cr3t-value", "SessionToken": "tok-value"}"#;
        let line = redact_printed_secrets("failed with s3cr3t-value and tok-value for AKID".into(), stdout);
        assert_eq!(line, "failed with REDACTED and REDACTED for AKID");
        assert_eq!(redact_printed_secrets("plain".into(), b"not json"), "plain");
    }
}
