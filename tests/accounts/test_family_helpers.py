"""Family helpers (SPEC §11): the grant's rules on SQLite and PostgreSQL — scope, expiry, revocation,
both names on the record — and the pages a resident and their relative use."""
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from points import ledger
from points.accounts import helpers
from points.accounts.helpers import HelperGrant, Scope
from points.accounts.models import Role
from points.audit import AuditEntry
from points.earning import claims
from points.errors import NotFound, Refusal
from points.extensions import db
from points.ledger import Transfer
from points.redemption import bookings
from points.redemption.models import Booking, BookingStatus

KEY = "5b3e1c1e-0d1a-4c59-9a57-1b8d7b0c2f11"


def book_for(helper, resident, session):
    booking = bookings.book(helper, resident, session, f"helper-test:{session.id}")
    db.session.commit()
    return booking


# ---- The grant's rules ----

def test_an_invitation_grants_nothing_until_it_is_accepted(resident, relative, grant, tomorrow):
    invitation = grant("book", accepted=False)
    with pytest.raises(NotFound):
        book_for(relative, resident, tomorrow)
    helpers.accept(relative, invitation)
    assert book_for(relative, resident, tomorrow).user_id == resident.id


def test_a_view_only_helper_sees_the_points_but_cannot_book(client, login, resident, relative, grant, tomorrow, text):
    grant("view")
    with pytest.raises(NotFound):
        book_for(relative, resident, tomorrow)
    login(relative)
    page = text(client.get(f"/helpers/for/{resident.id}"))
    assert 'data-available="100"' in page and f"/venues?for={resident.id}" not in page
    assert client.get(f"/venues?for={resident.id}").status_code == 404
    assert client.post(f"/sessions/{tomorrow.id}/book?for={resident.id}", data={"request_key": KEY}).status_code == 404
    assert ledger.balance(resident.id).held == 0


def test_a_booking_helper_books_and_cancels_and_both_names_are_on_the_record(resident, relative, grant, tomorrow):
    grant("book")
    booking = book_for(relative, resident, tomorrow)
    bookings.cancel(relative, booking)
    db.session.commit()
    hold = db.session.get(Transfer, booking.hold_id)
    assert booking.booked_by == relative.id and hold.requested_by == relative.id
    rows = db.session.execute(select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.for_user_id)
                              .where(AuditEntry.action.like("booking.%")).order_by(AuditEntry.id)).all()
    assert rows == [("booking.made_for", relative.id, resident.id), ("booking.cancelled_for", relative.id, resident.id)]
    assert ledger.balance(resident.id).available == 100


def test_a_claim_helper_claims_but_cannot_book(resident, relative, grant, tomorrow, action):
    grant("claim")
    claim = claims.submit(relative, resident, action.id, claims.local_today(), 1)
    db.session.commit()
    assert claim.user_id == resident.id and claim.submitted_by == relative.id
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "claim.submitted_for")).scalar_one()
    assert (entry.actor_id, entry.for_user_id) == (relative.id, resident.id)
    with pytest.raises(NotFound):
        book_for(relative, resident, tomorrow)


def test_after_it_expires_the_helper_is_answered_404(client, login, resident, relative, grant, tomorrow):
    grant("book", "view", days_ago=181)
    with pytest.raises(NotFound):
        book_for(relative, resident, tomorrow)
    login(relative)
    assert client.get(f"/helpers/for/{resident.id}").status_code == 404
    assert client.get(f"/venues?for={resident.id}").status_code == 404
    assert helpers.invite(resident, relative.phone, Scope.BOOK).accepted_at is None  # renewed by a new invitation


@pytest.mark.parametrize("side", ["resident", "helper"])
def test_either_side_ends_it_at_once(client, login, resident, relative, grant, tomorrow, side):
    made = grant("book")
    booking = book_for(relative, resident, tomorrow)
    helpers.revoke(resident if side == "resident" else relative, made)
    db.session.commit()
    login(relative)
    assert client.get(f"/helpers/for/{resident.id}").status_code == 404
    assert client.get(f"/bookings/{booking.id}").status_code == 404
    assert client.post(f"/bookings/{booking.id}/cancel").status_code == 404
    assert db.session.get(Booking, booking.id).status == BookingStatus.BOOKED
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "helper.revoked")).scalar_one()
    assert entry.for_user_id == resident.id and entry.actor_id == (resident if side == "resident" else relative).id


def test_a_declined_invitation_grants_nothing_and_can_be_sent_again(resident, relative, grant, tomorrow):
    helpers.decline(relative, grant("book", accepted=False))
    db.session.commit()
    with pytest.raises(NotFound):
        book_for(relative, resident, tomorrow)
    assert helpers.invite(resident, relative.phone, Scope.BOOK).accepted_at is None


def test_an_invitation_not_accepted_in_time_lapses(resident, relative, grant):
    late = grant("book", accepted=False, days_ago=15)
    with pytest.raises(Refusal) as refused:
        helpers.accept(relative, late)
    assert refused.value.code == "invitation_closed"
    again = helpers.invite(resident, relative.phone, Scope.BOOK)  # the lapsed one no longer blocks a new one
    assert again.id != late.id and db.session.get(HelperGrant, late.id).revoked_at is not None


@pytest.mark.parametrize("phone, scopes, code, field", [
    ("13012345678", Scope.VIEW, "helper_not_registered", "phone"),  # ask your relative to register first
    ("not a phone", Scope.VIEW, "invalid", "phone"),
    ("own", Scope.VIEW, "own_helper", "phone"),
    ("relative", Scope(0), "invalid", "scopes"),
    ("again", Scope.VIEW, "already_invited", "phone"),
])
def test_an_invitation_that_cannot_be_is_refused_with_nothing_written(resident, relative, grant, phone, scopes, code,
                                                                      field):
    if phone == "again":
        grant("view", accepted=False)
    before = db.session.execute(select(HelperGrant.id)).all()
    phone = {"own": resident.phone, "relative": relative.phone, "again": relative.phone}.get(phone, phone)
    with pytest.raises(Refusal) as refused:
        helpers.invite(resident, phone, scopes)
    assert (refused.value.code, refused.value.details["field"]) == (code, field)
    assert db.session.execute(select(HelperGrant.id)).all() == before


def test_only_residents_invite_and_only_the_invited_accept(make_user, resident, relative, grant):
    staff = make_user(Role.STAFF)
    with pytest.raises(Refusal):
        helpers.invite(staff, relative.phone, Scope.VIEW)
    with pytest.raises(NotFound):
        helpers.accept(make_user(), grant("view", accepted=False))


@pytest.mark.parametrize("values", [
    {"helper": "resident"},  # a person helping themself
    {"scopes": 0},
    {"scopes": 8},
    {"twin": True},  # a second grant in force for the same pair
])
def test_the_database_keeps_the_rules(resident, relative, values):
    def row():
        helper_id = resident.id if values.get("helper") else relative.id
        return HelperGrant(resident_id=resident.id, helper_id=helper_id, scopes=values.get("scopes", 1))
    if values.get("twin"):
        db.session.add(row())
        db.session.flush()
    db.session.add(row())
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# ---- What a helper never reaches ----

def test_a_helper_never_opens_the_member_code_or_card(client, login, make_user, resident, relative, grant):
    grant("view", "book", "claim")
    login(relative)
    assert client.get(f"/people/{resident.id}/card").status_code == 403  # a resident makes no cards at all
    assert resident.name[0] + "*" not in client.get("/member").get_data(as_text=True)  # the page shows their own code


def test_a_reviewer_who_helps_gets_no_more_than_the_grant(client, login, make_user, resident):
    elsewhere = make_user(Role.RESIDENT | Role.REVIEWER, name="王审核", community="泰都社区")
    made = helpers.invite(resident, elsewhere.phone, Scope.VIEW)
    helpers.accept(elsewhere, made)
    db.session.commit()
    login(elsewhere)
    assert client.get(f"/people/{resident.id}/card").status_code == 404
    assert client.get(f"/admin/residents/{resident.id}").status_code == 404


def test_a_helper_cannot_open_another_residents_ticket(client, login, make_user, resident, relative, grant, tomorrow):
    grant("book")
    stranger = make_user(name="陈芳")
    ledger.award(stranger.id, 10, "stranger-points")
    theirs = bookings.book(stranger, stranger, tomorrow, "stranger-booking")
    db.session.commit()
    login(relative)
    assert client.get(f"/bookings/{theirs.id}").status_code == 404
    assert client.get(f"/venues?for={stranger.id}").status_code == 404


# ---- The pages ----

def test_invite_accept_act_for_book_and_cancel_through_the_pages(app, client, login, resident, relative, tomorrow, text):
    login(resident)
    sent = client.post("/helpers", data={"phone": relative.phone, "scopes": ["view", "book"]})
    assert sent.status_code == 302
    assert relative.masked_phone in text(client.get("/helpers"))
    client.post("/logout")

    login(relative)
    home = text(client.get("/"))
    invitation = db.session.execute(select(HelperGrant)).scalar_one()
    assert "data-helpers-home" in home and f'data-invitation="{invitation.id}"' in home
    accepted = client.post(f"/helpers/{invitation.id}/accept")
    assert accepted.location.endswith(f"/helpers/for/{resident.id}")
    assert f'data-act-for="{resident.id}"' in text(client.get("/"))
    acting = text(client.get(accepted.location))
    assert resident.name in acting and f"/venues?for={resident.id}" in acting and "/claims/new" not in acting

    done = client.post(f"/sessions/{tomorrow.id}/book?for={resident.id}", data={"request_key": KEY})
    assert done.status_code == 302
    booking = db.session.execute(select(Booking)).scalar_one()
    assert booking.user_id == resident.id and ledger.balance(resident.id).held == 5
    assert f"/bookings/{booking.id}" in text(client.get(f"/helpers/for/{resident.id}"))
    ticket = text(client.get(f"/bookings/{booking.id}"))
    assert "<svg" not in ticket and "data-ask-cancel" in ticket  # the QR stays on the resident's own phone
    assert f'href="/helpers/for/{resident.id}">‹ 正在为 张桂兰 代办' in ticket  # back to her, not to his bookings
    cancelled = client.post(f"/bookings/{booking.id}/cancel")
    assert cancelled.location.endswith(f"/helpers/for/{resident.id}")
    assert "张桂兰" in text(client.get(cancelled.location)).split("预约已取消", 1)[1][:40]  # her points, not his
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CANCELLED
    assert ledger.balance(resident.id).available == 100
    log = db.session.execute(select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.for_user_id)
                             .where(AuditEntry.for_user_id == resident.id).order_by(AuditEntry.id)).all()
    assert log == [("helper.invited", resident.id, resident.id), ("helper.accepted", relative.id, resident.id),
                   ("booking.made_for", relative.id, resident.id), ("booking.cancelled_for", relative.id, resident.id)]


def test_a_view_only_helper_sees_the_ticket_without_a_cancel_button(client, login, resident, relative, grant, tomorrow, text):
    grant("view")
    booking = bookings.book(resident, resident, tomorrow, "her-own")
    db.session.commit()
    login(relative)
    ticket = client.get(f"/bookings/{booking.id}")
    assert ticket.status_code == 200 and "data-ask-cancel" not in text(ticket)
    assert client.post(f"/bookings/{booking.id}/cancel").status_code == 404


def test_a_claim_helper_claims_from_the_form(client, login, resident, relative, grant, action, text):
    grant("claim")
    login(relative)
    form = text(client.get(f"/claims/new?resident={resident.id}"))
    assert f'data-acting-for="{resident.id}"' in form
    assert "subnav" not in form  # a reviewer's menu would only lead a helper to refusals
    sent = client.post(f"/claims/new?resident={resident.id}", data={
        "action_type": action.id, "occurred_on": claims.local_today().isoformat(), "quantity": 1})
    assert sent.status_code == 302 and sent.location.endswith(f"/helpers/for/{resident.id}")
    claim = db.session.execute(select(claims.Claim)).scalar_one()
    assert (claim.user_id, claim.submitted_by) == (resident.id, relative.id)


def test_an_invitation_to_an_unknown_number_is_explained_on_the_page(client, login, resident, text):
    login(resident)
    refused = client.post("/helpers", data={"phone": "13012345678", "scopes": ["view"]})
    assert refused.status_code == 422 and 'value="13012345678"' in text(refused)
    assert "没有账号使用这个手机号，请让您的家人先注册。" in text(refused)  # what to do about it, in her language
    assert db.session.execute(select(HelperGrant)).first() is None


def test_the_resident_ends_a_grant_after_confirming(client, login, resident, relative, grant, text):
    made = grant("view")
    login(resident)
    asked = text(client.get(f"/helpers?revoke={made.id}"))
    assert "data-confirm-end" in asked
    assert client.post(f"/helpers/{made.id}/revoke").status_code == 302
    db.session.expire_all()
    assert db.session.get(HelperGrant, made.id).revoked_by == resident.id
    assert client.post(f"/helpers/{made.id}/revoke").status_code == 302  # again: told it has ended, nothing changes
