"""The bench database: dropped and created afresh, migrated by the app's own `db upgrade`."""
import os
import subprocess
import sys

import psycopg

from bench.settings import ROOT


def app_env(settings, **extra):
    """The environment the app runs in: the bench database, rate limits off."""
    env = dict(os.environ, POINTS_DATABASE_URL=settings.app_url, POINTS_RATELIMIT_ENABLED="false")
    env.update(extra)
    return env


def flask(settings, *args, check=True):
    """Run `flask --app points ...` from the project's venv against the bench database."""
    command = [sys.executable, "-m", "flask", "--app", "points", *args]
    return subprocess.run(
        command, cwd=ROOT, env=app_env(settings), check=check, capture_output=True, text=True,
    )


def recreate(settings):
    """Drop the bench database (closing any session on it) and create it empty."""
    with psycopg.connect(settings.maintenance_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{settings.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{settings.database}"')


def migrate(settings):
    flask(settings, "db", "upgrade")


def connect(settings):
    return psycopg.connect(settings.dsn)


def vacuum(settings):
    """What autovacuum would have done by now on a live system: visibility map and statistics."""
    with psycopg.connect(settings.dsn, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")


def verify(settings):
    """`flask ledger verify` on the bench database; returns (clean, its output)."""
    done = flask(settings, "ledger", "verify", check=False)
    return done.returncode == 0, (done.stdout + done.stderr).strip()
