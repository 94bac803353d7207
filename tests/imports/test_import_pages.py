"""The import wizard's pages: upload, preview with problems marked, confirm, summary, failed rows' CSV."""
import csv
import io
import re

import pytest
from flask_babel import refresh

from points.accounts.models import Role
from points.web.imports import progress_text
from tests.imports.upload_helpers import phones_in, residents_csv, residents_with, wait_until_over

@pytest.fixture
def admin(make_user, login):
    user = make_user(Role.ADMIN, name="街道管理员")
    login(user)
    return user

def upload(client, content, name="居民名单.csv", **fields):
    return client.post("/admin/import", data={"file": (io.BytesIO(content), name), **fields},
                       content_type="multipart/form-data")

def batch_page(client, response):
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    return location, client.get(location).get_data(as_text=True)

def test_an_admin_previews_confirms_and_reads_the_summary(client, admin):
    content = residents_csv(3, points=12)
    location, page = batch_page(client, upload(client, content))
    assert "已检查，等待您确认" in page or "等待您确认" in page
    assert re.search(r'data-ready="3"', page) and "居民2" in page and "导入 3 位居民" in page
    assert residents_with(phones_in(content)) == 0
    _, summary = batch_page(client, client.post(location + "/commit"))
    assert 'data-created="3"' in summary and 'data-opening-points="36"' in summary
    assert "/admin/audit?action=import" in summary and residents_with(phones_in(content)) == 3

def test_problems_are_marked_in_the_preview_and_listed_and_nothing_is_written(client, admin):
    content = residents_csv(3, bad_phone_on=3)
    _, page = batch_page(client, upload(client, content))
    assert "未写入任何内容" in page
    assert re.search(r'<td class="has-problem" data-problem>1234<span class="problem-mark">问题：', page)
    assert "第 3 行，「手机号」列" in page and "导入 " not in page.split("未写入任何内容")[1].split("</section>")[0]
    assert "下载有问题的行" in page and residents_with(phones_in(content)) == 0

def test_the_failed_rows_download_opens_as_csv_with_chinese_and_what_is_wrong(client, admin):
    location, _ = batch_page(client, upload(client, residents_csv(3, bad_phone_on=3)))
    response = client.get(location + "/failed.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:3] == ["姓名", "手机号", "社区"]
    assert rows[1][:3] == ["居民3", "1234", "锦湖社区"] and "手机号" in rows[1][-1] and len(rows) == 2

def test_a_file_imported_before_is_said_so_in_the_preview(client, admin):
    content = residents_csv(2)
    location, _ = batch_page(client, upload(client, content))
    client.post(location + "/commit")
    _, again = batch_page(client, upload(client, content))
    assert "此文件已于" in again and 'data-skipped="2"' in again

def test_a_large_file_shows_its_progress_bar_then_the_preview(app, client, admin):
    app.config["IMPORT_INLINE_BYTES"] = 100
    location, page = batch_page(client, upload(client, residents_csv(800)))
    progress_url = location + "/progress"
    if "<progress" not in page:  # the check may already be over: then the preview shows
        assert 'data-ready="800"' in page
    else:
        assert f'data-import-progress="{progress_url}"' in page and "imports/progress.js" in page
        assert '<meta http-equiv="refresh"' in page  # inside <noscript>: without the script the page reloads
    state = wait_until_over(lambda: client.get(progress_url).get_json())
    assert state["status"] == "checked" and state["running"] is False
    assert 'data-ready="800"' in client.get(location).get_data(as_text=True)

def test_the_progress_text_counts_rows_in_the_readers_language(app):

    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert progress_text("checking", 1200, 50000) == "已检查 1,200 / 50,000 行"
        assert progress_text("writing", 10, 20) == "已写入 10 / 20 行"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()  # the locale is kept on `g`, which lives as long as the test's app context
        assert progress_text("checking", 1200, 50000) == "Checked 1,200 of 50,000 rows"

def test_the_upload_page_lists_recent_imports_and_asks_for_a_file(client, admin):
    batch_page(client, upload(client, residents_csv(1), name="三月名单.csv"))
    page = client.get("/admin/import").get_data(as_text=True)
    assert "三月名单.csv" in page and 'aria-current="page">导入<' in page
    response = client.post("/admin/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "请选择要导入的文件" in response.get_data(as_text=True)

def test_only_admins_see_the_import_pages(client, make_user, login):
    login(make_user(Role.REVIEWER))
    assert client.get("/admin/import").status_code == 403
    assert client.get("/admin/import/1").status_code == 403

def test_an_unknown_batch_is_not_found(client, admin):
    assert client.get("/admin/import/424242").status_code == 404


def test_the_sample_spreadsheet_can_be_downloaded(client, admin):
    assert "/admin/import/sample.xlsx" in client.get("/admin/import").get_data(as_text=True)
    with client.get("/admin/import/sample.xlsx") as workbook:
        assert workbook.status_code == 200 and workbook.get_data().startswith(b"PK")
    with client.get("/admin/import/sample.csv") as sheet:
        assert sheet.get_data().decode("gb18030").startswith("姓名")
    assert client.get("/admin/import/sample.exe").status_code == 404
