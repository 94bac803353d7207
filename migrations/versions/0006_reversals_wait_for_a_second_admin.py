"""reversals wait for a second admin

A request for a second admin's approval is now of a kind: an award, or the reversal of a transfer
above the four-eyes threshold, which names the transfer it reverses. Every existing request is an
award. At most one reversal of a transfer waits at a time.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade():
    with op.batch_alter_table('award_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'kind', sa.Enum('award', 'reversal', name='request_kind', native_enum=False, create_constraint=True,
                            length=20),
            nullable=False, server_default='award'))
        batch_op.add_column(sa.Column('reverses_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_award_requests_reverses_id_transfers'), 'transfers',
                                    ['reverses_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_award_requests_reversal_names_original'),
                                         "(kind = 'reversal') = (reverses_id IS NOT NULL)")
        batch_op.create_check_constraint(op.f('ck_award_requests_reversal_has_no_action'),
                                         "kind = 'award' OR action_type_id IS NULL")
        batch_op.create_index('uq_award_requests_one_pending_reversal', ['reverses_id'], unique=True,
                              sqlite_where=PENDING, postgresql_where=PENDING)
    # The model gives every new row its kind; the server default only filled in the rows there were.
    with op.batch_alter_table('award_requests', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)


def downgrade():
    # Without its kind a reversal request would read as an award of its points: it goes.
    op.execute("DELETE FROM award_requests WHERE kind = 'reversal'")
    with op.batch_alter_table('award_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_award_requests_one_pending_reversal', sqlite_where=PENDING, postgresql_where=PENDING)
        batch_op.drop_constraint(op.f('ck_award_requests_reversal_has_no_action'), type_='check')
        batch_op.drop_constraint(op.f('ck_award_requests_reversal_names_original'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_award_requests_reverses_id_transfers'), type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_award_requests_request_kind'), type_='check')
        batch_op.drop_column('reverses_id')
        batch_op.drop_column('kind')
