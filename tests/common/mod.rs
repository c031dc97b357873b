//! Shared pieces of the integration tests: running kubecred in a sealed
//! environment, temporary directories, and local fake servers.
//!
//! Every kubecred process a test starts comes from [`kubecred`]: its environment
//! is emptied, HOME and the cache live in a fresh directory, every metadata
//! service is switched off *and* pointed at a closed loopback port (Azure's IMDS
//! through AZURE_POD_IDENTITY_AUTHORITY_HOST), and
//! `KUBECRED_TEST_LOOPBACK_ONLY` makes kubecred refuse any non-loopback host. No
//! test can reach 169.254.169.254, 169.254.170.2, fd00:ec2::254 or 100.100.100.200
//! (GCE_METADATA_HOST too points at the closed port).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The kubecred binary under test: `KUBECRED_BIN` when set (the aarch64 build,
/// say, run through `KUBECRED_RUNNER`), else the one cargo built for these tests.
pub fn kubecred_path() -> PathBuf {
    match std::env::var_os("KUBECRED_BIN").filter(|v| !v.is_empty()) {
        Some(bin) => PathBuf::from(bin),
        None => PathBuf::from(env!("CARGO_BIN_EXE_kubecred")),
    }
}

/// `KUBECRED_RUNNER`: a program that runs kubecred for the tests
/// (`qemu-aarch64-static` for the aarch64 binary on an x86_64 host), if any.
pub fn runner() -> Option<PathBuf> {
    std::env::var_os("KUBECRED_RUNNER").filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// A command that starts `program`, through [`runner`] when `program` is
/// kubecred itself or a link to it (a drop-in name such as `aws`).
fn start(program: &Path) -> Command {
    let Some(runner) = runner() else { return Command::new(program) };
    let is_kubecred = match (std::fs::canonicalize(program), std::fs::canonicalize(kubecred_path())) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !is_kubecred {
        return Command::new(program);
    }
    let mut cmd = Command::new(runner);
    cmd.arg(program);
    cmd
}

/// A directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("kubecred-test-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes `contents` to `name` (parents created) and returns the path.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }

    /// Writes an executable `name` (a script with its `#!` line) and returns the path.
    pub fn write_script(&self, name: &str, contents: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.write(name, contents);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("make script executable");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `http://127.0.0.1:PORT` where nothing listens.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A kubecred command with a sealed environment whose HOME is `home`.
pub fn kubecred(home: &Path) -> Command {
    command_for(&kubecred_path(), home)
}

/// `kubecred eks get-token --cluster-name c --region us-east-1`, sealed as [`kubecred`] is.
pub fn eks_get_token(home: &Path) -> Command {
    let mut cmd = kubecred(home);
    cmd.args(["eks", "get-token", "--cluster-name", "c", "--region", "us-east-1"]);
    cmd
}

/// Like [`kubecred`] for any program (kubectl, a link to kubecred named `aws`...).
pub fn command_for(program: &Path, home: &Path) -> Command {
    let closed = closed_port_url();
    let mut cmd = start(program);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("KUBECRED_CACHE_DIR", home.join(".cache-kubecred"))
        .env("KUBECRED_TEST_LOOPBACK_ONLY", "1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &closed)
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env("ALIBABA_CLOUD_ECS_METADATA_ENDPOINT", &closed)
        .env("GCE_METADATA_HOST", closed.trim_start_matches("http://"))
        .env("AZURE_POD_IDENTITY_AUTHORITY_HOST", &closed)
        .env("AWS_CONFIG_FILE", home.join("no-aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-aws-credentials"))
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd` and returns its output.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run command")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The repository's root (for scripts under tests/fakes).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fake server: `python3 tests/fakes/SCRIPT ARGS...`, which prints `PORT n` as
/// its first line on stdout and serves on 127.0.0.1:n until killed.
pub struct Fake {
    child: Child,
    pub port: u16,
}

impl Fake {
    pub fn start(script: &str, args: &[&str]) -> Fake {
        let mut child = Command::new("python3")
            .arg(repo_root().join("tests/fakes").join(script))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start python3 fake");
        let stdout = child.stdout.take().expect("fake stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read fake port");
        let port = line.trim().strip_prefix("PORT ").and_then(|p| p.parse().ok());
        let Some(port) = port else {
            let _ = child.kill();
            panic!("fake {script} did not announce its port: {line:?}");
        };
        Fake { child, port }
    }

    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The JSON body of `GET path` on the fake (its `/_log`, say), over a raw
    /// HTTP/1.1 connection.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect to the fake");
        write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").expect("send");
        let mut text = String::new();
        stream.read_to_string(&mut text).expect("read the reply");
        let body = text.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
        serde_json::from_str(body).expect("a JSON body")
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A private CA with a server certificate for 127.0.0.1/localhost and a client
/// certificate, written as PEM files into `dir` by tests/fakes/certs.py.
pub struct Pki {
    pub ca_cert: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

impl Pki {
    pub fn create(dir: &Path) -> Pki {
        let status = Command::new("python3")
            .arg(repo_root().join("tests/fakes/certs.py"))
            .arg(dir)
            .status()
            .expect("run certs.py");
        assert!(status.success(), "certs.py failed");
        Pki {
            ca_cert: dir.join("ca.crt"),
            server_cert: dir.join("server.crt"),
            server_key: dir.join("server.key"),
            client_cert: dir.join("client.crt"),
            client_key: dir.join("client.key"),
        }
    }
}

/// The kube-apiserver stand-in (tests/fakes/kube_apiserver.py) serving TLS with
/// `pki`'s server certificate and accepting client certificates of its CA;
/// `args` add authenticators (`--auth`), `--option`s and `--log`.
pub fn start_apiserver(pki: &Pki, args: &[&str]) -> Fake {
    let mut all = vec![
        "--cert",
        pki.server_cert.to_str().expect("UTF-8 path"),
        "--key",
        pki.server_key.to_str().expect("UTF-8 path"),
        "--client-ca",
        pki.ca_cert.to_str().expect("UTF-8 path"),
    ];
    all.extend_from_slice(args);
    Fake::start("kube_apiserver.py", &all)
}

/// The Container Service stand-in (tests/fakes/fake_cs.py) for `cluster`,
/// handing out `pki`'s client certificate in kubeconfigs that point at
/// `server`, to callers signing with `key_id:secret`; `extra` adds its flags.
pub fn start_fake_cs(pki: &Pki, cluster: &str, server: &str, key_id_and_secret: &str, extra: &[&str]) -> Fake {
    let mut args = vec![
        "--cluster",
        cluster,
        "--server",
        server,
        "--ca",
        pki.ca_cert.to_str().expect("UTF-8 path"),
        "--cert",
        pki.client_cert.to_str().expect("UTF-8 path"),
        "--key",
        pki.client_key.to_str().expect("UTF-8 path"),
        "--secret",
        key_id_and_secret,
    ];
    args.extend_from_slice(extra);
    Fake::start("fake_cs.py", &args)
}
