"""The Spanish translation stays whole and checkable: every English item has a Spanish
counterpart and the reverse (same parameters, same plural forms), every item has a
back-translation, docs/translation.md is what the catalogues say, and the Spanish medical
vocabulary says what the English says, no more (the Spanish vocabulary guard)."""

from __future__ import annotations

import functools
import re

import pytest

from skill.core import catalogue as catalogues
from skill.core.content import load_language
from skill.tools.generators import translation_table as tt

#: Medical and safety terms, English and Spanish: an item says one exactly when its
#: counterpart says the other, so a translation can neither add nor drop one.
GLOSSARY = [
    (r"\bsodium\b", r"\bsodio\b"),
    (r"\bpotassium\b", r"\bpotasio\b"),
    (r"\bcalcium\b", r"\bcalcio\b"),
    (r"\bmagnesium\b", r"\bmagnesio\b"),
    (r"\belectrolyte", r"\belectrolito"),
    (r"\bminerals?\b", r"\bminerales?\b"),
    (r"\bdiuretic", r"\bdiurétic"),
    (r"\bstatin", r"\bestatina"),
    (r"\bcholesterol\b", r"\bcolesterol\b"),
    (r"\bhypothyroidism\b", r"\bhipotiroidismo\b"),
    (r"\bkidney disease\b", r"\benfermedad renal\b"),
    (r"\bperipheral artery disease\b", r"\benfermedad arterial periférica\b"),
    (r"\blumbar stenosis\b", r"\bestenosis lumbar\b"),
    (r"\bsciatic\b", r"\bciático\b"),
    (r"\bspine\b", r"\bcolumna\b"),
    (r"\bbiceps femoris\b", r"\bbíceps femoral\b"),
    (r"\bsemitendinosus\b", r"\bsemitendinoso\b"),
    (r"\bsemimembranosus\b", r"\bsemimembranoso\b"),
    (r"\bnerves?\b", r"\bnervios?\b"),
    (r"\bspasms?\b", r"\bespasmos?\b"),
    (r"\boxygen\b", r"\boxígeno\b"),
    (r"\burine\b", r"\borinar\b"),
    (r"\bside effects\b", r"\befectos secundarios\b"),
    (r"\bdehydration\b", r"\bdeshidratación\b"),
    (r"\binflammation\b", r"\binflamación\b"),
    (r"\bcirculation\b", r"\bcirculación\b"),
    (r"\bnumb(s|ness)?\b", r"\bentumec|\badormece"),
    (r"\btingling\b", r"\bhormigueo\b"),
    (r"\bswelling\b|\bswollen\b", r"\bhinchazón\b|\bhinchada\b"),
    (r"\bweak(ness)?\b", r"\bdébil\b|\bdebilidad\b"),
    (r"\bskin colou?r\b", r"\bcolor de la piel\b"),
    (r"\bchest pain\b", r"\bdolor en el pecho\b"),
    (r"\bbreathing\b", r"\brespirar\b"),
    (r"\bfainting\b", r"\bdesmayo\b"),
    (r"\bconfusion\b", r"\bconfusión\b"),
    (r"\bpop\b", r"\bchasquido\b"),
    (r"\bemergency\b", r"\bemergencias?\b"),
    (r"\bdoctor\b", r"\bmédicos?\b"),
    (r"\bmedicines?\b|\bmedications?\b", r"\bmedicamentos?\b"),
    (r"\bmedical conditions?\b|\bconditions\b", r"\bafecci(ón|ones) médicas?\b|\bafecciones\b"),
    (r"\bmassage", r"\bmasaj"),
    (r"\bheating pad\b", r"\balmohadilla térmica\b"),
    (r"\bice pack\b", r"\bbolsa de hielo\b"),
    (r"\btwenty\b", r"\bveinte\b"),
    (r"\bthirty\b", r"\btreinta\b"),
    (r"\bharmless\b", r"\binofensivos\b"),
    (r"\btests\b", r"\bpruebas\b"),
    (r"\btreatments\b", r"\btratamientos\b"),
]
#: Diagnoses, treatments and professions the seed never names (in the English the guard of
#: tests/test_provenance.py refuses them): no Spanish item may say them.
FORBIDDEN_ES = [
    "coágulo",
    "trombosis",
    "embolia",
    "desgarro",
    "rotura",
    "esguince",
    "distensión",
    "fractura",
    "tendinitis",
    "hernia",
    "ciática",
    "infarto",
    "flebitis",
    "lesión",
    "diagnóstico",
    "ibuprofeno",
    "paracetamol",
    "analgésico",
    "antiinflamatorio",
    "quinina",
    "suplemento",
    "fisioterapeuta",
    "quiropráctico",
    "farmacia",
    "farmacéutico",
]


def test_every_english_item_has_a_spanish_counterpart_and_the_reverse() -> None:
    assert tt.counterpart_problems(tt.items(), tt.items("es")) == []


def test_the_counterpart_check_fails_on_a_missing_extra_or_changed_item() -> None:
    english = {"prompts/a": "Hi {name}.", "prompts/b/one": "one", "prompts/b/other": "{count}"}
    spanish = dict(english)
    assert tt.counterpart_problems(english, spanish) == []
    del spanish["prompts/b/one"]
    spanish["prompts/c"] = "extra"
    spanish["prompts/a"] = "Hola {nombre}."
    assert tt.counterpart_problems(english, spanish) == [
        "prompts/b/one: no Spanish counterpart",
        "prompts/c: no English counterpart",
        "prompts/a: parameters ['name'] in English, ['nombre'] in Spanish",
    ]


def test_every_item_and_override_has_a_back_translation_and_nothing_else() -> None:
    wanted = set(tt.items("es")) | set(tt.override_items())
    back = tt.back_translations()
    assert sorted(wanted - set(back)) == []  # write its back-translation
    assert sorted(set(back) - wanted) == []  # a stale back-translation
    spanish = {**tt.items("es"), **tt.override_items()}
    for path, text in back.items():
        assert text.strip(), path
        assert tt.fields(text) == tt.fields(spanish[path]), path


def test_the_table_is_what_the_tool_writes() -> None:
    """Re-run `python -m skill.tools.generators.translation_table` after changing an item."""
    assert tt.DOC.read_text(encoding="utf-8") == tt.table()
    assert tt.main(["--check"]) == 0


def test_the_tables_columns_are_the_catalogues() -> None:
    """Read back from the committed Markdown: a row per item and override, no other row,
    and its English and Spanish as the catalogues have them."""
    table = tt.read_table(tt.DOC.read_text(encoding="utf-8"))
    english, spanish, overrides = tt.items(), tt.items("es"), tt.override_items()
    assert sorted(set(spanish) | set(overrides)) == sorted(table)
    for path, (en, es, back) in table.items():
        assert es == (overrides[path] if path in overrides else spanish[path]), path
        assert en == english[tt.base_path(path) if path in overrides else path], path
        assert back == tt.back_translations()[path], path


@pytest.mark.parametrize("locale", ["es-US", "es-MX", "es-ES"])
def test_the_overrides_in_the_table_are_what_the_locale_says(locale: str) -> None:
    built = catalogues._catalogue.__wrapped__(locale)
    for path, text in tt.override_items().items():
        if path.startswith(f"{locale}/prompts/"):
            assert built.prompts[path.split("/")[-1]] == text


def test_spanish_prompts_have_the_english_provenance() -> None:
    """Provenance is per key, written once next to the English prompt (``"source"``): it
    serves both bases, so no Spanish prompt carries one of its own."""
    english, spanish = ("en", "es")
    provenance = tt.sources(english)
    spanish_prompts = load_language(spanish, "prompts.json")
    assert list(spanish_prompts) == list(provenance)
    assert not [key for key, entry in spanish_prompts.items() if "source" in entry]
    knowledge = load_language(english, "knowledge.json")["provenance"]
    assert load_language(spanish, "knowledge.json")["provenance"] == knowledge


@functools.cache
def base_items(language: str = "en") -> dict[str, str]:
    """``tt.items(language)``, read once per run: each glossary term below reads both bases.
    Callers do not change it."""
    return tt.items(language)


@pytest.mark.parametrize(("english", "spanish"), GLOSSARY)
def test_spanish_medical_vocabulary_says_what_the_english_says(english: str, spanish: str) -> None:
    en_items, es_items = base_items(), base_items("es")
    assert any(re.search(english, text, re.IGNORECASE) for text in en_items.values())
    mismatched = [
        path
        for path, text in en_items.items()
        if bool(re.search(english, text, re.IGNORECASE))
        != bool(re.search(spanish, es_items[path], re.IGNORECASE))
    ]
    assert mismatched == []


def test_no_spanish_item_names_what_the_seed_does_not() -> None:
    spoken = {**tt.items("es"), **tt.override_items()}
    found = [
        (path, word)
        for path, text in spoken.items()
        for word in FORBIDDEN_ES
        if re.search(rf"\b{word}", text, re.IGNORECASE)
    ]
    assert found == []


#: Spanish words for a strain or an injury, and the English that must say one for the
#: Spanish to: a stretch cue must never name an injury ("un tirón leve" is a mild strain, the
#: opposite of the gentle pull meant; issue 23).
STRAIN_GLOSSARY = [
    (r"\btir[oó]n(es)?\b", r"\b(strain|pull(ed)? muscle)\b"),
    (r"\bdesgarr\w*", r"\b(tear|torn)\b"),
    (r"\besguince", r"\bsprain"),
    (r"\bdistensi[oó]n", r"\bstrain"),
    (r"\brotura\b|\broto\b", r"\b(rupture|torn|broken)\b"),
    (r"\blesi[oó]n", r"\binjur"),
    (r"\btorcedura", r"\b(twist|sprain)"),
    (r"\bchasquido", r"\bpop\b"),
]


@pytest.mark.parametrize(("spanish", "english"), STRAIN_GLOSSARY)
def test_no_spanish_item_names_a_strain_or_injury_the_english_does_not(
    spanish: str, english: str
) -> None:
    """The translation reviewed against a glossary of strain and injury words."""
    english_items, overrides = tt.items(), tt.override_items()
    items = {**{p: (t, p) for p, t in tt.items("es").items()}}
    items.update({p: (t, tt.base_path(p)) for p, t in overrides.items()})
    wrong = [
        path
        for path, (text, base) in items.items()
        if re.search(spanish, text, re.IGNORECASE)
        and not re.search(english, english_items[base], re.IGNORECASE)
    ]
    assert wrong == []


def test_the_strain_glossary_would_catch_the_old_tiron() -> None:
    assert re.search(STRAIN_GLOSSARY[0][0], "hasta sentir un tirón leve")
