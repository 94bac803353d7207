"""one-time activation and reset codes

A resident may have no password (imported from the office's spreadsheet, or registered at the
office): users.password_hash becomes nullable. One-time codes, of which only a hash is kept, let such
a resident set a password, and one who forgot theirs set a new one.

Revision ID: 0009
Revises: 0008
"""
import secrets

from alembic import op
import sqlalchemy as sa
from werkzeug.security import generate_password_hash


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

LIVE = 'used_at IS NULL AND voided_at IS NULL'


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=True)
    op.create_table('one_time_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=10), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('issued_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_tries', sa.Integer(), nullable=False),
    sa.CheckConstraint("purpose IN ('activation', 'reset')", name=op.f('ck_one_time_codes_purpose_known')),
    sa.CheckConstraint('failed_tries >= 0', name=op.f('ck_one_time_codes_failed_tries_counted')),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_one_time_codes_expires_after_issue')),
    sa.ForeignKeyConstraint(['issued_by'], ['users.id'], name=op.f('fk_one_time_codes_issued_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_one_time_codes_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_codes'))
    )
    with op.batch_alter_table('one_time_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_one_time_codes_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_one_time_codes_one_live', ['user_id'], unique=True,
                              sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))


def downgrade():
    op.drop_table('one_time_codes')
    # Who has no password gets one that nobody knows: an admin sets a new one, as before codes.
    unknown = generate_password_hash(secrets.token_urlsafe(24), method='scrypt')
    op.get_bind().execute(sa.text('UPDATE users SET password_hash = :unknown WHERE password_hash IS NULL'),
                          {'unknown': unknown})
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=False)
