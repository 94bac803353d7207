"""Operations are atomic: a refusal undoes what the operation wrote before it, whatever its caller does next.

A request commits once, at its end (points.lifecycle), and a page that catches a refusal to show it
beside the form answers 200 or a redirect, which commits. An operation that had already written
something — a place taken in a session, a claim's photos — before a later rule refused would leave
half a change behind. So each operation that writes runs in a savepoint of its own, rolled back
when it refuses, and the caller may commit whatever it likes afterwards.
"""
from functools import wraps

from points.errors import Refusal
from points.extensions import db


def atomic(operation):
    """Run the operation in a savepoint; a Refusal rolls back what it wrote and goes on up."""

    @wraps(operation)
    def run(*args, **kwargs):
        savepoint = db.session.begin_nested()
        try:
            result = operation(*args, **kwargs)
        except Refusal:
            if savepoint.is_active:
                savepoint.rollback()
            raise
        if savepoint.is_active:
            savepoint.commit()
        return result

    return run
