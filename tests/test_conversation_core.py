"""The foundation conversations, through the Lambda handler as Alexa calls it."""

from __future__ import annotations

import pytest

from skill.core.content import knowledge, prompt
from skill.core.ssml import estimate_seconds
from skill.tools.evals.safety_speech import instruction_in
from tests.conftest import CheckedConversation


def words(text: str) -> int:
    return len(text.split())


def test_launch_is_short_and_asks_about_a_cramp_now(talk: CheckedConversation) -> None:
    heard = talk.launch()
    assert words(heard.speech) <= 15
    assert "cramping" in heard.speech.lower() and "say yes" in heard.speech.lower()
    assert not heard.ended


@pytest.mark.parametrize(
    ("intent", "slots"),
    [
        ("AMAZON.YesIntent", {}),
        ("CrampReliefIntent", {}),
    ],
)
def test_one_word_after_launch_starts_the_stretch(
    talk: CheckedConversation, intent: str, slots: dict[str, str]
) -> None:
    talk.launch()
    heard = talk.intent(intent, **slots)
    assert heard.speech.startswith("Straighten your leg."), heard.speech


def test_help_after_launch_teaches_and_starts_nothing(talk: CheckedConversation) -> None:
    """Issue 23: a certification tester's "help" at launch hears how the skill works."""
    talk.launch()
    heard = talk.intent("AMAZON.HelpIntent")
    assert heard.speech == prompt("help") and "routine" not in heard.session_attributes


def test_yes_after_launch_starts_relief_at_once(talk: CheckedConversation) -> None:
    talk.launch()
    heard = talk.intent("AMAZON.YesIntent")
    assert heard.speech.startswith("Straighten your leg.")


def test_no_after_launch_offers_the_menu(talk: CheckedConversation) -> None:
    talk.launch()
    heard = talk.intent("AMAZON.NoIntent")
    assert "give me a tip" in heard.speech and not heard.ended


def test_one_shot_relief_first_words_are_the_first_instruction(talk: CheckedConversation) -> None:
    heard = talk.intent("CrampReliefIntent")
    assert heard.speech.startswith("Straighten your leg. Slowly pull your toes toward you.")
    assert "release" in heard.speech.lower()
    assert heard.speech.endswith("say next.")
    assert "say next" in heard.reprompt.lower()
    assert not heard.ended


def test_every_relief_step_is_reached_by_next(talk: CheckedConversation) -> None:
    steps = knowledge().topic("relief")
    heard = talk.intent("CrampReliefIntent")
    assert steps[0].short in heard.speech
    for step in steps[1:]:
        heard = talk.intent("AMAZON.NextIntent")
        assert heard.speech.startswith(step.short), heard.speech
    # The last step ends the routine itself (issue 23): the ending follows its words.
    assert heard.speech.startswith(steps[-1].short + " Well done.")
    ending = heard.speech[len(steps[-1].short) + 1 :]
    assert prompt("red_flag_reminder") in ending
    assert words(ending) <= 30


@pytest.mark.parametrize("step", [i.id for i in knowledge().topic("relief")])
def test_each_relief_step_can_be_asked_about(talk: CheckedConversation, step: str) -> None:
    heard = talk.intent("ReliefStepIntent", ReliefStep={"value": step, "id": step})
    assert knowledge().find("relief", step).short in heard.speech
    more = talk.intent("AMAZON.YesIntent")
    assert knowledge().find("relief", step).more in more.speech


def test_heat_or_ice_question_gets_the_temperature_step(talk: CheckedConversation) -> None:
    heard = talk.intent("ReliefStepIntent", ReliefStep={"value": "ice pack", "id": "cold"})
    assert "ice pack" in heard.speech


def test_all_causes_are_listed_then_walked_with_yes(talk: CheckedConversation) -> None:
    heard = talk.intent("CausesIntent")
    # Three at most, then "want more?" (issue 23); yes gives the other three.
    assert prompt("cause_intro_short") in heard.speech
    assert heard.speech.endswith(prompt("causes_more_question"))
    heard = talk.intent("AMAZON.YesIntent")
    assert prompt("cause_intro_rest") in heard.speech
    for cause in knowledge().topic("causes"):
        heard = talk.intent("AMAZON.NextIntent")
        advice = knowledge().doctor_for_cause(cause.id)
        assert heard.speech.startswith(advice.short if advice else cause.short)
        assert cause.short in heard.speech
    heard = talk.intent("AMAZON.NextIntent")
    assert "all six" in heard.speech


@pytest.mark.parametrize("cause", knowledge().topic("causes"), ids=lambda c: c.id)
def test_each_named_cause_and_its_details(talk: CheckedConversation, cause) -> None:
    heard = talk.intent("CausesIntent", Cause={"value": cause.title.lower(), "id": cause.id})
    advice = knowledge().doctor_for_cause(cause.id)
    # A medicine or a condition: the seed's advice to see a doctor about it comes first.
    assert heard.speech.startswith(advice.short if advice else cause.short)
    assert cause.short in heard.speech
    more = talk.intent("TellMeMoreIntent")
    assert more.speech.startswith(cause.more)


def test_unresolved_cause_value_lists_the_causes(talk: CheckedConversation) -> None:
    heard = talk.intent("CausesIntent", Cause="moon phases")
    assert prompt("cause_intro_short") in heard.speech


def test_prevention_tips_one_at_a_time_with_another_one(talk: CheckedConversation) -> None:
    tips = knowledge().topic("prevention")
    heard = talk.intent("PreventionIntent")
    assert tips[0].short in heard.speech and heard.speech.endswith("Want another tip?")
    heard = talk.intent("AMAZON.YesIntent")
    assert tips[1].short in heard.speech
    for tip in tips[2:]:
        heard = talk.intent("PreventionIntent")  # "another one"
        assert tip.short in heard.speech
    heard = talk.intent("PreventionIntent")
    assert prompt("tips_done") in heard.speech


def test_tell_me_more_about_a_tip(talk: CheckedConversation) -> None:
    talk.intent("PreventionIntent")
    heard = talk.intent("TellMeMoreIntent")
    assert knowledge().topic("prevention")[0].more in heard.speech


def test_doctor_advice_urgent_signs_first_then_the_full_list_on_request(
    talk: CheckedConversation,
) -> None:
    heard = talk.intent("DoctorAdviceIntent")
    assert heard.speech.startswith("Call your local emergency number for chest pain")
    assert heard.speech.endswith(prompt("doctor_full_question"))
    assert estimate_seconds(heard.ssml) <= 40
    full = talk.intent("AMAZON.YesIntent")
    for situation in knowledge().topic("doctor"):
        assert situation.short in full.speech
    assert knowledge().emergency in full.speech
    assert "not a substitute for professional medical care" in full.speech


SYMPTOMS = sorted(knowledge().symptoms)


@pytest.mark.parametrize("symptom", SYMPTOMS)
def test_seed_situations_get_the_seeds_doctor_advice(
    talk: CheckedConversation, symptom: str
) -> None:
    heard = talk.intent("SymptomCheckIntent", Symptom={"value": symptom, "id": symptom})
    expected = knowledge().doctor_for_symptom(symptom)
    assert heard.speech.startswith(expected.short)
    first = heard.speech.split(". ")[0]
    assert "see a doctor" in first.lower() or "talk to your doctor" in first
    assert "Straighten" not in heard.speech


def test_unrecognised_symptom_gets_the_urgent_doctor_advice(talk: CheckedConversation) -> None:
    heard = talk.intent("SymptomCheckIntent", Symptom="a weird feeling")
    assert heard.speech.startswith(prompt("doctor_urgent"))


def test_what_a_cramp_is_names_the_three_muscles(talk: CheckedConversation) -> None:
    heard = talk.intent("AboutCrampsIntent")
    for muscle in ("biceps femoris", "semitendinosus", "semimembranosus"):
        assert muscle in heard.speech
    causes = talk.intent("AMAZON.YesIntent")
    assert prompt("cause_intro_short") in causes.speech


def test_help_ends_with_a_question(talk: CheckedConversation) -> None:
    heard = talk.intent("AMAZON.HelpIntent")
    assert heard.speech.endswith("?") and not heard.ended


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_and_cancel_end_with_a_short_goodbye(talk: CheckedConversation, intent: str) -> None:
    talk.launch()
    heard = talk.intent(intent)
    assert heard.ended
    assert "Goodbye" in heard.speech and words(heard.speech) <= 12
    assert "reprompt" not in heard.response


def test_fallback_is_helpful_and_offers_the_menu(talk: CheckedConversation) -> None:
    heard = talk.intent("AMAZON.FallbackIntent")
    assert heard.speech.startswith(prompt("safety_first") + " I didn't catch that.")
    assert "my hamstring is cramping" in heard.speech and not heard.ended


def test_navigate_home_leaves_a_routine_and_offers_the_menu(talk: CheckedConversation) -> None:
    talk.intent("CrampReliefIntent")
    heard = talk.intent("AMAZON.NavigateHomeIntent")
    assert "back to the start" in heard.speech
    assert "routine" not in heard.session_attributes


def test_repeat_says_the_last_answer_again(talk: CheckedConversation) -> None:
    first = talk.intent("PreventionIntent")
    again = talk.intent("AMAZON.RepeatIntent")
    assert again.speech == first.speech


def test_repeat_with_nothing_said_offers_the_menu(talk: CheckedConversation) -> None:
    heard = talk.intent("AMAZON.RepeatIntent")
    assert prompt("nothing_to_repeat") in heard.speech


def test_stale_question_is_dropped_by_another_intent(talk: CheckedConversation) -> None:
    talk.launch()  # asks "is your hamstring cramping?"
    talk.intent("PreventionIntent")  # asks "want another tip?"
    heard = talk.intent("AMAZON.NoIntent")
    assert heard.ended and "Goodbye" in heard.speech


def test_yes_without_a_question_offers_the_menu(talk: CheckedConversation) -> None:
    heard = talk.intent("AMAZON.YesIntent")
    assert "What would you like?" in heard.speech


def test_session_ended_request_gets_an_empty_response(talk: CheckedConversation) -> None:
    talk.launch()
    heard = talk.end_session("EXCEEDED_MAX_REPROMPTS")
    assert heard.response.get("outputSpeech") is None
    heard = talk.send(talk.factory.session_ended("ERROR", error_type="INVALID_RESPONSE"))
    assert heard.response.get("outputSpeech") is None


def test_unknown_intent_gets_the_safety_sentence_and_an_apology(talk: CheckedConversation) -> None:
    heard = talk.intent("NoSuchIntent")
    assert heard.speech.startswith(f"{prompt('safety_first')} {prompt('error')}")
    assert "straighten" not in heard.speech.lower()
    assert not heard.ended


def test_an_exception_in_dialog_logic_is_spoken_not_raised(
    talk: CheckedConversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skill.core import topics

    def broken(turn, *args):
        raise RuntimeError("boom")

    monkeypatch.setattr(topics, "remember_item", broken)
    heard = talk.intent("PreventionIntent")
    assert heard.speech.startswith(f"{prompt('safety_first')} {prompt('error')}")
    assert instruction_in(f"{heard.speech} {heard.reprompt}") is None


def test_special_characters_in_slot_values_are_escaped(talk: CheckedConversation) -> None:
    heard = talk.intent("CausesIntent", Cause="salt & <pepper>")
    assert prompt("cause_intro_short") in heard.speech  # and the SSML validated in talk.send


def test_tell_me_more_after_the_causes_list_starts_on_the_first_cause(
    talk: CheckedConversation,
) -> None:
    talk.intent("AboutCrampsIntent")
    talk.intent("AMAZON.YesIntent")  # the list of causes
    heard = talk.intent("TellMeMoreIntent")
    assert heard.speech.startswith(knowledge().topic("causes")[0].short)


def test_after_a_seed_situation_yes_tells_more_not_a_stretch(talk: CheckedConversation) -> None:
    heard = talk.intent("SymptomCheckIntent", Symptom={"value": "severe", "id": "severe"})
    assert heard.speech.endswith(prompt("more_prompt"))
    more = talk.intent("AMAZON.YesIntent")
    assert knowledge().find("doctor", "frequent").more in more.speech
    assert "Straighten" not in more.speech
