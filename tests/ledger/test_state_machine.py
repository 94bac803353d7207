"""Random sequences of ledger writes on a real database, each step checked against a model of the books.

The model is deliberately naive: a dict of balances per account, the holds resolved so far and the
transfers reversed so far. After every step the stored balances must equal the model's, sum to zero
and pass `ledger.verify()`; a refused step must change nothing.
"""
import itertools
from collections import defaultdict
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle, RuleBasedStateMachine, initialize, invariant, multiple, rule, run_state_machine_as_test,
)
from sqlalchemy import delete, func, select, update

from points import ledger
from points.errors import Refusal
from points.extensions import db
from points.ledger.models import (
    DEDUCTION_ACCOUNT, GENESIS_HASH, ISSUANCE_ACCOUNT, LedgerHead, MonthlyActive, MonthlyTotal,
)
from tests.ledger.conftest import behind_the_triggers

SETTINGS = settings(
    max_examples=25, stateful_step_count=20, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PEOPLE = st.integers(0, 2)  # which of the three residents
VENUES = st.integers(0, 1)
AMOUNTS = st.integers(1, 25)
REVERSIBLE = {"award", "deduct", "redeem"}
PASS_LIMIT = 60  # points one resident may pass to others in a month (households)


@dataclass(frozen=True)
class Written:
    """A transfer the machine wrote: the call that made it (for retries) and what it moved."""

    op: str
    args: tuple
    key: str
    debit: int
    credit: int
    amount: int


class LedgerMachine(RuleBasedStateMachine):
    transfers = Bundle("transfers")
    holds = Bundle("holds")

    def __init__(self, people, venues):
        super().__init__()
        self.people, self.venues = people, venues
        self.residents = [ledger.account_of(user) for user in people]
        self.venue_accounts = [ledger.venue_account_of(venue) for venue in venues]
        clear_the_books()
        self.balances = defaultdict(lambda: [0, 0, 0])  # account id -> [available, held, earned]
        self.written = {}  # transfer id -> Written
        self.resolved = {}  # hold id -> the transfer that posted or voided it
        self.reversed = set()
        self.passed = defaultdict(int)  # account id -> points it passed to others
        self.keys = itertools.count(1)

    # --- the rules: one ledger call each, with the outcome the model predicts ---

    @initialize(target=transfers, amounts=st.lists(st.integers(20, 80), min_size=3, max_size=3))
    def open_with_awards(self, amounts):
        """Everyone starts with some points, so that spending is as likely as a refusal."""
        return multiple(*(self.award(who, amount) for who, amount in enumerate(amounts)))

    @rule(target=transfers, who=PEOPLE, amount=AMOUNTS)
    def award(self, who, amount):
        return self.write("award", (self.people[who], amount), ISSUANCE_ACCOUNT, self.residents[who], amount)

    @rule(target=transfers, who=PEOPLE, amount=AMOUNTS)
    def deduct(self, who, amount):
        account = self.residents[who]
        return self.write("deduct", (self.people[who], amount), account, DEDUCTION_ACCOUNT, amount,
                          refusal=self.short(account, amount))

    @rule(targets=(holds, transfers), who=PEOPLE, where=VENUES, amount=AMOUNTS)
    def hold(self, who, where, amount):
        account = self.residents[who]
        args = (self.people[who], self.venues[where], amount)
        return self.write("hold", args, account, self.venue_accounts[where], amount,
                          refusal=self.short(account, amount))

    @rule(target=transfers, who=PEOPLE, where=VENUES, amount=AMOUNTS)
    def redeem(self, who, where, amount):
        account = self.residents[who]
        args = (self.people[who], self.venues[where], amount)
        return self.write("redeem", args, account, self.venue_accounts[where], amount,
                          refusal=self.short(account, amount))

    @rule(target=transfers, who=PEOPLE, to=st.integers(1, 2), amount=AMOUNTS)
    def pass_points(self, who, to, amount):
        """From one resident to another (as in a household), within the monthly limit."""
        giver, receiver = self.residents[who], self.residents[(who + to) % 3]
        over = self.passed[giver] + amount > PASS_LIMIT
        refusal = ledger.MonthlyLimitReached if over else self.short(giver, amount)
        args = (self.people[who], self.people[(who + to) % 3], amount)
        result = self.write("pass_points", args, giver, receiver, amount, refusal=refusal,
                            limit={"monthly_limit": PASS_LIMIT})
        if isinstance(result, int):  # written (a refusal returns no transfer)
            self.passed[giver] += amount
        return result

    @rule(who=PEOPLE, where=VENUES, op=st.sampled_from(["deduct", "hold", "redeem"]), extra=st.integers(1, 5))
    def overdraw(self, who, where, op, extra):
        """Ask for a little more than is available: always refused."""
        account = self.residents[who]
        amount = self.balances[account][0] + extra
        if op == "deduct":
            args, credit = (self.people[who], amount), DEDUCTION_ACCOUNT
        else:
            args, credit = (self.people[who], self.venues[where], amount), self.venue_accounts[where]
        self.write(op, args, account, credit, amount, refusal=ledger.InsufficientPoints)

    @rule(target=transfers, hold=holds, op=st.sampled_from(["post", "void"]))
    def resolve(self, hold, op):
        held = self.written[hold]
        refusal = ledger.HoldResolved if hold in self.resolved else None
        result = self.write(op, (hold,), held.debit, held.credit, held.amount, refusal=refusal)
        if refusal is None:
            self.resolved[hold] = result
        return result

    @rule(target=transfers, original=transfers)
    def reverse(self, original):
        was = self.written[original]
        if was.op not in REVERSIBLE:
            refusal = ledger.NotReversible
        elif original in self.reversed:
            refusal = ledger.AlreadyReversed
        else:
            refusal = self.short(was.credit, was.amount)
        result = self.write("reverse", (original,), was.credit, was.debit, was.amount, refusal=refusal,
                            unearn=was.op == "award")
        if refusal is None:
            self.reversed.add(original)
        return result

    @rule(original=transfers)
    def retry_the_same_request(self, original):
        was = self.written[original]
        record = getattr(ledger, was.op)(*was.args, was.key, ledger.Memo(reason=was.op))
        db.session.commit()
        assert record.id == original

    @rule(original=transfers, twist=st.sampled_from(["amount", "kind"]))
    def reuse_a_key_for_another_request(self, original, twist):
        was = self.written[original]
        op, args = another_request(was, twist, self.people[0])
        with pytest.raises(ledger.KeyReused):
            getattr(ledger, op)(*args, was.key)
        db.session.rollback()

    @rule(who=PEOPLE, limit=st.integers(1, 6))
    def page_through_history(self, who, limit):
        account, lines, before = self.residents[who], [], None
        while page := ledger.history(self.people[who], limit=limit, before=before):
            assert len(page) <= limit
            lines += page
            before = page[-1].transfer.id
        mine = [t for t, w in self.written.items() if account in (w.debit, w.credit)]
        assert [line.transfer.id for line in lines] == sorted(mine, reverse=True)
        assert sum(line.change for line in lines) == self.balances[account][0]
        for line in lines:
            if line.transfer.kind == ledger.TransferKind.HOLD:
                assert line.open_hold == (line.transfer.id not in self.resolved)
        db.session.rollback()

    # --- after every step ---

    @invariant()
    def the_books_agree_with_the_model(self):
        a = ledger.Account
        rows = db.session.execute(select(a.id, a.available, a.held, a.earned_total))
        stored = {account: [available, held, earned] for account, available, held, earned in rows}
        assert sum(available + held for available, held, _ in stored.values()) == 0
        assert all(stored[account][0] >= 0 for account in self.residents)
        assert stored == {account: self.balances.get(account, [0, 0, 0]) for account in stored}
        resolutions = db.session.scalars(
            select(ledger.Transfer.pending_id).where(ledger.Transfer.pending_id.is_not(None))
        ).all()
        assert sorted(resolutions) == sorted(self.resolved)  # each hold at most once, and only these
        assert db.session.scalar(select(func.count()).select_from(ledger.Transfer)) == len(self.written)
        assert ledger.verify() == []
        db.session.rollback()

    # --- helpers ---

    def short(self, account, amount):
        """The refusal a resident's account must give when asked for more than is available."""
        if account in self.residents and self.balances[account][0] < amount:
            return ledger.InsufficientPoints
        return None

    def write(self, op, args, debit, credit, amount, refusal=None, unearn=False, limit=None):
        """Make the call under a fresh key; commit and model it, or check the refusal and roll back."""
        key = f"k{next(self.keys)}"
        try:
            record = getattr(ledger, op)(*args, key, ledger.Memo(reason=op), **(limit or {}))
        except Refusal as error:
            db.session.rollback()
            assert type(error) is refusal, f"{op}{args} refused with {error.code}, expected {refusal}"
            return multiple()
        db.session.commit()
        assert refusal is None, f"{op}{args} went through; expected {refusal.__name__}"
        assert (record.debit_account_id, record.credit_account_id, record.amount) == (debit, credit, amount)
        self.written[record.id] = Written(op, args, key, debit, credit, amount)
        self.move(op, debit, credit, amount, unearn)
        return record.id

    def move(self, op, debit, credit, amount, unearn):
        """The model's double entry: what each kind of call does to the two accounts."""
        source, target = self.balances[debit], self.balances[credit]
        if op == "hold":
            source[0], source[1] = source[0] - amount, source[1] + amount
        elif op == "void":
            source[0], source[1] = source[0] + amount, source[1] - amount
        elif op == "post":
            source[1] -= amount
            target[0] += amount
        else:
            source[0] -= amount
            target[0] += amount
        if op == "award":
            target[2] += amount
        if unearn:  # reversing an award takes it out of the earned total too
            source[2] -= amount


def another_request(was, twist, someone):
    """A request that differs from the one first made under this key."""
    if twist == "kind":
        return ("deduct" if was.op == "award" else "award"), (someone, 1)
    if was.op in ("post", "void"):
        return ("void" if was.op == "post" else "post"), was.args
    if was.op == "reverse":
        return "reverse", (was.args[0] + 1,)
    return was.op, (*was.args[:-1], was.args[-1] + 1)


def clear_the_books():
    """Each example starts from an empty ledger: no transfers, zero balances, the chain at genesis."""
    db.session.rollback()
    behind_the_triggers()  # transfers are append-only (migration 0005); a test's harness may start afresh
    db.session.execute(delete(ledger.Transfer))
    db.session.execute(delete(MonthlyTotal))
    db.session.execute(delete(MonthlyActive))
    db.session.execute(update(ledger.Account).values(available=0, held=0, earned_total=0, active_month=None))
    db.session.execute(update(LedgerHead).values(seq=0, last_hash=GENESIS_HASH))
    db.session.commit()


def test_the_ledger_never_loses_or_invents_a_point(make_user, make_venue):
    people = [make_user().id for _ in range(3)]
    venues = [make_venue().id, make_venue("羽毛球馆").id]
    run_state_machine_as_test(lambda: LedgerMachine(people, venues), settings=SETTINGS)
