"""Clearing at year end: what each policy expires, read from the ledger, once per year, sparing holds."""
import itertools
from datetime import date

import pytest
import sqlalchemy as sa
from freezegun import freeze_time
from sqlalchemy import func, select

from points import ledger
from points.accounts.models import Role
from points.audit import AuditEntry
from points.errors import Forbidden, Refusal
from points.expiry import operations as expiry
from points.expiry.models import ExpiryRun, RunStatus
from points.extensions import db
from points.ledger.models import EXPIRY_ACCOUNT

YEAR_END = date(2026, 12, 31)
_keys = itertools.count()


def key():
    return f"test:expiry:{next(_keys)}"


def at(moment, write, *args):
    """A ledger write made at that moment (UTC), committed."""
    with freeze_time(moment):
        record = write(*args, key())
    db.session.commit()
    return record


@pytest.fixture
def policy(app):
    def use(name):
        app.config["EXPIRY_POLICY"] = name
    return use


@pytest.fixture
def wang(make_user, make_venue):
    """王芳's year: 120 earned in 2025, 70 spent in 2026 (from the oldest), 50 earned in 2026, 30 more
    awarded and reversed, 10 on hold. Available 90 (40 from 2025, 50 from 2026), 10 held."""
    resident = make_user(name="王芳")
    venue = make_venue()
    at("2025-03-01 02:00", ledger.award, resident.id, 100)
    at("2025-11-01 02:00", ledger.award, resident.id, 20)
    at("2026-02-01 02:00", ledger.award, resident.id, 50)
    at("2026-03-01 02:00", ledger.redeem, resident.id, venue.id, 70)
    mistaken = at("2026-04-01 02:00", ledger.award, resident.id, 30)
    at("2026-05-01 02:00", ledger.reverse, mistaken.id)
    at("2026-06-01 02:00", ledger.hold, resident.id, venue.id, 10)
    assert ledger.balance(resident.id) == ledger.Balance(90, 10, 170)
    return resident


def expiry_account():
    return db.session.get(ledger.Account, EXPIRY_ACCOUNT).available


def transfers():
    return db.session.scalar(select(func.count()).select_from(ledger.Transfer))


def audit_rows(action):
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def run(as_of=YEAR_END, now="2026-12-20 02:00"):
    with freeze_time(now):
        result = expiry.run_now(as_of)
    db.session.commit()
    return result


def test_year_end_next_expires_what_is_left_of_last_year_oldest_spent_first(wang, policy):
    policy("year_end_next")
    _run, expired = run()
    assert expired == ledger.Expired(residents=1, points=40)
    assert ledger.balance(wang.id) == ledger.Balance(50, 10, 170)  # this year's 50 and the hold stay
    assert expiry_account() == 40
    assert ledger.verify() == []


def test_year_end_next_reversing_last_years_award_takes_it_from_the_old_points(wang, policy):
    policy("year_end_next")
    november = db.session.scalar(select(ledger.Transfer).where(ledger.Transfer.amount == 20))
    at("2026-07-01 02:00", ledger.reverse, november.id)
    assert run()[1].points == 20  # 40 old points less the 20 taken back
    assert ledger.balance(wang.id).available == 50


def test_year_end_expires_everything_available_and_never_what_is_held(wang, policy):
    policy("year_end")
    assert run()[1].points == 90
    assert ledger.balance(wang.id) == ledger.Balance(0, 10, 170)
    assert ledger.verify() == []


def test_a_clearing_run_after_the_day_spares_what_came_in_since(wang, policy):
    policy("year_end")
    at("2027-01-03 02:00", ledger.award, wang.id, 15)  # earned in the new year, before the office cleared
    assert run(now="2027-01-05 02:00")[1].points == 90
    assert ledger.balance(wang.id).available == 15


def test_an_opening_balance_counts_as_earned_when_it_came_in(make_user, policy):
    policy("year_end_next")
    old, new = make_user(name="老住户"), make_user(name="新住户")
    with freeze_time("2025-05-01 02:00"):
        ledger.opening_balances([(ledger.account_of(old.id), 60)])
    with freeze_time("2026-05-01 02:00"):
        ledger.opening_balances([(ledger.account_of(new.id), 25)])
    db.session.commit()
    assert run()[1] == ledger.Expired(residents=1, points=60)
    assert ledger.balance(old.id).available == 0 and ledger.balance(new.id).available == 25


def test_a_second_run_of_the_year_writes_nothing(wang, policy):
    policy("year_end")
    first, _ = run()
    before = transfers()
    again, expired = run()
    assert again.id == first.id and expired == ledger.Expired(0, 0)
    assert transfers() == before and audit_rows("expiry.run") == 1


def test_preview_counts_per_community_and_writes_nothing(wang, make_user, policy):
    policy("year_end")
    neighbour = make_user(name="李强", community="午山社区")
    at("2026-08-01 02:00", ledger.award, neighbour.id, 7)
    make_user(name="没有积分")  # nothing to expire: not counted
    before = transfers()
    seen = expiry.preview(YEAR_END)
    assert [(line.community, line.residents, line.points) for line in seen.lines] == [
        ("午山社区", 1, 7), ("锦湖社区", 1, 90)]
    assert (seen.residents, seen.points, seen.period) == (2, 97, "2026")
    assert transfers() == before


def test_policy_none_is_refused_with_its_code(wang, policy):
    policy("none")
    with pytest.raises(Refusal) as refused:
        expiry.run_now(YEAR_END)
    assert refused.value.code == "expiry_off"


def test_four_eyes_the_asker_cannot_approve_a_second_admin_can(wang, make_user, policy):
    policy("year_end")
    first, second = make_user(Role.ADMIN, name="管理员甲"), make_user(Role.ADMIN, name="管理员乙")
    asked = expiry.request_run(first, YEAR_END)
    db.session.commit()
    assert (asked.residents, asked.points, ledger.balance(wang.id).available) == (1, 90, 90)
    with pytest.raises(Forbidden) as refused:
        expiry.approve_run(first, asked)
    assert refused.value.code == "four_eyes"
    expired = expiry.approve_run(second, asked)
    db.session.commit()
    assert expired.points == 90 and asked.status == RunStatus.DONE and asked.decided_by == second.id
    assert ledger.balance(wang.id).available == 0
    with pytest.raises(Refusal) as again:
        expiry.approve_run(second, asked)
    assert again.value.code == "already_decided"
    assert [audit_rows(a) for a in ("expiry.requested", "expiry.run", "expiry.refused")] == [1, 1, 0]
    assert ledger.verify() == []


def test_a_refused_clearing_moves_nothing_and_may_be_asked_for_again(wang, make_user, policy):
    policy("year_end")
    first, second = make_user(Role.ADMIN, name="管理员甲"), make_user(Role.ADMIN, name="管理员乙")
    asked = expiry.request_run(first, YEAR_END)
    with pytest.raises(Refusal) as twice:
        expiry.request_run(second, YEAR_END)
    assert twice.value.code == "expiry_pending"
    expiry.refuse_run(second, asked, "年终会议改期")
    db.session.commit()
    assert ledger.balance(wang.id).available == 90 and audit_rows("expiry.refused") == 1
    assert expiry.request_run(second, YEAR_END).status == RunStatus.REQUESTED


def test_the_database_keeps_one_run_done_per_year(app, policy):
    for _ in range(2):
        db.session.add(ExpiryRun(period="2026", policy="year_end", as_of=YEAR_END, status=RunStatus.DONE))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_one_residents_notice_matches_what_the_run_takes(wang, policy):
    policy("year_end_next")
    with freeze_time("2026-12-05 02:00"):
        assert expiry.notice(wang.id) == expiry.Notice(40, YEAR_END)
    with freeze_time("2026-11-20 02:00"):
        assert expiry.notice(wang.id) is None  # more than 30 days before 31 December
    run()
    with freeze_time("2026-12-21 02:00"):
        assert expiry.notice(wang.id) is None  # cleared
