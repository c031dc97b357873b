"""A fake EKS API answering DescribeCluster (GET /clusters/NAME) for one cluster.

    python3 fake_eks.py --name demo --endpoint https://127.0.0.1:PORT --ca ca.crt

Prints `PORT n`, then serves plain HTTP on 127.0.0.1:n. The SigV4 Authorization
header is required (its presence, not its signature: this fake only feeds the
real AWS CLI in tests)."""
import argparse
import base64
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        args = self.server.args
        if not self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 "):
            return self.reply(403, {"message": "Missing Authentication Token"})
        if self.path.split("?")[0] != "/clusters/" + args.name:
            return self.reply(404, {"message": "No cluster found for name: " + self.path.rsplit("/", 1)[-1]})
        with open(args.ca, "rb") as f:
            ca = base64.b64encode(f.read()).decode()
        self.reply(200, {"cluster": {
            "name": args.name, "arn": f"arn:aws:eks:us-west-2:123456789012:cluster/{args.name}",
            "endpoint": args.endpoint, "status": "ACTIVE", "version": "1.31",
            "certificateAuthority": {"data": ca}}})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--ca", required=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.args = parser.parse_args()
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
