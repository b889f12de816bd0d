"""The correct notebook with six million empty objects in its metadata: 12 MB on disk, gigabytes parsed."""
import json


def mutate(nb):
    text = json.dumps(nb)
    return (text[:-1] + ', "padding": [' + "{}," * 6_000_000 + "{}]}").encode()


EXPECT = {"*": "zero"}
REASON = "JSON lists and objects"
