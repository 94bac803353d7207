"""The four-eyes queue: a second, different admin approves or refuses large awards."""
import pytest

from points import ledger
from points.accounts.models import Role
from points.earning import awards
from points.extensions import db


@pytest.fixture
def large_award(make_user):
    """An 80-point award for 王芳, asked for by admin 管理员乙, waiting in the queue."""
    requester = make_user(Role.ADMIN, name="管理员乙")
    resident = make_user(name="王芳")
    _, request = awards.give(requester, resident, 80, "test:large", note="抗洪抢险")
    db.session.commit()
    return request


def test_second_admin_approves(client, admin, large_award, page):
    assert "抗洪抢险" in page("/admin/award-requests")[1]
    response = client.post(f"/admin/award-requests/{large_award.id}/approve", follow_redirects=True)
    assert "已批准：80 积分已发放给王芳。" in response.get_data(as_text=True)
    assert ledger.balance(large_award.user_id).available == 80


def test_admin_cannot_approve_own_request_and_sees_why(client, make_user, login, large_award, page):
    login(large_award.requester)
    html = page("/admin/award-requests")[1]
    assert "这笔奖励是您发起的" in html and "批准并发放" not in html
    response = client.post(f"/admin/award-requests/{large_award.id}/approve")
    assert response.status_code == 403
    assert "您发起的奖励须由另一位街道管理员审批。" in response.get_data(as_text=True)
    assert ledger.balance(large_award.user_id).available == 0


def test_refusing_needs_a_reason(client, admin, large_award):
    response = client.post(f"/admin/award-requests/{large_award.id}/refuse", data={"reason": " "})
    assert response.status_code == 422 and "请填写驳回理由。" in response.get_data(as_text=True)
    response = client.post(f"/admin/award-requests/{large_award.id}/refuse", data={"reason": "材料不全"},
                           follow_redirects=True)
    assert "已驳回" in response.get_data(as_text=True)
    assert ledger.balance(large_award.user_id).available == 0


def test_a_decided_request_cannot_be_decided_again(client, admin, large_award):
    client.post(f"/admin/award-requests/{large_award.id}/approve")
    response = client.post(f"/admin/award-requests/{large_award.id}/approve")
    assert response.status_code == 409
    assert ledger.balance(large_award.user_id).available == 80


def test_reviewers_do_not_decide_large_awards(client, reviewer, large_award):
    assert client.get("/admin/award-requests").status_code == 403
    assert client.post(f"/admin/award-requests/{large_award.id}/approve").status_code == 403


def test_admin_home_says_how_many_are_waiting(admin, large_award, page):
    assert "有 1 笔大额奖励等待您审批。" in page("/admin")[1]


def test_unknown_request_is_404(client, admin):
    assert client.post("/admin/award-requests/999999/approve").status_code == 404
