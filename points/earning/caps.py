"""Caps: the most points a resident may earn for one action in a day and in a month.

Every award for an action is counted in `CapUsage` rows, one per (resident, action, day) and per
(resident, action, month), in the same transaction as the award. The counter only moves through a
conditional UPDATE that refuses to pass the cap, so two approvals at once cannot both slip under it.
Days and months are those of the scheme's time zone.
"""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from points.earning.models import CapUsage
from points.errors import Refusal
from points.extensions import db
from points.timeutil import as_utc, local_day, now_utc

USAGE = CapUsage.__table__


class CapReached(Refusal):
    code = "cap_reached"


def local_date(moment=None):
    """The calendar day of an instant (default: now) in the scheme's time zone."""
    moment = as_utc(moment) if isinstance(moment, datetime) else now_utc()
    return local_day(moment)


def take(user_id, action_type, on_date, points, partial=False):
    """Count points for an action done on a day against its caps; returns the points granted.

    Refuses with CapReached when the points do not fit, unless `partial`, which grants what is
    left under both caps instead (possibly 0). Call it in the transaction that posts the award.
    """
    periods = _periods(action_type, on_date)
    for period, _cap in periods:
        _ensure_row(user_id, action_type.id, period)
    granted = min(points, _room(user_id, action_type.id, periods)) if partial else points
    if granted <= 0:
        return 0
    for period, cap in periods:
        if not _count(user_id, action_type.id, period, cap, granted):
            raise _reached(action_type, period, cap)
    return granted


def used(user_id, action_type_id, period):
    """Points already counted for an action in a period ("2026-11-26" or "2026-11")."""
    query = select(USAGE.c.points).where(*_row(user_id, action_type_id, period))
    return db.session.execute(query).scalar() or 0


def room_left(user_id, action_type, on_date):
    """The points the resident can still earn for this action on that day (None: no cap)."""
    periods = [(p, cap) for p, cap in _periods(action_type, on_date) if cap is not None]
    if not periods:
        return None
    return max(0, min(cap - used(user_id, action_type.id, p) for p, cap in periods))


def _periods(action_type, on_date: date):
    """The day and the month the award counts towards, with each one's cap (None: no cap)."""
    return [
        (on_date.isoformat(), action_type.daily_cap),
        (on_date.strftime("%Y-%m"), action_type.monthly_cap),
    ]


def _row(user_id, action_type_id, period):
    return USAGE.c.user_id == user_id, USAGE.c.action_type_id == action_type_id, USAGE.c.period == period


def _ensure_row(user_id, action_type_id, period):
    """Create the counter at 0 if missing; a concurrent creator wins quietly."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    values = dict(user_id=user_id, action_type_id=action_type_id, period=period, points=0)
    db.session.execute(dialect.insert(USAGE).values(values).on_conflict_do_nothing())


def _room(user_id, action_type_id, periods):
    """What is left under every cap, reading the counters locked (PostgreSQL; SQLite locks it all)."""
    left = None
    for period, cap in periods:
        query = select(USAGE.c.points).where(*_row(user_id, action_type_id, period)).with_for_update()
        counted = db.session.execute(query).scalar_one()
        if cap is not None:
            left = cap - counted if left is None else min(left, cap - counted)
    return float("inf") if left is None else max(left, 0)


def _count(user_id, action_type_id, period, cap, points):
    """Add to the counter unless that passes the cap; False when it would."""
    statement = update(USAGE).where(*_row(user_id, action_type_id, period)).values(points=USAGE.c.points + points)
    if cap is not None:
        statement = statement.where(USAGE.c.points + points <= cap)
    return db.session.execute(statement).rowcount == 1


def _reached(action_type, period, cap):
    if len(period) == 10:
        return CapReached(
            _l("Daily cap reached: “%(action)s” earns at most %(cap)d points a day.", action=action_type.name, cap=cap),
            code="daily_cap_reached",
        )
    return CapReached(
        _l("Monthly cap reached: “%(action)s” earns at most %(cap)d points a month.", action=action_type.name, cap=cap),
        code="monthly_cap_reached",
    )
