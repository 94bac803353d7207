"""A resident's approved civic actions, read from the ledger's awards and what each award was for.

Every approved action reached the resident as one award transfer: a claim's approval (ref "claim"),
an activity's closing (ref "activity"), a reviewer's or admin's direct award (no ref, or the large
award's request). An award that has been reversed is left out; deductions, opening balances and
bookings are not actions. The day of an action is the day it was done — a claim's day, an
activity's start — so an action done in the period counts even when it was approved after it.
"""
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from points.earning.models import ActionType, Activity, AwardRequest, Claim, Unit
from points.extensions import db
from points.ledger.models import Account, Transfer, TransferKind
from points.timeutil import as_utc, zone


@dataclass(frozen=True)
class Action:
    day: date
    name_zh: str
    name_en: str
    minutes: int | None  # None: not counted in hours
    points: int

    def as_json(self):
        return {**asdict(self), "day": self.day.isoformat()}

    @classmethod
    def from_json(cls, line):
        return cls(**{**line, "day": date.fromisoformat(line["day"])})


def approved_actions(user_id, first_day, last_day):
    """The actions done from first_day to last_day (both included), oldest first.

    Read through the resident's side of the ledger (ix_transfers_credit_id): a resident has at
    most a few hundred awards, and an action's day is only known once its claim or activity is read."""
    here = zone()  # looked up once: the app's config is slow to reach row after row
    actions = [_action(here, *row) for row in db.session.execute(_awards(user_id))]
    return sorted((action for action in actions if first_day <= action.day <= last_day),
                  key=lambda action: action.day)


def _awards(user_id):
    """One row per unreversed award: what the action was, read as plain columns (no objects to build)."""
    reversal = aliased(Transfer)
    claim_action, request_action = aliased(ActionType), aliased(ActionType)
    account = select(Account.id).where(Account.user_id == user_id).scalar_subquery()
    return (
        select(Transfer.amount, Transfer.reason, Transfer.created_at,
               Claim.occurred_on, Claim.quantity, claim_action.unit, claim_action.name_zh, claim_action.name_en,
               Activity.title, Activity.starts_at, Activity.ends_at, request_action.name_zh, request_action.name_en)
        .outerjoin(reversal, reversal.reverses_id == Transfer.id)
        .outerjoin(Claim, and_(Transfer.ref_type == "claim", Claim.id == Transfer.ref_id))
        .outerjoin(claim_action, claim_action.id == Claim.action_type_id)
        .outerjoin(Activity, and_(Transfer.ref_type == "activity", Activity.id == Transfer.ref_id))
        .outerjoin(AwardRequest, and_(Transfer.ref_type == "award_request", AwardRequest.id == Transfer.ref_id))
        .outerjoin(request_action, request_action.id == AwardRequest.action_type_id)
        .where(Transfer.credit_account_id == account, Transfer.kind == TransferKind.AWARD, reversal.id.is_(None))
        .order_by(Transfer.id)
    )


def _action(here, points, reason, made_at, claimed_on, quantity, unit, claim_zh, claim_en,
            title, starts_at, ends_at, request_zh, request_en):
    if claimed_on is not None:
        minutes = quantity * 60 if unit == Unit.HOUR else None
        return Action(claimed_on, claim_zh, claim_en, minutes, points)
    if title is not None:
        return Action(_day(starts_at, here), title, title, _duration(starts_at, ends_at), points)
    if request_zh is not None:
        return Action(_day(made_at, here), request_zh, request_en, None, points)
    # A direct award's reason is the catalogue's Chinese name or the reviewer's note: it has no English one.
    return Action(_day(made_at, here), reason, reason, None, points)


def _day(moment, here):
    return as_utc(moment).astimezone(here).date()


def _duration(starts_at, ends_at):
    if ends_at is None:
        return None
    return int((as_utc(ends_at) - as_utc(starts_at)).total_seconds() // 60)
