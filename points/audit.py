"""Who did what: an append-only log of every change made on someone's word (SPEC §9).

Each operation that changes data for staff, reviewers or admins calls `record` once, after its
writes and inside its own savepoint (points.atomic), so a refused, rolled-back operation leaves no
row. Residents' own self-service and the door's check-in are not recorded here: a scan is logged
in `scans`, and the hot paths stay one write shorter. Triggers (migration 0005) refuse UPDATE and
DELETE on this table, so a row once written stays as it was written.
"""
from datetime import datetime

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from points.extensions import db
from points.timeutil import now_utc


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor_id_id", "actor_id", "id"),
        Index("ix_audit_log_action_id", "action", "id"),
        Index("ix_audit_log_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: a command on the server
    for_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the resident it was done for
    action: Mapped[str] = mapped_column(String(60))  # dotted, in the domain's words: "award.posted"
    target_type: Mapped[str | None] = mapped_column(String(40))  # the target's table name
    target_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(45))  # IPv6 at most; None outside a request

    actor = relationship("User", foreign_keys=[actor_id])
    for_user = relationship("User", foreign_keys=[for_user_id])


def record(actor, action, target=None, for_user=None, **details):
    """Add one audit row for `action` by `actor` (a User, or None for a command) in the open transaction."""
    if target is not None and target.id is None:
        db.session.flush()  # the target was just added: its id is needed for the row
    entry = AuditEntry(
        actor_id=_id(actor), for_user_id=_id(for_user), action=action,
        target_type=target.__tablename__ if target is not None else None,
        target_id=target.id if target is not None else None,
        details=_plain(details), address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def _id(user):
    return user.id if user is not None else None


def _plain(details):
    """Details as JSON can hold them: enums and other objects by their string, None left out."""
    return {key: value if isinstance(value, (int, str, bool, list, dict)) else str(value)
            for key, value in details.items() if value is not None}
