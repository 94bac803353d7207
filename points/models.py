"""Every table, imported in one place so migrations and create_all see them all."""
from points.accounts.models import ApiToken, Community, Street, User, venue_staff  # noqa: F401
from points.earning.models import ActionType, AwardRequest  # noqa: F401
from points.idempotency import IdempotencyKey  # noqa: F401
from points.ledger.models import Account, LedgerHead, Transfer  # noqa: F401
from points.redemption.models import Venue  # noqa: F401
