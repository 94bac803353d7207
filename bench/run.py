"""`make bench`: seed PostgreSQL, serve the app with gunicorn, drive it with wrk, print the figures.

    BENCH_RESIDENTS=100000 BENCH_TRANSFERS=1000000 BENCH_DURATION=10 python -m bench.run

BENCH_REUSE=1 skips the seeding and measures the database the last run left.
Stages: the ledger is seeded to 10,000 transfers and measured, then grown to the full size and
measured again (BENCH_STAGES=10000,100000,... names other sizes). Each stage gets a fresh server;
within a stage every scenario runs on the same server, a warm-up first, the baseline first.
See bench/settings.py for every BENCH_* variable.
"""
import contextlib
import os
from dataclasses import replace
import sys
import tempfile
import time

from bench import database, expiry, exports, imports, report, server, sqlite
from bench.cpu import Meter
from bench.load import WRK, wrk
from bench.scenarios import SCENARIOS, SQLITE_SCENARIOS, SQLITE_WORKERS, Context, use_tickets
from bench.seed import LedgerSeeder, seed_people, seed_tokens
from bench.seed.ledger import timeline
from bench.seed.people import new_rng, utc_now
from bench.settings import OUT, Settings

_started = time.monotonic()


def say(text):
    print(f"[{time.monotonic() - _started:7.1f}s] {text}", flush=True)


@contextlib.contextmanager
def phase(name):
    """Print how long a step took."""
    t0 = time.monotonic()
    yield
    say(f"{name}: {time.monotonic() - t0:.1f}s")


def main():
    settings = Settings()
    if not os.access(WRK, os.X_OK):
        raise SystemExit(f"the bench drives the app with wrk, which is not at {WRK}: apt-get install wrk")
    if os.environ.get("BENCH_REUSE"):
        return _measure_again(settings)
    print(_banner(settings), flush=True)
    rng = new_rng(settings.seed)
    rows = _measure_postgres(settings, rng) if settings.postgres else []
    if settings.sqlite:
        rows += _measure_sqlite(settings, rng)
    return _conclude(settings, rows, _measure_operations(settings))


def _measure_operations(settings):
    """An office's year: the import of its spreadsheet on fresh databases, exports of the bench's
    transfers, then the year-end clearing of its residents (last: it writes expiry transfers into
    the measured ledger)."""
    lines = []
    with phase(f"import of {settings.import_rows:,} residents on SQLite"), tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/import.sqlite3"
        imports.flask(["db", "upgrade"], url).check_returncode()
        lines += imports.measure_import(url, settings.import_rows).lines()
    if settings.postgres:
        fresh = replace(settings, database=f"{settings.database}_import")
        with phase(f"import of {settings.import_rows:,} residents on PostgreSQL"):
            database.recreate(fresh)
            database.migrate(fresh)
            lines += imports.measure_import(fresh.app_url, settings.import_rows).lines()
        with phase("exports of the bench's transfers, to CSV and XLSX"):
            lines += [figures.line() for figures in exports.measure(settings.app_url)]
        with phase(f"year-end clearing over the bench's {settings.residents:,} residents"):
            lines.append(expiry.describe(expiry.measure(settings.app_url)))
    for line in lines:
        say(f"  {line}")
    return lines


def _measure_postgres(settings, rng):
    """Every stage: grow the ledger, prepare, measure every scenario."""
    now = utc_now()
    with phase("database created and migrated"):
        database.recreate(settings)
        database.migrate(settings)
    with database.connect(settings) as conn:
        context = _seed_people(settings, conn, rng, now)
        rows = []
        for size in settings.stages:
            _grow(settings, conn, context.seeder, size)
            _prepare(conn, context)  # then VACUUM, as autovacuum would have by now
            rows += _measure(settings, context, context.seeder.seq, SCENARIOS)
            context.seeder.catch_up(conn)
            if size <= settings.verify_max:
                _verify(settings, f"after measuring, at {context.seeder.seq:,} transfers and the check-ins")
    return rows


def _measure_sqlite(settings, rng):
    """On SQLite, the default database: the check-in beside /healthz on the same server, then
    GET /api/v1/me on a server of one worker against one of several."""
    count = settings.sqlite_checkin_rate * (settings.warmup + settings.rounds * settings.duration)
    with phase(f"SQLite: migrated, demo loaded, {count:,} tickets booked through the app"):
        lines = sqlite.seed(count, rng, settings.sqlite_tokens)
    context = Context(sqlite.TOKENS, settings)
    use_tickets(context, lines, settings.sqlite_checkin_rate)
    measured = _measure(settings, context, sqlite.transfers(), SQLITE_SCENARIOS, database_url=sqlite.URL)
    measured += _measure_workers(settings, context, sqlite.transfers(), SQLITE_WORKERS, sqlite.URL)
    return [replace(row, database="SQLite") for row in measured]


def _measure_again(settings):
    """BENCH_REUSE=1: measure the database the last run left, as it is (for trying server settings)."""
    with database.connect(settings) as conn:
        size = conn.execute("SELECT seq FROM ledger_head").fetchone()[0]
    print(f"Civic Points bench, reusing {settings.database} at {size:,} transfers; "
          f"{server.describe(settings)}; wrk -t{settings.wrk_threads} -c{settings.connections} "
          f"-d{settings.duration}s × {settings.rounds} rounds", flush=True)
    # Scenarios that prepare something (check-in: fresh tickets in the chain) need the seeder's state.
    scenarios = [scenario for scenario in SCENARIOS if not scenario.prepare]
    context = Context(_tokens_file(settings), settings)
    return _conclude(settings, _measure(settings, context, size, scenarios))


def _tokens_file(settings):
    """The seeded residents' bearer tokens, one per line, kept beside the database they belong to."""
    return OUT / f"tokens-{settings.database}.txt"


def _banner(settings):
    return (
        f"Civic Points bench: {settings.residents:,} residents, ledger stages "
        f"{', '.join(f'{s:,}' for s in settings.stages)} transfers; {server.describe(settings)}; "
        f"wrk -t{settings.wrk_threads} -c{settings.connections} -d{settings.duration}s "
        f"× {settings.rounds} rounds (after a {settings.warmup}s warm-up); {os.cpu_count()} CPUs; "
        f"database {settings.database}"
    )


def _seed_people(settings, conn, rng, now):
    with phase(f"people seeded ({settings.residents:,} residents, {settings.tokens:,} API tokens)"):
        people = seed_people(conn, settings.residents, rng, now)
        tokens = seed_tokens(conn, people, settings.tokens, rng, now)
        conn.commit()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("gunicorn-*.log"):
        old.unlink()
    tokens_file = _tokens_file(settings)
    tokens_file.write_text("\n".join(tokens) + "\n")
    start, end = timeline(now)
    seeder = LedgerSeeder(people, rng, settings.transfers, start, end)
    return Context(tokens_file, settings, seeder, rng)


def _grow(settings, conn, seeder, size):
    with phase(f"ledger grown to {size:,} transfers (hash chain, balances, head)"):
        seeder.grow(conn, size)
        conn.commit()
    _rebuild_totals(settings)
    if size <= settings.verify_max:
        _verify(settings, f"on {size:,} seeded transfers")


def _rebuild_totals(settings):
    """The transfers went in by COPY, past the ledger: its monthly totals are recomputed from them."""
    with phase("flask ledger rebuild-totals (the reports' monthly totals)"):
        database.flask(settings, "ledger", "rebuild-totals")


def _verify(settings, when):
    with phase(f"flask ledger verify {when}"):
        clean, output = database.verify(settings)
    say(f"  {output}")
    if not clean:
        raise SystemExit("the ledger does not verify: the figures mean nothing until it does")


def _prepare(conn, context):
    for scenario in SCENARIOS:
        if scenario.prepare:
            with phase(f"prepared {scenario.name}"):
                scenario.prepare(conn, context)
                conn.commit()
    _rebuild_totals(context.settings)
    with phase("VACUUM ANALYZE + CHECKPOINT"):
        database.vacuum(context.settings)


def _measure(settings, context, size, scenarios, database_url=None):
    """Every scenario on one server: a warm-up each, then the rounds, scenarios alternating."""
    log = f"gunicorn-{'sqlite' if database_url else size}.log"
    with (phase(f"measured at {size:,} transfers"),
          server.gunicorn(settings, log, database_url) as app):
        return _rounds(settings, context, size, [(scenario, app) for scenario in scenarios], database_url)


def _measure_workers(settings, context, size, scenarios, database_url):
    """Each scenario on a server of its own, with its number of workers, all running at once (an
    idle one costs nothing); a warm-up each, then the rounds, alternating."""
    with phase(f"measured {' against '.join(s.label for s in scenarios)}"), contextlib.ExitStack() as stack:
        servers = [stack.enter_context(server.gunicorn(replace(settings, workers=s.workers),
                                                       f"gunicorn-sqlite-{s.workers}.log", database_url))
                   for s in scenarios]
        return _rounds(settings, context, size, list(zip(scenarios, servers)), database_url)


def _rounds(settings, context, size, runs_on, database_url):
    """[(scenario, server)]: a warm-up each, then the rounds, alternating; one Row each, compared
    with the first."""
    runs = {scenario.name: [] for scenario, _ in runs_on}
    say(f"  load average before measuring: {_load()}")
    for scenario, app in runs_on:
        wrk(settings, app, scenario, context, settings.warmup)
    meters = {app.pid: Meter(app.pid, None if database_url else settings.dsn) for _, app in runs_on}
    try:
        for n in range(1, settings.rounds + 1):
            for scenario, app in runs_on:
                result = wrk(settings, app, scenario, context, settings.duration, meters[app.pid])
                runs[scenario.name].append(result)
                say(f"  round {n} {scenario.label}: {result.requests_per_s:.1f} req/s, "
                    f"p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms, CPU/request "
                    f"app {result.app_cpu_ms:.2f} ms + db {result.db_cpu_ms:.2f} ms"
                    + (f", {result.errors} errors" if result.errors else "")
                    + (", held to the tickets' pace" if result.paced else ""))
    finally:
        for meter in meters.values():
            meter.close()
    baseline = runs[runs_on[0][0].name]
    return [report.Row(size, s, runs[s.name], baseline) for s, _ in runs_on]


_loads = []


def _load():
    """The load averages, remembered so the summary can say when the machine was busy."""
    with open("/proc/loadavg") as f:
        averages = f.read().split()[:3]
    _loads.append(float(averages[0]))
    return " ".join(averages)


def _conclude(settings, rows, operations=()):
    print()
    print(report.table(rows))
    if operations:
        print()
        print("\n".join(operations))
    for comparison in (report.growth(rows), report.workers(rows)):
        if comparison:
            print()
            print(comparison)
    if _loads and max(_loads) > 1.0:
        print(f"\nNote: the 1-minute load average was up to {max(_loads):.1f} before measuring on this "
              f"{os.cpu_count()}-CPU machine: other work competed for the CPUs, so requests/s and "
              f"latencies are low and noisy. The ratios (same rounds, alternating) and CPU ms/request "
              f"hold up better.")
    print(flush=True)
    if any(not row.clean for row in rows):
        print("Some requests failed (non-2xx or socket errors): see bench/out/gunicorn-*.log",
              file=sys.stderr)
        return 1
    missed = [row for row in rows if not row.met]
    if missed and os.environ.get("BENCH_STRICT"):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
