"""Making a service record: the approved actions of the period, their hours and points, kept as made."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from points.accounts.models import Role
from points.audit import AuditEntry
from points.earning.models import Unit
from points.errors import Invalid, NotFound
from points.expiry.operations import today
from points.extensions import db
from points.records import operations as records


@pytest.fixture
def make_record(resident):
    """make_record(by=resident, first=30 days ago, last=today) -> the committed ServiceRecord."""

    def make(by=None, first=None, last=None, holder=None):
        first_day = first or today() - timedelta(days=30)
        record = records.make(by or resident, holder or resident, first_day, last or today())
        db.session.commit()
        return record

    return make


def test_claims_activities_and_awards_are_recorded_with_hours(approved_claim, closed_activity, given, make_action,
                                                             make_record):
    approved_claim(quantity=3, action=make_action(points=4, unit=Unit.HOUR))
    approved_claim(action=make_action(points=2))
    closed_activity(hours=2, points=5)
    given(6)
    record = make_record()
    assert (record.actions, record.minutes, record.points) == (4, 5 * 60, 12 + 2 + 5 + 6)
    assert sorted(action.minutes or 0 for action in record.done) == [0, 0, 120, 180]


def test_deductions_and_reversed_awards_are_left_out(approved_claim, given, reversed_award, make_record):
    approved_claim()
    given(-2, note="乱扔垃圾")
    record = make_record()
    assert (record.actions, record.points) == (1, 3)
    assert [action.name_zh for action in record.done] == [record.done[0].name_zh]


def test_only_actions_done_in_the_period_count(approved_claim, make_record):
    approved_claim(days_ago=0)
    approved_claim(days_ago=3)
    yesterday = today() - timedelta(days=1)
    record = make_record(first=yesterday - timedelta(days=5), last=yesterday)
    assert record.actions == 1 and record.done[0].day == today() - timedelta(days=3)


def test_a_record_keeps_what_it_attested_after_a_later_reversal(given, admin, make_record):
    from points import ledger
    from points.earning import corrections

    award = given(8)
    record = make_record()
    corrections.reverse(admin, db.session.get(ledger.Transfer, award.id), "发错了", "undo:later")
    db.session.commit()
    assert db.session.get(type(record), record.id).points == 8
    assert make_record().points == 0


def test_each_record_has_its_own_unguessable_code_and_is_audited(resident, make_record):
    first, second = make_record(), make_record()
    assert first.code != second.code and len(first.code) == 22
    assert records.verified(first.code).id == first.id
    rows = db.session.execute(select(AuditEntry).where(AuditEntry.action == "service_record.made")).scalars().all()
    assert [(row.actor_id, row.for_user_id, row.target_id) for row in rows] == [
        (resident.id, resident.id, first.id), (resident.id, resident.id, second.id)]


def test_a_record_has_the_names_of_the_street_community_and_holder(resident, reviewer, make_record):
    record = make_record(by=reviewer)
    assert (record.holder_name, record.community_name, record.street_name) == ("张桂兰", "锦湖社区", "棘洪滩街道")
    assert record.made_by == reviewer.id


@pytest.mark.parametrize("first, last, field", [
    ("2026-13-01", "", "from"), ("yesterday", "", "from"), ("", "0001-01-01", "to"),
    ("2026-05-02", "2026-05-01", "to"), ("2000-01-01", "2026-01-01", "from"), ("2026-01-01", "2026-1-1\x00", "to"),
])
def test_a_bad_period_is_refused_with_its_field(app, first, last, field):
    with pytest.raises(Invalid) as refused:
        records.parse_period(first, last)
    assert refused.value.details["field"] == field


def test_an_empty_period_is_this_year_so_far(app):
    assert records.parse_period("", "") == (date(today().year, 1, 1), today())


def test_nobody_out_of_reach_makes_a_record(make_user, resident, make_record):
    stranger = make_user(name="陌生人")
    other_reviewer = make_user(Role.REVIEWER, community="午山社区")
    for outsider in (stranger, other_reviewer):
        with pytest.raises(NotFound):
            make_record(by=outsider)
    assert records.records_of(resident) == []


def test_a_resident_without_a_community_gets_the_streets_name(make_user, make_record):
    loner = make_user(community=None, name="刘一")
    record = make_record(by=loner, holder=loner)
    assert (record.community_name, record.street_name, record.actions) == ("", "棘洪滩街道", 0)


def test_only_residents_have_records(admin, make_record):
    with pytest.raises(Invalid):
        make_record(by=admin, holder=admin)
