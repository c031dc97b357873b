//! `kubecred cache run|list|clear` from outside: a script plugin that counts
//! its runs, parallel cold starts, failures passed through, real kubectl.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A plugin that appends a line to `count` in its directory on every run and
/// prints an ExecCredential (pretty-printed, to check it is echoed byte for byte).
const COUNTING_PLUGIN: &str = r#"#!/bin/sh
echo "$*" >> "$(dirname "$0")/count"
version=$(printf '%s' "$KUBERNETES_EXEC_INFO" | sed -n 's/.*"apiVersion":"\([^"]*\)".*/\1/p')
[ -n "$version" ] || version=client.authentication.k8s.io/v1beta1
cat <<JSON
{
  "kind": "ExecCredential",
  "apiVersion": "$version",
  "status": {"token": "plugin-token-$PLUGIN_TOKEN", "expirationTimestamp": "2099-01-01T00:00:00Z"}
}
JSON
"#;

struct Setup {
    home: TempDir,
    plugin: PathBuf,
    /// One closed port for every command of a test: the metadata endpoint
    /// variables are part of a plugin's key (`AWS_`, `ALIBABA_CLOUD_`), and
    /// `kubecred()` picks a new port each time.
    closed: String,
}

fn setup(label: &str) -> Setup {
    let home = TempDir::new(label);
    let plugin = home.write_script("plugin", COUNTING_PLUGIN);
    Setup { home, plugin, closed: closed_port_url() }
}

impl Setup {
    /// [`kubecred`] (or [`command_for`]) with the metadata endpoints on this setup's closed port.
    fn sealed(&self, program: &Path) -> Command {
        let mut cmd = command_for(program, self.home.path());
        cmd.env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &self.closed)
            .env("ALIBABA_CLOUD_ECS_METADATA_ENDPOINT", &self.closed)
            .env("GCE_METADATA_HOST", self.closed.trim_start_matches("http://"))
            .env("AZURE_POD_IDENTITY_AUTHORITY_HOST", &self.closed);
        cmd
    }

    fn kubecred(&self) -> Command {
        self.sealed(&kubecred_path())
    }

    fn cache_run(&self, args: &[&str]) -> Command {
        let mut cmd = self.kubecred();
        cmd.current_dir(self.home.path()).env("PLUGIN_TOKEN", "a").args(["cache", "run", "--"]).arg(&self.plugin);
        cmd.args(args);
        cmd
    }

    fn runs(&self) -> usize {
        std::fs::read_to_string(self.home.join("count")).map(|t| t.lines().count()).unwrap_or(0)
    }
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "status {:?}: {}", out.status, stderr(out));
    stdout(out)
}

#[test]
fn a_reply_is_cached_and_printed_unchanged() {
    let s = setup("cache-run");
    let first = ok(&run(&mut s.cache_run(&["x"])));
    assert!(first.starts_with("{\n  \"kind\": \"ExecCredential\",\n"), "{first}");
    assert!(first.contains("plugin-token-a"), "{first}");
    let second = ok(&run(&mut s.cache_run(&["x"])));
    assert_eq!(first, second);
    assert_eq!(s.runs(), 1);
    // Nothing but the reply on stdout, nothing on stderr.
    assert_eq!(stderr(&run(&mut s.cache_run(&["x"]))), "");
}

#[test]
fn the_key_holds_args_exec_info_cwd_and_plugin_environment() {
    let s = setup("cache-run-key");
    let v1 = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
    let v1_interactive =
        r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":true}}"#;
    ok(&run(&mut s.cache_run(&["x"])));
    ok(&run(&mut s.cache_run(&["y"])));
    assert_eq!(s.runs(), 2, "other arguments");
    ok(&run(s.cache_run(&["x"]).env("KUBERNETES_EXEC_INFO", v1)));
    assert_eq!(s.runs(), 3, "another apiVersion");
    let out = ok(&run(s.cache_run(&["x"]).env("KUBERNETES_EXEC_INFO", v1_interactive)));
    assert!(out.contains("\"client.authentication.k8s.io/v1\""), "{out}");
    assert_eq!(s.runs(), 3, "interactive or not is the same identity");
    ok(&run(s.cache_run(&["x"]).env("AWS_PROFILE", "other")));
    assert_eq!(s.runs(), 4, "a cloud variable");
    ok(&run(s.cache_run(&["x"]).env("SSH_AUTH_SOCK", "/tmp/agent.1")));
    assert_eq!(s.runs(), 4, "a session variable is not keyed");
    ok(&run(s.cache_run(&["x"]).env("TENANT", "t2").env("KUBECRED_CACHE_ENV", "TENANT")));
    assert_eq!(s.runs(), 5, "a variable named in KUBECRED_CACHE_ENV");
    let sub = s.home.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    ok(&run(s.cache_run(&["x"]).current_dir(&sub)));
    assert_eq!(s.runs(), 6, "another working directory");
}

#[test]
fn replies_without_expiry_or_of_another_version_are_not_cached() {
    let s = setup("cache-run-noexp");
    let plugin = s.home.write_script(
        "noexp",
        "#!/bin/sh\necho run >> \"$(dirname \"$0\")/count\"\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"status\":{\"token\":\"t\"}}'\n",
    );
    for _ in 0..2 {
        let out = run(s.kubecred().args(["cache", "run", "--"]).arg(&plugin));
        assert!(ok(&out).contains("\"token\":\"t\""));
    }
    assert_eq!(s.runs(), 2);
    // Asked for v1, the counting plugin answers v1beta1 when told nothing: here told v1beta1 by
    // a forced reply, so the version does not match and nothing is cached.
    let v1 = r#"{"apiVersion":"client.authentication.k8s.io/v1"}"#;
    let wrong = s.home.write_script(
        "wrong",
        "#!/bin/sh\necho run >> \"$(dirname \"$0\")/count\"\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"}}'\n",
    );
    for _ in 0..2 {
        ok(&run(s.kubecred().env("KUBERNETES_EXEC_INFO", v1).args(["cache", "run", "--"]).arg(&wrong)));
    }
    assert_eq!(s.runs(), 4);
}

#[test]
fn a_failing_plugin_passes_its_status_and_stderr_through() {
    let s = setup("cache-run-fail");
    let plugin = s.home.write_script(
        "failing",
        "#!/bin/sh\necho run >> \"$(dirname \"$0\")/count\"\necho 'login required: visit the portal' >&2\necho partial\nexit 7\n",
    );
    for _ in 0..2 {
        let out = run(s.kubecred().args(["cache", "run", "--"]).arg(&plugin));
        assert_eq!(out.status.code(), Some(7));
        assert_eq!(stderr(&out), "login required: visit the portal\n");
        assert_eq!(stdout(&out), "partial\n");
    }
    assert_eq!(s.runs(), 2, "nothing cached");
    let missing = run(s.kubecred().args(["cache", "run", "--", "/nonexistent/plugin"]));
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).starts_with("kubecred cache run: /nonexistent/plugin: cannot run it"),
        "{}",
        stderr(&missing)
    );
    let bare = run(s.kubecred().args(["cache", "run"]));
    assert_eq!(bare.status.code(), Some(2));
    let unknown = run(s.kubecred().args(["cache", "run", "--frobnicate", "--", "true"]));
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).starts_with("kubecred cache run: unknown flag --frobnicate"), "{}", stderr(&unknown));
}

#[test]
fn stdin_reaches_an_interactive_plugin() {
    let s = setup("cache-run-stdin");
    let plugin = s.home.write_script(
        "ask",
        "#!/bin/sh\nread answer\necho \"{\\\"kind\\\":\\\"ExecCredential\\\",\\\"apiVersion\\\":\\\"client.authentication.k8s.io/v1beta1\\\",\\\"status\\\":{\\\"token\\\":\\\"$answer\\\"}}\"\n",
    );
    let mut child = s
        .kubecred()
        .args(["cache", "run", "--"])
        .arg(&plugin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"typed-in\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(ok(&out).contains("\"token\":\"typed-in\""));
}

#[test]
fn sixteen_parallel_cold_runs_start_the_plugin_at_most_twice() {
    let s = setup("cache-run-parallel");
    let children: Vec<_> =
        (0..16).map(|_| s.cache_run(&["p"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()).collect();
    let outputs: Vec<String> = children.into_iter().map(|c| ok(&c.wait_with_output().unwrap())).collect();
    assert!(outputs.iter().all(|o| o == &outputs[0]));
    assert!(s.runs() <= 2, "{} runs", s.runs());
}

fn write_private_file(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn list_and_clear_show_kinds_and_never_secrets() {
    let s = setup("cache-list");
    ok(&run(s.cache_run(&["--client-secret", "PLUGIN-ARG-SECRET"]).env("PLUGIN_TOKEN", "SECRET-TOKEN-1")));
    let cache = s.home.join(".cache-kubecred");
    // An entry as an older kubecred wrote it: no `about`.
    let hash = "ab".repeat(32);
    write_private_file(
        &cache.join(format!("aws-sts-{hash}.json")),
        &format!(
            r#"{{"format":"kubecred-cache-v1","key":"{hash}","fetched":1,"issued":null,"expires":4102444800,"payload":{{"AccessKeyId":"ASIAOLD","SecretAccessKey":"OLD-SECRET-KEY"}}}}"#
        ),
    );
    let certs = s.home.join(".kube/cache/ack-ram-tool/credential-plugin");
    write_private_file(
        &certs.join("c0ffee-exec-auth-credential-v1beta1.json"),
        r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{"expirationTimestamp":"2099-01-01T00:00:00Z","clientCertificateData":"CERT","clientKeyData":"PRIVATE-KEY-SECRET"}}"#,
    );
    let out = run(s.kubecred().args(["cache", "list"]));
    let text = ok(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let kinds: Vec<&str> = lines.iter().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(kinds, ["aws", "plugin", "ack-cert"], "{text}");
    assert!(lines[1].contains("--client-secret ***"), "{text}");
    assert!(lines[1].contains(&format!("plugin {}", s.plugin.display())), "{text}");
    assert!(lines[2].contains("cluster c0ffee (v1beta1)"), "{text}");
    assert!(lines[0].contains("written before entries said what for"), "{text}");
    assert!(lines.iter().all(|l| l.split('\t').nth(2).unwrap().ends_with(" left")), "{text}");
    for secret in ["SECRET-TOKEN-1", "PLUGIN-ARG-SECRET", "OLD-SECRET-KEY", "PRIVATE-KEY-SECRET", "CERT\t"] {
        assert!(!text.contains(secret) && !stderr(&out).contains(secret), "{secret} leaked: {text}");
    }
    // --kind removes one kind only; the rest stay.
    let cleared = run(s.kubecred().args(["cache", "clear", "--kind", "ack-cert"]));
    assert!(stderr(&cleared).contains("removed 1 entries"), "{}", stderr(&cleared));
    let text = ok(&run(s.kubecred().args(["cache", "list"])));
    assert_eq!(text.lines().count(), 2, "{text}");
    // --credential-cache-dir and --cache-dir point elsewhere: nothing there.
    let elsewhere = s.home.join("empty");
    let text = ok(&run(s.kubecred().args(["cache", "list", "--cache-dir"]).arg(&elsewhere)));
    assert_eq!(text, "");
    ok(&run(s.kubecred().args(["cache", "clear"])));
    assert_eq!(ok(&run(s.kubecred().args(["cache", "list"]))), "");
    // After clear the plugin runs again.
    ok(&run(&mut s.cache_run(&["--client-secret", "PLUGIN-ARG-SECRET"])));
    assert_eq!(s.runs(), 2);
    let bad = run(s.kubecred().args(["cache", "clear", "--kind", "gcp"]));
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn role_entries_say_which_role() {
    let s = setup("cache-list-role");
    let sts = Fake::start("counting_sts.py", &[]);
    let out = run(s
        .kubecred()
        .args(["eks", "get-token", "--cluster-name", "demo", "--role-arn", "arn:aws:iam::123456789012:role/listed"])
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL_STS", sts.url("http")));
    ok(&out);
    let text = ok(&run(s.kubecred().args(["cache", "list"])));
    assert!(text.starts_with("aws\taws-sts arn:aws:iam::123456789012:role/listed "), "{text}");
    assert!(text.contains("(assume-role)"), "{text}");
    assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
}

#[test]
fn kubectl_runs_a_plugin_through_cache_run() {
    let kubectl = Path::new("/usr/bin/kubectl");
    if !kubectl.is_file() {
        return;
    }
    let s = setup("cache-run-kubectl");
    let pki = Pki::create(&s.home.join("pki"));
    let api = start_apiserver(&pki, &["--auth", "auth_static", "--option", "tokens=plugin-token-a"]);
    let config = s.home.write(
        "kubeconfig",
        &format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: {}\n    certificate-authority: pki/ca.crt\ncontexts:\n- name: main\n  context: {{cluster: fake, user: me}}\ncurrent-context: main\nusers:\n- name: me\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      args: [cache, run, --, ./plugin, kubectl]\n      env: [{{name: PLUGIN_TOKEN, value: a}}]\n      interactiveMode: Never\n",
            api.url("https"),
            kubecred_path().display()
        ),
    );
    for _ in 0..3 {
        let out = run(s.sealed(kubectl).current_dir(s.home.path()).args(["--kubeconfig"]).arg(&config).args([
            "get",
            "--raw",
            "/api/v1/namespaces",
        ]));
        assert!(out.status.success(), "kubectl: {}", stderr(&out));
    }
    assert_eq!(s.runs(), 1, "three kubectl runs, one plugin run");
}

#[test]
fn a_planted_link_is_listed_not_followed_and_clear_removes_only_the_link() {
    let s = setup("cache-list-link");
    let cache = s.home.join(".cache-kubecred");
    write_private_file(&cache.join("keep.txt"), "");
    let target = s.home.write("victim.json", "precious");
    let link = cache.join(format!("plugin-{}.json", "c".repeat(64)));
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let text = ok(&run(s.kubecred().args(["cache", "list"])));
    assert!(text.contains("a symbolic link, not followed"), "{text}");
    assert!(!text.contains("precious"), "{text}");
    ok(&run(s.kubecred().args(["cache", "clear"])));
    assert!(std::fs::symlink_metadata(&link).is_err(), "the link is gone");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious", "its target is untouched");
    assert!(cache.join("keep.txt").exists(), "files that are not entries stay");
}

#[test]
fn an_entry_is_used_until_a_tenth_of_its_lifetime_remains() {
    let s = setup("cache-run-expiry");
    // The plugin's token expires an hour after 2026-01-01T00:00:00Z.
    let plugin = s.home.write_script(
        "hour",
        "#!/bin/sh\necho run >> \"$(dirname \"$0\")/count\"\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"2026-01-01T01:00:00Z\"}}'\n",
    );
    let at = |now: &str| {
        ok(&run(s.kubecred().env("KUBECRED_TEST_NOW", now).args(["cache", "run", "--"]).arg(&plugin)));
        s.runs()
    };
    assert_eq!(at("2026-01-01T00:00:00Z"), 1);
    assert_eq!(at("2026-01-01T00:53:59Z"), 1, "more than 6 minutes left: cached");
    assert_eq!(at("2026-01-01T00:54:00Z"), 2, "6 minutes left: run again");
    // That reply was seen with 6 minutes of life: its margin is the 1 minute floor.
    assert_eq!(at("2026-01-01T00:58:59Z"), 2, "cached from the second run");
    // With less than the floor left a reply is not stored: the plugin runs every time.
    assert_eq!(at("2026-01-01T00:59:30Z"), 3);
    assert_eq!(at("2026-01-01T00:59:30Z"), 4);
}

#[test]
fn another_users_entry_is_reported_and_never_removed() {
    use std::os::unix::fs::MetadataExt;
    if std::fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(1) != 0 {
        eprintln!("another_users_entry_is_reported_and_never_removed: skipped: needs root to chown a file");
        return;
    }
    let s = setup("cache-list-foreign");
    let cache = s.home.join(".cache-kubecred");
    let foreign = cache.join(format!("aws-sts-{}.json", "d".repeat(64)));
    write_private_file(&foreign, "FOREIGN-CONTENT");
    std::os::unix::fs::chown(&foreign, Some(65534), Some(65534)).unwrap();
    let text = ok(&run(s.kubecred().args(["cache", "list"])));
    assert!(text.contains("not trusted: owned by uid 65534"), "{text}");
    assert!(!text.contains("FOREIGN-CONTENT"), "{text}");
    let cleared = run(s.kubecred().args(["cache", "clear"]));
    assert!(stderr(&cleared).contains("removed 0 entries"), "{}", stderr(&cleared));
    assert_eq!(std::fs::metadata(&foreign).unwrap().uid(), 65534, "left alone");
}

#[test]
fn cache_dir_flags_move_the_entries() {
    let s = setup("cache-run-dir");
    let elsewhere = s.home.join("elsewhere");
    let mut cmd = s.kubecred();
    cmd.current_dir(s.home.path()).args(["cache", "run"]).arg(format!("--cache-dir={}", elsewhere.display()));
    ok(&run(cmd.arg("--").arg(&s.plugin)));
    let mut cmd = s.kubecred();
    cmd.current_dir(s.home.path()).args(["cache", "run", "--cache-dir"]).arg(&elsewhere).arg("--").arg(&s.plugin);
    ok(&run(&mut cmd));
    assert_eq!(s.runs(), 1, "both forms name the same directory");
    assert_eq!(ok(&run(s.kubecred().args(["cache", "list"]))), "", "nothing in the default directory");
    let text = ok(&run(s.kubecred().args(["cache", "list", "--cache-dir"]).arg(&elsewhere)));
    assert_eq!(text.lines().count(), 1, "{text}");
}
