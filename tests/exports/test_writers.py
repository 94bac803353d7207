"""The file formats on their own: what a cell holds comes back as it went in, and a long list goes on to a second sheet."""
import csv
import io

import openpyxl

from points.exports import writers

ODD_CELLS = [7, 2.5, "a < b & c > d", "  spaces kept  ", "两行\n文字", "=1+1", "张三", None, ""]


def test_xlsx_cells_come_back_as_they_were_written(tmp_path):
    writers.write_xlsx(tmp_path / "odd.xlsx", "名单", [f"列{n}" for n in range(len(ODD_CELLS))], [ODD_CELLS])
    header, row = openpyxl.load_workbook(tmp_path / "odd.xlsx").worksheets[0].iter_rows(values_only=True)
    assert list(row) == ODD_CELLS[:7] + [None, None] and header[0] == "列0"


def test_a_formula_in_xlsx_is_a_string_cell(tmp_path):
    writers.write_xlsx(tmp_path / "f.xlsx", "t", ["a"], [["=HYPERLINK(\"http://evil\")"]])
    cell = openpyxl.load_workbook(tmp_path / "f.xlsx").worksheets[0]["A2"]
    assert cell.data_type == "s"


def test_rows_beyond_a_sheet_go_on_to_the_next_with_the_header(tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "SHEET_ROWS", 3)
    writers.write_xlsx(tmp_path / "long.xlsx", "转账", ["编号"], [[n] for n in range(5)])
    sheets = openpyxl.load_workbook(tmp_path / "long.xlsx").worksheets
    assert [sheet.title for sheet in sheets] == ["转账", "转账 2", "转账 3"]
    assert [list(sheet.values) for sheet in sheets][1] == [("编号",), (2,), (3,)]


def test_csv_neutralises_every_formula_start(tmp_path):
    starts = ["=a", "+a", "-a", "@a", "\ta", "\ra", "a=b"]
    text = b"".join(writers.csv_chunks(["h"] * len(starts), [starts])).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text, newline="")))[1] == ["'=a", "'+a", "'-a", "'@a", "'\ta", "'\ra", "a=b"]
