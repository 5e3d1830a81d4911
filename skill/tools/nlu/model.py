"""Local language understanding: map a typed utterance to an intent and slots, offline.

Reads the interaction model itself, so what the simulator understands is what the model
declares. Three stages, each explainable by the sample it matched:

1. exact: each sample utterance (and each built-in intent's usual phrasing) is a pattern;
   ``{Slot}`` matches a value of the slot's type (custom values and synonyms resolve to
   their ids, AMAZON.NUMBER and AMAZON.DURATION are read from spoken words);
2. the same, with filler words ("um", "please", "alexa") dropped on both sides;
3. meaning (:mod:`skill.tools.nlu.semantic`): each intent's best word-overlap score with
   its samples (:mod:`skill.tools.nlu.overlap`) and its best sentence-embedding similarity
   are blended (:data:`OVERLAP_SHARE`); the best intent wins at :data:`MEANING_THRESHOLD`.
   Without numpy (the ``nlu`` extra) or for a language the embedding model does not know,
   word overlap alone decides, above :data:`THRESHOLD`.

Anything else is ``AMAZON.FallbackIntent``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from skill.core.resources import resource_path
from skill.tools.nlu import embedding as nlu_embedding

# BUILT_IN_PHRASES (English) is re-exported: the NLU tests read it from here.
from skill.tools.nlu.language import BUILT_IN_PHRASES as BUILT_IN_PHRASES
from skill.tools.nlu.language import Language, language_of
from skill.tools.nlu.overlap import Candidate, OverlapIndex, Scored, drop_fillers, fold, stems
from skill.tools.nlu.samples import fill_slots
from skill.tools.nlu.semantic import Entry, SemanticIndex, cache_dir

#: Each locale's interaction model: ``<locale>.json`` here (a wheel's bundled copy if any).
MODELS_DIR = Path(resource_path("interaction_model", "interactionModels", "custom"))
MODEL_PATH = MODELS_DIR / "en-US.json"
FALLBACK = "AMAZON.FallbackIntent"
_LEADING_WORD = re.compile(r"\S*")
#: Lowest overlap score accepted by stage 3 (tuned on
#: skill/locales/en/tests/nlu/paraphrases.yaml, see docs/nlu.md); below it the
#: utterance is out of the skill's domain.
THRESHOLD = 0.55
#: The meaning stage's blend: this share of the word-overlap score, the rest the embedding
#: similarity; and the lowest blend accepted. Both chosen by ``python -m
#: skill.tools.nlu.thresholds`` from the samples (leave one out) and the out-of-domain
#: phrasings of skill/locales/en/tests/nlu/out_of_domain.yaml, never from a test set (docs/nlu.md).
OVERLAP_SHARE = 0.65
MEANING_THRESHOLD = 0.64
#: Intents whose answer sends the person to help (the emergency line, the no-stretch line
#: and a doctor, the seed's see-a-doctor advice): for them word overlap alone still
#: suffices, as before the meaning stage. A wrong "see a doctor" costs a sentence; a missed
#: alarm costs more (docs/nlu.md).
CAUTIOUS_INTENTS = frozenset(
    {"EmergencyIntent", "RedFlagIntent", "SymptomCheckIntent", "DoctorAdviceIntent"}
)
#: Languages the embedding model was trained on (all-MiniLM-L6-v2 is English).
MEANING_LANGUAGES = frozenset({"en"})
#: How many fillings of each sample with slots are embedded (values cycle, as in the
#: evaluation's "samples" figure).
FILLINGS = 3
#: Intents a question never means (issue 23: "is water enough" is not "enough").
_NEVER_FOR_QUESTIONS = ("AMAZON.StopIntent", "AMAZON.CancelIntent")


@dataclass(frozen=True)
class Understood:
    """An intent with its slots, and why: the stage (``exact``, ``fillers``, ``overlap``
    or ``fallback``), the sample that matched and the overlap score."""

    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    stage: str = "exact"
    sample: str = ""
    score: float = 1.0


def normalise(text: str) -> str:
    """Lower-case, drop accents and punctuation Alexa would not transcribe, fold spaces
    (so "¿Qué hago?" and "que hago" are the same words)."""
    text = fold(text).replace("’", "'")
    text = re.sub(r"[^a-z0-9' -]+", " ", text)
    text = re.sub(r"(?<![a-z])-|-(?![a-z])", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class _Pattern:
    intent: str
    sample: str
    #: The regular expression's source; compiled on first use (:attr:`regex`).
    source: str
    slot_types: dict[str, str]
    literal_words: int
    #: The word the pattern must start with; None when it starts with a slot.
    first: str | None = None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """Compiled when an utterance first reaches this pattern: a model has some 2,700
        patterns, and compiling them all took most of a one-line ``cramp-coach say``
        (an utterance is only tried against the patterns that start with its first word)."""
        return re.compile(self.source)


class Model:
    """Patterns, an overlap index and (built on first need) a meaning index, from an
    interaction model JSON. ``meaning=False`` keeps the word stages only."""

    def __init__(
        self, model: dict[str, Any], language: Language | None = None, meaning: bool = True
    ) -> None:
        self.language = language or language_of("en")
        self._meaning_wanted = meaning and self.language.code in MEANING_LANGUAGES
        self._meaning: SemanticIndex | None = None
        self.lexicon = self.language.lexicon
        self.built_in_types: dict[str, Callable[[str], str | None]] = {
            "AMAZON.NUMBER": self.language.parse_number,
            "AMAZON.DURATION": self.language.parse_duration,
            "AMAZON.TIME": self.language.parse_time,
            "AMAZON.DATE": self.language.parse_date,
        }
        self._build(model["interactionModel"]["languageModel"])

    def _build(self, language: dict[str, Any]) -> None:
        self.invocation: str = language["invocationName"]
        self.intents: list[str] = [i["name"] for i in language["intents"]]
        self.slot_types: dict[str, dict[str, str]] = {
            i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
            for i in language["intents"]
        }
        self.values: dict[str, dict[str, str]] = {}
        #: A value's words as the model spells them, where that differs from the folded
        #: words ("más"): Alexa sends the spelling, accents included.
        self._spelled: dict[str, str] = {}
        for slot_type in language.get("types", []):
            table: dict[str, str] = {}
            for value in slot_type["values"]:
                vid = value.get("id") or value["name"]["value"]
                for said in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                    table[normalise(said)] = vid
                    if not said.isascii():
                        self._spelled[normalise(said).replace("-", " ")] = said
            self.values[slot_type["name"]] = table
        # Values looked up with hyphens as spaces: "warm up", "warm-up", "left-side" all match.
        self._lookup = {
            name: {said.replace("-", " "): vid for said, vid in table.items()}
            for name, table in self.values.items()
        }
        self.samples: dict[str, list[str]] = {
            i["name"]: list(i.get("samples", [])) for i in language["intents"]
        }
        taken = {normalise(s) for samples in self.samples.values() for s in samples}
        phrases = {
            name: [
                p for p in self.language.built_in_phrases.get(name, []) if normalise(p) not in taken
            ]
            for name in self.intents
        }
        exact: list[_Pattern] = []
        for name in self.intents:
            for sample in self.samples[name] + phrases[name]:
                exact.append(self._compile(name, sample, normalise))
        # Most literal words first: the most specific sample wins.
        self._phrases = [(p.intent, p.sample) for p in exact]
        self.exact = sorted(exact, key=lambda p: -p.literal_words)
        self._by_first: dict[tuple[int, str], list[_Pattern]] = {}
        self.loose = sorted(
            (self._compile(p.intent, p.sample, self._loose) for p in exact),
            key=lambda p: -p.literal_words,
        )
        self.overlap = OverlapIndex(
            (
                Candidate(p.intent, p.sample, stems(self._placeholders(p), self.lexicon))
                for p in exact
            ),
            self.lexicon.stop_words,
        )

    def _loose(self, text: str) -> str:
        return drop_fillers(normalise(text), self.lexicon)

    def _compile(self, intent: str, sample: str, clean: Callable[[str], str]) -> _Pattern:
        parts = []
        literal = 0
        first: str | None = None
        for piece in re.split(r"(\{\w+\})", sample):
            if piece.startswith("{"):
                parts.append(f"(?P<{piece[1:-1]}>.+?)")
                continue
            for token in clean(piece).split():
                if not parts:
                    first = token
                parts.append(re.escape(token))
                literal += 1
        source = "^" + r"\s".join(parts) + "$"
        return _Pattern(intent, sample, source, self.slot_types[intent], literal, first)

    def _candidates(self, patterns: list[_Pattern], text: str) -> list[_Pattern]:
        """The patterns of ``patterns`` that can match ``text``, in their order: those that
        start with its first word or with a slot (worked out once per word; matching every
        pattern against every utterance made the offline NLU slow)."""
        leading = _LEADING_WORD.match(text)  # always matches, maybe empty
        word = leading.group() if leading else ""
        key = (id(patterns), word)
        found = self._by_first.get(key)
        if found is None:
            found = [p for p in patterns if p.first is None or p.first == word]
            self._by_first[key] = found
        return found

    @staticmethod
    def _placeholders(pattern: _Pattern) -> str:
        """A sample with each ``{Slot}`` replaced by ``{SlotType}`` for overlap scoring."""
        return re.sub(
            r"\{(\w+)\}", lambda m: "{" + pattern.slot_types[m.group(1)] + "}", pattern.sample
        )

    # --- slot values ----------------------------------------------------------------
    def resolve(self, slot_type: str, said: str) -> Any | None:
        """The slot value Alexa would send for ``said``, or None if it is not one."""
        if slot_type in self.built_in_types:
            return self.built_in_types[slot_type](said)
        if slot_type in self.values:
            key = said.replace("-", " ")
            vid = self._lookup[slot_type].get(key)
            return {"value": self._spelled.get(key, said), "id": vid} if vid else None
        return said  # other built-in types: pass the words through, as Alexa would

    def _spans(self, words: list[str], slot_type: str) -> list[tuple[int, int, Any]]:
        """Every (start, end, value) of ``slot_type`` in ``words``."""
        if slot_type not in self.built_in_types and slot_type not in self.values:
            return []
        found = []
        for start in range(len(words)):
            following = words[start + 1] if start + 1 < len(words) else ""
            for end in range(start + 1, min(len(words), start + 8) + 1):
                if end == start + 1 and (words[start], following) in self.language.idioms:
                    continue
                value = self.resolve(slot_type, " ".join(words[start:end]))
                if value is not None:
                    found.append((start, end, value))
        return found

    def _as_intent_hears(
        self, intent: str, text: str, custom_only: bool = False
    ) -> tuple[str, dict[str, Any]]:
        """``text`` with values of ``intent``'s slot types replaced by ``{Type}`` (longest
        first, no overlaps), and the slots they fill."""
        words = text.split()
        spans = []
        for name, slot_type in self.slot_types[intent].items():
            if custom_only and slot_type not in self.values:
                continue
            spans += [(s, e, v, name, slot_type) for s, e, v in self._spans(words, slot_type)]
        spans.sort(key=lambda span: (span[0] - span[1], span[0]))
        used: set[int] = set()
        chosen = []
        slots: dict[str, Any] = {}
        for start, end, value, name, slot_type in spans:
            if name in slots or used & set(range(start, end)):
                continue
            used.update(range(start, end))
            slots[name] = value
            chosen.append((start, end, slot_type))
        for start, end, slot_type in sorted(chosen, reverse=True):
            words[start:end] = ["{" + slot_type + "}"]
        return " ".join(words), slots

    # --- the stages -----------------------------------------------------------------
    def _match(
        self, patterns: list[_Pattern], text: str, leave_out: tuple[str, str] | None = None
    ) -> tuple[_Pattern, dict[str, Any]] | None:
        """The first pattern matching ``text`` whose slot words are values of their types;
        other slots of the intent are filled from the rest of the words (custom types only,
        so "start a stretch session" still says which session). The pattern of
        ``leave_out`` (an intent and its sample) is skipped."""
        for pattern in self._candidates(patterns, text):
            if leave_out and (pattern.intent, pattern.sample) == leave_out:
                continue
            match = pattern.regex.match(text)
            if not match:
                continue
            slots = {}
            for name, said in match.groupdict().items():
                value = self.resolve(pattern.slot_types[name], said)
                if value is None:
                    break
                slots[name] = value
            else:
                rest = text
                for name in sorted(slots, key=lambda n: -match.start(n)):
                    rest = rest[: match.start(name)] + "{}" + rest[match.end(name) :]
                _, more = self._as_intent_hears(pattern.intent, rest, custom_only=True)
                return pattern, {**more, **slots}
        return None

    @property
    def meaning(self) -> SemanticIndex | None:
        """The meaning index (every sample embedded, slots filled with real values), built
        on first use; None without numpy, without the model file or for another language."""
        if self._meaning is None and self._meaning_wanted:
            embedder = nlu_embedding.load()
            if embedder is None:
                self._meaning_wanted = False
                return None
            self._meaning = SemanticIndex(embedder, self._entries(), cache_dir())
        return self._meaning

    def _entries(self) -> list[Entry]:
        entries: list[Entry] = []
        for intent, sample in self._phrases:
            texts: dict[str, None] = {}
            for pick in range(FILLINGS if "{" in sample else 1):
                filled = fill_slots(
                    sample, self.slot_types[intent], self.values, self.language.code, pick
                )
                if filled is not None:
                    texts[filled[0]] = None
            entries += [Entry(intent, sample, text) for text in texts]
        return entries

    def understand(self, utterance: str, leave_out: tuple[str, str] | None = None) -> Understood:
        """Intent and slots for ``utterance``; ``leave_out`` (an intent and one of its
        samples) is ignored by every stage, for leave-one-out measures."""
        found = self.evidence(utterance, leave_out)
        if isinstance(found, Understood):
            return found
        if found.similar:
            return found.decide(OVERLAP_SHARE, MEANING_THRESHOLD)
        best = found.words
        if best is not None and best.score >= THRESHOLD:
            intent = best.candidate.intent
            slots = found.heard[intent][1]
            return Understood(intent, slots, "overlap", best.candidate.sample, best.score)
        score = best.score if best else 0.0
        sample = best.candidate.sample if best else ""
        return Understood(FALLBACK, {}, "fallback", sample, score)

    def evidence(
        self, utterance: str, leave_out: tuple[str, str] | None = None
    ) -> Understood | Evidence:
        """What the exact stages understood, else what stage 3 weighs (the scores of each
        intent); ``leave_out`` as for :meth:`understand`."""
        text = normalise(utterance)
        for stage, patterns, said in (
            ("exact", self.exact, text),
            ("fillers", self.loose, self._loose(text)),
        ):
            found = self._match(patterns, said, leave_out)
            if found:
                pattern, slots = found
                return Understood(pattern.intent, slots, stage, pattern.sample)
        asked = text.split(" ", 1)[0] in self.language.question_words
        heard = {
            name: self._as_intent_hears(name, text)
            for name in self.intents
            if not (asked and name in _NEVER_FOR_QUESTIONS)
        }
        said_by_intent = {name: stems(h[0], self.lexicon) for name, h in heard.items()}
        skip = None
        if leave_out:
            skip = next(
                (c for c in self.overlap.candidates if (c.intent, c.sample) == leave_out), None
            )
        meaning = self.meaning
        return Evidence(
            heard,
            self.overlap.best(said_by_intent, skip),
            self.overlap.by_intent(said_by_intent, skip) if meaning else {},
            {
                intent: found
                for intent, found in meaning.by_intent(self._loose(text), leave_out).items()
                if intent in heard
            }
            if meaning
            else {},
        )


@dataclass(frozen=True)
class Evidence:
    """What stage 3 weighs for an utterance: the slots each intent hears in it, the best
    sample by word overlap, and (with the meaning index) each intent's best overlap and
    its most similar sample."""

    heard: dict[str, tuple[str, dict[str, Any]]]
    words: Scored | None
    overlap: dict[str, Scored]
    similar: dict[str, tuple[float, Entry]]

    def decide(self, share: float, threshold: float) -> Understood:
        """Each intent's blend of its best overlap score (``share`` of it) and its best
        similarity; the best blend wins if it reaches ``threshold``. Below it, an alarm or
        doctor intent that word overlap alone accepts still wins."""
        best: tuple[float, str, str] | None = None
        for intent, (similarity, entry) in self.similar.items():
            scored = self.overlap.get(intent)
            blend = share * (scored.score if scored else 0.0) + (1 - share) * similarity
            if best is None or blend > best[0]:
                best = (blend, intent, entry.sample)
        if best is None:
            return Understood(FALLBACK, {}, "fallback", "", 0.0)
        blend, intent, sample = best
        if blend >= threshold:
            return Understood(intent, self.heard[intent][1], "meaning", sample, blend)
        words = self.words
        if words and words.candidate.intent in CAUTIOUS_INTENTS and words.score >= THRESHOLD:
            cautious = words.candidate.intent
            slots = self.heard[cautious][1]
            return Understood(cautious, slots, "overlap", words.candidate.sample, words.score)
        return Understood(FALLBACK, {}, "fallback", sample, blend)


def default_model(locale: str = "en-US") -> Model:
    """The model of ``locale`` as shipped (``interactionModels/custom/<locale>.json``),
    understood with its language's words (:mod:`skill.tools.nlu.language`): one object per
    locale, however it is asked for (``functools.cache`` alone would build a second en-US
    model for ``default_model("en-US")`` beside ``default_model()``)."""
    return _model_of(locale)


@cache
def _model_of(locale: str) -> Model:
    text = (MODELS_DIR / f"{locale}.json").read_text(encoding="utf-8")
    return Model(json.loads(text), language_of(locale))


def understand(utterance: str) -> Understood:
    """Intent and slots for ``utterance`` according to the shipped interaction model."""
    return default_model().understand(utterance)
