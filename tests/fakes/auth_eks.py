"""kube_apiserver.py authenticator for EKS tokens, checking what
aws-iam-authenticator's pkg/token verifier checks, and then, instead of
replaying the URL to STS, recomputing its SigV4 signature here with the test's
secret keys (an implementation independent of kubecred's).

Options (--option KEY=VALUE):
  eks_cluster   the cluster id the token must be bound to (x-k8s-aws-id)
  eks_secrets   ACCESS_KEY_ID:SECRET[,...] keys the fake "STS" knows
  eks_now       optional fixed Unix time for the 15-minute window
"""
import base64
import datetime
import hashlib
import hmac
import re
import time
import urllib.parse

PREFIX = "k8s-aws-v1."
ALLOWED_PARAMS = {"action", "version", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires",
                  "x-amz-security-token", "x-amz-signature", "x-amz-signedheaders"}
HOST_RE = re.compile(r"^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$|^sts\.[a-z0-9-]+\.(c2s\.ic\.gov|sc2s\.sgov\.gov)$")


def fail(reason):
    raise Unauthorized(reason)  # noqa: F821 (set by kube_apiserver)


def quote(text):
    return urllib.parse.quote(text, safe="-_.~")


def signature(secret, method, host, params, signed_headers, headers, amz_date, scope):
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in sorted(params))
    canonical_headers = "".join(f"{h}:{headers[h].strip()}\n" for h in signed_headers)
    canonical = "\n".join([method, "/", query, canonical_headers, ";".join(signed_headers),
                           hashlib.sha256(b"").hexdigest()])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    day, region, service, _ = scope.split("/")
    key = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def authenticate(token, options):
    if not token.startswith(PREFIX):
        fail("token is missing expected k8s-aws-v1. prefix")
    encoded = token[len(PREFIX):]
    try:
        url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except Exception:
        fail("token is not base64url")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme != "https":
        fail("unexpected scheme " + parsed.scheme)
    if not HOST_RE.match(parsed.netloc):
        fail("unexpected hostname " + parsed.netloc)
    if parsed.path != "/":
        fail("unexpected path " + parsed.path)
    params = urllib.parse.parse_qsl(parsed.query, keep_blank_values=True, strict_parsing=True)
    lower = {}
    for key, value in params:
        if key.lower() not in ALLOWED_PARAMS:
            fail("non-allowlisted query parameter " + key)
        if key.lower() in lower:
            fail("duplicate query parameter " + key)
        lower[key.lower()] = value
    if lower.get("action") != "GetCallerIdentity" or lower.get("version") != "2011-06-15":
        fail("unexpected action or version")
    signed = lower.get("x-amz-signedheaders", "").split(";")
    if "x-k8s-aws-id" not in signed or "host" not in signed:
        fail("client did not sign the x-k8s-aws-id header")
    if int(lower.get("x-amz-expires", "0")) > 60 or int(lower.get("x-amz-expires", "0")) <= 0:
        fail("X-Amz-Expires must be between 1 and 60")
    date = datetime.datetime.strptime(lower["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    now = float(options.get("eks_now") or time.time())
    if now > date.timestamp() + 15 * 60:
        fail("X-Amz-Date parameter is expired (15 minute expiration)")
    if date.timestamp() > now + 5 * 60:
        fail("X-Amz-Date is in the future")
    credential = lower["x-amz-credential"].split("/", 1)
    secrets = dict(pair.split(":", 1) for pair in options.get("eks_secrets", "").split(",") if pair)
    if credential[0] not in secrets:
        fail("unknown access key")
    headers = {"host": parsed.netloc, "x-k8s-aws-id": options.get("eks_cluster", "")}
    unsigned = [(k, v) for k, v in params if k != "X-Amz-Signature"]
    expected = signature(secrets[credential[0]], "GET", parsed.netloc, unsigned, sorted(signed), headers,
                         lower["x-amz-date"], credential[1])
    if not hmac.compare_digest(expected, lower.get("x-amz-signature", "")):
        fail("signature does not match (wrong key, or token bound to another cluster)")
    return "arn:aws:iam::123456789012:user/" + credential[0]
