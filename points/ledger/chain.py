"""The rules both the writer and the verifier follow: what a transfer does to balances, its hash."""
import hashlib
import json
from dataclasses import dataclass

from points.ledger.models import OPENING_ACCOUNT, TransferKind
from points.timeutil import as_utc


@dataclass(frozen=True)
class Effect:
    account_id: int
    available: int = 0
    held: int = 0
    earned: int = 0


def effects(kind, amount, debit, credit, *, resolves=False, reversed_kind=None):
    """How a transfer changes its two accounts (the debit gives, the credit receives)."""
    if kind == TransferKind.HOLD:
        return [Effect(debit, available=-amount, held=amount)]
    if resolves and kind == TransferKind.RELEASE:
        return [Effect(debit, available=amount, held=-amount)]
    if resolves:  # a redemption posting a hold: the held points reach the venue
        return [Effect(debit, held=-amount), Effect(credit, available=amount)]
    earned_out = -amount if reversed_kind and counts_as_earned(reversed_kind, credit) else 0
    earned_in = amount if counts_as_earned(kind, debit) else 0
    return [
        Effect(debit, available=-amount, earned=earned_out),
        Effect(credit, available=amount, earned=earned_in),
    ]


def counts_as_earned(kind, debit):
    """Awards, and opening balances (points earned on paper before the scheme came online)."""
    return kind == TransferKind.AWARD or (kind == TransferKind.ADJUSTMENT and debit == OPENING_ACCOUNT)


HASHED_FIELDS = (
    "id", "kind", "amount", "debit_account_id", "credit_account_id", "pending_id", "reverses_id",
    "idempotency_key", "reason", "category", "requested_by", "approved_by", "ref_type", "ref_id",
)


def transfer_hash(prev_hash, row):
    """SHA-256 over the previous hash and every recorded field, in a fixed canonical form."""
    values = [str(row[f]) if f == "kind" else row[f] for f in HASHED_FIELDS]
    values.append(as_utc(row["created_at"]).isoformat(timespec="microseconds"))
    payload = json.dumps([prev_hash, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()
