"""The meaning stage of the offline NLU: the nearest sample by sentence embedding.

Alexa's NLU is statistical: trained on the samples and slot values, it hears "my grandpa
isn't breathing" near "someone is not breathing" though the words differ. This stage does
the same with a small static embedding model (:mod:`skill.tools.nlu.embedding`): every
sample, its slots filled with real values of their types, becomes a unit vector; an
utterance goes to the intent of its most similar sample when the cosine similarity clears
a threshold, otherwise to the fallback. The threshold was chosen from the samples
themselves (leave one out) and from out-of-domain phrasings
(``skill/locales/en/tests/nlu/out_of_domain.yaml``), never from a test set:
``python -m skill.tools.nlu.thresholds`` shows how.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from skill.tools.nlu.embedding import Embedder

if TYPE_CHECKING:
    from numpy.typing import NDArray


@dataclass(frozen=True)
class Entry:
    """One embedded text: the intent and sample it stands for, and the words embedded."""

    intent: str
    sample: str
    text: str


class SemanticIndex:
    """Entries as unit vectors, centred on the samples' mean first: static sentence vectors
    share a common direction (every sentence has "my", "is", "the"), and taking it out
    spreads the samples apart, so an unrelated request is less similar to all of them."""

    def __init__(self, embedder: Embedder, entries: Iterable[Entry]) -> None:
        self.embedder = embedder
        self.entries = list(entries)
        raw = embedder.embed([e.text for e in self.entries])
        self.centre: NDArray[Any] = raw.mean(axis=0)
        self.matrix = self._unit(raw - self.centre)

    @staticmethod
    def _unit(rows: NDArray[Any]) -> NDArray[Any]:
        import numpy as np

        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        unit: NDArray[Any] = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
        return unit

    def scores(self, text: str) -> NDArray[Any]:
        """Cosine similarity of ``text`` (centred) with every entry; all zeros for a text
        with no known word."""
        import numpy as np

        raw = self.embedder.embed([text])
        if not raw.any():
            return np.zeros(len(self.entries), dtype=np.float32)
        similarities: NDArray[Any] = self.matrix @ self._unit(raw - self.centre)[0]
        return similarities

    def by_intent(
        self, text: str, skip: tuple[str, str] | None = None
    ) -> dict[str, tuple[float, Entry]]:
        """Each intent's most similar entry and its similarity; the entries of ``skip``
        (an intent and one of its samples) are left out, for leave-one-out measures."""
        sims = self.scores(text)
        found: dict[str, tuple[float, Entry]] = {}
        for score, entry in zip(sims.tolist(), self.entries, strict=True):
            if (entry.intent, entry.sample) == skip:
                continue
            held = found.get(entry.intent)
            if held is None or score > held[0]:
                found[entry.intent] = (score, entry)
        return found
