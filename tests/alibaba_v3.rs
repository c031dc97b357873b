//! The V3 (ACS3-HMAC-SHA256) signer and the ACK token against Authorization
//! headers computed by the official Alibaba Cloud SDK signer
//! (scripts/alibaba-v3-reference.py → tests/data/alibaba-v3/signatures.json).

use base64::Engine;
use kubecred::alibaba::ack_token::{TOKEN_PREFIX, ack_token};
use kubecred::alibaba::credentials::Credentials;
use kubecred::time::Timestamp;

#[test]
fn ack_tokens_carry_the_sdk_signature() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/alibaba-v3/signatures.json");
    let fixtures: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for case in fixtures["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let credentials = Credentials {
            access_key_id: case["key"].as_str().unwrap().into(),
            access_key_secret: case["secret"].as_str().unwrap().into(),
            security_token: case["token"].as_str().map(kubecred::secret::Secret::from),
            expiration: None,
            source: "test",
        };
        let cluster = case["cluster"].as_str().unwrap();
        let now = Timestamp::parse_rfc3339(case["date"].as_str().unwrap()).unwrap();
        let token = ack_token(&credentials, cluster, now);
        let encoded = token.strip_prefix(TOKEN_PREFIX).expect("prefix");
        let document: serde_json::Value =
            serde_json::from_slice(&base64::engine::general_purpose::STANDARD.decode(encoded).unwrap()).unwrap();
        assert_eq!(document["headers"]["Authorization"], case["authorization"], "case {name}");
        assert_eq!(document["clusterId"], cluster);
        assert_eq!(document["method"], "POST");
        assert_eq!(document["path"], "/");
        assert_eq!(document["query"]["ACKClusterId"], cluster);
        assert_eq!(document["headers"]["x-acs-date"], case["date"]);
        assert_eq!(document["headers"]["x-acs-security-token"].as_str(), case["token"].as_str(), "case {name}");
        let keys: Vec<&String> = document.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["clusterId", "method", "path", "query", "headers"], "ack-ram-tool's field order");
    }
}
