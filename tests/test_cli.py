"""The commands in the README, as an operator types them."""
import pytest
from sqlalchemy import select

from points import ledger
from points.accounts.models import User
from points.extensions import db
from points.redemption.models import Venue


def user(phone):
    return db.session.execute(select(User).where(User.phone == phone)).scalar()


def test_user_create_with_several_roles_and_a_new_community(runner):
    result = runner.invoke(args=["user", "create", "--phone", "13812345678", "--name", "张三",
                                 "--password", "secret123", "--role", "resident", "--role", "reviewer",
                                 "--community", "锦湖社区"])
    assert result.exit_code == 0, result.output
    created = user("13812345678")
    assert created.role_names == ["resident", "reviewer"]
    assert created.community.name == "锦湖社区"
    assert created.check_password("secret123")
    assert ledger.balance(created.id) == ledger.Balance(0, 0, 0)


def test_user_create_staff_at_a_venue_by_name_or_id(runner):
    venue = Venue(name="乒乓球馆", kind="table_tennis")
    db.session.add(venue)
    db.session.commit()
    for phone, ref in (("13812345670", "乒乓球馆"), ("13812345671", str(venue.id))):
        result = runner.invoke(args=["user", "create", "--phone", phone, "--name", "郑晓",
                                     "--password", "secret123", "--role", "staff", "--venue", ref])
        assert result.exit_code == 0, result.output
        assert [v.name for v in user(phone).venues] == ["乒乓球馆"]


@pytest.mark.parametrize("args, message", [
    (["--phone", "12345", "--role", "resident"], "11"),
    (["--phone", "13812345678", "--role", "mayor"], "mayor"),
    (["--phone", "13812345678", "--role", "staff", "--venue", "不存在的馆"], "不存在的馆"),
])
def test_user_create_refuses_bad_arguments_and_writes_nothing(runner, args, message):
    result = runner.invoke(args=["user", "create", "--name", "张三", "--password", "secret123", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.execute(select(User)).first() is None


def test_user_create_refuses_a_taken_phone(runner, make_user):
    taken = make_user()
    result = runner.invoke(args=["user", "create", "--phone", taken.phone, "--name", "张三",
                                 "--password", "secret123", "--role", "resident"])
    assert result.exit_code != 0
    assert db.session.execute(select(User)).scalars().all() == [taken]


def test_demo_is_idempotent_and_the_books_balance(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    counts = (db.session.query(User).count(), db.session.query(ledger.Transfer).count())
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert (db.session.query(User).count(), db.session.query(ledger.Transfer).count()) == counts
    assert counts[1] > 0
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 0, result.output
