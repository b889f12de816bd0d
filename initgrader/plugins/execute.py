"""The autograde execution step: submission code in a sandbox, test cells in the grader.

It takes the place of nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``.
The scores still come from nbgrader's ``SaveAutoGrades``, which reads the
outputs this step writes: an error output on a test cell costs its points.
"""
import dataclasses
import fnmatch
import os
import tempfile
import time

from nbformat.v4 import new_output
from traitlets import Bool, Enum, Float, Integer, List, Unicode

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import ingest
from ..checks.inputs import use_seed
from ..ingest import context
from ..ingest.tree import locate
from ..sandbox import Limits, StudentCrashed, StudentProcess, StudentTimeout
from .check_inputs import course_secret, submission_seed
from .grader_namespace import GraderNamespace
from .rebuild import grade_id


def is_test(cell):
    return utils.is_grade(cell) and not utils.is_solution(cell)


def error_output(ename, evalue, traceback=None):
    return new_output("error", ename=ename, evalue=evalue, traceback=traceback or [f"{ename}: {evalue}"])


def stream(name, text):
    return new_output("stream", name=name, text=text)


def output_chars(output):
    if output.output_type == "stream":
        return len(output.text)
    if output.output_type == "error":
        return len(output.ename) + len(output.evalue) + sum(map(len, output.traceback))
    return 0


class OutputBudget:
    """The characters of output the notebook has left; a cell that would overdraw them keeps a note instead.

    The sandbox caps each cell's output, but not how many cells print: 15 000
    one-line cells made a 605 MB graded notebook and gigabytes of grader and
    feedback memory.
    """

    def __init__(self, chars):
        self.left = chars
        self.total = chars

    def keep(self, outputs):
        size = sum(map(output_chars, outputs))
        if size <= self.left:
            self.left -= size
            return outputs
        self.left = 0
        return [stream("stderr", f"[Output cut: the notebook's outputs reached the {self.total} characters "
                                 "the grader keeps.]\n")]


class SandboxedExecute(NbGraderPreprocessor):
    """Execute a submission with its code isolated and its tests in the grader's process."""

    cell_timeout = Float(30.0, help="Seconds one submission cell may run.").tag(config=True)
    call_timeout = Float(10.0, help="Seconds one call of a submission function may run.").tag(config=True)
    submission_timeout = Float(300.0, help="Seconds one whole notebook may take.").tag(config=True)
    memory_limit = Integer(2 * 1024**3, help="Bytes of address space for the submission's process.").tag(config=True)
    max_processes = Integer(64, help="Processes and threads the submission may run at once.").tag(config=True)
    isolation = Enum(["auto", "namespaces", "landlock", "none"], "auto",
                     help="How to isolate submission code: 'namespaces' (root, or a user with user "
                          "namespaces), 'landlock' (Landlock and seccomp, no privilege needed), "
                          "'auto' (the strongest available); 'none' needs allow_unisolated.").tag(config=True)
    allow_unisolated = Bool(False, help="Run submissions without isolation when none is available. "
                                        "Only for trusted code.").tag(config=True)
    allow_partial_isolation = Bool(False, help="Run submissions at a level this machine cannot give every "
                                               "protection of (the refusal names the missing ones).").tag(config=True)
    skip_tags = List(Unicode(), ["demo"], help="Cells with any of these tags are not run while grading "
                                               "(figures and demonstrations that no test reads).").tag(config=True)
    max_output_chars = Integer(2_000_000, help="Characters of output kept for the whole notebook; the output of a "
                                               "student cell past them is replaced by a note that it was cut. Test "
                                               "cells keep their verdicts.").tag(config=True)
    max_extra_cells = Integer(200, help="Code cells of the student's own (those without a grade id, which "
                                        "RebuildFromSource carries over) that are run; later ones are not, and "
                                        "the notebook says so. Graded and solution cells always run.").tag(config=True)
    max_scratch_bytes = Integer(100 * 1024**2, help="Submitted files copied into the sandbox, at most.").tag(
        config=True)

    def limits(self):
        return Limits(memory_bytes=self.memory_limit, cell_timeout=self.cell_timeout,
                      call_timeout=self.call_timeout, max_processes=self.max_processes)

    def fill_scratch(self, scratch, resources):
        """Write the submission's accepted files, then the source's non-notebook files, as nbgrader lays them out.

        Both are read through the ingest boundary, so the sandbox receives a
        folder the grader made, of regular files only: a link or special file
        read as root could carry the instructor's files in, or never end.
        """
        coursedir, _ = context.course_of(self)
        student, assignment = resources["nbgrader"]["student"], resources["nbgrader"]["assignment"]
        limits = dataclasses.replace(ingest.Ingest(parent=self).limits(), max_bytes=self.max_scratch_bytes)
        submitted = locate(coursedir, coursedir.submitted_directory, student, assignment)
        files = ingest.read_submission(submitted.path, limits, trusted=submitted.trusted).files
        source = coursedir.format_path(coursedir.source_directory, ".", assignment)
        left = dataclasses.replace(limits, max_bytes=max(0, limits.max_bytes - sum(map(len, files.values()))))
        # the course's own files: hard links there are the instructor's
        given = ingest.read_submission(source, left, trusted=os.path.dirname(source), hard_links=True).files
        files.update((path, data) for path, data in given.items() if not path.endswith(".ipynb"))
        ingest.write_files(scratch, {path: data for path, data in files.items()
                                     if not any(fnmatch.fnmatch(part, pattern) for part in path.split(os.sep)
                                                for pattern in coursedir.ignore)})

    def preprocess(self, nb, resources):
        state = nb.metadata.setdefault("initgrader", {})
        reasons = state.setdefault("reasons", [])
        start = time.monotonic()
        if state.get("unreadable"):
            state["status"] = "unreadable"
            self.fail_tests(nb, "unreadable", state["unreadable"])
            state["seconds"] = time.monotonic() - start
            return nb, resources
        # the hidden checks draw this student's inputs; test cells import the assignment's modules from the source
        coursedir, _ = context.course_of(self)
        student_id, assignment = resources["nbgrader"]["student"], resources["nbgrader"]["assignment"]
        seed = submission_seed(course_secret(coursedir), coursedir.course_id, assignment, student_id)
        support = coursedir.format_path(coursedir.source_directory, ".", assignment)
        with tempfile.TemporaryDirectory(prefix="initgrader-") as scratch:
            self.fill_scratch(scratch, resources)
            with StudentProcess(scratch, self.limits(), isolation=self.isolation,
                                allow_unisolated=self.allow_unisolated,
                                allow_partial=self.allow_partial_isolation) as student, use_seed(seed):
                # no single call or cell may carry the notebook past its whole budget
                student.deadline = start + self.submission_timeout
                self.log.info("Isolation: %s", student.isolation_level)
                state["isolation"] = student.isolation_level
                state["isolation_level"] = student.level
                state["status"] = self.run_cells(nb, student, start, reasons, support)
            for incident in student.incidents:
                self.log.warning("Sandbox of %s: %s", resources["nbgrader"]["student"], incident)
        state["seconds"] = time.monotonic() - start
        return nb, resources

    def run_cells(self, nb, student, start, reasons, support=None):
        grader = GraderNamespace(student, support)
        timed_out, count, extra = False, 0, 0
        budget = OutputBudget(self.max_output_chars)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.outputs = []
            if not timed_out and time.monotonic() - start > self.submission_timeout:
                timed_out = True
                reasons.append(f"The notebook used up its time limit of {self.submission_timeout:g} s; "
                               "the remaining cells were not run.")
            if timed_out:
                if is_test(cell):
                    self.record(cell, "timeout", error_output("NotGraded", reasons[-1]))
                continue
            if set(cell.metadata.get("tags", [])) & set(self.skip_tags) and not is_test(cell):
                continue
            # the source fixes how many cells have a grade id; the student's own cells are unbounded
            if grade_id(cell) is None:
                extra += 1
                if extra > self.max_extra_cells:
                    if extra == self.max_extra_cells + 1:
                        reasons.append(f"The submission has more than {self.max_extra_cells} code cells of its own; "
                                       "this one and those after it were not run.")
                        cell.outputs.append(stream("stderr", reasons[-1] + "\n"))
                    continue
            count += 1
            cell.execution_count = count
            if is_test(cell):
                self.run_test(cell, grader, reasons)
            else:
                self.run_student_cell(cell, student, reasons)
                cell.outputs = budget.keep(cell.outputs)
        if timed_out:
            return "timeout"
        crashed = any(c.metadata.get("initgrader", {}).get("status") == "crashed" for c in nb.cells)
        return "crashed" if crashed else "graded"

    def run_student_cell(self, cell, student, reasons):
        try:
            result = student.run_cell(cell.source)
        except StudentCrashed as error:
            reasons.append(f"The submission's process could not be kept running: {error}")
            cell.outputs.append(error_output("SubmissionCrashed", str(error)))
            return
        for name in ("stdout", "stderr"):
            if getattr(result, name):
                cell.outputs.append(stream(name, getattr(result, name)))
        if result.error is not None:
            cell.outputs.append(error_output(result.error.ename, result.error.evalue,
                                             result.error.traceback.splitlines()))
        if result.status in ("timeout", "crashed"):
            reasons.append(f"A cell of the submission was stopped: {result.reason}")
            cell.outputs.append(error_output("CellTimeout" if result.status == "timeout" else "SubmissionCrashed",
                                             result.reason))

    def run_test(self, cell, grader, reasons):
        stdout, error, seconds = grader.run(cell.source)
        if stdout:
            cell.outputs.append(stream("stdout", stdout))
        if error is None:
            self.record(cell, "passed", None, seconds=seconds)
            return
        # a failed check carries its message on one line (str() wraps it for nbgrader validate's report)
        message = getattr(error, "message", None) or str(error)
        cause = error.__cause__ if isinstance(error.__cause__, (StudentTimeout, StudentCrashed)) else error
        if isinstance(cause, StudentTimeout):
            status = "timeout"
        elif isinstance(cause, StudentCrashed):
            status = "crashed"
        elif isinstance(error, AssertionError):
            status = "failed"
        else:
            status = "error"
        if status in ("timeout", "crashed"):
            reasons.append(f"{cell.metadata.nbgrader['grade_id']}: {message}")
        # and the key of the misconception it found
        misconception = getattr(error, "key", None) if status == "failed" else None
        self.record(cell, status, error_output(type(error).__name__, message), message=message, seconds=seconds,
                    misconception=misconception)

    @staticmethod
    def record(cell, status, output, message="", seconds=0.0, misconception=None):
        if output is not None:
            cell.outputs.append(output)
            message = message or output.evalue
        cell.metadata["initgrader"] = {"status": status, "message": message, "misconception": misconception,
                                       "seconds": round(seconds, 4)}

    def fail_tests(self, nb, status, reason):
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                if is_test(cell):
                    self.record(cell, status, error_output("NotGraded", reason))
