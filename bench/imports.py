"""The import of an office's spreadsheet, measured: 50,000 residents with opening balances brought in by
`flask --app points import residents` in a process of its own, its wall time and peak memory, and
whether `ledger verify` is clean afterwards (targets: ≤ 60 s and ≤ 300 MB, on SQLite and PostgreSQL).

    measure_import(database_url, rows=50_000, kind="xlsx") -> ImportFigures

The database must be migrated; the file's communities are created by the import if new. Phone numbers
start at 199 00000000 + `first`, so a second measurement on the same database passes another `first`
(or measures a re-import, which creates nothing). From the shell, on fresh databases:

    python -m bench.imports [--rows N] [--kind xlsx|csv] sqlite:////tmp/import.sqlite postgresql+psycopg://...
"""
import argparse
import csv
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
COMMUNITIES = ["锦湖社区", "午山社区", "泰都社区", "石岭路社区"]  # the demo's (points/demo.py)
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "秀英建华伟芳敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
TARGET_SECONDS, TARGET_MB = 60, 300


@dataclass
class ImportFigures:
    database: str  # "sqlite" or "postgresql"
    kind: str  # "xlsx" or "csv"
    rows: int
    created: int  # residents the import created (0: they were there already)
    seconds: float  # wall time of the import command, start to exit
    cpu_seconds: float  # CPU time of the importing process (the rest of the wall time: the database, waiting)
    peak_rss_mb: float  # the importing process's peak resident memory
    verified: bool  # `ledger verify` exited 0 afterwards
    verify_seconds: float

    def lines(self):
        """The figures as the bench prints them, each beside its target."""
        time_ok = "met" if self.seconds <= TARGET_SECONDS else "**missed**"
        memory_ok = "met" if self.peak_rss_mb <= TARGET_MB else "**missed**"
        return [f"import of {self.rows:,} residents ({self.kind}) on {self.database}: {self.seconds:.1f} s "
                f"(≤ {TARGET_SECONDS} s: {time_ok}; {self.cpu_seconds:.1f} s of CPU), peak memory {self.peak_rss_mb:.0f} MB "
                f"(≤ {TARGET_MB} MB: {memory_ok}), {self.created:,} created",
                f"ledger verify afterwards: {'clean' if self.verified else 'NOT CLEAN'} ({self.verify_seconds:.1f} s)"]


def resident(n, first=0):
    """The n-th resident of the file: name, phone, community, opening balance, household number."""
    name = SURNAMES[n % len(SURNAMES)] + GIVEN[n // len(SURNAMES) % len(GIVEN)] + GIVEN[n // 7 % len(GIVEN)]
    return (name, f"199{first + n:08d}", COMMUNITIES[n % len(COMMUNITIES)], 1 + n % 200, f"{n // 100 + 1}-{n % 100 + 1}")


def write_residents(path, rows, kind="xlsx", first=0):
    """A file of `rows` residents with opening balances, as an office's Excel writes it."""
    header = ["姓名", "手机号", "社区", "期初积分", "户号"]
    if kind == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(resident(n, first) for n in range(rows))
        Path(path).write_bytes(out.getvalue().encode("gb18030"))
        return path
    book = Workbook()  # not write_only, which leaves out the <dimension> that Excel writes first
    sheet = book.active
    sheet.title = "居民"
    sheet.append(header)
    for n in range(rows):
        name, phone, community, points, household = resident(n, first)
        sheet.append([name, int(phone), community, points, household])  # Excel keeps a typed phone as a number
    book.save(path)
    return path


def measure_import(database_url, rows=50_000, kind="xlsx", first=0, workdir=None):
    """Write the file, import it in a process of its own, verify the ledger; returns the figures."""
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        path = write_residents(Path(folder) / f"residents.{kind}", rows, kind, first)
        seconds, usage, code, output = run_measured(
            ["import", "residents", str(path), "--create-communities"], database_url)
        if code != 0:
            raise RuntimeError(f"the import failed (exit {code}):\n{output[-3000:]}")
    started = time.monotonic()
    verified = flask(["ledger", "verify"], database_url).returncode == 0
    created = re.search(r"(\d+) resident\(s\) created", output)
    return ImportFigures(
        database=database_url.split(":", 1)[0].split("+", 1)[0], kind=kind, rows=rows,
        created=int(created.group(1)) if created else 0, seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime, peak_rss_mb=usage.ru_maxrss / 1024,
        verified=verified, verify_seconds=time.monotonic() - started,
    )


def run_measured(args, database_url):
    """Run a flask command; returns (wall seconds, its resource use, exit code, output). os.wait4 gives
    that process's own use (ru_maxrss: its peak RSS in KB), whatever other children the caller has had."""
    started = time.monotonic()
    process = subprocess.Popen(_command(args), env=_env(database_url), cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read().decode(errors="replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - started, usage, process.returncode, output


def flask(args, database_url):
    return subprocess.run(_command(args), env=_env(database_url), cwd=ROOT, capture_output=True, text=True)


def _command(args):
    return [sys.executable, "-m", "flask", "--app", "points", *args]


def _env(database_url):
    return {**os.environ, "POINTS_DATABASE_URL": database_url}


def main():
    parser = argparse.ArgumentParser(description="Measure the import of residents on migrated-here databases.")
    parser.add_argument("urls", nargs="+", help="database URLs (each is migrated first)")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--kind", choices=["xlsx", "csv"], default="xlsx")
    options = parser.parse_args()
    for url in options.urls:
        migrated = flask(["db", "upgrade"], url)
        if migrated.returncode != 0:
            raise SystemExit(migrated.stderr)
        print("\n".join(measure_import(url, options.rows, options.kind).lines()), flush=True)


if __name__ == "__main__":
    main()
