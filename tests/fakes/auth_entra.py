"""kube_apiserver.py authenticator for the tokens fake_entra.py issues:
`fakeentra.PAYLOAD.MAC`, MAC = HMAC-SHA256(entra_key, PAYLOAD). The token's
audience must be the cluster's server id, as AKS checks.

Options (--option KEY=VALUE):
  entra_key        the HMAC key fake_entra.py was started with (--token-key)
  entra_server_id  the audience the token must carry
"""
import base64
import hashlib
import hmac
import json


def authenticate(token, options):
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != "fakeentra":
        raise Unauthorized("not a fake Entra token")  # noqa: F821 (set by kube_apiserver)
    mac = hmac.new(options.get("entra_key", "").encode(), parts[1].encode(), hashlib.sha256).digest()
    expected = base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    if not hmac.compare_digest(expected, parts[2]):
        raise Unauthorized("bad MAC")  # noqa: F821
    claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    if claims.get("aud") != options.get("entra_server_id"):
        raise Unauthorized(f"audience {claims.get('aud')!r}")  # noqa: F821
    return "entra:" + claims.get("appid", "")
