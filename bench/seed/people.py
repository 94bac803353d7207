"""The street, its four communities, the venues, the staff and the residents, with their accounts.

Ids are assigned here rather than by the sequences (which are moved past them afterwards), so the
ledger seeder can name any person's account without asking the database:

    users     1-2 admins · 3-6 reviewers (one per community) · 7-9 venue staff · 10.. residents
    accounts  1-3 system (made by the migration) · 4-6 venues · 6 + user id for every user
"""
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from werkzeug.security import generate_password_hash

from points.accounts.models import Role
from points.accounts.operations import hash_token
from bench.seed.schema import check_copy, insert

STREET = "棘洪滩街道"
COMMUNITIES = ["锦湖社区", "午山社区", "泰都社区", "石岭路社区"]
COMMUNITY_SHARE = [0.32, 0.26, 0.24, 0.18]
CENTRE = "青大片区党群服务中心"
VENUES = [("乒乓球馆", "table_tennis", "release"), ("羽毛球馆", "badminton", "forfeit"),
          ("游泳馆", "swimming", "release")]
FAMILY = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
          "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华志强淑珍凤兰海燕文斌晓东春梅国庆立新德明玉珍桂芝子涵浩然梓萱一诺欣怡宇轩"
PASSWORD = "bench-password-1"

ADMINS = (1, 2)
FIRST_REVIEWER, FIRST_STAFF, FIRST_RESIDENT = 3, 7, 10
VENUE_ACCOUNT_BASE = 3  # venue v has account 3 + v
USER_ACCOUNT_BASE = 6  # user u has account 6 + u


@dataclass(frozen=True)
class People:
    """Who exists, and the few facts about them the ledger seeder needs."""

    residents: int
    community_of: bytes  # index: user id; value: community id (1-4)

    @property
    def last_user(self):
        return FIRST_RESIDENT + self.residents - 1

    @property
    def last_account(self):
        return USER_ACCOUNT_BASE + self.last_user

    @staticmethod
    def account_of(user_id):
        return USER_ACCOUNT_BASE + user_id

    @staticmethod
    def venue_account(venue_id):
        return VENUE_ACCOUNT_BASE + venue_id

    @staticmethod
    def user_of_account(account_id):
        return account_id - USER_ACCOUNT_BASE

    def reviewer_for(self, user_id):
        return FIRST_REVIEWER + self.community_of[user_id] - 1

    @staticmethod
    def staff_for(venue_id):
        return FIRST_STAFF + venue_id - 1


def seed_people(conn, residents, rng, now):
    """Insert everyone with COPY; returns People."""
    password_hash = generate_password_hash(PASSWORD, method="scrypt")  # one hash for all: it is slow
    communities = [0] * FIRST_RESIDENT + rng.choices(range(1, 5), COMMUNITY_SHARE, k=residents)
    for n, user_id in enumerate(range(FIRST_REVIEWER, FIRST_STAFF)):
        communities[user_id] = n + 1
    people = People(residents, bytes(communities))
    with conn.cursor() as cur:
        _places(cur)
        _users(cur, people, rng, password_hash, now)
        _accounts(cur, people, now)
        _move_sequences(cur)
    return people


def _places(cur):
    insert(cur, "streets", {"id": 1, "name": STREET})
    for n, name in enumerate(COMMUNITIES, 1):
        insert(cur, "communities", {"id": n, "street_id": 1, "name": name})
    for n, (name, kind, policy) in enumerate(VENUES, 1):
        insert(cur, "venues", {
            "id": n, "name": name, "kind": kind, "centre": CENTRE, "place": f"{CENTRE} {n} 楼",
            "rules": "凭票入场，每场 1 小时。", "no_show_policy": policy, "active": True,
        })


def _users(cur, people, rng, password_hash, now):
    columns = ["id", "phone", "name", "password_hash", "roles", "community_id", "active", "created_at"]
    check_copy(cur, "users", columns)
    with cur.copy(f"COPY users ({', '.join(columns)}) FROM STDIN") as copy:
        for user_id in range(1, people.last_user + 1):
            roles, community = _role_of(user_id), people.community_of[user_id] or None
            joined = now - timedelta(days=800 - user_id * 700 / people.last_user)
            copy.write_row((user_id, f"139{user_id:08d}", _name(rng), password_hash, roles, community,
                            True, joined))
    cur.execute(
        "INSERT INTO venue_staff (user_id, venue_id) VALUES (%s, 1), (%s, 2), (%s, 3)",
        (FIRST_STAFF, FIRST_STAFF + 1, FIRST_STAFF + 2),
    )


def _role_of(user_id):
    if user_id in ADMINS:
        return int(Role.ADMIN | Role.RESIDENT)
    if user_id < FIRST_STAFF:
        return int(Role.REVIEWER | Role.RESIDENT)
    if user_id < FIRST_RESIDENT:
        return int(Role.STAFF | Role.RESIDENT)
    return int(Role.RESIDENT)


def _name(rng):
    return rng.choice(FAMILY) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))


def _accounts(cur, people, now):
    columns = ["id", "kind", "user_id", "venue_id", "available", "held", "earned_total", "created_at"]
    check_copy(cur, "accounts", columns)
    with cur.copy(f"COPY accounts ({', '.join(columns)}) FROM STDIN") as copy:
        for venue_id in range(1, len(VENUES) + 1):
            copy.write_row((people.venue_account(venue_id), "venue", None, venue_id, 0, 0, 0, now))
        for user_id in range(1, people.last_user + 1):
            copy.write_row((people.account_of(user_id), "resident", user_id, None, 0, 0, 0, now))


def _move_sequences(cur):
    for table in ("streets", "communities", "venues", "users", "accounts"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def seed_tokens(conn, people, count, rng, now):
    """Bearer tokens for `count` residents picked at random; returns the tokens (only hashes are stored)."""
    owners = rng.sample(range(FIRST_RESIDENT, people.last_user + 1), min(count, people.residents))
    return _store_tokens(conn, owners, now)


def seed_staff_tokens(conn, now):
    """{venue id: a bearer token of the staff member assigned there}."""
    venues = range(1, len(VENUES) + 1)
    return dict(zip(venues, _store_tokens(conn, [People.staff_for(v) for v in venues], now)))


def _store_tokens(conn, owners, now, lifetime=timedelta(days=30)):
    tokens = [secrets.token_urlsafe(32) for _ in owners]
    columns = ["user_id", "token_hash", "created_at", "expires_at"]
    with conn.cursor() as cur:
        check_copy(cur, "api_tokens", columns)
        with cur.copy(f"COPY api_tokens ({', '.join(columns)}) FROM STDIN") as copy:
            for owner, token in zip(owners, tokens):
                copy.write_row((owner, hash_token(token), now, now + lifetime))
    return tokens


def new_rng(seed):
    return random.Random(seed)


def utc_now():
    return datetime.now(UTC)
