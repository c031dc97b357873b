//! kubectl's `tls-server-name`: verify the server's certificate against another
//! name than the URL's host. The request is addressed to that name (so TLS
//! checks it), and a resolver sends connections for it to the real host.

use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// Resolves `name` as if it were `real_authority` (`host:port`); everything else as usual.
#[derive(Debug)]
pub struct PinnedName {
    pub name: String,
    pub real_authority: String,
}

impl Resolver for PinnedName {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let inner = DefaultResolver::default();
        if uri.host().is_some_and(|h| h.eq_ignore_ascii_case(&self.name)) {
            let scheme = uri.scheme_str().unwrap_or("https");
            let real: Uri =
                format!("{scheme}://{}/", self.real_authority).parse().map_err(|_| ureq::Error::HostNotFound)?;
            return inner.resolve(&real, config, timeout);
        }
        inner.resolve(uri, config, timeout)
    }
}

/// `url` with its host replaced by `name`, and the original `host:port`.
pub fn readdress(url: &str, name: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let default_port = if scheme.eq_ignore_ascii_case("https") { "443" } else { "80" };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, p),
        _ => (authority, default_port),
    };
    let real = format!("{host}:{port}");
    Some((format!("{scheme}://{name}:{port}{}", &rest[end..]), real))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readdressing() {
        assert_eq!(
            readdress("https://10.0.0.1:6443/api?x=1", "kubernetes.default"),
            Some(("https://kubernetes.default:6443/api?x=1".into(), "10.0.0.1:6443".into()))
        );
        assert_eq!(readdress("https://[::1]/x", "k").map(|r| r.1), Some("[::1]:443".into()));
    }
}
