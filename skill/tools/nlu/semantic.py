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

import contextlib
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skill.tools.nlu.embedding import Embedder

if TYPE_CHECKING:
    from numpy.typing import NDArray


#: Where the embedded samples are kept between runs: a directory, or "none" for no cache.
#: Unset, ``$XDG_CACHE_HOME/cramp-coach`` (``~/.cache/cramp-coach``): never in the repository.
CACHE_ENV = "CRAMP_COACH_NLU_CACHE"


def cache_dir() -> Path | None:
    """The directory of the embedded-sample cache, or None when it is turned off."""
    chosen = os.environ.get(CACHE_ENV, "")
    if chosen.lower() == "none":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cramp-coach"


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

    def __init__(
        self, embedder: Embedder, entries: Iterable[Entry], cache: Path | None = None
    ) -> None:
        self.embedder = embedder
        self.entries = list(entries)
        #: The cache file read or written, if any (the key is in its name).
        self.cache_file = cache / f"nlu-samples-{self._key()}.npy" if cache else None
        raw = self._read_cache()
        if raw is None:
            raw = embedder.embed([e.text for e in self.entries])
            self._write_cache(raw)
        self.centre: NDArray[Any] = raw.mean(axis=0)
        self.matrix = self._unit(raw - self.centre)

    def _key(self) -> str:
        """What the embedded samples depend on: the model file's bytes and every text
        embedded (the interaction model's samples as filled), so a change to either
        names another file."""
        digest = hashlib.sha256(self.embedder.source_sha256.encode())
        for entry in self.entries:
            digest.update(f"{entry.intent}\t{entry.text}\n".encode())
        return digest.hexdigest()[:32]

    def _read_cache(self) -> NDArray[Any] | None:
        """The cached sample vectors, or None if missing, unreadable or of another shape
        (then they are embedded again and rewritten)."""
        import numpy as np

        if self.cache_file is None:
            return None
        try:
            raw: NDArray[Any] = np.load(self.cache_file, allow_pickle=False)
        except (OSError, ValueError, EOFError):
            return None
        expected = (len(self.entries), self.embedder.dimensions)
        if raw.shape != expected or raw.dtype != np.float32 or not np.isfinite(raw).all():
            return None
        return raw

    def _write_cache(self, raw: NDArray[Any]) -> None:
        """Best effort, atomically (a concurrent reader sees the old file or the whole new
        one): a read-only or full disk only costs the next run the embedding again."""
        import numpy as np

        if self.cache_file is None:
            return
        part = self.cache_file.with_name(f"{self.cache_file.stem}.{os.getpid()}.part.npy")
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            np.save(part, raw, allow_pickle=False)
            os.replace(part, self.cache_file)
        except OSError:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)

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
