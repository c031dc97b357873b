//! Unit tests of the cache, compiled only under #[cfg(test)] (see mod.rs).
//! Tests of [`cached_in`] against real directories, with a fake clock.

use super::*;
use crate::error::Error;
use serde_json::json;
use std::cell::Cell;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

const HOUR: i64 = 3600;

struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("kubecred-cache-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn credential(expires: i64) -> Entry {
    Entry { payload: json!({"AccessKeyId": "ASIA1", "Expiration": expires}), expires: Timestamp(expires), issued: None }
}

/// Runs `cached_in` at clock `now`; returns the entry and whether `fetch` ran.
fn run(store: &Store, now: i64, fetch_result: Result<Entry>) -> (Result<Entry>, bool) {
    let called = Cell::new(false);
    let lookup =
        Lookup { namespace: "test-role", parts: &["arn:aws:iam::1:role/r", "us-east-1"], about: "test-role arn" };
    let result = cached_in(
        store,
        &lookup,
        Freshness::RoleCredentials,
        || Timestamp(now),
        || {
            called.set(true);
            fetch_result
        },
    );
    (result, called.get())
}

fn only_entry_file(dir: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.pop().unwrap()
}

#[test]
fn cold_then_warm_then_refresh() {
    let dir = TempDir::new("warm");
    let store = Store::new(dir.0.join("kubecred"));
    let (first, called) = run(&store, 0, Ok(credential(HOUR)));
    assert!(called);
    assert_eq!(first.unwrap(), credential(HOUR));

    let (warm, called) = run(&store, HOUR - 16 * 60, Err(Error::new("must not fetch")));
    assert!(!called);
    assert_eq!(warm.unwrap(), credential(HOUR));

    let (refreshed, called) = run(&store, HOUR - 15 * 60, Ok(credential(2 * HOUR)));
    assert!(called);
    assert_eq!(refreshed.unwrap().expires, Timestamp(2 * HOUR));
    let (warm, called) = run(&store, HOUR, Err(Error::new("must not fetch")));
    assert!(!called);
    assert_eq!(warm.unwrap().expires, Timestamp(2 * HOUR));
}

#[test]
fn directory_0700_files_0600() {
    let dir = TempDir::new("modes");
    let store = Store::new(dir.0.join("a/b/kubecred"));
    run(&store, 0, Ok(credential(HOUR))).0.unwrap();
    assert_eq!(std::fs::metadata(store.dir()).unwrap().mode() & 0o777, 0o700);
    let entry = only_entry_file(store.dir());
    assert_eq!(std::fs::metadata(&entry).unwrap().mode() & 0o777, 0o600);
    let lock = entry.with_extension("lock");
    assert_eq!(std::fs::metadata(lock).unwrap().mode() & 0o777, 0o600);
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(store.dir()).unwrap().count(), 2);
}

#[test]
fn a_file_others_may_read_is_not_trusted_and_is_replaced() {
    let dir = TempDir::new("perm");
    let store = Store::new(&dir.0);
    run(&store, 0, Ok(credential(HOUR))).0.unwrap();
    let entry = only_entry_file(&dir.0);
    std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (result, called) = run(&store, 60, Ok(credential(2 * HOUR)));
    assert!(called);
    assert_eq!(result.unwrap().expires, Timestamp(2 * HOUR));
    assert_eq!(std::fs::metadata(&entry).unwrap().mode() & 0o777, 0o600);
}

#[test]
fn a_directory_others_may_write_is_not_used() {
    let dir = TempDir::new("dirperm");
    let store = Store::new(&dir.0);
    run(&store, 0, Ok(credential(HOUR))).0.unwrap();
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o777)).unwrap();
    let (result, called) = run(&store, 60, Ok(credential(2 * HOUR)));
    assert!(called);
    assert_eq!(result.unwrap().expires, Timestamp(2 * HOUR));
    // It still holds the old entry: nothing was written into an untrusted directory.
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(run(&store, 60, Err(Error::new("x"))).0.unwrap().expires, Timestamp(HOUR));
}

#[test]
fn corrupt_and_foreign_files_are_ignored_and_replaced() {
    for junk in [&b""[..], b"{\"format\":\"kubecred-cache-v", b"\x00\xff garbage", b"{\"format\":\"other\"}", b"[]"] {
        let dir = TempDir::new("corrupt");
        let store = Store::new(&dir.0);
        run(&store, 0, Ok(credential(HOUR))).0.unwrap();
        let entry = only_entry_file(&dir.0);
        crate::secret_files::write_private(&entry, junk).unwrap();
        let (result, called) = run(&store, 60, Ok(credential(2 * HOUR)));
        assert!(called);
        assert_eq!(result.unwrap().expires, Timestamp(2 * HOUR));
        let (warm, called) = run(&store, 120, Err(Error::new("must not fetch")));
        assert!(!called);
        assert_eq!(warm.unwrap().expires, Timestamp(2 * HOUR));
    }
}

#[test]
fn an_unwritable_location_costs_nothing_but_the_cache() {
    let dir = TempDir::new("readonly");
    std::fs::create_dir_all(&dir.0).unwrap();
    // A regular file where a directory should be: creating anything under it fails,
    // even for root (for whom permission bits would not).
    let file = dir.0.join("not-a-directory");
    std::fs::write(&file, "x").unwrap();
    let store = Store::new(file.join("kubecred"));
    for now in [0, 60] {
        let (result, called) = run(&store, now, Ok(credential(HOUR)));
        assert!(called);
        assert_eq!(result.unwrap(), credential(HOUR));
    }
    // /proc refuses new directories to everyone.
    let store = Store::new("/proc/kubecred-cache-test");
    assert_eq!(run(&store, 0, Ok(credential(HOUR))).0.unwrap(), credential(HOUR));
}

#[test]
fn warm_entries_are_read_from_a_read_only_directory() {
    let dir = TempDir::new("rodir");
    let store = Store::new(&dir.0);
    run(&store, 0, Ok(credential(HOUR))).0.unwrap();
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o500)).unwrap();
    let (warm, called) = run(&store, 60, Err(Error::new("must not fetch")));
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(!called);
    assert_eq!(warm.unwrap(), credential(HOUR));
}

#[test]
fn errors_are_returned_and_not_cached() {
    let dir = TempDir::new("errors");
    let store = Store::new(&dir.0);
    let (result, _) = run(&store, 0, Err(Error::new("AccessDenied")));
    assert_eq!(result.unwrap_err().message(), "AccessDenied");
    let (result, called) = run(&store, 0, Ok(credential(HOUR)));
    assert!(called);
    assert!(result.is_ok());
}

#[test]
fn short_lived_and_suspect_results_are_returned_but_not_stored() {
    let dir = TempDir::new("short");
    let store = Store::new(&dir.0);
    // 15 minutes: usable now, but no later run could use it.
    assert_eq!(run(&store, 0, Ok(credential(900))).0.unwrap(), credential(900));
    // A day: no role credential lasts that long by our clock.
    assert_eq!(run(&store, 0, Ok(credential(24 * HOUR))).0.unwrap(), credential(24 * HOUR));
    assert!(!dir.0.read_dir().unwrap().any(|e| e.unwrap().path().extension().is_some_and(|x| x == "json")));
}

#[test]
fn the_clock_set_back_makes_an_entry_suspect() {
    let dir = TempDir::new("clockback");
    let store = Store::new(&dir.0);
    run(&store, 10 * HOUR, Ok(credential(11 * HOUR))).0.unwrap();
    let (_, called) = run(&store, 9 * HOUR, Ok(credential(11 * HOUR)));
    assert!(called);
}

#[test]
fn parallel_cold_starts_in_threads_fetch_once() {
    let dir = TempDir::new("threads");
    let store = Store::new(&dir.0);
    let fetches = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..16 {
            scope.spawn(|| {
                let entry = cached_in(
                    &store,
                    &Lookup { namespace: "test-role", parts: &["r"], about: "test-role" },
                    Freshness::RoleCredentials,
                    || Timestamp(0),
                    || {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        // Hold the lock a moment so that the others queue behind it.
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        Ok(credential(HOUR))
                    },
                );
                assert_eq!(entry.unwrap(), credential(HOUR));
            });
        }
    });
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[test]
fn configure_turns_the_cache_off_and_moves_it() {
    configure(CacheSettings { disabled: true, dir: Some("/somewhere".into()) });
    assert_eq!(directory(), None);
    configure(CacheSettings { disabled: false, dir: Some("/somewhere".into()) });
    assert_eq!(directory(), Some(PathBuf::from("/somewhere")));
    configure(CacheSettings::default());
}
