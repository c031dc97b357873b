//! `kubecred::cache::cached` across real processes: this test binary starts 32
//! copies of itself, each a child that asks the cache for the same key with a
//! fetch that records itself in a file. Exactly one fetch may happen.

use kubecred::cache::{CacheSettings, Entry, Freshness, cached, configure};
use kubecred::time::Timestamp;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const CHILD: &str = "KUBECRED_CACHE_TEST_CHILD_DIR";

/// Runs only inside a child process: one `cached` call, its payload on stdout.
#[test]
fn child_process() {
    let Some(dir) = std::env::var_os(CHILD).map(PathBuf::from) else { return };
    configure(CacheSettings { disabled: false, dir: Some(dir.join("cache")) });
    let entry = cached("test-processes", &["one key"], Freshness::RoleCredentials, || {
        let mut log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("fetches")).unwrap();
        writeln!(log, "{}", std::process::id()).unwrap();
        // Stay in flight a moment so that the other children queue on the lock.
        std::thread::sleep(std::time::Duration::from_millis(200));
        let now = Timestamp::now();
        Ok(Entry {
            payload: serde_json::json!({"fetched_by": std::process::id()}),
            expires: now.plus_seconds(3600),
            issued: None,
        })
    })
    .unwrap();
    println!("PAYLOAD {}", entry.payload);
}

fn spawn_child(dir: &Path) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["child_process", "--exact", "--nocapture", "--test-threads=1", "--quiet"])
        .env(CHILD, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

fn payload(output: std::process::Output) -> String {
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let start = text.find("PAYLOAD ").unwrap_or_else(|| panic!("no payload in {text:?}"));
    text[start + 8..].lines().next().unwrap().to_string()
}

#[test]
fn thirty_two_processes_fetch_once_and_share_the_result() {
    let dir = std::env::temp_dir().join(format!("kubecred-cache-processes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    let children: Vec<_> = (0..32).map(|_| spawn_child(&dir)).collect();
    let payloads: Vec<String> = children.into_iter().map(|c| payload(c.wait_with_output().unwrap())).collect();

    let fetches = std::fs::read_to_string(dir.join("fetches")).unwrap();
    assert_eq!(fetches.lines().count(), 1, "fetched by: {fetches}");
    let fetcher = fetches.trim();
    let expected = format!("{{\"fetched_by\":{fetcher}}}");
    assert!(payloads.iter().all(|p| *p == expected), "{payloads:?}");

    // A later process finds it warm.
    assert_eq!(payload(spawn_child(&dir).wait_with_output().unwrap()), expected);
    assert_eq!(std::fs::read_to_string(dir.join("fetches")).unwrap().lines().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
