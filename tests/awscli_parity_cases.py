"""Seeded generator of AWS configurations for tests/awscli_parity.rs.

    python3 awscli_parity_cases.py SEED COUNT

Prints a JSON list of cases. Each case is what one run of `aws eks get-token`
and one of `kubecred eks get-token` are given, identically:

    {"id": n, "what": "short description",
     "files": {"RELPATH": "text"}, "scripts": {"RELPATH": "text"},
     "env": {"NAME": "value"}, "unset": ["NAME"], "args": ["--flag", ...],
     "calls_sts": true|false}

Paths are relative to the case's HOME; `@HOME@` in texts and values stands for
it. `calls_sts` is true when some path of the case needs an STS call: then
AWS_ENDPOINT_URL_STS is set, which moves the AWS CLI's token host too.

Static access keys are spelled `AKID<PLACE><TAG>`, so the key that signs a token
says where it came from; their secrets are `secret-for-<KEY>` (what
fake_aws.py --deterministic accepts). Keys the fake hands out are derived from
the request (role, signer), so both tools get the same ones for the same call.
"""
import hashlib
import json
import random
import sys

NAMES = ["default", "dev", "prod", "ops"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "cn-north-1", "af-south-1", "us-gov-west-1"]
ROLE = "arn:aws:iam::123456789012:role/"
WEB_TOKEN = "web-identity-token-parity"
SSO_TOKEN = "sso-bearer-token-parity"
SSO_REFRESH_TOKEN = "sso-refresh-token-parity"
FRESH = "2099-01-01T00:00:00Z"
EXPIRED = "2001-01-01T00:00:00Z"


def key(place, tag):
    return f"AKID{place}{tag.upper()}"


def secret(akid):
    return "secret-for-" + akid


class Case:
    def __init__(self, rng, number):
        self.rng = rng
        self.id = number
        self.what = []
        self.config = []  # [(header, [(k, v)])] in file order
        self.credentials = []
        self.env = {}
        self.unset = []
        self.args = []
        self.files = {}
        self.scripts = {}
        self.calls_sts = False

    def note(self, text):
        self.what.append(text)

    def section(self, where, header, entries):
        (self.config if where == "config" else self.credentials).append((header, list(entries)))


def static_keys(case, name, where):
    akid = key("CONF" if where == "config" else "CRED", name)
    entries = [("aws_access_key_id", akid), ("aws_secret_access_key", secret(akid))]
    if case.rng.random() < 0.3:
        entries.append(("aws_session_token", "tok-" + akid))
    return entries


def header_for(case, name, where):
    if where == "credentials":
        return name
    r = case.rng.random()
    if name == "default":
        return "default" if r < 0.7 else "profile default"
    if r < 0.08:
        return name  # [x] in the config file: not a profile for botocore
    if r < 0.15:
        return f'profile "{name}"'
    return f"profile {name}"


def add_profile(case, name, entries, where=None):
    where = where or case.rng.choice(["config", "credentials"])
    case.section(where, header_for(case, name, where), entries)
    return where


def gen_env_keys(case):
    r = case.rng.random()
    if r < 0.5:
        akid = key("ENV", "full")
        case.env.update(AWS_ACCESS_KEY_ID=akid, AWS_SECRET_ACCESS_KEY=secret(akid))
        t = case.rng.random()
        if t < 0.25:
            case.env["AWS_SESSION_TOKEN"] = "envsession"
        elif t < 0.45:
            case.env["AWS_SECURITY_TOKEN"] = "envsecurity"
        elif t < 0.65:
            case.env.update(AWS_SESSION_TOKEN="envsession", AWS_SECURITY_TOKEN="envsecurity")
        case.note("env keys")
    elif r < 0.7:
        case.env["AWS_ACCESS_KEY_ID"] = key("ENV", "half")
        case.note("env key id only")
    elif r < 0.8:
        case.env["AWS_SECRET_ACCESS_KEY"] = "lonely-secret"
        case.note("env secret only")


def gen_static(case):
    for name in case.rng.sample(NAMES, case.rng.randint(1, 3)):
        where = case.rng.choice(["config", "credentials", "both"])
        if where == "both":
            add_profile(case, name, static_keys(case, name, "config"), "config")
            add_profile(case, name, static_keys(case, name, "credentials"), "credentials")
        else:
            add_profile(case, name, static_keys(case, name, where), where)
    if case.rng.random() < 0.3:
        # [default] and [profile default] both in the config file.
        case.section("config", "default", static_keys(case, "dflt", "config") + [("region", "eu-west-1")])
        case.section("config", "profile default", [("region", "ap-southeast-2")]
                     + (static_keys(case, "pdflt", "config") if case.rng.random() < 0.5 else []))
        if case.rng.random() < 0.3:
            case.config.reverse()
        case.note("[default] and [profile default]")
    case.note("static profiles")


def gen_assume_role(case):
    case.calls_sts = True
    length = case.rng.randint(1, 3)
    chain = case.rng.sample(NAMES, min(length + 1, len(NAMES)))
    for i, name in enumerate(chain[:-1]):
        entries = [("role_arn", ROLE + f"r-{name}"), ("source_profile", chain[i + 1])]
        if case.rng.random() < 0.2:
            entries.append(("role_session_name", f"sess-{name}"))
        if case.rng.random() < 0.15:
            entries.append(("external_id", "ext-1"))
        if case.rng.random() < 0.1:
            entries += static_keys(case, name, "config")
        add_profile(case, name, entries, "config")
    last = chain[-1]
    r = case.rng.random()
    if r < 0.15:
        add_profile(case, last, [("role_arn", ROLE + "cyc"), ("source_profile", chain[0])], "config")
        case.note("source_profile cycle")
    elif r < 0.25:
        add_profile(case, last, static_keys(case, last, "config")
                    + [("role_arn", ROLE + "self"), ("source_profile", last)], "config")
        case.note("self source with keys")
    elif r < 0.3:
        case.note("missing source profile")
    else:
        add_profile(case, last, static_keys(case, last, "credentials"))
    case.select_first = chain[0]
    case.note(f"assume-role chain {len(chain) - 1}")


def gen_credential_source(case):
    case.calls_sts = True
    name = case.rng.choice(NAMES)
    source = case.rng.choice(["Environment", "Environment", "EcsContainer", "Ec2InstanceMetadata", "Bogus"])
    entries = [("role_arn", ROLE + "cs"), ("credential_source", source)]
    if case.rng.random() < 0.1:
        entries.append(("source_profile", "dev"))
    add_profile(case, name, entries, "config")
    if source == "Environment" and case.rng.random() < 0.8:
        akid = key("ENV", "cs")
        case.env.update(AWS_ACCESS_KEY_ID=akid, AWS_SECRET_ACCESS_KEY=secret(akid))
    case.select_first = name
    case.note(f"credential_source {source}")


def gen_process(case):
    name = case.rng.choice(NAMES)
    akid = key("PROC", name)
    doc = {"Version": 1, "AccessKeyId": akid, "SecretAccessKey": secret(akid)}
    r = case.rng.random()
    if r < 0.3:
        doc["SessionToken"] = "proc-token"
        doc["Expiration"] = FRESH
    elif r < 0.4:
        doc["Version"] = 2
    elif r < 0.5:
        doc["Expiration"] = EXPIRED
    script = "#!/bin/sh\necho '" + json.dumps(doc) + "'\n"
    if case.rng.random() < 0.1:
        script = "#!/bin/sh\necho oops >&2\nexit 3\n"
    case.scripts[f"bin/cred-{name}"] = script
    command = f"@HOME@/bin/cred-{name}"
    if case.rng.random() < 0.3:
        command = f'"@HOME@/bin/cred-{name}" --flag'
    entries = [("credential_process", command)]
    if case.rng.random() < 0.3:
        entries = static_keys(case, name, "credentials")
        add_profile(case, name, entries, "credentials")
        entries = [("credential_process", command)]
    add_profile(case, name, entries, "config")
    case.select_first = name
    case.note("credential_process")


def sso_cache(case, cache_name, expires, refreshable=False):
    digest = hashlib.sha1(cache_name.encode()).hexdigest()
    doc = {"startUrl": "https://d-1.awsapps.com/start", "region": "us-east-1",
           "accessToken": SSO_TOKEN if expires == FRESH else "stale-token", "expiresAt": expires}
    if refreshable:
        doc.update(clientId="client-id", clientSecret="client-secret", refreshToken=SSO_REFRESH_TOKEN,
                   registrationExpiresAt=case.rng.choice([FRESH, FRESH, EXPIRED]))
        case.note("refreshable, registration " + ("fresh" if doc["registrationExpiresAt"] == FRESH else "expired"))
    case.files[f".aws/sso/cache/{digest}.json"] = json.dumps(doc)


def gen_sso(case):
    name = case.rng.choice(NAMES)
    start = "https://d-1.awsapps.com/start"
    expires = FRESH if case.rng.random() < 0.75 else EXPIRED
    role = case.rng.choice(["Admin", "ReadOnly"])
    entries = [("sso_account_id", "111122223333"), ("sso_role_name", role)]
    if case.rng.random() < 0.5:
        entries += [("sso_start_url", start), ("sso_region", "us-east-1")]
        cache_name = start
        case.note("sso legacy")
    else:
        entries.append(("sso_session", "corp"))
        session = [("sso_start_url", start), ("sso_region", "us-east-1")]
        if case.rng.random() < 0.5:
            session.append(("sso_registration_scopes", "sso:account:access"))
        case.section("config", "sso-session corp", session)
        cache_name = "corp"
        case.note("sso_session")
    if case.rng.random() < 0.9:
        sso_cache(case, cache_name, expires, refreshable=case.rng.random() < 0.5)
        case.note("token " + ("fresh" if expires == FRESH else "expired"))
    add_profile(case, name, entries, "config")
    case.select_first = name


def gen_web_identity(case):
    case.calls_sts = True
    token_text = WEB_TOKEN + ("\n" if case.rng.random() < 0.3 else "")
    case.files["tokens/web"] = token_text
    if case.rng.random() < 0.5:
        case.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = "@HOME@/tokens/web"
        if case.rng.random() < 0.9:
            case.env["AWS_ROLE_ARN"] = ROLE + "irsa"
        if case.rng.random() < 0.3:
            case.env["AWS_ROLE_SESSION_NAME"] = "irsa-session"
        case.note("web identity env")
    else:
        name = case.rng.choice(NAMES)
        path = case.rng.choice(["@HOME@/tokens/web", "~/tokens/web"])
        add_profile(case, name, [("web_identity_token_file", path), ("role_arn", ROLE + "wi")], "config")
        case.select_first = name
        case.note("web identity profile")


def choose_profile(case):
    target = getattr(case, "select_first", None) or case.rng.choice(NAMES)
    r = case.rng.random()
    if r < 0.25:
        case.env["AWS_PROFILE"] = target
        case.note("AWS_PROFILE")
    elif r < 0.4:
        case.env["AWS_DEFAULT_PROFILE"] = target
        case.note("AWS_DEFAULT_PROFILE")
    elif r < 0.55:
        case.env["AWS_PROFILE"] = case.rng.choice(NAMES)
        case.env["AWS_DEFAULT_PROFILE"] = target
        case.note("both profile variables")
    elif r < 0.75:
        case.args += ["--profile", target]
        case.note("--profile")
    elif r < 0.8:
        case.env["AWS_PROFILE"] = "missing-profile"
        case.note("missing profile")


def choose_region(case):
    region = case.rng.choice(REGIONS)
    r = case.rng.random()
    if r < 0.35:
        case.args += ["--region", region]
    elif r < 0.55:
        case.env["AWS_DEFAULT_REGION"] = region
    elif r < 0.6:
        case.env["AWS_REGION"] = region
    elif r < 0.95:
        # In every profile of the config file that has no region yet.
        for header, entries in case.config:
            if not any(k == "region" for k, _ in entries) and not header.startswith("sso-session"):
                entries.append(("region", case.rng.choice(REGIONS)))
    r = case.rng.random()
    if r < 0.1:
        case.env["AWS_STS_REGIONAL_ENDPOINTS"] = "legacy" if case.rng.random() < 0.9 else "Legacy"
    elif r < 0.2:
        for _, entries in case.config:
            entries.append(("sts_regional_endpoints", case.rng.choice(["legacy", "regional"])))
    for variable, key in (("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
                          ("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")):
        r = case.rng.random()
        value = case.rng.choice(["true", "true", "True", "false", "1"])
        if r < 0.08:
            case.env[variable] = value
            case.note(f"{variable}={value}")
        elif r < 0.14:
            for header, entries in case.config:
                if not header.startswith("sso-session"):
                    entries.append((key, value))
            case.note(f"{key} = {value}")


def render(case, sections):
    """The sections as INI text, with the quirks botocore's configparser accepts."""
    rng = case.rng
    sep = rng.choice([" = ", "=", ": ", " =  "])
    lines = []
    if rng.random() < 0.2:
        lines.append("# a comment")
    if rng.random() < 0.1:
        lines.append("; another")
    for header, entries in sections:
        lines.append(f"[{header}]" + (" ; note" if rng.random() < 0.05 else ""))
        for k, v in entries:
            if rng.random() < 0.1:
                k = k.upper() if rng.random() < 0.5 else k.title()
            lines.append(f"{k}{sep}{v}")
            if rng.random() < 0.03:
                lines.append("  # indented comment")
        if rng.random() < 0.15:
            lines += ["s3 =", "    addressing_style = path", "    max_concurrent_requests = 5"]
        if rng.random() < 0.08:
            lines += ["output = json # inline comments are values"]
        if rng.random() < 0.05:
            lines += ["cli_history ="]
        if rng.random() < 0.05:
            lines += ["long_value = first", "  second line"]
        if rng.random() < 0.3:
            lines.append("")
    if rng.random() < 0.04 and sections:
        lines.append(f"[{sections[0][0]}]")  # duplicate section: configparser refuses the file
        case.note("duplicate section")
    if rng.random() < 0.04 and sections:
        k, v = (sections[-1][1] or [("x", "y")])[0]
        lines.append(f"{k}{sep}{v}")  # duplicate key
        case.note("duplicate key maybe")
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
        case.note("CRLF")
    if rng.random() < 0.05:
        text = "\ufeff" + text
        case.note("BOM")
    return text


def place_files(case):
    config_rel, creds_rel = ".aws/config", ".aws/credentials"
    r = case.rng.random()
    if r < 0.15:
        config_rel = "alt/config"
        case.env["AWS_CONFIG_FILE"] = case.rng.choice(["~/alt/config", "$HOME/alt/config", "${CFGDIR}/config"])
        case.env["CFGDIR"] = "@HOME@/alt"
        case.note("AWS_CONFIG_FILE " + case.env["AWS_CONFIG_FILE"])
    elif r < 0.25:
        creds_rel = "alt/credentials"
        case.env["AWS_SHARED_CREDENTIALS_FILE"] = case.rng.choice(["~/alt/credentials", "$HOME/alt/credentials"])
        case.note("AWS_SHARED_CREDENTIALS_FILE " + case.env["AWS_SHARED_CREDENTIALS_FILE"])
    if case.config:
        case.files[config_rel] = render(case, case.config)
    if case.credentials:
        case.files[creds_rel] = render(case, case.credentials)
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        if name not in case.env:
            case.unset.append(name)


GENERATORS = [
    (gen_static, 5), (gen_assume_role, 4), (gen_credential_source, 1), (gen_process, 2),
    (gen_sso, 3), (gen_web_identity, 2),
]


def generate(seed, number):
    rng = random.Random(f"{seed}-{number}")
    case = Case(rng, number)
    kinds = [g for g, w in GENERATORS for _ in range(w)]
    for gen in rng.sample(kinds, rng.choice([1, 1, 2])):
        gen(case)
    if rng.random() < 0.35:
        gen_env_keys(case)
    choose_profile(case)
    choose_region(case)
    if rng.random() < 0.15:
        case.args += ["--role-arn", ROLE + "flag"]
        case.calls_sts = True
        case.note("--role-arn")
    if rng.random() < 0.05:
        case.env["AWS_PROFILE"] = ""
        case.note("empty AWS_PROFILE")
    place_files(case)
    return {"id": number, "what": ", ".join(case.what), "files": case.files, "scripts": case.scripts,
            "env": case.env, "unset": case.unset, "args": case.args, "calls_sts": case.calls_sts}


def main():
    seed, count = sys.argv[1], int(sys.argv[2])
    json.dump([generate(seed, n) for n in range(count)], sys.stdout, indent=1)


if __name__ == "__main__":
    main()
