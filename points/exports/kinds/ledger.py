"""Every resident with their balance now (the transfers are points.exports.kinds.transfers)."""
from flask_babel import gettext as _
from sqlalchemy import select

from points.accounts.models import Community, User
from points.exports.kinds.common import clock, in_communities, in_days, phone_shown
from points.households.models import Household
from points.ledger.models import Account

ACCOUNTS, USERS, COMMUNITIES, HOUSEHOLDS = Account.__table__, User.__table__, Community.__table__, Household.__table__


def resident_header():
    return [_("Number"), _("Name"), _("Phone"), _("Community"), _("Household"), _("Available"), _("On hold"),
            _("Balance"), _("Earned in total"), _("Registered"), _("Account")]


def residents(scope):
    """Residents (everyone with a points account), registered on the scope's days, by id."""
    u, a = USERS, ACCOUNTS
    return (
        select(u.c.id, u.c.name, u.c.phone, COMMUNITIES.c.name, HOUSEHOLDS.c.number, a.c.available, a.c.held,
               a.c.earned_total, u.c.created_at, u.c.active, u.c.password_hash.is_not(None))
        .join(a, a.c.user_id == u.c.id)
        .outerjoin(COMMUNITIES, COMMUNITIES.c.id == u.c.community_id)
        .outerjoin(HOUSEHOLDS, HOUSEHOLDS.c.id == u.c.household_id)
        .where(in_days(scope, u.c.created_at), in_communities(scope, u.c.community_id))
        .order_by(u.c.id)
    )


def resident_cells(scope):
    shown, phone = clock(), phone_shown(scope)
    states = {(True, True): _("In use"), (True, False): _("Not activated yet"),
              (False, True): _("Disabled"), (False, False): _("Disabled")}

    def cells(row):
        number, name, phone_number, community, household, available, held, earned, at, active, activated = row
        return [number, name, phone(phone_number), community or "", household or "", available, held,
                available + held, earned, shown(at), states[bool(active), bool(activated)]]

    return cells
