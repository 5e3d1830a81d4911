"""The Spanish catalogue: one base (skill/locales/es) with the English base's shape, and the
es-US, es-MX and es-ES overrides (their emergency lines, Spain's few words of its own).

Catalogues are built with the internal builder for each es-* locale, so these tests hold
both before and after the es-* locales join ``LOCALES`` (until then ``catalogue_for``
serves every es-* request from es-US, the Spanish default).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill.alexa.render import hold_renderer
from skill.core import catalogue as catalogues
from skill.core.catalogue import Catalogue, catalogue_for, resolve_locale
from skill.core.content import TOPICS, load_language, words
from skill.core.speech import HoldPart, render, say
from skill.settings import Settings
from skill.tools.generators.translation_table import walk
from tests.tiers import sweep

#: Clips hosted: a hold is a clip only where the language has clips.
HOSTED = Settings(audio_base_url="https://audio.example.com/audio")

SPANISH = ("es-US", "es-MX", "es-ES")
MODELS = Path(__file__).resolve().parents[1] / "interaction_model" / "interactionModels" / "custom"
#: Where a number is named, in words (Alexa then says it digit by digit), and why it is
#: certain for everyone the locale serves: docs/locales.md.
EMERGENCY_NUMBERS = {
    "es-MX": "nueve uno uno",  # Mexico: 911, the national emergency number
    "es-ES": "uno uno dos",  # Spain: 112
}
#: The prompts that send people to emergency services (a locale naming a number overrides
#: every one of them).
EMERGENCY_KEYS = ("emergency_now", "safety_first", "doctor_urgent", "red_flag_warning_emergency")
#: The English seed facts (tests/test_knowledge.py SEED_FACTS), as the Spanish base says them.
SEED_FACTS_ES = {
    "overview": ["bíceps femoral", "semitendinoso", "semimembranoso", "parte de atrás del muslo"],
    "causes": [
        "sodio",
        "potasio",
        "calcio",
        "magnesio",
        "resistencia",
        "calentamiento",
        "estenosis lumbar",
        "nervio ciático",
        "diuréticos",
        "estatinas",
        "hipotiroidismo",
        "enfermedad renal",
        "enfermedad arterial periférica",
    ],
    "prevention": [
        "antes, durante y después",
        "hace calor",
        "frutas, verduras y cereales integrales",
        "estiramientos dinámicos antes",
        "estiramientos estáticos después",
        "de forma gradual",
        "calienta",
        "enfría",
        "zapatos",
        "postura",
    ],
    "relief": [
        "pon la pierna recta",
        "dedos del pie hacia ti",
        "veinte a treinta segundos",
        "masaje",
        "almohadilla térmica",
        "bolsa de hielo",
        "levántala",
        "bebida con electrolitos",
    ],
    "doctor": [
        "frecuentes o intensos",
        "duermes",
        "en reposo",
        "debilidad",
        "entumecimiento",
        "hormigueo",
        "hinchazón",
        "color de la piel",
        "dolor en la pierna sigue",
        "estirar, beber lo suficiente y los masajes",
        "medicamento",
    ],
}


def spanish(locale: str) -> Catalogue:
    """The catalogue ``locale`` gets once it ships (built directly, not through LOCALES)."""
    return catalogues._catalogue.__wrapped__(locale)


def fields(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_spanish_locales_resolve_to_the_spanish_default_until_shipped() -> None:
    for locale in (*SPANISH, "es-AR"):
        expected = locale if locale in catalogues.LOCALES else "es-US"
        assert resolve_locale(locale) == expected
        assert catalogue_for(locale).language == "es"


def test_every_spanish_locale_builds_with_its_overrides() -> None:
    for locale in SPANISH:
        built = spanish(locale)
        assert built.locale == locale and built.language == "es"
        assert set(built.prompts) == set(spanish("es-US").prompts)
    spain, us = spanish("es-ES"), spanish("es-US")
    # Spain marches "en el sitio".
    assert spain.step("warmup", "marching").say != us.step("warmup", "marching").say


@pytest.mark.parametrize("name", ["prompts", "knowledge", "routines"])
def test_the_spanish_base_has_the_english_shape(name: str) -> None:
    """Same paths, plural forms and parameters; what is not words (ids, seed references,
    holds, provenance) is the same value."""
    english = dict(walk(words(load_language("en", f"{name}.json"))))
    spanish_ = dict(walk(words(load_language("es", f"{name}.json"))))
    assert sorted(set(english) - set(spanish_)) == []  # an English item with no Spanish
    assert sorted(set(spanish_) - set(english)) == []  # a Spanish item with no English
    for path, value in english.items():
        other = spanish_[path]
        if isinstance(value, str) and (value == "" or translated(name, path)):
            assert (value == "") == (other == ""), path
            assert fields(value) == fields(other), path
            assert other != value or value == "", f"{path}: not translated"
        else:
            assert other == value, path


def translated(name: str, path: str) -> bool:
    """Whether a string leaf is words someone hears or reads (the rest is structure)."""
    last = path.split("/")[-1]
    if name == "prompts":
        return True
    if name == "knowledge":
        return path in ("disclaimer", "emergency") or (
            not path.startswith("provenance/") and last in ("title", "short", "more", "caution")
        )
    return last in ("title", "say", "safety", "intro", "recap")


def test_plurals_and_durations_are_spanish() -> None:
    es = spanish("es-US")
    assert es.text("cramps", count=1) == "un calambre"
    assert es.text("cramps", count=3) == "3 calambres"
    assert es.duration(90) == "1 minuto y 30 segundos"
    assert es.duration(60) == "1 minuto"
    assert es.duration(3723) == "1 hora, 2 minutos y 3 segundos"
    assert es.duration(0) == "0 segundos"
    assert es.text("cramp_count", cramps=es.text("cramps", count=2), days="siete") == (
        "Has anotado 2 calambres en los últimos siete días."
    )


def test_the_countdown_speaks_spanish() -> None:
    es = spanish("es-MX")
    assert es.countdown.start == "Aguanta así, sin forzar."
    assert es.countdown.left == {20: "Quedan veinte segundos.", 10: "Quedan diez segundos."}
    assert es.countdown.count == ("Cinco.", "Cuatro.", "Tres.", "Dos.", "Uno.")
    hold = render(say(HoldPart(25)), es, hold_renderer(es, HOSTED))
    assert "<audio" not in hold  # the shipped clips speak English
    assert "Quedan diez segundos." in hold and "Y suelta." in hold


@pytest.mark.parametrize("locale", sweep(SPANISH))
@pytest.mark.parametrize("topic", TOPICS)
def test_the_seed_is_spoken_in_every_spanish_locale(locale: str, topic: str) -> None:
    kb = spanish(locale).knowledge
    text = " ".join(f"{item.short} {item.more}" for item in kb.topic(topic)).lower()
    assert [fact for fact in SEED_FACTS_ES[topic] if fact.lower() not in text] == []
    base = spanish("es-US").knowledge
    assert [i.id for i in kb.topic(topic)] == [i.id for i in base.topic(topic)]


@pytest.mark.parametrize("locale", SPANISH)
def test_emergency_numbers_are_named_only_where_certain(locale: str) -> None:
    catalogue = spanish(locale)
    line = catalogue.knowledge.emergency
    number = EMERGENCY_NUMBERS.get(locale)
    generic = [
        key
        for key, text in catalogue.prompts.items()
        if isinstance(text, str) and "número local de emergencias" in text
    ]
    if number is None:
        assert "tu número local de emergencias" in line
        assert not re.search(r"\d", line)
        assert not any(n in line for n in EMERGENCY_NUMBERS.values())
        assert set(generic) == set(EMERGENCY_KEYS)
    else:
        assert number in line and "urgencias" in line, line
        # Every other line that sends people to emergency services names the number too.
        assert generic == [], f"{locale}: override these with the number: {generic}"
        for key in EMERGENCY_KEYS:
            assert number in catalogue.text(key), key


def test_overrides_change_words_not_medical_content() -> None:
    base = spanish("es-US").knowledge
    for locale in SPANISH:
        kb = spanish(locale).knowledge
        for topic in TOPICS:
            assert kb.topic(topic) == base.topic(topic), (locale, topic)


@pytest.mark.parametrize("locale", SPANISH)
def test_every_open_the_skill_line_says_the_locales_invocation_name(locale: str) -> None:
    """ "abre <name>" must open the Spanish skill: the name is the model's invocation name
    (never the English "Cramp Coach", which the Spanish models do not answer to)."""
    path = MODELS / f"{locale}.json"
    model = json.loads(path.read_text(encoding="utf-8"))
    name = model["interactionModel"]["languageModel"]["invocationName"]
    texts = [text for _, text in walk(dict(spanish(locale).prompts))]
    opened = [t for t in texts if re.search(r"\babr[ea]\b", t, re.IGNORECASE)]
    assert opened, "no prompt tells people how to open the skill"
    assert [t for t in opened if name not in t.lower()] == []
    assert [t for t in texts if "cramp coach" in t.lower()] == []
