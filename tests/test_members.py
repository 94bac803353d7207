"""Member codes on the phone (rotating, signed, short-lived) and on printed cards (revocable)."""
import pytest
from freezegun import freeze_time

from points.accounts import members
from points.accounts.models import Role


def test_phone_code_names_its_member(make_user):
    resident = make_user()
    assert members.member_from_code(members.phone_code(resident)) == resident


def test_phone_code_expires(make_user):
    resident = make_user()
    with freeze_time("2026-11-26 08:00:00"):
        code = members.phone_code(resident)
    with freeze_time("2026-11-26 08:05:00"), pytest.raises(members.ExpiredMemberCode):
        members.member_from_code(code)


@pytest.mark.parametrize("tamper", [lambda c: c[:-2] + "xx", lambda c: c.replace("M1.", "M1.9"), lambda c: "hello"])
def test_forged_codes_are_refused(make_user, tamper):
    code = members.phone_code(make_user())
    with pytest.raises(members.BadMemberCode):
        members.member_from_code(tamper(code))


def test_reissuing_a_card_revokes_the_old_one(make_user):
    resident, reviewer = make_user(), make_user(Role.REVIEWER)
    old = members.issue_card(resident, reviewer)
    new = members.issue_card(resident, reviewer)
    assert members.member_from_code(new.code) == resident
    with pytest.raises(members.RevokedCard):
        members.member_from_code(old.code)
    assert old.serial != new.serial and members.current_card(resident) == new


def test_a_disabled_members_codes_stop_working(make_user):
    resident = make_user()
    card = members.issue_card(resident, None)
    resident.active = False
    for code in (card.code, members.phone_code(resident)):
        with pytest.raises(members.BadMemberCode):
            members.member_from_code(code)
