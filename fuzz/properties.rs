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
    ("env_expand_vars", env_expand_vars),
    ("aws_option_prefix", aws_option_prefix),
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
    ("aws_sso_json", aws_sso_json),
    ("token_request", token_request),
    ("exec_credential_reply", exec_credential_reply),
    ("cs_reply", cs_reply),
    ("ack_cert_cache", ack_cert_cache),
    ("certificate_validity", certificate_validity),
    ("google_credentials_file", google_credentials_file),
    ("google_token_reply", google_token_reply),
    ("google_subject_token", google_subject_token),
    ("gcloud_config_helper", gcloud_config_helper),
    ("metadata_text", metadata_text),
    ("eks_describe_cluster", eks_describe_cluster),
    ("alibaba_sts_error", alibaba_sts_error),
    ("plugin_reply", plugin_reply),
    ("azure_token_reply", azure_token_reply),
    ("azure_imds_reply", azure_imds_reply),
];

/// An error message is one line (the binary prints it as is).
fn assert_one_line(message: &str) {
    assert!(!message.contains('\n') && !message.contains('\r'), "multi-line error: {message:?}");
}

/// Keys whose string values are secrets, in every JSON document kubecred reads.
const SECRET_KEYS: &[&str] = &[
    "accessToken",
    "secretAccessKey",
    "sessionToken",
    "token",
    "clientKeyData",
    "AccessKeySecret",
    "SecurityToken",
    "private_key",
    "client_secret",
    "refresh_token",
    "access_token",
    "id_token",
];

/// Text no input holds by chance, wrapped around every secret value.
const SECRET_MARKER: &str = "QuotedSecret7f3a";

/// The error `error_of` gives for `data` is one line, and no error quotes a
/// secret from the input: every value of a [`SECRET_KEYS`] field gets
/// [`SECRET_MARKER`] on both ends, and the error for that document must not
/// hold the marker. (Comparing the error with the
/// secrets themselves fails on inputs whose secret equals the error's own
/// words, which a fuzzer soon writes.)
fn assert_clear_errors(data: &[u8], error_of: impl Fn(&[u8]) -> Option<String>) {
    if let Some(message) = error_of(data) {
        assert_one_line(&message);
    }
    // Marks every secret below `value` (all of them: no short-circuit) and says whether there was one.
    fn mark(value: &mut serde_json::Value) -> bool {
        let mut marked = false;
        match value {
            serde_json::Value::Array(items) => {
                for item in items {
                    marked |= mark(item);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    match item {
                        serde_json::Value::String(text) if SECRET_KEYS.contains(&key.as_str()) => {
                            *text = format!("{SECRET_MARKER}{text}{SECRET_MARKER}");
                            marked = true;
                        }
                        _ => marked |= mark(item),
                    }
                }
            }
            _ => {}
        }
        marked
    }
    let Ok(mut document) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    if String::from_utf8_lossy(data).contains(SECRET_MARKER) || !mark(&mut document) {
        return;
    }
    let marked = serde_json::to_vec(&document).expect("a parsed document prints");
    if let Some(message) = error_of(&marked) {
        assert!(!message.contains(SECRET_MARKER), "an error quotes a secret: {message:?}");
    }
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
    // The AWS CLI's reading of it: always an answer, at most a one-line warning.
    let discovered = kubecred::cli::eks_exec_info::discover(Some(text));
    assert!(discovered.label.starts_with("client.authentication.k8s.io/"));
    if let Some(warning) = &discovered.warning {
        assert_one_line(warning);
    }
}

/// `$VAR` expansion of AWS_CONFIG_FILE-like paths (Python's expandvars): never
/// a panic; text is unchanged when no variable is set or it holds no `$`; a
/// set variable written `${X}` on its own is replaced.
pub fn env_expand_vars(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let empty = kubecred::env::Env::default();
    assert_eq!(empty.expand_vars(text), text, "expansion without variables changed the text");
    let env = kubecred::env::Env::from_pairs(&[("X", "value")]);
    let expanded = env.expand_vars(text);
    if !text.contains('$') {
        assert_eq!(expanded, text);
    }
    if !text.contains(['$', '{', '}']) {
        assert_eq!(env.expand_vars(&format!("{text}${{X}}{text}")), format!("{text}value{text}"));
    }
}

/// argparse-style abbreviation of the AWS CLI's long options: the answer is the
/// word itself or a full option name it abbreviates; an ambiguity is one line.
pub fn aws_option_prefix(data: &[u8]) {
    use kubecred::cli::compat::aws_options::{GET_TOKEN, GLOBAL, UPDATE_KUBECONFIG, resolve};
    let Ok(text) = std::str::from_utf8(data) else { return };
    for command in [GET_TOKEN, UPDATE_KUBECONFIG] {
        match resolve(text, command, "aws") {
            Ok(full) => assert!(
                full == text
                    || (full.starts_with(text)
                        && (GLOBAL.contains(&full.as_str()) || command.contains(&full.as_str()))),
                "{text:?} resolved to {full:?}"
            ),
            Err(e) => {
                assert_one_line(e.message());
                assert_eq!(e.exit_code(), 2);
            }
        }
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
        let again = encode(&key, &stored.entry, stored.fetched, stored.about.as_deref());
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
    // The reader `eks update-kubeconfig` rewrites a file with: what it writes
    // back reads back the same, keys in the same order.
    match kubecred::kube::yaml_value::parse(text, "fuzz") {
        Ok(value) => {
            let written = kubecred::kube::kubeconfig_writer::value_to_yaml(&value);
            let again = kubecred::kube::yaml_value::parse(&written, "written").expect("our YAML parses");
            assert_eq!(serde_json::to_string(&again).unwrap(), serde_json::to_string(&value).unwrap(), "{written}");
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

/// The SSO token cache (`~/.aws/sso/cache/*.json`) and GetRoleCredentials replies.
pub fn aws_sso_json(data: &[u8]) {
    use kubecred::aws::providers::sso::{parse_role_credentials, parse_token_cache};
    assert_clear_errors(data, |d| parse_token_cache(d, "cache.json").err().map(|e| e.message().to_string()));
    assert_clear_errors(data, |d| {
        parse_role_credentials(d, "GetRoleCredentials").err().map(|e| e.message().to_string())
    });
}

/// TokenRequest replies, and `Status` error replies at any HTTP status.
pub fn token_request(data: &[u8]) {
    use kubecred::kube::token_request::parse_reply;
    assert_clear_errors(data, |d| parse_reply(d).err().map(|e| e.message().to_string()));
    for status in [400, 401, 403, 404, 422, 500, 503] {
        let message = kubecred::kube::request::status_message(status, data);
        assert_one_line(&message);
        assert!(message.chars().count() <= 500, "a Status message is kept short");
    }
}

/// What another exec credential plugin prints (kubecred runs them for
/// `create token` when the kubeconfig user is an exec user).
pub fn exec_credential_reply(data: &[u8]) {
    for api_version in ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"] {
        assert_clear_errors(data, |d| {
            kubecred::kube::exec_plugin::parse_reply(d, api_version, "exec plugin p")
                .err()
                .map(|e| e.message().to_string())
        });
    }
}

/// Container Service DescribeClusterUserKubeconfig replies: the JSON, the
/// kubeconfig inside it, and the client certificate in that; error replies.
pub fn cs_reply(data: &[u8]) {
    use kubecred::alibaba::cs;
    for status in [400, 403, 404, 500] {
        assert_one_line(&cs::describe_failure(status, data));
    }
    let reply = match cs::parse_reply(data, "CS") {
        Ok(reply) => reply,
        Err(e) => return assert_one_line(e.message()),
    };
    let config = match kubecred::kube::kubeconfig::parse(&reply.config, "the CS kubeconfig") {
        Ok(config) => config,
        Err(e) => return assert_one_line(e.message()),
    };
    if let Err(e) = cs::client_certificate(&config, "the CS kubeconfig") {
        assert_one_line(e.message());
        let key = config.current_user().and_then(|user| user.client_key_data.as_deref()).unwrap_or("");
        assert!(key.len() < 8 || !e.message().contains(key), "an error quotes the private key");
    }
}

/// The ACK certificate cache (ack-ram-tool's file layout): whatever a file
/// holds, reading it never panics, and what kubecred writes reads back with
/// the same expiry.
pub fn ack_cert_cache(data: &[u8]) {
    use kubecred::alibaba::cert_cache::{Wanted, trusted_expiry};
    use kubecred::kube::exec_credential::ApiVersion;
    let now = Timestamp(1_796_040_000); // 2026-11-30T12:00:00Z
    let three_hours = std::time::Duration::from_secs(3 * 3600);
    for wanted in [
        Wanted { lifetime: three_hours, api_version: ApiVersion::V1Beta1 },
        Wanted { lifetime: three_hours, api_version: ApiVersion::V1 },
        Wanted { lifetime: std::time::Duration::ZERO, api_version: ApiVersion::V1 },
    ] {
        assert_clear_errors(data, |d| trusted_expiry(d, wanted, now).err());
        let Ok(expires) = trusted_expiry(data, wanted, now) else { continue };
        if !wanted.lifetime.is_zero() {
            assert!(expires.0 - now.0 <= 72 * 3600, "a temporary entry trusted past 72h");
        }
        // What the cache stores (the same document, printed as we print it) is trusted alike.
        let value: serde_json::Value = serde_json::from_slice(data).expect("trusted, so JSON");
        let text = kubecred::json::to_string(&value, 1);
        assert_eq!(trusted_expiry(text.as_bytes(), wanted, now), Ok(expires));
    }
}

/// The validity period of certificates: never a panic, and a period read from
/// DER reads the same from the PEM around it.
pub fn certificate_validity(data: &[u8]) {
    use kubecred::certificate::{validity_of_der, validity_of_pem};
    let _ = validity_of_pem(data);
    if let Some(validity) = validity_of_der(data) {
        use base64::Engine;
        let body = base64::engine::general_purpose::STANDARD.encode(data);
        let pem = format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n");
        assert_eq!(validity_of_pem(pem.as_bytes()), Some(validity));
    }
}

/// Google Application Default Credentials files: errors are one line and quote
/// no secret; a file that parses parses the same once reprinted.
pub fn google_credentials_file(data: &[u8]) {
    use kubecred::google::credentials_file::parse;
    assert_clear_errors(data, |d| parse(d, "ADC file").err().map(|e| e.message().to_string()));
    if let Ok(parsed) = parse(data, "ADC file") {
        let value: serde_json::Value = serde_json::from_slice(data).expect("parsed, so JSON");
        let text = kubecred::json::to_string(&value, 2);
        assert_eq!(parse(text.as_bytes(), "ADC file").ok(), Some(parsed));
    }
}

/// Google token replies (OAuth 2.0 / STS, generateAccessToken) and error replies:
/// a token taken fits an Authorization header; errors are one line and quote
/// neither the reply's tokens nor what was sent.
pub fn google_token_reply(data: &[u8]) {
    use kubecred::google::token_reply::{MAX_TOKEN_BYTES, error_line, generated, oauth};
    let now = Timestamp(1_796_040_000);
    for result in [oauth(data, now, "token endpoint"), generated(data, "IAM")] {
        match result {
            Ok(token) => {
                let token = token.token.expose();
                assert!(!token.is_empty() && token.len() <= MAX_TOKEN_BYTES);
                assert!(token.bytes().all(|b| b.is_ascii_graphic()), "{token:?}");
            }
            Err(e) => assert_one_line(e.message()),
        }
    }
    assert_clear_errors(data, |d| oauth(d, now, "token endpoint").err().map(|e| e.message().to_string()));
    assert_clear_errors(data, |d| generated(d, "IAM").err().map(|e| e.message().to_string()));
    const SENT: &str = "ya29.sent-SECRET-value";
    for status in [400, 401, 403, 500] {
        let line = error_line("token endpoint", status, data, &[SENT]);
        assert!(!line.contains(SENT), "{line:?}");
        assert!(line.chars().count() <= 440, "{} chars", line.chars().count());
    }
}

/// Subject tokens read from workload identity sources: never control
/// characters, never surrounding white space.
pub fn google_subject_token(data: &[u8]) {
    use kubecred::google::credentials_file::SubjectTokenFormat;
    use kubecred::google::external_account::parse_subject;
    for format in [SubjectTokenFormat::Text, SubjectTokenFormat::Json { field: "id_token".into() }] {
        if let Ok(token) = parse_subject(data, &format) {
            assert!(!token.chars().any(char::is_control), "{token:?}");
            assert_eq!(token.trim(), token);
        }
    }
}

/// `gcloud config config-helper --format=json` output: a token taken fits an
/// Authorization header; errors are one line and quote no token.
pub fn gcloud_config_helper(data: &[u8]) {
    use kubecred::google::gcloud::parse_config_helper;
    let read = |_: &str| Ok(b"authz".to_vec());
    match parse_config_helper(data, &read) {
        Ok((token, _)) => assert!(!token.is_empty() && !token.chars().any(char::is_control), "{token:?}"),
        Err(e) => assert_one_line(e.message()),
    }
    assert_clear_errors(data, |d| parse_config_helper(d, &read).err().map(|e| e.message().to_string()));
}

/// Session tokens and role listings from the EC2 and ECS metadata services:
/// what is taken fits in a header or a path segment.
pub fn metadata_text(data: &[u8]) {
    use kubecred::http::metadata::{MAX_ROLE_NAME_BYTES, MAX_SESSION_TOKEN_BYTES, listed_role, session_token};
    if let Some(token) = session_token(data) {
        assert!(!token.is_empty() && token.len() <= MAX_SESSION_TOKEN_BYTES);
        assert!(token.bytes().all(|b| b.is_ascii_graphic()), "{token:?}");
    }
    if let Some(role) = listed_role(data) {
        assert!(!role.is_empty() && role.len() <= MAX_ROLE_NAME_BYTES);
        assert!(role.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b)), "{role:?}");
        assert!(role != "." && role != "..");
    }
}

/// EKS DescribeCluster replies, successful or not.
pub fn eks_describe_cluster(data: &[u8]) {
    for status in [200, 400, 403, 404, 500] {
        if let Err(e) = kubecred::aws::eks_api::parse_reply(status, data, "EKS DescribeCluster") {
            assert_one_line(e.message());
            assert!(e.message().chars().count() <= 600, "an error is kept short");
        }
    }
}

/// Alibaba STS error replies: one line, and none of the call's secrets in it,
/// whatever the server echoes (SignatureDoesNotMatch echoes the string it signed).
pub fn alibaba_sts_error(data: &[u8]) {
    const SECRETS: [&str; 2] = ["s3cretAccessKeyValue", "0IDCt0kenValue"];
    for (status, content_type) in [(400, "application/json"), (403, "text/html"), (500, "text/plain")] {
        let response = kubecred::http::Response {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: data.to_vec(),
        };
        let error = kubecred::alibaba::sts::reply_error("STS AssumeRole", "sts.aliyuncs.com", &response, &SECRETS);
        assert_one_line(error.message());
        for secret in SECRETS {
            assert!(!error.message().contains(secret), "an STS error quotes a secret: {:?}", error.message());
        }
    }
}

/// What `kubecred cache run` reads: a plugin's reply (is it worth caching,
/// until when) and `KUBERNETES_EXEC_INFO` (the keyed part). Never a panic; a
/// reply judged cacheable names an expiry that prints and parses back the
/// same; the key ignores `spec.interactive`.
pub fn plugin_reply(data: &[u8]) {
    use kubecred::cache::plugin::{exec_info_key, reply_expiry};
    for version in [None, Some("client.authentication.k8s.io/v1"), Some("client.authentication.k8s.io/v1beta1")] {
        if let Some(at) = reply_expiry(data, version) {
            assert_eq!(Timestamp::parse_rfc3339(&at.to_rfc3339()).ok(), Some(at), "expiry round trip");
            assert!(reply_expiry(data, None).is_some(), "cacheable for a version means cacheable for any");
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let (key, version) = exec_info_key(Some(text));
        if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text)
            && let Some(spec) = value.get_mut("spec").and_then(|s| s.as_object_mut())
        {
            spec.insert("interactive".into(), serde_json::Value::Bool(true));
            assert_eq!(exec_info_key(Some(&value.to_string())), (key, version), "interactive is not keyed");
        }
    }
}

/// What Entra ID's token endpoint answers, at every status: a token with a
/// sane expiry or a one-line error that quotes no access token.
pub fn azure_token_reply(data: &[u8]) {
    azure_reply(kubecred::azure::token_reply::ReplyKind::Entra, data);
}

/// What the instance metadata identity endpoint answers (string numbers, an
/// absolute `expires_on`): as [`azure_token_reply`].
pub fn azure_imds_reply(data: &[u8]) {
    azure_reply(kubecred::azure::token_reply::ReplyKind::Imds, data);
}

fn azure_reply(kind: kubecred::azure::token_reply::ReplyKind, data: &[u8]) {
    use kubecred::azure::token_reply::{MAX_LIFETIME_SECONDS, parse};
    let now = Timestamp(1_700_000_000);
    for status in [200, 400, 401, 500] {
        match parse(kind, status, data, now, "fuzz") {
            Ok(token) => {
                assert!(token.expires_on > now && token.expires_on.0 - now.0 <= MAX_LIFETIME_SECONDS);
                assert!(!token.token.is_empty() && token.token.bytes().all(|b| b.is_ascii_graphic()));
            }
            Err(e) => assert_one_line(e.message()),
        }
        assert_clear_errors(data, |bytes| parse(kind, status, bytes, now, "fuzz").err().map(|e| e.to_string()));
    }
}
