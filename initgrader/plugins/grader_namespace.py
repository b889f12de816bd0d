"""Run trusted test-cell code against a submission it can only reach through data.

Test cells come from the source notebook and run in the grader's own
process. Every name they use that the submission defined is fetched from the
student process: values arrive as decoded copies, functions as proxies that
call across the boundary. Nothing the submission did can reach this namespace.

The assignment's own modules (``self_check.py``, ``lesson_tools.py``: the
``.py`` files of ``source/<assignment>/``) are imported from that trusted folder
by file path, never from the submission's copy or from ``sys.path``.
"""
import ast
import builtins
import contextlib
import functools
import io
import time
import types
import warnings
from pathlib import Path


def loaded_names(source):
    """Names the code reads without binding them first; what must come from the submission."""
    tree = ast.parse(source)
    bound, loaded = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            bound.add(node.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in loaded:
            loaded.append(node.id)
    return [name for name in loaded if name not in bound and not hasattr(builtins, name)]


class StudentFunction:
    """Calls the submission's function ``name`` in the student process; takes and returns plain data."""

    def __init__(self, student, name):
        self.student = student
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        return self.student.call(self.__name__, *args, **kwargs)

    def __repr__(self):
        return f"<submission function {self.__name__}>"


@functools.lru_cache(maxsize=64)
def compiled(source, filename):
    return compile(source, filename, "exec", optimize=0)


class SupportModules:
    """Imports the assignment's own modules from its source folder; everything else as usual."""

    def __init__(self, folder):
        self.folder = Path(folder) if folder is not None else None
        self.names = {path.stem for path in self.folder.glob("*.py")} if self.folder is not None else set()
        self.loaded = {}

    def load(self, name):
        if name not in self.loaded:
            path = self.folder / f"{name}.py"
            module = types.ModuleType(name)
            module.__file__ = str(path)
            # compiled here rather than imported: no bytecode cache is written into the course's folder,
            # and its checks stay in force under python -O. Each submission gets a fresh module; only
            # the code object is shared, under a name that does not change with the course's copy (a
            # parallel worker grades each submission in a temporary course of its own).
            exec(compiled(path.read_text(), f"{self.folder.name}/{path.name}"), module.__dict__)
            self.loaded[name] = module
        return self.loaded[name]

    def __call__(self, name, globals=None, locals=None, fromlist=(), level=0):
        top = name.partition(".")[0]
        if level == 0 and top in self.names:
            if name != top:
                raise ImportError(f"{top} is a module of the assignment, not a package")
            return self.load(top)
        return builtins.__import__(name, globals, locals, fromlist, level)


class GraderNamespace:
    """The namespace test cells run in, refreshed from the submission before each cell.

    ``support`` is the assignment's source folder, whose modules test cells may import.
    """

    def __init__(self, student, support=None):
        self.student = student
        guarded = dict(vars(builtins), __import__=SupportModules(support))
        self.trusted = {"__name__": "__grader__", "__builtins__": guarded}

    def fetch(self, names):
        wanted = [name for name in names if name not in self.trusted]
        fetched = {}
        for name, (kind, value) in self.student.lookup(wanted).items() if wanted else ():
            if kind == "function":
                fetched[name] = StudentFunction(self.student, name)
            elif kind == "value":
                fetched[name] = value
        return fetched

    def run(self, source):
        """Execute one test cell; returns (stdout, error or None, seconds)."""
        start = time.perf_counter()
        stdout = io.StringIO()
        fetched, namespace, error = {}, dict(self.trusted), None
        try:
            # optimize=0: the test cell's own assert statements hold under python -O as well
            code = compile(source, "<test cell>", "exec", optimize=0)
            fetched = self.fetch(loaded_names(source))
            namespace.update(fetched)
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()), \
                    warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(code, namespace)
        except Exception as exc:
            error = exc
        for key, value in namespace.items():
            if key not in fetched or value is not fetched[key]:
                self.trusted[key] = value
        return stdout.getvalue(), error, time.perf_counter() - start
