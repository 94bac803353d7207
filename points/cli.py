"""Commands: flask --app points user create | user code | ledger verify | ledger checkpoint | demo | import residents."""
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from points import ledger
from points.accounts import codes
from points.accounts import operations as accounts
from points.accounts.models import Role, User
from points.errors import Refusal
from points.exports.commands import export_cli
from points.imports import residents as imports
from points.extensions import db
from points.redemption import venues as venue_ops
from points.redemption.times import local

user_cli = AppGroup("user", help="Manage people.")
ledger_cli = AppGroup("ledger", help="Check the books.")


@user_cli.command("create")
@click.option("--phone", required=True, help="Mainland mobile number, 11 digits.")
@click.option("--name", required=True)
@click.option("--password", required=True)
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.name.lower() for r in Role]), help="Repeat for several roles.")
@click.option("--community", default=None, help="Found or created by name.")
@click.option("--venue", "venues", multiple=True, help="A venue id or name (must exist); for staff.")
def create_user(phone, name, password, roles, community, venues):
    """Create a person with one or more roles."""
    try:
        venue_rows = [venue_ops.venue_named(v) for v in venues]
        role_flags = Role(0)
        for role in roles:
            role_flags |= Role.parse(role)
        user = accounts.add_user(None, phone, name, password, role_flags, community)
        venue_ops.works_at(user, venue_rows)
        db.session.commit()
    except Refusal as refusal:
        db.session.rollback()
        raise click.UsageError(str(refusal)) from None
    click.echo(f"created user {user.id}: {user.name} ({', '.join(user.role_names)})")


@user_cli.command("code")
@click.option("--phone", required=True, help="The resident's mobile number, 11 digits.")
def issue_code(phone):
    """Print a fresh one-time code for a person: activation without a password, reset otherwise.
    Their earlier unused code stops working."""
    person = db.session.execute(select(User).where(User.phone == phone.strip())).scalar()
    if person is None:
        raise click.UsageError(f"nobody has the mobile number {phone}")
    issued = codes.issue_code(None, person)
    db.session.commit()
    click.echo(f"{issued.purpose} code for {person.name} ({person.masked_phone}): {issued.shown}")
    click.echo(f"works once, until {local(issued.expires_at):%Y-%m-%d %H:%M} (scheme time); entered at /activate")


@ledger_cli.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A file from `ledger checkpoint`: also prove the history it signed is unchanged.")
def verify_ledger(checkpoint_file):
    """Recompute every balance and the hash chain; exit 1 and name the first bad row if any."""
    signed = _checkpoint_or_exit(checkpoint_file) if checkpoint_file else None
    problems = ledger.verify_checkpoint(signed) if signed else ledger.verify()
    if problems:
        click.echo(f"LEDGER NOT CLEAN: {problems[0]}", err=True)
        for problem in problems[1:20]:
            click.echo(f"  also: {problem}", err=True)
        sys.exit(1)
    click.echo("ledger clean: every balance, the hash chain and the monthly totals match the transfers")
    if signed:
        click.echo(f"and it still holds the history that checkpoint {signed.fingerprint} of "
                   f"{signed.made_at.isoformat()} signed, up to transfer {signed.sequence}")


@ledger_cli.command("rebuild-totals")
def rebuild_totals():
    """Recompute the monthly totals the reports read from the transfers (after transfers were loaded
    into the tables directly); residents count in the community they belong to now."""
    ledger.rebuild_totals(db.session.connection())
    db.session.commit()
    click.echo("monthly totals rebuilt from the transfers")


@ledger_cli.command("expire")
@click.option("--as-of", "as_of", required=True, metavar="YYYY-MM-DD",
              help="Expire what the policy expires at the end of this day (it may lie ahead).")
@click.option("--dry-run", is_flag=True, help="Print per community what would expire; write nothing.")
def expire_points(as_of, dry_run):
    """Clear the year's points under EXPIRY_POLICY, at once (the operator's word: no second admin)."""
    from points.expiry import operations as expiry

    try:
        day = expiry.parse_day(as_of)
        seen = expiry.preview(day)
        if dry_run:
            _print_preview(seen)
            return
        run, expired = expiry.run_now(day)
        db.session.commit()
    except Refusal as refusal:
        db.session.rollback()
        click.echo(f"NOT EXPIRED: {refusal}", err=True)
        sys.exit(1)
    if not expired.residents:
        click.echo(f"nothing left to expire for {run.period}: run {run.id} (as of {run.as_of}) cleared it")
        return
    click.echo(f"expired {expired.points} points of {expired.residents} residents for {run.period} "
               f"(policy {run.policy}, as of {run.as_of}): run {run.id}")


def _print_preview(seen):
    click.echo(f"dry run, nothing written: policy {seen.policy}, period {seen.period}, as of {seen.as_of}")
    if seen.run is not None and seen.run.status == "done":
        click.echo(f"  nothing would expire: run {seen.run.id} (as of {seen.run.as_of}) cleared {seen.period}")
        return
    if seen.run is not None:
        click.echo(f"  run {seen.run.id} of {seen.period} is waiting for a second admin")
    for line in seen.lines:
        click.echo(f"  {line.community or '(no community)'}: {line.points} points of {line.residents} residents")
    click.echo(f"  in total: {seen.points} points of {seen.residents} residents would expire")


def _checkpoint_or_exit(path):
    try:
        return ledger.read_checkpoint(path)
    except ledger.CheckpointRefused as refused:
        click.echo(f"CHECKPOINT REFUSED: {refused}", err=True)
        sys.exit(1)


@ledger_cli.command("checkpoint")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the signed checkpoint to this file (else to standard output).")
def checkpoint_ledger(output):
    """Sign the chain head with the scheme's key; the file proves later that the history is unchanged."""
    try:
        signed = ledger.checkpoint(accounts.the_street().name)
        text = ledger.checkpoint_text(signed)
        if output:
            output.write_text(text, encoding="utf-8")
        db.session.commit()
    except (ledger.CheckpointRefused, OSError) as error:
        db.session.rollback()
        click.echo(f"NO CHECKPOINT: {error}", err=True)
        sys.exit(1)
    if not output:
        click.echo(text, nl=False)
    click.echo(f"checkpoint signed up to transfer {signed.sequence}: fingerprint {signed.fingerprint}"
               + (f", written to {output}" if output else ""), err=not output)


@click.command("demo")
def load_demo():
    """Load the demo setting of the README (safe to run again)."""
    from points.demo import load

    created = load()
    db.session.commit()
    click.echo("demo data loaded" if created else "demo data already present")


import_cli = AppGroup("import", help="Bring people in from an office's spreadsheet.")


@import_cli.command("residents")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and say what would be written; write nothing.")
@click.option("--create-communities", is_flag=True, help="Create the communities the file names that do not exist.")
def import_residents_file(file, dry_run, create_communities):
    """Import residents (姓名, 手机号, 社区, optional 期初积分 and 户号) from an XLSX or CSV file: all of
    them, or none if any row has a problem. Rows already imported are skipped."""
    try:
        content = file.read_bytes()
    except OSError as error:
        raise click.FileError(str(file), hint=error.strerror) from None
    try:
        batch = imports.new_batch(None, file.name, content, dry_run=dry_run, create_communities=create_communities)
        batch = imports.import_residents(None, batch)
    except Refusal as refusal:
        db.session.rollback()
        raise click.UsageError(str(refusal)) from None
    db.session.commit()  # the batch is kept, with what checking found
    if batch.problems:
        for found in batch.problems:
            click.echo(_problem_line(found), err=True)
        click.echo(f"NOT IMPORTED, nothing written: {len(batch.problems)} problem(s) in {file.name} "
                   f"(batch {batch.id})", err=True)
        sys.exit(1)
    if dry_run:
        click.echo(f"dry run, nothing written: {batch.rows} row(s) checked, {batch.ready} ready to import, "
                   f"{batch.skipped} already imported (batch {batch.id})")
        return
    click.echo(f"imported {file.name}: {batch.rows} row(s), {batch.created} resident(s) created, "
               f"{batch.skipped} skipped (already imported), {batch.opening_points} opening point(s) "
               f"(batch {batch.id})")


def _problem_line(found):
    """row R, column C: message — the row as the spreadsheet numbers it; the file itself when no row."""
    where = [f"row {found['row']}" if found["row"] is not None else "file"]
    if found["column"]:
        where.append(f"column {found['column']}")
    return f"{', '.join(where)}: {imports.problem_text(found)}"


bookings_cli = AppGroup("bookings", help="Venue bookings.")


@bookings_cli.command("settle")
def settle_bookings():
    """Settle the open holds of every finished session by its venue's no-show policy (safe to repeat)."""
    from points.redemption.settlement import settle_each

    settled = settle_each()
    click.echo(f"settled {settled} finished session(s)")


def init_app(app: Flask):
    app.cli.add_command(user_cli)
    app.cli.add_command(ledger_cli)
    app.cli.add_command(bookings_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(load_demo)
    app.cli.add_command(export_cli)
