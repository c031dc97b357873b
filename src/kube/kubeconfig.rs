//! Reading kubeconfig files (YAML or JSON) into the parts kubecred uses, as
//! kubectl decodes them: YAML 1.1 resolved as for JSON (see [`yaml11`]), then each
//! field strictly typed, so `token: 0123` is refused as kubectl refuses it and
//! `insecure-skip-tls-verify: yes` is true. Errors name the source and the
//! field, never the content: a kubeconfig holds keys and tokens.

use crate::error::{Error, Result};
use crate::kube::kubeconfig_fields::{Fields, refuse_repeated_names, take_named_list};
use crate::kube::yaml_node::Node;
use crate::kube::yaml11;
use serde_json::Value;

pub use crate::kube::kubeconfig_writer::to_yaml;

/// The most kubeconfig text kubecred reads.
pub const MAX_KUBECONFIG_BYTES: usize = crate::files::MAX_CONFIG_BYTES as usize;

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
    pub disable_compression: bool,
    /// The `client.authentication.k8s.io/exec` extension, handed to exec plugins with provideClusterInfo.
    pub exec_extension: Option<Value>,
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
    /// Whether an `auth-provider` (gcp, oidc, azure...) is configured; kubecred runs none.
    pub auth_provider: Option<String>,
    pub impersonate: Option<String>,
    pub impersonate_uid: Option<String>,
    pub impersonate_groups: Vec<String>,
    pub impersonate_user_extra: Vec<(String, Vec<String>)>,
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
    /// Hand the plugin the cluster's details in `KUBERNETES_EXEC_INFO`.
    pub provide_cluster_info: bool,
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
            .field("auth_provider", &self.auth_provider)
            .field("impersonate", &self.impersonate)
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

/// Parses kubeconfig `text`; `source` names it in errors. An empty file is an
/// empty kubeconfig, as kubectl reads it.
pub fn parse(text: &str, source: &str) -> Result<Kubeconfig> {
    let mut top = match yaml11::read(text, source)? {
        None | Some(Node::Null) => return Ok(Kubeconfig::default()),
        Some(Node::Map(top)) => top,
        Some(_) => return Err(Error::new(format!("{source}: not a kubeconfig (expected a mapping at the top)"))),
    };
    let current_context = Fields::of(&top, source).text("current-context")?;
    let config = Kubeconfig {
        current_context,
        clusters: take_named_list(&mut top, source, "clusters", "cluster", |c| {
            Ok(Cluster {
                server: c.text("server")?,
                certificate_authority_data: c.data("certificate-authority-data")?,
                certificate_authority: c.text("certificate-authority")?,
                insecure_skip_tls_verify: c.boolean("insecure-skip-tls-verify")?,
                tls_server_name: c.text("tls-server-name")?,
                proxy_url: c.text("proxy-url")?,
                disable_compression: c.boolean("disable-compression")?,
                exec_extension: c.extension("client.authentication.k8s.io/exec")?,
            })
        })?,
        users: take_named_list(&mut top, source, "users", "user", |u| {
            Ok(User {
                client_certificate_data: u.data("client-certificate-data")?,
                client_key_data: u.data("client-key-data")?,
                client_certificate: u.text("client-certificate")?,
                client_key: u.text("client-key")?,
                token: u.text("token")?,
                token_file: u.text("tokenFile")?,
                username: u.text("username")?,
                password: u.text("password")?,
                exec: u.object("exec")?.map(|e| read_exec(&e)).transpose()?,
                auth_provider: u
                    .object("auth-provider")?
                    .map(|a| a.text("name"))
                    .transpose()?
                    .map(Option::unwrap_or_default),
                impersonate: u.text("as")?,
                impersonate_uid: u.text("as-uid")?,
                impersonate_groups: u.texts("as-groups")?,
                impersonate_user_extra: u.text_lists("as-user-extra")?,
            })
        })?,
        contexts: take_named_list(&mut top, source, "contexts", "context", |c| {
            Ok(Context { cluster: c.text("cluster")?, user: c.text("user")?, namespace: c.text("namespace")? })
        })?,
    };
    refuse_repeated_names(&config.clusters, source, "clusters")?;
    refuse_repeated_names(&config.users, source, "users")?;
    refuse_repeated_names(&config.contexts, source, "contexts")?;
    Ok(config)
}

fn read_exec(node: &Fields) -> Result<Exec> {
    let api_version = node.text("apiVersion")?.unwrap_or_default();
    Ok(Exec {
        command: node.text("command")?.unwrap_or_default(),
        args: node.texts("args")?,
        env: node
            .objects("env")?
            .iter()
            .map(|e| Ok((e.text("name")?.unwrap_or_default(), e.text("value")?.unwrap_or_default())))
            .collect::<Result<_>>()?,
        // client-go's defaulting: the older APIs did not have the field and mean IfAvailable.
        interactive_mode: node.text("interactiveMode")?.or_else(|| {
            let older = matches!(
                api_version.as_str(),
                "client.authentication.k8s.io/v1beta1" | "client.authentication.k8s.io/v1alpha1"
            );
            older.then(|| "IfAvailable".to_string())
        }),
        provide_cluster_info: node.boolean("provideClusterInfo")?,
        api_version,
    })
}

/// The bytes of a `*-data` field (base64, as kubectl writes it); `what` names
/// the field in errors, which never quote it.
pub fn decode_data(data: &str, what: &str) -> Result<Vec<u8>> {
    use base64::Engine;
    // Go's decoder skips line breaks inside base64.
    let compact: String = data.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.trim())
        .map_err(|_| Error::new(format!("{what}: not valid base64")))
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
        let json = r#"{"current-context":"x","contexts":[{"name":"x","context":{"user":"42"}}],"users":[{"name":"42","user":{"token":"t"}}]}"#;
        assert_eq!(parse(json, "j").unwrap().current_user().unwrap().token.as_deref(), Some("t"));
        // kubectl refuses a number where a name is expected.
        assert!(parse(r#"{"contexts":[{"name":"x","context":{"user":42}}]}"#, "j").is_err());
        let anchors = "base: &u {token: shared}\nusers:\n- name: a\n  user: *u\n";
        assert_eq!(parse(anchors, "a").unwrap().current_user().unwrap().token.as_deref(), Some("shared"));
    }

    #[test]
    fn empty_files_and_kubectl_typing() {
        assert_eq!(parse("", "e").unwrap(), Kubeconfig::default());
        assert_eq!(parse("# nothing\n", "e").unwrap(), Kubeconfig::default());
        let typed = "clusters:\n- name: c\n  cluster: {server: s, insecure-skip-tls-verify: yes}\nusers:\n- name: u\n  user:\n    token: first\n    token: last\n    as: admin\n    as-groups: [g1, g2]\n    as-user-extra: {scopes: [a, b]}\n";
        let config = parse(typed, "t").unwrap();
        assert!(config.clusters[0].item.insecure_skip_tls_verify);
        let user = &config.users[0].item;
        assert_eq!(user.token.as_deref(), Some("last"));
        assert_eq!(user.impersonate_groups, ["g1", "g2"]);
        assert_eq!(user.impersonate_user_extra, [("scopes".to_string(), vec!["a".to_string(), "b".to_string()])]);
        for (text, want) in [
            (
                "users:\n- name: u\n  user: {token: 0123}\n",
                "kubeconfig f: users[u].user.token: a number where text is expected",
            ),
            (
                "clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: \"yes\"}\n",
                "clusters[c].cluster.insecure-skip-tls-verify: text where true or false is expected",
            ),
            (
                "users:\n- name: u\n  user: {client-key-data: '%%%secret'}\n",
                "users[u].user.client-key-data: not valid base64",
            ),
        ] {
            let message = parse(text, "kubeconfig f").unwrap_err().to_string();
            assert!(message.contains(want), "{text:?}: {message}");
            assert!(!message.contains("secret") && !message.contains("0123"), "{message}");
        }
        let deep = format!("{}x", "- ".repeat(30_000));
        let message = parse(&deep, "kubeconfig /deep").unwrap_err().to_string();
        assert!(message.starts_with("kubeconfig /deep: line 1: nested deeper than 10000 levels"), "{message}");
    }

    #[test]
    fn bad_input_is_a_clear_error_without_content() {
        for (text, want) in [
            ("users: [unclosed", "not valid YAML"),
            ("- a\n- b\n", "not a kubeconfig"),
            ("users: 5\n", "users: a number where a list is expected"),
            ("users:\n- user: {token: secret-value}\n", "has no name"),
            ("a: 1\n---\nb: 2\n", "more than one"),
            ("clusters:\n- name: a\n- name: a\n", "f: clusters: duplicate name \"a\""),
            // kubectl decodes every field before it turns the lists into maps.
            (
                "clusters:\n- name: a\n- name: a\nusers:\n- {name: u, user: {token: 12}}\n",
                "users[u].user.token: a number",
            ),
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
