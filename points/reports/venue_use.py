"""Venue use per venue and week: places booked, check-ins, no-shows, and how full the sessions were.

Weeks begin on Monday in the scheme's calendar. A session cancelled by an admin offered no places.
Within a community's figures only its residents' bookings count, so `fill` is then the share of the
places that the community's residents took.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from points.accounts.models import User
from points.extensions import db
from points.ledger import rollup
from points.redemption.models import Booking, BookingStatus, Venue, VenueSession
from points.timeutil import local_day

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
    offered = _offered(rollup.month_range(first)[0], rollup.month_range(last)[1])
    sessions = db.session.execute(offered).all()
    taken = _taken(offered.with_only_columns(VenueSession.id), community_ids)
    names = dict(db.session.execute(select(Venue.id, Venue.name)).all())
    cells = defaultdict(lambda: [0, 0, 0, 0, 0])  # sessions, capacity, booked, checked in, no-shows
    for row in sessions:
        day = local_day(row.starts_at)
        cell = cells[(day - timedelta(days=day.weekday()), names[row.venue_id])]
        counts = taken.get(row.id, {})
        cell[0] += 1
        cell[1] += row.capacity
        cell[2] += sum(counts.values())
        cell[3] += counts.get(BookingStatus.CHECKED_IN, 0)
        cell[4] += counts.get(BookingStatus.NO_SHOW, 0)
    return [Week(venue, monday, *cell) for (monday, venue), cell in sorted(cells.items())]


def _offered(start, end):
    """The sessions that began in [start, end) and were not cancelled."""
    return select(VenueSession.id, VenueSession.venue_id, VenueSession.starts_at, VenueSession.capacity).where(
        VenueSession.starts_at >= start, VenueSession.starts_at < end, VenueSession.cancelled_at.is_(None),
    )


def _taken(session_ids, community_ids):
    """{session id: {status: places}} of the places taken, by residents of the communities when named."""
    query = (select(Booking.session_id, Booking.status, func.count())
             .where(Booking.status.in_(TAKEN), Booking.session_id.in_(session_ids.scalar_subquery()))
             .group_by(Booking.session_id, Booking.status))
    if community_ids is not None:
        query = query.join(User, User.id == Booking.user_id).where(User.community_id.in_(community_ids))
    taken = defaultdict(dict)
    for session_id, status, count in db.session.execute(query):
        taken[session_id][status] = count
    return taken
