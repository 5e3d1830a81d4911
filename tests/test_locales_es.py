"""Spanish (es-US, es-MX, es-ES): the models, the offline NLU in Spanish, and the Spanish
safety and NLU sets (the frozen ones pinned, their figures asserted; docs/safety.md and
docs/nlu.md give the figures and list the misses)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from skill.core.content import language_path
from skill.tools.evals.nlu import language_sets, paraphrase_cases, sample_cases, share
from skill.tools.evals.safety_sets import ALARMS, FROZEN_ES, TUNING_ES, load_cases
from skill.tools.generators import locale_models
from skill.tools.nlu.language_words import built_in_phrases
from skill.tools.nlu.model import default_model, normalise
from skill.tools.nlu.spoken_numbers_es import parse_duration, parse_number
from skill.tools.simulator.invocation import address, open_line
from tests.evals import evaluate, safety_run
from tests.tiers import sweep

ROOT = Path(__file__).resolve().parents[1]
SPANISH = ("es-US", "es-MX", "es-ES")
NAME = "entrenador de calambres"
#: sha256 of the frozen Spanish sets as committed before any Spanish model existed.
FROZEN_SHA256 = {
    FROZEN_ES: "4a78faca618fe54fe8b738c457f42bad3156c3dc7ace109820d2fb94b00ba5c1",
    Path(language_path("es", "tests", "nlu", "heldout.yaml")): (
        "989bed320f9319ed80280ecbc25f7cd744e1c5b98838a98945c00755b5ed89c0"
    ),
}
#: Launch and wake words Alexa listens for in Spanish: never part of an invocation name.
LAUNCH_WORDS = {"alexa", "amazon", "echo", "skill", "app", "abre", "abrir", "pide", "dile"}
LAUNCH_WORDS |= {"pregunta", "inicia", "empieza", "usa", "lanza", "ejecuta", "juega"}
SPANISH_WORD = re.compile(r"^[a-záéíóúüñ]+(?:['-][a-záéíóúüñ]+)*$")


def language_model(locale: str) -> dict:
    path = locale_models.model_path(locale)
    return json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]


# --- the frozen sets ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", list(FROZEN_SHA256))
def test_the_frozen_spanish_sets_are_unchanged_since_they_were_committed(path: Path) -> None:
    assert hashlib.sha256(path.read_bytes()).hexdigest() == FROZEN_SHA256[path]


def test_the_frozen_spanish_safety_set_is_big_enough_and_apart_from_tuning() -> None:
    cases = load_cases(FROZEN_ES)
    assert len(cases) >= 60
    assert len([c for c in cases if c.kind == "stretch"]) >= 12
    assert {c.kind for c in cases} == {*ALARMS, "seed", "stretch"}
    assert any(c.during for c in cases)
    assert any(address(c.say, NAME, "es").new_session for c in cases)
    tuned = {(c.say, c.during) for c in load_cases(TUNING_ES)}
    assert [c.say for c in cases if (c.say, c.during) in tuned] == []


# --- the models --------------------------------------------------------------------------------
@pytest.mark.parametrize("locale", SPANISH)
def test_spanish_models_keep_the_english_intents_slots_and_value_ids(locale: str) -> None:
    """The code reads intents, slot names and value ids: they are the en-US model's."""
    model, english = language_model(locale), language_model("en-US")

    def shape(lm: dict) -> dict:
        intents = {
            i["name"]: sorted((s["name"], s["type"]) for s in i.get("slots", []))
            for i in lm["intents"]
        }
        types = {t["name"]: [v["id"] for v in t["values"]] for t in lm["types"]}
        return {"intents": intents, "types": types, "config": lm["modelConfiguration"]}

    assert shape(model) == shape(english)


@pytest.mark.parametrize("locale", SPANISH)
def test_spanish_samples_are_spanish_words_and_declared_slots(locale: str) -> None:
    model = language_model(locale)
    for intent in model["intents"]:
        declared = {slot["name"] for slot in intent.get("slots", [])}
        used = set()
        for sample in intent.get("samples", []):
            assert sample == sample.strip() and "  " not in sample, sample
            for token in sample.split(" "):
                slot = re.fullmatch(r"\{(\w+)\}", token)
                if slot:
                    assert slot.group(1) in declared, (intent["name"], sample)
                    used.add(slot.group(1))
                else:
                    assert SPANISH_WORD.match(token), f"{locale}: {token!r} in {sample!r}"
        assert used == declared or not intent.get("samples"), intent["name"]


def test_the_spanish_invocation_name_follows_the_rules() -> None:
    """Two or more words, lower-case letters only, no launch or wake word; the same name in
    every Spanish locale (docs/locales.md says why this one)."""
    for locale in SPANISH:
        name = language_model(locale)["invocationName"]
        assert name == NAME
        assert re.fullmatch(r"[a-záéíóúüñ]+(?: [a-záéíóúüñ]+)+", name)
        assert not set(name.split()) & LAUNCH_WORDS


def test_generated_spanish_models_name_es_us_as_their_source() -> None:
    assert {"es-MX", "es-ES"} <= set(locale_models.generated_locales())
    assert locale_models.source_locale("es-MX") == locale_models.source_locale("es-ES") == "es-US"
    assert locale_models.source_locale("en-GB") == "en-US"


def test_an_override_without_a_known_source_is_refused(tmp_path, monkeypatch) -> None:
    (tmp_path / "xx" / "models").mkdir(parents=True)
    (tmp_path / "xx" / "models" / "xx-YY.json").write_text('{"source": "fr-FR"}', encoding="utf-8")
    monkeypatch.setattr(locale_models, "LANGUAGES_DIR", tmp_path)
    with pytest.raises(ValueError):
        locale_models.source_locale("xx-YY")


def test_the_spanish_manifest_entries_are_spanish_and_say_the_disclaimer() -> None:
    manifest = json.loads((ROOT / "interaction_model" / "skill.json").read_text())["manifest"]
    info = manifest["publishingInformation"]
    assert {"MX", "ES", "US"} <= set(info["distributionCountries"])
    us = info["locales"]["es-US"]
    for locale in SPANISH:
        entry = info["locales"][locale]
        assert {k: v for k, v in entry.items() if k != "keywords"} == {
            k: v for k, v in us.items() if k != "keywords"
        }
        assert entry["keywords"], locale
        assert "no sustituye el consejo" in entry["description"]
        assert "número local de emergencias" in entry["description"]
        samples = {s for i in language_model(locale)["intents"] for s in i.get("samples", [])}
        assert len(entry["examplePhrases"]) == 3
        for phrase in entry["examplePhrases"]:
            spoken = phrase.removeprefix("Alexa, ")
            addressed = address(spoken, NAME, "es")
            assert addressed.new_session, phrase
            assert addressed.kind == "launch" or any(
                normalise(s) == addressed.utterance for s in samples
            ), phrase


# --- Spanish numbers, durations, accents, invocation ------------------------------------------
@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("cinco", "5"),
        ("veinte", "20"),
        ("veinticinco", "25"),
        ("veintitrés", "23"),
        ("treinta y cinco", "35"),
        ("noventa", "90"),
        ("cien", "100"),
        ("ciento veinte", "120"),
        ("dos mil", "2000"),
        ("45", "45"),
        ("un", None),
        ("treinta y", None),
        ("cien cinco", None),
        ("calambre", None),
    ],
)
def test_spanish_spoken_numbers(said: str, value: str | None) -> None:
    assert parse_number(said) == value


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("veinte segundos", "PT20S"),
        ("medio minuto", "PT30S"),
        ("un minuto", "PT1M"),
        ("un minuto y medio", "PT1M30S"),
        ("minuto y medio", "PT1M30S"),
        ("dos minutos y treinta segundos", "PT2M30S"),
        ("una hora y media", "PT1H30M"),
        ("media hora", "PT30M"),
        ("un cuarto de hora", "PT15M"),
        ("noventa segundos", "PT90S"),
        ("segundos", None),
        ("treinta", None),
        ("minuto", None),
    ],
)
def test_spanish_spoken_durations(said: str, value: str | None) -> None:
    assert parse_duration(said) == value


def test_spanish_numbers_and_durations_fill_the_slots() -> None:
    model = default_model("es-US")
    more = model.understand("cinco segundos más")
    assert more.intent == "HoldLengthIntent"
    assert more.slots["Seconds"] == "5" and more.slots["HoldChange"]["id"] == "longer"
    # Alexa sends the value as the model spells it, accents included.
    assert more.slots["HoldChange"]["value"] == "más"
    timer = model.understand("pon un temporizador de un minuto y medio")
    assert (timer.intent, timer.slots.get("Duration")) == ("SetTimerIntent", "PT1M30S")
    hold = model.understand("mantén veinte segundos")
    assert (hold.intent, hold.slots.get("Seconds")) == ("HoldLengthIntent", "20")


@pytest.mark.parametrize(
    ("typed", "accented"),
    [
        ("se me acalambro la pierna izquierda", "se me acalambró la pierna izquierda"),
        ("ayudame", "ayúdame"),
        ("cuanto tiempo debo estirar", "¿Cuánto tiempo debo estirar?"),
        ("tengo la pierna hinchada", "Tengo la pierna HINCHADA."),
    ],
)
def test_typed_spanish_without_accents_is_understood_like_alexas_text(
    typed: str, accented: str
) -> None:
    model = default_model("es-US")
    plain, alexa = model.understand(typed), model.understand(accented)
    assert plain.intent == alexa.intent != "AMAZON.FallbackIntent"
    assert plain.slots == alexa.slots


@pytest.mark.parametrize(
    ("said", "kind", "rest"),
    [
        ("abre entrenador de calambres", "launch", ""),
        ("Alexa, abre el entrenador de calambres", "launch", ""),
        ("dile a entrenador de calambres que tengo un calambre", "intent", "tengo un calambre"),
        ("pregúntale a entrenador de calambres qué es un calambre", "intent", "que es un calambre"),
        ("pídele al entrenador de calambres ayuda", "intent", "ayuda"),
        ("salir", "exit", ""),
    ],
)
def test_spanish_ways_of_addressing_the_skill(said: str, kind: str, rest: str) -> None:
    addressed = address(said, NAME, "es")
    assert (addressed.kind, addressed.utterance) == (kind, rest)
    assert open_line(NAME, "es") == "abre entrenador de calambres"


# --- NLU figures -------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("locale", SPANISH)
def test_spanish_nlu_figures(locale: str) -> None:
    """docs/nlu.md: every sample resolves, with every slot value; the fitted Spanish set at
    90% or better; the frozen held-out set never copied into the model, and not below its
    floor (the figure and its misses are in docs/nlu.md)."""
    model = default_model(locale)
    assert [o.case.say for o in evaluate(sample_cases(model), model) if not o.correct] == []
    exhaustive = evaluate(sample_cases(model, every_value=True), model)
    assert [o.case.say for o in exhaustive if not o.correct] == []
    fitted, frozen = language_sets(locale)
    known = {normalise(s) for samples in model.samples.values() for s in samples}
    known |= {normalise(p) for phrases in built_in_phrases("es").values() for p in phrases}
    for path in (fitted, frozen):
        cases = paraphrase_cases(path)
        assert [c.say for c in cases if normalise(c.say) in known] == [], path.name
        assert {c.intent for c in cases} <= set(model.intents)
    _, _, fitted_percent = share(evaluate(paraphrase_cases(fitted), model))
    assert fitted_percent >= 90.0
    held_out = paraphrase_cases(frozen)
    assert len(held_out) >= 40
    _, _, percent = share(evaluate(held_out, model))
    assert percent >= 80.0


# --- safety in Spanish ---------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("locale", SPANISH)
def test_no_spanish_alarm_gets_a_stretch_massage_or_heat_instruction(locale: str) -> None:
    """The hard rule, in every Spanish locale, on the frozen set and the tuning set."""
    for path in (FROZEN_ES, TUNING_ES):
        figures = safety_run(path, locale)
        assert [f"{v.case.say!r}: {v.why}" for v in figures.unsafe] == [], path.name
        assert [v.case.say for v in figures.uncalled] == [], path.name


@pytest.mark.slow
@pytest.mark.parametrize("locale", SPANISH)
def test_spanish_alarms_and_cramps_get_the_right_advice(locale: str) -> None:
    """At least 90% right advice on the frozen set (docs/safety.md: the real figure and the
    misses), at least 90% of the frozen ordinary cramps stretched at once."""
    figures = safety_run(FROZEN_ES, locale)
    misses = [f"{v.case.say!r} -> {v.intent}: {v.why}" for v in figures.verdicts if not v.right]
    assert figures.share([*ALARMS, "seed"])[2] >= 90.0, misses
    assert figures.share(["stretch"])[2] >= 90.0, misses


@pytest.mark.slow
def test_chat_talks_spanish_in_a_spanish_locale() -> None:
    """`cramp-coach chat --locale es-MX`: the Spanish model understands typed Spanish without
    accents, the es-MX catalogue answers (its emergency number)."""
    from tests.test_chat import cramp_coach

    done = cramp_coach(
        "chat",
        "--locale",
        "es-MX",
        stdin="preguntale a entrenador de calambres cuando debo ir al medico\nno\n",
    )
    assert done.returncode == 0, done.stderr
    assert "Llama al nueve uno uno" in done.stdout


#: What the Spanish catalogue tells people to say, and the intent it must reach.
TOLD_TO_SAY = {
    "tengo un calambre": "CrampReliefIntent",
    "dame un consejo": "PreventionIntent",
    "qué causa los calambres": "CausesIntent",
    "cuándo debo ir al médico": "DoctorAdviceIntent",
    "háblame de la deshidratación": "CausesIntent",
    "siguiente causa": "CausesIntent",
    "siguiente": "AMAZON.NextIntent",
    "repite": "AMAZON.RepeatIntent",
    "cambia de pierna": "SwitchLegIntent",
    "para": "AMAZON.StopIntent",
    "continúa": "AMAZON.ResumeIntent",
    "continúa el temporizador": "ResumeTimerIntent",
    "más largo": "HoldLengthIntent",
    "más corto": "HoldLengthIntent",
    "empieza una sesión de estiramiento": "StretchSessionIntent",
    "pon un temporizador de descanso de dos minutos": "SetTimerIntent",
    "pon un temporizador de estiramiento": "SetTimerIntent",
    "olvida mis datos": "ForgetDataIntent",
    "ayuda": "AMAZON.HelpIntent",
}


@pytest.mark.parametrize("locale", sweep(SPANISH))
def test_what_the_spanish_catalogue_tells_people_to_say_is_understood(locale: str) -> None:
    """Each phrase is in the locale's catalogue (so a reworded prompt fails here too) and
    its model sends it to the intent that does what the prompt promised."""
    from skill.core.catalogue import catalogue_for

    prompts = " ".join(
        str(text) for text in catalogue_for(locale).prompts.values() if isinstance(text, str)
    ).lower()
    model = default_model(locale)
    wrong = {}
    for said, intent in TOLD_TO_SAY.items():
        assert said in prompts, f"{locale}: the catalogue no longer says {said!r}"
        heard = model.understand(said).intent
        if heard != intent:
            wrong[said] = heard
    assert wrong == {}
