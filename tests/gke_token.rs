//! `kubecred gke get-token` against the Google stand-in (tests/fakes/fake_google.py,
//! which checks JWT signatures with `cryptography`): the ExecCredential, the
//! cache, impersonation, the metadata server, clear errors without secrets,
//! and real kubectl using it as an exec plugin.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const KEY: &str = "tests/data/jwt/rsa-pkcs8.pem";
const SA: &str = "deployer@proj.iam.gserviceaccount.com";
const REFRESH: &str = "1//refresh-SECRET-4f2a";
const CLIENT_SECRET: &str = "client-SECRET-9b1c";

struct Google {
    dir: TempDir,
    fake: Fake,
}

impl Google {
    fn start(label: &str, extra: &[&str]) -> Google {
        let dir = TempDir::new(label);
        let key = repo_root().join(KEY);
        let user = format!("cid.apps.googleusercontent.com:{CLIENT_SECRET}:{REFRESH}");
        let mut args = vec!["--sa-public-key", key.to_str().unwrap(), "--user", user.as_str()];
        args.extend_from_slice(extra);
        let fake = Fake::start("fake_google.py", &args);
        Google { dir, fake }
    }

    fn base(&self) -> String {
        self.fake.url("http")
    }

    fn service_account_file(&self) -> PathBuf {
        let key = std::fs::read_to_string(repo_root().join(KEY)).unwrap();
        let doc = serde_json::json!({"type": "service_account", "project_id": "proj", "private_key_id": "k1",
            "private_key": key, "client_email": SA, "token_uri": format!("{}/token", self.base())});
        self.dir.write("sa.json", &doc.to_string())
    }

    fn user_file(&self, refresh: &str) -> PathBuf {
        let doc = serde_json::json!({"type": "authorized_user", "client_id": "cid.apps.googleusercontent.com",
            "client_secret": CLIENT_SECRET, "refresh_token": refresh, "token_uri": format!("{}/token", self.base())});
        self.dir.write("user.json", &doc.to_string())
    }

    fn get_token(&self, adc: Option<&Path>, extra: &[&str]) -> Command {
        let mut cmd = kubecred(self.dir.path());
        cmd.args(["gke", "get-token"]).args(extra);
        cmd.env("CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS", format!("{}/", self.base()));
        if let Some(adc) = adc {
            cmd.env("GOOGLE_APPLICATION_CREDENTIALS", adc);
        }
        cmd
    }

    fn requests(&self) -> Vec<serde_json::Value> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.fake.port)).unwrap();
        write!(stream, "GET /_log HTTP/1.0\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        serde_json::from_str(reply.split_once("\r\n\r\n").unwrap().1).unwrap()
    }
}

fn credential(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

#[test]
fn service_account_token_cached_and_api_version_echoed() {
    let g = Google::start("gke-sa", &[]);
    let sa = g.service_account_file();
    let out = run(&mut g.get_token(Some(&sa), &[]));
    let value = credential(&out);
    assert_eq!(value["apiVersion"], "client.authentication.k8s.io/v1beta1");
    assert_eq!(value["spec"], serde_json::json!({"interactive": false}));
    assert_eq!(value["status"]["token"], format!("ya29.sa.{SA}"));
    assert!(value["status"]["expirationTimestamp"].as_str().unwrap().ends_with('Z'));
    assert!(stdout(&out).ends_with("}\n"), "one newline after the document");
    // Warm: the token comes from the cache, whatever apiVersion kubectl asks for.
    let v1 = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
    let again = credential(&run(g.get_token(Some(&sa), &[]).env("KUBERNETES_EXEC_INFO", v1)));
    assert_eq!(again["apiVersion"], "client.authentication.k8s.io/v1");
    assert_eq!(again["status"], value["status"]);
    assert_eq!(g.requests().len(), 1, "the second run used the cache");
    run(&mut g.get_token(Some(&sa), &["--no-cache"]));
    assert_eq!(g.requests().len(), 2, "--no-cache fetches");
}

#[test]
fn impersonation_and_the_metadata_server() {
    let g = Google::start("gke-imp", &[]);
    let user = g.user_file(REFRESH);
    let target = "target@proj.iam.gserviceaccount.com";
    let value = credential(&run(&mut g.get_token(Some(&user), &["--impersonate-service-account", target])));
    assert_eq!(value["status"]["token"], format!("ya29.imp.{target}"));
    let requests = g.requests();
    let generate = requests.last().unwrap();
    assert_eq!(generate["headers"]["authorization"], "Bearer ya29.user.cid.apps.googleusercontent.com");
    assert_eq!(generate["json"]["lifetime"], "3600s");
    // No file: the metadata server, with the header it requires.
    let metadata_host = g.base().trim_start_matches("http://").to_string();
    let value = credential(&run(g.get_token(None, &[]).env("GCE_METADATA_HOST", &metadata_host)));
    assert_eq!(value["status"]["token"], "ya29.gce.default");
    // Told not to look for it: a clear error and no request.
    let before = g.requests().len();
    let out = run(g.get_token(None, &[]).env("GCE_METADATA_HOST", &metadata_host).env("NO_GCE_CHECK", "true"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no Google credentials"), "{}", stderr(&out));
    assert_eq!(g.requests().len(), before);
}

#[test]
fn errors_are_one_line_and_carry_no_secret() {
    let g = Google::start("gke-errors", &[]);
    let revoked = g.user_file("1//revoked-SECRET-77");
    let sa = g.service_account_file();
    let junk = g.dir.write("junk.json", "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nSECRETKEYBYTES\\n-----END PRIVATE KEY-----\\n\", \"client_email\": \"x@y\"}");
    let cases: Vec<(Command, &str)> = vec![
        (g.get_token(Some(&revoked), &["--debug"]), "HTTP 400: invalid_grant"),
        (g.get_token(Some(&junk), &["--debug"]), "not a usable RSA private key"),
        (g.get_token(Some(&g.dir.join("missing.json")), &[]), "GOOGLE_APPLICATION_CREDENTIALS"),
        (g.get_token(Some(&sa), &["--impersonate-service-account", "a/../b"]), "not a service account email"),
        (g.get_token(Some(&sa), &["--bogus"]), "unknown flag --bogus"),
    ];
    for (mut cmd, expected) in cases {
        let out = run(&mut cmd);
        let err = stderr(&out);
        assert!(!out.status.success() && stdout(&out).is_empty(), "{err}");
        let last = err.lines().last().unwrap_or_default();
        assert!(last.contains(expected), "{err}");
        assert!(!err.lines().any(|l| !l.starts_with("kubecred")), "every line is kubecred's: {err}");
        for secret in ["SECRET", "ya29.", "BEGIN PRIVATE KEY", "eyJ"] {
            assert!(!err.contains(secret), "{secret} in: {err}");
        }
    }
    // The debug log of a successful run names steps, not tokens or keys.
    let out = run(&mut g.get_token(Some(&sa), &["--debug"]));
    assert!(out.status.success());
    assert!(!stderr(&out).contains("ya29.") && !stderr(&out).contains("eyJ"), "{}", stderr(&out));
}

#[test]
fn kubectl_uses_kubecred_as_its_gke_plugin() {
    let kubectl = Path::new("/usr/bin/kubectl");
    if !kubectl.is_file() {
        eprintln!("skipped: no kubectl");
        return;
    }
    let g = Google::start("gke-kubectl", &[]);
    let pki = Pki::create(&g.dir.join("pki"));
    let log = g.dir.join("api.log");
    let api = start_apiserver(
        &pki,
        &["--auth", "auth_static", "--option", &format!("tokens=ya29.sa.{SA}"), "--log", log.to_str().unwrap()],
    );
    let sa = g.service_account_file();
    let cache = g.dir.join("cache");
    for (version, command_args) in [
        ("client.authentication.k8s.io/v1", "[gke, get-token]".to_string()),
        (
            "client.authentication.k8s.io/v1beta1",
            "[compat, gke-gcloud-auth-plugin, --use_application_default_credentials]".to_string(),
        ),
    ] {
        let config = g.dir.write(
            "kubeconfig",
            &format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: gke\n  cluster:\n    server: {}\n    certificate-authority: {}\ncontexts:\n- name: gke\n  context: {{cluster: gke, user: gke}}\ncurrent-context: gke\nusers:\n- name: gke\n  user:\n    exec:\n      apiVersion: {version}\n      command: {}\n      args: {command_args}\n      interactiveMode: Never\n      provideClusterInfo: true\n      env:\n      - {{name: GOOGLE_APPLICATION_CREDENTIALS, value: {}}}\n      - {{name: KUBECRED_CACHE_DIR, value: {}}}\n",
                api.url("https"),
                pki.ca_cert.display(),
                kubecred_path().display(),
                sa.display(),
                cache.display(),
            ),
        );
        let out = run(command_for(kubectl, g.dir.path()).args([
            "--kubeconfig",
            config.to_str().unwrap(),
            "get",
            "--raw",
            "/api",
        ]));
        assert!(out.status.success(), "{version}: {}", stderr(&out));
    }
    let used = std::fs::read_to_string(&log).unwrap();
    let authenticated = used.lines().filter(|l| l.contains("\"user\": \"static:0\"")).count();
    assert!(authenticated >= 2, "both kubectl runs authenticated with the service account's token: {used}");
    assert_eq!(g.requests().len(), 1, "the second plugin run used the cache");
}

/// Without `--use_application_default_credentials`: gcloud's login through
/// `gcloud config config-helper`, compared with the real plugin running the
/// same stand-in `gcloud` (it logs the arguments it was given).
#[test]
fn gcloud_mode_matches_the_plugin() {
    let plugin = Path::new("/usr/lib/google-cloud-sdk/bin/gke-gcloud-auth-plugin");
    if !plugin.is_file() {
        eprintln!("skipped: {} is not installed", plugin.display());
        return;
    }
    let dir = TempDir::new("gke-gcloud");
    let authz = dir.write("authz-token", "authz-content");
    dir.write_script(
        "stub/gcloud",
        &format!(
            "#!/bin/sh\necho \"$*\" >> \"$GCLOUD_LOG\"\n\
             if [ -n \"$GCLOUD_FAIL\" ]; then echo 'ERROR: (gcloud.config.config-helper) You do not currently have an active account selected.' >&2; exit 1; fi\n\
             account=default; for a in \"$@\"; do case \"$a\" in --account=*) account=${{a#--account=}} ;; esac; done\n\
             file=; [ -n \"$GCLOUD_AUTHZ\" ] && file='\"auth\": {{\"authorization_token_file\": \"{}\"}}'\n\
             printf '{{\"configuration\": {{\"active_configuration\": \"default\", \"properties\": {{%s}}}}, \"credential\": {{\"access_token\": \"ya29.gcloud.%s\", \"token_expiry\": \"2030-01-01T00:00:00Z\"}}}}\\n' \"$file\" \"$account\"\n",
            authz.display()
        ),
    );
    let link = dir.join("bin/gke-gcloud-auth-plugin");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(kubecred_path(), &link).unwrap();
    let path = format!("{}:/usr/bin:/bin", dir.join("stub").display());
    /// The plugin's arguments and extra environment of one case.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let cases: &[Case] = &[
        (&[], &[]),
        (&["--account", "me@example.com"], &[]),
        (
            &[
                "--project=proj",
                "--account=me@example.com",
                "--impersonate_service_account",
                "sa@proj.iam.gserviceaccount.com",
            ],
            &[],
        ),
        (&[], &[("GCLOUD_AUTHZ", "1")]),
        (&[], &[("CLOUDSDK_AUTH_ACCESS_TOKEN", "ya29.from-env")]),
        (&[], &[("GCLOUD_FAIL", "1")]),
    ];
    for (index, (args, env)) in cases.iter().enumerate() {
        let mut outputs = Vec::new();
        for (who, program) in [("plugin", plugin), ("kubecred", link.as_path())] {
            let home = dir.join(&format!("home-{index}-{who}"));
            std::fs::create_dir_all(&home).unwrap();
            let log = dir.join(&format!("gcloud-{index}-{who}.log"));
            // The real plugin runs in a network namespace of its own: only loopback.
            let mut cmd = if who == "plugin" {
                let mut cmd = command_for(Path::new("unshare"), &home);
                cmd.args(["-n", "--"]).arg(program);
                cmd
            } else {
                command_for(program, &home)
            };
            cmd.args(*args).env("PATH", &path).env("GCLOUD_LOG", &log);
            for (name, value) in *env {
                cmd.env(name, value);
            }
            let out = run(&mut cmd);
            let logged = std::fs::read_to_string(&log).unwrap_or_default();
            outputs.push((out, logged));
        }
        let ((real, real_log), (ours, our_log)) = (&outputs[0], &outputs[1]);
        assert_eq!(real.status.success(), ours.status.success(), "case {index}: {}\n{}", stderr(real), stderr(ours));
        assert_eq!(stdout(real), stdout(ours), "case {index}");
        assert_eq!(real_log, our_log, "case {index}: gcloud's arguments");
        if ours.status.success() {
            assert!(
                stdout(ours).contains("\"token\": \"ya29.") || stdout(ours).contains("iam-ya29."),
                "{}",
                stdout(ours)
            );
        } else {
            assert!(stderr(ours).contains("You do not currently have an active account selected"), "{}", stderr(ours));
        }
    }
}

/// The drop-in's grammar: help and version answer on stdout, unknown flags
/// are refused as pflag refuses them, flags of other modes are accepted.
#[test]
fn the_drop_in_grammar() {
    let dir = TempDir::new("gke-grammar");
    let link = dir.join("gke-gcloud-auth-plugin");
    std::os::unix::fs::symlink(kubecred_path(), &link).unwrap();
    for flag in ["--help", "-h"] {
        let out = run(command_for(&link, dir.path()).arg(flag));
        assert!(out.status.success() && stdout(&out).contains("--use_application_default_credentials"), "{flag}");
    }
    let out = run(command_for(&link, dir.path()).arg("--version"));
    assert!(out.status.success() && stdout(&out).starts_with("kubecred "), "{}", stdout(&out));
    let out = run(command_for(&link, dir.path()).args(["--use_application_default_credentials", "--bogus"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown flag: --bogus"), "{}", stderr(&out));
    let out = run(command_for(&link, dir.path()).args(["--use_application_default_credentials=maybe"]));
    assert_eq!(out.status.code(), Some(2));
    // Edge Cloud and logging flags are taken; with NO_GCE_CHECK and no file, a clear failure follows.
    let out = run(command_for(&link, dir.path())
        .args(["--use_application_default_credentials", "--location", "l", "--cluster=c", "-v", "4", "--logtostderr"])
        .env("NO_GCE_CHECK", "true"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no Google credentials"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1);
}
