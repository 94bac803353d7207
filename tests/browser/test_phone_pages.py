"""Real pages in Debian's Chromium at 360 px wide: in Chinese, no sideways scrolling, no serious
accessibility problems. Screenshots go to tests/artifacts/ for people to look at."""
import pytest

from points import ledger
from points.accounts.models import Role, User
from points.earning import awards
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


def test_resident_sees_balance_in_chinese_on_a_phone(phone_page, live_user, seed, sign_in, screenshot,
                                                       accessibility_problems):
    phone, user_id = live_user(name="王芳")
    with seed():
        ledger.award(user_id, 1250, "browser:1", ledger.Memo(reason="参加社区环境整治"))
        ledger.deduct(user_id, 20, "browser:2", ledger.Memo(reason="不文明养犬"))
    sign_in(phone_page, phone)
    assert "可用积分" in phone_page.locator(".balance").inner_text()
    assert phone_page.locator("[data-available]").inner_text() == "1,230"
    assert "参加社区环境整治" in phone_page.locator(".history").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, "resident-home-360")


@pytest.mark.parametrize("path, name", [("/login", "login"), ("/register", "register")])
def test_signed_out_pages_fit_a_phone(phone_page, live_user, screenshot, accessibility_problems, path, name):
    live_user()  # a community to choose when registering
    phone_page.goto(path)
    assert phone_page.locator("html").get_attribute("lang") == "zh-CN"
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, f"{name}-360")


def test_admin_searches_on_a_phone(phone_page, live_user, sign_in, screenshot, accessibility_problems):
    live_user(name="王芳")
    live_user(name="王强", community="午山社区")
    phone, _ = live_user(Role.ADMIN, name="街道管理员")
    sign_in(phone_page, phone)
    assert phone_page.url.endswith("/admin")
    phone_page.get_by_label("姓名或手机号码").fill("王")
    phone_page.get_by_role("button", name="搜索").click()
    assert phone_page.get_by_text("找到 2 人。").is_visible()
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, "admin-home-360")


@pytest.mark.parametrize("path, name", [("/admin/award-requests", "approvals"), ("/admin/users", "users"),
                                        ("/admin/users/new", "user-new")])
def test_admin_pages_fit_a_phone(phone_page, live_user, seed, sign_in, screenshot, accessibility_problems,
                                 path, name):
    phone, _ = live_user(Role.ADMIN, name="街道管理员")
    _, resident = live_user(name="王芳")
    _, requester = live_user(Role.ADMIN, name="另一位管理员")
    with seed() as session:
        awards.give(session.get(User, requester), session.get(User, resident), 80, "browser:big",
                    note="连续三个月参加防汛值守")
    sign_in(phone_page, phone)
    phone_page.goto(path)
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, f"{name}-360")


def test_award_through_the_form_then_read_it_in_english(phone_page, live_user, sign_in, screenshot,
                                                        accessibility_problems):
    live_user(name="王芳")
    phone, _ = live_user(Role.ADMIN | Role.RESIDENT, name="街道管理员")
    sign_in(phone_page, phone)
    phone_page.goto("/admin?q=王芳")
    phone_page.get_by_role("link", name="王芳").click()
    phone_page.get_by_label("积分", exact=True).fill("10")
    phone_page.get_by_label("理由").fill("帮助邻居搬家")
    phone_page.get_by_role("button", name="确认").click()
    assert phone_page.get_by_text("已奖励王芳 10 积分。").is_visible()
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, "admin-resident-360")
    phone_page.get_by_role("button", name="English").click()
    assert phone_page.locator("html").get_attribute("lang") == "en"
    assert phone_page.get_by_text("Available points").is_visible()
    assert horizontal_overflow(phone_page) == 0
    screenshot(phone_page, "admin-resident-en-360")
