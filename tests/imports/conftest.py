"""The import run on a file as the page, the API and the command run it: new batch, check, write, commit."""
import pytest

from points.accounts import operations as accounts
from points.accounts.models import Role
from points.extensions import db
from points.imports import residents as imports


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="王建国")


@pytest.fixture
def communities(app):
    """The communities the files name, as the office set them up."""
    names = ["锦湖社区", "午山社区"]
    for name in names:
        accounts.community_named(name)
    db.session.commit()
    return names


@pytest.fixture
def run(app, admin, communities):
    """run(content, dry_run=False, create_communities=False) -> the batch, checked (and written), committed."""

    def import_file(content, *, filename="居民.csv", dry_run=False, create_communities=False, progress=None):
        batch = imports.new_batch(admin, filename, content, dry_run=dry_run, create_communities=create_communities)
        batch = imports.import_residents(admin, batch, progress)
        db.session.commit()
        return batch

    return import_file
