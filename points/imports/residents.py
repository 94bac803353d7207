"""Importing residents: one operation for the page, the API and the command.

`new_batch` keeps an uploaded file; `import_residents` reads it, checks every row against the rules
(points.imports.checking) and the database, and — when nothing is wrong and it is not a dry run —
writes every resident, account and opening balance in the caller's transaction, or nothing. Rows
already imported (the same phone, name and community) are skipped, so a file imported twice creates
nothing the second time; a resident gets at most one opening balance, ever (the ledger keys it).
"""
import hashlib
from collections import namedtuple

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from points import audit, ledger
from points.accounts import operations as accounts
from points.accounts.models import Community, Role, User
from points.atomic import atomic
from points.errors import Invalid
from points.extensions import db
from points.households import operations as households
from points.imports import checking
from points.imports.files import N_, open_sheet
from points.imports.models import ImportBatch, ImportStatus
from points.timeutil import now_utc

CHUNK = 1000  # rows per statement, well under SQLite's and PostgreSQL's parameter limits
UNKNOWN_COMMUNITY = N_("There is no community of this name. Please check the spelling, or allow the import "
                       "to create new communities.")
PHONE_OF_ANOTHER = N_("This mobile number is already registered to %(name)s of %(community)s.")
PHONE_OF_ANOTHER_NOWHERE = N_("This mobile number is already registered to %(name)s, of no community.")

USERS = User.__table__
Existing = namedtuple("Existing", "user_id account_id name community_id")


def new_batch(actor, filename, content, *, dry_run=True, create_communities=False):
    """Keep an uploaded file as a batch waiting to be checked (or imported); refuses an empty or
    oversized file at once."""
    if not content:
        raise Invalid(_l("The file is empty."), field="file")
    most = current_app.config["IMPORT_MAX_BYTES"]
    if len(content) > most:
        raise Invalid(_l("The file is larger than %(most)d MB.", most=most // (1024 * 1024)),
                      field="file", code="too_large", status=413)
    batch = ImportBatch(
        filename=(filename or "residents")[-255:], content=content, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), dry_run=dry_run, create_communities=create_communities,
        created_by=actor.id if actor is not None else None, status=ImportStatus.QUEUED,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


@atomic
def import_residents(actor, batch, progress=None):
    """Check the batch's file; unless it has problems or is a dry run, write it all. Returns the batch."""
    report = progress or (lambda stage, done, total: None)
    batch.started_at = batch.started_at or now_utc()
    batch.status = ImportStatus.CHECKING
    plan = _plan(batch, report)
    batch.columns, batch.sample, batch.problems = plan.checked.columns, plan.checked.sample, plan.checked.problems
    batch.rows, batch.ready, batch.skipped = plan.checked.rows, len(plan.new) + len(plan.completing), plan.skipped
    if batch.problems:
        return _finish(batch, ImportStatus.FAILED)
    if batch.dry_run:
        return _finish(batch, ImportStatus.CHECKED)
    batch.status = ImportStatus.WRITING
    _write(actor, batch, plan, report)
    return _finish(batch, ImportStatus.DONE)


def _finish(batch, status):
    batch.status, batch.finished_at = status, now_utc()
    db.session.flush()
    return batch


# ---- checking against the database ----------------------------------------------------------------

class _Plan:
    """What writing the file will do: the new residents, the existing ones who get their opening
    balance now, the rows with nothing to do, the communities to create."""

    def __init__(self, checked):
        self.checked, self.new, self.completing, self.skipped = checked, [], [], 0
        self.communities, self.new_communities = {}, []


def _plan(batch, report):
    config = current_app.config
    checked = checking.read(batch.content, max_rows=config["IMPORT_MAX_ROWS"],
                            max_points=config["IMPORT_MAX_OPENING_POINTS"], progress=report)
    plan = _Plan(checked)
    if checked.problems and checked.problems[0]["row"] is None:
        return plan  # refused as a whole: nothing to check row by row
    residents = checked.residents
    plan.communities = _communities({r.community for r in residents} - {None})
    existing = _registered([r.phone for r in residents if r.phone])
    names = _community_names({e.community_id for e in existing.values()})
    for done, resident in enumerate(residents, start=1):
        _place(plan, resident, existing.get(resident.phone), names, batch.create_communities)
        if done % 500 == 0:
            report("checking", done, len(residents))
    plan.completing = _without_opening_balance(plan.completing, plan)
    checking.sort_problems(checked)
    return plan


def _place(plan, resident, earlier, names, create_communities):
    """Sort one checked row: a new resident, an existing one, nothing to do, or a problem."""
    problems, headers = plan.checked.problems, plan.checked.headers
    known = resident.community is None or resident.community in plan.communities
    if not known and not create_communities:
        problems.append(checking.problem(resident.row, headers["community"], resident.community, UNKNOWN_COMMUNITY))
        return
    if not known and resident.community not in plan.new_communities:
        plan.new_communities.append(resident.community)
    if earlier is not None and resident.name is not None and resident.community is not None and (
            earlier.name != resident.name or names.get(earlier.community_id) != resident.community):
        problems.append(_phone_of_another(resident, headers["phone"], earlier, names))
    elif not resident.ok:
        return
    elif earlier is None:
        plan.new.append(resident)
    elif resident.points:
        plan.completing.append((resident, earlier.account_id))
    else:
        plan.skipped += 1


def _phone_of_another(resident, column, earlier, names):
    community = names.get(earlier.community_id)
    if community is None:
        return checking.problem(resident.row, column, resident.phone, PHONE_OF_ANOTHER_NOWHERE, name=earlier.name)
    return checking.problem(resident.row, column, resident.phone, PHONE_OF_ANOTHER, name=earlier.name,
                            community=community)


def _without_opening_balance(completing, plan):
    """Existing residents with an opening balance in the file: those who have one already are skipped."""
    already = ledger.has_opening_balance([account for _resident, account in completing])
    plan.skipped += sum(1 for _resident, account in completing if account in already)
    return [(resident, account) for resident, account in completing if account not in already]


def _communities(names):
    """{name: id} of the communities of these names that exist."""
    found = {}
    for chunk in _chunks(sorted(names)):
        found.update(db.session.execute(select(Community.name, Community.id).where(Community.name.in_(chunk))).all())
    return found


def _community_names(ids):
    names = {}
    for chunk in _chunks(sorted(ids - {None})):
        names.update(db.session.execute(select(Community.id, Community.name).where(Community.id.in_(chunk))).all())
    return names


def _registered(phones):
    """{phone: Existing} of the people already registered with these numbers."""
    found = {}
    for chunk in _chunks(phones):
        query = (select(USERS.c.phone, USERS.c.id, ledger.Account.id, USERS.c.name, USERS.c.community_id)
                 .outerjoin(ledger.Account, ledger.Account.user_id == USERS.c.id)
                 .where(USERS.c.phone.in_(chunk)))
        found.update((phone, Existing(*rest)) for phone, *rest in db.session.execute(query))
    return found


# ---- writing --------------------------------------------------------------------------------------

def _write(actor, batch, plan, report):
    """Everything at once: new communities, residents (no password: a one-time code activates them),
    their accounts and every opening balance, and one audit row."""
    report("writing", 0, len(plan.new) + len(plan.completing))
    for name in plan.new_communities:
        plan.communities[name] = accounts.community_named(name).id
    user_ids = _insert_users(plan, report)
    account_of = ledger.open_accounts(user_ids.values())
    entries = [(account_of[user_ids[r.phone]], r.points) for r in plan.new if r.points]
    entries += [(account, resident.points) for resident, account in plan.completing]
    memo = ledger.Memo(reason=gettext("Opening balance, imported from %(file)s", file=batch.filename)[:200],
                       requested_by=actor.id if actor is not None else None, ref_type="import", ref_id=batch.id)
    written = ledger.opening_balances(entries, memo)
    batch.created = len(plan.new)
    batch.opening_points = sum(points for _account, points in entries)
    report("writing", batch.ready, batch.ready)
    audit.record(actor, "import.committed", batch, file=batch.filename, rows=batch.rows, created=batch.created,
                 completed=len(plan.completing), skipped=batch.skipped, opening_balances=written,
                 opening_points=batch.opening_points, communities_created=plan.new_communities or None)


def _insert_users(plan, report):
    """Insert the new residents in chunks; returns {phone: user id}."""
    now, ids = now_utc(), {}
    for done, chunk in enumerate(_chunks(plan.new), start=1):
        homes = households.homes_for((plan.communities[r.community], r.household) for r in chunk)
        rows = [dict(phone=r.phone, name=r.name, password_hash=None, roles=int(Role.RESIDENT),
                     community_id=plan.communities[r.community], active=True, created_at=now,
                     **households.seat(homes, plan.communities[r.community], r.household)) for r in chunk]
        db.session.execute(insert(USERS), rows)  # executemany: measured faster than INSERT ... RETURNING
        query = select(USERS.c.phone, USERS.c.id).where(USERS.c.phone.in_([r.phone for r in chunk]))
        ids.update(db.session.execute(query).all())
        report("writing", min(done * CHUNK, len(plan.new)), len(plan.new) + len(plan.completing))
    return ids


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


# ---- showing what was found -----------------------------------------------------------------------

def problem_text(problem):
    """The problem's message in the current language."""
    message = gettext(problem["message"])
    return message % problem["params"] if problem.get("params") else message


def failed_rows(batch):
    """(header, rows): the rows that have problems, as in the file, each with a last column saying
    what is wrong; for the "download the failed rows" CSV."""
    by_row = {}
    for found in batch.problems:
        if found["row"] is not None and found["row"] > 1:
            by_row.setdefault(found["row"], []).append(found)
    header = [*batch.columns, gettext("Problem")]
    return header, _failed(batch, by_row, len(batch.columns))


def _failed(batch, by_row, width):
    if not by_row:
        return  # the file refused as a whole (maybe no spreadsheet at all), or only its header
    for number, cells in open_sheet(batch.content).rows:
        if number in by_row:
            cells = cells + [""] * (width - len(cells))
            yield [*cells, "; ".join(_with_column(found) for found in by_row[number])]


def _with_column(found):
    text = problem_text(found)
    return f"{found['column']}: {text}" if found["column"] else text


def earlier_import(batch):
    """The batch of the same file that was imported before, if any."""
    query = (select(ImportBatch).where(ImportBatch.sha256 == batch.sha256, ImportBatch.status == ImportStatus.DONE,
                                       ImportBatch.id != batch.id)
             .order_by(ImportBatch.finished_at.desc()).limit(1))
    return db.session.execute(query).scalar()
