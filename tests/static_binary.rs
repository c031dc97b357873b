//! The static (musl) binary alone in an empty, read-only root: no /etc, no
//! HOME, no passwd, no /tmp. `make test` builds it when the musl target is
//! installed (CI installs it); without it this test says so and passes.
//! With `KUBECRED_BIN` (and `KUBECRED_RUNNER`, itself a static program such as
//! `qemu-aarch64-static`) it checks that binary instead, the runner beside it.

mod common;

use common::*;
use std::process::Command;

#[test]
fn static_binary_runs_in_an_empty_read_only_root() {
    let given = std::env::var_os("KUBECRED_BIN").filter(|v| !v.is_empty()).map(std::path::PathBuf::from);
    let binary = given.clone().unwrap_or_else(|| repo_root().join("target/x86_64-unknown-linux-musl/release/kubecred"));
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
runner=
if [ -n "$2" ]; then cp "$2" "$root/runner"; runner=/runner; fi
mount -o remount,ro "$root"
exec env -i AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret KUBECRED_TEST_LOOPBACK_ONLY=1 \
    /usr/sbin/chroot "$root" $runner /kubecred eks get-token --cluster-name demo --region us-east-1
"#;
    let runner = runner().map(|r| r.into_os_string()).unwrap_or_default();
    let out = Command::new("unshare")
        .args(["-m", "--", "sh", "-c", script, "sh"])
        .arg(&binary)
        .arg(&runner)
        .output()
        .unwrap();
    if !out.status.success() && stderr(&out).contains("unshare failed") {
        eprintln!("skipped: no mount namespaces here: {}", stderr(&out));
        return;
    }
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["status"]["token"].as_str().unwrap().starts_with("k8s-aws-v1."));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));

    let version = run(command_for(&binary, &repo_root()).arg("--version"));
    // The target triple it was built for, as its file name says for a release binary.
    let expected = match &given {
        None => "x86_64-unknown-linux-musl".to_string(),
        Some(path) => {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            ["x86_64", "aarch64"]
                .iter()
                .map(|arch| format!("{arch}-unknown-linux-musl"))
                .find(|triple| name.ends_with(triple.as_str()))
                .unwrap_or_else(|| "-unknown-linux-musl".to_string())
        }
    };
    assert!(stdout(&version).starts_with("kubecred "), "{}", stdout(&version));
    assert!(stdout(&version).trim_end().ends_with(&format!("{expected})")), "{}", stdout(&version));
    let size = std::fs::metadata(&binary).unwrap().len();
    assert!(size <= 3 << 20, "static binary is {size} bytes, over 3 MiB");
}
