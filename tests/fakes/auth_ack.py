"""kube_apiserver.py authenticator for ACK tokens (k8s-ack-v2.), checking what
the ACK authenticator checks before it replays the request to STS, and then,
instead of calling STS, recomputing the V3 signature with the official Alibaba
Cloud SDK signer (alibabacloud-openapi-util) and the test's AccessKey secrets.

Options (--option KEY=VALUE):
  ack_cluster   the cluster id the token must name
  ack_secrets   ACCESS_KEY_ID:SECRET[,...]
"""
import base64
import datetime
import hashlib
import hmac
import json
import re
import time

from alibabacloud_openapi_util.client import Client
from Tea.request import TeaRequest

PREFIX = "k8s-ack-v2."
ALLOWED_HEADERS = {"x-acs-action", "x-acs-version", "authorization", "x-acs-signature-nonce", "x-acs-date",
                   "x-acs-content-sha256", "x-acs-content-sm3", "x-acs-security-token", "user-agent"}
AUTH_RE = re.compile(r"^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$")


def fail(reason):
    raise Unauthorized(reason)  # noqa: F821 (set by kube_apiserver)


def authenticate(token, options):
    if not token.startswith(PREFIX):
        fail("not a k8s-ack-v2 token")
    try:
        doc = json.loads(base64.b64decode(token[len(PREFIX):], validate=True))
    except Exception:
        fail("token is not base64 JSON")
    cluster = options.get("ack_cluster", "")
    if doc.get("clusterId") != cluster or doc.get("query") != {"ACKClusterId": cluster}:
        fail("token is for another cluster")
    if doc.get("method") != "POST" or doc.get("path") != "/":
        fail("unexpected method or path")
    headers = doc.get("headers") or {}
    for key in headers:
        if key.lower() not in ALLOWED_HEADERS:
            fail("header not allowed: " + key)
    if headers.get("x-acs-action") != "GetCallerIdentity" or headers.get("x-acs-version") != "2015-04-01":
        fail("not an STS GetCallerIdentity request")
    if headers.get("x-acs-content-sha256") != hashlib.sha256(b"").hexdigest():
        fail("unexpected payload hash")
    date = datetime.datetime.strptime(headers.get("x-acs-date", ""), "%Y-%m-%dT%H:%M:%SZ")
    age = time.time() - date.replace(tzinfo=datetime.timezone.utc).timestamp()
    if age > 15 * 60 or age < -5 * 60:
        fail("x-acs-date outside the 15-minute window")
    match = AUTH_RE.match(headers.get("Authorization", ""))
    if not match:
        fail("malformed Authorization")
    key_id, signed, _ = match.groups()
    secrets = dict(pair.split(":", 1) for pair in options.get("ack_secrets", "").split(",") if pair)
    if key_id not in secrets:
        fail("unknown AccessKey")
    request = TeaRequest()
    request.method, request.pathname, request.query = "POST", "/", {"ACKClusterId": cluster}
    request.headers = {k: headers[k] for k in signed.split(";") if k in headers}
    expected = Client.get_authorization(request, "ACS3-HMAC-SHA256", hashlib.sha256(b"").hexdigest(), key_id,
                                        secrets[key_id])
    if not hmac.compare_digest(expected, headers["Authorization"]):
        fail("signature does not match")
    return "ack:" + key_id
