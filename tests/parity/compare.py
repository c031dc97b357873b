"""Comparing what kubectl (run a) and kubecred (run b) did in each situation.

Both refusing is agreement. Otherwise they agree when both succeeded having
sent the same TokenRequests (stand-in, path, Authorization, client
certificate, Impersonate-* headers, body), run the exec plugin the same way
(argv, environment, KUBERNETES_EXEC_INFO) and printed the same token."""
import glob
import json
import os
import re

from exceptions import EXCEPTIONS


# tests/common points each process's metadata endpoints at its own closed port.
CLOSED_PORT = re.compile(
    r'"(AWS_EC2_METADATA_SERVICE_ENDPOINT|ALIBABA_CLOUD_ECS_METADATA_ENDPOINT|GCE_METADATA_HOST'
    r'|AZURE_POD_IDENTITY_AUTHORITY_HOST)": "[^"]*"'
)


def normalize(value, sid, tag, run_dir):
    text = CLOSED_PORT.sub(r'"\1": "$CLOSED"', json.dumps(value))
    text = text.replace(run_dir, "$RUN").replace("sa-%s-%s" % (sid, tag), "SA")
    return json.loads(text)


def read_exec(stem):
    """One run of exec_plugin.sh: its argv, environment and KUBERNETES_EXEC_INFO."""
    with open(stem + ".argv", "rb") as f:
        argv = f.read().decode().split("\0")[:-1]
    with open(stem + ".env", "rb") as f:
        env = dict(item.split("=", 1) for item in f.read().decode().split("\0") if "=" in item)
    info = env.pop("KUBERNETES_EXEC_INFO", None)
    try:
        info = json.loads(info) if info is not None else None
    except ValueError:
        pass
    return {"argv": argv, "env": env, "info": info}


def observe(sid, tag, result, records, base):
    run_dir = os.path.join(base, tag)
    marker = "/serviceaccounts/sa-%s-%s/" % (sid, tag)
    requests = [r for r in records if marker in r["path"]]
    execs = [read_exec(path[:-len(".argv")]) for path in sorted(glob.glob(os.path.join(run_dir, "exec.log.*.argv")))]
    observed = {
        "ok": result["code"] == 0,
        "requests": requests,
        "execs": execs,
        "stdout": result["stdout"] if result["code"] == 0 else None,
    }
    observed = normalize(observed, sid, tag, run_dir)
    observed["stderr"] = result["stderr"].strip()
    observed["code"] = result["code"]
    return observed


def differences(a, b):
    if not a["ok"] and not b["ok"]:
        return []
    if a["ok"] != b["ok"]:
        return ["outcome"]
    return [key for key in ("requests", "execs", "stdout") if a[key] != b[key]]


def version_of(kubectl):
    match = re.search(r"kubectl(\.\d+\.\d+)?$", kubectl)
    return match.group(0) if match else kubectl


def compare_all(situations, results, records, directory):
    by_run = {(r["id"], r["tool"]): r for r in results}
    tally, unlisted, listed, outcomes = {}, [], {}, {}
    for sid, (situation, kubectl, base) in sorted(situations.items()):
        a = observe(sid, "a", by_run[(sid, "a")], records, base)
        b = observe(sid, "b", by_run[(sid, "b")], records, base)
        version = version_of(kubectl)
        counts = tally.setdefault(version, [0, 0, 0])
        counts[1] += 1
        outcomes[(a["ok"], b["ok"])] = outcomes.get((a["ok"], b["ok"]), 0) + 1
        diff = differences(a, b)
        if not diff:
            counts[0] += 1
            continue
        exception = next((e for e in EXCEPTIONS if e.matches(situation, a, b)), None)
        if exception:
            counts[2] += 1
            listed[exception.name] = listed.get(exception.name, 0) + 1
            continue
        unlisted.append({"id": sid, "kubectl": version, "differs": diff, "tags": sorted(situation.tags),
                         "args": situation.args, "env": situation.env, "files": situation.files,
                         "kubectl_saw": a, "kubecred_saw": b})
    for version, (agree, total, excepted) in sorted(tally.items()):
        print("kubectl parity %s: %d/%d situations agree, %d differ as listed exceptions, %d unlisted"
              % (version, agree, total, excepted, total - agree - excepted), flush=True)
    both_ok, both_refused = outcomes.get((True, True), 0), outcomes.get((False, False), 0)
    print("  both succeeded in %d situations, both refused in %d, one of them only in %d"
          % (both_ok, both_refused, sum(outcomes.values()) - both_ok - both_refused))
    for name, count in sorted(listed.items()):
        print("  listed exception %s: %d" % (name, count))
    with open(os.path.join(directory, "unlisted.json"), "w") as f:
        json.dump(unlisted, f, indent=1)
    for item in unlisted[:5]:
        print("UNLISTED DIFFERENCE", json.dumps(item, indent=1), flush=True)
    # A generator that only makes broken configurations would agree trivially.
    if both_ok < sum(outcomes.values()) // 5:
        print("too few situations where both tools succeed: the generator has gone wrong")
        return 1
    return 1 if unlisted else 0
