"""Writes a throw-away PKI for tests into DIR: ca.crt/ca.key, server.crt/server.key
(SAN 127.0.0.1, ::1, localhost) and client.crt/client.key (CN=kubecred-test,
O=system:masters), all PEM. Usage: python3 certs.py DIR"""
import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def name(cn, org=None):
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def write(path, data, mode=0o600):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def issue(subject, key, issuer, issuer_key, *, ca=False, sans=None, usage=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1))
               .not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False),
                                        critical=True)
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    else:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usage), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = issue(name("kubecred-test-ca"), ca_key, name("kubecred-test-ca"), ca_key, ca=True)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = issue(name("127.0.0.1"), server_key, ca.subject, ca_key,
                   sans=[x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                         x509.IPAddress(ipaddress.ip_address("::1")), x509.DNSName("localhost")],
                   usage=[ExtendedKeyUsageOID.SERVER_AUTH])
    client_key = ec.generate_private_key(ec.SECP256R1())
    client = issue(name("kubecred-test", "system:masters"), client_key, ca.subject, ca_key,
                   usage=[ExtendedKeyUsageOID.CLIENT_AUTH])
    pem = serialization.Encoding.PEM
    write(os.path.join(out, "ca.crt"), ca.public_bytes(pem), 0o644)
    write(os.path.join(out, "ca.key"), key_pem(ca_key))
    write(os.path.join(out, "server.crt"), server.public_bytes(pem), 0o644)
    write(os.path.join(out, "server.key"), key_pem(server_key))
    write(os.path.join(out, "client.crt"), client.public_bytes(pem), 0o644)
    write(os.path.join(out, "client.key"), key_pem(client_key))


if __name__ == "__main__":
    main()
