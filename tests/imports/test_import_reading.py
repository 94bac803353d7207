"""What an office's files look like: Excel's CSV in UTF-8 or GB18030, a workbook, English headers, phone
numbers as people write them — each read as the office meant it."""
import pytest
from sqlalchemy import select

from points import ledger
from points.accounts.models import User
from points.extensions import db
from tests.imports.spreadsheets import csv_bytes, xlsx_bytes

ROWS = [["张桂兰", "13600000001", "锦湖社区", "12", "锦湖3-1-201"],
        ["欧阳明", "13600000002", "午山社区", "", ""]]


def person(phone):
    return db.session.execute(select(User).where(User.phone == phone)).scalar()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_a_csv_in_each_encoding_excel_writes_is_read_as_written(run, encoding):
    batch = run(csv_bytes(ROWS, encoding=encoding))
    assert (batch.status, batch.problems, batch.created) == ("done", [], 2)
    zhang = person("13600000001")
    assert (zhang.name, zhang.community.name, zhang.household.number) == ("张桂兰", "锦湖社区", "锦湖3-1-201")
    assert ledger.balance(zhang.id) == ledger.Balance(available=12, held=0, earned_total=12)
    assert person("13600000002").household is None
    assert ledger.balance(person("13600000002").id).available == 0


def test_a_workbook_with_numbers_as_excel_keeps_them(run):
    """Excel keeps a phone number typed into a cell as a number, and 12 may come back as 12.0."""
    content = xlsx_bytes([["张桂兰", 13600000001, "锦湖社区", 12.0, "3-1-201"],
                          ["欧阳明", 13600000002.0, "午山社区", None, 302]])
    batch = run(content, filename="居民.xlsx")
    assert (batch.status, batch.problems, batch.created, batch.opening_points) == ("done", [], 2, 12)
    assert person("13600000002").household.number == "302"
    assert batch.columns == ["姓名", "手机号", "社区", "期初积分", "户号"]
    assert batch.sample[0] == {"row": 2, "cells": ["张桂兰", "13600000001", "锦湖社区", "12", "3-1-201"]}


@pytest.mark.parametrize("header", [
    ["Name", "Phone", "Community", "Opening_Points", "Household"],
    [" name ", "PHONE\u3000", "community", "opening points", "HOUSEHOLD"],
    ["姓\u3000名", "手机号码", "社区", "期初积分", "户号"],
    ["姓名", "联系电话", "社区", "期初积分", "户号"],
    ["姓名", "手机", "社区", "期初积分", "户号"],
])
def test_headers_in_chinese_or_english_whatever_their_case_and_blanks(run, header):
    batch = run(csv_bytes(ROWS, header=header))
    assert (batch.problems, batch.created) == ([], 2)


def test_the_optional_columns_may_be_left_out_and_columns_come_in_any_order(run):
    batch = run(csv_bytes([["锦湖社区", "13600000001", "张桂兰"]], header=["社区", "手机号", "姓名"]))
    assert (batch.problems, batch.created, batch.opening_points) == ([], 1, 0)


@pytest.mark.parametrize("written", [
    "136 0000 0001", "136-0000-0001", "１３６０００００００１", "+86 136 0000 0001", "86-13600000001",
    "+8613600000001", " 13600000001\u3000",
])
def test_phone_numbers_are_read_as_people_write_them(run, written):
    batch = run(csv_bytes([["张桂兰", written, "锦湖社区", "", ""]]))
    assert batch.problems == []
    assert person("13600000001").name == "张桂兰"


def test_blank_rows_are_ignored_and_rows_keep_their_spreadsheet_numbers(run):
    rows = [ROWS[0], ["", "", "", "", ""], ["\u3000", " ", "", "", ""], ["王五", "123", "锦湖社区", "", ""]]
    batch = run(csv_bytes(rows))
    assert batch.rows == 2
    assert [(p["row"], p["column"], p["value"]) for p in batch.problems] == [(5, "手机号", "123")]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_a_tab_or_semicolon_separated_file_is_read_too(run, delimiter):
    batch = run(csv_bytes(ROWS, delimiter=delimiter))
    assert (batch.problems, batch.created) == ([], 2)
