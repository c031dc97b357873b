"""A local stand-in for Google's token endpoints that checks what it receives.

    python3 fake_google.py [--sa-public-key PEM]... [--user CLIENT_ID:SECRET:REFRESH]...
                           [--log FILE] [--fail PATH=STATUS]...

Prints `PORT n`, then serves on 127.0.0.1:n until killed. Routes:

  POST /token           jwt-bearer grant: the assertion's RS256 signature is checked
                        with `cryptography` against each --sa-public-key, its header
                        and claims against what golang.org/x/oauth2 sends (kid, iss,
                        scope, aud = this URL, exp = iat + 3600); refresh_token grant:
                        client id, secret and refresh token against --user.
  POST /v1/token        STS token exchange (RFC 8693 fields).
  POST /v1/projects/-/serviceAccounts/EMAIL:generateAccessToken
                        IAM Credentials: a Bearer token this fake issued, JSON body
                        with lifetime and scope (and delegates).
  GET  /computeMetadata/v1/instance/service-accounts/default/token?scopes=...
                        the metadata server; needs `Metadata-Flavor: Google`.
  GET  /computeMetadata/v1/project/project-id
  GET  /subject/text, /subject/json   subject tokens for url sources.
  GET  /_log            every request so far, as a JSON list.

Tokens name the path that issued them (`ya29.sa.EMAIL`, `ya29.user.CLIENT`,
`ya29.sts.AUDIENCE-HASH`, `ya29.imp.EMAIL`, `ya29.gce.default`), so a client's
output shows which way it went. A refused request gets an OAuth error reply.
"""
import argparse
import base64
import hashlib
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

SUBJECT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3b3JrbG9hZCJ9.c2lnbmF0dXJl"


def b64decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Refused(Exception):
    def __init__(self, status, error, description):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self, entry):
        with self.server.lock:
            self.server.requests.append(entry)
            if self.server.log_path:
                with open(self.server.log_path, "a") as f:
                    f.write(json.dumps(entry) + "\n")

    def handle_any(self, method):
        parsed = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        entry = {"method": method, "path": parsed.path, "query": parsed.query,
                 "headers": {k.lower(): v for k, v in self.headers.items() if k.lower() in
                             ("authorization", "content-type", "metadata-flavor", "metadata")}}
        if parsed.path == "/_log":
            return self.reply(200, self.server.requests)
        try:
            if (parsed.path, method) in self.server.fail:
                raise Refused(self.server.fail[(parsed.path, method)], "invalid_grant", "refused as asked")
            if parsed.path == "/token" and method == "POST":
                form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
                entry["form"] = form
                body = self.oauth_token(form)
            elif parsed.path == "/v1/token" and method == "POST":
                form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
                entry["form"] = form
                body = self.sts(form)
            elif parsed.path.endswith(":generateAccessToken") and method == "POST":
                entry["json"] = json.loads(raw or "null")
                body = self.generate(parsed.path, entry["json"])
            elif parsed.path == "/computeMetadata/v1/instance/service-accounts/default/token":
                if self.headers.get("Metadata-Flavor") != "Google":
                    raise Refused(403, "forbidden", "Metadata-Flavor: Google missing")
                body = {"access_token": "ya29.gce.default", "expires_in": 3599, "token_type": "Bearer"}
            elif parsed.path == "/computeMetadata/v1/project/project-id":
                self.record(entry)
                return self.reply(200, b"fake-project", "application/text")
            elif parsed.path == "/subject/text":
                self.record(entry)
                return self.reply(200, SUBJECT.encode(), "text/plain")
            elif parsed.path == "/subject/json":
                self.record(entry)
                return self.reply(200, {"id_token": SUBJECT})
            else:
                raise Refused(404, "not_found", f"no route {method} {parsed.path}")
        except Refused as refused:
            entry["refused"] = refused.description
            self.record(entry)
            return self.reply(refused.status, {"error": refused.error, "error_description": refused.description})
        self.record(entry)
        self.reply(200, body)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def issue(self, token):
        with self.server.lock:
            self.server.issued.add(token)
        return token

    def oauth_token(self, form):
        grant = form.get("grant_type")
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            parts = form.get("assertion", "").split(".")
            if len(parts) != 3:
                raise Refused(400, "invalid_grant", "assertion is not a JWT")
            header, claims = json.loads(b64decode(parts[0])), json.loads(b64decode(parts[1]))
            if header.get("alg") != "RS256" or header.get("typ") != "JWT":
                raise Refused(400, "invalid_grant", "bad JWT header")
            signed = (parts[0] + "." + parts[1]).encode()
            signature = b64decode(parts[2])
            for key in self.server.sa_keys:
                try:
                    key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
                    break
                except Exception:
                    continue
            else:
                raise Refused(400, "invalid_grant", "Invalid JWT Signature.")
            if claims.get("aud") != f"http://127.0.0.1:{self.server.server_address[1]}/token":
                raise Refused(400, "invalid_grant", "bad aud")
            if claims.get("exp", 0) - claims.get("iat", 0) != 3600 or abs(claims.get("iat", 0) - time.time()) > 300:
                raise Refused(400, "invalid_grant", "bad iat/exp")
            if not claims.get("scope"):
                raise Refused(400, "invalid_scope", "no scope")
            token = self.issue("ya29.sa." + claims.get("iss", "?"))
        elif grant == "refresh_token":
            triple = (form.get("client_id"), form.get("client_secret"), form.get("refresh_token"))
            if triple not in self.server.users:
                raise Refused(400, "invalid_grant", "Token has been expired or revoked.")
            token = self.issue("ya29.user." + triple[0])
        else:
            raise Refused(400, "unsupported_grant_type", f"grant {grant}")
        return {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    def sts(self, form):
        expected = {"grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
                    "requested_token_type": "urn:ietf:params:oauth:token-type:access_token"}
        for key, value in expected.items():
            if form.get(key) != value:
                raise Refused(400, "invalid_request", f"bad {key}")
        if form.get("subject_token") != SUBJECT:
            raise Refused(400, "invalid_grant", "bad subject token")
        for key in ("audience", "scope", "subject_token_type"):
            if not form.get(key):
                raise Refused(400, "invalid_request", f"no {key}")
        digest = hashlib.sha256(form["audience"].encode()).hexdigest()[:12]
        token = self.issue("ya29.sts." + digest)
        return {"access_token": token, "issued_token_type": expected["requested_token_type"],
                "token_type": "Bearer", "expires_in": 3600}

    def generate(self, path, body):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.server.issued:
            raise Refused(401, "unauthenticated", "not a token this fake issued")
        if not isinstance(body, dict) or not body.get("scope") or not str(body.get("lifetime", "")).endswith("s"):
            raise Refused(400, "invalid_argument", "bad generateAccessToken body")
        email = urllib.parse.unquote(path.rsplit("/", 1)[1].split(":")[0])
        lifetime = int(body["lifetime"][:-1])
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + lifetime))
        return {"accessToken": self.issue("ya29.imp." + email), "expireTime": expires}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sa-public-key", action="append", default=[])
    parser.add_argument("--user", action="append", default=[])
    parser.add_argument("--log")
    parser.add_argument("--fail", action="append", default=[], help="METHOD:PATH=STATUS")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.requests = []
    server.issued = set()
    server.log_path = args.log
    server.sa_keys = []
    for path in args.sa_public_key:
        data = open(path, "rb").read()
        try:
            server.sa_keys.append(serialization.load_pem_private_key(data, None).public_key())
        except ValueError:
            server.sa_keys.append(serialization.load_pem_public_key(data))
    server.users = {tuple(u.split(":", 2)) for u in args.user}
    server.fail = {}
    for item in args.fail:
        spec, status = item.rsplit("=", 1)
        method, path = spec.split(":", 1)
        server.fail[(path, method)] = int(status)
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
