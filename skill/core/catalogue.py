"""Per-locale catalogues: everything the skill says, in the words of the request's locale.

A language has one folder (``skill/locales/<lang>/``) holding its base (``prompts.json``,
``knowledge.json``, ``routines.json``); a locale is its language's base plus a few overrides
(``skill/locales/<lang>/locales/<locale>.json``: local words, the emergency line). The
catalogue is chosen once per request
(:class:`skill.alexa.scope.ScopeInterceptor` puts it on the
:class:`~skill.core.turn.Turn`); dialog code names messages by key and
:mod:`skill.core.speech` renders them through it. Grammar that differs by language (plural
forms, joining the parts of a duration) comes from :mod:`skill.core.grammar`.

Override files name what they replace by path: ``prompts`` by key; ``knowledge`` and
``routines`` by a slash path through the JSON, list entries by their ``id``
(``doctor/frequent/short``, ``stretches/standing/say``). A path that does not exist is an
error at load time, so a renamed key cannot leave a stale override behind silently.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from skill.core.content import KnowledgeBase, knowledge_base, language_path, load_language, words
from skill.core.grammar import GRAMMARS, Grammar
from skill.core.holds import Countdown
from skill.core.routine import Routine, Step, build_routines

DEFAULT_LOCALE = "en-US"
#: Every locale the skill ships, with its interaction model and manifest entry.
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN", "es-US", "es-MX", "es-ES")
#: The locale a language falls back to when the request's own locale is not shipped.
LANGUAGE_DEFAULTS = {"en": "en-US", "es": "es-US"}


def language_code(locale: str) -> str:
    """The language part of a locale ("en-GB" -> "en"): what chooses a base, a grammar and,
    in the tools, a model's language and evaluation sets."""
    return locale.split("-")[0].lower()


def resolve_locale(locale: str | None) -> str:
    """The shipped locale that serves ``locale``: itself, its language's default, else
    :data:`DEFAULT_LOCALE` (Alexa only sends locales the skill declares, but hosts and
    tests may send anything)."""
    if locale in LOCALES:
        return locale
    return LANGUAGE_DEFAULTS.get(language_code(locale or ""), DEFAULT_LOCALE)


@dataclass(frozen=True)
class Catalogue:
    """One locale's words: interface phrases, knowledge, routine wording, grammar."""

    locale: str
    prompts: Mapping[str, Any]
    knowledge: KnowledgeBase
    routines: Mapping[str, Routine]
    grammar: Grammar

    @property
    def language(self) -> str:
        return self.grammar.language

    @property
    def uses_clips(self) -> bool:
        """Whether the shipped clips speak this catalogue's language (the audio manifest
        records the locale they were built from); without a readable manifest, no."""
        from skill.core.audio_manifest import load_manifest  # only when audio is hosted

        try:
            return load_manifest().language == self.language
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def text(self, key: str, **params: Any) -> str:
        """The phrase ``key`` with ``params`` filled in. A phrase with plural forms picks
        the form of its ``count`` parameter by the language's rule."""
        entry = self.prompts[key]
        if isinstance(entry, Mapping):
            entry = entry[self.grammar.plural(params["count"])]
        return str(entry.format(**params) if params else entry)

    def duration(self, seconds: int) -> str:
        """Whole seconds in words ("1 minute 30 seconds"); digits stay digits, as Alexa
        reads them aloud in the locale's language."""
        hours, rest = divmod(int(seconds), 3600)
        minutes, secs = divmod(rest, 60)
        parts = [
            self.text(f"unit_{unit}", count=amount)
            for amount, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second"))
            if amount
        ]
        return self.grammar.join_units(parts) or self.text("unit_second", count=0)

    def routine(self, routine_id: str) -> Routine:
        return self.routines[routine_id]

    def step(self, routine_id: str, step_id: str) -> Step:
        """The worded step ``step_id`` of routine ``routine_id``."""
        return next(s for s in self.routines[routine_id].steps if s.id == step_id)

    @property
    def countdown(self) -> Countdown:
        return Countdown(
            start=self.text("hold_start"),
            left={20: self.text("hold_left_20"), 10: self.text("hold_left_10")},
            count=tuple(self.text(f"hold_count_{n}") for n in (5, 4, 3, 2, 1)),
            release=self.text("hold_release"),
        )


def _override(raw: Any, path: str, value: Any) -> None:
    """Replace the entry at slash ``path`` in ``raw`` (list entries found by ``id``)."""
    *parents, last = path.split("/")
    node = raw
    for part in parents:
        node = _child(node, part, path)
    if isinstance(node, list):
        raise KeyError(f"override {path!r} must name a field, not a list entry")
    if last not in node:
        raise KeyError(f"override {path!r} replaces nothing")
    node[last] = value


def _child(node: Any, part: str, path: str) -> Any:
    if isinstance(node, list):
        for entry in node:
            if isinstance(entry, dict) and entry.get("id") == part:
                return entry
    elif isinstance(node, dict) and part in node:
        return node[part]
    raise KeyError(f"override {path!r}: no {part!r}")


def _overrides(locale: str) -> dict[str, Any]:
    """``locale``'s overrides (``<lang>/locales/<locale>.json``), or none."""
    parts = ("locales", f"{locale}.json")
    language = language_code(locale)
    if not os.path.exists(language_path(language, *parts)):
        return {}
    return dict(load_language(language, *parts))


@cache
def _base(language: str) -> dict[str, Any]:
    """A language's base as written, notes included (parsed once per process)."""
    return {
        name: load_language(language, f"{name}.json")
        for name in ("prompts", "knowledge", "routines")
    }


def catalogue_for(locale: str | None, number: str | None = None) -> Catalogue:
    """The catalogue serving ``locale`` (built once per process and shipped locale). With
    ``number`` (an emergency number known for certain, e.g. "911"), the locale's variant
    that names it (``<lang>/locales/<locale>+<number>.json``), if the locale has one."""
    chosen = resolve_locale(locale)
    if number is not None and number in number_variants(chosen):
        return _catalogue(chosen, number)
    return _catalogue(chosen)


def number_variants(locale: str) -> tuple[str, ...]:
    """The emergency numbers ``locale`` has a variant for ("911" for en-US and es-US, whose
    base words are the generic "your local emergency number")."""
    return _number_variants(resolve_locale(locale))


@cache
def _number_variants(locale: str) -> tuple[str, ...]:
    folder = language_path(language_code(locale), "locales")
    prefix = f"{locale}+"
    return tuple(
        sorted(
            name.removeprefix(prefix).removesuffix(".json")
            for name in os.listdir(folder)
            if name.startswith(prefix) and name.endswith(".json")
        )
    )


@cache
def _catalogue(chosen: str, number: str | None = None) -> Catalogue:
    language = language_code(chosen)
    raw: dict[str, Any] = words(_base(language))  # a fresh copy, without the notes
    overrides = words(_overrides(chosen))
    if number is not None:  # the variant's lines replace the locale's
        for part, entries in words(_overrides(f"{chosen}+{number}")).items():
            overrides[part] = {**overrides.get(part, {}), **entries} if part != "note" else entries
    unknown = set(overrides) - set(raw) - {"note"}
    if unknown:
        raise KeyError(f"{chosen}: overrides for unknown parts {sorted(unknown)}")
    for part, entries in overrides.items():
        if part == "note":
            continue
        for path, value in entries.items():
            if part == "prompts":
                if path not in raw["prompts"]:
                    raise KeyError(f"{chosen}: override of unknown prompt {path!r}")
                raw["prompts"][path] = value
            else:
                _override(raw[part], path, value)
    kb = knowledge_base(raw["knowledge"])
    return Catalogue(
        locale=chosen,
        prompts=raw["prompts"],
        knowledge=kb,
        routines=build_routines(raw["routines"], kb),
        grammar=GRAMMARS[language],
    )
