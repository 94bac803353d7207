"""SQLite transactions take turns on an flock beside the database (points.extensions.QueuedConnection):
a turn is held from BEGIN to COMMIT or ROLLBACK, and never makes a thread wait for itself."""
import fcntl
import os
import sqlite3
import threading

import pytest

from points.extensions import QueuedConnection


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "turns.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE visits (n INTEGER)")
    setup.commit()
    setup.close()
    return path


def connect(path, timeout=5.0):
    connection = sqlite3.connect(path, factory=QueuedConnection, timeout=timeout, check_same_thread=False)
    connection.isolation_level = None  # as the app runs it: BEGIN is ours
    return connection


def turn_is_free(path):
    """Whether another process could take the turn right now."""
    fd = os.open(f"{path}.turn", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_a_turn_lasts_from_begin_to_the_end_of_the_transaction(database, end):
    connection = connect(database)
    assert turn_is_free(database)
    connection.begin_immediate()
    connection.execute("INSERT INTO visits VALUES (1)")
    assert not turn_is_free(database)
    getattr(connection, end)()
    assert turn_is_free(database)


def test_a_waiting_transaction_goes_on_when_the_turn_is_released(database):
    first, second = connect(database), connect(database)
    first.begin_immediate()
    first.execute("INSERT INTO visits VALUES (1)")
    seen = []

    def later():
        second.begin_immediate()
        seen.append(second.execute("SELECT count(*) FROM visits").fetchone()[0])
        second.commit()

    waiting = threading.Thread(target=later)
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive() and not seen  # still waiting for its turn
    first.commit()
    waiting.join(10)
    assert seen == [1]  # it went on, and saw the first transaction's row


def test_a_thread_never_waits_for_its_own_turn(database):
    """A second connection in the same thread gets SQLite's own refusal, not a hang."""
    first, second = connect(database), connect(database, timeout=0.1)
    first.begin_immediate()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        second.begin_immediate()
    first.commit()
    second.begin_immediate()  # and the turn is free for it afterwards
    second.commit()
    assert turn_is_free(database)


def test_an_in_memory_database_has_no_turn_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    connection = sqlite3.connect(":memory:", factory=QueuedConnection)
    connection.isolation_level = None
    connection.begin_immediate()
    connection.commit()
    connection.close()
    assert list(tmp_path.iterdir()) == []


def test_a_connection_closed_by_another_thread_gives_back_its_thread_s_turn(database):
    """A pool may close a connection from another thread; the thread that began can still queue."""
    first = connect(database)
    first.begin_immediate()
    closer = threading.Thread(target=first.close)
    closer.start()
    closer.join(10)
    assert turn_is_free(database)
    again = connect(database)
    again.begin_immediate()  # this thread takes the turn again rather than thinking it still holds it
    assert not turn_is_free(database)
    again.commit()
