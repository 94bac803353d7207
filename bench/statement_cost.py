"""What one database round trip costs the app in CPU, by the way it is issued (serially, no load).

    .venv/bin/python -m bench.statement_cost     # after `make bench`, on its database

The check-in's speed is mostly its number of statements times this figure (see the README).
"""
import resource
import sys
import time

from sqlalchemy import bindparam, select

from points import create_app
from points.extensions import db
from points.ledger.models import LedgerHead
from bench.settings import Settings

RUNS = 2000
HEAD = LedgerHead.__table__
STATEMENT = select(HEAD.c.seq, HEAD.c.last_hash).where(HEAD.c.id == bindparam("id"))
SQL = "SELECT seq, last_hash FROM ledger_head WHERE id = %(id)s"


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    app = create_app({"SQLALCHEMY_DATABASE_URI": Settings().app_url})
    with app.app_context():
        ways = {
            "Session.execute (as the app)": lambda: db.session.execute(STATEMENT, {"id": 1}).one(),
            "Connection.execute": lambda: db.session.connection().execute(STATEMENT, {"id": 1}).one(),
            "bare psycopg": lambda: db.session.connection().connection.driver_connection.execute(
                SQL, {"id": 1}).fetchone(),
        }
        for name, run in ways.items():
            for _ in range(RUNS // 10):  # warm up: compiled, prepared
                run()
            wall, cpu = time.perf_counter(), _cpu()
            for _ in range(RUNS):
                run()
            print(f"{name:<30} {(_cpu() - cpu) / RUNS * 1e3:.3f} ms CPU, "
                  f"{(time.perf_counter() - wall) / RUNS * 1e3:.3f} ms wall per statement")
        db.session.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
