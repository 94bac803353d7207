"""Report pages in Chromium: an office screen beside the phone, a small scheme, and what the console said."""
import itertools
from datetime import timedelta

import pytest

from points import ledger
from points.accounts import operations as accounts
from points.accounts.models import Role, User
from points.extensions import db
from points.redemption import bookings, checkin, sessions, venues
from points.timeutil import now_utc

OFFICE = {"width": 1280, "height": 800}
CHARTS = ("points_per_month", "points_per_community", "points_per_category", "active_residents", "claims", "venue_use")
_keys = itertools.count()


@pytest.fixture
def office_page(browser, open_context):
    """A page on a 1280×800 office screen, in Chinese, opened on the live server."""
    return open_context(browser, viewport=OFFICE, is_mobile=False, has_touch=False, device_scale_factor=1).new_page()


@pytest.fixture
def console_errors():
    """console_errors(page) -> a list that fills with the page's console errors (a CSP refusal among them)."""

    def watch(page):
        errors = []

        def heard(message):
            # The browser asks for /favicon.ico on its own; the site has none, and no page links one.
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
                errors.append(f"{message.text} ({message.location.get('url')})")

        page.on("console", heard)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return errors

    return watch


@pytest.fixture
def small_scheme(live_user, seed):
    """An admin's phone, after: 王芳 (锦湖) earns 30 and 李强 (青峰) 20; 王芳 spends 5 at last week's session."""
    admin, _ = live_user(Role.ADMIN, name="街道管理员")
    _, wang = live_user(name="王芳", community="锦湖社区")
    _, li = live_user(name="李强", community="青峰社区")
    with seed():
        ledger.award(wang, 30, "browser-report:1", ledger.Memo(category="volunteer"))
        ledger.award(li, 20, "browser-report:2", ledger.Memo(category="environment"))
    with seed():
        _visit(db.session.get(User, wang))
    return admin


def _visit(resident):
    """A booking and its check-in at a session that began a week ago."""
    venue = venues.create_venue("乒乓球室", "table_tennis")
    starts = now_utc() - timedelta(days=7)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 6, 5, now=starts - timedelta(days=3))
    ticket = bookings.book(resident, resident, session, f"browser-book:{next(_keys)}", now=starts - timedelta(days=1))
    checkin.check_in(_staff(venue), ticket.ticket_code, venue.id, "browser-nonce", now=starts + timedelta(minutes=5))


def _staff(venue):
    staff = accounts.create_user("13700000099", "郑晓", "password1", Role.STAFF, None)
    venues.works_at(staff, [venue])
    return staff
