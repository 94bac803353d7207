"""What the benchmark measures and how, read once from BENCH_* environment variables."""
import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"  # tokens, server logs; ignored by git


def _int(name, default):
    return int(os.environ.get(name, default))


def _stages(final):
    """The ledger sizes to measure at: 10k and the full size, unless BENCH_STAGES names others."""
    text = os.environ.get("BENCH_STAGES")
    if text:
        return sorted({int(s) for s in text.replace(" ", "").split(",") if s})
    return sorted({min(10_000, final), final})


@dataclass(frozen=True)
class Settings:
    residents: int = field(default_factory=lambda: _int("BENCH_RESIDENTS", 100_000))
    transfers: int = field(default_factory=lambda: _int("BENCH_TRANSFERS", 1_000_000))
    tokens: int = field(default_factory=lambda: _int("BENCH_TOKENS", 5_000))
    seed: int = field(default_factory=lambda: _int("BENCH_SEED", 20261126))
    # wrk
    duration: int = field(default_factory=lambda: _int("BENCH_DURATION", 10))
    warmup: int = field(default_factory=lambda: _int("BENCH_WARMUP", 3))
    # Scenarios alternate round by round; each figure is the median over the rounds, so a burst of
    # other work on the machine cannot favour one endpoint.
    rounds: int = field(default_factory=lambda: _int("BENCH_ROUNDS", 3))
    connections: int = field(default_factory=lambda: _int("BENCH_CONNECTIONS", 16))
    wrk_threads: int = field(default_factory=lambda: _int("BENCH_WRK_THREADS", 2))
    # wrk's own default (2 s) counts a slow answer on a busy machine as a socket error.
    wrk_timeout: int = field(default_factory=lambda: _int("BENCH_WRK_TIMEOUT", 10))
    # gunicorn: one process per core, threads to overlap the database round trips. On this 2-core
    # machine gthread (which keeps connections alive) served both endpoints about twice as fast as
    # 2-4 sync workers; 2 × 4 gave /api/v1/me the most requests/s, 3 × 2 healthz slightly more.
    workers: int = field(default_factory=lambda: _int("BENCH_WORKERS", 2))
    worker_class: str = field(default_factory=lambda: os.environ.get("BENCH_WORKER_CLASS", "gthread"))
    threads: int = field(default_factory=lambda: _int("BENCH_THREADS", 4))
    # PostgreSQL
    server_url: str = field(
        default_factory=lambda: os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
    )
    database: str = field(default_factory=lambda: os.environ.get("BENCH_DB", "points_bench"))
    verify_max: int = field(default_factory=lambda: _int("BENCH_VERIFY_MAX", 10_000))
    # Check-in: every scan takes a fresh ticket, so each stage seeds enough for this many check-ins
    # a second over every warm-up and round (more than this machine serves). wrk is held to that
    # pace, so a faster machine cannot run out; the table then says the pace held it back.
    checkin_rate: int = field(default_factory=lambda: _int("BENCH_CHECKIN_RATE", 400))

    # The import measured on fresh databases (SQLite, and PostgreSQL with the stages).
    import_rows: int = field(default_factory=lambda: _int("BENCH_IMPORT_ROWS", 50_000))
    # PostgreSQL's stages; BENCH_POSTGRES=0 leaves them out (to measure SQLite alone).
    postgres: bool = field(default_factory=lambda: os.environ.get("BENCH_POSTGRES", "1") != "0")
    # SQLite: measured once after the PostgreSQL stages (BENCH_SQLITE=0 leaves it out). Its tickets
    # are booked through the app, which takes longer, so fewer are made.
    sqlite: bool = field(default_factory=lambda: os.environ.get("BENCH_SQLITE", "1") != "0")
    sqlite_checkin_rate: int = field(default_factory=lambda: _int("BENCH_SQLITE_CHECKIN_RATE", 250))
    sqlite_tokens: int = field(default_factory=lambda: _int("BENCH_SQLITE_TOKENS", 1_000))

    @property
    def checkins_needed(self):
        return self.checkin_rate * (self.warmup + self.rounds * self.duration)

    @property
    def stages(self):
        return [s for s in _stages(self.transfers) if s <= self.transfers] or [self.transfers]

    @property
    def dsn(self):
        """For psycopg (COPY, VACUUM)."""
        return f"{self.server_url}/{self.database}"

    @property
    def app_url(self):
        """For the app (POINTS_DATABASE_URL)."""
        return self.dsn.replace("postgresql://", "postgresql+psycopg://", 1)

    @property
    def maintenance_dsn(self):
        return f"{self.server_url}/postgres"
