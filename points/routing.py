"""URL converters: an id in a path is a positive integer a database column can hold."""
from werkzeug.routing import IntegerConverter

BIGGEST_ID = 2**31 - 1  # id columns are INTEGER; a larger number would make PostgreSQL fail


class IdConverter(IntegerConverter):
    """`<int:x>` everywhere: 0, negatives and numbers too big for the database are a plain 404."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=BIGGEST_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def is_id(value):
    """A value an id column can hold; anything else names nothing and must not reach the database."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= BIGGEST_ID


def id_parameter_schema(_converter):
    return {"type": "integer", "minimum": 1, "maximum": BIGGEST_ID}
