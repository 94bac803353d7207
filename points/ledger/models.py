"""The ledger's tables: accounts with their running balances, immutable transfers, the chain head."""
import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from points.extensions import db, str_enum
from points.timeutil import now_utc


class AccountKind(enum.StrEnum):
    RESIDENT = "resident"
    ISSUANCE = "issuance"  # the source of every award
    VENUE = "venue"  # where redeemed points go
    DEDUCTION = "deduction"  # where deducted points go
    EXPIRY = "expiry"  # where expired points go
    OPENING = "opening"  # the source of opening balances brought in from paper cards


class TransferKind(enum.StrEnum):
    AWARD = "award"
    DEDUCTION = "deduction"
    HOLD = "hold"  # pending: resolved once, by a redemption (post) or a release (void)
    REDEMPTION = "redemption"
    RELEASE = "release"
    REVERSAL = "reversal"
    EXPIRY = "expiry"
    ADJUSTMENT = "adjustment"
    TRANSFER = "transfer"  # passed from one resident to another of the same household


# The system accounts have fixed ids, created with the schema, so a write never looks them up.
ISSUANCE_ACCOUNT, DEDUCTION_ACCOUNT, EXPIRY_ACCOUNT = 1, 2, 3
# Added when residents' accounts already held 4, 5, ...: 0 is the one id no sequence hands out.
OPENING_ACCOUNT = 0
SYSTEM_IDS = "CASE kind WHEN 'issuance' THEN 1 WHEN 'deduction' THEN 2 WHEN 'expiry' THEN 3 WHEN 'opening' THEN 0 END"


class Account(db.Model):
    """One account per resident, per venue, and per system purpose; balances kept up to date."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("kind <> 'resident' OR available >= 0", name="available_not_negative"),
        CheckConstraint("held >= 0", name="held_not_negative"),
        CheckConstraint("earned_total >= 0", name="earned_not_negative"),
        CheckConstraint("(kind = 'resident') = (user_id IS NOT NULL)", name="resident_has_user"),
        CheckConstraint("(kind = 'venue') = (venue_id IS NOT NULL)", name="venue_has_venue"),
        CheckConstraint("kind IN ('resident', 'venue') OR id = " + SYSTEM_IDS, name="system_ids_fixed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AccountKind] = mapped_column(str_enum(AccountKind, "account_kind"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"), unique=True)
    available: Mapped[int] = mapped_column(default=0)
    held: Mapped[int] = mapped_column(default=0)
    earned_total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # The last month ("2026-11") this resident earned or spent anything: counted once a month as active.
    active_month: Mapped[str | None] = mapped_column(String(7))


class Transfer(db.Model):
    """A movement of points from the debit account to the credit account. Never edited or deleted."""

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("debit_account_id <> credit_account_id", name="two_accounts"),
        CheckConstraint(
            "pending_id IS NULL OR kind IN ('redemption', 'release')", name="only_posts_and_voids_resolve"
        ),
        CheckConstraint("(reverses_id IS NOT NULL) = (kind = 'reversal')", name="reversal_names_original"),
        Index("ix_transfers_debit_id", "debit_account_id", "id"),
        Index("ix_transfers_credit_id", "credit_account_id", "id"),
        Index("ix_transfers_created_at", "created_at"),  # a period's transfers: exports, the board
    )

    # Assigned from the chain head, so ids are gapless and a deleted row shows.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[TransferKind] = mapped_column(str_enum(TransferKind, "transfer_kind"))
    amount: Mapped[int]
    debit_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    credit_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    # A hold is resolved at most once: the unique index is the database's guarantee.
    pending_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"), unique=True)
    # A transfer is reversed at most once, likewise.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None] = mapped_column(String(50))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ref_type: Mapped[str | None] = mapped_column(String(20))
    ref_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class LedgerHead(db.Model):
    """The single row every ledger write locks first: the last id and hash of the chain."""

    __tablename__ = "ledger_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class Checkpoint(db.Model):
    """The chain head signed with the scheme's key (ledger checkpoint), kept so every instance can show it."""

    __tablename__ = "checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(ForeignKey("transfers.id"))  # the last transfer it saw
    hash: Mapped[str] = mapped_column(String(64))  # that transfer's chain hash
    made_at: Mapped[datetime]
    street: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(44))  # Ed25519, raw, base64
    signature: Mapped[str] = mapped_column(String(88))  # base64
    fingerprint: Mapped[str] = mapped_column(String(19))  # what the printed board shows: "ABCD EF01 2345 6789"


GENESIS_HASH = "0" * 64


# The lines of the monthly statement, as the ledger's monthly totals name them.
LINES = ("awarded", "deducted", "redeemed", "expired", "reversed", "adjusted", "moved")
NO_COMMUNITY = 0  # the community_id of residents who belong to none (a key column cannot be NULL)


class MonthlyTotal(db.Model):
    """The points that went into and out of residents' balances (available + held), per month of the
    scheme's calendar, community, statement line and action category. Kept by the ledger in the
    same transaction as the transfers (points.ledger.rollup), so reports never read the transfers."""

    __tablename__ = "monthly_totals"
    __table_args__ = (
        CheckConstraint("line IN (" + ", ".join(f"'{line}'" for line in LINES) + ")", name="line_known"),
        CheckConstraint("points_in >= 0 AND points_out >= 0 AND transfers >= 0", name="not_negative"),
    )

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-11"
    community_id: Mapped[int] = mapped_column(primary_key=True)  # NO_COMMUNITY for none
    line: Mapped[str] = mapped_column(String(10), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)  # "" when the transfer names none
    points_in: Mapped[int] = mapped_column(BigInteger, default=0)
    points_out: Mapped[int] = mapped_column(BigInteger, default=0)
    transfers: Mapped[int] = mapped_column(default=0)


class MonthlyActive(db.Model):
    """How many residents of a community earned or spent anything in a month."""

    __tablename__ = "monthly_active"
    __table_args__ = (CheckConstraint("residents >= 0", name="not_negative"),)

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    community_id: Mapped[int] = mapped_column(primary_key=True)
    residents: Mapped[int] = mapped_column(default=0)
