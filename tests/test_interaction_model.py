"""Lint the interaction model the way the Alexa console and certification would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill.alexa.handlers import request_handlers
from skill.alexa.permissions import TIMERS_SCOPE
from skill.tools.simulator.envelopes import EnvelopeFactory

ROOT = Path(__file__).resolve().parents[1]
MODEL_PATH = ROOT / "interaction_model" / "interactionModels" / "custom" / "en-US.json"
MANIFEST_PATH = ROOT / "interaction_model" / "skill.json"

MODEL = json.loads(MODEL_PATH.read_text())["interactionModel"]["languageModel"]
INTENTS = {intent["name"]: intent for intent in MODEL["intents"]}
CUSTOM_TYPES = {t["name"]: t for t in MODEL.get("types", [])}
WORD = re.compile(r"^[a-z]+(?:['-][a-z]+)*'?$")
LETTER = re.compile(r"^[a-z]\.$")
SLOT_REF = re.compile(r"^\{([A-Za-z][A-Za-z0-9_]*)\}$")
REQUIRED_BUILT_INS = {
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent",
}


def handled_intents() -> set[str]:
    names: set[str] = set()
    for handler in request_handlers():
        names.update(getattr(handler, "intents", ()))
    return names


def test_every_model_intent_has_a_handler_that_accepts_it() -> None:
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    serializer = DefaultSerializer()
    factory = EnvelopeFactory()
    for name in INTENTS:
        envelope = serializer.deserialize(json.dumps(factory.intent(name)), RequestEnvelope)
        handler_input = HandlerInput(request_envelope=envelope)
        assert any(h.can_handle(handler_input) for h in request_handlers()), name


def test_every_handled_intent_is_in_the_model() -> None:
    assert handled_intents() - set(INTENTS) == set()


def test_required_built_ins_are_declared() -> None:
    assert set(INTENTS) >= REQUIRED_BUILT_INS


@pytest.mark.parametrize("name", [n for n in INTENTS if not n.startswith("AMAZON.")])
def test_custom_intents_have_fifteen_varied_samples(name: str) -> None:
    samples = INTENTS[name]["samples"]
    assert len(samples) >= 15
    assert len(set(samples)) == len(samples)


def test_no_sample_utterance_appears_in_two_intents() -> None:
    owner: dict[str, str] = {}
    for name, intent in INTENTS.items():
        for sample in intent.get("samples", []):
            key = " ".join(sample.lower().split())
            assert key not in owner, f"{sample!r} in {owner.get(key)} and {name}"
            owner[key] = name


@pytest.mark.parametrize("name", list(INTENTS))
def test_samples_use_only_allowed_characters_and_declared_slots(name: str) -> None:
    intent = INTENTS[name]
    declared = {slot["name"] for slot in intent.get("slots", [])}
    used: set[str] = set()
    for sample in intent.get("samples", []):
        assert sample == sample.strip() and "  " not in sample, sample
        for token in sample.split(" "):
            slot = SLOT_REF.match(token)
            if slot:
                assert slot.group(1) in declared, f"{sample!r}: undeclared slot {token}"
                used.add(slot.group(1))
            else:
                assert WORD.match(token) or LETTER.match(token), f"{sample!r}: bad token {token!r}"
    assert used == declared or not intent.get("samples"), f"{name}: unused slots {declared - used}"


def test_slot_types_exist_and_custom_values_are_unique() -> None:
    for intent in INTENTS.values():
        for slot in intent.get("slots", []):
            assert slot["type"].startswith("AMAZON.") or slot["type"] in CUSTOM_TYPES
    for slot_type in CUSTOM_TYPES.values():
        spoken: set[str] = set()
        for value in slot_type["values"]:
            for word in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                assert word.lower() not in spoken, f"{slot_type['name']}: {word} twice"
                spoken.add(word.lower())


def test_invocation_name_follows_the_rules() -> None:
    name = MODEL["invocationName"]
    assert name == "cramp coach"
    assert re.fullmatch(r"[a-z]+(?: [a-z]+)+", name)
    assert not set(name.split()) & {
        "alexa",
        "amazon",
        "echo",
        "skill",
        "app",
        "open",
        "ask",
        "tell",
    }


MANIFEST = json.loads(MANIFEST_PATH.read_text())["manifest"]
LOCALE = MANIFEST["publishingInformation"]["locales"]["en-US"]


def test_manifest_description_carries_the_health_disclaimer() -> None:
    description = LOCALE["description"]
    assert "not a substitute for professional medical advice" in description
    assert "local emergency number" in description


def test_example_phrases_are_three_sample_utterances() -> None:
    phrases = LOCALE["examplePhrases"]
    assert len(phrases) == 3
    all_samples = {s for intent in INTENTS.values() for s in intent.get("samples", [])}
    for phrase in phrases:
        match = re.fullmatch(r"Alexa, (?:ask|tell|open) cramp coach(?: (.*))?", phrase)
        assert match, phrase
        assert match.group(1) is None or match.group(1) in all_samples, phrase


def test_manifest_declares_the_timers_permission() -> None:
    # The scope the skill asks consent for (its one source) is the one the manifest declares.
    assert {"name": TIMERS_SCOPE} in MANIFEST["permissions"]


def test_ask_cli_resources_point_at_the_built_skill_package() -> None:
    """ask-cli deploys the build copy of interaction_model/ with the endpoint filled in
    (skill/tools/generators/skill_package.py; tests/test_skill_package.py builds and checks it)."""
    from skill.tools.generators.skill_package import DEFAULT_OUT

    resources = json.loads((ROOT / "ask-resources.json").read_text())
    src = resources["profiles"]["default"]["skillMetadata"]["src"]
    assert Path(src) == DEFAULT_OUT
    assert (ROOT / "interaction_model" / "skill.json").is_file()
