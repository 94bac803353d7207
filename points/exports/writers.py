"""The two file formats, row by row: CSV straight into the response, XLSX into a file of constant size in memory.

CSV is UTF-8 with a BOM (Excel then shows Chinese) and every cell that Excel would run as a formula
is written as text (points.csvout.neutral). An XLSX cell is written as a string cell, never as a
formula, so "=1+1" stays the text a resident typed.
"""
import csv
import io

import xlsxwriter

from points.csvout import BOM, neutral

CSV_BATCH = 2000  # rows encoded together: fewer, larger writes to the response
SHEET_ROWS = 1_048_576  # Excel's limit per sheet, the header included; more rows go on a further sheet
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_chunks(header, rows, progress=None):
    """The CSV as bytes, a batch of rows at a time; `progress(rows written)` after each batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([neutral(cell) for cell in header])
    written = 0
    for row in rows:
        writer.writerow([neutral(cell) for cell in row])
        written += 1
        if written % CSV_BATCH == 0:
            yield _drain(buffer)
            if progress:
                progress(written)
    yield _drain(buffer)
    if progress:
        progress(written)


def _drain(buffer):
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def write_xlsx(path, title, header, rows, progress=None, every=CSV_BATCH):
    """Write the rows to an XLSX file at `path` in XlsxWriter's constant-memory mode; the row count."""
    workbook = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False,
    })
    bold = workbook.add_format({"bold": True})
    sheet, line, written = None, SHEET_ROWS, 0
    try:
        for row in rows:
            if line == SHEET_ROWS:
                sheet, line = _new_sheet(workbook, title, header, bold), 1
            _write_row(sheet, line, row)
            line += 1
            written += 1
            if progress and written % every == 0:
                progress(written)
        if sheet is None:
            _new_sheet(workbook, title, header, bold)
    finally:
        workbook.close()
    if progress:
        progress(written)
    return written


def _new_sheet(workbook, title, header, bold):
    number = len(workbook.worksheets()) + 1
    sheet = workbook.add_worksheet(_sheet_name(title) if number == 1 else _sheet_name(f"{title} {number}"))
    for column, name in enumerate(header):
        sheet.set_column(column, column, max(10, min(40, 2 * len(str(name)) + 2)))
    sheet.write_row(0, 0, [str(name) for name in header], bold)
    sheet.freeze_panes(1, 0)
    return sheet


def _write_row(sheet, line, row):
    """Numbers as numbers, everything else as a string cell: never a formula, a URL or a guessed number."""
    for column, cell in enumerate(row):
        if cell is None or cell == "":
            continue
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            sheet.write_number(line, column, cell)
        else:
            sheet.write_string(line, column, str(cell))


def _sheet_name(title):
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title))
    return name[:31] or "Sheet"
