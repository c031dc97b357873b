#!/usr/bin/env python3
"""Computes EKS tokens with botocore (the AWS CLI's own signer) for fixed keys,
time, region and cluster, and prints them as JSON: the golden values that
tests/eks_token.rs compares kubecred's tokens with.

    python3 scripts/golden-eks-token.py > tests/data/eks/golden-tokens.json

It mirrors awscli/customizations/eks/get_token.py: an STS client whose
GetCallerIdentity is presigned for 60 seconds with the x-k8s-aws-id header."""
import base64
import datetime
import json
from unittest import mock

import botocore.auth
import botocore.session

FIXED = datetime.datetime(2026, 11, 24, 13, 34, 4)
CASES = [
    {"name": "us-east-1", "region": "us-east-1", "cluster": "demo", "token": None, "legacy": False},
    {"name": "session-token", "region": "eu-west-1", "cluster": "prod-cluster",
     "token": "FwoGZXIvYXdzEXAMPLETOKEN+/=", "legacy": False},
    {"name": "china", "region": "cn-north-1", "cluster": "c1", "token": None, "legacy": False},
    {"name": "govcloud", "region": "us-gov-west-1", "cluster": "g", "token": None, "legacy": False},
    {"name": "legacy-global", "region": "us-east-1", "cluster": "demo", "token": None, "legacy": True},
    {"name": "outposts-id", "region": "us-west-2", "cluster": "8d4d3a6b-5e1c-4a2f-9f00-0123456789ab",
     "token": None, "legacy": False},
]
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


class FrozenDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return FIXED

    @classmethod
    def now(cls, tz=None):
        return FIXED.replace(tzinfo=tz) if tz else FIXED


def token_for(case):
    session = botocore.session.Session()
    session.set_credentials(ACCESS_KEY, SECRET_KEY, case["token"])
    if case["legacy"]:
        session.set_config_variable("sts_regional_endpoints", "legacy")
    else:
        session.set_config_variable("sts_regional_endpoints", "regional")
    client = session.create_client("sts", region_name=case["region"])

    def add_header(request, **kwargs):
        request.headers["x-k8s-aws-id"] = case["cluster"]

    client.meta.events.register("before-sign.sts.GetCallerIdentity", add_header)
    with mock.patch.object(botocore.auth.datetime, "datetime", FrozenDatetime):
        url = client.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=60, HttpMethod="GET")
    return "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def main():
    out = {"time": FIXED.strftime("%Y-%m-%dT%H:%M:%SZ"), "access_key_id": ACCESS_KEY,
           "secret_access_key": SECRET_KEY, "cases": []}
    for case in CASES:
        out["cases"].append(dict(case, expected=token_for(case)))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
