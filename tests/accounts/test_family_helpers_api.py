"""Family helpers through the API: the grant's scopes hold there as on the pages."""
from points import audit
from points.earning import claims


def test_a_book_helper_books_and_cancels_through_the_api_and_is_recorded(client, token_for, resident, relative,
                                                                        grant, tomorrow):
    grant("book")
    headers = token_for(relative)
    booked = client.post("/api/v1/bookings", json={"user_id": resident.id, "session_id": tomorrow.id}, headers=headers)
    assert booked.status_code == 201, booked.get_json()
    booking_id = booked.get_json()["id"]
    assert client.get(f"/api/v1/bookings/{booking_id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/bookings/{booking_id}/qr.svg", headers=headers).status_code == 404  # the owner's
    assert client.post(f"/api/v1/bookings/{booking_id}/cancel", headers=headers).status_code == 200
    made = [e for e in audit.entries(actor_id=relative.id) if e.action == "booking.made_for"]
    assert [(e.actor_id, e.for_user_id) for e in made] == [(relative.id, resident.id)]


def test_a_view_helper_cannot_book_or_claim_through_the_api(client, token_for, resident, relative, grant, tomorrow,
                                                           action):
    grant("view")
    headers = token_for(relative)
    booked = client.post("/api/v1/bookings", json={"user_id": resident.id, "session_id": tomorrow.id}, headers=headers)
    claimed = client.post("/api/v1/claims", json={"user_id": resident.id, "action_type_id": action.id,
                                                  "occurred_on": claims.local_today().isoformat()}, headers=headers)
    assert [r.status_code for r in (booked, claimed)] == [404, 404]


def test_a_claim_helper_claims_through_the_api(client, token_for, resident, relative, grant, action):
    grant("claim")
    claimed = client.post("/api/v1/claims", json={"user_id": resident.id, "action_type_id": action.id,
                                                  "occurred_on": claims.local_today().isoformat()},
                          headers=token_for(relative))
    assert claimed.status_code == 201, claimed.get_json()
    assert claimed.get_json()["user_id"] == resident.id
