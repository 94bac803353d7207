"""Who did what: an append-only log of every change made on someone's word.

Each operation that changes data for staff, reviewers or admins calls `record` once, after its
writes and inside its own savepoint (points.atomic), so a refused, rolled-back operation leaves no
row. Residents' own self-service and the door's check-in are not recorded here: a scan is logged
in `scans`, and the hot paths stay one write shorter. Triggers (migration 0005) refuse UPDATE and
DELETE on this table, so a row once written stays as it was written.
"""
from datetime import datetime

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from points.extensions import db
from points.ledger.transfers import Record
from points.redemption.times import day_bounds
from points.routing import BIGGEST_ID
from points.timeutil import now_utc

PAGE = 50
ACTION_PATTERN = r"^[a-z_]{1,60}(\.[a-z_]{1,60})*$"  # "claim.approved", or a family: "claim"

# What each action is called on the audit page; an action without a label here shows its own name.
ACTIONS = {
    "award.posted": _l("Points awarded"),
    "deduction.posted": _l("Points deducted"),
    "award.requested": _l("Large award asked for"),
    "award_request.approved": _l("Large award approved"),
    "award_request.refused": _l("Large award refused"),
    "transfer.reversed": _l("Transfer reversed"),
    "reversal.requested": _l("Large reversal asked for"),
    "reversal_request.approved": _l("Large reversal approved"),
    "reversal_request.refused": _l("Large reversal refused"),
    "claim.submitted_for": _l("Claim entered for a resident"),
    "claim.withdrawn_for": _l("Claim withdrawn for a resident"),
    "claim.approved": _l("Claim approved"),
    "claim.rejected": _l("Claim rejected"),
    "activity.created": _l("Activity created"),
    "activity.closed": _l("Activity closed, points awarded"),
    "action_type.created": _l("Catalogue item added"),
    "action_type.updated": _l("Catalogue item changed"),
    "action_type.retired": _l("Catalogue item retired"),
    "action_type.reinstated": _l("Catalogue item brought back"),
    "user.created": _l("Account created"),
    "user.roles_changed": _l("Roles changed"),
    "user.password_reset": _l("Password reset"),
    "user.disabled": _l("Account disabled"),
    "user.enabled": _l("Account enabled again"),
    "code.issued": _l("One-time code issued"),
    "code.used": _l("One-time code used, password set"),
    "card.issued": _l("Member card issued"),
    "card.revoked": _l("Member card revoked"),
    "helper.invited": _l("Family helper invited"),
    "helper.accepted": _l("Family helper invitation accepted"),
    "helper.declined": _l("Family helper invitation declined"),
    "helper.revoked": _l("Family helper arrangement ended"),
    "household.created": _l("Household formed"),
    "household.member_added": _l("Member added to a household"),
    "household.member_removed": _l("Member removed from a household"),
    "household.head_changed": _l("Head of household changed"),
    "household.renumbered": _l("Household number changed"),
    "venue.created": _l("Venue opened"),
    "venue.updated": _l("Venue changed"),
    "venue.staff_changed": _l("Venue staff changed"),
    "user.venues_changed": _l("Venues of a staff member changed"),
    "offering.created": _l("Offering added"),
    "offering.updated": _l("Offering changed"),
    "session.created": _l("Session added"),
    "timetable.created": _l("Timetable added"),
    "session.cancelled": _l("Session cancelled"),
    "booking.made_for": _l("Booking made for a resident"),
    "booking.cancelled_for": _l("Booking cancelled for a resident"),
    "walk_in.redeemed": _l("Walk-in paid with points"),
    "expiry.requested": _l("Year-end clearing asked for"),
    "expiry.run": _l("Points cleared at year end"),
    "expiry.refused": _l("Year-end clearing refused"),
    "import.committed": _l("Residents imported"),
    "service_record.made": _l("Service record made"),
    "export.started": _l("Export started in the background"),
}


def action_label(action):
    return ACTIONS.get(action, action)


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_actor_id_id", "actor_id", "id"),
        Index("ix_audit_log_action_id", "action", "id"),
        Index("ix_audit_log_created_at", "created_at"),
        Index("ix_audit_log_target", "target_type", "target_id"),
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
    """Add one audit row for `action` by `actor` (a User, or None for a command) in the open transaction.

    `target` is the object changed (a model row or a ledger Record); `for_user` the resident it was
    done for (a User or an id); `details` small JSON: the points, the reason, roles before and after."""
    if target is not None and target.id is None:
        db.session.flush()  # the target was just added: its id is needed for the row
    entry = AuditEntry(
        actor_id=_id(actor), for_user_id=_id(for_user), action=action,
        target_type=_table(target), target_id=target.id if target is not None else None,
        details=_plain(details), address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def record_once(actor, action, target, for_user=None, **details):
    """`record`, unless this action on this target is already recorded: a retried request (the same
    idempotency key, answered with the transfer it wrote the first time) leaves one row, not two."""
    earlier = select(AuditEntry.id).where(
        AuditEntry.action == action, AuditEntry.target_type == _table(target), AuditEntry.target_id == target.id)
    if db.session.execute(earlier).first() is None:
        record(actor, action, target, for_user, **details)


def entries(actor_id=None, action=None, first_day=None, last_day=None, before=None, limit=PAGE):
    """Audit rows, newest first: by one actor, of one action (or a family: "claim" is every claim.*),
    between two days of the scheme's time zone (both included), older than the id `before`."""
    query = (select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
             .options(selectinload(AuditEntry.actor), selectinload(AuditEntry.for_user)))
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where((AuditEntry.action == action) | AuditEntry.action.startswith(f"{action}.", autoescape=True))
    if first_day is not None:
        query = query.where(AuditEntry.created_at >= day_bounds(first_day)[0])
    if last_day is not None:
        query = query.where(AuditEntry.created_at < day_bounds(last_day)[1])
    if before is not None:
        query = query.where(AuditEntry.id < min(before, BIGGEST_ID))  # PostgreSQL fails beyond an INTEGER
    return db.session.execute(query).scalars().all()


def _table(target):
    """The target's table: a model's own, or `transfers` for what the ledger wrote (a plain Record)."""
    if target is None:
        return None
    return "transfers" if isinstance(target, Record) else target.__tablename__


def _id(user):
    """A User's id; an id is taken as it is."""
    return user if user is None or isinstance(user, int) else user.id


def _plain(details):
    """Details as JSON can hold them: enums and other objects by their string, None left out."""
    return {key: value if isinstance(value, (int, str, bool, list, dict)) else str(value)
            for key, value in details.items() if value is not None}
