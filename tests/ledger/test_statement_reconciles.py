"""The monthly statement reconciles to the point: for random months of awards, deductions, bookings,
check-ins, no-shows, cancellations, reversals, points passed within a household and year-end clearing, every month's closing balance is
what `ledger verify`'s replay of the transfers gives for the end of that month, per community and for
the street, and each month opens where the one before closed."""
import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from points import ledger
from points.accounts.models import Role
from points.errors import Refusal
from points.extensions import db
from points.ledger.rollup import month_range
from points.ledger.verify import recomputed_balances
from points.reports import statement
from points.timeutil import now_utc

MONTHS = ("2026-10", "2026-11", "2026-12")
START = datetime(2026, 10, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
DAYS = (START + timedelta(days=92) - START).days
_examples = itertools.count()

step = st.tuples(
    st.sampled_from(["award", "award", "deduct", "book", "check_in", "no_show", "cancel", "walk_in",
                     "reverse", "expire", "pass"]),
    st.integers(0, 3),  # which resident
    st.integers(1, 40),  # points
    st.integers(0, DAYS * 24 - 1),  # when: hours after the start (month ends included)
    st.integers(0, 50),  # which open booking or earlier award
)


class Scheme:
    """Four residents in two new communities, a venue, and what the steps left open."""

    def __init__(self, make_user, make_venue, n):
        self.people = [make_user(name=f"居民{n}-{i}", community=f"对账社区{n}-{i % 2}") for i in range(4)]
        self.venue = make_venue("乒乓球馆")
        self.n, self.keys, self.holds, self.awards = n, itertools.count(), [], []

    def key(self):
        return f"reconcile:{self.n}:{next(self.keys)}"

    def apply(self, op, who, points, pick):
        person = self.people[who].id
        if op == "award":
            self.awards.append(ledger.award(person, points, self.key(), ledger.Memo(category="volunteer")).id)
        elif op == "deduct":
            ledger.deduct(person, points, self.key(), ledger.Memo(category="civility"))
        elif op == "book":
            self.holds.append(ledger.hold(person, self.venue.id, points, self.key()).id)
        elif op in ("check_in", "no_show", "cancel") and self.holds:
            resolve = ledger.void if op == "cancel" else ledger.post  # a no-show forfeits, like a visit
            resolve(self.holds.pop(pick % len(self.holds)), self.key())
        elif op == "walk_in":
            ledger.redeem(person, self.venue.id, points, self.key())
        elif op == "reverse" and self.awards:
            ledger.reverse(self.awards.pop(pick % len(self.awards)), self.key())
        elif op == "pass":  # to the resident of the same community (a household never spans two)
            ledger.pass_points(person, self.people[(who + 2) % 4].id, points, self.key())
        elif op == "expire":
            ledger.expire(f"reconcile-{self.n}-{pick}", now_utc(), ledger.Memo(reason="清零"))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=5, max_size=40))
def test_every_month_closes_at_what_the_ledger_holds(app, make_user, make_venue, steps):
    scheme = Scheme(make_user, make_venue, next(_examples))
    for op, who, points, hour, pick in sorted(steps, key=lambda s: s[3]):
        with freeze_time(START + timedelta(hours=hour)):
            try:
                scheme.apply(op, who, points, pick)
                db.session.commit()
            except Refusal:  # not enough points: refused, and nothing written
                db.session.rollback()
    admin = make_user(Role.ADMIN, name="对账管理员")
    communities = {p.community_id for p in scheme.people}
    closing_before = None
    for month in MONTHS:
        replayed = recomputed_balances(until=month_range(month)[1])
        street = statement.monthly(admin, month)
        assert street.closing == sum(replayed[a] for a in resident_accounts())
        assert closing_before is None or street.opening == closing_before
        closing_before = street.closing
        for community in communities:
            part = statement.monthly(admin, month, community)
            assert part.closing == sum(replayed[ledger.account_of(p.id)] for p in scheme.people
                                       if p.community_id == community)
    assert ledger.verify() == []


def resident_accounts():
    return db.session.execute(db.select(ledger.Account.id).where(
        ledger.Account.kind == ledger.AccountKind.RESIDENT)).scalars().all()
