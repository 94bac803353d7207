"""Exports in Chromium: the download beside a list gives the file; the exports page at 360 px, and a
background export whose progress the page follows until its download appears."""
import io
from pathlib import Path

import openpyxl
import pytest

from points.accounts.models import Role, User
from points.earning import awards
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture
def office(live_user, seed):
    """An admin's phone number, with a resident of 锦湖社区 awarded once."""
    phone, admin = live_user(Role.ADMIN, name="街道管理员")
    _, resident = live_user(name="王芳")
    with seed() as session:
        awards.give(session.get(User, admin), session.get(User, resident), 5, "browser:exports", note="清理楼道")
    return phone


def test_the_download_beside_the_residents_list_gives_a_workbook(phone_page, office, sign_in):
    sign_in(phone_page, office)
    phone_page.goto("/admin")
    with phone_page.expect_download() as downloading:
        phone_page.get_by_role("link", name="下载居民及积分").click()
    download = downloading.value
    assert download.suggested_filename.startswith("residents_") and download.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True).worksheets[0]
    assert "王芳" in [row[1] for row in sheet.iter_rows(values_only=True)]


def test_a_background_export_shows_its_progress_then_its_download(phone_page, office, sign_in, screenshot,
                                                                 accessibility_problems):
    sign_in(phone_page, office)
    phone_page.goto("/admin/exports")
    phone_page.get_by_label("名单").select_option("transfers")
    phone_page.get_by_label("CSV（Excel 和其他程序都能打开）").check()
    phone_page.get_by_label("在后台准备，在这里保留一周").check()
    phone_page.get_by_role("button", name="导出").click()
    download_link = phone_page.get_by_role("link", name="下载")
    download_link.wait_for()  # the page's script reloads it once the export is ready
    with phone_page.expect_download() as downloading:
        download_link.click()
    text = Path(downloading.value.path()).read_text(encoding="utf-8-sig")
    assert "王芳" in text and "清理楼道" in text
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, "exports-360")
