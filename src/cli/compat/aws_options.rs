//! The AWS CLI's long option names and how argparse resolves abbreviations.
//!
//! The AWS CLI parses a command line twice: its global parser first, then the
//! command's parser with what is left. Both are Python argparse parsers with
//! abbreviations allowed, so an unambiguous prefix stands for the whole name
//! (`aws eks update-kubeconfig --role-arn R` writes `--role R` into
//! kubeconfigs) and an ambiguous one is a usage error naming the candidates.
//! A prefix is tried against the global options first (`--r` is `--region`,
//! not `--role-arn`), then against the command's.

use crate::error::{Error, Result};

/// Global options of AWS CLI v1 (awscli/data/cli.json), the ones abbreviations resolve against.
pub const GLOBAL: &[&str] = &[
    "--debug",
    "--endpoint-url",
    "--no-verify-ssl",
    "--no-paginate",
    "--output",
    "--query",
    "--profile",
    "--region",
    "--version",
    "--color",
    "--no-sign-request",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--v2-debug",
];

/// `aws eks get-token`'s options; `--session-name` is newer AWS CLIs' session name for `--role-arn`.
pub const GET_TOKEN: &[&str] = &["--cluster-name", "--role-arn", "--cluster-id", "--session-name"];

/// `aws eks update-kubeconfig`'s options.
pub const UPDATE_KUBECONFIG: &[&str] = &[
    "--name",
    "--kubeconfig",
    "--role-arn",
    "--proxy-url",
    "--dry-run",
    "--verbose",
    "--alias",
    "--user-alias",
    "--assume-role-arn",
];

/// The full name `written` stands for: itself when some table has it exactly
/// (or when no name starts with it, so the caller reports it unknown), else the
/// one name of the first table (global, then the command's) that starts with it.
pub fn resolve(written: &str, command: &[&str], program: &str) -> Result<String> {
    if !written.starts_with("--") || written == "--" {
        return Ok(written.to_string());
    }
    if GLOBAL.contains(&written) || command.contains(&written) {
        return Ok(written.to_string());
    }
    for table in [GLOBAL, command] {
        let candidates: Vec<&str> = table.iter().copied().filter(|name| name.starts_with(written)).collect();
        match candidates.as_slice() {
            [] => continue,
            [only] => return Ok(only.to_string()),
            many => {
                return Err(Error::usage(format!(
                    "{program}: ambiguous option: {written} could match {}",
                    many.join(", ")
                )));
            }
        }
    }
    Ok(written.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_as_the_aws_cli_resolves_them() {
        for (written, full) in [
            ("--role", "--role-arn"),
            ("--ro", "--role-arn"),
            ("--cluster-n", "--cluster-name"),
            ("--cluster-i", "--cluster-id"),
            ("--r", "--region"),
            ("--reg", "--region"),
            ("--o", "--output"),
            ("--p", "--profile"),
            ("--de", "--debug"),
            ("--no-v", "--no-verify-ssl"),
            ("--se", "--session-name"),
            ("--region", "--region"),
            ("--nothing-like-it", "--nothing-like-it"),
            ("-h", "-h"),
            ("eks", "eks"),
        ] {
            assert_eq!(resolve(written, GET_TOKEN, "aws").unwrap(), full, "{written}");
        }
        assert_eq!(resolve("--role", UPDATE_KUBECONFIG, "aws").unwrap(), "--role-arn");
        assert_eq!(resolve("--na", UPDATE_KUBECONFIG, "aws").unwrap(), "--name");
        assert!(resolve("--n", UPDATE_KUBECONFIG, "aws").is_err());
    }

    #[test]
    fn ambiguous_prefixes_name_the_candidates() {
        let e = resolve("--cluster", GET_TOKEN, "aws").unwrap_err();
        assert_eq!(e.message(), "aws: ambiguous option: --cluster could match --cluster-name, --cluster-id");
        assert_eq!(e.exit_code(), 2);
        let e = resolve("--c", GET_TOKEN, "aws").unwrap_err();
        assert!(e.message().contains("--color, --ca-bundle, --cli-read-timeout, --cli-connect-timeout"), "{e}");
        assert!(resolve("--user", UPDATE_KUBECONFIG, "aws").is_ok());
        assert!(resolve("--a", UPDATE_KUBECONFIG, "aws").is_err());
    }
}
