"""What wrk drives. A scenario is a name, a method and path, and a wrk Lua script with its arguments.

The first scenario is the baseline every other is compared with, in the same run and on the same
server. To add one: write its Lua script under bench/lua/, make anything it needs in `prepare`
(tickets, staff tokens, written to files under bench/out/), and append it to SCENARIOS with its
target ratio.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.seed.history import seed_history
from bench.seed.people import seed_staff_tokens, utc_now
from bench.seed.tickets import seed_tickets, ticket_lines
from bench.settings import OUT

LUA = Path(__file__).resolve().parent / "lua"


@dataclass(frozen=True)
class Context:
    """What the seed made that scenarios may use: files of tokens, the ledger seeder and the like."""

    tokens_file: Path
    settings: object = None
    seeder: object = None  # the LedgerSeeder, to write transfers that continue its chain
    rng: object = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    target: float | None = None  # the least requests/s as a share of the baseline's
    script: Path = LUA / "request.lua"
    uses_tokens: bool = False
    # Called once per stage, after seeding and before the server starts, with an open psycopg
    # connection (committed afterwards) and the Context; may add files to context.extra.
    prepare: Callable | None = None
    # The script's arguments after METHOD PATH, for one wrk run of `duration` seconds.
    arguments: Callable | None = None
    # The most p99 may be as a multiple of p50 (a queue building up shows in p99 first).
    tail: float | None = None
    p99_max_ms: float | None = None  # the most p99 may be, where a ratio is not the target
    workers: int | None = None  # gunicorn workers of a server of its own (else the stage's server)
    connections: int | None = None  # wrk's connections, if not the bench's (BENCH_CONNECTIONS)
    signs_in: bool = False  # a page: requests carry a signed-in admin's session cookie (bench/pages.py)

    def script_args(self, context, duration):
        args = [self.method, self.path]
        if self.uses_tokens:
            args.append(str(context.tokens_file))
        if self.arguments:
            args += [str(a) for a in self.arguments(context, duration)]
        return args

    @property
    def label(self):
        if self.workers:
            return f"{self.method} {self.path}, {self.workers} worker{'s' if self.workers > 1 else ''}"
        return f"{self.method} {self.path}"


class TicketSlices:
    """A stage's prepared check-in requests, handed out in disjoint slices, one per wrk run."""

    def __init__(self, path, count, rate):
        self.path, self.count, self.rate, self.used = path, count, rate, 0

    def take(self, duration):
        first, self.used = self.used + 1, self.used + self.rate * duration
        if self.used > self.count:  # only if the slices asked for are more than were made
            raise SystemExit("the check-in tickets ran out: raise BENCH_CHECKIN_RATE")
        return first, self.used


def _prepare_checkins(conn, context):
    """Fresh tickets for every check-in of this stage, and a token for each venue's staff member."""
    settings, now = context.settings, utc_now()
    tickets = seed_tickets(conn, context.seeder, settings.checkins_needed, context.rng, now)
    tokens = seed_staff_tokens(conn, now)
    use_tickets(context, ticket_lines(tickets, tokens, stage=context.seeder.seq), settings.checkin_rate)


def use_tickets(context, lines, rate):
    """Give the check-in scenario these request lines (bench/lua/checkin.lua), `rate` a second."""
    path = OUT / "checkins.txt"
    path.write_text("\n".join(lines) + "\n")
    context.extra["checkins"] = TicketSlices(path, len(lines), rate)


def _checkin_arguments(context, duration):
    slices = context.extra["checkins"]
    first, last = slices.take(duration)
    return [slices.path, first, last, context.settings.wrk_threads, duration]


def _prepare_history(conn, context):
    """A year of sessions, bookings and claim decisions behind the seeded transfers, for the reports."""
    context.extra["bookings"] = seed_history(conn)


HEALTHZ = Scenario("healthz", "GET", "/healthz")  # the baseline: one SELECT 1
SCENARIOS = [  # on PostgreSQL, at every stage
    HEALTHZ,
    Scenario("me", "GET", "/api/v1/me", target=0.6, uses_tokens=True),
    Scenario("checkin", "POST", "/api/v1/checkins", target=0.5, tail=3.0, script=LUA / "checkin.lua",
             prepare=_prepare_checkins, arguments=_checkin_arguments),
    # The reports of the last 12 months, every community (after the check-ins: their bookings exist).
    Scenario("dashboard", "GET", "/admin/reports", script=LUA / "page.lua", signs_in=True, p99_max_ms=300,
             connections=4, prepare=_prepare_history),
    Scenario("statement", "GET", "/admin/reports/statement", script=LUA / "page.lua", signs_in=True,
             p99_max_ms=300, connections=4),
]
SQLITE_SCENARIOS = [  # on SQLite, once (bench/sqlite.py makes the tickets)
    HEALTHZ,
    Scenario("checkin", "POST", "/api/v1/checkins", p99_max_ms=100, script=LUA / "checkin.lua",
             arguments=_checkin_arguments),
]
# On SQLite, reads begin deferred and do not queue for the write turn, so several processes serve
# them side by side: GET /api/v1/me under one gunicorn worker (the baseline), then under four.
SQLITE_WORKERS = [
    Scenario("me-1", "GET", "/api/v1/me", uses_tokens=True, workers=1),
    Scenario("me-4", "GET", "/api/v1/me", target=1.5, uses_tokens=True, workers=4),
]
