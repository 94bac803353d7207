"""Claim photos live in the database: an instance of the app serves a photo another one received, and
the migration to this moves the photo files an earlier version kept on disk into the database."""
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from points import create_app
from points.accounts.models import Role
from points.extensions import db
from tests.conftest import TEST_CONFIG, pg_database
from tests.earning.helpers import fetch, image_bytes, multipart, stored_photos
from tests.earning.test_claim_uploads import form

PHONE = "13800000001"


@pytest.fixture
def second_instance(database_url, tmp_path):
    """second_instance() -> a second app on the same database, with no folder in common with the first."""
    apps = []

    def start():
        apps.append(create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url,
                                "UPLOAD_FOLDER": str(tmp_path / f"instance-{len(apps)}")}))
        return apps[-1]

    yield start
    for other in apps:
        with other.app_context():
            db.engine.dispose()


def test_a_photo_received_by_one_instance_is_served_by_another(app, client, token_for, resident, reviewer_user,
                                                               make_action, second_instance, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "first")  # where an earlier version kept its files
    response = client.post("/api/v1/claims", headers=token_for(resident),
                           **multipart(form(make_action(), (image_bytes(), "a.jpg"))))
    assert response.status_code == 201
    url = response.get_json()["photos"][0]["url"]
    other = second_instance().test_client()
    status, mimetype, served, _, headers = fetch(other, url, headers=token_for(reviewer_user))
    assert (status, mimetype) == (200, "image/jpeg")
    assert served == fetch(client, url, headers=token_for(resident))[2] == stored_photos()[0]
    revalidated = fetch(client, url, headers={**token_for(resident), "If-None-Match": headers["ETag"]})
    assert revalidated[0] == 304  # both instances name the photo by the same tag
    assert list(tmp_path.glob("**/*.jpg")) == []  # nothing went to a disk


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request, tmp_path):
    """An empty database of each kind, for migrations run step by step."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'points.sqlite3'}"
        return
    with pg_database("points_migration") as url:
        yield url


@pytest.fixture
def at_0001(empty_database_url, tmp_path):
    """An app whose database is at revision 0001, with its upload folder in tmp_path/uploads."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url,
                      "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    with app.app_context():
        upgrade(revision="0001")
        yield app
        db.session.remove()
        db.engine.dispose()


def a_claim_with_a_photo_file(folder, filename, data=None):
    """What an earlier version wrote for a resident's claim with one photo: rows at 0001, the file on disk."""
    now = datetime.now(timezone.utc)
    with db.engine.begin() as conn:
        user_id = _insert(conn, "users", phone=PHONE, name="张桂兰", roles=int(Role.RESIDENT), active=True,
                          password_hash=generate_password_hash("password1", TEST_CONFIG["PASSWORD_HASH_METHOD"]),
                          created_at=now)
        action_id = _insert(conn, "action_types", code="stairwell_clean", name_zh="清扫楼道", name_en="Cleaning",
                            category="environment", points=3, unit="time", evidence_required=True,
                            self_claimable=True, active=True)
        claim_id = _insert(conn, "claims", user_id=user_id, action_type_id=action_id, occurred_on=now.date(),
                           quantity=1, points=3, note="", status="pending", submitted_by=user_id, created_at=now,
                           decision_reason="")
        photo_id = _insert(conn, "claim_photos", claim_id=claim_id, filename=filename, width=800, height=600,
                           size=len(data or b""), created_at=now)
    if data is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / filename).write_bytes(data)
    return f"/claims/{claim_id}/photos/{photo_id}"


def _insert(conn, table, **values):
    columns = sa.table(table, *(sa.column(name) for name in values))
    return conn.execute(sa.insert(columns).values(**values).returning(sa.column("id"))).scalar_one()


def signed_in(app):
    client = app.test_client()
    assert client.post("/login", data={"phone": PHONE, "password": "password1"}).status_code == 302
    return client


def test_the_migration_moves_photo_files_into_the_database(at_0001, tmp_path):
    photo = image_bytes((800, 600))
    url = a_claim_with_a_photo_file(tmp_path / "uploads", "3f2a9c.jpg", photo)
    upgrade()
    (tmp_path / "uploads" / "3f2a9c.jpg").unlink()  # the files are no longer read
    status, mimetype, served, cache_control, _ = fetch(signed_in(at_0001), url)
    assert (status, mimetype, served) == (200, "image/jpeg", photo)
    assert cache_control.immutable


def test_a_missing_file_stops_the_migration_until_told_to_forget_it(at_0001, tmp_path, capsys):
    url = a_claim_with_a_photo_file(tmp_path / "uploads", "lost.jpg")
    with pytest.raises(SystemExit):
        upgrade()
    said = capsys.readouterr().err  # what `flask db upgrade` prints
    assert "1 claim photos have no file under" in said and "nothing was changed" in said
    assert sa.inspect(db.engine).get_table_names().count("blobs") == 0
    at_0001.config["FORGET_MISSING_PHOTOS"] = True  # POINTS_FORGET_MISSING_PHOTOS=1
    upgrade()
    client = signed_in(at_0001)
    assert client.get(url).status_code == 404
    assert "清扫楼道" in client.get("/claims").get_data(as_text=True)  # the claim itself is kept
