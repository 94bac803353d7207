"""The OpenAPI document is generated from the schemas, and the API keeps to it under fuzzing."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from points.accounts.models import Role


def test_openapi_document_describes_the_contract(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/me", "/api/v1/me/ledger", "/api/v1/auth/token", "/api/v1/awards"):
        assert path in spec["paths"]
    award = spec["components"]["schemas"]["AwardIn"]
    assert set(award["required"]) == {"user_id", "points"}


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN | Role.RESIDENT)


@pytest.fixture
def admin_headers(admin, token_for):
    return token_for(admin)


def test_no_request_makes_the_api_fail_or_break_its_contract(app, admin, admin_headers, token_for):
    """Schemathesis generates requests from the document; no answer may be a 500 or off-schema."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            # A revoked token would sign every later operation out: revoking gets a token of its own.
            revoking = operation.label == "DELETE /api/v1/auth/token"
            # A schema cannot say that an export's `from` comes before its `to`: such a request is
            # schema-valid yet refused, 400 invalid_filter naming the field; anything else still counts.
            exporting = operation.label == "GET /api/v1/exports/{kind}"
            response = case.call_and_validate(headers=token_for(admin) if revoking else admin_headers,
                                              excluded_checks=[positive_data_acceptance] if exporting else None)
            if exporting and response.status_code == 400:
                error = response.json()["error"]
                assert error["code"] == "invalid_filter" and error["fields"], error

        call()
