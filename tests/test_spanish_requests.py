"""Spanish through real request envelopes (the Lambda entry point): what an es-US, es-MX or
es-ES listener hears, with intents sent by name (no Spanish interaction model needed).

The es-* locales are added to ``LOCALES`` for these tests when they are not there yet, so
they test what each locale says once it ships, before and after it does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from skill.core import catalogue as catalogues
from skill.core import ssml
from skill.core.catalogue import Catalogue
from skill.hosts import lambda_handler
from skill.tools.simulator.conversation import APLA_RENDER, Heard
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.conftest import CheckedConversation
from tests.tiers import sweep

SPANISH = ("es-US", "es-MX", "es-ES")
#: Common English words a Spanish answer must never contain ("Cramp Coach", the skill's
#: name, is taken out first).
ENGLISH_WORDS = re.compile(
    r"\b(the|and|your|you|say|hold|leg|stretch|please|sorry|doctor|next|step|seconds|"
    r"done|goodbye|okay|with|when|for|help|it|is|to|of|what|this|that|cramp|cramps|"
    r"hamstring|hamstrings|release|left|right|well)\b",
    re.IGNORECASE,
)
LEFT = {"value": "izquierda", "id": "left"}
WARMUP = {"SessionKind": {"value": "calentamiento", "id": "warmup"}}


@pytest.fixture(autouse=True)
def spanish_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tuple(locale for locale in SPANISH if locale not in catalogues.LOCALES)
    monkeypatch.setattr(catalogues, "LOCALES", (*catalogues.LOCALES, *missing))


def words(locale: str) -> Catalogue:
    return catalogues.catalogue_for(locale)


def listener(locale: str, screen: bool = False) -> CheckedConversation:
    """A listener in ``locale`` on a device without the Alexa API (no network in tests:
    a timer then falls back to the counted hold)."""
    factory = EnvelopeFactory(locale=locale, screen=screen, api_endpoint="")
    return CheckedConversation(lambda_handler.handler, factory)


def apla(heard: Heard) -> dict[str, Any] | None:
    found = heard.directives_of(APLA_RENDER)
    return found[0]["datasources"]["hold"] if found else None


def everything_heard(heard: Heard) -> str:
    """Speech, reprompt, the APLA countdown and what follows it, the card and the screen,
    as plain text."""
    parts = [heard.speech, heard.reprompt]
    hold = apla(heard)
    if hold:
        parts += [ssml.plain_text(i["ssml"]) for i in hold["items"] if i["kind"] == "speech"]
        parts.append(ssml.plain_text(hold["after"]) if hold["after"] else "")
    card = heard.card or {}
    parts += [str(card.get("title", "")), str(card.get("content", card.get("text", "")))]
    for directive in heard.directives_of("Alexa.Presentation.APL.RenderDocument"):
        parts += list(strings(directive["datasources"]))
    return " ".join(p for p in parts if p)


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in ("screen", "action", "type", "description", "position"):
                yield from strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from strings(child)


def english_in(text: str) -> list[str]:
    return ENGLISH_WORDS.findall(text.replace("Cramp Coach", ""))


@pytest.mark.parametrize("locale", SPANISH)
def test_launch_and_the_first_instruction_are_spanish(locale: str) -> None:
    talk = listener(locale)
    launch = talk.launch()
    assert launch.speech == words(locale).text("launch")
    assert launch.speech.startswith("Entrenador de calambres. ¿Tienes un calambre")
    heard = talk.intent("AMAZON.YesIntent")
    assert heard.speech.startswith("Pon la pierna recta. Lleva despacio los dedos del pie")
    assert english_in(everything_heard(heard)) == []


@pytest.mark.parametrize("locale", SPANISH)
def test_the_one_shot_relief_counts_the_hold_in_spanish_with_apla(locale: str) -> None:
    """The APLA countdown's cues are the locale's catalogue words; its Speech components
    carry no voice or language markup (the APLA Speech component has only ``content`` and
    ``contentType``), so Alexa speaks them as it speaks the rest of the response."""
    heard = listener(locale).intent("CrampReliefIntent")
    assert "Pon la pierna recta" in heard.speech
    hold = apla(heard)
    assert hold is not None and hold["seconds"] == 30
    countdown = words(locale).countdown
    cues = [ssml.plain_text(i["ssml"]) for i in hold["items"] if i["kind"] == "speech"]
    assert cues[0] == countdown.start == "Aguanta así, sin forzar."
    assert cues[-6:] == [*countdown.count, countdown.release]
    assert countdown.left[10] in cues and countdown.left[20] in cues
    for item in hold["items"]:
        if item["kind"] == "speech":
            assert "<voice" not in item["ssml"] and "<lang" not in item["ssml"]
    assert "di siguiente" in ssml.plain_text(hold["after"])
    assert english_in(everything_heard(heard)) == []


def test_the_spoken_countdown_is_spanish_when_apla_is_off() -> None:
    from skill.alexa.builder import build_skill
    from skill.settings import Settings

    skill = build_skill(Settings(hold_audio="ssml"))
    talk = CheckedConversation(
        lambda handler_input: lambda_handler.invoke(skill, handler_input),
        EnvelopeFactory(locale="es-US", api_endpoint=""),
    )
    heard = talk.intent("CrampReliefIntent")
    assert heard.directives_of(APLA_RENDER) == []
    assert "Quedan diez segundos." in heard.speech and "Y suelta." in heard.speech


@pytest.mark.parametrize(
    ("locale", "line"),
    [
        ("es-US", "Llama ahora a tu número local de emergencias."),
        ("es-MX", "Llama ahora al nueve uno uno."),
        ("es-ES", "Llama ahora al uno uno dos."),
    ],
)
def test_an_emergency_gets_the_locales_emergency_line(locale: str, line: str) -> None:
    heard = listener(locale).intent("EmergencyIntent")
    assert heard.speech.startswith(line)
    assert "Pon la pierna recta" not in heard.speech and heard.directives_of(APLA_RENDER) == []
    assert english_in(everything_heard(heard)) == []


@pytest.mark.parametrize(
    ("locale", "number"), [("es-MX", "nueve uno uno"), ("es-ES", "uno uno dos")]
)
def test_doctor_advice_names_the_number_where_it_is_certain(locale: str, number: str) -> None:
    heard = listener(locale).intent("DoctorAdviceIntent")
    assert f"Llama al {number}" in heard.speech
    assert "número local" not in heard.speech


def test_a_warning_sign_gets_the_doctor_not_a_stretch_in_spanish() -> None:
    talk = listener("es-MX")
    talk.launch()
    warned = talk.intent("RedFlagIntent", Sign={"value": "hinchada", "id": "sign_swelling"})
    assert "Consulta hoy a un médico" in warned.speech
    assert "nueve uno uno" in warned.speech
    latched = talk.intent("AMAZON.YesIntent")
    assert words("es-MX").text("safety_latched") in latched.speech
    assert "Pon la pierna recta" not in latched.speech
    assert english_in(everything_heard(warned) + " " + everything_heard(latched)) == []


#: The main flows: each a list of (intent, slots) said in turn in a fresh session.
FLOWS = {
    "relief": [("CrampReliefIntent", {})] + [("AMAZON.NextIntent", {})] * 5,
    "stretch session": [("StretchSessionIntent", {"Leg": LEFT})] + [("AMAZON.NextIntent", {})] * 6,
    "warm-up": [("StretchSessionIntent", WARMUP)] + [("AMAZON.NextIntent", {})] * 6,
    "causes": [("CausesIntent", {}), ("AMAZON.YesIntent", {}), ("AMAZON.YesIntent", {})],
    "prevention": [("PreventionIntent", {}), ("AMAZON.YesIntent", {})],
    "doctor": [("DoctorAdviceIntent", {}), ("AMAZON.YesIntent", {})],
    "about": [("AboutCrampsIntent", {}), ("TellMeMoreIntent", {})],
    "hold advice": [("HoldAdviceIntent", {}), ("AMAZON.NoIntent", {})],
    "help and fallback": [
        ("AMAZON.HelpIntent", {}),
        ("AMAZON.FallbackIntent", {}),
        ("AMAZON.FallbackIntent", {}),
        ("AMAZON.StopIntent", {}),
    ],
    "pause and where": [
        ("CrampReliefIntent", {}),
        ("WhereWasIIntent", {}),
        ("SwitchLegIntent", {}),
        ("AMAZON.PauseIntent", {}),
    ],
    "timer fallback": [("SetTimerIntent", {"Number": "25"})],
}


@pytest.mark.parametrize("locale", sweep(SPANISH))
@pytest.mark.parametrize("flow", FLOWS)
def test_no_english_leaks_into_the_main_flows(locale: str, flow: str) -> None:
    talk = listener(locale, screen=True)
    talk.launch()
    heard_all = []
    for intent, slots in FLOWS[flow]:
        heard = talk.intent(intent, **slots)
        heard_all.append(everything_heard(heard))
        if heard.ended:
            break
    text = " ".join(heard_all)
    assert len(text.split()) > 10
    assert english_in(text) == [], text


def test_hold_advice_is_the_spanish_answer() -> None:
    heard = listener("es-US").intent("HoldAdviceIntent")
    assert heard.speech.startswith("Mantén el estiramiento unos veinte a treinta segundos.")


@pytest.mark.parametrize("locale", ["es-MX", "es-ES"])
def test_memory_speaks_spanish(locale: str, tmp_path: Any) -> None:
    """The opt-in cramp log, its count with Spanish plurals, and forgetting, on a real
    store: no English, and Spain's present perfect where es-ES says it."""
    from skill.store.sqlite import SQLiteAdapter
    from tests.memory_talk import TimedConversation

    talk = TimedConversation(SQLiteAdapter(tmp_path / "coach.sqlite3"))
    talk.factory.locale = locale
    talk.factory.api_endpoint = ""
    said = [talk.intent("CrampCountIntent"), talk.intent("AMAZON.YesIntent")]
    assert said[0].speech.endswith("¿Quieres que lleve la cuenta de tus calambres?")
    talk.new_session()
    said.append(talk.intent("LogCrampIntent"))
    noted = "Lo he anotado." if locale == "es-ES" else "Lo anoté."
    assert said[-1].speech.startswith(noted), said[-1].speech
    assert "un calambre" in said[-1].speech
    said.append(talk.intent("LogCrampIntent", When={"value": "anoche", "id": "last_night"}))
    assert "anoche" in said[-1].speech and "2 calambres" in said[-1].speech
    talk.new_session()
    said.append(talk.intent("CrampCountIntent"))
    assert "2 calambres" in said[-1].speech
    said += [talk.intent("ForgetDataIntent"), talk.intent("AMAZON.YesIntent")]
    assert said[-1].speech.startswith("Listo.")
    assert english_in(" ".join(everything_heard(h) for h in said)) == []
