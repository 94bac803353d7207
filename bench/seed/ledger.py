"""A plausible history of the scheme, written straight into `transfers` with COPY.

The seeder plays the ledger's own rules forward in memory: the same `effects` move the balances,
the same `transfer_hash` links each row to the one before, ids run 1..N without a gap, a resident's
available balance never goes below zero, every hold is resolved at most once and every reversal
names an award not reversed before. After each stage the stored balances and the chain head are
set to what the rows add up to, so `flask ledger verify` finds nothing to report.

It can grow: seed 10,000 transfers, measure, then continue the same chain up to 1,000,000.
"""
from collections import deque
from datetime import timedelta

from points.ledger.chain import effects, transfer_hash
from points.ledger.models import DEDUCTION_ACCOUNT, GENESIS_HASH, ISSUANCE_ACCOUNT, TransferKind
from bench.seed.people import ADMINS, FIRST_RESIDENT, VENUES
from bench.seed.schema import check_copy

COLUMNS = (
    "id", "kind", "amount", "debit_account_id", "credit_account_id", "pending_id", "reverses_id",
    "idempotency_key", "reason", "category", "requested_by", "approved_by", "ref_type", "ref_id",
    "created_at", "prev_hash", "hash",
)
AWARD, DEDUCTION, HOLD = (TransferKind.AWARD.value, TransferKind.DEDUCTION.value,
                          TransferKind.HOLD.value)
REDEMPTION, RELEASE, REVERSAL = (TransferKind.REDEMPTION.value, TransferKind.RELEASE.value,
                                 TransferKind.REVERSAL.value)

# How often each thing happens (anything impossible at that moment becomes an award).
MIX = [("award", 0.57), ("hold", 0.17), ("post", 0.12), ("void", 0.05), ("walk_in", 0.04),
       ("deduction", 0.04), ("reversal", 0.01)]
ACTIONS = [  # category, reason, points per unit
    ("volunteer", "志愿服务", 5), ("environment", "环境整治", 3), ("civility", "文明劝导", 2),
    ("neighbourly", "邻里互助", 2), ("culture", "文化活动", 3),
]
DEDUCTIONS = [("乱扔垃圾", 2), ("违规停车", 5), ("占用消防通道", 10)]
SESSION_COST = [5, 5, 10, 10, 15]
BIG_AWARD = 50  # above this an award carries a second admin's approval (four eyes)
ACTIVE_SHARE = 0.3  # the residents who do most of the earning and spending
ACTIVE_ODDS = 0.7


class LedgerSeeder:
    """The chain so far, with every account's balances, kept in memory between stages."""

    def __init__(self, people, rng, planned, start, end):
        self.people, self.rng = people, rng
        size = people.last_account + 1
        self.available, self.held, self.earned = [0] * size, [0] * size, [0] * size
        self.seq, self.last_hash = 0, GENESIS_HASH
        self.open_holds = deque()  # (hold id, amount, debit, credit, booking), oldest first
        self.awards = deque(maxlen=5000)  # recent awards not yet reversed: (id, amount, account)
        self.refs = 0
        # The clock runs evenly over the planned history; the tickets' holds, written on top, come last.
        self.start, self.end, self.step = start, end, (end - start) / max(planned, 1)
        residents = range(FIRST_RESIDENT, people.last_user + 1)
        self.residents = residents
        self.active = rng.sample(residents, max(1, int(len(residents) * ACTIVE_SHARE)))
        self.actions = self._action_table()

    def grow(self, conn, upto):
        """Append transfers up to id `upto`, then store the balances and the head to match."""
        self.append(conn, (self._next() for _ in range(self.seq, upto)))

    def append(self, conn, rows):
        """COPY the rows (made by this seeder's own methods), then store the balances and the head."""
        with conn.cursor() as cur:
            check_copy(cur, "transfers", COLUMNS)
            with cur.copy(f"COPY transfers ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            self._store_balances(cur)
            cur.execute("UPDATE ledger_head SET seq = %s, last_hash = %s WHERE id = 1",
                        (self.seq, self.last_hash))

    def catch_up(self, conn):
        """Continue from what the app wrote meanwhile (the check-ins posted holds): the chain head
        and every balance as stored."""
        self.seq, self.last_hash = conn.execute("SELECT seq, last_hash FROM ledger_head").fetchone()
        for account, available, held, earned in conn.execute(
                "SELECT id, available, held, earned_total FROM accounts"):
            self.available[account], self.held[account], self.earned[account] = available, held, earned

    def book(self, user, venue, amount, booking):
        """The rows of one booking's hold (after a top-up award when the resident is short of points),
        for `append`; the hold's id is then `self.seq`. The hold stays open: the check-in posts it."""
        account = self.people.account_of(user)
        if self.available[account] < amount:
            ref = self.new_ref()
            yield self._write(AWARD, amount, ISSUANCE_ACCOUNT, account, f"claim:{ref}:approve",
                              f"志愿服务（申报 {ref}）", "volunteer", self.people.reviewer_for(user), None,
                              "claim", ref)
        yield self._write(HOLD, amount, account, self.people.venue_account(venue), f"booking:{booking}:hold",
                          f"预约 {VENUES[venue - 1][0]}", None, user, None, "booking", booking)

    # --- one transfer ---------------------------------------------------------------------------

    def _action_table(self):
        table, total = [], 0.0
        for name, weight in MIX:
            total += weight
            table.append((total, getattr(self, "_" + name)))
        return table

    def _next(self):
        pick = self.rng.random() * self.actions[-1][0]
        for threshold, action in self.actions:
            if pick < threshold:
                return action() or self._award()
        return self._award()

    def _award(self):
        user = self._someone()
        category, reason, points = self.rng.choice(ACTIONS)
        amount = points * self.rng.choice((1, 1, 1, 2, 2, 3, 4))
        requested, approved = self.people.reviewer_for(user), None
        if self.rng.random() < 0.01:  # an activity's big award, with the second admin's approval
            amount, requested, approved = self.rng.choice((60, 80, 100, 200)), ADMINS[0], ADMINS[1]
        ref = self.new_ref()
        account = self.people.account_of(user)
        row = self._write(AWARD, amount, ISSUANCE_ACCOUNT, account, f"claim:{ref}:approve",
                          f"{reason}（申报 {ref}）", category, requested, approved, "claim", ref)
        self.awards.append((row[0], amount, account))
        return row

    def _deduction(self):
        reason, amount = self.rng.choice(DEDUCTIONS)
        user = self._someone_with(amount)
        if user is None:
            return None
        ref = self.new_ref()
        return self._write(DEDUCTION, amount, self.people.account_of(user), DEDUCTION_ACCOUNT,
                           f"deduction:{ref}", f"扣分：{reason}", "deduction",
                           self.people.reviewer_for(user), None, None, None)

    def _hold(self):
        amount, venue = self.rng.choice(SESSION_COST), self.rng.randrange(1, len(VENUES) + 1)
        user = self._someone_with(amount)
        if user is None:
            return None
        booking = self.new_ref()
        debit, credit = self.people.account_of(user), self.people.venue_account(venue)
        row = self._write(HOLD, amount, debit, credit, f"booking:{booking}:hold",
                          f"预约 {VENUES[venue - 1][0]}", None, user, None, "booking", booking)
        self.open_holds.append((row[0], amount, debit, credit, booking))
        return row

    def _post(self):
        return self._resolve(REDEMPTION, "checkin", "核销入场")

    def _void(self):
        return self._resolve(RELEASE, "cancel", "取消预约")

    def _resolve(self, kind, verb, reason):
        if not self.open_holds:
            return None
        hold_id, amount, debit, credit, booking = self.open_holds.popleft()
        venue = credit - self.people.venue_account(0)
        by = self.people.staff_for(venue) if kind == REDEMPTION else self.people.user_of_account(debit)
        return self._write(kind, amount, debit, credit, f"booking:{booking}:{verb}", reason, None, by,
                           None, "booking", booking, pending_id=hold_id)

    def _walk_in(self):
        amount, venue = self.rng.choice(SESSION_COST), self.rng.randrange(1, len(VENUES) + 1)
        user = self._someone_with(amount)
        if user is None:
            return None
        ref = self.new_ref()
        return self._write(REDEMPTION, amount, self.people.account_of(user), self.people.venue_account(venue),
                           f"walkin:{ref}", f"现场核销 {VENUES[venue - 1][0]}", None,
                           self.people.staff_for(venue), None, None, None)

    def _reversal(self):
        for _ in range(min(3, len(self.awards))):
            award_id, amount, account = self.awards.popleft()
            if self.available[account] >= amount:
                return self._write(REVERSAL, amount, account, ISSUANCE_ACCOUNT, f"reversal:{award_id}",
                                   "更正：重复发放", None, ADMINS[0], ADMINS[1], None, None,
                                   reverses_id=award_id, reversed_kind=AWARD)
        return None

    def _someone(self):
        if self.rng.random() < ACTIVE_ODDS:
            return self.rng.choice(self.active)
        return self.rng.choice(self.residents)

    def _someone_with(self, amount):
        """A resident who can afford `amount`, or None after a few tries."""
        for _ in range(4):
            user = self._someone()
            if self.available[self.people.account_of(user)] >= amount:
                return user
        return None

    def new_ref(self):
        """A fresh number for a claim, booking or deduction the transfers refer to."""
        self.refs += 1
        return self.refs

    def _write(self, kind, amount, debit, credit, key, reason, category, requested_by, approved_by,
               ref_type, ref_id, *, pending_id=None, reverses_id=None, reversed_kind=None):
        """The next row of the chain, its balances applied; returned in COPY column order."""
        self.seq += 1
        row = {
            "id": self.seq, "kind": kind, "amount": amount, "debit_account_id": debit,
            "credit_account_id": credit, "pending_id": pending_id, "reverses_id": reverses_id,
            "idempotency_key": key, "reason": reason, "category": category,
            "requested_by": requested_by, "approved_by": approved_by, "ref_type": ref_type,
            "ref_id": ref_id, "created_at": min(self.start + self.step * self.seq, self.end),
        }
        prev_hash, self.last_hash = self.last_hash, transfer_hash(self.last_hash, row)
        for e in effects(kind, amount, debit, credit, resolves=pending_id is not None,
                         reversed_kind=reversed_kind):
            self.available[e.account_id] += e.available
            self.held[e.account_id] += e.held
            self.earned[e.account_id] += e.earned
        return (*row.values(), prev_hash, self.last_hash)

    # --- balances -------------------------------------------------------------------------------

    def _store_balances(self, cur):
        """Set every account's stored balances to what the transfers give (one UPDATE ... FROM)."""
        cur.execute("CREATE TEMP TABLE seeded (id int PRIMARY KEY, available int, held int, earned int)"
                    " ON COMMIT DROP")
        with cur.copy("COPY seeded FROM STDIN") as copy:
            for account, (a, h, e) in enumerate(zip(self.available, self.held, self.earned)):
                if account:  # every account: one back at zero must be stored as zero too
                    copy.write_row((account, a, h, e))
        cur.execute(
            "UPDATE accounts SET available = s.available, held = s.held, earned_total = s.earned"
            " FROM seeded s WHERE accounts.id = s.id"
            " AND (accounts.available, accounts.held, accounts.earned_total)"
            " IS DISTINCT FROM (s.available, s.held, s.earned)"
        )


def timeline(now, days=730):
    """The seeded history spans the last two years, ending just before now."""
    return now - timedelta(days=days), now - timedelta(minutes=5)
