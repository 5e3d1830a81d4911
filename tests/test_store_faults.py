"""Store faults through real conversations: the answer says what was stored, the failure is
counted in the logs, and the SQLite store heals without a restart once the fault is gone."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.store.sqlite import SQLiteAdapter
from tests.memory_talk import MINUTE, TimedConversation


def rows(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT COUNT(*) FROM attributes").fetchone()[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


class ReadOnlyWhileBroken(SQLiteAdapter):
    """The real SQLite store, opened read-only (as SQLite does for a file it may not write)
    while ``broken`` is set: works the same whether or not the tests run as root."""

    broken = False

    def _connect(self) -> sqlite3.Connection:
        if not self.broken:
            return super()._connect()
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)


def test_a_read_only_store_never_hears_noted_and_recovers(tmp_path: Path, caplog) -> None:
    db = tmp_path / "coach.sqlite3"
    store = ReadOnlyWhileBroken(db)
    talk = TimedConversation(store)
    talk.intent("HoldLengthIntent", Seconds="25")  # the file and its row exist
    store.broken = True
    store.close()  # a kept connection stays writable: the fault shows on the next open
    talk.later(MINUTE)
    heard = talk.log_a_cramp()
    assert "couldn't save that" in heard.speech and "noted" not in heard.speech
    assert "store_failure op=save" in caplog.text and "failures_save=" in caplog.text
    store.broken = False  # the fault is gone: the same adapter, no restart
    talk.later(20 * MINUTE)
    heard = talk.log_a_cramp()
    assert "I've noted it. That's one cramp" in heard.speech


def test_store_directory_removed_and_re_created_while_running(tmp_path: Path) -> None:
    home = tmp_path / "data"
    db = home / "coach.sqlite3"
    talk = TimedConversation(SQLiteAdapter(db))
    assert "noted" in talk.log_a_cramp().speech
    shutil.rmtree(home)
    home.mkdir()  # an operator restores an empty directory
    talk.later(20 * MINUTE)
    heard = talk.log_a_cramp()
    assert "I've noted it. That's one cramp" in heard.speech
    assert rows(db) == 1
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if path.exists():
            assert mode(path) == 0o600, path


def test_a_table_dropped_under_a_running_store_comes_back(tmp_path: Path) -> None:
    db = tmp_path / "coach.sqlite3"
    talk = TimedConversation(SQLiteAdapter(db))
    talk.log_a_cramp()
    with sqlite3.connect(db) as connection:
        connection.execute("DROP TABLE attributes")
    talk.later(20 * MINUTE)
    assert "I've noted it. That's one cramp" in talk.log_a_cramp().speech


def test_read_only_companions_left_by_a_fault_are_made_writable_again(tmp_path: Path) -> None:
    """SQLite gives -wal and -shm the main file's mode: after a read-only spell they stay
    0444 when the operator restores the main file, and every write would keep failing."""
    db = tmp_path / "coach.sqlite3"
    store = SQLiteAdapter(db)
    talk = TimedConversation(store)
    talk.log_a_cramp()
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{db}{suffix}")
        if companion.exists():
            os.chmod(companion, 0o444)
    os.chmod(db, 0o644)  # and group/other bits crept onto the main file
    store.close()  # as after the failed write of the fault
    talk.later(20 * MINUTE)
    assert "noted" in talk.log_a_cramp().speech
    assert mode(db) == 0o600
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{db}{suffix}")
        if companion.exists():
            assert mode(companion) == 0o600


class FailingDelete(AbstractPersistenceAdapter):
    """A SQLite store whose deletes fail."""

    def __init__(self, path: Path) -> None:
        self.inner = SQLiteAdapter(path)
        self.deletes = 0

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return self.inner.get_attributes(request_envelope)

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        self.inner.save_attributes(request_envelope, attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.deletes += 1
        raise OSError("delete refused")


@pytest.mark.parametrize("kind", ["warm-up", "cool-down"])
def test_finishing_a_session_against_a_failing_delete_ends_the_routine(
    tmp_path: Path, kind: str
) -> None:
    """Finishing a routine clears its position: that is not "forget my data", so a failing
    delete must never turn the ending into an apology. (The record then keeps only the mark
    that the first-use disclaimer was said, so the ending saves it rather than deleting.)"""
    store = FailingDelete(tmp_path / "coach.sqlite3")
    talk = TimedConversation(store)
    heard = talk.intent("StretchSessionIntent", SessionKind=kind)
    for _ in range(30):
        if heard.ended:
            break
        # The weekly reminder offer (issue 27) may end the session: no, thanks.
        asked = "remind you" in heard.speech
        heard = talk.intent("AMAZON.NoIntent" if asked else "AMAZON.NextIntent")
    assert heard.ended and heard.speech.endswith("Goodbye.")  # the session's own ending
    assert "couldn't delete" not in heard.speech
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    envelope = json.dumps(talk.factory.intent("AMAZON.HelpIntent"))
    record = store.get_attributes(DefaultSerializer().deserialize(envelope, RequestEnvelope))
    # Emptied (the delete was tried, and failed), or saved without the position (the
    # session count and the offer's date are kept: docs/reminders.md).
    assert store.deletes == 1 if not record else "position" not in record
