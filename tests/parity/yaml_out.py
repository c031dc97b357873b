"""Writing generated kubeconfigs as YAML (block or flow), JSON, or YAML with
anchors and merge keys, so that the reader of each tool meets every form.

A `Raw` string is written as is (an unquoted YAML 1.1 scalar such as `yes`
or `0123`); a `Dup` mapping entry writes one key twice (the last one counts)."""
import json


class Raw(str):
    """A scalar written unquoted."""


class Dup:
    """`key: first` then `key: last` in one mapping."""

    def __init__(self, first, last):
        self.first, self.last = first, last


def scalar(value):
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if value is None:
        return "null"
    return json.dumps(value)


def block(value, indent=0):
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return " {}\n"
        lines = "\n"
        for key, item in value.items():
            if isinstance(item, Dup):
                lines += pad + key + ":" + block(item.first, indent + 2)
                item = item.last
            lines += pad + key + ":" + block(item, indent + 2)
        return lines
    if isinstance(value, list):
        if not value:
            return " []\n"
        lines = "\n"
        for item in value:
            text = block(item, indent + 2)
            if text.startswith("\n"):
                # `- key: v` with the rest of the mapping indented under it.
                lines += pad + "- " + text[1:].lstrip(" ")
            else:
                lines += pad + "-" + text
        return lines
    return " " + scalar(value) + "\n"


def plain(value):
    """The same data without Raw/Dup, for JSON."""
    if isinstance(value, Dup):
        return plain(value.last)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Raw):
        return str(value)
    return value


def with_merge_keys(config):
    """YAML where the second and later clusters/users reuse the first one's
    mapping through an anchor and `<<:`, overriding only what differs."""
    out = ""
    for key, value in config.items():
        if key in ("clusters", "users") and isinstance(value, list) and len(value) >= 2:
            inner = "cluster" if key == "clusters" else "user"
            first = value[0][inner]
            out += key + ":\n"
            out += "- name: " + scalar(value[0]["name"]) + "\n  " + inner + ": &base_" + inner
            out += block(first, 4)
            for entry in value[1:]:
                body = entry[inner]
                out += "- name: " + scalar(entry["name"]) + "\n  " + inner + ":\n    <<: *base_" + inner + "\n"
                # Keys of the base the entry lacks are cleared so the data stays the same.
                for gone in first:
                    if gone not in body:
                        out += "    " + gone + ": null\n"
                for k, v in body.items():
                    if isinstance(v, Dup):
                        out += "    " + k + ":" + block(v.first, 6)
                        v = v.last
                    out += "    " + k + ":" + block(v, 6)
        else:
            out += key + ":" + block(value, 2)
    return out


def render(config, form):
    if form == "json":
        return json.dumps(plain(config), indent=1)
    if form == "merge":
        return with_merge_keys(config)
    return block(config, 0).lstrip("\n")
