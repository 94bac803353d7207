"""CSV for Excel users: UTF-8 with a BOM, so that Excel shows Chinese, and no cell that Excel would run.

A cell starting with = + - or @ (or a tab or carriage return, which Excel skips before one) is a
formula to a spreadsheet: a name such as "=HYPERLINK(...)" typed into a form would run on the
office's computer. Such a cell is written with a leading apostrophe, which Excel shows as text.
"""
import csv
import io

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(value):
    """The cell as text Excel will not run; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def lines(header, rows):
    """The CSV text, a line at a time (the BOM first), for a streamed download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells):
        writer.writerow([neutral(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield BOM + line(header)
    for row in rows:
        yield line(row)
