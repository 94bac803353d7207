"""Whom a person may see or act for: one answer for every page, API handler and operation.

Everyone reaches themself; a reviewer the people of the community they look after; an admin
everyone (`User.can_review` holds the rule). Someone out of reach is answered exactly as nobody
would be, 404 `not_found`, so an outsider cannot probe which ids exist; what belongs to a resident
(claims, bookings, tickets, photos, member cards) answers the same way. Role checks (a resident on
an organiser's page) stay 403: they tell nothing about anybody.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, true

from points.accounts.models import Role, User
from points.errors import NotFound
from points.extensions import db
from points.routing import is_id

NO_SUCH_RESIDENT = _l("No such resident.")


def reaches(actor, person):
    """May `actor` see or act for `person`: themself, or someone they review."""
    return actor.id == person.id or actor.can_review(person)


def looked_after(viewer, community_column):
    """`User.looks_after` as SQL, for lists: the rows whose community the viewer looks after."""
    if viewer.has_role(Role.ADMIN):
        return true()
    if viewer.has_role(Role.REVIEWER) and viewer.community_id is not None:
        return community_column == viewer.community_id
    return false()


def in_reach(actor, person, message=NO_SUCH_RESIDENT, **details):
    """`person` when the actor reaches them; otherwise the 404 that nobody at all would get."""
    if person is None or not reaches(actor, person):
        raise NotFound(message, **details)
    return person


def resident_for(actor, user_id=None, **details):
    """The person `user_id` names, in the actor's reach (else 404); no id names the actor themself."""
    if user_id is None:
        return actor
    return in_reach(actor, db.session.get(User, user_id) if is_id(user_id) else None, **details)
