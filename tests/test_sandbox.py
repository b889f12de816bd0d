"""Tests of the student sandbox: the codec, and real attacks from student code."""

import collections
import enum
import math
import os
import socket
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from initgrader.sandbox import (IsolationUnavailable, Limits, Opaque,
                                StudentCodeError, StudentCrashed, StudentProcess,
                                StudentTimeout, detect_isolation)
from initgrader.sandbox import process, wire

ATTACKS = Path(__file__).parent / "sandbox_attacks"

needs_namespaces = pytest.mark.skipif(detect_isolation() != "namespaces",
                                      reason="Linux namespaces are not available")


def roundtrip(value):
    return wire.decode(wire.loads(wire.dumps({"v": wire.encode(value)}))["v"])


def decode_json(text):
    return wire.decode(wire.loads(text.encode())["v"])


# --- codec ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 2**100, 1.5, -0.0, "", "héllo \u2603 \ud800",
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


@pytest.mark.parametrize("text", [
    '{"v": {"$": "ndarray", "dtype": "O8", "shape": [1], "data": "AAAAAAAAAAA="}}',
    '{"v": {"$": "ndarray", "dtype": "f8", "shape": [1000000000], "data": "AAAAAAAAAAA="}}',
    '{"v": {"$": "ndarray", "dtype": "f8", "shape": [-1], "data": ""}}',
    '{"v": {"$": "ndarray", "dtype": "f8", "shape": [1.0], "data": "AAAAAAAAAAA="}}',
    '{"v": {"$": "ndarray", "dtype": "f8", "shape": [1], "data": "!!!!!!!!!!!="}}',
    '{"v": {"$": "ndarray", "dtype": "f8", "shape": [1], "data": "AAAAAAAAAAA=", "x": 1}}',
    '{"v": {"$": "npscalar", "dtype": "f8", "data": "AAAA"}}',
    '{"v": {"$": "pickle", "data": ""}}',
    '{"v": {"$": "float", "v": "1e5"}}',
    '{"v": {"$": "dict", "items": [[[1], 2]]}}',
    '{"v": NaN}',
    '{"v": ' + "[" * 40 + "]" * 40 + "}",
    '{"v": ' + "[" * 100000 + "]" * 100000 + "}",
    '{"v": ' + "1" * 5000 + "}",
    '[1, 2]',
    '{"v": 1',
])
def test_decoder_rejects_malformed_input(text):
    with pytest.raises(wire.ProtocolError):
        decode_json(text)


def test_framing_rejects_giant_length_without_allocating():
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, wire.HEADER.pack(wire.MAGIC, 2**62))
        with pytest.raises(wire.ProtocolError, match="exceeds"):
            wire.recv(read_fd, 1024, time.monotonic() + 5)
        wire.send(write_fd, b'{"a":1}')
        assert wire.loads(wire.recv(read_fd, 1024)) == {"a": 1}
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_framing_times_out_on_silence():
    read_fd, write_fd = os.pipe()
    try:
        with pytest.raises(wire.PeerTimeout):
            wire.recv(read_fd, 1024, time.monotonic() + 0.2)
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_unisolated_is_refused_unless_allowed(tmp_path):
    with pytest.raises(IsolationUnavailable):
        StudentProcess(tmp_path, isolation="none")


# --- sandbox -------------------------------------------------------------------------

def snapshot(root):
    """Every path under *root* with its content and mtime."""
    state = {}
    for path in sorted(Path(root).rglob("*")):
        stat = path.lstat()
        content = path.read_bytes() if path.is_file() else None
        state[str(path)] = (stat.st_mode, stat.st_mtime_ns, content)
    return state


@pytest.fixture(params=["forkserver", "exec"])
def course(request, tmp_path, monkeypatch):
    """A fake course root and two students' scratch folders, for both launch paths."""
    monkeypatch.setattr(process, "USE_FORKSERVER", request.param == "forkserver")
    root = tmp_path / "course"
    (root / "source" / "ps1").mkdir(parents=True)
    (root / "source" / "ps1" / "solution.py").write_text("ANSWER = 'secret-solution'\n")
    (root / "gradebook.db").write_text("secret-gradebook")
    (root / "release").mkdir()
    (root / "submitted" / "bob").mkdir(parents=True)
    (root / "autograded").mkdir()
    alice = tmp_path / "scratch" / "alice"
    bob = tmp_path / "scratch" / "bob"
    alice.mkdir(parents=True)
    bob.mkdir(parents=True)
    (alice / "helper.py").write_text("VALUE = 7\n")
    (bob / "answers.txt").write_text("bob-secret")
    before = snapshot(root), snapshot(bob)
    yield {"root": root, "alice": alice, "bob": bob}
    assert (snapshot(root), snapshot(bob)) == before


def sandbox(workdir, **limits):
    return StudentProcess(workdir, Limits(**limits))


def cell_ok(proc, source):
    result = proc.run_cell(textwrap.dedent(source))
    assert result.status == "ok", result
    return result.stdout


@needs_namespaces
def test_student_sees_only_the_allow_list(course):
    secrets = [course["root"] / "source" / "ps1" / "solution.py", course["root"] / "gradebook.db",
               course["root"], course["bob"] / "answers.txt", Path("/root/.bashrc"),
               Path(__file__).resolve().parents[1] / "initgrader"]
    with sandbox(course["alice"]) as proc:
        out = cell_ok(proc, """
            import os, helper
            print(helper.VALUE, os.getcwd(), os.path.expanduser("~"), os.getuid())
            for path in {!r}:
                print(os.path.lexists(path))
            try:
                import initgrader
            except ImportError:
                print("no initgrader")
            """.format([str(p) for p in secrets]))
        lines = out.split("\n")
        assert lines[0].startswith("7 /submission /submission 6")
        assert lines[1:len(secrets) + 1] == ["False"] * len(secrets)
        assert "no initgrader" in out
        assert "namespaces (mount, pid, net, ipc, uts) + chroot + uid" in proc.isolation_level
        out = cell_ok(proc, """
            import os, sys
            print(sorted(os.listdir("/dev")))
            print(os.listdir(os.path.dirname(sys.prefix)) == [os.path.basename(sys.prefix)])
            """)
        assert out.split("\n")[:2] == [
            str(["fd", "null", "random", "stderr", "stdin", "stdout", "urandom", "zero"]),
            "True"]


@needs_namespaces
def test_file_size_is_capped(course):
    with sandbox(course["alice"], max_file_bytes=10 * 1024**2) as proc:
        result = proc.run_cell("open('big.bin', 'wb').write(bytes(20 * 1024**2))")
        assert result.status == "error" and "File too large" in result.error.evalue
    assert (course["alice"] / "big.bin").stat().st_size <= 10 * 1024**2


@needs_namespaces
def test_writes_outside_the_workdir_fail(course, tmp_path):
    marker = "pwned-{}".format(os.getpid())
    targets = ["/etc/" + marker, "/usr/" + marker, "/" + marker, "/.worker/wire.py",
               str(course["root"] / "gradebook.db"), str(course["bob"] / marker),
               "/proc/sys/kernel/hostname"]
    with sandbox(course["alice"]) as proc:
        out = cell_ok(proc, """
            for path in {!r}:
                try:
                    with open(path, "w") as f:
                        f.write("x")
                    print("wrote", path)
                except OSError as exc:
                    print("refused", type(exc).__name__)
            open("/tmp/{}", "w").write("private tmp is fine")
            open("mine.txt", "w").write("own folder is fine")
            """.format(targets, marker))
    assert "wrote" not in out
    assert not Path("/tmp", marker).exists()
    assert (course["alice"] / "mine.txt").read_text() == "own folder is fine"


@needs_namespaces
def test_student_holds_no_privilege(course):
    with sandbox(course["alice"]) as proc:
        out = cell_ok(proc, """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            print([line.split()[1] for line in open("/proc/self/status")
                   if line.startswith(("CapEff", "CapPrm", "CapBnd", "CapAmb"))])
            print(libc.umount2(b"/submission", 2), libc.unshare(0x10000000),
                  libc.unshare(0x00020000))
            os.mkdir("jail")
            try:
                os.chroot("jail")
                print("chrooted")
            except OSError as exc:
                print(type(exc).__name__)
            """)
    assert out.split("\n")[:3] == [str(["0000000000000000"] * 4), "-1 -1 -1", "PermissionError"]


@needs_namespaces
def test_host_environment_is_invisible(course, monkeypatch):
    monkeypatch.setenv("INITGRADER_TEST_SECRET", "hunter2")
    with sandbox(course["alice"]) as proc:
        out = cell_ok(proc, """
            import glob, os
            print(sorted(os.environ))
            for path in glob.glob("/proc/*/environ"):
                try:
                    print(path, open(path, "rb").read())
                except OSError as exc:
                    print(path, type(exc).__name__)
            print(len(glob.glob("/proc/[0-9]*")))
            """)
    assert "hunter2" not in out and "INITGRADER_TEST_SECRET" not in out
    assert "/proc/1/environ PermissionError" in out
    assert int(out.split()[-1]) <= 3


@needs_namespaces
@pytest.mark.parametrize("attack", [
    "import os; os.kill(os.getppid(), 9)",
    "import os; os.kill(1, 9)",
    "import os; os.kill(-1, 9)",
    "import os; os.killpg(os.getpgrp(), 9)",
    "!kill -9 -1",
])
def test_killing_the_parent_only_hurts_the_student(course, attack):
    with sandbox(course["alice"]) as proc:
        cell_ok(proc, "kept = 41")
        result = proc.run_cell(attack)
        assert result.status in ("ok", "error", "crashed")
        assert "42" in cell_ok(proc, "print(kept + 1)")


@needs_namespaces
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


@needs_namespaces
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


@needs_namespaces
def test_infinite_loop_in_a_cell_times_out(course):
    with sandbox(course["alice"], cell_timeout=2) as proc:
        cell_ok(proc, "x = 1")
        start = time.monotonic()
        result = proc.run_cell("while True:\n    x += 1")
        assert result.status == "timeout"
        assert result.reason == "the cell ran longer than 2 s and was stopped"
        assert time.monotonic() - start < 5
        assert cell_ok(proc, "print(x)") == "1\n"


@needs_namespaces
@pytest.mark.parametrize("body", ["while True: pass", "import time; time.sleep(60)"])
def test_functions_that_never_return_time_out(course, body):
    with sandbox(course["alice"], call_timeout=1) as proc:
        cell_ok(proc, "def stuck():\n    {}\ndef fine():\n    return 'ok'".format(body))
        with pytest.raises(StudentTimeout, match="call of stuck\\(\\) ran longer than the 1 s"):
            proc.call("stuck")
        assert proc.call("fine") == "ok"


@needs_namespaces
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


@needs_namespaces
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
        assert time.monotonic() - start < 15


@needs_namespaces
def test_memory_is_capped(course):
    with sandbox(course["alice"], memory_bytes=1024**3) as proc:
        for source in ("import numpy as np; a = np.ones(5 * 1024**3 // 8)",
                       "b = bytearray(5 * 1024**3)"):
            result = proc.run_cell(source)
            assert result.status == "error" and result.error.ename in (
                "MemoryError", "_ArrayMemoryError"), result
        assert cell_ok(proc, "print(len(bytearray(10**8)))") == "100000000\n"


def processes_of(uid):
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                found.append(entry.name)
        except OSError:
            pass
    return found


@needs_namespaces
@pytest.mark.slow
def test_fork_bomb_is_bounded_and_killed(course):
    with sandbox(course["alice"], cell_timeout=3, max_processes=32) as proc:
        uid = int(proc.isolation_level.split("uid ")[1].split()[0])
        result = proc.run_cell("""
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
""")
        assert result.status == "timeout"
        assert processes_of(uid) == []
        assert cell_ok(proc, "print('alive')") == "alive\n"
    assert processes_of(uid) == []


@needs_namespaces
def test_network_is_unreachable(course):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        with sandbox(course["alice"]) as proc:
            out = cell_ok(proc, """
                import socket
                for host in ("127.0.0.1", "8.8.8.8"):
                    try:
                        socket.create_connection((host, {}), timeout=2)
                        print("connected")
                    except OSError as exc:
                        print(type(exc).__name__)
                """.format(port))
        assert "connected" not in out
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


@needs_namespaces
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


@needs_namespaces
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


@needs_namespaces
@pytest.mark.parametrize("attack", ["giant_length.py", "bad_dtype.py", "not_json.py"])
def test_forged_messages_count_as_crashes(course, attack):
    with sandbox(course["alice"], call_timeout=20) as proc:
        cell_ok(proc, (ATTACKS / attack).read_text())
        start = time.monotonic()
        with pytest.raises(StudentCrashed, match="invalid message"):
            proc.call("forge")
        assert time.monotonic() - start < 10
        assert proc.lookup(["forge"]) == {"forge": ("function", None)}


@needs_namespaces
def test_replies_forged_ahead_never_answer_later_requests(course):
    with sandbox(course["alice"]) as proc:
        result = proc.run_cell((ATTACKS / "forge_ahead.py").read_text())
        assert result.status == "crashed" and "does not match" in result.reason
        result = proc.run_cell("assert False, 'hidden test'")
        assert result.status == "error" and result.error.ename == "AssertionError"


@needs_namespaces
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


@needs_namespaces
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


@needs_namespaces
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


@needs_namespaces
def test_each_sandbox_starts_clean(course):
    source = "import random, numpy\nprint('leak' in dir(), random.random(), numpy.random.rand())"
    with sandbox(course["alice"]) as first, sandbox(course["bob"]) as second:
        one = cell_ok(first, source)
        cell_ok(first, "leak = 1")
        two = cell_ok(second, source)
        assert one.startswith("False") and two.startswith("False")
        assert one.split()[1:] != two.split()[1:]
        assert len(set(one.split()[1:] + two.split()[1:])) == 4


@needs_namespaces
def test_concurrent_sandboxes_get_distinct_uids(course):
    with sandbox(course["alice"]) as first, sandbox(course["bob"]) as second:
        assert first.run_cell("import os; print(os.getuid())").stdout != \
            second.run_cell("import os; print(os.getuid())").stdout
        assert "False" in first.run_cell("import os; print(os.path.exists('answers.txt'))").stdout
