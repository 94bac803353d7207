"""ledger checkpoints

The chain head signed with the scheme's Ed25519 key (`flask ledger checkpoint`), recorded so that
the printed board of any instance shows the latest one's fingerprint.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('public_key', sa.String(length=44), nullable=False),
    sa.Column('signature', sa.String(length=88), nullable=False),
    sa.Column('fingerprint', sa.String(length=19), nullable=False),
    sa.ForeignKeyConstraint(['sequence'], ['transfers.id'], name=op.f('fk_checkpoints_sequence_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkpoints'))
    )


def downgrade():
    op.drop_table('checkpoints')
