"""A local HTTPS stand-in for kube-apiserver that really authenticates.

    python3 kube_apiserver.py --cert server.crt --key server.key [--client-ca ca.crt]
                              --auth MODULE[,MODULE...] [--log FILE] [--option KEY=VALUE ...]

Prints `PORT n` on stdout, then serves on 127.0.0.1:n until killed.

Authentication is pluggable: each MODULE is a Python file beside this one
(auth_eks.py, auth_ack.py, auth_static.py, ...) defining
`authenticate(token, options) -> user` that returns a user name or raises
`Unauthorized(reason)`. Client certificates signed by --client-ca are accepted
as user CN. Options given with --option reach every module as a dict.

Routes: GET /version, /api, /apis, /api/v1/namespaces, /api/v1/namespaces/NS;
POST /api/v1/namespaces/NS/serviceaccounts/SA/token (TokenRequest; behaviour
from the `tokenrequest` module when --auth lists it). Every request is logged as
one JSON line to --log: method, path, user, and the reason of any refusal.
"""
import argparse
import importlib
import json
import os
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


class Unauthorized(Exception):
    pass


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-kube-apiserver"

    def log_message(self, *args):
        pass

    def record(self, **entry):
        if self.server.log_path:
            with self.server.log_lock, open(self.server.log_path, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authenticate(self):
        cert = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
        if cert:
            for rdn in cert.get("subject", ()):
                for key, value in rdn:
                    if key == "commonName":
                        return "cert:" + value
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise Unauthorized("no bearer token and no client certificate")
        token = header[len("Bearer "):].strip()
        reasons = []
        for module in self.server.auth_modules:
            if not hasattr(module, "authenticate"):
                continue
            try:
                return module.authenticate(token, self.server.options)
            except Unauthorized as e:
                reasons.append(f"{module.__name__}: {e}")
        raise Unauthorized("; ".join(reasons) or "no authenticator")

    def handle_request(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        try:
            user = self.authenticate()
        except Unauthorized as e:
            self.record(method=method, path=self.path, user=None, refused=str(e))
            self.reply(401, status(401, "Unauthorized", "Unauthorized"))
            return
        self.record(method=method, path=self.path, user=user,
                    headers={k: v for k, v in self.headers.items() if k.lower().startswith("impersonate")},
                    body=body.decode("utf-8", "replace"))
        for module in self.server.auth_modules:
            handler = getattr(module, "handle", None)
            if handler:
                result = handler(method, path, body, user, dict(self.headers), self.server.options)
                if result is not None:
                    self.reply(*result)
                    return
        if method == "GET" and path == "/version":
            self.reply(200, {"major": "1", "minor": "31", "gitVersion": "v1.31.0-fake"})
        elif method == "GET" and path == "/api":
            self.reply(200, {"kind": "APIVersions", "versions": ["v1"],
                             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                                             "serverAddress": "127.0.0.1"}]})
        elif method == "GET" and path == "/apis":
            self.reply(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
        elif method == "GET" and path == "/api/v1/namespaces":
            self.reply(200, {"kind": "NamespaceList", "apiVersion": "v1", "metadata": {},
                             "items": [{"metadata": {"name": "default"}}, {"metadata": {"name": "kube-system"}}]})
        elif method == "GET" and path.startswith("/api/v1/namespaces/") and path.count("/") == 4:
            self.reply(200, {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": path.rsplit("/", 1)[1]}})
        else:
            self.reply(404, status(404, "NotFound", f"the server could not find the requested resource"))

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--client-ca")
    parser.add_argument("--auth", default="")
    parser.add_argument("--log")
    parser.add_argument("--option", action="append", default=[])
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.log_path = args.log
    server.log_lock = threading.Lock()
    server.options = dict(o.split("=", 1) for o in args.option)
    server.auth_modules = [importlib.import_module(m) for m in args.auth.split(",") if m]
    for module in server.auth_modules:
        module.Unauthorized = Unauthorized
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    if args.client_ca:
        context.load_verify_locations(args.client_ca)
        context.verify_mode = ssl.CERT_OPTIONAL
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
