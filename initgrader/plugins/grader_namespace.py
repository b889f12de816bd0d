"""Run trusted test-cell code against a submission it can only reach through data.

Test cells come from the source notebook and run in the grader's own
process. Every name they use that the submission defined is fetched from the
student process: values arrive as decoded copies, functions as proxies that
call across the boundary. Nothing the submission did can reach this namespace.
"""
import ast
import builtins
import contextlib
import io
import time
import warnings


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


class GraderNamespace:
    """The namespace test cells run in, refreshed from the submission before each cell."""

    def __init__(self, student):
        self.student = student
        self.trusted = {"__name__": "__grader__", "__builtins__": builtins}

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
            code = compile(source, "<test cell>", "exec")
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
