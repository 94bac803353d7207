"""Walk-ins: a member code, an offering, the points spent at once — and each refusal."""
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
    done = redeem_walk_in(staff, members.phone_code(resident), offering.id, "walk-in:1")
    again = redeem_walk_in(staff, members.phone_code(resident), offering.id, "walk-in:1")
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
