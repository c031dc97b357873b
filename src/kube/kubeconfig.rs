//! Reading kubeconfig files (YAML or JSON) into the parts kubecred uses.
//!
//! Parsed with saphyr, whose alias expansion is bounded (100 000 nodes), after a
//! size check. Errors name the source and the line, never the content: a
//! kubeconfig holds keys and tokens.

use crate::error::{Error, Result};
use saphyr::{LoadableYamlNode, Yaml};

pub use crate::kube::kubeconfig_writer::to_yaml;

/// The most kubeconfig text kubecred reads.
pub const MAX_KUBECONFIG_BYTES: usize = 4 << 20;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kubeconfig {
    pub current_context: Option<String>,
    pub clusters: Vec<Named<Cluster>>,
    pub users: Vec<Named<User>>,
    pub contexts: Vec<Named<Context>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named<T> {
    pub name: String,
    pub item: T,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cluster {
    pub server: Option<String>,
    pub certificate_authority_data: Option<String>,
    /// A CA file (relative paths are resolved against the kubeconfig's directory on load).
    pub certificate_authority: Option<String>,
    pub insecure_skip_tls_verify: bool,
    pub tls_server_name: Option<String>,
    pub proxy_url: Option<String>,
}

/// A user's credentials. `Debug` shows which are present, never their values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct User {
    pub client_certificate_data: Option<String>,
    pub client_key_data: Option<String>,
    pub client_certificate: Option<String>,
    pub client_key: Option<String>,
    pub token: Option<String>,
    pub token_file: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub exec: Option<Exec>,
}

/// An exec credential plugin (`users[].user.exec`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exec {
    pub api_version: String,
    pub command: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// `Never`, `IfAvailable` or `Always`; required by the v1 API.
    pub interactive_mode: Option<String>,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("client_certificate_data", &self.client_certificate_data.is_some())
            .field("client_key_data", &self.client_key_data.is_some())
            .field("client_certificate", &self.client_certificate)
            .field("client_key", &self.client_key)
            .field("token", &self.token.is_some())
            .field("token_file", &self.token_file)
            .field("username", &self.username)
            .field("password", &self.password.is_some())
            .field("exec", &self.exec)
            .finish()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    pub cluster: Option<String>,
    pub user: Option<String>,
    pub namespace: Option<String>,
}

impl Kubeconfig {
    /// The user of the current context, else the only user there is.
    pub fn current_user(&self) -> Option<&User> {
        let by_context = self
            .current_context
            .as_ref()
            .and_then(|name| self.contexts.iter().find(|c| &c.name == name))
            .and_then(|c| c.item.user.as_ref())
            .and_then(|user| self.users.iter().find(|u| &u.name == user));
        by_context.or(if self.users.len() == 1 { self.users.first() } else { None }).map(|u| &u.item)
    }
}

/// Parses kubeconfig `text`; `source` names it in errors.
pub fn parse(text: &str, source: &str) -> Result<Kubeconfig> {
    let documents = load_documents(text, source)?;
    let root = match documents.as_slice() {
        [root] => root,
        [] => return Err(Error::new(format!("{source}: empty"))),
        _ => return Err(Error::new(format!("{source}: holds more than one YAML document"))),
    };
    if !root.is_mapping() {
        return Err(Error::new(format!("{source}: not a kubeconfig (expected a mapping at the top)")));
    }
    Ok(Kubeconfig {
        current_context: text_at(root, "current-context"),
        clusters: named_list(root, "clusters", "cluster", source, |c| Cluster {
            server: text_at(c, "server"),
            certificate_authority_data: text_at(c, "certificate-authority-data"),
            certificate_authority: text_at(c, "certificate-authority"),
            insecure_skip_tls_verify: c
                .as_mapping_get("insecure-skip-tls-verify")
                .and_then(Yaml::as_bool)
                .unwrap_or(false),
            tls_server_name: text_at(c, "tls-server-name"),
            proxy_url: text_at(c, "proxy-url"),
        })?,
        users: named_list(root, "users", "user", source, |u| User {
            client_certificate_data: text_at(u, "client-certificate-data"),
            client_key_data: text_at(u, "client-key-data"),
            client_certificate: text_at(u, "client-certificate"),
            client_key: text_at(u, "client-key"),
            token: text_at(u, "token"),
            token_file: text_at(u, "tokenFile"),
            username: text_at(u, "username"),
            password: text_at(u, "password"),
            exec: u.as_mapping_get("exec").filter(|e| e.is_mapping()).map(read_exec),
        })?,
        contexts: named_list(root, "contexts", "context", source, |c| Context {
            cluster: text_at(c, "cluster"),
            user: text_at(c, "user"),
            namespace: text_at(c, "namespace"),
        })?,
    })
}

fn read_exec(node: &Yaml) -> Exec {
    let list = |key: &str| node.as_mapping_get(key).and_then(Yaml::as_vec).map(Vec::as_slice).unwrap_or_default();
    Exec {
        api_version: text_at(node, "apiVersion").unwrap_or_default(),
        command: text_at(node, "command").unwrap_or_default(),
        args: list("args").iter().filter_map(|a| a.as_str().map(str::to_string)).collect(),
        env: list("env")
            .iter()
            .filter_map(|e| Some((text_at(e, "name")?, text_at(e, "value").unwrap_or_default())))
            .collect(),
        interactive_mode: text_at(node, "interactiveMode"),
    }
}

/// The YAML documents in `text`, size-checked, with saphyr's bounded alias
/// expansion; a syntax error names the line, never the content.
pub fn load_documents<'a>(text: &'a str, source: &str) -> Result<Vec<Yaml<'a>>> {
    if text.len() > MAX_KUBECONFIG_BYTES {
        return Err(Error::new(format!("{source}: larger than {MAX_KUBECONFIG_BYTES} bytes, refusing to read it")));
    }
    Yaml::load_from_str(text).map_err(|e| {
        Error::new(format!(
            "{source}: not valid YAML (line {}, column {}: {})",
            e.marker().line(),
            e.marker().col() + 1,
            e.info()
        ))
    })
}

/// The bytes of a `*-data` field (base64, as kubectl writes it); `what` names
/// the field in errors, which never quote it.
pub fn decode_data(data: &str, what: &str) -> Result<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| Error::new(format!("{what}: not valid base64")))
}

/// A scalar as text (YAML resolves `123` or `true` to other types; kubeconfig wants strings).
fn text_at(node: &Yaml, key: &str) -> Option<String> {
    let value = node.as_mapping_get(key)?;
    if let Some(s) = value.as_str() {
        return Some(s.to_string());
    }
    value
        .as_integer()
        .map(|i| i.to_string())
        .or_else(|| value.as_bool().map(|b| b.to_string()))
        .or_else(|| value.as_floating_point().map(|f| f.to_string()))
}

/// `key: [{name: N, INNER: {...}}, ...]`
fn named_list<T: Default>(
    root: &Yaml,
    key: &str,
    inner: &str,
    source: &str,
    read: impl Fn(&Yaml) -> T,
) -> Result<Vec<Named<T>>> {
    let Some(list) = root.as_mapping_get(key).filter(|v| !v.is_null()) else { return Ok(Vec::new()) };
    let Some(items) = list.as_vec() else {
        return Err(Error::new(format!("{source}: {key} is not a list")));
    };
    items
        .iter()
        .map(|entry| {
            let name =
                text_at(entry, "name").ok_or_else(|| Error::new(format!("{source}: an entry of {key} has no name")))?;
            let item = entry.as_mapping_get(inner).filter(|v| v.is_mapping()).map(&read).unwrap_or_default();
            Ok(Named { name, item })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACK: &str = "apiVersion: v1\nclusters:\n- cluster:\n    server: https://1.2.3.4:6443\n    certificate-authority-data: Q0E=\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: \"2731\"\n  name: 2731-c1\ncurrent-context: 2731-c1\nkind: Config\npreferences: {}\nusers:\n- name: \"2731\"\n  user:\n    client-certificate-data: Q0VSVA==\n    client-key-data: S0VZ\n";

    #[test]
    fn reads_what_container_service_returns() {
        let config = parse(ACK, "test").unwrap();
        assert_eq!(config.clusters[0].item.server.as_deref(), Some("https://1.2.3.4:6443"));
        let user = config.current_user().unwrap();
        assert_eq!(user.client_certificate_data.as_deref(), Some("Q0VSVA=="));
        assert_eq!(user.client_key_data.as_deref(), Some("S0VZ"));
    }

    #[test]
    fn json_flow_style_anchors_and_numbers() {
        let json = r#"{"current-context":"x","contexts":[{"name":"x","context":{"user":42}}],"users":[{"name":"42","user":{"token":"t"}}]}"#;
        assert_eq!(parse(json, "j").unwrap().current_user().unwrap().token.as_deref(), Some("t"));
        let anchors = "base: &u {token: shared}\nusers:\n- name: a\n  user: *u\n";
        assert_eq!(parse(anchors, "a").unwrap().current_user().unwrap().token.as_deref(), Some("shared"));
    }

    #[test]
    fn bad_input_is_a_clear_error_without_content() {
        for (text, want) in [
            ("users: [unclosed", "not valid YAML"),
            ("", "empty"),
            ("- a\n- b\n", "not a kubeconfig"),
            ("users: 5\n", "users is not a list"),
            ("users:\n- user: {token: secret-value}\n", "has no name"),
            ("a: 1\n---\nb: 2\n", "more than one"),
        ] {
            let message = parse(text, "f").unwrap_err().to_string();
            assert!(message.contains(want), "{text:?}: {message}");
            assert!(!message.contains("secret-value"));
        }
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            bomb.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        assert!(parse(&bomb, "bomb").is_err());
    }
}
