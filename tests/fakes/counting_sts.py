"""A local stand-in for AWS STS that counts the calls it answers.

    python3 counting_sts.py [--expires-in SECONDS] [--now UNIX_SECONDS] [--delay SECONDS]

Prints `PORT n` on stdout, then serves plain HTTP on 127.0.0.1:n until killed.

Any POST (or GET with a query) is an STS call: GetCallerIdentity names a fixed
assumed role; AssumeRole is answered with
credentials that expire --expires-in seconds (default 3600) after now, where
now is KUBECRED_TEST_NOW if set (Unix seconds or RFC 3339) else the clock.
Requests without a SigV4 Authorization header get STS's 403. Each reply waits
--delay seconds first, so that parallel callers overlap. `GET /count` returns
the number of STS calls so far, as a decimal number; it is not counted itself.
"""
import argparse
import datetime
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


FIXED_NOW = None


def now():
    if FIXED_NOW is not None:
        return FIXED_NOW
    fixed = os.environ.get("KUBECRED_TEST_NOW", "")
    if fixed.isdigit():
        return int(fixed)
    if fixed:
        return int(datetime.datetime.fromisoformat(fixed.replace("Z", "+00:00")).timestamp())
    return int(time.time())


def rfc3339(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def error(code, message):
    return (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
        f"<Code>{code}</Code><Message>{message}</Message></Error>"
        "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"
    )


def assume_role(params, serial, expires_in):
    role_arn = params.get("RoleArn", "")
    session = params.get("RoleSessionName", "")
    account = role_arn.split(":")[4] if role_arn.count(":") >= 5 else "000000000000"
    role = role_arn.rsplit("/", 1)[-1]
    return (
        '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'
        f"<AssumedRoleUser><AssumedRoleId>AROAFAKE:{session}</AssumedRoleId>"
        f"<Arn>arn:aws:sts::{account}:assumed-role/{role}/{session}</Arn></AssumedRoleUser>"
        f"<Credentials><AccessKeyId>ASIAFAKE{serial:08d}</AccessKeyId>"
        f"<SecretAccessKey>fakeSecretKey{serial:08d}</SecretAccessKey>"
        f"<SessionToken>fakeSessionToken{serial:08d}</SessionToken>"
        f"<Expiration>{rfc3339(now() + expires_in)}</Expiration></Credentials>"
        "</AssumeRoleResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000001"
        "</RequestId></ResponseMetadata></AssumeRoleResponse>"
    )


def caller_identity():
    return (
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
        "<Arn>arn:aws:sts::123456789012:assumed-role/doctor/checked</Arn><UserId>AROAFAKE:checked</UserId>"
        "<Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"
    )


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-sts"

    def log_message(self, *args):
        pass

    def reply(self, code, body, content_type="text/xml"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/count":
            with self.server.lock:
                count = self.server.count
            self.reply(200, f"{count}\n", "text/plain")
        elif url.query:
            self.sts(dict(urllib.parse.parse_qsl(url.query)))
        else:
            self.reply(404, error("NotFound", "no such path"))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        self.sts(dict(urllib.parse.parse_qsl(body)))

    def sts(self, params):
        with self.server.lock:
            self.server.count += 1
            serial = self.server.count
        time.sleep(self.server.delay)
        if not self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 "):
            self.reply(403, error("MissingAuthenticationToken", "Request is missing Authentication Token"))
        elif params.get("Action") == "AssumeRole":
            self.reply(200, assume_role(params, serial, self.server.expires_in))
        elif params.get("Action") == "GetCallerIdentity":
            self.reply(200, caller_identity())
        else:
            self.reply(400, error("InvalidAction", "only AssumeRole is faked here"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--expires-in", type=int, default=3600)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--now", type=int)
    parser.add_argument("--cert", help="serve https with this certificate (PEM)")
    parser.add_argument("--key", help="the certificate's private key (PEM)")
    args = parser.parse_args()
    global FIXED_NOW
    FIXED_NOW = args.now
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.count = 0
    server.expires_in = args.expires_in
    server.delay = args.delay
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
