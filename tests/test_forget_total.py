""" "Forget my data" is total and final (issue #24 items 4 and 10): a forget that races another
turn of the same person leaves nothing stored, consent is part of the version rule, and the
forgotten record's bytes are gone from the SQLite file and its WAL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from ask_sdk_model import RequestEnvelope

from skill.core import memory
from skill.store import SQLiteAdapter, versioned
from skill.store.versioned import Record
from tests.memory_talk import DAY, MINUTE, START, TimedConversation

NOW = START


class PausingStore(SQLiteAdapter):
    """The real store; ``between`` runs once right after the next read, as if another turn
    of the person ran on another worker while this one was under way."""

    between: Callable[[], None] | None = None

    def read(self, request_envelope: RequestEnvelope) -> Record:
        record = super().read(request_envelope)
        hook, self.between = self.between, None
        if hook is not None:
            hook()
        return record


def stored(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT attributes FROM attributes")]


def test_a_forget_racing_a_logged_cramp_leaves_nothing_stored(tmp_path: Path) -> None:
    """Defect 4: on main the cramp was stored with no consent after "I've deleted
    everything"; now the cramp's turn says it couldn't save, and nothing is kept."""
    db = tmp_path / "coach.sqlite3"
    store = PausingStore(db)
    talk = TimedConversation(store)
    talk.agree_to_log()
    talk.later(20 * MINUTE)
    elsewhere = TimedConversation(SQLiteAdapter(db))  # the same person on another device
    elsewhere.now = talk.now
    said: list[str] = []

    def forget_on_the_other_device() -> None:
        elsewhere.intent("ForgetDataIntent")
        said.append(elsewhere.intent("AMAZON.YesIntent").speech)

    store.between = forget_on_the_other_device
    heard = talk.intent("LogCrampIntent")
    assert said and "deleted everything" in said[0]
    assert "noted" not in heard.speech and "couldn't save" in heard.speech, heard.speech
    assert stored(db) == []


def test_a_forget_racing_a_hold_change_leaves_nothing_stored(tmp_path: Path) -> None:
    db = tmp_path / "coach.sqlite3"
    store = PausingStore(db)
    talk = TimedConversation(store)
    talk.intent("HoldLengthIntent", Seconds="22")
    talk.later(MINUTE)
    elsewhere = TimedConversation(SQLiteAdapter(db))
    elsewhere.now = talk.now

    def forget() -> None:
        elsewhere.intent("ForgetDataIntent")
        elsewhere.intent("AMAZON.YesIntent")

    store.between = forget
    heard = talk.intent("HoldLengthIntent", Seconds="27")
    assert "next stretch" not in heard.speech
    assert stored(db) == []


def test_rebase_logs_no_cramp_once_consent_is_withdrawn() -> None:
    base = {"log_consent": True, "cramps": [NOW - DAY], "v": 1}
    mine = {"log_consent": True, "cramps": [NOW - DAY, NOW], "v": 1}
    withdrawn = {"log_consent": False, "hold_seconds": 25, "v": 1}
    assert memory.rebase(base, mine, withdrawn) == withdrawn


def test_rebase_over_a_forgotten_record_is_dropped() -> None:
    base = {"log_consent": True, "cramps": [NOW - DAY], "v": 1}
    mine = {"log_consent": True, "cramps": [NOW - DAY, NOW], "v": 1}
    with pytest.raises(versioned.Dropped):
        memory.rebase(base, mine, {})
    # A routine's position alone is not the person's data: finishing the routine elsewhere
    # emptied the record, and this turn's new setting still lands.
    position = {"state": {"step": 1}, "saved_at": NOW - 60}
    assert memory.rebase({"position": position}, {"hold_seconds": 25}, {}) == {"hold_seconds": 25}


def test_rebase_keeps_a_consent_given_by_this_turn() -> None:
    mine = {"log_consent": True, "cramps": [NOW], "v": 1}
    assert memory.rebase({"hold_seconds": 25}, mine, {"hold_seconds": 25, "v": 1})["cramps"] == [
        NOW
    ]


def test_forgotten_bytes_are_gone_from_the_file_and_the_wal(tmp_path: Path) -> None:
    """Defect 10: with no secure_delete and no checkpoint, the record stayed in free pages
    and WAL frames after "I've deleted everything"."""
    db = tmp_path / "coach.sqlite3"
    talk = TimedConversation(SQLiteAdapter(db))
    talk.intent("HoldLengthIntent", Seconds="23")
    talk.later(MINUTE)
    talk.agree_to_log()
    talk.intent("LogCrampIntent")
    with sqlite3.connect(db) as connection:
        (key_text,) = connection.execute("SELECT id FROM attributes").fetchone()
    key = key_text.encode()
    files = [db, Path(f"{db}-wal")]
    assert any(key in path.read_bytes() for path in files if path.exists())
    talk.later(MINUTE)
    talk.intent("ForgetDataIntent")
    assert "deleted everything" in talk.intent("AMAZON.YesIntent").speech
    for path in files:
        if path.exists():
            data = path.read_bytes()
            assert key not in data, path
            assert b"log_consent" not in data and b"hold_seconds" not in data, path
