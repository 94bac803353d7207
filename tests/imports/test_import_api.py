"""The import API: upload, the batch's state, a preview confirmed later; problems named by row and column."""
import io

import pytest
from sqlalchemy import func, select

from points.accounts.models import Role
from points.audit import AuditEntry
from points.extensions import db
from points.imports.models import ImportBatch
from tests.imports.upload_helpers import phones_in, residents_csv, residents_with, wait_until_over


@pytest.fixture
def headers(make_user, token_for):
    return token_for(make_user(Role.ADMIN, name="街道管理员"))


def upload(client, headers, content, name="居民名单.csv", **fields):
    data = {"file": (io.BytesIO(content), name), **{k: str(v).lower() for k, v in fields.items()}}
    return client.post("/api/v1/imports", data=data, headers=headers, content_type="multipart/form-data")


def read(client, headers, batch_id):
    return lambda: client.get(f"/api/v1/imports/{batch_id}", headers=headers).get_json()


def test_a_small_file_is_imported_at_once(client, headers):
    content = residents_csv(3)
    response = upload(client, headers, content)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["rows"], body["created"], body["errors"]) == ("done", 3, 3, [])
    assert body["opening_points"] == 30 and residents_with(phones_in(content)) == 3
    assert read(client, headers, body["id"])() == body


def test_a_dry_run_writes_no_resident_until_confirmed(client, headers):
    content = residents_csv(4)
    body = upload(client, headers, content, dry_run=True).get_json()
    assert (body["status"], body["rows"], body["ready"], body["created"]) == ("checked", 4, 4, 0)
    assert residents_with(phones_in(content)) == 0
    confirmed = client.post(f"/api/v1/imports/{body['id']}/commit", headers=headers)
    assert confirmed.status_code == 200
    assert (confirmed.get_json()["status"], confirmed.get_json()["created"]) == ("done", 4)
    assert residents_with(phones_in(content)) == 4


def test_problems_are_listed_by_row_and_column_and_nothing_is_written(client, headers):
    content = residents_csv(3, bad_phone_on=3)
    body = upload(client, headers, content).get_json()
    assert body["status"] == "failed" and body["created"] == 0
    assert [(e["row"], e["column"], e["value"]) for e in body["errors"]] == [(3, "手机号", "1234")]
    assert "手机号" in body["errors"][0]["message"] or "11" in body["errors"][0]["message"]
    assert residents_with(phones_in(content)) == 0


def test_a_large_file_runs_in_the_background_and_finishes(app, client, headers):
    app.config["IMPORT_INLINE_BYTES"] = 100
    content = residents_csv(1200)
    response = upload(client, headers, content)
    assert response.status_code == 202
    assert response.get_json()["status"] == "writing"
    body = wait_until_over(read(client, headers, response.get_json()["id"]))
    assert (body["status"], body["created"], body["opening_points"]) == ("done", 1200, 12_000)
    assert residents_with(phones_in(content)) == 1200


def test_a_large_preview_is_confirmed_and_written_in_the_background(app, client, headers):
    app.config["IMPORT_INLINE_BYTES"] = 100
    content = residents_csv(600)
    queued = upload(client, headers, content, dry_run=True).get_json()
    assert queued["status"] == "checking"
    checked = wait_until_over(read(client, headers, queued["id"]))
    assert (checked["status"], checked["ready"]) == ("checked", 600)
    confirmed = client.post(f"/api/v1/imports/{queued['id']}/commit", headers=headers)
    assert confirmed.status_code == 202
    done = wait_until_over(read(client, headers, queued["id"]))
    assert (done["status"], done["created"]) == ("done", 600)
    audited = select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "import.committed", AuditEntry.target_id == queued["id"])
    assert db.session.execute(audited).scalar() == 1


def test_the_admin_who_confirms_a_background_import_is_the_one_audited(app, client, headers, make_user, token_for):
    app.config["IMPORT_INLINE_BYTES"] = 100
    queued = upload(client, headers, residents_csv(300), dry_run=True).get_json()
    wait_until_over(read(client, headers, queued["id"]))
    second = make_user(Role.ADMIN, name="第二位管理员")
    client.post(f"/api/v1/imports/{queued['id']}/commit", headers=token_for(second))
    wait_until_over(read(client, headers, queued["id"]))

    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "import.committed")).scalar_one()
    assert entry.actor_id == second.id


def test_only_a_checked_preview_can_be_confirmed(client, headers):
    body = upload(client, headers, residents_csv(2)).get_json()
    response = client.post(f"/api/v1/imports/{body['id']}/commit", headers=headers)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "import_not_checked"


@pytest.mark.parametrize("data", [{}, {"dry_run": "true"}])
def test_a_request_without_a_file_names_the_file(client, headers, data):
    response = client.post("/api/v1/imports", data=data, headers=headers, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "file" in response.get_json()["error"]["fields"]


def test_an_empty_file_names_the_file(client, headers):
    response = upload(client, headers, b"")
    assert response.status_code == 422 and "file" in response.get_json()["error"]["fields"]


def test_a_file_over_the_limit_is_refused_as_too_large(app, client, headers):
    app.config["IMPORT_MAX_BYTES"] = 50
    response = upload(client, headers, residents_csv(5))
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"
    assert db.session.execute(select(func.count()).select_from(ImportBatch)).scalar() == 0


def test_a_retried_upload_with_its_key_makes_one_batch(client, headers):
    content = residents_csv(2)
    first = upload(client, {**headers, "Idempotency-Key": "upload-1"}, content)
    again = upload(client, {**headers, "Idempotency-Key": "upload-1"}, content)
    assert first.status_code == again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"] and again.headers["Idempotent-Replayed"] == "true"
    assert db.session.execute(select(func.count()).select_from(ImportBatch)).scalar() == 1


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REVIEWER, Role.STAFF])
def test_only_admins_import(client, make_user, token_for, role):
    headers = token_for(make_user(role))
    assert upload(client, headers, residents_csv(1)).status_code == 403
    assert client.get("/api/v1/imports/1", headers=headers).status_code == 403


def test_an_unknown_batch_is_not_found(client, headers):
    response = client.get("/api/v1/imports/424242", headers=headers)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
