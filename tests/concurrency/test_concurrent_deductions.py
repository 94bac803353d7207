"""Thirty reviewers' deductions racing over real HTTP: the books never go below zero."""
from collections import Counter

from points import ledger
from points.accounts.models import Role
from points.extensions import db


def test_racing_deductions_take_exactly_what_is_there(post_at_once, make_user, token_for):
    reviewer, resident = make_user(Role.REVIEWER), make_user()
    ledger.award(resident.id, 50, "seed")
    db.session.commit()
    resident_id, headers = resident.id, token_for(reviewer)

    answers = post_at_once(
        30, "/api/v1/awards",
        body_for=lambda i: {"user_id": resident_id, "points": -5, "note": "乱扔垃圾"},
        headers_for=lambda i: headers,
    )

    assert Counter(status for status, _, _ in answers) == {201: 10, 409: 20}
    assert {body["error"]["code"] for status, _, body in answers if status == 409} == {"insufficient_points"}
    # Each success saw the one before it: the balances they report count down 45, 40, ... 0.
    assert sorted(body["balance"]["available"] for status, _, body in answers if status == 201) == list(range(0, 50, 5))
    db.session.rollback()
    assert ledger.balance(resident_id) == ledger.Balance(available=0, held=0, earned_total=50)
    assert len(ledger.history(resident_id, limit=100)) == 11
    assert ledger.verify() == []
