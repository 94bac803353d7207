"""`flask ledger checkpoint` signs the chain head; `ledger verify --checkpoint FILE` proves that the history
it saw is still there, even after a rewrite that recomputed every later hash."""
import base64
import itertools
import json
import stat

import pytest
from sqlalchemy import func, select, update

from points import ledger
from points.extensions import db
from points.ledger.chain import transfer_hash
from points.ledger.models import LedgerHead, Transfer


@pytest.fixture(autouse=True)
def key_file(app, tmp_path):
    """The scheme's key in the test's own folder, never the checkout's instance/."""
    path = tmp_path / "keys" / "checkpoint_key.pem"
    path.parent.mkdir()
    app.config["CHECKPOINT_KEY_FILE"] = str(path)
    return path


@pytest.fixture
def resident(make_user):
    return make_user(name="张桂兰")


@pytest.fixture
def award_some(resident):
    """award_some(count): that many committed awards, one transfer each."""
    numbers = itertools.count(1)

    def award(count):
        for number in itertools.islice(numbers, count):
            ledger.award(resident.id, 10, f"good-deed-{number}", ledger.Memo(reason=f"清扫楼道{number}"))
        db.session.commit()

    return award


def run(runner, *args):
    result = runner.invoke(args=["ledger", *args])
    return result.exit_code, result.output


def signed(runner, path):
    """Make a checkpoint into this file, as the office's monthly job does; its document."""
    code, output = run(runner, "checkpoint", "--output", str(path))
    assert code == 0, output
    return json.loads(path.read_text(encoding="utf-8"))


def rewrite(superuser_write, transfer_id, reason):
    """Change one transfer's reason and recompute every hash from it on, as a careful forger would."""
    superuser_write(update(Transfer.__table__).where(Transfer.id == transfer_id).values(reason=reason))
    rows = db.session.execute(
        select(Transfer.__table__).where(Transfer.id >= transfer_id).order_by(Transfer.id)).all()
    previous = rows[0].prev_hash
    for row in rows:
        recomputed = transfer_hash(previous, row._mapping)
        superuser_write(update(Transfer.__table__).where(Transfer.id == row.id)
                        .values(prev_hash=previous, hash=recomputed))
        previous = recomputed
    db.session.execute(update(LedgerHead.__table__).values(last_hash=previous))
    db.session.commit()


def test_a_checkpoint_signs_the_head_and_verifies(award_some, runner, tmp_path):
    award_some(3)
    document = signed(runner, tmp_path / "checkpoint.json")
    assert (document["sequence"], document["hash"]) == (3, db.session.get(LedgerHead, 1).last_hash)
    assert document["street"] == "棘洪滩街道" and document["made_at"].endswith("+00:00")
    code, output = run(runner, "verify", "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert code == 0, output
    assert f"checkpoint {ledger.latest_checkpoint().fingerprint} of" in output and "up to transfer 3" in output


def test_a_checkpoint_goes_to_standard_output_without_a_file(award_some, runner):
    award_some(2)
    result = runner.invoke(args=["ledger", "checkpoint"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sequence"] == 2
    assert ledger.latest_checkpoint().fingerprint in result.stderr


def test_a_rewrite_with_every_later_hash_recomputed_is_caught(award_some, runner, tmp_path, superuser_write):
    award_some(4)
    signed(runner, tmp_path / "checkpoint.json")
    award_some(2)  # the ledger moves on after the checkpoint
    rewrite(superuser_write, 2, "从未发生的好事")
    assert run(runner, "verify")[0] == 0  # the chain alone cannot tell
    code, output = run(runner, "verify", "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert code == 1
    assert "LEDGER NOT CLEAN: transfer 4: the history up to here is not the one checkpoint" in output


@pytest.mark.parametrize(("rewritten", "named", "since"), [
    (2, "transfer 3", None),
    (5, "transfer 6", "so the change lies after transfer 3"),
])
def test_earlier_checkpoints_narrow_down_where_the_rewrite_began(
        award_some, runner, tmp_path, superuser_write, rewritten, named, since):
    award_some(3)
    signed(runner, tmp_path / "march.json")  # the file is lost; its record in the database remains
    award_some(3)
    signed(runner, tmp_path / "june.json")
    rewrite(superuser_write, rewritten, "改过的理由")
    code, output = run(runner, "verify", "--checkpoint", str(tmp_path / "june.json"))
    assert code == 1
    assert f"LEDGER NOT CLEAN: {named}: the history up to here is not the one" in output
    if since:
        assert since in output
    else:
        assert "still matches" not in output


def test_a_row_changed_without_recomputing_is_named_itself(award_some, runner, tmp_path, superuser_write):
    award_some(4)
    signed(runner, tmp_path / "checkpoint.json")
    superuser_write("UPDATE transfers SET reason = '改过的理由' WHERE id = 2")
    db.session.commit()
    code, output = run(runner, "verify", "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert code == 1
    assert "LEDGER NOT CLEAN: transfer 2: its contents do not match its hash" in output


ZERO_SIGNATURE = base64.b64encode(bytes(64)).decode()


@pytest.mark.parametrize("edit", [
    {"sequence": 2}, {"hash": "ab" * 32}, {"made_at": "2026-01-01T00:00:00+00:00"}, {"street": "别的街道"},
    {"signature": ZERO_SIGNATURE}, {"signature": "not base64!"},
], ids=["sequence", "hash", "made_at", "street", "signature", "garbled-signature"])
def test_an_edited_checkpoint_is_refused(award_some, runner, tmp_path, edit):
    award_some(3)
    path = tmp_path / "checkpoint.json"
    path.write_text(json.dumps(signed(runner, path) | edit), encoding="utf-8")
    code, output = run(runner, "verify", "--checkpoint", str(path))
    assert code == 1
    assert "CHECKPOINT REFUSED:" in output and "does not match its signature" in output


def test_a_checkpoint_aligned_with_a_rewritten_history_is_refused(award_some, runner, tmp_path, superuser_write):
    award_some(3)
    path = tmp_path / "checkpoint.json"
    document = signed(runner, path)
    rewrite(superuser_write, 1, "改过的理由")
    path.write_text(json.dumps(document | {"hash": db.session.get(Transfer, 3).hash}), encoding="utf-8")
    code, output = run(runner, "verify", "--checkpoint", str(path))
    assert code == 1
    assert "CHECKPOINT REFUSED:" in output


def test_a_checkpoint_signed_with_another_key_is_refused(app, award_some, runner, tmp_path, key_file):
    award_some(3)
    signed(runner, tmp_path / "ours.json")
    app.config["CHECKPOINT_KEY_FILE"] = str(tmp_path / "keys" / "someone_elses.pem")
    signed(runner, tmp_path / "theirs.json")
    app.config["CHECKPOINT_KEY_FILE"] = str(key_file)
    code, output = run(runner, "verify", "--checkpoint", str(tmp_path / "theirs.json"))
    assert code == 1
    assert "CHECKPOINT REFUSED:" in output and "another key" in output
    assert run(runner, "verify", "--checkpoint", str(tmp_path / "ours.json"))[0] == 0


@pytest.mark.parametrize("content", [None, "", "not json", "[1, 2]", '{"sequence": 3}'],
                         ids=["missing", "empty", "not-json", "a-list", "fields-missing"])
def test_a_file_that_is_no_checkpoint_is_refused(award_some, runner, tmp_path, content):
    award_some(1)
    signed(runner, tmp_path / "real.json")  # the key exists: only the file is wrong
    path = tmp_path / "checkpoint.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, output = run(runner, "verify", "--checkpoint", str(path))
    assert code == 1
    assert f"CHECKPOINT REFUSED: {path} is not a checkpoint file" in output


def test_without_the_key_a_checkpoint_cannot_be_checked(award_some, runner, tmp_path, key_file):
    award_some(1)
    signed(runner, tmp_path / "checkpoint.json")
    key_file.unlink()
    code, output = run(runner, "verify", "--checkpoint", str(tmp_path / "checkpoint.json"))
    assert code == 1
    assert f"CHECKPOINT REFUSED: no checkpoint key at {key_file}" in output
    assert not key_file.exists()  # checking never makes a new key


def test_the_key_is_made_once_owner_only_and_kept(award_some, runner, tmp_path, key_file):
    award_some(1)
    first = signed(runner, tmp_path / "first.json")
    key = key_file.read_bytes()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    award_some(1)
    second = signed(runner, tmp_path / "second.json")
    assert key_file.read_bytes() == key and second["public_key"] == first["public_key"]
    assert second["sequence"] == 2
    assert run(runner, "verify", "--checkpoint", str(tmp_path / "first.json"))[0] == 0


def test_books_that_do_not_verify_are_not_signed(award_some, runner, tmp_path, superuser_write):
    award_some(2)
    superuser_write("UPDATE transfers SET amount = 99 WHERE id = 1")
    db.session.commit()
    path = tmp_path / "checkpoint.json"
    code, output = run(runner, "checkpoint", "--output", str(path))
    assert code == 1
    assert "NO CHECKPOINT: the ledger does not verify" in output and "transfer 1" in output
    assert not path.exists() and ledger.latest_checkpoint() is None


def test_an_empty_ledger_is_not_signed(runner, tmp_path):
    code, output = run(runner, "checkpoint", "--output", str(tmp_path / "checkpoint.json"))
    assert code == 1
    assert "NO CHECKPOINT: the ledger holds no transfers yet" in output
    assert db.session.scalar(select(func.count()).select_from(ledger.Checkpoint)) == 0


def test_the_printed_board_shows_the_latest_fingerprint(award_some, resident, runner, tmp_path, client, login):
    award_some(2)
    login(resident)
    path = f"/board/print?community={resident.community_id}"
    assert "sheet-checkpoint" not in client.get(path).get_data(as_text=True)  # none made yet
    signed(runner, tmp_path / "november.json")
    older = ledger.latest_checkpoint().fingerprint
    award_some(1)
    signed(runner, tmp_path / "december.json")
    latest = ledger.latest_checkpoint().fingerprint
    html = client.get(path).get_data(as_text=True)
    assert latest in html and older not in html
    assert "sheet-checkpoint" in html
