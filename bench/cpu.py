"""CPU time spent serving a run: gunicorn's workers and their PostgreSQL backends (SQLite runs
inside the workers).

Throughput on a shared 2-core machine moves with whatever else runs on it; the CPU each request
costs the app and the database barely does, so it is reported next to requests/s.

A backend that exits during a run is not counted: with more gunicorn threads per worker than
SQLAlchemy's pool keeps (5), overflow connections come and go and the database figure reads low.
"""
import os
from dataclasses import dataclass

import psycopg

TICK = 1000 / os.sysconf("SC_CLK_TCK")  # ms per clock tick


@dataclass(frozen=True)
class Usage:
    app_ms: float
    db_ms: float


class Meter:
    """Reads the CPU of a gunicorn master's workers and of the database's client backends."""

    def __init__(self, server_pid, dsn=None):
        """`dsn`: the PostgreSQL database the server uses; None for SQLite (inside the workers)."""
        self.server_pid = server_pid
        self.conn = psycopg.connect(dsn, autocommit=True) if dsn else None

    def close(self):
        if self.conn:
            self.conn.close()

    def snapshot(self):
        workers = _children(self.server_pid)
        backends = [pid for (pid,) in self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )] if self.conn else []
        return {"app": _ticks(workers), "db": _ticks(backends)}

    @staticmethod
    def used(before, after):
        """CPU ms between two snapshots (a process new since `before` counts from its start)."""
        def delta(side):
            return sum(t - before[side].get(pid, 0) for pid, t in after[side].items()) * TICK
        return Usage(delta("app"), delta("db"))


def _children(parent):
    """The processes whose parent is `parent` (gunicorn's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == parent:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


def _ticks(pids):
    ticks = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            pass
    return ticks
