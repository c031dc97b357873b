#!/usr/bin/env python3
"""Computes ROA (HMAC-SHA1) strings to sign and signatures with the official
Alibaba Cloud SDK (aliyun-python-sdk-core) for fixed keys, dates and nonces, for
Container Service DescribeClusterUserKubeconfig requests, and prints them as JSON:
the fixtures tests/alibaba_roa.rs compares kubecred's signer with.

    python3 scripts/alibaba-roa-reference.py > tests/data/alibaba-roa/signatures.json
"""
import email.utils
import json

from aliyunsdkcore.auth.algorithm import sha_hmac1
from aliyunsdkcore.auth.composer import roa_signature_composer as roa

CASES = [
    {"name": "access-key", "key": "LTAI5tEXAMPLEKEYID", "secret": "EXAMPLEsecretEXAMPLEsecret12", "token": None,
     "date": "Tue, 24 Nov 2026 13:34:04 GMT", "nonce": "0f6b1a8e-3c2d-4e5f-8a9b-0c1d2e3f4a5b",
     "cluster": "c5b9a0d3e1f2", "query": {"PrivateIpAddress": "false", "TemporaryDurationMinutes": "180"}},
    {"name": "sts-long-lived", "key": "STS.NUgYrLnoC37mZZCNnAbez", "secret": "CVwjCkNzTMupZ8NbTCxCBRq3K16jtcWFTJAyBEv2",
     "token": "CAISwAJ1q6Ft5B2yfSjIr5bkLO/7+7x1zfuqS0rj1TABBL4R2", "date": "Thu, 29 Feb 2024 23:59:59 GMT",
     "nonce": "n-2", "cluster": "c0123456789abcdef", "query": {"PrivateIpAddress": "true"}},
]


def main():
    out = []
    for case in CASES:
        headers = {
            "Accept": "application/json",
            "Date": case["date"],
            "x-acs-signature-method": "HMAC-SHA1",
            "x-acs-signature-version": "1.0",
            "x-acs-signature-nonce": case["nonce"],
            "x-acs-version": "2015-12-15",
        }
        if case["token"]:
            headers["x-acs-security-token"] = case["token"]
        string = roa.compose_string_to_sign("GET", dict(case["query"]), "/k8s/[ClusterId]/user_config", headers,
                                            {"ClusterId": case["cluster"]})
        now = int(email.utils.parsedate_to_datetime(case["date"]).timestamp())
        out.append(dict(case, now=now, string_to_sign=string, signature=sha_hmac1.get_sign_string(string, case["secret"])))
    print(json.dumps({"cases": out}, indent=2))


if __name__ == "__main__":
    main()
