//! A hostile neighbour: another user on the host, or in the same Pod volume
//! (uid `nobody`, through `setpriv`), plants links, files and directories
//! where kubecred keeps secrets. Nothing they plant is written through, kept,
//! or used; every file kubecred leaves is its own with mode 0600.
//!
//! kubecred runs as root here (as CI does), which makes the test harder to
//! pass, not easier: root may write anywhere, so only kubecred's own care
//! (exclusive creation, no links followed, owners checked) stops the attack.
//! Without root or `setpriv` the tests say so and pass.

mod common;

use common::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

const NOBODY: u32 = 65534;

/// True when this process is root and `setpriv` exists; else prints why the test is skipped.
fn can_be_a_neighbour(test: &str) -> bool {
    let root = std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false);
    let setpriv = Path::new("/usr/bin/setpriv").is_file();
    if !(root && setpriv) {
        eprintln!("{test}: skipped: needs root and /usr/bin/setpriv to act as a second user");
    }
    root && setpriv
}

/// Runs `script` with `sh` as uid/gid nobody, as the other user would.
fn as_nobody(script: &str) {
    let out = run(Command::new("/usr/bin/setpriv").args([
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "sh",
        "-ec",
        script,
    ]));
    assert!(out.status.success(), "nobody's script failed: {script}\n{}", stderr(&out));
}

fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

/// A directory anyone may write, as a Pod's emptyDir volume is (mode 0777).
fn shared_dir(parent: &TempDir, name: &str) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    // The test's own temporary directory must let nobody reach it.
    std::fs::set_permissions(parent.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// A file of the victim's that an attacker would like overwritten.
fn victim_file(dir: &TempDir) -> PathBuf {
    let victim = dir.write("victim.txt", "keep me\n");
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    victim
}

fn assert_victim_untouched(victim: &Path) {
    assert_eq!(std::fs::read_to_string(victim).unwrap(), "keep me\n", "{} was written through", victim.display());
    assert_eq!(std::fs::metadata(victim).unwrap().mode() & 0o777, 0o644);
}

/// The file at `path` is a regular file (not a link) owned by us with mode 0600.
fn assert_ours_and_private(path: &Path) {
    let meta = std::fs::symlink_metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(meta.is_file(), "{} is not a regular file", path.display());
    assert_eq!(meta.uid(), 0, "{} is not ours", path.display());
    assert_eq!(meta.mode() & 0o777, 0o600, "{} is not 0600", path.display());
}

/// Names of the directory's entries, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// `cmd` run as PID 1 of a new PID namespace, so that its PID is known to the
/// attacker in advance (the old temporary names were `.NAME.tmp.PID.N`).
fn with_known_pid(cmd: &Command) -> Command {
    let mut wrapped = Command::new("unshare");
    wrapped.args(["--pid", "--fork", "--"]).arg(cmd.get_program()).args(cmd.get_args());
    wrapped.env_clear();
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            wrapped.env(key, value);
        }
    }
    wrapped.stdin(std::process::Stdio::null());
    wrapped
}

#[test]
fn output_file_in_a_shared_volume_is_written_only_by_us() {
    if !can_be_a_neighbour("output_file_in_a_shared_volume_is_written_only_by_us") {
        return;
    }
    let dir = TempDir::new("neighbour-output");
    let pki = Pki::create(&dir.join("pki"));
    let api = start_apiserver(
        &pki,
        &[
            "--auth",
            "auth_static,tokenrequest",
            "--option",
            "tokens=admin-token",
            "--option",
            "service_accounts=ci/deployer",
        ],
    );
    let admin = dir.write(
        "admin.yaml",
        &format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: {}\n    certificate-authority: pki/ca.crt\ncontexts:\n- name: main\n  context: {{cluster: fake, user: me}}\ncurrent-context: main\nusers:\n- name: me\n  user:\n    token: admin-token\n",
            api.url("https")
        ),
    );
    let shared = shared_dir(&dir, "shared");
    let victim = victim_file(&dir);
    // Links at every temporary name the old writer could pick, and a file open to all at the target.
    as_nobody(&format!(
        "cd {shared}; for pid in $(seq 1 300); do for n in 0 1; do ln -s {victim} .kubeconfig.tmp.$pid.$n; done; done; \
         echo planted > kubeconfig; chmod 666 kubeconfig",
        shared = shell_quote(&shared),
        victim = shell_quote(&victim),
    ));
    let before = listing(&shared);
    let mut cmd = kubecred(dir.path());
    cmd.args(["create", "kubeconfig", "deployer", "-n", "ci", "--output-file"])
        .arg(shared.join("kubeconfig"))
        .arg("--kubeconfig")
        .arg(&admin);
    for mut attempt in [with_known_pid(&cmd), cmd] {
        let out = run(&mut attempt);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_victim_untouched(&victim);
        let target = shared.join("kubeconfig");
        assert_ours_and_private(&target);
        assert!(std::fs::read_to_string(&target).unwrap().contains("token: minted-"));
        assert_eq!(listing(&shared), before, "a temporary file was left behind or a planted one removed");
    }
}

/// An assumed role's credentials, cached: the STS stand-in numbers every set it hands out.
struct RoleSetup {
    home: TempDir,
    sts: Fake,
}

const ROLE: &str = "arn:aws:iam::123456789012:role/neighbour";

impl RoleSetup {
    fn new(label: &str) -> RoleSetup {
        RoleSetup { home: TempDir::new(label), sts: Fake::start("counting_sts.py", &[]) }
    }

    fn get_token(&self, cache_dir: &Path) -> std::process::Output {
        let out = run(kubecred(self.home.path())
            .args(["eks", "get-token", "--cluster-name", "demo", "--role-arn", ROLE])
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ENDPOINT_URL_STS", self.sts.url("http"))
            .env("KUBECRED_CACHE_DIR", cache_dir));
        assert!(out.status.success(), "{}", stderr(&out));
        out
    }

    /// The access key id that signed the token in `out`.
    fn signing_key(out: &std::process::Output) -> String {
        use base64::Engine;
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let token = value["status"]["token"].as_str().unwrap().strip_prefix("k8s-aws-v1.").unwrap();
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).unwrap();
        let url = String::from_utf8(url).unwrap();
        let credential = url.split("X-Amz-Credential=").nth(1).unwrap();
        credential.split("%2F").next().unwrap().to_string()
    }

    /// An entry the way kubecred writes it, but carrying the attacker's keys.
    fn planted_entry(&self) -> (String, String) {
        let own = self.home.join("own-cache");
        Self::signing_key(&self.get_token(&own));
        let entry = std::fs::read_dir(&own)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "json"))
            .expect("an entry was stored");
        let text = std::fs::read_to_string(&entry).unwrap();
        let planted = text.replace("ASIAFAKE", "ASIAPLANTED");
        assert_ne!(planted, text);
        (entry.file_name().unwrap().to_string_lossy().into_owned(), planted)
    }
}

#[test]
fn cache_entries_in_directories_or_files_of_another_user_are_not_used() {
    if !can_be_a_neighbour("cache_entries_in_directories_or_files_of_another_user_are_not_used") {
        return;
    }
    let s = RoleSetup::new("neighbour-cache");
    let (name, planted) = s.planted_entry();
    let shared = shared_dir(&s.home, "shared");
    let planted_file = s.home.write("planted.json", &planted);
    std::fs::set_permissions(&planted_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let planted_file = shell_quote(&planted_file);

    // A cache directory that nobody made (0700, theirs), holding their entry.
    let theirs = shared.join("theirs");
    as_nobody(&format!(
        "mkdir -m 700 {d}; cp {planted_file} {d}/{name}; chmod 600 {d}/{name}",
        d = shell_quote(&theirs)
    ));
    // A directory of ours that others may write (0777), holding their entry.
    as_nobody(&format!("cp {planted_file} {d}/{name}; chmod 600 {d}/{name}", d = shell_quote(&shared)));
    // A private directory of ours holding an entry that another user owns.
    let ours = s.home.join("ours");
    std::fs::create_dir(&ours).unwrap();
    std::fs::set_permissions(&ours, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::write(ours.join(&name), &planted).unwrap();
    std::fs::set_permissions(ours.join(&name), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::chown(ours.join(&name), Some(NOBODY), Some(NOBODY)).unwrap();

    for cache_dir in [&theirs, &shared, &ours] {
        let key = RoleSetup::signing_key(&s.get_token(cache_dir));
        assert!(key.starts_with("ASIAFAKE"), "{}: signed with {key}", cache_dir.display());
    }
    // Nothing of ours went into the directories we do not trust...
    assert_eq!(listing(&theirs), std::slice::from_ref(&name));
    assert_eq!(listing(&shared), [name.clone(), "theirs".to_string()]);
    // ...and in our own directory the foreign entry was replaced by ours.
    assert_ours_and_private(&ours.join(&name));
    let key = RoleSetup::signing_key(&s.get_token(&ours));
    assert!(key.starts_with("ASIAFAKE"), "{key}");
}

#[test]
fn lock_files_and_temporary_names_are_never_followed() {
    if !can_be_a_neighbour("lock_files_and_temporary_names_are_never_followed") {
        return;
    }
    let s = RoleSetup::new("neighbour-lock");
    let (name, _) = s.planted_entry();
    let victim = victim_file(&s.home);
    let cache = s.home.join("cache");
    std::fs::create_dir(&cache).unwrap();
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o700)).unwrap();
    let lock = cache.join(name.replace(".json", ".lock"));
    let lock_target = s.home.join("created-through-the-lock");
    std::os::unix::fs::symlink(&lock_target, &lock).unwrap();
    std::os::unix::fs::symlink(&victim, cache.join(format!(".{name}.tmp.1.0"))).unwrap();
    let key = RoleSetup::signing_key(&s.get_token(&cache));
    assert!(key.starts_with("ASIAFAKE"));
    assert!(!lock_target.exists(), "the lock's link was followed");
    assert_victim_untouched(&victim);
}

/// Container Service hands out certificates; the ACK cache is ack-ram-tool's directory.
struct AckSetup {
    dir: TempDir,
    cs: Fake,
    _pki: Pki,
}

const CLUSTER: &str = "c5b9a0d3e1f2";
const ENTRY: &str = "c5b9a0d3e1f2-exec-auth-credential-v1beta1.json";

impl AckSetup {
    fn new(label: &str) -> AckSetup {
        let dir = TempDir::new(label);
        let pki = Pki::create(&dir.join("pki"));
        let cs = start_fake_cs(&pki, CLUSTER, "https://127.0.0.1:6443", "LTAI5tEXAMPLEKEYID:EXAMPLEsecret", &[]);
        AckSetup { dir, cs, _pki: pki }
    }

    fn get_credential(&self, cache_dir: &Path) -> String {
        let out = run(kubecred(self.dir.path())
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEXAMPLEKEYID")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "EXAMPLEsecret")
            .env("ALIBABA_CLOUD_CS_ENDPOINT", self.cs.url("http"))
            .args(["ack", "get-credential", "-c", CLUSTER, "--credential-cache-dir"])
            .arg(cache_dir));
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    }

    fn calls(&self) -> u64 {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.cs.port)).unwrap();
        write!(stream, "GET /_count HTTP/1.0\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        let body: serde_json::Value = serde_json::from_str(reply.split_once("\r\n\r\n").unwrap().1).unwrap();
        body["count"].as_u64().unwrap()
    }
}

/// The credential kubecred printed, with an expiry far beyond any temporary
/// certificate and a field ack-ram-tool never writes.
fn forged(credential: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(credential).unwrap();
    value["status"]["expirationTimestamp"] = "2030-01-01T00:00:00Z".into();
    value["status"]["token"] = "planted-token".into();
    serde_json::to_string_pretty(&value).unwrap()
}

#[test]
fn ack_certificate_cache_trusts_only_its_own_entries() {
    if !can_be_a_neighbour("ack_certificate_cache_trusts_only_its_own_entries") {
        return;
    }
    let s = AckSetup::new("neighbour-ack");
    // Created 0700, parents included.
    let own = s.dir.join("own/ack-ram-tool/credential-plugin");
    let first = s.get_credential(&own);
    for d in [s.dir.join("own"), s.dir.join("own/ack-ram-tool"), own.clone()] {
        assert_eq!(std::fs::metadata(&d).unwrap().mode() & 0o777, 0o700, "{}", d.display());
    }
    assert_ours_and_private(&own.join(ENTRY));
    assert_eq!(s.calls(), 1);
    assert_eq!(s.get_credential(&own), first, "a warm cache is used");
    assert_eq!(s.calls(), 1);

    let shared = shared_dir(&s.dir, "shared");
    let forged_file = s.dir.write("forged.json", &forged(&first));
    std::fs::set_permissions(&forged_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let theirs = shared.join("theirs");
    as_nobody(&format!(
        "mkdir -m 700 {d}; cp {f} {d}/{ENTRY}; chmod 600 {d}/{ENTRY}; cp {f} {s}/{ENTRY}; chmod 600 {s}/{ENTRY}",
        d = shell_quote(&theirs),
        f = shell_quote(&forged_file),
        s = shell_quote(&shared),
    ));
    // Our own directory, but an entry with a forged expiry and an extra field.
    std::fs::write(own.join(ENTRY), forged(&first)).unwrap();
    let mut calls = 1;
    for cache_dir in [&theirs, &shared, &own] {
        let printed = s.get_credential(cache_dir);
        calls += 1;
        assert!(!printed.contains("planted") && !printed.contains("2030-"), "{}: {printed}", cache_dir.display());
        assert_eq!(s.calls(), calls, "{}: the planted entry was used", cache_dir.display());
    }
    assert_eq!(listing(&theirs), [ENTRY]);
    assert_ours_and_private(&own.join(ENTRY));

    // A link planted at the lock's name is not followed.
    let fresh = s.dir.join("fresh");
    std::fs::create_dir(&fresh).unwrap();
    std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o700)).unwrap();
    let lock_target = s.dir.join("created-through-the-lock");
    std::os::unix::fs::symlink(&lock_target, fresh.join(format!("{ENTRY}.lock"))).unwrap();
    s.get_credential(&fresh);
    assert!(!lock_target.exists(), "the lock's link was followed");
}
