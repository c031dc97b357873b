"""Accepts the bearer tokens listed in option `tokens` (comma-separated)."""


def authenticate(token, options):
    allowed = [t for t in options.get("tokens", "").split(",") if t]
    if token in allowed:
        return "static:" + str(allowed.index(token))
    raise Unauthorized("token not in the static list")  # noqa: F821 (set by kube_apiserver)
