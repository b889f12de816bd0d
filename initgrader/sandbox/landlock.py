"""Landlock through ctypes: restrict the calling process's filesystem, TCP and IPC reach.

The ``landlock`` package on PyPI (1.0.0.dev5) handles filesystem rules only: it
has no ``handled_access_net`` (TCP bind/connect, ABI 4), no ``scoped``
(signals and abstract unix sockets, ABI 6) and no log flags (ABI 7), and the
sandbox needs all of them. The kernel interface is three system calls and
three structures (include/uapi/linux/landlock.h), so they are bound here
directly. Standard library only: the launcher imports this under ``python -I -S``.
"""

import ctypes
import errno
import os

# Generic syscall numbers: every architecture but alpha shares them.
SYS_CREATE_RULESET = 444
SYS_ADD_RULE = 445
SYS_RESTRICT_SELF = 446

CREATE_RULESET_VERSION = 1 << 0
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
FS_REMOVE_DIR = 1 << 4
FS_REMOVE_FILE = 1 << 5
FS_MAKE_CHAR = 1 << 6
FS_MAKE_DIR = 1 << 7
FS_MAKE_REG = 1 << 8
FS_MAKE_SOCK = 1 << 9
FS_MAKE_FIFO = 1 << 10
FS_MAKE_BLOCK = 1 << 11
FS_MAKE_SYM = 1 << 12
FS_REFER = 1 << 13       # ABI 2
FS_TRUNCATE = 1 << 14    # ABI 3
FS_IOCTL_DEV = 1 << 15   # ABI 5

NET_BIND_TCP = 1 << 0     # ABI 4
NET_CONNECT_TCP = 1 << 1  # ABI 4

SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1                # ABI 6

RESTRICT_SELF_LOG_SAME_EXEC_OFF = 1 << 0  # ABI 7

# What each ABI version can handle; a right the kernel does not know cannot be denied.
FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV

READ = FS_READ_FILE | FS_READ_DIR
READ_EXEC = READ | FS_EXECUTE


class RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64),
                ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def _syscall(number, *args):
    result = _libc.syscall(ctypes.c_long(number), *args)
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return result


def abi_version():
    """The kernel's Landlock ABI version, 0 when Landlock is absent or disabled."""
    try:
        return _syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0),
                        ctypes.c_uint32(CREATE_RULESET_VERSION))
    except OSError as error:
        if error.errno in (errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
            return 0
        raise


def handled_fs(abi):
    """Every filesystem right *abi* can deny."""
    return FS_BY_ABI[max(v for v in FS_BY_ABI if v <= abi)]


class Ruleset:
    """Deny every right this kernel handles, except what :meth:`allow` grants.

    Build it before dropping privileges (opening the allowed paths may need
    them); :meth:`restrict_self` then applies it to the calling thread and
    every process it starts.
    """

    def __init__(self, abi):
        if abi < 1:
            raise OSError(errno.EOPNOTSUPP, "Landlock is not available")
        self.abi = abi
        self.fs = handled_fs(abi)
        attr = RulesetAttr(self.fs,
                           NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0,
                           SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0)
        # An older kernel refuses fields it does not know, so pass only the ABI's prefix.
        size = ctypes.sizeof(attr) if abi >= 6 else (16 if abi >= 4 else 8)
        self.fd = _syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size),
                           ctypes.c_uint32(0))

    def allow(self, path, access):
        """Grant *access* beneath *path* (a file gets only the file rights)."""
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        try:
            rights = access & self.fs
            if not os.path.isdir(f"/proc/self/fd/{fd}"):
                rights &= FILE_RIGHTS
            rule = PathBeneathAttr(rights, fd)
            _syscall(SYS_ADD_RULE, ctypes.c_int(self.fd), ctypes.c_int(RULE_PATH_BENEATH),
                     ctypes.byref(rule), ctypes.c_uint32(0))
        finally:
            os.close(fd)

    def restrict_self(self):
        """Set no_new_privs and enforce the ruleset; it cannot be lifted afterwards."""
        if _libc.prctl(ctypes.c_int(PR_SET_NO_NEW_PRIVS), ctypes.c_ulong(1), ctypes.c_ulong(0),
                       ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
            code = ctypes.get_errno()
            raise OSError(code, "prctl(PR_SET_NO_NEW_PRIVS): " + os.strerror(code))
        # Hostile code probes denied paths on purpose: keep those denials out of the audit log.
        flags = RESTRICT_SELF_LOG_SAME_EXEC_OFF if self.abi >= 7 else 0
        _syscall(SYS_RESTRICT_SELF, ctypes.c_int(self.fd), ctypes.c_uint32(flags))
        self.close()

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
