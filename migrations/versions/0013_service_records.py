"""service records

A resident's service record (志愿服务记录证明): its period and totals as made, and the
unguessable code anyone can check at /verify/<code>.

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=50), nullable=False),
    sa.Column('community_name', sa.String(length=100), nullable=False),
    sa.Column('street_name', sa.String(length=100), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('actions', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('made_by', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('last_day >= first_day', name=op.f('ck_service_records_period_in_order')),
    sa.CheckConstraint('actions >= 0 AND minutes >= 0 AND points >= 0',
                       name=op.f('ck_service_records_totals_not_negative')),
    sa.ForeignKeyConstraint(['made_by'], ['users.id'], name=op.f('fk_service_records_made_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_service_records_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_records')),
    sa.UniqueConstraint('code', name=op.f('uq_service_records_code'))
    )
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_records_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('service_records')
