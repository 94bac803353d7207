"""Bearer tokens: issued for a phone and password, stored hashed, expiring, revocable (also by the client)."""
from datetime import timedelta

from sqlalchemy import select

from points.accounts import operations as accounts
from points.accounts.models import ApiToken
from points.extensions import db
from points.timeutil import now_utc


def test_token_is_stored_only_as_a_hash(client, make_user):
    user = make_user()
    token = client.post("/api/v1/auth/token", json={"phone": user.phone, "password": "password1"}).get_json()["token"]
    stored = db.session.execute(select(ApiToken.token_hash)).scalar()
    assert token not in stored and stored == accounts.hash_token(token)


def test_wrong_password_and_unknown_phone_get_the_same_answer(client, make_user):
    user = make_user()
    wrong = client.post("/api/v1/auth/token", json={"phone": user.phone, "password": "nope-nope"})
    unknown = client.post("/api/v1/auth/token", json={"phone": "13999999999", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_expired_and_revoked_tokens_are_refused(client, make_user, token_for):
    user = make_user()
    headers = token_for(user)
    token = db.session.execute(select(ApiToken)).scalar()
    token.expires_at = now_utc() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    headers = token_for(user)
    accounts.set_active(user, False)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_malformed_phone_gets_the_same_answer(client):
    for phone in ("\u0000138", "not a phone", "1" * 200):
        response = client.post("/api/v1/auth/token", json={"phone": phone[:20], "password": "nope-nope"})
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_disabled_person_cannot_get_a_token(client, make_user):
    user = make_user()
    accounts.set_active(user, False)
    db.session.commit()
    response = client.post("/api/v1/auth/token", json={"phone": user.phone, "password": "password1"})
    assert response.status_code == 401


def test_ledger_pages_with_a_keyset_cursor(client, make_user, token_for):
    from points import ledger

    user = make_user()
    for n in range(5):
        ledger.award(user.id, n + 1, f"k{n}", ledger.Memo(reason=f"第{n}次"))
    db.session.commit()
    headers = token_for(user)
    first = client.get("/api/v1/me/ledger?limit=2", headers=headers).get_json()
    assert [i["amount"] for i in first["items"]] == [5, 4]
    second = client.get(f"/api/v1/me/ledger?limit=2&cursor={first['next_cursor']}", headers=headers).get_json()
    assert [i["amount"] for i in second["items"]] == [3, 2]
    third = client.get(f"/api/v1/me/ledger?limit=2&cursor={second['next_cursor']}", headers=headers).get_json()
    assert [i["amount"] for i in third["items"]] == [1] and third["next_cursor"] is None
    assert third["items"][0]["reason"] == "第0次" and third["items"][0]["change"] == 1


def test_a_client_revokes_its_own_token_and_only_that_one(client, make_user, token_for):
    user = make_user()
    this_phone, other_phone = token_for(user), token_for(user)
    response = client.delete("/api/v1/auth/token", headers=this_phone)
    assert response.status_code == 204 and response.get_data() == b""
    assert client.get("/api/v1/me", headers=this_phone).status_code == 401
    assert client.delete("/api/v1/auth/token", headers=this_phone).status_code == 401
    assert client.get("/api/v1/me", headers=other_phone).status_code == 200


def test_revoking_a_token_needs_one(client):
    response = client.delete("/api/v1/auth/token")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"


def test_the_openapi_document_describes_revoking_a_token(client):
    revoke = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/auth/token"]["delete"]
    assert "204" in revoke["responses"] and revoke.get("security") != []


def test_a_web_session_key_is_no_bearer_token(client, make_user, login):
    """The cookie's key signs in pages only: the API takes its own tokens, never what a browser carries."""
    login(make_user())
    with client.session_transaction() as session:
        key = session["_user_id"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401
