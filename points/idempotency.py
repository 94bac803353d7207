"""Idempotency keys: a retried write gets the original answer; the key reused for another body, 409."""
import hashlib
import json
import uuid
from datetime import datetime
from functools import wraps

from flask import Response, g, make_response, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from points.errors import Invalid, KeyReused
from points.extensions import db
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


def idempotent(view):
    """Run a write once per Idempotency-Key; a retry gets the stored answer (2xx answers only)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = _header_key()
        if key is None:
            return view(*args, **kwargs)
        fingerprint = _fingerprint()
        stored = _stored(key)
        if stored is not None:
            return _replay(stored, fingerprint)
        response = make_response(view(*args, **kwargs))
        if response.status_code >= 300:
            return response
        db.session.add(IdempotencyKey(
            user_id=g.api_user.id, key=key, fingerprint=fingerprint,
            status_code=response.status_code, body=response.get_data(),
        ))
        try:
            db.session.flush()
        except IntegrityError:
            # A twin request with the same key committed first: undo ours, answer as it did.
            db.session.rollback()
            stored = _stored(key)
            if stored is None:
                raise
            return _replay(stored, fingerprint)
        return response

    return wrapper


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
    body = request.get_json(silent=True)
    canonical = json.dumps(body, sort_keys=True).encode() if body is not None else request.get_data()
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode() + canonical)
    return digest.hexdigest()


def _stored(key):
    query = select(IdempotencyKey).where(IdempotencyKey.user_id == g.api_user.id, IdempotencyKey.key == key)
    return db.session.execute(query).scalar()


def _replay(stored, fingerprint):
    if stored.fingerprint != fingerprint:
        raise KeyReused()
    response = Response(stored.body, status=stored.status_code, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response
