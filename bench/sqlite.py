"""SQLite, the default database: the check-in's p99 at the same 16 connections, beside /healthz,
and `GET /api/v1/me` under one gunicorn worker and under several.

The database is made the way a deployment makes it (`flask db upgrade`, then the demo's street,
venues and staff) and the tickets the way residents get them, now: an award through the ledger,
then `bookings.book`, which puts the points on hold. The sessions are the bench's own, made to be
bookable now and open for check-in already, whatever the hour. Only the residents themselves are
inserted in bulk, with one password hash for all (hashing one per resident would take minutes).
"""
import logging
from datetime import timedelta

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from points import create_app, demo, ledger
from points.accounts import operations as accounts
from points.accounts.models import Role, User
from points.extensions import db
from points.ledger.models import LedgerHead
from points.redemption import bookings, sessions
from points.redemption.models import Venue
from points.timeutil import now_utc
from bench.seed.people import FAMILY, GIVEN, PASSWORD
from bench.seed.tickets import SESSION_COST, ticket_lines
from bench.settings import OUT

PATH = OUT / "bench.sqlite"
URL = f"sqlite:///{PATH}"
TOKENS = OUT / "tokens-sqlite.txt"  # residents' bearer tokens, one a line (bench/lua/request.lua)
SESSION_PLACES = 1000  # the most a session may have
# Check-in opens CHECKIN_OPENS_MINUTES (30) before a session starts; the bench's sessions start so
# that it has been open this long when seeding begins, which leaves the seeding 25 minutes to book
# them all before they start.
OPEN_ALREADY = timedelta(minutes=5)


def seed(count, rng, token_count):
    """A fresh SQLite database with `count` booked tickets for sessions open now, and bearer tokens
    for `token_count` of their residents in TOKENS; returns the wrk request lines (see
    bench/lua/checkin.lua)."""
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob("bench.sqlite*"):
        stale.unlink()
    app = create_app({"SQLALCHEMY_DATABASE_URI": URL, "RATELIMIT_ENABLED": False})
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the bench prints its own progress
    with app.app_context():
        upgrade()
        demo.load()
        residents = _residents(count, rng)
        tickets, tokens = _tickets(residents)
        TOKENS.write_text("".join(accounts.issue_token(r)[0] + "\n" for r in residents[:token_count]))
        db.session.commit()
    return ticket_lines(tickets, tokens, stage="sqlite")


def transfers():
    """How many transfers the SQLite ledger holds."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": URL})
    with app.app_context():
        return db.session.execute(select(LedgerHead.seq)).scalar()


def _tickets(residents):
    """One ticket per resident, booked now, spread over the bench's sessions (see _open_sessions)."""
    venues = db.session.execute(select(Venue).order_by(Venue.id)).scalars().all()
    opened = _open_sessions(venues, len(residents))
    tickets = []
    for n, resident in enumerate(residents):
        session = opened[n % len(opened)]
        memo = ledger.Memo(reason="志愿服务", category="volunteer")
        ledger.award(resident.id, SESSION_COST, f"bench:{resident.id}:award", memo)
        booking = bookings.book(resident, resident, session, f"bench:{resident.id}:hold")
        tickets.append((session.venue_id, booking.ticket_code))
    tokens = {venue.id: accounts.issue_token(_staff_of(venue))[0] for venue in venues}
    return tickets, tokens


def _open_sessions(venues, count):
    """Sessions for `count` tickets (a session holds at most SESSION_PLACES, as the app allows) that
    start a little later, so they can be booked now, and inside check-in's early window, so their
    tickets can be scanned as soon as the seeding is done. They start a second apart (a venue has
    one session per start time)."""
    now = now_utc()
    starts = now + timedelta(minutes=current_app.config["CHECKIN_OPENS_MINUTES"]) - OPEN_ALREADY
    assert starts > now + timedelta(minutes=1), "check-in opens too late before a session for the bench"
    return [sessions.create_session(venues[n % len(venues)], starts + timedelta(seconds=n), starts + timedelta(hours=8),
                                    capacity=SESSION_PLACES, cost=SESSION_COST)
            for n in range(-(-count // SESSION_PLACES))]


def _residents(count, rng):
    """`count` new residents, each with a points account."""
    password_hash = generate_password_hash(PASSWORD, method="scrypt")
    rows = [{"phone": f"137{n:08d}", "name": rng.choice(FAMILY) + rng.choice(GIVEN), "password_hash": password_hash,
             "roles": int(Role.RESIDENT), "active": True, "created_at": now_utc()} for n in range(count)]
    db.session.execute(insert(User), rows)
    residents = db.session.execute(select(User).where(User.phone.like("137%")).order_by(User.id)).scalars().all()
    for resident in residents:
        ledger.open_account(resident.id)
    return residents


def _staff_of(venue):
    assigned = db.session.execute(select(User).join(User.venues).where(Venue.id == venue.id)).scalars()
    return next(user for user in assigned if user.has_role(Role.STAFF))
