#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image on its Ubuntu base image.
# It installs the kit's pinned environment; run_autograder then grades every submission with it.
set -euo pipefail
SOURCE="${AUTOGRADER_SOURCE:-/autograder/source}"
VENV="${AUTOGRADER_VENV:-/autograder/venv}"
export DEBIAN_FRONTEND=noninteractive

apt-get update
# libseccomp2 for the sandbox's seccomp filter (pyseccomp loads it).
apt-get install -y --no-install-recommends python3 python3-venv libseccomp2 ca-certificates
PYTHON=python3
# nbgrader 0.9.6 needs Python 3.11 or newer: Ubuntu 24.04's python3 is, 22.04 has it as python3.11.
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    apt-get install -y --no-install-recommends python3.11 python3.11-venv
    PYTHON=python3.11
fi

"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade "pip==25.3"
"$VENV/bin/python" -m pip install --quiet -r "$SOURCE/requirements/runtime.txt"
# Not editable: installed into the venv, the package (which holds the reference solution) is one the
# sandbox knows to hide.
"$VENV/bin/python" -m pip install --quiet --no-deps "$SOURCE/kit"
