"""Venue use per venue and week: places booked, check-ins, no-shows, and how full the sessions were.

Weeks begin on Monday in the scheme's calendar. A session cancelled by an admin offered no places.
Within a community's figures only its residents' bookings count, so `fill` is then the share of the
places that the community's residents took.
"""
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import bindparam, case, func, select

from points.accounts.models import User
from points.extensions import db
from points.ledger import rollup
from points.redemption.models import Booking, BookingStatus, Venue, VenueSession
from points.timeutil import as_utc, at_local, local_day

TAKEN = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)


@dataclass(frozen=True)
class Week:
    venue: str
    week: date  # its Monday
    sessions: int
    capacity: int  # places offered
    booked: int  # places taken: still booked, checked in or a no-show
    checked_in: int
    no_shows: int

    @property
    def fill(self):
        """Places taken per place offered, in per cent."""
        return round(100 * self.booked / self.capacity) if self.capacity else 0


def weeks(first, last, community_ids=None):
    """Week rows for the sessions that began from `first` to `last`, per venue, oldest week first."""
    start, end = rollup.month_range(first)[0], rollup.month_range(last)[1]
    mondays, bounds = _calendar(local_day(start), local_day(end))
    names = dict(db.session.execute(select(Venue.id, Venue.name)).all())
    cells = defaultdict(lambda: [0, 0, 0, 0, 0])  # sessions, capacity, booked, checked in, no-shows
    for venue_id, starts_at, capacity, booked, checked_in, no_shows in db.session.execute(
            _per_session(start, end, community_ids)):
        cell = cells[(mondays[bisect_right(bounds, as_utc(starts_at)) - 1], names[venue_id])]
        for at, value in enumerate((1, capacity, booked or 0, checked_in or 0, no_shows or 0)):
            cell[at] += value
    return [Week(venue, monday, *cell) for (monday, venue), cell in sorted(cells.items())]


def _calendar(first_day, end_day):
    """The Mondays from the week of `first_day` to `end_day`, and the instant each week begins (in the
    scheme's calendar): a session's week is found by bisection, not by a time-zone sum per session."""
    mondays = [first_day - timedelta(days=first_day.weekday())]
    while mondays[-1] + timedelta(days=7) < end_day:
        mondays.append(mondays[-1] + timedelta(days=7))
    return mondays, [at_local(monday, time()) for monday in mondays]


def _per_session(start, end, community_ids):
    """One row per session begun in [start, end) and not cancelled: its places and what became of them.
    For every community, the session's own counts (kept as places are booked, cancelled, checked in
    and settled); for some, their residents' bookings counted in the database."""
    if community_ids is None:
        return select(VenueSession.venue_id, VenueSession.starts_at, VenueSession.capacity, VenueSession.booked,
                      VenueSession.checked_in, VenueSession.no_shows).where(
            VenueSession.starts_at >= start, VenueSession.starts_at < end, VenueSession.cancelled_at.is_(None))
    # The period is written into the statement, not bound: psycopg prepares a statement run five times,
    # and PostgreSQL's generic plan for it, blind to how many sessions the period holds, loops over
    # every booking (measured 6 times slower at 84,000 bookings a year).
    start, end = (bindparam(None, moment, VenueSession.starts_at.type, literal_execute=True) for moment in (start, end))
    taken = (select(Booking.session_id, func.count().label("booked"),
                    func.sum(case((Booking.status == BookingStatus.CHECKED_IN, 1), else_=0)).label("checked_in"),
                    func.sum(case((Booking.status == BookingStatus.NO_SHOW, 1), else_=0)).label("no_shows"))
             .join(VenueSession, VenueSession.id == Booking.session_id)
             .where(Booking.status.in_(TAKEN), VenueSession.starts_at >= start, VenueSession.starts_at < end)
             .group_by(Booking.session_id))
    if community_ids is not None:
        taken = taken.join(User, User.id == Booking.user_id).where(User.community_id.in_(community_ids))
    taken = taken.subquery()
    return (select(VenueSession.venue_id, VenueSession.starts_at, VenueSession.capacity,
                   taken.c.booked, taken.c.checked_in, taken.c.no_shows)
            .outerjoin(taken, taken.c.session_id == VenueSession.id)
            .where(VenueSession.starts_at >= start, VenueSession.starts_at < end, VenueSession.cancelled_at.is_(None)))
