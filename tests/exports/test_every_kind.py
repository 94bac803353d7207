"""Every kind opens, in both formats, with its header in the reader's language."""
import pytest

from points.exports.kinds import KINDS
from tests.exports.conftest import read_csv, read_xlsx


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_opens_as_csv_and_xlsx_with_the_same_rows(admin, residents, get_export, kind):
    as_csv = read_csv(get_export(admin, kind, format="csv"))
    as_xlsx = read_xlsx(get_export(admin, kind, format="xlsx"))
    assert as_csv[0] == as_xlsx[0] and len(as_csv) == len(as_xlsx)


def test_residents_carry_their_balances_and_community(admin, residents, get_export):
    header, *rows = read_csv(get_export(admin, "residents", format="csv"))
    by_name = {row[1]: row for row in rows}
    assert by_name["欧阳娜娜"][3] == "午山社区" and by_name["欧阳娜娜"][7] == "20"


def test_a_reviewers_residents_are_their_communitys(reviewer, residents, get_export):
    header, *rows = read_csv(get_export(reviewer, "residents", format="csv"))
    assert {row[3] for row in rows} == {"锦湖社区"}


def test_headers_follow_the_readers_language(admin, residents, client, token_for):
    answer = client.get("/api/v1/exports/transfers?format=csv",
                        headers={**token_for(admin), "Accept-Language": "en"})
    assert read_csv(answer)[0][:3] == ["Number", "Time", "Kind"]


def test_days_keep_the_rows_of_those_days(admin, residents, get_export):
    header, *rows = read_csv(get_export(admin, "transfers", format="csv", **{"from": "2001-01-01", "to": "2001-12-31"}))
    assert rows == []


def test_the_statement_closes_on_each_communitys_balances(admin, residents, get_export):
    header, *rows = read_csv(get_export(admin, "statement", format="csv"))
    this_month = [row for row in rows if row[0] == rows[-1][0]]
    closing = {row[1]: row[-1] for row in this_month}
    assert closing["锦湖社区"] == "10" and closing["午山社区"] == "20" and this_month[-1][-1] == "30"


def test_a_reviewers_statement_is_their_communitys(reviewer, residents, get_export):
    header, *rows = read_csv(get_export(reviewer, "statement", format="csv"))
    assert {row[1] for row in rows} == {"锦湖社区"} and rows[-1][-1] == "10"
