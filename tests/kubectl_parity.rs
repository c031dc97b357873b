//! The differential test against real kubectl (issue 13): seeded kubeconfig
//! situations run through `kubectl create token SA` and `kubecred create token
//! SA` against recording stand-ins, compared on what each sent, ran and
//! printed. The generator, the stand-ins and the comparison are in
//! tests/parity/ (Python); this half runs every command, sealed by
//! tests/common, two at a time.
//!
//! Every difference left is listed in tests/parity/exceptions.py and in the
//! docs/kubernetes.md with its reason; any other difference fails the test.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

const SEED: u64 = 13;
const MAIN_KUBECTL: &str = "/usr/bin/kubectl";
const MAIN_COUNT: usize = 200;
const VERSIONED_COUNT: usize = 25;

/// A Pod's ServiceAccount files where client-go looks for them, in a private mount namespace.
const IN_POD: &str = r#"set -e
mount -t tmpfs tmpfs /run
mkdir -p /run/secrets/kubernetes.io/serviceaccount
mount --bind "$1" /run/secrets/kubernetes.io/serviceaccount
shift
exec "$@""#;

fn command(program: &Path, run: &serde_json::Value) -> Command {
    let text = |key: &str| run[key].as_str().expect("plan field").to_string();
    let home = text("home");
    let args: Vec<String> = run["args"].as_array().expect("args").iter().map(|a| a.as_str().unwrap().into()).collect();
    let mut cmd = match run["service_account_dir"].as_str() {
        Some(dir) => {
            let mut cmd = command_for(Path::new("/usr/bin/unshare"), Path::new(&home));
            cmd.args(["-m", "--", "sh", "-c", IN_POD, "sh", dir]).arg(program).args(&args);
            cmd
        }
        None => {
            let mut cmd = command_for(program, Path::new(&home));
            cmd.args(&args);
            cmd
        }
    };
    for (name, value) in run["env"].as_object().expect("env") {
        cmd.env(name, value.as_str().expect("env value"));
    }
    cmd.current_dir(text("cwd"));
    cmd
}

fn result(id: &str, tool: &str, out: &Output) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "tool": tool,
        "code": out.status.code().unwrap_or(-1),
        "stdout": String::from_utf8_lossy(&out.stdout),
        "stderr": String::from_utf8_lossy(&out.stderr),
    })
}

#[test]
fn kubecred_resolves_the_client_configuration_as_kubectl_does() {
    if !Path::new(MAIN_KUBECTL).is_file() {
        eprintln!("skipped: {MAIN_KUBECTL} is not installed");
        return;
    }
    let mut runs = vec![format!("{MAIN_KUBECTL}={MAIN_COUNT}")];
    for minor in 27..=33 {
        let versioned = format!("/usr/lib/google-cloud-sdk/bin/kubectl.1.{minor}");
        if Path::new(&versioned).is_file() {
            runs.push(format!("{versioned}={VERSIONED_COUNT}"));
        }
    }
    let dir = TempDir::new("kubectl-parity");
    let mut python = Command::new("python3")
        .arg(repo_root().join("tests/parity/parity.py"))
        .arg(dir.path())
        .arg(SEED.to_string())
        .args(&runs)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tests/parity/parity.py");
    let mut reader = BufReader::new(python.stdout.take().expect("parity stdout"));
    let mut line = String::new();
    reader.read_line(&mut line).expect("read READY");
    assert_eq!(line.trim(), "READY", "parity.py did not get ready");

    let plan: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).expect("plan.json")).expect("plan");
    let queue = Mutex::new(plan.iter());
    let results = Mutex::new(Vec::new());
    let kubecred = kubecred_path();
    // Two at a time: the machine has two cores.
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(situation) = { queue.lock().unwrap().next() } {
                    let id = situation["id"].as_str().unwrap();
                    let kubectl = Path::new(situation["kubectl"].as_str().unwrap());
                    let a = run(&mut command(kubectl, &situation["a"]));
                    let b = run(&mut command(&kubecred, &situation["b"]));
                    results.lock().unwrap().extend([result(id, "a", &a), result(id, "b", &b)]);
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    std::fs::write(dir.join("results.json"), serde_json::to_vec(&results).unwrap()).expect("write results.json");
    python.stdin.take().expect("parity stdin").write_all(b"COMPARE\n").expect("send COMPARE");
    let mut report = String::new();
    for line in reader.lines() {
        let line = line.expect("parity output");
        println!("{line}");
        report.push_str(&line);
        report.push('\n');
    }
    let status = python.wait().expect("wait for parity.py");
    if std::env::var_os("KUBECRED_PARITY_KEEP").is_some() {
        let kept = std::env::temp_dir().join("kubecred-parity-last");
        let _ = std::fs::remove_dir_all(&kept);
        let _ = Command::new("cp").arg("-r").arg(dir.path()).arg(&kept).status();
    }
    assert!(status.success(), "differences from kubectl that are not listed exceptions:\n{report}");
}
