"""Tickets for the check-in scenario: a session open right now at every venue, and bookings in it
whose holds are written into the ledger's chain like every other transfer, so each scan is a real,
first-time check-in that posts a real hold.

Each booking goes to a different resident in its session (one live booking per resident and
session); a resident short of points first gets an award, as they would have earned them.
"""
import json
from datetime import timedelta

from points.redemption.tickets import SHORT_ALPHABET, SHORT_LENGTH, TICKET_PREFIX
from bench.seed.people import FIRST_RESIDENT, VENUES
from bench.seed.schema import check_copy, insert

SESSION_COST = 5
BOOKING_COLUMNS = ("id", "session_id", "user_id", "status", "hold_id", "ticket_code", "booked_by",
                   "created_at", "short_code")


def seed_tickets(conn, seeder, count, rng, now):
    """Sessions open now (one per venue) with `count` booked tickets spread over them.

    Returns one (venue id, ticket code) per ticket, in booking order."""
    with conn.cursor() as cur:
        sessions = _open_sessions(cur, count, now)
    residents = rng.sample(range(FIRST_RESIDENT, seeder.people.last_user + 1), seeder.people.residents)
    tickets, bookings, transfers = [], [], []
    for n in range(count):
        venue, user = n % len(VENUES) + 1, residents[n // len(VENUES) % len(residents)]
        # The seeder's own numbering, which the keys of its earlier holds ("booking:N:hold") use too.
        booking, code = seeder.new_ref(), _ticket_code(rng)
        transfers += seeder.book(user, venue, SESSION_COST, booking)  # the hold is now seeder.seq
        bookings.append((booking, sessions[venue], user, "booked", seeder.seq, code, user, now))
        tickets.append((venue, code))
    seeder.append(conn, transfers)
    _store_bookings(conn, bookings, rng)
    return tickets


def ticket_lines(tickets, tokens_by_venue, stage):
    """One wrk request per line: the staff member's Authorization header, a tab, the JSON body.
    The nonce names the stage and the line, so no two scans of the run share one."""
    lines = []
    for n, (venue, code) in enumerate(tickets):
        body = json.dumps({"code": code, "venue_id": venue, "nonce": f"bench-{stage}-{n}"})
        lines.append(f"Bearer {tokens_by_venue[venue]}\t{body}")
    return lines


def _open_sessions(cur, count, now):
    """{venue id: session id} for a session that started a little while ago and runs for hours."""
    sessions = {}
    first = _next_id(cur, "sessions")
    for venue in range(1, len(VENUES) + 1):
        session, booked = first + venue - 1, len(range(venue - 1, count, len(VENUES)))
        insert(cur, "sessions", {
            "id": session, "venue_id": venue, "starts_at": now - timedelta(minutes=30),
            "ends_at": now + timedelta(hours=8), "capacity": max(booked, 1), "cost": SESSION_COST,
            "booked": booked, "created_at": now,
        })
        sessions[venue] = session
    cur.execute("SELECT setval(pg_get_serial_sequence('sessions', 'id'), (SELECT max(id) FROM sessions))")
    return sessions


def _store_bookings(conn, bookings, rng):
    shorts = set()
    while len(shorts) < len(bookings):
        shorts.add("".join(rng.choices(SHORT_ALPHABET, k=SHORT_LENGTH)))
    with conn.cursor() as cur:
        check_copy(cur, "bookings", BOOKING_COLUMNS)
        with cur.copy(f"COPY bookings ({', '.join(BOOKING_COLUMNS)}) FROM STDIN") as copy:
            for row, short in zip(bookings, shorts):
                copy.write_row((*row, short))
        cur.execute("SELECT setval(pg_get_serial_sequence('bookings', 'id'), (SELECT max(id) FROM bookings))")


def _next_id(cur, table):
    cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
    return cur.fetchone()[0]


def _ticket_code(rng):
    """Like `new_ticket_code`, from the seeded generator so runs repeat."""
    return TICKET_PREFIX + rng.randbytes(18).hex()[:32]
