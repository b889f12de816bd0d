"""Answer a call with a well-framed reply carrying an object-dtype array."""
import json
import os
import struct
import sys
import time

WFD = json.loads(sys.argv[1])["wfd"]


def forge():
    value = {"$": "ndarray", "dtype": "O8", "shape": [1], "data": "AAAAAAAAAAA="}
    payload = json.dumps({"status": "ok", "value": value, "output": ""}).encode()
    os.write(WFD, struct.pack(">4sQ", b"IGW1", len(payload)) + payload)
    time.sleep(60)
