"""Urgency and cautions in the advice (issue 22, item 4), heard through real envelopes.

A pale, cold or numb leg and a swollen, red or warm one are "today", never "soon"; heat is
never put on numb skin; fluids are advised "unless your doctor limits your fluids"; a cramp
said at the wheel hears "pull over first" before the stretch.
"""

from __future__ import annotations

import re

import pytest

from skill.core.catalogue import catalogue_for
from skill.hosts import lambda_handler
from skill.tools.evals import safety as safety_eval
from skill.tools.evals.safety_speech import prompt_first_instruction
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.conftest import CheckedConversation

SIGNS = {"en": ("swollen", "pale", "numb", "cold", "red"), "es": ("hinchada", "pálida", "fría")}
TODAY = {"en": ("today", "now"), "es": ("hoy", "ahora")}
SOON = {"en": "soon", "es": "pronto"}


def talk_in(locale: str) -> CheckedConversation:
    return CheckedConversation(lambda_handler.handler, EnvelopeFactory(locale=locale))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "es-US", "es-ES"])
def test_doctor_advice_says_today_for_a_swollen_or_pale_leg(locale: str) -> None:
    language = catalogue_for(locale).language
    heard = talk_in(locale).intent("DoctorAdviceIntent")
    named = re.compile(r"\b(" + "|".join(SIGNS[language]) + r")\b")
    naming = [s for s in sentences(heard.speech) if named.search(s.lower())]
    assert naming, heard.speech
    for sentence in naming:
        lowered = sentence.lower()
        assert any(w in lowered for w in TODAY[language]), sentence
        assert SOON[language] not in lowered, sentence


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_a_warning_sign_answer_says_today(locale: str) -> None:
    catalogue = catalogue_for(locale)
    for sign in ("sign_colour", "sign_numb", "sign_swelling", "sign_red_hot"):
        heard = talk_in(locale).intent("RedFlagIntent", Sign={"value": sign, "id": sign})
        assert catalogue.text("red_flag_warning_doctor") in heard.speech
        assert SOON[catalogue.language] not in heard.speech.lower()


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_the_heat_step_says_never_on_numb_skin(locale: str) -> None:
    catalogue = catalogue_for(locale)
    talk = talk_in(locale)
    talk.intent("CrampReliefIntent")
    talk.intent("AMAZON.NextIntent")  # massage
    heat = talk.intent("AMAZON.NextIntent")
    caution = catalogue.knowledge.find("relief", "temperature").caution
    assert caution and caution in heat.speech
    asked = talk_in(locale).intent(
        "ReliefStepIntent", ReliefStep={"value": "heat", "id": "temperature"}
    )
    assert caution in asked.speech


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_fluids_are_advised_unless_a_doctor_limits_them(locale: str) -> None:
    catalogue = catalogue_for(locale)
    caution = catalogue.knowledge.find("prevention", "hydration").caution
    assert caution == catalogue.knowledge.find("relief", "rehydrate").caution
    words = {"en": "unless your doctor limits your fluids", "es": "a menos que tu médico"}
    assert words[catalogue.language] in caution
    heard = talk_in(locale).intent("PreventionIntent")  # the first tip is hydration
    assert caution in heard.speech


@pytest.mark.parametrize("locale", ["en-US", "es-US", "es-ES"])
def test_a_cramp_at_the_wheel_hears_pull_over_first(locale: str) -> None:
    catalogue = catalogue_for(locale)
    driving = {"value": "driving", "id": "driving"}
    heard = talk_in(locale).intent("CrampReliefIntent", Driving=driving)
    first = prompt_first_instruction(catalogue)
    assert heard.speech.startswith(f"{catalogue.text('pull_over')} {first}")
    plain = talk_in(locale).intent("CrampReliefIntent")
    assert plain.speech.startswith(first)


def test_driving_is_understood_from_the_words() -> None:
    heard = safety_eval.simulator().hear("tell cramp coach i'm driving and my leg is cramping")
    assert heard.heard is not None
    assert heard.heard.speech.startswith(catalogue_for("en-US").text("pull_over"))
