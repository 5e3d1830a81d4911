"""What the offline NLU needs to know about a language, one bundle per language.

A locale's interaction model says what the skill understands; how people say things around
the samples (the built-in intents' phrasings, fillers, function words, word endings, spoken
numbers and durations) depends on the language. ``language_of("es-MX")`` gives Spanish.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from skill.tools import nlu_es, nlu_numbers, nlu_numbers_es
from skill.tools.nlu_overlap import ENGLISH, Lexicon


@dataclass(frozen=True)
class Language:
    """One language's words for the offline NLU."""

    code: str
    built_in_phrases: Mapping[str, Sequence[str]]
    lexicon: Lexicon
    parse_number: Callable[[str], str | None]
    parse_duration: Callable[[str], str | None]
    #: Word pairs in which the first word is not a leg side ("right now").
    idioms: frozenset[tuple[str, str]]


def _english() -> Language:
    from skill.tools.nlu import BUILT_IN_PHRASES

    return Language(
        "en",
        BUILT_IN_PHRASES,
        ENGLISH,
        nlu_numbers.parse_number,
        nlu_numbers.parse_duration,
        frozenset({("right", "now"), ("right", "away"), ("right", "here"), ("right", "there")}),
    )


SPANISH = Language(
    "es",
    nlu_es.BUILT_IN_PHRASES,
    nlu_es.SPANISH,
    nlu_numbers_es.parse_number,
    nlu_numbers_es.parse_duration,
    frozenset(),
)
_LANGUAGES: dict[str, Callable[[], Language]] = {"en": _english, "es": lambda: SPANISH}


@cache
def language_of(locale: str) -> Language:
    """The NLU language of ``locale`` ("en-GB" -> English); unknown languages are refused."""
    code = locale.split("-")[0].lower()
    if code not in _LANGUAGES:
        raise ValueError(f"no offline NLU for the language of {locale!r}")
    return _LANGUAGES[code]()
