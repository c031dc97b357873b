"""A fake Alibaba Cloud Container Service answering DescribeClusterUserKubeconfig.

    python3 fake_cs.py --cluster ID --server URL --ca ca.crt --cert client.crt --key client.key
                       --secret AKID:SECRET [--mode ok|403|404|html|empty] [--expire-in SECONDS]

Prints `PORT n`, then serves on 127.0.0.1:n. GET /k8s/ID/user_config checks the
ROA signature with the official SDK (aliyun-python-sdk-core) and a never-seen
nonce, then returns {"config": kubeconfig YAML, "expiration": ...}. GET /_count
tells how many user_config calls were answered; GET /_last the last query."""
import argparse
import base64
import datetime
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aliyunsdkcore.auth.algorithm import sha_hmac1
from aliyunsdkcore.auth.composer import roa_signature_composer as roa


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

    def do_GET(self):
        state = self.server.state
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_count":
            return self.reply(200, {"count": state["count"]})
        if url.path == "/_last":
            return self.reply(200, state["last"])
        args = self.server.args
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        # HTTP header names are case-insensitive (kubecred sends them lower-case);
        # the SDK composer wants the canonical spellings.
        canonical = {"accept": "Accept", "date": "Date", "content-md5": "Content-MD5", "content-type": "Content-Type"}
        headers = {canonical.get(k.lower(), k.lower()): v for k, v in self.headers.items()}
        auth = headers.get("authorization", "")
        key_id, secret = args.secret.split(":", 1)
        if not auth.startswith(f"acs {key_id}:"):
            return self.reply(400, {"code": "InvalidAccessKeyId.NotFound", "message": "Specified access key is not found."})
        nonce = headers.get("x-acs-signature-nonce")
        signed = {k: v for k, v in headers.items() if k.startswith("x-acs-") or k in canonical.values()}
        string = roa.compose_string_to_sign("GET", dict(query), urllib.parse.unquote(url.path), signed, None)
        expected = sha_hmac1.get_sign_string(string, secret)
        with state["lock"]:
            if nonce in state["nonces"]:
                return self.reply(400, {"code": "SignatureNonceUsed", "message": "nonce used"})
            state["nonces"].add(nonce)
        if auth != f"acs {key_id}:{expected}":
            return self.reply(400, {"code": "SignatureDoesNotMatch", "message": "signature mismatch"})
        if args.mode == "403":
            return self.reply(403, {"code": "StatusForbidden", "message": "STSToken policy Forbidden for action cs:DescribeClusterUserKubeconfig", "requestId": "r"})
        if args.mode == "html":
            return self.reply(502, b"<html><body>Bad Gateway</body></html>", "text/html")
        if args.mode == "empty":
            return self.reply(200, b"")
        if url.path != f"/k8s/{args.cluster}/user_config":
            return self.reply(404, {"code": "ErrorClusterNotFound", "message": "cluster not found", "requestId": "r"})
        minutes = query.get("TemporaryDurationMinutes")
        seconds = args.expire_in or (int(minutes) * 60 if minutes else 3 * 365 * 86400)
        expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
        b64 = lambda path: base64.b64encode(open(path, "rb").read()).decode()
        config = (f"apiVersion: v1\nclusters:\n- cluster:\n    server: {args.server}\n"
                  f"    certificate-authority-data: {b64(args.ca)}\n  name: kubernetes\n"
                  f"contexts:\n- context:\n    cluster: kubernetes\n    user: \"27318\"\n  name: 27318-{args.cluster}\n"
                  f"current-context: 27318-{args.cluster}\nkind: Config\npreferences: {{}}\nusers:\n- name: \"27318\"\n"
                  f"  user:\n    client-certificate-data: {b64(args.cert)}\n    client-key-data: {b64(args.key)}\n")
        with state["lock"]:
            state["count"] += 1
            state["last"] = query
        self.reply(200, {"config": config, "expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ")})


def main():
    parser = argparse.ArgumentParser()
    for name in ("--cluster", "--server", "--ca", "--cert", "--key", "--secret"):
        parser.add_argument(name, required=True)
    parser.add_argument("--mode", default="ok")
    parser.add_argument("--expire-in", type=int, default=0)
    ThreadingHTTPServer.request_queue_size = 128  # parallel cold starts connect at once
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.args = parser.parse_args()
    server.state = {"count": 0, "last": {}, "nonces": set(), "lock": threading.Lock()}
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
