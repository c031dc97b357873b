"""A local stand-in for Alibaba Cloud STS that checks the RPC signatures it gets.

    python3 fake_alibaba_sts.py CONFIG.json

Prints `PORT n` on stdout, then serves on 127.0.0.1:n until killed. CONFIG:

    {"keys":  {"AKID": {"secret": "...", "token": "..." or null}},
     "roles": {"acs:ram::1:role/x": {"AccessKeyId": ..., "AccessKeySecret": ...,
                                     "SecurityToken": ..., "Expiration": ...}},
     "oidc":  {"provider_arn": "...", "token": "..."},
     "force_reply": {"status": 502, "content_type": "text/html", "body": "..."},
     "log": "/path/requests.jsonl"}

AssumeRole and GetCallerIdentity (GET or POST; parameters from the query and a
form body) are checked
the way STS checks it: Version 2015-04-01, Format JSON, HMAC-SHA1 signature
version 1.0, a Timestamp of the right form, a nonce never seen before, a known
AccessKeyId, the key's SecurityToken exactly when it has one, and the signature
recomputed with the official SDK's signer (alibabacloud-openapi-util). A bad
signature gets STS's real error, which echoes the server's string to sign
(security token included): kubecred must not print that. AssumeRoleWithOIDC is
unsigned: the provider ARN and token must match. Every request is logged as one
JSON line (action, method, key id, role, session name, duration, result)
before the reply is sent.
"""
import json
import re
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

from alibabacloud_openapi_util.client import Client as OpenApiUtil


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_call()

    def do_POST(self):
        self.handle_call()

    def reply(self, status, body, content_type="application/json;charset=utf-8"):
        # Held until the request is logged, so that a test reading the log after
        # the reply always finds the entry.
        self.pending = (status, body, content_type)

    def send_pending(self):
        status, body, content_type = self.pending
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message):
        self.reply(status, {"RequestId": str(uuid.uuid4()).upper(), "HostId": "sts.aliyuncs.com",
                            "Code": code, "Message": message})
        return code

    def handle_call(self):
        config = self.server.config
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        if body:
            params.update(parse_qsl(body, keep_blank_values=True))
        entry = {"method": self.command, "action": params.get("Action"), "key": params.get("AccessKeyId"),
                 "role": params.get("RoleArn"), "session": params.get("RoleSessionName"),
                 "duration": params.get("DurationSeconds"), "external_id": params.get("ExternalId"),
                 "content_type": self.headers.get("Content-Type"),
                 "query_names": sorted(k for k, _ in parse_qsl(urlsplit(self.path).query, keep_blank_values=True)),
                 "body_names": sorted(k for k, _ in parse_qsl(body, keep_blank_values=True))}
        forced = config.get("force_reply")
        if forced:
            self.reply(forced["status"], forced.get("body", "").encode(), forced.get("content_type", "text/plain"))
            entry["result"] = "forced"
        elif params.get("Action") == "AssumeRole":
            entry["result"] = self.assume_role(config, params)
        elif params.get("Action") == "GetCallerIdentity":
            entry["result"] = self.caller_identity(config, params)
        elif params.get("Action") == "AssumeRoleWithOIDC":
            entry["result"] = self.assume_role_with_oidc(config, params)
        else:
            entry["result"] = self.error(400, "InvalidAction.NotFound", "Specified api is not found")
        log = config.get("log")
        if log:
            with self.server.lock, open(log, "a") as f:
                f.write(json.dumps(entry) + "\n")
        self.send_pending()

    def check_common(self, params):
        if params.get("Version") != "2015-04-01":
            return "Version"
        if params.get("Format") != "JSON":
            return "Format"
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", params.get("Timestamp", "")):
            return "Timestamp"
        return None

    def assume_role(self, config, params):
        refused = self.check_signed(config, params)
        return refused if refused else self.issue(config, params)

    def caller_identity(self, config, params):
        refused = self.check_signed(config, params)
        if refused:
            return refused
        self.reply(200, {"RequestId": str(uuid.uuid4()).upper(), "AccountId": "1234567890",
                         "Arn": "acs:ram::1234567890:user/doctor", "IdentityType": "RAMUser",
                         "UserId": "200000000000000", "PrincipalId": "200000000000000"})
        return "ok"

    def check_signed(self, config, params):
        """None when the call is signed as STS checks it, else the error code replied."""
        bad = self.check_common(params)
        if bad:
            return self.error(400, "MissingParameter" if bad not in params else "InvalidParameter", bad)
        if params.get("SignatureMethod") != "HMAC-SHA1" or params.get("SignatureVersion") != "1.0":
            return self.error(400, "InvalidSignatureMethod", "signature method or version")
        nonce = params.get("SignatureNonce", "")
        with self.server.lock:
            if not nonce or nonce in self.server.nonces:
                return self.error(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
            self.server.nonces.add(nonce)
        key = config.get("keys", {}).get(params.get("AccessKeyId"))
        if key is None:
            return self.error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if key.get("token") != params.get("SecurityToken"):
            return self.error(400, "InvalidSecurityToken.Mismatch", "Specified SecurityToken mismatch.")
        signed = {k: v for k, v in params.items() if k != "Signature"}
        expected = OpenApiUtil.get_rpcsignature(signed, self.command, key["secret"])
        if expected != params.get("Signature"):
            canonical = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(signed.items()))
            string_to_sign = self.command + "&%2F&" + quote(canonical, safe="~")
            return self.error(400, "SignatureDoesNotMatch",
                              "Specified signature is not matched with our calculation. server string to sign is:"
                              + string_to_sign)
        return None

    def assume_role_with_oidc(self, config, params):
        bad = self.check_common(params)
        if bad:
            return self.error(400, "InvalidParameter", bad)
        oidc = config.get("oidc", {})
        if "Signature" in params or "AccessKeyId" in params:
            return self.error(400, "InvalidParameter", "AssumeRoleWithOIDC is not signed")
        if params.get("OIDCProviderArn") != oidc.get("provider_arn"):
            return self.error(404, "EntityNotExist.OIDCProvider", "The OIDC provider does not exist.")
        if params.get("OIDCToken") != oidc.get("token"):
            return self.error(400, "AuthenticationFail.OIDCToken.Invalid", "The OIDC token is invalid.")
        return self.issue(config, params)

    def issue(self, config, params):
        if not re.fullmatch(r"[\w.@-]{2,64}", params.get("RoleSessionName", "")):
            return self.error(400, "InvalidParameter.RoleSessionName", "RoleSessionName is invalid.")
        role = config.get("roles", {}).get(params.get("RoleArn"))
        if role is None:
            return self.error(403, "NoPermission", "You are not authorized to do this action. "
                                                   "You should be authorized by RAM.")
        self.reply(200, {"RequestId": str(uuid.uuid4()).upper(),
                         "AssumedRoleUser": {"Arn": params["RoleArn"] + "/" + params["RoleSessionName"],
                                             "AssumedRoleId": "3000:" + params["RoleSessionName"]},
                         "Credentials": role})
        return "ok"


def main():
    with open(sys.argv[1]) as f:
        config = json.load(f)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.config = config
    server.lock = threading.Lock()
    server.nonces = set()
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
