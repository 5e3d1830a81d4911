"""SSML written down for people: words, [pause Ns], [clip] labels, and the hold in it."""

from __future__ import annotations

import pytest

from skill.core.audio_manifest import load_manifest
from skill.core.catalogue import catalogue_for
from skill.core.holds import render_hold
from skill.core.ssml import estimate_seconds, wrap
from skill.tools.simulator.countdown import bar, find_hold, play_hold
from skill.tools.simulator.transcript import (
    Clip,
    clips_of,
    render,
    segments,
    shipped_clips,
    transcript,
)

WORDS = catalogue_for("en-US").countdown
CLIPS = {"hold_30s-x.mp3": Clip("countdown", 30.36), "release-x.mp3": Clip("release", 0.96)}


def test_words_without_markup_and_consecutive_breaks_summed() -> None:
    ssml = (
        '<speak><s>Straighten your leg.</s><break time="10s"/><break time="2500ms"/>'
        '<emphasis level="strong">Now</emphasis> release.</speak>'
    )
    assert transcript(ssml, {}) == "Straighten your leg. [pause 12.5s] Now release."


def test_break_strengths_and_amazon_tags() -> None:
    ssml = (
        '<speak><amazon:emotion name="excited" intensity="low">Well done.</amazon:emotion>'
        '<break strength="strong"/>Bye.</speak>'
    )
    assert transcript(ssml, {}) == "Well done. [pause 0.8s] Bye."


def test_audio_from_the_manifest_shows_name_and_length() -> None:
    ssml = wrap(
        '<audio src="https://example.com/audio/hold_30s-x.mp3"/>'
        '<audio src="https://example.com/audio/release-x.mp3"/>'
    )
    assert transcript(ssml, CLIPS) == "[countdown clip 30.4s] [release clip 1s]"


def test_audio_not_in_the_manifest_shows_its_file_name() -> None:
    ssml = wrap('<s>Listen.</s><audio src="https://example.com/a/b/chime.mp3?v=2"/>')
    assert transcript(ssml, {}) == "Listen. [audio chime.mp3]"


def test_ssml_that_does_not_parse_is_still_shown_as_words() -> None:
    assert transcript("<speak>Salt & water</speak>", {}) == "Salt & water"


def test_speech_segments_keep_sentences_apart() -> None:
    parts = segments(wrap("<s>One.</s><s>Two.</s>"), {})
    assert [p.text for p in parts] == ["One.", "Two."]
    assert render(parts) == "One. Two."


@pytest.mark.parametrize("seconds", [20, 25, 30])
def test_the_spoken_hold_is_found_and_lasts_its_length(seconds: int) -> None:
    ssml = wrap(
        "<s>Straighten your leg.</s>" + render_hold(seconds, WORDS).ssml + "<s>Say next.</s>"
    )
    parts = segments(ssml, {})
    hold = find_hold(parts)
    assert hold is not None
    assert round(hold.seconds) == seconds
    assert parts[hold.start].text == "Hold it, gently."
    assert render(parts[hold.end :]) == "Say next."
    assert abs(sum(p.duration for p in parts) - estimate_seconds(ssml)) < 0.01


def test_a_countdown_clip_is_a_hold() -> None:
    clip = '<p><audio src="https://x.example/hold_30s-x.mp3"/></p><s>Next?</s>'
    parts = segments(wrap(clip), CLIPS)
    hold = find_hold(parts)
    assert hold is not None and (hold.start, hold.end, hold.seconds) == (0, 1, 30.36)


def test_no_hold_in_plain_speech() -> None:
    assert find_hold(segments(wrap("<s>Hold on, what?</s>"), {})) is None


def test_the_live_bar_runs_for_the_hold_and_shows_the_marks() -> None:
    parts = segments(wrap(render_hold(20, WORDS).ssml), {})
    hold = find_hold(parts)
    assert hold is not None
    slept: list[float] = []

    class Out:
        text = ""

        def write(self, s: str) -> None:
            self.text += s

        def flush(self) -> None:
            pass

    out = Out()
    play_hold(parts, hold, out, sleep=slept.append)  # type: ignore[arg-type]
    assert abs(sum(slept) - 20) < 0.01
    assert "Ten seconds left." in out.text and out.text.endswith("released\x1b[K\n")
    assert bar(5, 20).startswith("hold [" + "#" * 22 + "-" * 8 + "]  5s left")


def test_the_shipped_manifest_labels_countdowns_and_cues() -> None:
    manifest = load_manifest()
    clips = clips_of(manifest)
    assert shipped_clips() == clips
    hold = manifest.clip("hold_25s")
    assert clips[hold.file] == Clip("countdown", hold.duration_seconds)
    cue = manifest.clip("switch_legs")
    assert clips[cue.file].name == "switch_legs"
    ssml = wrap(f'<audio src="https://a.example/audio/{cue.file}"/>')
    assert transcript(ssml).startswith("[switch legs clip ")
