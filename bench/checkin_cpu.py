"""CPU per check-in in one process on a fresh SQLite, through the test client: no server, no wrk, so two
commits can be compared back to back on a busy machine (run it in each checkout, one after the other).

    .venv/bin/python -m bench.checkin_cpu [CHECK_INS]

Prints the CPU milliseconds per POST /api/v1/checkins, and per GET /api/v1/me and GET /healthz as the
same process's baseline.
"""
import resource
import sys
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

from flask_migrate import upgrade

from points import create_app, ledger
from points.accounts import operations as accounts
from points.accounts.models import Role
from points.extensions import db
from points.redemption import bookings, sessions, venues
from points.timeutil import now_utc

WARM_UP = 50
CONFIG = {"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
          "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", "CHECKIN_OPENS_MINUTES": 120}


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def seed(app, tickets):
    """A venue, its staff member and `tickets` residents booked into a session whose check-in is open."""
    with app.app_context():
        upgrade()
        venue = venues.create_venue("羽毛球馆", "badminton")
        staff = accounts.create_user("13500000001", "郑晓", "password1", Role.STAFF, "锦湖社区")
        venues.assign_staff(venue, [staff])
        starts = now_utc() + timedelta(hours=1)
        session = sessions.create_session(venue, starts, starts + timedelta(hours=2), tickets, 1)
        codes = []
        for n in range(tickets):
            resident = accounts.create_user(f"136{n:08d}", f"居民{n}", "password1", Role.RESIDENT, "锦湖社区")
            ledger.award(resident.id, 5, f"bench:{n}")
            codes.append(bookings.book(resident, resident, session, f"bench-book:{n}").ticket_code)
        db.session.commit()
        return venue.id, codes


def per_request(send, count):
    started = _cpu()
    for n in range(count):
        send(n)
    return (_cpu() - started) / count * 1000


def main():
    check_ins = int(sys.argv[1]) if len(sys.argv) > 1 else 800
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite3'}"})
        venue_id, codes = seed(app, check_ins + WARM_UP)
        client = app.test_client()
        token = client.post("/api/v1/auth/token", json={"phone": "13500000001", "password": "password1"})
        headers = {"Authorization": f"Bearer {token.get_json()['token']}"}

        def check(n):
            body = {"code": codes[n], "venue_id": venue_id, "nonce": uuid.uuid4().hex}
            answer = client.post("/api/v1/checkins", json=body, headers=headers)
            assert answer.status_code == 200, answer.get_json()

        for n in range(WARM_UP):
            check(n)
        checkin = per_request(lambda n: check(WARM_UP + n), check_ins)
        me = per_request(lambda n: client.get("/api/v1/me", headers=headers), check_ins)
        healthz = per_request(lambda n: client.get("/healthz"), check_ins)
    print(f"check-in {checkin:.2f} ms of CPU per request; GET /api/v1/me {me:.2f}; GET /healthz {healthz:.2f} "
          f"({check_ins} each)")


if __name__ == "__main__":
    main()
