"""At 360 px in Chromium: a reviewer rejects two ticked claims; the app asks first, with the count,
whose claims they are and the reason, and only the confirmation rejects them."""
import pytest
from sqlalchemy import select

from points.accounts.models import Role, User
from points.earning import claims
from points.earning.models import ActionType, Claim, ClaimStatus, Unit
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture
def two_claims(seed, live_user):
    """Two residents' pending claims of 清扫楼道."""
    people = [live_user(name=name)[1] for name in ("张桂兰", "刘德华")]
    with seed() as session:
        action = ActionType(code="stairs", name_zh="清扫楼道", name_en="Cleaning the stairs", category="environment",
                            points=3, unit=Unit.TIME, evidence_required=False, self_claimable=True)
        session.add(action)
        session.flush()
        for person in people:
            resident = session.get(User, person)
            claims.submit(resident, resident, action.id, claims.local_today(), 1, "", [])
    return people


def statuses(seed):
    with seed() as session:
        return sorted(session.scalars(select(Claim.status)))


def test_rejecting_ticked_claims_asks_first_and_then_rejects_them(phone_page, live_user, two_claims, sign_in, seed,
                                                                 screenshot, accessibility_problems):
    reviewer_phone, _ = live_user(Role.REVIEWER, name="赵敏")
    page = phone_page
    sign_in(page, reviewer_phone)
    page.goto("/review")
    for box in page.locator("input[name=claim_ids]").all():
        box.check()
    page.locator("#bulk-reason").fill("照片看不清")
    page.get_by_role("button", name="全部驳回").click()
    page.locator("[data-reject-confirm]").wait_for()
    heading = page.locator("#reject-title").inner_text()
    assert "2" in heading and "张桂兰" in page.locator("main").inner_text()
    assert page.locator("#confirm-reason").input_value() == "照片看不清"
    assert statuses(seed) == [ClaimStatus.PENDING] * 2  # asking decides nothing
    assert horizontal_overflow(page) == 0
    assert accessibility_problems(page) == []
    screenshot(page, "review-reject-confirm-360")
    page.locator("[data-confirm-reject]").click()
    page.wait_for_url("**/review**")
    assert statuses(seed) == [ClaimStatus.REJECTED] * 2
