"""The stand-ins of the kubectl differential test: a throw-away PKI and
recording kube-apiservers, all in this process.

Each HTTPS stand-in has its own CA and a separate leaf certificate:
  tls    leaf for 127.0.0.1/localhost, asks for (but does not need) a client certificate
  mtls   leaf for 127.0.0.1/localhost, refuses a handshake without a client certificate
  sni    leaf only for the name kube.internal (reachable only with tls-server-name)
  self   a self-signed CA:TRUE certificate for 127.0.0.1, as `openssl req -x509` makes
  http   plain http
Client certificates come from one client CA that tls and mtls trust.

Every request is recorded: which stand-in, method, path, Authorization, the
client certificate's CN, the Impersonate-* headers, the body. A TokenRequest is
answered with a token derived from what was presented, so the printed token is
compared too."""
import datetime
import hashlib
import ipaddress
import json
import os
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from token_body import canonical

LOOPBACK_SANS = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _issue(subject, key, issuer, issuer_key, *, ca=False, sans=None, usage=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1))
               .not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usage), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write_pair(directory, stem, cert, key):
    cert_path = os.path.join(directory, stem + ".crt")
    key_path = os.path.join(directory, stem + ".key")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cert_path, key_path


def make_pki(directory):
    """Writes every certificate the test needs into `directory`; returns their paths."""
    os.makedirs(directory, exist_ok=True)
    paths = {}

    def ca(stem):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _issue(stem, key, stem, key, ca=True)
        paths[stem + "-ca"], _ = _write_pair(directory, stem + "-ca", cert, key)
        return cert, key

    def leaf(stem, issuer, sans, usage):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _issue(stem, key, issuer[0].subject.rfc4514_string()[3:], issuer[1], sans=sans, usage=usage)
        paths[stem + "-crt"], paths[stem + "-key"] = _write_pair(directory, stem, cert, key)

    client_ca = ca("client")
    leaf("parity-user", client_ca, None, [ExtendedKeyUsageOID.CLIENT_AUTH])
    leaf("exec-user", client_ca, None, [ExtendedKeyUsageOID.CLIENT_AUTH])
    for server in ("tls", "mtls"):
        leaf(server + "-leaf", ca(server), LOOPBACK_SANS, [ExtendedKeyUsageOID.SERVER_AUTH])
    leaf("sni-leaf", ca("sni"), [x509.DNSName("kube.internal")], [ExtendedKeyUsageOID.SERVER_AUTH])
    ca("wrong")
    # openssl req -x509: self-signed, CA:TRUE, and it is the server's own certificate.
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _issue("127.0.0.1", key, "127.0.0.1", key, ca=True, sans=LOOPBACK_SANS)
    paths["self-ca"], paths["self-key"] = _write_pair(directory, "self-ca", cert, key)
    paths["self-crt"] = paths["self-ca"]
    return paths


class Recorder:
    """Every request any stand-in saw, in arrival order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.records = []

    def add(self, record):
        with self.lock:
            self.records.append(record)


def _token_for(record):
    seen = json.dumps([record["server"], record["authorization"], record["client_cn"]])
    return "tok-%s-%s" % (record["server"], hashlib.sha256(seen.encode()).hexdigest()[:12])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _client_cn(self):
        cert = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
        for rdn in (cert or {}).get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    return value
        return None

    def _serve(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        spec = canonical(body) if body else None
        record = {
            "server": self.server.label, "method": method, "path": self.path,
            "authorization": self.headers.get("Authorization"), "client_cn": self._client_cn(),
            "impersonate": sorted([k.lower(), v] for k, v in self.headers.items()
                                  if k.lower().startswith("impersonate-")),
            "body": spec,
        }
        self.server.recorder.add(record)
        if method == "POST" and self.path.split("?", 1)[0].endswith("/token"):
            code, reply = 201, {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                                "metadata": {},
                                "status": {"token": _token_for(record),
                                           "expirationTimestamp": "2030-01-01T00:00:00Z"}}
        elif self.path.startswith("/version"):
            code, reply = 200, {"major": "1", "minor": "32", "gitVersion": "v1.32.4"}
        else:
            code, reply = 404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                "message": "not found", "reason": "NotFound", "code": 404}
        data = json.dumps(reply).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")


def _context(pki, stem, client_certs):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki[stem + "-crt"], pki[stem + "-key"])
    if client_certs:
        context.load_verify_locations(pki["client-ca"])
        context.verify_mode = client_certs
    return context


def start_servers(pki, recorder):
    """Starts every stand-in; returns {label: base URL}."""
    plan = {
        "tls": _context(pki, "tls-leaf", ssl.CERT_OPTIONAL),
        "mtls": _context(pki, "mtls-leaf", ssl.CERT_REQUIRED),
        "sni": _context(pki, "sni-leaf", None),
        "self": _context(pki, "self", None),
        "http": None,
    }
    urls = {}
    for label, context in plan.items():
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.label = label
        server.recorder = recorder
        if context:
            server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        urls[label] = "%s://127.0.0.1:%d" % ("https" if context else "http", server.server_address[1])
    return urls
