"""A large export runs in the background with progress, its file is kept in the database, and a week later purged."""
from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import func, select

from points.exports import operations
from points.exports.models import Export, ExportChunk
from points.extensions import db
from points.timeutil import now_utc
from tests.exports.conftest import read_csv


def _wait_done(client, export_id):
    """Poll the progress as the page's script does, until the export says it is finished."""
    for _ in range(500):
        state = client.get(f"/admin/exports/jobs/{export_id}/progress").get_json()
        if state["finished"]:
            return state
    raise AssertionError("the export never finished")


def test_a_large_export_goes_to_the_background_and_its_file_downloads(app, client, login, admin, residents):
    app.config["EXPORT_INLINE_ROWS"] = 1
    login(admin)
    answer = client.post("/admin/exports", data={"kind": "transfers", "format": "csv"})
    assert answer.status_code == 302
    export_id = db.session.execute(select(Export.id)).scalar_one()
    state = _wait_done(client, export_id)
    assert (state["status"], state["done"], state["total"]) == ("done", 2, 2)
    header, *rows = read_csv(client.get(f"/admin/exports/jobs/{export_id}/file"))
    assert sorted(row[4] for row in rows) == ["张三", "欧阳娜娜"]


def test_the_download_beside_a_list_sends_a_large_export_to_the_exports_page(app, client, login, admin, residents):
    app.config["EXPORT_INLINE_ROWS"] = 1
    login(admin)
    answer = client.get("/admin/exports/transfers?format=xlsx&from=2026-01-01")
    assert answer.status_code == 302 and "/admin/exports?kind=transfers" in answer.headers["Location"]


def test_someone_elses_export_is_not_found(app, client, login, admin, reviewer, residents):
    app.config["EXPORT_INLINE_ROWS"] = 1
    login(admin)
    client.post("/admin/exports", data={"kind": "transfers", "format": "csv"})
    export_id = db.session.execute(select(Export.id)).scalar_one()
    _wait_done(client, export_id)
    login(reviewer)
    assert client.get(f"/admin/exports/jobs/{export_id}/file").status_code == 404


def test_exports_are_purged_after_a_week(app, client, login, admin, residents, runner):
    app.config["EXPORT_INLINE_ROWS"] = 1
    login(admin)
    client.post("/admin/exports", data={"kind": "residents", "format": "xlsx", "background": "1"})
    _wait_done(client, db.session.execute(select(Export.id)).scalar_one())
    with freeze_time(now_utc() + timedelta(days=6)):
        assert operations.purge() == 0
    with freeze_time(now_utc() + timedelta(days=8)):
        assert "purged 1 export(s)" in runner.invoke(args=["export", "purge"]).output
    assert db.session.scalar(select(func.count()).select_from(ExportChunk)) == 0


def test_an_export_whose_worker_died_is_taken_up_again(app, client, login, admin, residents):
    asked = operations.ask(admin, "transfers", {"format": "csv"})
    lost = Export(kind="transfers", format="csv", filters=asked.scope.as_json(), filename=asked.filename,
                  created_by=admin.id, total=2, status="running", heartbeat_at=now_utc() - timedelta(minutes=5))
    db.session.add(lost)
    db.session.commit()  # as a worker left it when its instance stopped
    login(admin)
    client.get("/admin/exports")  # whoever lists it next takes it up
    assert _wait_done(client, lost.id)["status"] == "done"
    assert len(read_csv(client.get(f"/admin/exports/jobs/{lost.id}/file"))) == 3
