"""A small scheme whose every figure is known: two communities, awards by category, a deduction, a visit
to a venue and a no-show, and two claims decided after a known wait."""
import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from points import ledger
from points.accounts.models import Role
from points.earning import claims
from points.earning.models import ActionType, Unit
from points.extensions import db
from points.timeutil import now_utc
from points.redemption import bookings, checkin, sessions, venues
from points.redemption.models import NoShowPolicy
from points.redemption.settlement import settle_session

JINHU, QINGFENG = "锦湖社区", "青峰社区"
SESSION_MONTH = "2026-06"  # the venue's session: Wednesday 10 June 2026, 19:00 in Beijing
_keys = itertools.count()


def bj(text):
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def client(app):
    """The test client, reading pages in English: the source texts, whatever the translations say."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def move():
    """move(kind, resident, points, category) awards or deducts through the ledger, and commits."""

    def write(kind, resident, points, category):
        getattr(ledger, kind)(resident.id, points, f"report-test:{next(_keys)}", ledger.Memo(category=category))
        db.session.commit()

    return write


@pytest.fixture
def decided_claim(make_user):
    """decided_claim(resident, approve, hours) -> a claim worth 3 environment points decided `hours` after it was made."""
    action = ActionType(code="sweeping", name_zh="清扫楼道", name_en="Sweeping", category="environment", points=3,
                        unit=Unit.TIME, daily_cap=None, monthly_cap=None, evidence_required=False, self_claimable=True)
    db.session.add(action)
    db.session.commit()
    decider = make_user(Role.ADMIN, name="审核管理员")

    def decide(resident, approve, hours):
        decided_at = now_utc()
        with freeze_time(decided_at - timedelta(hours=hours)):
            claim = claims.submit(resident, resident, action.id, claims.local_today())
            db.session.commit()
        with freeze_time(decided_at):
            claims.approve(decider, claim) if approve else claims.reject(decider, claim, "照片看不清")
            db.session.commit()
        return claim

    return decide


@pytest.fixture
def venue_visits(make_user):
    """venue_visits(showed_up, no_show) books both into a session of 4 places at 5 points; one comes, one does not."""
    venue = venues.create_venue("羽毛球馆", "badminton", NoShowPolicy.RELEASE)
    staff = make_user(Role.STAFF, name="郑晓", venues=[venue])
    session = sessions.create_session(venue, bj("2026-06-10 19:00"), bj("2026-06-10 20:00"), 4, 5,
                                      now=bj("2026-06-01 08:00"))
    db.session.commit()

    def visit(showed_up, no_show):
        ticket = bookings.book(showed_up, showed_up, session, f"report-book:{next(_keys)}", now=bj("2026-06-08 10:00"))
        bookings.book(no_show, no_show, session, f"report-book:{next(_keys)}", now=bj("2026-06-08 10:00"))
        checkin.check_in(staff, ticket.ticket_code, venue.id, f"nonce-{next(_keys)}", now=bj("2026-06-10 19:05"))
        settle_session(session.id, bj("2026-06-10 21:00"))
        db.session.commit()

    return visit


@pytest.fixture
def scheme(make_user, move, decided_claim, venue_visits):
    """This month: 王芳 (锦湖) earns 30 volunteer + 3 environment (a claim), loses 5 to a deduction and
    spends 5 at the venue; 李强 (青峰) earns 20 environment, has a claim rejected and misses the session.
    The claims waited 2 and 4 hours."""
    wang, li = make_user(name="王芳", community=JINHU), make_user(name="李强", community=QINGFENG)
    move("award", wang, 30, "volunteer")
    move("award", li, 20, "environment")
    move("deduct", wang, 5, "deduction")
    decided_claim(wang, True, 2)
    decided_claim(li, False, 4)
    venue_visits(wang, li)
    return wang, li
