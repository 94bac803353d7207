"""No-shows: after a session ends, every hold still open is settled by the venue's policy, once.

`flask --app points bookings settle` settles every finished session; reading a finished session's
bookings settles it too (settle_each), so nothing depends on a cron job having run.

Each session is settled in a transaction of its own: the ledger's lock is then never held while
another session's row is waited for, so settlers running at once cannot deadlock on PostgreSQL.
"""
from sqlalchemy import select, update

from points import ledger
from points.extensions import db, write_turn
from points.redemption.models import Booking, BookingStatus, NoShowPolicy, Venue, VenueSession
from points.redemption.times import instant

SESSIONS, BOOKINGS = VenueSession.__table__, Booking.__table__


def settle_each(now=None, user_id=None, session_id=None):
    """Settle the finished, unsettled sessions (all, or those of one resident's open bookings, or one),
    committing after each; for the command and for lazy reads. Returns how many were settled now;
    settling again changes nothing.

    The settlement a read triggers is a write in its own right, so it is committed here, and it
    takes the write turn (write_turn): the list of due sessions is read first, and settle_session's
    UPDATE decides again whether each is still due."""
    now = instant(now)
    settled = 0
    for due in _due(now, user_id, session_id):
        with write_turn():
            settled += settle_session(due, now)
            db.session.commit()
    return settled


def settle_session(session_id, now):
    """Claim the session for settlement (the UPDATE decides who settles), then resolve its holds."""
    claimed = db.session.execute(
        update(SESSIONS)
        .where(SESSIONS.c.id == session_id, SESSIONS.c.settled_at.is_(None),
               SESSIONS.c.cancelled_at.is_(None), SESSIONS.c.ends_at <= now)
        .values(settled_at=now)
    ).rowcount
    if claimed != 1:
        return 0
    venue = db.session.execute(
        select(Venue.name, Venue.no_show_policy).join(VenueSession, VenueSession.venue_id == Venue.id)
        .where(VenueSession.id == session_id)
    ).one()
    missed = db.session.execute(
        update(BOOKINGS)
        .where(BOOKINGS.c.session_id == session_id, BOOKINGS.c.status == BookingStatus.BOOKED)
        .values(status=BookingStatus.NO_SHOW)
        .returning(BOOKINGS.c.id, BOOKINGS.c.hold_id)
    ).all()
    if missed:  # the session counts its no-shows, as it counts its check-ins, for the dashboard
        db.session.execute(update(SESSIONS).where(SESSIONS.c.id == session_id)
                           .values(no_shows=SESSIONS.c.no_shows + len(missed)))
    resolve = ledger.post if venue.no_show_policy == NoShowPolicy.FORFEIT else ledger.void
    for booking_id, hold_id in sorted(missed):
        memo = ledger.Memo(reason=venue.name, ref_type="booking", ref_id=booking_id)
        resolve(hold_id, f"booking:{booking_id}:no_show", memo)
    return 1


def _due(now, user_id, session_id):
    query = select(VenueSession.id).where(
        VenueSession.ends_at <= now, VenueSession.settled_at.is_(None), VenueSession.cancelled_at.is_(None),
    )
    if session_id is not None:
        query = query.where(VenueSession.id == session_id)
    if user_id is not None:
        query = query.join(Booking, Booking.session_id == VenueSession.id).where(
            Booking.user_id == user_id, Booking.status == BookingStatus.BOOKED,
        ).distinct()
    return db.session.execute(query.order_by(VenueSession.id)).scalars().all()
