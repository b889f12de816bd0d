"""Replies built to exhaust the grader's memory while it parses them: each a valid frame header."""
import json
import os
import struct
import sys
import time

WFD = json.loads(sys.argv[1])["wfd"]
MB = 1024**2


def request_id():
    """The id of the request being answered, from the worker's frame: a reply without it is refused early."""
    frame = sys._getframe()
    while frame is not None:
        request = frame.f_locals.get("request")
        if isinstance(request, dict) and "id" in request:
            return request["id"]
        frame = frame.f_back
    return None


def frame(payload, binary=b"", announced=None):
    size = len(binary) if announced is None else announced
    return struct.pack(">4sIQ", b"IGW2", len(payload), size) + payload + binary


def write(data):
    view = memoryview(data)
    while view:
        view = view[os.write(WFD, view[:MB]):]


def nested_braces():
    # 250 MB of '{"a":' ... : the grader must refuse it from the header alone
    depth = 250 * MB // 5
    write(struct.pack(">4sIQ", b"IGW2", 5 * depth + depth, 0))
    for _ in range(250):
        write(b'{"a":' * (MB // 5))
    time.sleep(60)


def many_items():
    # just under the JSON byte cap, but a million tiny items
    write(frame(b"[" + b"0," * 1_900_000 + b"0]"))
    time.sleep(60)


def huge_binary():
    # arrays announced at a terabyte
    write(frame(b'{"status":"ok"}', announced=2**40))
    time.sleep(60)


def lying_shape():
    # a shape of 10**12 float64 over 8 bytes of data
    value = {"$": "ndarray", "dtype": "f8", "shape": [10**6, 10**6], "at": 0}
    reply = {"status": "ok", "value": value, "output": "", "id": request_id()}
    write(frame(json.dumps(reply).encode(), bytes(8)))
    time.sleep(60)


def aliased_arrays():
    # two arrays over the same bytes: mutating one would change the other in the grader
    value = {"$": "tuple", "items": [{"$": "ndarray", "dtype": "f8", "shape": [2], "at": 0},
                                     {"$": "ndarray", "dtype": "f8", "shape": [2], "at": 0}]}
    reply = {"status": "ok", "value": value, "output": "", "id": request_id()}
    write(frame(json.dumps(reply).encode(), bytes(16)))
    time.sleep(60)


def full_binary():
    # all the array bytes the grader reads by default, then JSON that does not parse
    write(frame(b'{"id": "%s", "status": "ok", "value": ' % request_id().encode(), bytes(32 * MB)))
    time.sleep(60)


size = len  # for the grader to call once an attack has cost the sandbox
