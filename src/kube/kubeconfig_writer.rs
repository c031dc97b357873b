//! Writing a [`Kubeconfig`] as YAML the way kubectl writes it: its key order,
//! two-space indent, and every scalar quoted when YAML would read it as
//! anything but that string.

use crate::kube::kubeconfig::{Exec, Kubeconfig, User};

/// The kubeconfig as YAML text.
///
/// ```
/// use kubecred::kube::kubeconfig::{parse, to_yaml, Kubeconfig};
/// let config = Kubeconfig { current_context: Some("yes".into()), ..Kubeconfig::default() };
/// let text = to_yaml(&config);
/// assert!(text.contains("current-context: \"yes\"\n"));
/// assert_eq!(parse(&text, "round trip").unwrap(), config);
/// ```
pub fn to_yaml(config: &Kubeconfig) -> String {
    let mut out = String::from("apiVersion: v1\n");
    list(&mut out, "clusters", &config.clusters, |out, cluster| {
        out.push_str("- cluster:\n");
        let c = &cluster.item;
        field(out, 4, "certificate-authority", c.certificate_authority.as_deref());
        field(out, 4, "certificate-authority-data", c.certificate_authority_data.as_deref());
        if c.insecure_skip_tls_verify {
            out.push_str("    insecure-skip-tls-verify: true\n");
        }
        if c.disable_compression {
            out.push_str("    disable-compression: true\n");
        }
        if let Some(extension) = &c.exec_extension {
            // JSON is YAML: the extension is written as it was read.
            out.push_str("    extensions:\n    - extension: ");
            out.push_str(&extension.to_string());
            out.push_str("\n      name: client.authentication.k8s.io/exec\n");
        }
        field(out, 4, "proxy-url", c.proxy_url.as_deref());
        field(out, 4, "server", c.server.as_deref());
        field(out, 4, "tls-server-name", c.tls_server_name.as_deref());
        field(out, 2, "name", Some(&cluster.name));
    });
    list(&mut out, "contexts", &config.contexts, |out, context| {
        out.push_str("- context:\n");
        field(out, 4, "cluster", context.item.cluster.as_deref());
        field(out, 4, "namespace", context.item.namespace.as_deref());
        field(out, 4, "user", context.item.user.as_deref());
        field(out, 2, "name", Some(&context.name));
    });
    field(&mut out, 0, "current-context", config.current_context.as_deref());
    out.push_str("kind: Config\npreferences: {}\n");
    list(&mut out, "users", &config.users, |out, user| {
        out.push_str("- name: ");
        out.push_str(&scalar(&user.name));
        out.push_str("\n  user:");
        let u = &user.item;
        if *u == User::default() {
            out.push_str(" {}\n");
            return;
        }
        out.push('\n');
        field(out, 4, "as", u.impersonate.as_deref());
        if !u.impersonate_groups.is_empty() {
            out.push_str("    as-groups:\n");
            for group in &u.impersonate_groups {
                out.push_str(&format!("    - {}\n", scalar(group)));
            }
        }
        field(out, 4, "as-uid", u.impersonate_uid.as_deref());
        if !u.impersonate_user_extra.is_empty() {
            out.push_str("    as-user-extra:\n");
            for (key, values) in &u.impersonate_user_extra {
                let list: Vec<String> = values.iter().map(|v| scalar(v)).collect();
                out.push_str(&format!("      {}: [{}]\n", scalar(key), list.join(", ")));
            }
        }
        if let Some(provider) = &u.auth_provider {
            out.push_str(&format!("    auth-provider:\n      name: {}\n", scalar(provider)));
        }
        field(out, 4, "client-certificate", u.client_certificate.as_deref());
        field(out, 4, "client-certificate-data", u.client_certificate_data.as_deref());
        field(out, 4, "client-key", u.client_key.as_deref());
        field(out, 4, "client-key-data", u.client_key_data.as_deref());
        if let Some(exec) = &u.exec {
            write_exec(out, exec);
        }
        field(out, 4, "password", u.password.as_deref());
        field(out, 4, "token", u.token.as_deref());
        field(out, 4, "tokenFile", u.token_file.as_deref());
        field(out, 4, "username", u.username.as_deref());
    });
    out
}

fn write_exec(out: &mut String, exec: &Exec) {
    out.push_str("    exec:\n");
    field(out, 6, "apiVersion", Some(&exec.api_version));
    if exec.args.is_empty() {
        out.push_str("      args: null\n");
    } else {
        out.push_str("      args:\n");
        for arg in &exec.args {
            out.push_str("      - ");
            out.push_str(&scalar(arg));
            out.push('\n');
        }
    }
    field(out, 6, "command", Some(&exec.command));
    if exec.env.is_empty() {
        out.push_str("      env: null\n");
    } else {
        out.push_str("      env:\n");
        for (name, value) in &exec.env {
            out.push_str(&format!("      - name: {}\n        value: {}\n", scalar(name), scalar(value)));
        }
    }
    field(out, 6, "interactiveMode", exec.interactive_mode.as_deref());
    out.push_str(if exec.provide_cluster_info {
        "      provideClusterInfo: true\n"
    } else {
        "      provideClusterInfo: false\n"
    });
}

fn list<T>(out: &mut String, key: &str, items: &[T], mut write: impl FnMut(&mut String, &T)) {
    if items.is_empty() {
        out.push_str(key);
        out.push_str(": null\n");
        return;
    }
    out.push_str(key);
    out.push_str(":\n");
    for item in items {
        write(out, item);
    }
}

fn field(out: &mut String, indent: usize, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        out.extend(std::iter::repeat_n(' ', indent));
        out.push_str(key);
        out.push_str(": ");
        out.push_str(&scalar(value));
        out.push('\n');
    }
}

/// `text` as a YAML scalar: plain when YAML 1.1 and 1.2 readers would both read
/// it back as this same string, else double-quoted with JSON escapes (valid YAML).
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        return text.to_string();
    }
    // JSON escapes the C0 controls; YAML readers (go-yaml among them) also refuse
    // DEL, the C1 controls and the other non-printables raw, so those are escaped too.
    let mut out = String::with_capacity(text.len() + 2);
    for c in serde_json::Value::String(text.to_string()).to_string().chars() {
        let printable = matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
            && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}');
        if printable {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04x}", c as u32));
        }
    }
    out
}

/// The YAML a `{VERBATIM: ...}` stand-in (see yaml11::read_preserving) holds.
fn verbatim(value: &serde_json::Value) -> Option<&str> {
    match value.as_object() {
        Some(map) if map.len() == 1 => map.get(crate::kube::yaml_node::VERBATIM).and_then(serde_json::Value::as_str),
        _ => None,
    }
}

fn is_plain_safe(text: &str) -> bool {
    const SPECIAL_WORDS: &[&str] = &[
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "nan", ".nan", "inf", ".inf", "-.inf",
        "+.inf",
    ];
    let Some(first) = text.chars().next() else { return false };
    if SPECIAL_WORDS.contains(&text.to_ascii_lowercase().as_str()) {
        return false;
    }
    // Anything a YAML 1.1 or 1.2 reader might take for a number, date or time:
    // made only of digits and number punctuation (1, 1.5, 0x1F, 2024-01-01, 1:30, -.5e3).
    let numberish = text.chars().any(|c| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_hexdigit() || "._:+-xXoO".contains(c));
    if numberish && (first.is_ascii_digit() || "+-.".contains(first)) {
        return false;
    }
    // `-x` is plain text; a lone `-`, `- x` and the other indicators are not.
    let indicator = "?:,[]{}#&*!|>'\"%@`".contains(first) || (first == '-' && text.len() == 1);
    if indicator || text.ends_with(':') {
        return false;
    }
    text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=+@:".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
}

/// Any JSON value as block YAML (`kubectl -o yaml` style: 2-space indent, lists
/// not indented under their key), scalars quoted by [`scalar`].
pub fn value_to_yaml(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out
}

fn write_value(out: &mut String, value: &serde_json::Value, indent: usize) {
    use serde_json::Value;
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() && verbatim(value).is_none() => {
            for (key, item) in map {
                write_key(out, &pad, key);
                match item {
                    Value::Object(m) if !m.is_empty() && verbatim(item).is_none() => {
                        out.push('\n');
                        write_value(out, item, indent + 2);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        write_value(out, item, indent);
                    }
                    _ => {
                        out.push(' ');
                        out.push_str(&inline(item));
                        out.push('\n');
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&pad);
                out.push_str("- ");
                match item {
                    Value::Object(m) if !m.is_empty() && verbatim(item).is_none() => {
                        let mut nested = String::new();
                        write_value(&mut nested, item, indent + 2);
                        out.push_str(nested.trim_start());
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        write_value(out, item, indent + 2);
                    }
                    _ => {
                        out.push_str(&inline(item));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

/// `KEY:`, or for a key longer than YAML lets an implicit key be (1024
/// characters; saphyr-parser and go-yaml enforce it) the explicit form
/// `? KEY` then `:` on the next line.
fn write_key(out: &mut String, pad: &str, key: &str) {
    const MAX_IMPLICIT_KEY: usize = 1024;
    let key = scalar(key);
    // Counted in bytes, which are never fewer than characters: the explicit form is always valid.
    if key.len() > MAX_IMPLICIT_KEY {
        out.push_str(&format!("{pad}? {key}\n{pad}:"));
    } else {
        out.push_str(&format!("{pad}{key}:"));
    }
}

fn inline(value: &serde_json::Value) -> String {
    use serde_json::Value;
    if let Some(yaml) = verbatim(value) {
        return yaml.to_string();
    }
    match value {
        Value::String(s) => scalar(s),
        Value::Object(_) => "{}".to_string(),
        Value::Array(_) => "[]".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::kubeconfig::{Cluster, Context, Named, parse};

    #[test]
    fn quoting() {
        for (text, plain) in [
            ("kubernetes", true),
            ("https://1.2.3.4:6443", true),
            ("LS0tLS1CRUdJTi==", true),
            ("27318", false),
            ("yes", false),
            ("", false),
            ("-c", true),
            ("--cluster-id", true),
            ("1h0m0s", true),
            ("-1", false),
            ("-", false),
            ("0x1F", false),
            ("2024-01-01", false),
            ("1:30", false),
            ("1e5", false),
            ("a b", false),
            ("a: b", false),
            ("#x", false),
            ("1.5", false),
            ("null", false),
            ("é", false),
        ] {
            assert_eq!(scalar(text) == text, plain, "{text:?} -> {}", scalar(text));
        }
    }

    #[test]
    fn json_values_as_yaml() {
        let v = serde_json::json!({"kind": "TokenRequest", "metadata": {"name": "x", "creationTimestamp": null},
            "spec": {"audiences": ["a", "123"], "empty": {}}, "list": [{"k": 1, "m": true}]});
        assert_eq!(
            value_to_yaml(&v),
            "kind: TokenRequest\nmetadata:\n  name: x\n  creationTimestamp: null\nspec:\n  audiences:\n  - a\n  - \"123\"\n  empty: {}\nlist:\n- k: 1\n  m: true\n"
        );
    }

    #[test]
    fn keys_too_long_to_be_implicit_are_written_explicitly() {
        let long = "k-".repeat(600);
        let v = serde_json::json!({
            &long: {"nested": 1},
            "list": [{&long: [1, 2], "after": "x"}],
            "short": {&long: "scalar"},
        });
        let written = value_to_yaml(&v);
        let expected = "? L\n:\n  nested: 1\nlist:\n- ? L\n  :\n  - 1\n  - 2\n  after: x\nshort:\n  ? L\n  : scalar\n";
        assert_eq!(written, expected.replace('L', &long));
        let again = crate::kube::yaml_value::parse(&written, "w").unwrap();
        assert_eq!(serde_json::to_string(&again).unwrap(), serde_json::to_string(&v).unwrap(), "{written}");
    }

    #[test]
    fn control_characters_are_escaped_for_go_yaml() {
        assert_eq!(scalar("a\u{7f}b\u{85}c\u{9f}d\u{2028}e"), "\"a\\u007fb\\u0085c\\u009fd\\u2028e\"");
        assert_eq!(scalar("tab\there é"), "\"tab\\there é\"");
        let text = format!("k: {}\n", scalar("x\u{7f}y"));
        assert_eq!(crate::kube::yaml11::read(&text, "t").unwrap().unwrap().into_json()["k"], "x\u{7f}y");
    }

    #[test]
    fn round_trip() {
        let config = Kubeconfig {
            current_context: Some("27318-c1".into()),
            clusters: vec![Named {
                name: "kubernetes".into(),
                item: Cluster {
                    server: Some("https://127.0.0.1:6443".into()),
                    certificate_authority_data: Some("Q0E=".into()),
                    insecure_skip_tls_verify: true,
                    tls_server_name: Some("kubernetes.default".into()),
                    ..Cluster::default()
                },
            }],
            contexts: vec![Named {
                name: "27318-c1".into(),
                item: Context { cluster: Some("kubernetes".into()), user: Some("27318".into()), namespace: None },
            }],
            users: vec![Named {
                name: "27318".into(),
                item: User {
                    exec: Some(Exec {
                        api_version: "client.authentication.k8s.io/v1beta1".into(),
                        command: "/usr/local/bin/kubecred".into(),
                        args: vec!["ack".into(), "get-token".into(), "--cluster-id".into(), "c1".into(), "yes".into()],
                        env: vec![("A".into(), "1".into())],
                        interactive_mode: Some("Never".into()),
                        provide_cluster_info: true,
                    }),
                    ..User::default()
                },
            }],
        };
        let text = to_yaml(&config);
        assert_eq!(parse(&text, "t").unwrap(), config, "{text}");
    }
}
