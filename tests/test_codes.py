"""One-time codes: an office issues one, the resident sets their password with it, once, in time."""
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from points import create_app
from points.accounts import codes, people
from points.accounts import operations as accounts
from points.accounts.codes import CodeDoesNotWork, OneTimeCode
from points.accounts.models import Role, User
from points.audit import AuditEntry
from points.extensions import db, limiter
from points.timeutil import now_utc
from tests.conftest import TEST_CONFIG
from tests.web.test_sign_ins import Device

DOES_NOT_WORK = "This code does not work. Please ask your community office for a new one."
EN = {"Accept-Language": "en"}


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER, name="赵敏")


@pytest.fixture
def imported(reviewer):
    """A resident registered at the office: no password at all."""
    resident = people.register_resident(reviewer, "13712345678", "李大爷")
    db.session.commit()
    return resident


def issue(actor, resident):
    issued = codes.issue_code(actor, resident)
    db.session.commit()
    return issued.code


def activate(client, phone, code, password="newpassword1", again=None):
    return client.post("/activate", headers=EN, data={
        "phone": phone, "code": code, "password": password, "password_again": again or password})


def api_activate(client, phone, code, password="newpassword1"):
    return client.post("/api/v1/auth/activate", json={"phone": phone, "code": code, "password": password}, headers=EN)


# ---- Issuing ----

def test_a_reviewer_issues_an_activation_code_and_the_slip_shows_it(client, login, reviewer, imported):
    login(reviewer)
    page = client.get(f"/admin/residents/{imported.id}", headers=EN).get_data(as_text=True)
    assert "Issue an activation code" in page
    response = client.post(f"/people/{imported.id}/code", headers=EN)
    slip = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    shown = re.search(r"data-code>(\d{4} \d{4})<", slip).group(1)
    assert "Your activation code" in slip and "李大爷" in slip and "137****5678" in slip
    assert "http://localhost/activate" in slip
    client.post("/logout")
    assert activate(client, imported.phone, shown).status_code == 302  # the code on the slip works


def test_a_resident_with_a_password_gets_a_reset_code(client, login, reviewer, make_user):
    resident = make_user()
    login(reviewer)
    assert "Issue a password reset code" in client.get(f"/people/{resident.id}/card", headers=EN).get_data(as_text=True)
    slip = client.post(f"/people/{resident.id}/code", headers=EN).get_data(as_text=True)
    assert "Your password reset code" in slip
    assert db.session.execute(select(OneTimeCode.purpose)).scalar() == "reset"


def test_a_reviewer_elsewhere_gets_404_and_staff_403(client, login, make_user, imported):
    stranger = make_user(Role.REVIEWER, community="午山社区")
    login(stranger)
    assert client.post(f"/people/{imported.id}/code").status_code == 404
    client.post("/logout")
    login(make_user(Role.STAFF))
    assert client.post(f"/people/{imported.id}/code").status_code == 403
    assert db.session.execute(select(OneTimeCode)).first() is None


def test_an_admin_issues_for_anyone(make_user, imported):
    admin = make_user(Role.ADMIN, community="午山社区")
    assert len(issue(admin, imported)) == codes.DIGITS


def test_only_a_hash_is_kept(reviewer, imported):
    code = issue(reviewer, imported)
    stored = db.session.execute(select(OneTimeCode.code_hash)).scalar()
    assert code not in stored and stored.startswith("scrypt:")


# ---- Using ----

def test_a_code_works_once(client, reviewer, imported):
    code = issue(reviewer, imported)
    assert api_activate(client, imported.phone, code).status_code == 200
    again = api_activate(client, imported.phone, code, "another-password")
    assert again.status_code == 401  # as a wrong password is answered
    assert again.get_json()["error"] == {"code": "code_not_working", "message": DOES_NOT_WORK}


def test_an_expired_code_does_not_work(client, reviewer, imported):
    code = issue(reviewer, imported)
    record = db.session.execute(select(OneTimeCode)).scalar()
    record.created_at = now_utc() - timedelta(days=15)
    record.expires_at = now_utc() - timedelta(seconds=1)
    db.session.commit()
    assert api_activate(client, imported.phone, code).get_json()["error"]["code"] == "code_not_working"


def test_the_lifetimes_are_the_settings(app, reviewer, imported, make_user):
    issued = codes.issue_code(reviewer, imported)
    assert issued.expires_at - issued.record.created_at == app.config["ACTIVATION_CODE_LIFETIME"] == timedelta(days=14)
    reset = codes.issue_code(reviewer, make_user())
    assert reset.expires_at - reset.record.created_at == app.config["RESET_CODE_LIFETIME"]


def test_wrong_tries_void_the_code_even_across_requests(client, reviewer, imported):
    code = issue(reviewer, imported)
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    for _ in range(5):
        assert api_activate(client, imported.phone, wrong).status_code == 401
    assert client.post("/activate", data={"phone": imported.phone, "code": code, "password": "newpassword1",
                                          "password_again": "newpassword1"}).status_code == 422
    record = db.session.execute(select(OneTimeCode)).scalar()
    assert record.failed_tries == 5 and record.voided_at is not None and record.used_at is None
    assert db.session.get(User, imported.id).password_hash is None


def test_unknown_phone_wrong_code_and_void_code_say_the_same(client, reviewer, imported):
    code = issue(reviewer, imported)
    answers = [api_activate(client, "13700000000", code).get_json(),
               api_activate(client, imported.phone, "00000000" if code != "00000000" else "11111111").get_json(),
               api_activate(client, "not a phone", code).get_json()]
    assert answers[0] == answers[1] == answers[2]


def test_a_new_code_voids_the_old_one(client, reviewer, imported):
    old = issue(reviewer, imported)
    new = issue(reviewer, imported)
    if old != new:
        assert api_activate(client, imported.phone, old).status_code == 401
    assert api_activate(client, imported.phone, new).status_code == 200
    issued = db.session.execute(select(AuditEntry).where(AuditEntry.action == "code.issued")
                                .order_by(AuditEntry.id)).scalars().all()
    assert issued[1].details["replaced"] == issued[0].target_id


def test_a_short_password_costs_no_try(client, reviewer, imported):
    code = issue(reviewer, imported)
    short = api_activate(client, imported.phone, code, "short")
    assert short.status_code == 422 and "password" in short.get_json()["error"]["fields"]
    assert db.session.execute(select(OneTimeCode.failed_tries)).scalar() == 0
    assert api_activate(client, imported.phone, code).status_code == 200


def test_spaces_dashes_and_full_width_digits_are_read(client, reviewer, imported):
    code = issue(reviewer, imported)
    typed = "".join(chr(ord(d) + 0xFEE0) for d in code[:4]) + " - " + code[4:]  # ４８２１ - 0937
    assert api_activate(client, imported.phone, typed).status_code == 200


def test_the_api_answers_with_a_token_that_signs_in(client, reviewer, imported):
    body = api_activate(client, imported.phone, issue(reviewer, imported)).get_json()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"}).get_json()
    assert me["name"] == "李大爷" and body["user"]["id"] == imported.id


def test_a_reset_ends_every_other_session_and_token(client, app, reviewer, make_user, token_for):
    app.test_client_class = Device  # a phone of its own, that no other request's sign-in leaks into
    resident = make_user()
    old_token = token_for(resident)
    other_phone = app.test_client()
    other_phone.post("/login", data={"phone": resident.phone, "password": "password1"})
    assert other_phone.get("/").status_code == 200
    assert api_activate(client, resident.phone, issue(reviewer, resident), "brand-new-pass").status_code == 200
    assert client.get("/api/v1/me", headers=old_token).status_code == 401
    assert other_phone.get("/").status_code == 302  # back to the sign-in page
    assert accounts.authenticate(resident.phone, "password1") is None
    assert accounts.authenticate(resident.phone, "brand-new-pass").id == resident.id


# ---- The pages ----

def test_the_page_keeps_what_was_typed_and_says_what_is_wrong(client, reviewer, imported):
    code = issue(reviewer, imported)
    response = activate(client, imported.phone, code, "newpassword1", again="newpassword2")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The two passwords are not the same." in page
    assert f'value="{imported.phone}"' in page and f'value="{code}"' in page
    wrong = activate(client, imported.phone, "1234 5678" if code != "12345678" else "8765 4321")
    assert wrong.status_code == 422 and DOES_NOT_WORK in wrong.get_data(as_text=True)
    assert 'value="1234 5678"' in wrong.get_data(as_text=True) or 'value="8765 4321"' in wrong.get_data(as_text=True)


def test_activating_signs_in_and_goes_home(client, reviewer, imported):
    response = activate(client, imported.phone, issue(reviewer, imported))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert "李大爷" in home and "Your password is set and you are signed in." in home
    assert accounts.authenticate(imported.phone, "newpassword1").id == imported.id


def test_forgot_your_password_leads_to_the_office_and_the_code_page(client):
    login_page = client.get("/login", headers=EN).get_data(as_text=True)
    assert 'href="/forgot-password"' in login_page and "Forgot your password?" in login_page
    forgot = client.get("/forgot-password", headers=EN).get_data(as_text=True)
    assert "ask your community office for a password reset code" in forgot and 'href="/activate"' in forgot


# ---- Without a password ----

@pytest.mark.parametrize("password", ["", "password1", "None", " "])
def test_nobody_signs_in_to_an_account_without_a_password(client, imported, password):
    assert accounts.authenticate(imported.phone, password) is None
    assert client.post("/api/v1/auth/token", json={"phone": imported.phone, "password": password}).status_code in (
        401, 422)
    assert client.post("/login", data={"phone": imported.phone, "password": password}).status_code == 200


def test_registering_the_phone_again_never_takes_the_account_over(client, imported):
    community = imported.community.name
    response = client.post("/register", headers=EN, data={
        "name": "冒名者", "phone": imported.phone, "community": community, "password": "takeover123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This mobile number already has an account. Your community office gives you an activation code" in page
    db.session.expire_all()
    person = db.session.get(User, imported.id)
    assert person.name == "李大爷" and person.password_hash is None
    assert client.post("/login", data={"phone": imported.phone, "password": "takeover123"}).status_code == 200


def test_a_registered_phone_with_a_password_still_says_registered(client, make_user):
    resident = make_user()
    response = client.post("/register", headers=EN, data={
        "name": "某人", "phone": resident.phone, "community": resident.community.name, "password": "password99"})
    assert "This mobile number is already registered." in response.get_data(as_text=True)


def test_a_disabled_account_cannot_be_activated(client, reviewer, imported):
    code = issue(reviewer, imported)
    accounts.set_active(imported, False)
    db.session.commit()
    assert api_activate(client, imported.phone, code).status_code == 401


def test_use_code_refuses_in_the_operation_too(app, reviewer, imported):
    issue(reviewer, imported)
    with pytest.raises(CodeDoesNotWork):
        codes.use_code(imported.phone, "abc", "newpassword1")


# ---- The command ----

def test_the_command_prints_a_code_that_works(runner, client, imported):
    result = runner.invoke(args=["user", "code", "--phone", imported.phone])
    assert result.exit_code == 0, result.output
    shown = re.search(r": (\d{4} \d{4})$", result.output.splitlines()[0]).group(1)
    assert result.output.startswith("activation code for 李大爷 (137****5678)")
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "code.issued")).scalar()
    assert entry.actor_id is None and entry.for_user_id == imported.id
    assert api_activate(client, imported.phone, shown).status_code == 200


def test_the_command_names_an_unknown_phone(runner):
    result = runner.invoke(args=["user", "code", "--phone", "13700000001"])
    assert result.exit_code != 0 and "nobody has the mobile number 13700000001" in result.output


def test_tries_count_against_the_sign_in_limits(sqlite_url):
    """Guessing a code is guessing a password: the same limits, counted together."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_KEY_PREFIX": f"codes-{uuid.uuid4().hex}", "LOGIN_LIMIT_PER_PHONE": "3 per 5 minutes"})
    with app.app_context():
        limiter.reset()
        body = {"phone": "13800000001", "code": "1234 5678", "password": "newpassword1"}
        answers = [app.test_client().post("/api/v1/auth/activate", json=body).status_code for _ in range(3)]
        assert answers == [401] * 3
        assert app.test_client().post("/activate", data={**body, "password_again": body["password"]}).status_code == 429
        assert app.test_client().post("/api/v1/auth/token", json=body).status_code == 429
        db.engine.dispose()
