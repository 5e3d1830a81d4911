"""The skill's spoken content, loaded from the language folders in ``skill/locales``.

Every medical fact lives in a language's ``knowledge.json`` (the English one rewritten for the ear
from the seed document); every interface phrase in its ``prompts.json``. Handlers and dialog code
refer to items by id, never to literal medical text, and reach them through the request's
:class:`skill.core.catalogue.Catalogue` (``turn.catalogue``). :func:`knowledge` and :func:`prompt`
here read the English base as-is: for tests and tools, not for dialog code.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from typing import Any

# os.path rather than pathlib: one import less on the Lambda cold-start path.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Language-neutral data: screens, APLA documents, emergency zones, clip names.
DATA_DIR = os.path.join(_PACKAGE_DIR, "data")
#: One folder per language (``skill/locales/<lang>/``, docs/locales.md): its words, its
#: locales' overrides, its model overrides and its test sets.
LANGUAGES_DIR = os.path.join(_PACKAGE_DIR, "locales")

TOPICS = ("overview", "causes", "prevention", "relief", "doctor")


@dataclass(frozen=True)
class Item:
    """One piece of knowledge: a short spoken form, a longer "tell me more" form, and the
    seed section it comes from."""

    topic: str
    id: str
    title: str
    short: str
    more: str
    section: str
    paragraph: int
    hold: bool = False
    #: A safety line the seed lacks, said at the end of ``short`` (which includes it):
    #: "Don't put heat on skin that's numb." Its source is "safety line" (docs/safety.md).
    caution: str = ""


@dataclass(frozen=True)
class KnowledgeBase:
    """All topics of the seed, in the seed's order."""

    items: dict[str, tuple[Item, ...]]
    symptoms: dict[str, str]
    #: Causes whose seed text says to see a doctor about them (cause id -> doctor item id).
    cause_doctor: dict[str, str]
    sections: dict[str, str]
    disclaimer: str
    emergency: str
    #: Short answers to direct questions, by id (kept apart from the topics).
    answers: dict[str, Item] = field(default_factory=dict)

    def topic(self, name: str) -> tuple[Item, ...]:
        return self.items[name]

    def find(self, topic: str, item_id: str | None) -> Item | None:
        return next((i for i in self.items[topic] if i.id == item_id), None)

    def index(self, topic: str, item_id: str) -> int:
        return [i.id for i in self.items[topic]].index(item_id)

    def doctor_for_symptom(self, symptom_id: str | None) -> Item | None:
        """The see-a-doctor situation a red-flag symptom belongs to."""
        return self.find("doctor", self.symptoms.get(symptom_id or ""))

    def doctor_for_cause(self, cause_id: str) -> Item | None:
        """The see-a-doctor advice that goes with a cause (a medicine, a condition), if any."""
        return self.find("doctor", self.cause_doctor.get(cause_id))


def load_json(name: str) -> Any:
    """Parse ``skill/data/<name>`` (``name`` may include a subdirectory)."""
    with open(os.path.join(DATA_DIR, name), encoding="utf-8") as handle:
        return json.load(handle)


def language_path(language: str, *parts: str) -> str:
    """The path of ``parts`` in ``language``'s folder (``"es", "locales", "es-MX.json"``)."""
    return os.path.join(LANGUAGES_DIR, language, *parts)


def load_language(language: str, *parts: str) -> Any:
    """Parse a JSON file of ``language``'s folder (``"en", "prompts.json"``) as written, its
    reviewers' notes included (see :func:`words`)."""
    with open(language_path(language, *parts), encoding="utf-8") as handle:
        return json.load(handle)


#: What a note-carrying item may hold besides its ``text``: where an English prompt comes
#: from, a Spanish item's back-translation (docs/locales.md). Reviewers read them; the
#: skill never says them.
NOTES = frozenset({"source", "back"})


def words(raw: Any) -> Any:
    """A fresh copy of a language file's JSON with every item written with its notes
    (``{"text": ..., "back": ...}``) replaced by its ``text``: what a catalogue is built
    from. The copy replaces the deep copy the catalogue needs anyway, so the notes cost the
    build no extra pass."""
    if isinstance(raw, dict):
        if "text" in raw and raw.keys() - NOTES == {"text"}:
            return words(raw["text"])
        return {key: words(value) for key, value in raw.items()}
    if isinstance(raw, list):
        return [words(value) for value in raw]
    return raw


def _items(topic: str, raw: list[dict[str, Any]]) -> tuple[Item, ...]:
    return tuple(
        Item(
            topic=topic,
            id=entry["id"],
            title=entry["title"],
            short=" ".join(filter(None, (entry["short"], entry.get("caution", "")))),
            more=entry["more"],
            section=entry["seed"]["section"],
            paragraph=entry["seed"]["paragraph"],
            hold=bool(entry.get("hold", False)),
            caution=entry.get("caution", ""),
        )
        for entry in raw
    )


def knowledge_base(raw: dict[str, Any]) -> KnowledgeBase:
    """A knowledge base from the parsed JSON of a ``knowledge.json`` file."""
    return KnowledgeBase(
        items={topic: _items(topic, raw[topic]) for topic in TOPICS},
        symptoms=dict(raw["symptoms"]),
        cause_doctor=dict(raw["cause_doctor"]),
        sections=dict(raw["sections"]),
        disclaimer=raw["disclaimer"],
        emergency=raw["emergency"],
        answers={
            entry["id"]: _items(entry["seed"]["section"], [entry])[0]
            for entry in raw.get("answers", [])
        },
    )


def answer(item_id: str) -> Item:
    """A short answer to a direct question ("how long should I hold?"), kept apart from the
    topics so it never joins a routine or a list; it cites its seed paragraph like them.
    English base; dialog code reads ``turn.catalogue.knowledge.answers``."""
    return knowledge().answers[item_id]


@cache
def knowledge() -> KnowledgeBase:
    """The English base knowledge (loaded once per process)."""
    return knowledge_base(words(load_language("en", "knowledge.json")))


@cache
def prompts() -> dict[str, str]:
    """The English base interface phrases by key (loaded once per process)."""
    return dict(words(load_language("en", "prompts.json")))


def prompt(key: str) -> str:
    """An English base phrase as written (tests compare what was heard with it)."""
    return prompts()[key]
