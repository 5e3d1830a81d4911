"""Local language understanding: map a typed utterance to an intent and slots, offline.

Reads the interaction model itself, so what the simulator understands is what the model
declares: each sample utterance becomes a pattern, ``{Slot}`` references match a value of
the slot's type (custom values and synonyms resolve to their ids). Anything else falls
back to ``AMAZON.FallbackIntent``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

MODEL_PATH = (
    Path(__file__).resolve().parents[1]
    / "interaction_model"
    / "interactionModels"
    / "custom"
    / "en-US.json"
)
FALLBACK = "AMAZON.FallbackIntent"

#: Usual phrasings of the built-in intents (Alexa knows these without samples).
BUILT_IN_PHRASES = {
    "AMAZON.HelpIntent": ["help", "help me", "what can you do", "what can i say"],
    "AMAZON.StopIntent": ["stop", "quit", "exit", "shut up", "be quiet", "enough"],
    "AMAZON.CancelIntent": ["cancel", "never mind", "forget it"],
    "AMAZON.YesIntent": ["yes", "yeah", "yep", "sure", "okay", "ok", "please do", "yes please"],
    "AMAZON.NoIntent": ["no", "nope", "no thanks", "not now", "no thank you"],
    "AMAZON.NextIntent": ["next", "next step", "go on", "continue", "i'm ready", "ready", "done"],
    "AMAZON.PreviousIntent": ["previous", "back", "go back", "previous step", "last step"],
    "AMAZON.RepeatIntent": ["repeat", "say that again", "again", "repeat that", "what"],
    "AMAZON.PauseIntent": ["pause", "wait", "hold on", "give me a minute"],
    "AMAZON.ResumeIntent": ["resume", "carry on", "keep going", "continue where we left off"],
    "AMAZON.StartOverIntent": ["start over", "restart", "from the top", "start again"],
    "AMAZON.NavigateHomeIntent": ["go home", "main menu", "home"],
}


@dataclass(frozen=True)
class Understood:
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)


def normalise(text: str) -> str:
    """Lower-case, drop punctuation Alexa would not transcribe, fold spaces."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' -]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class _Pattern:
    intent: str
    regex: re.Pattern[str]
    slot_types: dict[str, str]
    literal_words: int


class Model:
    """Patterns built from an interaction model JSON."""

    def __init__(self, model: dict[str, Any]) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation = language["invocationName"]
        self.values: dict[str, dict[str, str]] = {}
        for slot_type in language.get("types", []):
            table: dict[str, str] = {}
            for value in slot_type["values"]:
                vid = value.get("id") or value["name"]["value"]
                for said in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                    table[normalise(said)] = vid
            self.values[slot_type["name"]] = table
        self.patterns: list[_Pattern] = []
        for intent in language["intents"]:
            types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            samples = list(intent.get("samples", []))
            samples += BUILT_IN_PHRASES.get(intent["name"], [])
            for sample in samples:
                self.patterns.append(self._compile(intent["name"], sample, types))
        # Most literal words first: the most specific sample wins.
        self.patterns.sort(key=lambda p: -p.literal_words)

    def _compile(self, intent: str, sample: str, types: dict[str, str]) -> _Pattern:
        parts = []
        literal = 0
        for token in normalise(sample.replace("{", " {").replace("}", "} ")).split():
            match = re.fullmatch(r"\{(\w+)\}", token)
            if match:
                parts.append(f"(?P<{match.group(1)}>.+?)")
            else:
                parts.append(re.escape(token))
                literal += 1
        return _Pattern(intent, re.compile("^" + r"\s".join(parts) + "$"), types, literal)

    def _slot(self, slot_type: str, said: str) -> Any | None:
        if slot_type in self.values:
            vid = self.values[slot_type].get(said)
            return {"value": said, "id": vid} if vid else None
        return said

    def understand(self, utterance: str) -> Understood:
        text = normalise(utterance)
        for pattern in self.patterns:
            match = pattern.regex.match(text)
            if not match:
                continue
            slots = {}
            for name, said in match.groupdict().items():
                value = self._slot(pattern.slot_types[name], said)
                if value is None:
                    break
                slots[name] = value
            else:
                return Understood(pattern.intent, slots)
        return Understood(FALLBACK)


@cache
def default_model() -> Model:
    return Model(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def understand(utterance: str) -> Understood:
    """Intent and slots for ``utterance`` according to the shipped interaction model."""
    return default_model().understand(utterance)
