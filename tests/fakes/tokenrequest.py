"""kube_apiserver.py module: the TokenRequest endpoint, and authentication of
the tokens it minted.

Options: `service_accounts` = NS/NAME[,NS/NAME...] that exist.
POST /api/v1/namespaces/NS/serviceaccounts/NAME/token answers a TokenRequest
with a fresh token (404 Status for unknown accounts, 422 for a bad body)."""
import datetime
import json
import re
import secrets

MINTED = {}
PATH = re.compile(r"^/api/v1/namespaces/([^/]+)/serviceaccounts/([^/]+)/token$")


def authenticate(token, options):
    if token in MINTED:
        return "system:serviceaccount:" + MINTED[token]
    raise Unauthorized("not a minted token")  # noqa: F821 (set by kube_apiserver)


def status(code, reason, message):
    return code, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                  "message": message, "reason": reason, "code": code}


def handle(method, path, body, user, headers, options):
    match = PATH.match(path)
    if method != "POST" or not match:
        return None
    namespace, name = match.groups()
    known = [a for a in options.get("service_accounts", "").split(",") if a]
    if f"{namespace}/{name}" not in known:
        return status(404, "NotFound", f'serviceaccounts "{name}" not found')
    try:
        request = json.loads(body)
        spec = request["spec"]
    except (ValueError, KeyError, TypeError):
        return status(422, "Invalid", "TokenRequest is invalid")
    if request.get("kind") != "TokenRequest" or request.get("apiVersion") != "authentication.k8s.io/v1":
        return status(400, "BadRequest", "wrong kind or apiVersion")
    seconds = spec.get("expirationSeconds") or 3600
    if seconds < 600:
        return status(422, "Invalid", "TokenRequest.authentication.k8s.io \"%s\" is invalid: spec.expirationSeconds: "
                      "Invalid value: %d: may not specify a duration less than 10 minutes" % (name, seconds))
    token = "minted-" + secrets.token_hex(8)
    MINTED[token] = f"{namespace}:{name}"
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    reply = dict(request)
    reply["metadata"] = {"name": name, "namespace": namespace, "creationTimestamp": None}
    reply["spec"] = dict(spec, expirationSeconds=seconds, audiences=spec.get("audiences") or ["https://kubernetes.default.svc"])
    reply["status"] = {"token": token, "expirationTimestamp": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}
    return 201, reply
