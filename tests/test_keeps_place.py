"""Issue 23: a coach that keeps its place. Side questions in a routine are answered in at
most two sentences that end with the way back, and leave the routine where it was; the
leg named is the leg used; help and misses in a routine keep the place. Driven through the
Lambda handler with real envelopes, in en-US and es-US, asserting on what is heard."""

from __future__ import annotations

import re
from typing import Any

import pytest

from skill.core.catalogue import catalogue_for
from skill.hosts import lambda_handler
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.conftest import CheckedConversation

LOCALES = ("en-US", "es-US")
#: Side questions (intent, slots) a person asks mid-routine.
SIDE_QUESTIONS: list[tuple[str, dict[str, Any]]] = [
    ("CausesIntent", {}),
    ("CausesIntent", {"Cause": "electrolytes"}),
    ("CausesIntent", {"Cause": "medication"}),
    ("PreventionIntent", {}),
    ("DoctorAdviceIntent", {}),
    ("HoldAdviceIntent", {}),
    ("ReliefStepIntent", {"ReliefStep": "rehydrate"}),
    ("ReliefStepIntent", {"ReliefStep": "cold"}),
    ("AboutCramps" + "Intent", {}),
    ("SymptomCheckIntent", {"Symptom": "at_night"}),
]
RESUME_WORDS = [
    "AMAZON.NoIntent",
    "AMAZON.YesIntent",
    "AMAZON.ResumeIntent",
    "AMAZON.NextIntent",
    "WhereWasIIntent",
    "TellMeMoreIntent",
]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def person(locale: str) -> CheckedConversation:
    return CheckedConversation(lambda_handler.handler, EnvelopeFactory(locale=locale))


def back_line(locale: str, step: int) -> str:
    return str(catalogue_for(locale).text("aside_back", step=step))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("intent", "slots"), SIDE_QUESTIONS)
def test_a_side_question_is_short_and_ends_with_the_way_back(
    locale: str, intent: str, slots: dict[str, Any]
) -> None:
    talk = person(locale)
    talk.intent("CrampReliefIntent")
    step2 = talk.intent("AMAZON.NextIntent")
    heard = talk.intent(intent, **slots)
    back = back_line(locale, 2)
    assert heard.speech.endswith(back), heard.speech
    answer = heard.speech[: -len(back)]
    assert 1 <= len(sentences(answer)) <= 2, answer
    assert not heard.ended
    assert heard.session_attributes["routine"]["index"] == 1
    # "no" goes back to the step it was on, not the next, and keeps the session.
    again = talk.intent("AMAZON.NoIntent")
    assert not again.ended
    assert again.speech.endswith(step2.speech.split(". ", 1)[-1]) or step2.speech in again.speech


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("resume", RESUME_WORDS)
def test_every_resume_word_goes_back_to_the_same_step(locale: str, resume: str) -> None:
    talk = person(locale)
    talk.intent("StretchSessionIntent")
    step2 = talk.intent("AMAZON.NextIntent")
    talk.intent("PreventionIntent")
    if resume == "TellMeMoreIntent":
        talk.intent("AMAZON.PauseIntent")  # "wait", then "go on"
    heard = talk.intent(resume)
    assert not heard.ended
    assert heard.session_attributes["routine"]["index"] == 1
    assert heard.session_attributes["routine"]["paused"] is False
    instruction = (
        catalogue_for(locale)
        .step("stretch", "standing")
        .say.format(leg=catalogue_for(locale).text("leg_left"))
    )
    assert instruction in heard.speech and instruction in step2.speech


@pytest.mark.parametrize("locale", LOCALES)
def test_no_routine_no_aside(locale: str) -> None:
    """Outside a routine the full answer is given, with its own question."""
    heard = person(locale).intent("CausesIntent")
    assert back_line(locale, 1) not in heard.speech
    assert heard.speech.endswith("?")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("first", [None, "right", "left"])
@pytest.mark.parametrize("named", ["right", "left"])
def test_the_leg_named_is_the_leg_used(locale: str, first: str | None, named: str) -> None:
    talk = person(locale)
    talk.intent("CrampReliefIntent", **({"Leg": first} if first else {}))
    heard = talk.intent("SwitchLegIntent", Leg=named)
    assert heard.session_attributes["routine"]["leg"] == named
    word = catalogue_for(locale).text(f"leg_{named}")
    assert word in heard.speech
    key = "switch_leg_same" if first == named else "switch_leg_relief"
    assert catalogue_for(locale).text(key, leg=word) in heard.speech


@pytest.mark.parametrize("locale", LOCALES)
def test_other_leg_with_none_named_guesses_nothing(locale: str) -> None:
    talk = person(locale)
    talk.intent("CrampReliefIntent")
    heard = talk.intent("SwitchLegIntent")
    catalogue = catalogue_for(locale)
    other = catalogue.text("switch_leg_relief", leg=catalogue.text("leg_other"))
    assert other in heard.speech
    assert heard.session_attributes["routine"]["leg"] is None


@pytest.mark.parametrize("locale", LOCALES)
def test_a_paused_routine_resumes_at_the_paused_step(locale: str) -> None:
    talk = person(locale)
    talk.intent("StretchSessionIntent")
    talk.intent("AMAZON.NextIntent")
    talk.intent("AMAZON.PauseIntent")
    for word in ("AMAZON.NextIntent", "AMAZON.YesIntent", "AMAZON.ResumeIntent"):
        heard = talk.intent(word)
        assert heard.session_attributes["routine"]["index"] == 1, word
        talk.intent("AMAZON.PauseIntent")


@pytest.mark.parametrize("locale", LOCALES)
def test_three_misses_in_a_routine_keep_the_place(locale: str) -> None:
    talk = person(locale)
    talk.intent("StretchSessionIntent")
    talk.intent("AMAZON.NextIntent")
    for _ in range(3):
        heard = talk.intent("AMAZON.FallbackIntent")
        assert heard.session_attributes["routine"]["index"] == 1
        assert "2" in heard.speech or "Paused" in heard.speech or "pausa" in heard.speech
    assert not heard.ended  # memory off: the session stays open to come back
    back = talk.intent("AMAZON.ResumeIntent")
    assert back.session_attributes["routine"]["index"] == 1


@pytest.mark.parametrize("locale", LOCALES)
def test_after_an_alarm_no_resume_word_or_button_brings_a_stretch_back(locale: str) -> None:
    """Safety outranks keeping the place: once an alarm stopped the routine, every way back
    (the resume words, yes to an aside's question, both legs, the heat timer, the launch
    screen's buttons) is refused."""
    catalogue = catalogue_for(locale)
    instructions = [
        catalogue.step(routine, step.id).say.split("{", 1)[0][:20]
        for routine in ("relief", "stretch")
        for step in catalogue.routine(routine).steps
    ]
    talk = person(locale)
    talk.intent("StretchSessionIntent")
    talk.intent("AMAZON.NextIntent")
    talk.intent("PreventionIntent")  # an aside: the routine waits, paused
    talk.intent("RedFlagIntent", Sign={"value": "pop", "id": "injury_pop"})
    for action in ("cramp", "session", "yes", "next"):
        heard = talk.touch(action, "")
        assert not heard.ended
        assert not any(i and i in heard.speech for i in instructions), (action, heard.speech)
    # "No" last: with nothing to go back to, it says goodbye (the latch lasts the session).
    for intent in [
        *RESUME_WORDS[1:],
        "AMAZON.StartOverIntent",
        "SwitchLegIntent",
        *RESUME_WORDS[:1],
    ]:
        heard = talk.intent(intent)
        assert not any(i and i in heard.speech for i in instructions), (intent, heard.speech)
