"""What the offline NLU needs to know about a language, one bundle per language.

A locale's interaction model says what the skill understands; how people say things around
the samples (the built-in intents' phrasings, fillers, function words, word endings, spoken
numbers and durations) depends on the language. ``language_of("es-MX")`` gives Spanish.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from skill.core.catalogue import language_code
from skill.tools.nlu import spoken_numbers as nlu_numbers
from skill.tools.nlu import spoken_numbers_es as nlu_numbers_es
from skill.tools.nlu import spoken_time as nlu_time
from skill.tools.nlu.language_words import built_in_phrases, lexicon, question_words
from skill.tools.nlu.overlap import ENGLISH, Lexicon

#: Usual phrasings of the built-in intents in English (Alexa knows these without samples;
#: Spanish ones are in skill/locales/es/nlu/words.json). A phrase that is also a
#: sample of a custom intent is left to that intent, as on Alexa.
BUILT_IN_PHRASES = {
    "AMAZON.HelpIntent": [
        "help",
        "help me",
        "what can you do",
        "what can i say",
        "i need help",
        "how do i use this",
    ],
    "AMAZON.StopIntent": [
        "stop",
        "stop now",
        "quit",
        "shut up",
        "be quiet",
        "enough",
        "stop it",
        "goodbye",
    ],
    "AMAZON.CancelIntent": ["cancel", "never mind", "forget it"],
    "AMAZON.YesIntent": [
        "yes",
        "yeah",
        "yep",
        "sure",
        "okay",
        "ok",
        "please do",
        "yes please",
        "of course",
        "sounds good",
        "go ahead",
    ],
    "AMAZON.NoIntent": ["no", "nope", "no thanks", "not now", "no thank you", "i'm good"],
    "AMAZON.NextIntent": [
        "next",
        "next step",
        "continue",
        "i'm ready",
        "ready",
        "done",
        "next one",
        "what's next",
    ],
    "AMAZON.PreviousIntent": ["previous", "back", "go back", "previous step", "last step"],
    "AMAZON.RepeatIntent": [
        "repeat",
        "say that again",
        "again",
        "repeat that",
        "what",
        "say it again",
        "come again",
        "pardon",
    ],
    "AMAZON.PauseIntent": ["pause", "wait", "hold on", "give me a minute", "hang on"],
    "AMAZON.ResumeIntent": ["resume", "carry on", "continue where we left off"],
    "AMAZON.StartOverIntent": [
        "start over",
        "restart",
        "from the top",
        "start again",
        "begin again",
        "start from the beginning",
    ],
    "AMAZON.NavigateHomeIntent": ["go home", "main menu", "home"],
}


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
    #: First words that make a line a question (normalised: no accents). A question is
    #: never heard as Stop or Cancel by word overlap ("is water enough" is not "enough").
    question_words: frozenset[str] = frozenset()
    #: AMAZON.TIME and AMAZON.DATE (skill.tools.nlu.spoken_time).
    parse_time: Callable[[str], str | None] = nlu_time.parse_time_en
    parse_date: Callable[[str], str | None] = nlu_time.parse_date_en


ENGLISH_LANGUAGE = Language(
    "en",
    BUILT_IN_PHRASES,
    ENGLISH,
    nlu_numbers.parse_number,
    nlu_numbers.parse_duration,
    # "right" in these phrases is not a leg.
    frozenset({("right", "now"), ("right", "away"), ("right", "here"), ("right", "there")}),
    frozenset(
        [
            "what",
            "why",
            "how",
            "when",
            "where",
            "which",
            "who",
            "whats",
            "is",
            "are",
            "am",
            "can",
            "could",
            "should",
            "shall",
            "do",
            "does",
            "did",
            "will",
            "would",
            "may",
            "might",
        ]
    ),
)
SPANISH = Language(
    "es",
    built_in_phrases("es"),
    lexicon("es"),
    nlu_numbers_es.parse_number,
    nlu_numbers_es.parse_duration,
    frozenset(),
    question_words("es"),
    parse_time=nlu_time.parse_time_es,
    parse_date=nlu_time.parse_date_es,
)
_LANGUAGES = {"en": ENGLISH_LANGUAGE, "es": SPANISH}


def language_of(locale: str) -> Language:
    """The NLU language of ``locale`` ("en-GB" -> English); unknown languages are refused."""
    code = language_code(locale)
    if code not in _LANGUAGES:
        raise ValueError(f"no offline NLU for the language of {locale!r}")
    return _LANGUAGES[code]
