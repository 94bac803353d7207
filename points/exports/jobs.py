"""Exports in the background: a thread of the web process writes the file, the database keeps it.

As for imports (points.imports.jobs): the worker starts once the request that queued the export has
committed; it beats a heartbeat into the export's row every BEAT_EVERY seconds with its progress
(rows written of rows expected); an export still marked running whose heartbeat is older than
EXPORT_STALE_AFTER lost its worker (the app restarted) and whoever lists it next takes it up again,
atomically, from the start. That is safe because the file goes into the database in one transaction
at the end: a run that died left no chunks behind.

The worker reads like a page does: on SQLite a read-only request's transaction begins deferred, beside
the writers (points.extensions), so the worker runs in a request context of a GET, and its short
writes (the heartbeat, the file) take the write turn of their own.
"""
import logging
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from flask import current_app, g, has_request_context
from flask_babel import force_locale
from sqlalchemy import event, insert, or_, select, update
from sqlalchemy.orm import Session

from points.exports import writers
from points.exports.filters import Scope
from points.exports.models import Export, ExportChunk, ExportStatus
from points.extensions import db
from points.timeutil import now_utc

log = logging.getLogger(__name__)

BEAT_EVERY = 2.0  # seconds between heartbeats written to the database
CHUNK_BYTES = 1024 * 1024
PENDING = "points.exports.pending"  # session.info: the exports to start once the session commits
EXPORTS, CHUNKS = Export.__table__, ExportChunk.__table__
RUNNING = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def queue(export):
    """Start the export's worker once the current transaction commits (not at all if it rolls back)."""
    db.session.info.setdefault(PENDING, []).append((current_app._get_current_object(), export.id))


def progress(export):
    """(done, total): this process's worker knows best, the row knows what another process's said."""
    return _live().get(export.id, (export.done, export.total))


def look_after(export):
    """Take the export up again if it is marked running but its worker is gone; True if taken."""
    if export.status not in RUNNING or export.id in _live() or not _stale(export.heartbeat_at):
        return False
    export_id = export.id
    with writing() as connection:
        taken = connection.execute(_take_up(export_id)).rowcount == 1
    if taken:
        log.warning("export %s lost its worker; running it again", export_id)
        _spawn(current_app._get_current_object(), export_id)
    db.session.expire(export)
    return taken


@contextmanager
def reading():
    """Read as a GET request does (see the module's docstring), when not inside a request already."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(method="GET"):
        yield


@contextmanager
def writing():
    """A short transaction of its own, on its own connection, taking SQLite's write turn."""
    turn = g.get("write_turn") if has_request_context() else None
    if has_request_context():
        g.write_turn = True
    try:
        with db.engine.begin() as connection:
            yield connection
    finally:
        if has_request_context():
            g.write_turn = turn


def _stale(heartbeat_at):
    return heartbeat_at is None or heartbeat_at < now_utc() - _stale_after()


def _stale_after():
    return timedelta(seconds=current_app.config["EXPORT_STALE_AFTER"])


def _take_up(export_id):
    still_stale = select(EXPORTS.c.id).where(
        EXPORTS.c.id == export_id, EXPORTS.c.status.in_([str(s) for s in RUNNING]),
        or_(EXPORTS.c.heartbeat_at.is_(None), EXPORTS.c.heartbeat_at < now_utc() - _stale_after()))
    return (update(EXPORTS).where(EXPORTS.c.id.in_(still_stale))
            .values(status=str(ExportStatus.RUNNING), heartbeat_at=now_utc(), done=0, error=None))


# ---- the worker ----

def _live():
    """This process's workers: export id -> (done, total), for this app."""
    return current_app.extensions.setdefault("exports", {})


@event.listens_for(Session, "after_commit")
def _start_pending(session):
    if session.in_nested_transaction():
        return  # a savepoint was released: start only once the whole transaction commits
    for app, export_id in session.info.pop(PENDING, []):
        _spawn(app, export_id)


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session, transaction):
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def _spawn(app, export_id):
    app.extensions.setdefault("exports", {})[export_id] = (0, 0)
    threading.Thread(target=_work, args=(app, export_id), name=f"export-{export_id}", daemon=True).start()


def _work(app, export_id):
    with app.app_context(), reading():
        try:
            _run(export_id)
        except Exception as error:  # whatever broke, the export must not stay "running"
            db.session.rollback()
            log.exception("export %s broke off", export_id)
            _fail(export_id, error)
        finally:
            _live().pop(export_id, None)
            db.session.remove()


def _run(export_id):
    from points.exports.kinds import KINDS, rows

    export = db.session.get(Export, export_id)
    if export is None or export.status not in RUNNING:
        return
    kind, scope, fmt, total = KINDS[export.kind], Scope.from_json(export.filters), export.format, export.total
    beat = _Beat(export_id, total)
    beat(0, force=True)
    with force_locale(export.locale), tempfile.TemporaryDirectory(prefix="points-export-") as folder:
        path = Path(folder) / f"export.{fmt}"
        found = rows(db.session, kind, scope)
        if fmt == "csv":
            with path.open("wb") as file:
                for chunk in writers.csv_chunks(kind.header(), found, progress=beat):
                    file.write(chunk)
        else:
            writers.write_xlsx(path, kind.label, kind.header(), found, progress=beat)
        db.session.commit()  # the read is over
        _keep(export_id, path, beat.done)


def _keep(export_id, path, done):
    """The file into export_chunks and the export marked done, in one transaction."""
    with writing() as connection, path.open("rb") as file:
        connection.execute(CHUNKS.delete().where(CHUNKS.c.export_id == export_id))
        seq = size = 0
        while chunk := file.read(CHUNK_BYTES):
            connection.execute(insert(CHUNKS).values(export_id=export_id, seq=seq, data=chunk))
            seq, size = seq + 1, size + len(chunk)
        now = now_utc()
        connection.execute(update(EXPORTS).where(EXPORTS.c.id == export_id).values(
            status=str(ExportStatus.DONE), done=done, total=done, size=size, chunks=seq,
            finished_at=now, heartbeat_at=now))


def _fail(export_id, error):
    text = f"{type(error).__name__}: {error}"[:2000]
    now = now_utc()
    with writing() as connection:
        connection.execute(update(EXPORTS).where(EXPORTS.c.id == export_id).values(
            status=str(ExportStatus.FAILED), error=text, finished_at=now, heartbeat_at=now))


class _Beat:
    """The writers' progress callback: memory at once, the database every BEAT_EVERY seconds."""

    def __init__(self, export_id, total):
        self.export_id, self.total, self.done, self.last = export_id, total, 0, 0.0

    def __call__(self, done, force=False):
        self.done = done
        _live()[self.export_id] = (done, max(self.total, done))
        if force or time.monotonic() - self.last >= BEAT_EVERY:
            self.last = time.monotonic()
            with writing() as connection:
                connection.execute(update(EXPORTS).where(EXPORTS.c.id == self.export_id).values(
                    status=str(ExportStatus.RUNNING), done=done, heartbeat_at=now_utc()))
