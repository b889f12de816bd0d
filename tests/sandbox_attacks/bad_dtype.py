"""Answer a call with a well-framed reply carrying an object-dtype array."""
import json
import os
import struct
import sys
import time

WFD = json.loads(sys.argv[1])["wfd"]


def forge():
    value = {"$": "ndarray", "dtype": "O8", "shape": [1], "at": 0}
    payload = json.dumps({"status": "ok", "value": value, "output": ""}).encode()
    os.write(WFD, struct.pack(">4sIQ", b"IGW2", len(payload), 8) + payload + bytes(8))
    time.sleep(60)
