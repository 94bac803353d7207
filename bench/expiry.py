"""The year-end clearing at scale: a first run over every resident (≤ 60 s), then a second run of
the same year that must write nothing (≤ 5 s), as the operator's `flask ledger expire` makes them.

From bench/run.py, on the seeded bench database, after the other measurements (the run writes one
`expiry` transfer per resident with points to expire, so the ledger is no longer the seeded one):

    from bench import expiry
    figures = expiry.measure(settings.app_url)      # {"first_s": ..., "second_s": ..., ...}
    print(expiry.describe(figures))

On its own, seeding a fresh PostgreSQL database first (BENCH_DB, default points_bench_expiry):

    python -m bench.expiry [RESIDENTS [TRANSFERS]]  # default 100000 1000000
"""
import os
import sys
import time
from datetime import date

from sqlalchemy import func, select

FIRST_TARGET_S, SECOND_TARGET_S = 60, 5


def measure(database_url, policy="year_end_next", as_of=None):
    """Time a first and a second clearing of the year `as_of` lies in (31 December of this year by
    default) under `policy`; returns the figures, with whether each met its target."""
    from points import create_app
    from points.expiry import operations as expiry
    from points.extensions import db
    from points.ledger.models import Account, AccountKind, Transfer

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "EXPIRY_POLICY": policy, "RATELIMIT_ENABLED": False})
    with app.app_context():
        as_of = as_of or expiry.default_day()
        residents = db.session.scalar(select(func.count()).select_from(Account).where(
            Account.kind == AccountKind.RESIDENT))
        first_s, (run, first) = _timed(lambda: _run(expiry, db, as_of))
        before = db.session.scalar(select(func.max(Transfer.id)))
        second_s, (_again, second) = _timed(lambda: _run(expiry, db, as_of))
        written_again = db.session.scalar(select(func.max(Transfer.id))) - before
        run_id = run.id
        db.session.remove()
        db.engine.dispose()
    return {
        "policy": policy, "as_of": as_of.isoformat(), "run": run_id, "accounts": residents,
        "expired_residents": first.residents, "expired_points": first.points,
        "first_s": round(first_s, 2), "first_ok": first_s <= FIRST_TARGET_S,
        "second_s": round(second_s, 2), "second_written": written_again,
        "second_ok": second_s <= SECOND_TARGET_S and written_again == 0 and second.residents == 0,
    }


def describe(figures):
    """One line for the bench's report."""
    return (
        f"expiry ({figures['policy']}, as of {figures['as_of']}) over {figures['accounts']:,} accounts: "
        f"first run {figures['first_s']:.1f} s for {figures['expired_residents']:,} residents / "
        f"{figures['expired_points']:,} points (target ≤ {FIRST_TARGET_S} s: {_ok(figures['first_ok'])}); "
        f"second run {figures['second_s']:.2f} s, {figures['second_written']} written "
        f"(target ≤ {SECOND_TARGET_S} s and nothing written: {_ok(figures['second_ok'])})"
    )


def _run(expiry, db, as_of):
    result = expiry.run_now(as_of)
    db.session.commit()
    return result


def _timed(work):
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _ok(met):
    return "met" if met else "MISSED"


def main(residents=100_000, transfers=1_000_000):
    """Seed a fresh database (as bench/run.py does), then measure."""
    os.environ.setdefault("BENCH_DB", "points_bench_expiry")
    from bench import database
    from bench.seed import LedgerSeeder, seed_people
    from bench.seed.ledger import timeline
    from bench.seed.people import new_rng, utc_now
    from bench.settings import Settings

    settings = Settings()
    rng, now = new_rng(settings.seed), utc_now()
    database.recreate(settings)
    database.migrate(settings)
    started = time.perf_counter()
    with database.connect(settings) as conn:
        people = seed_people(conn, residents, rng, now)
        seeder = LedgerSeeder(people, rng, transfers, *timeline(now))
        seeder.grow(conn, transfers)
        conn.commit()
    database.vacuum(settings)
    print(f"seeded {residents:,} residents and {transfers:,} transfers in {time.perf_counter() - started:.0f} s",
          flush=True)
    print(describe(measure(settings.app_url, as_of=date(now.year, 12, 31))), flush=True)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
