from points import ledger
from points.accounts.models import Role
from points.extensions import db


def test_me_shows_the_balance(client, make_user, token_for):
    resident = make_user(name="张三")
    ledger.award(resident.id, 30, "t1", ledger.Memo(reason="扫楼道"))
    db.session.commit()
    body = client.get("/api/v1/me", headers=token_for(resident)).get_json()
    assert body["balance"] == {"available": 30, "held": 0, "earned_total": 30}
    assert body["name"] == "张三"
    assert body["phone"].count("*") == 4
    assert body["roles"] == ["resident"]
    assert body["community"]["name"] == "锦湖社区"


def test_me_without_token_is_401_in_the_error_shape(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_award_through_the_api(client, make_user, token_for):
    admin = make_user(Role.ADMIN)
    resident = make_user()
    response = client.post("/api/v1/awards", headers=token_for(admin),
                           json={"user_id": resident.id, "points": 10, "note": "帮扶邻居"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["balance"]["available"] == 10
