"""One Idempotency-Key sent by many clients at once over real HTTP: one transfer, one answer."""
from collections import Counter

import pytest

from points import ledger
from points.accounts.models import Role
from points.extensions import db


@pytest.fixture
def award_to(make_user, token_for):
    """(resident id, reviewer's headers with one Idempotency-Key, the body of an award of 10 points)."""
    reviewer, resident = make_user(Role.REVIEWER), make_user()
    headers = token_for(reviewer) | {"Idempotency-Key": "award-2024-06-01-snow"}
    return resident.id, headers, {"user_id": resident.id, "points": 10, "note": "扫雪"}


def test_twenty_retries_at_once_write_one_transfer(post_at_once, award_to):
    resident_id, headers, body = award_to
    answers = post_at_once(20, "/api/v1/awards", body_for=lambda i: body, headers_for=lambda i: headers)

    assert [status for status, _, _ in answers] == [201] * 20
    assert len({answer["transfer_id"] for _, _, answer in answers}) == 1
    assert Counter(head.get("Idempotent-Replayed") for _, head, _ in answers) == {"true": 19, None: 1}
    db.session.rollback()
    assert ledger.balance(resident_id).available == 10
    assert len(ledger.history(resident_id)) == 1
    assert ledger.verify() == []


def test_one_key_with_two_bodies_at_once_writes_one_of_them(post_at_once, award_to):
    resident_id, headers, body = award_to
    bodies = [body, body | {"points": 20}]
    answers = post_at_once(20, "/api/v1/awards", body_for=lambda i: bodies[i % 2], headers_for=lambda i: headers)

    accepted = [(i % 2, answer["transfer_id"]) for i, (status, _, answer) in enumerate(answers) if status == 201]
    refused = [answer["error"]["code"] for status, _, answer in answers if status != 201]
    assert len(set(accepted)) == 1 and len(accepted) == 10  # every copy of the winning body, one transfer
    assert refused == ["idempotency_key_reused"] * 10
    db.session.rollback()
    assert ledger.balance(resident_id).available == (10, 20)[accepted[0][0]]
    assert ledger.verify() == []


@pytest.mark.parametrize("change", [{"points": 11}, {"note": "扫雪除冰"}], ids=["points", "note"])
def test_a_key_reused_for_another_body_is_refused(client, award_to, change):
    resident_id, headers, body = award_to
    first = client.post("/api/v1/awards", json=body, headers=headers)
    again = client.post("/api/v1/awards", json=body | change, headers=headers)
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "idempotency_key_reused"
    assert ledger.balance(resident_id).available == 10


def test_a_retry_gets_the_original_answer(client, award_to):
    _, headers, body = award_to
    first = client.post("/api/v1/awards", json=body, headers=headers)
    again = client.post("/api/v1/awards", json=body, headers=headers)
    assert (again.status_code, again.get_json()) == (201, first.get_json())
    assert again.headers["Idempotent-Replayed"] == "true"
