"""Memory through real multi-turn conversations in separate sessions, on a SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.core.content import knowledge, prompt
from skill.store.sqlite import SQLiteAdapter
from tests.memory_talk import DAY, MINUTE, TimedConversation

ADVICE = knowledge().find("doctor", "frequent")
RELIEF = knowledge().topic("relief")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cramp-coach.sqlite3"


def rows(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT COUNT(*) FROM attributes").fetchone()[0]


def test_hold_preference_is_remembered_in_a_new_session(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    assert "25 second holds" in talk.intent("HoldLengthIntent", Seconds="25").speech
    talk.later(DAY)
    assert talk.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 25
    stranger = TimedConversation(SQLiteAdapter(db), user="SOMEONEELSE")
    assert stranger.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 30


def test_resume_within_fifteen_minutes_of_leaving_a_routine(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    talk.intent("CrampReliefIntent")
    assert talk.intent("AMAZON.NextIntent").speech.startswith(RELIEF[1].short)
    assert talk.intent("AMAZON.StopIntent").ended
    talk.later(14 * MINUTE)
    resumed = talk.intent("AMAZON.ResumeIntent")
    assert prompt("routine_resumed") in resumed.speech and RELIEF[1].short in resumed.speech
    assert talk.intent("AMAZON.NextIntent").speech.startswith(RELIEF[2].short)


def test_opening_the_skill_offers_to_carry_on_a_routine_left_minutes_ago(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    talk.intent("CrampReliefIntent")
    talk.intent("AMAZON.NextIntent")
    talk.intent("AMAZON.StopIntent")
    talk.later(5 * MINUTE)
    offer = talk.launch()
    assert (
        offer.speech == "Welcome back. You stopped at step 2 of the cramp relief. Want to carry on?"
    )
    assert len(offer.speech.split()) <= 25
    carried_on = talk.intent("AMAZON.YesIntent")
    assert carried_on.speech.startswith(prompt("routine_resumed") + " " + RELIEF[1].short)
    talk.intent("AMAZON.StopIntent")
    talk.later(MINUTE)
    talk.launch()
    fresh = talk.intent("AMAZON.NoIntent")
    assert fresh.speech == prompt("launch")
    talk.later(20 * MINUTE)
    assert talk.launch().speech == prompt("launch")


def test_no_resume_after_fifteen_minutes(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    talk.intent("CrampReliefIntent")
    talk.intent("AMAZON.NextIntent")
    talk.intent("AMAZON.StopIntent")
    talk.later(16 * MINUTE)
    heard = talk.intent("AMAZON.ResumeIntent")
    assert prompt("resume_nothing") in heard.speech and RELIEF[1].short not in heard.speech


def test_finished_routine_is_not_resumable(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    talk.whole_relief_routine()
    talk.later(MINUTE)
    assert prompt("resume_nothing") in talk.intent("AMAZON.ResumeIntent").speech


def test_frequent_cramp_advice_after_the_third_cramp_in_a_week_and_not_before(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    talk.agree_to_log()
    first = talk.whole_relief_routine()
    talk.later(2 * DAY)
    second = talk.whole_relief_routine()
    assert ADVICE.more not in first and ADVICE.more not in second
    talk.later(2 * DAY)
    third = talk.whole_relief_routine()
    assert "That's 3 cramps this week." in third and ADVICE.more in third
    assert prompt("red_flag_reminder") in third
    talk.later(3 * 60 * MINUTE)
    fourth = talk.whole_relief_routine()  # same day: not again
    assert ADVICE.more not in fourth
    talk.later(DAY)
    assert ADVICE.more in talk.whole_relief_routine()  # a day later, still frequent: again


def test_cramps_spread_over_more_than_a_week_are_not_frequent(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    for _ in range(3):
        ending = talk.whole_relief_routine()
        talk.later(4 * DAY)
    assert ADVICE.more not in ending


def test_logging_and_counting_cramps(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    talk.agree_to_log()
    noted = talk.intent("LogCrampIntent")
    assert "noted" in noted.speech and noted.speech.endswith("Is it still cramping?")
    assert talk.intent("AMAZON.NoIntent").speech.startswith("Okay.")
    talk.later(DAY)
    assert "one cramp in the last seven days" in talk.intent("CrampCountIntent").speech
    talk.later(DAY)
    talk.intent("LogCrampIntent")
    relief = talk.intent("AMAZON.YesIntent")  # still cramping: straight into relief
    assert relief.speech.startswith(RELIEF[0].short)
    talk.later(MINUTE)
    assert "2 cramps" in talk.intent("CrampCountIntent").speech  # that was one cramp, not two
    talk.later(8 * DAY)
    assert "haven't logged any" in talk.intent("CrampCountIntent").speech


def test_forget_my_data_deletes_after_yes_and_keeps_after_no(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    talk.intent("HoldLengthIntent", Seconds="20")
    talk.later(MINUTE)
    talk.agree_to_log()
    talk.intent("LogCrampIntent")
    talk.later(MINUTE)
    asked = talk.intent("ForgetDataIntent")
    assert "delete everything" in asked.speech and not asked.ended
    assert "kept" in talk.intent("AMAZON.NoIntent").speech
    assert rows(db) == 1
    talk.later(MINUTE)
    talk.intent("ForgetDataIntent")
    done = talk.intent("AMAZON.YesIntent")
    assert "deleted everything" in done.speech and done.ended
    assert rows(db) == 0
    talk.later(MINUTE)
    # Forgotten includes the yes to the log: counting needs a new yes.
    assert talk.intent("CrampCountIntent").speech.endswith("keep a count of your cramps?")
    talk.later(MINUTE)
    assert talk.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 30


def test_forget_needs_a_yes_right_after_the_question(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    talk.intent("LogCrampIntent")
    talk.intent("AMAZON.NoIntent")
    talk.later(MINUTE)
    talk.intent("ForgetDataIntent")
    talk.intent("CausesIntent")  # the person moved on: the question lapses
    talk.intent("AMAZON.YesIntent")
    assert rows(db) == 1


class Counting(SQLiteAdapter):
    """Counts writes, to check there is at most one per turn."""

    saves = 0

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        Counting.saves += 1
        super().save_attributes(request_envelope, attributes)

    def write(self, request_envelope: RequestEnvelope, attributes: dict, version: int) -> int:
        Counting.saves += 1  # the conditional write the skill's turns use
        return super().write(request_envelope, attributes, version)


def test_one_write_per_turn_at_most_and_none_when_nothing_changed(db: Path) -> None:
    talk = TimedConversation(Counting(db))
    Counting.saves = 0
    talk.intent("AboutCrampsIntent")  # the first-use disclaimer is marked as said: one write
    assert Counting.saves == 1
    talk.intent("CausesIntent")
    assert Counting.saves == 1
    talk.intent("CrampReliefIntent")  # saves the position: one write
    assert Counting.saves == 2
    talk.intent("AMAZON.NextIntent")
    assert Counting.saves == 3


# --- a broken store still gets a spoken answer ---------------------------------------------


class Failing(AbstractPersistenceAdapter):
    """A store that fails on the chosen operations."""

    def __init__(self, path: Path, fail: set[str]) -> None:
        self.inner = SQLiteAdapter(path)
        self.fail = fail

    def _check(self, operation: str) -> None:
        if operation in self.fail:
            raise sqlite3.OperationalError("database is locked")

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        self._check("get")
        return self.inner.get_attributes(request_envelope)

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        self._check("save")
        self.inner.save_attributes(request_envelope, attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self._check("delete")
        self.inner.delete_attributes(request_envelope)


def test_unopenable_store_still_coaches_and_says_it_cannot_remember(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    talk = TimedConversation(SQLiteAdapter(blocker / "db.sqlite3"))
    relief = talk.intent("CrampReliefIntent")
    assert relief.speech.startswith(RELIEF[0].short) and not relief.ended
    assert talk.intent("AMAZON.NextIntent").speech.startswith(RELIEF[1].short)
    assert "can't reach my records" in talk.intent("LogCrampIntent").speech
    talk.new_session()
    assert "can't reach my records" in talk.intent("CrampCountIntent").speech
    assert "Nothing was deleted" in talk.intent("ForgetDataIntent").speech


def test_failing_saves_do_not_lose_the_turn(db: Path, caplog) -> None:
    talk = TimedConversation(Failing(db, {"save"}), user="SECRETUSER")
    relief = talk.intent("CrampReliefIntent")
    assert relief.speech.startswith(RELIEF[0].short)
    offer = talk.intent("LogCrampIntent").speech
    assert offer.endswith("Want me to keep a count of your cramps?")
    logged = talk.intent("AMAZON.YesIntent").speech
    assert "couldn't save that" in logged and "noted" not in logged
    assert "store_failure op=save" in caplog.text and "SECRETUSER" not in caplog.text


def test_failed_delete_is_not_reported_as_done(db: Path) -> None:
    talk = TimedConversation(Failing(db, {"delete"}))
    talk.intent("LogCrampIntent")
    talk.intent("AMAZON.NoIntent")
    talk.later(MINUTE)
    talk.intent("ForgetDataIntent")
    heard = talk.intent("AMAZON.YesIntent")
    assert "couldn't delete your history" in heard.speech and "Done" not in heard.speech
    assert rows(db) == 1


def test_recognised_voices_on_one_account_keep_their_own_memory(db: Path) -> None:
    """A shared speaker (a family's, a gym's): each recognised person is remembered apart;
    unrecognised speakers share the account's memory."""
    ana, ben, anyone = (TimedConversation(SQLiteAdapter(db)) for _ in range(3))
    ana.factory.person_id = "amzn1.ask.person.ANA"
    ben.factory.person_id = "amzn1.ask.person.BEN"
    ana.intent("HoldLengthIntent", Seconds="22")
    ben.intent("HoldLengthIntent", Seconds="27")
    for talk in (ana, ben, anyone):
        talk.later(MINUTE)
    assert ana.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 22
    assert ben.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 27
    assert anyone.intent("CrampReliefIntent").session_attributes["routine"]["hold"] == 30
    assert rows(db) == 3


def test_the_cramp_log_is_opt_in_asked_once_and_forgotten_on_request(db: Path) -> None:
    """No log without a yes; the offer comes once, at the end of the relief routine; after a
    yes, "forget my data" deletes the log."""
    talk = TimedConversation(SQLiteAdapter(db))
    ending = talk.whole_relief_routine()
    assert ending.endswith("Want me to keep a count of your cramps?")
    declined = talk.intent("AMAZON.NoIntent")
    assert "won't keep a count" in declined.speech and declined.ended
    talk.later(DAY)
    again = talk.whole_relief_routine()
    assert "keep a count" not in again  # asked once
    talk.later(MINUTE)
    assert "not keeping a count" in talk.intent("CrampCountIntent").speech
    talk.intent("AMAZON.NoIntent")
    stored = SQLiteAdapter(db)
    talk.later(DAY)
    ending = talk.whole_relief_routine()
    assert "keep a count" not in ending
    talk.later(MINUTE)
    offer = talk.intent("LogCrampIntent")  # asking to log is asking again
    assert offer.speech.endswith("Want me to keep a count of your cramps?")
    assert "one cramp" in talk.intent("AMAZON.YesIntent").speech
    talk.later(MINUTE)
    assert "one cramp in the last seven days" in talk.intent("CrampCountIntent").speech
    talk.later(MINUTE)
    talk.intent("ForgetDataIntent")
    assert "deleted" in talk.intent("AMAZON.YesIntent").speech
    talk.later(MINUTE)
    assert talk.intent("CrampCountIntent").speech.endswith("keep a count of your cramps?")
    del stored


def test_yes_at_the_end_of_the_relief_routine_counts_that_cramp(db: Path) -> None:
    talk = TimedConversation(SQLiteAdapter(db))
    talk.whole_relief_routine()
    started = talk.intent("AMAZON.YesIntent")
    assert "starting with this one" in started.speech and "forget my data" in started.speech
    talk.later(MINUTE)
    assert "one cramp in the last seven days" in talk.intent("CrampCountIntent").speech
