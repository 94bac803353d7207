"""`flask --app points import residents FILE`, as an operator types it, and the samples a newcomer imports."""
import re

import pytest
from sqlalchemy import func, select

from points import ROOT, ledger
from points.accounts.models import User
from points.audit import AuditEntry
from points.demo import COMMUNITIES
from points.extensions import db
from points.imports.files import decode
from points.imports.models import ImportBatch
from tests.imports.spreadsheets import csv_bytes, written

SAMPLES = ROOT / "docs/samples"
LINE = re.compile(r"^(row \d+|file)(, column [^:]+)?: .+$")


@pytest.fixture
def spreadsheet(tmp_path):
    def save(content, name="居民.csv"):
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return save


def residents():
    return db.session.execute(select(func.count()).select_from(User)).scalar()


def test_an_import_exits_0_with_a_summary(runner, communities, spreadsheet):
    path = spreadsheet(csv_bytes([["张桂兰", "13600000001", "锦湖社区", "12", ""],
                                  ["欧阳明", "13600000002", "午山社区", "", ""]], encoding="gb18030"))
    result = runner.invoke(args=["import", "residents", path])
    assert result.exit_code == 0, result.output
    assert "2 row(s), 2 resident(s) created, 0 skipped (already imported), 12 opening point(s)" in result.output
    assert residents() == 2
    batch = db.session.execute(select(ImportBatch)).scalar()
    assert (batch.created_by, batch.status, batch.filename) == (None, "done", "居民.csv")
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "import.committed")).scalar()
    assert (entry.actor_id, entry.target_id) == (None, batch.id)
    again = runner.invoke(args=["import", "residents", path])
    assert "0 resident(s) created, 2 skipped" in again.output


def test_problems_exit_1_each_as_row_and_column_and_nothing_is_written(runner, communities, spreadsheet):
    path = spreadsheet(csv_bytes([["张\x00桂兰", "13600000001", "锦湖社区", "", ""],
                                  ["欧阳明", "1234", "午山社区", "-3", ""]]))
    before = written()
    result = runner.invoke(args=["import", "residents", path])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "row 2, column 姓名: 这段文字含有无法使用的字符，请重新输入。"  # in the default language
    assert lines[1].startswith("row 3, column 手机号: ") and lines[2].startswith("row 3, column 期初积分: ")
    assert all(LINE.match(line) for line in lines[:3])
    assert "NOT IMPORTED, nothing written: 3 problem(s)" in lines[-1]
    assert written() == before


def test_a_file_that_cannot_be_imported_as_a_whole_is_one_line(runner, spreadsheet):
    result = runner.invoke(args=["import", "residents", spreadsheet(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "照片.png")])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("file: ")


def test_a_missing_file_is_a_clear_usage_error(runner, tmp_path):
    result = runner.invoke(args=["import", "residents", str(tmp_path / "没有.csv")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert db.session.execute(select(ImportBatch)).first() is None


def test_an_empty_file_is_refused_as_a_usage_error(runner, spreadsheet):
    result = runner.invoke(args=["import", "residents", spreadsheet(b"")])
    assert result.exit_code == 2
    assert db.session.execute(select(ImportBatch)).first() is None


def test_a_dry_run_says_what_would_happen_and_writes_nothing(runner, communities, spreadsheet):
    before = written()
    result = runner.invoke(args=["import", "residents", "--dry-run", spreadsheet(
        csv_bytes([["张桂兰", "13600000001", "锦湖社区", "12", ""]]))])
    assert result.exit_code == 0, result.output
    assert "dry run, nothing written: 1 row(s) checked, 1 ready to import" in result.output
    assert written() == before


def test_new_communities_only_with_the_flag(runner, spreadsheet):
    path = spreadsheet(csv_bytes([["张桂兰", "13600000001", "新城社区", "", ""]]))
    refused = runner.invoke(args=["import", "residents", path])
    assert refused.exit_code == 1 and refused.output.startswith("row 2, column 社区: ")
    created = runner.invoke(args=["import", "residents", "--create-communities", path])
    assert created.exit_code == 0, created.output
    assert db.session.execute(select(User.phone)).scalar() == "13600000001"


# ---- the samples a newcomer imports (README, "Bringing residents in") ----

def test_the_sample_csv_is_gb18030_as_chinese_excel_writes_it():
    assert decode((SAMPLES / "residents.csv").read_bytes())[1] == "gb18030"


@pytest.mark.parametrize("first, second", [("residents.csv", "residents.xlsx"), ("residents.xlsx", "residents.csv")])
def test_the_samples_import_cleanly_after_the_demo_and_hold_the_same_residents(runner, first, second):
    assert runner.invoke(args=["demo"]).exit_code == 0
    result = runner.invoke(args=["import", "residents", str(SAMPLES / first)])
    assert result.exit_code == 0, result.output
    assert "12 row(s), 12 resident(s) created" in result.output
    again = runner.invoke(args=["import", "residents", str(SAMPLES / second)])
    assert "0 resident(s) created, 12 skipped" in again.output, again.output
    imported = db.session.execute(select(User).where(User.phone.like("137%"))).scalars().all()
    assert {user.community.name for user in imported} == set(COMMUNITIES)
    assert all(user.password_hash is None for user in imported)
    assert sum(ledger.balance(user.id).available for user in imported) == 288
    assert ledger.verify() == []
    assert runner.invoke(args=["ledger", "verify"]).exit_code == 0
