"""What the skill reads at request time: clip durations, URLs and the <audio> budget."""

import pytest

from skill.core import audio_manifest, ssml
from skill.core.audio_cues import (
    AudioUnavailable,
    budget_problems,
    clip_audio,
    countdown_audio,
    fits_budget,
)
from skill.core.audio_manifest import (
    DEFAULT_AUDIO_DIR,
    countdown_clip_id,
    durations_by_url,
    load_manifest,
    parse_manifest,
)

BASE = "https://coach.example.com/audio"


def manifest_of(durations):
    """A manifest whose clips ``c0``, ``c1``... last the given seconds."""
    clips = {
        f"c{i}": {
            "file": f"c{i}-0000000000.mp3",
            "kind": "cue",
            "text": "x",
            "engine": "espeak",
            "duration_seconds": seconds,
            "bytes": 1,
            "sha256": "0",
            "input_hash": "0",
        }
        for i, seconds in enumerate(durations)
    }
    return parse_manifest({"clips": clips})


def test_shipped_manifest_is_read_once_and_cached():
    first = load_manifest()
    assert load_manifest() is first
    assert load_manifest(DEFAULT_AUDIO_DIR) is first
    assert load_manifest(DEFAULT_AUDIO_DIR / "manifest.json") is first


@pytest.mark.parametrize("seconds", range(20, 31))
def test_every_hold_length_has_a_clip_of_about_that_length(seconds):
    assert countdown_clip_id(seconds) == f"hold_{seconds}s"
    assert audio_manifest.clip_duration(countdown_clip_id(seconds)) == pytest.approx(
        seconds, abs=0.5
    )


@pytest.mark.parametrize(
    ("seconds", "error"), [(19, ValueError), (31, ValueError), (25.0, TypeError), (True, TypeError)]
)
def test_countdown_clip_id_rejects_holds_without_a_clip(seconds, error):
    with pytest.raises(error):
        countdown_clip_id(seconds)


def test_countdown_audio_is_valid_ssml_within_budget():
    fragment = countdown_audio(25, BASE)
    file = load_manifest().clip("hold_25s").file
    assert fragment == f'<audio src="{BASE}/{file}"/>'
    speech = ssml.wrap(ssml.text("Hold it there.") + fragment + ssml.text("And release."))
    assert ssml.validate(speech, audio_durations=durations_by_url(BASE)) == []
    # Without the manifest's durations the validator cannot vouch for the clip.
    assert ssml.validate(speech) == [f"audio clip of unknown duration: '{BASE}/{file}'"]


def test_durations_by_url_tolerates_a_trailing_slash_and_covers_every_clip():
    by_url = durations_by_url(BASE + "/")
    assert len(by_url) == len(load_manifest().clips)
    assert all(url.startswith(BASE + "/") and "/" not in url[len(BASE) + 1 :] for url in by_url)
    assert by_url[f"{BASE}/{load_manifest().clip('release').file}"] == pytest.approx(
        load_manifest().duration("release")
    )


def test_plain_http_base_url_is_refused():
    with pytest.raises(ValueError, match="HTTPS"):
        countdown_audio(25, "http://coach.example.com/audio")


def test_unknown_clip_and_missing_manifest_are_audio_unavailable(tmp_path, monkeypatch):
    with pytest.raises(AudioUnavailable):
        clip_audio("no_such_clip", BASE)
    monkeypatch.setattr(audio_manifest, "DEFAULT_AUDIO_DIR", tmp_path)
    with pytest.raises(AudioUnavailable, match="manifest unreadable"):
        countdown_audio(25, BASE)


@pytest.mark.parametrize(
    ("durations", "reprompt", "complaint"),
    [
        ([60, 60, 60, 60], False, None),
        ([60, 60, 60, 60, 1], False, "241.0 s of audio, limit is 240 s"),
        ([1] * 6, False, "6 audio clips, limit is 5"),
        ([45, 45], True, None),
        ([45, 46], True, "91.0 s of audio, limit is 90 s"),
    ],
)
def test_budget_is_five_clips_and_240_seconds(durations, reprompt, complaint):
    manifest = manifest_of(durations)
    ids = list(manifest.clips)
    problems = budget_problems(ids, reprompt=reprompt, manifest=manifest)
    assert problems == ([] if complaint is None else [complaint])
    assert fits_budget(ids, reprompt=reprompt, manifest=manifest) is (complaint is None)


def test_budget_names_clips_it_cannot_measure():
    manifest = manifest_of([10])
    assert budget_problems(["c0", "ghost"], manifest=manifest) == [
        "clips not in the manifest: ghost"
    ]


def test_shipped_set_fits_one_hold_per_response():
    assert fits_budget([countdown_clip_id(30), "release"])
