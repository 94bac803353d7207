"""Faults under a write load: a gunicorn worker SIGKILLed, then PostgreSQL stopped at once and started again.

PostgreSQL here is a server of this module's own (never the suite's shared one). Every write the load
got an answer for is there exactly once, the books verify, and /healthz recovers; the times are printed
(`pytest -rA` or `-s` shows them) and kept as properties of the test.
"""
import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from points import ledger
from points.accounts.models import Role
from points.extensions import db
from points.redemption import bookings
from points.redemption.models import Booking, BookingStatus
from tests.conftest import _migrated, skip_or_fail
from tests.multi import cluster as processes
from tests.multi import postgres
from tests.multi.conftest import checking_app, redis_url, require_nginx
from tests.multi.load import Load, Write
from tests.redemption.races.test_races import resident_with, session_at

pytestmark = [pytest.mark.postgres, pytest.mark.multi]
RESIDENTS = 30  # three writes each: an award, a booking, the check-in of a ticket booked beforehand
FAULTS_REDIS_DB = 13
ANSWERED = {"/api/v1/awards": 201, "/api/v1/bookings": 201, "/api/v1/checkins": 200}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two instances behind nginx on a PostgreSQL server of this module's own."""
    require_nginx()
    bin_dir, run_as = postgres.binaries(), postgres.run_as()
    if bin_dir is None:
        skip_or_fail("PostgreSQL's initdb and pg_ctl not found (on PATH or in /usr/lib/postgresql/*/bin)")
    if run_as is None:
        skip_or_fail("PostgreSQL refuses to run as root, and there is no postgres user to run it as (runuser)")
    with postgres.own_server(bin_dir, run_as) as server:
        engine = sa.create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE DATABASE points")
        engine.dispose()
        _migrated(server.url("points"))
        with processes.running(tmp_path_factory.mktemp("faults"), server.url("points"),
                               redis_url(FAULTS_REDIS_DB)) as cluster:
            cluster.postgres, cluster.app = server, checking_app(server.url("points"))
            yield cluster
            with cluster.app.app_context():
                db.engine.dispose()


@pytest.fixture
def writes(make_user, token_for, venue):
    """For each resident (20 points, a ticket for a session about to start): an award of 1 point, a booking
    of a later session, and the staff's check-in of the ticket. Returns ({resident id: writes}, later)."""
    reviewer = token_for(make_user(Role.REVIEWER))
    staff = token_for(make_user(Role.STAFF, venues=[venue]))
    soon, later = session_at(venue, 10), session_at(venue, 180)
    plan = {}
    for i in range(RESIDENTS):
        resident = resident_with(make_user, 20)
        ticket = bookings.book(resident, resident, soon, f"faults-ticket-{i}")
        db.session.commit()
        plan[resident.id] = [
            Write("/api/v1/awards", {"user_id": resident.id, "points": 1, "note": "扫雪"},
                  {**reviewer, "Idempotency-Key": f"faults-award-{i}"}),
            Write("/api/v1/bookings", {"session_id": later.id},
                  {**token_for(resident), "Idempotency-Key": f"faults-booking-{i}"}),
            Write("/api/v1/checkins", {"code": ticket.ticket_code, "venue_id": venue.id, "nonce": f"faults-{i}"},
                  staff),
        ]
    db.session.commit()  # end the read transaction: its connection would not survive the restart
    return plan, later


def test_every_answered_write_is_there_once_after_a_killed_worker_and_a_database_restart(
        cluster, writes, record_property):
    plan, later = writes
    ordered = [write for resident_writes in plan.values() for write in resident_writes]
    third = len(ordered) // 3  # each third holds awards, bookings and check-ins alike
    thirds = [ordered[:third], ordered[third:2 * third], ordered[2 * third:]]

    with Load(cluster.proxy.port) as load:
        load.add(thirds[0])
        load.wait_for(10, "before a worker is killed")
        replaced = kill_a_worker(cluster.instances[0])
        load.add(thirds[1])
        down, recovered = restart_postgres(cluster, load, arriving=thirds[2])
        load.wait_for(len(ordered), "all of them")

    report(record_property, replaced=replaced, postgres_down=down, healthz_recovered=recovered,
           longest_wait=max(write.waited for write in ordered), failed_attempts=load.failed_attempts)
    assert load.failed_attempts > 0  # the faults were felt, and retried
    assert [write for write in ordered if write.status != ANSWERED[write.path]] == []
    db.session.rollback()
    for resident_id, (award, booking, check_in) in plan.items():
        # 20 + 1 once; 5 spent at the door once; 5 held for the later session once.
        assert ledger.balance(resident_id) == ledger.Balance(available=11, held=5, earned_total=21)
        assert award.answer["transfer_id"] in {line.transfer.id for line in ledger.history(resident_id)}
        assert booked(resident_id, later) == [(booking.answer["id"], BookingStatus.BOOKED)]
        assert check_in.answer["result"] == "ok"
    assert verify_ledger(cluster.database_url).returncode == 0
    assert cluster.send("GET", "/healthz").status == 200


def kill_a_worker(instance):
    """SIGKILL one of the instance's gunicorn workers; returns the seconds until its master replaced it."""
    victim = instance.workers()[0]
    killed = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    processes.wait_until(lambda: victim not in (now := instance.workers()) and len(now) == processes.WORKERS,
                         "gunicorn to replace the killed worker")
    return time.monotonic() - killed


def restart_postgres(cluster, load, arriving):
    """Stop PostgreSQL as in a crash while writes arrive, start it again; returns (seconds down, seconds
    from the stop until /healthz answers 200 on both instances)."""
    failed = load.failed_attempts
    stopped = time.monotonic()
    cluster.postgres.stop("immediate")
    load.add(arriving)
    processes.wait_until(lambda: load.failed_attempts > failed, "a write to fail while PostgreSQL is down")
    cluster.postgres.start()
    down = time.monotonic() - stopped
    processes.wait_until(lambda: all(processes.healthy(i.port) for i in cluster.instances),
                         "/healthz to answer 200 on both instances again")
    return down, time.monotonic() - stopped


def booked(resident_id, session):
    rows = db.session.execute(select(Booking.id, Booking.status).where(
        Booking.user_id == resident_id, Booking.session_id == session.id)).all()
    return [tuple(row) for row in rows]


def verify_ledger(database_url):
    """`flask --app points ledger verify` on the instances' database, as an operator would run it."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("POINTS_")}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "points", "ledger", "verify"],
                          cwd=processes.ROOT, env={**env, "POINTS_DATABASE_URL": database_url},
                          check=False, capture_output=True, text=True, timeout=60)
    print(done.stdout, done.stderr)
    return done


def report(record_property, **seconds):
    for name, value in seconds.items():
        record_property(name, round(value, 3))
    print("faults: gunicorn worker SIGKILLed, replaced in {replaced:.2f} s; PostgreSQL down {postgres_down:.2f} s, "
          "/healthz 200 on both instances {healthz_recovered:.2f} s after the stop; the longest a write waited "
          "for its answer: {longest_wait:.2f} s; {failed_attempts:.0f} failed attempts retried".format(**seconds))
