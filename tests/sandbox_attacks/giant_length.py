"""Write a reply frame announcing an absurd length straight to the grader's pipe."""
import json
import os
import struct
import sys
import time

WFD = json.loads(sys.argv[1])["wfd"]


def forge():
    os.write(WFD, struct.pack(">4sIQ", b"IGW2", 2**31, 2**60))
    time.sleep(60)
