"""Files to import and a patient reader of their batches, for the import's API, page and job tests."""
import itertools
import time

from sqlalchemy import func, select

from points.accounts.models import User
from points.extensions import db

_phones = itertools.count(13500000000)
RUNNING = ("queued", "checking", "writing")


def residents_csv(rows=3, community="锦湖社区", points=10, bad_phone_on=None):
    """A UTF-8 CSV of `rows` residents with fresh phone numbers; row `bad_phone_on` (as the
    spreadsheet numbers it) gets a phone that is not a mobile number."""
    lines = ["姓名,手机号,社区,期初积分"]
    for row in range(2, rows + 2):
        phone = "1234" if row == bad_phone_on else str(next(_phones))
        lines.append(f"居民{row},{phone},{community},{points}")
    return ("\n".join(lines) + "\n").encode()


def phones_in(content):
    return [line.split(",")[1] for line in content.decode().splitlines()[1:]]


def residents_with(phones):
    """How many residents have these phone numbers."""
    return db.session.execute(select(func.count()).select_from(User).where(User.phone.in_(phones))).scalar()


def wait_until_over(read, seconds=60):
    """Read the batch (a callable returning its JSON) until it is no longer running, as its page does."""
    deadline = time.monotonic() + seconds
    while True:
        batch = read()
        if batch["status"] not in RUNNING:
            return batch
        assert time.monotonic() < deadline, f"the import is still {batch['status']} after {seconds} s"
        time.sleep(0.05)
