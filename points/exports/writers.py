"""The two file formats, row by row: CSV straight into the response, XLSX into a file of constant size in memory.

CSV is UTF-8 with a BOM (Excel then shows Chinese), and every cell that Excel would run as a formula
is written as text (the rule of points.csvout). XLSX is made by XlsxWriter in constant-memory mode;
every text is an inline string cell, never a formula, so "=1+1" stays the text a resident typed.
"""
import csv
import io
import re

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from points.csvout import BOM, FORMULA_STARTS

FORMULAS = frozenset(FORMULA_STARTS)  # one character each: a set lookup per cell
CSV_BATCH = 2000  # rows encoded together: fewer, larger writes to the response
WRITE_ROWS = 500  # XLSX rows written to XlsxWriter's row file at once
SHEET_ROWS = 1_048_576  # Excel's limit per sheet, the header included; more rows go on a further sheet
MOST_TEXT = 32_767  # Excel's limit per cell
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_chunks(header, rows, progress=None):
    """The CSV as bytes, a batch of rows at a time; `progress(rows written)` after each batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([str(name) for name in header])
    written = 0
    for row in rows:
        writer.writerow([("'" + cell) if cell.__class__ is str and cell[:1] in FORMULAS else cell for cell in row])
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
    """Write the rows to an XLSX file at `path`; the number of rows written."""
    workbook = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False,
    })
    sheet, written = None, 0
    try:
        for row in rows:
            if sheet is None or sheet.full:
                if sheet is not None:
                    sheet.flush()
                sheet = _Sheet(workbook, title, header)
            sheet.add(row)
            written += 1
            if progress and written % every == 0:
                progress(written)
        (sheet or _Sheet(workbook, title, header)).flush()
    finally:
        workbook.close()
    if progress:
        progress(written)
    return written


class _Sheet:
    """A worksheet whose rows go straight into XlsxWriter's constant-memory row file, as the XML it
    would write itself (an inline string or a number per cell), without its per-cell bookkeeping.

    XlsxWriter's own write_string/write_number cost about 9 µs a cell: 7,000 rows a second at 15
    columns, a third of what an export must do. XlsxWriter still makes the workbook around the rows
    (styles, column widths, the frozen header, the dimension and the zip); if a version of it no
    longer keeps a row file (`row_data_fh`), the rows go through its public calls instead."""

    def __init__(self, workbook, title, header):
        number = len(workbook.worksheets()) + 1
        self.sheet = workbook.add_worksheet(_sheet_name(title if number == 1 else f"{title} {number}"))
        self.columns = [xl_col_to_name(column) for column in range(len(header))]
        for column, name in enumerate(header):
            self.sheet.set_column(column, column, max(10, min(40, 2 * len(str(name)) + 2)))
        self.sheet.freeze_panes(1, 0)
        self.raw = getattr(self.sheet, "row_data_fh", None) is not None and self.sheet.fh is self.sheet.row_data_fh
        self.line, self.pending = 0, []
        self.add([str(name) for name in header])

    @property
    def full(self):
        return self.line == SHEET_ROWS

    def add(self, row):
        if self.raw:
            self.pending.append(_row_xml(self.line + 1, self.columns, row))
            if len(self.pending) == WRITE_ROWS:
                self.flush()
        else:
            _write_row(self.sheet, self.line, row)
        self.line += 1

    def flush(self):
        """Hand the rows made so far to XlsxWriter's row file, and tell it how far the sheet reaches."""
        if not self.pending:
            return
        sheet = self.sheet
        sheet.fh.write("".join(self.pending))
        self.pending.clear()
        sheet.dim_rowmin, sheet.dim_colmin, sheet.dim_rowmax = 0, 0, self.line - 1
        sheet.dim_colmax = max(sheet.dim_colmax or 0, len(self.columns) - 1)


ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;",
           **{code: f"_x{code:04X}_" for code in [*range(0x00, 0x09), *range(0x0B, 0x20)]}}
LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")  # text that looks like an escape is escaped itself
# Anything in a text that needs more than copying: one scan in C (str.translate is slow on Chinese text).
UNUSUAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_|^\s|\s\Z")


def _row_xml(number, columns, row, unusual=UNUSUAL.search):
    """A row's XML as XlsxWriter writes it in constant-memory mode: an inline string or a number per
    cell, nothing for an empty one. One loop with no calls in the common case: this is the hot path."""
    cells = []
    for column, cell in zip(columns, row):
        if cell.__class__ is str:
            if not cell:
                continue
            if unusual(cell) is None and len(cell) <= MOST_TEXT:
                cells.append(f'<c r="{column}{number}" t="inlineStr"><is><t>{cell}</t></is></c>')
            else:
                cells.append(_unusual_text(f"{column}{number}", cell))
        elif cell is None:
            continue
        elif cell.__class__ is int or cell.__class__ is float:
            cells.append(f'<c r="{column}{number}"><v>{cell}</v></c>')
        else:
            cells.append(_unusual_text(f"{column}{number}", str(cell)))
    return f'<row r="{number}">' + "".join(cells) + "</row>"


def _unusual_text(reference, text):
    """Text too long for a cell, with spaces at an end, or that looks like one of Excel's escapes."""
    text = LITERAL_ESCAPE.sub(r"_x005F\1", text[:MOST_TEXT])
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{reference}" t="inlineStr"><is><t{space}>{text.translate(ESCAPES)}</t></is></c>' if text else ""


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
