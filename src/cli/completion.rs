//! `kubecred completion bash|zsh|fish`: shell completion scripts, generated
//! from one table of commands and flags so the three shells never disagree.

use crate::cli::common::print_stdout;
use crate::error::{Error, Result};
use std::ffi::OsString;

/// Each command path (words after `kubecred`, space-separated) and what may
/// follow it: subcommands, then flags.
const TREE: &[(&str, &[&str])] = &[
    ("", &["eks", "ack", "gke", "aks", "create", "cache", "doctor", "completion", "compat", "--help", "--version"]),
    ("eks", &["get-token", "update-kubeconfig", "--help"]),
    (
        "eks get-token",
        &[
            "--cluster-name",
            "--cluster-id",
            "--region",
            "--role-arn",
            "--profile",
            "--output",
            "--debug",
            "--ca-bundle",
            "--cli-connect-timeout",
            "--cli-read-timeout",
            "--no-cache",
            "--cache-dir",
            "--help",
        ],
    ),
    (
        "eks update-kubeconfig",
        &[
            "--name",
            "--region",
            "--role-arn",
            "--profile",
            "--kubeconfig",
            "--alias",
            "--user-alias",
            "--exec-command",
            "--endpoint-url",
            "--dry-run",
            "--verbose",
            "--no-cache",
            "--cache-dir",
            "--help",
        ],
    ),
    ("ack", &["get-token", "get-credential", "get-kubeconfig", "--help"]),
    ("ack get-token", ACK_FLAGS),
    ("ack get-credential", ACK_FLAGS),
    ("ack get-kubeconfig", ACK_FLAGS),
    ("gke", &["get-token", "--help"]),
    (
        "gke get-token",
        &[
            "--impersonate-service-account",
            "--debug",
            "--no-cache",
            "--cache-dir",
            "--ca-bundle",
            "--cli-connect-timeout",
            "--cli-read-timeout",
            "--help",
        ],
    ),
    ("aks", &["get-token", "--help"]),
    (
        "aks get-token",
        &[
            "--server-id",
            "--login",
            "--client-id",
            "--tenant-id",
            "--client-secret",
            "--client-certificate",
            "--federated-token-file",
            "--authority-host",
            "--environment",
            "--identity-resource-id",
            "--no-cache",
            "--cache-dir",
            "--help",
        ],
    ),
    ("create", &["token", "kubeconfig", "--help"]),
    ("create token", CREATE_FLAGS),
    ("create kubeconfig", CREATE_FLAGS),
    ("cache", &["list", "clear", "run", "--help"]),
    ("cache list", &["--cache-dir", "--credential-cache-dir", "--help"]),
    ("cache clear", &["--kind", "--cache-dir", "--credential-cache-dir", "--help"]),
    ("cache run", &["--cache-dir", "--no-cache", "--debug", "--help"]),
    ("doctor", &["--profile", "--region", "--region-id", "--kubeconfig", "--check", "--debug", "--help"]),
    ("completion", &["bash", "zsh", "fish"]),
    ("compat", &["aws", "aws-iam-authenticator", "ack-ram-tool", "gke-gcloud-auth-plugin", "kubelogin"]),
];

const ACK_FLAGS: &[&str] = &[
    "--cluster-id",
    "--api-version",
    "--region-id",
    "--profile-file",
    "--profile-name",
    "--ignore-env-credentials",
    "--ignore-aliyun-cli-credentials",
    "--credential-type",
    "--role-arn",
    "--log-level",
    "--expiration",
    "--credential-cache-dir",
    "--private-address",
    "--mode",
    "--output-file",
    "--no-cache",
    "--cache-dir",
    "--help",
];

const CREATE_FLAGS: &[&str] = &[
    "--namespace",
    "--duration",
    "--audience",
    "--bound-object-kind",
    "--bound-object-name",
    "--bound-object-uid",
    "--output",
    "--output-file",
    "--server",
    "--kubeconfig",
    "--context",
    "--cluster",
    "--user",
    "--token",
    "--certificate-authority",
    "--insecure-skip-tls-verify",
    "--request-timeout",
    "--help",
];

const USAGE: &str = "\
Usage: kubecred completion bash|zsh|fish

Prints a completion script for the shell. For example:
  bash:  source <(kubecred completion bash)
  zsh:   source <(kubecred completion zsh)
  fish:  kubecred completion fish | source
";

pub fn run(args: Vec<OsString>) -> Result<()> {
    let shell = args.first().and_then(|a| a.to_str());
    match shell {
        Some("bash") => print_stdout(&bash()),
        Some("zsh") => print_stdout(&zsh()),
        Some("fish") => print_stdout(&fish()),
        Some("--help" | "-h" | "help") => print_stdout(USAGE),
        None => Err(crate::cli::common::missing_subcommand("kubecred completion", "bash, zsh, fish")),
        Some(other) => Err(Error::usage(format!("kubecred completion: unknown shell {other:?} (bash, zsh, fish)"))),
    }
}

/// Every command path, `|`-separated, for the scripts to test words against.
fn known_paths() -> String {
    let paths: Vec<&str> = TREE.iter().map(|(path, _)| *path).collect();
    format!("|{}|", paths.join("|"))
}

/// A bash function: the words typed so far that extend a known command path
/// (flags, their values and positional names never do) select a row of
/// [`TREE`], whose words are offered.
///
/// ```
/// let script = kubecred::cli::completion::bash();
/// assert!(script.contains("complete -F _kubecred kubecred"));
/// assert!(script.contains("\"eks get-token\") words=\""));
/// ```
pub fn bash() -> String {
    let mut cases = String::new();
    for (path, words) in TREE {
        cases.push_str(&format!("        \"{path}\") words=\"{}\" ;;\n", words.join(" ")));
    }
    format!(
        "# bash completion for kubecred\n\
         _kubecred() {{\n\
         \x20   local known='{known}' path=\"\" cand words=\"\" i\n\
         \x20   for ((i = 1; i < COMP_CWORD; i++)); do\n\
         \x20       cand=\"${{path:+$path }}${{COMP_WORDS[i]}}\"\n\
         \x20       [[ \"$known\" == *\"|$cand|\"* ]] && path=\"$cand\"\n\
         \x20   done\n\
         \x20   case \"$path\" in\n{cases}\x20   esac\n\
         \x20   COMPREPLY=($(compgen -W \"$words\" -- \"${{COMP_WORDS[COMP_CWORD]}}\"))\n\
         }}\n\
         complete -F _kubecred kubecred\n",
        known = known_paths()
    )
}

/// The same for zsh.
///
/// ```
/// assert!(kubecred::cli::completion::zsh().starts_with("#compdef kubecred\n"));
/// ```
pub fn zsh() -> String {
    let mut cases = String::new();
    for (path, words) in TREE {
        cases.push_str(&format!("        \"{path}\") reply=({}) ;;\n", words.join(" ")));
    }
    format!(
        "#compdef kubecred\n\
         _kubecred() {{\n\
         \x20   local known='{known}' path=\"\" cand i\n\
         \x20   local -a reply\n\
         \x20   for ((i = 2; i < CURRENT; i++)); do\n\
         \x20       cand=\"${{path:+$path }}${{words[i]}}\"\n\
         \x20       [[ \"$known\" == *\"|$cand|\"* ]] && path=\"$cand\"\n\
         \x20   done\n\
         \x20   case \"$path\" in\n{cases}\x20   esac\n\
         \x20   compadd -- \"${{reply[@]}}\"\n\
         }}\n\
         compdef _kubecred kubecred\n",
        known = known_paths()
    )
}

/// The same for fish: one `complete` line per row of [`TREE`].
///
/// ```
/// assert!(kubecred::cli::completion::fish().contains("complete -c kubecred -f"));
/// ```
pub fn fish() -> String {
    let mut out = format!(
        "# fish completion for kubecred\n\
         function __kubecred_path\n\
         \x20   set -l known '{known}'\n\
         \x20   set -l path ''\n\
         \x20   for w in (commandline -opc)[2..-1]\n\
         \x20       set -l cand (string trim -- \"$path $w\")\n\
         \x20       string match -q -- \"*|$cand|*\" $known; and set path $cand\n\
         \x20   end\n\
         \x20   echo $path\n\
         end\n\
         complete -c kubecred -f\n",
        known = known_paths()
    );
    for (path, words) in TREE {
        out.push_str(&format!(
            "complete -c kubecred -n 'test \"(__kubecred_path)\" = \"{path}\"' -a '{}'\n",
            words.join(" ")
        ));
    }
    out
}
