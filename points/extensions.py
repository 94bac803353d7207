"""The Flask extensions, created once and bound to the app in init_app."""
import fcntl
import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from flask import current_app, g, has_request_context, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry

from points.timeutil import as_utc

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A UTC instant, read back with its offset on both databases (SQLite keeps none of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else as_utc(value)

    def process_result_value(self, value, dialect):
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    # Times are stored as UTC instants; pages show them in the scheme's time zone.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def select_locale():
    """The language chosen in the page, else the browser's, else Chinese (also for commands)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app):
    db.init_app(app)
    # The migrations stand beside the package, as templates/ and static/ do.
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record):
    """Foreign keys on, WAL, and a busy timeout, so concurrent writers queue instead of failing."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reads_only():
    """Whether this is a read-only request (GET, HEAD, OPTIONS) outside a write_turn block."""
    return has_request_context() and request.method in READ_METHODS and not g.get("write_turn")


@contextmanager
def write_turn():
    """Write from a read-only request: the block's transactions take SQLite's write turn.

    A read-only request begins deferred (plain BEGIN), so it reads beside a writer; a deferred
    transaction that writes after another writer has committed fails at once ("database is
    locked"). So the request's read transaction ends here, first: nothing read before the block may
    be relied upon inside it (re-read, or let the write's own WHERE decide). Commit inside the block.
    """
    if not reads_only():
        yield
        return
    db.session.commit()  # ends the read transaction; it wrote nothing
    g.write_turn = True
    try:
        yield
    finally:
        g.write_turn = False


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """Reads begin deferred, beside any writer; everything else takes SQLite's write lock at BEGIN,
    in its turn, so a transaction that reads and then writes can never find the database locked."""
    if conn.dialect.name != "sqlite":
        return
    sqlite_connection = conn.connection.driver_connection
    if reads_only():
        conn.exec_driver_sql("BEGIN")
    elif isinstance(sqlite_connection, QueuedConnection):
        sqlite_connection.begin_immediate()
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class QueuedConnection(sqlite3.Connection):
    """A SQLite connection whose transactions wait their turn on an flock beside the database file.

    SQLite's own busy handler retries a locked database after sleeps that grow to 100 ms, so a
    transaction that has waited long keeps losing to newcomers: at 16 concurrent check-ins its p99
    was 1.5 s (`make bench`). The kernel hands an flock to the next waiter the moment it is released,
    across threads and gunicorn's processes alike.
    """

    _held = threading.local()  # the database files whose turn this thread holds (no self-deadlock)

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        path = str(database)
        in_memory = path in ("", ":memory:") or path.startswith("file:")
        self._turn = None if in_memory else os.open(path + ".turn", os.O_RDWR | os.O_CREAT, 0o600)
        self._path, self._holder = path, None  # while a turn is held: its thread's set of held paths

    def begin_immediate(self):
        held = self._held.__dict__.setdefault("paths", set())
        if self._turn is not None and self._path not in held:
            fcntl.flock(self._turn, fcntl.LOCK_EX)
            self._holder = held
            held.add(self._path)
        try:
            self.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._end_turn()
            raise

    def commit(self):
        try:
            super().commit()
        finally:
            self._end_turn()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._end_turn()

    def close(self):
        self._end_turn()
        if self._turn is not None:
            os.close(self._turn)
            self._turn = None
        super().close()

    def _end_turn(self):
        if self._holder is not None:
            # The set of the thread that took the turn: a pool may close a connection from another.
            self._holder.discard(self._path)
            self._holder = None
            fcntl.flock(self._turn, fcntl.LOCK_UN)


def str_enum(cls, name):
    """An enum column stored as its value in a VARCHAR, with a CHECK listing the values."""
    return Enum(
        cls, name=name, native_enum=False, create_constraint=True, length=20,
        values_callable=lambda members: [m.value for m in members],
    )
