"""Calls STS AssumeRole through the official aliyun-python-sdk-core, to show that
fake_alibaba_sts.py accepts what the SDK signs and refuses a wrong secret.

    python3 sdk_assume_role.py HOST:PORT ACCESS_KEY_ID SECRET ROLE_ARN

Prints the AccessKeyId STS returned, or `ERROR <code>`.
"""
import json
import sys

from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

host, key, secret, role = sys.argv[1:5]
client = AcsClient(key, secret, "cn-hangzhou")
for method in ("POST", "GET"):
    request = CommonRequest(domain=host, version="2015-04-01", action_name="AssumeRole")
    request.set_protocol_type("http")
    request.set_method(method)
    request.add_query_param("RoleArn", role)
    request.add_query_param("RoleSessionName", "sdk-session")
    try:
        print(json.loads(client.do_action_with_exception(request))["Credentials"]["AccessKeyId"])
    except Exception as e:  # the SDK's ServerException carries STS's Code
        print("ERROR", getattr(e, "error_code", None) or type(e).__name__)
