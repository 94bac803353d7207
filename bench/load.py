"""Running wrk against one scenario and reading its figures."""
import re
import subprocess
from dataclasses import dataclass, replace

from bench.cpu import Meter, Usage
from bench.pages import admin_cookie

WRK = "/usr/bin/wrk"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass(frozen=True)
class Result:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers plus socket errors
    usage: Usage | None = None  # CPU the app and the database spent on the run
    paced: bool = False  # the run was held to the pace of its prepared requests (bench/lua/checkin.lua)

    @property
    def app_cpu_ms(self):
        return self.usage.app_ms / self.requests if self.usage and self.requests else 0.0

    @property
    def db_cpu_ms(self):
        return self.usage.db_ms / self.requests if self.usage and self.requests else 0.0

    @property
    def clean(self):
        return self.errors == 0 and self.requests > 0


def wrk(settings, server, scenario, context, duration, meter=None):
    """One wrk run; returns its Result, with the CPU used if a Meter is given (raises if wrk fails)."""
    command = [
        WRK, f"-t{settings.wrk_threads}", f"-c{scenario.connections or settings.connections}", f"-d{duration}s", "--latency",
        "--timeout", f"{settings.wrk_timeout}s",
        "-s", str(scenario.script), server.base + scenario.path, "--", *scenario.script_args(context, duration),
    ]
    if scenario.signs_in:
        command.append(admin_cookie(server.base))
    before = meter.snapshot() if meter else None
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    if "tickets exhausted" in done.stdout:
        raise SystemExit(f"{scenario.label} scanned every prepared ticket before the run ended, so the "
                         f"rest were refused as used: raise BENCH_CHECKIN_RATE")
    result = replace(parse(done.stdout), paced="held to the tickets' pace" in done.stdout)
    if meter:
        result = replace(result, usage=Meter.used(before, meter.snapshot()))
    return result


def parse(output):
    """Requests/s, p50, p99, total requests and errors from wrk --latency output."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", output))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return Result(rate, _percentile(output, "50"), _percentile(output, "99"), requests, errors)


def _percentile(output, which):
    value, unit = re.search(rf"^\s+{which}(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
    return float(value) * UNITS[unit]
