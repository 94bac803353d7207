"""No surprises at the door: a printed card's number typed by hand, a photo without a code, and a
check-in that has not opened yet says when it opens."""
from datetime import timedelta

from points import ledger
from points.accounts import members
from points.extensions import db


def test_a_card_number_typed_by_hand_finds_the_resident(client, staff, venue, resident):
    card = members.issue_card(resident, staff)
    db.session.commit()
    typed = f"{card.serial[:4]} {card.serial[4:8]} {card.serial[8:]}"  # read out in groups, as people do
    response = client.post("/scan/walk-in/card", data={"serial": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"张** · {resident.phone[-4:]}" in html and f'value="{card.code}"' in html


def test_the_typed_card_then_pays_the_walk_in(client, staff, venue, resident):
    card = members.issue_card(resident, staff)
    ledger.award(resident.id, 30, "test:walk-in by number")
    db.session.commit()
    html = client.post("/scan/walk-in/card", data={"serial": card.serial}).get_data(as_text=True)
    assert f'value="{card.code}"' in html
    done = client.post("/scan/walk-in", data={"member_code": card.code, "offering": venue.offerings[0].id,
                                              "request_key": "5b0b7a53-1f7e-4d7e-9a55-0d6a8a0d7c12"})
    assert done.status_code == 200 and ledger.balance(resident.id).available == 20


def test_a_wrong_or_replaced_card_number_says_so_and_keeps_it(client, staff, venue, resident):
    old = members.issue_card(resident, staff)
    members.issue_card(resident, staff)
    db.session.commit()
    replaced = client.post("/scan/walk-in/card", data={"serial": old.serial})
    assert replaced.status_code == 409 and "这张会员卡已补办或已作废" in replaced.get_data(as_text=True)
    unknown = client.post("/scan/walk-in/card", data={"serial": "0000 0000 01"})
    html = unknown.get_data(as_text=True)
    assert unknown.status_code == 404 and "会员码无效" in html and 'value="0000 0000 01"' in html
    assert client.post("/scan/walk-in/card", data={"serial": " "}).status_code == 422


def test_the_walk_in_page_offers_the_card_number_field(client, staff, venue):
    html = client.get("/scan/walk-in").get_data(as_text=True)
    assert 'action="/scan/walk-in/card"' in html and 'name="serial"' in html and 'inputmode="numeric"' in html


def test_too_early_says_when_check_in_opens(staff, ticket, scan, venue):
    early = ticket(starts_in=timedelta(hours=2))  # noon in Beijing: it starts at 14:00, opens at 13:30
    answer = scan(early.ticket_code, venue.id)[1]
    assert answer["result"] == "not_open_yet" and answer["message"] == "签到将于 13:30 开始"


def test_a_ticket_of_another_day_says_check_in_opens_on_its_day(staff, ticket, scan, venue):
    tomorrow = ticket(starts_in=timedelta(days=1))
    answer = scan(tomorrow.ticket_code, venue.id)[1]
    assert answer["message"] == "场次当天 11:30 开始签到" and answer["session_time"] == "2026年6月11日 12:00–13:00"
