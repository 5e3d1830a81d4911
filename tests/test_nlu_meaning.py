"""The offline NLU's meaning stage: the static embedding model, read with numpy alone, and
how its similarity is blended with word overlap (docs/nlu.md)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from skill.tools.nlu import embedding as nlu_embedding
from skill.tools.nlu import model as nlu
from skill.tools.nlu import semantic
from skill.tools.nlu import thresholds as nlu_thresholds
from skill.tools.nlu.embedding import ARTEFACT, Embedder, bert_words
from skill.tools.nlu.model import FALLBACK, Evidence, Model, default_model
from skill.tools.nlu.overlap import Candidate, Scored
from skill.tools.nlu.semantic import Entry, SemanticIndex

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("numpy") is None, reason="numpy (the nlu extra) is missing"
)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    loaded = nlu_embedding.load()
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def model() -> Model:
    """The en-US model, its meaning index built (once per process: ``default_model``)."""
    built = default_model()
    assert built.meaning is not None
    return built


# --- the artefact -----------------------------------------------------------------------
def test_the_artefact_is_small_and_says_where_it_came_from(embedder: Embedder) -> None:
    assert ARTEFACT.stat().st_size < 8_000_000
    meta = embedder.meta
    assert len(meta["source_sha256"]) == 64 and len(meta["weights_sha256"]) == 64
    assert meta["versions"]["model2vec"] and meta["dimensions"] == embedder.dimensions
    script = (ROOT / "tools" / "nlu_embedding" / "distil.py").read_text()
    assert meta["source_sha256"] in script and meta["weights_sha256"] in script
    assert str(embedder.vectors.dtype) == "int8"


def test_the_lambda_build_leaves_the_artefact_out() -> None:
    """The function's package has no skill/tools (Makefile), where the artefact lives."""
    assert ARTEFACT.parent == ROOT / "skill" / "tools" / "nlu"
    makefile = (ROOT / "Makefile").read_text()
    assert 'rm -rf "$(ARTIFACTS_DIR)/skill/tools"' in makefile
    lambda_requirements = (ROOT / "lambda-requirements.txt").read_text()
    assert "numpy" not in lambda_requirements


# --- the tokenizer ----------------------------------------------------------------------
def test_bert_words_lower_case_strip_accents_and_split_punctuation() -> None:
    assert bert_words("¿Qué HAGO?  It's") == ["¿", "que", "hago", "?", "it", "'", "s"]
    assert bert_words("warm-up\tnow\x00") == ["warm", "-", "up", "now"]


@pytest.mark.parametrize(
    "text", ["What's the WARM-UP?  (now) #1 a_b", "my hamstring's cramping!!", "x~y`z|{}"]
)
def test_the_ascii_shortcut_splits_as_the_general_rule(text: str) -> None:
    """Printable ASCII takes a regex; the same text with a tab (not printable) goes the
    general, character-by-character way, and both must agree."""
    assert bert_words(text) == bert_words(text + "\t")


def test_token_ids_split_words_into_known_pieces(embedder: Embedder) -> None:
    vocab = {index: token for token, index in embedder.ids.items()}
    pieces = [vocab[i] for i in embedder.token_ids("my hamstring is cramping")]
    assert pieces[0] == "my" and "".join(p.removeprefix("##") for p in pieces) == (
        "myhamstringiscramping"
    )
    assert embedder.token_ids("") == [] and embedder.token_ids("\u2603" * 3) == []


def test_sentences_that_mean_the_same_are_closer_than_unrelated_ones(embedder: Embedder) -> None:
    a, b, c = embedder.embed(
        ["my hamstring is cramping", "the back of my thigh has seized up", "play some music"]
    )
    assert float(a @ b) > float(a @ c) + 0.05
    assert embedder.embed([""]).sum() == 0.0  # nothing known: a zero vector, not NaN


# --- the stage in the NLU -----------------------------------------------------------------


def test_a_paraphrase_is_understood_by_meaning_with_its_slots(model: Model) -> None:
    heard = model.understand("could it be my statins")
    assert (heard.intent, heard.stage) == ("CausesIntent", "meaning")
    assert heard.slots == {"Cause": {"value": "statins", "id": "medication"}}
    assert heard.score >= nlu.MEANING_THRESHOLD and heard.sample


@pytest.mark.parametrize("said", ["tell me a joke", "what's the capital of peru", "play jazz"])
def test_requests_for_other_skills_fall_back(said: str, model: Model) -> None:
    heard = model.understand(said)
    assert heard.intent == FALLBACK and heard.stage == "fallback"
    assert heard.score < nlu.MEANING_THRESHOLD


def test_exact_matches_stay_first(model: Model) -> None:
    heard = model.understand("my left hamstring is cramping")
    assert (heard.intent, heard.stage, heard.score) == ("CrampReliefIntent", "exact", 1.0)


def test_leaving_a_sample_out_hides_it_from_every_stage(model: Model) -> None:
    said = "my hamstring is cramping"
    assert model.understand(said).stage == "exact"
    left_out = model.understand(said, leave_out=("CrampReliefIntent", said))
    assert left_out.stage != "exact" and left_out.sample != said


def _evidence(words: Scored | None, blend_of: dict[str, tuple[float, float]]) -> Evidence:
    """Hand-made stage-3 evidence: each intent's (overlap, similarity)."""
    overlap = {
        i: Scored(Candidate(i, f"{i} sample", frozenset()), o) for i, (o, _) in blend_of.items()
    }
    similar = {i: (s, Entry(i, f"{i} sample", "")) for i, (_, s) in blend_of.items()}
    heard = {i: ("", {}) for i in blend_of}
    return Evidence(heard, words, overlap, similar)


def test_the_best_blend_wins_above_the_threshold() -> None:
    evidence = _evidence(None, {"A": (0.9, 0.8), "B": (0.4, 0.95)})
    assert evidence.decide(0.6, 0.6).intent == "A"  # 0.86 against 0.62
    assert evidence.decide(0.2, 0.6).intent == "B"  # 0.82 against 0.84
    assert evidence.decide(0.6, 0.9).intent == FALLBACK


def test_below_the_threshold_an_alarm_that_words_accept_still_wins() -> None:
    """A missed alarm costs more than a needless "see a doctor": the word stage's own
    threshold still holds for the alarm and doctor intents, and only for them."""
    alarm = Scored(Candidate("RedFlagIntent", "i heard a {Sign}", frozenset()), 0.6)
    evidence = _evidence(alarm, {"RedFlagIntent": (0.6, 0.2), "TellMeMoreIntent": (0.1, 0.3)})
    heard = evidence.decide(nlu.OVERLAP_SHARE, nlu.MEANING_THRESHOLD)
    assert (heard.intent, heard.stage) == ("RedFlagIntent", "overlap")
    other = Scored(Candidate("TellMeMoreIntent", "tell me more", frozenset()), 0.6)
    plain = _evidence(other, {"TellMeMoreIntent": (0.6, 0.2)})
    assert plain.decide(nlu.OVERLAP_SHARE, nlu.MEANING_THRESHOLD).intent == FALLBACK


def test_spanish_keeps_the_word_stages(model: Model) -> None:
    """all-MiniLM-L6-v2 is English: the Spanish models are not given a meaning index."""
    assert default_model("es-US").meaning is None
    assert model.meaning is not None


@pytest.mark.slow
def test_without_numpy_the_word_stages_answer_alone() -> None:
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "from skill.tools.nlu import embedding as nlu_embedding\n"
        "from skill.tools.nlu.model import understand\n"
        "assert nlu_embedding.load() is None\n"
        "heard = understand('ow my hammy is seizing up right now')\n"
        "print(heard.intent, heard.stage)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["CrampReliefIntent", "overlap"]


# --- where the constants come from --------------------------------------------------------
def test_the_out_of_domain_phrasings_are_no_samples(model: Model) -> None:
    phrasings = nlu_thresholds.out_of_domain()
    assert len(phrasings) >= 60
    known = {nlu.normalise(s) for samples in model.samples.values() for s in samples}
    assert [p for p in phrasings if nlu.normalise(p) in known] == []


@pytest.mark.slow
def test_the_blend_and_threshold_are_on_the_plateau_the_samples_choose(model: Model) -> None:
    """``python -m skill.tools.nlu.thresholds`` chose the constants in skill/tools/nlu/model.py
    from the samples (leave one out) and the out-of-domain phrasings alone. New samples move
    its choice; the constants must stay within a point of its best score (re-run the command
    and take its choice when they fall further; docs/nlu.md)."""
    samples, outside = nlu_thresholds.probes(model)
    best, grid = nlu_thresholds.choose(samples, outside)
    top = max(c.score for c in grid)
    shipped = nlu_thresholds.Choice(
        nlu.OVERLAP_SHARE,
        nlu.MEANING_THRESHOLD,
        nlu_thresholds.accuracy(samples, nlu.OVERLAP_SHARE, nlu.MEANING_THRESHOLD),
        nlu_thresholds.accuracy(outside, nlu.OVERLAP_SHARE, nlu.MEANING_THRESHOLD),
    )
    assert shipped.score >= top - 2 * nlu_thresholds.PLATEAU, (best, shipped)
    assert shipped.samples >= 0.9 and shipped.outside >= 0.9


def test_the_meta_is_json_the_reader_round_trips(tmp_path: Path, embedder: Embedder) -> None:
    import numpy as np

    copy = tmp_path / "copy.npz"
    vocab = sorted(embedder.ids, key=embedder.ids.__getitem__)
    np.savez(
        copy,
        vectors=embedder.vectors,
        scales=embedder.scales,
        vocab=np.frombuffer("\n".join(vocab).encode(), dtype=np.uint8),
        meta=np.frombuffer(json.dumps(embedder.meta).encode(), dtype=np.uint8),
    )
    again = nlu_embedding.read(copy)
    said = ["my leg is cramping", "where was i"]
    assert np.allclose(again.embed(said), embedder.embed(said))


@pytest.mark.slow
def test_the_start_up_bench_measures_every_step() -> None:
    """``python -m bench.nlu_startup``: each step of the NLU's start-up, in a fresh process."""
    from bench import nlu_startup

    measured = nlu_startup.steps()
    assert [name.split(" ")[0] for name, _, _ in measured] == [
        "word",
        "numpy",
        "reading",
        "embedding",
        "20",
    ]
    assert all(cpu >= 0 for _, cpu, _ in measured)
    assert measured[1][2] > 1  # numpy's import takes memory: the figures are real


# --- the cache of embedded samples ---------------------------------------------------------
def _entries() -> list[Entry]:
    return [Entry("A", "a", "my hamstring is cramping"), Entry("B", "b", "play some music")]


def test_the_embedded_samples_are_cached_and_read_back(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = SemanticIndex(embedder, _entries(), tmp_path)
    assert built.cache_file is not None and built.cache_file.exists()
    assert built.cache_file.parent == tmp_path

    def no_embedding(texts: list[str]) -> None:
        raise AssertionError(f"embedded again: {texts}")

    with monkeypatch.context() as patched:
        patched.setattr(embedder, "embed", no_embedding)
        again = SemanticIndex(embedder, _entries(), tmp_path)
    assert again.cache_file == built.cache_file
    assert (again.matrix == built.matrix).all()
    assert again.scores("my hamstring is cramping")[0] == pytest.approx(1.0, abs=1e-5)


def test_new_samples_or_another_model_file_name_another_cache(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = SemanticIndex(embedder, _entries(), tmp_path).cache_file
    more = SemanticIndex(embedder, [*_entries(), Entry("C", "c", "stop")], tmp_path)
    monkeypatch.setattr(embedder, "source_sha256", "0" * 64)
    other_model = SemanticIndex(embedder, _entries(), tmp_path).cache_file
    assert len({first, more.cache_file, other_model}) == 3
    assert len(list(tmp_path.glob("nlu-samples-*.npy"))) == 3
    assert list(tmp_path.glob("*.part.npy")) == []


@pytest.mark.parametrize("damage", ["garbage", "other shape", "not finite"])
def test_a_damaged_cache_is_embedded_again_and_rewritten(
    damage: str, tmp_path: Path, embedder: Embedder
) -> None:
    import numpy as np

    right = SemanticIndex(embedder, _entries(), None)
    cache_file = SemanticIndex(embedder, _entries(), tmp_path).cache_file
    assert cache_file is not None
    if damage == "garbage":
        cache_file.write_bytes(b"\x93NUMPY not really")
    elif damage == "other shape":
        np.save(cache_file, np.zeros((5, 3), dtype=np.float32))
    else:
        np.save(cache_file, np.full((2, embedder.dimensions), np.nan, dtype=np.float32))
    healed = SemanticIndex(embedder, _entries(), tmp_path)
    assert np.allclose(healed.matrix, right.matrix)
    reread = np.load(cache_file)
    assert reread.shape == (2, embedder.dimensions) and np.isfinite(reread).all()


def test_an_unwritable_cache_directory_costs_nothing_but_time(
    tmp_path: Path, embedder: Embedder
) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    index = SemanticIndex(embedder, _entries(), blocked / "cache")
    assert index.scores("play some music")[1] == pytest.approx(1.0, abs=1e-5)


def test_the_cache_directory_is_the_user_s_and_can_be_turned_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(semantic.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert semantic.cache_dir() == tmp_path / "cramp-coach"
    monkeypatch.setenv(semantic.CACHE_ENV, str(tmp_path / "elsewhere"))
    assert semantic.cache_dir() == tmp_path / "elsewhere"
    monkeypatch.setenv(semantic.CACHE_ENV, "none")
    assert semantic.cache_dir() is None
    assert not (ROOT / ".cache").exists()
