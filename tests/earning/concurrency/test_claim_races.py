"""Approvals racing through real HTTP, on SQLite and PostgreSQL: one award per claim, caps never passed."""
import http.client
import json
from datetime import date

from sqlalchemy import func, select

from points import ledger
from points.accounts.models import Role
from points.earning.models import Claim, ClaimStatus
from points.extensions import db
from points.ledger import Transfer


def test_a_claim_approved_by_many_at_once_is_awarded_once(make_user, token_for, make_claim, post_at_once):
    resident = make_user(name="张桂兰")
    claim = make_claim(resident, quantity=2)
    reviewers = [token_for(make_user(Role.REVIEWER, name=f"审核员{i}")) for i in range(3)]
    answers = post_at_once(12, f"/api/v1/claims/{claim.id}/approve", lambda i: {}, lambda i: reviewers[i % 3])
    statuses = sorted(status for status, _headers, _body in answers)
    assert statuses == [200] + [409] * 11
    assert {body["error"]["code"] for status, _h, body in answers if status == 409} == {"already_decided"}
    assert ledger.balance(resident.id) == ledger.Balance(6, 0, 6)
    assert db.session.scalar(select(func.count()).select_from(Transfer).where(Transfer.ref_id == claim.id)) == 1
    assert ledger.verify() == []


def test_racing_approvals_never_pass_the_monthly_cap(make_user, token_for, make_action, server, race):
    resident, reviewer = make_user(name="张桂兰"), make_user(Role.REVIEWER)
    action = make_action(points=5, monthly_cap=10)
    pending = [_claim(resident, action, date(2026, 10, day)) for day in range(1, 7)]  # 30 points asked, 10 allowed
    headers = {**token_for(reviewer), "Content-Type": "application/json"}
    answers = race(len(pending), lambda i, call: call(),
                   setup=lambda i: _post(server, f"/api/v1/claims/{pending[i]}/approve", headers))
    assert sorted(answers) == [200, 200, 409, 409, 409, 409]
    assert ledger.balance(resident.id).available == 10
    db.session.expire_all()
    states = db.session.scalars(select(Claim.status).where(Claim.id.in_(pending))).all()
    assert sorted(states) == [ClaimStatus.APPROVED] * 2 + [ClaimStatus.PENDING] * 4


def _claim(resident, action, day):
    """A pending claim written straight to the table (the date rules are the form's, not the race's)."""
    claim = Claim(user_id=resident.id, community_id=resident.community_id, action_type_id=action.id,
                  occurred_on=day, quantity=1, points=action.points, submitted_by=resident.id)
    db.session.add(claim)
    db.session.commit()
    return claim.id


def _post(server, path, headers):
    """A connection opened ahead of the signal, and the call to make on it."""
    host, port = server
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.connect()

    def call():
        try:
            connection.request("POST", path, body=json.dumps({}), headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    return call
