"""The clips in audio/ are what a fresh checkout plays: each must be exactly Alexa's format."""

import json
import shutil

import pytest

from skill.core.audio_manifest import (
    DEFAULT_AUDIO_DIR,
    MANIFEST_NAME,
    MAX_HOLD,
    MIN_HOLD,
    countdown_clip_id,
)
from skill.tools.audio.build import BUILDER_VERSION
from skill.tools.audio.engines import EspeakEngine, GttsEngine
from skill.tools.audio.mp3_frames import duration_seconds, walk_frames
from skill.tools.audio.spec import load_specs
from skill.tools.audio.verify import verify_set

SPECS = load_specs()
DECLARED = [spec.id for spec in SPECS]
MANIFEST = json.loads((DEFAULT_AUDIO_DIR / MANIFEST_NAME).read_text("utf-8"))


def test_shipped_set_is_complete_and_matches_its_manifest():
    assert verify_set(DEFAULT_AUDIO_DIR, DECLARED) == []


@pytest.mark.parametrize("clip_id", DECLARED)
def test_every_frame_of_every_shipped_clip_is_mpeg2_layer3_48kbps_24khz_mono(clip_id):
    entry = MANIFEST["clips"][clip_id]
    frames = walk_frames((DEFAULT_AUDIO_DIR / entry["file"]).read_bytes())
    assert {(f.version, f.layer, f.bitrate_kbps, f.sample_rate, f.channels) for f in frames} == {
        ("2", 3, 48, 24_000, 1)
    }
    assert duration_seconds(frames) == pytest.approx(entry["duration_seconds"], abs=0.1)


@pytest.mark.parametrize("seconds", range(MIN_HOLD, MAX_HOLD + 1))
def test_countdown_clip_lasts_its_hold_length(seconds):
    entry = MANIFEST["clips"][countdown_clip_id(seconds)]
    frames = walk_frames((DEFAULT_AUDIO_DIR / entry["file"]).read_bytes())
    assert duration_seconds(frames) == pytest.approx(seconds, abs=0.5)


def test_shipped_clips_are_built_from_the_current_declarations():
    # Editing skill/data/audio_clips.json without rebuilding audio/ must not go unnoticed.
    engine_ids = (EspeakEngine().engine_id, GttsEngine().engine_id)
    stale = [
        spec.id
        for spec in SPECS
        if MANIFEST["clips"][spec.id]["input_hash"]
        not in {spec.input_hash(eid, BUILDER_VERSION) for eid in engine_ids}
    ]
    assert stale == []


def test_manifest_records_format_and_engine():
    assert MANIFEST["format"]["bitrate_kbps"] == 48
    assert MANIFEST["format"]["sample_rate_hz"] == 24_000
    assert {entry["engine"] for entry in MANIFEST["clips"].values()} <= {"espeak", "gtts"}


def _corrupt(audio_dir, how):
    manifest_path = audio_dir / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text("utf-8"))
    clip = audio_dir / manifest["clips"]["hold_25s"]["file"]
    if how == "flip a byte":
        data = bytearray(clip.read_bytes())
        data[5000] ^= 0xFF
        clip.write_bytes(bytes(data))
    elif how == "truncate":
        clip.write_bytes(clip.read_bytes()[:-50])
    elif how == "prepend ID3":
        clip.write_bytes(b"ID3\x04\x00" + bytes(5) + clip.read_bytes())
    elif how == "delete":
        clip.unlink()
    elif how == "stray file":
        (audio_dir / "extra.mp3").write_bytes(clip.read_bytes())
    elif how == "wrong duration":
        manifest["clips"]["hold_25s"]["duration_seconds"] += 0.2
        manifest_path.write_text(json.dumps(manifest), "utf-8")
    elif how == "drop entry":
        del manifest["clips"]["hold_25s"]
        manifest_path.write_text(json.dumps(manifest), "utf-8")


@pytest.mark.parametrize(
    ("how", "complaint"),
    [
        ("flip a byte", "hold_25s: sha256 differs"),
        ("truncate", "frame of 144 bytes is truncated"),
        ("prepend ID3", "hold_25s: offset 0: ID3v2 tag"),
        ("delete", "hold_25s: [Errno 2]"),
        ("stray file", "extra.mp3: not in the manifest"),
        ("wrong duration", "hold_25s: plays"),
        ("drop entry", "hold_25s: declared but not in the manifest"),
    ],
)
def test_verifier_catches_a_damaged_set(tmp_path, how, complaint):
    audio_dir = tmp_path / "audio"
    _copy_of_a_small_set(audio_dir)
    assert verify_set(audio_dir, SMALL_SET) == []
    _corrupt(audio_dir, how)
    problems = verify_set(audio_dir, SMALL_SET)
    assert any(complaint in p for p in problems), problems


#: The damaged-set checks run on two shipped clips and their manifest entries: the verifier's
#: checks are per clip and per set, and walking all the clips for each case cost the fast tier
#: most of a second.
SMALL_SET = ["hold_25s", "hold_20s"]


def _copy_of_a_small_set(audio_dir):
    audio_dir.mkdir()
    clips = {cid: MANIFEST["clips"][cid] for cid in SMALL_SET}
    for entry in clips.values():
        shutil.copy(DEFAULT_AUDIO_DIR / entry["file"], audio_dir / entry["file"])
    (audio_dir / MANIFEST_NAME).write_text(json.dumps({**MANIFEST, "clips": clips}), "utf-8")
