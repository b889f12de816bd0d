"""Plain-data codec and message framing shared by the grader and the sandbox.

Only JSON and raw array bytes cross the boundary, never pickle. A frame is a
header (magic, JSON length, binary length), a JSON envelope, then the bytes of
every array it carries, each at a 16-byte-aligned offset the envelope names.
The decoder is the security boundary: it runs in the grader on bytes written by
untrusted code, so the receiver checks both lengths against its caps before
reading anything, counts the JSON's containers and items before parsing it,
validates every field, and requires the arrays to tile the binary part exactly
(no gaps, no overlaps), so decoded arrays are views that never alias.

This module must stay importable inside the sandbox, so it depends on the
standard library and numpy only.
"""

import json
import math
import os
import re
import select
import struct
import time

import numpy as np

MAX_DEPTH = 32
MAGIC = b"IGW2"
HEADER = struct.Struct(">4sIQ")
CHUNK = 1024 * 1024
ALIGN = 16

# kind + itemsize; object, string, datetime and structured dtypes never cross.
DTYPES = frozenset(
    "b1 i1 i2 i4 i8 u1 u2 u4 u8 f2 f4 f8 f16 c8 c16 c32".split())

# JSON can escape half of a surrogate pair alone; such a string cannot be written as UTF-8.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
SURROGATE = re.compile("[\ud800-\udfff]")
# Python's int <-> str conversion refuses more than 4300 digits.
MAX_INT_BITS = 14000
MAX_TYPENAME = 100
# no real array is longer on one axis; numpy refuses shapes whose size overflows
MAX_DIM = 2**40


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


class Caps:
    """How much of a message a receiver accepts: JSON bytes, JSON items, binary bytes."""

    def __init__(self, json_bytes, json_items, binary_bytes):
        self.json_bytes = json_bytes
        self.json_items = json_items
        self.binary_bytes = binary_bytes


def _typename(value):
    name = getattr(type(value), "__name__", "object")
    if not isinstance(name, str):
        name = "object"
    return name[:MAX_TYPENAME]


def _opaque(typename):
    return {"$": "opaque", "type": typename[:MAX_TYPENAME]}


def _dtype_code(dtype):
    return "{}{}".format(dtype.kind, dtype.itemsize)


class Outgoing:
    """The binary part of a message being built: array bytes at aligned offsets."""

    def __init__(self):
        self.parts = []
        self.size = 0

    def add(self, data):
        """Append *data* (a bytes-like object); returns its offset."""
        data = memoryview(data).cast("B")
        if not data.nbytes:
            return 0
        padding = -self.size % ALIGN
        if padding:
            self.parts.append(bytes(padding))
            self.size += padding
        offset = self.size
        self.parts.append(data)
        self.size += data.nbytes
        return offset


class Incoming:
    """The binary part of a received message; each array takes its own slice once."""

    def __init__(self, blob=b""):
        self.blob = blob if isinstance(blob, bytearray) else bytearray(blob)
        self.taken = []

    def take(self, offset, size):
        if type(offset) is not int or offset < 0 or offset % ALIGN or offset + size > len(self.blob):
            _fail("array data lies outside the message")
        if size:
            self.taken.append((offset, size))
        return memoryview(self.blob)[offset:offset + size]

    def finish(self):
        """Every byte belongs to exactly one array, apart from alignment padding."""
        end = 0
        for offset, size in sorted(self.taken):
            if offset != end + (-end % ALIGN):
                _fail("array data overlaps or leaves gaps")
            end = offset + size
        if end != len(self.blob):
            _fail("array data overlaps or leaves gaps")


def _encode_ndarray(value, out):
    arr = np.asarray(value)
    code = _dtype_code(arr.dtype)
    if arr.dtype.fields is not None or code not in DTYPES:
        return _opaque("ndarray[{}]".format(arr.dtype))
    arr = arr.astype(arr.dtype.newbyteorder("<"), order="C", copy=False)
    return {"$": "ndarray", "dtype": code, "shape": list(arr.shape),
            "at": out.add(arr.reshape(-1).view(np.uint8))}


def _encode_npscalar(value, out):
    data = np.asarray(value).astype(value.dtype.newbyteorder("<")).reshape(1).view(np.uint8)
    return {"$": "npscalar", "dtype": _dtype_code(value.dtype), "at": out.add(data)}


def _plain_key(key):
    # Dict keys are restricted to hashable plain values so the decoder can
    # always rebuild the dict.
    simple = (bool, int, float, str)
    if key is None or isinstance(key, simple):
        return True
    return isinstance(key, tuple) and all(k is None or isinstance(k, simple) for k in key)


def encode(value, out, depth=0):
    """Turn *value* into JSON-ready data, its arrays' bytes into *out*; unsupported values become opaque."""
    mark = (len(out.parts), out.size)
    try:
        return _encode(value, out, depth)
    except Exception:
        del out.parts[mark[0]:]
        out.size = mark[1]
        return _opaque(_typename(value))


def _encode(value, out, depth):
    if value is None or value is True or value is False:
        return value
    if isinstance(value, np.ndarray):
        if depth >= MAX_DEPTH:
            return _opaque("ndarray (nested too deeply)")
        return _encode_ndarray(value, out)
    if isinstance(value, np.generic):
        if isinstance(value, (np.bool_, np.number)) and _dtype_code(value.dtype) in DTYPES:
            return _encode_npscalar(value, out)
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
        return [encode(item, out, depth + 1) for item in list.__iter__(value)]
    if isinstance(value, tuple):
        return {"$": "tuple", "items": [encode(item, out, depth + 1)
                                        for item in tuple.__iter__(value)]}
    items = []
    for key, item in dict.items(value):
        if not _plain_key(key):
            return _opaque(_typename(value) + " (unsupported keys)")
        items.append([encode(key, out, MAX_DEPTH - 2), encode(item, out, depth + 1)])
    return {"$": "dict", "items": items}


def _fail(message):
    raise ProtocolError(message)


def _check_keys(obj, keys):
    if set(obj) != keys:
        _fail("unexpected fields {}".format(sorted(obj)))


def _decode_dtype(code):
    if not isinstance(code, str) or code not in DTYPES:
        _fail("dtype {!r} is not allowed".format(code)[:200])
    return np.dtype("<" + code)


def _decode_ndarray(obj, incoming):
    _check_keys(obj, {"$", "dtype", "shape", "at"})
    dtype = _decode_dtype(obj["dtype"])
    shape = obj["shape"]
    if not isinstance(shape, list) or len(shape) > MAX_DEPTH:
        _fail("invalid array shape")
    count = 1
    for dim in shape:
        if type(dim) is not int or not 0 <= dim <= MAX_DIM:
            _fail("invalid array shape")
        count *= dim
    # The slice is bounds-checked against bytes already received, so a lying
    # shape never triggers an allocation.
    data = incoming.take(obj["at"], count * dtype.itemsize)
    if not count:
        return np.zeros(shape, dtype=dtype)
    return _checked_bools(np.frombuffer(data, dtype=dtype)).reshape(shape)


def _checked_bools(array):
    # A bool byte other than 0 or 1 would be truthy yet equal to neither True nor False.
    if array.dtype == np.bool_ and np.any(array.view(np.uint8) > 1):
        _fail("invalid bool data")
    return array


def _decode_npscalar(obj, incoming):
    _check_keys(obj, {"$", "dtype", "at"})
    dtype = _decode_dtype(obj["dtype"])
    return _checked_bools(np.frombuffer(incoming.take(obj["at"], dtype.itemsize), dtype=dtype))[0]


def _decode_key(obj, incoming):
    key = decode(obj, incoming, MAX_DEPTH - 2)
    if isinstance(key, tuple):
        if not all(k is None or isinstance(k, (bool, int, float, str)) for k in key):
            _fail("invalid dict key")
    elif not (key is None or isinstance(key, (bool, int, float, str))):
        _fail("invalid dict key")
    return key


def decode(obj, incoming, depth=0):
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
        return [decode(item, incoming, depth + 1) for item in obj]
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
        return _decode_npscalar(obj, incoming)
    if depth >= MAX_DEPTH:
        _fail("value nested too deeply")
    if tag == "ndarray":
        return _decode_ndarray(obj, incoming)
    if tag == "tuple":
        _check_keys(obj, {"$", "items"})
        if not isinstance(obj["items"], list):
            _fail("invalid tuple")
        return tuple(decode(item, incoming, depth + 1) for item in obj["items"])
    if tag == "dict":
        _check_keys(obj, {"$", "items"})
        if not isinstance(obj["items"], list):
            _fail("invalid dict")
        result = {}
        for pair in obj["items"]:
            if not isinstance(pair, list) or len(pair) != 2:
                _fail("invalid dict item")
            result[_decode_key(pair[0], incoming)] = decode(pair[1], incoming, depth + 1)
        return result
    _fail("unknown marker {!r}".format(tag)[:200])


def _reject_constant(name):
    raise ProtocolError("JSON constant {} is not allowed".format(name))


def json_items(payload):
    """An upper bound on the containers and items *payload* would parse into.

    Counted on the raw bytes (brackets and commas inside strings count too),
    so it never under-counts and costs no parsing.
    """
    return payload.count(b"{") + payload.count(b"[") + payload.count(b",")


def dumps(message):
    """Serialise an envelope (whose values are already encoded) to bytes."""
    return json.dumps(message, ensure_ascii=True, allow_nan=False,
                      separators=(",", ":")).encode("ascii")


def loads(payload, max_items=None):
    """Parse an envelope; it must be an ASCII JSON object of at most *max_items* items."""
    if not payload.isascii():
        _fail("message is not ASCII JSON")
    if max_items is not None and json_items(payload) > max_items:
        _fail("message has more than {} JSON items".format(max_items))
    try:
        message = json.loads(payload.decode("ascii"), parse_constant=_reject_constant)
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ProtocolError("message is not valid JSON ({})".format(type(exc).__name__))
    if not isinstance(message, dict):
        _fail("message is not a JSON object")
    if SURROGATE_ESCAPE.search(payload):
        message = valid_text(message)
    return message


def valid_text(value):
    """*value* (parsed JSON) with every lone surrogate in its strings and keys replaced by U+FFFD.

    Whatever a submission prints, raises or returns ends up in a notebook, which
    is written as UTF-8; one lone surrogate would make that write fail and the
    submission go ungraded. Iterative, so no nesting depth can exhaust the stack.
    """
    fix = lambda text: SURROGATE.sub("\ufffd", text)  # noqa: E731
    if isinstance(value, str):
        return fix(value)
    root = [value]
    stack = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        item = parent[key]
        if isinstance(item, str):
            parent[key] = fix(item)
        elif isinstance(item, list):
            stack.extend((item, index) for index in range(len(item)))
        elif isinstance(item, dict):
            fixed = {fix(name): child for name, child in item.items()}
            parent[key] = fixed
            stack.extend((fixed, name) for name in fixed)
    return root[0]


def _remaining(deadline):
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise PeerTimeout()
    return left


def send(fd, payload, out=None, deadline=None):
    """Write one frame: header, JSON *payload*, then *out*'s array bytes; *fd* may be non-blocking."""
    parts = [HEADER.pack(MAGIC, len(payload), out.size if out else 0), payload]
    parts += out.parts if out else []
    for part in parts:
        view = memoryview(part).cast("B")
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


def _read_into(fd, buffer, deadline):
    view = memoryview(buffer)
    while view:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], _remaining(deadline))
            if not ready:
                continue
        try:
            count = os.readv(fd, [view[:CHUNK]])
        except BlockingIOError:
            continue
        if not count:
            raise PeerClosed("the peer closed the pipe")
        view = view[count:]


def recv(fd, caps, deadline=None):
    """Read one frame as (JSON bytes, :class:`Incoming`); lengths above *caps* mean the peer is broken.

    Both lengths are checked before a byte of the body is read or allocated.
    """
    header = bytearray(HEADER.size)
    _read_into(fd, header, deadline)
    magic, json_size, binary_size = HEADER.unpack(header)
    if magic != MAGIC:
        _fail("bad frame header")
    if json_size > caps.json_bytes:
        _fail("message of {} JSON bytes exceeds the {} byte limit".format(json_size, caps.json_bytes))
    if binary_size > caps.binary_bytes:
        _fail("message of {} array bytes exceeds the {} byte limit".format(
            binary_size, caps.binary_bytes))
    payload = bytearray(json_size)
    _read_into(fd, payload, deadline)
    blob = bytearray(binary_size)
    _read_into(fd, blob, deadline)
    return bytes(payload), Incoming(blob)
