"""The points ledger: the only code that writes transfers.

    award · deduct · hold · post · void · redeem · reverse · pass_points · balance · history · verify · checkpoint
    and in bulk: write_many · opening_balances · open_accounts
    the monthly totals reports read (rollup): kept with every write; carry_balance · rebuild_totals
"""
from points.ledger.batch import Move, has_opening_balance, open_accounts, opening_balances, write_many  # noqa: F401
from points.ledger.checkpoints import (  # noqa: F401
    CheckpointRefused, checkpoint, checkpoint_text, latest_checkpoint, read_checkpoint, verify_checkpoint,
)
from points.ledger.errors import (  # noqa: F401
    AlreadyReversed, HoldResolved, InsufficientPoints, KeyReused, LedgerError, MonthlyLimitReached, NoAccount,
    NotAHold, NotPassable, NotReversible,
)
from points.ledger.expiry import Expired, expire, expiring, expiring_for  # noqa: F401
from points.ledger.models import (  # noqa: F401
    OPENING_ACCOUNT, Account, AccountKind, Checkpoint, Transfer, TransferKind,
)
from points.ledger.reads import Balance, Line, balance, history  # noqa: F401
from points.ledger.transfers import (  # noqa: F401
    Memo, Record, account_of, award, carry_balance, deduct, hold, open_account, open_venue_account, pass_points,
    passed_this_month, post, redeem, reverse, reversible, venue_account_of, void,
)
from points.ledger.verify import Problem, rebuild_totals, verify  # noqa: F401
