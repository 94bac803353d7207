"""People as reviewers and admins meet them: finding them within what the viewer may see, and registering
those without a smartphone."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, or_, select

from points import audit, text
from points.accounts import reach
from points.accounts.models import Role, User
from points.accounts.operations import community_named, create_user
from points.atomic import atomic
from points.errors import Forbidden, Invalid
from points.extensions import db

PAGE = 50
MAX_SEARCH = 50  # the longest name


def search(viewer, wanted, residents_only=True, limit=PAGE):
    """People matching a name or a mobile number; reviewers see only their own community."""
    query = select(User).order_by(User.name, User.id).limit(limit)
    if residents_only:
        query = query.where(User.roles.op("&")(int(Role.RESIDENT)) != 0)
    query = query.where(reach.looked_after(viewer, User.community_id))
    try:
        wanted = text.line(wanted, most=MAX_SEARCH, required=False)
    except text.BadText:
        return []  # what no name may hold (a NUL, a 500-character query), no name holds
    if wanted:
        query = query.where(_matches(viewer, wanted))
    return db.session.execute(query).scalars().all()


def _matches(viewer, wanted):
    if not wanted.isdigit():
        return User.name.contains(wanted, autoescape=True)
    if viewer.has_role(Role.ADMIN):
        return User.phone.contains(wanted, autoescape=True)
    # Others see numbers masked (138****1234): they may look up a whole number or its last four
    # digits, but never probe the hidden middle digits one guess at a time.
    return or_(User.phone == wanted, User.phone.endswith(wanted) if len(wanted) == 4 else false())


@atomic
def register_resident(actor, phone, name, community_name=None):
    """A reviewer registers a resident of their own community (an admin: of any); the phone is the identity.

    They get no password: the resident is helped in person, and if they get a phone, the office
    issues them a one-time activation code (points.accounts.codes) to set one with.
    """
    if not (actor.has_role(Role.REVIEWER) or actor.has_role(Role.ADMIN)):
        raise Forbidden()
    community = actor.community
    if actor.has_role(Role.ADMIN) and (community_name or "").strip():
        community = community_named(community_name.strip())
    if community is None:
        raise Invalid(_l("Please choose the resident's community."), field="community")
    resident = create_user(phone, name, None, Role.RESIDENT, community)
    audit.record(actor, "user.created", resident, roles=["resident"], community=community.name)
    return resident
