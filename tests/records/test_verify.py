"""/verify/<code>: anyone checks a printed record; names masked; an unknown or odd code is a plain 404."""
import uuid
from datetime import timedelta

import pytest

from points import create_app
from points.expiry.operations import today
from points.extensions import db, limiter
from points.records import operations as records
from tests.conftest import TEST_CONFIG


@pytest.fixture
def record(resident, approved_claim, closed_activity):
    approved_claim()
    closed_activity(hours=2, points=5)
    made = records.make(resident, resident, today() - timedelta(days=30), today())
    db.session.commit()
    return made


def test_anyone_sees_the_masked_holder_period_and_totals(client, record):
    response = client.get(f"/verify/{record.code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "This is a service record of ours" in page
    assert "张**" in page and "张桂兰" not in page and "锦湖社区" in page
    assert 'data-total="points">8<' in page and 'data-total="hours">2<' in page


@pytest.mark.parametrize("code", [
    "A" * 22, "short", "x" * 500, "%00" * 22, "张" * 22, "a/b/c", "../../etc/passwd", "' OR 1=1 --",
])
def test_an_unknown_or_malformed_code_is_not_a_record_of_ours(client, record, code):
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    assert "This code is not a record of ours" in response.get_data(as_text=True)


def test_a_code_differing_by_one_letter_is_unknown(client, record):
    changed = record.code[:-1] + ("A" if record.code[-1] != "A" else "B")
    assert client.get(f"/verify/{changed}").status_code == 404


def test_checking_codes_is_rate_limited_per_address(sqlite_url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": sqlite_url, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_KEY_PREFIX": f"verify-{uuid.uuid4().hex}", "VERIFY_LIMIT_PER_ADDRESS": "3 per minute"})
    with app.app_context():
        limiter.reset()
        answers = [app.test_client().get(f"/verify/{'A' * 22}").status_code for _ in range(4)]
        db.engine.dispose()
    assert answers == [404, 404, 404, 429]
