"""The staff scanner in a real browser: a fake camera films the ticket, jsQR decodes it in the page,
the server checks it in, and the phone shows a result anyone can read from a metre away."""
import io
from datetime import timedelta

import pytest
import qrcode
from sqlalchemy import func, select

from points import ledger
from points.accounts import members
from points.accounts import operations as accounts
from points.accounts.models import Role, User
from points.households import operations as households
from points.redemption import checkin
from points.redemption.models import Scan, Venue
from points.redemption.times import day_bounds, local_day
from points.timeutil import now_utc
from tests.browser.conftest import ARTIFACTS, horizontal_overflow
from tests.scan.door import booked_ticket

pytestmark = pytest.mark.browser
RESULT = "[data-scanner-result]"
RED, CALM_BLUE = "rgb(180, 35, 24)", "rgb(20, 85, 165)"  # --door-bad and --door-confirm in scan.css


def a_ticket(seed, door, used_by=None):
    """(ticket code, short code) of a booking for a session happening now; `used_by`: the phone of the
    staff member who checked it in just now (else it is not checked in yet)."""
    with seed() as session:
        booking = booked_ticket(session.get(Venue, door["venue_id"]), session.get(User, door["resident_id"]),
                                starts_in=started_today())
        if used_by:
            staff = session.scalars(select(User).where(User.phone == used_by)).one()
            checkin.check_in(staff, booking.ticket_code, door["venue_id"], "earlier-scan")
        return booking.ticket_code, booking.short_code


def started_today():
    """Ten minutes ago, or just after midnight when that was yesterday in Beijing (the today page shows it)."""
    now = now_utc()
    midnight, _ = day_bounds(local_day(now))
    return max(now - timedelta(minutes=10), midnight + timedelta(seconds=1)) - now


def scans_logged(seed):
    with seed() as session:
        return session.scalar(select(func.count()).select_from(Scan))


def background(locator):
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


def on_screen(page, name):
    """What the phone's screen shows (the result covers the screen, not the whole page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def open_scanner(page, sign_in, door, path="/scan"):
    sign_in(page, door["staff_phone"])
    page.goto(path)


def test_a_ticket_held_to_the_camera_turns_green_and_stays_green(camera_showing, open_phone, seed, door, sign_in,
                                                                 screenshot, accessibility_problems):
    code, _ = a_ticket(seed, door)
    page = open_phone(camera_showing(code))
    open_scanner(page, sign_in, door)
    result = page.locator(f'{RESULT}[data-result="ok"]')
    result.wait_for()
    assert "张**" in result.inner_text()
    on_screen(page, "scanner-ok-360")
    page.wait_for_timeout(3000)  # the ticket is still in front of the camera all this time
    assert page.locator(RESULT).get_attribute("data-result") == "ok"
    assert scans_logged(seed) == 1  # seen many times, sent once
    assert accessibility_problems(page) == []
    page.goto("/scan/today")
    assert page.locator("[data-checked-in]").first.inner_text() == "1"
    assert "张** · 1234" in page.locator(".today-person.is-in").inner_text()
    assert accessibility_problems(page) == []
    screenshot(page, "scan-today-360")


def test_a_ticket_a_colleague_used_turns_red_with_when_and_by_whom(camera_showing, open_phone, seed, door,
                                                                    sign_in, screenshot):
    code, _ = a_ticket(seed, door, used_by=door["colleague_phone"])
    page = open_phone(camera_showing(code))
    open_scanner(page, sign_in, door)
    result = page.locator(f'{RESULT}[data-result="already_used"]')
    result.wait_for()
    assert result.get_attribute("data-tone") == "bad" and background(result) == RED
    assert "王*" in result.inner_text() and "秒钟前" in result.inner_text()  # by whom, "… seconds ago"
    on_screen(page, "scanner-already-used-360")
    result.click()  # a tap clears the screen for the next person...
    assert page.locator(RESULT).is_hidden()
    page.wait_for_timeout(1000)
    assert page.locator(RESULT).is_hidden()  # ...and the ticket still in view is not scanned again
    assert page.locator(".scanner").get_attribute("data-camera") == "live"
    screenshot(page, "scanner-live-360")


def test_after_a_reload_the_same_ticket_is_a_calm_confirmation_not_red(camera_showing, open_phone, seed, door,
                                                                       sign_in, accessibility_problems):
    """A ticket held in front of the camera never turns red after turning green, even when
    the staff member reloads the page with the ticket still in view."""
    code, _ = a_ticket(seed, door)
    page = open_phone(camera_showing(code))
    open_scanner(page, sign_in, door)
    page.locator(f'{RESULT}[data-result="ok"]').wait_for()
    page.reload()
    result = page.locator(f'{RESULT}[data-result="already_used"]')
    result.wait_for()
    assert result.get_attribute("data-tone") == "confirm" and background(result) == CALM_BLUE
    assert result.locator(".scan-result__mark").inner_text() == "✓" and "郑*" not in result.inner_text()
    assert "张**" in result.inner_text() and "秒钟前" in result.inner_text()  # who came in, "… seconds ago"
    on_screen(page, "scanner-just-checked-in-by-you-360")
    assert scans_logged(seed) == 2  # the first scan, and the one after the reload
    assert accessibility_problems(page) == []


def test_typing_or_photographing_your_own_ticket_again_confirms_it_calmly(browser, open_phone, seed, door, sign_in):
    code, short = a_ticket(seed, door, used_by=door["staff_phone"])
    page = open_phone(browser)  # no camera: the typed code and the photo are the ways in
    open_scanner(page, sign_in, door)
    page.locator("#code").fill(short)
    page.locator("[data-scanner-manual] button[type=submit]").click()
    result = page.locator(f'{RESULT}[data-result="already_used"]')
    result.wait_for()
    assert result.get_attribute("data-tone") == "confirm"
    result.click()
    photo = io.BytesIO()
    qrcode.make(code, border=4).save(photo, "PNG")
    page.locator("input[type=file][data-scanner-photo]").set_input_files(
        files=[{"name": "ticket.png", "mimeType": "image/png", "buffer": photo.getvalue()}])
    result.wait_for()
    assert result.get_attribute("data-tone") == "confirm" and background(result) == CALM_BLUE


def test_without_a_camera_the_page_points_to_typing_and_photos(browser, open_phone, seed, door, sign_in,
                                                               screenshot, accessibility_problems):
    """A browser with no camera; the typed code's first answer is lost on the way back, and the retry
    (same nonce) still says ok, not already_used."""
    _, short = a_ticket(seed, door)
    page = open_phone(browser)
    open_scanner(page, sign_in, door)
    problem = page.locator("[data-scanner-status].is-problem")
    problem.wait_for()
    assert problem.is_visible() and page.locator(".viewfinder").is_hidden()
    assert horizontal_overflow(page) == 0
    assert accessibility_problems(page) == []
    screenshot(page, "scanner-no-camera-360")

    nonces = []

    def lose_first_answer(route):
        nonces.append(route.request.post_data_json["nonce"])
        route.fetch()  # the server checks the ticket in...
        if len(nonces) == 1:
            route.abort("connectionreset")  # ...but the phone never hears back
        else:
            route.continue_()

    page.route("**/scan/check", lose_first_answer)
    page.locator("#code").fill(f"{short[:4].lower()}-{short[4:]}")
    page.locator("[data-scanner-manual] button[type=submit]").click()
    page.locator(f'{RESULT}[data-result="ok"]').wait_for()
    assert len(nonces) == 2 and nonces[0] == nonces[1]
    assert scans_logged(seed) == 1


def test_a_refused_camera_permission_is_explained(camera_showing, open_phone, seed, door, sign_in):
    page = open_phone(camera_showing("T1.unused", allowed=False))
    open_scanner(page, sign_in, door)
    problem = page.locator("[data-scanner-status].is-problem")
    problem.wait_for()
    assert problem.inner_text() == page.locator("[data-scanner]").get_attribute("data-msg-denied")


def test_a_photo_of_the_ticket_is_read_on_the_server(browser, open_phone, seed, door, sign_in, screenshot):
    code, _ = a_ticket(seed, door)
    photo = io.BytesIO()
    qrcode.make(code, border=4).save(photo, "PNG")
    page = open_phone(browser)
    open_scanner(page, sign_in, door)
    page.locator("input[type=file][data-scanner-photo]").set_input_files(
        files=[{"name": "ticket.png", "mimeType": "image/png", "buffer": photo.getvalue()}])
    page.locator(f'{RESULT}[data-result="ok"]').wait_for()
    on_screen(page, "scanner-photo-ok-360")


def test_a_walk_in_shows_the_new_balance(camera_showing, open_phone, seed, door, sign_in, screenshot,
                                         accessibility_problems):
    with seed() as session:
        ledger.award(door["resident_id"], 30, "browser:walk-in")
        code = members.phone_code(session.get(User, door["resident_id"]))
    page = open_phone(camera_showing(code))
    open_scanner(page, sign_in, door, "/scan/walk-in")
    page.locator(f'{RESULT}[data-result="member"]').wait_for()
    assert "张** · 1234" in page.locator("[data-member-name]").inner_text()
    page.locator("input[name=offering]").first.check()
    assert accessibility_problems(page) == []
    screenshot(page, "walk-in-member-360")
    page.locator("[data-walk-in-form] button[type=submit]").click()
    assert page.locator("[data-balance]").inner_text() == "20"
    assert horizontal_overflow(page) == 0
    assert accessibility_problems(page) == []
    screenshot(page, "walk-in-done-360")


def test_a_household_card_at_the_camera_offers_its_members_and_the_chosen_one_pays(
        camera_showing, open_phone, seed, door, sign_in, screenshot, accessibility_problems):
    with seed() as session:
        resident = session.get(User, door["resident_id"])
        son = accounts.create_user("13500005678", "李明", "password1", Role.RESIDENT, "锦湖社区")
        admin = accounts.create_user("13500009999", "管理员", "password1", Role.ADMIN)
        household = households.create(admin, resident)
        households.add_member(admin, household, son)
        ledger.award(son.id, 30, "browser:household-walk-in")
        code, son_id = members.issue_card(household, admin).code, son.id
    page = open_phone(camera_showing(code))
    open_scanner(page, sign_in, door, "/scan/walk-in")
    page.locator(f'{RESULT}[data-result="household"]').wait_for()
    assert page.locator("[data-member-name]").inner_text() == "张**的家庭"
    page.get_by_label("李* · 5678").check()
    page.locator("input[name=offering]").first.check()
    assert accessibility_problems(page) == []
    screenshot(page, "walk-in-household-360")
    page.locator("[data-walk-in-form] button[type=submit]").click()
    assert page.locator("[data-balance]").inner_text() == "20"
    with seed():
        assert ledger.balance(son_id).available == 20 and ledger.balance(door["resident_id"]).available == 0

