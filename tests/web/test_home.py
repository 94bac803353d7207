"""The resident's home: the balance first, then the history with reasons."""
from zoneinfo import ZoneInfo

from points import ledger
from points.accounts.models import Role
from points.extensions import db
from points.redemption.models import Venue


def test_balance_is_shown_with_chinese_labels(client, make_user, login, give_points, page):
    resident = make_user()
    give_points(resident, 1250, "扫楼道")
    login(resident)
    html = page("/")[1]
    assert 'data-available="1250">1,250<' in html
    assert "可用积分" in html and "冻结中" in html and "累计获得" in html


def test_history_has_reasons_signs_and_local_times(client, make_user, login, give_points, page):
    resident = make_user()
    award = give_points(resident, 30, "扫楼道")
    ledger.deduct(resident.id, 5, "d1", ledger.Memo(reason="乱扔垃圾"))
    db.session.commit()
    login(resident)
    html = page("/")[1]
    assert "扫楼道" in html and "+30" in html
    assert "乱扔垃圾" in html and "\u22125" in html
    local = award.created_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}" in html  # one date format: 2026年12月2日


def test_points_on_hold_are_marked(client, make_user, login, give_points, page):
    resident = make_user()
    give_points(resident, 30)
    venue = Venue(name="乒乓球馆", kind="table_tennis")
    db.session.add(venue)
    db.session.flush()
    ledger.open_venue_account(venue.id)
    ledger.hold(resident.id, venue.id, 10, "h1", ledger.Memo(reason="乒乓球馆预约"))
    db.session.commit()
    login(resident)
    html = page("/")[1]
    assert 'data-held="10"' in html and '<span class="badge badge--hold">冻结中</span>' in html


def test_more_pages_back_through_history(client, make_user, login, give_points, page):
    resident = make_user()
    first = give_points(resident, 1, "最早的一笔")
    for _ in range(20):
        give_points(resident, 1, "之后的")
    login(resident)
    html = page("/")[1]
    assert "最早的一笔" not in html and "更多" in html
    older = page(f"/?before={first.id + 1}")[1]
    assert "最早的一笔" in older


def test_bad_page_cursor_shows_the_first_page(client, make_user, login, page):
    login(make_user())
    assert page("/?before=abc")[0] == 200


def test_reviewer_who_is_a_resident_gets_a_link_to_their_tools(client, make_user, login, page):
    login(make_user(Role.RESIDENT | Role.REVIEWER))
    html = page("/")[1]
    assert "可用积分" in html and 'href="/admin"' in html


def test_admin_without_resident_role_lands_on_admin_home(client, make_user, login):
    login(make_user(Role.ADMIN))
    assert client.get("/").headers["Location"] == "/admin"


def test_home_needs_sign_in(client):
    assert client.get("/").headers["Location"].startswith("/login?next=")
