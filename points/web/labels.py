"""Words and formats for pages: role and transfer names, signed numbers (dates: points/dates.py)."""
from flask_babel import format_number, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from points.accounts.models import Role
from points.ledger import TransferKind
from points.timeutil import as_utc

ROLE_LABELS = {
    "resident": _l("Resident"),
    "staff": _l("Venue staff"),
    "reviewer": _l("Community reviewer"),
    "admin": _l("Sub-district admin"),
}

KIND_LABELS = {
    TransferKind.AWARD: _l("Award"),
    TransferKind.DEDUCTION: _l("Deduction"),
    TransferKind.HOLD: _l("Booking"),
    TransferKind.REDEMPTION: _l("Redeemed"),
    TransferKind.RELEASE: _l("Returned from hold"),
    TransferKind.REVERSAL: _l("Correction"),
    TransferKind.EXPIRY: _l("Expired"),
    TransferKind.ADJUSTMENT: _l("Adjustment"),
    TransferKind.TRANSFER: _l("Passed within the household"),
}


def role_label(name):
    return ROLE_LABELS.get(name, name)


def kind_label(kind):
    return KIND_LABELS.get(kind, kind)


def iso(moment):
    """For <time datetime>: the instant with its UTC offset."""
    return as_utc(moment).isoformat() if moment else ""


def signed(change):
    """+10 / −5 with a true minus sign, which screen readers say as "minus"."""
    number = format_number(abs(change))
    return f"+{number}" if change > 0 else f"\u2212{number}" if change < 0 else number


def shown_phone(person):
    """Phone numbers are masked except to their owner and to admins."""
    if current_user.is_authenticated and (current_user.id == person.id or current_user.has_role(Role.ADMIN)):
        return person.phone
    return person.masked_phone


def current_locale():
    return str(get_locale() or "zh")


def init_app(app):
    app.add_template_filter(role_label)
    app.add_template_filter(kind_label)
    app.add_template_filter(signed)
    app.add_template_filter(iso)
    app.add_template_filter(format_number, "number")
    app.add_template_global(role_label)
    app.add_template_global(shown_phone)
    app.add_template_global(current_locale)
    app.add_template_global(Role)
