"""Differences between kubectl and kubecred kept on purpose; docs/kubernetes.md
(Kubernetes: differences from kubectl) lists the same ones with their reasons.

Each exception says which situations it covers; a difference in any other
situation fails the test. In the sealed test environment both of these end
as refusals on both sides (nothing listens on localhost:8080, stdin is
closed), so they are listed here for the machines where that is not so."""


class Exception_:
    def __init__(self, name, reason, matches):
        self.name, self.reason, self.matches = name, reason, matches


def _legacy_localhost(situation, kubectl, kubecred):
    # kubectl reached something on localhost:8080 (none of the stand-ins); kubecred named what is missing.
    return kubectl["ok"] and not kubectl["requests"] and not kubecred["ok"] and (
        "no cluster configuration" in kubecred["stderr"] or "has no server" in kubecred["stderr"])


def _never_prompts(situation, kubectl, kubecred):
    # kubectl read a username and password from a terminal; kubecred refused without asking.
    return kubectl["ok"] and not kubecred["ok"] and "kubecred never prompts" in kubecred["stderr"]


EXCEPTIONS = [
    Exception_("legacy-localhost-8080",
               "with no server configured kubectl falls back to http://localhost:8080 (plain http, the "
               "insecure port removed from kube-apiserver in 1.20); kubecred says which server is missing",
               _legacy_localhost),
    Exception_("never-prompts",
               "kubectl prompts on stdin for a username and password when an https user has no "
               "credentials; kubecred runs unattended and refuses instead",
               _never_prompts),
]
