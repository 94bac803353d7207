"""claims decided per month, and each session's check-ins and no-shows

Per month, community, decision and wait (to the hour, later to the day): how many claims were
approved or rejected, kept as each is decided; and per session how many of its bookings were
checked in and how many were no-shows. So the dashboard never reads every claim or booking.

Revision ID: 0015
Revises: 0014
"""
from collections import Counter

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monthly_decisions',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('wait_hours', sa.Integer(), nullable=False),
    sa.Column('claims', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('approved', 'rejected')", name=op.f('ck_monthly_decisions_status_decided')),
    sa.CheckConstraint('claims >= 0 AND wait_hours >= 0', name=op.f('ck_monthly_decisions_not_negative')),
    sa.PrimaryKeyConstraint('month', 'community_id', 'status', 'wait_hours', name=op.f('pk_monthly_decisions'))
    )
    _count_earlier_decisions(op.get_bind())
    with op.batch_alter_table('sessions') as batch_op:
        batch_op.add_column(sa.Column('checked_in', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('no_shows', sa.Integer(), nullable=False, server_default='0'))
    op.execute("UPDATE sessions SET checked_in = (SELECT count(*) FROM bookings WHERE bookings.session_id = sessions.id"
               " AND bookings.status = 'checked_in'), no_shows = (SELECT count(*) FROM bookings"
               " WHERE bookings.session_id = sessions.id AND bookings.status = 'no_show')")


def _count_earlier_decisions(connection):
    """The claims decided before the counts were kept, counted as points.earning.decision_totals does."""
    from points.earning.decision_totals import wait_group
    from points.ledger.rollup import month_of
    from points.timeutil import as_utc

    claims = sa.table('claims', sa.column('community_id'), sa.column('status'), sa.column('created_at'),
                      sa.column('decided_at'))
    counted = Counter()
    rows = connection.execute(sa.select(claims).where(claims.c.status.in_(['approved', 'rejected'])))
    for community, status, created_at, decided_at in rows:
        decided_at, created_at = as_utc(_instant(decided_at)), as_utc(_instant(created_at))
        hours = (decided_at - created_at).total_seconds() / 3600
        counted[(month_of(decided_at), community or 0, status, wait_group(hours))] += 1
    if counted:
        op.bulk_insert(sa.table('monthly_decisions', sa.column('month'), sa.column('community_id'), sa.column('status'),
                                sa.column('wait_hours'), sa.column('claims')),
                       [dict(month=m, community_id=c, status=s, wait_hours=w, claims=n) for (m, c, s, w), n in counted.items()])


def _instant(value):
    """SQLite hands the times back as text here (the table is named without its column types)."""
    from datetime import datetime
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def downgrade():
    with op.batch_alter_table('sessions') as batch_op:
        batch_op.drop_column('no_shows')
        batch_op.drop_column('checked_in')
    op.drop_table('monthly_decisions')
