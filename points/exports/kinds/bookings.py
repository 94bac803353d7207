"""Venue bookings and what became of them: checked in at the door, cancelled, or not attended."""
from flask_babel import gettext as _
from sqlalchemy import select

from points.accounts.models import Community, User
from points.exports.kinds.common import clock, in_communities, in_days, labels, phone_shown, plain, wall_clock
from points.redemption.models import Booking, Venue, VenueSession
from points.web.venues import STATUS_LABELS

BOOKINGS, SESSIONS, VENUES = Booking.__table__, VenueSession.__table__, Venue.__table__
USERS, COMMUNITIES = User.__table__, Community.__table__


def header():
    return [_("Number"), _("Venue"), _("Session starts"), _("Session ends"), _("Resident"), _("Phone"),
            _("Community"), _("Status"), _("Points"), _("Booked at"), _("Booked by"), _("Checked in at"),
            _("Checked in by"), _("Cancelled at")]


def query(scope):
    """Bookings of sessions that start on the scope's days, of residents in its communities, by id."""
    resident, booker, door = USERS.alias("resident"), USERS.alias("booker"), USERS.alias("door")
    b, s = BOOKINGS, SESSIONS
    return (
        select(b.c.id, VENUES.c.name, wall_clock(s.c.starts_at), wall_clock(s.c.ends_at), resident.c.name,
               resident.c.phone,
               COMMUNITIES.c.name, plain(b.c.status), s.c.cost, wall_clock(b.c.created_at), booker.c.name,
               wall_clock(b.c.used_at), door.c.name, wall_clock(b.c.cancelled_at))
        .join(s, s.c.id == b.c.session_id)
        .join(VENUES, VENUES.c.id == s.c.venue_id)
        .join(resident, resident.c.id == b.c.user_id)
        .outerjoin(COMMUNITIES, COMMUNITIES.c.id == resident.c.community_id)
        .outerjoin(booker, booker.c.id == b.c.booked_by)
        .outerjoin(door, door.c.id == b.c.used_by)
        .where(in_days(scope, s.c.starts_at), in_communities(scope, resident.c.community_id))
        .order_by(b.c.id)
    )


def cells(scope):
    shown, phone, statuses = clock(), phone_shown(scope), labels(STATUS_LABELS.get)

    def row_cells(row):
        (number, venue, starts, ends, name, phone_number, community, status, cost, booked_at, booker, used_at,
         door, cancelled_at) = row
        return [number, venue, shown(starts), shown(ends), name, phone(phone_number), community or "",
                statuses(status), cost, shown(booked_at), booker or "", shown(used_at), door or "",
                shown(cancelled_at)]

    return row_cells
