"""The community board's notice, printed to PDF by Chromium: one A4 sheet with its title and figures."""
import pytest

from points import ledger

pytestmark = pytest.mark.browser


def test_the_board_prints_its_title_and_figures(phone_page, live_user, seed, sign_in, printed_text):
    phone, user_id = live_user(name="欧阳明")
    with seed():
        ledger.award(user_id, 12, "board-print:1", ledger.Memo(reason="清扫楼道"))
    sign_in(phone_page, phone)
    phone_page.goto("/board/print")
    text = printed_text(phone_page, name="board-print")
    assert text.pages == 1
    assert "文明积分公示" in text or "积分公示" in text
    assert "欧**" in text and "清扫楼道" in text and "12" in text
    assert "欧阳明" not in text and "打印" not in text.split("\n")[0]
