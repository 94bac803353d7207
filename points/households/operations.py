"""Households: a reviewer links residents under a head; members pass points to one another.

Each person keeps their own account, balance, earned total and ranking; the household only groups
them, for the card at the door and for passing points. Who manages a household is who looks after
its community (`User.looks_after`): that community's reviewers, and admins. Functions flush, the
request commits.
"""
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select

from points import audit, ledger, text
from points.accounts import members as cards
from points.accounts.models import Role, User
from points.atomic import atomic
from points.errors import Invalid, NotFound, Refusal
from points.extensions import db
from points.households.models import Household
from points.routing import is_id

MAX_NUMBER = 30
MOST_POINTS = 100_000  # more than any household passes at once; bigger is a typing slip
NO_SUCH_HOUSEHOLD = _l("No such household.")
HOUSEHOLDS, USERS = Household.__table__, User.__table__


class HouseholdRefusal(Refusal):
    code = "household_refused"


# ---- who sees and manages ------------------------------------------------------------------------

def manages(actor, household):
    return actor.looks_after(household.community_id)


def household_for(actor, household_id):
    """The household, for a member of it or whoever manages it; else the 404 nobody would get."""
    household = db.session.get(Household, household_id) if is_id(household_id) else None
    if household is None or not (actor.household_id == household.id or manages(actor, household)):
        raise NotFound(NO_SUCH_HOUSEHOLD)
    return household


def sees_balances(actor, household):
    """The head sees every member's balance; so do those who manage the household."""
    return (actor.household_id == household.id and actor.heads_household) or manages(actor, household)


def members(household):
    """The household's people, the head first, then by name."""
    query = (select(User).where(User.household_id == household.id)
             .order_by(User.heads_household.desc(), User.name, User.id))
    return db.session.execute(query).scalars().all()


def head_of(household):
    return next((person for person in members(household) if person.heads_household), None)


# ---- forming a household ---------------------------------------------------------------------------

@atomic
def create(actor, head, number=None):
    """A new household of the head's community, the head its first member."""
    _check_manages_person(actor, head)
    if head.community_id is None:
        raise Invalid(_l("This resident belongs to no community yet; a household belongs to one."), field="head")
    _check_free(head)
    household = Household(community_id=head.community_id, number=_number(number, head.community_id))
    db.session.add(household)
    db.session.flush()
    head.household_id, head.heads_household = household.id, True
    db.session.flush()
    audit.record(actor, "household.created", household, head, number=household.number)
    return household


@atomic
def add_member(actor, household, person):
    """Link a resident of the household's community into it."""
    _check_manages(actor, household)
    if person.community_id != household.community_id:
        raise HouseholdRefusal(_l("%(name)s lives in another community; a household is of one community.",
                                  name=person.name), field="phone")
    _check_free(person)
    person.household_id, person.heads_household = household.id, False
    db.session.flush()
    audit.record(actor, "household.member_added", household, person)


@atomic
def remove_member(actor, household, person):
    """Unlink a member; the head goes last (choose another head first). The last one out leaves the
    household empty and its card revoked."""
    _check_manages(actor, household)
    _check_member(household, person)
    if person.heads_household and len(members(household)) > 1:
        raise HouseholdRefusal(_l("Make another member the head before removing the head."))
    person.household_id, person.heads_household = None, False
    db.session.flush()
    if not members(household):
        card = cards.current_card(household)
        if card is not None:
            cards.revoke_card(card, actor)
    audit.record(actor, "household.member_removed", household, person)


def moved_away(actor, person):
    """A member moving to another community leaves the household (a household is of one
    community); a head leaving hands the household to the next member."""
    household = person.household
    if household is None:
        return
    others = [member for member in members(household) if member.id != person.id]
    person.household_id, person.heads_household = None, False
    db.session.flush()
    if others and not any(member.heads_household for member in others):
        others[0].heads_household = True
    audit.record(actor, "household.member_removed", household, person, moved=True)


@atomic
def make_head(actor, household, person):
    _check_manages(actor, household)
    _check_member(household, person)
    before = head_of(household)
    if before is not None and before.id != person.id:
        before.heads_household = False
        db.session.flush()  # the database allows one head: the old one steps down first
    person.heads_household = True
    db.session.flush()
    audit.record(actor, "household.head_changed", household, person, before=before.id if before else None)


@atomic
def renumber(actor, household, number):
    _check_manages(actor, household)
    before, household.number = household.number, _number(number, household.community_id, household.id)
    db.session.flush()
    audit.record(actor, "household.renumbered", household, before=before, after=household.number)


def homes_for(pairs):
    """{(community id, 户号): [household id, whether it has a head]} for the households the rows of an
    import name, those missing made in one statement. `pairs`: (community id, number or None)."""
    wanted = {pair for pair in pairs if pair[1]}
    if not wanted:
        return {}
    found = dict(_existing(wanted))
    missing = [{"community_id": c, "number": n} for c, n in sorted(wanted - found.keys())]
    if missing:
        db.session.execute(insert(HOUSEHOLDS), missing)
        found = dict(_existing(wanted))
    headed = set(db.session.execute(select(USERS.c.household_id).where(
        USERS.c.heads_household.is_(True), USERS.c.household_id.in_(list(found.values())))).scalars())
    return {pair: [household, household in headed] for pair, household in found.items()}


def seat(homes, community_id, number):
    """An imported resident's household_id and heads_household: the first one into a household
    without a head heads it."""
    home = homes.get((community_id, number))
    if home is None:
        return {"household_id": None, "heads_household": False}
    heads, home[1] = not home[1], True
    return {"household_id": home[0], "heads_household": heads}


def _existing(wanted):
    numbers = {number for _community, number in wanted}
    query = select(HOUSEHOLDS.c.community_id, HOUSEHOLDS.c.number, HOUSEHOLDS.c.id).where(
        HOUSEHOLDS.c.number.in_(list(numbers)))
    return [((c, n), i) for c, n, i in db.session.execute(query) if (c, n) in wanted]


# ---- passing points ------------------------------------------------------------------------------

@atomic
def pass_points(giver, receiver, amount, key, actor=None):
    """Points from one member to another of the same household, within the monthly limit
    (HOUSEHOLD_PASS_MONTHLY_LIMIT). `actor` is who asked, when not the giver (a helper, a reviewer)."""
    if (receiver is None or not receiver.active or giver.household_id is None
            or receiver.household_id != giver.household_id):
        raise HouseholdRefusal(_l("Points can only be passed to another member of your household."),
                               field="receiver")
    if receiver.id == giver.id:
        raise HouseholdRefusal(_l("Choose another member of your household."), field="receiver")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MOST_POINTS:
        raise Invalid(_l("Please enter a whole number of points, at least 1."), field="points")
    memo = ledger.Memo(reason=gettext("Passed from %(giver)s to %(receiver)s", giver=giver.name,
                                      receiver=receiver.name)[:200],
                       requested_by=(actor or giver).id, ref_type="household", ref_id=giver.household_id)
    return ledger.pass_points(giver.id, receiver.id, amount, key, memo, monthly_limit=monthly_limit())


def monthly_limit():
    return current_app.config["HOUSEHOLD_PASS_MONTHLY_LIMIT"]


def left_this_month(person):
    return max(monthly_limit() - ledger.passed_this_month(person.id), 0)


# ---- rules -----------------------------------------------------------------------------------------

def _check_manages(actor, household):
    if not manages(actor, household):
        raise NotFound(NO_SUCH_HOUSEHOLD)


def _check_manages_person(actor, person):
    if not (actor.can_review(person) and person.has_role(Role.RESIDENT)):
        raise NotFound(_l("No such resident."))


def _check_free(person):
    if person.household_id is not None:
        raise HouseholdRefusal(_l("%(name)s already belongs to a household.", name=person.name), field="phone")


def _check_member(household, person):
    if person is None or person.household_id != household.id:
        raise NotFound(_l("This person is not a member of this household."))


def _number(number, community_id, household_id=None):
    """The 户号 cleaned by the text rule, unique in the community; blank: none."""
    number = text.line(number, most=MAX_NUMBER, field="number", required=False) or None
    if number is not None:
        taken = db.session.execute(select(func.count()).where(
            HOUSEHOLDS.c.community_id == community_id, HOUSEHOLDS.c.number == number,
            HOUSEHOLDS.c.id != (household_id or 0))).scalar()
        if taken:
            raise HouseholdRefusal(_l("Another household of this community has the number %(number)s.",
                                      number=number), field="number")
    return number
