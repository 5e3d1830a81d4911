"""Holds timed by Alexa itself: the APL-for-audio countdown, and its two siblings.

One timeline (skill.core.holds.hold_cues) gives the spoken SSML countdown, the APLA data
source and (through skill/tools/audio/spec.py) the hosted clips; these tests keep the three
consistent, check that the APLA countdown lasts its hold, and that every response carrying
one passes Alexa's SSML and response limits.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest

from skill.alexa.builder import build_skill
from skill.core import ssml
from skill.core.catalogue import catalogue_for
from skill.core.holds import MAX_HOLD, MIN_HOLD, apla_countdown, hold_cues, render_hold
from skill.hosts import lambda_handler
from skill.settings import DEFAULT_TICK, Settings
from skill.tools.audio.spec import countdown_spec
from skill.tools.simulator.conversation import APLA_RENDER, Heard
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.conftest import AUDIO_BASE_URL, CheckedConversation

WORDS = catalogue_for("en-US").countdown
HOLDS = range(MIN_HOLD, MAX_HOLD + 1)


def _speech_seconds(item: dict[str, Any]) -> float:
    return ssml.estimate_seconds(item["ssml"])


@pytest.mark.parametrize("seconds", HOLDS)
def test_the_apla_countdown_lasts_its_hold(seconds: int) -> None:
    """Summed Silence plus estimated cue time is within 1 s of the hold (by construction it
    is exact, to the rounding of silences to whole milliseconds)."""
    items = apla_countdown(seconds, WORDS)["items"]
    silence = sum(i["ms"] for i in items if i["kind"] == "silence") / 1000
    cues = sum(_speech_seconds(i) for i in items if i["kind"] == "speech")
    assert abs(silence + cues - seconds) <= 1.0
    assert abs(silence + cues - seconds) <= 0.01
    # Never dead air for long, and never a silence Alexa would refuse to render.
    assert all(0 < i["ms"] <= 10_000 for i in items if i["kind"] == "silence")
    for item in items:
        if item["kind"] == "speech":
            assert ssml.validate(item["ssml"]) == []


@pytest.mark.parametrize("seconds", HOLDS)
def test_ssml_and_apla_say_the_same_cues_at_the_same_times(seconds: int) -> None:
    hold = render_hold(seconds, WORDS)
    root = ssml.parse(ssml.wrap(hold.ssml))
    said = [" ".join(e.itertext()) for e in root.iter() if ssml.tag_name(e) == "s"]
    breaks = sum(ssml.break_seconds(e) for e in root.iter() if ssml.tag_name(e) == "break")
    apla = hold.apla["items"]
    assert said == [ssml.plain_text(i["ssml"]) for i in apla if i["kind"] == "speech"]
    assert said == [cue.text for cue in hold_cues(seconds, WORDS)]
    silences = sum(i["ms"] for i in apla if i["kind"] == "silence") / 1000
    assert abs(breaks - silences) < 0.01


@pytest.mark.parametrize("seconds", HOLDS)
def test_the_hosted_clip_says_the_same_marks_within_a_second(seconds: int) -> None:
    cues = hold_cues(seconds, WORDS)
    for mark in countdown_spec(seconds, WORDS).marks:
        same = [c for c in cues if c.text == mark.text]
        assert same, mark
        assert abs(same[0].at - mark.at) <= 1.0, (mark, same[0])


def test_the_tick_is_a_quiet_sound_library_sound_under_every_second() -> None:
    data = apla_countdown(25, WORDS, DEFAULT_TICK)
    assert data["tick"].startswith("soundbank://soundlibrary/")
    assert data["ticks"] == list(range(25)) and data["tickVolume"] == "25%"
    assert apla_countdown(25, WORDS)["tick"] == ""


@pytest.mark.parametrize(
    ("value", "tick"),
    [
        ("on", DEFAULT_TICK),
        (
            "soundbank://soundlibrary/clocks/ticks/ticks_04",
            "soundbank://soundlibrary/clocks/ticks/ticks_04",
        ),
        ("https://example.com/tick.mp3", None),
        ("", None),
    ],
)
def test_the_tick_setting(value: str, tick: str | None) -> None:
    assert Settings.from_env({"CRAMP_COACH_HOLD_TICK": value}).hold_tick == tick


# --- responses ------------------------------------------------------------------------
def conversation(settings: Settings | None = None, screen: bool = False) -> CheckedConversation:
    handler = (
        functools.partial(lambda_handler.invoke, build_skill(settings))
        if settings
        else lambda_handler.handler
    )
    return CheckedConversation(handler, EnvelopeFactory(screen=screen))


def apla_of(heard: Heard) -> dict[str, Any]:
    (directive,) = heard.directives_of(APLA_RENDER)
    assert directive["document"]["type"] == "APLA"
    data: dict[str, Any] = directive["datasources"]["hold"]
    return data


def check_whole(heard: Heard) -> None:
    """What the listener hears (speech, then the APLA audio) passes Alexa's limits."""
    assert ssml.validate(heard.ssml) == [], heard.ssml
    for item in apla_of(heard)["items"]:
        if item["kind"] == "speech":
            assert ssml.validate(item["ssml"]) == []
    if apla_of(heard)["after"]:
        assert ssml.validate(apla_of(heard)["after"]) == []


@pytest.mark.parametrize("seconds", HOLDS)
def test_a_step_with_a_hold_sends_the_apla_countdown(seconds: int) -> None:
    talk = conversation()
    talk.intent("HoldLengthIntent", Seconds=str(seconds))
    heard = talk.intent("CrampReliefIntent")
    data = apla_of(heard)
    assert data["seconds"] == seconds
    # The speech is the instruction; the countdown and "say next" follow in the APLA.
    assert "Straighten your leg" in ssml.plain_text(heard.output_ssml)
    assert "Hold it, gently" not in heard.output_ssml
    assert "say next" in ssml.plain_text(data["after"])
    check_whole(heard)
    assert heard.speech.endswith("When you're ready, say next.")


def test_the_timer_fallback_countdown_is_apla_too() -> None:
    talk = CheckedConversation(lambda_handler.handler, EnvelopeFactory(api_endpoint=""))
    heard = talk.intent("SetTimerIntent", Number="25")
    assert apla_of(heard)["seconds"] == 25
    check_whole(heard)


def test_the_operator_can_keep_the_spoken_countdown() -> None:
    heard = conversation(Settings(hold_audio="ssml")).intent("CrampReliefIntent")
    assert heard.directives_of(APLA_RENDER) == []
    assert "Hold it, gently" in heard.output_ssml


def test_hosted_clips_win_by_default_and_apla_when_chosen() -> None:
    clip = conversation(Settings(audio_base_url=AUDIO_BASE_URL)).intent("CrampReliefIntent")
    assert clip.directives_of(APLA_RENDER) == [] and "<audio" in clip.output_ssml
    chosen = Settings(audio_base_url=AUDIO_BASE_URL, hold_audio="apla")
    heard = conversation(chosen).intent("CrampReliefIntent")
    assert "<audio" not in heard.output_ssml and apla_of(heard)["seconds"] == 30


def test_steps_without_a_hold_send_no_apla() -> None:
    talk = conversation()
    talk.intent("CrampReliefIntent")
    assert talk.intent("AMAZON.NextIntent").directives_of(APLA_RENDER) == []


@pytest.mark.parametrize(
    ("value", "expected"), [("apla", "apla"), ("SSML", "ssml"), ("", "auto"), ("bogus", "auto")]
)
def test_the_hold_audio_setting(value: str, expected: str) -> None:
    assert Settings.from_env({"CRAMP_COACH_HOLD_AUDIO": value}).hold_audio == expected


def test_the_response_validator_reads_the_apla_speech_and_the_response_size() -> None:
    """Every response the tests produce goes through ssml.validate_response (conftest): it
    must see a bad cue inside an APLA countdown, and a response over 120 KB."""
    hold = {"items": [{"kind": "speech", "ssml": "<speak>salt & water</speak>"}], "after": ""}
    directive = {"type": APLA_RENDER, "datasources": {"hold": hold}}
    problems = ssml.validate_response({"directives": [directive]})
    assert problems and problems[0].startswith("APLA speech 0:")
    big = {"outputSpeech": {"ssml": "<speak>hi</speak>"}, "card": {"content": "x" * 130_000}}
    assert any("bytes" in p for p in ssml.validate_response(big))


def test_a_device_that_cannot_play_apla_gets_the_spoken_countdown_for_the_session() -> None:
    """Alexa reports a failed APLA document with Alexa.Presentation.APLA.RuntimeError: the
    skill says nothing to it, and the session's later holds are counted in the speech."""
    talk = conversation()
    first = talk.intent("StretchSessionIntent", SessionKind={"value": "full", "id": "stretch"})
    assert apla_of(first)["seconds"] == 30
    heard = talk.send(talk.factory.presentation_error("APLA"))
    assert "outputSpeech" not in heard.response and not heard.ended
    assert heard.session_attributes.get("apla_failed") is True
    after = talk.intent("AMAZON.NextIntent")
    assert after.directives_of(APLA_RENDER) == []
    assert "Hold it, gently" in after.output_ssml
    assert talk.intent("AMAZON.NextIntent").directives_of(APLA_RENDER) == []


@pytest.mark.parametrize("errors", [None, [], "garbage", [{"type": 7}], [{}] * 50])
def test_presentation_errors_are_never_answered_with_an_error(errors: Any) -> None:
    talk = conversation(screen=True)
    talk.intent("CrampReliefIntent")
    for interface in ("APL", "APLA"):
        heard = talk.send(talk.factory.presentation_error(interface, errors))
        assert "outputSpeech" not in heard.response and not heard.ended
