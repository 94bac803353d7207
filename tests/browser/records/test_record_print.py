"""A resident makes their service record on a 360 px phone, prints it to PDF (one A4 page with their name,
the period, the totals and the code), and anyone checks the code at /verify. PDFs go to tests/artifacts/."""
from datetime import timedelta

import pytest
from babel.dates import format_date

from points.accounts.models import Role, User
from points.earning import claims
from points.earning.models import ActionType, Unit
from points.expiry.operations import today
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser
TYPICAL = 14  # actions on a typical record: a fortnight of volunteering


@pytest.fixture
def volunteer(live_user, seed):
    """A resident with TYPICAL approved claims, one a day, an hour each at 2 points: (phone, first, last day)."""
    phone, user_id = live_user(name="张桂兰")
    _, reviewer_id = live_user(Role.REVIEWER, name="赵敏")
    with seed() as session:
        action = ActionType(code="elder_visit", name_zh="看望独居老人", name_en="Visiting an elder living alone",
                            category="volunteer", points=2, unit=Unit.HOUR, daily_cap=None, monthly_cap=None,
                            evidence_required=False, self_claimable=True)
        session.add(action)
        session.flush()
        resident, reviewer = session.get(User, user_id), session.get(User, reviewer_id)
        for days_ago in range(TYPICAL):
            claim = claims.submit(resident, resident, action.id, today() - timedelta(days=days_ago), 1)
            claims.approve(reviewer, claim)
        last = today()
    return phone, last - timedelta(days=TYPICAL), last


@pytest.fixture
def my_record(phone_page, sign_in, volunteer):
    """Signed in as the volunteer, the record made from the form: the page shows it."""
    phone, first, last = volunteer
    sign_in(phone_page, phone)
    phone_page.goto("/")
    phone_page.get_by_role("link", name="我的志愿服务记录证明（可打印）").click()
    phone_page.get_by_label("开始日期").fill(first.isoformat())
    phone_page.get_by_role("button", name="开具证明").click()
    phone_page.wait_for_url("**/me/record/*")
    return phone_page, first, last


def test_the_record_fits_a_phone_and_passes_axe(my_record, accessibility_problems, screenshot):
    page, *_ = my_record
    assert page.locator("[data-total=points]").inner_text() == str(2 * TYPICAL)
    assert horizontal_overflow(page) == 0
    assert accessibility_problems(page) == []
    screenshot(page, "service-record-360")


def test_the_record_prints_on_one_a4_page(my_record, printed_text):
    page, first, last = my_record
    code = page.locator("[data-code]").inner_text()
    text = printed_text(page, name="service-record")
    assert text.pages == 1
    flat = " ".join(text.split())
    assert "志愿服务记录证明" in flat and "张桂兰" in flat and code in flat
    assert format_date(first, "medium", locale="zh_CN") in flat and format_date(last, "medium", locale="zh_CN") in flat
    assert f"服务次数 服务时长（小时） 获得积分 {TYPICAL} {TYPICAL} {2 * TYPICAL}" in flat
    assert "返回证明列表" not in text and "退出" not in text


def test_anyone_checks_the_code_and_sees_a_masked_name(my_record, browser, open_context, accessibility_problems,
                                                        screenshot):
    page, *_ = my_record
    code = page.locator("[data-code]").inner_text()
    check = open_context(browser, is_mobile=False, has_touch=False, device_scale_factor=1).new_page()
    check.goto(f"/verify/{code}")
    assert check.locator("[data-holder]").inner_text() == "张**"
    assert check.locator("[data-total=points]").inner_text() == str(2 * TYPICAL)
    assert accessibility_problems(check) == []
    screenshot(check, "service-record-verify-360")
    assert check.goto("/verify/not-a-code-of-ours").status == 404
    assert "此验证码不是本平台开具的证明" in check.locator("main").inner_text()
    assert accessibility_problems(check) == []
