"""Spreadsheets made in the test, as an office's Excel would write them, and what to compare after an import."""
import csv
import io

from openpyxl import Workbook

from tests.test_text_rule import _rows as rows_of_every_table

HEADER = ["姓名", "手机号", "社区", "期初积分", "户号"]


def csv_bytes(rows, header=HEADER, encoding="utf-8", delimiter=","):
    """A CSV file of these rows, written as Excel would in that encoding ("utf-8-sig": with a BOM)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, merged=(), formulas=()):
    """An XLSX workbook of these rows; `merged` ranges such as "A1:B1"; `formulas` {cell: "=..."}."""
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    for cells in merged:
        sheet.merge_cells(cells)
    for cell, formula in dict(formulas).items():
        sheet[cell] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def written():
    """How many rows each table holds, but the batches: a file refused leaves each count as it was."""
    counts = rows_of_every_table()
    counts.pop("imports")
    return counts


def where(batch):
    """The problems as (row, column) pairs, in the order they are listed."""
    return [(found["row"], found["column"]) for found in batch.problems]
