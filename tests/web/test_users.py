"""Admins manage people: create, roles, community, venues, passwords, disabling."""
from points.accounts.models import Role, User
from points.extensions import db
from points.redemption.models import Venue

NEW_PERSON = {"name": "赵六", "phone": "13712345678", "password": "password1", "roles": ["resident", "staff"],
              "community": "锦湖社区"}


def test_only_admins_manage_people(client, reviewer):
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/new", data=NEW_PERSON).status_code == 403


def test_admin_lists_and_searches_people_with_full_numbers(admin, make_user, page):
    person = make_user(name="钱七")
    html = page("/admin/users?q=钱")[1]
    assert "钱七" in html and person.phone in html and "居民" in html


def test_admin_creates_an_account_with_roles_and_a_venue(client, admin):
    venue = Venue(name="游泳馆", kind="pool")
    db.session.add(venue)
    db.session.commit()
    response = client.post("/admin/users/new", data={**NEW_PERSON, "venues": [str(venue.id)]}, follow_redirects=True)
    assert "已为赵六开通账户。" in response.get_data(as_text=True)
    person = db.session.scalar(db.select(User).where(User.phone == "13712345678"))
    assert person.role_names == ["resident", "staff"] and [v.name for v in person.venues] == ["游泳馆"]


def test_creating_needs_a_role_and_a_valid_phone(client, admin):
    response = client.post("/admin/users/new", data={**NEW_PERSON, "roles": [], "phone": "123"})
    assert response.status_code == 422 and "请至少选择一个角色。" in response.get_data(as_text=True)
    response = client.post("/admin/users/new", data={**NEW_PERSON, "phone": "123"})
    assert response.status_code == 422 and "请输入 11 位中国大陆手机号码。" in response.get_data(as_text=True)


def test_admin_changes_roles_and_community(client, admin, make_user):
    person = make_user(community="午山社区")
    make_user(community="泰都社区")
    response = client.post(f"/admin/users/{person.id}", data={"roles": ["resident", "reviewer"],
                                                              "community": "泰都社区"})
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.has_role(Role.REVIEWER) and person.community.name == "泰都社区"


def test_admin_keeps_their_own_admin_role(client, admin):
    response = client.post(f"/admin/users/{admin.id}", data={"roles": ["resident"], "community": ""})
    assert response.status_code == 403 and "不能取消您自己的街道管理员角色。" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.has_role(Role.ADMIN)


def test_reset_password_lets_the_person_sign_in_with_it(app, client, admin, make_user):
    person = make_user()
    client.post(f"/admin/users/{person.id}/password", data={"password": "new-secret-1"})
    other = app.test_client()
    assert other.post("/login", data={"phone": person.phone, "password": "new-secret-1"}).status_code == 302


def test_reset_password_refuses_a_short_one(client, admin, make_user):
    response = client.post(f"/admin/users/{make_user().id}/password", data={"password": "short"})
    assert response.status_code == 422 and "密码至少需要 8 个字符。" in response.get_data(as_text=True)


def test_disable_and_enable_an_account(app, client, admin, make_user):
    person = make_user(name="孙八")
    response = client.post(f"/admin/users/{person.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "孙八已无法登录。" in response.get_data(as_text=True)
    assert app.test_client().post("/login", data={"phone": person.phone, "password": "password1"}).status_code == 200
    client.post(f"/admin/users/{person.id}/active", data={"active": "1"})
    assert app.test_client().post("/login", data={"phone": person.phone, "password": "password1"}).status_code == 302


def test_admin_cannot_disable_themselves(client, admin):
    assert client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}).status_code == 403
    assert client.get("/admin").status_code == 200


def test_unknown_person_is_404(client, admin):
    assert client.get("/admin/users/999999").status_code == 404
