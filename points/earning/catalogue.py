"""The action catalogue: what earns points (or, with negative points, what is deducted), and its rules."""
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select

from points import audit, text
from points.accounts.models import Role
from points.atomic import atomic
from points.earning.models import ActionType, Unit
from points.errors import Forbidden, Invalid, NotFound, Refusal
from points.extensions import db
from points.routing import is_id

CATEGORIES = {
    "volunteer": _l("Volunteer service"),
    "environment": _l("Environment"),
    "civility": _l("Civility"),
    "neighbourly": _l("Neighbourly help"),
    "culture": _l("Culture"),
    "deduction": _l("Deduction"),
}
UNITS = {Unit.TIME: _l("time"), Unit.HOUR: _l("hour")}
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_POINTS = 1000  # per unit; larger awards go through the four-eyes award flow
FIELDS = ("code", "name_zh", "name_en", "category", "points", "unit", "daily_cap", "monthly_cap",
          "evidence_required", "self_claimable")


def category_label(code):
    return CATEGORIES.get(code, code)


def unit_label(unit):
    return UNITS.get(unit, unit)


def listed_for(viewer, claimable_only=False):
    """The catalogue as this person sees it: active items, self-claimable first; admins also see inactive ones."""
    query = select(ActionType).order_by(
        ActionType.active.desc(), ActionType.self_claimable.desc(), case((ActionType.points > 0, 0), else_=1),
        ActionType.category, ActionType.id,
    )
    if claimable_only:
        query = query.where(ActionType.self_claimable.is_(True))
    if claimable_only or not viewer.has_role(Role.ADMIN):
        query = query.where(ActionType.active.is_(True))
    return db.session.execute(query).scalars().all()


def get(action_type_id):
    action_type = db.session.get(ActionType, action_type_id) if is_id(action_type_id) else None
    if action_type is None:
        raise NotFound(_l("No such action."))
    return action_type


@atomic
def create(admin, **fields):
    """A new catalogue item; a null cap means no cap, negative points make a deduction item."""
    _check_admin(admin)
    action_type = ActionType(active=True)
    _apply(action_type, fields)
    db.session.add(action_type)
    db.session.flush()
    audit.record(admin, "action_type.created", action_type, code=action_type.code, points=action_type.points)
    return action_type


@atomic
def update(admin, action_type, **fields):
    """Change an item; claims already made keep the points they were made for."""
    _check_admin(admin)
    _apply(action_type, fields)
    db.session.flush()
    audit.record(admin, "action_type.updated", action_type, code=action_type.code, points=action_type.points)
    return action_type


def set_active(admin, action_type, active):
    """Retire an item (it disappears from claim forms; pending claims can still be decided) or bring it back."""
    _check_admin(admin)
    if action_type.active != bool(active):
        audit.record(admin, "action_type.reinstated" if active else "action_type.retired", action_type,
                     code=action_type.code)
    action_type.active = bool(active)
    db.session.flush()


def _check_admin(actor):
    if not actor.has_role(Role.ADMIN):
        raise Forbidden(_l("Only an admin can change the action catalogue."))


def _apply(action_type, fields):
    values = _clean({name: fields.get(name) for name in FIELDS})
    _check_code_free(values["code"], action_type.id)
    for name, value in values.items():
        setattr(action_type, name, value)


def _clean(values):
    """Trimmed and checked values, or an Invalid refusal naming the field."""
    values["code"] = (values["code"] or "").strip(text.BLANKS).lower()
    if not CODE_PATTERN.match(values["code"]):
        raise Invalid(_l("The code is 2 to 40 lowercase letters, digits or _, starting with a letter."), field="code")
    for name in ("name_zh", "name_en"):
        values[name] = text.line(values[name], most=100, field=name)
    if values["category"] not in CATEGORIES:
        raise Invalid(_l("Please choose one of the categories."), field="category")
    values["unit"] = _unit(values["unit"])
    values["points"] = _points(values["points"])
    values["daily_cap"], values["monthly_cap"] = _caps(values["daily_cap"], values["monthly_cap"])
    values["evidence_required"] = bool(values["evidence_required"])
    values["self_claimable"] = _self_claimable(values["self_claimable"], values["points"])
    return values


def _unit(unit):
    try:
        return Unit(unit or Unit.TIME)
    except ValueError:
        raise Invalid(_l("The unit is “time” or “hour”."), field="unit") from None


def _points(points):
    if not isinstance(points, int) or isinstance(points, bool) or points == 0 or abs(points) > MAX_POINTS:
        raise Invalid(_l("Points per unit are a whole number from -1000 to 1000, not 0 (negative for a deduction)."),
                      field="points")
    return points


def _caps(daily, monthly):
    for name, cap in (("daily_cap", daily), ("monthly_cap", monthly)):
        if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or not 1 <= cap <= 100_000):
            raise Invalid(_l("A cap is a whole number of points above 0, or empty for no cap."), field=name)
    if daily is not None and monthly is not None and daily > monthly:
        raise Refusal(_l("The daily cap cannot be above the monthly cap."), field="daily_cap", code="caps_inconsistent")
    return daily, monthly


def _self_claimable(self_claimable, points):
    """Deductions are decided by reviewers, never claimed; unspecified means claimable unless a deduction."""
    if points < 0:
        if self_claimable:
            raise Refusal(_l("A deduction item cannot be claimed by residents."), field="self_claimable",
                          code="deduction_not_claimable")
        return False
    return True if self_claimable is None else bool(self_claimable)


def _check_code_free(code, own_id):
    query = select(ActionType.id).where(ActionType.code == code)
    if own_id is not None:
        query = query.where(ActionType.id != own_id)
    if db.session.execute(query).first():
        raise Refusal(_l("This code is already used by another action."), field="code", code="code_taken")
