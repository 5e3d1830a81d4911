"""Safety nets that hold whatever was understood (issue 22, item 1).

On Alexa the skill never sees the words of an utterance it did not understand, so the nets
sit in the answers: every fallback, the answer to a crash and the distress answer open with
the safety sentence in the locale's words and number, and none of them gives, or leads a
bare "yes" to, a stretch. Driven with real request envelopes through the Lambda handler, in
every shipped locale: Alexa's own ``AMAZON.FallbackIntent``, an exception injected in a
handler, and ``DistressIntent``.
"""

from __future__ import annotations

import pytest

from skill.core import coaching
from skill.core.catalogue import LOCALES, catalogue_for
from skill.hosts import lambda_handler
from skill.tools.evals.safety_speech import instruction_in, prompt_first_instruction
from skill.tools.simulator.conversation import Heard
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.conftest import CheckedConversation

#: The number each locale must say in the safety sentence (the generic words where the
#: country is not known from the locale).
NUMBER = {
    "en-US": "your local emergency number",
    "en-IN": "your local emergency number",
    "en-GB": "999",
    "en-CA": "911",
    "en-AU": "triple zero",
    "es-US": "tu número local de emergencias",
    "es-MX": "nueve uno uno",
    "es-ES": "uno uno dos",
}


def talk_in(locale: str) -> CheckedConversation:
    return CheckedConversation(lambda_handler.handler, EnvelopeFactory(locale=locale))


def opens_safely(heard: Heard, locale: str) -> None:
    catalogue = catalogue_for(locale)
    first = catalogue.text("safety_first")
    assert heard.speech.startswith(first), heard.speech
    assert NUMBER[locale] in first
    assert catalogue.text("emergency_now").lower().rstrip(".") in first.lower()
    assert instruction_in(f"{heard.speech} {heard.reprompt}", catalogue) is None


def test_every_locale_has_its_number_in_the_safety_sentence() -> None:
    assert set(NUMBER) == set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_fallback_opens_with_the_safety_sentence(locale: str) -> None:
    talk = talk_in(locale)
    talk.launch()
    for _ in range(3):
        opens_safely(talk.intent("AMAZON.FallbackIntent"), locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_fallback_mid_routine_opens_with_the_safety_sentence(locale: str) -> None:
    talk = talk_in(locale)
    talk.intent("CrampReliefIntent")
    opens_safely(talk.intent("AMAZON.FallbackIntent"), locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_crash_in_a_handler_gives_the_safety_sentence_never_a_stretch(
    locale: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exception is raised where the next step would be spoken, mid-routine: the
    answer is the safety sentence and the apology, not the step."""
    talk = talk_in(locale)
    talk.intent("CrampReliefIntent")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(coaching, "speak_step", broken)
    heard = talk.intent("AMAZON.NextIntent")
    opens_safely(heard, locale)
    assert catalogue_for(locale).text("error") in heard.speech


@pytest.mark.parametrize("locale", LOCALES)
def test_distress_outside_a_routine_leads_with_the_safety_sentence(locale: str) -> None:
    """ "It hurts so much" / "my heart is hurting": the emergency line first, and no "yes"
    afterwards starts a stretch, not even the launch's own "is it cramping?"."""
    talk = talk_in(locale)
    talk.launch()  # asks whether the hamstring is cramping
    heard = talk.intent("DistressIntent")
    opens_safely(heard, locale)
    yes = talk.intent("AMAZON.YesIntent")
    assert instruction_in(f"{yes.speech} {yes.reprompt}", catalogue_for(locale)) is None
    # Real help is one request away: the stretch asked for by name.
    cramp = talk.intent("CrampReliefIntent")
    assert cramp.speech.startswith(prompt_first_instruction(catalogue_for(locale)))


def test_the_words_added_to_the_first_fallback() -> None:
    """The measure reported in docs/safety.md: the safety sentence adds its words, and the
    rest of the first "didn't catch that" was shortened by three (14 words before)."""
    catalogue = catalogue_for("en-US")
    talk = talk_in("en-US")
    first = talk.intent("AMAZON.FallbackIntent")
    added = len(first.speech.split()) - 14
    assert added == len(catalogue.text("safety_first").split()) - 3 == 10
