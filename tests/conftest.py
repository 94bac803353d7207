"""Fixtures: a fresh database per test (SQLite always; PostgreSQL when POINTS_TEST_DATABASE_URL is set)."""
import functools
import itertools
import os
import shutil
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from hypothesis import settings
from flask_migrate import upgrade

from points import create_app
from points.accounts import operations as accounts
from points.accounts.models import Role
from points.redemption import venues as venue_ops
from points.extensions import db

PG_URL = os.environ.get("POINTS_TEST_DATABASE_URL")
PG_SKIP = "PostgreSQL not configured: set POINTS_TEST_DATABASE_URL (.ci/run points it at 127.0.0.1:5432)"
STRICT = bool(os.environ.get("POINTS_TEST_STRICT"))  # set by .ci/run: nothing may skip for lack of a service


# In CI the generated examples are the same on every run, so a landing never hangs on luck;
# locally they vary, to keep finding new cases.
settings.register_profile("ci", derandomize=True, print_blob=True)
if STRICT:
    settings.load_profile("ci")


def skip_or_fail(reason):
    """Locally a missing service skips with its reason; in CI it fails the run."""
    if STRICT:
        pytest.fail(f"{reason} (POINTS_TEST_STRICT is set, so this fails instead of skipping)")
    pytest.skip(reason)
TEST_CONFIG = {
    "TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
    "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # still scrypt, at a cost fit for thousands of test sign-ins
}

_phones = itertools.count(13900000000)


def _migrated(url):
    """Run the real migrations on an empty database."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "points.sqlite3"
    _migrated(f"sqlite:///{path}")
    return path


@functools.cache
def _pg_server():
    return sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")


@contextmanager
def pg_database(prefix, template=None):
    """A PostgreSQL database of the caller's own on the suite's server, empty or cloned; dropped after."""
    if not PG_URL:
        skip_or_fail(PG_SKIP)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with _pg_server().connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with _pg_server().connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_template():
    """The name of a migrated database that each test's database is cloned from."""
    with pg_database("points_template") as url:
        _migrated(url)
        yield sa.make_url(url).database


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path):
    path = tmp_path / "points.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def pg_url(pg_template):
    with pg_database("points_test", template=pg_template) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request):
    """Each test that asks for it runs twice: on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{'pg' if request.param == 'postgres' else 'sqlite'}_url")


@pytest.fixture
def app(database_url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user(roles=Role.RESIDENT, community="锦湖社区", **fields) -> a committed User."""

    def make(roles=Role.RESIDENT, community="锦湖社区", name="测试居民", password="password1", venues=()):
        user = accounts.create_user(str(next(_phones)), name, password, roles, community)
        venue_ops.works_at(user, venues)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    """login(user) signs the test client in through the real sign-in form."""

    def sign_in(user, password="password1"):
        response = client.post("/login", data={"phone": user.phone, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return sign_in


@pytest.fixture
def token_for(client):
    """token_for(user) -> Authorization headers from POST /api/v1/auth/token."""

    def issue(user, password="password1"):
        response = client.post("/api/v1/auth/token", json={"phone": user.phone, "password": password})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return issue
