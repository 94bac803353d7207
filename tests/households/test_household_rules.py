"""Households (SPEC §11): points pass only inside one household, within a monthly limit; each person
keeps their own earned total; the database keeps a member in the household's community."""
import itertools

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from points import audit, ledger
from points.accounts import operations as accounts
from points.accounts.models import Role
from points.extensions import db
from points.households import operations as households
from points.households.operations import HouseholdRefusal

_keys = itertools.count()


@pytest.fixture
def family(make_user):
    """张桂兰 heads a household of 锦湖社区 with her son 李明; 王芳 lives next door, in none."""
    reviewer = make_user(Role.REVIEWER, name="审核员")
    head, son, neighbour = (make_user(name=name) for name in ("张桂兰", "李明", "王芳"))
    household = households.create(reviewer, head, "锦湖3-1-201")
    households.add_member(reviewer, household, son)
    db.session.commit()
    for person, points in ((head, 300), (son, 20), (neighbour, 50)):
        ledger.award(person.id, points, f"seed:{person.id}")
    db.session.commit()
    return reviewer, household, head, son, neighbour


def give(giver, receiver, points):
    record = households.pass_points(giver, receiver, points, f"test-pass:{next(_keys)}")
    db.session.commit()
    return record


def test_a_member_passes_points_to_another_and_both_keep_their_earned_totals(family):
    _, _, head, son, _ = family
    record = give(head, son, 30)
    assert (ledger.balance(head.id), ledger.balance(son.id)) == (
        ledger.Balance(available=270, held=0, earned_total=300), ledger.Balance(available=50, held=0, earned_total=20))
    assert record.kind == ledger.TransferKind.TRANSFER
    assert "张桂兰" in record.reason and "李明" in record.reason  # both names, on the transfer itself
    assert (record.requested_by, record.ref_type) == (head.id, "household")
    assert ledger.verify() == []


@pytest.mark.parametrize("who", ["neighbour", "themself"])
def test_points_never_pass_outside_the_household(family, who):
    _, _, head, son, neighbour = family
    receiver = neighbour if who == "neighbour" else head
    with pytest.raises(HouseholdRefusal):
        give(head, receiver, 10)
    with pytest.raises(HouseholdRefusal):
        give(neighbour, son, 10)  # nor into it from outside
    assert [ledger.balance(p.id).available for p in (head, son, neighbour)] == [300, 20, 50]


def test_the_monthly_limit_counts_what_was_already_passed(app, family):
    _, _, head, son, _ = family
    app.config["HOUSEHOLD_PASS_MONTHLY_LIMIT"] = 100
    give(head, son, 60)
    with pytest.raises(ledger.MonthlyLimitReached, match="40"):
        give(head, son, 41)
    give(head, son, 40)
    assert households.left_this_month(head) == 0
    assert households.left_this_month(son) == 100  # the limit is per giver
    give(son, head, 100)
    assert (ledger.balance(head.id).available, ledger.balance(son.id).available) == (300, 20)


def test_passing_more_than_is_available_is_refused_and_nothing_moves(family):
    _, _, head, son, _ = family
    with pytest.raises(ledger.InsufficientPoints):
        give(son, head, 21)
    assert ledger.balance(son.id).available == 20


def test_the_same_request_key_passes_once(family):
    _, _, head, son, _ = family
    first = households.pass_points(head, son, 10, "test-pass:once")
    again = households.pass_points(head, son, 10, "test-pass:once")
    db.session.commit()
    assert first.id == again.id and ledger.balance(son.id).available == 30


def test_a_member_of_another_community_cannot_join(make_user, family):
    reviewer, household, *_ = family
    admin = make_user(Role.ADMIN, name="管理员")
    elsewhere = make_user(name="远亲", community="东城社区")
    with pytest.raises(HouseholdRefusal):
        households.add_member(admin, household, elsewhere)
    with pytest.raises(HouseholdRefusal):  # nor one who already belongs to a household
        households.add_member(reviewer, household, family[3])


def test_the_database_keeps_members_in_the_households_community_and_one_head(family):
    _, household, head, son, _ = family
    other = accounts.community_named("东城社区")
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.text("UPDATE users SET community_id = :c WHERE id = :u"), {"c": other.id, "u": son.id})
        db.session.flush()
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.text("UPDATE users SET heads_household = :yes WHERE id = :u"), {"yes": True, "u": son.id})
        db.session.flush()
    db.session.rollback()


def test_moving_to_another_community_leaves_the_household_and_hands_it_on(make_user, family):
    _, household, head, son, _ = family
    admin = make_user(Role.ADMIN, name="管理员")
    accounts.set_roles(head, Role.RESIDENT, accounts.community_named("东城社区"), actor=admin)
    db.session.commit()
    assert head.household_id is None
    assert [(p.name, p.heads_household) for p in households.members(household)] == [("李明", True)]
    assert ledger.verify() == []


def test_the_head_changes_and_only_then_leaves(family):
    reviewer, household, head, son, _ = family
    with pytest.raises(HouseholdRefusal):
        households.remove_member(reviewer, household, head)
    households.make_head(reviewer, household, son)
    households.remove_member(reviewer, household, head)
    db.session.commit()
    assert [(p.name, p.heads_household) for p in households.members(household)] == [("李明", True)]
    assert [e.action for e in audit.entries(actor_id=reviewer.id)][:2] == [
        "household.member_removed", "household.head_changed"]


def test_a_reviewer_of_another_community_cannot_touch_the_household(make_user, family):
    _, household, head, son, _ = family
    stranger = make_user(Role.REVIEWER, name="外社区审核员", community="东城社区")
    with pytest.raises(Exception) as refused:
        households.remove_member(stranger, household, son)
    assert refused.value.status == 404
    assert son.household_id == household.id


def test_received_points_do_not_refresh_their_age_at_year_end(app, family):
    """Points passed on count as old as the giver's: passing them around cannot save them from expiry."""
    _, _, head, son, _ = family
    own_award = ledger.history(son.id)[0].transfer
    give(head, son, 100)
    # Counting from his own award on, only those 20 points are new; the 100 he received are not.
    assert ledger.expiring_for(ledger.account_of(son.id), own_award.created_at) == 100


def test_points_are_not_passed_to_a_disabled_account(family):
    _, _, head, son, _ = family
    son.active = False
    db.session.commit()
    with pytest.raises(HouseholdRefusal):
        give(head, son, 10)
    assert ledger.balance(son.id).available == 20


def test_the_ledger_itself_refuses_to_pass_points_across_communities(make_user, family):
    """Whatever the caller checked: the monthly totals keep no line for it, so the books would not add up."""
    _, _, head, _, _ = family
    elsewhere = make_user(name="远亲", community="东城社区")
    with pytest.raises(ledger.NotPassable):
        ledger.pass_points(head.id, elsewhere.id, 10, "test-pass:across")
    db.session.rollback()
    assert ledger.balance(head.id).available == 300
