"""A person's history: newest first, paged by keyset, each line saying what it did to the balance."""
import pytest

from points import ledger
from points.extensions import db


@pytest.fixture
def neighbours(make_user, make_venue):
    """Two residents whose transfers interleave: 张 has 7 (ids 1,3,5,...,13), 李 has 6 in between."""
    zhang, li, venue = make_user(name="张三"), make_user(name="李四"), make_venue()
    for n in range(6):
        ledger.award(zhang.id, 10, f"z{n}")
        ledger.award(li.id, 1, f"l{n}")
    ledger.redeem(zhang.id, venue.id, 25, "walk-in")
    db.session.commit()
    return zhang, li


def all_pages(user, limit):
    pages, before = [], None
    while page := ledger.history(user.id, limit=limit, before=before):
        pages.append([line.transfer.id for line in page])
        before = page[-1].transfer.id
    return pages


def test_pages_follow_each_other_without_gaps_or_repeats(neighbours):
    zhang, _ = neighbours
    assert all_pages(zhang, limit=3) == [[13, 11, 9], [7, 5, 3], [1]]


def test_history_shows_only_the_persons_own_transfers(neighbours):
    _, li = neighbours
    assert all_pages(li, limit=4) == [[12, 10, 8, 6], [4, 2]]


def test_the_changes_add_up_to_the_available_balance(neighbours):
    zhang, _ = neighbours
    lines = ledger.history(zhang.id, limit=100)
    assert [line.change for line in lines] == [-25] + [10] * 6
    assert sum(line.change for line in lines) == ledger.balance(zhang.id).available == 35


def test_a_hold_shows_open_until_resolved(make_user, make_venue):
    resident, venue = make_user(), make_venue()
    ledger.award(resident.id, 30, "a")
    first = ledger.hold(resident.id, venue.id, 10, "h1")
    ledger.hold(resident.id, venue.id, 5, "h2")
    ledger.post(first.id, "p")
    ledger.void(first.id + 1, "v")
    db.session.commit()
    lines = ledger.history(resident.id)
    assert [(str(line.transfer.kind), line.change, line.open_hold) for line in lines] == [
        ("release", 5, False), ("redemption", 0, False), ("hold", -5, False), ("hold", -10, False),
        ("award", 30, False),
    ]
    assert sum(line.change for line in lines) == ledger.balance(resident.id).available == 20


def test_an_unresolved_hold_is_open(make_user, make_venue):
    resident, venue = make_user(), make_venue()
    ledger.award(resident.id, 30, "a")
    ledger.hold(resident.id, venue.id, 10, "h")
    db.session.commit()
    assert [line.open_hold for line in ledger.history(resident.id)] == [True, False]


def test_someone_without_an_account_has_no_history(app):
    assert ledger.history(10_000) == []


def test_the_api_cursor_walks_the_same_pages(neighbours, client, token_for):
    zhang, _ = neighbours
    headers = token_for(zhang)
    ids, cursor = [], None
    for _ in range(5):
        query = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/me/ledger", query_string=query, headers=headers).get_json()
        ids.append([item["id"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert ids == [[13, 11, 9], [7, 5, 3], [1]]


def test_a_cursor_we_did_not_make_is_refused(neighbours, client, token_for):
    zhang, _ = neighbours
    response = client.get("/api/v1/me/ledger?cursor=bm9wZQ", headers=token_for(zhang))
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["cursor"]

