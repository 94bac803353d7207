"""The figures, printed as one table per run and a line comparing the ledger sizes."""
import statistics
from dataclasses import dataclass

from bench.load import Result
from bench.scenarios import Scenario


@dataclass(frozen=True)
class Row:
    """One scenario at one ledger size: its runs, and the baseline's runs of the same rounds."""

    transfers: int
    scenario: Scenario
    runs: list[Result]
    baseline_runs: list[Result]
    database: str = "PostgreSQL"

    @property
    def result(self):
        """The median run by requests/s (its latencies are shown with it)."""
        return sorted(self.runs, key=lambda r: r.requests_per_s)[len(self.runs) // 2]

    @property
    def ratio(self):
        """The median of the per-round ratios to the baseline."""
        ratios = sorted(r.requests_per_s / max(b.requests_per_s, 1e-9)
                        for r, b in zip(self.runs, self.baseline_runs))
        return statistics.median(ratios)

    @property
    def spread(self):
        rates = [r.requests_per_s for r in self.runs]
        return f"{min(rates):.0f}–{max(rates):.0f}" if len(rates) > 1 else ""

    @property
    def cpu(self):
        """Median CPU ms per request: the app's, the database's."""
        app = statistics.median(r.app_cpu_ms for r in self.runs)
        db = statistics.median(r.db_cpu_ms for r in self.runs)
        return app, db

    @property
    def errors(self):
        return sum(r.errors for r in self.runs)

    @property
    def clean(self):
        return all(r.clean for r in self.runs)

    @property
    def met(self):
        return self._verdict() in ("", "ok")

    @property
    def paced(self):
        """Whether a run was held to its prepared tickets' pace: the figure is then a lower bound."""
        return any(r.paced for r in self.runs)

    @property
    def verdict(self):
        verdict = self._verdict()
        return f"{verdict} (held to the tickets' pace)" if self.paced else verdict

    def _verdict(self):
        if not self.clean:
            return f"ERRORS ({self.errors} of {sum(r.requests for r in self.runs)})"
        if self.scenario.p99_max_ms is not None:
            return "ok" if self.result.p99_ms <= self.scenario.p99_max_ms else "TAIL: p99 too long"
        if self.scenario.target is None:
            return ""
        if self.ratio < self.scenario.target:
            return "BELOW TARGET"
        if self.scenario.tail and self.result.p99_ms > self.scenario.tail * self.result.p50_ms:
            return f"TAIL: p99 > {self.scenario.tail:g} × p50"
        return "ok"


HEADER = (f"{'database':<11}{'ledger':>11}  {'endpoint':<27}{'req/s':>8}{'(range)':>12}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'CPU ms/req app+db':>19}{'× baseline':>12}  {'target':<22}")


def table(rows):
    lines = [HEADER, "-" * len(HEADER)]
    for row in rows:
        target = f"≥ {row.scenario.target:.2f}" if row.scenario.target is not None else ""
        if row.scenario.tail:
            target += f", p99 ≤ {row.scenario.tail:g}×p50"
        if row.scenario.p99_max_ms is not None:
            target = f"p99 ≤ {row.scenario.p99_max_ms:g} ms"
        r, (app, db) = row.result, row.cpu
        cpu = f"{app:.2f} + {db:.2f}"
        lines.append(
            f"{row.database:<11}{row.transfers:>11,}  {row.scenario.label:<27}{r.requests_per_s:>8.1f}{row.spread:>12}"
            f"{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}{cpu:>19}{row.ratio:>12.2f}  {target:<22}{row.verdict}"
        )
    return "\n".join(lines)


def growth(rows):
    """Per scenario: the figure at the smallest ledger against the largest."""
    rows = [row for row in rows if row.database == "PostgreSQL"]
    sizes = sorted({row.transfers for row in rows})
    if len(sizes) < 2:
        return ""
    lines = []
    for name in dict.fromkeys(row.scenario.name for row in rows):
        small = next(r for r in rows if r.scenario.name == name and r.transfers == sizes[0])
        large = next(r for r in rows if r.scenario.name == name and r.transfers == sizes[-1])
        lines.append(
            f"{large.scenario.label:<22} at {sizes[0]:,} → {sizes[-1]:,} transfers: "
            f"{small.result.requests_per_s:.1f} → {large.result.requests_per_s:.1f} req/s "
            f"({large.result.requests_per_s / small.result.requests_per_s:.2f}×), "
            f"p99 {small.result.p99_ms:.2f} → {large.result.p99_ms:.2f} ms, "
            f"× baseline {small.ratio:.2f} → {large.ratio:.2f}"
        )
    return "\n".join(lines)


def workers(rows):
    """The same endpoint under one gunicorn worker and under several: both figures and the ratio."""
    rows = [row for row in rows if row.scenario.workers]
    if len(rows) < 2:
        return ""
    one, *several = rows
    return "\n".join(
        f"{row.database} {row.scenario.method} {row.scenario.path}: {one.scenario.workers} worker "
        f"{one.result.requests_per_s:.1f} req/s, {row.scenario.workers} workers {row.result.requests_per_s:.1f} "
        f"req/s: {row.ratio:.2f}× (median of the rounds' ratios; target ≥ {row.scenario.target:g}×), "
        f"CPU/request {one.cpu[0]:.2f} → {row.cpu[0]:.2f} ms"
        for row in several
    )
