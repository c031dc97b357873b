//! Which proxy, if any, a request goes through: `HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY` and `NO_PROXY`, in either case, read once from the environment.
//!
//! ureq applies a proxy to every request of an agent; the per-request decision
//! (NO_PROXY with domain suffixes, ports and CIDR ranges, and never for the
//! metadata services) is made here.

use crate::env::Env;
use std::net::IpAddr;

/// The proxies the environment names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    pub https: Option<String>,
    pub http: Option<String>,
    pub no_proxy: Vec<NoProxyRule>,
}

/// One entry of `NO_PROXY`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoProxyRule {
    /// `*`: no proxy for anything.
    All,
    /// `example.com`, `.example.com`, `*.example.com`: the host and its subdomains,
    /// on any port, or only on `port`.
    Domain { name: String, port: Option<u16> },
    /// `10.0.0.0/8`, `fd00::/8`, or a single address.
    Network { address: IpAddr, prefix: u8 },
}

impl ProxyConfig {
    /// Reads the variables as curl does: the lower-case name first, then the upper-case one.
    pub fn from_env(env: &Env) -> ProxyConfig {
        let pick = |names: &[&str]| names.iter().find_map(|n| env.get(n)).map(str::trim).map(str::to_string);
        let all = pick(&["all_proxy", "ALL_PROXY"]);
        ProxyConfig {
            https: pick(&["https_proxy", "HTTPS_PROXY"]).or_else(|| all.clone()),
            http: pick(&["http_proxy", "HTTP_PROXY"]).or(all),
            no_proxy: pick(&["no_proxy", "NO_PROXY"]).map(|v| parse_no_proxy(&v)).unwrap_or_default(),
        }
    }

    /// The proxy URL for `url`, or `None` to connect directly.
    pub fn proxy_for(&self, url: &str) -> Option<&str> {
        let (scheme, rest) = url.split_once("://")?;
        let proxy = if scheme.eq_ignore_ascii_case("https") { self.https.as_deref() } else { self.http.as_deref() };
        let proxy = proxy.filter(|p| !p.is_empty())?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let default_port = if scheme.eq_ignore_ascii_case("https") { 443 } else { 80 };
        let (host, port) = split_host_port(authority, default_port);
        if self.no_proxy.iter().any(|rule| rule.matches(&host, port)) { None } else { Some(proxy) }
    }
}

/// Splits `host[:port]` / `[v6][:port]`, lower-casing the host.
fn split_host_port(authority: &str, default_port: u16) -> (String, u16) {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']').unwrap_or((rest, ""));
        let port = after.strip_prefix(':').and_then(|p| p.parse().ok()).unwrap_or(default_port);
        return (host.to_ascii_lowercase(), port);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => (host.to_ascii_lowercase(), port.parse().unwrap_or(default_port)),
        _ => (authority.to_ascii_lowercase(), default_port),
    }
}

/// Parses a `NO_PROXY` list; entries that mean nothing are skipped.
pub fn parse_no_proxy(value: &str) -> Vec<NoProxyRule> {
    value.split([',', ' ']).map(str::trim).filter(|e| !e.is_empty()).filter_map(parse_rule).collect()
}

fn parse_rule(entry: &str) -> Option<NoProxyRule> {
    if entry == "*" {
        return Some(NoProxyRule::All);
    }
    if let Some((address, prefix)) = entry.split_once('/') {
        let address: IpAddr = address.trim_matches(['[', ']']).parse().ok()?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix: u8 = prefix.parse().ok().filter(|p| *p <= max)?;
        return Some(NoProxyRule::Network { address, prefix });
    }
    if let Ok(address) = entry.trim_matches(['[', ']']).parse::<IpAddr>() {
        let prefix = if address.is_ipv4() { 32 } else { 128 };
        return Some(NoProxyRule::Network { address, prefix });
    }
    let (host, port) = match entry.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse().ok()?)),
        None => (entry, None),
    };
    let name = host.trim_start_matches("*.").trim_start_matches('.').to_ascii_lowercase();
    if name.is_empty() { None } else { Some(NoProxyRule::Domain { name, port }) }
}

impl NoProxyRule {
    fn matches(&self, host: &str, port: u16) -> bool {
        match self {
            NoProxyRule::All => true,
            NoProxyRule::Domain { name, port: want } => {
                want.is_none_or(|p| p == port)
                    && (host == name || host.strip_suffix(name.as_str()).is_some_and(|rest| rest.ends_with('.')))
            }
            NoProxyRule::Network { address, prefix } => {
                host.parse::<IpAddr>().is_ok_and(|ip| in_network(ip, *address, *prefix))
            }
        }
    }
}

fn in_network(ip: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => masked(u128::from(u32::from(ip)), u128::from(u32::from(net)), prefix, 32),
        (IpAddr::V6(ip), IpAddr::V6(net)) => masked(u128::from(ip), u128::from(net), prefix, 128),
        _ => false,
    }
}

fn masked(ip: u128, net: u128, prefix: u8, bits: u32) -> bool {
    let shift = bits - u32::from(prefix);
    if shift >= bits { true } else { (ip >> shift) == (net >> shift) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(no_proxy: &str) -> ProxyConfig {
        ProxyConfig {
            https: Some("http://proxy:3128".into()),
            http: Some("http://proxy:3128".into()),
            no_proxy: parse_no_proxy(no_proxy),
        }
    }

    #[test]
    fn lower_case_wins_and_all_proxy_falls_back() {
        let env = Env::from_pairs(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:1"),
            ("ALL_PROXY", "http://all:1"),
        ]);
        let c = ProxyConfig::from_env(&env);
        assert_eq!(c.https.as_deref(), Some("http://lower:1"));
        assert_eq!(c.http.as_deref(), Some("http://all:1"));
    }

    #[test]
    fn no_proxy_domains_ports_and_star() {
        let c = config("example.com, .corp.internal,*.svc:8443,localhost");
        assert_eq!(c.proxy_for("https://example.com/x"), None);
        assert_eq!(c.proxy_for("https://api.example.com/"), None);
        assert!(c.proxy_for("https://notexample.com/").is_some());
        assert_eq!(c.proxy_for("https://a.corp.internal"), None);
        assert_eq!(c.proxy_for("https://k.svc:8443/"), None);
        assert!(c.proxy_for("https://k.svc/").is_some());
        assert_eq!(c.proxy_for("http://localhost:8080/"), None);
        assert_eq!(config("*").proxy_for("https://sts.amazonaws.com/"), None);
    }

    #[test]
    fn no_proxy_cidr_ranges() {
        let c = config("10.0.0.0/8,192.168.1.7,fd00::/8,[::1]");
        assert_eq!(c.proxy_for("https://10.20.30.40/"), None);
        assert_eq!(c.proxy_for("https://192.168.1.7:6443/"), None);
        assert!(c.proxy_for("https://192.168.1.8/").is_some());
        assert_eq!(c.proxy_for("https://[fd00:ec2::23]/"), None);
        assert_eq!(c.proxy_for("http://[::1]:80/"), None);
        assert!(c.proxy_for("https://11.0.0.1/").is_some());
        assert_eq!(config("0.0.0.0/0").proxy_for("https://8.8.8.8/"), None);
    }

    #[test]
    fn junk_entries_are_skipped() {
        assert!(parse_no_proxy("10.0.0.0/99, host:notaport, ,").is_empty());
    }
}
