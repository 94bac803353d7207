"""Bad input gets a clear answer, never a server error, and changes nothing."""
import pytest

from points.accounts.models import Role

HUGE = "9" * 30


@pytest.mark.parametrize("url", [f"/?before={HUGE}", "/?before=-5", f"/admin/residents/{HUGE}",
                                 f"/admin/users/{HUGE}", "/admin?q=%25_%5C", f"/admin/users?q={'王' * 500}"])
def test_odd_addresses(client, make_user, login, url):
    login(make_user(Role.ADMIN | Role.RESIDENT))
    assert client.get(url).status_code in (200, 404)


@pytest.mark.parametrize("data", [
    {"roles": ["god"]}, {"roles": ["resident"], "venues": ["x"]}, {"roles": ["resident"], "venues": ["999"]},
    {"roles": ["resident"], "community": "不存在的社区"},
])
def test_odd_role_changes(client, admin, make_user, data):
    assert client.post(f"/admin/users/{make_user().id}", data=data).status_code == 422


@pytest.mark.parametrize("action_type", ["abc", "999", HUGE])
def test_odd_action_types(client, admin, make_user, action_type):
    form = {"direction": "award", "points": "5", "note": "x", "action_type": action_type,
            "request_key": "0b6f8a9e-2c1d-4b7a-9f3e-5d2c1b0a9e8f"}
    assert client.post(f"/admin/residents/{make_user().id}", data=form).status_code == 422


@pytest.mark.parametrize("data", [{}, {"direction": "sideways", "points": "5"}, {"points": "5", "request_key": "x"}])
def test_odd_award_forms(client, admin, make_user, data):
    assert client.post(f"/admin/residents/{make_user().id}", data=data).status_code == 422
