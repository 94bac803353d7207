"""Sign-ins end on the server: at sign-out, and for every device when a password changes or an account is disabled."""
import pytest
from flask import g
from flask.testing import FlaskClient

from points.accounts.models import Role


class Device(FlaskClient):
    """A phone or computer of its own. The tests' app context outlives each request, and Flask-Login
    caches the signed-in person in `g`; a server's fresh request has no such cache, so drop it."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def devices(app):
    """Every test client here (`client` too) is a Device, so no request sees another's sign-in."""
    app.test_client_class = Device


@pytest.fixture
def browser(app):
    """browser(user) -> another device, signed in through the form."""

    def open_signed_in(user, password="password1"):
        device = app.test_client()
        response = device.post("/login", data={"phone": user.phone, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return device

    return open_signed_in


def signed_in(browser_client):
    return browser_client.get("/").status_code == 200


def test_a_copied_session_cookie_stops_working_after_sign_out(app, client, make_user, login):
    login(make_user(name="张三"))
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert "张三" in copy.get("/").get_data(as_text=True)
    client.post("/logout")
    assert copy.get("/").headers["Location"].startswith("/login")


def test_signing_out_leaves_the_persons_other_devices_signed_in(client, make_user, login, browser):
    person = make_user()
    phone = browser(person)
    login(person)
    client.post("/logout")
    assert signed_in(phone)


def test_a_password_reset_ends_the_persons_sessions_and_tokens(client, make_user, login, browser, token_for):
    login(make_user(Role.ADMIN))
    person = make_user()
    phone, headers = browser(person), token_for(person)
    assert signed_in(phone) and client.get("/api/v1/me", headers=headers).status_code == 200
    client.post(f"/admin/users/{person.id}/password", data={"password": "new-secret-1"})
    assert phone.get("/").headers["Location"].startswith("/login")
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert signed_in(browser(person, "new-secret-1"))


def test_disabling_an_account_ends_its_sessions_and_tokens(client, make_user, login, browser, token_for):
    login(make_user(Role.ADMIN))
    person = make_user()
    phone, headers = browser(person), token_for(person)
    client.post(f"/admin/users/{person.id}/active", data={"active": "0"})
    assert phone.get("/").headers["Location"].startswith("/login")
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_changing_ones_own_password_ends_the_other_sessions_only(client, make_user, login, browser, token_for):
    admin = make_user(Role.ADMIN)
    laptop, headers = browser(admin), token_for(admin)
    login(admin)
    client.post(f"/admin/users/{admin.id}/password", data={"password": "new-secret-1"})
    assert client.get("/admin/users").status_code == 200  # the page they are on keeps them signed in
    assert laptop.get("/admin/users").headers["Location"].startswith("/login")
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_session_cookie_from_before_sessions_had_rows_signs_nobody_in(app, make_user):
    """Cookies signed before the upgrade named the user's id; that id is not a sign-in's key."""
    person = make_user()
    old = app.test_client()
    with old.session_transaction() as session:
        session["_user_id"] = str(person.id)
    assert old.get("/").headers["Location"].startswith("/login")
