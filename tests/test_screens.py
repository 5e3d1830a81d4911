"""Echo Show screens, end to end: real request envelopes in, response envelopes out.

A device that declares Alexa.Presentation.APL gets the one APL document with a data source
holding the step, the leg and the hold's seconds; a device that does not gets none. The
touch buttons (Alexa.Presentation.APL.UserEvent) answer exactly as the spoken intents do,
in a routine and outside one; stale or forged event arguments get a calm answer, never an
error.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask

from skill.core.catalogue import catalogue_for
from skill.hosts import lambda_handler
from skill.hosts.web import create_app
from skill.settings import Settings
from skill.tools.evals.safety_speech import instruction_in
from skill.tools.simulator.conversation import APL_RENDER, APLA_RENDER, Heard
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.conftest import CheckedConversation

EN = catalogue_for("en-US")
LEFT = {"value": "left", "id": "left"}


def show() -> CheckedConversation:
    """A person at an Echo Show (APL declared)."""
    return CheckedConversation(lambda_handler.handler, EnvelopeFactory(screen=True))


def speaker() -> CheckedConversation:
    """A person at an Echo without a screen."""
    return CheckedConversation(lambda_handler.handler, EnvelopeFactory(screen=False))


def screen_of(heard: Heard) -> dict[str, Any]:
    (directive,) = heard.directives_of(APL_RENDER)
    assert directive["document"]["type"] == "APL"
    assert directive["token"] == "cramp-coach-screen"
    properties: dict[str, Any] = directive["datasources"]["coach"]["properties"]
    return properties


def routine_of(heard: Heard) -> dict[str, Any]:
    state: dict[str, Any] = heard.session_attributes.get("routine") or {}
    return state


# --- screens --------------------------------------------------------------------------------
def test_a_screen_device_gets_the_step_leg_and_hold_seconds() -> None:
    talk = show()
    heard = talk.intent("CrampReliefIntent", Leg=LEFT)
    screen = screen_of(heard)
    assert screen["screen"] == "step"
    assert screen["title"] == EN.step("relief", "stretch").title == "Gently stretch"
    assert screen["instruction"].startswith("Straighten your leg.")
    assert screen["leg"] == "Left leg"
    assert screen["progress"] == "Step 1 of 5"
    assert screen["hold"]["seconds"] == 30
    # The countdown starts when the instruction has been said (about 5 s of speech).
    assert 3000 < screen["hold"]["startsAfterMs"] < 8000
    assert screen["position"] == "relief:0"
    # A held step: Pause, Longer and Shorter too, and a picture of the stretch (issue 23).
    assert [b["action"] for b in screen["buttons"]] == [
        "next",
        "repeat",
        "other_leg",
        "pause",
        "longer",
        "shorter",
        "stop",
    ]
    assert [b["label"] for b in screen["buttons"]] == [
        "Next",
        "Repeat",
        "Other leg",
        "Pause",
        "Longer",
        "Shorter",
        "Stop",
    ]
    assert screen["picture"] == "seated"


def test_the_hold_on_screen_follows_the_person_s_hold_length() -> None:
    talk = show()
    talk.intent("HoldLengthIntent", Seconds="25")
    heard = talk.intent("StretchSessionIntent", SessionKind={"value": "stretch", "id": "stretch"})
    screen = screen_of(heard)
    assert screen["hold"]["seconds"] == 25
    assert screen["title"] == "Standing stretch" and screen["leg"] == "Right leg"
    heard = talk.intent("AMAZON.NextIntent")
    assert screen_of(heard)["leg"] == "Left leg"
    assert screen_of(heard)["progress"] == "Step 2 of 6"


def test_a_step_without_a_hold_shows_no_countdown() -> None:
    talk = show()
    talk.intent("CrampReliefIntent", Leg=LEFT)
    massage = screen_of(talk.intent("AMAZON.NextIntent"))
    assert massage["title"] == "Massage" and massage["hold"]["seconds"] == 0


def test_doctor_advice_and_the_emergency_line_are_large_text() -> None:
    screen = screen_of(show().intent("DoctorAdviceIntent"))
    assert screen["screen"] == "advice" and screen["title"] == "When to see a doctor"
    assert screen["lines"] == [item.short for item in EN.knowledge.topic("doctor")]
    assert screen["emergency"] == EN.knowledge.emergency
    # It ends with "Want the rest?": Yes and No (issue 23).
    assert [b["action"] for b in screen["buttons"]] == ["yes", "no"]


def test_the_end_of_a_routine_shows_the_recap_and_the_red_flag_reminder() -> None:
    talk = show()
    heard = talk.intent("CrampReliefIntent")
    while "routine" in heard.session_attributes:
        heard = talk.intent("AMAZON.NextIntent")
    screen = screen_of(heard)
    assert screen["screen"] == "finished"
    assert EN.routine("relief").recap in screen["lines"]
    assert screen["emergency"] == EN.text("red_flag_reminder")


def test_a_device_without_apl_never_gets_a_screen() -> None:
    talk = speaker()
    heard = talk.intent("CrampReliefIntent", Leg=LEFT)
    seen = [heard]
    while "routine" in heard.session_attributes:
        heard = talk.intent("AMAZON.NextIntent")
        seen.append(heard)
    seen.append(speaker().intent("DoctorAdviceIntent"))
    for heard in seen:
        assert not [d for d in heard.directives if d["type"].startswith("Alexa.Presentation.APL.")]
    # The APLA countdown needs no interface: every Alexa device plays it.
    assert seen[0].directives_of(APLA_RENDER)
    assert seen[0].card is not None


def test_a_runtime_too_old_for_the_document_gets_no_screen() -> None:
    """The document declares APL 1.6; a device whose runtime stops below it gets none."""
    talk = show()
    for version, shown in [("1.4", False), ("1.6", True), ("2024.2", True)]:
        envelope = talk.factory.intent("CrampReliefIntent", {"Leg": LEFT})
        apl = envelope["context"]["System"]["device"]["supportedInterfaces"]
        apl["Alexa.Presentation.APL"]["runtime"]["maxVersion"] = version
        assert bool(talk.send(envelope).directives_of(APL_RENDER)) is shown, version
        talk.factory.new_session()


# --- touch -------------------------------------------------------------------------------
def _pair(start: str = "CrampReliefIntent", **slots: Any) -> tuple[CheckedConversation, ...]:
    spoken, touched = show(), show()
    if start:
        for talk in (spoken, touched):
            talk.intent(start, **slots)
    return spoken, touched


def _same(a: Heard, b: Heard) -> None:
    assert a.ssml == b.ssml
    assert a.ended == b.ended
    assert routine_of(a) == routine_of(b)
    assert a.screen == b.screen


@pytest.mark.parametrize(
    ("action", "intent", "slots"),
    [
        ("next", "AMAZON.NextIntent", {}),
        ("repeat", "AMAZON.RepeatIntent", {}),
        ("other_leg", "SwitchLegIntent", {}),
        ("stop", "AMAZON.StopIntent", {}),
    ],
)
def test_buttons_in_a_routine_answer_like_the_intents(
    action: str, intent: str, slots: dict[str, Any]
) -> None:
    spoken, touched = _pair("StretchSessionIntent", SessionKind={"value": "full", "id": "stretch"})
    _same(spoken.intent(intent, **slots), touched.touch(action, "stretch:0"))


@pytest.mark.parametrize(
    ("action", "intent"),
    [
        ("next", "AMAZON.NextIntent"),
        ("repeat", "AMAZON.RepeatIntent"),
        ("other_leg", "SwitchLegIntent"),
        ("stop", "AMAZON.StopIntent"),
    ],
)
def test_buttons_outside_a_routine_answer_like_the_intents(action: str, intent: str) -> None:
    # After doctor advice (no routine), and on a fresh session (a screen left from before).
    for start in ("DoctorAdviceIntent", ""):
        spoken, touched = _pair(start)
        _same(spoken.intent(intent), touched.touch(action, "relief:2"))


def test_next_moves_the_routine_on_like_saying_next() -> None:
    talk = show()
    talk.intent("CrampReliefIntent", Leg=LEFT)
    heard = talk.touch("next", "relief:0")
    assert routine_of(heard)["index"] == 1
    assert screen_of(heard)["title"] == "Massage"


def test_a_stale_screen_shows_where_the_person_is_instead_of_skipping() -> None:
    talk = show()
    talk.intent("CrampReliefIntent", Leg=LEFT)
    talk.intent("AMAZON.NextIntent")  # said aloud: now on step 2
    heard = talk.touch("next", "relief:0")  # the old screen's button
    assert routine_of(heard)["index"] == 1
    assert heard.speech.startswith(EN.text("touch_stale"))
    assert screen_of(heard)["title"] == "Massage"
    # Stop always stops, whatever screen it came from.
    assert talk.touch("stop", "relief:0").ended


FORGED: list[Any] = [
    [],
    ["dance"],
    [1, 2],
    ["next", {"routine": "relief"}],
    ["next", "relief:0", "extra"],
    ["x" * 5000],
    [None],
]


@pytest.mark.parametrize("arguments", FORGED)
def test_forged_arguments_get_a_calm_answer(arguments: Any) -> None:
    talk = show()
    talk.intent("CrampReliefIntent", Leg=LEFT)
    heard = talk.send(talk.factory.user_event(arguments))
    assert heard.speech.startswith(EN.text("touch_unknown"))
    assert not heard.ended and routine_of(heard)["index"] == 0
    outside = show()
    heard = outside.send(outside.factory.user_event(arguments))
    assert heard.speech.startswith(EN.text("touch_unknown")) and not heard.ended


@pytest.fixture
def open_app() -> Flask:
    return create_app(Settings(verify_signatures=False))


@pytest.mark.parametrize("arguments", [*FORGED, "next", None, {"a": 1}, 7])
def test_forged_events_over_http_are_never_a_500(open_app: Flask, arguments: Any) -> None:
    envelope = EnvelopeFactory(screen=True).user_event(arguments)
    response = open_app.test_client().post(
        "/alexa", data=json.dumps(envelope), content_type="application/json"
    )
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        said = response.get_json()["response"]["outputSpeech"]["ssml"]
        assert EN.text("touch_unknown") in said


@pytest.mark.parametrize(
    ("action", "intent"),
    [
        ("next", "AMAZON.NextIntent"),
        ("repeat", "AMAZON.RepeatIntent"),
        ("other_leg", "SwitchLegIntent"),
    ],
)
def test_after_a_warning_sign_no_button_leads_back_to_a_stretch(action: str, intent: str) -> None:
    """The screen of a step still shows its buttons after a red flag was said aloud; a tap
    there answers as the intent does under the session's safety latch: no instruction."""
    spoken, touched = _pair("CrampReliefIntent", Leg=LEFT)
    for talk in (spoken, touched):
        talk.intent("RedFlagIntent", Sign={"value": "pop", "id": "injury_pop"})
    heard = touched.touch(action, "relief:0")
    _same(spoken.intent(intent), heard)
    assert instruction_in(f"{heard.speech} {heard.reprompt}") is None, heard.speech
    assert heard.screen is None or screen_of(heard)["screen"] != "step"
