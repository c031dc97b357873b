"""Fills the AWS CLI's role cache the way the AWS CLI does, with botocore itself.

    python3 botocore_mfa_cache.py PROFILE CODE

The environment names the config file and the STS endpoint (the test's fake).
As awscli/customizations/assumerole.py does for every command, the assume-role
provider gets a JSONFileCache in ~/.aws/cli/cache; the MFA prompt is answered
with CODE instead of reading the terminal. Prints the access key it got.
"""
import os
import sys

import botocore.session
from botocore.credentials import JSONFileCache


def main():
    profile, code = sys.argv[1], sys.argv[2]
    session = botocore.session.Session(profile=profile)
    provider = session.get_component("credential_provider").get_provider("assume-role")
    provider.cache = JSONFileCache(os.path.expanduser(os.path.join("~", ".aws", "cli", "cache")))
    provider._prompter = lambda prompt: code
    print(session.get_credentials().get_frozen_credentials().access_key)


if __name__ == "__main__":
    main()
