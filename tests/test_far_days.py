"""Days far outside any record (year 1, year 9999) are refused with a message, never a 500: a day's
bounds in the scheme's time zone would fall outside what a datetime holds."""
import pytest

from points.accounts.models import Role

FAR = ["from=0001-01-01", "to=0001-01-01", "to=9999-12-31", "from=9999-12-31"]


@pytest.mark.parametrize("query", FAR)
@pytest.mark.parametrize("path", ["/api/v1/audit", "/api/v1/sessions"])
def test_the_api_refuses_a_far_day_naming_the_field(make_user, token_for, client, path, query):
    response = client.get(f"{path}?{query}", headers=token_for(make_user(Role.ADMIN)))

    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == [query.split("=")[0]]


@pytest.mark.parametrize("query", FAR)
def test_the_audit_page_says_which_days_it_can_show(make_user, login, client, query):
    login(make_user(Role.ADMIN))

    response = client.get(f"/admin/audit?{query}")

    assert response.status_code == 422
    assert "2000-01-01" in response.get_data(as_text=True)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_year_end_clearing_refuses_a_far_day(runner, app, day):
    app.config["EXPIRY_POLICY"] = "year_end"

    result = runner.invoke(args=["ledger", "expire", "--as-of", day, "--dry-run"])

    assert result.exit_code != 0
    assert "2000-01-01" in result.output
