#!/usr/bin/env python3
"""The recording exec credential plugin of the kubectl differential test.

    exec_plugin.py --log FILE --api VERSION [--cert CRT --key KEY] [more args]

Appends its argv, environment and KUBERNETES_EXEC_INFO (parsed) to FILE as one
JSON line, then answers with an ExecCredential of VERSION: a client
certificate when --cert/--key are given, else a token naming its version and PARITY_ENV."""
import json
import os
import sys


def main():
    args = sys.argv[1:]
    option = lambda name: args[args.index(name) + 1] if name in args else None  # noqa: E731
    info = os.environ.get("KUBERNETES_EXEC_INFO")
    try:
        info = json.loads(info) if info is not None else None
    except ValueError:
        pass
    env = {k: v for k, v in os.environ.items() if k != "KUBERNETES_EXEC_INFO"}
    with open(option("--log"), "a") as f:
        f.write(json.dumps({"argv": args, "env": env, "info": info}) + "\n")
    status = {"expirationTimestamp": "2030-01-01T00:00:00Z"}
    if option("--cert"):
        with open(option("--cert")) as c, open(option("--key")) as k:
            status.update(clientCertificateData=c.read(), clientKeyData=k.read())
    else:
        status["token"] = "exec-" + (option("--api") or "").rsplit("/", 1)[-1] + "-" + os.environ.get("PARITY_ENV", "")
    print(json.dumps({"kind": "ExecCredential", "apiVersion": option("--api"), "spec": {}, "status": status}))


main()
