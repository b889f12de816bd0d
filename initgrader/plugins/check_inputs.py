"""Where each submission's hidden inputs come from: a course secret and the student's id.

The hidden checks draw their inputs from a seed (:mod:`initgrader.checks.inputs`).
While grading, that seed is HMAC-SHA256(secret, "<course>/<assignment>/<student>"):
the same student always meets the same inputs, so a regrade gives the same
grade, while no two students share inputs and nobody can compute them without
the secret, which never leaves the course root (it is in neither ``source/``,
``release/`` nor the sandbox).
"""
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from traitlets import Unicode, default
from traitlets.config import LoggingConfigurable

SECRET_FILE = Path(".initgrader") / "secret"
SECRET_VARIABLE = "INITGRADER_SECRET"


class CheckInputs(LoggingConfigurable):
    """How the hidden checks' inputs are drawn for each submission."""

    secret = Unicode(help="The course secret the per-submission seeds are derived from (default: $INITGRADER_SECRET). "
                          "Empty: read it from .initgrader/secret in the course root, creating that file on first "
                          "use.").tag(config=True)

    @default("secret")
    def _secret_from_environment(self):
        return os.environ.get(SECRET_VARIABLE, "")


def course_secret(coursedir):
    """The course secret for ``coursedir`` (an nbgrader ``CourseDirectory``).

    ``c.CheckInputs.secret`` when configured, else ``$INITGRADER_SECRET``, else the content of
    ``<CourseDirectory.root>/.initgrader/secret``, created (mode 0600, 64 hex digits from
    :func:`secrets.token_hex`) the first time it is needed. A process that grades in a copy of
    the course (a parallel worker) must be given the coordinator's secret, e.g. by setting
    ``c.CheckInputs.secret = course_secret(coordinator_coursedir)`` in the worker's config;
    otherwise it would create a secret of its own and draw different inputs.
    """
    configured = CheckInputs(config=coursedir.config).secret
    if configured:
        return configured
    return read_or_create_secret(Path(coursedir.root) / SECRET_FILE)


def read_or_create_secret(path):
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # written under a temporary name (mkstemp creates it 0600), then linked into place,
        # so a concurrent reader sees either no file or the whole secret
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
        try:
            with os.fdopen(handle, "w") as stream:
                stream.write(secrets.token_hex(32) + "\n")
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
    secret = path.read_text().strip()
    if not secret:
        raise ValueError(f"{path} is empty: delete it to create a new course secret, or set c.CheckInputs.secret")
    return secret


def submission_seed(secret, course_id, assignment, student):
    """The seed of one student's hidden inputs: HMAC-SHA256(secret, "<course>/<assignment>/<student>")."""
    message = f"{course_id}/{assignment}/{student}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
