"""Writes a self-signed RSA certificate for a service principal into DIR, in
the PEM forms kubelogin's `--client-certificate` takes:
  spn.pem        certificate, then its PKCS#8 private key
  spn-pkcs1.pem  its PKCS#1 ("RSA PRIVATE KEY") key, then an unrelated
                 certificate, then the certificate (kubecred must pick the match)
  spn.crt        the certificate alone (for fake_entra.py --client-cert)
Usage: python3 rsa_client_cert.py DIR"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def self_signed(key, cn):
    now = datetime.datetime.now(datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2)).sign(key, hashes.SHA256()))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = self_signed(key, "kubecred-spn").public_bytes(serialization.Encoding.PEM)
    other_cert = self_signed(other, "unrelated").public_bytes(serialization.Encoding.PEM)
    pkcs8 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    pkcs1 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption())
    for name, data in [("spn.pem", cert + pkcs8), ("spn-pkcs1.pem", pkcs1 + other_cert + cert), ("spn.crt", cert)]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        os.chmod(os.path.join(out, name), 0o600)


if __name__ == "__main__":
    main()
