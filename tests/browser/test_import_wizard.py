"""The import wizard at 360 px in Chromium: an admin uploads a spreadsheet large enough to run in the
background, reads the preview, confirms, watches the progress bar fill and reads the summary."""
import pytest

from points.accounts.models import Role
from tests.browser.conftest import horizontal_overflow
from tests.imports.upload_helpers import residents_csv

pytestmark = pytest.mark.browser
ROWS = 25_000  # large enough to be written in the background, behind the progress page

# Every value the progress bar takes, kept across the page's reloads (injected by DevTools, not the page).
RECORD_PROGRESS = """
document.addEventListener("DOMContentLoaded", () => {
  const bar = document.querySelector("progress");
  if (!bar) return;
  const seen = JSON.parse(sessionStorage.getItem("progress") || "[]");
  const keep = () => {
    seen.push([bar.hasAttribute("value") ? bar.value : null, bar.max]);
    sessionStorage.setItem("progress", JSON.stringify(seen));
  };
  keep();
  new MutationObserver(keep).observe(bar, {attributes: true});
});
"""


def test_an_admin_imports_a_large_file_watching_its_progress(live_app, phone_page, live_user, sign_in, screenshot,
                                                            accessibility_problems):
    live_app.config["IMPORT_INLINE_BYTES"] = 1000  # anything larger runs in the background
    phone, _ = live_user(Role.ADMIN, name="街道管理员")
    page = phone_page
    page.context.add_init_script(RECORD_PROGRESS)
    sign_in(page, phone)
    page.goto("/admin/import")
    page.get_by_label("表格文件（Excel .xlsx 或 CSV）").set_input_files(
        files=[{"name": "三月居民名单.csv", "mimeType": "text/csv", "buffer": residents_csv(ROWS, points=5)}])
    page.get_by_role("button", name="检查文件").click()

    page.get_by_role("heading", name="文件已检查：没有问题").wait_for(timeout=60_000)
    assert page.locator("[data-ready]").inner_text() == "25,000"
    assert page.locator(".import-table tbody tr").count() > 0 and "居民2" in page.locator(".import-table").inner_text()
    assert horizontal_overflow(page) == 0
    assert accessibility_problems(page) == []
    screenshot(page, "import-preview-360")

    page.get_by_role("button", name="导入 25,000 位居民").click()
    page.get_by_role("heading", name="正在写入居民").wait_for()
    page.get_by_text("已写入").wait_for()  # the script has asked the server how far it has got
    screenshot(page, "import-progress-360")
    page.get_by_role("heading", name="已导入").wait_for(timeout=60_000)
    assert page.locator("[data-created]").inner_text() == "25,000"
    assert page.locator("[data-opening-points]").inner_text() == "125,000"
    assert page.get_by_role("link", name="在操作记录中查看此次导入").is_visible()
    assert horizontal_overflow(page) == 0
    screenshot(page, "import-summary-360")

    values = [value for value, _most in page.evaluate("JSON.parse(sessionStorage.getItem('progress'))")]
    shown = [value for value in values if value is not None]
    # How many steps the bar takes depends on how fast the machine writes (on a quiet one, a single
    # poll may already find everything written); what it must do is fill, and never go back.
    assert shown and shown == sorted(shown) and shown[-1] == ROWS, f"the bar did not fill steadily: {values}"
