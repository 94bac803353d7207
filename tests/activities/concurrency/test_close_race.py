"""Two organisers close the same activity at the same moment: one batch, each award once."""
from points import ledger
from points.accounts.models import Role
from points.earning import activities
from points.extensions import db


def test_two_closes_at_once_award_one_batch(make_user, make_activity, organiser, token_for, post_at_once):
    activity = make_activity(points=4)
    people = [make_user(name=f"居民{i}") for i in range(5)]
    for person in people:
        activities.check_in(organiser, activity, phone=person.phone)
    db.session.commit()
    admin = make_user(roles=Role.ADMIN, community=None)
    headers = [token_for(organiser), token_for(admin)]
    answers = post_at_once(2, f"/api/v1/activities/{activity.id}/close", lambda i: {}, lambda i: headers[i])
    assert sorted(status for status, _, _ in answers) == [200, 409]
    db.session.expire_all()
    assert [ledger.balance(p.id).available for p in people] == [4] * 5
    assert ledger.verify() == []
