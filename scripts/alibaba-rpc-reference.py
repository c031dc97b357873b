#!/usr/bin/env python3
"""Writes tests/data/alibaba-rpc/signatures.json: Alibaba Cloud RPC (HMAC-SHA1)
signatures computed by the official Python SDKs, for kubecred's signer to match.

    python3 scripts/alibaba-rpc-reference.py [OUTPUT]

Two independent SDK signers are used and must agree on every case:
  * aliyun-python-sdk-core: rpc_signature_composer.get_signed_url (with its clock
    and nonce fixed), which also yields the string to sign;
  * alibabacloud-openapi-util: Client.get_rpcsignature.

"canonical" cases check canonicalisation and HMAC over a given parameter set
(the old core SDK adds its own SignatureType=""; the set is recorded as signed).
"sign" cases check kubecred's full request signing: the API parameters plus the
common ones kubecred adds (Format, AccessKeyId, SignatureMethod, SignatureVersion,
SignatureNonce, Timestamp, SecurityToken), signed by openapi-util.
"""
import json
import os
import sys

from aliyunsdkcore.auth.composer import rpc_signature_composer as composer
from aliyunsdkcore.utils import parameter_helper
from alibabacloud_openapi_util.client import Client as OpenApiUtil

CASES = [
    {
        "name": "assume-role-get",
        "method": "GET",
        "access_key_id": "LTAI5tTestKeyId000001",
        "access_key_secret": "testSecret/With+Chars=",
        "security_token": None,
        "timestamp": "2024-05-06T07:08:09Z",
        "nonce": "3f2504e04f8911d39a0c0305e82c3301",
        "params": [["Action", "AssumeRole"], ["Version", "2015-04-01"],
                   ["RoleArn", "acs:ram::1234567890123456:role/kube-admin"],
                   ["RoleSessionName", "kubecred"], ["DurationSeconds", "3600"]],
    },
    {
        "name": "assume-role-post-with-token",
        "method": "POST",
        "access_key_id": "STS.NUx9Wbqd7CHGzsSZ6xLnnmy3p",
        "access_key_secret": "9NG2P6kvkKkHTyDhfZXKyZdZ3GhzL4gnwzfuvMyP2Gtc",
        "security_token": "CAIS8AF1q6Ft5B2yfSjIr5bkKIntJ+9G0bKEdkfXhmwUP+pPqYaZsjz2IHFIeXlhB+0YtvsynWhX6PoTlr",
        "timestamp": "2026-11-24T13:57:32Z",
        "nonce": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "params": [["Action", "AssumeRole"], ["Version", "2015-04-01"],
                   ["RoleArn", "acs:ram::1234567890123456:role/chained"],
                   ["RoleSessionName", "session.name@x-y_z"], ["ExternalId", "ext id/1"],
                   ["Policy", "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"cs:*\",\"Resource\":\"*\"}]}"]],
    },
    {
        "name": "reserved-and-unicode",
        "method": "POST",
        "access_key_id": "AKID",
        "access_key_secret": "secret",
        "security_token": None,
        "timestamp": "1999-12-31T23:59:59Z",
        "nonce": "0",
        "params": [["Action", "Test"], ["b", "a b*c~d/e+f=g&h%i"], ["B", "\u00e9\u4e2d\U0001f600"],
                   ["a", ""], ["Z", "-_.~!'()"]],
    },
]


def sdk_core(case, params):
    """aliyun-python-sdk-core's signed URL and string to sign, clock and nonce fixed."""
    parameter_helper.get_iso_8061_date = lambda: case["timestamp"]
    parameter_helper.get_uuid = lambda: case["nonce"]
    _, string_to_sign = composer.get_signed_url(
        dict(params), case["access_key_id"], case["access_key_secret"], "JSON", case["method"], {})
    signed = dict(params)
    signed.update({"Timestamp": case["timestamp"], "SignatureMethod": "HMAC-SHA1", "SignatureType": "",
                   "SignatureVersion": "1.0", "SignatureNonce": case["nonce"],
                   "AccessKeyId": case["access_key_id"], "Format": "JSON"})
    return signed, string_to_sign


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "alibaba-rpc", "signatures.json")
    canonical, sign = [], []
    for case in CASES:
        api = dict(case["params"])
        if case["security_token"]:
            api["SecurityToken"] = case["security_token"]
        signed, string_to_sign = sdk_core(case, api)
        core_signature = composer.__get_signature(string_to_sign, case["access_key_secret"])
        util_signature = OpenApiUtil.get_rpcsignature(signed, case["method"], case["access_key_secret"])
        assert core_signature == util_signature, (case["name"], core_signature, util_signature)
        canonical.append({
            "name": case["name"], "method": case["method"], "access_key_secret": case["access_key_secret"],
            "params": sorted([k, v] for k, v in signed.items()),
            "string_to_sign": string_to_sign, "signature": core_signature,
        })

        full = dict(case["params"])
        full.update({"Format": "JSON", "AccessKeyId": case["access_key_id"], "SignatureMethod": "HMAC-SHA1",
                     "SignatureVersion": "1.0", "SignatureNonce": case["nonce"], "Timestamp": case["timestamp"]})
        if case["security_token"]:
            full["SecurityToken"] = case["security_token"]
        sign.append({
            "name": case["name"], "method": case["method"], "access_key_id": case["access_key_id"],
            "access_key_secret": case["access_key_secret"], "security_token": case["security_token"],
            "timestamp": case["timestamp"], "nonce": case["nonce"], "params": case["params"],
            "signed_params": sorted([k, v] for k, v in full.items()),
            "signature": OpenApiUtil.get_rpcsignature(full, case["method"], case["access_key_secret"]),
        })
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"generator": "scripts/alibaba-rpc-reference.py (aliyun-python-sdk-core, alibabacloud-openapi-util)",
                   "canonical": canonical, "sign": sign}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(canonical)} canonical and {len(sign)} sign cases to {out}")


if __name__ == "__main__":
    main()
