"""Reversing from the resident's page: the history line's action, the confirmation, and both
histories (the admin's view and the resident's own home) marking the entry and its reversal."""
import re

import pytest

from points import ledger
from points.accounts.models import Role
from points.extensions import db
from points.redemption import venues
from tests.web.conftest import admin  # noqa: F401 (a signed-in admin)


@pytest.fixture
def mistaken(resident):
    """A 20-point award given by mistake, after a 30-point one that was right."""
    ledger.award(resident.id, 30, "right", ledger.Memo(reason="清扫楼道"))
    record = ledger.award(resident.id, 20, "wrong", ledger.Memo(reason="重复录入的奖励"))
    db.session.commit()
    return record


def reverse_path(resident, transfer):
    return f"/admin/residents/{resident.id}/transfers/{transfer.id}/reverse"


def line_of(html, transfer_id):
    """The <li> of one history line."""
    match = re.search(rf'<li class="history__line[^"]*" id="transfer-{transfer_id}">(.*?)</li>', html, re.S)
    assert match, f"no history line for transfer {transfer_id}"
    return match.group(0)


def form_key(html):
    return re.search(r'name="request_key" type="hidden" value="([^"]+)"', html).group(1)


def test_each_reversible_line_offers_the_reversal_to_an_admin(client, admin, resident, mistaken):
    html = client.get(f"/admin/residents/{resident.id}").get_data(as_text=True)
    assert reverse_path(resident, mistaken) in line_of(html, mistaken.id)


def test_a_hold_offers_no_reversal(client, admin, resident, mistaken):
    venue = venues.create_venue("乒乓球馆", "table_tennis")
    held = ledger.hold(resident.id, venue.id, 5, "h")
    db.session.commit()
    html = client.get(f"/admin/residents/{resident.id}").get_data(as_text=True)
    assert "/reverse" not in line_of(html, held.id)


def test_a_reviewer_sees_no_reversal_and_cannot_open_it(client, make_user, login, resident, mistaken):
    login(make_user(Role.REVIEWER))
    html = client.get(f"/admin/residents/{resident.id}").get_data(as_text=True)
    assert "/reverse" not in html
    assert client.get(reverse_path(resident, mistaken)).status_code == 403


def test_the_admin_confirms_with_a_reason_and_both_histories_link_the_entries(
        client, admin, login, resident, mistaken):
    page = client.get(reverse_path(resident, mistaken)).get_data(as_text=True)
    assert "Reversing takes 20 points back from 张桂兰." in page  # asked before anything moves
    assert ledger.balance(resident.id).available == 50

    done = client.post(reverse_path(resident, mistaken), data={"reason": "同一次活动录了两次",
                                                               "request_key": form_key(page)},
                       follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "Reversed: the entry of 20 points is corrected." in html
    assert ledger.balance(resident.id) == ledger.Balance(available=30, held=0, earned_total=30)
    reversal = ledger.history(resident.id, limit=1)[0].transfer
    original_line, reversal_line = line_of(html, mistaken.id), line_of(html, reversal.id)
    assert f'href="#transfer-{reversal.id}"' in original_line and "Reversed" in original_line
    assert "/reverse" not in original_line and "/reverse" not in reversal_line
    assert f'href="#transfer-{mistaken.id}"' in reversal_line and "Reverses: 重复录入的奖励" in reversal_line
    assert "同一次活动录了两次" in reversal_line

    login(resident)
    home = client.get("/").get_data(as_text=True)
    assert "Reversed" in line_of(home, mistaken.id)
    assert "Reverses: 重复录入的奖励" in line_of(home, reversal.id)


def test_a_resubmitted_confirmation_reverses_once(client, admin, resident, mistaken):
    key = form_key(client.get(reverse_path(resident, mistaken)).get_data(as_text=True))
    for _ in range(2):
        client.post(reverse_path(resident, mistaken), data={"reason": "录错了", "request_key": key})
    assert ledger.balance(resident.id).available == 30
    assert len(ledger.history(resident.id)) == 3


def test_no_reason_is_asked_for_again_and_nothing_moves(client, admin, resident, mistaken):
    key = form_key(client.get(reverse_path(resident, mistaken)).get_data(as_text=True))
    response = client.post(reverse_path(resident, mistaken), data={"reason": "  ", "request_key": key})
    assert response.status_code == 422
    assert "Please give a reason for the reversal." in response.get_data(as_text=True)
    assert ledger.balance(resident.id).available == 50


def test_a_spent_award_is_refused_on_the_page_saying_why(client, admin, resident, mistaken):
    ledger.deduct(resident.id, 45, "spent")
    db.session.commit()
    key = form_key(client.get(reverse_path(resident, mistaken)).get_data(as_text=True))
    response = client.post(reverse_path(resident, mistaken), data={"reason": "录错了", "request_key": key})
    assert response.status_code == 409
    assert "张桂兰 has already spent some of these points" in response.get_data(as_text=True)
    assert ledger.balance(resident.id).available == 5


def test_an_entry_of_someone_else_is_not_on_this_page(client, admin, make_user, mistaken):
    other = make_user(name="刘德华")
    assert client.get(reverse_path(other, mistaken)).status_code == 404


def test_a_large_reversal_waits_in_the_queue_for_a_second_admin(client, admin, make_user, login, resident):
    large = ledger.award(resident.id, 80, "large", ledger.Memo(reason="抗洪抢险"))
    db.session.commit()
    key = form_key(client.get(reverse_path(resident, large)).get_data(as_text=True))
    waiting = client.post(reverse_path(resident, large), data={"reason": "应为 8 分", "request_key": key},
                          follow_redirects=True)
    assert "The reversal of 80 points waits for a second admin to approve it." in waiting.get_data(as_text=True)
    queue = client.get("/admin/award-requests").get_data(as_text=True)
    assert "You asked for this reversal" in queue and "Approve and reverse" not in queue

    login(make_user(Role.ADMIN, name="管理员乙"))
    queue = client.get("/admin/award-requests").get_data(as_text=True)
    assert "Reverse for 张桂兰" in queue and "抗洪抢险" in queue and "应为 8 分" in queue
    request_id = re.search(r'/admin/award-requests/(\d+)/approve', queue).group(1)
    done = client.post(f"/admin/award-requests/{request_id}/approve", follow_redirects=True)
    assert "Approved: the entry of 80 points for 张桂兰 is reversed." in done.get_data(as_text=True)
    assert ledger.balance(resident.id) == ledger.Balance(available=0, held=0, earned_total=0)
