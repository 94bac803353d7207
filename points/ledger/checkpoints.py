"""Checkpoints: the chain head (sequence, hash, time) signed with the scheme's Ed25519 key.

Every transfer's hash covers the one before it, so the hash a checkpoint signed, found again at the
same transfer later, proves that nothing up to it changed — even if someone rewrote a row and
recomputed every hash after it. The key is made on first use in instance/checkpoint_key.pem (or at
CHECKPOINT_KEY_FILE); every instance needs the same file. Each checkpoint is also recorded in the
database, so the printed board of any instance shows the latest one's fingerprint.
"""
import base64
import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app
from sqlalchemy import select

from points.extensions import db
from points.ledger.models import Checkpoint, LedgerHead
from points.ledger.verify import verify
from points.timeutil import as_utc, now_utc


class CheckpointRefused(Exception):
    """A checkpoint that cannot be made, or a file that cannot be trusted; the message says why."""


def checkpoint(street):
    """Sign the chain head and record it (flushed); refused while the books do not verify."""
    head = db.session.get(LedgerHead, 1)
    problems = verify()
    if problems:
        raise CheckpointRefused(f"the ledger does not verify, so it is not signed: {problems[0]}")
    if head.seq == 0:
        raise CheckpointRefused("the ledger holds no transfers yet: there is nothing to sign")
    key = signing_key()
    made = Checkpoint(sequence=head.seq, hash=head.last_hash, made_at=now_utc().replace(microsecond=0),
                      street=street, public_key=_public(key))
    made.signature = _b64(key.sign(_canonical(_signed_fields(made))))
    made.fingerprint = fingerprint(made)
    db.session.add(made)
    db.session.flush()
    return made


def latest_checkpoint():
    """The checkpoint made last, for the printed board; None before the first."""
    return db.session.execute(select(Checkpoint).order_by(Checkpoint.id.desc()).limit(1)).scalar()


def checkpoint_text(made):
    """The checkpoint file: a small JSON document, readable and signed."""
    return json.dumps(_document(made), ensure_ascii=False, indent=2) + "\n"


def read_checkpoint(path):
    """The checkpoint in this file, once its signature proves this scheme's key signed it as it stands."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        found = Checkpoint(**{field: document[field] for field in ("sequence", "hash", "street")},
                           made_at=datetime.fromisoformat(document["made_at"]),
                           public_key=document["public_key"], signature=document["signature"])
    except (OSError, ValueError, KeyError, TypeError) as error:  # JSON and dates raise ValueError
        raise CheckpointRefused(f"{path} is not a checkpoint file ({error})") from None
    trusted = _stored_key(key_path())
    if found.public_key != _public(trusted):
        raise CheckpointRefused(f"{path} was signed with another key than this scheme's: refused")
    if not _signature_holds(trusted, found):
        raise CheckpointRefused(f"{path} does not match its signature (edited or forged): refused")
    found.fingerprint = fingerprint(found)
    return found


def verify_checkpoint(found):
    """verify(), also proving the history this checkpoint saw is still there. The genuine checkpoints
    recorded before it, if they still match, narrow down where a rewrite began."""
    earlier = db.session.execute(
        select(Checkpoint)
        .where(Checkpoint.public_key == found.public_key, Checkpoint.sequence < found.sequence)
        .order_by(Checkpoint.sequence)
    ).scalars()
    trusted = _stored_key(key_path())
    return verify([*(c for c in earlier if _signature_holds(trusted, c)), found])


def fingerprint(signed):
    """A short digest of the signed document to print and compare by eye: 'ABCD EF01 2345 6789'."""
    digest = hashlib.sha256(_canonical(_document(signed))).hexdigest()[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def key_path():
    configured = current_app.config.get("CHECKPOINT_KEY_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "checkpoint_key.pem"


def signing_key():
    """The scheme's Ed25519 key, generated on first use (readable by its owner only)."""
    path = key_path()
    if not path.exists():
        _generate(path)
    return _stored_key(path)


def _generate(path):
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            file.write(pem)
        # A hard link appears whole, and never replaces a key another process has just made.
        os.link(draft, path)
    except FileExistsError:
        pass
    except OSError as error:
        raise CheckpointRefused(f"cannot write the checkpoint key at {path}: {error}") from None
    finally:
        draft.unlink(missing_ok=True)


def _stored_key(path):
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except FileNotFoundError:
        raise CheckpointRefused(
            f"no checkpoint key at {path}: checkpoints are checked with the key that signed them "
            "(copy it there, or set CHECKPOINT_KEY_FILE)") from None
    except (OSError, ValueError, TypeError) as error:
        raise CheckpointRefused(f"cannot read the checkpoint key at {path}: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointRefused(f"the checkpoint key at {path} is not an Ed25519 key")
    return key


def _signature_holds(key, signed):
    try:
        key.public_key().verify(_unb64(signed.signature), _canonical(_signed_fields(signed)))
    except (InvalidSignature, ValueError, TypeError):  # a signature that is not even base64 holds nothing
        return False
    return True


def _signed_fields(signed):
    return {"sequence": signed.sequence, "hash": signed.hash, "made_at": as_utc(signed.made_at).isoformat(),
            "street": signed.street, "public_key": signed.public_key}


def _document(signed):
    return _signed_fields(signed) | {"signature": signed.signature}


def _canonical(fields):
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _public(key):
    return _b64(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _b64(raw):
    return base64.b64encode(raw).decode()


def _unb64(text):
    return base64.b64decode(text, validate=True)
