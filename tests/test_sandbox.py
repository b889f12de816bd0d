"""Tests of the student sandbox: the codec, and real attacks from student code.

The sandbox tests run at whatever isolation level this process gets: as root, "namespaces";
tests/test_sandbox_levels.py runs this same file again as a normal user with user namespaces
("user-namespaces") and under a container's seccomp profile ("landlock"), setting
INITGRADER_EXPECT_LEVEL so a run cannot quietly fall back to a weaker level.
"""

import collections
import enum
import math
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from initgrader.sandbox import (IsolationUnavailable, Limits, Opaque,
                                StudentCodeError, StudentCrashed, StudentProcess,
                                StudentTimeout)
from initgrader.sandbox import levels, process, scratch, wire
from support import memcg

ATTACKS = Path(__file__).parent / "sandbox_attacks"


def current_level():
    try:
        return levels.choose("auto").id
    except IsolationUnavailable:
        return None


LEVEL = current_level()
NAMESPACED = LEVEL in ("namespaces", "user-namespaces")
needs_sandbox = pytest.mark.skipif(LEVEL is None, reason="no isolation level is available here")
LAUNCH_PATHS = os.environ.get("INITGRADER_LAUNCH_PATHS", "forkserver,exec").split(",")


def roundtrip(value):
    out = wire.Outgoing()
    payload = wire.dumps({"v": wire.encode(value, out)})
    incoming = wire.Incoming(b"".join(bytes(part) for part in out.parts))
    result = wire.decode(wire.loads(payload)["v"], incoming)
    incoming.finish()
    return result


def decode_json(text, blob=b""):
    incoming = wire.Incoming(blob)
    result = wire.decode(wire.loads(text.encode())["v"], incoming)
    incoming.finish()
    return result


# --- codec ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 2**100, 1.5, -0.0, "", "héllo \u2603 \U0001f600",
    [1, [2, [3]]], (1, (2.0, "x")), {"a": (1, 2), "b": {"c": [None]}},
    {1: "one", (2, "two"): 2.0, None: False}, [(), {}, []],
])
def test_plain_values_roundtrip(value):
    result = roundtrip(value)
    assert result == value
    assert type(result) is type(value)


def test_nonfinite_floats_roundtrip():
    assert math.isnan(roundtrip(float("nan")))
    assert roundtrip([float("inf"), float("-inf")]) == [float("inf"), float("-inf")]


@pytest.mark.parametrize("dtype", ["bool", "int8", "int16", "int32", "int64", "uint8",
                                   "uint16", "uint32", "uint64", "float16", "float32",
                                   "float64", "longdouble", "complex64", "complex128"])
def test_arrays_keep_dtype_and_shape(dtype):
    array = (np.arange(24) % 3).astype(dtype).reshape(2, 3, 4)
    result = roundtrip(array)
    assert type(result) is np.ndarray
    assert result.dtype == array.dtype and result.shape == array.shape
    assert np.array_equal(result, array)
    assert result.flags.writeable


def test_numpy_scalars_stay_scalars_and_0d_arrays_stay_arrays():
    for scalar in (np.float32(1.5), np.int16(-3), np.uint64(2**63), np.bool_(True),
                   np.complex128(1 + 2j), np.float64("nan")):
        result = roundtrip(scalar)
        assert type(result) is type(scalar)
        assert result.dtype == scalar.dtype
        assert result == scalar or (np.isnan(result) and np.isnan(scalar))
    zero_d = roundtrip(np.array(2.5))
    assert type(zero_d) is np.ndarray and zero_d.shape == () and zero_d == 2.5


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_unusual_arrays_encode_as_plain_arrays():
    assert np.array_equal(roundtrip(np.arange(10)[::3]), [0, 3, 6, 9])
    big_endian = np.arange(3, dtype=">i4")
    assert np.array_equal(roundtrip(big_endian), [0, 1, 2])
    matrix = roundtrip(np.asmatrix([[1, 2]]))
    assert type(matrix) is np.ndarray and matrix.shape == (1, 2)
    assert np.array_equal(roundtrip(np.zeros((0, 5))), np.zeros((0, 5)))


def test_decoded_arrays_never_share_memory():
    first, second, third = roundtrip((np.arange(3.0), np.arange(5, dtype=np.int8), np.ones(2)))
    first[:] = -1
    assert np.array_equal(second, np.arange(5)) and np.array_equal(third, [1, 1])
    for array in (first, second, third):
        assert array.ctypes.data % wire.ALIGN == 0


def test_subclasses_encode_as_their_base():
    class Color(enum.IntEnum):
        RED = 1

    ordered = collections.OrderedDict(a=1)
    assert type(roundtrip(ordered)) is dict
    assert roundtrip(collections.defaultdict(list, b=[1])) == {"b": [1]}
    assert type(roundtrip(Color.RED)) is int
    point = collections.namedtuple("Point", "x y")(1, 2)
    assert roundtrip(point) == (1, 2) and type(roundtrip(point)) is tuple


def test_unsupported_values_become_opaque():
    class Foo:
        pass

    result = roundtrip([Foo(), math, len, np.array([object()]), b"x", {1.5j: 1}])
    assert [r.typename for r in result[:3]] == ["Foo", "module", "builtin_function_or_method"]
    assert all(isinstance(r, Opaque) for r in result)
    assert repr(result[0]) == "<Foo object from the submission>"


def test_deep_and_recursive_values_are_cut_not_rejected():
    deep = []
    for _ in range(100):
        deep = [deep]
    result = roundtrip(deep)
    for _ in range(wire.MAX_DEPTH):
        result = result[0]
    assert isinstance(result, Opaque)
    loop = []
    loop.append(loop)
    assert isinstance(roundtrip(loop), list)


@pytest.mark.parametrize("text,blob", [
    ('{"v": {"$": "ndarray", "dtype": "O8", "shape": [1], "at": 0}}', bytes(8)),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [1000000000], "at": 0}}', bytes(8)),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [-1], "at": 0}}', b""),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [1.0], "at": 0}}', bytes(8)),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [1], "at": 8}}', bytes(8)),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [1], "at": 4}}', bytes(16)),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [1], "at": -16}}', bytes(16)),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [1], "at": "0"}}', bytes(8)),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [1], "at": 0}}', bytes(24)),
    ('{"v": [{"$": "ndarray", "dtype": "f8", "shape": [1], "at": 0},'
     ' {"$": "ndarray", "dtype": "f8", "shape": [1], "at": 0}]}', bytes(8)),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [1], "at": 0, "x": 1}}', bytes(8)),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [1], "data": "AAAAAAAAAAA="}}', b""),
    ('{"v": {"$": "npscalar", "dtype": "f8", "at": 0}}', bytes(4)),
    ('{"v": {"$": "ndarray", "dtype": "f8", "shape": [0, 100000000000000000000], "at": 0}}', b""),
    ('{"v": {"$": "ndarray", "dtype": "b1", "shape": [2], "at": 0}}', b"\x01\x02"),
    ('{"v": {"$": "npscalar", "dtype": "b1", "at": 0}}', b"\xff"),
    ('{"v": {"$": "pickle", "data": ""}}', b""),
    ('{"v": {"$": "float", "v": "1e5"}}', b""),
    ('{"v": {"$": "dict", "items": [[[1], 2]]}}', b""),
    ('{"v": NaN}', b""),
    ('{"v": ' + "[" * 40 + "]" * 40 + "}", b""),
    ('{"v": ' + "[" * 100000 + "]" * 100000 + "}", b""),
    ('{"v": ' + "1" * 5000 + "}", b""),
    ('{"v": "\u00e9"}', b""),
    ('[1, 2]', b""),
    ('{"v": 1', b""),
])
def test_decoder_rejects_malformed_input(text, blob):
    with pytest.raises(wire.ProtocolError):
        decode_json(text, blob)


def test_item_budget_is_checked_before_parsing():
    payload = b'{"v": [' + b"0," * 1000 + b"0]}"
    assert wire.loads(payload, max_items=2000)["v"] == [0] * 1001
    with pytest.raises(wire.ProtocolError, match="JSON items"):
        wire.loads(payload, max_items=500)


def test_framing_rejects_giant_lengths_without_allocating():
    read_fd, write_fd = os.pipe()
    caps = wire.Caps(1024, 100, 1024)
    try:
        os.write(write_fd, wire.HEADER.pack(wire.MAGIC, 2**31, 0))
        with pytest.raises(wire.ProtocolError, match="JSON bytes exceeds"):
            wire.recv(read_fd, caps, time.monotonic() + 5)
        os.write(write_fd, wire.HEADER.pack(wire.MAGIC, 2, 2**62))
        with pytest.raises(wire.ProtocolError, match="array bytes exceeds"):
            wire.recv(read_fd, caps, time.monotonic() + 5)
        out = wire.Outgoing()
        payload = wire.dumps({"a": wire.encode(np.arange(3), out)})
        wire.send(write_fd, payload, out)
        got, incoming = wire.recv(read_fd, caps)
        assert np.array_equal(wire.decode(wire.loads(got)["a"], incoming), [0, 1, 2])
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_framing_times_out_on_silence():
    read_fd, write_fd = os.pipe()
    try:
        with pytest.raises(wire.PeerTimeout):
            wire.recv(read_fd, wire.Caps(1024, 100, 1024), time.monotonic() + 0.2)
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_unisolated_is_refused_unless_allowed(tmp_path):
    with pytest.raises(IsolationUnavailable, match="allow_unisolated"):
        StudentProcess(tmp_path, isolation="none")


@pytest.mark.parametrize("caps,missing", [
    ({"landlock": 0, "seccomp": True}, "filesystem"),
    ({"landlock": 7, "seccomp": False}, "system calls"),
    ({"namespaces": True, "landlock": 7, "seccomp": False}, "seccomp"),
    ({"landlock": 2, "seccomp": True, "fresh_uid": False}, "truncation"),
])
def test_missing_protections_are_named_and_refused(caps, missing):
    caps = dict({"fresh_uid": True, "python_public": True}, **caps)
    with pytest.raises(IsolationUnavailable, match=missing) as info:
        levels.choose("auto", caps=caps)
    assert "allow_partial_isolation = True" in str(info.value)
    assert levels.choose("auto", allow_partial=True, caps=caps).missing()


# --- sandbox -------------------------------------------------------------------------

def test_the_expected_level_is_in_force():
    expected = os.environ.get("INITGRADER_EXPECT_LEVEL")
    if expected is None:
        pytest.skip("no level was asked for")
    assert LEVEL == expected


def snapshot(root):
    """Every path under *root* with its content and mtime."""
    state = {}
    for path in sorted(Path(root).rglob("*")):
        stat = path.lstat()
        content = path.read_bytes() if path.is_file() else None
        state[str(path)] = (stat.st_mode, stat.st_mtime_ns, content)
    return state


def own_processes():
    """Pids of this uid that are not this process's descendants."""
    mine, parents = set(), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != os.getuid():
                continue
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    for pid in parents:
        chain, current = 0, pid
        while current in parents and current != os.getpid() and chain < 100:
            current, chain = parents[current], chain + 1
        if current != os.getpid():
            mine.add(pid)
    return mine


# make check takes the fork server, the path grading uses; make test adds the slow start by exec
@pytest.fixture(params=[pytest.param(path, marks=pytest.mark.slow) if path == "exec" else path
                        for path in LAUNCH_PATHS])
def course(request, tmp_path, monkeypatch):
    """A fake course root and two students' scratch folders, for each launch path.

    It also checks that the attack left nothing: no course file changed, no scratch folder of
    its sandboxes and no process of this uid outlived them.
    """
    monkeypatch.setattr(process, "USE_FORKSERVER", request.param == "forkserver")
    folders = []

    def create(*args, **kwargs):
        made = real_create(*args, **kwargs)
        folders.append(made[0])
        return made
    real_create = scratch.create
    monkeypatch.setattr(scratch, "create", create)
    root = tmp_path / "course"
    (root / "source" / "ps1").mkdir(parents=True)
    (root / "source" / "ps1" / "solution.py").write_text("ANSWER = 'secret-solution'\n")
    (root / "gradebook.db").write_text("secret-gradebook")
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / "release").mkdir()
    (root / "submitted" / "bob").mkdir(parents=True)
    (root / "autograded").mkdir()
    alice = tmp_path / "scratch" / "alice"
    bob = tmp_path / "scratch" / "bob"
    alice.mkdir(parents=True)
    bob.mkdir(parents=True)
    (alice / "helper.py").write_text("VALUE = 7\n")
    (bob / "answers.txt").write_text("bob-secret")
    before = snapshot(root), snapshot(bob), snapshot(alice)
    # As root, other suites' processes come and go; sandboxes there run under uids of their own.
    check_processes = os.getuid() != 0
    processes = own_processes() if check_processes else set()
    yield {"root": root, "alice": alice, "bob": bob}
    assert (snapshot(root), snapshot(bob), snapshot(alice)) == before
    assert not [folder for folder in folders if os.path.lexists(folder)]
    if check_processes:
        deadline = time.monotonic() + 5
        while own_processes() - processes and time.monotonic() < deadline:
            time.sleep(0.1)
        assert own_processes() - processes == set()


@pytest.fixture
def memory_bound():
    """Run the test inside a memory cgroup of its own, or skip it where none can be made."""
    with memcg.bounded() as reason:
        if reason:
            pytest.skip(reason)
        yield


def sandbox(workdir, **limits):
    return StudentProcess(workdir, Limits(**limits))


def cell_ok(proc, source):
    result = proc.run_cell(textwrap.dedent(source))
    assert result.status == "ok", result
    return result.stdout


def unreachable(proc, paths):
    """For each path, what the sandbox got trying to read or list it."""
    out = cell_ok(proc, """
        import os
        for path in {!r}:
            try:
                if os.path.isdir(path):
                    os.listdir(path)
                else:
                    open(path, "rb").read(1)
                print("READ", path)
            except OSError as exc:
                print(type(exc).__name__, path)
        """.format([str(p) for p in paths]))
    return out.splitlines()


@needs_sandbox
def test_student_sees_only_the_allow_list(course):
    secrets = [course["root"] / "source" / "ps1" / "solution.py", course["root"] / "gradebook.db",
               course["root"], course["bob"] / "answers.txt", Path("/root/.bashrc"),
               Path(__file__).resolve().parents[1] / "initgrader",
               Path(__file__).resolve().parents[1] / "initgrader" / "reference.py",
               Path(__file__).resolve().parents[1] / "source"]
    with sandbox(course["alice"]) as proc:
        out = cell_ok(proc, """
            import os, helper
            print(helper.VALUE, os.getcwd(), os.path.expanduser("~"), os.getuid())
            try:
                import initgrader.reference
            except (ImportError, OSError):
                print("no initgrader")
            """)
        assert out.startswith("7 ") and "no initgrader" in out
        assert all(line.startswith(("PermissionError", "FileNotFoundError"))
                   for line in unreachable(proc, secrets))
        if NAMESPACED:
            assert out.split("\n")[0].startswith("7 /submission /submission ")
            assert "namespaces (mount, pid, net, ipc, uts) + chroot" in proc.isolation_level
            out = cell_ok(proc, """
                import os, sys
                print([os.path.lexists(p) for p in {!r}])
                print(sorted(os.listdir("/dev")))
                """.format([str(p) for p in secrets]))
            assert out.split("\n")[:2] == [str([False] * len(secrets)), str(
                ["fd", "null", "random", "stderr", "stdin", "stdout", "urandom", "zero"])]
        else:
            assert "landlock (ABI" in proc.isolation_level


@needs_sandbox
def test_file_size_is_capped(course):
    with sandbox(course["alice"], max_file_bytes=10 * 1024**2) as proc:
        result = proc.run_cell("open('big.bin', 'wb').write(bytes(20 * 1024**2))")
        assert result.status == "error" and "File too large" in result.error.evalue


@needs_sandbox
def test_writes_outside_the_workdir_fail(course, tmp_path):
    marker = "pwned-{}".format(os.getpid())
    targets = ["/etc/" + marker, "/usr/" + marker, "/" + marker, "/.worker/wire.py",
               str(course["root"] / "gradebook.db"), str(course["root"] / "nbgrader_config.py"),
               str(course["bob"] / marker), "/proc/sys/kernel/hostname",
               str(Path(__file__).resolve().parents[1] / "initgrader" / "sandbox" / "wire.py"),
               "/dev/shm/" + marker, str(Path.home() / marker)]
    if not NAMESPACED:
        # the sandbox's /tmp is its own under namespaces; here it is the host's
        targets.append("/tmp/" + marker)
    with sandbox(course["alice"]) as proc:
        out = cell_ok(proc, """
            import os, tempfile
            for path in {!r}:
                try:
                    with open(path, "w") as f:
                        f.write("x")
                    print("wrote", path)
                except OSError as exc:
                    print("refused", type(exc).__name__)
            open(os.path.join(tempfile.gettempdir(), "{}"), "w").write("private tmp is fine")
            open("mine.txt", "w").write("own folder is fine")
            print(open("mine.txt").read())
            """.format(targets, marker))
    assert "wrote" not in out and "own folder is fine" in out
    assert not Path("/tmp", marker).exists() and not Path("/dev/shm", marker).exists()
    assert not (course["alice"] / "mine.txt").exists()


@needs_sandbox
def test_no_metadata_changes_by_path_or_descriptor(course):
    # A file of the Python installation (the grader's own under a shared uid) and the submission's own.
    with sandbox(course["alice"]) as proc:
        out = cell_ok(proc, """
            import ctypes, errno, fcntl, os, struct, numpy
            libc = ctypes.CDLL(None, use_errno=True)
            def attempt(name, call):
                try:
                    call()
                    print(name, "changed")
                except OSError as exc:
                    print(name, errno.errorcode.get(exc.errno, exc.errno))
            def syscall(number, *args):
                def call():
                    if libc.syscall(number, *args) < 0:
                        code = ctypes.get_errno()
                        raise OSError(code, os.strerror(code))
                return call
            open("mine.txt", "w").write("x")
            for path in (numpy.__file__, os.path.dirname(numpy.__file__), "mine.txt", ".tmp"):
                before = os.stat(path)
                fd = os.open(path, os.O_RDONLY)
                attempt("fchmod", lambda: os.fchmod(fd, 0o777))
                attempt("fchown", lambda: os.fchown(fd, os.getuid(), os.getgid()))
                attempt("futimens", lambda: os.utime(fd, (0, 0)))
                attempt("fsetxattr", lambda: os.setxattr(fd, "user.note", b"left here"))
                attempt("fremovexattr", lambda: os.removexattr(fd, "user.note"))
                attempt("FS_IOC_SETFLAGS", lambda: fcntl.ioctl(fd, 0x40086602, struct.pack("l", 0x10)))
                attempt("FS_IOC_FSSETXATTR", lambda: fcntl.ioctl(fd, 0x401C5820, bytes(28)))
                attempt("chmod", lambda: os.chmod(path, 0o777))
                attempt("chown", lambda: os.chown(path, os.getuid(), os.getgid()))
                attempt("utime", lambda: os.utime(path, (0, 0)))
                attempt("setxattr", lambda: os.setxattr(path, "user.note", b"left here"))
                # fchmodat2 and setxattrat / removexattrat with AT_EMPTY_PATH: descriptor forms again
                attempt("fchmodat2", syscall(452, fd, b"", 0o777, 0x1000))
                attempt("setxattrat", syscall(463, fd, b"", 0x1000, b"user.note", None, 0))
                attempt("removexattrat", syscall(466, fd, b"", 0x1000, b"user.note"))
                after = os.stat(path)
                print("same", (before.st_mode, before.st_uid, before.st_mtime_ns) ==
                      (after.st_mode, after.st_uid, after.st_mtime_ns))
                os.close(fd)
            """)
    lines = out.splitlines()
    assert lines.count("same True") == 4, out
    for line in lines:
        name, result = line.split()
        if name in ("fchmodat2", "setxattrat", "removexattrat"):
            # a call this libseccomp does not know stays refused as absent
            assert result in ("EPERM", "ENOSYS"), line
        elif name != "same":
            assert result == "EPERM", line


@needs_sandbox
def test_student_holds_no_privilege(course):
    with sandbox(course["alice"]) as proc:
        out = cell_ok(proc, """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            header = (ctypes.c_uint32 * 2)(0x20080522, 0)
            data = (ctypes.c_uint32 * 6)()
            print(libc.capget(header, data), list(data))
            print(libc.umount2(b"/", 2), libc.unshare(0x10000000), libc.unshare(0x00020000),
                  libc.mount(b"none", b"/", b"tmpfs", 0, None))
            try:
                os.chroot(".")
                print("chrooted")
            except OSError as exc:
                print(type(exc).__name__)
            try:
                os.setuid(0)
                print("setuid", os.getuid())
            except OSError as exc:
                print(type(exc).__name__)
            """)
    lines = out.split("\n")
    assert lines[0] == "0 [0, 0, 0, 0, 0, 0]"
    assert lines[1:3] == ["-1 -1 -1 -1", "PermissionError"]
    assert lines[3] in ("PermissionError", "setuid 0") and (lines[3] == "PermissionError" or
                                                             LEVEL == "user-namespaces")


@needs_sandbox
def test_host_environment_is_invisible(course, monkeypatch):
    monkeypatch.setenv("INITGRADER_TEST_SECRET", "hunter2")
    with sandbox(course["alice"]) as proc:
        out = cell_ok(proc, """
            import glob, os
            print(sorted(os.environ))
            for path in glob.glob("/proc/*/environ") + ["/proc/{}/environ", "/proc/self/environ"]:
                try:
                    print(path, open(path, "rb").read())
                except OSError as exc:
                    print(path, type(exc).__name__)
            print(len(glob.glob("/proc/[0-9]*")))
            """.format(os.getpid()))
    assert "hunter2" not in out and "INITGRADER_TEST_SECRET" not in out
    assert f"/proc/{os.getpid()}/environ " in out and int(out.split()[-1]) <= 3
    if NAMESPACED:
        assert "/proc/1/environ PermissionError" in out


@needs_sandbox
@pytest.mark.parametrize("attack", [
    "import os; os.kill(os.getppid(), 9)",
    "import os; os.kill(1, 9)",
    "import os; os.kill(-1, 9)",
    "import os; os.killpg(os.getpgrp(), 9)",
    "import os; os.killpg(os.getpgid({grader}), 9)",
    "import os; os.kill({grader}, 9)",
    "import os; os.kill({bystander}, 9)",
    "!kill -9 -1",
])
def test_killing_the_parent_only_hurts_the_student(course, attack):
    bystander = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        with sandbox(course["alice"]) as proc:
            cell_ok(proc, "kept = 41")
            result = proc.run_cell(attack.format(grader=os.getpid(), bystander=bystander.pid))
            assert result.status in ("ok", "error", "crashed")
            assert "42" in cell_ok(proc, "print(kept + 1)")
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()


def state_of(pid):
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


@needs_sandbox
def test_the_grader_cannot_be_stopped_traced_or_written(course):
    bystander = subprocess.Popen(["sleep", "60"], start_new_session=True)
    grader = os.getpid()
    try:
        with sandbox(course["alice"]) as proc:
            out = cell_ok(proc, """
                import ctypes, os, signal
                libc = ctypes.CDLL(None, use_errno=True)
                for target in ({grader}, {bystander}, os.getppid(), -1, -{bystander}):
                    for number in (signal.SIGSTOP, signal.SIGTERM):
                        try:
                            os.kill(target, number)
                            print("signalled", target)
                        except OSError as exc:
                            print("refused", target, exc.errno)
                print("ptrace", libc.ptrace(16, {grader}, 0, 0), ctypes.get_errno())
                buf = ctypes.create_string_buffer(8)
                local = (ctypes.c_void_p * 2)(ctypes.addressof(buf), 8)
                remote = (ctypes.c_void_p * 2)(0x400000, 8)
                print("vm_writev", libc.process_vm_writev({grader}, local, 1, remote, 1, 0),
                      ctypes.get_errno())
                print("vm_readv", libc.process_vm_readv({grader}, local, 1, remote, 1, 0),
                      ctypes.get_errno())
                print("pidfd", libc.syscall(434, {grader}, 0), ctypes.get_errno())
                for path in ("/proc/{grader}/mem", "/proc/{grader}/cwd/x", "/proc/{grader}/root",
                             "/proc/{grader}/fd", "/proc/{grader}/environ", "/proc/self/mem"):
                    try:
                        with open(path, "r+b") as f:
                            f.write(b"x")
                        print("opened", path)
                    except OSError as exc:
                        print("refused", path, type(exc).__name__)
                # the sandbox's parent: the namespace's init, or the launcher
                parent = os.getppid()
                for name in ("mem", "environ", "cwd/x", "root/etc/passwd", "fd/0"):
                    try:
                        open("/proc/{{}}/{{}}".format(parent, name), "rb").read(1)
                        print("opened parent", name)
                    except OSError as exc:
                        print("refused parent", name, type(exc).__name__)
                try:
                    print("listed parent fds", os.listdir("/proc/{{}}/fd".format(parent)))
                except OSError as exc:
                    print("refused parent fd", type(exc).__name__)
                """.format(grader=grader, bystander=bystander.pid))
        assert "signalled {}".format(grader) not in out
        assert "signalled {}".format(bystander.pid) not in out
        assert "signalled -1" not in out and "opened /proc/{}".format(grader) not in out
        assert "opened parent" not in out and "listed parent" not in out
        assert "ptrace -1 " in out and "vm_writev -1 " in out and "vm_readv -1 " in out
        assert "pidfd -1 " in out
        assert state_of(grader) in "RS" and state_of(bystander.pid) in "RS"
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()


@needs_sandbox
def test_exit_in_a_function_is_a_crash_then_restart_replays(course):
    with sandbox(course["alice"]) as proc:
        cell_ok(proc, """
            import os
            base = 10
            def die():
                os._exit(3)
            def add(x):
                return base + x
            """)
        assert proc.run_cell("1/0").status == "error"
        with pytest.raises(StudentCrashed, match="exited with status 3"):
            proc.call("die")
        assert proc.call("add", 5) == 15
        assert proc.restarts == 1


@needs_sandbox
def test_crashed_cell_is_not_replayed_and_restarts_are_bounded(course):
    with sandbox(course["alice"], max_restarts=2) as proc:
        cell_ok(proc, "count = 1")
        for _ in range(2):
            result = proc.run_cell("import os; os._exit(9)")
            assert result.status == "crashed" and "status 9" in result.reason
            assert "1" in cell_ok(proc, "print(count)")
        assert proc.run_cell("import os; os._exit(9)").status == "crashed"
        with pytest.raises(StudentCrashed, match="gave up after 2 restarts"):
            proc.run_cell("print(count)")
        with pytest.raises(StudentCrashed, match="gave up"):
            proc.call("anything")


@needs_sandbox
def test_infinite_loop_in_a_cell_times_out(course):
    with sandbox(course["alice"], cell_timeout=2) as proc:
        cell_ok(proc, "x = 1")
        start = time.monotonic()
        result = proc.run_cell("while True:\n    x += 1")
        assert result.status == "timeout"
        assert result.reason == "the cell ran longer than 2 s and was stopped"
        assert time.monotonic() - start < 5
        assert cell_ok(proc, "print(x)") == "1\n"


@needs_sandbox
@pytest.mark.parametrize("body", ["while True: pass", "import time; time.sleep(60)"])
def test_functions_that_never_return_time_out(course, body):
    with sandbox(course["alice"], call_timeout=1) as proc:
        cell_ok(proc, "def stuck():\n    {}\ndef fine():\n    return 'ok'".format(body))
        with pytest.raises(StudentTimeout, match="call of stuck\\(\\) ran longer than the 1 s"):
            proc.call("stuck")
        assert proc.call("fine") == "ok"


@needs_sandbox
def test_the_submission_deadline_cuts_every_request(course):
    with sandbox(course["alice"], call_timeout=30, cell_timeout=30) as proc:
        cell_ok(proc, "def stuck():\n    import time\n    time.sleep(60)")
        start = time.monotonic()
        proc.deadline = start + 1.5
        with pytest.raises(StudentTimeout, match="the submission's time limit ran out during the call of stuck"):
            proc.call("stuck")
        assert proc.run_cell("import time; time.sleep(60)").reason == (
            "the submission's time limit ran out during the cell")
        assert time.monotonic() - start < 10


@needs_sandbox
def test_output_is_capped_and_fast(course):
    with sandbox(course["alice"], max_output_chars=1000) as proc:
        start = time.monotonic()
        result = proc.run_cell("print('x' * 50_000_000)")
        assert result.stdout.startswith("x" * 1000)
        assert "[... 49999001 characters dropped]" in result.stdout
        result = proc.run_cell("for i in range(1_000_000):\n    print(i)")
        assert len(result.stdout) < 1100 and "characters dropped" in result.stdout
        cell_ok(proc, "def noisy():\n    for i in range(100_000): print(i)\n    return 1")
        assert proc.call("noisy") == 1
        assert len(proc.last_output) < 1100
        result = proc.run_cell("raise ValueError('v' * 10_000_000)")
        assert result.status == "error" and len(result.error.evalue) < 20_000
        assert time.monotonic() - start < 15


@needs_sandbox
def test_memory_is_capped(course, memory_bound):
    with sandbox(course["alice"], memory_bytes=1024**3) as proc:
        for source in ("import numpy as np; a = np.ones(5 * 1024**3 // 8)",
                       "b = bytearray(5 * 1024**3)"):
            result = proc.run_cell(source)
            assert result.status == "error" and result.error.ename in (
                "MemoryError", "_ArrayMemoryError"), result
        assert cell_ok(proc, "print(len(bytearray(10**8)))") == "100000000\n"


@needs_sandbox
def test_memory_across_processes_is_bounded_per_submission(course, memory_bound):
    with sandbox(course["alice"], memory_bytes=1024**3, cell_timeout=30) as proc:
        cell_ok(proc, "pass")
        group = proc._sandbox.cgroup
        result = proc.run_cell("""
import os, time
children = []
for _ in range(6):
    try:
        pid = os.fork()
    except OSError as exc:
        print("fork refused", exc.errno)
        break
    if pid == 0:
        hoard = bytearray(250 * 1024**2)
        for offset in range(0, len(hoard), 4096):
            hoard[offset] = 1
        time.sleep(3)
        os._exit(0)
    children.append(pid)
print(len(children), "children")
for pid in children:
    os.waitpid(pid, 0)
""")
        if group is None:
            assert result.status == "ok" and "fork refused 11" in result.stdout, result
        elif result.status == "crashed":
            assert "memory" in result.reason, result
        else:
            # the cgroup's out-of-memory killer took the submission's processes, not the grader
            assert group.oom_kills() >= 1 and group.peak_memory() <= 1024**3, result
        assert cell_ok(proc, "print('alive')") == "alive\n"


def processes_of(uid):
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                found.append(entry.name)
        except OSError:
            pass
    return found


@needs_sandbox
@pytest.mark.slow
def test_fork_bomb_is_bounded_and_killed(course):
    with sandbox(course["alice"], cell_timeout=3, max_processes=32) as proc:
        cell_ok(proc, "pass")
        uid, cgroup = proc._sandbox.uid, proc._sandbox.cgroup
        result = proc.run_cell("""
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
""")
        assert result.status == "timeout"
        if uid is not None:
            assert processes_of(uid) == []
        if cgroup is not None:
            assert not any(os.path.exists(d) for d in cgroup.dirs.values())
        assert cell_ok(proc, "print('alive')") == "alive\n"
        if not proc._sandbox.processes:
            # one process, no threads: the fork never happened
            out = cell_ok(proc, """
                import os, threading
                try:
                    os.fork()
                except OSError as exc:
                    print("fork", exc.errno)
                try:
                    threading.Thread(target=print).start()
                except RuntimeError as exc:
                    print("thread", exc)
                """)
            assert out.startswith("fork 11\nthread ")
        else:
            cell_ok(proc, "import os\nfor _ in range(5):\n    os.fork() or os._exit(0)")
            assert len(proc._sandbox.cgroup.members()) <= 32


@needs_sandbox
def test_a_submissions_processes_share_one_cpu(course):
    proc = sandbox(course["alice"], cell_timeout=20)
    proc.deadline = time.monotonic() + 60
    with proc:
        out = cell_ok(proc, """
            import os, resource, time
            print(resource.getrlimit(resource.RLIMIT_CPU)[0])
            start = time.monotonic()
            try:
                for _ in range(3):
                    if os.fork() == 0:
                        while time.monotonic() < start + 2:
                            pass
                        os._exit(0)
            except OSError as exc:
                print("fork", exc.errno)
            else:
                while True:
                    try:
                        os.wait()
                    except ChildProcessError:
                        break
                times = os.times()
                print(times.children_user + times.children_system, time.monotonic() - start)
            """)
        group, processes = proc._sandbox.cgroup, proc._sandbox.processes
        assert processes == (group is not None and group.cpus == 1)
    lines = out.splitlines()
    # no process may spin past the deadline (60 s), nor past the grace to kill it (10 s)
    assert 0 < int(lines[0]) <= 70
    if not processes:
        assert lines[1] == "fork 11"
    else:
        # three spinners on two or more cores, together held to one
        cpu, wall = map(float, lines[1].split())
        assert cpu < 1.3 * wall, (cpu, wall)


@needs_sandbox
def test_network_is_unreachable(course, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    path = tempfile.mktemp(prefix="initgrader-test-", suffix=".sock")
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(path)
    unix.listen(1)
    unix.settimeout(0.5)
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind("\0initgrader-test-{}".format(os.getpid()))
    abstract.listen(1)
    abstract.settimeout(0.5)
    try:
        with sandbox(course["alice"]) as proc:
            out = cell_ok(proc, """
                import ctypes, socket
                for family, address in [(socket.AF_INET, ("127.0.0.1", {port})),
                                        (socket.AF_INET, ("8.8.8.8", 53)),
                                        (socket.AF_INET6, ("::1", {port})),
                                        (socket.AF_UNIX, {path!r}),
                                        (socket.AF_UNIX, "\\0initgrader-test-{pid}")]:
                    try:
                        socket.socket(family).connect(address)
                        print("connected", address)
                    except OSError as exc:
                        print(type(exc).__name__, exc.errno)
                for kind in (socket.SOCK_DGRAM, socket.SOCK_RAW):
                    try:
                        socket.socket(socket.AF_INET, kind, 0 if kind == socket.SOCK_DGRAM else 1)
                        print("created", kind)
                    except OSError as exc:
                        print(type(exc).__name__, exc.errno)
                try:
                    socket.socket(16, socket.SOCK_RAW, 0)
                    print("created netlink")
                except OSError as exc:
                    print(type(exc).__name__, exc.errno)
                """.format(port=port, path=path, pid=os.getpid()))
        assert "connected" not in out and "created" not in out
        for server in (listener, unix, abstract):
            with pytest.raises(socket.timeout):
                server.accept()
    finally:
        for server in (listener, unix, abstract):
            server.close()
        os.unlink(path)


@needs_sandbox
def test_shadowing_numpy_and_builtins_only_changes_the_return_value(course):
    with sandbox(course["alice"]) as proc:
        cell_ok(proc, """
            import numpy, builtins, sys
            real = numpy
            def make():
                return real.arange(3.0), (1, 2), {"k": real.float32(2)}
            np = None
            isinstance = lambda *args: True
            len = lambda *args: 0
            numpy = None
            sys.modules["numpy"] = None
            """)
        array, pair, mapping = proc.call("make")
        assert type(array) is np.ndarray and np.array_equal(array, [0.0, 1.0, 2.0])
        assert pair == (1, 2)
        assert type(mapping["k"]) is np.float32
        kinds = proc.lookup(["np", "isinstance", "real", "sys"])
        assert kinds == {"np": ("value", None), "isinstance": ("function", None),
                         "real": ("unsupported", "module"), "sys": ("unsupported", "module")}


@needs_sandbox
def test_custom_objects_come_back_opaque(course):
    with sandbox(course["alice"]) as proc:
        cell_ok(proc, """
            class Foo:
                def __reduce__(self):
                    raise RuntimeError("never pickled")
            def make():
                return Foo(), [Foo()]
            obj = Foo()
            """)
        single, listed = proc.call("make")
        assert isinstance(single, Opaque) and single.typename == "Foo"
        assert repr(listed[0]) == "<Foo object from the submission>"
        assert proc.lookup(["obj", "Foo"]) == {"obj": ("unsupported", "Foo"),
                                               "Foo": ("function", None)}


@needs_sandbox
@pytest.mark.parametrize("attack", ["giant_length.py", "bad_dtype.py", "not_json.py"])
def test_forged_messages_count_as_crashes(course, attack):
    with sandbox(course["alice"], call_timeout=20) as proc:
        cell_ok(proc, (ATTACKS / attack).read_text())
        start = time.monotonic()
        with pytest.raises(StudentCrashed, match="invalid message"):
            proc.call("forge")
        assert time.monotonic() - start < 10
        assert proc.lookup(["forge"]) == {"forge": ("function", None)}


@needs_sandbox
@pytest.mark.parametrize("attack", ["nested_braces", "many_items", "huge_binary", "lying_shape",
                                    "aliased_arrays"])
def test_hostile_replies_cost_the_submission_not_the_grader(course, attack):
    with sandbox(course["alice"], call_timeout=20) as proc:
        cell_ok(proc, (ATTACKS / "hostile_replies.py").read_text())
        start = time.monotonic()
        with pytest.raises(StudentCrashed, match="invalid message"):
            proc.call(attack)
        assert time.monotonic() - start < 10
        assert proc.call("size", [1, 2]) == 2


@needs_sandbox
def test_large_honest_results_are_an_error_not_a_crash(course):
    with sandbox(course["alice"], reply_floor_bytes=1024**2, reply_factor=2) as proc:
        cell_ok(proc, """
            import numpy as np
            def big(n):
                return np.zeros(n)
            def echo(a):
                return a
            """)
        with pytest.raises(StudentCodeError, match="ResultTooLarge"):
            proc.call("big", 1024**2)
        # the cap grows with what the grader sent
        assert proc.call("echo", np.ones(1024**2)).shape == (1024**2,)
        with pytest.raises(StudentCodeError, match="ResultTooLarge"):
            proc.call("echo", list(range(200_000)))
        assert proc.call("echo", list(range(1000))) == list(range(1000))


@needs_sandbox
def test_replies_forged_ahead_never_answer_later_requests(course):
    with sandbox(course["alice"]) as proc:
        result = proc.run_cell((ATTACKS / "forge_ahead.py").read_text())
        assert result.status == "crashed" and "does not match" in result.reason
        result = proc.run_cell("assert False, 'hidden test'")
        assert result.status == "error" and result.error.ename == "AssertionError"


@needs_sandbox
def test_stderr_and_warnings_never_raise(course):
    with sandbox(course["alice"]) as proc:
        result = proc.run_cell(textwrap.dedent("""
            import sys, warnings
            sys.stderr.write("to stderr\\n")
            warnings.warn("careful")
            print("to stdout")
            def warns():
                warnings.warn("inside", RuntimeWarning)
                print("noise", file=sys.stderr)
                return 5
            """))
        assert result.status == "ok"
        assert "to stderr" in result.stderr and "careful" in result.stderr
        assert result.stdout == "to stdout\n"
        assert proc.call("warns") == 5
        assert "inside" in proc.last_output and "noise" in proc.last_output


@needs_sandbox
def test_errors_carry_only_student_frames(course):
    with sandbox(course["alice"]) as proc:
        cell_ok(proc, "def bad(x):\n    raise ValueError('no ' + x)")
        with pytest.raises(StudentCodeError) as info:
            proc.call("bad", "way")
        assert str(info.value) == "ValueError: no way"
        trace = info.value.remote.traceback
        assert "worker.py" not in trace and "\x1b[" not in trace
        assert "raise ValueError" in trace
        result = proc.run_cell("bad('cell')")
        assert result.status == "error" and "IPython" not in result.error.traceback
        assert proc.run_cell("def (:").error.ename == "SyntaxError"
        with pytest.raises(StudentCodeError, match="NameError"):
            proc.call("missing")


@needs_sandbox
def test_arguments_are_copies_and_values_roundtrip(course):
    with sandbox(course["alice"]) as proc:
        cell_ok(proc, """
            import numpy as np
            def mutate(a, d):
                a[0] = 99
                d["new"] = 1
                return a, d, np.float32(1.5), np.array(3)
            """)
        a, d = np.zeros(3), {"x": 1}
        ra, rd, scalar, zero_d = proc.call("mutate", a, d)
        assert a[0] == 0 and d == {"x": 1}
        assert ra[0] == 99 and rd == {"x": 1, "new": 1}
        assert type(scalar) is np.float32 and zero_d.shape == ()


@needs_sandbox
def test_each_sandbox_starts_clean(course):
    source = "import random, numpy\nprint('leak' in dir(), random.random(), numpy.random.rand())"
    with sandbox(course["alice"]) as first, sandbox(course["bob"]) as second:
        one = cell_ok(first, source)
        cell_ok(first, "leak = 1")
        two = cell_ok(second, source)
        assert one.startswith("False") and two.startswith("False")
        assert one.split()[1:] != two.split()[1:]
        assert len(set(one.split()[1:] + two.split()[1:])) == 4


@needs_sandbox
def test_concurrent_sandboxes_cannot_reach_each_other(course):
    with sandbox(course["alice"]) as first, sandbox(course["bob"]) as second:
        where = cell_ok(first, "import os, tempfile\nopen('mine.txt', 'w').write('alice')\n"
                               "open(os.path.join(tempfile.gettempdir(), 't.txt'), 'w').write('a')\n"
                               "print(os.getcwd())\nprint(tempfile.gettempdir())\nprint(os.getpid())").split()
        uids = [p.run_cell("import os; print(os.getuid())").stdout for p in (first, second)]
        if first._sandbox.uid is not None:
            assert uids[0] != uids[1]
        # Under namespaces the same paths and pids name the second sandbox's own things.
        modes = ("r",) if NAMESPACED else ("r", "a")
        out = cell_ok(second, """
            import os
            print(os.path.exists("answers.txt"), os.path.exists("helper.py"))
            for path in ({cwd!r} + "/mine.txt", {tmp!r} + "/t.txt", {cwd!r} + "/helper.py"):
                for mode in {modes!r}:
                    try:
                        open(path, mode).close()
                        print("opened", path, mode)
                    except OSError as exc:
                        print(type(exc).__name__)
            if {pid} != os.getpid():
                try:
                    os.kill({pid}, 9)
                    print("killed")
                except OSError as exc:
                    print(type(exc).__name__)
            """.format(cwd=where[0], tmp=where[1], pid=where[2], modes=modes))
        assert out.startswith("True False") and "opened" not in out and "killed" not in out
        assert cell_ok(first, "print(open('mine.txt').read())") == "alice\n"


@needs_sandbox
@pytest.mark.skipif(os.uname().machine != "x86_64", reason="raw syscall numbers are x86_64's")
def test_keyrings_carry_nothing_between_submissions(course):
    source = """
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING = -4, -3
        made = libc.syscall(248, b"user", b"initgrader-carry", b"print('pwned')", 14,
                            KEY_SPEC_USER_KEYRING)
        print("add_key", made, ctypes.get_errno())
        found = libc.syscall(249, b"user", b"initgrader-carry", None, 0)
        print("request_key", found, ctypes.get_errno())
        print("keyctl", libc.syscall(250, 0, KEY_SPEC_SESSION_KEYRING, 0), ctypes.get_errno())
        """
    for workdir in (course["alice"], course["bob"]):
        with sandbox(workdir) as proc:
            out = cell_ok(proc, source)
            assert out.splitlines() == ["add_key -1 38", "request_key -1 38", "keyctl -1 38"]


@needs_sandbox
@pytest.mark.skipif(os.uname().machine != "x86_64", reason="raw syscall numbers are x86_64's")
def test_kernel_interfaces_outside_namespaces_are_refused(course):
    with sandbox(course["alice"]) as proc:
        out = cell_ok(proc, """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            libc.syscall.restype = ctypes.c_long
            calls = {"bpf": (321, 0, 0, 0), "perf_event_open": (298, 0, 0, -1, -1, 0),
                     "userfaultfd": (323, 0), "io_uring_setup": (425, 1, 0),
                     "io_setup": (206, 1, 0), "memfd_create": (319, b"x", 0),
                     "memfd_secret": (447, 0), "shmget": (29, 0, 4096, 0o1000),
                     "msgget": (68, 0, 0o1000), "semget": (64, 0, 1, 0o1000),
                     "mq_open": (240, b"/x", 0o100, 0o600, None),
                     "inotify_init1": (294, 0), "fanotify_init": (300, 0, 0),
                     "kexec_load": (246, 0, 0, 0, 0), "init_module": (175, 0, 0, b""),
                     "setns": (308, 0, 0), "pidfd_getfd": (438, 0, 0, 0), "kcmp": (312, 1, 1, 0, 0, 0),
                     "name_to_handle_at": (303, -100, b"/", 0, 0, 0),
                     "modify_ldt": (154, 0, 0, 0), "personality": (135, 0x0040000),
                     "clone3": (435, 0, 0), "sync": (162,)}
            for name, call in calls.items():
                result = libc.syscall(*call)
                print(name, result, ctypes.get_errno() if result < 0 else 0)
            """)
    for line in out.strip().splitlines():
        name, result, errno_ = line.split()
        assert result == "-1" and errno_ in ("1", "38", "97"), line


@needs_sandbox
def test_memory_outside_the_address_space_is_refused_or_bounded(course, memory_bound):
    with sandbox(course["alice"], tmp_bytes=16 * 1024**2, scratch_bytes=32 * 1024**2,
                 max_file_bytes=8 * 1024**2) as proc:
        out = cell_ok(proc, """
            import mmap, os, tempfile
            def fill(path, total):
                written = 0
                try:
                    with open(path, "wb") as f:
                        while written < total:
                            f.write(bytes(1024**2))
                            written += 1024**2
                except OSError as exc:
                    return "{} after {} MiB".format(type(exc).__name__, written // 1024**2)
                return "wrote {} MiB".format(written // 1024**2)
            for path in ("/dev/shm/hoard", os.path.join(tempfile.gettempdir(), "hoard"), "hoard"):
                print(fill(path, 5 * 1024**3))
                if os.path.exists(path):
                    os.remove(path)
            try:
                os.memfd_create("hoard")
                print("memfd created")
            except OSError as exc:
                print("memfd", exc.errno)
            try:
                m = mmap.mmap(-1, 5 * 1024**3, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)
                print("shared anonymous", len(m))
            except OSError as exc:
                print("shared anonymous", exc.errno)
            """)
    lines = out.splitlines()
    assert lines[0].startswith(("FileNotFoundError after 0", "PermissionError after 0"))
    assert all(line.split()[-2] in ("8", "16") or line.startswith("OSError") for line in lines[1:3]), out
    assert lines[3:] == ["memfd 38", "shared anonymous 12"]


def assert_disk_budget_held(proc, result):
    """Six 8 MiB files at most on a 48 MiB budget: a tmpfs refuses the next write; elsewhere the watchdog
    stops the sandbox, which the grader restarts."""
    if NAMESPACED:
        assert result.status == "ok" and "refused" in result.stdout
        assert int(result.stdout.split()[1]) <= 6
    else:
        assert result.status == "crashed" and "more than 48 MiB" in result.reason, result
    assert cell_ok(proc, "print('alive')") == "alive\n"


@needs_sandbox
def test_disk_is_bounded_per_submission(course):
    with sandbox(course["alice"], scratch_bytes=48 * 1024**2, max_file_bytes=8 * 1024**2,
                 cell_timeout=20) as proc:
        result = proc.run_cell("""
import os, time
for number in range(100):
    try:
        with open("part{}".format(number), "wb") as f:
            f.write(bytes(8 * 1024**2))
    except OSError as exc:
        print("refused", number, type(exc).__name__)
        break
    time.sleep(0.05)
""")
        assert_disk_budget_held(proc, result)


@needs_sandbox
@pytest.mark.parametrize("hold", ["descriptor", "mapping", "tmpfile"])
def test_files_no_folder_lists_count_against_the_disk_budget(course, hold):
    # Unlinked while open or mapped, or made without a name: the blocks stay taken.
    with sandbox(course["alice"], scratch_bytes=48 * 1024**2, max_file_bytes=8 * 1024**2,
                 cell_timeout=20) as proc:
        result = proc.run_cell("""
import mmap, os, time
held = []
for number in range(100):
    try:
        if {hold!r} == "tmpfile":
            fd = os.open(".", os.O_TMPFILE | os.O_RDWR, 0o600)
        else:
            fd = os.open("part{{}}".format(number), os.O_CREAT | os.O_RDWR, 0o600)
            os.unlink("part{{}}".format(number))
        os.write(fd, bytes(8 * 1024**2))
        if {hold!r} == "mapping":
            held.append(mmap.mmap(fd, 4096))
            os.close(fd)
        else:
            held.append(fd)
    except OSError as exc:
        print("refused", number, type(exc).__name__)
        break
    time.sleep(0.05)
""".format(hold=hold))
        assert_disk_budget_held(proc, result)


@needs_sandbox
def test_files_cannot_grow_past_their_limit_or_hide_from_the_watchdog(course):
    with sandbox(course["alice"], max_file_bytes=8 * 1024**2) as proc:
        out = cell_ok(proc, """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            fd = os.open("f", os.O_CREAT | os.O_RDWR, 0o600)
            # posix_fallocate still works, by writing, at a speed the disk watchdog keeps up with
            os.posix_fallocate(fd, 0, 1024**2)
            # fallocate itself reserves gigabytes in a millisecond; FALLOC_FL_KEEP_SIZE (1) past the end of a file,
            # where RLIMIT_FSIZE does not look
            print(libc.fallocate(fd, 0, ctypes.c_long(0), ctypes.c_long(1024**3)), ctypes.get_errno(),
                  libc.fallocate(fd, 1, ctypes.c_long(0), ctypes.c_long(64 * 1024**2)), ctypes.get_errno(),
                  os.fstat(fd).st_blocks * 512 // 1024**2)
            # an undumpable process's descriptors and mappings are hidden from the launcher
            print(libc.prctl(4, 0, 0, 0, 0), ctypes.get_errno())
            """)
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["-1", "95", "-1", "95"] and int(lines[0].split()[4]) <= 2, out
    assert lines[1] == "-1 1", out


@needs_sandbox
def test_deep_directory_trees_are_bounded_and_removed(course):
    with sandbox(course["alice"], cell_timeout=20, max_files=2000) as proc:
        out = cell_ok(proc, """
            import os, tempfile
            for base in (".", tempfile.gettempdir()):
                made = 0
                path = os.path.join(base, "d")
                try:
                    while made < 100_000:
                        os.mkdir(path)
                        path = os.path.join(path, "d") if len(path) < 3000 else (os.chdir(path) or "d")
                        made += 1
                except OSError as exc:
                    print(base == ".", "stopped", type(exc).__name__, made)
                os.chdir(os.path.expanduser("~") if base == "." else os.getcwd())
            """)
        assert "stopped" in out
        for line in out.splitlines():
            assert int(line.split()[-1]) <= 2000


@needs_sandbox
def test_grader_memory_stays_flat_during_hostile_replies(course, tmp_path, memory_bound):
    script = tmp_path / "grader.py"
    script.write_text(textwrap.dedent("""
        import resource, sys
        from initgrader.sandbox import Limits, StudentCrashed, StudentProcess, process
        process.USE_FORKSERVER = sys.argv[3] == "forkserver"
        with StudentProcess(sys.argv[1], Limits(call_timeout=60)) as proc:
            proc.run_cell(open(sys.argv[2]).read())
            proc.call("size", [1])
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            for attack in ("nested_braces", "many_items", "huge_binary", "lying_shape",
                           "full_binary"):
                try:
                    proc.call(attack)
                except StudentCrashed:
                    pass
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(before, after)
        """))
    path = "forkserver" if process.USE_FORKSERVER else "exec"
    result = subprocess.run([sys.executable, str(script), str(course["alice"]),
                             str(ATTACKS / "hostile_replies.py"), path],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    before, after = map(int, result.stdout.split()[-2:])
    # ru_maxrss is in KiB. The replies announced 250 MB of JSON, a terabyte of arrays and a
    # million JSON items, and sent the whole 32 MiB the grader reads of arrays by default.
    assert after - before < 64 * 1024, (before, after)


@needs_sandbox
def test_lone_surrogates_arrive_as_valid_text(course):
    # one lone surrogate in a notebook makes nbgrader's UTF-8 write of it fail, and the submission go ungraded
    with sandbox(course["alice"]) as proc:
        result = proc.run_cell("import sys\nprint('x\\udc80y'); print('\\ud800', file=sys.stderr)\n"
                               "class E\u00e9(Exception): pass\nraise E\u00e9('\\udfff \\U0001f600')")
        assert result.stdout == "x\ufffdy\n" and result.stderr == "\ufffd\n"
        assert result.error.ename == "E\u00e9" and result.error.evalue == "\ufffd \U0001f600"
        assert "E\u00e9: \ufffd \U0001f600" in result.error.traceback
        cell_ok(proc, "def f():\n    print('\\udc80')\n    return {'k\\udc80': ['\\ud800', 'ok \\U0001f600']}")
        assert proc.call("f") == {"k\ufffd": ["\ufffd", "ok \U0001f600"]}
        assert proc.last_output == "\ufffd\n"
        for text in (result.stdout, result.stderr, result.error.evalue, result.error.traceback):
            text.encode("utf-8")
