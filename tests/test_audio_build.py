"""Building the set: a fresh espeak-ng build, rebuild skipping, atomic writes, the timeline."""

import io
import json
import os
import shutil

import numpy as np
import pytest

from skill.core.audio_manifest import countdown_clip_id
from skill.core.holds import MAX_HOLD, MIN_HOLD, Countdown
from skill.tools.audio import build as audio_build
from skill.tools.audio.build import build, write_atomic
from skill.tools.audio.engines import EngineError
from skill.tools.audio.mix import render
from skill.tools.audio.mp3_frames import SAMPLE_RATE, duration_seconds, walk_frames
from skill.tools.audio.spec import ClipSpec, Mark, countdown_spec, load_specs
from skill.tools.audio.verify import verify_set
from skill.tools.cli import main
from skill.tools.evals.progress import ProgressBar

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed (apt-get install espeak-ng)"
)
SPECS = load_specs()
IDS = [spec.id for spec in SPECS]


class FakeEngine:
    """A tone per phrase, counting what it was asked to say; fails on ``fail_on``."""

    name = "fake"
    engine_id = "fake:1"
    accepted_ids = ("fake:1",)

    def __init__(self, fail_on=None):
        self.fail_on, self.said = fail_on, []

    def speak(self, text):
        self.said.append(text)
        if text == self.fail_on:
            raise EngineError("fake engine is offline")
        t = np.arange(int(0.3 * SAMPLE_RATE)) / SAMPLE_RATE
        pitch = 300 + 20 * len(text)  # different words sound different
        return (0.5 * np.sin(2 * np.pi * pitch * t)).astype(np.float32)


def cue(clip_id, text):
    return ClipSpec(id=clip_id, kind="cue", marks=(Mark(0.0, text),))


def manifest(out):
    return json.loads((out / "manifest.json").read_text("utf-8"))


def snapshot(out):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}


@pytest.mark.slow
@needs_espeak
def test_fresh_espeak_build_through_the_cli_is_complete_and_valid(tmp_path, capsys):
    out = tmp_path / "audio"
    assert main(["audio", "build", "--engine", "espeak", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{len(IDS)}/{len(IDS)} hold_30s" in err
    assert f"built {len(IDS)}, skipped 0, removed 0" in err
    assert verify_set(out, IDS) == []
    clips = manifest(out)["clips"]
    assert {entry["engine"] for entry in clips.values()} == {"espeak"}
    for seconds in range(MIN_HOLD, MAX_HOLD + 1):
        data = (out / clips[countdown_clip_id(seconds)]["file"]).read_bytes()
        assert duration_seconds(walk_frames(data)) == pytest.approx(seconds, abs=0.5)
    assert main(["audio", "verify", "--dir", str(out)]) == 0

    before = snapshot(out)
    assert main(["audio", "build", "--engine", "espeak", "--out", str(out)]) == 0
    assert f"built 0, skipped {len(IDS)}, removed 0" in capsys.readouterr().err
    assert snapshot(out) == before


def test_rebuild_redoes_only_the_clip_whose_words_changed(tmp_path):
    specs = [cue("a", "Alpha."), cue("b", "Bravo."), cue("c", "Charlie.")]
    build(tmp_path, FakeEngine(), specs)
    old_b = manifest(tmp_path)["clips"]["b"]["file"]
    engine = FakeEngine()
    specs[1] = cue("b", "Bravo, slowly.")
    result = build(tmp_path, engine, specs)
    assert (result.built, result.skipped) == (["b"], ["a", "c"])
    assert engine.said == ["Bravo, slowly."]
    assert manifest(tmp_path)["clips"]["b"]["text"] == "Bravo, slowly."
    assert not (tmp_path / old_b).exists()  # the superseded clip's file is gone
    assert verify_set(tmp_path, ["a", "b", "c"]) == []


def test_rebuild_redoes_a_missing_or_damaged_file_and_drops_undeclared_clips(tmp_path):
    specs = [cue("a", "Alpha."), cue("b", "Bravo."), cue("c", "Charlie.")]
    build(tmp_path, FakeEngine(), specs)
    files = {cid: e["file"] for cid, e in manifest(tmp_path)["clips"].items()}
    (tmp_path / files["a"]).unlink()
    (tmp_path / files["b"]).write_bytes(b"not an mp3")
    result = build(tmp_path, FakeEngine(), specs[:2])
    assert (result.built, result.skipped, result.removed) == (["a", "b"], [], ["c"])
    assert not (tmp_path / files["c"]).exists()
    assert verify_set(tmp_path, ["a", "b"]) == []


def test_a_different_engine_or_builder_version_rebuilds(tmp_path, monkeypatch):
    specs = [cue("a", "Alpha.")]
    build(tmp_path, FakeEngine(), specs)
    other = FakeEngine()
    other.engine_id, other.accepted_ids = "fake:2", ("fake:2",)
    assert build(tmp_path, other, specs).built == ["a"]
    monkeypatch.setattr(audio_build, "BUILDER_VERSION", audio_build.BUILDER_VERSION + 1)
    assert build(tmp_path, other, specs).built == ["a"]


def test_failure_mid_build_leaves_no_partial_file_and_a_true_manifest(tmp_path):
    specs = [cue("a", "Alpha."), cue("b", "Bravo.")]
    with pytest.raises(EngineError):
        build(tmp_path, FakeEngine(fail_on="Bravo."), specs)
    clips = manifest(tmp_path)["clips"]
    assert list(clips) == ["a"]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["manifest.json", clips["a"]["file"]])  # no temp file, no half clip
    result = build(tmp_path, FakeEngine(), specs)
    assert (result.built, result.skipped) == (["b"], ["a"])


def test_write_atomic_leaves_neither_file_nor_temp_on_failure(tmp_path, monkeypatch):
    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(tmp_path / "clip.mp3", b"data")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("seconds", [20, 25, 30])
def test_countdown_marks_fall_on_the_right_seconds(seconds):
    words = Countdown(
        start="Hold.",
        left={20: "Twenty left.", 10: "Ten left."},
        count=("5", "4", "3", "2", "1"),
        release="Go.",
    )
    spec = countdown_spec(seconds, words)
    twenty = [(seconds - 20, "Twenty left.")] if seconds >= 22 else []
    assert [(m.at, m.text) for m in spec.marks] == [
        (0, "Hold."),
        *twenty,
        (seconds - 10, "Ten left."),
        (seconds - 5, "5"),
        (seconds - 4, "4"),
        (seconds - 3, "3"),
        (seconds - 2, "2"),
        (seconds - 1, "1"),
    ]
    assert spec.chime_at == pytest.approx(seconds - 0.3)
    samples = render(spec, FakeEngine().speak)
    assert samples.size / SAMPLE_RATE == pytest.approx(seconds, abs=0.5)

    def loudness(start, length=0.05):
        window = samples[round(start * SAMPLE_RATE) : round((start + length) * SAMPLE_RATE)]
        return float(np.sqrt(np.mean(window**2)))

    for mark in spec.marks:
        assert loudness(mark.at + 0.02) > 0.3  # speech starts on its second...
        assert loudness(mark.at - 0.35) < 0.05  # ...not before it (ticks are soft)
    assert loudness(seconds - 7 - 0.02, 0.06) > 0.005  # a tick between marks
    assert loudness(spec.chime_at + 0.02) > 0.05  # the release chime


def test_progress_bar_prints_lines_in_a_log_and_redraws_on_a_terminal():
    log = io.StringIO()
    bar = ProgressBar(2, log, width=4)
    bar.step("one")
    bar.note("notice: something")
    bar.step("two")
    bar.close()
    assert log.getvalue().splitlines() == ["[##..] 1/2 one", "notice: something", "[####] 2/2 two"]

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    term = Terminal()
    bar = ProgressBar(2, term, width=4)
    bar.step("one")
    bar.step("two")
    bar.close()
    assert term.getvalue() == "\r\033[K[##..] 1/2 one\r\033[K[####] 2/2 two\n"
