//! Help on every command and drop-in grammar, and the shape of usage errors.

mod common;

use common::{TempDir, kubecred, run, stderr, stdout};

fn output(args: &[&str]) -> std::process::Output {
    let home = TempDir::new("help");
    run(kubecred(home.path()).args(args))
}

#[test]
fn every_command_answers_help_on_stdout() {
    let commands: &[&[&str]] = &[
        &[],
        &["eks"],
        &["eks", "get-token"],
        &["eks", "update-kubeconfig"],
        &["ack"],
        &["ack", "get-token"],
        &["ack", "get-credential"],
        &["ack", "get-kubeconfig"],
        &["create"],
        &["create", "token"],
        &["create", "kubeconfig"],
        &["completion"],
        &["doctor"],
        &["cache"],
        &["cache", "list"],
        &["cache", "clear"],
        &["cache", "run"],
        &["compat"],
        &["compat", "aws"],
        &["compat", "aws", "eks", "get-token"],
        &["compat", "aws", "eks", "update-kubeconfig"],
        &["compat", "aws-iam-authenticator", "token"],
        &["compat", "ack-ram-tool"],
        &["compat", "ack-ram-tool", "credential-plugin"],
        &["compat", "ack-ram-tool", "credential-plugin", "get-token"],
        &["compat", "ack-ram-tool", "credential-plugin", "get-credential"],
    ];
    for command in commands {
        for flag in ["--help", "-h"] {
            let mut args = command.to_vec();
            args.push(flag);
            let out = output(&args);
            let text = stdout(&out);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
            assert!(text.to_lowercase().contains("usage"), "{args:?}: {text}");
            assert!(!text.starts_with('\\'), "{args:?} starts with a stray backslash: {text}");
            assert_eq!(stderr(&out), "", "{args:?}");
        }
    }
}

#[test]
fn each_ack_command_has_its_own_help() {
    let token = stdout(&output(&["ack", "get-token", "--help"]));
    let credential = stdout(&output(&["ack", "get-credential", "--help"]));
    let kubeconfig = stdout(&output(&["ack", "get-kubeconfig", "--help"]));
    assert!(token.starts_with("Usage: kubecred ack get-token "), "{token}");
    assert!(!token.contains("--expiration"), "{token}");
    assert!(credential.contains("--credential-cache-dir"), "{credential}");
    assert!(kubeconfig.contains("--mode"), "{kubeconfig}");
    assert_ne!(credential, kubeconfig);
}

#[test]
fn a_flag_missing_its_value_is_named() {
    let out = output(&["eks", "get-token", "--region", "--cluster-name", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "kubecred: --region needs a value\n");
    // Attached, a value may start with a dash.
    let out = output(&["create", "token", "sa", "--duration=-5m"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--duration must be positive"), "{}", stderr(&out));
}

#[test]
fn bare_command_families_are_usage_errors() {
    for family in ["eks", "ack", "create", "completion", "cache"] {
        let out = output(&[family]);
        assert_eq!(out.status.code(), Some(2), "{family}");
        assert_eq!(stdout(&out), "");
        let err = stderr(&out);
        assert!(err.starts_with(&format!("kubecred {family}: no command given (")), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn messages_are_not_prefixed_twice() {
    let out = output(&["eks", "nope"]);
    assert_eq!(stderr(&out), "kubecred eks: unknown command \"nope\" (get-token, update-kubeconfig)\n");
    let home = TempDir::new("help-link");
    let link = home.join("aws");
    std::os::unix::fs::symlink(common::kubecred_path(), &link).unwrap();
    let out = run(common::command_for(&link, home.path()).args(["s3", "ls"]));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("aws (kubecred): `aws s3 ls` is not available"), "{err}");
    let out = output(&["compat", "aws", "s3", "ls"]);
    assert!(stderr(&out).starts_with("aws (kubecred): `aws s3 ls` is not available"), "{}", stderr(&out));
}

#[test]
fn debug_logs_every_source_the_aws_chain_skips() {
    let out = output(&["eks", "get-token", "--cluster-name", "c", "--region", "us-east-1", "--debug"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for source in [
        "environment variables",
        "assume-role profile",
        "web identity",
        "SSO",
        "credentials file",
        "credential_process",
        "config file",
        "container credentials",
        "instance metadata",
    ] {
        assert!(err.contains(&format!("kubecred: debug: AWS chain: {source}: skipped (")), "{source}: {err}");
    }
    let out =
        output(&["eks", "get-token", "--cluster-name", "c", "--region", "us-east-1", "--profile", "p", "--debug"]);
    assert!(!stderr(&out).contains("AWS chain: environment variables: skipped (AWS_ACCESS_KEY_ID"));
}

#[test]
fn debug_logs_every_source_the_alibaba_chain_skips() {
    let out = output(&["ack", "get-token", "-c", "c1", "--log-level", "debug"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for source in ["environment", "aliyun CLI config", "credentials file", "ECS instance RAM role"] {
        assert!(err.contains(&format!("kubecred: debug: Alibaba Cloud chain: {source}: skipped (")), "{source}: {err}");
    }
    assert!(err.contains("config.json is missing"), "{err}");
}

#[test]
fn completion_scripts_for_three_shells() {
    let bash = stdout(&output(&["completion", "bash"]));
    assert!(bash.contains("complete -F _kubecred kubecred"), "{bash}");
    assert!(stdout(&output(&["completion", "zsh"])).starts_with("#compdef kubecred"));
    assert!(stdout(&output(&["completion", "fish"])).contains("complete -c kubecred"));
    let out = output(&["completion", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    // The bash script offers get-token's flags after `kubecred eks get-token --re`.
    let home = TempDir::new("completion");
    let script = home.write("k.bash", &bash);
    let probe = format!(
        "source {}; COMP_WORDS=(kubecred eks get-token --re); COMP_CWORD=3; _kubecred; echo \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = run(std::process::Command::new("bash").args(["--norc", "-c", &probe]));
    assert_eq!(stdout(&out), "--region\n", "{}", stderr(&out));
}
