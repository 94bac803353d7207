"""Imports in the background: a thread of the web process does the work, the database remembers it.

No server beyond the database is needed. A batch being worked on is marked `checking` or `writing`
with a heartbeat; the worker runs the import (points.imports.residents) in one transaction of its own
and commits at the end, or marks the batch failed with the error. A batch still marked as running
whose heartbeat is older than IMPORT_STALE_AFTER lost its worker (the app restarted or crashed):
whoever reads it next takes it up again, atomically, and runs it from the start. That is safe
because a run commits everything at once or nothing, and always checks the file again.

The worker tells how far it has got in two places: in this process's memory, which the progress
page reads at once, and in the batch's row (stage, done, total, heartbeat_at), in short transactions
of their own, for the other processes. Those writes never wait: on PostgreSQL a row that the run's
own transaction has locked is skipped (the lock itself shows the worker is alive: a dead worker's
transaction ends with its connection); on SQLite the run's transaction holds the write lock from its
first statement, so the row is written only before the run starts, and IMPORT_STALE_AFTER must
exceed the longest run.
"""
import logging
import threading
import time
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, event, or_, select, update
from sqlalchemy.orm import Session

from points.atomic import atomic
from points.errors import NotFound, Refusal
from points.extensions import db, write_turn
from points.imports import residents
from points.imports.models import ImportBatch, ImportStatus
from points.timeutil import now_utc

log = logging.getLogger(__name__)

RUNNING = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.WRITING)
BEAT_EVERY = 2.0  # seconds between heartbeats written to the database
PENDING = "points.imports.pending"  # session.info: the runs to start once the session commits
BATCHES = ImportBatch.__table__


class NotChecked(Refusal):
    code = "import_not_checked"
    message = _l("Only a checked import without problems can be confirmed.")


def start(actor, batch):
    """Run the batch's import: here and now for a small file, else in the background once the
    caller's transaction commits. True when it went to the background (the answer is 202)."""
    if batch.size <= current_app.config["IMPORT_INLINE_BYTES"]:
        residents.import_residents(actor, batch)
        return False
    now = now_utc()
    batch.status = ImportStatus.CHECKING if batch.dry_run else ImportStatus.WRITING
    batch.heartbeat_at = batch.started_at = now
    batch.stage, batch.done, batch.total, batch.error = None, 0, 0, None
    db.session.flush()
    db.session.info.setdefault(PENDING, []).append((current_app._get_current_object(), batch.id))
    return True


@atomic
def confirm(actor, batch):
    """Write a previewed batch: checked again, then written, all or nothing."""
    if batch.status != ImportStatus.CHECKED:
        raise NotChecked()
    batch.dry_run = False
    batch.confirmed_by = actor.id if actor is not None else None
    return start(actor, batch)


def batch_or_404(import_id):
    batch = db.session.get(ImportBatch, import_id)
    if batch is None:
        raise NotFound(_l("No such import."))
    return batch


def running_here(batch):
    """Whether a worker of this process is on the batch."""
    return batch.id in _live()


def progress(batch):
    """(stage, done, total) of a batch being worked on: this process's worker knows best."""
    live = _live().get(batch.id)
    if live is not None:
        return live
    return batch.stage, batch.done, batch.total


def look_after(batch):
    """Take the batch up again if it is marked as running but its worker is gone; True if taken.

    Called by whoever reads a batch (the page, its progress poll, the API). Of several readers at
    once exactly one wins: the UPDATE's WHERE asks again, in the database, for an old heartbeat."""
    if batch.status not in RUNNING or running_here(batch) or not _stale(batch.heartbeat_at):
        return False
    batch_id = batch.id  # read now: the write turn ends the session's transaction, expiring the batch
    with write_turn(), db.engine.begin() as connection:
        taken = connection.execute(_take_up(batch_id, connection.dialect.name)).rowcount == 1
    if taken:
        log.warning("import %s lost its worker; running it again", batch_id)
        _spawn(current_app._get_current_object(), batch_id)
    db.session.expire(batch)
    return taken


def _stale(heartbeat_at):
    limit = timedelta(seconds=current_app.config["IMPORT_STALE_AFTER"])
    return heartbeat_at is None or heartbeat_at < now_utc() - limit


def _take_up(batch_id, dialect):
    limit = now_utc() - timedelta(seconds=current_app.config["IMPORT_STALE_AFTER"])
    now = now_utc()
    still_stale = select(BATCHES.c.id).where(
        BATCHES.c.id == batch_id, BATCHES.c.status.in_([str(s) for s in RUNNING]),
        or_(BATCHES.c.heartbeat_at.is_(None), BATCHES.c.heartbeat_at < limit))
    if dialect == "postgresql":  # a row the worker's own transaction holds is not stale: it is alive
        still_stale = still_stale.with_for_update(skip_locked=True)
    return (update(BATCHES).where(BATCHES.c.id.in_(still_stale))
            .values(heartbeat_at=now, started_at=now, stage=None, done=0, total=0, error=None,
                    status=_running_status(BATCHES.c.dry_run)))


def _running_status(dry_run_column):
    return case((dry_run_column, str(ImportStatus.CHECKING)), else_=str(ImportStatus.WRITING))


# ---- the worker ----

def _live():
    """This process's workers: batch id -> (stage, done, total), for this app."""
    return current_app.extensions.setdefault("imports", {})


@event.listens_for(Session, "after_commit")
def _start_pending(session):
    if session.in_nested_transaction():
        return  # a savepoint was released: the work may start only once the whole transaction commits
    for app, batch_id in session.info.pop(PENDING, []):
        _spawn(app, batch_id)


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session, transaction):
    if transaction.parent is None:  # the whole transaction ended without a commit: nothing to start
        session.info.pop(PENDING, None)


def _spawn(app, batch_id):
    app.extensions.setdefault("imports", {})[batch_id] = (None, 0, 0)
    threading.Thread(target=_work, args=(app, batch_id), name=f"import-{batch_id}", daemon=True).start()


def _work(app, batch_id):
    """Run one batch in its own app context and session; commit at the end or mark it failed."""
    with app.app_context():
        try:
            _run(batch_id)
        except Exception as error:  # whatever broke, the batch must not stay "running"
            db.session.rollback()
            log.exception("import %s broke off", batch_id)
            _fail(batch_id, error)
        finally:
            _live().pop(batch_id, None)
            db.session.remove()


def _run(batch_id):
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.status not in RUNNING:
        return  # the transaction that would have started it did not commit, or another run ended it
    # On whose word: who confirmed the preview, or who uploaded a file imported without one.
    actor = batch.confirmer if batch.confirmed_by is not None else batch.creator
    residents.import_residents(actor, batch, progress=_Reporter(batch_id))
    batch.heartbeat_at = batch.finished_at = now_utc()
    db.session.commit()


def _fail(batch_id, error):
    text = f"{type(error).__name__}: {error}"[:2000]
    now = now_utc()
    with db.engine.begin() as connection:
        connection.execute(update(BATCHES).where(BATCHES.c.id == batch_id)
                           .values(status=str(ImportStatus.FAILED), error=text, finished_at=now, heartbeat_at=now))


class _Reporter:
    """The operation's progress callback: memory at once, the database every BEAT_EVERY seconds."""

    def __init__(self, batch_id):
        self.batch_id, self.last_beat = batch_id, time.monotonic()

    def __call__(self, stage, done, total):
        _live()[self.batch_id] = (stage, done, total)
        if time.monotonic() - self.last_beat >= BEAT_EVERY:
            self.last_beat = time.monotonic()
            _beat(self.batch_id, stage, done, total)


def _beat(batch_id, stage, done, total):
    """Write the heartbeat and progress in a short transaction on a connection of its own, if that
    can be done without waiting for the run's own transaction (see the module's docstring)."""
    if db.engine.dialect.name != "postgresql":
        return
    free = select(BATCHES.c.id).where(BATCHES.c.id == batch_id).with_for_update(skip_locked=True)
    with db.engine.begin() as connection:
        connection.execute(update(BATCHES).where(BATCHES.c.id.in_(free))
                           .values(heartbeat_at=now_utc(), stage=stage, done=done, total=total))
