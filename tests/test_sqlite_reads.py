"""On SQLite, read-only requests (GET, HEAD, OPTIONS) begin deferred: they read beside a writer
instead of queueing for the write turn, and a GET that must write (a finished session settled when
its bookings are read) takes the turn for that write like any request that writes.
See points.extensions.write_turn."""
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event

from points import ledger
from points.accounts.models import Role
from points.extensions import QueuedConnection, db
from points.redemption import bookings, sessions, venues
from points.redemption.models import Booking, BookingStatus, NoShowPolicy
from tests.redemption.beijing import bj

ANSWER_WITHIN = 10  # seconds: far longer than any of these requests takes when it does not wait


@pytest.fixture
def database_url(sqlite_url):
    """SQLite only: these are SQLite's locks."""
    return sqlite_url


@pytest.fixture
def writer(app):
    """writer() -> a raw connection to the app's database file that takes turns as the app does."""
    opened = []

    def connect():
        connection = sqlite3.connect(db.engine.url.database, factory=QueuedConnection, timeout=ANSWER_WITHIN,
                                     check_same_thread=False, isolation_level=None)
        opened.append(connection)
        return connection

    yield connect
    for connection in opened:
        connection.close()


@pytest.fixture
def finished_bookings(app, make_user):
    """finished_bookings(n) -> n residents, each booked on a session that is over and not settled yet."""
    venue = venues.create_venue("乒乓球馆", "table_tennis", NoShowPolicy.FORFEIT)
    session = sessions.create_session(venue, bj("2026-06-10 19:00"), bj("2026-06-10 20:00"), capacity=50, cost=5,
                                      now=bj("2026-06-01 08:00"))
    db.session.commit()

    def make(count):
        residents = []
        for n in range(count):
            resident = make_user(Role.RESIDENT, name=f"居民{n}")
            ledger.award(resident.id, 20, f"reads:award:{resident.id}")
            bookings.book(resident, resident, session, f"reads:book:{resident.id}", now=bj("2026-06-08 10:00"))
            db.session.commit()
            residents.append(resident)
        return residents

    return make


def in_thread(work):
    """Start work() in a thread; returns its Future."""
    pool = ThreadPoolExecutor(1)
    future = pool.submit(work)
    pool.shutdown(wait=False)
    return future


def test_a_page_read_answers_while_another_request_holds_the_write_lock(app, client, make_user, token_for, writer):
    resident = make_user(Role.RESIDENT)
    headers, resident_id = token_for(resident), resident.id
    db.session.commit()  # the test's own transaction ends: it would hold the write turn
    holder = writer()
    holder.begin_immediate()  # another worker's write transaction, still open
    holder.execute("UPDATE users SET name = '改名中' WHERE id = ?", (resident_id,))
    try:
        me = in_thread(lambda: app.test_client().get("/api/v1/me", headers=headers))
        response = me.result(timeout=ANSWER_WITHIN)  # before: BEGIN IMMEDIATE waited for the holder
        assert response.status_code == 200
        assert response.get_json()["name"] != "改名中"  # it read what was committed, beside the writer
    finally:
        holder.commit()


def test_a_write_request_still_waits_for_its_turn(app, make_user, token_for, writer):
    admin, resident = make_user(Role.ADMIN), make_user(Role.RESIDENT)
    headers, resident_id = token_for(admin), resident.id
    db.session.commit()
    holder = writer()
    holder.begin_immediate()
    award = in_thread(lambda: app.test_client().post(
        "/api/v1/awards", headers=headers, json={"user_id": resident_id, "points": 10, "note": "帮扶邻居"}))
    with pytest.raises(TimeoutError):
        award.result(timeout=0.3)  # queued behind the open write transaction
    holder.commit()
    assert award.result(timeout=ANSWER_WITHIN).status_code == 201
    assert ledger.balance(resident_id).available == 10


def test_a_read_that_settles_takes_the_write_turn_after_another_writer_committed(app, client, token_for,
                                                                                 make_user, finished_bookings):
    """The GET reads which sessions are due, another request commits a write, then the GET settles:
    a deferred transaction would now fail at once with "database is locked"."""
    (resident,) = finished_bookings(1)
    admin, neighbour = make_user(Role.ADMIN), make_user(Role.RESIDENT)
    admin_headers, headers, neighbour_id = token_for(admin), token_for(resident), neighbour.id
    db.session.commit()
    awards = []

    def award_meanwhile(conn, cursor, statement, parameters, context, executemany):
        if "settled_at IS NULL" in statement and not awards:
            awards.append(in_thread(lambda: app.test_client().post(
                "/api/v1/awards", headers=admin_headers, json={"user_id": neighbour_id, "points": 7, "note": "浇花"})))
            assert awards[0].result(timeout=ANSWER_WITHIN).status_code == 201  # a read does not hold writers up

    event.listen(db.engine, "after_cursor_execute", award_meanwhile)
    try:
        response = client.get("/api/v1/bookings", headers=headers)
    finally:
        event.remove(db.engine, "after_cursor_execute", award_meanwhile)
    assert awards, "the GET did not look for sessions to settle"
    assert response.status_code == 200, response.get_json()
    assert [b["status"] for b in response.get_json()] == ["no_show"]
    assert ledger.balance(neighbour_id).available == 7 and ledger.verify() == []


def test_reads_that_settle_never_fail_among_concurrent_writers(app, make_user, token_for, finished_bookings):
    residents = finished_bookings(6)
    admin = make_user(Role.ADMIN)
    admin_headers = token_for(admin)
    reader_headers = [token_for(resident) for resident in residents]
    resident_ids = [resident.id for resident in residents]
    db.session.commit()  # the test's own transaction ends: it would hold the write turn
    start = threading.Barrier(len(residents) * 2)

    def read(n):
        start.wait(timeout=ANSWER_WITHIN)
        return app.test_client().get("/api/v1/bookings", headers=reader_headers[n])

    def write(n):
        start.wait(timeout=ANSWER_WITHIN)
        return app.test_client().post("/api/v1/awards", headers=admin_headers,
                                      json={"user_id": resident_ids[n], "points": 3, "note": "清扫楼道"})

    with ThreadPoolExecutor(len(residents) * 2) as pool:
        reads = [pool.submit(read, n) for n in range(len(residents))]
        writes = [pool.submit(write, n) for n in range(len(residents))]
        read_answers = [(r.status_code, r.get_json()) for r in (f.result(ANSWER_WITHIN) for f in reads)]
        write_answers = [f.result(ANSWER_WITHIN).status_code for f in writes]
    assert [status for status, _ in read_answers] == [200] * len(residents), read_answers
    assert [[b["status"] for b in body] for _, body in read_answers] == [["no_show"]] * len(residents)
    assert write_answers == [201] * len(residents)
    db.session.expire_all()
    no_shows = db.session.query(Booking).filter_by(status=BookingStatus.NO_SHOW).count()
    assert no_shows == len(residents) and ledger.verify() == []
    # Forfeited: 20 awarded + 3 more, 5 taken by the venue at the settlement, once.
    assert [ledger.balance(r).available for r in resident_ids] == [18] * len(residents)
