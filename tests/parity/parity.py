"""The kubectl differential test's Python half (tests/kubectl_parity.rs is the other).

    python3 parity.py DIR SEED KUBECTL=COUNT [KUBECTL=COUNT ...]

Makes the PKI, starts the recording stand-ins, generates COUNT situations per
kubectl binary and writes them twice (DIR/sNNN/a for kubectl, DIR/sNNN/b for
kubecred) with the plan in DIR/plan.json, then prints `READY`. The Rust half
runs every command (sealed, through tests/common) and writes DIR/results.json,
then writes `COMPARE` on stdin. This half then compares what each tool sent,
ran and printed, prints the agreement per kubectl version, and exits 1 when a
difference is not one of the listed exceptions (exceptions.py)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from compare import compare_all  # noqa: E402
from generate import generate  # noqa: E402
from servers import Recorder, make_pki, start_servers  # noqa: E402

PLUGIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exec_plugin.sh")


def materialize(situation, run_dir, tag):
    def fill(text):
        return text.replace("$RUN", run_dir).replace("$PLUGIN", PLUGIN)

    os.makedirs(os.path.join(run_dir, "home"), exist_ok=True)
    for name, text in situation.files.items():
        path = os.path.join(run_dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(fill(text))
        if name.startswith("bin/"):
            os.chmod(path, 0o755)
    return {
        "home": os.path.join(run_dir, "home"),
        "cwd": run_dir,
        "args": ["create", "token", situation.sa_name or "sa-%s-%s" % (situation.id, tag)]
        + [fill(a) for a in situation.args],
        "env": {k: fill(v) for k, v in situation.env.items()},
        "service_account_dir": os.path.join(run_dir, situation.in_cluster) if situation.in_cluster else None,
    }


def main():
    directory, seed = sys.argv[1], int(sys.argv[2])
    runs = [(arg.rsplit("=", 1)[0], int(arg.rsplit("=", 1)[1])) for arg in sys.argv[3:]]
    pki = make_pki(os.path.join(directory, "pki"))
    recorder = Recorder()
    urls = start_servers(pki, recorder)
    plan, situations = [], {}
    for index, (kubectl, count) in enumerate(runs):
        for situation in generate(seed + index, count, pki, urls):
            situation.id = "%d%s" % (index, situation.id)
            base = os.path.join(directory, "s" + situation.id)
            situations[situation.id] = (situation, kubectl, base)
            plan.append({"id": situation.id, "kubectl": kubectl,
                         "a": materialize(situation, os.path.join(base, "a"), "a"),
                         "b": materialize(situation, os.path.join(base, "b"), "b")})
    with open(os.path.join(directory, "plan.json"), "w") as f:
        json.dump(plan, f)
    print("READY", flush=True)
    if sys.stdin.readline().strip() != "COMPARE":
        sys.exit("parity.py: expected COMPARE")
    with open(os.path.join(directory, "results.json")) as f:
        results = json.load(f)
    sys.exit(compare_all(situations, results, recorder.records, directory))


if __name__ == "__main__":
    main()
