"""Ten household passes racing over real HTTP against the monthly limit: it is counted under the
ledger's lock, so exactly as many go through as the limit allows, on either database."""
from collections import Counter

from points import ledger
from points.accounts.models import Role
from points.extensions import db
from points.households import operations as households


def test_racing_passes_never_exceed_the_monthly_limit(app, post_at_once, make_user, token_for):
    reviewer, head, son = make_user(Role.REVIEWER), make_user(name="张桂兰"), make_user(name="李明")
    household = households.create(reviewer, head)
    households.add_member(reviewer, household, son)
    ledger.award(head.id, 500, "seed")
    db.session.commit()
    app.config["HOUSEHOLD_PASS_MONTHLY_LIMIT"] = 100
    head_id, son_id, headers = head.id, son.id, token_for(head)

    answers = post_at_once(
        10, "/api/v1/me/household/transfers",
        body_for=lambda i: {"to_user_id": son_id, "points": 30},
        headers_for=lambda i: headers,
    )

    assert Counter(status for status, _, _ in answers) == {201: 3, 409: 7}
    assert {body["error"]["code"] for status, _, body in answers if status == 409} == {"monthly_limit_reached"}
    db.session.rollback()
    assert (ledger.balance(head_id).available, ledger.balance(son_id).available) == (410, 90)
    assert ledger.passed_this_month(head_id) == 90 and ledger.verify() == []
