"""Making a service record, finding it again, and checking a code: the rules for pages, API and CLI."""
import re
import secrets
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from points import audit
from points.accounts import reach
from points.accounts.operations import the_street
from points.accounts.models import Role
from points.atomic import atomic
from points.errors import Invalid, NotFound
from points.expiry.operations import parse_day, today
from points.extensions import db
from points.records.actions import approved_actions
from points.records.models import ServiceRecord

# token_urlsafe(16): 16 random bytes, 128 bits, as 22 URL-safe characters.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")
LONGEST_PERIOD_DAYS = 366 * 10  # ten years fit on one record; a longer one is a typing mistake
NO_SUCH_RECORD = _l("No such service record.")


def default_period():
    """This year so far."""
    last = today()
    return date(last.year, 1, 1), last


def parse_period(first, last):
    """The days from and to, as typed (YYYY-MM-DD); either left empty takes the default."""
    default_first, default_last = default_period()
    first_day = parse_day(first, field="from") if first else default_first
    last_day = parse_day(last, field="to") if last else default_last
    if last_day < first_day:
        raise Invalid(_l("The last day must not be before the first day."), field="to")
    if (last_day - first_day).days > LONGEST_PERIOD_DAYS:
        raise Invalid(_l("A record covers at most ten years."), field="from")
    return first_day, last_day


@atomic
def make(actor, holder, first_day, last_day):
    """Record the holder's approved actions over the period, as of now, under a fresh code."""
    reach.in_reach(actor, holder)
    if not holder.has_role(Role.RESIDENT):
        raise Invalid(_l("Service records are made for residents."))
    actions = approved_actions(holder.id, first_day, last_day)
    record = ServiceRecord(
        code=secrets.token_urlsafe(16), user_id=holder.id, holder_name=holder.name,
        community_name=holder.community.name if holder.community else "", street_name=_street_name(holder),
        first_day=first_day, last_day=last_day, actions=len(actions),
        minutes=sum(action.minutes or 0 for action in actions), points=sum(action.points for action in actions),
        lines=[action.as_json() for action in actions], made_by=actor.id,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "service_record.made", record, holder, first_day=first_day.isoformat(),
                 last_day=last_day.isoformat(), actions=record.actions, points=record.points)
    return record


def records_of(holder, limit=20):
    """The holder's records, newest first."""
    query = (select(ServiceRecord).where(ServiceRecord.user_id == holder.id)
             .order_by(ServiceRecord.id.desc()).limit(limit))
    return db.session.execute(query).scalars().all()


def get(viewer, holder, record_id):
    """One of the holder's records, for someone who reaches the holder (else 404, as for nobody)."""
    reach.in_reach(viewer, holder)
    record = db.session.get(ServiceRecord, record_id)
    if record is None or record.user_id != holder.id:
        raise NotFound(NO_SUCH_RECORD)
    return record


def verified(code):
    """The record a printed code names, or None: a malformed code is not looked up at all."""
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
        return None
    return db.session.execute(select(ServiceRecord).where(ServiceRecord.code == code)).scalar()


def _street_name(holder):
    return (holder.community.street if holder.community is not None else the_street()).name
