"""A language's words for the offline NLU, read from its folder: ``skill/locales/<lang>/nlu/``
(docs/locales.md).

``words.json`` holds how people talk around the samples (the built-in intents' phrasings,
contractions, synonyms, fillers, leading markers, function words, question words, the endings
the stemmer strips) and ``numbers.json`` the number and duration words; a translator edits those
and no code. Everything is compared accent-folded, so the files may write accents or not. What
stays code is how a language's number words combine (:mod:`skill.tools.nlu.spoken_numbers_es`),
which is grammar, not vocabulary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from skill.core.content import language_path
from skill.tools.nlu.overlap import Lexicon, fold


@cache
def nlu_words(language: str, name: str) -> dict[str, Any]:
    """``skill/locales/<language>/nlu/<name>.json`` (parsed once per process)."""
    with open(language_path(language, "nlu", f"{name}.json"), encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def folded_keys(table: Mapping[str, Any]) -> dict[str, Any]:
    """``table`` with its keys accent-folded (values as written)."""
    return {fold(key): value for key, value in table.items()}


def suffix_stemmer(suffixes: list[str], same_stem: Mapping[str, str]) -> Callable[[str], str]:
    """A crude, predictable stemmer: strip the longest of ``suffixes`` that leaves at least
    three letters (one ending only), then map stems that mean the same (``same_stem``).
    Words under four letters and slot placeholders (``{leg}``) are left alone."""
    endings = tuple(sorted({fold(s) for s in suffixes}, key=lambda s: (-len(s), s)))
    same = folded_keys(same_stem)

    def stem(word: str) -> str:
        if word.startswith("{") or len(word) < 4:
            return word
        for suffix in endings:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        return str(same.get(word, word))

    return stem


def built_in_phrases(language: str) -> dict[str, list[str]]:
    """The usual phrasings of the built-in intents (Alexa knows these without samples)."""
    return {
        intent: list(said)
        for intent, said in nlu_words(language, "words")["built_in_phrases"].items()
    }


def lexicon(language: str) -> Lexicon:
    """The words the tolerant stages need, from ``words.json``."""
    words = nlu_words(language, "words")
    stem = suffix_stemmer(words["suffixes"], words["same_stem"])
    return Lexicon(
        contractions=folded_keys(words["contractions"]),
        same_as={fold(k): fold(v) for k, v in words["same_as"].items()},
        fillers=frozenset(fold(w) for w in words["fillers"]),
        filler_phrases=tuple(fold(p) for p in words["filler_phrases"]),
        leading_markers=frozenset(fold(w) for w in words["leading_markers"]),
        stop_words=frozenset(stem(fold(w)) for w in words["function_words"]),
        stem=stem,
    )


def question_words(language: str) -> frozenset[str]:
    """First words that make a line a question (accent-folded): a question is never heard
    as Stop or Cancel by word overlap."""
    return frozenset(fold(w) for w in nlu_words(language, "words")["question_words"])


def number_words(language: str) -> dict[str, dict[str, Any]]:
    """The tables of ``numbers.json`` (``units``, ``tens``, ...), keys accent-folded."""
    return {
        name: folded_keys(table)
        for name, table in nlu_words(language, "numbers").items()
        if isinstance(table, dict)
    }
