"""The audit log: one row for each change made on someone's word, none for a refusal, never edited."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from points import audit, csvout, ledger
from points.accounts import codes, members, people
from points.accounts import operations as accounts
from points.accounts.models import Role
from points.audit import AuditEntry
from points.earning import activities, awards, catalogue, claims
from points.earning.models import ActionType, Unit
from points.errors import Refusal
from points.extensions import db
from points.imports import residents as imports
from points.redemption import bookings, sessions, walkin
from points.redemption import venues as venue_ops
from points.timeutil import now_utc
from tests.redemption.beijing import bj


def entries(action=None):
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return db.session.execute(query).scalars().all()


# ---- Append-only, in the database itself ----

@pytest.fixture
def written(make_user):
    """One transfer and one audit row, committed."""
    admin, resident = make_user(Role.ADMIN), make_user()
    ledger.award(resident.id, 5, "audit-test", ledger.Memo(reason="清扫楼道"))
    audit.record(admin, "award.posted", for_user=resident, points=5)
    db.session.commit()


@pytest.mark.parametrize("statement", [
    "UPDATE transfers SET amount = amount + 1",
    "DELETE FROM transfers",
    "UPDATE audit_log SET action = 'nothing.happened'",
    "DELETE FROM audit_log",
], ids=["update-transfer", "delete-transfer", "update-audit", "delete-audit"])
def test_a_raw_change_to_an_append_only_table_fails(app, written, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert db.session.scalar(text("SELECT amount FROM transfers")) == 5
    assert [entry.action for entry in entries()] == ["award.posted"]


def test_emptying_a_table_at_once_is_refused(app, written):
    """PostgreSQL's TRUNCATE fires no DELETE trigger, so it has its own; SQLite has no TRUNCATE, and its
    unqualified DELETE (which it would run as one) fires the DELETE trigger."""
    postgresql = db.engine.dialect.name == "postgresql"
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_log, transfers CASCADE" if postgresql else "DELETE FROM audit_log"))
    db.session.rollback()
    assert len(entries()) == 1


def test_new_rows_are_still_written(app, written, make_user):
    resident = make_user()
    ledger.award(resident.id, 7, "audit-test-2")
    audit.record(None, "award.posted", for_user=resident, points=7)
    db.session.commit()
    assert db.session.scalar(text("SELECT count(*) FROM transfers")) == 2
    assert len(entries()) == 2


# ---- One row for each change made on someone's word ----

@pytest.fixture
def world(make_user):
    """An admin, a second admin, a reviewer and staff of 锦湖社区, a resident with 100 points, a venue with a
    session and an offering, a catalogue item."""
    venue = venue_ops.create_venue("羽毛球馆", "badminton")
    w = SimpleNamespace(
        admin=make_user(Role.ADMIN, name="王管理"), admin2=make_user(Role.ADMIN, name="钱管理"),
        reviewer=make_user(Role.REVIEWER, name="赵敏"), resident=make_user(name="张桂兰"),
        staff=make_user(Role.STAFF, name="郑晓", venues=[venue]), venue=venue,
    )
    ledger.award(w.resident.id, 100, "world-award")
    w.action = ActionType(code="sweep", name_zh="清扫楼道", name_en="Sweeping", category="environment", points=3,
                          unit=Unit.TIME, evidence_required=False, self_claimable=True, active=True)
    db.session.add(w.action)
    starts = bj("2026-06-10 19:00")
    w.session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 10, 5, now=bj("2026-06-01 08:00"))
    w.offering = venue_ops.add_offering(venue, "矿泉水", "Water", 2)
    db.session.commit()
    w.before = max((row.id for row in entries()), default=0)  # the world's own rows: a venue, a session...
    return w


def imported(w):
    content = "姓名,手机号,社区,期初积分\n李大爷,13612345670,锦湖社区,20\n".encode()
    return imports.import_residents(w.admin, imports.new_batch(w.admin, "居民.csv", content, dry_run=False))


def claim_for(w, by=None):
    return claims.submit(by or w.resident, w.resident, w.action.id, claims.local_today(), 1, "")


def big_request(w):
    return awards.give(w.admin, w.resident, current_app.config["FOUR_EYES_THRESHOLD"] + 1, "big", note="大扫除")[1]


def closed_activity(w):
    activity = activities.create(w.reviewer, "楼道清扫", now_utc(), now_utc() + timedelta(hours=2), "3号楼",
                                 w.action.id, 5)
    activities.check_in(w.reviewer, activity, phone=w.resident.phone)
    activities.close(w.admin, activity)
    return activity


# name: (do it once, the row it leaves: action, actor, for whom (None: nobody), the target's table)
ACTIONS = {
    "award": (lambda w: awards.give(w.reviewer, w.resident, 5, "k1", note="扫雪"),
              "award.posted", "reviewer", "resident", "transfers"),
    "deduction": (lambda w: awards.give(w.reviewer, w.resident, -5, "k2", note="乱扔垃圾"),
                  "deduction.posted", "reviewer", "resident", "transfers"),
    "large award asked for": (big_request, "award.requested", "admin", "resident", "award_requests"),
    "large award approved": (lambda w: awards.approve(w.admin2, big_request(w)),
                             "award_request.approved", "admin2", "resident", "award_requests"),
    "large award refused": (lambda w: awards.refuse(w.admin2, big_request(w), "太多了"),
                            "award_request.refused", "admin2", "resident", "award_requests"),
    "claim entered for a resident": (lambda w: claim_for(w, by=w.reviewer),
                                     "claim.submitted_for", "reviewer", "resident", "claims"),
    "claim approved": (lambda w: claims.approve(w.reviewer, claim_for(w)), "claim.approved", "reviewer", "resident",
                       "claims"),
    "claim rejected": (lambda w: claims.reject(w.reviewer, claim_for(w), "照片不清楚"),
                       "claim.rejected", "reviewer", "resident", "claims"),
    "activity closed": (closed_activity, "activity.closed", "admin", None, "activities"),
    "catalogue item added": (lambda w: catalogue.create(w.admin, code="snow", name_zh="扫雪", name_en="Snow",
                                                        category="environment", points=4),
                             "action_type.created", "admin", None, "action_types"),
    "catalogue item retired": (lambda w: catalogue.set_active(w.admin, w.action, False),
                               "action_type.retired", "admin", None, "action_types"),
    "account created": (lambda w: accounts.add_user(w.admin, "13912345678", "新同事", "password1", Role.STAFF),
                        "user.created", "admin", None, "users"),
    "resident registered": (lambda w: people.register_resident(w.reviewer, "13912345679", "李大爷"),
                            "user.created", "reviewer", None, "users"),
    "roles changed": (lambda w: accounts.set_roles(w.resident, Role.RESIDENT | Role.STAFF, w.resident.community,
                                                   actor=w.admin), "user.roles_changed", "admin", None, "users"),
    "password reset": (lambda w: accounts.reset_password(w.resident, "newpassword", actor=w.admin),
                       "user.password_reset", "admin", None, "users"),
    "account disabled": (lambda w: accounts.set_active(w.resident, False, actor=w.admin),
                         "user.disabled", "admin", None, "users"),
    "card issued": (lambda w: members.issue_card(w.resident, w.reviewer), "card.issued", "reviewer", "resident",
                    "member_cards"),
    "one-time code issued": (lambda w: codes.issue_code(w.reviewer, w.resident), "code.issued", "reviewer",
                             "resident", "one_time_codes"),
    "one-time code used": (lambda w: codes.use_code(w.resident.phone, codes.issue_code(w.reviewer, w.resident).code,
                                                    "brand-new-pass"), "code.used", "resident", "resident",
                           "one_time_codes"),
    "venue opened": (lambda w: venue_ops.create_venue("乒乓球室", "table_tennis", actor=w.admin),
                     "venue.created", "admin", None, "venues"),
    "session added": (lambda w: sessions.create_session(w.venue, bj("2026-06-11 19:00"), bj("2026-06-11 20:00"), 8, 3,
                                                        now=bj("2026-06-01 08:00"), actor=w.admin),
                      "session.created", "admin", None, "sessions"),
    "session cancelled": (lambda w: sessions.cancel_session(w.admin, w.session, now=bj("2026-06-08 10:00")),
                          "session.cancelled", "admin", None, "sessions"),
    "booking made for a resident": (lambda w: bookings.book(w.reviewer, w.resident, w.session, "b1",
                                                            now=bj("2026-06-08 10:00")),
                                    "booking.made_for", "reviewer", "resident", "bookings"),
    "walk-in": (lambda w: walkin.redeem_walk_in(w.staff, members.phone_code(w.resident), w.offering.id, "w1"),
                "walk_in.redeemed", "staff", "resident", "transfers"),
    "residents imported": (imported, "import.committed", "admin", None, "imports"),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_each_audited_action_leaves_one_row(app, world, name):
    do, action, actor, for_user, table = ACTIONS[name]
    do(world)
    db.session.commit()
    rows = [row for row in entries(action) if row.id > world.before]
    assert len(rows) == 1, [(row.action, row.details) for row in rows]
    row = rows[0]
    assert row.actor_id == getattr(world, actor).id
    assert row.for_user_id == (getattr(world, for_user).id if for_user else None)
    assert row.target_type == table and row.target_id is not None
    assert row.created_at is not None and row.address is None  # no request: no address


def test_a_row_says_what_changed(app, world):
    accounts.set_roles(world.resident, Role.RESIDENT | Role.STAFF, world.resident.community, actor=world.admin)
    awards.give(world.reviewer, world.resident, 5, "k-details", note="扫雪")
    db.session.commit()
    roles, award = entries("user.roles_changed")[0], entries("award.posted")[0]
    assert roles.details["before"] == ["resident"] and roles.details["after"] == ["resident", "staff"]
    assert award.details == {"points": 5, "reason": "扫雪"}


def test_a_retried_award_leaves_one_row(app, world):
    """The same idempotency key again answers with the first transfer: that is one award, one row."""
    for _ in range(2):
        awards.give(world.reviewer, world.resident, 5, "same-key", note="扫雪")
    for _ in range(2):
        walkin.redeem_walk_in(world.staff, members.phone_code(world.resident), world.offering.id, "w")
    db.session.commit()
    assert len(entries("award.posted")) == 1
    assert len(entries("walk_in.redeemed")) == 1


REFUSED = {
    "award to oneself": lambda w: awards.give(w.reviewer, w.reviewer, 5, "r1", note="x"),
    "a deduction beyond the balance": lambda w: awards.give(w.reviewer, w.resident, -200, "r2", note="x"),
    "own large award approved": lambda w: awards.approve(w.admin, big_request(w)),
    "claim decided by its submitter": lambda w: claims.approve(w.reviewer, claim_for(w, by=w.reviewer)),
    "claim rejected without a reason": lambda w: claims.reject(w.reviewer, claim_for(w), ""),
    "account with a taken phone": lambda w: accounts.add_user(w.admin, w.resident.phone, "重名", "password1"),
    "reviewer without a community": lambda w: accounts.set_roles(w.resident, Role.REVIEWER, None, actor=w.admin),
    "password too short": lambda w: accounts.reset_password(w.resident, "short", actor=w.admin),
    "session in the past": lambda w: sessions.create_session(w.venue, bj("2026-05-01 19:00"), bj("2026-05-01 20:00"),
                                                             8, 3, now=bj("2026-06-01 08:00"), actor=w.admin),
    "walk-in beyond the balance": lambda w: walkin.redeem_walk_in(
        w.staff, members.phone_code(w.resident), venue_ops.add_offering(w.venue, "年卡", "", 500).id, "w2"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_refused_action_leaves_no_row(app, world, name):
    before = {(row.action, row.target_id) for row in entries()}
    with pytest.raises(Refusal):
        REFUSED[name](world)
    db.session.commit()  # as a page that shows the refusal beside its form does
    new = [row.action for row in entries() if (row.action, row.target_id) not in before]
    assert new in ([], ["award.requested"], ["claim.submitted_for"], ["offering.created"]), new


def test_a_resident_doing_their_own_thing_is_not_recorded(app, world):
    claim = claim_for(world)
    bookings.book(world.resident, world.resident, world.session, "own", now=bj("2026-06-08 10:00"))
    claims.withdraw(world.resident, claim)
    db.session.commit()
    assert [row.id for row in entries() if row.id > world.before] == []


# ---- Reading it: the API, the page, the CSV ----

def test_the_api_pages_newest_first_with_a_cursor(app, client, world, token_for):
    for n in range(5):
        awards.give(world.reviewer, world.resident, n + 1, f"page-{n}", note="扫雪")
    db.session.commit()
    headers = token_for(world.admin)
    first = client.get("/api/v1/audit?action=award.posted&limit=3", headers=headers).get_json()
    assert [item["details"]["points"] for item in first["items"]] == [5, 4, 3]
    rest = client.get(f"/api/v1/audit?action=award.posted&limit=3&cursor={first['next_cursor']}",
                      headers=headers).get_json()
    assert [item["details"]["points"] for item in rest["items"]] == [2, 1] and rest["next_cursor"] is None
    item = first["items"][0]
    assert item["actor"] == {"id": world.reviewer.id, "name": "赵敏"}
    assert item["for_user"] == {"id": world.resident.id, "name": "张桂兰"}
    assert item["target_type"] == "transfers" and item["action"] == "award.posted"


def test_the_api_filters_by_actor_family_and_day(app, client, world, token_for):
    awards.give(world.reviewer, world.resident, 5, "f1", note="扫雪")
    accounts.reset_password(world.resident, "newpassword", actor=world.admin)
    db.session.commit()
    headers = token_for(world.admin)
    today = claims.local_today()

    def actions(query):
        response = client.get(f"/api/v1/audit?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [item["action"] for item in response.get_json()["items"]]

    assert actions(f"actor_id={world.admin.id}") == ["user.password_reset"]
    assert actions("action=user") == ["user.password_reset"]
    assert actions(f"from={today}&to={today}&actor_id={world.reviewer.id}") == ["award.posted"]
    assert actions(f"to={today - timedelta(days=1)}") == []


@pytest.mark.parametrize("query", ["from=yesterday", "action=DROP TABLE", "cursor=abc", "actor_id=0", "limit=1000"])
def test_bad_filters_are_told_not_failed(app, client, world, token_for, query):
    response = client.get(f"/api/v1/audit?{query}", headers=token_for(world.admin))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_request"


def test_only_admins_read_the_api(app, client, world, token_for):
    assert client.get("/api/v1/audit", headers=token_for(world.reviewer)).status_code == 403


def test_a_change_made_on_a_page_records_the_address(app, client, world, login):
    login(world.admin)
    response = client.post(f"/admin/users/{world.resident.id}/password", data={"password": "newpassword"},
                           environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert response.status_code == 302
    row = entries("user.password_reset")[0]
    assert (row.actor_id, row.target_id, row.address) == (world.admin.id, world.resident.id, "203.0.113.7")


def test_the_page_shows_and_filters_the_log(app, client, world, login):
    awards.give(world.reviewer, world.resident, 5, "p1", note="扫雪")
    accounts.reset_password(world.resident, "newpassword", actor=world.admin)
    db.session.commit()
    login(world.admin)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    everything = client.get("/admin/audit").get_data(as_text=True)
    assert "Points awarded · for 张桂兰" in everything and "Password reset" in everything
    only_awards = client.get("/admin/audit?action=award.posted").get_data(as_text=True)
    assert "Points awarded" in only_awards and "Password reset</span>" not in only_awards
    bad = client.get("/admin/audit?from=2026-13-01")
    assert bad.status_code == 422 and "Please enter a date such as 2026-12-01." in bad.get_data(as_text=True)


def test_the_page_pages_back_with_an_older_link(app, client, world, login):
    for n in range(audit.PAGE + 1):
        audit.record(world.admin, "user.password_reset", world.resident, n=n)
    db.session.commit()
    login(world.admin)
    page = client.get("/admin/audit?action=user.password_reset").get_data(as_text=True)
    assert "n: 50" in page and "n: 0<" not in page and 'rel="next"' in page
    older = entries("user.password_reset")[1].id
    assert f"before={older}" in page
    earlier = client.get(f"/admin/audit?action=user.password_reset&before={older}").get_data(as_text=True)
    assert "n: 0<" in earlier and 'rel="next"' not in earlier


def test_the_csv_has_a_bom_and_runs_no_formula(app, client, world, login):
    world.resident.name = "=cmd|' /C calc'!A0"
    awards.give(world.reviewer, world.resident, -5, "c1", note="@SUM(1+1)")
    db.session.commit()
    login(world.admin)
    response = client.get("/admin/audit/audit.csv?action=deduction.posted")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert len(lines) == 2  # the header and the one deduction
    assert ",'=cmd|' /C calc'!A0," in lines[1]
    assert "'@SUM(1+1)" not in lines[1] and '""reason"": ""@SUM(1+1)""' in lines[1]  # inside JSON, not a cell start
    assert '{""points"": -5' in lines[1]


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+86 138", "'+86 138"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("张桂兰", "张桂兰"), (-5, -5), (None, ""),
])
def test_a_cell_that_would_run_is_written_as_text(value, written):
    assert csvout.neutral(value) == written


def test_the_venues_set_on_a_staff_members_page_are_recorded(client, login, make_user):
    from points.redemption import venues

    pool = venues.create_venue("游泳馆", "swimming")
    staff = make_user(Role.STAFF, name="冯涛")
    admin = make_user(Role.ADMIN, name="王建国")
    db.session.commit()
    login(admin)
    answer = client.post(f"/admin/users/{staff.id}", data={"roles": ["staff"], "community": "锦湖社区",
                                                          "venues": [str(pool.id)]})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    rows = entries("user.venues_changed")
    assert len(rows) == 1 and rows[0].actor_id == admin.id and rows[0].details["after"] == ["游泳馆"]
    client.post(f"/admin/users/{staff.id}", data={"roles": ["staff"], "community": "锦湖社区",
                                                 "venues": [str(pool.id)]})
    assert len(entries("user.venues_changed")) == 1  # the same venues again: nothing changed, nothing recorded
