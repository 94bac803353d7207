"""flask --app points export KIND [--from D] [--to D] [--community NAME] [--format csv|xlsx] --output FILE,
and export purge: the same operations as the page and the API, scoped as the street (or --as PHONE)."""
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from points.accounts.models import Community, User
from points.errors import Refusal
from points.exports import jobs, operations
from points.exports.kinds import KINDS
from points.exports.street import TheStreet
from points.extensions import db

export_cli = AppGroup("export", help="Export a list as CSV or XLSX, or purge the old background exports.")


def _kind_command(name):
    @export_cli.command(name, help=f"Export {name} (see /admin/exports).")
    @click.option("--from", "first_day", metavar="YYYY-MM-DD", help="First day, included (the scheme's calendar).")
    @click.option("--to", "last_day", metavar="YYYY-MM-DD", help="Last day, included.")
    @click.option("--community", help="Only this community, by name.")
    @click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
    @click.option("--as", "phone", help="Export as this person would (their role and communities).")
    @click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def command(first_day, last_day, community, fmt, phone, output):
        with jobs.reading():
            try:
                args = {"from": first_day, "to": last_day, "format": fmt, "community_id": _community_id(community)}
                download = operations.stream(operations.ask(_viewer(phone), name, args))
                with output.open("wb") as file:
                    for chunk in download.body:
                        file.write(chunk)
            except Refusal as refusal:
                click.echo(f"NOT EXPORTED: {refusal}", err=True)
                sys.exit(1)
            finally:
                db.session.rollback()
        click.echo(f"exported {name} to {output} ({output.stat().st_size} bytes; a download would be named "
                   f"{download.filename})")

    return command


for _name in KINDS:
    _kind_command(_name)


@export_cli.command("purge")
def purge():
    """Delete the background exports (and their files) older than a week."""
    gone = operations.purge()
    db.session.commit()
    click.echo(f"purged {gone} export(s) older than the keeping time")


def _viewer(phone):
    if phone is None:
        return TheStreet()
    person = db.session.execute(select(User).where(User.phone == phone.strip())).scalar()
    if person is None:
        raise click.UsageError(f"nobody has the mobile number {phone}")
    return person


def _community_id(name):
    if name is None:
        return None
    found = db.session.execute(select(Community.id).where(Community.name == name.strip())).scalar()
    if found is None:
        raise click.UsageError(f"no community is called {name}")
    return found
