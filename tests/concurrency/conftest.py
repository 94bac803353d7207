"""Fixtures for racing requests: the app served over real HTTP, and a way to fire many calls at once."""
import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from werkzeug.serving import make_server

from points import create_app
from points.extensions import db

# As in tests/conftest.py; the app is rebuilt here only to give PostgreSQL a pool as large as the race.
TEST_CONFIG = {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
RACERS = 30  # the most threads any test here runs at once


@pytest.fixture
def app(database_url):
    """The app on SQLite and PostgreSQL; on PostgreSQL with a connection for every racing thread."""
    config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url}
    if database_url.startswith("postgresql"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": RACERS + 2, "max_overflow": 0}
    app = create_app(config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def server(app):
    """The app behind a real HTTP server on a free port, one thread per request; yields (host, port)."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd.server_address[:2]
    httpd.shutdown()
    thread.join()
    httpd.server_close()


def at_once(count, work, setup=lambda i: None):
    """work(i, setup(i)) for i in range(count), each in its own thread: every setup done, then all released
    together. Returns the results in order; an unexpected exception in any thread fails the test."""
    assert count <= RACERS, "the PostgreSQL pool is sized for RACERS threads"
    db.session.commit()  # end the test's own transaction: on SQLite it would hold the write lock
    barrier = threading.Barrier(count)

    def run(i):
        prepared = setup(i)
        barrier.wait(timeout=30)
        return work(i, prepared)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture
def race():
    """race(count, work, setup=...): see at_once."""
    return at_once


@pytest.fixture
def post_at_once(server):
    """post_at_once(count, path, body_for, headers_for) -> [(status, headers, json)], all sent together."""
    host, port = server

    def connect(i):
        connection = http.client.HTTPConnection(host, port, timeout=60)
        connection.connect()
        return connection

    def send(count, path, body_for, headers_for):
        def post(i, connection):
            try:
                headers = {"Content-Type": "application/json", **headers_for(i)}
                connection.request("POST", path, body=json.dumps(body_for(i)), headers=headers)
                response = connection.getresponse()
                return response.status, dict(response.getheaders()), json.loads(response.read())
            finally:
                connection.close()

        return at_once(count, post, setup=connect)

    return send
