"""Sample classes: submissions planted from the test corpus, for the demo, the benchmark and the tests.

A corpus file is a Python module defining some of the graded functions, in
its own way. A planted submission is the release notebook with those
functions in their solution cells and the reference answer in the others.

    python -m support.classroom ASSIGNMENT [--course-dir DIR] [--count N]   (with tests/ on PYTHONPATH)
"""
import argparse
import os
import re
from pathlib import Path

import nbformat
from nbgrader import utils

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SOLUTION = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$", re.MULTILINE)


def defined_functions(code):
    return set(re.findall(r"^def (\w+)\(", code, re.MULTILINE))


def solution_answers(source_notebook):
    """The instructor's answer for every solution cell, without the solution markers."""
    return {cell.metadata.nbgrader["grade_id"]: SOLUTION.sub("", cell.source)
            for cell in source_notebook.cells if utils.is_solution(cell)}


def plant(release_notebook, answers, files=()):
    """The release notebook with its solution cells filled.

    ``answers`` maps grade ids to cell text; each corpus file replaces the
    cells of the functions it defines.
    """
    nb = nbformat.from_dict(release_notebook)
    texts = [Path(path).read_text() for path in files]
    for cell in nb.cells:
        if not utils.is_solution(cell):
            continue
        grade_id = cell.metadata.nbgrader["grade_id"]
        override = [text for text in texts if grade_id in defined_functions(text)]
        if override:
            cell.source = override[-1]
        elif grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def corpus_files(kinds=("correct", "wrong")):
    return sorted(path for kind in kinds for path in (CORPUS / kind).glob("*.py") if not path.name.startswith("_"))


def class_roster(count=None):
    """(student id, corpus files) pairs: the solution, the blank release, then the corpus, cycled to ``count``."""
    base = [("solution", ()), ("blank", None)]
    base += [(f"{path.parent.name}-{path.stem}".replace("_", "-"), (path,)) for path in corpus_files()]
    if count is None:
        return base
    return [(f"s{index:03d}-{base[index % len(base)][0]}", base[index % len(base)][1]) for index in range(count)]


def plant_class(course_dir, assignment, count=None):
    """Write one submission per roster entry into ``course_dir/submitted``; returns the student ids."""
    course_dir = Path(course_dir)
    notebooks = sorted((course_dir / "release" / assignment).glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no release notebooks in {course_dir / 'release' / assignment}; "
                                "run nbgrader generate_assignment first")
    students = []
    for student, files in class_roster(count):
        folder = course_dir / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for release_path in notebooks:
            release = nbformat.read(release_path, as_version=4)
            if files is None:
                nb = release
            else:
                source = nbformat.read(course_dir / "source" / assignment / release_path.name, as_version=4)
                nb = plant(release, solution_answers(source), files)
            nbformat.write(nb, folder / release_path.name)
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
        students.append(student)
    return students


def main(argv=None):
    parser = argparse.ArgumentParser(description="Plant a sample class from the test corpus in submitted/.")
    parser.add_argument("assignment")
    parser.add_argument("--course-dir", default=os.getcwd(), help="the course folder (default: here)")
    parser.add_argument("--count", type=int, default=None,
                        help="number of students (default: one per corpus file, plus the solution and a blank)")
    args = parser.parse_args(argv)
    students = plant_class(args.course_dir, args.assignment, args.count)
    print(f"planted {len(students)} submissions in {Path(args.course_dir) / 'submitted'}")


if __name__ == "__main__":
    main()
