"""Reading an office's spreadsheet: an XLSX workbook's first sheet, or a CSV file in UTF-8 (with or
without BOM), UTF-16 with BOM, or GB18030 (which covers GBK, what Chinese Excel writes).

A file is read row by row and never evaluated: a formula stays a formula (`Formula`), to be refused
by the checks. Rows are numbered as the spreadsheet shows them, the header being row 1. A file that
cannot be read as a spreadsheet at all raises `Unreadable`, naming why.
"""
import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Iterator

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries


def N_(message):
    """Mark a message for extraction; it is kept in English and translated when shown."""
    return message


NOT_A_SPREADSHEET = N_("This file is not a spreadsheet. Please choose an Excel workbook (.xlsx) or a CSV file.")
OLD_EXCEL = N_("This is an old Excel workbook (.xls) or one locked with a password. Please save it in "
               "Excel as .xlsx without a password, or as CSV, and choose that file.")
EMPTY = N_("The file is empty: its first row should hold the column names, and each row after it one resident.")
BROKEN = N_("The file could not be read beyond row %(row)d: it may be damaged. Please save it again and retry.")
TOO_BIG_UNPACKED = N_("This workbook is too large once unpacked. Please split it into smaller files.")

# What other files start with: a photo or a document chosen by mistake is told so at once.
_NOT_SPREADSHEETS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"BM", b"RIFF", b"\x1f\x8b", b"7z\xbc\xaf",
                     b"Rar!")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any workbook saved with a password
_ZIP = b"PK\x03\x04"
_UNPACKED_MOST = 512 * 1024 * 1024  # what an XLSX's parts may add up to, unpacked (a zip bomb is refused)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


class Unreadable(Exception):
    """The file as a whole cannot be read as a spreadsheet: `message` (a msgid) with `params`."""

    def __init__(self, message, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


class Formula(str):
    """A cell that holds a formula, as written (never evaluated)."""


@dataclass
class Sheet:
    """A spreadsheet opened for reading: its header (row 1) and its data rows, read as they are asked for."""

    kind: str  # "xlsx" or "csv"
    header: list
    rows: Iterator  # (row number, [cell text, ...]) from row 2 on
    estimate: int  # about how many data rows the file holds (for progress)
    encoding: str | None = None
    merged_header: list = field(default_factory=list)  # (first, last) 0-based columns merged in row 1


def open_sheet(content):
    """The spreadsheet in these bytes, or Unreadable."""
    if not content.strip():
        raise Unreadable(EMPTY)
    if content.startswith(_OLE2):
        raise Unreadable(OLD_EXCEL)
    if content.startswith(_NOT_SPREADSHEETS):
        raise Unreadable(NOT_A_SPREADSHEET)
    sheet = _xlsx(content) if content.startswith(_ZIP) else _csv(content)
    try:
        first = next(sheet.rows)
    except StopIteration:
        raise Unreadable(EMPTY) from None
    sheet.header = first[1]
    return sheet


# ---- CSV ------------------------------------------------------------------------------------------

def _csv(content):
    text, encoding = decode(content)
    if len(_CONTROLS.findall(text[:4096])) > len(text[:4096]) // 10:
        raise Unreadable(NOT_A_SPREADSHEET)  # binary that happened to decode
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return Sheet("csv", [], _csv_rows(reader), max(text.count("\n") - 1, 0), encoding)


def decode(content):
    """The text of a CSV file and the encoding it was written in: a BOM says so; else UTF-8 if it
    decodes as UTF-8 (GB18030 text almost never does), else GB18030."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            return _decoded(content, encoding), encoding
    for encoding in ("utf-8", "gb18030"):
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise Unreadable(NOT_A_SPREADSHEET)


def _decoded(content, encoding):
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        raise Unreadable(NOT_A_SPREADSHEET) from None


def _csv_rows(reader):
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [Formula(cell) if _looks_like_formula(cell) else cell for cell in cells]
    except csv.Error:  # a cell beyond the csv module's field limit, and the like
        raise Unreadable(BROKEN, row=number) from None


def _looks_like_formula(cell):
    """What Excel would take for a formula when it opens the CSV: "=" and something after it."""
    return cell.lstrip(" \t").startswith("=") and len(cell.strip()) > 1


# ---- XLSX -----------------------------------------------------------------------------------------

def _xlsx(content):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        if sum(part.file_size for part in archive.infolist()) > _UNPACKED_MOST:
            raise Unreadable(TOO_BIG_UNPACKED)
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        estimate = max((sheet.max_row or 1) - 1, 0)
        sheet.reset_dimensions()  # read every cell there is, whatever the file claims its size to be
        # openpyxl's read-only sheets keep no merged cells; the sheet's XML lists them.
        merged = _merged_header(archive, getattr(sheet, "_worksheet_path", "xl/worksheets/sheet1.xml"))
    except Unreadable:
        raise
    except Exception:  # noqa: BLE001 - whatever the library trips on, this is no workbook we can read
        raise Unreadable(NOT_A_SPREADSHEET) from None
    return Sheet("xlsx", [], _xlsx_rows(book, sheet), estimate, merged_header=merged)


def _merged_header(archive, path):
    """The merged ranges that take in row 1, as (first, last) 0-based columns, from the sheet's <mergeCell> list."""
    ranges, tail = set(), b""
    with archive.open(path) as xml:
        while chunk := xml.read(1 << 20):
            block = tail + chunk
            for ref in _MERGE.findall(block):
                first_column, first_row, last_column, _ = range_boundaries(ref.decode())
                if first_row == 1:
                    ranges.add((first_column - 1, last_column - 1))
            tail = block[-200:]  # a <mergeCell> cut in two by the chunk is found whole in the next
    return sorted(ranges)


def _xlsx_rows(book, sheet):
    number = 0
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    except Exception:  # noqa: BLE001 - a damaged sheet: say where it broke off, whatever broke
        raise Unreadable(BROKEN, row=number) from None
    finally:
        book.close()


def _cell_text(value):
    """A cell as text: a whole number without ".0" (Excel keeps numbers as floats), a date in ISO form.
    Read without calculating (data_only=False), a formula is its text, "=..." (an array formula an object)."""
    if isinstance(value, str):
        return Formula(value) if value.startswith("=") else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return Formula(getattr(value, "text", None) or str(value))  # ArrayFormula, DataTableFormula
