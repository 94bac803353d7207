"""Background imports: a batch is never left running. One whose worker died (the app restarted) is
taken up again by whoever reads it next, by exactly one of them, and finishes; a crash marks it failed."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from points.accounts.models import Role
from points.audit import AuditEntry
from points.extensions import db
from points.imports import jobs, residents
from points.imports.models import ImportBatch, ImportStatus
from points.timeutil import now_utc
from tests.imports.upload_helpers import phones_in, residents_csv, residents_with, wait_until_over


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="街道管理员")


@pytest.fixture
def headers(admin, token_for):
    return token_for(admin)


@pytest.fixture
def abandoned(app, admin):
    """abandoned(content, beat=...) -> the id of a batch marked as being written by a worker that is
    gone: a real row, as a process killed in the middle of an import leaves it."""

    def leave(content, beat=timedelta(minutes=10), status=ImportStatus.WRITING):
        batch = residents.new_batch(admin, "居民名单.csv", content, dry_run=status == ImportStatus.CHECKING)
        batch.status, batch.heartbeat_at = status, now_utc() - beat
        batch.started_at = batch.heartbeat_at
        batch_id = batch.id
        db.session.commit()  # and no transaction after it: on SQLite this test's own would hold the write lock
        return batch_id

    return leave


def poll(client, headers, batch_id):
    return lambda: client.get(f"/api/v1/imports/{batch_id}", headers=headers).get_json()


def imports_committed(batch_id):
    query = select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "import.committed", AuditEntry.target_id == batch_id)
    return db.session.execute(query).scalar()


def test_a_batch_whose_worker_died_is_taken_up_by_the_next_reader_and_finishes(client, headers, abandoned):
    content = residents_csv(50)
    batch_id = abandoned(content)
    first = poll(client, headers, batch_id)()
    assert first["status"] == "writing"
    done = wait_until_over(poll(client, headers, batch_id))
    assert (done["status"], done["created"], done["opening_points"]) == ("done", 50, 500)
    assert residents_with(phones_in(content)) == 50 and imports_committed(batch_id) == 1


def test_a_dead_check_is_run_again_and_ends_as_a_preview(client, headers, abandoned):
    content = residents_csv(20)
    batch_id = abandoned(content, status=ImportStatus.CHECKING)
    done = wait_until_over(poll(client, headers, batch_id))
    assert (done["status"], done["ready"], done["created"]) == ("checked", 20, 0)
    assert residents_with(phones_in(content)) == 0


def test_a_batch_with_a_fresh_heartbeat_is_left_to_its_worker(app, client, headers, abandoned):
    batch_id = abandoned(residents_csv(5), beat=timedelta(seconds=5))
    assert poll(client, headers, batch_id)()["status"] == "writing"
    batch = db.session.get(ImportBatch, batch_id)
    assert not jobs.running_here(batch) and jobs.look_after(batch) is False


def test_of_two_readers_racing_for_a_dead_batch_one_runs_it(app, client, headers, abandoned):
    content = residents_csv(200)
    batch_id = abandoned(content)
    both_read, taken = threading.Barrier(2), []

    def reader():  # as a poll of the page reads it: in a GET request of its own
        with app.test_request_context(f"/api/v1/imports/{batch_id}"):
            batch = db.session.get(ImportBatch, batch_id)
            assert jobs._stale(batch.heartbeat_at)  # each has read the old heartbeat before either acts
            both_read.wait()
            taken.append(jobs.look_after(batch))
            db.session.remove()

    readers = [threading.Thread(target=reader) for _ in range(2)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert sorted(taken) == [False, True]
    done = wait_until_over(poll(client, headers, batch_id))
    assert (done["status"], done["created"]) == ("done", 200)
    assert imports_committed(batch_id) == 1


def test_a_worker_that_breaks_off_marks_the_batch_failed_with_why(app, client, headers):
    app.config["IMPORT_INLINE_BYTES"] = 0
    app.config["IMPORT_MAX_ROWS"] = "many"  # a broken setting: the check itself fails
    content = residents_csv(3)
    response = client.post("/api/v1/imports", headers=headers, content_type="multipart/form-data",
                           data={"file": (__import__("io").BytesIO(content), "名单.csv")})
    assert response.status_code == 202
    failed = wait_until_over(poll(client, headers, response.get_json()["id"]))
    assert failed["status"] == "failed" and failed["error"].startswith("TypeError")
    assert failed["finished_at"] is not None and residents_with(phones_in(content)) == 0
