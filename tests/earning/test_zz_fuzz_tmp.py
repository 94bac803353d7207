"""Ad-hoc: the fuzz test of tests/api/test_openapi.py, on the earning operations only."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from points.accounts.models import Role


@pytest.fixture
def admin_headers(make_user, token_for):
    return token_for(make_user(Role.ADMIN | Role.RESIDENT))


def test_mine(app, admin_headers):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        if "claims" not in operation.path and "action-types" not in operation.path:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            case.call_and_validate(headers=admin_headers)

        call()
