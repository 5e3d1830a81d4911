"""Guided routines by voice, through ``skill.hosts.lambda_handler.handler``, turn by turn."""

from __future__ import annotations

import pytest

from skill.core.content import knowledge, prompt
from skill.core.routine import routines
from tests.conftest import CheckedConversation
from tests.holds_helpers import counted_seconds, hold_fragments

RELIEF = knowledge().topic("relief")


def assert_hold(ssml_markup: str, seconds: int) -> None:
    """Every hold in a response is counted for 20-30 s, within 2 s of ``seconds``."""
    fragments = hold_fragments(ssml_markup)
    assert fragments, "no counted hold in the response"
    for fragment in fragments:
        counted = counted_seconds(fragment)
        assert 20 - 2 <= counted <= 30 + 2
        assert abs(counted - seconds) <= 2


def test_one_shot_relief_counts_a_thirty_second_hold(talk: CheckedConversation) -> None:
    heard = talk.intent("CrampReliefIntent")
    assert heard.speech.startswith("Straighten your leg.")
    assert_hold(heard.ssml, 30)
    assert heard.speech.endswith(prompt("step_next"))


def test_leg_named_in_the_one_shot_is_kept(talk: CheckedConversation) -> None:
    heard = talk.intent("CrampReliefIntent", Leg={"value": "left", "id": "left"})
    assert heard.session_attributes["routine"]["leg"] == "left"


def test_back_goes_to_the_previous_step(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    talk.intent("AMAZON.NextIntent")
    heard = talk.intent("AMAZON.PreviousIntent")
    assert heard.speech.startswith(RELIEF[0].short)
    assert_hold(heard.ssml, 30)


def test_repeat_redoes_the_current_step_with_its_hold(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    heard = talk.intent("AMAZON.RepeatIntent")
    assert heard.speech.startswith(RELIEF[0].short)
    assert_hold(heard.ssml, 30)


def test_skip_moves_on(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    heard = talk.intent("SkipIntent")
    assert heard.speech.startswith(prompt("skip_done"))
    assert RELIEF[1].short in heard.speech


def test_pause_keeps_the_place_and_resume_continues(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    talk.intent("AMAZON.NextIntent")
    paused = talk.intent("AMAZON.PauseIntent")
    assert paused.speech.startswith(prompt("routine_paused_no_memory"))  # no store here
    assert RELIEF[1].short not in paused.speech
    assert paused.session_attributes["routine"]["paused"] is True
    resumed = talk.intent("AMAZON.ResumeIntent")
    assert resumed.speech.startswith(prompt("routine_resumed"))
    assert RELIEF[1].short in resumed.speech


def test_start_over_returns_to_the_first_step(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    talk.intent("AMAZON.NextIntent")
    talk.intent("AMAZON.NextIntent")
    heard = talk.intent("AMAZON.StartOverIntent")
    assert heard.speech.startswith(prompt("routine_start_over"))
    assert RELIEF[0].short in heard.speech


def test_switch_legs_in_relief_redoes_the_stretch_for_the_other_leg(
    talk: CheckedConversation,
) -> None:
    talk.intent("CrampReliefIntent", Leg={"value": "right", "id": "right"})
    heard = talk.intent("SwitchLegIntent")
    assert heard.speech.startswith("Okay, your left leg.")
    assert_hold(heard.ssml, 30)


def test_stop_mid_routine_ends_the_session(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    heard = talk.intent("AMAZON.StopIntent")
    assert heard.ended and heard.speech == prompt("goodbye_routine")


def test_stop_mid_stretch_session_ends_without_talk_of_a_cramp(talk: CheckedConversation) -> None:
    talk.intent("StretchSessionIntent")
    heard = talk.intent("AMAZON.CancelIntent")
    assert heard.ended and heard.speech == prompt("goodbye_session")


def test_fallback_mid_routine_says_how_to_go_on(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    heard = talk.intent("AMAZON.FallbackIntent")
    assert heard.speech == f"{prompt('safety_first')} {prompt('routine_fallback').format(step=1)}"
    assert heard.session_attributes["routine"]["index"] == 0


def test_routine_ending_recaps_and_offers_a_tip(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    for _ in RELIEF[1:-1]:
        talk.intent("AMAZON.NextIntent")
    # The last step ends the routine itself (issue 23): its words, then the ending.
    ending = talk.intent("AMAZON.NextIntent")
    assert ending.speech.startswith(knowledge().find("relief", "rehydrate").short)
    assert routines()["relief"].recap in ending.speech
    assert prompt("red_flag_reminder") in ending.speech
    assert ending.speech.endswith(prompt("routine_done_question"))
    tip = talk.intent("AMAZON.YesIntent")
    assert knowledge().topic("prevention")[0].short in tip.speech
    bye = talk.intent("AMAZON.NoIntent")
    assert bye.ended


@pytest.mark.parametrize(
    ("kind", "routine_id"),
    [
        (None, "stretch"),
        ({"value": "warm up", "id": "warmup"}, "warmup"),
        ({"value": "cool down", "id": "cooldown"}, "cooldown"),
    ],
)
def test_a_full_stretch_session_to_its_end(talk: CheckedConversation, kind, routine_id) -> None:
    definition = routines()[routine_id]
    slots = {"SessionKind": kind} if kind else {}
    heard = talk.intent("StretchSessionIntent", **slots)
    assert heard.speech.startswith(definition.intro)
    spoken_steps = [heard.speech]
    while not heard.ended:
        state = heard.session_attributes["routine"]
        assert state["routine"] == routine_id
        if "Hold it, gently." in heard.speech:
            assert_hold(heard.ssml, 30)
        heard = talk.intent("AMAZON.NextIntent")
        spoken_steps.append(heard.speech)
        assert len(spoken_steps) < 20
    expected = sum(2 if s.per_leg else 1 for s in definition.steps)
    assert len(spoken_steps) == expected
    assert any("right" in s for s in spoken_steps) and any("left" in s for s in spoken_steps)
    # The last step ends the routine itself (issue 23): no extra "next" for the ending; the
    # recap, then the session's goodbye (an offered reminder may stand in its place).
    assert heard.speech.endswith(f"{definition.recap} {prompt('session_bye')}")


def test_switch_legs_in_a_stretch_session(talk: CheckedConversation) -> None:
    talk.intent("StretchSessionIntent", Leg={"value": "right", "id": "right"})
    heard = talk.intent("SwitchLegIntent")
    assert heard.speech.startswith("Switching to your left leg.")
    assert "left heel" in heard.speech


@pytest.mark.parametrize(
    ("slots", "seconds", "clamped"),
    [
        ({"Seconds": "25"}, 25, False),
        ({"Duration": "PT20S"}, 20, False),
        ({"Seconds": "45"}, 30, True),
        ({"Seconds": "10"}, 20, True),
    ],
)
def test_hold_length_request_mid_routine(
    talk: CheckedConversation, slots, seconds: int, clamped: bool
) -> None:
    talk.intent("CrampReliefIntent")
    heard = talk.intent("HoldLengthIntent", **slots)
    if clamped:
        assert heard.speech.startswith(prompt("hold_clamped").format(seconds=seconds))
    else:
        assert heard.speech.startswith(prompt("hold_set").format(seconds=seconds))
    assert_hold(heard.ssml, seconds)
    repeat = talk.intent("AMAZON.RepeatIntent")
    assert_hold(repeat.ssml, seconds)


def test_hold_preference_set_before_the_routine_is_used(talk: CheckedConversation) -> None:
    talk.launch()
    heard = talk.intent("HoldLengthIntent", Seconds="22")
    assert "22" in heard.speech
    relief = talk.intent("CrampReliefIntent")
    assert_hold(relief.ssml, 22)


def test_session_restarted_mid_routine_starts_over(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    talk.intent("AMAZON.NextIntent")
    talk.end_session("USER_INITIATED")
    heard = talk.intent("AMAZON.ResumeIntent")
    assert heard.speech.startswith(prompt("resume_nothing"))
    assert "my hamstring is cramping" in heard.speech
    relief = talk.intent("CrampReliefIntent")
    assert relief.speech.startswith(RELIEF[0].short)


def test_routine_navigation_outside_a_routine(talk: CheckedConversation) -> None:
    assert prompt("no_routine") in talk.intent("AMAZON.PreviousIntent").speech
    assert prompt("switch_leg_nothing") in talk.intent("SwitchLegIntent").speech
    paused = talk.intent("AMAZON.PauseIntent")
    assert paused.ended


def test_steps_show_a_card_for_screens(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    heard = talk.intent("AMAZON.NextIntent")
    assert heard.card == {
        "type": "Simple",
        "title": "Cramp relief: step 2 of 5",
        "content": RELIEF[1].short,
    }


def test_hosted_audio_counts_the_hold_with_the_matching_clip(
    talk_with_audio: CheckedConversation,
) -> None:
    from skill.core.audio_manifest import clip_duration, countdown_clip_id, load_manifest
    from tests.conftest import AUDIO_BASE_URL

    talk_with_audio.launch()
    talk_with_audio.intent("HoldLengthIntent", Seconds="25")
    heard = talk_with_audio.intent("CrampReliefIntent")
    url = load_manifest().url(countdown_clip_id(25), AUDIO_BASE_URL)
    assert f'<audio src="{url}"/>' in heard.ssml
    assert "Twenty seconds left" not in heard.speech  # the clip counts, not the voice
    assert heard.speech.startswith("Straighten your leg.")
    counted = clip_duration(countdown_clip_id(25)) + len(["And", "release."]) / 2.5
    assert abs(counted - 25) <= 2
    # The clip ends on "And release."; the first-use disclaimer may follow, then how to go on.
    assert "And release." in heard.speech and heard.speech.endswith("When you're ready, say next.")


def test_hosted_audio_falls_back_to_speech_when_the_manifest_is_missing(
    talk_with_audio: CheckedConversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skill.core import audio_cues

    def missing(*args, **kwargs):
        raise audio_cues.AudioUnavailable("no manifest")

    monkeypatch.setattr(audio_cues, "countdown_audio", missing)
    heard = talk_with_audio.intent("CrampReliefIntent")
    assert "<audio" not in heard.ssml
    assert_hold(heard.ssml, 30)
