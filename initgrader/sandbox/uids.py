"""A fresh uid for every submission, never one a previous submission had.

Anything the kernel keeps per uid (keyrings, process and signal-queue counts,
inotify budgets, files a stray process left behind) then starts empty for each
submission. The uid is drawn at random from a range no account and no usual
subordinate-id range uses, and is held by an exclusive lock file while the
sandbox lives; a lock file left by a crashed grader keeps its uid out of use.
"""

import functools
import os
import pwd
import secrets
import tempfile

FIRST = 1 << 30
COUNT = (1 << 31) - FIRST - 2  # stops short of 2**31 - 1 and of (uid_t) -1
LOCK_DIR = os.path.join(tempfile.gettempdir(), "initgrader-uids")
ATTEMPTS = 100


class Lease:
    """One allocated uid; :meth:`release` frees it."""

    def __init__(self, uid, path):
        self.uid = uid
        self.path = path

    def release(self):
        if self.path is not None:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            self.path = None


def _lock_dir():
    os.makedirs(LOCK_DIR, mode=0o700, exist_ok=True)
    info = os.lstat(LOCK_DIR)
    # Another user could have made this directory first and be holding uids for us.
    if info.st_uid != os.geteuid() or info.st_mode & 0o077 or not os.path.isdir(LOCK_DIR) \
            or os.path.islink(LOCK_DIR):
        raise OSError(f"{LOCK_DIR} is not a private directory of this user")
    return LOCK_DIR


@functools.lru_cache(maxsize=1)
def _accounts():
    """The uids /etc/passwd names, read once: asking NSS for every draw would cost milliseconds."""
    return frozenset(entry.pw_uid for entry in pwd.getpwall())


def _in_use(uid):
    return uid in _accounts()


def allocate():
    """Reserve a uid no account has and no live or earlier sandbox had."""
    directory = _lock_dir()
    for _ in range(ATTEMPTS):
        uid = FIRST + secrets.randbelow(COUNT)
        if _in_use(uid):
            continue
        path = os.path.join(directory, str(uid))
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))
        except FileExistsError:
            continue
        return Lease(uid, path)
    raise OSError("no free sandbox uid after {} attempts".format(ATTEMPTS))
