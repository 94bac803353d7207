"""A retry with the same Idempotency-Key gets the first answer: a refusal by a rule as well as a
success, and a photo claim whose multipart body the client has encoded anew."""
from datetime import timedelta

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.test import stream_encode_multipart

from points import ledger
from points.accounts.models import Role
from points.earning import claims
from points.earning.models import ActionType, Unit
from points.extensions import db
from points.redemption import sessions, venues
from points.timeutil import now_utc
from tests.earning.helpers import image_bytes, rows, upload


def test_a_refused_booking_is_refused_again_after_an_award(client, make_user, token_for):
    resident = make_user(Role.RESIDENT)
    venue = venues.create_venue("乒乓球馆", "table_tennis")
    starts = now_utc() + timedelta(days=1)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 10, 5)
    db.session.commit()
    headers, body = token_for(resident) | {"Idempotency-Key": "book-k"}, {"session_id": session.id}

    refused = client.post("/api/v1/bookings", json=body, headers=headers)
    ledger.award(resident.id, 20, "award:after-the-refusal")
    db.session.commit()
    retried = client.post("/api/v1/bookings", json=body, headers=headers)
    other_key = client.post("/api/v1/bookings", json=body, headers=headers | {"Idempotency-Key": "book-k2"})

    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "insufficient_points"
    assert (retried.status_code, retried.get_json()) == (409, refused.get_json())
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert other_key.status_code == 201  # a new request (new key) is decided anew
    assert ledger.balance(resident.id) == ledger.Balance(available=15, held=5, earned_total=20)


def test_a_refusal_of_who_may_act_is_not_kept(client, make_user, token_for):
    """403/404 answer who may see what: a retry after the right is granted is decided anew."""
    resident, neighbour = make_user(Role.RESIDENT), make_user(Role.RESIDENT)
    venue = venues.create_venue("乒乓球馆", "table_tennis")
    starts = now_utc() + timedelta(days=1)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 10, 5)
    ledger.award(neighbour.id, 20, "award:neighbour")
    db.session.commit()
    headers = token_for(resident) | {"Idempotency-Key": "for-neighbour"}
    body = {"session_id": session.id, "user_id": neighbour.id}
    first = client.post("/api/v1/bookings", json=body, headers=headers)
    again = client.post("/api/v1/bookings", json=body, headers=headers)
    assert first.status_code == again.status_code == 404
    assert "Idempotent-Replayed" not in again.headers


# ---- A claim with photos, sent again ----

@pytest.fixture
def photo_claim(app, client, tmp_path, make_user, token_for):
    """send(photos, boundary) -> the answer to one claim's fields, multipart with these photos."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    action = ActionType(code="stairs", name_zh="清扫楼道", name_en="Cleaning the stairs", category="environment",
                        points=3, unit=Unit.TIME, evidence_required=True, self_claimable=True)
    db.session.add(action)
    resident = make_user(Role.RESIDENT)
    headers = token_for(resident) | {"Idempotency-Key": "claim-stairs"}
    fields = {"action_type_id": str(action.id), "occurred_on": claims.local_today().isoformat(), "quantity": "1",
              "note": "楼道"}

    def send(photos, boundary):
        data = MultiDict(fields)
        for n, photo in enumerate(photos):
            data.add("photos", upload(photo, f"photo-{n}.jpg"))
        stream, length, _ = stream_encode_multipart(data, use_tempfile=False, boundary=boundary)
        return client.post("/api/v1/claims", headers=headers, input_stream=stream, content_length=length,
                           content_type=f"multipart/form-data; boundary={boundary}")

    return send


def test_a_photo_claim_sent_again_in_a_new_envelope_is_one_claim(photo_claim):
    send = photo_claim
    photos = [image_bytes((640, 480)), image_bytes((480, 640))]
    first = send(photos, "----phone-first-try")
    retried = send(photos, "----phone-second-try")
    assert first.status_code == retried.status_code == 201
    assert retried.get_json() == first.get_json() and retried.headers["Idempotent-Replayed"] == "true"
    assert rows() == (1, 2)


def test_a_photo_claim_sent_again_with_another_photo_is_refused(photo_claim):
    send = photo_claim
    first = send([image_bytes((640, 480))], "----phone-first-try")
    other = send([image_bytes((640, 481))], "----phone-second-try")
    assert first.status_code == 201
    assert other.status_code == 409 and other.get_json()["error"]["code"] == "idempotency_key_reused"
    assert rows() == (1, 1)
