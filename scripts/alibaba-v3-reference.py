#!/usr/bin/env python3
"""Computes ACS3-HMAC-SHA256 (V3) Authorization headers with the official
Alibaba Cloud SDK signer (alibabacloud-openapi-util) for fixed keys, times and
requests shaped like the ACK token's STS GetCallerIdentity, and prints them as
JSON: the fixtures tests/alibaba_v3.rs compares kubecred's signer with.

    python3 scripts/alibaba-v3-reference.py > tests/data/alibaba-v3/signatures.json
"""
import hashlib
import json

from alibabacloud_openapi_util.client import Client
from Tea.request import TeaRequest

EMPTY = hashlib.sha256(b"").hexdigest()
CASES = [
    {"name": "access-key", "cluster": "c5b9a0d3e1f2a4b6c8d0e2f4a6b8c0d2e", "date": "2026-11-24T13:34:04Z",
     "key": "LTAI5tEXAMPLEKEYID", "secret": "EXAMPLEsecretEXAMPLEsecret12", "token": None},
    {"name": "sts-token", "cluster": "c0123456789abcdef", "date": "2024-02-29T23:59:59Z",
     "key": "STS.NUgYrLnoC37mZZCNnAbez", "secret": "CVwjCkNzTMupZ8NbTCxCBRq3K16jtcWFTJAyBEv2",
     "token": "CAISwAJ1q6Ft5B2yfSjIr5bkLO/7+7x1zfuqS0rj1TABBL4R2/3SmDz2IHhMfXFoA+0Yt/U1mW5R7fsTlrt0SIRKZXXcOb2j"},
    {"name": "reserved-chars", "cluster": "cluster id/with*odd~chars&=", "date": "2030-01-01T00:00:00Z",
     "key": "LTAI", "secret": "s", "token": None},
]


def authorization(case):
    request = TeaRequest()
    request.method = "POST"
    request.pathname = "/"
    request.query = {"ACKClusterId": case["cluster"]}
    headers = {
        "x-acs-version": "2015-04-01",
        "x-acs-action": "GetCallerIdentity",
        "x-acs-date": case["date"],
        "x-acs-content-sha256": EMPTY,
    }
    if case["token"]:
        headers["x-acs-security-token"] = case["token"]
    request.headers = headers  # exactly the headers V3 signs for this request
    return Client.get_authorization(request, "ACS3-HMAC-SHA256", EMPTY, case["key"], case["secret"])


def main():
    print(json.dumps({"cases": [dict(case, authorization=authorization(case)) for case in CASES]}, indent=2))


if __name__ == "__main__":
    main()
