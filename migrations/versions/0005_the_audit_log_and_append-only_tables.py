"""the audit log and append-only tables

The audit log (who did what, for whom, on which object, when, from where) and triggers that refuse
UPDATE and DELETE on it and on transfers, so neither can be changed through the database either.
`ledger verify` still catches what someone who drops the triggers does behind them.

A later SQLite batch migration that copies `transfers` or `audit_log` drops their triggers with
the old table: it must create them again (tests/test_audit.py proves they are there at the head).

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

APPEND_ONLY = ('transfers', 'audit_log')
CHANGES = ('update', 'delete')


def upgrade():
    _create_audit_log()
    if op.get_bind().dialect.name == 'postgresql':
        _refuse_changes_on_postgresql()
    else:
        _refuse_changes_on_sqlite()


def downgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table in APPEND_ONLY:
        for change in CHANGES + (('truncate',) if postgresql else ()):
            op.execute(f'DROP TRIGGER IF EXISTS {table}_no_{change}' + (f' ON {table}' if postgresql else ''))
    if postgresql:
        op.execute('DROP FUNCTION IF EXISTS refuse_change()')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        for name in ('ix_audit_log_actor_id_id', 'ix_audit_log_action_id', 'ix_audit_log_created_at',
                     'ix_audit_log_target'):
            batch_op.drop_index(name)
    op.drop_table('audit_log')


def _create_audit_log():
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('for_user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target_type', sa.String(length=40), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users')),
    sa.ForeignKeyConstraint(['for_user_id'], ['users.id'], name=op.f('fk_audit_log_for_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_actor_id_id', ['actor_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_action_id', ['action', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_audit_log_target', ['target_type', 'target_id'], unique=False)


def _refuse_changes_on_sqlite():
    for table in APPEND_ONLY:
        for change in CHANGES:
            op.execute(
                f'CREATE TRIGGER {table}_no_{change} BEFORE {change.upper()} ON {table} '
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {change.upper()} refused'); END"
            )


def _refuse_changes_on_postgresql():
    op.execute(
        'CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
        "RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; END $$"
    )
    for table in APPEND_ONLY:
        for change in CHANGES:
            op.execute(f'CREATE TRIGGER {table}_no_{change} BEFORE {change.upper()} ON {table} '
                       'FOR EACH ROW EXECUTE FUNCTION refuse_change()')
        # TRUNCATE deletes without DELETE triggers firing; PostgreSQL lets a statement trigger refuse it.
        op.execute(f'CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} '
                   'FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()')
