"""Whom a person may see or act for: one answer for every page, API handler and operation.

Everyone reaches themself; a reviewer the people of the community they look after; an admin
everyone (`User.can_review` holds the rule). A family helper (points.accounts.helpers) reaches the
resident who granted them help, but only where the caller names a `Scope` the grant in force
includes: booking names BOOK, a claim CLAIM, the balance and history VIEW. A call that names no
scope (the member code and card, one-time codes, admin pages) never lets a helper in. Someone out
of reach is answered exactly as nobody would be, 404 `not_found`, so an outsider cannot probe which
ids exist; what belongs to a resident (claims, bookings, tickets, photos, member cards) answers the
same way. Role checks (a resident on an organiser's page) stay 403: they tell nothing about anybody.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, true

from points.accounts import helpers
from points.accounts.helpers import Scope  # noqa: F401 (callers name scopes as reach.Scope)
from points.accounts.models import Role, User
from points.errors import NotFound
from points.extensions import db
from points.routing import is_id

NO_SUCH_RESIDENT = _l("No such resident.")


def reaches(actor, person, scope=None):
    """May `actor` see or act for `person`: themself, someone they review, or — for what `scope`
    names (one Scope, or several joined with |, any of which will do) — someone they help."""
    if actor.id == person.id or actor.can_review(person):
        return True
    if scope is None:
        return False
    grant = helpers.grant_between(actor.id, person.id)
    return grant is not None and grant.allows(scope)


def looked_after(viewer, community_column):
    """`User.looks_after` as SQL, for lists: the rows whose community the viewer looks after."""
    if viewer.has_role(Role.ADMIN):
        return true()
    if viewer.has_role(Role.REVIEWER) and viewer.community_id is not None:
        return community_column == viewer.community_id
    return false()


def in_reach(actor, person, message=NO_SUCH_RESIDENT, scope=None, **details):
    """`person` when the actor reaches them (for `scope`); otherwise the 404 that nobody at all would get."""
    if person is None or not reaches(actor, person, scope):
        raise NotFound(message, **details)
    return person


def resident_for(actor, user_id=None, scope=None, **details):
    """The person `user_id` names, in the actor's reach for `scope` (else 404); no id names the actor themself."""
    if user_id is None:
        return actor
    person = db.session.get(User, user_id) if is_id(user_id) else None
    return in_reach(actor, person, scope=scope, **details)
