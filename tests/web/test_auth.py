"""Signing in and out, registering, CSRF, and the language of the pages."""
import pytest
from sqlalchemy import func, select

from points import create_app
from points.accounts.models import Community, User
from points.extensions import db
from tests.conftest import TEST_CONFIG


def test_login_page_is_chinese_with_lang_attribute(page):
    status, html = page("/login")
    assert status == 200
    assert '<html lang="zh-CN">' in html
    assert "手机号码" in html and "登录" in html


def test_sign_in_lands_on_home(client, make_user, login):
    user = make_user(name="张三")
    assert login(user).headers["Location"] == "/"
    assert "张三" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("phone, password", [("13000000000", "password1"), (None, "wrong-password")])
def test_one_message_for_unknown_phone_and_wrong_password(client, make_user, phone, password):
    user = make_user()
    response = client.post("/login", data={"phone": phone or user.phone, "password": password})
    assert "手机号码或密码不正确。" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_disabled_account_gets_the_same_message(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"phone": user.phone, "password": "password1"})
    assert "手机号码或密码不正确。" in response.get_data(as_text=True)


@pytest.mark.parametrize("target, landing", [
    ("/admin/users", "/admin/users"),
    ("https://evil.example", "/"),
    ("//evil.example/x", "/"),
])
def test_next_only_goes_to_this_site(client, make_user, target, landing):
    user = make_user()
    response = client.post(f"/login?next={target}", data={"phone": user.phone, "password": "password1"})
    assert response.headers["Location"] == landing


def test_sign_out_is_a_post_and_ends_the_session(client, make_user, login):
    login(make_user())
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").headers["Location"] == "/login"
    assert client.get("/").headers["Location"].startswith("/login")


def test_register_with_an_existing_community(client, page, make_user):
    make_user(community="午山社区")
    status, html = page("/register")
    assert status == 200 and '<option value="午山社区">' in html
    response = client.post("/register", data={
        "name": "李四", "phone": "13812345678", "community": "午山社区", "password": "password1"})
    assert response.headers["Location"] == "/"
    assert "欢迎" in client.get("/").get_data(as_text=True)


def test_register_cannot_invent_a_community(client, make_user):
    make_user(community="午山社区")
    response = client.post("/register", data={
        "name": "李四", "phone": "13812345678", "community": "新社区", "password": "password1"})
    assert response.status_code == 422
    assert db.session.scalar(select(Community).where(Community.name == "新社区")) is None


def test_register_shows_the_rule_that_was_broken(client, make_user):
    make_user(community="午山社区")
    response = client.post("/register", data={
        "name": "李四", "phone": "12345", "community": "午山社区", "password": "password1"})
    assert response.status_code == 422
    assert "请输入 11 位中国大陆手机号码。" in response.get_data(as_text=True)


def test_registration_can_be_closed(app, client):
    app.config["REGISTRATION_OPEN"] = False
    assert client.get("/register").status_code == 404
    assert "注册账户" not in client.get("/login").get_data(as_text=True)


def test_a_form_without_csrf_token_is_refused_and_writes_nothing(app, client, make_user):
    make_user(community="午山社区")
    app.config["WTF_CSRF_ENABLED"] = True
    before = db.session.scalar(select(func.count(User.id)))
    response = client.post("/register", data={
        "name": "李四", "phone": "13812345678", "community": "午山社区", "password": "password1"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(User.id))) == before


def test_language_switch_gives_english(client, page):
    response = client.post("/lang/en", data={"next": "/login"})
    assert response.headers["Location"] == "/login"
    status, html = page("/login")
    assert '<html lang="en">' in html and "Mobile number" in html


def test_language_switch_ignores_a_foreign_next(client):
    assert client.post("/lang/en", data={"next": "https://evil.example"}).headers["Location"] == "/"


@pytest.mark.parametrize("header, word", [("en-GB,en;q=0.9", "Sign in"), ("zh-CN,zh;q=0.9", "登录"),
                                          ("fr-FR", "登录")])
def test_accept_language_chooses_the_language(page, header, word):
    assert word in page("/login", headers={"Accept-Language": header})[1]


def test_security_headers_on_pages(client):
    response = client.get("/login")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "<script" not in response.get_data(as_text=True)
    assert " style=" not in response.get_data(as_text=True)


def test_https_answers_tell_browsers_to_keep_to_https(client):
    assert "max-age=31536000" in client.get("/login", base_url="https://localhost").headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_behind_a_proxy_https_is_known_from_x_forwarded_proto(database_url):
    proxied = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "PROXY_COUNT": 1}).test_client()
    answer = proxied.get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"})
    assert "Strict-Transport-Security" in answer.headers
    assert "Strict-Transport-Security" not in proxied.get("/login", headers={"X-Forwarded-Proto": "http"}).headers


def test_chosen_language_survives_signing_in(client, make_user, login):
    client.post("/lang/en")
    login(make_user())
    assert "Available points" in client.get("/").get_data(as_text=True)


def test_signed_in_person_is_not_asked_to_register(client, make_user, login):
    login(make_user())
    assert client.get("/register").headers["Location"] == "/"
