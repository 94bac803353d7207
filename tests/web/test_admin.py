"""The reviewer's and admin's home: finding residents, awarding and deducting points."""
import uuid

import pytest

from points import ledger
from points.accounts.models import Role
from points.earning.models import ActionType
from points.extensions import db


def award_form(points, direction="award", note="帮扶邻居", **fields):
    return {"direction": direction, "points": str(points), "note": note, "request_key": str(uuid.uuid4()),
            **fields}


def test_residents_and_staff_cannot_open_admin_pages(client, make_user, login):
    login(make_user(Role.RESIDENT | Role.STAFF))
    assert client.get("/admin").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_reviewer_finds_residents_of_own_community_only(reviewer, make_user, page):
    make_user(name="王芳")
    make_user(name="王强", community="午山社区")
    html = page("/admin?q=王")[1]
    assert "王芳" in html and "王强" not in html


def test_phone_is_masked_to_reviewers_and_shown_to_admins(client, reviewer, make_user, page, login):
    resident = make_user(name="王芳")
    html = page("/admin?q=王芳")[1]
    assert resident.masked_phone in html and resident.phone not in html
    login(make_user(Role.ADMIN))
    assert resident.phone in page(f"/admin?q={resident.phone[3:7]}")[1]


def test_reviewer_cannot_probe_hidden_digits(reviewer, make_user, page):
    resident = make_user(name="王芳")
    assert "王芳" not in page(f"/admin?q={resident.phone[3:7]}")[1]
    assert "王芳" in page(f"/admin?q={resident.phone[-4:]}")[1]


def test_reviewer_awards_a_resident_of_own_community(client, reviewer, make_user):
    resident = make_user(name="王芳")
    response = client.post(f"/admin/residents/{resident.id}", data=award_form(10), follow_redirects=True)
    assert "已奖励王芳 10 积分。" in response.get_data(as_text=True)
    assert ledger.balance(resident.id).available == 10


def test_reviewer_cannot_award_another_communitys_resident(client, reviewer, make_user):
    other = make_user(community="午山社区")
    assert client.get(f"/admin/residents/{other.id}").status_code == 404
    assert client.post(f"/admin/residents/{other.id}", data=award_form(10)).status_code == 404
    assert ledger.balance(other.id).available == 0


def test_deduction_with_an_action_type(client, reviewer, make_user, give_points):
    resident = make_user(name="王芳")
    give_points(resident, 20)
    littering = ActionType(code="litter", name_zh="乱扔垃圾", name_en="Littering", category="civility", points=-5,
                           self_claimable=False)
    db.session.add(littering)
    db.session.commit()
    form = award_form(5, "deduct", note="", action_type=str(littering.id))
    response = client.post(f"/admin/residents/{resident.id}", data=form, follow_redirects=True)
    assert "已扣除王芳 5 积分。" in response.get_data(as_text=True)
    assert ledger.balance(resident.id).available == 15


def test_deducting_more_than_available_is_refused_on_the_form(client, reviewer, make_user):
    resident = make_user()
    response = client.post(f"/admin/residents/{resident.id}", data=award_form(5, "deduct"))
    assert response.status_code == 409
    assert "可用积分不足。" in response.get_data(as_text=True)


def test_award_needs_a_reason(client, reviewer, make_user):
    resident = make_user()
    response = client.post(f"/admin/residents/{resident.id}", data=award_form(5, note=""))
    assert response.status_code == 409 and "请填写理由。" in response.get_data(as_text=True)
    assert ledger.balance(resident.id).available == 0


@pytest.mark.parametrize("points", ["", "abc", "0", "-3", "99999999999999999999999"])
def test_bad_points_get_a_message_not_an_error(client, reviewer, make_user, points):
    resident = make_user()
    response = client.post(f"/admin/residents/{resident.id}", data=award_form(points))
    assert response.status_code == 422
    assert ledger.balance(resident.id).available == 0


def test_a_form_sent_twice_awards_once(client, reviewer, make_user):
    resident = make_user()
    form = award_form(10)
    client.post(f"/admin/residents/{resident.id}", data=form)
    client.post(f"/admin/residents/{resident.id}", data=form)
    assert ledger.balance(resident.id).available == 10


def test_large_award_waits_for_a_second_admin(client, reviewer, make_user):
    resident = make_user(name="王芳")
    response = client.post(f"/admin/residents/{resident.id}", data=award_form(80), follow_redirects=True)
    assert "正在等待另一位街道管理员审批" in response.get_data(as_text=True)
    assert ledger.balance(resident.id).available == 0


def test_unknown_resident_is_404(client, reviewer):
    assert client.get("/admin/residents/999999").status_code == 404
