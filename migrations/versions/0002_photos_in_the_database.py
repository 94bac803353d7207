"""photos in the database

Claim photos move from files in the upload folder (the app's instance/uploads, or UPLOAD_FOLDER in
its configuration) into a table of blobs, so that every instance of the app serves them. Run it
where the files are: a photo whose file is missing stops the migration before it changes anything,
unless POINTS_FORGET_MISSING_PHOTOS=1 says to drop those photos. The files are left in place.

Revision ID: 0002
Revises: 0001
"""
import hashlib
import logging
import secrets
from pathlib import Path

from alembic import op
import sqlalchemy as sa
from flask import current_app


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

blobs = sa.table(
    'blobs', sa.column('id', sa.Integer), sa.column('content_type', sa.String), sa.column('size', sa.Integer),
    sa.column('sha256', sa.String), sa.column('data', sa.LargeBinary), sa.column('created_at', sa.DateTime),
)
claim_photos = sa.table(
    'claim_photos', sa.column('id', sa.Integer), sa.column('filename', sa.String), sa.column('size', sa.Integer),
    sa.column('blob_id', sa.Integer), sa.column('created_at', sa.DateTime),
)


def upgrade():
    folder = _upload_folder()
    files = _files_of_photos(folder)
    op.create_table('blobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size = length(data)', name=op.f('ck_blobs_size_is_length')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blobs'))
    )
    with op.batch_alter_table('claim_photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blob_id', sa.Integer(), nullable=True))
    for photo_id, (path, created_at) in files.items():
        _move_in(photo_id, path, created_at)
    with op.batch_alter_table('claim_photos', schema=None) as batch_op:
        batch_op.alter_column('blob_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_claim_photos_blob_id'), ['blob_id'])
        batch_op.create_foreign_key(batch_op.f('fk_claim_photos_blob_id_blobs'), 'blobs', ['blob_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('uq_claim_photos_filename'), type_='unique')
        batch_op.drop_column('filename')
        batch_op.drop_column('size')
    if files:
        log.info("Moved %d claim photos into the database; the files under %s are no longer read.", len(files), folder)


def downgrade():
    folder = _upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    with op.batch_alter_table('claim_photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filename', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('size', sa.Integer(), nullable=True))
    connection = op.get_bind()
    stored = sa.select(claim_photos.c.id, blobs.c.data).join(blobs, blobs.c.id == claim_photos.c.blob_id)
    for photo_id, data in connection.execute(stored).all():
        name = f"{secrets.token_hex(16)}.jpg"
        (folder / name).write_bytes(data)
        connection.execute(claim_photos.update().where(claim_photos.c.id == photo_id)
                           .values(filename=name, size=len(data)))
    with op.batch_alter_table('claim_photos', schema=None) as batch_op:
        batch_op.alter_column('filename', existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column('size', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_claim_photos_filename'), ['filename'])
        batch_op.drop_constraint(batch_op.f('fk_claim_photos_blob_id_blobs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_claim_photos_blob_id'), type_='unique')
        batch_op.drop_column('blob_id')
    op.drop_table('blobs')


def _upload_folder():
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured).resolve() if configured else Path(current_app.instance_path) / "uploads"


def _files_of_photos(folder):
    """{photo id: (file, created_at)}; refuses before any change if a file is missing (see above)."""
    rows = op.get_bind().execute(sa.select(claim_photos.c.id, claim_photos.c.filename, claim_photos.c.created_at))
    files = {photo_id: (folder / Path(name).name, created_at) for photo_id, name, created_at in rows}
    missing = {photo_id for photo_id, (path, _) in files.items() if not path.is_file()}
    if missing and not current_app.config.get("FORGET_MISSING_PHOTOS"):
        raise RuntimeError(
            f"{len(missing)} claim photos have no file under {folder} (photo ids {sorted(missing)[:20]}). Run the "
            "migration where the files are, set UPLOAD_FOLDER to their folder, or set "
            "POINTS_FORGET_MISSING_PHOTOS=1 to drop those photos; nothing was changed."
        )
    if missing:
        op.get_bind().execute(claim_photos.delete().where(claim_photos.c.id.in_(missing)))
        log.warning("Dropped %d claim photos whose files were missing: ids %s", len(missing), sorted(missing))
    return {photo_id: found for photo_id, found in files.items() if photo_id not in missing}


def _move_in(photo_id, path, created_at):
    data = path.read_bytes()
    connection = op.get_bind()
    blob_id = connection.execute(blobs.insert().values(
        content_type="image/jpeg", size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
        created_at=created_at,
    ).returning(blobs.c.id)).scalar_one()
    connection.execute(claim_photos.update().where(claim_photos.c.id == photo_id).values(blob_id=blob_id))
