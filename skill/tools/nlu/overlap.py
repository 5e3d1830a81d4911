"""The tolerant second stage of local understanding: weighted word overlap with samples.

People in pain do not say the sample utterances word for word ("ow, my hammy's seizing
up"). When no sample matches exactly, each utterance and each sample become a set of
word stems; the score of a sample is their weighted Dice overlap (rare words weigh more,
so "hamstring" counts for more than "my"). The best sample wins if it clears a threshold;
everything is deterministic and each decision can be explained by the sample it matched.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

#: Contractions written out, so "i've got" and "i have got" share words.
CONTRACTIONS = {
    "i'm": "i am",
    "i've": "i have",
    "i'd": "i would",
    "i'll": "i will",
    "it's": "it is",
    "what's": "what is",
    "that's": "that is",
    "there's": "there is",
    "let's": "let us",
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "don't": "do not",
    "doesn't": "does not",
    "isn't": "is not",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
}
#: Words people say for the same thing; mapped before stemming. Kept short and obvious.
SAME_AS = {
    "hammy": "hamstring",
    "hammie": "hamstring",
    "hammies": "hamstring",
    "hammys": "hamstring",
    "doc": "doctor",
    "physician": "doctor",
    "gp": "doctor",
    "info": "information",
    "nah": "no",
    "yup": "yes",
    "spasming": "spasm",
    "redo": "repeat",
}
#: Words that carry no meaning here; the exact stage retries without them too.
FILLERS = frozenset(
    {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "ahh", "aah", "oh", "ooh", "ow"}
    | {"oww", "owww", "ouch", "argh", "ugh", "hmm", "alexa", "please", "hey"}
)
#: Exclamations of more than one word, dropped like fillers ("oh no" is not an answer).
FILLER_PHRASES = ("oh my god", "oh no", "oh god", "oh dear", "oh man")
#: Words that open a sentence without meaning anything ("okay, stop now"); dropped from the
#: start of an utterance that has more words after them.
LEADING_MARKERS = frozenset({"okay", "ok", "alright", "so", "well", "sorry", "and"})
#: Function words: they glue a sentence together but say little about what is asked, so
#: they weigh :data:`OverlapIndex.STOP_WEIGHT` whatever their frequency.
STOP_WORDS = frozenset(
    {"i", "a", "an", "the", "my", "me", "is", "am", "are", "be", "do", "doe", "to", "of", "in"}
    | {"on", "it", "this", "that", "you", "can", "for", "with", "and", "or", "at", "some"}
    | {"just", "so", "like", "get", "got", "have", "ha", "there", "we", "us", "let", "will"}
)
_WORD = re.compile(r"[a-z0-9']+|\{[^}]+\}")


def stem(word: str) -> str:
    """A crude, predictable stem: "cramping", "cramped", "cramps" all give "cramp"; applied
    until nothing changes, so "hamstrings" and "hamstring" agree."""
    while not word.startswith("{"):
        shorter = _strip_suffix(word)
        if shorter == word:
            return word
        word = shorter
    return word


def _strip_suffix(word: str) -> str:
    if len(word) <= 3:
        return word
    if word.endswith(("ied", "ies")):
        return word[:-3] + "y"  # "worried" -> "worry"
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            return word[:-1] if word[-1] == word[-2] else word  # "stopping" -> "stop"
    if word.endswith("es") and word[:-2].endswith(("ch", "sh", "x", "ss")):
        return word[:-2]  # "stretches"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def fold(text: str) -> str:
    """``text`` lower-cased without accents ("acalambró" -> "acalambro", "ñ" -> "n"): Alexa
    transcribes Spanish with accents, people type it without, and both must match."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Lexicon:
    """The words of one language that the tolerant stages need: contractions, synonyms,
    fillers, leading markers, function words, and how to stem a word."""

    contractions: Mapping[str, str]
    same_as: Mapping[str, str]
    fillers: frozenset[str]
    filler_phrases: tuple[str, ...]
    leading_markers: frozenset[str]
    stop_words: frozenset[str]
    stem: Callable[[str], str]


ENGLISH = Lexicon(CONTRACTIONS, SAME_AS, FILLERS, FILLER_PHRASES, LEADING_MARKERS, STOP_WORDS, stem)


def drop_fillers(text: str, lexicon: Lexicon = ENGLISH) -> str:
    """``text`` (normalised words) without fillers, exclamations and leading markers."""
    padded = f" {text} "
    for phrase in lexicon.filler_phrases:
        padded = padded.replace(f" {phrase} ", " ")
    kept = [w for w in padded.split() if w not in lexicon.fillers]
    while len(kept) > 1 and kept[0] in lexicon.leading_markers:
        kept.pop(0)
    return " ".join(kept)


def words(text: str, lexicon: Lexicon = ENGLISH) -> list[str]:
    """Normalised words of ``text``: fillers dropped, contractions expanded, synonyms mapped."""
    out: list[str] = []
    for word in _WORD.findall(drop_fillers(fold(text), lexicon)):
        if word.endswith("'s") and word not in lexicon.contractions:
            word = word[:-2]  # "hamstring's cramping": possessive or "is", either way
        for part in lexicon.contractions.get(word, word).split():
            out.append(lexicon.same_as.get(part, part))
    return out


def stems(text: str, lexicon: Lexicon = ENGLISH) -> frozenset[str]:
    return frozenset(lexicon.stem(w) for w in words(text, lexicon))


@dataclass(frozen=True)
class Candidate:
    """One sample the overlap stage can pick: its intent, text and stems."""

    intent: str
    sample: str
    stems: frozenset[str]


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float


class OverlapIndex:
    """Samples as stem sets, weighted by how few intents use each stem.

    A sample's score is the harmonic mean of two coverages: how much of the sample the
    utterance says (recall), and how much of the utterance the sample's intent has words
    for in any of its samples (precision). Words no sample uses weigh
    :data:`UNKNOWN_WEIGHT`: they cannot point at an intent, but they are evidence that the
    person asked for something else ("tell me a joke" is not "tell me more").
    """

    UNKNOWN_WEIGHT = 2.0
    STOP_WEIGHT = 0.5

    def __init__(
        self, candidates: Iterable[Candidate], stop_words: frozenset[str] = STOP_WORDS
    ) -> None:
        self.candidates = list(candidates)
        self.stop_words = stop_words
        self.vocabulary: dict[str, set[str]] = {}
        for candidate in self.candidates:
            self.vocabulary.setdefault(candidate.intent, set()).update(candidate.stems)
        counts = Counter(s for stems_ in self.vocabulary.values() for s in stems_)
        intents = len(self.vocabulary) or 1
        # A slot placeholder (``{RedFlagType}``) weighs as if one intent used it: a value
        # of a custom type is strong evidence whatever other intents share the type, and
        # letting a second intent take the type must not weaken the first one's matches.
        self.weights = {
            s: math.log(1 + intents / (1 if s.startswith("{") else n)) for s, n in counts.items()
        }
        #: Each sample's own weight (its recall's denominator), summed once, not per utterance.
        self._own = [self._total(candidate.stems) for candidate in self.candidates]

    def weight(self, token: str) -> float:
        if token in self.stop_words:
            return self.STOP_WEIGHT
        return self.weights.get(token, self.UNKNOWN_WEIGHT)

    def _total(self, tokens: Iterable[str]) -> float:
        return sum(self.weight(t) for t in tokens)

    def scores(
        self, said_by_intent: dict[str, frozenset[str]], skip: Candidate | None = None
    ) -> Iterator[tuple[Candidate, frozenset[str], float]]:
        """Each sample (but ``skip``) with the utterance's stems as its intent hears them and
        its score, 0 to 1: the harmonic mean of sample recall and intent-vocabulary precision.
        The precision is the same for every sample of an intent: it is summed once per
        intent, not once per sample."""
        precisions: dict[str, float] = {}
        for candidate, own in zip(self.candidates, self._own, strict=True):
            said = said_by_intent.get(candidate.intent)
            if not said or candidate == skip:
                continue
            precision = precisions.get(candidate.intent)
            if precision is None:
                known = said & self.vocabulary[candidate.intent]
                precision = self._total(known) / (self._total(said) or 1)
                precisions[candidate.intent] = precision
            recall = self._total(said & candidate.stems) / (own or 1)
            score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            yield candidate, said, score

    def best(
        self, said_by_intent: dict[str, frozenset[str]], skip: Candidate | None = None
    ) -> Scored | None:
        """The best-scoring sample; on a tie, the one sharing more words with the utterance
        (more evidence: "what is a charley horse" over "charley horse" for "what is a
        charley horse anyway"), then the first. ``said_by_intent`` gives the utterance's
        stems as each intent hears them (its slot values as placeholders); ``skip`` is
        left out."""
        best: Scored | None = None
        best_key = (0.0, 0)
        for candidate, said, score in self.scores(said_by_intent, skip):
            key = (round(score, 9), len(said & candidate.stems))
            if best is None or key > best_key:
                best, best_key = Scored(candidate, score), key
        return best

    def by_intent(
        self, said_by_intent: dict[str, frozenset[str]], skip: Candidate | None = None
    ) -> dict[str, Scored]:
        """Each intent's best-scoring sample, chosen as :meth:`best` chooses (``skip``
        leaves one sample out, for leave-one-out measures)."""
        found: dict[str, tuple[tuple[float, int], Scored]] = {}
        for candidate, said, score in self.scores(said_by_intent, skip):
            key = (round(score, 9), len(said & candidate.stems))
            held = found.get(candidate.intent)
            if held is None or key > held[0]:
                found[candidate.intent] = (key, Scored(candidate, score))
        return {intent: scored for intent, (_, scored) in found.items()}
