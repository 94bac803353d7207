"""At 360 px in Chromium: a resident claims with a photo (shrunk in the browser), a reviewer approves
it from the queue, the resident's balance shows it, and the board lists it under a masked name.
Screenshots of the claim form, the queue and the board go to tests/artifacts/."""
import io

import pytest
from PIL import Image
from sqlalchemy import select

from points import ledger
from points.accounts.models import Role
from points.earning.models import ActionType, Blob, Unit
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture
def stairwell(seed):
    with seed() as session:
        action = ActionType(code="stairwell_clean", name_zh="清扫楼道", name_en="Cleaning a stairwell",
                            category="environment", points=3, unit=Unit.TIME, daily_cap=6, monthly_cap=60,
                            evidence_required=True, self_claimable=True)
        session.add(action)
        session.flush()
        return action.id


@pytest.fixture
def camera_photo(tmp_path):
    """A 3000×2000 JPEG, as a phone camera would take it."""
    path = tmp_path / "IMG_2041.jpg"
    Image.new("RGB", (3000, 2000), (120, 140, 160)).save(path, "JPEG", quality=95)
    return path


def test_claim_approve_and_see_the_points(browser, open_context, phone_page, live_user, stairwell, camera_photo,
                                          sign_in, screenshot, accessibility_problems, seed):
    resident_phone, _ = live_user(name="张桂兰")
    reviewer_phone, _ = live_user(Role.REVIEWER, name="赵敏")

    page = phone_page
    sign_in(page, resident_phone)
    page.goto("/claims/new")
    page.select_option("select[name=action_type]", str(stairwell))
    page.fill("textarea[name=note]", "清扫5号楼楼道")
    page.set_input_files("input[name=photos]", str(camera_photo))
    page.locator("[data-previews] img").wait_for()
    shrunk = page.evaluate("""() => { const f = document.querySelector('input[name=photos]').files[0];
                                      return {type: f.type, size: f.size}; }""")
    assert shrunk["type"] == "image/jpeg" and shrunk["size"] < camera_photo.stat().st_size
    assert horizontal_overflow(page) == 0
    assert accessibility_problems(page) == []
    screenshot(page, "claim-form-360")
    page.locator("[data-submit]").click()
    page.wait_for_url("**/claims")
    assert page.locator("[data-status=pending]").count() == 1
    with seed() as session:
        (stored,) = session.scalars(select(Blob.data))
    assert max(Image.open(io.BytesIO(stored)).size) == 1600

    queue = open_context(browser).new_page()
    sign_in(queue, reviewer_phone)
    queue.goto("/review")
    photo = queue.locator(".claim-photos img")
    assert photo.count() == 1
    photo.scroll_into_view_if_needed()  # it loads lazily, when the reviewer scrolls to it
    queue.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert horizontal_overflow(queue) == 0
    assert accessibility_problems(queue) == []
    screenshot(queue, "review-queue-360")
    queue.locator("button[name=approve_one]").click()
    queue.wait_for_url("**/review")
    assert queue.locator(".flash--success").is_visible()
    queue.goto("/review?status=approved")
    assert "赵敏" in queue.locator("[data-claim]").inner_text()

    page.goto("/")
    assert page.locator("[data-available]").inner_text() == "3"
    page.goto("/claims")
    assert page.locator("[data-status=approved]").count() == 1
    page.goto("/board")
    board = page.locator("main").inner_text()
    assert "张**" in board and "张桂兰" not in board and resident_phone not in board
    assert horizontal_overflow(page) == 0
    assert accessibility_problems(page) == []
    screenshot(page, "points-board-360")


def test_the_print_notice_is_plain_a4(phone_page, live_user, seed, sign_in, screenshot):
    phone, user_id = live_user(name="欧阳明")
    with seed():
        ledger.award(user_id, 10, "board:1", ledger.Memo(reason="清扫楼道"))
    sign_in(phone_page, phone)
    phone_page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    phone_page.goto("/board/print")
    assert phone_page.locator("[data-print]").is_visible()  # shown by the script, for a tap on a phone
    phone_page.emulate_media(media="print")
    assert not phone_page.locator("[data-print]").is_visible()
    text = phone_page.locator("body").inner_text()
    assert "欧**" in text and "欧阳明" not in text and phone not in text
    screenshot(phone_page, "points-board-print")


@pytest.mark.parametrize("roles, path, name", [
    (Role.RESIDENT, "/claims", "my-claims"),
    (Role.REVIEWER, "/review/residents?q=张", "act-for"),
    (Role.REVIEWER, "/review/residents/new", "resident-new"),
    (Role.ADMIN, "/admin/actions", "catalogue"),
    (Role.ADMIN, "/admin/actions/new", "action-new"),
])
def test_earning_pages_fit_a_phone(phone_page, live_user, stairwell, sign_in, screenshot, accessibility_problems,
                                   roles, path, name):
    live_user(name="张桂兰")
    phone, _ = live_user(roles, name="赵敏")
    sign_in(phone_page, phone)
    phone_page.goto(path)
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, f"{name}-360")
