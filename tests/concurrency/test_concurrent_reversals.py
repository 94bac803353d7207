"""Admins reversing the same entry at the same moment, over real HTTP: it is reversed exactly once."""
from collections import Counter

from points import ledger
from points.accounts.models import Role
from points.extensions import db

RACERS = 12


def test_racing_reversals_reverse_once(post_at_once, make_user, token_for):
    admins, resident = [make_user(Role.ADMIN) for _ in range(3)], make_user()
    award = ledger.award(resident.id, 20, "seed", ledger.Memo(reason="录错了"))
    db.session.commit()
    headers = [token_for(admin) for admin in admins]

    answers = post_at_once(
        RACERS, f"/api/v1/transfers/{award.id}/reverse",
        body_for=lambda i: {"reason": f"第 {i} 位管理员更正"},
        headers_for=lambda i: headers[i % len(headers)],
    )

    assert Counter(status for status, _, _ in answers) == {201: 1, 409: RACERS - 1}
    assert {body["error"]["code"] for status, _, body in answers if status == 409} == {"already_reversed"}
    db.session.rollback()
    assert ledger.balance(resident.id) == ledger.Balance(available=0, held=0, earned_total=0)
    assert len(ledger.history(resident.id, limit=100)) == 2
    assert ledger.verify() == []


def test_racing_requests_for_a_large_reversal_make_one(post_at_once, make_user, token_for):
    admins, resident = [make_user(Role.ADMIN) for _ in range(3)], make_user()
    award = ledger.award(resident.id, 80, "seed")
    db.session.commit()
    headers = [token_for(admin) for admin in admins]

    answers = post_at_once(
        RACERS, f"/api/v1/transfers/{award.id}/reverse",
        body_for=lambda i: {"reason": "应为 8 分"},
        headers_for=lambda i: headers[i % len(headers)],
    )

    assert Counter(status for status, _, _ in answers) == {202: 1, 409: RACERS - 1}
    assert {body["error"]["code"] for status, _, body in answers if status == 409} == {"reversal_pending"}
    db.session.rollback()
    assert ledger.balance(resident.id).available == 80
