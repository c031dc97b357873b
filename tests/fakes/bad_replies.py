#!/usr/bin/env python3
"""An HTTP endpoint that answers every request, whatever its method and path,
with one kind of broken reply: what a proxy, a captive portal, an overloaded or
a misconfigured server sends instead of the document a client expects.

    bad_replies.py MODE     prints "PORT n", then serves until killed

Modes: html-502, html-200, empty-200, empty-500, bare-404, json-403, junk-200,
truncated-200, wrong-types-200, deep-200, huge-200.
"""

import http.server
import sys

HTML = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><h1>502 Bad Gateway</h1></body>\r\n</html>\r\n"
PORTAL = b"<!DOCTYPE html><html><body><form action='/login'>Sign in to the guest network</form></body></html>"
# Every field any kubecred client reads, with the wrong JSON type.
WRONG_TYPES = (
    b'{"AccessKeyId": 5, "SecretAccessKey": [], "Token": {}, "Expiration": 1700000000, "Code": 0,'
    b' "Credentials": {"AccessKeyId": true, "AccessKeySecret": null, "Expiration": []},'
    b' "roleCredentials": "none", "cluster": [], "config": 7, "expiration": {},'
    b' "status": {"token": 12, "expirationTimestamp": false}}'
)

MODES = {
    "html-502": (502, "text/html", HTML),
    "html-200": (200, "text/html", PORTAL),
    "empty-200": (200, "application/json", b""),
    "empty-500": (500, None, b""),
    "bare-404": (404, None, b""),
    "json-403": (403, "application/json", b'{"Code": "Forbidden", "Message": "denied by policy", "message": "denied by policy", "code": "Forbidden"}'),
    "junk-200": (200, "application/octet-stream", bytes(range(256)) * 4),
    "truncated-200": (200, "application/json", b'{"AccessKeyId": "ASIA1234", "Credentials": {"AccessKeyId": "STS.N'),
    "wrong-types-200": (200, "application/json", WRONG_TYPES),
    "deep-200": (200, "application/json", b"[" * 200_000),
    "huge-200": (200, "application/json", b'{"pad": "' + b"x" * (9 << 20) + b'"}'),
}


def handler_for(mode):
    status, content_type, body = MODES[mode]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading a reply it refuses

        do_GET = do_PUT = do_POST = answer

        def log_message(self, *args):
            pass

    return Handler


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that hangs up on a reply it refuses to read is the point.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    server = Server(("127.0.0.1", 0), handler_for(sys.argv[1]))
    print("PORT", server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
