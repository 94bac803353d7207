"""The rules of a residents' file, row by row: which columns it has, and what each cell may hold.

Every problem found is a dict {row, column, value, message, params}: the row as the spreadsheet
numbers it (the header is row 1; None for the whole file), the column's header as written in the
file (None if it has none), the cell as read, and an English msgid with its %-parameters,
translated only when shown. What needs the database (communities, phones already registered) is
checked by points.imports.residents.
"""
import re
import unicodedata
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter

from points import text
from points.accounts.models import valid_phone
from points.imports.files import Formula, N_, Unreadable, open_sheet

SAMPLE_ROWS = 20
VALUE_MOST = 100  # a problem shows this much of the cell
NAME_MOST, COMMUNITY_MOST, HOUSEHOLD_MOST = 50, 100, 30  # as the columns of users and communities hold

# The columns the import knows, by every header it accepts (compared as `header_key` leaves them).
COLUMNS = {
    "name": ("姓名", "name"),
    "phone": ("手机号", "手机", "手机号码", "联系电话", "phone", "mobile"),
    "community": ("社区", "community"),
    "opening_points": ("期初积分", "opening_points", "openingpoints"),
    "household": ("户号", "household"),
}
REQUIRED = ("name", "phone", "community")
HEADERS = "姓名, 手机号, 社区, 期初积分, 户号"  # as a message lists them

UNKNOWN_COLUMN = N_("The import does not know this column. Please remove it, or name it as one of: %(known)s.")
MISSING_COLUMN = N_("The column %(name)s is missing: row 1 must name it.")
DUPLICATE_COLUMN = N_("This column is already in the file, in column %(letter)s.")
MERGED_HEADER = N_("Row 1 has merged cells (columns %(first)s to %(last)s). Please put one column name in "
                   "each cell of row 1 and remove any title above it.")
NO_HEADER = N_("Column %(letter)s has data but no name in row 1 (a merged header?). Please name the column "
               "or remove it.")
NO_ROWS = N_("The file has its column names but no residents under them.")
TOO_MANY_ROWS = N_("The file holds more than %(most)d residents. Please split it into files of at most "
                   "%(most)d rows.")
FORMULA = N_("This cell holds a formula, which the import does not calculate. Please copy the column and "
             "paste it back as values.")
FILL_IN = N_("Please fill this in.")
NOT_A_MOBILE = N_("This is not a mainland mobile number (11 digits starting with 1).")
NOT_A_NUMBER = N_("The opening balance must be a whole number of points.")
NEGATIVE = N_("The opening balance cannot be negative.")
TOO_MANY_POINTS = N_("The opening balance is more than %(most)d points.")
SAME_PHONE = N_("This mobile number is also on row %(other)d.")

# A checked row: each value cleaned, or None where its cell has a problem (then `ok` is False).
Resident = namedtuple("Resident", "row name phone community points household ok")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_PHONE_MARKS = str.maketrans("", "", text.BLANKS + "-‐‑–—")


@dataclass
class Checked:
    """What reading and checking a file found: its header, its first rows, every row's resident (its
    cells cleaned where they pass), and every problem."""

    columns: list = field(default_factory=list)
    headers: dict = field(default_factory=dict)  # {"phone": "手机号", ...}: the known columns, as headed
    sample: list = field(default_factory=list)
    residents: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    rows: int = 0  # data rows, blank ones not counted


def problem(row, column, value, message, **params):
    return {"row": row, "column": column or None, "value": str(value or "")[:VALUE_MOST],
            "message": message, "params": params}


def header_key(header):
    """A header as compared: case, blanks (full-width ones too) and underscores do not matter."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", header).casefold()
                   if ch not in text.BLANKS and ch not in "_-")


_FIELD_OF = {header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


def read(content, *, max_rows, max_points, progress):
    """Read and check every row; a file refused as a whole gives one problem with row None."""
    checked = Checked()
    try:
        sheet = open_sheet(content)
        _check_rows(sheet, checked, max_rows, max_points, progress)
    except Unreadable as refused:
        return Checked(columns=checked.columns, headers=checked.headers,
                       problems=[problem(None, None, "", refused.message, **refused.params)])
    except _TooMany:
        return Checked(columns=checked.columns, headers=checked.headers,
                       problems=[problem(None, None, "", TOO_MANY_ROWS, most=max_rows)])
    if checked.rows == 0:
        checked.problems.append(problem(None, None, "", NO_ROWS))
    return checked


class _TooMany(Exception):
    pass


def _check_rows(sheet, checked, max_rows, max_points, progress):
    checked.columns = [str(cell)[:VALUE_MOST] for cell in sheet.header]
    fields, unnamed = _map_header(sheet, checked.problems)
    checked.headers = {name: title for name, (_index, title) in fields.items()}
    first_row_of, reported = {}, set()
    for number, cells in sheet.rows:
        if not any(cell.strip(text.BLANKS) for cell in cells):
            continue
        checked.rows += 1
        if checked.rows > max_rows:
            raise _TooMany()
        if len(checked.sample) < SAMPLE_ROWS:
            checked.sample.append({"row": number, "cells": [cell[:VALUE_MOST] for cell in cells]})
        _data_without_header(cells, unnamed, reported, checked.problems)
        resident = _check_row(number, cells, fields, checked.problems, max_points)
        checked.residents.append(_once_in_file(resident, first_row_of, checked))
        if checked.rows % 500 == 0:
            progress("reading", checked.rows, max(sheet.estimate, checked.rows))
    sort_problems(checked)


def _once_in_file(resident, first_row_of, checked):
    """The resident, unless their phone is on an earlier row too: then both rows are named."""
    other = first_row_of.setdefault(resident.phone, resident.row) if resident.phone else resident.row
    if other == resident.row:
        return resident
    column = checked.headers["phone"]
    checked.problems.append(problem(resident.row, column, resident.phone, SAME_PHONE, other=other))
    checked.problems.append(problem(other, column, resident.phone, SAME_PHONE, other=resident.row))
    return resident._replace(ok=False)


def sort_problems(checked):
    """By row, the file's own problems first; within a row, in the order of the columns."""
    position = {title.strip(text.BLANKS): index for index, title in reversed(list(enumerate(checked.columns)))}
    checked.problems.sort(key=lambda p: (p["row"] or 0, position.get(p["column"], -1)))


def _map_header(sheet, problems):
    """{field: (index, header as written)} of the known columns; problems for the others. Returns that
    and the set of columns without a name, under which there must be no data."""
    fields, unnamed = {}, _Unnamed(len(sheet.header))
    hidden, starts = _merged(sheet, problems)
    for index, title in enumerate(sheet.header):
        key = header_key(title)
        if not key:
            if index not in hidden:
                unnamed.add(index)
            continue
        name = _FIELD_OF.get(key)
        if isinstance(title, Formula):
            problems.append(problem(1, title, title, FORMULA))
        elif name is None:
            if index not in starts:  # a merged title is reported as merged, once
                problems.append(problem(1, title, title, UNKNOWN_COLUMN, known=HEADERS))
        elif name in fields:
            problems.append(problem(1, title, title, DUPLICATE_COLUMN,
                                    letter=get_column_letter(fields[name][0] + 1)))
        else:
            fields[name] = (index, title.strip(text.BLANKS))
    for name in REQUIRED:
        if name not in fields:
            problems.append(problem(1, None, "", MISSING_COLUMN, name=f"{COLUMNS[name][0]} ({name})"))
    return fields, unnamed


def _merged(sheet, problems):
    """A problem for each merged range in row 1; returns the cells the merges hide and where they start."""
    hidden, starts = set(), set()
    for first, last in sheet.merged_header:
        title = _at(sheet.header, first)
        problems.append(problem(1, title, title, MERGED_HEADER, first=get_column_letter(first + 1),
                                last=get_column_letter(last + 1)))
        hidden.update(range(first + 1, last + 1))  # empty, and no column of their own
        starts.add(first)
    return hidden, starts


class _Unnamed(set):
    """The header's empty cells; and every column beyond the header (from `named` on) has no name either."""

    def __init__(self, named):
        super().__init__()
        self.named = named


def _at(cells, index):
    return cells[index] if index < len(cells) else ""


def _data_without_header(cells, unnamed, reported, problems):
    """Data under a header cell left empty (or beyond the header) is reported once per column, on row 1."""
    for index, cell in enumerate(cells):
        if (index in unnamed or index >= unnamed.named) and index not in reported and cell.strip(text.BLANKS):
            reported.add(index)
            problems.append(problem(1, None, "", NO_HEADER, letter=get_column_letter(index + 1)))


def _check_row(number, cells, fields, problems, max_points):
    """The resident on this row; the problems of its cells are added to `problems`."""
    found = len(problems)
    values = {}
    for name, (index, title) in fields.items():
        value = _at(cells, index)
        if isinstance(value, Formula):
            problems.append(problem(number, title, value, FORMULA))
            continue
        try:
            values[name] = CELL_RULES[name](value, max_points)
        except text.BadText as refused:
            message, params = _msgid(refused.message)
            problems.append(problem(number, title, value, message, **params))
        except _Bad as bad:
            problems.append(problem(number, title, value, bad.message, **bad.params))
    ok = len(problems) == found and all(name in values for name in REQUIRED)
    return Resident(number, values.get("name"), values.get("phone"), values.get("community"),
                    values.get("opening_points"), values.get("household") or None, ok)


class _Bad(Exception):
    def __init__(self, message, **params):
        super().__init__(message)
        self.message, self.params = message, params


def _msgid(lazy):
    """The msgid and parameters of a refusal's lazily translated message (flask_babel's LazyString
    keeps what gettext is to be called with), so the problem is translated when shown."""
    args, params = getattr(lazy, "_args", None), getattr(lazy, "_kwargs", {})
    return (args[0], dict(params)) if args else (str(lazy), {})


def _name(value, max_points):
    return text.line(value, most=NAME_MOST)


def _community(value, max_points):
    return text.line(value, most=COMMUNITY_MOST)


def _household(value, max_points):
    return text.line(value, most=HOUSEHOLD_MOST, required=False)


def phone_number(value):
    """A mobile number as people write it (spaces, dashes, full-width digits, +86) in its 11 digits."""
    digits = unicodedata.normalize("NFKC", value).translate(_PHONE_MARKS)
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix):]
    return digits


def _phone(value, max_points):
    digits = phone_number(value)
    if not digits:
        raise _Bad(FILL_IN)
    if not valid_phone(digits):
        raise _Bad(NOT_A_MOBILE)
    return digits


def opening_points(value, most):
    """A whole number of points ≥ 0 ("12.0", as Excel may write 12, is 12), or None for an empty cell."""
    written = unicodedata.normalize("NFKC", value).strip(text.BLANKS)
    if not written:
        return None
    if not _NUMBER.fullmatch(written):
        raise _Bad(NOT_A_NUMBER)
    number = Decimal(written)
    if number < 0:
        raise _Bad(NEGATIVE)
    if number != number.to_integral_value():
        raise _Bad(NOT_A_NUMBER)
    if number > most:
        raise _Bad(TOO_MANY_POINTS, most=most)
    return int(number) or None  # no points, no opening balance


CELL_RULES = {"name": _name, "phone": _phone, "community": _community, "opening_points": opening_points,
              "household": _household}
