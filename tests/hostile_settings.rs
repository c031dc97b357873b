//! Settings that would send credentials elsewhere: region names that rewrite
//! the host they become part of, and passwords in URLs that would be printed.
//! Each bad region is refused before anything is sent (a listener on the
//! host it names counts the connections); no password reaches stderr.

mod common;

use common::*;
use std::net::TcpListener;
use std::path::Path;

/// A loopback port that records whether anyone connected.
struct Witness {
    listener: TcpListener,
}

impl Witness {
    fn new() -> Witness {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Witness { listener }
    }

    /// `x@127.0.0.1:PORT/#`: the region that, pasted into `https://sts.{region}.example.com`,
    /// makes the URL's host this listener.
    fn hijacking_region(&self) -> String {
        format!("x@127.0.0.1:{}/#", self.listener.local_addr().unwrap().port())
    }

    fn assert_untouched(&self) {
        assert!(self.listener.accept().is_err(), "a request reached the host the region named");
    }
}

fn assert_refused(out: &std::process::Output, code: i32, setting: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(stdout(out).is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(setting) && err.contains("is not a region name"), "{err}");
}

fn alibaba(home: &Path) -> std::process::Command {
    let mut cmd = kubecred(home);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEXAMPLEKEYID")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "EXAMPLEsecret");
    cmd
}

#[test]
fn alibaba_region_ids_cannot_name_another_host() {
    let home = TempDir::new("settings-alibaba");
    let witness = Witness::new();
    let region = witness.hijacking_region();
    // --region-id picks the Container Service host (get-credential) and the STS host (--role-arn).
    for args in [
        vec!["ack", "get-credential", "-c", "c1", "--region-id", region.as_str()],
        vec!["ack", "get-token", "-c", "c1", "--role-arn", "acs:ram::1:role/r", "--region-id", region.as_str()],
        vec!["ack-ram-tool", "credential-plugin", "get-kubeconfig", "-c", "c1", "--region-id", region.as_str()],
    ] {
        let (program, rest) = if args[0] == "ack-ram-tool" {
            (Some(home.join("bin/ack-ram-tool")), &args[1..])
        } else {
            (None, &args[..])
        };
        let mut cmd = match program {
            Some(link) => {
                std::fs::create_dir_all(link.parent().unwrap()).unwrap();
                let _ = std::os::unix::fs::symlink(kubecred_path(), &link);
                let mut cmd = command_for(&link, home.path());
                cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEXAMPLEKEYID")
                    .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "EXAMPLEsecret");
                cmd
            }
            None => alibaba(home.path()),
        };
        assert_refused(&run(cmd.args(rest)), 2, "--region-id");
    }
    // sts_region of an aliyun CLI profile picks the STS host for its role.
    home.write(
        ".aliyun/config.json",
        &format!(
            r#"{{"current": "work", "profiles": [{{"name": "work", "mode": "RamRoleArn", "access_key_id": "LTAI5tEXAMPLEKEYID",
            "access_key_secret": "EXAMPLEsecret", "ram_role_arn": "acs:ram::1:role/r", "sts_region": "{region}"}}]}}"#
        ),
    );
    let out = run(kubecred(home.path()).args(["ack", "get-token", "-c", "c1"]));
    assert_refused(&out, 1, "sts_region");
    assert!(stderr(&out).contains("work"), "names the profile: {}", stderr(&out));
    witness.assert_untouched();
}

#[test]
fn aws_regions_cannot_name_another_host() {
    let home = TempDir::new("settings-aws");
    let witness = Witness::new();
    let region = witness.hijacking_region();
    let config = home.write(
        "aws-config",
        &format!(
            "[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = {region}\n\
             sso_account_id = 123456789012\nsso_role_name = Admin\n\
             [profile sso-session]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\
             [sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = {region}\n\
             [profile role]\nregion = {region}\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\n\
             [profile keys]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n"
        ),
    );
    let get_token = |profile: &str, region_flag: Option<&str>| {
        let mut cmd = kubecred(home.path());
        cmd.env("AWS_CONFIG_FILE", &config).args(["eks", "get-token", "--cluster-name", "c", "--profile", profile]);
        if let Some(r) = region_flag {
            cmd.args(["--region", r]);
        }
        run(&mut cmd)
    };
    assert_refused(&get_token("sso", Some("us-east-1")), 1, "sso_region");
    assert_refused(&get_token("sso-session", Some("us-east-1")), 1, "sso_region");
    // The profile's region decides where AssumeRole goes when --region is not given.
    assert_refused(&get_token("role", None), 2, "region");
    assert_refused(&get_token("keys", Some(&region)), 2, "--region");
    let out = run(kubecred(home.path())
        .env("AWS_REGION", &region)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .args(["eks", "get-token", "--cluster-name", "c"]));
    assert_refused(&out, 2, "AWS_REGION");
    witness.assert_untouched();
}

const PASSWORD: &str = "Pa55wordInTheUrl";

fn assert_password_hidden(out: &std::process::Output, user: &str) {
    let err = stderr(out);
    assert!(!err.contains(PASSWORD), "{err}");
    assert!(err.contains(&format!("{user}:***@")), "the URL is still recognisable: {err}");
}

#[test]
fn passwords_in_urls_are_never_printed() {
    let home = TempDir::new("settings-passwords");
    let sts = Fake::start("counting_sts.py", &[]);
    let with_keys = |cmd: &mut std::process::Command| {
        cmd.env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE").env("AWS_SECRET_ACCESS_KEY", "secret");
    };
    // A proxy that cannot be used: not a URL, or nothing listening.
    let port = sts.port;
    let closed = &closed_port_url()[7..];
    for proxy in
        [format!("http://proxyuser:{PASSWORD}@127.0.0.1:notaport"), format!("http://proxyuser:{PASSWORD}@{closed}")]
    {
        let mut cmd = eks_get_token(home.path());
        with_keys(&mut cmd);
        cmd.env("HTTP_PROXY", proxy).env("AWS_ENDPOINT_URL_STS", format!("http://127.0.0.1:{port}")).args([
            "--role-arn",
            "arn:aws:iam::1:role/r",
            "--debug",
            "--no-cache",
        ]);
        let out = run(&mut cmd);
        assert!(!out.status.success());
        assert_password_hidden(&out, "proxyuser");
    }
    // An endpoint override with a user, in every --debug request line.
    let mut cmd = eks_get_token(home.path());
    with_keys(&mut cmd);
    cmd.env("AWS_ENDPOINT_URL_STS", format!("http://stsuser:{PASSWORD}@127.0.0.1:{port}")).args([
        "--role-arn",
        "arn:aws:iam::1:role/r",
        "--debug",
        "--no-cache",
    ]);
    let out = run(&mut cmd);
    assert_password_hidden(&out, "stsuser");
    // A container credentials URL that is refused.
    let out = run(eks_get_token(home.path())
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("http://ecsuser:{PASSWORD}@10.1.2.3/creds")));
    assert_eq!(out.status.code(), Some(1));
    assert_password_hidden(&out, "ecsuser");
    // An Alibaba endpoint override, in --log-level debug lines and the error.
    let out = run(alibaba(home.path())
        .env("ALIBABA_CLOUD_CS_ENDPOINT", format!("http://csuser:{PASSWORD}@{}", &closed_port_url()[7..]))
        .args(["ack", "get-credential", "-c", "c1", "--log-level", "debug", "--credential-cache-dir"])
        .arg(home.join("ack-cache")));
    assert_eq!(out.status.code(), Some(1));
    assert_password_hidden(&out, "csuser");
}
