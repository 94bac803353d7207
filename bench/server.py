"""gunicorn serving `points:create_app()` against the bench database, on a free local port."""
import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.database import app_env
from bench.settings import OUT, ROOT


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def describe(settings):
    if settings.worker_class == "gthread":
        return f"gunicorn {settings.workers} gthread workers × {settings.threads} threads"
    return f"gunicorn {settings.workers} {settings.worker_class} workers"


@dataclass(frozen=True)
class Server:
    base: str  # http://127.0.0.1:PORT
    pid: int  # gunicorn's master


@contextlib.contextmanager
def gunicorn(settings, log_name="gunicorn.log", database_url=None):
    """Yield a running Server (on the bench's PostgreSQL database unless another URL is given);
    stop it (and only it) afterwards."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")), "points:create_app()",
        "--bind", f"127.0.0.1:{port}", "--workers", str(settings.workers),
        "--worker-class", settings.worker_class, "--threads", str(settings.threads),
        "--log-level", "warning", "--chdir", str(ROOT),
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / log_name, "w") as log:
        env = app_env(settings, **({"POINTS_DATABASE_URL": database_url} if database_url else {}))
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(process, base)
        yield Server(base, process.pid)
    finally:
        process.terminate()  # gunicorn's graceful stop: the arbiter stops its own workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(process, base, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {OUT / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {timeout}s")
