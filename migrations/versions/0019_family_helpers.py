"""family helpers

A resident lets a relative's account act for them (points/accounts/helpers.py): what it may do
(scopes: 1 view, 2 book and cancel, 4 claim), when it was invited, accepted and runs out, and who
ended it. One grant in force (not ended) per resident and helper.

Revision ID: 0019
Revises: 0018
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

IN_FORCE = 'revoked_at IS NULL'


def upgrade():
    op.create_table('helper_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('helper_id', sa.Integer(), nullable=False),
    sa.Column('scopes', sa.Integer(), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.CheckConstraint('resident_id <> helper_id', name=op.f('ck_helper_grants_not_oneself')),
    sa.CheckConstraint('scopes > 0 AND scopes <= 7', name=op.f('ck_helper_grants_scopes_known')),
    sa.CheckConstraint('accepted_at IS NULL OR expires_at IS NOT NULL',
                       name=op.f('ck_helper_grants_accepted_grant_expires')),
    sa.ForeignKeyConstraint(['helper_id'], ['users.id'], name=op.f('fk_helper_grants_helper_id_users')),
    sa.ForeignKeyConstraint(['resident_id'], ['users.id'], name=op.f('fk_helper_grants_resident_id_users')),
    sa.ForeignKeyConstraint(['revoked_by'], ['users.id'], name=op.f('fk_helper_grants_revoked_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helper_grants'))
    )
    with op.batch_alter_table('helper_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helper_grants_helper_id'), ['helper_id'], unique=False)
        batch_op.create_index('uq_helper_grants_one_live', ['resident_id', 'helper_id'], unique=True,
                              sqlite_where=sa.text(IN_FORCE), postgresql_where=sa.text(IN_FORCE))


def downgrade():
    op.drop_table('helper_grants')
