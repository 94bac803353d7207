"""GET /api/v1/exports/<kind>: the file, streamed, holding what the caller looks after."""
import pytest

from points.accounts.models import Role
from tests.exports.conftest import read_csv, read_xlsx


def test_transfers_as_csv_keep_chinese_and_neutralise_formulas(admin, residents, get_export):
    response = get_export(admin, "transfers", format="csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, *rows = read_csv(response)
    assert header[:4] == ["编号", "时间", "类型", "积分"]
    assert {row[4] for row in rows} == {"张三", "欧阳娜娜"}
    assert "'=HYPERLINK(\"http://evil\")" in [row[9] for row in rows]


def test_transfers_as_xlsx_open_in_openpyxl(admin, residents, get_export):
    response = get_export(admin, "transfers", format="xlsx")
    header, *rows = read_xlsx(response)
    assert header[2] == "类型" and {row[2] for row in rows} == {"奖励"}
    assert sorted(row[3] for row in rows) == [10, 20]
    assert "=HYPERLINK(\"http://evil\")" in [row[9] for row in rows]  # a string cell, never a formula


def test_the_file_is_named_with_its_filters_and_time(admin, residents, get_export, app):
    response = get_export(admin, "transfers", format="xlsx", **{"from": "2026-11-01", "to": "2026-11-30"})
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="transfers_2026-11-01_2026-11-30_')
    assert "filename*=UTF-8''transfers_2026-11-01_2026-11-30_" in disposition


def test_a_reviewers_export_holds_only_their_community(reviewer, residents, get_export):
    header, *rows = read_csv(get_export(reviewer, "transfers", format="csv"))
    assert [row[4] for row in rows] == ["张三"]
    assert rows[0][5].count("*") == 4  # the phone, masked as on every page a reviewer sees


def test_a_reviewer_cannot_reach_another_community(reviewer, residents, get_export, admin):
    other = residents[1].community_id
    answer = get_export(reviewer, "transfers", community_id=other)
    assert answer.status_code == 404 and answer.get_json()["error"]["fields"] == {"community_id": ["No such community."]} \
        or answer.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("roles", [Role.RESIDENT, Role.STAFF])
def test_residents_and_staff_cannot_export(make_user, get_export, roles):
    assert get_export(make_user(roles), "transfers").status_code == 403


def test_reviewers_cannot_export_the_audit_log(reviewer, get_export):
    assert get_export(reviewer, "audit").status_code == 403


def test_an_unknown_kind_is_404(admin, get_export):
    assert get_export(admin, "passwords").status_code == 404


@pytest.mark.parametrize("query, field", [
    ({"from": "2026-13-01"}, "from"), ({"to": "0001-01-01"}, "to"), ({"format": "pdf"}, "format"),
    ({"from": "2026-12-02", "to": "2026-12-01"}, "to"), ({"community_id": "x"}, "community_id"),
])
def test_bad_filters_are_400_naming_the_field(admin, get_export, query, field):
    answer = get_export(admin, "transfers", **query)
    assert answer.status_code == 400
    assert list(answer.get_json()["error"]["fields"]) == [field]
