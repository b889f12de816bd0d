"""Plain-data codec and message framing shared by the grader and the sandbox.

Only JSON crosses the boundary, never pickle. The decoder is the security
boundary: it runs in the grader on bytes written by untrusted code, so it
validates every field and never trusts a length it has not checked.

This module must stay importable inside the sandbox, so it depends on the
standard library and numpy only.
"""

import base64
import binascii
import json
import math
import os
import select
import struct
import time

import numpy as np

MAX_DEPTH = 32
MAGIC = b"IGW1"
HEADER = struct.Struct(">4sQ")
CHUNK = 1024 * 1024

# kind + itemsize; object, string, datetime and structured dtypes never cross.
DTYPES = frozenset(
    "b1 i1 i2 i4 i8 u1 u2 u4 u8 f2 f4 f8 f16 c8 c16 c32".split())

# Python's int <-> str conversion refuses more than 4300 digits.
MAX_INT_BITS = 14000
MAX_TYPENAME = 100


class ProtocolError(Exception):
    """The peer sent bytes that are not a valid message."""


class PeerClosed(ProtocolError):
    """The peer closed its end of the pipe."""


class PeerTimeout(Exception):
    """The peer did not answer before the deadline."""


class Opaque:
    """Stands in for a value the codec does not carry."""

    def __init__(self, typename):
        self.typename = typename

    def __repr__(self):
        return "<{} object from the submission>".format(self.typename)

    def __eq__(self, other):
        return isinstance(other, Opaque) and other.typename == self.typename

    def __hash__(self):
        return hash(("Opaque", self.typename))


def _typename(value):
    name = getattr(type(value), "__name__", "object")
    if not isinstance(name, str):
        name = "object"
    return name[:MAX_TYPENAME]


def _opaque(typename):
    return {"$": "opaque", "type": typename[:MAX_TYPENAME]}


def _dtype_code(dtype):
    return "{}{}".format(dtype.kind, dtype.itemsize)


def _b64(data):
    return base64.b64encode(data).decode("ascii")


def _encode_ndarray(value):
    arr = np.asarray(value)
    code = _dtype_code(arr.dtype)
    if arr.dtype.fields is not None or code not in DTYPES:
        return _opaque("ndarray[{}]".format(arr.dtype))
    data = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes(order="C")
    return {"$": "ndarray", "dtype": code, "shape": list(arr.shape),
            "data": _b64(data)}


def _encode_npscalar(value):
    code = _dtype_code(value.dtype)
    data = np.asarray(value).astype(value.dtype.newbyteorder("<")).tobytes()
    return {"$": "npscalar", "dtype": code, "data": _b64(data)}


def _plain_key(key):
    # Dict keys are restricted to hashable plain values so the decoder can
    # always rebuild the dict.
    simple = (bool, int, float, str)
    if key is None or isinstance(key, simple):
        return True
    return isinstance(key, tuple) and all(k is None or isinstance(k, simple) for k in key)


def encode(value, depth=0):
    """Turn *value* into JSON-ready data; unsupported values become opaque markers."""
    try:
        return _encode(value, depth)
    except Exception:
        return _opaque(_typename(value))


def _encode(value, depth):
    if value is None or value is True or value is False:
        return value
    if isinstance(value, np.ndarray):
        if depth >= MAX_DEPTH:
            return _opaque("ndarray (nested too deeply)")
        return _encode_ndarray(value)
    if isinstance(value, np.generic):
        if isinstance(value, (np.bool_, np.number)) and _dtype_code(value.dtype) in DTYPES:
            return _encode_npscalar(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        number = int.__index__(value)
        if number.bit_length() > MAX_INT_BITS:
            return _opaque("int (too large)")
        return number
    if isinstance(value, float):
        number = float.__float__(value)
        if math.isfinite(number):
            return number
        return {"$": "float", "v": repr(number)}
    if isinstance(value, str):
        return str.__str__(value)
    if not isinstance(value, (list, tuple, dict)):
        return _opaque(_typename(value))
    if depth >= MAX_DEPTH:
        return _opaque(_typename(value) + " (nested too deeply)")
    if isinstance(value, list):
        return [encode(item, depth + 1) for item in list.__iter__(value)]
    if isinstance(value, tuple):
        return {"$": "tuple", "items": [encode(item, depth + 1)
                                        for item in tuple.__iter__(value)]}
    items = []
    for key, item in dict.items(value):
        if not _plain_key(key):
            return _opaque(_typename(value) + " (unsupported keys)")
        items.append([encode(key, MAX_DEPTH - 2), encode(item, depth + 1)])
    return {"$": "dict", "items": items}


def _fail(message):
    raise ProtocolError(message)


def _check_keys(obj, keys):
    if set(obj) != keys:
        _fail("unexpected fields {}".format(sorted(obj)))


def _b64decode(text):
    if not isinstance(text, str):
        _fail("binary data is not a string")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        _fail("invalid base64 data")


def _decode_dtype(code):
    if not isinstance(code, str) or code not in DTYPES:
        _fail("dtype {!r} is not allowed".format(code)[:200])
    return np.dtype("<" + code)


def _decode_ndarray(obj):
    _check_keys(obj, {"$", "dtype", "shape", "data"})
    dtype = _decode_dtype(obj["dtype"])
    shape = obj["shape"]
    if not isinstance(shape, list) or len(shape) > MAX_DEPTH:
        _fail("invalid array shape")
    count = 1
    for dim in shape:
        if type(dim) is not int or dim < 0:
            _fail("invalid array shape")
        count *= dim
    data = obj["data"]
    # Compare against the base64 length before decoding, so a lying shape
    # never triggers an allocation.
    expected = count * dtype.itemsize
    if not isinstance(data, str) or len(data) != 4 * ((expected + 2) // 3):
        _fail("array data does not match its shape")
    raw = _b64decode(data)
    if len(raw) != expected:
        _fail("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _decode_npscalar(obj):
    _check_keys(obj, {"$", "dtype", "data"})
    dtype = _decode_dtype(obj["dtype"])
    raw = _b64decode(obj["data"])
    if len(raw) != dtype.itemsize:
        _fail("scalar data does not match its dtype")
    return np.frombuffer(raw, dtype=dtype)[0]


def _decode_key(obj):
    key = decode(obj, MAX_DEPTH - 2)
    if isinstance(key, tuple):
        if not all(k is None or isinstance(k, (bool, int, float, str)) for k in key):
            _fail("invalid dict key")
    elif not (key is None or isinstance(key, (bool, int, float, str))):
        _fail("invalid dict key")
    return key


def decode(obj, depth=0):
    """Rebuild a value from :func:`encode` output, validating everything."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        if not math.isfinite(obj):
            _fail("non-finite float outside a float marker")
        return obj
    if depth > MAX_DEPTH:
        _fail("value nested too deeply")
    if isinstance(obj, list):
        if depth >= MAX_DEPTH:
            _fail("value nested too deeply")
        return [decode(item, depth + 1) for item in obj]
    if not isinstance(obj, dict):
        _fail("unexpected JSON value")
    tag = obj.get("$")
    if tag == "float":
        _check_keys(obj, {"$", "v"})
        if obj["v"] not in ("nan", "inf", "-inf"):
            _fail("invalid float marker")
        return float(obj["v"])
    if tag == "opaque":
        _check_keys(obj, {"$", "type"})
        if not isinstance(obj["type"], str):
            _fail("invalid opaque marker")
        return Opaque(obj["type"][:MAX_TYPENAME])
    if tag == "npscalar":
        return _decode_npscalar(obj)
    if depth >= MAX_DEPTH:
        _fail("value nested too deeply")
    if tag == "ndarray":
        return _decode_ndarray(obj)
    if tag == "tuple":
        _check_keys(obj, {"$", "items"})
        if not isinstance(obj["items"], list):
            _fail("invalid tuple")
        return tuple(decode(item, depth + 1) for item in obj["items"])
    if tag == "dict":
        _check_keys(obj, {"$", "items"})
        if not isinstance(obj["items"], list):
            _fail("invalid dict")
        result = {}
        for pair in obj["items"]:
            if not isinstance(pair, list) or len(pair) != 2:
                _fail("invalid dict item")
            result[_decode_key(pair[0])] = decode(pair[1], depth + 1)
        return result
    _fail("unknown marker {!r}".format(tag)[:200])


def _reject_constant(name):
    raise ProtocolError("JSON constant {} is not allowed".format(name))


def dumps(message):
    """Serialise an envelope (whose values are already encoded) to bytes."""
    return json.dumps(message, ensure_ascii=True, allow_nan=False,
                      separators=(",", ":")).encode("ascii")


def loads(payload):
    """Parse an envelope; it must be a JSON object."""
    try:
        message = json.loads(payload.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ProtocolError("message is not valid JSON ({})".format(type(exc).__name__))
    if not isinstance(message, dict):
        _fail("message is not a JSON object")
    return message


def _remaining(deadline):
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise PeerTimeout()
    return left


def send(fd, payload, deadline=None):
    """Write one length-prefixed frame; *fd* may be non-blocking."""
    view = memoryview(HEADER.pack(MAGIC, len(payload)) + payload)
    while view:
        if deadline is not None:
            _, ready, _ = select.select([], [fd], [], _remaining(deadline))
            if not ready:
                continue
        try:
            written = os.write(fd, view[:CHUNK])
        except BlockingIOError:
            continue
        except (BrokenPipeError, ConnectionResetError):
            raise PeerClosed("the peer closed the pipe")
        view = view[written:]


def _read_exactly(fd, size, deadline):
    buf = bytearray()
    while len(buf) < size:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], _remaining(deadline))
            if not ready:
                continue
        try:
            chunk = os.read(fd, min(size - len(buf), CHUNK))
        except BlockingIOError:
            continue
        if not chunk:
            raise PeerClosed("the peer closed the pipe")
        buf += chunk
    return bytes(buf)


def recv(fd, max_bytes, deadline=None):
    """Read one frame; a length above *max_bytes* means the peer is broken."""
    magic, size = HEADER.unpack(_read_exactly(fd, HEADER.size, deadline))
    if magic != MAGIC:
        _fail("bad frame header")
    if size > max_bytes:
        _fail("message of {} bytes exceeds the {} byte limit".format(size, max_bytes))
    return _read_exactly(fd, size, deadline)
