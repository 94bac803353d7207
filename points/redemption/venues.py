"""Venues of the service centre and their walk-in offerings; staff are assigned to venues."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from points import audit, ledger, text
from points.accounts.models import Role, User
from points.atomic import atomic
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


@atomic
def create_venue(name, kind, no_show_policy=NoShowPolicy.RELEASE, place="", rules="", centre=None, *, name_en="",
                 actor=None):
    """A new venue with its own ledger account, where the points spent there go."""
    venue = Venue(active=True)
    if centre:
        venue.centre = text.line(centre, most=100, field="centre")
    _set_venue(venue, name, kind, no_show_policy, place, rules, name_en=name_en)
    db.session.add(venue)
    db.session.flush()
    ledger.open_venue_account(venue.id)
    audit.record(actor, "venue.created", venue, name=venue.name)
    return venue


def update_venue(venue, name, kind, no_show_policy, place="", rules="", active=True, *, name_en=None, actor=None):
    """Change a venue's details; `name_en` None keeps its English name."""
    _set_venue(venue, name, kind, no_show_policy, place, rules, active, venue.name_en if name_en is None else name_en)
    audit.record(actor, "venue.updated", venue, name=venue.name, active=venue.active)


def _set_venue(venue, name, kind, no_show_policy, place="", rules="", active=True, name_en=""):
    """Every value is checked before the first is set, so a refusal changes nothing."""
    values = {
        "name": _free_name(venue, text.line(name, most=100, field="name")),
        "name_en": text.line(name_en or "", most=100, field="name_en", required=False) or "",
        "kind": text.line(kind, most=50, field="kind"),
        "place": text.line(place, most=200, field="place", required=False),
        "rules": text.paragraph(rules, most=MAX_RULES, field="rules"),
        "no_show_policy": _policy(no_show_policy),
        "active": bool(active),
    }
    for field, value in values.items():
        setattr(venue, field, value)


def _free_name(venue, name):
    clash = db.session.execute(select(Venue.id).where(Venue.name == name, Venue.id != venue.id)).first()
    if clash:
        raise Refusal(_l("Another venue already has this name."), field="name", code="venue_name_taken")
    return name


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


@atomic
def assign_staff(venue, people, *, actor=None):
    """Exactly these people work at the venue from now on; each must have the staff role."""
    wanted = {person.id: person for person in people}
    for person in wanted.values():
        _check_staff(person, field="staff")
    before = {person.id for person in staff_of(venue)}
    for person in staff_of(venue):
        if person.id not in wanted:
            person.venues.remove(venue)
    for person in wanted.values():
        if venue not in person.venues:
            person.venues.append(venue)
    if before != set(wanted):  # a venue form saved without a change of staff changed no staffing
        audit.record(actor, "venue.staff_changed", venue, before=sorted(before), after=sorted(wanted))


def works_at(person, venues, actor=None):
    """Exactly these venues are where the person works from now on (none: they work at no door).

    A change on an admin's word (`actor`) is recorded in the audit log; setting up a new person's
    venues from a command or the demo is part of creating them, like `create_user`."""
    if venues:
        _check_staff(person, field="venues")
    before, after = sorted(v.name for v in person.venues), sorted(v.name for v in venues)
    person.venues = list(venues)
    if actor is not None and before != after:
        audit.record(actor, "user.venues_changed", person, for_user=person, before=before, after=after)


def _check_staff(person, field):
    if not person.has_role(Role.STAFF):
        raise Invalid(_l("%(name)s does not have the staff role.", name=person.name), field=field)


def venue_named(ref):
    """A venue by id or by name; it must exist."""
    ref = str(ref).strip()
    query = select(Venue).where(Venue.name == ref)
    if ref.isdigit():
        query = select(Venue).where((Venue.id == int(ref)) | (Venue.name == ref))
    venue = db.session.execute(query).scalar()
    if venue is None:
        raise NotFound(_l("No venue called %(ref)s.", ref=ref))
    return venue


@atomic
def add_offering(venue, name_zh, name_en, cost, *, actor=None):
    offering = Offering(venue=venue, active=True)
    _set_offering(offering, name_zh, name_en, cost)
    db.session.add(offering)
    db.session.flush()
    audit.record(actor, "offering.created", offering, name=offering.name_zh, cost=cost)
    return offering


def update_offering(offering, name_zh, name_en, cost, active=True, *, actor=None):
    _set_offering(offering, name_zh, name_en, cost, active)
    audit.record(actor, "offering.updated", offering, name=offering.name_zh, cost=cost, active=offering.active)


def _set_offering(offering, name_zh, name_en, cost, active=True):
    """Every value is checked before the first is set, so a refusal changes nothing."""
    name_zh = text.line(name_zh, most=100, field="name_zh")
    name_en = text.line(name_en, most=100, field="name_en", required=False) or name_zh
    if not isinstance(cost, int) or not 1 <= cost <= MAX_OFFERING_COST:
        raise Invalid(_l("The cost is a whole number of points from 1 to 10000."), field="cost")
    offering.name_zh, offering.name_en, offering.cost, offering.active = name_zh, name_en, cost, bool(active)


def get_offering(offering_id):
    offering = db.session.get(Offering, offering_id)
    if offering is None:
        raise NotFound(_l("No such offering."), field="offering_id")
    return offering
