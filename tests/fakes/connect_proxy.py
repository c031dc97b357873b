"""A forward proxy that records what passes through it.

    python3 connect_proxy.py --log FILE [--require-auth USER:PASSWORD]

Prints `PORT n`, then serves on 127.0.0.1:n: CONNECT host:port tunnels (https)
and absolute-URI requests (plain http). Each request is logged as one JSON line:
method, target, and whether Proxy-Authorization carried the expected credentials.
"""
import argparse
import base64
import json
import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import urllib.request


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def authorized(self):
        want = self.server.require_auth
        if not want:
            return True
        got = self.headers.get("Proxy-Authorization", "")
        return got == "Basic " + base64.b64encode(want.encode()).decode()

    def record(self, **entry):
        with self.server.lock, open(self.server.log_path, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def do_CONNECT(self):
        ok = self.authorized()
        self.record(method="CONNECT", target=self.path, authorized=ok)
        if not ok:
            self.send_response(407)
            self.send_header("Proxy-Authenticate", 'Basic realm="test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        host, port = self.path.rsplit(":", 1)
        upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=5)
        self.send_response(200, "Connection established")
        self.end_headers()
        sockets = [self.connection, upstream]
        while True:
            readable, _, _ = select.select(sockets, [], [], 5)
            if not readable:
                break
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    upstream.close()
                    return
                (upstream if sock is self.connection else self.connection).sendall(data)

    def do_GET(self):
        ok = self.authorized()
        self.record(method="GET", target=self.path, authorized=ok)
        with urllib.request.urlopen(self.path, timeout=5) as reply:
            body = reply.read()
            self.send_response(reply.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--require-auth")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.log_path = args.log
    server.require_auth = args.require_auth
    server.lock = threading.Lock()
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
