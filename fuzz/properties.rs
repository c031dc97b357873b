//! What must hold for every input to each parser. The fuzz targets under
//! fuzz/fuzz_targets call these, and `tests/fuzz_regressions.rs` runs them over
//! the committed seed corpus and every input a fuzzer once crashed on, so a
//! fixed crash stays fixed without a fuzzer.
//!
//! Each function takes raw bytes and panics when a property fails.
#![allow(dead_code)]

use kubecred::aws::credentials::Credentials;
use kubecred::aws::sigv4::{Scope, UrlParts, presign_url};
use kubecred::encoding::{parse_query, uri_decode, uri_encode};
use kubecred::time::Timestamp;

/// A property: panics when it fails for the input.
pub type Property = fn(&[u8]);

/// The property for each fuzz target, by target name.
pub const ALL: &[(&str, Property)] = &[
    ("rfc3339", rfc3339),
    ("exec_info", exec_info),
    ("json", json),
    ("url_query", url_query),
    ("aws_ini", aws_ini),
    ("sts_xml", sts_xml),
    ("aws_credentials_json", aws_credentials_json),
    ("alibaba_ini", alibaba_ini),
    ("aliyun_config", aliyun_config),
    ("alibaba_credentials_json", alibaba_credentials_json),
    ("cache_entry", cache_entry),
    ("kubeconfig", kubeconfig),
    ("go_duration", go_duration),
];

/// An error message is one line (the binary prints it as is).
fn assert_one_line(message: &str) {
    assert!(!message.contains('\n') && !message.contains('\r'), "multi-line error: {message:?}");
}

/// RFC 3339 times from servers and caches: what parses prints back to the same instant.
pub fn rfc3339(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Timestamp::parse_rfc3339(text) {
        Ok(t) => {
            let printed = t.to_rfc3339();
            assert_eq!(Timestamp::parse_rfc3339(&printed).ok(), Some(t), "{printed}");
            let _ = (t.to_amz_date(), t.to_http_date());
        }
        Err(e) => assert_one_line(e.message()),
    }
}

/// `KUBERNETES_EXEC_INFO` as kubectl (or anyone) sets it.
pub fn exec_info(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = kubecred::kube::exec_credential::parse_exec_info(text) {
        assert_one_line(e.message());
    }
}

/// The bounded JSON reader and the anchor-compatible printer: what parses
/// prints, at every indent, to text that parses back to the same value.
pub fn json(data: &[u8]) {
    match kubecred::json::parse(data, "fuzz") {
        Ok(value) => {
            for indent in [0, 1, 4] {
                let printed = kubecred::json::to_string(&value, indent);
                let again: serde_json::Value = serde_json::from_str(&printed).expect("printer output parses");
                assert_eq!(again, value);
            }
        }
        Err(e) => assert_one_line(e.message()),
    }
}

/// URLs and query strings as the signers split them: percent encoding
/// round-trips; presigning any parsable URL keeps its origin.
pub fn url_query(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    assert_eq!(uri_decode(&uri_encode(text, false), false), text);
    let _ = parse_query(text);
    if let Some(parts) = UrlParts::parse(text) {
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "secret".into(),
            session_token: None,
            expiration: None,
            source: "fuzz",
        };
        let scope = Scope { credentials: &credentials, region: "us-east-1", service: "sts", time: Timestamp(0) };
        let signed = presign_url(&scope, "GET", text, &[("x-k8s-aws-id", "c")], 60);
        assert!(signed.starts_with(&parts.origin));
    }
}

/// `~/.aws/config` and `~/.aws/credentials`: never a panic; errors are one line;
/// the helpers on values (nested sections, `credential_process` words) too.
pub fn aws_ini(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match kubecred::aws::ini::parse(text, "fuzz") {
        Ok(sections) => {
            for section in &sections {
                let _ = section.get("credential_process").map(kubecred::aws::ini::split_words);
                let _ = section.get("s3").map(kubecred::aws::ini::nested);
            }
        }
        Err(e) => assert_one_line(e.message()),
    }
}

/// STS XML replies: element extraction and error descriptions never panic,
/// and a description is one line.
pub fn sts_xml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for name in ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "Code", "Message"] {
        let _ = kubecred::aws::xml::element(&text, name);
    }
    let _ = kubecred::aws::xml::error(&text);
    assert_one_line(&kubecred::aws::sts::describe_failure(403, &text));
}

/// IMDS, container and credential_process JSON documents.
pub fn aws_credentials_json(data: &[u8]) {
    let Ok(document) = kubecred::json::parse(data, "fuzz") else { return };
    for (token_field, required) in [("Token", true), ("SessionToken", false)] {
        if let Err(e) =
            kubecred::aws::providers::credentials_from_json(&document, token_field, required, "fuzz", "fuzz")
        {
            assert_one_line(e.message());
        }
    }
}

/// `~/.alibabacloud/credentials`: every section turns into a profile or a one-line error.
pub fn alibaba_ini(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for section in kubecred::alibaba::credentials_file::parse_ini(text) {
        if let Err(e) = kubecred::alibaba::credentials_file::to_profile(&section) {
            assert_one_line(e.message());
        }
    }
}

/// The aliyun CLI's `config.json`.
pub fn aliyun_config(data: &[u8]) {
    if let Err(e) = kubecred::alibaba::cli_config::Config::parse(data, "fuzz") {
        assert_one_line(e.message());
    }
}

/// Alibaba STS, metadata and credentials-URI replies.
pub fn alibaba_credentials_json(data: &[u8]) {
    let Ok(document) = kubecred::json::parse(data, "fuzz") else { return };
    for required in [true, false] {
        if let Err(e) = kubecred::alibaba::providers::parse_credentials(&document, "fuzz", "fuzz", required) {
            assert_one_line(e.message());
        }
    }
}

/// kubecred's own cache files, as another process (or a disk error) may leave them.
pub fn cache_entry(data: &[u8]) {
    use kubecred::cache::store::{Key, decode, encode};
    let key = Key::new("aws-sts", &["role", "AKID"]);
    if let Ok(stored) = decode(data, &key) {
        let again = encode(&key, &stored.entry, stored.fetched);
        assert_eq!(decode(again.as_bytes(), &key).ok(), Some(stored), "an entry survives being written back");
    }
}

/// Kubeconfig YAML/JSON: never a panic; what parses is written back as YAML
/// that parses to the same model.
pub fn kubeconfig(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match kubecred::kube::kubeconfig::parse(text, "fuzz") {
        Ok(config) => {
            let written = kubecred::kube::kubeconfig::to_yaml(&config);
            let again = kubecred::kube::kubeconfig::parse(&written, "written").expect("our YAML parses");
            assert_eq!(again, config, "{written}");
        }
        Err(e) => assert_one_line(e.message()),
    }
}

/// Go durations: whole seconds print back to the same duration.
pub fn go_duration(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match kubecred::duration::parse(text) {
        Ok(d) => {
            let whole = std::time::Duration::from_secs(d.as_secs());
            assert_eq!(kubecred::duration::parse(&kubecred::duration::format(whole)).ok(), Some(whole));
        }
        Err(e) => assert_one_line(e.message()),
    }
}
