"""A local stand-in for Entra ID's token endpoint and the instance metadata
identity endpoint (IMDS) that verifies what it receives, independently of
kubecred (Python `cryptography` checks assertion signatures).

    python3 fake_entra.py [--cert server.crt --key server.key] --log FILE
        [--client ID] [--secret S] [--federated-token T] [--client-cert cert.pem]
        [--token-key K] [--expires-in N] [--any-client]

Prints `PORT n`, then serves on 127.0.0.1:n until killed (TLS when --cert is
given: MSAL insists on https authorities).

Routes:
  GET  /TENANT/v2.0/.well-known/openid-configuration   (MSAL's discovery)
  POST /TENANT/oauth2/v2.0/token                       client-credentials grant
  GET  /metadata/identity/oauth2/token                 IMDS (needs `Metadata: true`)

A grant authenticates with `client_secret` == --secret, or a `client_assertion`
that is either the federated token (--federated-token) or a JWT signed with the
key of --client-cert: PS256 with `x5t#S256` or RS256 with `x5t`, both padded
standard base64 thumbprints of that certificate, `aud` = the token endpoint URL
as requested, `iss` = `sub` = client id, a `jti`, `nbf` <= now < `exp`.

Each request is logged to --log as one JSON line: method, path, query, form
fields, the assertion's header and claims when there is one, `checks` (what was
verified, each true/false) and the reply status. Issued tokens are
`fakeentra.PAYLOAD.MAC`: PAYLOAD base64url JSON {aud, appid, tid}, MAC an
HMAC-SHA256 with --token-key (auth_entra.py verifies them for kube_apiserver.py).
"""
import argparse
import base64
import hashlib
import hmac
import json
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def thumbprint_matches(value, digest, entry):
    """A thumbprint in standard base64 (MSAL for Go) or base64url (RFC 7515,
    MSAL Python), padded or not; records which it was."""
    if not isinstance(value, str):
        return False
    for name, encode in [("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)]:
        encoded = encode(digest).decode()
        if value in (encoded, encoded.rstrip("=")):
            entry["thumbprint_encoding"] = name if value == encoded else name + "-unpadded"
            return True
    return False


def issue_token(key, aud, appid, tid):
    payload = b64url(json.dumps({"aud": aud, "appid": appid, "tid": tid}, sort_keys=True).encode())
    mac = b64url(hmac.new(key.encode(), payload.encode(), hashlib.sha256).digest())
    return f"fakeentra.{payload}.{mac}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, entry):
        with self.server.log_lock, open(self.server.args.log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def reply(self, code, body, entry):
        entry["status"] = code
        self.record(entry)
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def base_url(self):
        scheme = "https" if self.server.args.cert else "http"
        return f"{scheme}://{self.headers.get('Host')}"

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        entry = {"method": "GET", "path": url.path, "query": query,
                 "metadata_header": self.headers.get("Metadata")}
        parts = url.path.strip("/").split("/")
        if url.path == "/metadata/identity/oauth2/token":
            return self.imds(query, entry)
        if len(parts) == 4 and parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
            tenant = parts[0]
            base = f"{self.base_url()}/{tenant}"
            return self.reply(200, {
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "issuer": f"{base}/v2.0",
            }, entry)
        self.reply(404, {"error": "not_found"}, entry)

    def imds(self, query, entry):
        args = self.server.args
        checks = {
            "metadata_header": self.headers.get("Metadata") == "true",
            "api_version": query.get("api-version") == "2018-02-01",
            "resource": bool(query.get("resource")),
        }
        entry["checks"] = checks
        if not all(checks.values()):
            return self.reply(400, {"error": "invalid_request",
                                    "error_description": "Required metadata header not specified or bad query"}, entry)
        if args.client and query.get("client_id") not in (None, args.client):
            return self.reply(400, {"error": "invalid_request", "error_description": "Identity not found"}, entry)
        now = int(time.time())
        appid = query.get("client_id") or "system-assigned"
        token = issue_token(args.token_key, query["resource"], appid, "imds")
        self.reply(200, {"access_token": token, "client_id": appid, "expires_in": str(args.expires_in),
                         "expires_on": str(now + args.expires_in), "ext_expires_in": str(args.expires_in),
                         "not_before": str(now), "resource": query["resource"], "token_type": "Bearer"}, entry)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        form = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
        entry = {"method": "POST", "path": url.path, "form": form,
                 "content_type": self.headers.get("Content-Type")}
        parts = url.path.strip("/").split("/")
        if len(parts) != 4 or parts[1:] != ["oauth2", "v2.0", "token"]:
            return self.reply(404, {"error": "not_found"}, entry)
        tenant = parts[0]
        endpoint = f"{self.base_url()}{url.path}"
        args = self.server.args
        checks = {"grant_type": form.get("grant_type") == "client_credentials",
                  "client_id": form.get("client_id") == args.client or (args.any_client and bool(form.get("client_id"))),
                  "scope": form.get("scope", "").split(" ")[0].endswith("/.default")}
        if "client_secret" in form:
            checks["client_secret"] = form["client_secret"] == args.secret or (args.any_client and bool(form["client_secret"]))
        elif "client_assertion" in form:
            checks["assertion_type"] = form.get("client_assertion_type") == JWT_BEARER
            self.check_assertion(form["client_assertion"], endpoint, checks, entry)
        else:
            checks["credential"] = False
        entry["checks"] = checks
        if tenant == "unknown-tenant":
            return self.reply(400, {"error": "invalid_request", "error_codes": [90002],
                                    "error_description": "AADSTS90002: Tenant 'unknown-tenant' not found. Check to make sure you have the correct tenant ID.\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2026-01-01 00:00:00Z"}, entry)
        if checks.get("client_secret") is False:
            return self.reply(401, {"error": "invalid_client", "error_codes": [7000215],
                                    "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 0000"}, entry)
        if not all(checks.values()):
            failed = ",".join(k for k, v in checks.items() if not v)
            return self.reply(400, {"error": "invalid_request",
                                    "error_description": f"AADSTS50000: fake check failed: {failed}.\r\nTrace ID: 0"}, entry)
        resource = form["scope"].split(" ")[0][: -len("/.default")]
        token = issue_token(args.token_key, resource, form["client_id"], tenant)
        self.reply(200, {"token_type": "Bearer", "expires_in": args.expires_in, "ext_expires_in": args.expires_in,
                         "access_token": token}, entry)

    def check_assertion(self, assertion, endpoint, checks, entry):
        args = self.server.args
        pieces = assertion.split(".")
        if len(pieces) != 3:
            checks["assertion_shape"] = False
            return
        try:
            header = json.loads(b64url_decode(pieces[0]))
            claims = json.loads(b64url_decode(pieces[1]))
        except ValueError:
            # A federated token need not be a JWT we can read; compare it whole.
            header, claims = {}, {}
        entry["assertion_header"], entry["assertion_claims"] = header, claims
        if "x5t#S256" not in header and "x5t" not in header:
            checks["federated_token"] = assertion == args.federated_token
            return
        with open(args.client_cert, "rb") as f:
            cert = x509.load_pem_x509_certificate(f.read())
        der = cert.public_bytes(serialization.Encoding.DER)
        signed, signature = f"{pieces[0]}.{pieces[1]}".encode(), b64url_decode(pieces[2])
        alg = header.get("alg")
        try:
            if alg == "PS256":
                cert.public_key().verify(signature, signed,
                                         padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
                                         hashes.SHA256())
                checks["thumbprint"] = thumbprint_matches(header.get("x5t#S256"), hashlib.sha256(der).digest(), entry)
            elif alg == "RS256":
                cert.public_key().verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
                checks["thumbprint"] = thumbprint_matches(header.get("x5t"), hashlib.sha1(der).digest(), entry)
            else:
                raise ValueError(alg)
            checks["signature"] = True
        except Exception:
            checks["signature"] = False
        if "x5c" in header:
            checks["x5c"] = header["x5c"] == [base64.b64encode(der).decode()]
        now = int(time.time())
        checks["aud"] = claims.get("aud") == endpoint
        checks["iss_sub"] = claims.get("iss") == claims.get("sub") == args.client
        checks["jti"] = bool(claims.get("jti"))
        # MSAL for Go sends nbf; MSAL Python sends iat instead (and float times).
        start = claims.get("nbf", claims.get("iat"))
        checks["nbf"] = isinstance(start, (int, float)) and start <= now + 300
        checks["exp"] = isinstance(claims.get("exp"), (int, float)) and claims["exp"] > now


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--log", required=True)
    parser.add_argument("--client", default="")
    parser.add_argument("--any-client", action="store_true",
                        help="accept any non-empty client id and secret (differential tests vary them)")
    parser.add_argument("--secret", default=None)
    parser.add_argument("--federated-token", default=None)
    parser.add_argument("--client-cert")
    parser.add_argument("--token-key", default="fake-entra-key")
    parser.add_argument("--expires-in", type=int, default=3599)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.args = args
    server.log_lock = threading.Lock()
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
