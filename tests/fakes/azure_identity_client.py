"""Gets a token with azure-identity (the Python SDK, MSAL Python underneath)
from the same local fakes kubecred is tested against, so that the test can
compare what each sends.

    python3 azure_identity_client.py --kind secret|certificate|workload|managed
        --scope SCOPE [--authority URL --tenant T --client ID] [--secret S]
        [--cert PEM] [--token-file F] [--ca CA.crt]

Prints {"token": ..., "expires_on": ...} on stdout. For `managed`,
AZURE_POD_IDENTITY_AUTHORITY_HOST must point at the fake IMDS.
"""
import argparse
import json

from azure.identity import (CertificateCredential, ClientAssertionCredential, ClientSecretCredential,
                            ManagedIdentityCredential)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", required=True)
    parser.add_argument("--scope", required=True)
    parser.add_argument("--authority")
    parser.add_argument("--tenant")
    parser.add_argument("--client")
    parser.add_argument("--secret")
    parser.add_argument("--cert")
    parser.add_argument("--token-file")
    parser.add_argument("--ca")
    args = parser.parse_args()
    common = {"authority": args.authority, "disable_instance_discovery": True}
    if args.ca:
        common["connection_verify"] = args.ca
    if args.kind == "secret":
        credential = ClientSecretCredential(args.tenant, args.client, args.secret, **common)
    elif args.kind == "certificate":
        # kubelogin sends the certificate chain (x5c); ask azure-identity to do the same.
        credential = CertificateCredential(args.tenant, args.client, certificate_path=args.cert,
                                           send_certificate_chain=True, **common)
    elif args.kind == "workload":
        def assertion():
            with open(args.token_file) as f:
                return f.read().strip()
        credential = ClientAssertionCredential(args.tenant, args.client, assertion, **common)
    elif args.kind == "managed":
        credential = ManagedIdentityCredential(client_id=args.client) if args.client else ManagedIdentityCredential()
    else:
        raise SystemExit(f"unknown kind {args.kind}")
    token = credential.get_token(args.scope)
    print(json.dumps({"token": token.token, "expires_on": token.expires_on}))


if __name__ == "__main__":
    main()
