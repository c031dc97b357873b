//! SigV4 against the AWS signing test suite (aws-c-auth's
//! tests/aws-signing-test-suite/v4, Apache-2.0; see tests/data/sigv4/NOTICE):
//! header signing and query presigning, every case that applies to services
//! other than S3.

use kubecred::aws::credentials::Credentials;
use kubecred::aws::sigv4::{Scope, presign_url, sign_request};
use kubecred::time::Timestamp;
use std::path::Path;

struct Case {
    name: String,
    context: serde_json::Value,
    method: String,
    path_and_query: String,
    host: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Reads request.txt: request line, `Name:value` headers (indented lines
/// continue the previous value after a space), a blank line, the body.
fn load(dir: &Path) -> Case {
    let context = serde_json::from_str(&std::fs::read_to_string(dir.join("context.json")).unwrap()).unwrap();
    let raw = std::fs::read_to_string(dir.join("request.txt")).unwrap();
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let method = request_line.split(' ').next().unwrap().to_string();
    let target = request_line[method.len() + 1..request_line.rfind(" HTTP/").unwrap()].to_string();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with(' ') || line.starts_with('\t') {
            let last = headers.last_mut().unwrap();
            // An obsolete line fold: the value continues after one space.
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_string(), value.to_string()));
        }
    }
    let host = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("host")).unwrap().1.clone();
    headers.retain(|(n, _)| !n.eq_ignore_ascii_case("host"));
    Case {
        name: dir.file_name().unwrap().to_string_lossy().into_owned(),
        context,
        method,
        path_and_query: target,
        host,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn credentials(context: &serde_json::Value) -> Credentials {
    let c = &context["credentials"];
    Credentials {
        access_key_id: c["access_key_id"].as_str().unwrap().into(),
        secret_access_key: c["secret_access_key"].as_str().unwrap().into(),
        session_token: c["token"].as_str().map(kubecred::secret::Secret::from),
        expiration: None,
        source: "test-suite",
    }
}

/// Cases for S3-style signing (no path normalization) or with the session token
/// left out of the signature are not what kubecred signs.
fn applies(case: &Case) -> bool {
    case.context["normalize"].as_bool() == Some(true) && case.context["omit_session_token"].as_bool() != Some(true)
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sigv4");
    let mut dirs: Vec<_> = std::fs::read_dir(root).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    dirs.retain(|d| d.is_dir());
    dirs.sort();
    dirs.iter().map(|d| load(d)).collect()
}

fn expected(case: &Case, file: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sigv4").join(&case.name);
    std::fs::read_to_string(dir.join(file)).unwrap().trim().to_string()
}

fn scope_time(context: &serde_json::Value) -> Timestamp {
    Timestamp::parse_rfc3339(context["timestamp"].as_str().unwrap()).unwrap()
}

#[test]
fn header_signatures_match_the_suite() {
    let mut checked = 0;
    for case in cases().iter().filter(|c| applies(c)) {
        let creds = credentials(&case.context);
        let scope = Scope {
            credentials: &creds,
            region: case.context["region"].as_str().unwrap(),
            service: case.context["service"].as_str().unwrap(),
            time: scope_time(&case.context),
        };
        let url = format!("https://{}{}", case.host, case.path_and_query);
        let mut headers = case.headers.clone();
        if case.context["sign_body"].as_bool() == Some(true) {
            // The suite's "sign_body" adds the payload hash as a signed header (S3 style).
            headers.push(("x-amz-content-sha256".into(), kubecred::digest::sha256_hex(&case.body)));
        }
        sign_request(&scope, &case.method, &url, &mut headers, &case.body);
        let auth = headers.iter().find(|(n, _)| n == "Authorization").unwrap().1.clone();
        let signature = auth.rsplit("Signature=").next().unwrap();
        assert_eq!(signature, expected(case, "header-signature.txt"), "case {}", case.name);
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} cases applied");
}

#[test]
fn query_presigning_matches_the_suite() {
    let mut checked = 0;
    for case in cases().iter().filter(|c| applies(c)) {
        if case.method != "GET" || !case.body.is_empty() {
            continue;
        }
        let creds = credentials(&case.context);
        let scope = Scope {
            credentials: &creds,
            region: case.context["region"].as_str().unwrap(),
            service: case.context["service"].as_str().unwrap(),
            time: scope_time(&case.context),
        };
        let url = format!("https://{}{}", case.host, case.path_and_query);
        let extra: Vec<(&str, &str)> = case.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let expires = case.context["expiration_in_seconds"].as_u64().unwrap();
        let signed = presign_url(&scope, &case.method, &url, &extra, expires);
        let signature = signed.rsplit("X-Amz-Signature=").next().unwrap();
        assert_eq!(signature, expected(case, "query-signature.txt"), "case {}", case.name);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} cases applied");
}
