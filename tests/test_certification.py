"""Amazon's certification tests that apply to Cramp Coach, run offline in every locale
(docs/certification.md names the test for each line, and the last test here checks that every
test it names exists).

Each conversation is a :class:`tests.conftest.CheckedConversation`: every response passes the
SSML validator, and an open session always has a reprompt and asks something."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from skill.core.catalogue import LOCALES, catalogue_for
from skill.hosts.lambda_handler import handler
from skill.tools.nlu.model import default_model
from skill.tools.simulator.device import Simulator
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.conftest import CheckedConversation

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((ROOT / "interaction_model" / "skill.json").read_text(encoding="utf-8"))
CHECKLIST = (ROOT / "docs" / "certification.md").read_text(encoding="utf-8")
MODELS = ROOT / "interaction_model" / "interactionModels" / "custom"
#: A slot value no model lists and entity resolution matches nothing for.
UNKNOWN = "purple elephant"


def talk(locale: str) -> CheckedConversation:
    # No Alexa API endpoint: the timer intents answer without one, and nothing leaves the machine.
    return CheckedConversation(handler, EnvelopeFactory(locale=locale, api_endpoint=""))


def errors(locale: str) -> tuple[str, str]:
    """The apology of an unhandled error, and the fallback's, in the locale's words."""
    words = catalogue_for(locale).prompts
    return str(words["error"]), str(words["fallback"]).split(".")[0]


@functools.cache
def intents(locale: str) -> dict[str, list[str]]:
    """Every intent of the locale's model and its slot names."""
    model = json.loads((MODELS / f"{locale}.json").read_text(encoding="utf-8"))
    return {
        i["name"]: [s["name"] for s in i.get("slots", [])]
        for i in model["interactionModel"]["languageModel"]["intents"]
    }


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_example_phrases_work_as_one_shots_in_every_locale(locale: str) -> None:
    """The three example phrases, said as Alexa hears them ("Alexa, tell cramp coach ..."):
    each is understood as an intent of the skill (never the fallback) and answered without
    an error."""
    phrases = MANIFEST["manifest"]["publishingInformation"]["locales"][locale]["examplePhrases"]
    error, fallback = errors(locale)
    for phrase in phrases:
        said = re.sub(r"^Alexa,\s*", "", phrase)
        simulator = Simulator(talk(locale), default_model(locale))
        exchange = simulator.hear(said)
        assert exchange.heard is not None, phrase
        assert exchange.request not in ("", "AMAZON.FallbackIntent"), (phrase, exchange.request)
        speech = exchange.heard.speech
        assert speech and error not in speech and not speech.startswith(fallback), phrase


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_help_outside_the_launch_question_tells_what_to_say_and_asks(locale: str) -> None:
    """Help, asked in the menu and mid-routine, says what the skill does and keeps the session
    open with a question (help right after the launch question starts the stretch instead:
    docs/certification.md, "Help at launch")."""
    conversation = talk(locale)
    conversation.launch()
    conversation.intent("AMAZON.NoIntent")  # the menu
    heard = conversation.intent("AMAZON.HelpIntent")
    assert not heard.ended and heard.speech.endswith("?"), heard.speech
    conversation.intent("CrampReliefIntent")
    heard = conversation.intent("AMAZON.HelpIntent")
    assert not heard.ended and heard.reprompt


def _states(locale: str) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Ways to reach each state of the skill, from a new session."""
    return {
        "launch": [],
        "launch question answered no": [("AMAZON.NoIntent", {})],
        "relief routine": [("CrampReliefIntent", {})],
        "stretch session": [("StretchSessionIntent", {})],
        "a tip": [("PreventionIntent", {})],
        "forget question": [("ForgetDataIntent", {})],
    }


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("stop", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_and_cancel_end_the_session_everywhere(locale: str, stop: str) -> None:
    for state, path in _states(locale).items():
        conversation = talk(locale)
        conversation.launch()
        for intent, slots in path:
            if intent in intents(locale):
                conversation.intent(intent, **slots)
        heard = conversation.intent(stop)
        assert heard.ended, (state, heard.speech)
        assert "reprompt" not in heard.response, state


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_answers_empty_and_unknown_slots(locale: str) -> None:
    """Each intent with every slot empty, and with every slot a value Alexa could not
    resolve: an answer (never the error apology), in a new session and in an open one."""
    error, _ = errors(locale)
    for intent, slot_names in intents(locale).items():
        if intent.startswith("AMAZON.") and not slot_names:
            continue
        cases: list[dict[str, Any]] = [{}]
        if slot_names:
            cases.append({name: {"value": UNKNOWN} for name in slot_names})
        for slots in cases:
            for opened in (False, True):
                conversation = talk(locale)
                if opened:
                    conversation.launch()
                heard = conversation.intent(intent, **slots)
                assert heard.speech and error not in heard.speech, (intent, slots, opened)


#: The disclaimer's parts Amazon's feedback asks for (docs/alexa-platform.md, section 7), by
#: language.
DISCLAIMER = {
    "en": (
        "does not provide medical advice",
        "not a substitute for professional medical",
        "call your local emergency number",
    ),
    "es": (
        "no ofrece consejo médico",
        "no sustituye el consejo",
        "llama a tu número local de emergencias",
    ),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_description_carries_the_health_disclaimer(locale: str) -> None:
    entry = MANIFEST["manifest"]["publishingInformation"]["locales"][locale]
    description = entry["description"].lower()
    for words in DISCLAIMER[locale[:2]]:
        assert words.lower() in description, (locale, words)


def test_the_manifest_declares_no_purchases_ads_or_children() -> None:
    privacy = MANIFEST["manifest"]["privacyAndCompliance"]
    assert privacy["allowsPurchases"] is False and privacy["containsAds"] is False
    assert privacy["isChildDirected"] is False
    assert "purchase" not in json.dumps(MANIFEST["manifest"]["apis"]).lower()


def test_every_test_the_checklist_names_exists() -> None:
    """docs/certification.md: each test it cites (`tests/<file>.py::<name>`) is in that file,
    and every row of its tables names a test or says why none can run offline."""
    named = re.findall(r"`tests/([\w/]+\.py)::(\w+)`", CHECKLIST)
    assert len(named) >= 25
    for file, name in named:
        source = (ROOT / "tests" / file).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, flags=re.MULTILINE), f"{file}::{name}"
    rows = [
        line
        for line in CHECKLIST.splitlines()
        if line.startswith("| ") and not line.startswith(("| Amazon's test", "| ---"))
    ]
    assert rows
    for row in rows:
        assert "`tests/" in row or "not testable offline" in row, row
