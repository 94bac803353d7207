"""The public points board (积分公示): masked names only, the month's awards with reasons, a ranking."""
import re

import pytest
from freezegun import freeze_time

from points import ledger
from points.accounts.models import Role, mask_name
from points.earning import board
from points.extensions import db

PHONE_DIGITS = re.compile(r"1[3-9]\d{9}")


@pytest.fixture
def neighbours(make_user):
    """Three residents of 锦湖社区 with awards this month, and one of 午山社区."""
    people = {name: make_user(name=name) for name in ("张桂兰", "欧阳明华", "刘德华")}
    people["陈淑芬"] = make_user(name="陈淑芬", community="午山社区")
    return people


def award(user, points, reason, key):
    record = ledger.award(user.id, points, key, ledger.Memo(reason=reason, category="environment"))
    db.session.commit()
    return record


def test_the_board_shows_masked_names_points_and_reasons(client, make_user, neighbours, login, page):
    zhang = neighbours["张桂兰"]
    award(zhang, 10, f"张桂兰清扫楼道，联系电话{zhang.phone}", "b1")
    award(neighbours["欧阳明华"], 5, "陪独居老人就医", "b2")
    login(make_user(Role.STAFF, name="值班员"))  # the header shows the reader's own name
    status, html = page("/board")
    assert status == 200
    assert "张**" in html and mask_name("欧阳明华") in html and "陪独居老人就医" in html
    assert "清扫楼道" in html and "+10" in html
    for person in neighbours.values():
        assert person.name not in html
        assert person.phone not in html
    assert not PHONE_DIGITS.search(html)
    assert "陈淑芬" not in html and "陈**" not in html  # another community


def test_deductions_show_and_corrected_mistakes_leave(client, neighbours, login, page):
    liu = neighbours["刘德华"]
    award(liu, 8, "垃圾分类督导", "c1")
    ledger.deduct(liu.id, 5, "c2", ledger.Memo(reason="高空抛物"))
    wrong = award(liu, 3, "记错了的奖励", "c3")
    ledger.reverse(wrong.id, "c4", ledger.Memo(reason="更正"))
    db.session.commit()
    login(liu)
    html = page("/board")[1]
    assert "高空抛物" in html and "\u22125" in html
    assert "记错了的奖励" not in html


def test_the_ranking_is_by_points_earned_in_total_with_shared_places(app, neighbours):
    award(neighbours["张桂兰"], 10, "a", "r1")
    award(neighbours["欧阳明华"], 10, "b", "r2")
    award(neighbours["刘德华"], 4, "c", "r3")
    award(neighbours["陈淑芬"], 50, "elsewhere", "r4")
    community = neighbours["张桂兰"].community
    ranks = [(r.place, r.name, r.earned_total) for r in board.ranking(community)]
    assert ranks == [(1, "张**", 10), (1, mask_name("欧阳明华"), 10), (3, "刘**", 4)]


def test_spending_does_not_lower_a_place(app, neighbours):
    zhang = neighbours["张桂兰"]
    award(zhang, 10, "a", "s1")
    ledger.deduct(zhang.id, 10, "s2", ledger.Memo(reason="扣分"))
    db.session.commit()
    assert board.ranking(zhang.community)[0].earned_total == 10


def test_months_follow_the_schemes_time_zone(client, neighbours, login, page):
    zhang = neighbours["张桂兰"]
    with freeze_time("2026-10-31 17:30:00"):  # 01:30 on 1 November in Shanghai
        award(zhang, 7, "十一月的第一件好事", "t1")
    with freeze_time("2026-10-31 15:30:00"):  # 23:30 on 31 October in Shanghai
        award(zhang, 2, "十月的最后一件好事", "t2")
    login(zhang)
    with freeze_time("2026-11-20 04:00:00"):
        november = page("/board?month=2026-11")[1]
        october = page("/board?month=2026-10")[1]
    assert "十一月的第一件好事" in november and "十月的最后一件好事" not in november
    assert "十月的最后一件好事" in october and "十一月的第一件好事" not in october


def test_the_print_view_is_an_a4_notice_without_full_names(client, neighbours, login, page):
    zhang = neighbours["张桂兰"]
    award(zhang, 10, "张桂兰清扫楼道", "p1")
    login(zhang)
    community = zhang.community.id
    status, html = page(f"/board/print?community={community}")
    assert status == 200 and "board-print.css" in html and "app.css" not in html
    assert "张**" in html and "张桂兰" not in html and zhang.phone not in html
    assert "锦湖社区" in html and "棘洪滩街道" in html


def test_the_board_needs_signing_in_unless_made_public(app, client, neighbours):
    award(neighbours["张桂兰"], 10, "清扫楼道", "q1")
    for path in ("/board", "/board/print"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    app.config["BOARD_PUBLIC"] = True
    community = neighbours["张桂兰"].community.id
    html = client.get(f"/board?community={community}").get_data(as_text=True)
    assert "张**" in html and "张桂兰" not in html and not PHONE_DIGITS.search(html)


@pytest.mark.parametrize("query, status", [
    ("month=2026-13", 422), ("month=november", 422), ("month=2999-01", 422), ("month=1999-12", 422),
    ("community=424242", 404), ("community=" + "9" * 40, 404), ("community=-3", 404),
])
def test_bad_board_queries_get_clear_answers(client, neighbours, login, query, status):
    login(neighbours["张桂兰"])
    assert client.get(f"/board?{query}").status_code == status


def test_every_role_can_read_the_board(client, make_user, login, page):
    for roles in (Role.STAFF, Role.REVIEWER, Role.ADMIN):
        login(make_user(roles))
        assert page("/board")[0] == 200
