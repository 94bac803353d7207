"""The security baseline that is not a page's own concern."""
import uuid

import pytest
import redis

from points import create_app
from points.extensions import limiter
from tests.conftest import TEST_CONFIG, skip_or_fail

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by each test


def test_every_answer_carries_the_content_security_policy(client):
    for path in ("/login", "/api/v1/me", "/healthz"):
        assert "default-src 'self'" in client.get(path).headers["Content-Security-Policy"]


def test_session_cookie_is_httponly_lax_and_secure_under_https(client, make_user):
    user = make_user()
    plain = client.post("/login", data={"phone": user.phone, "password": "password1"})
    cookie = plain.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = client.post("/login", base_url="https://localhost",
                         data={"phone": user.phone, "password": "password1"})
    assert "Secure" in secure.headers["Set-Cookie"]


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_healthz_is_503_when_the_database_is_gone():
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503


@pytest.fixture
def redis_limited_apps(sqlite_url):
    """Two app instances (as two gunicorn workers would be) sharing one Redis for rate limits."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        skip_or_fail(f"Redis not reachable at {REDIS_URL}")
    config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url, "RATELIMIT_ENABLED": True,
              "REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
              "LOGIN_LIMIT_PER_PHONE": "3 per 5 minutes", "LOGIN_LIMIT_PER_ADDRESS": "5 per 5 minutes"}
    apps = create_app(config), create_app(config)
    with apps[0].app_context():
        limiter.reset()
    return apps


def test_sign_in_is_limited_per_phone_across_workers(redis_limited_apps):
    first, second = redis_limited_apps
    body = {"phone": "13800000001", "password": "wrong-password"}
    answers = [app.test_client().post("/api/v1/auth/token", json=body).status_code
               for app in (first, second, first, second)]
    assert answers == [401, 401, 401, 429]
    blocked = second.test_client().post("/login", data=body)
    assert blocked.status_code == 429


def test_sign_in_is_limited_per_address_whatever_the_phone(redis_limited_apps):
    app = redis_limited_apps[0]
    answers = [app.test_client().post("/api/v1/auth/token",
                                      json={"phone": f"1380000000{n}", "password": "x"}).status_code
               for n in range(6)]
    assert answers[:5] == [401] * 5 and answers[5] == 429
    assert "error" in app.test_client().post("/api/v1/auth/token", json={"phone": "1", "password": "x"}).get_json()


def test_registrations_are_limited_per_address(redis_limited_apps):
    """Each attempt tells whether a phone is taken, so one address may not try phone after phone."""
    app = redis_limited_apps[0]
    app.config["REGISTER_LIMIT_PER_ADDRESS"] = "3 per hour"
    attempt = {"phone": "13800000001", "name": "李四", "password": "a-long-password-1", "community": ""}
    answers = [app.test_client().post("/register", data=attempt).status_code for _ in range(4)]
    assert answers[:3] == [422] * 3 and answers[3] == 429
    assert app.test_client().get("/register").status_code == 200  # the form itself stays open
