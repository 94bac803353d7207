"""sessions end with a password change

Each web sign-in gets a row in api_tokens (kind 'web') beside the API's bearer tokens (kind 'api'),
so sign-out, a password change and disabling an account end sessions on the server.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Every row so far is an API token; session cookies signed before this named a user id and
    # simply stop signing in (people sign in once more).
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=3), server_default='api', nullable=False))
        batch_op.create_check_constraint(op.f('ck_api_tokens_kind_known'), "kind IN ('api', 'web')")


def downgrade():
    op.execute("DELETE FROM api_tokens WHERE kind = 'web'")
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_api_tokens_kind_known'), type_='check')
        batch_op.drop_column('kind')
