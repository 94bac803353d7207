"""Rules the database keeps itself: a raw write that breaks one fails, on SQLite and on PostgreSQL.

Each write below breaks exactly one rule of migration 0004 and keeps every older one, so it went
through before that migration and fails after it.
"""
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from points import ledger
from points.accounts.models import Role
from points.earning import activities, awards, claims
from points.earning.models import ActionType, Unit
from points.extensions import db
from points.redemption import bookings, sessions, venues
from points.timeutil import now_utc


@pytest.fixture
def world(app, make_user):
    """One of everything the rules speak of, written by the app's own operations."""
    admin, second_admin = make_user(Role.ADMIN, name="管理员甲"), make_user(Role.ADMIN, name="管理员乙")
    reviewer, resident = make_user(Role.REVIEWER, name="赵敏"), make_user(name="张桂兰")
    action = ActionType(code="stairwell", name_zh="清扫楼道", name_en="Cleaning a stairwell", category="environment",
                        points=3, unit=Unit.TIME, daily_cap=6, monthly_cap=60)
    db.session.add(action)
    db.session.flush()
    ledger.award(resident.id, 50, "test:points")
    claim = claims.submit(reviewer, resident, action.id, claims.local_today(), 1, "替居民申报")
    _, request = awards.give(admin, resident, 80, "test:large", note="抗洪抢险")
    activity = activities.create(reviewer, "楼道清扫", now_utc(), now_utc() + timedelta(hours=2), "3号楼",
                                 action.id, 5)
    activities.check_in(reviewer, activity, phone=resident.phone)
    venue = venues.create_venue("乒乓球馆", "table_tennis")
    starts = now_utc() + timedelta(days=1)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 8, 5)
    booking = bookings.book(resident, resident, session, "test:book")
    db.session.commit()
    return dict(admin=admin.id, second_admin=second_admin.id, reviewer=reviewer.id, resident=resident.id,
                action=action.id, claim=claim.id, request=request.id, activity=activity.id, booking=booking.id)


BROKEN = {  # rule: a raw write that breaks it alone
    "daily cap above the monthly cap": "UPDATE action_types SET daily_cap = 61 WHERE id = :action",
    "an activity ending as it starts": "UPDATE activities SET ends_at = starts_at WHERE id = :activity",
    "a check-in by an unknown method": "UPDATE participations SET method = 'fax' WHERE activity_id = :activity",
    "an approved claim without its transfer":
        "UPDATE claims SET status = 'approved', decided_by = :admin WHERE id = :claim",
    "an approved award request without its transfer":
        "UPDATE award_requests SET status = 'approved', decided_by = :second_admin WHERE id = :request",
    "a checked-in ticket that names nobody":
        "UPDATE bookings SET status = 'checked_in', used_at = created_at WHERE id = :booking",
    "a claim decided by whoever submitted it":
        "UPDATE claims SET status = 'rejected', decided_by = submitted_by, decision_reason = 'x' WHERE id = :claim",
    "a claim decided by its resident":
        "UPDATE claims SET status = 'rejected', decided_by = user_id, decision_reason = 'x' WHERE id = :claim",
    "a reviewer without a community": "UPDATE users SET community_id = NULL WHERE id = :reviewer",
    "an admin made reviewer without a community": f"UPDATE users SET roles = roles | {int(Role.REVIEWER)} "
                                                 "WHERE id = :admin AND community_id IS NULL",
}


@pytest.mark.parametrize("rule", BROKEN)
def test_a_raw_write_that_breaks_a_rule_fails(world, make_user, rule):
    if rule == "an admin made reviewer without a community":
        world["admin"] = make_user(Role.ADMIN, community=None).id
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            result = db.session.execute(text(BROKEN[rule]), world)
            assert result.rowcount == 1  # the write names a row: it fails for the rule, not for want of one
    db.session.rollback()


def test_the_same_rows_kept_within_the_rules_are_written(world):
    """The writes above are ordinary once they keep the rule: only the rule refuses them."""
    db.session.execute(text("UPDATE action_types SET daily_cap = 60 WHERE id = :action"), world)
    db.session.execute(text("UPDATE participations SET method = 'card' WHERE activity_id = :activity"), world)
    db.session.execute(text("UPDATE claims SET status = 'rejected', decided_by = :admin, decision_reason = 'x' "
                            "WHERE id = :claim"), world)
    db.session.execute(text("UPDATE bookings SET status = 'checked_in', used_at = created_at, used_by = :reviewer "
                            "WHERE id = :booking"), world)
    db.session.commit()


def test_an_upgrade_over_rows_that_break_a_rule_stops_and_says_which(app, make_user, capsys):
    """Rows from before the rules: `flask db upgrade` names the rule and how many rows, changes nothing
    and exits 1."""
    reviewer = make_user(Role.REVIEWER).id  # made with today's tables, which later migrations may have added to
    db.session.commit()
    db.engine.dispose()
    downgrade(revision="0003")
    db.session.execute(text("UPDATE users SET community_id = NULL WHERE id = :id"), {"id": reviewer})
    db.session.commit()
    db.engine.dispose()
    with pytest.raises(SystemExit):
        upgrade(revision="0004")
    assert "1 row(s) of users break ck_users_reviewer_has_community" in capsys.readouterr().err
    db.engine.dispose()
    assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == "0003"
    db.session.execute(text("UPDATE users SET community_id = (SELECT min(id) FROM communities)"))
    db.session.commit()
    db.engine.dispose()
    upgrade(revision="0004")
    assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == "0004"
