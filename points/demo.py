"""Demo data in the README's setting (棘洪滩街道); loading it twice changes nothing."""
from datetime import time, timedelta
from io import BytesIO

from PIL import Image, ImageDraw
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from points import ledger
from points.accounts import operations as accounts
from points.accounts.models import Role, User
from points.earning import claims
from points.earning.models import ActionType, AwardRequest, Claim, Unit
from points.extensions import db
from points.redemption import bookings, sessions, venues
from points.redemption.models import Booking, NoShowPolicy, Offering, Venue, VenueSession
from points.redemption.times import at_local, local_day
from points.timeutil import now_utc

PASSWORD = "demo1234"
COMMUNITIES = ["锦湖社区", "午山社区", "泰都社区", "石岭路社区"]

VENUES = [  # name, kind, place, no-show policy
    ("乒乓球馆", "table_tennis", "青大片区党群服务中心 一楼", NoShowPolicy.RELEASE),
    ("羽毛球馆", "badminton", "青大片区党群服务中心 二楼", NoShowPolicy.FORFEIT),
    ("游泳馆", "swimming", "青大片区党群服务中心 负一楼", NoShowPolicy.FORFEIT),
]

ACTIONS = [  # code, Chinese, English, category, points, unit, daily cap, monthly cap, evidence, self-claimable
    ("volunteer_hour", "志愿服务", "Volunteer service", "volunteer", 5, Unit.HOUR, 20, 100, True, True),
    ("stairwell_clean", "清扫楼道", "Cleaning a stairwell", "environment", 3, Unit.TIME, 6, 60, True, True),
    ("waste_sorting", "垃圾分类督导", "Waste-sorting guidance", "environment", 4, Unit.HOUR, 12, 80, True, True),
    ("help_elderly", "帮扶孤寡老人", "Helping an elderly neighbour", "neighbourly", 5, Unit.TIME, 10, 60, True, True),
    ("civil_mediation", "邻里调解", "Mediating between neighbours", "civility", 8, Unit.TIME, None, 40, False, False),
    ("culture_event", "参加文化活动", "Taking part in a culture event", "culture", 2, Unit.TIME, 4, 20, False, False),
    ("litter_pickup", "捡拾绿地垃圾", "Picking up litter on the green", "environment", 2, Unit.TIME, 4, 30, True, True),
    ("greening_care", "绿化浇水养护", "Watering and tending the greenery", "environment", 3, Unit.HOUR, 9, 45, True, True),
    ("traffic_civility", "文明交通劝导", "Guiding traffic civilly", "civility", 5, Unit.HOUR, 15, 60, True, True),
    ("fraud_talk", "参加反诈宣传讲座", "Attending an anti-fraud talk", "civility", 2, Unit.TIME, 2, 8, False, False),
    ("neighbour_repair", "帮邻居维修小家电", "Repairing a neighbour's appliance", "neighbourly", 3, Unit.TIME, 6, 30, True,
     True),
    ("reading_room", "社区书屋值守", "Keeping the community reading room", "culture", 3, Unit.HOUR, 9, 45, False, True),
    ("litter", "乱扔垃圾", "Littering", "deduction", -5, Unit.TIME, None, None, False, False),
    ("illegal_parking", "占用消防通道", "Blocking a fire lane", "deduction", -10, Unit.TIME, None, None, False, False),
    ("stairwell_clutter", "楼道堆放杂物", "Cluttering a stairwell", "deduction", -3, Unit.TIME, None, None, False, False),
    ("dog_fouling", "不文明养犬", "Not cleaning up after a dog", "deduction", -5, Unit.TIME, None, None, False, False),
]

PEOPLE = [  # phone, name, roles, community, venues
    ("13800000001", "王建国", Role.ADMIN, "锦湖社区", ()),
    ("13800000002", "李秀梅", Role.ADMIN | Role.RESIDENT, "午山社区", ()),
    ("13800000011", "赵敏", Role.REVIEWER | Role.RESIDENT, "锦湖社区", ()),
    ("13800000012", "孙立", Role.REVIEWER | Role.RESIDENT, "午山社区", ()),
    ("13800000013", "周红", Role.REVIEWER, "泰都社区", ()),
    ("13800000014", "吴刚", Role.REVIEWER, "石岭路社区", ()),
    ("13800000021", "郑晓", Role.STAFF | Role.RESIDENT, "锦湖社区", ("乒乓球馆", "羽毛球馆")),
    ("13800000022", "冯涛", Role.STAFF, "泰都社区", ("游泳馆",)),
    ("13900000001", "张桂兰", Role.RESIDENT, "锦湖社区", ()),
    ("13900000002", "刘德华", Role.RESIDENT, "锦湖社区", ()),
    ("13900000003", "陈淑芬", Role.RESIDENT, "午山社区", ()),
    ("13900000004", "杨志强", Role.RESIDENT, "午山社区", ()),
    ("13900000005", "黄丽", Role.RESIDENT, "泰都社区", ()),
    ("13900000006", "欧阳明", Role.RESIDENT, "石岭路社区", ()),
]

HISTORY = [  # resident phone, action code, points, note, by (reviewer phone)
    ("13900000001", "stairwell_clean", 3, "清扫3号楼楼道", "13800000011"),
    ("13900000001", "volunteer_hour", 10, "社区疫苗接种点志愿服务2小时", "13800000011"),
    ("13900000001", "help_elderly", 5, "陪独居老人就医", "13800000011"),
    ("13900000002", "waste_sorting", 8, "垃圾分类督导2小时", "13800000011"),
    ("13900000002", "litter", -5, "高空抛物，经劝导已改正", "13800000011"),
    ("13900000003", "volunteer_hour", 15, "文明交通劝导3小时", "13800000012"),
    ("13900000004", "civil_mediation", 8, "调解邻里漏水纠纷", "13800000012"),
    ("13900000005", "culture_event", 2, "参加重阳节文艺汇演", "13800000013"),
    ("13900000006", "stairwell_clean", 3, "清扫楼道", "13800000014"),
    ("13800000021", "volunteer_hour", 5, "场馆秩序维护1小时", "13800000011"),
]


def load():
    """Find or create every demo row; returns True if anything was new."""
    before = db.session.execute(select(User.id).where(User.phone == PEOPLE[0][0])).first()
    for name in COMMUNITIES:
        accounts.community_named(name)
    _venues()
    _actions()
    _people()
    _history()
    _waiting_for_second_admin()
    _claims_waiting()
    _venue_timetables()
    return before is None


def _venues():
    for name, kind, place, policy in VENUES:
        if db.session.execute(select(Venue.id).where(Venue.name == name)).first() is None:
            venue = Venue(name=name, kind=kind, place=place, no_show_policy=policy)
            db.session.add(venue)
            db.session.flush()
            ledger.open_venue_account(venue.id)


def _actions():
    for code, zh, en, category, points, unit, daily, monthly, evidence, self_claim in ACTIONS:
        if db.session.execute(select(ActionType.id).where(ActionType.code == code)).first() is None:
            db.session.add(ActionType(
                code=code, name_zh=zh, name_en=en, category=category, points=points, unit=unit,
                daily_cap=daily, monthly_cap=monthly, evidence_required=evidence, self_claimable=self_claim,
            ))
    db.session.flush()


def _people():
    for phone, name, roles, community, venue_names in PEOPLE:
        if _user(phone) is None:
            user = accounts.create_user(phone, name, PASSWORD, roles, community)
            venues.works_at(user, [venues.venue_named(v) for v in venue_names])


def _history():
    for number, (phone, code, points, note, by) in enumerate(HISTORY):
        resident, reviewer = _user(phone), _user(by)
        action = db.session.execute(select(ActionType).where(ActionType.code == code)).scalar_one()
        memo = ledger.Memo(reason=note, category=action.category, requested_by=reviewer.id,
                           approved_by=reviewer.id)
        move = ledger.award if points > 0 else ledger.deduct
        move(resident.id, abs(points), f"demo:{number}", memo)


def _waiting_for_second_admin():
    """A large award asked for by one admin, so the other sees the four-eyes queue."""
    note = "组织社区消防演练（全年）"
    if db.session.execute(select(AwardRequest.id).where(AwardRequest.note == note)).first() is None:
        action = db.session.execute(select(ActionType).where(ActionType.code == "volunteer_hour")).scalar_one()
        db.session.add(AwardRequest(user_id=_user("13900000003").id, points=80, action_type=action,
                                    note=note, requested_by=_user("13800000001").id))


def _user(phone):
    return db.session.execute(select(User).where(User.phone == phone)).scalar()


OFFERINGS = {"乒乓球馆": ("乒乓球一小时", "One hour of table tennis", 5),  # venue: walk-in offering
             "羽毛球馆": ("羽毛球一小时", "One hour of badminton", 8),
             "游泳馆": ("游泳单次", "One swim", 10)}
TIMETABLES = {"乒乓球馆": (["09:00", "14:00", "19:00"], 60, 8, 5),  # venue: start times, minutes, places, cost
              "羽毛球馆": (["09:00", "19:00"], 90, 12, 8),
              "游泳馆": (["07:00", "18:30"], 60, 20, 10)}


def _venue_timetables():
    """Each venue's walk-in offering and its sessions for the coming week, and one booking to show a ticket."""
    today = local_day(now_utc())
    for name, (zh, en, cost) in OFFERINGS.items():
        venue = venues.venue_named(name)
        if db.session.execute(select(Offering.id).where(Offering.venue_id == venue.id)).first() is None:
            venues.add_offering(venue, zh, en, cost)
        starts, minutes, places, price = TIMETABLES[name]
        clock = [time.fromisoformat(start) for start in starts]
        sessions.create_timetable(venue, today, today + timedelta(days=7), range(7), clock, minutes, places, price)
    tomorrow_evening = at_local(today + timedelta(days=1), time(19))
    session = db.session.execute(select(VenueSession).where(
        VenueSession.starts_at == tomorrow_evening, VenueSession.venue_id == venues.venue_named("乒乓球馆").id,
    )).scalar()
    resident = _user("13900000001")
    if session is not None and db.session.execute(select(Booking.id).where(Booking.user_id == resident.id)).first() is None:
        bookings.book(resident, resident, session, f"demo:booking:{today.isoformat()}")


CLAIMS = [  # resident phone, action code, days ago, quantity, note, with a photo
    ("13900000001", "stairwell_clean", 1, 1, "清扫5号楼2单元楼道", True),
    ("13900000002", "volunteer_hour", 2, 2, "重阳节敬老活动秩序维护", True),
    ("13900000002", "neighbour_repair", 0, 1, "帮302室老人修电饭锅", True),
    ("13900000003", "greening_care", 1, 2, "小区东侧绿地浇水", True),
]


def _claims_waiting():
    """Pending claims, with a photo drawn here, so the reviewers' queues are not empty."""
    for phone, code, days_ago, quantity, note, photo in CLAIMS:
        resident = _user(phone)
        if db.session.execute(select(Claim.id).where(Claim.user_id == resident.id, Claim.note == note)).first():
            continue
        action = db.session.execute(select(ActionType).where(ActionType.code == code)).scalar_one()
        day = claims.local_today() - timedelta(days=days_ago)
        claims.submit(resident, resident, action.id, day, quantity, note, [_demo_photo(note)] if photo else [])


def _demo_photo(label):
    """A simple picture standing in for a resident's photo: a stairwell with steps and a window."""
    image = Image.new("RGB", (800, 600), (214, 222, 230))
    draw = ImageDraw.Draw(image)
    for step in range(8):
        draw.rectangle((120 + step * 60, 540 - step * 55, 800, 600 - step * 55), fill=(170 - step * 8, 160, 150))
    draw.rectangle((60, 60, 260, 240), fill=(180, 215, 245), outline=(90, 90, 90), width=6)
    out = BytesIO()
    image.save(out, "JPEG", quality=80)
    out.seek(0)
    return FileStorage(out, filename=f"{label}.jpg", content_type="image/jpeg")
