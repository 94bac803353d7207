"""Every malformed file gets a clear message naming the row and column, and writes nothing."""
import io
import random
import zipfile

import pytest
from flask_babel import force_locale
from PIL import Image

from points.errors import Invalid
from points.imports import residents as imports
from points.imports.models import ImportStatus
from tests.imports.spreadsheets import HEADER, csv_bytes, where, written, xlsx_bytes


@pytest.fixture(autouse=True)
def in_english(app):
    """The messages are read in English here (the page and command tests read them in Chinese)."""
    with force_locale("en"):
        yield

GOOD = ["张桂兰", "13600000001", "锦湖社区", "12", "3-1-201"]


def refused(run, content, **options):
    """Import the file, which must be refused as a whole or in part: nothing is written, the batch says why."""
    before = written()
    batch = run(content, **options)
    assert batch.status == ImportStatus.FAILED
    assert batch.problems
    assert (batch.created, batch.opening_points) == (0, 0)
    assert written() == before
    return batch


def one_problem(batch):
    assert len(batch.problems) == 1, batch.problems
    found = batch.problems[0]
    return found["row"], found["column"], imports.problem_text(found)


def png():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def zip_of_text():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize("content", [
    png(), zip_of_text(), random.Random(9).randbytes(4096), b"%PDF-1.7\n" + bytes(range(256)) * 4,
    bytes(range(32)) * 50,
], ids=["png", "zip", "junk", "pdf", "controls"])
def test_a_file_that_is_not_a_spreadsheet_is_one_clear_problem(run, content):
    row, column, message = one_problem(refused(run, content))
    assert (row, column) == (None, None)
    assert "not a spreadsheet" in message


def test_an_old_xls_workbook_is_told_to_be_saved_as_xlsx(run):
    row, column, message = one_problem(refused(run, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600))
    assert row is None and ".xlsx" in message


@pytest.mark.parametrize("content", [b"\n\n", b" \r\n", "\ufeff".encode()])
def test_an_empty_file_is_one_problem(run, content):
    row, column, message = one_problem(refused(run, content))
    assert row is None and "empty" in message


def test_an_empty_upload_is_refused_before_it_is_kept(app, admin):
    with pytest.raises(Invalid) as refusal:
        imports.new_batch(admin, "居民.csv", b"")
    assert refusal.value.details == {"field": "file"}


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(app, admin):
    app.config["IMPORT_MAX_BYTES"] = 100
    with pytest.raises(Invalid) as refusal:
        imports.new_batch(admin, "居民.csv", csv_bytes([GOOD] * 5))
    assert (refusal.value.code, refusal.value.status) == ("too_large", 413)


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes])
def test_a_header_without_residents_is_one_problem(run, make):
    row, column, message = one_problem(refused(run, make([])))
    assert row is None and "no residents" in message


def test_more_rows_than_the_limit_is_one_problem_for_the_whole_file(run):
    """200,000 rows against the default limit of 100,000: refused, without a problem per row."""
    lines = ["姓名,手机号,社区"] + [f"居民,1360{n:07d},锦湖社区" for n in range(200_000)]
    row, column, message = one_problem(refused(run, "\n".join(lines).encode()))
    assert row is None and "100000" in message


def test_the_row_limit_is_a_setting_and_counts_workbooks_too(app, run):
    app.config["IMPORT_MAX_ROWS"] = 3
    rows = [[f"居民{n}", f"1360000000{n}", "锦湖社区", "", ""] for n in range(4)]
    assert "more than 3" in one_problem(refused(run, xlsx_bytes(rows)))[2]
    assert run(xlsx_bytes(rows[:3])).created == 3


def test_a_formula_is_refused_never_calculated(run):
    content = xlsx_bytes([GOOD, ["李四", "13600000002", "锦湖社区", "", ""]], formulas={"D3": "=D2*100"})
    assert one_problem(refused(run, content))[:2] == (3, "期初积分")
    csv_formula = csv_bytes([GOOD, ["=HYPERLINK(\"http://x\")", "13600000002", "锦湖社区", "", ""]])
    row, column, message = one_problem(refused(run, csv_formula))
    assert (row, column) == (3, "姓名") and "formula" in message


def test_a_merged_header_is_named(run):
    content = xlsx_bytes([["张桂兰", "", "13600000001", "锦湖社区"]], header=["姓名", None, "手机号", "社区"],
                         merged=["A1:B1"])
    row, column, message = one_problem(refused(run, content))
    assert (row, column) == (1, "姓名") and "A" in message and "B" in message


def test_a_title_merged_across_the_top_is_named(run):
    content = xlsx_bytes([HEADER, GOOD], header=["锦湖社区居民名单", None, None, None, None], merged=["A1:E1"])
    batch = refused(run, content)
    merged = [found for found in batch.problems if found["column"] == "锦湖社区居民名单"]
    assert [found["row"] for found in merged] == [1]
    assert "merged" in imports.problem_text(merged[0]) and "E" in imports.problem_text(merged[0])


def test_data_under_an_empty_header_cell_is_named_once(run):
    content = csv_bytes([[*GOOD, "备注一"], ["李四", "13600000002", "锦湖社区", "", "", "备注二"]],
                        header=[*HEADER, ""])
    row, column, message = one_problem(refused(run, content))
    assert (row, column) == (1, None) and "F" in message


@pytest.mark.parametrize("header, column, words", [
    ([*HEADER, "性别"], "性别", "does not know"),
    (["姓名", "手机号", "期初积分"], None, "社区"),
    (["姓名", "手机号", "社区", "手机"], "手机", "already"),
])
def test_an_unknown_missing_or_repeated_column_is_named_in_row_1(run, header, column, words):
    cells = dict(zip(HEADER, GOOD), 性别="女", 手机="13600000001")
    rows = [[cells[title] for title in header]]
    found = one_problem(refused(run, csv_bytes(rows, header=header)))
    assert found[:2] == (1, column) and words in found[2]


@pytest.mark.parametrize("phone", ["12345", "23600000001", "1360000000１2", "136000000", "10000000000", "abc",
                                   "136\x0000000001"])
def test_a_phone_that_is_not_a_mainland_mobile_is_named(run, phone):
    found = one_problem(refused(run, csv_bytes([GOOD, ["李四", phone, "锦湖社区", "", ""]])))
    assert found[:2] == (3, "手机号") and "mobile" in found[2]


@pytest.mark.parametrize("points, words", [
    ("-3", "negative"), ("2.5", "whole number"), ("abc", "whole number"), ("100001", "more than 100000"),
    ("1e3", "whole number"),
])
def test_a_negative_fractional_or_absurd_balance_is_named(run, points, words):
    batch = refused(run, csv_bytes([GOOD, ["李四", "13600000002", "锦湖社区", points, ""]]))
    found = one_problem(batch)
    assert found[:2] == (3, "期初积分") and words in found[2]
    assert batch.problems[0]["value"] == points


def test_nul_bytes_and_control_characters_are_named_by_row_and_column(run):
    content = csv_bytes([["张\x00桂兰", "13600000001", "锦湖社区", "", ""],
                         ["李四", "13600000002", "锦\x1b湖社区", "", "3\x07-101"]])
    batch = refused(run, content)
    assert where(batch) == [(2, "姓名"), (3, "社区"), (3, "户号")]
    assert "cannot be used" in imports.problem_text(batch.problems[0])
    with force_locale("zh"):  # the default language
        assert "无法使用的字符" in imports.problem_text(batch.problems[0])


def test_a_long_name_and_an_empty_one_are_named(run):
    batch = refused(run, csv_bytes([["王" * 51, "13600000001", "锦湖社区", "", ""], ["", "13600000002", "锦湖社区",
                                                                                 "", ""]]))
    assert where(batch) == [(2, "姓名"), (3, "姓名")]


def test_a_community_that_does_not_exist_is_named_unless_creating_is_allowed(run):
    content = csv_bytes([GOOD, ["李四", "13600000002", "新建社区", "", ""]])
    found = one_problem(refused(run, content))
    assert found[:2] == (3, "社区") and "no community" in found[2]
    batch = run(content, create_communities=True)
    assert (batch.problems, batch.created) == ([], 2)


def test_the_same_phone_twice_in_the_file_names_both_rows(run):
    batch = refused(run, csv_bytes([GOOD, ["李四", "13600000002", "锦湖社区", "", ""],
                                    ["张桂兰", "136-0000-0001", "午山社区", "", ""]]))
    assert where(batch) == [(2, "手机号"), (4, "手机号")]
    assert "row 4" in imports.problem_text(batch.problems[0])
    assert "row 2" in imports.problem_text(batch.problems[1])


def test_a_phone_of_someone_else_in_the_database_is_named(run, make_user):
    someone = make_user(name="赵敏", community="午山社区")
    batch = refused(run, csv_bytes([GOOD, ["李四", someone.phone, "锦湖社区", "5", ""]]))
    found = one_problem(batch)
    assert found[:2] == (3, "手机号") and "赵敏" in found[2] and "午山社区" in found[2]


def test_every_problem_of_a_file_is_listed_not_only_the_first(run):
    content = csv_bytes([["张\x00三", "123", "没有的社区", "-1", ""], GOOD, ["李四", "13600000001", "锦湖社区",
                                                                        "2.5", ""]], header=[*HEADER])
    batch = refused(run, content)
    assert where(batch) == [(2, "姓名"), (2, "手机号"), (2, "社区"), (2, "期初积分"), (3, "手机号"), (4, "手机号"),
                            (4, "期初积分")]
