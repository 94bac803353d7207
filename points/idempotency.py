"""Idempotency keys: a retried write gets the original answer; the key reused for another body, 409."""
import functools
import hashlib
import json
import uuid
from datetime import datetime

from flask import Response, g, make_response, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from points.errors import Invalid, KeyReused, Refusal
from points.extensions import db
from points.lifecycle import keep_writes, refusal_answer
from points.timeutil import now_utc

HEADER = "Idempotency-Key"


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


KEYS = IdempotencyKey.__table__
KEEP_ANSWER = (update(KEYS).where(KEYS.c.id == bindparam("claim"))
               .values(status_code=bindparam("status"), body=bindparam("answer")))
FORGET = delete(KEYS).where(KEYS.c.id == bindparam("claim"))


def idempotent(view):
    """Run a write once per Idempotency-Key; a retry, even one sent at the same moment, gets the
    first answer: a success, or a refusal by a rule (see PINNED). Other failures are not kept.

    The key's row is claimed before the write, in the request's own transaction. A twin request
    waits for that transaction to end: on PostgreSQL its INSERT waits on the unique index, on SQLite
    the twin's transaction cannot even begin. The row holds the answer once it is committed.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = _header_key()
        if key is None:
            return view(*args, **kwargs)
        fingerprint = _fingerprint()
        claim = _claim(key, fingerprint)
        if claim is None:
            return _replay(_stored(key), fingerprint)
        response, kept = _first_answer(view, *args, **kwargs)
        if kept:
            db.session.execute(KEEP_ANSWER, {"claim": claim, "status": response.status_code,
                                             "answer": response.get_data()})
        else:  # whatever the request then commits, no unanswered claim stays behind
            db.session.execute(FORGET, {"claim": claim})
        return response

    return wrapper


# A refusal by a rule answers the same when nothing else changed, so a retry is answered with it
# too. Not kept: 401/403/404 (who may see what, asked before anything is tried), the key itself
# reused, and every failure that is not a refusal (invalid input, 413, 429, 5xx, 503): a retry may
# well succeed.
PINNED = (409, 422)


def _first_answer(view, *args, **kwargs):
    """(the view's answer, whether the key keeps it). A pinned refusal undoes the operation but
    not the claim, and has the request commit the key's row."""
    try:
        with db.session.begin_nested():
            response = make_response(view(*args, **kwargs))
    except Refusal as refusal:
        if refusal.status not in PINNED or isinstance(refusal, KeyReused):
            raise
        keep_writes()
        return make_response(refusal_answer(refusal)), True
    return response, response.status_code < 300


def transfer_key(scope):
    """The ledger key for this request: from the client's Idempotency-Key, else a fresh one."""
    key = request.headers.get(HEADER)
    if key:
        return f"api:{g.api_user.id}:{key}"
    return f"{scope}:{uuid.uuid4()}"


def _header_key():
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise Invalid(_l("The Idempotency-Key header must be 1 to 200 printable characters."))
    return key


def _fingerprint():
    """What makes two requests the same: method, path and the body as parsed (a multipart body's
    boundary is drawn anew by every client, so its fields and its files' digests count instead)."""
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        canonical = {"form": {name: request.form.getlist(name) for name in request.form},
                     "files": {name: [_digest(f) for f in request.files.getlist(name)] for name in request.files}}
    else:
        canonical = request.get_json(silent=True)
    body = json.dumps(canonical, sort_keys=True).encode() if canonical is not None else request.get_data()
    return hashlib.sha256(f"{request.method} {request.path}\n".encode() + body).hexdigest()


def _digest(upload):
    """The file's SHA-256, leaving it to be read again from the start."""
    upload.stream.seek(0)
    digest = hashlib.file_digest(upload.stream, "sha256").hexdigest()
    upload.stream.seek(0)
    return digest


@functools.cache
def _claim_statement(dialect_name):
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (dialect.insert(KEYS).values(user_id=bindparam("user_id"), key=bindparam("key"),
                                         fingerprint=bindparam("fingerprint"), status_code=0, body=b"")
            .on_conflict_do_nothing(index_elements=["user_id", "key"]).returning(KEYS.c.id))


def _claim(key, fingerprint):
    """The id of this request's new row under the key, or None if an earlier request has it.

    The row claimed answers nothing yet (status 0); it is filled in before the request commits."""
    statement = _claim_statement(db.session.get_bind().dialect.name)
    values = {"user_id": g.api_user.id, "key": key, "fingerprint": fingerprint}
    return db.session.execute(statement, values).scalar()


def _stored(key):
    query = select(IdempotencyKey).where(IdempotencyKey.user_id == g.api_user.id, IdempotencyKey.key == key)
    return db.session.execute(query).scalar()


def _replay(stored, fingerprint):
    if stored.fingerprint != fingerprint:
        raise KeyReused()
    response = Response(stored.body, status=stored.status_code, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response
