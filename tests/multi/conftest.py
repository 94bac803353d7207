"""Fixtures for several instances: two gunicorns behind nginx on one PostgreSQL database and one Redis.

The test's own process keeps an app on the same database, to set up what a test needs (people, venues,
tokens) and to read what the instances wrote. Every request of a test goes through nginx, and each test
checks that both instances answered some of them.
"""
import itertools

import pytest
import redis

from points import create_app
from points.extensions import db
from points.redemption import venues
from tests.conftest import TEST_CONFIG, _migrated, pg_database, skip_or_fail
from tests.earning.conftest import make_action  # noqa: F401
from tests.multi import cluster as processes
from tests.redemption.races.conftest import post_at_once  # noqa: F401 (40 racers, sent to `server` below)

SHARED_REDIS_DB = 14  # tests/test_security.py has 15; the faults' cluster 13
_venues = itertools.count(1)


def pytest_configure(config):
    config.addinivalue_line("markers", "multi: starts gunicorn instances behind nginx (tests/multi)")


def require_nginx():
    if processes.nginx_binary() is None:
        skip_or_fail("nginx not installed: `apt-get install nginx` (.ci/run installs it)")


def redis_url(number):
    """A Redis database of the test's own, emptied first; skips (or fails in CI) when Redis is not there."""
    url = f"redis://127.0.0.1:6379/{number}"
    try:
        redis.Redis.from_url(url, socket_timeout=5).flushdb()
    except redis.ConnectionError:
        skip_or_fail(f"Redis not reachable at {url}")
    return url


def checking_app(database_url):
    """The app in the test's process, on the instances' database."""
    # pool_pre_ping: a connection that outlived a restart of PostgreSQL is replaced, not used.
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url,
                       "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}})


@pytest.fixture(scope="session")
def shared_database():
    """A migrated database of these tests' own on the suite's PostgreSQL."""
    with pg_database("points_multi") as url:
        _migrated(url)
        yield url


@pytest.fixture(scope="session")
def two_instances(shared_database, tmp_path_factory):
    require_nginx()
    with processes.running(tmp_path_factory.mktemp("multi"), shared_database, redis_url(SHARED_REDIS_DB)) as cluster:
        cluster.app = checking_app(shared_database)
        yield cluster
        with cluster.app.app_context():
            db.engine.dispose()


@pytest.fixture
def cluster(two_instances):
    """The cluster a test runs on (tests/multi/test_faults.py has one on a PostgreSQL of its own)."""
    return two_instances


@pytest.fixture
def app(cluster):
    with cluster.app.app_context():
        yield cluster.app
        db.session.remove()


@pytest.fixture
def venue(app):
    """The races' venue; the database lives for the whole session here, so each test's has a name of its own."""
    venue = venues.create_venue(f"乒乓球馆{next(_venues)}", "table_tennis")
    db.session.commit()
    return venue


@pytest.fixture
def server(cluster):
    """Where the race helpers of tests/concurrency send their requests: nginx."""
    return "127.0.0.1", cluster.proxy.port


@pytest.fixture(autouse=True)
def both_instances_answer(cluster, request):
    """After each test that passed: the requests it sent through nginx reached both instances, not one."""
    before, failures = cluster.proxy.log_size(), request.session.testsfailed
    yield
    if request.session.testsfailed > failures:
        return  # it failed already, for a reason of its own
    served = cluster.proxy.upstreams_since(before)
    assert set(served) == cluster.addresses, f"answered by {dict(served)}, expected both of {cluster.addresses}"

