"""Claims (申报): who claimed what for which day, and how it was decided."""
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from points.accounts.models import Community, User
from points.earning.catalogue import category_label
from points.earning.models import ActionType, Claim
from points.exports.kinds.common import clock, in_communities, labels, on_days, phone_shown, plain, wall_clock
from points.web.claims import STATUS_LABELS

CLAIMS, USERS, COMMUNITIES, ACTIONS = Claim.__table__, User.__table__, Community.__table__, ActionType.__table__


def header():
    return [_("Number"), _("Submitted"), _("Resident"), _("Phone"), _("Community"), _("Action"), _("Category"),
            _("Day of the action"), _("Quantity"), _("Points"), _("Status"), _("Note"), _("Decided by"),
            _("Decided at"), _("Reason given")]


def query(scope):
    """Claims for actions done on the scope's days, in the communities that review them, by id."""
    resident, decider = USERS.alias("resident"), USERS.alias("decider")
    c = CLAIMS
    return (
        select(c.c.id, wall_clock(c.c.created_at), resident.c.name, resident.c.phone, COMMUNITIES.c.name,
               ACTIONS.c.name_zh,
               ACTIONS.c.name_en, ACTIONS.c.category, c.c.occurred_on, c.c.quantity, c.c.points, plain(c.c.status),
               c.c.note, decider.c.name, wall_clock(c.c.decided_at), c.c.decision_reason)
        .join(resident, resident.c.id == c.c.user_id)
        .join(ACTIONS, ACTIONS.c.id == c.c.action_type_id)
        .outerjoin(COMMUNITIES, COMMUNITIES.c.id == c.c.community_id)
        .outerjoin(decider, decider.c.id == c.c.decided_by)
        .where(on_days(scope, c.c.occurred_on), in_communities(scope, c.c.community_id))
        .order_by(c.c.id)
    )


def cells(scope):
    shown, phone = clock(), phone_shown(scope)
    statuses, categories = labels(STATUS_LABELS.get), labels(category_label)
    english = str(get_locale() or "zh").startswith("en")

    def row_cells(row):
        (number, at, name, phone_number, community, name_zh, name_en, category, day, quantity, points, status,
         note, decider, decided_at, reason) = row
        return [number, shown(at), name, phone(phone_number), community or "", name_en if english else name_zh,
                categories(category), day.isoformat(), quantity, points, statuses(status), note, decider or "",
                shown(decided_at), reason]

    return row_cells
