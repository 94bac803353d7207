"""Check-in at the door (核销): the staff scan decides a ticket's fate exactly once.

This is the hot path. An accepted scan costs one read (the ticket with its session, the venue's name,
both people's names, the staff member's assignment and whether this nonce was seen), one
conditional UPDATE that marks the ticket used, one INSERT into the scan log and the ledger's post of
the hold, all in the request's one transaction. Exactly one `ok` per ticket comes from the
conditional UPDATE: `... WHERE id = ? AND status = 'booked'` changes one row for the first scan and
none for any other, whichever database runs it. A retried scan (same staff member, same nonce) is
answered from the scan log and changes nothing.

A refused scan is an answer, not a failure: its log row is kept although the request answers with a
refusal (409 in the API), and check_in says so itself, whichever page or endpoint called it.

A ticket scanned again by the staff member who checked it in, less than a minute later (a reloaded
page, a second phone), is still `already_used`, but `just_by_you`: the door shows it as a calm
confirmation, so a ticket held in front of the camera never turns red after turning green.
"""
import functools
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from points import dates, ledger
from points.accounts.models import Role, User, mask_name
from points.errors import Forbidden, Invalid
from points.extensions import db
from points.lifecycle import keep_writes
from points.redemption.errors import NonceReused
from points.redemption.models import Booking, BookingStatus, CheckInResult, Scan, Venue, VenueSession, venue_staff
from points.redemption.tickets import TICKET_PREFIX, normalise_short_code
from points.redemption.times import instant, local_day, setting
from points.timeutil import as_utc, now_utc

BOOKINGS, SCANS, SESSIONS = Booking.__table__, Scan.__table__, VenueSession.__table__
VENUES, USERS = Venue.__table__, User.__table__
MAX_NONCE = 64
JUST_NOW = timedelta(minutes=1)  # one's own check-in seen again within this is a confirmation

MESSAGES = {
    CheckInResult.OK: _l("Checked in"),
    CheckInResult.ALREADY_USED: _l("This ticket has already been used"),
    CheckInResult.CANCELLED: _l("This booking was cancelled"),
    CheckInResult.WRONG_VENUE: _l("This ticket is for another venue"),
    CheckInResult.NOT_OPEN_YET: _l("Check-in for this session has not opened yet"),
    CheckInResult.SESSION_OVER: _l("This session is already over"),
    CheckInResult.UNKNOWN_CODE: _l("Unknown code: this is not a ticket of ours"),
}
JUST_BY_YOU = _l("Just checked in by you")


@dataclass(frozen=True)
class CheckIn:
    """The answer to one scan, with what the staff member needs to see to act on it."""

    result: CheckInResult
    booking_id: int | None
    resident_name: str | None  # masked, e.g. "张*"
    session_starts_at: datetime | None
    session_ends_at: datetime | None
    venue_name: str | None  # the ticket's venue (for wrong_venue: where the resident should go)
    used_at: datetime | None = None  # for already_used: when
    used_by_name: str | None = None  # for already_used: which staff member (masked)
    used_by_id: int | None = None  # for already_used: which staff member
    seconds_ago: int | None = None  # for already_used: how long before this scan
    by_you: bool = False  # for already_used: by the staff member scanning it now

    @property
    def just_by_you(self):
        """Already used, by this staff member less than a minute ago: their own check-in seen again."""
        return self.by_you and self.seconds_ago is not None and self.seconds_ago < JUST_NOW.total_seconds()

    @property
    def message(self):
        if self.result == CheckInResult.NOT_OPEN_YET and self.session_starts_at:
            return self._opens_message()  # worked out for this result only: the hot path stays cheap
        return JUST_BY_YOU if self.just_by_you else MESSAGES[self.result]

    def _opens_message(self):
        """When the door may let the ticket in; the session's day is shown beside it."""
        opens = as_utc(self.session_starts_at) - timedelta(minutes=setting("CHECKIN_OPENS_MINUTES"))
        time = dates.hhmm(opens)
        if local_day(opens) == local_day(now_utc()):
            return _("Check-in opens at %(time)s", time=time)
        return _("Check-in opens on the day of the session, at %(time)s", time=time)


UNKNOWN = CheckIn(CheckInResult.UNKNOWN_CODE, None, None, None, None, None)


@dataclass(frozen=True)
class Ticket:
    """What a scan needs to know of a booking, read in one statement (plain values, no ORM object)."""

    booking_id: int
    status: BookingStatus
    hold_id: int
    venue_id: int
    starts_at: datetime
    ends_at: datetime
    venue_name: str
    resident_name: str
    used_at: datetime | None
    used_by: int | None
    used_by_name: str | None

    @classmethod
    def of(cls, row):
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


def check_in(staff: User, code: str, venue_id: int, nonce: str, now: datetime | None = None) -> CheckIn:
    """Decide one scan of a ticket (full code or short code) at a venue, and log it."""
    now = instant(now)
    code, nonce = _checked_code(code), _checked_nonce(nonce)
    by_short_code = not code.startswith(TICKET_PREFIX)
    key = normalise_short_code(code)[:12] if by_short_code else code[:64]
    row = db.session.execute(_lookup(by_short_code, staff.has_role(Role.ADMIN)),
                             {"code": key, "staff": staff.id, "venue": venue_id, "nonce": nonce}).mappings().first()
    if row is None:
        return _unknown_code(staff, code, venue_id, nonce, now)
    if not row["assigned"]:
        raise _not_your_venue()
    if row["seen"]:
        return replay(staff, nonce)
    ticket = Ticket.of(row)
    result, ticket = _decide(ticket, staff, venue_id, now)
    if result == CheckInResult.OK:
        _log_or_refuse(staff, venue_id, nonce, code, ticket.booking_id, result, now)
        _post_hold(ticket, staff)
    elif not _log_refused(staff, venue_id, nonce, code, ticket.booking_id, result, now):
        return replay(staff, nonce)
    return _answer(result, ticket, staff, now)


def replay(staff, nonce):
    """The first answer given to this staff member's scan with this nonce (a retry changes nothing),
    "how long ago" included: it is counted to the first scan, not to the retry."""
    scan = db.session.execute(select(Scan).where(Scan.staff_id == staff.id, Scan.nonce == nonce)).scalar_one()
    if scan.booking_id is None:
        return UNKNOWN
    row = db.session.execute(_details().where(BOOKINGS.c.id == scan.booking_id)).mappings().one()
    return _answer(scan.result, Ticket.of(row), staff, as_utc(scan.created_at))


@functools.cache
def _lookup(by_short_code, admin):
    """The ticket with everything needed to decide and answer, in one statement built once per
    kind of code and of scanner (on the hot path, building a statement costs more than running it).

    Parameters: code, staff, venue, nonce."""
    seen = exists().where(SCANS.c.staff_id == bindparam("staff"), SCANS.c.nonce == bindparam("nonce"))
    # A full ticket code or a short code typed by hand; each is found by its own unique index.
    column = BOOKINGS.c.short_code if by_short_code else BOOKINGS.c.ticket_code
    return (_details().add_columns(_assigned(admin).label("assigned"), seen.label("seen"))
            .where(column == bindparam("code")))


def _assigned(admin):
    """Whether the scanner may check people in at the venue (parameters: staff, venue): admins at
    any venue that exists, staff only at their own."""
    if admin:
        return exists().where(VENUES.c.id == bindparam("venue"))
    return exists().where(venue_staff.c.user_id == bindparam("staff"), venue_staff.c.venue_id == bindparam("venue"))


def _details():
    resident, user = USERS.alias("resident"), USERS.alias("used_by")
    return (
        select(BOOKINGS.c.id.label("booking_id"), BOOKINGS.c.status, BOOKINGS.c.hold_id, BOOKINGS.c.used_at,
               BOOKINGS.c.used_by,
               SESSIONS.c.venue_id, SESSIONS.c.starts_at, SESSIONS.c.ends_at, VENUES.c.name.label("venue_name"),
               resident.c.name.label("resident_name"), user.c.name.label("used_by_name"))
        .join(SESSIONS, SESSIONS.c.id == BOOKINGS.c.session_id)
        .join(VENUES, VENUES.c.id == SESSIONS.c.venue_id)
        .join(resident, resident.c.id == BOOKINGS.c.user_id)
        .outerjoin(user, user.c.id == BOOKINGS.c.used_by)
    )


def _judge(ticket, venue_id, now):
    if ticket.venue_id != venue_id:
        return CheckInResult.WRONG_VENUE
    if ticket.status == BookingStatus.CHECKED_IN:
        return CheckInResult.ALREADY_USED
    if ticket.status in (BookingStatus.CANCELLED, BookingStatus.SESSION_CANCELLED):
        return CheckInResult.CANCELLED
    if ticket.status == BookingStatus.NO_SHOW or now >= as_utc(ticket.ends_at):
        return CheckInResult.SESSION_OVER
    if now < as_utc(ticket.starts_at) - timedelta(minutes=setting("CHECKIN_OPENS_MINUTES")):
        return CheckInResult.NOT_OPEN_YET
    return CheckInResult.OK


def _decide(ticket, staff, venue_id, now):
    """The scan's result and the ticket as it now is; an acceptable ticket is marked used here."""
    result = _judge(ticket, venue_id, now)
    if result != CheckInResult.OK:
        return result, ticket
    if _mark_used(ticket, staff, now):
        return result, replace(ticket, status=BookingStatus.CHECKED_IN, used_at=now, used_by=staff.id,
                               used_by_name=staff.name)
    # Another scan (or a cancellation) changed the ticket first: answer from its new state.
    ticket = _reload_use(ticket)
    result = _judge(ticket, venue_id, now)
    return (CheckInResult.ALREADY_USED if result == CheckInResult.OK else result), ticket


MARK_USED = (  # the single-use guarantee: only the first scan finds the ticket still 'booked'
    update(BOOKINGS)
    .where(BOOKINGS.c.id == bindparam("booking"), BOOKINGS.c.status == BookingStatus.BOOKED)
    .values(status=BookingStatus.CHECKED_IN, used_at=bindparam("now"), used_by=bindparam("staff"))
)


# The session counts its check-ins, so the dashboard reads sessions, not every booking of the year.
COUNT_CHECK_IN = (
    update(SESSIONS)
    .where(SESSIONS.c.id == select(BOOKINGS.c.session_id).where(BOOKINGS.c.id == bindparam("booking"))
           .scalar_subquery())
    .values(checked_in=SESSIONS.c.checked_in + 1)
)


def _mark_used(ticket, staff, now):
    if db.session.execute(MARK_USED, {"booking": ticket.booking_id, "now": now, "staff": staff.id}).rowcount != 1:
        return False
    db.session.execute(COUNT_CHECK_IN, {"booking": ticket.booking_id})
    return True


def _reload_use(ticket):
    """Read the ticket's state again after losing a race: status, and when and by whom it was used."""
    used_by = USERS.alias("used_by")
    row = db.session.execute(
        select(BOOKINGS.c.status, BOOKINGS.c.used_at, BOOKINGS.c.used_by, used_by.c.name)
        .outerjoin(used_by, used_by.c.id == BOOKINGS.c.used_by)
        .where(BOOKINGS.c.id == ticket.booking_id)
    ).one()
    return replace(ticket, status=row.status, used_at=row.used_at, used_by=row.used_by, used_by_name=row.name)


def _post_hold(ticket, staff):
    memo = ledger.Memo(reason=ticket.venue_name, requested_by=staff.id, approved_by=staff.id,
                       ref_type="booking", ref_id=ticket.booking_id)
    ledger.post(ticket.hold_id, f"booking:{ticket.booking_id}:post", memo)


@functools.cache
def _log_statement(dialect_name):
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (dialect.insert(SCANS).on_conflict_do_nothing(index_elements=["staff_id", "nonce"])
            .returning(SCANS.c.id))


def _log(staff, venue_id, nonce, code, booking_id, result, now):
    """Log the scan; False if a twin request with the same nonce logged it first."""
    statement = _log_statement(db.session.get_bind().dialect.name)
    values = {"staff_id": staff.id, "venue_id": venue_id, "nonce": nonce, "code": code[:80],
              "booking_id": booking_id, "result": result, "created_at": now}
    return db.session.execute(statement, values).first() is not None


def _log_or_refuse(staff, venue_id, nonce, code, booking_id, result, now):
    # The ticket is already marked used in this transaction: if the nonce was taken meanwhile by
    # another code, refusing rolls the whole scan back rather than answering for a different ticket.
    if not _log(staff, venue_id, nonce, code, booking_id, result, now):
        raise NonceReused()


def _log_refused(staff, venue_id, nonce, code, booking_id, result, now):
    """Log a refused scan and keep the log although the request answers with a refusal; False as _log."""
    if not _log(staff, venue_id, nonce, code, booking_id, result, now):
        return False
    keep_writes()
    return True


def _unknown_code(staff, code, venue_id, nonce, now):
    assigned = select(_assigned(staff.has_role(Role.ADMIN)))
    if not db.session.execute(assigned, {"staff": staff.id, "venue": venue_id}).scalar():
        raise _not_your_venue()
    if not _log_refused(staff, venue_id, nonce, code, None, CheckInResult.UNKNOWN_CODE, now):
        return replay(staff, nonce)
    return UNKNOWN


def _answer(result, ticket, staff, now):
    """The answer to `staff` scanning `ticket` at `now` (for already_used: when, by whom, how long ago)."""
    used = _use(ticket, staff, now) if result == CheckInResult.ALREADY_USED and ticket.used_at else {}
    return CheckIn(
        result=result, booking_id=ticket.booking_id, resident_name=mask_name(ticket.resident_name),
        session_starts_at=as_utc(ticket.starts_at), session_ends_at=as_utc(ticket.ends_at),
        venue_name=ticket.venue_name, **used,
    )


def _use(ticket, staff, now):
    used_at = as_utc(ticket.used_at)
    return {"used_at": used_at, "used_by_name": mask_name(ticket.used_by_name) or None,
            "used_by_id": ticket.used_by, "by_you": ticket.used_by == staff.id,
            "seconds_ago": max(0, int((now - used_at).total_seconds()))}  # a twin scan may win by a hair


def _checked_code(code):
    code = (code or "").strip()
    if not code or "\x00" in code:  # PostgreSQL cannot even compare a text with NUL in it
        raise Invalid(_l("Please scan a ticket or type its code."), field="code")
    return code


def _checked_nonce(nonce):
    nonce = (nonce or "").strip()
    if not 1 <= len(nonce) <= MAX_NONCE or not nonce.isprintable():
        raise Invalid(_l("Each scan needs an id (nonce) of 1 to 64 characters."), field="nonce")
    return nonce


def _not_your_venue():
    return Forbidden(_l("You can only check people in at the venues you are assigned to."), code="not_your_venue")
