"""Answer a call with a well-framed reply that is not JSON at all."""
import json
import os
import struct
import sys
import time

WFD = json.loads(sys.argv[1])["wfd"]


def forge():
    payload = b"\x80\x04\x95 pickled bytes"
    os.write(WFD, struct.pack(">4sIQ", b"IGW2", len(payload), 0) + payload)
    time.sleep(60)
