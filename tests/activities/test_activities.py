"""Activities through the API and the operations: create, scope, check in, close once with caps."""
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner

from points import ledger
from points.accounts import members
from points.accounts.models import Role
from points.earning import activities
from points.earning.models import Participation
from points.extensions import db
from points.households import operations as households
from points.timeutil import now_utc


def post(client, path, headers, **body):
    return client.post(path, json=body, headers=headers)


def test_a_reviewer_creates_an_activity_in_their_own_community(client, organiser, make_action, token_for):
    action = make_action()
    headers = token_for(organiser)
    response = post(client, "/api/v1/activities", headers, title="楼道清扫", starts_at="2026-11-28T09:00:00+08:00",
                    ends_at="2026-11-28T11:00:00+08:00", place="3号楼", action_type_id=action.id, points=5)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "open" and body["community_id"] == organiser.community_id
    assert body["starts_at"].startswith("2026-11-28T01:00:00")
    listed = client.get("/api/v1/activities", headers=headers).get_json()["items"]
    assert [item["id"] for item in listed] == [body["id"]]


@pytest.mark.parametrize("change, field", [
    ({"title": "   "}, "title"), ({"points": 0}, "points"), ({"starts_at": "tomorrow"}, "starts_at"),
])
def test_bad_activities_are_refused_and_nothing_is_written(client, organiser, make_action, token_for, change, field):
    body = dict(title="楼道清扫", starts_at="2026-11-28T09:00:00+08:00", place="", action_type_id=make_action().id,
                points=5, **{"ends_at": None})
    response = post(client, "/api/v1/activities", token_for(organiser), **{**body, **change})
    assert response.status_code == 422
    assert field in response.get_json()["error"].get("fields", {})
    assert activities.activities_for(organiser) == []


def test_an_activity_cannot_end_before_it_starts(client, organiser, make_action, token_for):
    response = post(client, "/api/v1/activities", token_for(organiser), title="义诊", points=5,
                    starts_at="2026-11-28T09:00:00+08:00", ends_at="2026-11-28T08:00:00+08:00",
                    action_type_id=make_action().id)
    assert (response.status_code, response.get_json()["error"]["fields"]) == (409, {"ends_at": [
        "The activity cannot end before it starts."]})
    assert activities.activities_for(organiser) == []


def test_an_unknown_or_unusable_action_is_refused(client, organiser, make_action, token_for):
    body = dict(title="义诊", starts_at="2026-11-28T09:00:00+08:00", points=5)
    unknown = post(client, "/api/v1/activities", token_for(organiser), action_type_id=999999, **body)
    deduction = post(client, "/api/v1/activities", token_for(organiser), action_type_id=make_action(-5).id, **body)
    assert (unknown.status_code, deduction.status_code) == (404, 409)
    assert deduction.get_json()["error"]["code"] == "action_not_usable"


def test_residents_cannot_organise_and_reviewers_see_only_their_community(
        client, make_user, make_activity, token_for):
    resident = make_user()
    mine = make_activity()
    other = make_user(roles=Role.REVIEWER, community="幸福社区")
    assert client.get("/api/v1/activities", headers=token_for(resident)).status_code == 403
    assert client.get("/api/v1/activities", headers=token_for(other)).get_json()["items"] == []
    stranger = post(client, f"/api/v1/activities/{mine.id}/participants", token_for(other), phone=resident.phone)
    assert stranger.status_code == 404
    assert post(client, f"/api/v1/activities/{mine.id}/close", token_for(other)).status_code == 404
    admin = make_user(roles=Role.ADMIN, community=None)
    assert len(client.get("/api/v1/activities", headers=token_for(admin)).get_json()["items"]) == 1


def test_check_in_by_phone_code_card_and_mobile_number(client, make_user, make_activity, organiser, token_for):
    activity = make_activity()
    phone_user, card_user, number_user = make_user(name="王芳"), make_user(name="赵强"), make_user(name="钱多")
    card = members.issue_card(card_user, organiser)
    db.session.commit()
    headers = token_for(organiser)
    path = f"/api/v1/activities/{activity.id}/participants"
    answers = [
        post(client, path, headers, member_code=members.phone_code(phone_user)),
        post(client, path, headers, member_code=card.code),
        post(client, path, headers, phone=number_user.phone),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.get_json()["result"] for a in answers] == ["checked_in"] * 3
    assert [a.get_json()["name"] for a in answers] == ["王*", "赵*", "钱*"]
    assert [a.get_json()["method"] for a in answers] == ["qr", "card", "phone"]


def test_checking_in_twice_says_already_checked_in(client, make_user, make_activity, organiser, token_for):
    activity, resident = make_activity(), make_user()
    path = f"/api/v1/activities/{activity.id}/participants"
    first = post(client, path, token_for(organiser), member_code=members.phone_code(resident))
    again = post(client, path, token_for(organiser), phone=resident.phone)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.get_json()["result"] == "already_checked_in"
    assert again.get_json()["method"] == "qr"  # the first check-in stands
    assert activities.participant_count(activity) == 1


def test_a_revoked_card_a_forged_code_and_strangers_are_refused(
        client, make_user, make_activity, organiser, token_for):
    activity, resident = make_activity(), make_user()
    old = members.issue_card(resident, organiser)
    old_code = old.code
    members.issue_card(resident, organiser)
    db.session.commit()
    headers, path = token_for(organiser), f"/api/v1/activities/{activity.id}/participants"
    revoked = post(client, path, headers, member_code=old_code)
    assert (revoked.status_code, revoked.get_json()["error"]["code"]) == (409, "card_revoked")
    assert post(client, path, headers, member_code="M1.forged.code").status_code == 404
    assert post(client, path, headers, phone="13900000000").status_code == 404
    assert post(client, path, headers).status_code == 422
    outsider = make_user(community="幸福社区")
    unreached = post(client, path, headers, phone=outsider.phone)  # answered as a number nobody has
    assert (unreached.status_code, unreached.get_json()["error"]["code"]) == (404, "unknown_member")
    assert activities.participant_count(activity) == 0


def test_an_expired_phone_code_is_refused(app, client, make_user, make_activity, organiser, token_for, monkeypatch):
    activity, resident = make_activity(), make_user()
    signer = TimestampSigner(app.config["SECRET_KEY"], salt="member-qr")
    monkeypatch.setattr(signer, "get_timestamp", lambda: int(now_utc().timestamp()) - members.CODE_LIFETIME - 5)
    old_code = members.PHONE_PREFIX + signer.sign(str(resident.id)).decode()
    response = post(client, f"/api/v1/activities/{activity.id}/participants", token_for(organiser),
                    member_code=old_code)
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "member_code_expired")


def test_closing_awards_every_participant_once(client, make_user, make_activity, organiser, token_for):
    activity = make_activity(points=5)
    people = [make_user(name=f"居民{i}") for i in range(3)]
    headers = token_for(organiser)
    for person in people:
        post(client, f"/api/v1/activities/{activity.id}/participants", headers, phone=person.phone)
    closed = post(client, f"/api/v1/activities/{activity.id}/close", headers)
    assert closed.status_code == 200, closed.get_json()
    assert [row["points"] for row in closed.get_json()["awarded"]] == [5, 5, 5]
    again = post(client, f"/api/v1/activities/{activity.id}/close", headers)
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "already_closed")
    late = post(client, f"/api/v1/activities/{activity.id}/participants", headers, phone=make_user().phone)
    assert late.status_code == 409
    assert [ledger.balance(p.id).available for p in people] == [5, 5, 5]
    assert ledger.verify() == []


def test_closing_honours_caps_and_records_what_was_awarded(make_user, make_action, make_activity, organiser):
    action = make_action(points=5, daily_cap=8)
    first, second = make_activity(action=action, points=5), make_activity(action=action, points=5)
    resident = make_user()
    for activity in (first, second):
        activities.check_in(organiser, activity, phone=resident.phone)
    activities.close(organiser, first)
    rows = activities.close(organiser, second)
    db.session.commit()
    assert [participation.points for participation, _ in rows] == [3]
    third = make_activity(action=action, points=5)
    activities.check_in(organiser, third, phone=resident.phone)
    (capped, _), = activities.close(organiser, third)
    db.session.commit()
    assert (capped.points, capped.transfer_id) == (0, None)
    assert ledger.balance(resident.id).available == 8
    assert ledger.verify() == []


def test_an_admin_closes_any_activity(make_user, make_activity):
    activity, resident = make_activity(), make_user()
    admin = make_user(roles=Role.ADMIN, community=None)
    activities.check_in(admin, activity, member_code=members.phone_code(resident))
    activities.close(admin, activity)
    db.session.commit()
    assert db.session.get(Participation, (activity.id, resident.id)).points == 5


def test_times_are_checked(organiser, make_action):
    with pytest.raises(activities.BadTime):
        activities.create(organiser, "x", now_utc(), now_utc() - timedelta(hours=1), "", make_action().id, 5)


@pytest.mark.parametrize("body", [
    {"title": "a\u0000b"}, {"place": "x\u0000"}, {"starts_at": "9999-12-31T23:59:59-10:00"},
    {"starts_at": "0001-01-01T00:00:00+08:00"},
])
def test_strange_input_is_a_clear_refusal_not_a_crash(client, organiser, make_action, token_for, body):
    base = dict(title="义诊", starts_at="2026-11-28T09:00:00+08:00", action_type_id=make_action().id, points=5)
    assert post(client, "/api/v1/activities", token_for(organiser), **{**base, **body}).status_code in (409, 422)


def test_a_code_with_control_characters_is_unknown(client, make_activity, organiser, token_for):
    activity = make_activity()
    path = f"/api/v1/activities/{activity.id}/participants"
    assert post(client, path, token_for(organiser), member_code="C1.\u0000x").status_code == 422
    with pytest.raises(members.BadMemberCode):
        activities.check_in(organiser, activity, member_code="C1.\u0000x")


def test_a_title_with_a_full_width_space_is_fine(organiser, make_action):
    activity = activities.create(organiser, "社区\u3000义诊", now_utc(), None, "", make_action().id, 5)
    assert activity.title == "社区\u3000义诊"


def test_a_household_card_at_an_activity_says_to_show_the_members_own_code(client, make_user, make_activity,
                                                                           organiser, token_for):
    activity, head = make_activity(), make_user(name="张桂兰")
    card = members.issue_card(households.create(organiser, head), organiser)
    db.session.commit()
    answer = post(client, f"/api/v1/activities/{activity.id}/participants", token_for(organiser),
                  member_code=card.code)
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (422, "household_card")
    assert activities.participant_count(activity) == 0
