//! The credential cache seen from outside: `kubecred eks get-token --role-arn`
//! against a fake STS that counts AssumeRole calls (tests/fakes/counting_sts.py).

mod common;

use common::*;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const ROLE: &str = "arn:aws:iam::123456789012:role/cache-test";
/// 2026-01-01T00:00:00Z, for the runs on a fixed clock.
const T0: i64 = 1_767_225_600;

/// `kubecred eks get-token --role-arn ROLE` with static source credentials and
/// STS at `sts`; the cache lives in `home/.cache-kubecred`.
fn get_token(home: &Path, sts: &Fake) -> Command {
    let mut cmd = kubecred(home);
    cmd.args(["eks", "get-token", "--cluster-name", "demo", "--role-arn", ROLE])
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL_STS", sts.url("http"));
    cmd
}

fn at(mut cmd: Command, now: i64) -> Command {
    cmd.env("KUBECRED_TEST_NOW", now.to_string());
    cmd
}

/// The number of STS calls the fake has answered.
fn sts_calls(sts: &Fake) -> u32 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", sts.port)).expect("connect to fake STS");
    stream.write_all(b"GET /count HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").expect("ask the count");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("read the count");
    let body = reply.split("\r\n\r\n").nth(1).unwrap_or_default();
    body.trim().parse().unwrap_or_else(|_| panic!("fake STS count reply: {reply:?}"))
}

fn assert_token(output: &std::process::Output) {
    assert!(output.status.success(), "kubecred failed: {}", stderr(output));
    assert!(stdout(output).contains("\"token\": \"k8s-aws-v1."), "{}", stdout(output));
}

fn entry_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect()
}

#[test]
fn thirty_two_parallel_cold_starts_make_one_sts_call() {
    let home = TempDir::new("cache-parallel");
    // Each reply waits a little, so that the other processes arrive while the first is in flight.
    let sts = Fake::start("counting_sts.py", &["--delay", "0.3"]);
    let children: Vec<_> = (0..32)
        .map(|_| get_token(home.path(), &sts).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap())
        .collect();
    for child in children {
        assert_token(&child.wait_with_output().unwrap());
    }
    assert_eq!(sts_calls(&sts), 1);

    // Warm: no more calls.
    for _ in 0..3 {
        assert_token(&run(&mut get_token(home.path(), &sts)));
    }
    assert_eq!(sts_calls(&sts), 1);

    // What is on disk: a private directory with one private entry file.
    let dir = home.join(".cache-kubecred");
    assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
    let files = entry_files(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(std::fs::metadata(&files[0]).unwrap().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.starts_with("{\"format\":\"kubecred-cache-v1\""), "{text}");
}

#[test]
fn refreshed_when_15_minutes_remain() {
    let home = TempDir::new("cache-refresh");
    let sts = Fake::start("counting_sts.py", &["--now", &T0.to_string(), "--expires-in", "3600"]);
    assert_token(&run(&mut at(get_token(home.path(), &sts), T0)));
    assert_token(&run(&mut at(get_token(home.path(), &sts), T0 + 44 * 60)));
    assert_eq!(sts_calls(&sts), 1);
    // 14 minutes left: a token must not outlive its credentials, so fetch new ones.
    let output = run(&mut at(get_token(home.path(), &sts), T0 + 46 * 60));
    assert_token(&output);
    assert_eq!(sts_calls(&sts), 2);
}

#[test]
fn a_corrupt_entry_is_replaced() {
    let home = TempDir::new("cache-corrupt");
    let sts = Fake::start("counting_sts.py", &[]);
    assert_token(&run(&mut get_token(home.path(), &sts)));
    let files = entry_files(&home.join(".cache-kubecred"));
    assert_eq!(files.len(), 1);
    std::fs::write(&files[0], "{\"format\":\"kubecred-cache-v1\",\"key\":").unwrap();
    assert_token(&run(&mut get_token(home.path(), &sts)));
    assert_eq!(sts_calls(&sts), 2);
    assert_token(&run(&mut get_token(home.path(), &sts)));
    assert_eq!(sts_calls(&sts), 2);
}

#[test]
fn no_usable_location_means_no_cache_but_no_failure() {
    let home = TempDir::new("cache-nowhere");
    let sts = Fake::start("counting_sts.py", &[]);
    // A regular file where the directory should be (fails even for root).
    let file = home.write("not-a-directory", "x");
    let mut unwritable = get_token(home.path(), &sts);
    unwritable.env("KUBECRED_CACHE_DIR", file.join("kubecred"));
    let output = run(&mut unwritable);
    assert_token(&output);
    assert_eq!(stderr(&output), "");
    // No HOME and no cache variables at all.
    let mut homeless = get_token(home.path(), &sts);
    homeless.env_remove("HOME").env_remove("KUBECRED_CACHE_DIR");
    assert_token(&run(&mut homeless));
    assert_eq!(sts_calls(&sts), 2);
    // --debug says why, in one line per decision, without secrets.
    let mut debug = get_token(home.path(), &sts);
    debug.env("KUBECRED_CACHE_DIR", file.join("kubecred")).arg("--debug");
    let output = run(&mut debug);
    assert_token(&output);
    let log = stderr(&output);
    assert!(log.contains("carrying on without the cache"), "{log}");
    assert!(!log.contains("wJalrXUtnFEMI") && !log.contains("fakeSecretKey") && !log.contains("fakeSessionToken"));
}

#[test]
fn no_cache_and_cache_dir_flags() {
    let home = TempDir::new("cache-flags");
    let sts = Fake::start("counting_sts.py", &[]);
    for _ in 0..2 {
        assert_token(&run(get_token(home.path(), &sts).arg("--no-cache")));
    }
    assert_eq!(sts_calls(&sts), 2, "--no-cache fetches every time");
    assert!(entry_files(&home.join(".cache-kubecred")).is_empty(), "--no-cache writes nothing");
    let dir = home.join("elsewhere");
    for _ in 0..2 {
        assert_token(&run(get_token(home.path(), &sts).arg("--cache-dir").arg(&dir)));
    }
    assert_eq!(sts_calls(&sts), 3);
    assert_eq!(entry_files(&dir).len(), 1);
}
