"""No surprises on the forms: one submit shows every mistake, and what was typed stays."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from points import create_app
from points.accounts.models import User
from points.earning import claims
from points.earning.models import ActionType, Unit
from points.extensions import db
from tests.conftest import TEST_CONFIG
from tests.earning.helpers import image_bytes, multipart, rows, upload


def test_registration_shows_every_mistake_after_one_submit(client, make_user):
    taken = make_user(community="午山社区")
    before = db.session.scalar(select(func.count(User.id)))
    response = client.post("/register", data={
        "name": "", "phone": taken.phone, "community": "", "password": "short"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("请输入姓名。", "该手机号码已注册。", "请选择您所在的社区。", "密码至少需要 8 个字符。"):
        assert message in html
    assert db.session.scalar(select(func.count(User.id))) == before


def test_registration_keeps_what_was_typed_but_not_the_password(client, make_user):
    make_user(community="午山社区")
    response = client.post("/register", data={
        "name": "李四", "phone": "12345", "community": "午山社区", "password": "abc123"})
    html = response.get_data(as_text=True)
    assert "请输入 11 位中国大陆手机号码。" in html and "密码至少需要 8 个字符。" in html
    assert 'value="李四"' in html and 'value="12345"' in html
    assert '<option selected value="午山社区">' in html
    assert "abc123" not in html


def test_activation_shows_a_missing_code_and_a_short_password_together(client):
    response = client.post("/activate", data={
        "phone": "13812345678", "code": "", "password": "short", "password_again": "short"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请输入社区居委会给您的验证码。" in html and "密码至少需要 8 个字符。" in html
    assert 'value="13812345678"' in html


def test_sign_in_shows_both_empty_fields_at_once(client):
    html = client.post("/login", data={"phone": "", "password": ""}).get_data(as_text=True)
    assert "请输入手机号码。" in html and "请输入密码。" in html


@pytest.fixture
def limited_app(sqlite_url):
    """An app whose sign-in limits count (in memory, under a prefix of this test's own)."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
                      "LOGIN_LIMIT_PER_PHONE": "2 per 5 minutes"})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_too_many_sign_ins_give_the_form_back_with_the_wait(limited_app):
    client = limited_app.test_client()
    tries = [client.post("/login?next=/claims", data={"phone": "13800000001", "password": "wrong"})
             for _ in range(3)]
    blocked = tries[-1]
    html = blocked.get_data(as_text=True)
    assert [t.status_code for t in tries] == [200, 200, 429]
    assert "尝试次数太多，请等待 5 分钟后再试。" in html
    assert 'value="13800000001"' in html and "wrong" not in html
    assert 'name="password"' in html  # the sign-in form itself, ready once the wait is over
    assert int(blocked.headers["Retry-After"]) > 240


def test_too_many_activations_give_the_form_back_with_the_wait(limited_app):
    client = limited_app.test_client()
    body = {"phone": "13800000002", "code": "12345678", "password": "password1", "password_again": "password1"}
    blocked = [client.post("/activate", data=body) for _ in range(3)][-1]
    html = blocked.get_data(as_text=True)
    assert blocked.status_code == 429 and "尝试次数太多，请等待 5 分钟后再试。" in html
    assert 'value="13800000002"' in html and 'value="12345678"' in html and "password1" not in html


def test_any_other_page_tried_too_often_says_how_long_and_links_back(limited_app):
    limited_app.config["VERIFY_LIMIT_PER_ADDRESS"] = "1 per minute"
    client = limited_app.test_client()
    blocked = [client.get("/verify/R1.not-a-record?from=card") for _ in range(2)][-1]
    html = blocked.get_data(as_text=True)
    assert blocked.status_code == 429 and "尝试次数太多，请等待 1 分钟后再试。" in html
    assert 'href="/verify/R1.not-a-record?from=card"' in html and "返回上一页" in html


def test_an_oversize_claim_gives_the_form_back_with_what_was_typed(app, client, make_user, login):
    app.config["MAX_CONTENT_LENGTH"] = 100_000
    action = ActionType(code="stairs", name_zh="清扫楼道", name_en="Cleaning stairs", category="environment",
                        points=3, unit=Unit.TIME, evidence_required=False, self_claimable=True)
    db.session.add(action)
    db.session.commit()
    login(make_user())
    day = claims.local_today().isoformat()
    typed = {"action_type": str(action.id), "occurred_on": day, "quantity": "2", "note": "3号楼一至六层",
             "photos": [upload(image_bytes() + b"\0" * 120_000)], "album": []}
    response = client.post("/claims/new", **multipart(typed))
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "照片太大" in html and 'name="photos"' in html
    assert f'<option selected value="{action.id}">' in html
    assert f'value="{day}"' in html and 'value="2"' in html and "3号楼一至六层" in html
    assert rows() == (0, 0)


def test_too_many_registrations_give_the_form_back_with_what_was_typed(limited_app):
    limited_app.config["REGISTER_LIMIT_PER_ADDRESS"] = "2 per hour"
    client = limited_app.test_client()
    typed = {"name": "李四", "phone": "12345", "community": "", "password": "abc123"}
    blocked = [client.post("/register", data=typed) for _ in range(3)][-1]
    html = blocked.get_data(as_text=True)
    assert blocked.status_code == 429 and "尝试次数太多，请等待 60 分钟后再试。" in html
    assert 'value="李四"' in html and 'value="12345"' in html and "abc123" not in html


def an_action(evidence_required):
    """A self-claimable action of 2 points, committed."""
    action = ActionType(code="flyers" if evidence_required else "litter", name_zh="清理小广告", name_en="Removing flyers",
                        category="environment", points=2, unit=Unit.TIME, evidence_required=evidence_required,
                        self_claimable=True)
    db.session.add(action)
    db.session.commit()
    return action


def test_the_claim_form_shows_a_future_day_and_a_bad_quantity_together(client, make_user, login):
    action = an_action(evidence_required=False)
    login(make_user())
    tomorrow = (claims.local_today() + timedelta(days=1)).isoformat()
    response = client.post("/claims/new", data={"action_type": str(action.id), "occurred_on": tomorrow,
                                                "quantity": "0", "note": "小区东门"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "日期不能晚于今天。" in html and "数量须为 1 至 24 之间的整数。" in html
    assert f'value="{tomorrow}"' in html and "小区东门" in html
    assert rows() == (0, 0)


def test_the_claim_form_shows_a_missing_photo_with_the_other_mistakes(client, make_user, login):
    action = an_action(evidence_required=True)
    login(make_user())
    tomorrow = (claims.local_today() + timedelta(days=1)).isoformat()
    response = client.post("/claims/new", data={"action_type": str(action.id), "occurred_on": tomorrow, "quantity": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "日期不能晚于今天。" in html and "该事项需要至少一张照片作为凭证。" in html
    assert rows() == (0, 0)
