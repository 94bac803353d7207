"""Sessions: bookable time slots at a venue, created one by one or from a weekly timetable; cancelling one.

Locks are always taken in one order — one session row, then its bookings, then the ledger — by
every operation that changes bookings (book, cancel, cancel a session, settle one session per
transaction), so two of them can wait for each other but never deadlock on PostgreSQL. (SQLite
takes its one write lock at BEGIN.)
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from points import audit, ledger, text
from points.atomic import atomic
from points.errors import Invalid, NotFound, Refusal
from points.extensions import db
from points.redemption import notifications
from points.redemption.errors import SessionCancelled, SessionOver
from points.redemption.models import Booking, BookingStatus, VenueSession
from points.redemption.times import at_local, day_bounds, instant, local_day
from points.timeutil import as_utc

SESSIONS, BOOKINGS = VenueSession.__table__, Booking.__table__
MAX_CAPACITY = 1000
MAX_COST = 10_000
MAX_LENGTH = timedelta(hours=12)
MAX_AHEAD = timedelta(days=366)
MAX_TIMETABLE_DAYS = 92
MAX_TIMETABLE_SESSIONS = 500
MAX_REASON = 300


def get_session(session_id):
    session = db.session.get(VenueSession, session_id)
    if session is None:
        raise NotFound(_l("No such session."), field="session_id")
    return session


def lock(session_id):
    """Lock a session's row (PostgreSQL) before changing its bookings; see the module's note."""
    db.session.execute(select(SESSIONS.c.id).where(SESSIONS.c.id == session_id).with_for_update())


def sessions_between(start, end, venue_id=None, include_cancelled=True):
    """Sessions starting in [start, end), earliest first."""
    query = select(VenueSession).where(VenueSession.starts_at >= as_utc(start), VenueSession.starts_at < as_utc(end))
    if venue_id is not None:
        query = query.where(VenueSession.venue_id == venue_id)
    if not include_cancelled:
        query = query.where(VenueSession.cancelled_at.is_(None))
    return db.session.execute(query.order_by(VenueSession.starts_at, VenueSession.id)).scalars().all()


def sessions_on(venue_id, day, include_cancelled=True):
    """A venue's sessions on a day of the scheme's calendar."""
    return sessions_between(*day_bounds(day), venue_id=venue_id, include_cancelled=include_cancelled)


def places_left(session):
    return max(session.capacity - session.booked, 0)


@atomic
def create_session(venue, starts_at, ends_at, capacity, cost, now=None, *, actor=None):
    """One session. Times must carry their UTC offset; they are stored in UTC."""
    now = instant(now)
    _check_venue(venue)
    _check_times(starts_at, ends_at, now)
    _check_size(capacity, cost)
    if _existing_starts(venue.id, [starts_at]):
        raise Refusal(_l("This venue already has a session starting at that time."),
                      field="starts_at", code="session_exists")
    session = VenueSession(venue=venue, starts_at=as_utc(starts_at), ends_at=as_utc(ends_at),
                           capacity=capacity, cost=cost, booked=0, created_at=now)
    _insert([session])
    audit.record(actor, "session.created", session, venue_id=venue.id, capacity=capacity, cost=cost)
    return session


@atomic
def create_timetable(venue, first_day, last_day, weekdays, times, minutes, capacity, cost, now=None, *, actor=None):
    """Sessions on the chosen weekdays (0 = Monday) at the chosen clock times, from first_day to
    last_day inclusive, in one step. Starts that exist already or lie in the past are skipped.
    Returns (created sessions, number skipped); all are created or none."""
    now = instant(now)
    _check_venue(venue)
    starts = _timetable_starts(first_day, last_day, set(weekdays), sorted(set(times)), now)
    _check_size(capacity, cost)
    if not 15 <= (minutes or 0) <= MAX_LENGTH.total_seconds() // 60:
        raise Invalid(_l("A session lasts from 15 minutes to 12 hours."), field="minutes")
    taken = _existing_starts(venue.id, starts)
    new = [start for start in starts if start > now and start not in taken]
    sessions = [VenueSession(venue=venue, starts_at=start, ends_at=start + timedelta(minutes=minutes),
                             capacity=capacity, cost=cost, booked=0, created_at=now) for start in new]
    _insert(sessions)
    audit.record(actor, "timetable.created", venue, sessions=len(sessions), skipped=len(starts) - len(new),
                 first_day=str(first_day), last_day=str(last_day))
    return sessions, len(starts) - len(new)


@atomic
def cancel_session(admin, session, now=None, reason=""):
    """Cancel a session: every open hold is released and each resident is told, with the reason. Returns how many."""
    now = instant(now)
    reason = text.paragraph(reason, most=MAX_REASON, field="reason")
    if session.cancelled_at is not None:
        raise SessionCancelled(_l("This session was already cancelled."))
    if now >= as_utc(session.ends_at):
        raise SessionOver()
    lock(session.id)
    released = _cancel_bookings(session, now)
    marked = db.session.execute(
        update(SESSIONS)
        .where(SESSIONS.c.id == session.id, SESSIONS.c.cancelled_at.is_(None))
        .values(cancelled_at=now, cancelled_by=admin.id, cancel_reason=reason or None, booked=SESSIONS.c.booked - len(released))
    ).rowcount
    if marked != 1:
        raise SessionCancelled(_l("This session was already cancelled."))
    for booking_id, user_id, hold_id in released:
        _release(session, booking_id, user_id, hold_id, admin, reason)
    audit.record(admin, "session.cancelled", session, venue_id=session.venue_id, released=len(released),
                 reason=reason or None)
    db.session.expire(session)
    return len(released)


def _cancel_bookings(session, now):
    rows = db.session.execute(
        update(BOOKINGS)
        .where(BOOKINGS.c.session_id == session.id, BOOKINGS.c.status == BookingStatus.BOOKED)
        .values(status=BookingStatus.SESSION_CANCELLED, cancelled_at=now)
        .returning(BOOKINGS.c.id, BOOKINGS.c.user_id, BOOKINGS.c.hold_id)
    ).all()
    return sorted(rows)


def _release(session, booking_id, user_id, hold_id, admin, reason):
    memo = ledger.Memo(reason=session.venue.name, requested_by=admin.id, approved_by=admin.id,
                       ref_type="booking", ref_id=booking_id)
    ledger.void(hold_id, f"booking:{booking_id}:release", memo)
    notifications.notify(user_id, notifications.SESSION_CANCELLED, venue=session.venue.name,
                         venue_en=session.venue.name_en, starts_at=as_utc(session.starts_at).isoformat(), points=session.cost,
                         reason=reason)


def _check_venue(venue):
    if not venue.active:
        raise Refusal(_l("This venue is closed; open it again before adding sessions."), field="venue_id",
                      code="venue_closed")


def _check_times(starts_at, ends_at, now):
    for field, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise Invalid(_l("Please give the time with its UTC offset, e.g. 2026-06-11T19:00:00+08:00."),
                          field=field, code="time_without_offset")
    # Well-formed times can still make no session: refused as a conflict (409), not as bad input.
    if not now < starts_at < now + MAX_AHEAD:
        raise Refusal(_l("The session must start in the future, within a year."), field="starts_at",
                      code="session_times")
    if not timedelta(0) < ends_at - starts_at <= MAX_LENGTH:
        raise Refusal(_l("The session must end after it starts, and last at most 12 hours."), field="ends_at",
                      code="session_times")


def _check_size(capacity, cost):
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise Invalid(_l("The capacity is a whole number of places from 1 to 1000."), field="capacity")
    if not isinstance(cost, int) or not 1 <= cost <= MAX_COST:
        raise Invalid(_l("The cost is a whole number of points from 1 to 10000."), field="cost")


def _timetable_starts(first_day, last_day, weekdays, times, now):
    if first_day is None or last_day is None or last_day < first_day:
        raise Invalid(_l("The last day must not be before the first day."), field="last_day")
    if (last_day - first_day).days >= MAX_TIMETABLE_DAYS:
        raise Invalid(_l("A timetable covers at most 92 days at a time."), field="last_day")
    if abs((first_day - local_day(now)).days) > MAX_AHEAD.days:
        raise Invalid(_l("Please choose days within the coming year."), field="first_day")
    if not weekdays or not weekdays <= set(range(7)):
        raise Invalid(_l("Please choose at least one day of the week."), field="weekdays")
    if not times:
        raise Invalid(_l("Please give at least one start time, e.g. 09:00, 19:00."), field="times")
    days = (first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1))
    starts = [at_local(day, clock) for day in days if day.weekday() in weekdays for clock in times]
    if len(starts) > MAX_TIMETABLE_SESSIONS:
        raise Invalid(_l("That would be more than 500 sessions; please choose a shorter period."), field="last_day")
    return starts


def _existing_starts(venue_id, starts):
    if not starts:
        return set()
    query = select(VenueSession.starts_at).where(
        VenueSession.venue_id == venue_id,
        VenueSession.starts_at >= as_utc(min(starts)), VenueSession.starts_at <= as_utc(max(starts)),
    )
    return {as_utc(start) for start in db.session.execute(query).scalars()}


def _insert(sessions):
    """All or nothing: a start taken meanwhile by another admin refuses the whole batch."""
    try:
        with db.session.begin_nested():
            db.session.add_all(sessions)
    except IntegrityError:
        raise Refusal(_l("Someone else has just added sessions at these times. Please look and try again."),
                      code="session_exists") from None
