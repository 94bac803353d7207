"""Notifications: what the app tells a resident (a cancelled session, a claim decided), translated when shown."""
from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from points import dates
from points.extensions import db
from points.redemption.models import Notification
from points.timeutil import now_utc

SESSION_CANCELLED = "session_cancelled"
CLAIM_APPROVED = "claim_approved"
CLAIM_REJECTED = "claim_rejected"  # the kind is a free string (no CHECK constraint): new kinds need no migration
SHOWN = 5

# Stored as a kind and its parameters, so each reader sees the text in their own language.
TEXTS = {
    SESSION_CANCELLED: _l(
        "The session at %(venue)s on %(when)s was cancelled. The %(points)d points on hold "
        "are available to you again."
    ),
    CLAIM_APPROVED: _l("Your claim “%(action)s” on %(day)s was approved: +%(points)d points."),
    CLAIM_REJECTED: _l("Your claim “%(action)s” on %(day)s was rejected; no points were added."),
}


def notify(user_id, kind, **params):
    db.session.add(Notification(user_id=user_id, kind=kind, params=params, created_at=now_utc()))


def unread(user_id, limit=SHOWN):
    query = (
        select(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .order_by(Notification.id.desc())
        .limit(limit)
    )
    return db.session.execute(query).scalars().all()


def mark_read(user_id, notification_id=None):
    """Dismiss one notification, or all of a person's unread ones."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=now_utc()).execution_options(synchronize_session=False))


def text(notification):
    """The notification in the reader's language; times given as ISO instants are shown locally."""
    template = TEXTS.get(notification.kind)
    if template is None:
        return ""
    params = dict(notification.params or {})
    if "starts_at" in params:
        params["when"] = dates.when(datetime.fromisoformat(params["starts_at"]))
    if "occurred_on" in params:
        params["day"] = dates.day(date.fromisoformat(params["occurred_on"]))
    english = str(get_locale()).startswith("en")
    if "action_zh" in params:  # both names are stored, so each reader sees their own language's
        params["action"] = params["action_en"] if english else params["action_zh"]
    if english and params.get("venue_en"):  # a venue's English name, where it has one
        params["venue"] = params["venue_en"]
    try:
        said = str(template) % params
        return said + " " + str(_l("Reason: %(reason)s", reason=params["reason"])) if params.get("reason") else said
    except (KeyError, TypeError, ValueError):  # a notification stored by an older version of the text
        return ""
