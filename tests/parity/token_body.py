"""The TokenRequest a client sent, whatever its encoding (kubectl 1.32 and later
send protobuf, older ones and kubecred JSON), as the fields that matter:
audiences, expirationSeconds, boundObjectRef."""
import json

PROTOBUF_MAGIC = b"k8s\x00"


def _fields(data):
    """(field number, wire type, value) of one protobuf message."""
    i, out = 0, []
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 2:
            length, i = _varint(data, i)
            value, i = data[i:i + length], i + length
        else:
            raise ValueError("unexpected protobuf wire type %d" % wire)
        out.append((number, wire, value))
    return out


def _varint(data, i):
    shift = value = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def _from_protobuf(data):
    raw = next(v for n, _, v in _fields(data[len(PROTOBUF_MAGIC):]) if n == 2)
    spec_bytes = next((v for n, _, v in _fields(raw) if n == 2), b"")
    spec = {"audiences": [], "expirationSeconds": None, "boundObjectRef": None}
    for number, _, value in _fields(spec_bytes):
        if number == 1:
            spec["audiences"].append(value.decode())
        elif number == 4:
            spec["expirationSeconds"] = value
        elif number == 3:
            names = {1: "kind", 2: "apiVersion", 3: "name", 4: "uid"}
            spec["boundObjectRef"] = {names[n]: v.decode() for n, _, v in _fields(value) if n in names}
    return spec


def canonical(body):
    """The spec of a TokenRequest body (bytes), or the body as text when it is neither."""
    if body.startswith(PROTOBUF_MAGIC):
        return _from_protobuf(body)
    try:
        spec = json.loads(body).get("spec") or {}
    except (ValueError, AttributeError):
        return body.decode("utf-8", "replace")
    return {"audiences": spec.get("audiences") or [], "expirationSeconds": spec.get("expirationSeconds"),
            "boundObjectRef": spec.get("boundObjectRef")}
