//! The static (musl) binary alone in an empty, read-only root: no /etc, no
//! HOME, no passwd, no /tmp. `make test` builds it when the musl target is
//! installed (CI installs it); without it this test says so and passes.

mod common;

use common::*;
use std::process::Command;

#[test]
fn static_binary_runs_in_an_empty_read_only_root() {
    let binary = repo_root().join("target/x86_64-unknown-linux-musl/release/kubecred");
    if !binary.is_file() {
        eprintln!("skipped: {} not built (run `make static`)", binary.display());
        return;
    }
    // A private mount namespace: a fresh tmpfs holding only the binary, remounted
    // read-only, then chroot into it with an empty environment but the keys.
    let script = r#"set -e
root=$(mktemp -d)
mount -t tmpfs -o size=16m tmpfs "$root"
cp "$1" "$root/kubecred"
mount -o remount,ro "$root"
exec env -i AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret KUBECRED_TEST_LOOPBACK_ONLY=1 \
    /usr/sbin/chroot "$root" /kubecred eks get-token --cluster-name demo --region us-east-1
"#;
    let out = Command::new("unshare").args(["-m", "--", "sh", "-c", script, "sh"]).arg(&binary).output().unwrap();
    if !out.status.success() && stderr(&out).contains("unshare failed") {
        eprintln!("skipped: no mount namespaces here: {}", stderr(&out));
        return;
    }
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["status"]["token"].as_str().unwrap().starts_with("k8s-aws-v1."));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));

    let version = Command::new(&binary).arg("--version").output().unwrap();
    assert!(stdout(&version).contains("x86_64-linux-musl"), "{}", stdout(&version));
    let size = std::fs::metadata(&binary).unwrap().len();
    assert!(size <= 3 << 20, "static binary is {size} bytes, over 3 MiB");
}
