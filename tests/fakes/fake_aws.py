"""A local stand-in for the AWS endpoints the credential chain calls.

    python3 fake_aws.py [--key AKID=SECRET ...] [--web-token T] [--sso-token T]
                        [--container-token T] [--imds MODE] [--container MODE] [--sso MODE]

Prints `PORT n` on stdout, then serves plain HTTP on 127.0.0.1:n until killed.

Routes:
  POST /                      STS Query API: AssumeRole (the SigV4 Authorization
                              header is checked with botocore's own signer against
                              the --key pairs and every pair this fake handed out)
                              and AssumeRoleWithWebIdentity (must be unsigned and
                              carry a token that starts with --web-token). The role ARN's last path word picks
                              a bad reply: deny (403 XML), html (503 HTML), empty
                              (200, empty body), junk (200, not XML), throttle (400 XML).
  GET  /federation/credentials  SSO GetRoleCredentials (x-amz-sso_bearer_token = --sso-token).
  POST /token                 SSO OIDC CreateToken (refresh_token grant with --sso-refresh-token):
                              hands out --sso-token for 8 hours and a rotated refresh token.
  PUT  /latest/api/token, GET /latest/meta-data/iam/security-credentials/[ROLE]   IMDS.
  GET  /container/...         container credentials (Authorization = --container-token).
  GET  /_log                  JSON list of every request so far (and what it was given).

--deterministic: handed-out keys are derived from the request (role, signer, session
name), and any access key AKID... signs with the secret `secret-for-AKID...`
(for differential tests, where two clients must get the same keys).

Modes: --imds v2 (default) | v1only (PUT 404, GETs without token) | bad400 | norole |
junk | html | expired-shape (no Token); --container ok | 403 | junk | html | empty;
--sso ok | 403 | junk.
"""
import argparse
import datetime
import hashlib
import json
import os
import secrets
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

IMDS_TOKEN = "imds-session-token-" + secrets.token_hex(4)
ROLE = "fake-instance-role"


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.log = []
        self.keys = {}  # access key id -> (secret, session token or None)
        for pair in args.key:
            akid, secret = pair.split("=", 1)
            self.keys[akid] = (secret, None)

    def issue(self, prefix, basis=""):
        if self.args.deterministic:
            # The same request gets the same keys, so two clients can be compared.
            digest = hashlib.sha1((prefix + "|" + basis).encode()).hexdigest()
            akid, secret, token = prefix + digest[:12].upper(), "s" + digest, "FQoG" + digest[::-1]
        else:
            akid = prefix + secrets.token_hex(8).upper()
            secret = secrets.token_urlsafe(30)
            token = "FQoG" + secrets.token_urlsafe(60)
        with self.lock:
            self.keys[akid] = (secret, token)
        expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        return akid, secret, token, expiry


def verify_sigv4(state, method, host, path, headers, body):
    """Recomputes the signature with botocore's SigV4Auth; returns (ok, why, akid)."""
    auth = headers.get("authorization")
    if not auth or not auth.startswith("AWS4-HMAC-SHA256 "):
        return False, "no SigV4 Authorization header", None
    fields = dict(part.strip().split("=", 1) for part in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    akid, day, region, service, terminator = fields["Credential"].split("/")
    if service != "sts" or terminator != "aws4_request":
        return False, "bad credential scope", akid
    known = state.keys.get(akid)
    if known is None and state.args.deterministic and akid.startswith("AKID"):
        known = ("secret-for-" + akid, None)
    if known is None:
        return False, "unknown access key", akid
    secret, token = known
    if token is not None and headers.get("x-amz-security-token") != token:
        return False, "missing or wrong X-Amz-Security-Token", akid
    signed = fields["SignedHeaders"].split(";")
    amz_date = headers.get("x-amz-date", "")
    request = AWSRequest(method=method, url=f"http://{host}{path}", data=body,
                         headers={h: headers[h] for h in signed if h != "host" and h in headers})
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(akid, secret, token), "sts", region)
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    expected = signer.signature(string_to_sign, request)
    if expected != fields["Signature"]:
        return False, "SignatureDoesNotMatch", akid
    return True, "ok", akid


def sts_error(code, message, status):
    body = (f'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
            f"<Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>")
    return status, "text/xml", body.encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def respond(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def headers_lower(self):
        return {k.lower(): v for k, v in self.headers.items()}

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def record(self, **entry):
        with self.server.state.lock:
            self.server.state.log.append(entry)

    def do_PUT(self):
        self.body()
        state = self.server.state
        headers = self.headers_lower()
        self.record(method="PUT", path=self.path, ttl=headers.get("x-aws-ec2-metadata-token-ttl-seconds"))
        mode = state.args.imds
        if self.path != "/latest/api/token":
            return self.respond(404, "text/plain", b"")
        if mode == "v1only":
            return self.respond(404, "text/plain", b"")
        if mode == "bad400":
            return self.respond(400, "text/plain", b"")
        if not headers.get("x-aws-ec2-metadata-token-ttl-seconds"):
            return self.respond(400, "text/plain", b"")
        self.respond(200, "text/plain", IMDS_TOKEN.encode())

    def do_GET(self):
        state = self.server.state
        headers = self.headers_lower()
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path == "/_log":
            with state.lock:
                data = json.dumps(state.log).encode()
            return self.respond(200, "application/json", data)
        if parsed.path.startswith("/latest/"):
            return self.imds(parsed.path, headers)
        if parsed.path.startswith("/container/"):
            return self.container(parsed.path, headers)
        if parsed.path == "/federation/credentials":
            return self.sso(urllib.parse.parse_qs(parsed.query), headers)
        self.record(method="GET", path=self.path)
        self.respond(404, "text/plain", b"not found")

    def imds(self, path, headers):
        state = self.server.state
        mode = state.args.imds
        token = headers.get("x-aws-ec2-metadata-token")
        entry = dict(method="GET", path=path, token=token)
        if mode != "v1only" and token != IMDS_TOKEN:
            self.record(**entry, result="401")
            return self.respond(401, "text/plain", b"")
        prefix = "/latest/meta-data/iam/security-credentials/"
        if path == prefix:
            self.record(**entry, result="roles")
            if mode == "norole":
                return self.respond(404, "text/html", b"<html>404 - Not Found</html>")
            return self.respond(200, "text/plain", ROLE.encode())
        if path != prefix + ROLE:
            self.record(**entry, result="404")
            return self.respond(404, "text/plain", b"")
        if mode == "junk":
            return self.respond(200, "application/json", b"{not json")
        if mode == "html":
            return self.respond(200, "text/html", b"<html><body>captive portal</body></html>")
        akid, secret, session, expiry = state.issue("ASIAIMDS")
        self.record(**entry, result="credentials", issued=akid)
        doc = {"Code": "Success", "LastUpdated": iso(datetime.datetime.now(datetime.timezone.utc)),
               "Type": "AWS-HMAC", "AccessKeyId": akid, "SecretAccessKey": secret,
               "Token": session, "Expiration": iso(expiry)}
        if mode == "expired-shape":
            del doc["Token"], doc["Expiration"]
        self.respond(200, "application/json", json.dumps(doc).encode())

    def container(self, path, headers):
        state = self.server.state
        mode = state.args.container
        entry = dict(method="GET", path=path, authorization=headers.get("authorization"))
        if state.args.container_token is not None and headers.get("authorization") != state.args.container_token:
            self.record(**entry, result="401")
            return self.respond(401, "application/json", b'{"code":"Unauthorized"}')
        if mode == "403":
            self.record(**entry, result="403")
            return self.respond(403, "application/json", b'{"code":"AccessDenied"}')
        if mode == "junk":
            return self.respond(200, "application/json", b"]]")
        if mode == "html":
            return self.respond(200, "text/html", b"<html>oops</html>")
        if mode == "empty":
            return self.respond(200, "application/json", b"")
        akid, secret, session, expiry = state.issue("ASIACONT")
        self.record(**entry, result="credentials", issued=akid)
        doc = {"AccessKeyId": akid, "SecretAccessKey": secret, "Token": session, "Expiration": iso(expiry),
               "RoleArn": "arn:aws:iam::123456789012:role/task"}
        self.respond(200, "application/json", json.dumps(doc).encode())

    def sso(self, query, headers):
        state = self.server.state
        entry = dict(method="GET", path="/federation/credentials",
                     role_name=query.get("role_name", [None])[0], account_id=query.get("account_id", [None])[0])
        if headers.get("x-amz-sso_bearer_token") != state.args.sso_token or state.args.sso == "403":
            self.record(**entry, result="401")
            return self.respond(401, "application/json", b'{"message":"Session token not found or invalid"}')
        if state.args.sso == "junk":
            return self.respond(200, "application/json", b"<html>")
        akid, secret, session, expiry = state.issue(
            "ASIASSO", f"{query.get('role_name', [''])[0]}|{query.get('account_id', [''])[0]}")
        self.record(**entry, result="credentials", issued=akid)
        doc = {"roleCredentials": {"accessKeyId": akid, "secretAccessKey": secret, "sessionToken": session,
                                   "expiration": int(expiry.timestamp() * 1000)}}
        self.respond(200, "application/json", json.dumps(doc).encode())

    def sso_oidc(self, body, headers):
        """SSO OIDC CreateToken, grant refresh_token: a --sso-refresh-token
        refresh token (and any client registration) gets --sso-token back."""
        state = self.server.state
        try:
            request = json.loads(body)
        except ValueError:
            request = {}
        entry = dict(method="POST", path="/token", action="CreateToken", grant=request.get("grantType"),
                     client_id=request.get("clientId"), signed="authorization" in headers,
                     content_type=headers.get("content-type"))
        ok = (request.get("grantType") == "refresh_token" and request.get("clientId") and request.get("clientSecret")
              and state.args.sso_refresh_token is not None
              and request.get("refreshToken") == state.args.sso_refresh_token)
        if not ok:
            self.record(**entry, result="invalid_grant")
            return self.respond(400, "application/json", b'{"error":"invalid_grant"}')
        self.record(**entry, result="token")
        doc = {"accessToken": state.args.sso_token, "expiresIn": 28800, "tokenType": "Bearer",
               "refreshToken": state.args.sso_refresh_token + "-rotated"}
        self.respond(200, "application/json", json.dumps(doc).encode())

    def do_POST(self):
        state = self.server.state
        body = self.body()
        headers = self.headers_lower()
        if self.path == "/token":
            return self.sso_oidc(body, headers)
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
        action = form.get("Action")
        role = form.get("RoleArn", "")
        entry = dict(method="POST", path=self.path, action=action, role_arn=role,
                     session_name=form.get("RoleSessionName"), external_id=form.get("ExternalId"),
                     duration=form.get("DurationSeconds"), content_type=headers.get("content-type"),
                     serial_number=form.get("SerialNumber"), token_code=form.get("TokenCode"))
        if action == "AssumeRole":
            ok, why, akid = verify_sigv4(state, "POST", headers.get("host", ""), self.path, headers, body)
            entry.update(signed_by=akid, signature=why)
            if not ok:
                self.record(**entry, result="signature")
                return self.respond(*sts_error("SignatureDoesNotMatch", why, 403))
        elif action == "AssumeRoleWithWebIdentity":
            entry.update(signed="authorization" in headers)
            if "authorization" in headers:
                self.record(**entry, result="signed")
                return self.respond(*sts_error("InvalidAction", "must be unsigned", 400))
            token = form.get("WebIdentityToken", "")
            entry.update(token=token)
            if state.args.web_token is None or not token.startswith(state.args.web_token):
                self.record(**entry, result="token")
                return self.respond(*sts_error("InvalidIdentityToken", "token not accepted", 400))
        else:
            self.record(**entry, result="action")
            return self.respond(*sts_error("InvalidAction", "unknown action", 400))
        behaviour = role.rsplit("/", 1)[-1]
        if behaviour == "deny":
            self.record(**entry, result="deny")
            return self.respond(*sts_error("AccessDenied", "User is not authorized to perform: sts:AssumeRole", 403))
        if behaviour == "throttle":
            return self.respond(*sts_error("Throttling", "Rate exceeded", 400))
        if behaviour == "html":
            return self.respond(503, "text/html", b"<html><body>Service Unavailable</body></html>")
        if behaviour == "empty":
            return self.respond(200, "text/xml", b"")
        if behaviour == "junk":
            return self.respond(200, "text/xml", b"}{ not xml at all")
        session_name = form.get("RoleSessionName") or ""
        if session_name.startswith("botocore-session-"):
            session_name = "(default)"  # made from the clock
        basis = f"{action}|{role}|{entry.get('signed_by')}|{session_name}|{form.get('ExternalId')}"
        akid, secret, session, expiry = state.issue("ASIASTS", basis)
        self.record(**entry, result="credentials", issued=akid)
        result = action + "Result"
        xml = (f'<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><{result}>'
               f"<Credentials><AccessKeyId>{akid}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>"
               f"<SessionToken>{session}</SessionToken><Expiration>{iso(expiry)}</Expiration></Credentials>"
               f"<AssumedRoleUser><Arn>{role}</Arn><AssumedRoleId>AROA:x</AssumedRoleId></AssumedRoleUser>"
               f"</{result}><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>")
        self.respond(200, "text/xml", xml.encode())


def exit_with_parent():
    """Tests may keep one fake for the whole test process: leave when it does."""
    parent = os.getppid()
    while True:
        threading.Event().wait(0.5)
        if os.getppid() != parent:
            os._exit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", action="append", default=[])
    parser.add_argument("--web-token", default=None)
    parser.add_argument("--sso-token", default=None)
    parser.add_argument("--container-token", default=None)
    parser.add_argument("--imds", default="v2")
    parser.add_argument("--container", default="ok")
    parser.add_argument("--sso", default="ok")
    parser.add_argument("--sso-refresh-token", default=None)
    parser.add_argument("--deterministic", action="store_true",
                        help="keys derived from each request; AKID* keys have the secret secret-for-AKID*")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(args)
    threading.Thread(target=exit_with_parent, daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
