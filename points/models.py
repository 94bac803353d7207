"""Every table, imported in one place so migrations and create_all see them all."""
from points.accounts.cards import MemberCard  # noqa: F401
from points.accounts.codes import OneTimeCode  # noqa: F401
from points.accounts.helpers import HelperGrant  # noqa: F401
from points.accounts.models import ApiToken, Community, Street, User  # noqa: F401
from points.audit import AuditEntry  # noqa: F401
from points.earning.models import (  # noqa: F401
    ActionType, Activity, AwardRequest, Blob, CapUsage, Claim, ClaimPhoto, MonthlyDecision, Participation,
)
from points.expiry.models import ExpiryRun  # noqa: F401
from points.exports.models import Export, ExportChunk  # noqa: F401
from points.households.models import Household  # noqa: F401
from points.idempotency import IdempotencyKey  # noqa: F401
from points.imports.models import ImportBatch  # noqa: F401
from points.ledger.models import Account, Checkpoint, LedgerHead, MonthlyActive, MonthlyTotal, Transfer  # noqa: F401
from points.records.models import ServiceRecord  # noqa: F401
from points.redemption.models import (  # noqa: F401
    Booking, Notification, Offering, Scan, Venue, VenueSession, venue_staff,
)
