"""Seeded kubeconfig situations for the kubectl differential test.

A situation is files (kubeconfigs, CA files, token files, certificates), an
environment (KUBECONFIG, POD_NAMESPACE, in-cluster variables) and a command
line of override flags. It is written twice, into RUN/a and RUN/b, paths of the
same length, so kubectl and kubecred each get their own identical copy and
what they did can be told apart."""
import base64
import json
import os
import random

from yaml_out import Dup, Raw, render

CLUSTER_NAMES = ["prod", "dev", "c3", "shared"]
USER_NAMES = ["alice", "bob", "ci", "shared"]
CONTEXT_NAMES = ["main", "other", "ns-less", "shared"]
ODD_NAMES = [".", "..", "a/b"]
PLUGIN_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exec_plugin.sh")
EXEC_V1 = "client.authentication.k8s.io/v1"
EXEC_V1BETA1 = "client.authentication.k8s.io/v1beta1"


def read(path):
    with open(path) as f:
        return f.read()


class Situation:
    def __init__(self, rng, pki, urls, sid):
        self.rng, self.pki, self.urls, self.id = rng, pki, urls, sid
        self.files = {}  # relative path -> text
        self.tags = set()
        self.env = {}
        self.args = []
        self.in_cluster = None  # files of the mounted ServiceAccount, when the run is "in a Pod"
        self.sa_name = None  # a name other than the usual sa-ID-RUN, to be refused

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, items):
        return self.rng.choice(items)

    # --- clusters -------------------------------------------------------------
    def server_url(self, label):
        url = self.urls[label]
        if self.chance(0.1):
            url = url.replace("127.0.0.1", "localhost")
        if self.chance(0.08):
            url += "/"
        if self.chance(0.04):
            url += "?x=1"
            self.tags.add("server-query")
        return url

    def ca_file(self, label, directory):
        name = "%s/%s-ca.crt" % (directory, label)
        self.files[name] = read(self.pki[label + "-ca"])
        return name

    def cluster(self, directory):
        label = self.pick(["tls", "tls", "mtls", "sni", "self", "http"])
        cluster = {"server": self.server_url(label)}
        ca_label = label if not self.chance(0.06) else "wrong"
        if label == "http":
            ca_label = self.pick(["tls", None])
        how = self.pick(["file", "file", "abs", "data", "data", "none"]) if ca_label else "none"
        if ca_label and self.chance(0.04):
            how = "both"
        if how == "file":
            cluster["certificate-authority"] = os.path.relpath(self.ca_file(ca_label, "pki"), directory)
        elif how == "abs":
            cluster["certificate-authority"] = "$RUN/" + self.ca_file(ca_label, "pki")
        elif how == "data":
            cluster["certificate-authority-data"] = base64.b64encode(read(self.pki[ca_label + "-ca"]).encode()).decode()
        elif how == "both":
            cluster["certificate-authority"] = "$RUN/" + self.ca_file(ca_label, "pki")
            cluster["certificate-authority-data"] = base64.b64encode(read(self.pki[ca_label + "-ca"]).encode()).decode()
        if label == "sni" and self.chance(0.8) or self.chance(0.05):
            cluster["tls-server-name"] = self.pick(["kube.internal", "kube.internal", "localhost"])
        if self.chance(0.1):
            cluster["insecure-skip-tls-verify"] = self.pick([True, Raw("yes"), Raw("on"), False, Raw("off")])
        if self.chance(0.03):
            cluster["certificate-authority"] = "pki/missing.crt"
        return cluster

    # --- users ----------------------------------------------------------------
    def cert_pair(self, user, stem, data):
        if data:
            user["client-certificate-data"] = base64.b64encode(read(self.pki[stem + "-crt"]).encode()).decode()
            user["client-key-data"] = base64.b64encode(read(self.pki[stem + "-key"]).encode()).decode()
        else:
            self.files["pki/%s.crt" % stem] = read(self.pki[stem + "-crt"])
            self.files["pki/%s.key" % stem] = read(self.pki[stem + "-key"])
            user["client-certificate"] = "$RUN/pki/%s.crt" % stem
            user["client-key"] = "$RUN/pki/%s.key" % stem

    def exec_plugin(self, cert):
        version = self.pick([EXEC_V1, EXEC_V1BETA1])
        reply = "exec/reply-%d.json" % len([f for f in self.files if f.startswith("exec/")])
        args = ["$RUN/exec.log", "$RUN/" + reply, "--api", version]
        status = {"expirationTimestamp": "2030-01-01T00:00:00Z"}
        exec_ = {"apiVersion": version, "command": "$PLUGIN", "args": args}
        value = ""
        if self.chance(0.5):
            value = self.pick(["one", "two words"])
            exec_["env"] = [{"name": "PARITY_ENV", "value": value}]
        if cert:
            status["clientCertificateData"] = read(self.pki["exec-user-crt"])
            status["clientKeyData"] = read(self.pki["exec-user-key"])
        else:
            status["token"] = "exec-%s-%s" % (version.rsplit("/", 1)[-1], value)
        self.files[reply] = json.dumps({"kind": "ExecCredential", "apiVersion": version, "status": status})
        if self.chance(0.2):
            # A command with a `/` is relative to the kubeconfig's directory.
            self.files["bin/plugin"] = read(PLUGIN_SOURCE)
            exec_["command"] = "../bin/plugin" if self.chance(0.5) else "$RUN/bin/plugin"
        if version == EXEC_V1 and self.chance(0.85) or self.chance(0.3):
            exec_["interactiveMode"] = self.pick(["Never", "IfAvailable", "IfAvailable"])
        if self.chance(0.3):
            exec_["provideClusterInfo"] = True
            self.tags.add("provide-cluster-info")
        return exec_

    def user(self, directory):
        kind = self.pick(["token", "token", "tokenFile", "token+tokenFile", "cert", "certdata", "cert+token",
                          "basic", "exec", "exec", "exec-cert", "token", "exec"])
        if self.chance(0.03):
            kind = self.pick(["empty", "numeric-token"])
        user = {}
        if kind in ("token", "cert+token", "token+tokenFile"):
            user["token"] = "kc-token-" + self.pick(["a", "b"])
        if kind in ("tokenFile", "token+tokenFile"):
            self.files["%s/tok.txt" % directory] = "file-token-%d\n" % self.rng.randint(1, 3)
            user["tokenFile"] = "tok.txt"
        if kind in ("cert", "cert+token"):
            self.cert_pair(user, "parity-user", False)
        if kind == "certdata":
            self.cert_pair(user, "parity-user", True)
        if kind == "basic":
            user["username"] = "admin"
            if self.chance(0.8):
                user["password"] = "pw"
        if kind.startswith("exec"):
            user["exec"] = self.exec_plugin(kind == "exec-cert")
        if kind == "numeric-token":
            user["token"] = Raw(self.pick(["0123", "12345", "0x1f", "1e3"]))
        if self.chance(0.05):
            user["token"] = Dup("dup-first", "dup-last")
        if self.chance(0.15):
            user["as"] = "kc-imp"
            if self.chance(0.6):
                user["as-groups"] = ["g1", "g2"][: self.rng.randint(1, 2)]
            if self.chance(0.4):
                user["as-uid"] = "uid-1"
            if self.chance(0.4):
                user["as-user-extra"] = {"scopes": ["s1"]}
        return user

    # --- files ----------------------------------------------------------------
    def name(self, pool):
        return self.pick(ODD_NAMES) if self.chance(0.02) else self.pick(pool)

    def kubeconfig(self, directory, all_names):
        clusters = [{"name": n, "cluster": self.cluster(directory)}
                    for n in self.rng.sample(CLUSTER_NAMES, self.rng.randint(0 if self.chance(0.1) else 1, 3))]
        users = [{"name": n, "user": self.user(directory)}
                 for n in self.rng.sample(USER_NAMES, self.rng.randint(0 if self.chance(0.1) else 1, 3))]
        contexts = []
        here = lambda items, pool: self.pick([i["name"] for i in items]) if items and self.chance(0.8) else self.name(pool)  # noqa: E731
        for n in self.rng.sample(CONTEXT_NAMES, self.rng.randint(1, 3)):
            context = {"cluster": here(clusters, CLUSTER_NAMES), "user": here(users, USER_NAMES)}
            if n != "ns-less" and self.chance(0.6):
                context["namespace"] = self.pick(["team", "ci", "default", ""])
            contexts.append({"name": n, "context": context})
        if users and self.chance(0.02):
            users.append({"name": users[0]["name"], "user": self.user(directory)})
            self.tags.add("duplicate-name")
        all_names.update(c["name"] for c in contexts)
        config = {"apiVersion": "v1", "kind": "Config", "clusters": clusters, "users": users, "contexts": contexts}
        if self.chance(0.8):
            names = [c["name"] for c in contexts]
            config["current-context"] = self.pick(names) if self.chance(0.85) else self.pick(CONTEXT_NAMES + ["missing-context"])
        if self.chance(0.1):
            config["preferences"] = {}
        form = self.pick(["yaml", "yaml", "yaml", "json", "merge"])
        self.tags.add("form-" + form)
        return render(config, form)

    # --- the command line -----------------------------------------------------
    def flag(self, name, value=None, short=None):
        if value is None:
            self.args.append("--" + name)
        elif short and self.chance(0.5):
            self.args += ["-" + short, value]
        elif self.chance(0.5):
            self.args.append("--%s=%s" % (name, value))
        else:
            self.args += ["--" + name, value]

    def overrides(self, context_names):
        if self.chance(0.15):
            self.flag("context", self.pick(sorted(context_names)) if context_names and self.chance(0.85) else "nope")
        if self.chance(0.1):
            self.flag("cluster", self.name(CLUSTER_NAMES) if self.chance(0.85) else "nope")
        if self.chance(0.1):
            self.flag("user", self.name(USER_NAMES) if self.chance(0.85) else "nope")
        if self.chance(0.2):
            self.flag("namespace", self.pick(["flagns", "team", "", "flagns", ".", "a/b", "x%y"]), short="n")
        if self.chance(0.1):
            self.flag("server", self.urls[self.pick(["tls", "http", "mtls"])], short="s")
        if self.chance(0.1):
            self.flag("token", "flag-token")
        if self.chance(0.12):
            self.flag("as", "flag-imp")
        if self.chance(0.08):
            self.flag("as-group", "fg1")
            if "--as" not in " ".join(self.args) and self.chance(0.6):
                self.flag("as", "flag-imp")
        if self.chance(0.06):
            self.flag("as-uid", "fuid")
        if self.chance(0.04):
            self.flag("request-timeout", self.pick(["5s", "0", "30", "500ms", "1.5s"]))
        if self.chance(0.03):
            self.flag("tls-server-name", self.pick(["kube.internal", "localhost"]))
        if self.chance(0.03):
            self.sa_name = self.pick(["..", "a/b", "x%y"])
        if self.chance(0.06):
            self.flag("certificate-authority", "$RUN/" + self.ca_file(self.pick(["tls", "mtls", "wrong"]), "pki"))
        if self.chance(0.08):
            self.flag("duration", self.pick(["1h", "10m", "0", "90s"]))
        for _ in range(self.pick([0, 0, 0, 0, 0, 1, 2])):
            self.flag("audience", self.pick(["vault", "https://sts.example"]))
        if self.chance(0.08):
            form = self.pick(["bare", "=true", "=false"])
            self.args.append("--insecure-skip-tls-verify" + ("" if form == "bare" else form))

    def build(self):
        names = set()
        layout = self.pick(["env1", "env2", "env2", "env3", "flag", "home", "none"])
        self.tags.add("layout-" + layout)
        if layout == "home":
            self.files["home/.kube/config"] = self.kubeconfig("home/.kube", names)
        elif layout == "flag":
            self.files["cfg/flag.yaml"] = self.kubeconfig("cfg", names)
            self.args += ["--kubeconfig", "$RUN/cfg/flag.yaml"] if self.chance(0.5) else [
                "--kubeconfig=$RUN/cfg/flag.yaml"]
        elif layout.startswith("env"):
            entries = []
            for i in range(int(layout[3])):
                directory = "cfg%d" % i
                path = "%s/config%d" % (directory, i)
                if self.chance(0.08):
                    self.tags.add("missing-file")
                elif self.chance(0.05):
                    self.files[path] = ""
                    self.tags.add("empty-file")
                else:
                    self.files[path] = self.kubeconfig(directory, names)
                entries.append("$RUN/" + path)
            if self.chance(0.2):
                entries.insert(self.rng.randint(0, len(entries)), "")
            self.env["KUBECONFIG"] = ":".join(entries)
        if self.chance(0.15):
            self.env["POD_NAMESPACE"] = "podns"
        if layout == "none" or self.chance(0.05):
            self.make_in_cluster()
        self.overrides(names)
        return self

    def make_in_cluster(self):
        self.tags.add("in-cluster")
        self.env["KUBERNETES_SERVICE_HOST"] = "127.0.0.1"
        self.env["KUBERNETES_SERVICE_PORT"] = self.urls["tls"].rsplit(":", 1)[1]
        self.in_cluster = "sa"
        self.files["sa/token"] = "pod-sa-token\n"
        self.files["sa/ca.crt"] = read(self.pki["tls-ca"])
        if self.chance(0.7):
            self.files["sa/namespace"] = self.pick(["sa-ns", "sa-ns\n"])


def generate(seed, count, pki, urls):
    rng = random.Random(seed)
    return [Situation(rng, pki, urls, "%03d" % i).build() for i in range(count)]
