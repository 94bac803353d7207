"""长辈版 care mode at 360 px in Chromium: large text, 60 px targets, no sideways scroll, no serious
axe-core problems, on the pages older residents and the door staff use; it follows the person across
sign-out, sign-in and a fresh browser. Screenshots of every page in both modes go to tests/artifacts/."""
from datetime import timedelta

import pytest

from points import ledger
from points.accounts.models import Role, User
from points.households import operations as households
from points.redemption import bookings, sessions, venues
from points.redemption.models import Venue
from points.timeutil import now_utc
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser

RESIDENT_PAGES = ["home", "venues", "venue", "ticket", "member", "claim", "household", "helpers"]

# Every visible button and list link, with its height; hidden ones (a hidden file input's label) aside.
TARGETS = """() => [...document.querySelectorAll('button, .button, .link-list a, .subnav__link')]
  .filter(el => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
  .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])"""

# A header word broken across lines has more than one line box: count them.
HEADER_WORDS = """() => [...document.querySelectorAll('.site-header button, .brand__name')]
  .map(el => { const r = document.createRange(); r.selectNodeContents(el);
    const tops = new Set([...r.getClientRects()].map(rect => Math.round(rect.top)));
    return [el.textContent.trim(), tops.size]; })"""

BACK_LINKS = """() => [...document.querySelectorAll('.page p > a:only-child:not(.button)')]
  .map(el => [el.textContent.trim(), el.getBoundingClientRect().height])"""


@pytest.fixture
def people(seed, live_user):
    """A resident with a booking tomorrow, and a staff member of that venue: their phones and paths."""
    phone, resident_id = live_user(name="张桂兰")
    with seed() as db_session:
        ledger.award(resident_id, 30, "seed", ledger.Memo(reason="参加社区环境整治"))
        venue = venues.create_venue("羽毛球馆", "badminton", place="青大片区党群服务中心 二楼")
        starts = now_utc() + timedelta(days=1)
        session = sessions.create_session(venue, starts, starts + timedelta(minutes=90), 12, 8)
        resident = db_session.get(User, resident_id)
        booking = bookings.book(resident, resident, session, "care:booking")
        paths = {"home": "/", "venues": "/venues", "venue": f"/venues/{venue.id}", "ticket": f"/bookings/{booking.id}", "member": "/member",
                 "claim": "/claims/new", "scan": "/scan"}
        venue_id = venue.id
    staff_phone, staff_id = live_user(Role.STAFF, name="门口工作人员")
    _, reviewer_id = live_user(Role.REVIEWER, name="社区审核员")
    _, son_id = live_user(name="李明")
    with seed() as db_session:
        venues.works_at(db_session.get(User, staff_id), [db_session.get(Venue, venue_id)])
        reviewer = db_session.get(User, reviewer_id)
        household = households.create(reviewer, db_session.get(User, resident_id), "锦湖3-1-201")
        households.add_member(reviewer, household, db_session.get(User, son_id))
        paths |= {"household": f"/households/{household.id}", "helpers": "/helpers"}
    return phone, staff_phone, paths


def turn_care_on(page):
    page.locator("[data-care-switch]").click()
    page.wait_for_load_state()
    assert page.locator("html.care").count() == 1
    assert page.locator("[data-care-switch]").get_attribute("aria-pressed") == "true"


def check_page(page, care, name, screenshot, accessibility_problems, *, mode):
    """What a person would notice on one page; returns how many back links it has, asserts the rest."""
    assert horizontal_overflow(page) == 0, (name, page.evaluate("getComputedStyle(document.body).fontSize"))
    assert all(lines == 1 for _, lines in page.evaluate(HEADER_WORDS)), page.evaluate(HEADER_WORDS)
    back_links = page.evaluate(BACK_LINKS)
    short = [link for link in back_links if link[1] < 44]
    assert not short, short
    if care:
        assert float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px")) >= 20
        small = [target for target in page.evaluate(TARGETS) if target[1] < 59.5]
        assert not small, (name, small)
        assert accessibility_problems(page) == [], name
    screenshot(page, f"{mode}-{name}-360")
    return len(back_links)


def choose_english(page):
    page.locator(".lang-switch button[lang=en]").click()
    page.wait_for_load_state()
    assert page.locator("html[lang=en]").count() == 1


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_tour_of_the_pages(browser, open_context, sign_in, people, screenshot, accessibility_problems, care,
                           language):
    """Both modes in both languages; axe-core checks every page of the tour (the browser fixtures)."""
    phone, staff_phone, paths = people
    mode = ("care" if care else "normal") + ("-en" if language == "en" else "")
    page = open_context(browser).new_page()
    sign_in(page, phone)
    if language == "en":
        choose_english(page)
    if care:
        turn_care_on(page)
        assert page.locator("[data-care-home] a").evaluate_all("links => links.map(a => a.getAttribute('href'))") \
            == ["/member", "/bookings", "/claims/new"]
    back_links = 0
    for name in RESIDENT_PAGES:
        page.goto(paths[name])
        back_links += check_page(page, care, name, screenshot, accessibility_problems, mode=mode)
    assert back_links > 0  # the venue page's "‹ All venues" was measured
    staff = open_context(browser).new_page()
    sign_in(staff, staff_phone)
    assert staff.url.endswith("/scan")  # staff land at the door's scanner
    if language == "en":
        choose_english(staff)
    if care:
        turn_care_on(staff)
    check_page(staff, care, "scan", screenshot, accessibility_problems, mode=mode)


def test_care_mode_follows_the_person(browser, open_context, sign_in, people):
    phone, _, _ = people
    page = open_context(browser).new_page()
    page.goto("/login")
    turn_care_on(page)  # chosen before signing in
    sign_in(page, phone)
    assert page.locator("html.care").count() == 1
    page.locator(".site-header__who button").click()
    page.wait_for_url("**/login")
    assert page.locator("html.care").count() == 1  # signing out changes nothing on screen
    sign_in(page, phone)
    assert page.locator("html.care").count() == 1
    fresh = open_context(browser).new_page()  # another phone: the account remembers
    sign_in(fresh, phone)
    assert fresh.locator("html.care").count() == 1
