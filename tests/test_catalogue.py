"""Per-locale catalogues: locale resolution, overrides, grammar, and the renderer."""

from __future__ import annotations

import pytest

from skill.alexa.render import hold_renderer
from skill.core import catalogue as catalogues
from skill.core.catalogue import DEFAULT_LOCALE, LOCALES, catalogue_for, resolve_locale
from skill.core.content import knowledge, prompts
from skill.core.speech import Duration, HoldPart, Markup, msg, plain, render, say
from skill.core.ssml import plain_text, validate, wrap
from skill.core.turn import Turn
from skill.settings import Settings
from tests.conftest import CheckedConversation
from tests.holds_helpers import hold_fragments

#: Clips hosted: a hold is a clip only where the language has clips.
HOSTED = Settings(audio_base_url="https://audio.example.com/audio")


def test_shipped_locales_resolve_to_themselves_and_others_to_their_language() -> None:
    for locale in LOCALES:
        assert resolve_locale(locale) == locale
    assert resolve_locale("en-NZ") == "en-US"
    assert resolve_locale("fr-FR") == DEFAULT_LOCALE
    assert resolve_locale(None) == DEFAULT_LOCALE
    assert catalogue_for("xx-YY") is catalogue_for(DEFAULT_LOCALE)  # one cache entry


def test_the_us_catalogue_is_the_english_base_unchanged() -> None:
    us = catalogue_for("en-US")
    assert dict(us.prompts) == prompts()
    assert us.knowledge == knowledge()


def test_every_locale_has_every_prompt_of_its_language_base() -> None:
    for locale in LOCALES:
        assert set(catalogue_for(locale).prompts) == set(prompts()), locale


def test_plural_forms_and_durations_follow_the_languages_grammar() -> None:
    us = catalogue_for("en-US")
    assert us.text("cramps", count=1) == "one cramp"
    assert us.text("cramps", count=3) == "3 cramps"
    assert us.duration(90) == "1 minute 30 seconds"


def test_overrides_replace_entries_by_path_and_reject_unknown_paths(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    override: dict = {
        "prompts": {"goodbye": "Cheerio."},
        "knowledge": {"emergency": "Call 999.", "doctor/frequent/short": "See a GP."},
        "routines": {"stretches/standing/safety": "Gently does it."},
    }
    monkeypatch.setattr(catalogues, "_overrides", lambda locale: override)
    built = catalogues._catalogue.__wrapped__("en-ZZ")
    assert built.text("goodbye") == "Cheerio."
    assert built.knowledge.emergency == "Call 999."
    assert built.knowledge.find("doctor", "frequent").short == "See a GP."
    assert built.step("stretch", "standing").safety == "Gently does it."
    assert catalogue_for("en-US").text("goodbye") != "Cheerio."  # the base is untouched
    for wrong in (
        {"knowledge": {"doctor/nonsense/short": "x"}},
        {"prompts": {"no_such_prompt": "x"}},
        {"glossary": {}},
    ):
        override = wrong
        with pytest.raises(KeyError):
            catalogues._catalogue.__wrapped__("en-ZZ")


def test_the_renderer_resolves_keys_parameters_and_holds() -> None:
    us = catalogue_for("en-US")
    speech = say(
        msg("timer_left", kind=msg("timer_kind_rest"), duration=Duration(120)),
        "A knowledge sentence & more.",
        HoldPart(20),
        Markup("<s>Earlier.</s>"),
        None,
        "",
    )
    markup = render(speech, us, hold_renderer(us, Settings()))
    assert validate(wrap(markup)) == []
    assert plain_text(wrap(markup)).startswith(
        "Your rest timer has 2 minutes left. A knowledge sentence & more. Hold it, gently."
    )
    assert len(hold_fragments(markup)) == 1 and markup.endswith("<s>Earlier.</s>")
    assert plain(speech, us) == "Your rest timer has 2 minutes left. A knowledge sentence & more."
    with pytest.raises(ValueError):  # how a hold sounds is the edge's choice, never a default
        render(speech, us)


def test_a_turn_defaults_to_the_default_locale() -> None:
    assert Turn().catalogue is catalogue_for(DEFAULT_LOCALE)


def test_the_interceptor_picks_the_catalogue_of_each_request(talk: CheckedConversation) -> None:
    talk.factory.locale = "fr-FR"  # not shipped: answered in the default locale's words
    assert talk.launch().speech == catalogue_for(DEFAULT_LOCALE).text("launch")


def test_clips_are_used_only_in_the_language_they_were_built_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from skill.core import audio_manifest

    shipped = audio_manifest.load_manifest()
    assert shipped.locale == "en-US"  # audio/manifest.json records what it was built from
    assert all(catalogue_for(locale).uses_clips for locale in LOCALES if locale[:2] == "en")
    spanish = audio_manifest.AudioManifest(shipped.clips, "es-US")
    monkeypatch.setattr(audio_manifest, "load_manifest", lambda: spanish)
    english = catalogue_for("en-GB")
    assert not english.uses_clips
    hold = render(say(HoldPart(25)), english, hold_renderer(english, HOSTED))
    assert "<audio" not in hold and english.countdown.start in hold  # spoken, in its words
