"""Sentence meaning for the offline NLU: a static embedding model, read with numpy alone.

The model (``minilm.npz`` beside this file) was distilled once from all-MiniLM-L6-v2 with
model2vec (``tools/nlu_embedding/distil.py`` regenerates it and records the source's sha256):
one vector per WordPiece token of the original BERT vocabulary, reduced by PCA to 192
dimensions, weighted by token rarity and stored as int8 (about 6 MB). A sentence's vector is
the mean of its tokens' vectors, normalised, as model2vec's ``StaticModel.encode`` computes
it; the tokenizer below is BERT's uncased WordPiece written out in Python, so neither torch,
transformers nor tokenizers is needed (the script checks that both agree on every sample and
slot value of the interaction models).

numpy is an optional dependency (the ``nlu`` extra): without it :func:`load` returns None
and the NLU keeps its word stages only.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: The committed artefact: ``vectors`` (int8, tokens x dimensions) with ``scales`` (float32,
#: one per token: vector = int8 row x scale), ``vocab`` (the tokens, one a line, UTF-8) and
#: ``meta`` (JSON: source and its sha256, versions, settings).
ARTEFACT = Path(__file__).with_name("minilm.npz")
#: BERT's WordPiece: words longer than this are unknown; continuations start with "##".
MAX_WORD_CHARS = 100
CONTINUATION = "##"


def _is_punctuation(char: str) -> bool:
    """BERT's rule: ASCII symbols count as punctuation, as does any Unicode P* character."""
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


_ASCII_WORD = re.compile(r"[a-z0-9]+|[^a-z0-9 ]")


def bert_words(text: str) -> list[str]:
    """``text`` as BERT's uncased normaliser and pre-tokeniser split it: control characters
    dropped, lower case, accents stripped, each punctuation mark a word of its own."""
    if text.isascii() and text.isprintable():
        # The common case, the same split by one regex: every printable ASCII character
        # that is neither a letter, a digit nor a space is punctuation to BERT.
        return _ASCII_WORD.findall(text.lower())
    cleaned = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD:
            continue
        category = unicodedata.category(char)
        if char in "\t\n\r" or category == "Zs":
            cleaned.append(" ")
        elif category in ("Cc", "Cf"):
            continue
        elif _is_cjk(code):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(char)
    decomposed = unicodedata.normalize("NFD", "".join(cleaned).lower())
    folded = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    out: list[str] = []
    for chunk in folded.split():
        word = ""
        for char in chunk:
            if _is_punctuation(char):
                if word:
                    out.append(word)
                out.append(char)
                word = ""
            else:
                word += char
        if word:
            out.append(word)
    return out


class Embedder:
    """Token vectors and their vocabulary; :meth:`embed` gives unit sentence vectors."""

    def __init__(
        self, vocab: list[str], vectors: NDArray[Any], scales: NDArray[Any], meta: dict[str, Any]
    ) -> None:
        self.ids = {token: index for index, token in enumerate(vocab)}
        #: Each word's pieces, worked out once (the samples repeat their words).
        self._pieces: dict[str, list[int]] = {}
        # Kept as stored (int8): only the rows of a sentence's tokens are scaled up.
        self.vectors = vectors
        self.scales = scales
        self.meta = meta
        self.dimensions = int(vectors.shape[1])
        #: The sha256 of the file read (set by :func:`read`): what a cache of vectors made
        #: with this embedder is keyed on.
        self.source_sha256 = ""

    def token_ids(self, text: str) -> list[int]:
        """WordPiece ids of ``text``, greedy longest match first; a word that cannot be
        split into known pieces is dropped whole (model2vec drops the unknown token)."""
        found: list[int] = []
        for word in bert_words(text):
            pieces = self._pieces.get(word)
            if pieces is None:
                pieces = self._pieces[word] = self._split(word)
            found += pieces
        return found

    def _split(self, word: str) -> list[int]:
        if len(word) > MAX_WORD_CHARS:
            return []
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            piece = None
            while start < end:
                candidate = word[start:end] if start == 0 else CONTINUATION + word[start:end]
                piece = self.ids.get(candidate)
                if piece is not None:
                    break
                end -= 1
            if piece is None:
                return []
            pieces.append(piece)
            start = end
        return pieces

    def embed(self, texts: list[str]) -> NDArray[Any]:
        """One unit vector per text (zeros for a text with no known token)."""
        import numpy as np

        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        tokens = [self.token_ids(text) for text in texts]
        known = [row for row, ids in enumerate(tokens) if ids]
        if known:
            # Every token of every text in one gather, summed per text (a sentence is the
            # mean of its tokens; the mean's divisor goes with the normalisation below).
            flat = [i for row in known for i in tokens[row]]
            rows = self.vectors[flat].astype(np.float32) * self.scales[flat, None]
            starts = np.cumsum([0] + [len(tokens[row]) for row in known[:-1]])
            out[known] = np.add.reduceat(rows, starts, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        unit: NDArray[Any] = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
        return unit


def read(path: Path) -> Embedder:
    """The embedder stored at ``path`` (the format :data:`ARTEFACT` describes)."""
    import numpy as np

    with np.load(path, allow_pickle=False) as stored:
        vocab = bytes(stored["vocab"]).decode("utf-8").split("\n")
        meta = json.loads(bytes(stored["meta"]).decode("utf-8"))
        vectors = stored["vectors"]
        scales = stored["scales"]
    embedder = Embedder(vocab, vectors, scales, meta)
    embedder.source_sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return embedder


@cache
def load() -> Embedder | None:
    """The shipped embedder, read once; None without numpy or without the artefact."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        return None
    if not ARTEFACT.exists():
        return None
    return read(ARTEFACT)
