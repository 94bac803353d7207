"""The year-end clearing as admins and residents meet it: the page with four eyes, the home notice,
GET /api/v1/me, and the operator's command."""
import pytest
from freezegun import freeze_time
from sqlalchemy import func, select
from sqlalchemy.orm import configure_mappers

from points import ledger
from points.accounts.models import Role
from points.audit import AuditEntry
from points.expiry.models import ExpiryRun, RunStatus
from points.extensions import db


@pytest.fixture(autouse=True)
def december(app):
    """Every test here happens on 10 December 2026 (Shanghai), three weeks before the year ends."""
    configure_mappers()  # before the clock is frozen: the models' datetime annotations are read as they are
    with freeze_time("2026-12-10 02:00:00", tick=True):
        yield


@pytest.fixture
def year_end(app):
    app.config["EXPIRY_POLICY"] = "year_end"


@pytest.fixture
def residents(make_user, give_points, year_end):
    """王芳 of 锦湖社区 with 40 points, 李强 of 午山社区 with 7."""
    wang, li = make_user(name="王芳"), make_user(name="李强", community="午山社区")
    give_points(wang, 40)
    give_points(li, 7)
    return wang, li


@pytest.fixture
def second_admin(make_user):
    return make_user(Role.ADMIN, name="管理员乙")


def transfers():
    return db.session.scalar(select(func.count()).select_from(ledger.Transfer))


def audit_rows(action):
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def ask(client, as_of="2026-12-31", **form):
    return client.post("/admin/expiry/request", data={"as_of": as_of, **form})


def test_the_preview_shows_each_community_and_the_totals(admin, residents, page):
    status, html = page("/admin/expiry")
    assert status == 200
    assert 'value="2026-12-31"' in html  # 31 December of this year by default
    assert "锦湖社区" in html and "午山社区" in html
    assert 'data-residents="2"' in html and 'data-points="47"' in html


def test_a_day_ahead_needs_the_tick_then_a_second_admin_approves(client, admin, residents, second_admin, login, page):
    wang, li = residents
    assert ask(client).status_code == 422  # ahead of today, not confirmed
    assert db.session.scalar(select(func.count()).select_from(ExpiryRun)) == 0
    assert ask(client, confirm_ahead="1").status_code == 302
    run = db.session.execute(select(ExpiryRun)).scalar_one()
    assert run.status == RunStatus.REQUESTED and ledger.balance(wang.id).available == 40
    html = page("/admin/expiry")[1]
    assert f'action="/admin/expiry/{run.id}/approve"' not in html  # the asker sees no approve button
    assert client.post(f"/admin/expiry/{run.id}/approve").status_code == 403
    login(second_admin)
    assert f'data-clearing="{run.id}"' in page("/admin/award-requests")[1]  # listed with the approvals
    assert client.post(f"/admin/expiry/{run.id}/approve").status_code == 302
    assert ledger.balance(wang.id).available == 0 and ledger.balance(li.id).available == 0
    assert "data-cleared" in page("/admin/expiry")[1]
    assert [audit_rows(a) for a in ("expiry.requested", "expiry.run")] == [1, 1]
    assert ledger.verify() == []


def test_a_day_already_past_needs_no_tick_and_a_refusal_needs_a_reason(client, admin, residents, second_admin, login):
    assert ask(client, as_of="2026-12-05").status_code == 302
    run = db.session.execute(select(ExpiryRun)).scalar_one()
    login(second_admin)
    assert client.post(f"/admin/expiry/{run.id}/refuse", data={"reason": " "}).status_code == 422
    assert client.post(f"/admin/expiry/{run.id}/refuse", data={"reason": "会议改期"}).status_code == 302
    db.session.refresh(run)
    assert run.status == RunStatus.REFUSED and ledger.balance(residents[0].id).available == 40
    assert audit_rows("expiry.refused") == 1


def test_policy_none_says_so_and_refuses_to_clear(client, admin, make_user, give_points, app, page):
    give_points(make_user(name="王芳"), 40)
    app.config["EXPIRY_POLICY"] = "none"
    status, html = page("/admin/expiry")
    assert status == 200 and "data-expiry-off" in html and "/admin/expiry/request" not in html
    assert ask(client, confirm_ahead="1").status_code == 409


def test_a_day_that_cannot_be_read_is_said(admin, residents, page):
    assert page("/admin/expiry?as_of=2026-13-45")[0] == 422


def test_the_home_says_how_many_points_expire_in_the_last_30_days(client, residents, login, page):
    login(residents[0])
    assert 'data-expiring="40"' in page("/")[1]
    with freeze_time("2026-11-20 02:00:00"):
        assert "data-expiring" not in page("/")[1]


def test_the_home_says_nothing_under_policy_none(client, make_user, give_points, login, page):
    wang = make_user(name="王芳")
    give_points(wang, 40)
    login(wang)
    assert "data-expiring" not in page("/")[1]


def test_api_me_gives_what_expires_and_when(client, residents, token_for, app):
    body = client.get("/api/v1/me", headers=token_for(residents[0])).get_json()
    assert body["expiring"] == {"points": 40, "on": "2026-12-31"}
    app.config["EXPIRY_POLICY"] = "none"
    assert client.get("/api/v1/me", headers=token_for(residents[0])).get_json()["expiring"] is None


def test_the_command_dry_run_writes_nothing_and_a_second_run_finds_nothing_left(runner, residents):
    before = transfers()
    result = runner.invoke(args=["ledger", "expire", "--as-of", "2026-12-31", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "锦湖社区: 40 points of 1 residents" in result.output and "47 points of 2 residents" in result.output
    assert transfers() == before and ledger.balance(residents[0].id).available == 40
    result = runner.invoke(args=["ledger", "expire", "--as-of", "2026-12-31"])
    assert result.exit_code == 0 and "expired 47 points of 2 residents for 2026" in result.output
    assert ledger.balance(residents[0].id).available == 0 and transfers() == before + 2
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == "expiry.run")).scalar_one().actor_id is None
    again = runner.invoke(args=["ledger", "expire", "--as-of", "2026-12-31"])
    assert again.exit_code == 0 and "nothing left to expire for 2026" in again.output
    assert transfers() == before + 2
    assert runner.invoke(args=["ledger", "verify"]).exit_code == 0


@pytest.mark.parametrize("as_of", ["2026-12-32", "31/12/2026", "tomorrow"])
def test_the_command_refuses_a_day_it_cannot_read(runner, residents, as_of):
    result = runner.invoke(args=["ledger", "expire", "--as-of", as_of])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output


def test_the_command_refuses_policy_none(runner, app, residents):
    app.config["EXPIRY_POLICY"] = "none"
    result = runner.invoke(args=["ledger", "expire", "--as-of", "2026-12-31"])
    assert result.exit_code == 1 and "EXPIRY_POLICY" in result.output
    assert ledger.balance(residents[0].id).available == 40
