"""Corrections through POST /api/v1/transfers/{id}/reverse: an admin undoes a mistaken entry once,
with a reason; above the four-eyes threshold a second admin decides."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from points import ledger
from points.accounts.models import Role
from points.audit import AuditEntry
from points.earning.models import AwardRequest
from points.extensions import db
from points.redemption import venues


def reverse(client, headers, transfer_id, reason="录入错误", **extra):
    return client.post(f"/api/v1/transfers/{transfer_id}/reverse", headers={**headers, **extra},
                       json={"reason": reason} if reason is not None else {})


def error_code(response):
    return response.get_json()["error"]["code"]


@pytest.fixture
def admin_headers(make_user, token_for):
    return token_for(make_user(Role.ADMIN, name="管理员甲"))


@pytest.fixture
def second_admin(make_user, token_for):
    return token_for(make_user(Role.ADMIN, name="管理员乙"))


def test_reversing_an_award_takes_the_points_and_the_earned_total_back(client, admin_headers, resident):
    ledger.award(resident.id, 30, "a1", ledger.Memo(reason="清扫楼道"))
    award = ledger.award(resident.id, 20, "a2", ledger.Memo(reason="录错了"))
    db.session.commit()
    response = reverse(client, admin_headers, award.id)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["kind"], body["reverses_id"], body["amount"]) == ("reversal", award.id, 20)
    # The earned total counts what was truly earned: a mistaken award is taken out of it (and so of rankings).
    assert body["balance"] == {"available": 30, "held": 0, "earned_total": 30}
    assert ledger.verify() == []


def test_the_residents_own_history_links_the_entry_and_its_reversal(client, admin_headers, resident, token_for):
    award = ledger.award(resident.id, 20, "a1", ledger.Memo(reason="录错了"))
    db.session.commit()
    reversal_id = reverse(client, admin_headers, award.id).get_json()["id"]
    items = client.get("/api/v1/me/ledger", headers=token_for(resident)).get_json()["items"]
    assert [(i["id"], i["kind"], i["reverses_id"], i["reversed_by"]) for i in items] == [
        (reversal_id, "reversal", award.id, None), (award.id, "award", None, reversal_id),
    ]


def test_reversing_a_deduction_gives_the_points_back(client, admin_headers, resident):
    ledger.award(resident.id, 10, "a1")
    deduction = ledger.deduct(resident.id, 4, "d1", ledger.Memo(reason="乱扔垃圾"))
    db.session.commit()
    response = reverse(client, admin_headers, deduction.id)
    assert response.status_code == 201
    assert response.get_json()["balance"] == {"available": 10, "held": 0, "earned_total": 10}


def test_reversing_a_walk_in_gives_the_points_back_from_the_venue(client, admin_headers, resident):
    venue = venues.create_venue("乒乓球馆", "table_tennis")
    ledger.award(resident.id, 10, "a1")
    spent = ledger.redeem(resident.id, venue.id, 6, "r1")
    db.session.commit()
    assert reverse(client, admin_headers, spent.id).status_code == 201
    assert ledger.balance(resident.id).available == 10
    venue_account = db.session.get(ledger.Account, ledger.venue_account_of(venue.id))
    assert venue_account.available == 0
    assert ledger.verify() == []


def test_an_award_already_spent_cannot_be_taken_back_and_nothing_changes(client, admin_headers, resident):
    award = ledger.award(resident.id, 20, "a1")
    ledger.deduct(resident.id, 15, "d1")
    db.session.commit()
    response = reverse(client, admin_headers, award.id)
    assert (response.status_code, error_code(response)) == (409, "insufficient_points")
    assert "only 5 are available" in response.get_json()["error"]["message"]
    assert ledger.balance(resident.id) == ledger.Balance(available=5, held=0, earned_total=20)


def test_an_entry_is_reversed_once(client, admin_headers, resident):
    award = ledger.award(resident.id, 20, "a1")
    db.session.commit()
    assert reverse(client, admin_headers, award.id).status_code == 201
    again = reverse(client, admin_headers, award.id)
    assert (again.status_code, error_code(again)) == (409, "already_reversed")
    assert ledger.balance(resident.id).available == 0


@pytest.mark.parametrize("make, says", [
    (lambda r, v: ledger.hold(r, v, 5, "h"), "cancel the booking"),
    (lambda r, v: ledger.void(ledger.hold(r, v, 5, "h").id, "v"), "gave back points that were on hold"),
    (lambda r, v: ledger.post(ledger.hold(r, v, 5, "h").id, "p"), "when the resident checked in"),
    (lambda r, v: ledger.reverse(ledger.award(r, 5, "x").id, "rx"), "a correction itself"),
])
def test_what_cannot_be_reversed_is_refused_saying_why(client, admin_headers, resident, make, says):
    venue = venues.create_venue("乒乓球馆", "table_tennis")
    ledger.award(resident.id, 10, "a1")
    entry = make(resident.id, venue.id)
    db.session.commit()
    before = ledger.balance(resident.id)
    response = reverse(client, admin_headers, entry.id)
    assert (response.status_code, error_code(response)) == (409, "not_reversible")
    assert says in response.get_json()["error"]["message"]
    assert ledger.balance(resident.id) == before


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reversal_needs_a_reason(client, admin_headers, resident, reason):
    award = ledger.award(resident.id, 20, "a1")
    db.session.commit()
    response = reverse(client, admin_headers, award.id, reason=reason)
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]
    assert ledger.balance(resident.id).available == 20


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.STAFF, Role.RESIDENT])
def test_only_an_admin_reverses(client, make_user, token_for, resident, role):
    award = ledger.award(resident.id, 20, "a1")
    db.session.commit()
    assert reverse(client, token_for(make_user(role)), award.id).status_code == 403
    assert ledger.balance(resident.id).available == 20


def test_an_unknown_entry_is_not_found(client, admin_headers):
    response = reverse(client, admin_headers, 424242)
    assert (response.status_code, error_code(response)) == (404, "not_found")


def test_a_retried_reversal_answers_the_same_and_reverses_once(client, admin_headers, resident):
    award = ledger.award(resident.id, 20, "a1")
    db.session.commit()
    first = reverse(client, admin_headers, award.id, **{"Idempotency-Key": "undo-1"})
    again = reverse(client, admin_headers, award.id, **{"Idempotency-Key": "undo-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert ledger.balance(resident.id).available == 0


def test_a_large_reversal_waits_for_a_second_admin(client, admin_headers, second_admin, resident):
    award = ledger.award(resident.id, 80, "a1", ledger.Memo(reason="抗洪抢险"))
    db.session.commit()
    response = reverse(client, admin_headers, award.id, reason="应为 8 分")
    assert response.status_code == 202
    request_id = response.get_json()["request_id"]
    assert ledger.balance(resident.id).available == 80  # nothing moves before the second admin says yes
    waiting = client.get("/api/v1/award-requests", headers=second_admin).get_json()
    assert [(r["kind"], r["reverses_id"], r["points"]) for r in waiting] == [("reversal", award.id, 80)]

    approved = client.post(f"/api/v1/award-requests/{request_id}/approve", headers=second_admin)
    assert approved.status_code == 200
    reversal = db.session.get(ledger.Transfer, approved.get_json()["transfer_id"])
    assert (reversal.kind, reversal.reverses_id, reversal.reason) == ("reversal", award.id, "应为 8 分")
    assert ledger.balance(resident.id) == ledger.Balance(available=0, held=0, earned_total=0)


def test_the_admin_who_asked_cannot_approve_the_reversal(client, admin_headers, resident):
    award = ledger.award(resident.id, 80, "a1")
    db.session.commit()
    request_id = reverse(client, admin_headers, award.id).get_json()["request_id"]
    response = client.post(f"/api/v1/award-requests/{request_id}/approve", headers=admin_headers)
    assert (response.status_code, error_code(response)) == (403, "four_eyes")
    assert "a reversal you asked for" in response.get_json()["error"]["message"]
    assert ledger.balance(resident.id).available == 80


def test_a_refused_reversal_changes_nothing_and_may_be_asked_again(client, admin_headers, second_admin, resident):
    award = ledger.award(resident.id, 80, "a1")
    db.session.commit()
    request_id = reverse(client, admin_headers, award.id).get_json()["request_id"]
    waiting_twice = reverse(client, admin_headers, award.id)
    assert (waiting_twice.status_code, error_code(waiting_twice)) == (409, "reversal_pending")
    refused = client.post(f"/api/v1/award-requests/{request_id}/refuse", headers=second_admin,
                          json={"reason": "奖励无误"})
    assert refused.get_json()["status"] == "refused"
    assert ledger.balance(resident.id).available == 80
    assert reverse(client, admin_headers, award.id).status_code == 202


def test_each_reversal_leaves_one_audit_row(client, admin_headers, second_admin, resident):
    small, large = ledger.award(resident.id, 20, "a1"), ledger.award(resident.id, 80, "a2")
    db.session.commit()
    reverse(client, admin_headers, small.id, **{"Idempotency-Key": "k"})
    reverse(client, admin_headers, small.id, **{"Idempotency-Key": "k"})
    request_id = reverse(client, admin_headers, large.id, reason="重复录入").get_json()["request_id"]
    client.post(f"/api/v1/award-requests/{request_id}/approve", headers=second_admin)
    rows = db.session.execute(select(AuditEntry.action, AuditEntry.for_user_id, AuditEntry.details)
                              .order_by(AuditEntry.id)).all()
    assert [(action, who) for action, who, _ in rows] == [
        ("transfer.reversed", resident.id), ("reversal.requested", resident.id),
        ("reversal_request.approved", resident.id),
    ]
    assert rows[0].details["reason"] == "录入错误" and rows[1].details["reason"] == "重复录入"


def test_the_database_keeps_a_reversal_request_naming_its_entry(app, make_user, resident):
    admin = make_user(Role.ADMIN)
    db.session.add(AwardRequest(kind="reversal", user_id=resident.id, points=80, requested_by=admin.id))
    with pytest.raises(IntegrityError, match="reversal_names_original"):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AwardRequest)) == 0
