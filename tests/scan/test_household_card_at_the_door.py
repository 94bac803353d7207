"""A household card at the door (一户一卡): staff scan it, pick which member attends, and that member pays."""
import pytest

from points import ledger
from points.accounts import members
from points.accounts.models import Role
from points.extensions import db
from points.households import operations as households

KEY = "9c4f3d6e-2b1a-4c8d-9e7f-1a2b3c4d5e6f"


@pytest.fixture
def family_card(make_user, resident):
    """张桂兰 (the resident) heads a household with 李明; their household card; 李明 has 25 points."""
    reviewer, son = make_user(Role.REVIEWER, name="审核员"), make_user(name="李明")
    household = households.create(reviewer, resident)
    households.add_member(reviewer, household, son)
    ledger.award(son.id, 25, "seed:son")
    card = members.issue_card(household, reviewer)
    db.session.commit()
    return card, son


def pay(client, code, offering_id, attendee=None):
    data = {"member_code": code, "offering": offering_id, "request_key": KEY}
    if attendee is not None:
        data["attendee"] = attendee
    return client.post("/scan/walk-in", data=data)


def test_scanning_a_household_card_offers_its_members(client, staff, resident, family_card):
    card, son = family_card
    answer = client.post("/scan/walk-in/member", json={"code": card.code, "nonce": "n-12345678"}).get_json()
    assert answer["result"] == "household" and answer["resident_name"] == "张**的家庭"
    assert [m["name"] for m in answer["members"]] == [f"张** · {resident.phone[-4:]}", f"李* · {son.phone[-4:]}"]


def test_the_chosen_member_pays_for_the_walk_in(client, staff, venue, resident, family_card):
    card, son = family_card
    response = pay(client, card.code, venue.offerings[0].id, attendee=son.id)
    assert response.status_code == 200 and "李*" in response.get_data(as_text=True)
    assert (ledger.balance(son.id).available, ledger.balance(resident.id).available) == (15, 0)


def test_without_a_chosen_member_the_door_asks_who_attends_and_nothing_is_paid(client, staff, venue, family_card):
    card, son = family_card
    response = pay(client, card.code, venue.offerings[0].id)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请选择本次到场的家庭成员" in page
    assert f'value="{son.id}"' in page  # the members are offered on the page again
    assert ledger.balance(son.id).available == 25


def test_someone_outside_the_household_cannot_be_charged_with_its_card(client, staff, venue, make_user, family_card):
    card, _ = family_card
    stranger = make_user(name="王芳")
    ledger.award(stranger.id, 25, "seed:stranger")
    db.session.commit()
    assert pay(client, card.code, venue.offerings[0].id, attendee=stranger.id).status_code == 422
    assert ledger.balance(stranger.id).available == 25


def test_the_typed_number_of_a_household_card_works_too(client, staff, venue, family_card):
    card, son = family_card
    page = client.post("/scan/walk-in/card", data={"serial": card.serial}).get_data(as_text=True)
    assert "张**的家庭" in page and f'value="{son.id}"' in page


def test_a_revoked_household_card_is_refused(client, staff, venue, family_card):
    card, son = family_card
    members.revoke_card(card)
    db.session.commit()
    answer = client.post("/scan/walk-in/member", json={"code": card.code, "nonce": "n-12345678"},
                         headers={"Accept": "application/json"})
    assert answer.get_json()["error"]["code"] == "card_revoked"
    assert pay(client, card.code, venue.offerings[0].id, attendee=son.id).status_code == 409
    assert ledger.balance(son.id).available == 25
