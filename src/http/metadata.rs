//! What kubecred accepts from an instance metadata service (EC2 IMDS, Alibaba
//! ECS metadata) before putting it into the next request: a session token goes
//! into a header and a role name into a path, so a proxy page, a captive portal
//! or anything else answering on that address must not get that far.

/// Longest session token taken. EC2 and ECS tokens are under 100 characters;
/// the bound keeps a stray page out of a request header.
pub const MAX_SESSION_TOKEN_BYTES: usize = 1024;

/// Longest role name taken (IAM and RAM both allow 64).
pub const MAX_ROLE_NAME_BYTES: usize = 128;

/// The session token in a token reply's `body`: one word of visible ASCII.
///
/// ```
/// use kubecred::http::metadata::session_token;
/// assert_eq!(session_token(b"AQAEAFzH1tq1vJ2mZ9example==\n").as_deref(), Some("AQAEAFzH1tq1vJ2mZ9example=="));
/// assert_eq!(session_token(b"<html><body>Sign in</body></html>"), None);
/// assert_eq!(session_token(b""), None);
/// ```
pub fn session_token(body: &[u8]) -> Option<String> {
    let token = body.trim_ascii();
    let visible = token.iter().all(|b| b.is_ascii_graphic());
    let plausible = !token.is_empty() && token.len() <= MAX_SESSION_TOKEN_BYTES && visible && !token.starts_with(b"<");
    plausible.then(|| String::from_utf8_lossy(token).into_owned())
}

/// The first role a role listing's `body` names, if it is a role name (letters,
/// digits and `+=,.@_-`, as IAM and RAM allow).
///
/// ```
/// use kubecred::http::metadata::listed_role;
/// assert_eq!(listed_role(b"eks-node-role\n").as_deref(), Some("eks-node-role"));
/// assert_eq!(listed_role(b"\n  KubernetesWorkerRole-abc \nother").as_deref(), Some("KubernetesWorkerRole-abc"));
/// assert_eq!(listed_role(b"<html>"), None);
/// assert_eq!(listed_role(b"../../user-data"), None);
/// ```
pub fn listed_role(body: &[u8]) -> Option<String> {
    let first = body.split(|b| *b == b'\n').map(<[u8]>::trim_ascii).find(|line| !line.is_empty())?;
    let allowed = |b: &u8| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(b);
    let plausible = first.len() <= MAX_ROLE_NAME_BYTES && first.iter().all(allowed) && first != b"." && first != b"..";
    plausible.then(|| String::from_utf8_lossy(first).into_owned())
}
