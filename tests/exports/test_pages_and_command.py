"""The exports page and the command: bad filters are said clearly and change nothing; the command writes the file."""
import csv

from sqlalchemy import func, select

from points.exports.models import Export
from points.extensions import db


def test_the_page_lists_what_the_viewer_may_export(client, login, reviewer):
    login(reviewer)
    page = client.get("/admin/exports").get_data(as_text=True)
    assert 'value="claims"' in page and 'value="audit"' not in page


def test_a_bad_day_on_the_page_is_said_and_nothing_is_started(client, login, admin):
    login(admin)
    answer = client.post("/admin/exports", data={"kind": "transfers", "from": "2026-12-09", "to": "2026-12-01",
                                                 "background": "1"})
    assert answer.status_code == 400 and "结束日期早于开始日期" in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Export)) == 0


def test_a_resident_cannot_open_the_exports_page(client, login, make_user):
    login(make_user())
    assert client.get("/admin/exports").status_code == 403


def test_the_command_writes_a_community_as_csv(runner, residents, tmp_path):
    output = tmp_path / "转账.csv"
    result = runner.invoke(args=["export", "transfers", "--community", "午山社区", "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(output.read_text(encoding="utf-8-sig").splitlines()))
    assert [row[4] for row in rows[1:]] == ["欧阳娜娜"]


def test_the_command_refuses_a_bad_day(runner, tmp_path):
    result = runner.invoke(args=["export", "claims", "--from", "2026-02-30", "--output", str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and "NOT EXPORTED" in result.output
