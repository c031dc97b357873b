//! `kubecred aks get-token` against a local Entra ID and IMDS stand-in
//! (tests/fakes/fake_entra.py) that verifies what it receives: the client
//! secret, the federated token, the certificate assertion's signature (with
//! Python `cryptography`), header and claims, and the IMDS query. What kubecred
//! sends is compared with what azure-identity (Python) sends to the same fake
//! for the same inputs. Real kubectl runs kubecred as its exec plugin against
//! kube_apiserver.py with an authenticator for the fake's tokens.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SERVER: &str = "6dae42f8-4368-4678-94ff-3960e28e3630";
const CLIENT: &str = "0e5c8f10-3a1b-4c2d-9e8f-70a1b2c3d4e5";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SECRET: &str = "Qx8~secret.value_With-Chars+/=";
const FEDERATED: &str =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDp3b3JrbG9hZCJ9.c2lnbmF0dXJl";
const TOKEN_KEY: &str = "fake-entra-key";

/// The fake Entra ID over TLS (its certificate from a private CA), with an RSA
/// client certificate for the certificate login.
struct Entra {
    dir: TempDir,
    pki: Pki,
    fake: Fake,
    log: PathBuf,
}

impl Entra {
    fn start(label: &str) -> Entra {
        let dir = TempDir::new(label);
        let pki = Pki::create(&dir.join("pki"));
        let status = Command::new("python3")
            .arg(repo_root().join("tests/fakes/rsa_client_cert.py"))
            .arg(dir.join("spn"))
            .status()
            .unwrap();
        assert!(status.success());
        dir.write("federated-token", &format!("{FEDERATED}\n"));
        let log = dir.join("entra.log");
        let fake = Fake::start(
            "fake_entra.py",
            &[
                "--cert",
                pki.server_cert.to_str().unwrap(),
                "--key",
                pki.server_key.to_str().unwrap(),
                "--log",
                log.to_str().unwrap(),
                "--client",
                CLIENT,
                "--secret",
                SECRET,
                "--federated-token",
                FEDERATED,
                "--client-cert",
                dir.join("spn/spn.crt").to_str().unwrap(),
                "--token-key",
                TOKEN_KEY,
            ],
        );
        Entra { dir, pki, fake, log }
    }

    fn authority(&self) -> String {
        format!("https://127.0.0.1:{}/", self.fake.port)
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_string()
    }

    /// Every request logged so far.
    fn requests(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    fn token_requests(&self) -> Vec<Value> {
        self.requests().into_iter().filter(|r| r["method"] == "POST").collect()
    }

    /// `kubecred aks get-token --server-id SERVER ARGS...`, trusting the fake's CA.
    fn kubecred(&self, home: &Path, args: &[&str]) -> Command {
        let mut cmd = kubecred(home);
        cmd.args(["aks", "get-token", "--server-id", SERVER]).args(args).env("SSL_CERT_FILE", &self.pki.ca_cert);
        cmd
    }

    /// azure-identity's request for the same inputs (the last POST it made).
    fn azure_identity(&self, home: &Path, kind: &str, extra: &[&str]) -> Value {
        let before = self.token_requests().len();
        let script = repo_root().join("tests/fakes/azure_identity_client.py");
        let out = run(command_for(Path::new("python3"), home)
            .arg(script)
            .args(["--kind", kind, "--scope", &format!("{SERVER}/.default"), "--authority", &self.authority()])
            .args(["--tenant", TENANT, "--client", CLIENT, "--ca", self.pki.ca_cert.to_str().unwrap()])
            .args(extra));
        assert!(out.status.success(), "azure-identity: {}", stderr(&out));
        let requests = self.token_requests();
        assert_eq!(requests.len(), before + 1, "azure-identity made one token request");
        requests[before].clone()
    }
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), stderr(out));
    assert_eq!(stderr(out), "", "nothing on stderr");
    stdout(out)
}

/// The checks the fake made on a request: all must hold.
fn assert_checks(request: &Value) {
    let checks = request["checks"].as_object().unwrap_or_else(|| panic!("no checks: {request}"));
    for (name, passed) in checks {
        assert_eq!(passed, &Value::Bool(true), "check {name} failed: {request}");
    }
}

fn form(request: &Value) -> BTreeMap<String, String> {
    let fields = request["form"].as_object().unwrap();
    fields.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect()
}

/// The ExecCredential exactly as kubelogin prints it, for the token kubecred printed.
fn assert_kubelogin_layout(printed: &str, api_version: &str) -> String {
    let document: Value = serde_json::from_str(printed).unwrap();
    let token = document["status"]["token"].as_str().unwrap().to_string();
    let expiry = document["status"]["expirationTimestamp"].as_str().unwrap();
    assert!(token.starts_with("fakeentra."), "{token}");
    let expected = format!(
        "{{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/{api_version}\",\"spec\":{{\"interactive\":false}},\"status\":{{\"expirationTimestamp\":\"{expiry}\",\"token\":\"{token}\"}}}}\n"
    );
    assert_eq!(printed, expected);
    token
}

#[test]
fn spn_secret_prints_what_kubelogin_prints_and_sends_what_azure_identity_sends() {
    let entra = Entra::start("aks-spn-secret");
    let home = TempDir::new("aks-spn-secret-home");
    let out = run(entra
        .kubecred(home.path(), &["--login", "spn", "--tenant-id", TENANT, "--authority-host", &entra.authority()])
        .env("AZURE_CLIENT_ID", CLIENT)
        .env("AZURE_CLIENT_SECRET", SECRET)
        // A fixed clock makes the expiry exact: the fake says expires_in 3599.
        .env("KUBECRED_TEST_NOW", "1700000000"));
    let printed = ok(&out);
    assert_kubelogin_layout(&printed, "v1beta1");
    assert!(printed.contains("\"expirationTimestamp\":\"2023-11-14T23:13:19Z\""), "{printed}");
    let ours = entra.token_requests().pop().unwrap();
    assert_checks(&ours);
    assert_eq!(ours["path"], format!("/{TENANT}/oauth2/v2.0/token"));
    assert_eq!(ours["content_type"], "application/x-www-form-urlencoded; charset=utf-8");

    let theirs = entra.azure_identity(home.path(), "secret", &["--secret", SECRET]);
    assert_checks(&theirs);
    let (ours, theirs) = (form(&ours), form(&theirs));
    // Agree: grant_type, client_id, client_secret and the .default scope.
    for key in ["grant_type", "client_id", "client_secret"] {
        assert_eq!(ours[key], theirs[key], "{key}");
    }
    // Differ on purpose: kubecred sends MSAL for Go's (kubelogin's) scope, with
    // the OpenID scopes MSAL Go adds to every request; MSAL Python sends the scope alone.
    assert_eq!(ours["scope"], format!("{SERVER}/.default openid offline_access profile"));
    assert_eq!(theirs["scope"].split(' ').next(), Some(format!("{SERVER}/.default").as_str()));
    let extra: Vec<&String> = theirs.keys().filter(|k| !ours.contains_key(*k)).collect();
    let missing: Vec<&String> = ours.keys().filter(|k| !theirs.contains_key(*k)).collect();
    assert!(extra.iter().all(|k| k.as_str() == "client_info") && missing.is_empty(), "{extra:?} {missing:?}");
}

#[test]
fn workload_identity_sends_the_federated_token_as_azure_identity_does() {
    let entra = Entra::start("aks-wi");
    let home = TempDir::new("aks-wi-home");
    let out = run(entra
        .kubecred(home.path(), &["--login", "workloadidentity"])
        .env("AZURE_CLIENT_ID", CLIENT)
        .env("AZURE_TENANT_ID", TENANT)
        .env("AZURE_FEDERATED_TOKEN_FILE", entra.path("federated-token"))
        .env("AZURE_AUTHORITY_HOST", entra.authority())
        .env(
            "KUBERNETES_EXEC_INFO",
            r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#,
        ));
    assert_kubelogin_layout(&ok(&out), "v1");
    let ours = entra.token_requests().pop().unwrap();
    assert_checks(&ours);
    assert_eq!(ours["checks"]["federated_token"], true);

    let theirs = entra.azure_identity(home.path(), "workload", &["--token-file", &entra.path("federated-token")]);
    assert_checks(&theirs);
    let (ours, theirs) = (form(&ours), form(&theirs));
    for key in ["grant_type", "client_id", "client_assertion", "client_assertion_type"] {
        assert_eq!(ours[key], theirs[key], "{key}");
    }
    assert_eq!(ours["client_info"], "1");
    assert_eq!(ours["scope"], format!("{SERVER}/.default openid offline_access profile"));
}

#[test]
fn spn_certificate_assertion_verifies_and_matches_azure_identity() {
    let entra = Entra::start("aks-cert");
    let home = TempDir::new("aks-cert-home");
    for pem in ["spn/spn.pem", "spn/spn-pkcs1.pem"] {
        let out = run(entra
            .kubecred(home.path(), &["--login", "spn", "--client-id", CLIENT, "--tenant-id", TENANT, "--no-cache"])
            .args(["--authority-host", &entra.authority(), "--client-certificate", &entra.path(pem)]));
        assert_kubelogin_layout(&ok(&out), "v1beta1");
        let ours = entra.token_requests().pop().unwrap();
        assert_checks(&ours);
        for check in ["signature", "thumbprint", "x5c", "aud", "iss_sub", "jti", "nbf", "exp"] {
            assert_eq!(ours["checks"][check], true, "{check}: {ours}");
        }
        let header = ours["assertion_header"].as_object().unwrap();
        let keys: Vec<&str> = header.keys().map(String::as_str).collect();
        assert_eq!(keys, ["alg", "typ", "x5c", "x5t#S256"]);
        assert_eq!(header["alg"], "PS256");
        let claims = ours["assertion_claims"].as_object().unwrap();
        let keys: Vec<&str> = claims.keys().map(String::as_str).collect();
        assert_eq!(keys, ["aud", "exp", "iss", "jti", "nbf", "sub"]);
        assert_eq!(claims["exp"].as_i64().unwrap() - claims["nbf"].as_i64().unwrap(), 600);
    }
    let ours = entra.token_requests().pop().unwrap();
    let theirs = entra.azure_identity(home.path(), "certificate", &["--cert", &entra.path("spn/spn.pem")]);
    assert_checks(&theirs);
    // The same certificate chain (x5c), audience, issuer and subject. They differ
    // in the signature: azure-identity hands MSAL Python the SHA-1 thumbprint, so
    // it signs RS256 with `x5t`; MSAL for Go (kubelogin) signs PS256 with `x5t#S256`.
    let (our_header, their_header) = (&ours["assertion_header"], &theirs["assertion_header"]);
    assert_eq!(our_header["x5c"], their_header["x5c"]);
    let theirs_signed = (their_header["alg"].as_str(), their_header.get("x5t").is_some());
    assert!(matches!(theirs_signed, (Some("RS256"), true) | (Some("PS256"), false)), "{their_header}");
    assert_eq!(our_header["typ"], their_header["typ"]);
    for claim in ["aud", "iss", "sub"] {
        assert_eq!(ours["assertion_claims"][claim], theirs["assertion_claims"][claim], "{claim}");
    }
    let (ours, theirs) = (form(&ours), form(&theirs));
    for key in ["grant_type", "client_id", "client_assertion_type"] {
        assert_eq!(ours[key], theirs[key], "{key}");
    }
}

#[test]
fn msi_asks_imds_as_azure_identity_does() {
    let entra = Entra::start("aks-msi");
    // IMDS is plain http on the metadata address; the fake's TLS listener cannot
    // serve that, so a second fake without TLS stands in for it.
    let imds_log = entra.dir.join("imds.log");
    let imds = Fake::start("fake_entra.py", &["--log", imds_log.to_str().unwrap(), "--client", CLIENT]);
    let home = TempDir::new("aks-msi-home");
    let read = || -> Vec<Value> {
        std::fs::read_to_string(&imds_log).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    for client in [None, Some(CLIENT)] {
        let mut cmd = entra.kubecred(home.path(), &["--login", "msi", "--no-cache"]);
        cmd.env("AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.url("http"));
        if let Some(client) = client {
            cmd.args(["--client-id", client]);
        }
        assert_kubelogin_layout(&ok(&run(&mut cmd)), "v1beta1");
        let ours = read().pop().unwrap();
        assert_checks(&ours);
        let mut python = command_for(Path::new("python3"), home.path());
        python.arg(repo_root().join("tests/fakes/azure_identity_client.py"));
        python.args(["--kind", "managed", "--scope", &format!("{SERVER}/.default")]);
        python.env("AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.url("http"));
        if let Some(client) = client {
            python.args(["--client", client]);
        }
        let out = run(&mut python);
        assert!(out.status.success(), "azure-identity: {}", stderr(&out));
        let theirs = read().pop().unwrap();
        assert_eq!(ours["path"], theirs["path"]);
        assert_eq!(ours["query"], theirs["query"], "the same query");
        assert_eq!(ours["metadata_header"], theirs["metadata_header"]);
    }
}

#[test]
fn tokens_are_cached_until_near_expiry_and_no_cache_fetches() {
    let entra = Entra::start("aks-cache");
    let home = TempDir::new("aks-cache-home");
    let args = ["--login", "spn", "--client-id", CLIENT, "--tenant-id", TENANT];
    let get = |extra: &[&str]| {
        let mut cmd = entra.kubecred(home.path(), &args);
        cmd.args(["--authority-host", &entra.authority()]).args(extra).env("AZURE_CLIENT_SECRET", SECRET);
        ok(&run(&mut cmd))
    };
    let first = get(&[]);
    assert_eq!(get(&[]), first, "the second run reads the cache");
    assert_eq!(entra.token_requests().len(), 1);
    get(&["--no-cache"]);
    assert_eq!(entra.token_requests().len(), 2);
    // Another server id is another token.
    let mut cmd = kubecred(home.path());
    cmd.args(["aks", "get-token", "--server-id", "api://other"]).args(args);
    cmd.args(["--authority-host", &entra.authority()]).env("AZURE_CLIENT_SECRET", SECRET);
    cmd.env("SSL_CERT_FILE", &entra.pki.ca_cert);
    ok(&run(&mut cmd));
    assert_eq!(entra.token_requests().len(), 3);
    // The cache holds no secret.
    for entry in std::fs::read_dir(home.join(".cache-kubecred")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(!text.contains(SECRET), "{}", path.display());
        }
    }
}

#[test]
fn parallel_cold_starts_make_one_call() {
    let entra = Entra::start("aks-parallel");
    let home = TempDir::new("aks-parallel-home");
    let children: Vec<_> = (0..8)
        .map(|_| {
            entra
                .kubecred(home.path(), &["-l", "spn", "--client-id", CLIENT, "-t", TENANT])
                .args(["--authority-host", &entra.authority()])
                .env("AZURE_CLIENT_SECRET", SECRET)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let printed: Vec<String> = children.into_iter().map(|c| ok(&c.wait_with_output().unwrap())).collect();
    assert!(printed.iter().all(|p| p == &printed[0]), "every process printed the same token");
    assert_eq!(entra.token_requests().len(), 1, "the cache lock let one process fetch");
}

#[test]
fn errors_are_one_line_name_the_endpoint_and_quote_no_secret() {
    let entra = Entra::start("aks-errors");
    let home = TempDir::new("aks-errors-home");
    let host = entra.authority();
    let run_with = |args: &[&str], secret: &str| {
        let mut cmd = entra.kubecred(home.path(), args);
        cmd.arg("--no-cache").env("AZURE_CLIENT_SECRET", secret).env("AZURE_CLIENT_ID", CLIENT);
        run(&mut cmd)
    };
    let wrong = "not-the-secret-9f8e";
    let out = run_with(&["-l", "spn", "-t", TENANT, "--authority-host", &host], wrong);
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{message}");
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("spn (client secret): Entra ID token endpoint https://127.0.0.1:"), "{message}");
    assert!(message.contains("HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided."), "{message}");
    assert!(!message.contains(wrong) && !message.contains("Trace ID") && stdout(&out).is_empty(), "{message}");

    let out = run_with(&["-l", "spn", "-t", "unknown-tenant", "--authority-host", &host], SECRET);
    assert!(stderr(&out).contains("AADSTS90002: Tenant 'unknown-tenant' not found."), "{}", stderr(&out));
    assert!(!stderr(&out).contains(SECRET));

    let token_file = entra.path("federated-token");
    let bad_assertion = run(entra
        .kubecred(home.path(), &["-l", "workloadidentity", "--client-id", CLIENT, "-t", TENANT])
        .args(["--authority-host", &host, "--federated-token-file", &entra.path("missing-token")]));
    assert_eq!(bad_assertion.status.code(), Some(1));
    assert!(stderr(&bad_assertion).contains("federated token file"), "{}", stderr(&bad_assertion));
    assert!(!std::fs::read_to_string(token_file).unwrap().is_empty());

    // Values that would change the URL are refused before anything is sent (exit 2).
    let before = entra.requests().len();
    for (args, expected) in [
        (vec!["-l", "spn", "-t", "evil.com/x?", "--authority-host", host.as_str()], "neither a GUID nor a domain"),
        (vec!["-l", "spn", "-t", "a@b", "--authority-host", host.as_str()], "neither a GUID nor a domain"),
        (vec!["-l", "spn", "-t", TENANT, "--authority-host", "https://u@127.0.0.1/"], "authority host"),
        (vec!["-l", "spn", "-t", TENANT, "--authority-host", "http://login.example.com/"], "plain http"),
        (vec!["-l", "devicecode"], "devicecode"),
        (vec!["-l", "spn"], "--tenant-id"),
        (vec!["-l", "spn", "-e", "AzureMoonCloud"], "unknown Azure environment"),
        (vec!["--legacy"], "not supported"),
    ] {
        let out = run_with(&args, SECRET);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains(SECRET));
    }
    let out =
        run(entra.kubecred(home.path(), &["-l", "msi"]).env("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://10.1.2.3"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("AZURE_POD_IDENTITY_AUTHORITY_HOST"), "{}", stderr(&out));
    // The closed port every test points IMDS at: a one-line failure naming the endpoint.
    let out = run(&mut entra.kubecred(home.path(), &["-l", "msi"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("managed identity: instance metadata identity endpoint: request to 127.0.0.1:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(entra.requests().len(), before, "nothing reached the fake");
}

#[test]
fn kubelogin_drop_in_prints_what_kubelogin_prints_and_refuses_the_rest() {
    let entra = Entra::start("aks-dropin");
    let home = TempDir::new("aks-dropin-home");
    let bin = home.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let kubelogin = bin.join("kubelogin");
    std::os::unix::fs::symlink(kubecred_path(), &kubelogin).unwrap();
    let host = entra.authority();
    let out = run(command_for(&kubelogin, home.path())
        .args(["get-token", "--login=spn", "--server-id", SERVER, "--client-id", CLIENT, "--tenant-id", TENANT])
        .args(["--environment", "AzurePublicCloud", "--authority-host", &host, "--cache-dir", "/nonexistent"])
        .env("AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", SECRET)
        .env("SSL_CERT_FILE", &entra.pki.ca_cert));
    assert_kubelogin_layout(&ok(&out), "v1beta1");
    for args in [&["convert-kubeconfig", "-l", "azurecli"][..], &[], &["get-token", "--no-cache"], &["remove-tokens"]] {
        let out = run(command_for(&kubelogin, home.path()).args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("kubelogin"), "{args:?}: {}", stderr(&out));
    }
    let out = run(command_for(&kubelogin, home.path()).arg("--version"));
    assert!(out.status.success() && stdout(&out).contains("kubecred"), "{}", stderr(&out));
}

#[test]
fn kubectl_authenticates_with_kubecred_aks_tokens() {
    let entra = Entra::start("aks-kubectl");
    let home = TempDir::new("aks-kubectl-home");
    let api_log = home.join("api.log");
    let api = start_apiserver(
        &entra.pki,
        &[
            "--auth",
            "auth_entra",
            "--option",
            &format!("entra_key={TOKEN_KEY}"),
            "--option",
            &format!("entra_server_id={SERVER}"),
            "--log",
            api_log.to_str().unwrap(),
        ],
    );
    for api_version in ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"] {
        let interactive = if api_version.ends_with("/v1") { "\n      interactiveMode: Never" } else { "" };
        let config = home.write(
            "config.yaml",
            &format!(
                r#"apiVersion: v1
kind: Config
clusters:
- name: aks
  cluster:
    server: {server}
    certificate-authority: {ca}
users:
- name: aks-user
  user:
    exec:
      apiVersion: {api_version}
      command: {kubecred}
      args: ["aks", "get-token", "--login", "workloadidentity", "--server-id", "{SERVER}"]
      env:
      - {{name: AZURE_CLIENT_ID, value: "{CLIENT}"}}
      - {{name: AZURE_TENANT_ID, value: "{TENANT}"}}
      - {{name: AZURE_FEDERATED_TOKEN_FILE, value: "{token_file}"}}
      - {{name: AZURE_AUTHORITY_HOST, value: "{authority}"}}
      - {{name: SSL_CERT_FILE, value: "{ca}"}}{interactive}
contexts:
- name: aks
  context: {{cluster: aks, user: aks-user}}
current-context: aks
"#,
                server = api.url("https"),
                ca = entra.pki.ca_cert.display(),
                kubecred = kubecred_path().display(),
                token_file = entra.path("federated-token"),
                authority = entra.authority(),
            ),
        );
        let out = run(command_for(Path::new("/usr/bin/kubectl"), home.path()).args([
            "--kubeconfig",
            config.to_str().unwrap(),
            "get",
            "--raw",
            "/api/v1/namespaces",
        ]));
        assert!(out.status.success(), "{api_version}: {}", stderr(&out));
        assert!(stdout(&out).contains("NamespaceList"));
    }
    let log = std::fs::read_to_string(&api_log).unwrap();
    assert!(log.contains(&format!("entra:{CLIENT}")), "{log}");
    // The second kubectl run took the token from kubecred's cache.
    assert_eq!(entra.token_requests().len(), 1);
}

#[test]
fn debug_output_carries_no_secret_on_success_or_failure() {
    let entra = Entra::start("aks-leak");
    let home = TempDir::new("aks-leak-home");
    let key_pem = std::fs::read_to_string(entra.dir.join("spn/spn.pem")).unwrap();
    let key_line = key_pem.lines().find(|l| l.len() > 40 && !l.contains("CERTIFICATE")).unwrap().to_string();
    let host = entra.authority();
    let cases: Vec<Vec<String>> = vec![
        vec!["-l", "spn", "--client-secret", SECRET],
        vec!["-l", "spn", "--client-secret", "PLANTED-wrong-secret"],
        vec!["-l", "spn", "--client-certificate", &entra.path("spn/spn.pem")],
        vec!["-l", "workloadidentity", "--federated-token-file", &entra.path("federated-token")],
        vec!["-l", "msi"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect();
    for args in cases {
        let out = run(entra
            .kubecred(home.path(), &["--v=10", "--no-cache", "--client-id", CLIENT, "-t", TENANT])
            .args(["--authority-host", &host])
            .args(&args));
        let (err, printed) = (stderr(&out), stdout(&out));
        assert!(err.contains("kubecred: debug:"), "{args:?}: debug is on: {err}");
        for secret in [SECRET, "PLANTED-wrong-secret", FEDERATED, key_line.as_str(), "fakeentra."] {
            assert!(!err.contains(secret), "{args:?} leaks {secret:?}: {err}");
        }
        // stdout is the credential or nothing.
        assert!(printed.is_empty() || printed.starts_with("{\"kind\":\"ExecCredential\""), "{printed}");
    }
}

/// A small deterministic generator (xorshift64*), so that every run tries the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn guid(&mut self) -> String {
        let hex = format!("{:016x}{:016x}", self.next(), self.next());
        format!("{}-{}-4{}-a{}-{}", &hex[..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
    }

    fn secret(&mut self) -> String {
        const CHARS: &[u8] = b"abcXYZ019~._-+/=&%#? ";
        let len = 8 + (self.next() % 32) as usize;
        (0..len).map(|_| CHARS[(self.next() % CHARS.len() as u64) as usize] as char).collect()
    }
}

/// Seeded differential test: for many realistic service principals (server ids
/// in their several forms, GUID and domain tenants, secrets full of characters
/// that need escaping), kubecred and azure-identity send the same grant to the
/// same fake, apart from the scope suffix MSAL for Go adds and MSAL Python's
/// client_info.
#[test]
fn differential_spn_secret_grants_match_azure_identity() {
    let dir = TempDir::new("aks-diff");
    let pki = Pki::create(&dir.join("pki"));
    let log = dir.join("entra.log");
    let fake = Fake::start(
        "fake_entra.py",
        &[
            "--cert",
            pki.server_cert.to_str().unwrap(),
            "--key",
            pki.server_key.to_str().unwrap(),
            "--log",
            log.to_str().unwrap(),
            "--any-client",
        ],
    );
    let authority = format!("https://127.0.0.1:{}/", fake.port);
    let home = TempDir::new("aks-diff-home");
    let posts = || -> Vec<Value> {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).filter(|r| r["method"] == "POST").collect()
    };
    let mut rng = Rng(0x6b75_6265_6372_6564);
    for case in 0..8 {
        let server_id = match rng.next() % 4 {
            0 => rng.guid(),
            1 => format!("api://{}", rng.guid()),
            2 => format!("api://{}/", rng.guid()),
            _ => format!("https://{}.example.com/app", rng.pick(&["aks", "k8s-api", "x"])),
        };
        // kubelogin's scope: no trailing slashes, then /.default.
        let scope = format!("{}/.default", server_id.trim_end_matches('/'));
        let tenant = if rng.next().is_multiple_of(2) {
            rng.guid()
        } else {
            format!("{}.onmicrosoft.com", rng.pick(&["contoso", "fabrikam-1"]))
        };
        let (client, secret) = (rng.guid(), rng.secret());
        let label = format!("case {case}: server {server_id:?} tenant {tenant:?} secret {secret:?}");

        let out = run(kubecred(home.path())
            .args(["aks", "get-token", "--server-id", &server_id, "-l", "spn", "--no-cache"])
            .args(["--client-id", &client, "--tenant-id", &tenant, "--authority-host", &authority])
            .env("AZURE_CLIENT_SECRET", &secret)
            .env("SSL_CERT_FILE", &pki.ca_cert));
        assert!(out.status.success(), "{label}: {}", stderr(&out));
        let ours = posts().pop().unwrap();

        let python = run(command_for(Path::new("python3"), home.path())
            .arg(repo_root().join("tests/fakes/azure_identity_client.py"))
            .args(["--kind", "secret", "--scope", &scope, "--authority", &authority, "--tenant", &tenant])
            .args(["--client", &client, "--secret", &secret, "--ca", pki.ca_cert.to_str().unwrap()]));
        assert!(python.status.success(), "{label}: azure-identity: {}", stderr(&python));
        let theirs = posts().pop().unwrap();

        assert_eq!(ours["path"], theirs["path"], "{label}");
        let (ours, theirs) = (form(&ours), form(&theirs));
        for key in ["grant_type", "client_id", "client_secret"] {
            assert_eq!(ours.get(key), theirs.get(key), "{label}: {key}");
        }
        assert_eq!(theirs["scope"], scope, "{label}");
        assert_eq!(ours["scope"], format!("{scope} openid offline_access profile"), "{label}");
    }
}
