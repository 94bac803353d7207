"""The pages: the member QR on the phone, the printable card, and the activity pages with check-in."""
from points import ledger
from points.accounts import members
from points.accounts.cards import MemberCard
from points.accounts.models import Role
from points.earning import activities
from points.earning.models import ActivityStatus
from points.extensions import db


def test_the_member_page_shows_a_fresh_qr_that_is_never_cached(client, make_user, login):
    resident = make_user(name="张桂兰")
    login(resident)
    page = client.get("/member").get_data(as_text=True)
    assert "张**" in page and "张桂兰" not in page.split("<main")[1]
    assert "member/qr.js" in page and "brightness" in page
    qr = client.get("/member/qr.svg")
    assert qr.mimetype == "image/svg+xml" and qr.headers["Cache-Control"] == "no-store"
    assert b"<svg" in qr.data


def test_only_residents_have_a_member_qr(client, organiser, login):
    login(organiser)
    assert client.get("/member/qr.svg").status_code == 403


def test_a_reviewer_prints_and_reissues_a_card(client, make_user, organiser, login):
    resident = make_user(name="赵大爷")
    login(organiser)
    assert "has no member card yet" in client.get(f"/people/{resident.id}/card").get_data(as_text=True)
    assert client.post(f"/people/{resident.id}/card").status_code == 302
    first = members.current_card(resident)
    page = client.get(f"/people/{resident.id}/card").get_data(as_text=True)
    assert first.serial in page and "赵大爷" in page and "锦湖社区" in page and "Re-issue" in page
    assert client.get(f"/people/{resident.id}/card/qr.svg").headers["Cache-Control"] == "no-store"
    client.post(f"/people/{resident.id}/card")
    db.session.expire_all()
    assert db.session.get(MemberCard, first.id).revoked_at is not None
    assert members.current_card(resident).serial != first.serial


def test_cards_only_for_residents_in_reach(client, make_user, organiser, login):
    stranger = make_user(community="幸福社区")
    login(organiser)
    assert client.post(f"/people/{stranger.id}/card").status_code == 404
    assert members.current_card(stranger) is None
    assert client.get("/people/999999/card").status_code == 404


def test_an_organiser_creates_checks_in_and_closes(client, make_user, make_action, organiser, login):
    action = make_action(points=5)
    resident, carded = make_user(name="王芳"), make_user(name="李雷")
    card = members.issue_card(carded, organiser)
    db.session.commit()
    login(organiser)
    created = client.post("/activities/new", data=dict(
        title="社区义诊", starts_at="2026-11-28T09:00", ends_at="2026-11-28T11:00", place="活动室",
        action_type_id=action.id, points=5))
    assert created.status_code == 302, created.get_data(as_text=True)
    activity = activities.activities_for(organiser)[0]
    assert activity.starts_at.replace(tzinfo=None).hour == 1  # 09:00 in Shanghai
    assert "社区义诊" in client.get("/activities").get_data(as_text=True)
    path = f"/activities/{activity.id}/check-in"
    assert "data-scanner" in client.get(path).get_data(as_text=True)
    answers = [client.post(path, json={"code": c, "nonce": "n"}).get_json()
               for c in (members.phone_code(resident), card.code, resident.phone, "C1.nonsense", "")]
    assert [a["result"] for a in answers] == [
        "checked_in", "checked_in", "already_checked_in", "unknown_member", "invalid"]
    assert answers[0]["resident_name"] == "王*" and answers[1]["count"] == 2
    assert "Scan a member code" in answers[4]["message"]
    assert client.post(f"/activities/{activity.id}/close").status_code == 302
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "+5" in page and "Closed, points awarded" in page and "awarded 10 points" in page
    client.post(f"/activities/{activity.id}/close")
    assert "already closed" in client.get(f"/activities/{activity.id}").get_data(as_text=True)
    db.session.expire_all()
    assert activity.status == ActivityStatus.CLOSED
    assert ledger.balance(resident.id).available == 5 and ledger.verify() == []


def test_a_bad_activity_form_is_shown_again_with_nothing_written(client, make_action, organiser, login):
    login(organiser)
    response = client.post("/activities/new", data=dict(
        title="义诊", starts_at="2026-11-28T09:00", ends_at="2026-11-28T08:00", action_type_id=make_action().id,
        points=5))
    assert response.status_code == 422
    assert "cannot end before it starts" in response.get_data(as_text=True)
    assert activities.activities_for(organiser) == []
    assert client.post("/activities/new", data={"starts_at": "nonsense", "points": "x"}).status_code == 422


def test_other_communities_activities_are_not_found(client, make_user, make_activity, login):
    activity = make_activity()
    login(make_user(roles=Role.REVIEWER, community="幸福社区"))
    assert client.get(f"/activities/{activity.id}").status_code == 404
    assert client.post(f"/activities/{activity.id}/check-in", json={"code": "x"}).status_code == 404
    assert client.get("/activities").status_code == 200


def test_residents_cannot_open_the_activity_pages(client, make_user, login):
    login(make_user())
    assert client.get("/activities").status_code == 403
