"""The ledger's kinds: every transfer, and every resident with their balance now."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from points.accounts.models import Community, User
from points.earning.catalogue import category_label
from points.exports.kinds.common import clock, in_communities, in_days, labels, phone_shown, plain, wall_clock
from points.ledger.models import Account, AccountKind, Transfer
from points.redemption.models import Venue
from points.web.labels import kind_label

TRANSFERS, ACCOUNTS = Transfer.__table__, Account.__table__
USERS, COMMUNITIES, VENUES = User.__table__, Community.__table__, Venue.__table__

SYSTEM_ACCOUNTS = {
    AccountKind.ISSUANCE: _l("Points issued (the street)"),
    AccountKind.DEDUCTION: _l("Points deducted (the street)"),
    AccountKind.EXPIRY: _l("Points expired"),
    AccountKind.OPENING: _l("Opening balances brought in"),
}


def transfer_header():
    return [_("Number"), _("Time"), _("Kind"), _("Points"), _("Resident"), _("Phone"), _("Community"),
            _("From"), _("To"), _("Reason"), _("Category"), _("Asked by"), _("Approved by"),
            _("Corrects transfer"), _("Resolves booking hold")]


def transfers(scope):
    """Transfers, oldest first: each side's holder (a resident, a venue, or a system account's kind),
    the resident's phone and community. Names are picked in SQL: fewer columns read faster."""
    debit, credit = ACCOUNTS.alias("debit"), ACCOUNTS.alias("credit")
    debtor, creditor = USERS.alias("debtor"), USERS.alias("creditor")
    debit_venue, credit_venue = VENUES.alias("debit_venue"), VENUES.alias("credit_venue")
    asker, approver = USERS.alias("asker"), USERS.alias("approver")
    t = TRANSFERS
    return (
        select(t.c.id, wall_clock(t.c.created_at), plain(t.c.kind), t.c.amount,
               plain(debit.c.kind), func.coalesce(debtor.c.name, debit_venue.c.name),
               plain(credit.c.kind), func.coalesce(creditor.c.name, credit_venue.c.name),
               func.coalesce(debtor.c.phone, creditor.c.phone), COMMUNITIES.c.name, t.c.reason, t.c.category,
               asker.c.name, approver.c.name, t.c.reverses_id, t.c.pending_id)
        .join(debit, debit.c.id == t.c.debit_account_id)
        .join(credit, credit.c.id == t.c.credit_account_id)
        .outerjoin(debtor, debtor.c.id == debit.c.user_id)
        .outerjoin(creditor, creditor.c.id == credit.c.user_id)
        .outerjoin(debit_venue, debit_venue.c.id == debit.c.venue_id)
        .outerjoin(credit_venue, credit_venue.c.id == credit.c.venue_id)
        .outerjoin(COMMUNITIES, COMMUNITIES.c.id == func.coalesce(debtor.c.community_id, creditor.c.community_id))
        .outerjoin(asker, asker.c.id == t.c.requested_by)
        .outerjoin(approver, approver.c.id == t.c.approved_by)
        .where(in_days(scope, t.c.created_at), in_communities(scope, debtor.c.community_id, creditor.c.community_id))
        .order_by(t.c.id)
    )


def transfer_cells(scope):
    shown, phone = clock(), phone_shown(scope)
    kinds, categories = labels(kind_label), labels(category_label)
    holders = labels(lambda kind: SYSTEM_ACCOUNTS.get(kind, ""))  # a resident's or venue's name is in the row
    resident = AccountKind.RESIDENT.value

    def cells(row):
        (number, at, kind, amount, debit_kind, debtor, credit_kind, creditor, resident_phone, community, reason,
         category, asker, approver, corrects, resolves) = row
        return [number, shown(at), kinds(kind), amount, debtor if debit_kind == resident else creditor or "",
                phone(resident_phone), community or "", debtor or holders(debit_kind),
                creditor or holders(credit_kind), reason, categories(category) if category else "", asker or "",
                approver or "", corrects or "", resolves or ""]

    return cells


def resident_header():
    return [_("Number"), _("Name"), _("Phone"), _("Community"), _("Household"), _("Available"), _("On hold"),
            _("Balance"), _("Earned in total"), _("Registered"), _("Account")]


def residents(scope):
    """Residents (everyone with a points account), registered on the scope's days, by id."""
    u, a = USERS, ACCOUNTS
    return (
        select(u.c.id, u.c.name, u.c.phone, COMMUNITIES.c.name, u.c.household, a.c.available, a.c.held,
               a.c.earned_total, u.c.created_at, u.c.active, u.c.password_hash.is_not(None))
        .join(a, a.c.user_id == u.c.id)
        .outerjoin(COMMUNITIES, COMMUNITIES.c.id == u.c.community_id)
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
