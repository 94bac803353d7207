"""Venues of the service centre and their walk-in offerings; staff are assigned to venues."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from points import ledger
from points.accounts.models import Role, User
from points.errors import Invalid, NotFound, Refusal
from points.extensions import db
from points.redemption.models import NoShowPolicy, Offering, Venue

KINDS = {  # the kinds of venue the pages offer; the API accepts any short word
    "table_tennis": _l("Table tennis"),
    "badminton": _l("Badminton"),
    "swimming": _l("Swimming"),
    "basketball": _l("Basketball"),
    "fitness": _l("Fitness"),
    "reading": _l("Reading room"),
    "other": _l("Other"),
}
MAX_RULES = 5000
MAX_OFFERING_COST = 10_000


def kind_label(kind):
    return KINDS.get(kind, kind)


def list_venues(include_inactive=False):
    query = select(Venue).order_by(Venue.id)
    if not include_inactive:
        query = query.where(Venue.active.is_(True))
    return db.session.execute(query).scalars().all()


def get_venue(venue_id, include_inactive=True):
    venue = db.session.get(Venue, venue_id)
    if venue is None or not (venue.active or include_inactive):
        raise NotFound(_l("No such venue."), field="venue_id")
    return venue


def create_venue(name, kind, no_show_policy=NoShowPolicy.RELEASE, place="", rules="", centre=None):
    """A new venue with its own ledger account, where the points spent there go."""
    venue = Venue(active=True)
    if centre:
        venue.centre = centre.strip()[:100]
    update_venue(venue, name, kind, no_show_policy, place, rules)
    db.session.add(venue)
    db.session.flush()
    ledger.open_venue_account(venue.id)
    return venue


def update_venue(venue, name, kind, no_show_policy, place="", rules="", active=True):
    name, kind = (name or "").strip(), (kind or "").strip()
    _check_venue(venue, name, kind, place or "", rules or "")
    venue.name, venue.kind, venue.place, venue.rules = name, kind, (place or "").strip(), (rules or "").strip()
    venue.no_show_policy = _policy(no_show_policy)
    venue.active = bool(active)


def _check_venue(venue, name, kind, place, rules):
    if not 1 <= len(name) <= 100:
        raise Invalid(_l("Please enter a name of at most 100 characters."), field="name")
    if not 1 <= len(kind) <= 50:
        raise Invalid(_l("Please choose the kind of venue."), field="kind")
    if len(place) > 200:
        raise Invalid(_l("Please describe the place in at most 200 characters."), field="place")
    if len(rules) > MAX_RULES:
        raise Invalid(_l("Please keep the rules under 5000 characters."), field="rules")
    clash = db.session.execute(select(Venue.id).where(Venue.name == name, Venue.id != venue.id)).first()
    if clash:
        raise Refusal(_l("Another venue already has this name."), field="name", code="venue_name_taken")


def _policy(value):
    try:
        return NoShowPolicy(value)
    except ValueError:
        raise Invalid(_l("The no-show policy is either release or forfeit."), field="no_show_policy") from None


def staff_candidates():
    """Everyone who may be assigned to a venue: people with the staff role."""
    query = select(User).where(User.active.is_(True), User.roles.op("&")(int(Role.STAFF)) != 0).order_by(User.name)
    return db.session.execute(query).scalars().all()


def staff_of(venue):
    query = select(User).where(User.venues.contains(venue)).order_by(User.name)
    return db.session.execute(query).scalars().all()


def assign_staff(venue, people):
    """Exactly these people work at the venue from now on; each must have the staff role."""
    wanted = {person.id: person for person in people}
    for person in wanted.values():
        if not person.has_role(Role.STAFF):
            raise Invalid(_l("%(name)s does not have the staff role.", name=person.name), field="staff")
    for person in staff_of(venue):
        if person.id not in wanted:
            person.venues.remove(venue)
    for person in wanted.values():
        if venue not in person.venues:
            person.venues.append(venue)


def add_offering(venue, name_zh, name_en, cost):
    offering = Offering(venue=venue, active=True)
    update_offering(offering, name_zh, name_en, cost)
    db.session.add(offering)
    db.session.flush()
    return offering


def update_offering(offering, name_zh, name_en, cost, active=True):
    name_zh, name_en = (name_zh or "").strip(), (name_en or "").strip() or (name_zh or "").strip()
    if not 1 <= len(name_zh) <= 100 or len(name_en) > 100:
        raise Invalid(_l("Please enter a name of at most 100 characters."), field="name_zh")
    if not isinstance(cost, int) or not 1 <= cost <= MAX_OFFERING_COST:
        raise Invalid(_l("The cost is a whole number of points from 1 to 10000."), field="cost")
    offering.name_zh, offering.name_en, offering.cost, offering.active = name_zh, name_en, cost, bool(active)


def get_offering(offering_id):
    offering = db.session.get(Offering, offering_id)
    if offering is None:
        raise NotFound(_l("No such offering."), field="offering_id")
    return offering
