"""rules the database keeps

Rules that only Python kept so far, now CHECK constraints too: a daily cap is not above the monthly
cap; an activity ends after it starts; a check-in's method is one of its three; an approved claim or
award request names its transfer; a checked-in ticket names who checked it in; nobody decides a
claim they submitted or that is theirs; a reviewer has a community.

Rows written before these rules may break one: the upgrade then stops before changing anything and
says which rule and how many rows, so that someone decides what those rows should say.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

REVIEWER = 4  # points.accounts.models.Role.REVIEWER, written out: a migration keeps today's value

RULES = [  # table, constraint name, condition every row keeps
    ('action_types', 'ck_action_types_caps_in_order',
     'daily_cap IS NULL OR monthly_cap IS NULL OR daily_cap <= monthly_cap'),
    ('activities', 'ck_activities_ends_after_start', 'ends_at IS NULL OR ends_at > starts_at'),
    ('participations', 'ck_participations_method_known', "method IN ('qr', 'card', 'phone')"),
    ('claims', 'ck_claims_approved_names_transfer', "status <> 'approved' OR transfer_id IS NOT NULL"),
    ('claims', 'ck_claims_decided_by_another',
     'decided_by IS NULL OR (decided_by <> submitted_by AND decided_by <> user_id)'),
    ('award_requests', 'ck_award_requests_approved_names_transfer',
     "status <> 'approved' OR transfer_id IS NOT NULL"),
    ('bookings', 'ck_bookings_checked_in_by_someone', "status <> 'checked_in' OR used_by IS NOT NULL"),
    ('users', 'ck_users_reviewer_has_community', f'(roles & {REVIEWER}) = 0 OR community_id IS NOT NULL'),
]


def upgrade():
    _refuse_rows_that_break_a_rule()
    # SQLite copies each table once; env.py keeps its foreign keys off while it does (see there).
    for table, rules in _by_table():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in rules:
                batch_op.create_check_constraint(op.f(name), condition)


def downgrade():
    for table, rules in _by_table():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _condition in rules:
                batch_op.drop_constraint(op.f(name), type_='check')


def _by_table():
    tables = {}
    for table, name, condition in RULES:
        tables.setdefault(table, []).append((name, condition))
    return tables.items()


def _refuse_rows_that_break_a_rule():
    connection = op.get_bind()
    broken = []
    for table, name, condition in RULES:
        count = connection.execute(sa.text(f'SELECT count(*) FROM {table} WHERE NOT ({condition})')).scalar()
        if count:
            broken.append(f'{count} row(s) of {table} break {name}: {condition}')
    if broken:
        raise RuntimeError('Fix these rows before upgrading; nothing was changed:\n' + '\n'.join(broken))
