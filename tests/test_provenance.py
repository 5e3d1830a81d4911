"""Content provenance: every spoken item in skill/data says where it comes from, and no
spoken item uses medical vocabulary the seed does not (the vocabulary guard).

Sources: a seed section (``seed:<section>`` in prompts and routines, ``seed`` objects in
knowledge), "general stretch guidance" (stretch technique, counts, warm-up moves: not in the
seed), "safety line" (the emergency line, the red-flag answers, the disclaimer: not in the
seed either), or "interface" (how to talk to the skill; no health content).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from skill.core.catalogue import LOCALES
from skill.core.content import TOPICS, knowledge, language_path, load_language, words
from skill.tools.generators.translation_table import sources as prompt_sources
from tests.test_knowledge import PLAIN_WORDS, SEED_PATH

SOURCES = {"interface", "safety line", "general stretch guidance"} | {f"seed:{t}" for t in TOPICS}
#: Plain words of the interface (how to use the skill, memory, timers, screens): allowed
#: in any item, as they carry no health content.
INTERFACE_WORDS = set(
    [
        # issue 23: help and the way back to a step
        "sessions",
        "counting",
        "question",
        "button",
        # Reminders (issue 27): clock, calendar and reminder words.
        "accept",
        "august",
        "cancel",
        "december",
        "evening",
        "february",
        "friday",
        "january",
        "memory",
        "monday",
        "november",
        "october",
        "passed",
        "remind",
        "reminder",
        "reminders",
        "remove",
        "saturday",
        "september",
        "sunday",
        "thursday",
        "tomorrow",
        "tuesday",
        "wednesday",
        "weekday",
        "weekend",
        "already",
        "another",
        "anything",
        "because",
        "working",
        "cancelled",
        "delete",
        "deleted",
        "device",
        "everything",
        "finish",
        "finished",
        "forget",
        "goodbye",
        "history",
        "instead",
        "keeping",
        "logged",
        "longer",
        "minute",
        "minutes",
        "moment",
        "morning",
        "ninety",
        "nothing",
        "paused",
        "permission",
        "please",
        "position",
        "records",
        "remember",
        "remembered",
        "resume",
        "resumed",
        "screen",
        "session",
        "setting",
        "shorter",
        "someone",
        "something",
        "started",
        "starting",
        "stopped",
        "stopping",
        "switch",
        "switching",
        "timers",
        "welcome",
        "within",
        "yesterday",
        "fifteen",
    ]
)
#: Words of the stretch guidance that the seed does not use (moves and how to do them).
STRETCH_WORDS = set(
    [
        "bounce",
        "breathe",
        "forward",
        "higher",
        "little",
        "marching",
        "seated",
        "sweeps",
        "swings",
        "warmed",
    ]
)
#: Words of the safety lines that the seed does not use: emergencies are not in the seed.
#: The emergency numbers' local names (triple zero; New Zealand) are safety lines too.
SAFETY_WORDS = set(
    [
        # issue 22: the remembered injury, and pull over at the wheel
        "earlier",
        "mentioned",
        "injury",
        "ordinary",
        "driving",
        "breathe",
        "breathing",
        "confusion",
        "fainting",
        "rubbing",
        "swollen",
        "trouble",
        "triple",
        "australia",
        "zealand",
        "department",
    ]
)
ALLOWED = {
    "interface": INTERFACE_WORDS,
    "general stretch guidance": STRETCH_WORDS,
    "safety line": SAFETY_WORDS,
}
#: Where each English prompt comes from, written next to it (``"source"``).
PROVENANCE = {"prompts": prompt_sources("en")}


def texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)


def spoken() -> Iterator[tuple[str, str, str]]:
    """(where, source, text) for every spoken string of prompts, knowledge and routines,
    in the English base and in every English locale's overrides (Spanish has its own guard,
    tests/test_translation.py)."""
    sources = PROVENANCE["prompts"]
    for key, value in words(load_language("en", "prompts.json")).items():
        for text in texts(value):
            yield f"prompts/{key}", sources[key], text
    for locale in (locale for locale in LOCALES if locale.startswith("en-")):
        path = Path(language_path("en", "locales", f"{locale}.json"))
        if path.exists():
            overrides = load_language("en", "locales", f"{locale}.json")
            for key, value in overrides.get("prompts", {}).items():
                for text in texts(value):
                    yield f"{locale}/prompts/{key}", sources[key], text
            for path_, value in overrides.get("knowledge", {}).items():
                source = knowledge_source(path_)
                yield f"{locale}/knowledge/{path_}", source, str(value)
    kb = knowledge()
    for topic in TOPICS:
        for item in kb.topic(topic):
            seed_short = item.short.removesuffix(item.caution).strip()
            for field in (item.title, seed_short, item.more):
                yield f"knowledge/{topic}/{item.id}", f"seed:{item.section}", field
            if item.caution:  # a safety line the seed lacks, labelled as such
                yield (
                    f"knowledge/{topic}/{item.id}/caution",
                    knowledge_source("caution"),
                    item.caution,
                )
    yield "knowledge/disclaimer", knowledge_source("disclaimer"), kb.disclaimer
    yield "knowledge/emergency", knowledge_source("emergency"), kb.emergency
    routines = load_language("en", "routines.json")
    for stretch_id, stretch in routines["stretches"].items():
        for field in ("title", "say", "safety"):
            if stretch.get(field):
                yield f"stretches/{stretch_id}", stretch["source"], stretch[field]
    for routine_id, routine in routines["routines"].items():
        for field in ("title", "intro", "recap"):
            if routine.get(field):
                yield f"routines/{routine_id}", routine["source"], routine[field]


def knowledge_source(path: str) -> str:
    return load_language("en", "knowledge.json")["provenance"][path]


def test_every_prompt_has_a_known_source() -> None:
    prompts = load_language("en", "prompts.json")
    assert list(PROVENANCE["prompts"]) == list(prompts)
    assert all(set(entry) == {"text", "source"} for entry in prompts.values()), "a bare prompt"
    assert set(PROVENANCE["prompts"].values()) <= SOURCES


def test_every_spoken_item_has_a_known_source() -> None:
    found = list(spoken())
    assert len(found) > 250
    assert {source for _, source, _ in found} <= SOURCES
    routines = load_language("en", "routines.json")
    for entry in [*routines["stretches"].values(), *routines["routines"].values()]:
        assert entry["source"] in SOURCES, entry["title"]


def test_safety_lines_are_labelled_as_such() -> None:
    sources = PROVENANCE["prompts"]
    for key in ("emergency_now", "red_flag_no_stretch", "safety_latched", "first_use_disclaimer"):
        assert sources[key] == "safety line", key
    assert knowledge_source("emergency") == "safety line"


def test_no_medical_vocabulary_beyond_the_seed_anywhere() -> None:
    """Words of six letters or more must be the seed's (by their first five letters), plain
    English, or words allowed for the item's source (an emergency is not in the seed, so
    only a safety line may say "breathing")."""
    seed_stems = {w[:5] for w in re.findall(r"[a-z]+", SEED_PATH.read_text().lower())}
    unknown = set()
    for where, source, text in spoken():
        allowed = PLAIN_WORDS | INTERFACE_WORDS | ALLOWED.get(source, set())
        for word in re.findall(r"[a-z]+", re.sub(r"\{[^}]*\}", "", text).lower()):
            if len(word) >= 6 and word[:5] not in seed_stems and word not in allowed:
                unknown.add((where, word))
    assert sorted(unknown) == []
