"""Every transfer, oldest first, with who holds each side, the resident's phone and community.

The ledger's rows are read alone, in id order (the primary key's order, so nothing is sorted), and
each account is named from a table of the accounts read once when the export starts: a few
megabytes for a street's residents, whatever the number of transfers. Joining the accounts, users,
venues and communities to each of a million transfers made the database three times slower than
writing the file.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from points.accounts.models import Community, User
from points.earning.catalogue import category_label
from points.exports.kinds.common import clock, in_days, labels, phone_shown, plain, wall_clock
from points.extensions import db
from points.ledger.models import Account, AccountKind, Transfer
from points.redemption.models import Venue
from points.web.labels import kind_label

TRANSFERS, ACCOUNTS = Transfer.__table__, Account.__table__
USERS, COMMUNITIES, VENUES = User.__table__, Community.__table__, Venue.__table__
RESIDENT = AccountKind.RESIDENT.value

SYSTEM_ACCOUNTS = {
    AccountKind.ISSUANCE: _l("Points issued (the street)"),
    AccountKind.DEDUCTION: _l("Points deducted (the street)"),
    AccountKind.EXPIRY: _l("Points expired"),
    AccountKind.OPENING: _l("Opening balances brought in"),
}


def header():
    return [_("Number"), _("Time"), _("Kind"), _("Points"), _("Resident"), _("Phone"), _("Community"),
            _("From"), _("To"), _("Reason"), _("Category"), _("Asked by"), _("Approved by"),
            _("Corrects transfer"), _("Resolves booking hold")]


def query(scope):
    """The transfers of the scope's days; in a community's scope, those touching one of its residents."""
    t = TRANSFERS
    found = (select(t.c.id, wall_clock(t.c.created_at), plain(t.c.kind), t.c.amount, t.c.debit_account_id,
                    t.c.credit_account_id, t.c.reason, t.c.category, t.c.requested_by, t.c.approved_by,
                    t.c.reverses_id, t.c.pending_id)
             .where(in_days(scope, t.c.created_at)).order_by(t.c.id))
    if scope.community_ids is not None:
        theirs = (select(ACCOUNTS.c.id).join(USERS, USERS.c.id == ACCOUNTS.c.user_id)
                  .where(USERS.c.community_id.in_(list(scope.community_ids))))
        found = found.where(or_(t.c.debit_account_id.in_(theirs), t.c.credit_account_id.in_(theirs)))
    return found


def cells(scope):
    shown, phone = clock(), phone_shown(scope)
    kinds, categories = labels(kind_label), labels(category_label)
    holders, names = _holders(), _names()

    def row_cells(row):
        number, at, kind, amount, debit, credit, reason, category, asker, approver, corrects, resolves = row
        debit_kind, debtor, debtor_phone, debtor_community = holders[debit]
        credit_kind, creditor, creditor_phone, creditor_community = holders[credit]
        if debit_kind == RESIDENT:
            resident, resident_phone, community = debtor, debtor_phone, debtor_community
        else:
            resident, resident_phone, community = (creditor, creditor_phone, creditor_community) \
                if credit_kind == RESIDENT else ("", None, "")
        return [number, shown(at), kinds(kind), amount, resident, phone(resident_phone), community, debtor,
                creditor, reason, categories(category) if category else "", names.get(asker, ""),
                names.get(approver, ""), corrects or "", resolves or ""]

    return row_cells


def _holders():
    """Account id -> (kind, whose it is, their phone, their community): residents, venues, the system's."""
    a, u = ACCOUNTS, USERS
    query = (select(a.c.id, plain(a.c.kind), u.c.name, u.c.phone, COMMUNITIES.c.name, VENUES.c.name)
             .outerjoin(u, u.c.id == a.c.user_id).outerjoin(COMMUNITIES, COMMUNITIES.c.id == u.c.community_id)
             .outerjoin(VENUES, VENUES.c.id == a.c.venue_id))
    system = labels(lambda kind: SYSTEM_ACCOUNTS.get(kind, kind))
    return {number: (kind, person or venue or system(kind), phone, community or "")
            for number, kind, person, phone, community, venue in db.session.execute(query)}


def _names():
    """User id -> name, for who asked for and who approved a transfer."""
    return dict(db.session.execute(select(USERS.c.id, USERS.c.name)).all())
