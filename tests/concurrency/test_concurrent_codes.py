"""One one-time code typed on several phones at the same moment, over real HTTP: it sets one password."""
from collections import Counter

from sqlalchemy import select

from points.accounts import codes, people
from points.accounts.codes import OneTimeCode
from points.accounts.models import Role
from points.audit import AuditEntry
from points.extensions import db

RACERS = 8


def test_racing_activations_with_one_code_activate_once(post_at_once, make_user):
    resident = people.register_resident(make_user(Role.REVIEWER), "13712345678", "李大爷")
    code = codes.issue_code(None, resident).code
    db.session.commit()

    answers = post_at_once(RACERS, "/api/v1/auth/activate",
                           body_for=lambda i: {"phone": "13712345678", "code": code, "password": f"password-{i}"},
                           headers_for=lambda i: {})

    assert Counter(status for status, _, _ in answers) == {200: 1, 401: RACERS - 1}
    db.session.rollback()
    assert db.session.execute(select(OneTimeCode.used_at)).scalar() is not None
    assert len(db.session.execute(select(AuditEntry).where(AuditEntry.action == "code.used")).all()) == 1
