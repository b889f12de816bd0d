"""The database URL of a worker's temporary gradebook: SQLite whose compiled SQL every engine of the process shares.

nbgrader opens a new ``Gradebook``, and so a new SQLAlchemy engine with an
empty statement cache, about ten times per submission; compiling the same
ORM queries again each time was a tenth of a worker's time. Every engine
of this dialect uses one process-wide cache, and its dialects compare equal,
so a query compiled for one submission is reused for the next. Opening a
``Gradebook`` also asks whether each of its tables exists: one listing per
connection answers that. The SQL, the file and its rows are exactly SQLite's.

Only a worker's private copy of the gradebook is opened this way: nothing
else writes to it, and nothing drops its tables.
"""
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.util import LRUCache

NAME = "initgrader_scratch"
TABLES = "initgrader_scratch_tables"
STATEMENTS = 500
"""Room to spare: grading one submission runs a few dozen distinct statements."""


class SharedCacheSQLite(SQLiteDialect_pysqlite):
    """pysqlite, with the compiled-statement cache shared by all its engines."""

    supports_statement_cache = True
    compiled = LRUCache(STATEMENTS)

    # The cache's keys hold the dialect: equal dialects make one engine's entries valid for the next.
    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(type(self))

    @classmethod
    def engine_created(cls, engine):
        engine.update_execution_options(compiled_cache=cls.compiled)

    def has_table(self, connection, table_name, schema=None, **kw):
        if schema is None:
            listed = connection.info.get(TABLES)
            if listed is None:
                listed = connection.info[TABLES] = frozenset(self.get_table_names(connection))
            if table_name in listed:
                return True
        # a table created since the listing, a temporary table or another schema: asked as SQLite's dialect asks
        return super().has_table(connection, table_name, schema=schema, **kw)


registry.register(f"sqlite.{NAME}", __name__, "SharedCacheSQLite")


def url(path):
    """The SQLAlchemy URL of the SQLite file at ``path``, opened with the shared cache."""
    return f"sqlite+{NAME}:///{path}"
