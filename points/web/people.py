"""Finding people for the admin and reviewer pages, within what the viewer may see."""
from sqlalchemy import false, or_, select

from points import text
from points.accounts import reach
from points.accounts.models import Role, User
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


def _matches(viewer, text):
    if not text.isdigit():
        return User.name.contains(text, autoescape=True)
    if viewer.has_role(Role.ADMIN):
        return User.phone.contains(text, autoescape=True)
    # Others see numbers masked (138****1234): they may look up a whole number or its last four
    # digits, but never probe the hidden middle digits one guess at a time.
    return or_(User.phone == text, User.phone.endswith(text) if len(text) == 4 else false())
