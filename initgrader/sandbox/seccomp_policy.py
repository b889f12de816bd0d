"""The system calls a submission may make, as libseccomp filters.

Namespaces separate what they separate; the kernel state they do not (keyrings
kept per uid, other processes reachable by ptrace or /proc, io_uring, BPF, the
shared SysV and POSIX IPC, the global AIO and inotify budgets) is closed here,
in every isolation level. Two filters are stacked, and the kernel obeys the
stricter answer:

* an allow-list (default: ENOSYS, so a call this list does not know looks
  absent and the C library falls back): Docker's default profile minus what a
  submission never needs;
* a deny-list (default: allow) for arguments the first filter cannot narrow,
  compared on their low 32 bits as the kernel reads an ``int``.

Standard library plus ``pyseccomp``, which the launcher loads by file path.
"""

import errno
import importlib.util
import sys

CLONE_NAMESPACES = 0x7E020000  # NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET
AF_UNIX = 1
LOW32 = 0xFFFFFFFF
SIGN32 = 0x80000000

# Everything a Python process doing numerical work and file I/O needs (Docker's default
# profile, minus the calls denied below).
ALLOWED = """
    accept accept4 access adjtimex alarm arch_prctl bind brk capget capset chdir
    clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime
    clock_gettime64 clock_nanosleep clock_nanosleep_time64 close close_range connect
    copy_file_range creat dup dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old
    epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 execve execveat exit
    exit_group faccessat faccessat2 fadvise64 fadvise64_64 fchdir fcntl fcntl64 fdatasync
    fgetxattr flistxattr flock fstat
    fstat64 fstatat64 fstatfs fstatfs64 fsync ftruncate ftruncate64 futex futex_time64
    futex_waitv getcpu getcwd getdents getdents64 getegid getegid32 geteuid geteuid32 getgid
    getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp getpid getppid
    getpriority getrandom getresgid getresgid32 getresuid getresuid32 getrlimit
    get_robust_list getrusage getsid getsockname getsockopt get_thread_area gettid
    gettimeofday getuid getuid32 getxattr ioctl ioprio_get landlock_add_rule
    landlock_create_ruleset landlock_restrict_self lgetxattr link linkat listen listxattr
    llistxattr _llseek lseek lstat lstat64 madvise membarrier mincore mkdir mkdirat mknod
    mknodat mlock mlock2 mlockall mmap mmap2 mprotect mremap msync munlock munlockall
    munmap nanosleep newfstatat _newselect open openat openat2 pause pipe pipe2 pkey_alloc
    pkey_free pkey_mprotect poll ppoll ppoll_time64 prctl pread64 preadv preadv2 pselect6
    pselect6_time64 pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv recv
    recvfrom recvmmsg recvmmsg_time64 recvmsg remap_file_pages rename renameat renameat2
    restart_syscall rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigreturn
    rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 sched_getaffinity sched_getattr
    sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler
    sched_rr_get_interval sched_rr_get_interval_time64 sched_yield seccomp select send
    sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32 setfsuid setfsuid32
    setgid setgid32 setgroups setgroups32 setitimer setpgid setregid setregid32 setresgid
    setresgid32 setresuid setresuid32 setreuid setreuid32 setrlimit set_robust_list setsid
    setsockopt set_thread_area set_tid_address setuid setuid32 shutdown sigaltstack
    signalfd signalfd4 sigprocmask sigreturn splice stat stat64 statfs statfs64 statx
    symlink symlinkat sync_file_range sysinfo tee time timer_create timer_delete
    timer_getoverrun timer_gettime timer_gettime64 timer_settime timer_settime64
    timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime timerfd_settime64 times
    ugetrlimit umask uname unlink unlinkat vmsplice wait4 waitid waitpid write writev
""".split()

# Every call that changes an inode's mode, owner, times or extended attributes, by path
# or by descriptor. Landlock governs none of them, and a descriptor opened read-only is
# enough for the descriptor forms: under the grader's uid a submission could make the
# grader's Python installation world-writable, back-date it or leave notes in its xattrs
# for the next submission. A submission never needs them: its files take their mode from
# open() and the umask, and Python and NumPy change no metadata.
METADATA = """
    chmod fchmod fchmodat fchmodat2 chown chown32 fchown fchown32 lchown lchown32 fchownat
    utime utimes futimesat utimensat utimensat_time64 setxattr lsetxattr fsetxattr
    setxattrat removexattr lremovexattr fremovexattr removexattrat
""".split()
# Truncation by path, which Landlock governs only from ABI 3: refused under the grader's uid.
PATH_TRUNCATE = "truncate truncate64".split()
SIGNALS = "kill tgkill tkill rt_sigqueueinfo rt_tgsigqueueinfo".split()

# Refused with a named errno (the rest of what ALLOWED omits gets ENOSYS). Each
# line is one reason; the README's deny table is this list.
DENIED = {
    # Another process's memory, registers, descriptors or file table.
    "ptrace": errno.EPERM, "process_vm_readv": errno.EPERM, "process_vm_writev": errno.EPERM,
    "pidfd_getfd": errno.EPERM, "kcmp": errno.EPERM, "process_madvise": errno.EPERM,
    "process_mrelease": errno.EPERM,
    # Signals by pidfd sidestep the pid checks below; libc falls back to kill().
    "pidfd_open": errno.ENOSYS, "pidfd_send_signal": errno.ENOSYS,
    # Kernel keyrings outlive the process under its uid: one submission could leave code
    # for the next.
    "add_key": errno.ENOSYS, "keyctl": errno.ENOSYS, "request_key": errno.ENOSYS,
    # In-kernel programs, performance counters, page-fault handlers: large attack surface.
    "bpf": errno.EPERM, "perf_event_open": errno.EPERM, "userfaultfd": errno.EPERM,
    # io_uring performs its operations outside seccomp's sight; Linux AIO draws on a
    # system-wide budget (fs.aio-max-nr).
    "io_uring_setup": errno.ENOSYS, "io_uring_enter": errno.ENOSYS,
    "io_uring_register": errno.ENOSYS, "io_setup": errno.ENOSYS, "io_submit": errno.ENOSYS,
    "io_getevents": errno.ENOSYS, "io_pgetevents": errno.ENOSYS, "io_cancel": errno.ENOSYS,
    "io_destroy": errno.ENOSYS,
    # New namespaces and mounts would undo the isolation around the submission.
    "unshare": errno.EPERM, "setns": errno.EPERM, "clone3": errno.ENOSYS,
    "mount": errno.EPERM, "umount2": errno.EPERM, "pivot_root": errno.EPERM,
    "chroot": errno.EPERM, "open_tree": errno.EPERM, "move_mount": errno.EPERM,
    "fsopen": errno.EPERM, "fsconfig": errno.EPERM, "fsmount": errno.EPERM,
    "fspick": errno.EPERM, "mount_setattr": errno.EPERM,
    # Memory the address-space limit does not count.
    "memfd_create": errno.ENOSYS, "memfd_secret": errno.ENOSYS,
    "shmget": errno.ENOSYS, "shmat": errno.ENOSYS, "shmdt": errno.ENOSYS, "shmctl": errno.ENOSYS,
    # SysV and POSIX message queues and semaphores: per-uid and host-wide objects.
    "msgget": errno.ENOSYS, "msgsnd": errno.ENOSYS, "msgrcv": errno.ENOSYS,
    "msgctl": errno.ENOSYS, "semget": errno.ENOSYS, "semop": errno.ENOSYS,
    "semtimedop": errno.ENOSYS, "semctl": errno.ENOSYS, "mq_open": errno.ENOSYS,
    "mq_unlink": errno.ENOSYS, "mq_timedsend": errno.ENOSYS, "mq_timedreceive": errno.ENOSYS,
    "mq_notify": errno.ENOSYS, "mq_getsetattr": errno.ENOSYS, "ipc": errno.ENOSYS,
    # Watches on files outside the submission; inotify instances are a per-uid budget.
    "inotify_init": errno.ENOSYS, "inotify_init1": errno.ENOSYS,
    "inotify_add_watch": errno.ENOSYS, "inotify_rm_watch": errno.ENOSYS,
    "fanotify_init": errno.EPERM, "fanotify_mark": errno.EPERM,
    "name_to_handle_at": errno.EPERM, "open_by_handle_at": errno.EPERM,
    # Every other process's scheduling and I/O priority, and the whole machine's state.
    "ioprio_set": errno.EPERM, "mbind": errno.EPERM, "set_mempolicy": errno.EPERM,
    "get_mempolicy": errno.EPERM, "migrate_pages": errno.EPERM, "move_pages": errno.EPERM,
    "sync": errno.EPERM, "syncfs": errno.EPERM, "kexec_load": errno.EPERM,
    "kexec_file_load": errno.EPERM, "init_module": errno.EPERM, "finit_module": errno.EPERM,
    "delete_module": errno.EPERM, "reboot": errno.EPERM, "swapon": errno.EPERM,
    "swapoff": errno.EPERM, "acct": errno.EPERM, "quotactl": errno.EPERM,
    "syslog": errno.EPERM, "settimeofday": errno.EPERM, "clock_settime": errno.EPERM,
    "sethostname": errno.EPERM, "setdomainname": errno.EPERM, "iopl": errno.EPERM,
    "ioperm": errno.EPERM, "modify_ldt": errno.EPERM, "vhangup": errno.EPERM,
    # No network, no netlink, no kernel crypto: the worker speaks over inherited pipes only.
    "socket": errno.EAFNOSUPPORT, "socketcall": errno.EAFNOSUPPORT,
}

# ioctl requests and fcntl commands that reach other processes or the terminal.
TIOCSTI, TIOCLINUX, FIOSETOWN, SIOCSPGRP = 0x5412, 0x541C, 0x8901, 0x8902
PR_SET_DUMPABLE = 4
# ioctl requests that change an inode's flags (immutable, append-only, no-dump), project
# attributes, generation, fs-verity or encryption: metadata again, on any open descriptor.
FS_IOC_SETFLAGS, FS_IOC32_SETFLAGS, FS_IOC_FSSETXATTR = 0x40086602, 0x40046602, 0x401C5820
FS_IOC_SETVERSION, FS_IOC32_SETVERSION = 0x40087602, 0x40047602
FS_IOC_ENABLE_VERITY, FS_IOC_SET_ENCRYPTION_POLICY = 0x40806685, 0x800C6613
INODE_IOCTLS = (FS_IOC_SETFLAGS, FS_IOC32_SETFLAGS, FS_IOC_FSSETXATTR, FS_IOC_SETVERSION,
                FS_IOC32_SETVERSION, FS_IOC_ENABLE_VERITY, FS_IOC_SET_ENCRYPTION_POLICY)
F_SETOWN, F_SETSIG, F_SETOWN_EX = 8, 10, 15
PERSONALITIES = (0, 8, 0x20000, 0x20008, 0xFFFFFFFF)  # Docker's: query, PER_LINUX(32), UNAME26


def load_pyseccomp(path=None):
    """Import pyseccomp from *path* (launchers run without site-packages) or normally."""
    if "pyseccomp" in sys.modules:
        return sys.modules["pyseccomp"]
    if path is None:
        import pyseccomp
        return pyseccomp
    spec = importlib.util.spec_from_file_location("pyseccomp", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["pyseccomp"] = module
    spec.loader.exec_module(module)
    return module


class Policy:
    """Which filter a sandbox gets.

    *processes*: the submission may fork and start threads (a cgroup bounds
    them); otherwise it stays one single-threaded process, whose address-space
    limit then bounds its memory. *shared_uid*: it runs under the grader's uid,
    so truncation by path is refused too, and a single process may signal only
    itself. *host_pids*: there is no pid
    namespace, so no signal may name a process group or every process (-1).
    """

    def __init__(self, processes, shared_uid, host_pids):
        self.processes = processes
        self.shared_uid = shared_uid
        self.host_pids = host_pids

    def as_dict(self):
        return {"processes": self.processes, "shared_uid": self.shared_uid,
                "host_pids": self.host_pids}

    @classmethod
    def from_dict(cls, data):
        return cls(data["processes"], data["shared_uid"], data["host_pids"])

    def filters(self, seccomp, pid):
        """The two libseccomp filters for the process *pid*, ready to load."""
        allow = seccomp.SyscallFilter(seccomp.ERRNO(errno.ENOSYS))
        deny = seccomp.SyscallFilter(seccomp.ALLOW)
        for rules in (allow, deny):
            rules.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)
        try:
            # a binary tree: every call the submission makes walks a few comparisons, not 300
            allow.set_attr(seccomp.Attr.CTL_OPTIMIZE, 2)
        except OSError:
            pass
        for name in ALLOWED:
            _add(seccomp, allow, seccomp.ALLOW, name)
        for name, code in DENIED.items():
            # ENOSYS is the allow-list's default already (libseccomp refuses a rule
            # that restates the default).
            if code != errno.ENOSYS:
                _add(seccomp, allow, seccomp.ERRNO(code), name)
        for name in METADATA:
            _add(seccomp, allow, seccomp.ERRNO(errno.EPERM), name)
        for name in PATH_TRUNCATE:
            _add(seccomp, allow, seccomp.ERRNO(errno.EPERM) if self.shared_uid else seccomp.ALLOW,
                 name)
        self._processes(seccomp, allow)
        self._signals(seccomp, allow, deny, pid)
        self._own_process_only(seccomp, allow)
        for value in PERSONALITIES:
            _add(seccomp, allow, seccomp.ALLOW, "personality", seccomp.Arg(0, seccomp.EQ, value))
        _add(seccomp, allow, seccomp.ALLOW, "socketpair", seccomp.Arg(0, seccomp.EQ, AF_UNIX))
        for request in (TIOCSTI, TIOCLINUX, FIOSETOWN, SIOCSPGRP) + INODE_IOCTLS:
            _add(seccomp, deny, seccomp.ERRNO(errno.EPERM), "ioctl",
                 seccomp.Arg(1, seccomp.MASKED_EQ, LOW32, request))
        # No fallocate in any form: it reserves gigabytes in a millisecond, long before the
        # Landlock level's disk watchdog looks, and some forms allocate past the end of a file,
        # where RLIMIT_FSIZE does not look. EOPNOTSUPP makes posix_fallocate write instead.
        _add(seccomp, allow, seccomp.ALLOW, "fallocate")
        _add(seccomp, deny, seccomp.ERRNO(errno.EOPNOTSUPP), "fallocate")
        # An undumpable process hides its descriptors and mappings from that watchdog.
        _add(seccomp, deny, seccomp.ERRNO(errno.EPERM), "prctl",
             seccomp.Arg(0, seccomp.MASKED_EQ, LOW32, PR_SET_DUMPABLE))
        for name in ("fcntl", "fcntl64"):
            for command in (F_SETOWN, F_SETSIG, F_SETOWN_EX):
                _add(seccomp, deny, seccomp.ERRNO(errno.EPERM), name,
                     seccomp.Arg(1, seccomp.MASKED_EQ, LOW32, command))
        return [deny, allow]

    def _processes(self, seccomp, allow):
        if self.processes:
            _add(seccomp, allow, seccomp.ALLOW, "fork")
            _add(seccomp, allow, seccomp.ALLOW, "vfork")
            _add(seccomp, allow, seccomp.ALLOW, "clone",
                 seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_NAMESPACES, 0))
        else:
            # EAGAIN is what a process limit answers: os.fork raises, threading says
            # "can't start new thread".
            for name in ("fork", "vfork", "clone"):
                _add(seccomp, allow, seccomp.ERRNO(errno.EAGAIN), name)

    def _signals(self, seccomp, allow, deny, pid):
        if self.shared_uid and not self.processes:
            # One process under the grader's uid: it may signal itself and nothing else.
            for name, value in (("kill", pid), ("kill", 0), ("tgkill", pid),
                                ("rt_sigqueueinfo", pid), ("rt_tgsigqueueinfo", pid)):
                _add(seccomp, allow, seccomp.ALLOW, name, seccomp.Arg(0, seccomp.EQ, value))
            return
        # A pid namespace, a uid of its own or Landlock's signal scope keeps positive pids
        # inside the sandbox.
        for name in SIGNALS:
            _add(seccomp, allow, seccomp.ALLOW, name)
        if self.host_pids:
            for name in ("kill", "rt_sigqueueinfo"):
                _add(seccomp, deny, seccomp.ERRNO(errno.EPERM), name,
                     seccomp.Arg(0, seccomp.MASKED_EQ, SIGN32, SIGN32))

    def _own_process_only(self, seccomp, allow):
        """Calls that name a pid may name only the caller (0)."""
        for name in ("prlimit64", "sched_setaffinity", "sched_setscheduler", "sched_setparam",
                     "sched_setattr"):
            _add(seccomp, allow, seccomp.ALLOW, name, seccomp.Arg(0, seccomp.EQ, 0))
        # setpriority(which, who=0, prio): this process, its group or its user when who is 0;
        # a user-wide change is refused.
        _add(seccomp, allow, seccomp.ALLOW, "setpriority", seccomp.Arg(0, seccomp.EQ, 0),
             seccomp.Arg(1, seccomp.EQ, 0))

    def install(self, seccomp, pid):
        """Load both filters into the calling thread (sets no_new_privs)."""
        for rules in self.filters(seccomp, pid):
            rules.load()


def _add(seccomp, rules, action, name, *args):
    # A name this libseccomp does not know has no number to filter: under the
    # allow-list's default it stays refused. Names another architecture has
    # resolve to pseudo-numbers that libseccomp skips.
    if seccomp.resolve_syscall(seccomp.Arch.NATIVE, name) == -1:
        return
    rules.add_rule(action, name, *args)


def available(path=None):
    """True if libseccomp loads here."""
    try:
        load_pyseccomp(path)
    except (ImportError, OSError, RuntimeError):
        return False
    return True
