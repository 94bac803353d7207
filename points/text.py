"""The text rule: what a line of text and a paragraph may hold, for every form, schema, query and operation.

A *line* (a name, a title, a search) is one line; a *paragraph* (a note, a reason, a venue's rules)
may also hold line breaks and tabs. Both are trimmed of blanks, and neither may hold:

- control characters (C0, DEL and C1): PostgreSQL refuses NUL in text, and the others are invisible;
- lone surrogates, which no database can store as UTF-8;
- the bidirectional controls (U+202A–U+202E, U+2066–U+2069) and the Unicode line and paragraph
  separators: names and notes travel to the public board, printed cards and exports, where text must
  read as it was written; neither Chinese nor English needs them.

Blanks are listed here rather than taken from `str.isspace` or a regex's `\\s`, which disagree between
Python and JavaScript: the patterns in the OpenAPI document then mean exactly what this module does.
"""
import re

from flask_babel import lazy_gettext as _l

from points.errors import Invalid

_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
# Surrogates are refused too, but left out of the documented patterns: regex engines that work on
# Unicode scalar values (as schema validators written in Rust do) cannot even compile a range of them.
_SURROGATES = r"\ud800-\udfff"
_BREAKS = r"\t\n\r"
_BLANKS = r" \t\n\r\f\v\xa0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff"
BLANKS = " \t\n\r\f\v\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200C))) + "\u202f\u205f\u3000\ufeff"


class BadText(Invalid):
    code = "invalid_request"


class Rule:
    """What one kind of text may hold; `check` cleans a value or refuses it."""

    def __init__(self, forbidden):
        self.forbidden = forbidden
        self._refused = re.compile(f"[{forbidden}{_SURROGATES}]")

    def pattern(self, required):
        """The JSON Schema pattern of a valid value: nothing forbidden, and something not blank if required."""
        allowed = f"[^{self.forbidden}]"
        if not required:
            return f"^{allowed}*$"
        return f"^{allowed}*[^{self.forbidden}{_BLANKS}]{allowed}*$"

    def check(self, value, *, most, field=None, required=True):
        """The value trimmed (line breaks as \\n), or a BadText refusal naming the field."""
        text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip(BLANKS)
        if self._refused.search(text):
            raise BadText(_l("This text holds characters that cannot be used. Please type it again."), field=field)
        if len(text) > most:
            raise BadText(_l("Please keep this to at most %(most)d characters.", most=most), field=field)
        if required and not text:
            raise BadText(_l("Please fill this in."), field=field)
        return text


LINE = Rule(_CONTROLS + _BREAKS)
PARAGRAPH = Rule(_CONTROLS)


def line(value, *, most, field=None, required=True):
    """A name, a title, a search: one line of text."""
    return LINE.check(value, most=most, field=field, required=required)


def paragraph(value, *, most, field=None, required=False):
    """A note, a reason, a venue's rules: text that may run over several lines."""
    return PARAGRAPH.check(value, most=most, field=field, required=required)
