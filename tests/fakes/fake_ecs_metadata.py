"""A local stand-in for the ECS instance metadata service (and for a
credentials URI server), for kubecred's Alibaba Cloud credential chain tests.

    python3 fake_ecs_metadata.py CONFIG.json

Prints `PORT n` on stdout, then serves on 127.0.0.1:n until killed. CONFIG:

    {"mode": "v2" | "v2-required" | "v1-only",
     "token": "metadata-token",
     "roles": {"RoleName": {"Code": "Success", "AccessKeyId": ..., ...}},
     "static": {"/any/path": {"status": 200, "content_type": "...", "body": {...} or "text"}},
     "log": "/path/requests.jsonl"}

`PUT /latest/api/token` needs `X-aliyun-ecs-metadata-token-ttl-seconds` between
1 and 21600 and returns the token (404 in "v1-only" mode, as a service without
v2). GETs under /latest/ with a wrong token get 401; without a token they get 401
in "v2-required" mode. `/latest/meta-data/ram/security-credentials/` lists the
roles (404 when there is none); `.../NAME` returns that role's JSON. Paths under
"static" are served as given (credentials URIs, bad replies). Every request is
logged as one JSON line: method, path, whether it carried a token.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

ROLES = "/latest/meta-data/ram/security-credentials/"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain"):
        if not isinstance(body, (str, bytes)):
            body, content_type = json.dumps(body), "application/json"
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self, status):
        log = self.server.config.get("log")
        if log:
            entry = {"method": self.command, "path": self.path, "status": status,
                     "token": self.headers.get("X-aliyun-ecs-metadata-token"),
                     "ttl": self.headers.get("X-aliyun-ecs-metadata-token-ttl-seconds")}
            with self.server.lock, open(log, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def do_PUT(self):
        config = self.server.config
        if self.path != "/latest/api/token" or config.get("mode") == "v1-only":
            self.record(404)
            return self.reply(404, "Not Found")
        ttl = self.headers.get("X-aliyun-ecs-metadata-token-ttl-seconds", "")
        if not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
            self.record(400)
            return self.reply(400, "Bad Request")
        self.record(200)
        self.reply(200, config.get("token", "metadata-token"))

    def do_GET(self):
        config = self.server.config
        static = config.get("static", {}).get(self.path)
        if static is not None:
            self.record(static.get("status", 200))
            return self.reply(static.get("status", 200), static.get("body", ""),
                              static.get("content_type", "application/json"))
        token = self.headers.get("X-aliyun-ecs-metadata-token")
        if token is not None and token != config.get("token", "metadata-token"):
            self.record(401)
            return self.reply(401, "Unauthorized")
        if token is None and config.get("mode") == "v2-required":
            self.record(401)
            return self.reply(401, "Unauthorized")
        roles = config.get("roles", {})
        if self.path == ROLES:
            if not roles:
                self.record(404)
                return self.reply(404, "Not Found")
            self.record(200)
            return self.reply(200, "\n".join(roles))
        if self.path.startswith(ROLES) and unquote(self.path[len(ROLES):]) in roles:
            self.record(200)
            return self.reply(200, roles[unquote(self.path[len(ROLES):])])
        self.record(404)
        self.reply(404, "Not Found")


def main():
    with open(sys.argv[1]) as f:
        config = json.load(f)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.config = config
    server.lock = threading.Lock()
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
