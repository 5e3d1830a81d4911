"""Every shipped locale: its generated model, its manifest entry, its catalogue and its seed
coverage. (Its conversations are in skill/locales/en/tests/conversations/<locale>/; its NLU
figures in tests/test_nlu_quality.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill.alexa.handlers import request_handlers
from skill.core.catalogue import LOCALES, catalogue_for
from skill.core.content import TOPICS, knowledge
from skill.tools.evals.nlu import (
    language_sets,
    local_cases,
    paraphrase_cases,
    sample_cases,
    share,
)
from skill.tools.generators import locale_models
from skill.tools.nlu.model import default_model, normalise
from tests.evals import evaluate, safety_run
from tests.test_interaction_model import LETTER, SLOT_REF, WORD
from tests.test_knowledge import SEED_FACTS
from tests.tiers import sweep

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((ROOT / "interaction_model" / "skill.json").read_text())["manifest"]
ENGLISH = [locale for locale in LOCALES if locale.startswith("en-")]
#: Every locale with a model: the shipped ones, the hand-edited sources and the generated.
MODEL_LOCALES = sorted(
    set(LOCALES) | set(locale_models.SOURCES) | set(locale_models.generated_locales())
)
#: The invocation name each language's models use (docs/locales.md says why).
INVOCATION_NAMES = {"en": "cramp coach", "es": "entrenador de calambres"}
#: Sample words in Spanish may carry accents and ñ.
SPANISH_WORD = re.compile(r"^[a-záéíóúüñ]+(?:['-][a-záéíóúüñ]+)*'?$")
#: Where a number is named, and why it is certain for everyone the locale serves (its
#: distribution countries): docs/locales.md. Every other locale says "your local emergency
#: number".
EMERGENCY_NUMBERS = {
    "en-GB": ["999"],  # United Kingdom and Ireland
    "en-CA": ["911"],  # Canada
    "en-AU": ["triple zero", "one one one"],  # Australia (000) and New Zealand (111)
}


def language_model(locale: str) -> dict:
    path = locale_models.model_path(locale)
    return json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]


@pytest.mark.parametrize("locale", locale_models.generated_locales())
def test_committed_models_are_what_the_generator_writes(locale: str) -> None:
    """Re-run `python -m skill.tools.generators.locale_models` after changing a source model or
    an override."""
    assert locale_models.model_path(locale).read_text(encoding="utf-8") == (
        locale_models.generate(locale)
    ), f"{locale}: stale model; run python -m skill.tools.generators.locale_models"


def test_overrides_that_name_nothing_are_refused() -> None:
    source = json.loads(locale_models.model_path("en-US").read_text(encoding="utf-8"))
    for wrong in (
        {"add_samples": {"NoSuchIntent": ["x"]}},
        {"drop_samples": {"CrampReliefIntent": ["not a sample"]}},
        {"add_synonyms": {"LegSide": {"middle": ["centre"]}}},
        {"rename": {}},
    ):
        with pytest.raises(ValueError):
            locale_models.apply(source, wrong)


@pytest.mark.parametrize("locale", sweep(MODEL_LOCALES))
def test_every_locale_model_validates(locale: str) -> None:
    model = language_model(locale)
    assert model["invocationName"] == INVOCATION_NAMES[locale.split("-")[0]]
    word = SPANISH_WORD if locale.startswith("es-") else WORD
    intents = {intent["name"]: intent for intent in model["intents"]}
    assert set(intents) == {i["name"] for i in language_model("en-US")["intents"]}
    handled = {name for h in request_handlers() for name in getattr(h, "intents", ())}
    assert handled <= set(intents)
    types = {t["name"]: t for t in model.get("types", [])}
    owner: dict[str, str] = {}
    for name, intent in intents.items():
        declared = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        assert all(t.startswith("AMAZON.") or t in types for t in declared.values()), name
        if not name.startswith("AMAZON."):
            assert len(intent["samples"]) >= 15, name
        for sample in intent.get("samples", []):
            key = " ".join(sample.split())
            assert key not in owner, f"{locale}: {sample!r} in {owner.get(key)} and {name}"
            owner[key] = name
            for token in sample.split(" "):
                slot = SLOT_REF.match(token)
                assert (
                    (slot and slot.group(1) in declared)
                    or word.match(token)
                    or (LETTER.match(token))
                ), f"{locale} {name}: bad token {token!r} in {sample!r}"
    for slot_type in types.values():
        spoken = [
            word.lower()
            for value in slot_type["values"]
            for word in [value["name"]["value"], *value["name"].get("synonyms", [])]
        ]
        assert len(spoken) == len(set(spoken)), f"{locale}: {slot_type['name']} repeats a value"


def test_every_locale_ships_in_the_manifest_with_the_same_text() -> None:
    info = MANIFEST["publishingInformation"]
    assert set(info["locales"]) == set(MODEL_LOCALES) >= set(LOCALES)
    us = info["locales"]["en-US"]
    for locale in ENGLISH:
        entry = info["locales"][locale]
        same = {k: v for k, v in entry.items() if k != "keywords"}
        assert same == {k: v for k, v in us.items() if k != "keywords"}, locale
        assert entry["keywords"], locale
    assert set(info["distributionCountries"]) >= {"US", "GB", "IE", "CA", "AU", "NZ", "IN"}


@pytest.mark.parametrize("locale", sweep(ENGLISH))
@pytest.mark.parametrize("topic", TOPICS)
def test_the_seed_is_spoken_in_every_english_locale(locale: str, topic: str) -> None:
    kb = catalogue_for(locale).knowledge
    text = " ".join(f"{item.short} {item.more}" for item in kb.topic(topic))
    assert [fact for fact in SEED_FACTS[topic] if fact not in text] == []
    assert [i.id for i in kb.topic(topic)] == [i.id for i in knowledge().topic(topic)]


@pytest.mark.parametrize("locale", ENGLISH)
def test_emergency_numbers_are_named_only_where_certain(locale: str) -> None:
    line = catalogue_for(locale).knowledge.emergency
    numbers = EMERGENCY_NUMBERS.get(locale)
    if numbers is None:
        assert "your local emergency number" in line
        assert not re.search(r"\d", line)
    else:
        assert all(number in line for number in numbers), line
        # Every other line that sends people to emergency services names the number too.
        catalogue = catalogue_for(locale)
        generic = [
            key
            for key, text in catalogue.prompts.items()
            if isinstance(text, str) and "local emergency number" in text
        ]
        assert generic == [], f"{locale}: override these with the number: {generic}"


def test_locale_overrides_change_words_not_medical_content() -> None:
    """Overrides may reword where to get care; the seed's items stay the base's."""
    for locale in ENGLISH:
        kb = catalogue_for(locale).knowledge
        for topic in TOPICS:
            assert kb.topic(topic) == knowledge().topic(topic), (locale, topic)


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_nlu_figures_per_locale(locale: str) -> None:
    """The figures of docs/nlu.md, per locale: every sample resolves; the language's shared
    fitted paraphrases at 90% or better; the frozen local phrasings at 70% or better (tuned
    on: see docs/nlu.md for the figures before tuning)."""
    model = default_model(locale)
    assert [o for o in evaluate(sample_cases(model), model) if not o.correct] == []
    _, _, shared = share(evaluate(paraphrase_cases(language_sets(locale)[0]), model))
    assert shared >= 90.0
    local = local_cases(locale)
    if locale in ENGLISH and locale != "en-US":
        assert len(local) >= 10
        # Held out: the locale's own samples (its override) never copy a frozen phrasing.
        us = default_model("en-US")
        added = {
            normalise(s)
            for name, samples in model.samples.items()
            for s in samples
            if s not in us.samples[name]
        }
        assert [c.say for c in local if normalise(c.say) in added] == []
        _, _, percent = share(evaluate(local, model))
        assert percent >= 70.0


@pytest.mark.slow
def test_chat_talks_in_the_locale_asked_for(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cramp-coach chat --locale en-GB`: the local model understands, the catalogue answers."""
    from tests.test_chat import cramp_coach_here

    done = cramp_coach_here(
        monkeypatch,
        capsys,
        "chat",
        "--locale",
        "en-AU",
        stdin="ask cramp coach should i go to emergency\nno\n",
    )
    assert done.returncode == 0, done.stderr
    assert "triple zero" in done.stdout and "one one one in New Zealand" in done.stdout
    refused = cramp_coach_here(monkeypatch, capsys, "say", "--locale", "fr-FR", "hello")
    assert refused.returncode == 2 and "--locale" in refused.stderr


@pytest.mark.slow
@pytest.mark.parametrize("locale", [locale for locale in ENGLISH if locale != "en-US"])
def test_the_frozen_safety_set_holds_in_every_english_locale(locale: str) -> None:
    """The safety issue's frozen set, said in each locale (its model, its emergency line):
    a locale's extra samples must never pull an alarm toward a stretch."""
    from skill.tools.evals.safety_sets import ALARMS, FROZEN

    figures = safety_run(FROZEN, locale)
    assert [v.case.say for v in figures.unsafe] == []
    assert [v.case.say for v in figures.uncalled] == []
    _, _, percent = figures.share([*ALARMS, "seed"])
    assert percent >= 95.0
