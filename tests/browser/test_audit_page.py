"""The audit log page on a phone: who did what, filtered, at 360 px in Chinese."""
import pytest

from points.accounts import operations as accounts
from points.accounts.models import Role, User
from points.earning import awards
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


def test_an_admin_reads_and_filters_the_audit_log_on_a_phone(phone_page, live_user, seed, sign_in, screenshot,
                                                              accessibility_problems):
    phone, admin = live_user(Role.ADMIN, name="街道管理员")
    _, reviewer = live_user(Role.REVIEWER, name="赵敏")
    _, resident = live_user(name="王芳")
    with seed() as session:
        awards.give(session.get(User, reviewer), session.get(User, resident), 5, "browser:audit",
                    note="连续三个月参加防汛值守，协助社区清理积水")
        accounts.reset_password(session.get(User, resident), "newpassword", actor=session.get(User, admin))
    sign_in(phone_page, phone)
    phone_page.goto("/admin/audit")
    log = phone_page.locator(".audit")
    assert "发放积分 · 对象：王芳" in log.inner_text() and "重置密码" in log.inner_text()
    phone_page.get_by_label("事项").select_option("award.posted")
    phone_page.get_by_role("button", name="查看").click()
    assert "重置密码" not in log.inner_text() and "发放积分" in log.inner_text()
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, "audit-360")
