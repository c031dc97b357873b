//! kubecred as `gke-gcloud-auth-plugin --use_application_default_credentials`
//! against the real plugin on this machine, over seeded generated situations
//! (tests/gke_parity.py, run in a network namespace of its own: only loopback).

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

const PLUGIN: &str = "/usr/lib/google-cloud-sdk/bin/gke-gcloud-auth-plugin";

#[test]
fn agrees_with_gke_gcloud_auth_plugin() {
    if !Path::new(PLUGIN).is_file() {
        eprintln!("skipped: {PLUGIN} is not installed");
        return;
    }
    let out = run(Command::new("unshare")
        .args(["-n", "--", "python3"])
        .arg(repo_root().join("tests/gke_parity.py"))
        .arg("--kubecred")
        .arg(kubecred_path())
        .args(["--plugin", PLUGIN, "--seed", "20261201", "--count", "150"]));
    let report = stdout(&out);
    if !out.status.success() && stderr(&out).contains("unshare failed") {
        eprintln!("skipped: no network namespaces here: {}", stderr(&out));
        return;
    }
    eprintln!("{}", report.lines().last().unwrap_or_default());
    assert!(out.status.success(), "{report}\n{}", stderr(&out));
    assert!(report.contains("150/150 situations agree"), "{report}");
}
