"""What an export asks for, read the same way from a page, the API and the command, and whom it reaches.

A reviewer's reach is their community, decided when the export is asked for: a background export
keeps the communities it may show, so a reviewer moved elsewhere meanwhile gets what they could see
when they asked, no more."""
from dataclasses import dataclass
from datetime import date

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from points.accounts.models import Community, Role
from points.accounts.reach import looked_after
from points.api.schemas import Day, id_field, one_of
from points.errors import Forbidden, Invalid, NotFound
from points.extensions import db

FORMATS = ("csv", "xlsx")


class BadFilter(Invalid):
    """A filter that cannot be read: 400, naming the field (points.lifecycle answers with `fields`)."""

    code = "invalid_filter"
    status = 400


class ExportQuery(ma.Schema):
    """The filters of every kind; the API documents them from here."""

    class Meta:
        unknown = ma.EXCLUDE  # a page's other parameters (a list's own filters) do not matter here

    from_ = Day(data_key="from", load_default=None,
                metadata={"description": "First day, included (the scheme's calendar)"})
    to = Day(load_default=None, metadata={"description": "Last day, included"})
    community_id = id_field(strict=False, load_default=None,
                            metadata={"description": "Only this community (one the caller looks after)"})
    format = ma.fields.String(load_default="csv", validate=one_of(FORMATS))


@dataclass(frozen=True)
class Scope:
    """Which rows an export holds: days (both included, None: open), the communities (None: every one,
    and residents without a community) and whether phone numbers are shown whole (admins only)."""

    first_day: date | None = None
    last_day: date | None = None
    community_ids: tuple | None = None
    community_name: str | None = None  # for the file's name, when one community was chosen
    whole_phones: bool = False

    def as_json(self):
        return {"from": _iso(self.first_day), "to": _iso(self.last_day), "community_ids": self.community_ids,
                "community_name": self.community_name, "whole_phones": self.whole_phones}

    @classmethod
    def from_json(cls, data):
        ids = data.get("community_ids")
        return cls(_day(data.get("from")), _day(data.get("to")), tuple(ids) if ids is not None else None,
                   data.get("community_name"), bool(data.get("whole_phones")))


def read(args):
    """(days and community asked for, format) from a query string or a dict; BadFilter names what is wrong."""
    try:
        wanted = ExportQuery().load({key: value for key, value in args.items() if value not in ("", None)})
    except ma.ValidationError as error:
        field, messages = next(iter(error.normalized_messages().items()))
        raise BadFilter(_message(messages), field=field) from None
    if wanted["from_"] and wanted["to"] and wanted["to"] < wanted["from_"]:
        raise BadFilter(_l("The last day comes before the first."), field="to")
    return wanted


def scope_for(viewer, wanted):
    """The rows `viewer` may export, now: an admin every community, a reviewer their own; others none."""
    if not (viewer.has_role(Role.ADMIN) or viewer.has_role(Role.REVIEWER)):
        raise Forbidden(_l("Only admins and reviewers can export."))
    community = _community(viewer, wanted["community_id"])
    if community is not None:
        ids = (community.id,)
    else:
        ids = None if viewer.has_role(Role.ADMIN) else (viewer.community_id,)
    return Scope(wanted["from_"], wanted["to"], ids, community.name if community else _own_name(viewer),
                 viewer.has_role(Role.ADMIN))


def _community(viewer, community_id):
    """The community asked for, if the viewer looks after it; else 404, as for one that does not exist."""
    if community_id is None:
        return None
    community = db.session.get(Community, community_id)
    if community is None or not viewer.looks_after(community.id):
        raise NotFound(_l("No such community."), field="community_id")
    return community


def _own_name(viewer):
    if viewer.has_role(Role.ADMIN) or viewer.community is None:
        return None
    return viewer.community.name


def _message(messages):
    while isinstance(messages, (list, dict)):
        messages = next(iter(messages.values())) if isinstance(messages, dict) else messages[0]
    return str(messages)


def _iso(day):
    return day.isoformat() if day else None


def _day(text):
    return date.fromisoformat(text) if text else None


def communities_for(viewer):
    """The communities the viewer may choose from: every one for an admin, their own for a reviewer."""
    query = select(Community).where(looked_after(viewer, Community.id)).order_by(Community.name)
    return db.session.execute(query).scalars().all()
