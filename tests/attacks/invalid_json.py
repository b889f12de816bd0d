"""A notebook file that is not valid JSON."""


def mutate(nb):
    return b'{"cells": [{"cell_type": "code", "source": "import os'


EXPECT = {"*": "zero"}
REASON = "could not be read"
