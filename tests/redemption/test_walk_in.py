"""Walk-ins: a member code, an offering, the points spent at once — and each refusal."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from points import ledger
from points.accounts import members
from points.accounts.models import Role
from points.errors import Refusal
from points.extensions import db
from points.redemption import venues
from points.redemption.walkin import offerings_for, redeem_walk_in


@pytest.fixture
def offering(venue):
    offering = venues.add_offering(venue, "羽毛球一小时", "One hour of badminton", 8)
    db.session.commit()
    return offering


def refusal_code(call):
    with pytest.raises(Refusal) as refused:
        call()
    db.session.rollback()
    return refused.value.code


def test_a_walk_in_spends_the_points_and_shows_the_new_balance(staff, resident, offering):
    code = members.phone_code(resident)
    done = redeem_walk_in(staff, code, offering.id, "walk-in:1")
    again = redeem_walk_in(staff, code, offering.id, "walk-in:1")
    db.session.commit()
    assert (done.resident_name, done.points, done.balance.available) == ("张**", 8, 92)
    assert again.transfer_id == done.transfer_id and ledger.balance(resident.id).available == 92
    assert offerings_for(staff) == [offering]


def test_a_printed_card_works_until_it_is_revoked(staff, resident, offering, make_user):
    card = members.issue_card(resident, make_user(Role.REVIEWER))
    db.session.commit()
    assert redeem_walk_in(staff, card.code, offering.id, "k1").points == 8
    members.issue_card(resident, None)
    db.session.commit()
    assert refusal_code(lambda: redeem_walk_in(staff, card.code, offering.id, "k2")) == "card_revoked"


def test_refusals(staff, make_resident, offering, make_user):
    poor = make_resident(5)
    assert refusal_code(lambda: redeem_walk_in(staff, members.phone_code(poor), offering.id, "k")) == "insufficient_points"
    assert refusal_code(lambda: redeem_walk_in(staff, "M1.forged", offering.id, "k")) == "unknown_member"
    with freeze_time(datetime.now(UTC) - timedelta(minutes=10)):  # a screenshot of an old code
        stale = members.phone_code(poor)
    assert refusal_code(lambda: redeem_walk_in(staff, stale, offering.id, "k")) == "member_code_expired"
    elsewhere = make_user(Role.STAFF)
    assert refusal_code(lambda: redeem_walk_in(elsewhere, members.phone_code(poor), offering.id, "k")) == "not_your_venue"
    venues.update_offering(offering, offering.name_zh, offering.name_en, offering.cost, active=False)
    db.session.commit()
    assert refusal_code(lambda: redeem_walk_in(staff, members.phone_code(poor), offering.id, "k")) == "offering_unavailable"
    assert ledger.balance(poor.id).available == 5


# ---- One phone code pays one walk-in per offering ----

def scanned_earlier(resident, seconds=30):
    """The code the resident's phone showed `seconds` ago: still valid, but not the one it shows now."""
    with freeze_time(datetime.now(UTC) - timedelta(seconds=seconds)):
        return members.phone_code(resident)


def test_a_phone_code_scanned_three_times_pays_once(client, token_for, make_user, venue, resident, offering):
    headers = token_for(make_user(Role.STAFF, venues=[venue]))
    scan = {"member_code": scanned_earlier(resident), "offering_id": offering.id}
    answers = [client.post("/api/v1/walk-ins", json=scan, headers=headers | keyed) for keyed in (
        {"Idempotency-Key": "phone-1"}, {"Idempotency-Key": "phone-2"}, {})]  # two phones, then a bare retry

    assert [answer.status_code for answer in answers] == [201] * 3
    assert len({answer.get_json()["transfer_id"] for answer in answers}) == 1
    assert ledger.balance(resident.id).available == 92 and len(ledger.history(resident.id)) == 2
    assert ledger.verify() == []


def test_the_same_code_pays_for_another_offering_and_a_new_code_pays_again(staff, venue, resident, offering):
    earlier, water = scanned_earlier(resident), venues.add_offering(venue, "矿泉水", "Water", 2)
    db.session.commit()
    paid = {redeem_walk_in(staff, earlier, offering.id, f"k{n}").transfer_id for n in range(3)}
    paid |= {redeem_walk_in(staff, earlier, water.id, f"k{n}").transfer_id for n in range(3, 5)}
    paid.add(redeem_walk_in(staff, members.phone_code(resident), offering.id, "k5").transfer_id)
    db.session.commit()
    assert len(paid) == 3 and ledger.balance(resident.id).available == 100 - 8 - 2 - 8


def test_a_second_scan_answers_the_first_even_when_the_points_ran_out(staff, make_resident, offering):
    exact = make_resident(8)
    code = members.phone_code(exact)
    first = redeem_walk_in(staff, code, offering.id, "first-phone")
    db.session.commit()
    again = redeem_walk_in(staff, code, offering.id, "second-phone")
    assert (again.transfer_id, again.balance.available) == (first.transfer_id, 0)


def test_a_printed_card_pays_every_walk_in(staff, resident, offering, make_user):
    card = members.issue_card(resident, make_user(Role.REVIEWER))
    db.session.commit()
    for key in ("k1", "k2", "k3"):
        redeem_walk_in(staff, card.code, offering.id, key)
    db.session.commit()
    assert ledger.balance(resident.id).available == 100 - 3 * 8


def test_the_door_page_pays_one_walk_in_for_a_code_sent_from_three_forms(client, login, staff, resident, offering):
    login(staff)
    code = members.phone_code(resident)
    pages = [client.post("/scan/walk-in", data={"member_code": code, "offering": offering.id,
                                                "request_key": str(uuid.uuid4())}) for _ in range(3)]
    assert [page.status_code for page in pages] == [200] * 3
    assert all('data-balance="92"' in page.get_data(as_text=True) for page in pages)
    assert ledger.balance(resident.id).available == 92
