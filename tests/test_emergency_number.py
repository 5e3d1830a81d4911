"""The emergency number where it is certain (issue 22, item 5): en-US and es-US say 911 when
the device's time zone (the Alexa settings API, served by the fake API on 127.0.0.1) is in a
911 country, and keep "your local emergency number" anywhere else or without a zone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from skill.alexa.emergency_number import numbers_by_zone
from skill.core.catalogue import LOCALES, catalogue_for, number_variants
from skill.hosts import lambda_handler
from skill.tools.simulator.conversation import APL_RENDER
from skill.tools.simulator.envelopes import EnvelopeFactory
from skill.tools.simulator.fake_alexa_api import TOKEN, FakeAlexaApi
from tests.conftest import CheckedConversation

CALL_911 = {"en-US": "Call 911 now.", "es-US": "Llama ahora al nueve uno uno."}


@pytest.fixture
def api() -> Iterator[FakeAlexaApi]:
    fake = FakeAlexaApi().start()
    yield fake
    fake.close()


def talk_in(locale: str, api: FakeAlexaApi | None) -> CheckedConversation:
    if api is None:
        return CheckedConversation(lambda_handler.handler, EnvelopeFactory(locale=locale))
    factory = EnvelopeFactory(api_endpoint=api.url, api_access_token=TOKEN, locale=locale)
    return CheckedConversation(lambda_handler.handler, factory)


def zone_requests(api: FakeAlexaApi) -> int:
    return sum(r.path.endswith("/settings/System.timeZone") for r in api.requests)


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
@pytest.mark.parametrize(
    "zone", ["America/New_York", "America/Los_Angeles", "Pacific/Honolulu", "America/Toronto"]
)
def test_a_911_zone_hears_911_first(locale: str, zone: str, api: FakeAlexaApi) -> None:
    api.time_zone = zone
    heard = talk_in(locale, api).intent("EmergencyIntent")
    assert heard.speech.startswith(CALL_911[locale]) and heard.ended


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
@pytest.mark.parametrize("zone", ["Europe/London", "America/Bogota", "Asia/Kolkata", None])
def test_elsewhere_or_without_a_zone_the_generic_words_stay(
    locale: str, zone: str | None, api: FakeAlexaApi
) -> None:
    api.time_zone = zone
    heard = talk_in(locale, api).intent("EmergencyIntent")
    assert heard.speech.startswith(catalogue_for(locale).text("emergency_now"))


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_a_failing_api_or_none_keeps_the_generic_words(locale: str, api: FakeAlexaApi) -> None:
    api.fail_next(500)
    heard = talk_in(locale, api).intent("EmergencyIntent")
    assert heard.speech.startswith(catalogue_for(locale).text("emergency_now"))
    heard = talk_in(locale, None).intent("EmergencyIntent")
    assert heard.speech.startswith(catalogue_for(locale).text("emergency_now"))


def test_every_net_says_911_and_the_zone_is_asked_once_a_session(api: FakeAlexaApi) -> None:
    talk = talk_in("en-US", api)
    talk.launch()
    talk.intent("PreventionIntent")  # names no number: no call
    assert zone_requests(api) == 0
    miss = talk.intent("AMAZON.FallbackIntent")
    assert miss.speech.startswith("If you're hurt or it's an emergency, call 911 now.")
    doctor = talk.intent("DoctorAdviceIntent")
    assert doctor.speech.startswith("Call 911 for chest pain")
    sign = talk.intent("RedFlagIntent", Sign={"value": "swollen", "id": "sign_swelling"})
    assert "If you also get chest pain or trouble breathing, call 911." in sign.speech
    assert zone_requests(api) == 1


def test_locales_that_name_their_number_never_ask(api: FakeAlexaApi) -> None:
    for locale in ("en-GB", "en-CA", "en-AU", "es-MX", "es-ES", "en-IN"):
        heard = talk_in(locale, api).intent("EmergencyIntent")
        assert heard.speech.startswith(catalogue_for(locale).text("emergency_now"))
    assert zone_requests(api) == 0


def test_only_en_us_and_es_us_have_a_911_variant_and_it_names_911_everywhere() -> None:
    assert {locale for locale in LOCALES if number_variants(locale)} == {"en-US", "es-US"}
    for locale in ("en-US", "es-US"):
        base, variant = catalogue_for(locale), catalogue_for(locale, "911")
        changed = [k for k in base.prompts if base.prompts[k] != variant.prompts[k]]
        assert changed and all(
            "911" in variant.text(k) or "nueve uno uno" in variant.text(k) for k in changed
        )
        generic = [k for k in base.prompts if "local emergency" in str(base.prompts[k]).lower()]
        generic += [k for k in base.prompts if "número local" in str(base.prompts[k]).lower()]
        assert sorted(generic) == sorted(changed)


def test_the_911_zones_are_real_zones_of_911_countries() -> None:
    zones = numbers_by_zone()
    for zone in zones:
        ZoneInfo(zone)  # raises on a name the tz database lacks
    assert {
        "America/Chicago",
        "America/Puerto_Rico",
        "America/Toronto",
        "America/Mexico_City",
    } <= set(zones)
    assert not {"Europe/London", "America/Bogota", "America/Sao_Paulo", "Asia/Kolkata"} & set(zones)


def test_every_number_of_the_data_is_a_declared_session_value() -> None:
    from skill.core.session_state import SCHEMA

    for number in {"", *numbers_by_zone().values()}:
        assert SCHEMA["number"](number) == number


def test_a_hanging_settings_api_never_holds_the_emergency_line(api: FakeAlexaApi) -> None:
    """Past the short budget the generic words are said: the line never waits long."""
    from skill.alexa.emergency_number import ZONE_BUDGET_SECONDS
    from skill.tools.simulator.fake_alexa_api import HANG

    api.fail_next(HANG)
    talk = talk_in("en-US", api)
    heard = talk.intent("EmergencyIntent")
    assert heard.speech.startswith(catalogue_for("en-US").text("emergency_now"))
    assert ZONE_BUDGET_SECONDS <= 1.0


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
@pytest.mark.parametrize(
    ("intent", "slots"),
    [
        ("DoctorAdviceIntent", {}),
        ("RedFlagIntent", {"Sign": {"value": "swollen", "id": "sign_swelling"}}),
    ],
)
def test_the_screen_of_a_911_answer_says_911_too(
    locale: str, intent: str, slots: dict[str, dict[str, str]], api: FakeAlexaApi
) -> None:
    """An Echo Show in a 911 zone: what the screen shows of the answer names the number the
    voice names, never the generic words the voice no longer says. (The emergency answer
    itself ends the session with no screen: the person is to make the call.)"""
    api.time_zone = "America/Chicago"
    factory = EnvelopeFactory(
        api_endpoint=api.url, api_access_token=TOKEN, locale=locale, screen=True
    )
    heard = CheckedConversation(lambda_handler.handler, factory).intent(intent, **slots)
    (directive,) = heard.directives_of(APL_RENDER)
    shown = json.dumps(directive["datasources"], ensure_ascii=False)
    base, variant = catalogue_for(locale), catalogue_for(locale, "911")
    generic = [base.knowledge.emergency] + [
        base.text(k) for k in variant.prompts if variant.prompts[k] != base.prompts.get(k)
    ]
    assert "911" in heard.speech or "nueve uno uno" in heard.speech
    assert "911" in shown or "nueve uno uno" in shown
    assert not [g for g in generic if json.dumps(g, ensure_ascii=False)[1:-1] in shown]


def test_the_screen_elsewhere_keeps_the_generic_words(api: FakeAlexaApi) -> None:
    api.time_zone = "Europe/London"
    factory = EnvelopeFactory(api_endpoint=api.url, api_access_token=TOKEN, screen=True)
    heard = CheckedConversation(lambda_handler.handler, factory).intent("DoctorAdviceIntent")
    (directive,) = heard.directives_of(APL_RENDER)
    shown = json.dumps(directive["datasources"])
    assert catalogue_for("en-US").knowledge.emergency in shown and "911" not in shown


def test_a_screen_that_alone_names_the_number_shows_911_once_the_session_knows_it(
    api: FakeAlexaApi,
) -> None:
    """A seed situation's answer says no number, but its screen shows the emergency line:
    once an earlier answer of the session learnt the zone, the screen says 911 too, and the
    zone is not asked again (nor asked at all for a screen alone)."""
    api.time_zone = "America/Denver"
    factory = EnvelopeFactory(api_endpoint=api.url, api_access_token=TOKEN, screen=True)
    talk = CheckedConversation(lambda_handler.handler, factory)
    talk.launch()
    frequent = {"Symptom": {"value": "every night", "id": "frequent"}}
    before = talk.intent("SymptomCheckIntent", **frequent)
    assert "911" not in before.speech and zone_requests(api) == 0
    (first,) = before.directives_of(APL_RENDER)
    assert "911" not in json.dumps(first["datasources"])
    assert "911" in talk.intent("DoctorAdviceIntent").speech
    after = talk.intent("SymptomCheckIntent", **frequent)
    (directive,) = after.directives_of(APL_RENDER)
    shown = json.dumps(directive["datasources"])
    assert "911" not in after.speech and "call 911" in shown
    assert catalogue_for("en-US").knowledge.emergency not in shown
    assert zone_requests(api) == 1
