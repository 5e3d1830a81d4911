"""A possible injury is remembered for a day (issue 22, item 6): multi-turn, across sessions,
with a real store, through real request envelopes at controlled request times."""

from __future__ import annotations

from pathlib import Path

from skill.core.content import prompt
from skill.store.sqlite import SQLiteAdapter
from skill.tools.evals.safety_speech import instruction_in, prompt_first_instruction
from tests.memory_talk import DAY, MINUTE, TimedConversation

SWOLLEN = {"value": "swollen", "id": "sign_swelling"}
POP = {"value": "pop", "id": "injury_pop"}


def person(tmp_path: Path) -> TimedConversation:
    return TimedConversation(SQLiteAdapter(tmp_path / "coach.sqlite3"))


def stretched(speech: str) -> bool:
    return speech.startswith(prompt_first_instruction())


def test_a_new_session_within_a_day_hears_one_sentence_then_the_routine(tmp_path: Path) -> None:
    talk = person(tmp_path)
    talk.intent("RedFlagIntent", Sign=SWOLLEN)  # warning: see a doctor today
    talk.later(3 * 60 * MINUTE)
    first = talk.intent("CrampReliefIntent")
    assert first.speech == prompt("injury_remembered") and not first.ended
    assert instruction_in(f"{first.speech} {first.reprompt}") is None
    confirmed = talk.intent("CrampReliefIntent")  # "it's a cramp"
    assert stretched(confirmed.speech)
    # Confirmed: the next session is not held back again.
    talk.later(MINUTE)
    assert stretched(talk.intent("CrampReliefIntent").speech)


def test_yes_after_the_sentence_also_starts_the_routine(tmp_path: Path) -> None:
    talk = person(tmp_path)
    talk.intent("RedFlagIntent", Sign=POP)  # injury
    talk.later(10 * MINUTE)
    talk.launch()
    asked = talk.intent("AMAZON.YesIntent")  # "is it cramping?" yes
    assert asked.speech == prompt("injury_remembered")
    assert stretched(talk.intent("AMAZON.YesIntent").speech)


def test_a_stretch_session_is_held_back_the_same_way(tmp_path: Path) -> None:
    talk = person(tmp_path)
    talk.intent("RedFlagIntent", Sign=SWOLLEN)
    talk.later(DAY - MINUTE)
    asked = talk.intent("StretchSessionIntent")
    assert asked.speech == prompt("injury_remembered")


def test_after_a_day_nothing_is_held_back(tmp_path: Path) -> None:
    talk = person(tmp_path)
    talk.intent("RedFlagIntent", Sign=SWOLLEN)
    talk.later(DAY + MINUTE)
    assert stretched(talk.intent("CrampReliefIntent").speech)


def test_a_false_alarm_costs_one_sentence_per_session_at_most(tmp_path: Path) -> None:
    """ "How do I warm up" once heard as an alarm: the next session's cramp hears the
    sentence, and the second cramp request of that session the stretch, whatever it says."""
    talk = person(tmp_path)
    talk.intent("RedFlagIntent", Sign={"value": "warm", "id": "sign_red_hot"})
    talk.later(MINUTE)
    assert talk.intent("CrampReliefIntent").speech == prompt("injury_remembered")
    talk.intent("PreventionIntent")  # something else in between
    assert stretched(talk.intent("CrampReliefIntent").speech)


def test_without_memory_nothing_is_remembered(tmp_path: Path) -> None:
    talk = TimedConversation(None)
    talk.intent("RedFlagIntent", Sign=SWOLLEN)
    talk.later(MINUTE)
    assert stretched(talk.intent("CrampReliefIntent").speech)


def test_forget_my_data_deletes_the_remembered_injury(tmp_path: Path) -> None:
    talk = person(tmp_path)
    talk.intent("RedFlagIntent", Sign=SWOLLEN)
    talk.later(MINUTE)
    talk.intent("ForgetDataIntent")
    talk.intent("AMAZON.YesIntent")
    talk.later(MINUTE)
    assert stretched(talk.intent("CrampReliefIntent").speech)


def test_the_sentence_is_heard_through_the_words(tmp_path: Path) -> None:
    """Said the way Alexa would route it: "it's a cramp" is a cramp request."""
    from skill.tools.nlu.model import default_model

    assert default_model().understand("it's a cramp").intent == "CrampReliefIntent"


def test_the_record_keeps_the_time_no_longer_than_a_day(tmp_path: Path) -> None:
    import json
    import sqlite3

    db = tmp_path / "coach.sqlite3"
    talk = TimedConversation(SQLiteAdapter(db))
    talk.intent("RedFlagIntent", Sign=SWOLLEN)

    def stored() -> dict:
        with sqlite3.connect(db) as connection:
            rows = connection.execute("SELECT attributes FROM attributes").fetchall()
        return json.loads(rows[0][0]) if rows else {}

    assert stored().get("possible_injury_at") == int(talk.now)
    talk.later(DAY + MINUTE)
    talk.intent("PreventionIntent")
    assert "possible_injury_at" not in stored()
