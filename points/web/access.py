"""Who may open which page. The server checks every route; hidden links are only a courtesy."""
from functools import wraps

from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from points.accounts.models import Role
from points.errors import Forbidden


def roles_required(*roles):
    """Signed in and holding at least one of the roles, else 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not any(current_user.has_role(role) for role in roles):
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapper

    return decorator


# Each tool a person may use, as (label, path, roles).
TOOLS = [
    (_l("My member code"), "/member", (Role.RESIDENT,)),
    (_l("Claim points for a civic action"), "/claims/new", (Role.RESIDENT,)),
    (_l("My claims"), "/claims", (Role.RESIDENT,)),
    (_l("Book a venue"), "/venues", (Role.RESIDENT,)),
    (_l("My bookings"), "/bookings", (Role.RESIDENT,)),
    (_l("My service record (to print)"), "/me/record", (Role.RESIDENT,)),
    (_l("Family helpers: who may act for me"), "/helpers", (Role.RESIDENT,)),
    (_l("Community points board"), "/board", (Role.RESIDENT, Role.REVIEWER, Role.ADMIN)),
    (_l("Community tools: find residents, award points"), "/admin", (Role.REVIEWER, Role.ADMIN)),
    (_l("Review claims"), "/review", (Role.REVIEWER, Role.ADMIN)),
    (_l("Volunteer activities"), "/activities", (Role.REVIEWER, Role.ADMIN)),
    (_l("Large awards waiting for approval"), "/admin/award-requests", (Role.ADMIN,)),
    (_l("People and roles"), "/admin/users", (Role.ADMIN,)),
    (_l("Action catalogue"), "/admin/actions", (Role.ADMIN,)),
    (_l("Venues and sessions"), "/admin/venues", (Role.ADMIN,)),
    (_l("Audit log: who did what"), "/admin/audit", (Role.ADMIN,)),
    (_l("Venue scanner"), "/scan", (Role.STAFF, Role.ADMIN)),
    (_l("Today at my venue"), "/scan/today", (Role.STAFF,)),
]


def tools_for(user):
    return [(label, path) for label, path, roles in TOOLS if any(user.has_role(role) for role in roles)]
