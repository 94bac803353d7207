"""Exports measured: transfers to CSV and to XLSX through points.exports.operations (in-process, no
HTTP) at 100,000 and 1,000,000 rows of an existing database; rows per second and the exporting
process's peak memory. Each export runs in a fresh process doing nothing else, so the peak is its own
(targets: ≥ 50,000 rows/s to CSV, ≥ 20,000 rows/s to XLSX, peak ≤ 200 MB whatever the row count).

    measure(database_url, sizes=(100_000, 1_000_000)) -> [ExportFigures]

The rows are the transfers of whole days from the first one on, up to the day of transfer number
`size`: the export's own day filter, so a few more rows than `size` may come. From the shell:

    python -m bench.exports [--sizes 100000,1000000] postgresql+psycopg://...
    python -m bench.exports --seed 1000000 postgresql://postgres@127.0.0.1:5432/exports_bench  # seeds it first
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bench.settings import ROOT

TARGETS = {"csv": 50_000, "xlsx": 20_000}  # rows per second
TARGET_MB = 200


@dataclass
class ExportFigures:
    format: str
    rows: int
    seconds: float
    cpu_seconds: float  # the exporting process's own CPU time (the rest: the database, and waiting)
    peak_rss_mb: float

    @property
    def rows_per_second(self):
        return self.rows / self.seconds if self.seconds else 0.0

    def line(self):
        speed_ok = "met" if self.rows_per_second >= TARGETS[self.format] else "**missed**"
        memory_ok = "met" if self.peak_rss_mb <= TARGET_MB else "**missed**"
        return (f"export of {self.rows:,} transfers to {self.format.upper()}: {self.rows_per_second:,.0f} rows/s "
                f"(≥ {TARGETS[self.format]:,}: {speed_ok}; {self.seconds:.1f} s, {self.cpu_seconds:.1f} s of CPU), "
                f"peak memory {self.peak_rss_mb:.0f} MB "
                f"(≤ {TARGET_MB} MB: {memory_ok})")


def measure(database_url, sizes=(100_000, 1_000_000), formats=("csv", "xlsx")):
    """Each size the database holds, in each format, each in a process of its own."""
    figures = []
    for size in sizes:
        days = _days_up_to(database_url, size)
        if days is None:
            continue  # the database holds fewer transfers
        for fmt in formats:
            figures.append(_export_in_child(database_url, fmt, *days))
    return figures


def _days_up_to(database_url, size):
    """The first day of the ledger and the day of transfer number `size`, in the scheme's calendar."""
    zone = ZoneInfo(os.environ.get("POINTS_TIMEZONE", "Asia/Shanghai"))
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            first, last = (conn.execute(sa.text("SELECT created_at FROM transfers WHERE id = :id"), {"id": n}).scalar()
                           for n in (1, size))
    finally:
        engine.dispose()
    if first is None or last is None:
        return None
    return [_day(moment, zone) for moment in (first, last)]


def _day(moment, zone):
    if isinstance(moment, str):  # SQLite
        from datetime import datetime
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(zone).date().isoformat()


def _peak_mb():
    """This process's own peak resident memory. Not getrusage's ru_maxrss: Linux carries the parent's
    peak into a child across fork and exec, so under bench.run it reported the bench's own size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _export_in_child(database_url, fmt, first_day, last_day):
    done = subprocess.run([sys.executable, "-m", "bench.exports", "--child", fmt, first_day, last_day, database_url],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return ExportFigures(**json.loads(done.stdout.strip().splitlines()[-1]))


def child(database_url, fmt, first_day, last_day):
    """In the measured process: the app, the operation, the file written to /dev/null; the figures as JSON."""
    from points import create_app
    from points.exports import jobs, operations
    from points.exports.street import TheStreet

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context(), jobs.reading():
        asked = operations.ask(TheStreet(), "transfers", {"from": first_day, "to": last_day, "format": fmt})
        rows = operations.expected_rows(asked)
        started, cpu = time.perf_counter(), time.process_time()
        with open(os.devnull, "wb") as sink:
            for chunk in operations.stream(asked).body:
                sink.write(chunk)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = _peak_mb()
    print(json.dumps({"format": fmt, "rows": rows, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                      "peak_rss_mb": round(peak_mb, 1)}))


def seed(dsn, transfers, residents=20_000):
    """A bench database of its own (dropped and created): people, then `transfers` seeded transfers."""
    from bench import database
    from bench.seed import LedgerSeeder, seed_people
    from bench.seed.ledger import timeline
    from bench.seed.people import new_rng, utc_now
    from bench.settings import Settings

    server, name = dsn.rsplit("/", 1)
    settings = Settings(server_url=server, database=name, residents=residents, transfers=transfers)
    database.recreate(settings)
    database.migrate(settings)
    rng, now = new_rng(settings.seed), utc_now()
    with database.connect(settings) as conn:
        people = seed_people(conn, residents, rng, now)
        LedgerSeeder(people, rng, transfers, *timeline(now)).grow(conn, transfers)
        conn.commit()
    database.vacuum(settings)
    return settings.app_url


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs=3, metavar=("FORMAT", "FROM", "TO"), help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, help="Recreate the PostgreSQL database with this many transfers first")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("database_url")
    args = parser.parse_args()
    if args.child:
        child(args.database_url, *args.child)
        return
    url = seed(args.database_url, args.seed) if args.seed else args.database_url
    for figures in measure(url, [int(size) for size in args.sizes.split(",")]):
        print(figures.line(), flush=True)


if __name__ == "__main__":
    main()
