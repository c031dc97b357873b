"""Differential test: kubecred installed as gke-gcloud-auth-plugin against the
real plugin, over seeded, generated Application Default Credentials situations.

    unshare -n python3 tests/gke_parity.py --kubecred BIN --plugin PLUGIN --seed N --count M

Runs in a network namespace of its own (only loopback exists, so neither tool
can reach Google whatever a situation says). Both tools see the same
environment and the same recording fake (tests/fakes/fake_google.py); for each
situation the test compares the exit status (both fail = agree), stdout (byte
for byte but for the expiry, which may differ by the second the run took) and
the requests each made: method, path, query, form fields (the JWT assertion
decoded, without its times), JSON bodies and the Authorization header.

Differences kept on purpose (see docs/gke.md):
  * CLOUDSDK_CONFIG moves gcloud's ADC file for kubecred, as for gcloud and
    google-auth; the plugin (golang.org/x/oauth2) always looks in
    ~/.config/gcloud. Situations with CLOUDSDK_CONFIG give the plugin the same
    file in ~/.config/gcloud instead, and compare the rest.
  * the metadata server: the plugin also asks for the project id, which a
    token does not need; kubecred does not.
  * on a failed call the plugin retries and kubecred reports; on failures only
    the outcome is compared.
Prints one line per disagreement and the agreement figure; exits 1 on any.
"""
import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = os.path.join(HERE, "data", "jwt", "rsa-pkcs8.pem")
OTHER_KEY = os.path.join(HERE, "data", "jwt", "rsa-pkcs1.pem")
USER = ("cid.apps.googleusercontent.com", "csecret", "1//refresh-token")
EXEC_INFO = {
    "v1beta1": '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}',
    "v1": '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}',
}


def pkcs8(path):
    """The key as a PKCS#8 PEM, as Google's key files hold it."""
    from cryptography.hazmat.primitives import serialization
    key = serialization.load_pem_private_key(open(path, "rb").read(), None)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


class Situation:
    def __init__(self, rng, index, base, work):
        self.index, self.base = index, base
        self.dir = os.path.join(work, f"case{index}")
        os.makedirs(os.path.join(self.dir, "home"))
        self.env = {"PATH": "/usr/bin:/bin", "HOME": os.path.join(self.dir, "home"),
                    "GCE_METADATA_HOST": base.split("://")[1],
                    "KUBECRED_CACHE_DIR": os.path.join(self.dir, "cache")}
        self.expect_failure = False
        self.describe = []
        self.plugin_home = None
        kind = rng.choice(["service_account"] * 3 + ["authorized_user"] * 2 + ["external_file", "external_url",
                           "external_impersonated", "impersonated_sa", "impersonated_user", "metadata", "broken"])
        self.describe.append(kind)
        document = self.document(rng, kind)
        if document is not None:
            text = document if isinstance(document, str) else json.dumps(document, indent=rng.choice([None, 2]))
            where = rng.choice(["env", "cloudsdk_config", "home"])
            self.describe.append(where)
            if where == "env":
                path = os.path.join(self.dir, "adc.json")
                self.env["GOOGLE_APPLICATION_CREDENTIALS"] = path
            elif where == "cloudsdk_config":
                config = os.path.join(self.dir, "gcloud-config")
                self.env["CLOUDSDK_CONFIG"] = config
                path = os.path.join(config, "application_default_credentials.json")
                # The plugin's twin: the same file where it looks, without CLOUDSDK_CONFIG.
                self.plugin_home = os.path.join(self.dir, "plugin-home")
                twin = os.path.join(self.plugin_home, ".config", "gcloud", "application_default_credentials.json")
                os.makedirs(os.path.dirname(twin))
                with open(twin, "w") as f:
                    f.write(text)
            else:
                path = os.path.join(self.env["HOME"], ".config", "gcloud", "application_default_credentials.json")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        version = rng.choice([None, "v1beta1", "v1"])
        if version:
            self.env["KUBERNETES_EXEC_INFO"] = EXEC_INFO[version]
            self.describe.append("exec-info-" + version)
        if rng.random() < 0.1:
            self.env["GOOGLE_APPLICATION_CREDENTIALS"] = os.path.join(self.dir, "missing.json")
            self.expect_failure = True
            self.describe.append("missing-file")

    def service_account(self, rng, key=KEY):
        doc = {"type": "service_account", "project_id": "proj", "private_key": pkcs8(key),
               "client_email": rng.choice(["deployer", "ci", "gke-reader"]) + "@proj.iam.gserviceaccount.com",
               "client_id": "1234567890", "token_uri": self.base + "/token"}
        if rng.random() < 0.7:
            doc["private_key_id"] = "%040x" % rng.getrandbits(160)
        return doc

    def user(self):
        return {"type": "authorized_user", "client_id": USER[0], "client_secret": USER[1],
                "refresh_token": USER[2], "token_uri": self.base + "/token", "quota_project_id": "proj"}

    def external(self, rng, source):
        doc = {"type": "external_account",
               "audience": "//iam.googleapis.com/projects/%d/locations/global/workloadIdentityPools/pool/providers/%s"
                           % (rng.randrange(10 ** 6, 10 ** 7), rng.choice(["github", "gitlab", "eks"])),
               "subject_token_type": rng.choice(["urn:ietf:params:oauth:token-type:jwt",
                                                 "urn:ietf:params:oauth:token-type:id_token"]),
               "token_url": self.base + "/v1/token"}
        json_format = rng.random() < 0.5
        if source == "file":
            path = os.path.join(self.dir, "subject")
            with open(path, "w") as f:
                subject = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3b3JrbG9hZCJ9.c2lnbmF0dXJl"
                f.write(json.dumps({"id_token": subject}) if json_format else subject + rng.choice(["", "\n"]))
            doc["credential_source"] = {"file": path}
        else:
            doc["credential_source"] = {"url": self.base + ("/subject/json" if json_format else "/subject/text")}
            if rng.random() < 0.5:
                doc["credential_source"]["headers"] = {"Metadata": "True"}
        if json_format:
            doc["credential_source"]["format"] = {"type": "json", "subject_token_field_name": "id_token"}
        return doc

    def document(self, rng, kind):
        if kind == "service_account":
            return self.service_account(rng)
        if kind == "authorized_user":
            return self.user()
        if kind in ("external_file", "external_url"):
            return self.external(rng, kind.split("_")[1])
        if kind == "external_impersonated":
            doc = self.external(rng, rng.choice(["file", "url"]))
            doc["service_account_impersonation_url"] = (
                self.base + "/v1/projects/-/serviceAccounts/target@proj.iam.gserviceaccount.com:generateAccessToken")
            if rng.random() < 0.5:
                doc["service_account_impersonation"] = {"token_lifetime_seconds": rng.choice([600, 1800, 3600])}
            return doc
        if kind in ("impersonated_sa", "impersonated_user"):
            source = self.service_account(rng) if kind == "impersonated_sa" else self.user()
            doc = {"type": "impersonated_service_account", "source_credentials": source,
                   "service_account_impersonation_url":
                       self.base + "/v1/projects/-/serviceAccounts/target@proj.iam.gserviceaccount.com:generateAccessToken"}
            if rng.random() < 0.5:
                doc["delegates"] = ["delegate@proj.iam.gserviceaccount.com"]
            return doc
        if kind == "metadata":
            return None
        self.expect_failure = True
        broken = rng.choice(["junk", "unknown-type", "no-private-key", "wrong-key", "revoked-refresh-token",
                             "aws-source"])
        self.describe.append(broken)
        if broken == "junk":
            return "{not json"
        if broken == "unknown-type":
            return {"type": "gdch_service_account"}
        if broken == "no-private-key":
            doc = self.service_account(rng)
            del doc["private_key"]
            return doc
        if broken == "wrong-key":
            return self.service_account(rng, key=OTHER_KEY)
        if broken == "revoked-refresh-token":
            doc = self.user()
            doc["refresh_token"] = "1//revoked"
            return doc
        doc = self.external(rng, "file")
        doc["credential_source"] = {"environment_id": "aws1", "region_url": "http://169.254.169.254/x"}
        return doc


def requests_since(base, start):
    with urllib.request.urlopen(base + "/_log") as reply:
        log = json.load(reply)
    return log[start:], len(log)


def normalize(entries):
    out = []
    for entry in entries:
        if entry["path"] == "/computeMetadata/v1/project/project-id":
            continue  # kept difference: the plugin asks for the project id
        item = {k: entry.get(k) for k in ("method", "path", "query", "json")}
        item["authorization"] = entry["headers"].get("authorization")
        form = dict(entry.get("form") or {})
        if "assertion" in form:
            header, claims, _ = form.pop("assertion").split(".")
            decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
            claims = decode(claims)
            claims["lifetime"] = claims.pop("exp") - claims.pop("iat")
            item["assertion"] = {"header": decode(header), "claims": claims}
        item["form"] = form
        out.append(item)
    return out


def comparable_stdout(text):
    try:
        value = json.loads(text)
    except ValueError:
        return text, None
    expiry = value.get("status", {}).pop("expirationTimestamp", None)
    return json.dumps(value, indent=4), expiry


def seconds(stamp):
    import datetime
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubecred", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    work = tempfile.mkdtemp(prefix="kubecred-gke-parity-")
    fake = subprocess.Popen([sys.executable, os.path.join(HERE, "fakes", "fake_google.py"), "--sa-public-key", KEY,
                             "--user", ":".join(USER)], stdout=subprocess.PIPE, text=True)
    try:
        port = int(fake.stdout.readline().split()[1])
        base = f"http://127.0.0.1:{port}"
        link = os.path.join(work, "bin", "gke-gcloud-auth-plugin")
        os.makedirs(os.path.dirname(link))
        os.symlink(os.path.abspath(args.kubecred), link)
        rng = random.Random(args.seed)
        seen, agree, differences = 0, 0, []
        for index in range(args.count):
            case = Situation(rng, index, base, work)
            results = []
            for program in (args.plugin, link):
                env = dict(case.env)
                if program == args.plugin and case.plugin_home:
                    env.pop("CLOUDSDK_CONFIG")
                    env["HOME"] = case.plugin_home
                run = subprocess.run([program, "--use_application_default_credentials"], env=env,
                                     stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
                entries, seen = requests_since(base, seen)
                results.append((run, normalize(entries)))
            (real, real_requests), (ours, our_requests) = results
            problems = []
            if (real.returncode == 0) != (ours.returncode == 0):
                problems.append(f"exit {real.returncode} vs {ours.returncode}: {real.stderr.strip()[-200:]!r} | "
                                f"{ours.stderr.strip()[-200:]!r}")
            elif real.returncode == 0:
                (real_out, real_expiry), (our_out, our_expiry) = comparable_stdout(real.stdout), comparable_stdout(ours.stdout)
                if real_out != our_out or real.stdout.endswith("\n") != ours.stdout.endswith("\n"):
                    problems.append(f"stdout differs:\n{real.stdout}\n---\n{ours.stdout}")
                elif abs(seconds(real_expiry) - seconds(our_expiry)) > 5:
                    problems.append(f"expiry {real_expiry} vs {our_expiry}")
                if real_requests != our_requests:
                    problems.append(f"requests differ:\n{json.dumps(real_requests)}\n---\n{json.dumps(our_requests)}")
            else:
                if len(ours.stderr.strip().splitlines()) != 1 or ours.stdout:
                    problems.append(f"kubecred's failure is not one line on stderr: {ours.stderr!r}")
            if case.expect_failure and real.returncode == 0:
                problems.append("a broken situation succeeded")
            if problems:
                differences.append(f"case {index} ({', '.join(case.describe)}): " + "; ".join(problems))
            else:
                agree += 1
        for line in differences:
            print("DIFFERENCE " + line)
        print(f"gke-gcloud-auth-plugin parity: {agree}/{args.count} situations agree (seed {args.seed})")
        sys.exit(1 if differences else 0)
    finally:
        fake.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
