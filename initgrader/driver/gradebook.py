"""The coordinator's side of the gradebook: snapshot for workers, merge of results."""
import os
import sqlite3
import tempfile
import warnings

import sqlalchemy as sa

from nbgrader.api import Base, BaseCell, Comment, Grade, MissingEntry


def snapshot(db_url):
    """Copy the course gradebook, whatever its backend, into SQLite bytes.

    Workers start from the same rows the sequential run would see (the
    assignment definition, but also extensions and manual scores).
    """
    with tempfile.TemporaryDirectory(prefix="initgrader-snapshot-") as tmp:
        path = os.path.join(tmp, "gradebook.db")
        source, target = sa.create_engine(db_url), sa.create_engine("sqlite:///" + path)
        try:
            Base.metadata.create_all(target)
            with source.connect() as src, target.begin() as dst:
                for table in Base.metadata.sorted_tables:
                    rows = [row._asdict() for row in src.execute(sa.select(table))]
                    if rows:
                        dst.execute(table.insert(), rows)
                # Copied as is so that opening the snapshot needs no alembic run.
                version = src.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
                dst.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
                dst.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": version})
        finally:
            source.dispose()
            target.dispose()
        # One self-contained file: no journal or WAL left beside it.
        sqlite3.connect(path).close()
        with open(path, "rb") as f:
            return f.read()


def merge(gb, assignment, result):
    """Write one worker's rows into the open gradebook ``gb`` as
    ``nbgrader autograde`` would, and commit."""
    rows = result.rows
    if not rows:
        return
    try:
        _merge(gb, assignment, result.student, rows)
    except Exception:
        # Keep the session usable for the next result.
        gb.db.rollback()
        raise


def _merge(gb, assignment, student, rows):
    with warnings.catch_warnings():
        # nbgrader's add_submission trips SQLAlchemy autoflush warnings that
        # `nbgrader autograde` prints too; here they would garble the progress bar.
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        for course in rows["courses"]:
            # nbgrader's own preprocessors open the gradebook without a course
            # id, which creates the "default_course" row as a side effect.
            gb.check_course(course)
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student)
        _assign(submission, rows["submission"])
        for notebook in submission.notebooks:
            values = rows["notebooks"].get(notebook.name)
            if values is None:
                continue
            _assign(notebook, values["notebook"])
            for kind, table in (("grades", Grade), ("comments", Comment)):
                for row, name in named_rows(gb, table, notebook):
                    _assign(row, values[kind].get(name, {}))
        gb.db.commit()


def named_rows(gb, table, notebook):
    """The grade or comment rows of ``notebook`` with their cells' names, in one query: reading
    ``row.name`` would load each row's cell on its own after every commit."""
    return (gb.db.query(table, BaseCell.name).join(BaseCell, table.cell_id == BaseCell.id)
            .filter(table.notebook_id == notebook.id).all())


def _assign(row, values):
    for name, value in values.items():
        setattr(row, name, value)


def has_assignment(gb, assignment):
    try:
        gb.find_assignment(assignment)
    except MissingEntry:
        return False
    finally:
        # No transaction left open while the workers start.
        gb.db.rollback()
    return True
