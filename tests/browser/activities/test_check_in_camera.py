"""An organiser's phone checks a resident in to a volunteer activity by filming their member QR."""
from datetime import timedelta

import pytest

from points.accounts import members
from points.accounts import operations as accounts
from points.accounts.models import Role, User
from points.earning import activities
from points.earning.models import ActionType, Participation
from points.timeutil import now_utc
from tests.browser.conftest import ARTIFACTS, horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture
def activity(seed):
    """An open activity, its organiser and a resident: {id, organiser_phone, resident_id, code}."""
    with seed() as session:
        organiser = accounts.create_user("13500000002", "李组织", "password1", Role.REVIEWER, "锦湖社区")
        resident = accounts.create_user("13500005678", "王芳", "password1", Role.RESIDENT, "锦湖社区")
        action = ActionType(code="volunteer_clean", name_zh="楼道清扫", name_en="Stairwell cleaning",
                            category="volunteer", points=5, self_claimable=False)
        session.add(action)
        session.flush()
        made = activities.create(organiser, "楼道清扫志愿活动", now_utc(), now_utc() + timedelta(hours=2), "3号楼",
                                 action.id, 5)
        return {"id": made.id, "organiser_phone": organiser.phone, "resident_id": resident.id,
                "code": members.phone_code(resident)}


def test_the_member_qr_filmed_by_the_organiser_checks_the_resident_in(
        camera_showing, open_phone, seed, activity, sign_in):
    page = open_phone(camera_showing(activity["code"]))
    sign_in(page, activity["organiser_phone"])
    page.goto(f"/activities/{activity['id']}/check-in")
    result = page.locator("[data-scanner-result]")
    result.wait_for(state="visible")
    assert result.get_attribute("data-result") == "checked_in"
    assert "王*" in result.inner_text()
    assert page.locator("[data-checked-in-count]").inner_text() == "1"
    assert horizontal_overflow(page) == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "activity-check-in-360.png"))
    with seed() as session:
        participation = session.get(Participation, (activity["id"], activity["resident_id"]))
        assert participation.method == "qr"
        assert session.get(User, participation.checked_in_by).phone == activity["organiser_phone"]


def test_the_member_qr_and_the_printed_card_on_a_phone(phone_page, seed, activity, sign_in, screenshot):
    with seed() as session:
        organiser = session.query(User).filter_by(phone=activity["organiser_phone"]).one()
        members.issue_card(session.get(User, activity["resident_id"]), organiser)
        resident_phone = session.get(User, activity["resident_id"]).phone
    sign_in(phone_page, resident_phone)
    phone_page.goto("/member")
    image = phone_page.locator("[data-member-qr]")
    phone_page.wait_for_function("document.querySelector('[data-member-qr]').naturalWidth > 0")
    assert image.bounding_box()["width"] >= 250  # large enough to scan from a metre
    assert horizontal_overflow(phone_page) == 0
    screenshot(phone_page, "member-qr-360")
    phone_page.context.clear_cookies()
    sign_in(phone_page, activity["organiser_phone"])
    phone_page.goto(f"/people/{activity['resident_id']}/card")
    phone_page.emulate_media(media="print")
    assert phone_page.locator(".site-header").is_hidden()
    screenshot(phone_page, "member-card-print")
