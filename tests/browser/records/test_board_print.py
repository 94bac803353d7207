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
    flat = " ".join(text.split())
    assert "文明积分公示" in flat and "锦湖社区" in flat
    assert "共向 1 位居民发放 12 积分" in flat and "欧** +12 清扫楼道" in flat
    assert "欧阳明" not in text and "返回积分公示" not in text
