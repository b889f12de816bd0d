"""The ways a request to a sandbox can fail, as the grader sees them."""


class StudentCodeError(Exception):
    """A student function raised an exception."""

    def __init__(self, remote):
        super().__init__("{}: {}".format(remote.ename, remote.evalue))
        self.remote = remote


class StudentTimeout(Exception):
    """A cell or call ran past its time limit."""


class StudentCrashed(Exception):
    """The sandbox is gone: its process died, was killed, or broke the protocol."""


class IsolationUnavailable(Exception):
    """The requested isolation cannot be provided on this machine."""
