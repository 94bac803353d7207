"""Booking a session: the points go on hold and a single-use ticket is issued; cancelling.

No overbooking: the place is taken by `UPDATE sessions SET booked = booked + 1 WHERE id = ? AND
booked < capacity` (the CHECK constraint on `booked` backs it) in the same transaction as the
ledger hold, which itself refuses to take an available balance below zero inside the database.
One live booking per resident and session is a partial unique index. The checks before the writes
are there to answer with a clear reason; the writes are what make the rules hold under concurrency.
"""
from datetime import time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from points import audit, dates, ledger
from points.accounts import reach
from points.accounts.models import Role, User
from points.atomic import atomic
from points.errors import Forbidden, KeyReused, NotFound
from points.extensions import db
from points.ledger import Transfer
from points.redemption import settlement
from points.redemption.errors import (
    AlreadyBooked,
    BookingClosed,
    BookingSuspended,
    CancelDeadlinePassed,
    InsufficientPoints,
    NotCancellable,
    SessionCancelled,
    SessionFull,
    TooManyBookings,
)
from points.redemption.models import Booking, BookingStatus, VenueSession
from points.redemption.sessions import lock
from points.redemption.tickets import new_short_code, new_ticket_code
from points.redemption.times import at_local, instant, local, local_day, setting
from points.timeutil import as_utc

SESSIONS, BOOKINGS = VenueSession.__table__, Booking.__table__
LIVE = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


@atomic
def book(actor, resident, session, key, now=None):
    """Book a place for `resident` (the actor themself, or a resident a reviewer looks after).

    `key` is the ledger key of the hold: the same key again returns the same booking."""
    now = instant(now)
    _check_may_book_for(actor, resident)
    replayed = _booked_under(key, resident, session)
    if replayed is not None:
        return replayed
    _check_open(session, now)
    _check_resident(resident, session, now)
    _take_place(session)
    memo = ledger.Memo(reason=_memo_text(session), requested_by=actor.id, ref_type="session", ref_id=session.id)
    hold = ledger.hold(resident.id, session.venue_id, session.cost, key, memo)
    booking = _issue_ticket(session, resident, actor, hold.id, now)
    if actor.id != resident.id:  # a resident's own booking is self-service; one made for them is recorded
        audit.record(actor, "booking.made_for", booking, resident, session_id=session.id, points=session.cost)
    return booking


@atomic
def cancel(actor, booking, now=None):
    """Cancel before the deadline: the place is freed and the held points become available again."""
    now = instant(now)
    _check_may_act_on(actor, booking)
    if booking.status != BookingStatus.BOOKED:
        raise _not_cancellable(booking)
    deadline = cancel_deadline(booking.session)
    if now > deadline:
        raise CancelDeadlinePassed(_l("Bookings can be cancelled until %(deadline)s; it is too late now.",
                                      deadline=dates.when(deadline)))
    lock(booking.session_id)
    changed = db.session.execute(
        update(BOOKINGS)
        .where(BOOKINGS.c.id == booking.id, BOOKINGS.c.status == BookingStatus.BOOKED)
        .values(status=BookingStatus.CANCELLED, cancelled_at=now)
    ).rowcount
    if changed != 1:
        db.session.refresh(booking)
        raise _not_cancellable(booking)
    db.session.execute(update(SESSIONS).where(SESSIONS.c.id == booking.session_id).values(booked=SESSIONS.c.booked - 1))
    memo = ledger.Memo(reason=_memo_text(booking.session), requested_by=actor.id, ref_type="booking", ref_id=booking.id)
    ledger.void(booking.hold_id, f"booking:{booking.id}:release", memo)
    if actor.id != booking.user_id:
        audit.record(actor, "booking.cancelled_for", booking, booking.user_id, session_id=booking.session_id)
    db.session.expire(booking)
    db.session.expire(booking.session, ["booked"])
    return booking


def get_booking(booking_id):
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        raise NotFound(_l("No such booking."))
    return booking


def booking_for(user, booking_id, owner_only=False, scope=None):
    """A booking the person may see: their own, or (unless owner_only) one of a resident they look after
    or help for `scope` (points.accounts.reach). Anyone else is told it does not exist."""
    booking = get_booking(booking_id)
    if booking.user_id != user.id and (owner_only or not _reaches_owner(user, booking, scope)):
        raise NotFound(_l("No such booking."))
    return booking


def bookings_of(user_id, now=None):
    """A resident's bookings, the most recent session first (finished sessions settled first)."""
    settlement.settle_each(now, user_id=user_id)
    query = (
        select(Booking).join(Booking.session).join(VenueSession.venue)
        .options(contains_eager(Booking.session).contains_eager(VenueSession.venue))
        .where(Booking.user_id == user_id)
        .order_by(VenueSession.starts_at.desc(), Booking.id.desc())
        .limit(100)
    )
    return db.session.execute(query).scalars().all()


def bookings_in(session, now=None):
    """Everyone booked on a session, with their names (a finished session is settled first)."""
    if settlement.settle_each(now, session_id=session.id):
        db.session.refresh(session)
    query = (
        select(Booking, User).join(User, User.id == Booking.user_id)
        .where(Booking.session_id == session.id)
        .order_by(Booking.id)
    )
    return db.session.execute(query).all()


def live_booking(user_id, session_id):
    """The person's booked or used booking for a session, if any."""
    query = select(Booking).where(Booking.user_id == user_id, Booking.session_id == session_id,
                                  Booking.status.in_(LIVE))
    return db.session.execute(query).scalar()


def booking_opens_at(session):
    """Midnight (scheme time) BOOKING_OPENS_DAYS days before the session's day."""
    day = local_day(session.starts_at) - timedelta(days=setting("BOOKING_OPENS_DAYS"))
    return at_local(day, time())


def cancel_deadline(session):
    return as_utc(session.starts_at) - timedelta(hours=setting("CANCEL_DEADLINE_HOURS"))


def can_cancel(booking, now=None):
    return booking.status == BookingStatus.BOOKED and instant(now) <= cancel_deadline(booking.session)


def suspended_until(user_id, now=None):
    """When booking is allowed again after too many recent no-shows, or None if it is allowed.

    A finished session still booked counts as missed before the settlement has marked it, so this
    check needs no write (settling here would take the ledger's lock before the session's)."""
    now = instant(now)
    strikes = setting("NO_SHOW_STRIKES")
    if not strikes:
        return None
    missed = or_(Booking.status == BookingStatus.NO_SHOW,
                 and_(Booking.status == BookingStatus.BOOKED, VenueSession.ends_at <= now))
    ends = db.session.execute(
        select(VenueSession.ends_at).join(Booking, Booking.session_id == VenueSession.id)
        .where(Booking.user_id == user_id, missed,
               VenueSession.ends_at > now - timedelta(days=setting("NO_SHOW_WINDOW_DAYS")))
        .order_by(VenueSession.ends_at.desc())
    ).scalars().all()
    if len(ends) < strikes:
        return None
    until = as_utc(ends[0]) + timedelta(days=setting("NO_SHOW_SUSPENSION_DAYS"))
    return until if now < until else None


def _check_may_book_for(actor, resident):
    reach.in_reach(actor, resident, scope=reach.Scope.BOOK, field="user_id")  # first: an outsider learns nothing
    if not resident.has_role(Role.RESIDENT) or not resident.active:
        raise Forbidden(_l("Only residents can book sessions."))


def _check_may_act_on(actor, booking):
    if not _reaches_owner(actor, booking, reach.Scope.BOOK):
        raise NotFound(_l("No such booking."))


def _reaches_owner(actor, booking, scope=None):
    """A booking is seen and acted on by whoever reaches the resident it is for."""
    return reach.reaches(actor, db.session.get(User, booking.user_id), scope)


def _booked_under(key, resident, session):
    """The booking a retried request (same key) already made; the key used for another, refused."""
    booking = db.session.execute(
        select(Booking).join(Transfer, Transfer.id == Booking.hold_id).where(Transfer.idempotency_key == key)
    ).scalar()
    if booking is not None and (booking.user_id, booking.session_id) != (resident.id, session.id):
        raise KeyReused()
    return booking


def _check_open(session, now):
    if session.cancelled_at is not None:
        raise SessionCancelled()
    if now >= as_utc(session.starts_at):
        raise BookingClosed()
    opens = booking_opens_at(session)
    if now < opens:
        raise BookingClosed(_l("Booking for this session opens on %(day)s.", day=dates.day(opens)))


def _check_resident(resident, session, now):
    until = suspended_until(resident.id, now)
    if until is not None:
        raise BookingSuspended(_l("You missed several booked sessions, so booking is paused until %(day)s.",
                                  day=dates.day(until)))
    if live_booking(resident.id, session.id) is not None:
        raise AlreadyBooked()
    if _active_bookings(resident.id, now) >= setting("MAX_ACTIVE_BOOKINGS"):
        raise TooManyBookings(_l("You can hold at most %(limit)d upcoming bookings at a time.",
                                 limit=setting("MAX_ACTIVE_BOOKINGS")))
    available = ledger.balance(resident.id).available
    if available < session.cost:
        raise InsufficientPoints(_l("Not enough points: this session costs %(cost)d, you have %(available)d available.",
                                    cost=session.cost, available=available))


def _active_bookings(user_id, now):
    return db.session.execute(
        select(func.count()).select_from(Booking).join(Booking.session)
        .where(Booking.user_id == user_id, Booking.status == BookingStatus.BOOKED, VenueSession.ends_at > now)
    ).scalar()


def _take_place(session):
    """Take one place, or refuse if none is left; the row stays locked until the request ends."""
    taken = db.session.execute(
        update(SESSIONS)
        .where(SESSIONS.c.id == session.id, SESSIONS.c.booked < SESSIONS.c.capacity,
               SESSIONS.c.cancelled_at.is_(None))
        .values(booked=SESSIONS.c.booked + 1)
    ).rowcount
    db.session.expire(session, ["booked", "cancelled_at"])
    if taken != 1:
        raise SessionCancelled() if session.cancelled_at is not None else SessionFull()


def _issue_ticket(session, resident, actor, hold_id, now):
    booking = Booking(
        session=session, user_id=resident.id, hold_id=hold_id, booked_by=actor.id, created_at=now,
        status=BookingStatus.BOOKED, ticket_code=new_ticket_code(), short_code=new_short_code(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(booking)
    except IntegrityError:
        raise AlreadyBooked() from None  # a twin request booked the same session a moment before
    return booking


def _not_cancellable(booking):
    if booking.status == BookingStatus.CHECKED_IN:
        return NotCancellable(_l("This ticket has already been used."))
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.SESSION_CANCELLED):
        return NotCancellable(_l("This booking is already cancelled."))
    return NotCancellable(_l("This session is over."))


def _memo_text(session):
    """Shown in the resident's points history: the venue and when (not translated: it is a record)."""
    return f"{session.venue.name} {local(session.starts_at):%Y-%m-%d %H:%M}"

