"""No promise without a save (issue #24 item 8): an answer that says it will remember
something is only given when the save succeeded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.store import SQLiteAdapter
from tests.memory_talk import MINUTE, TimedConversation


class WritesFail(SQLiteAdapter):
    """The real store; reads work, every write fails (a full disk)."""

    def write(self, request_envelope: RequestEnvelope, attributes: dict[str, Any], version: int):
        raise PersistenceException("disk full")

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]):
        raise PersistenceException("disk full")


def test_a_hold_length_that_could_not_be_saved_is_not_promised(tmp_path: Path) -> None:
    """Defect 8: on main this said "I'll use that for your next stretch"."""
    talk = TimedConversation(WritesFail(tmp_path / "coach.sqlite3"))
    heard = talk.intent("HoldLengthIntent", Seconds="25")
    assert "Okay, 25 second holds." in heard.speech
    assert "next stretch" not in heard.speech
    assert "couldn't save it for next time" in heard.speech
    # It still holds for this session: the next stretch uses it.
    assert talk.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 25


def test_a_saved_hold_length_is_promised_and_kept(tmp_path: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(tmp_path / "coach.sqlite3"))
    assert (
        "I'll use that for your next stretch"
        in talk.intent("HoldLengthIntent", Seconds="25").speech
    )
    talk.later(MINUTE)
    assert talk.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 25
