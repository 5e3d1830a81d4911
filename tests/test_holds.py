"""Spoken countdowns last the hold they promise and are never dead silence."""

from __future__ import annotations

import re

import pytest

from skill.core import ssml
from skill.core.audio_manifest import countdown_clip_id
from skill.core.catalogue import catalogue_for
from skill.core.holds import MAX_HOLD, MIN_HOLD, clamp_hold, render_hold, spoken_countdown
from skill.tools.audio.spec import load_specs
from tests.holds_helpers import counted_seconds, hold_fragments, longest_silence

WORDS = catalogue_for("en-US").countdown


@pytest.mark.parametrize("seconds", range(MIN_HOLD, MAX_HOLD + 1))
def test_spoken_countdown_lasts_the_hold(seconds: int) -> None:
    hold = render_hold(seconds, WORDS)
    assert not hold.uses_audio and hold.seconds == seconds
    assert ssml.validate(ssml.wrap(hold.ssml)) == []
    (fragment,) = hold_fragments(hold.ssml)
    assert abs(counted_seconds(fragment) - seconds) <= 2
    assert longest_silence(fragment) <= ssml.MAX_BREAK_SECONDS


@pytest.mark.parametrize("seconds", range(MIN_HOLD, MAX_HOLD + 1))
def test_countdown_speaks_the_marks(seconds: int) -> None:
    words = ssml.plain_text(ssml.wrap(render_hold(seconds, WORDS).ssml))
    assert words.startswith("Hold it, gently.")
    assert "Ten seconds left." in words
    assert words.endswith("Five. Four. Three. Two. One. And release.")
    assert ("Twenty seconds left." in words) == (seconds >= 22)


def test_out_of_range_requests_render_a_clamped_hold() -> None:
    """The renderer takes a checked hold; a request is clamped before it gets there."""
    assert render_hold(clamp_hold(45).seconds, WORDS).seconds == 30
    assert render_hold(clamp_hold(3).seconds, WORDS).seconds == 20


@pytest.mark.parametrize("seconds", range(MIN_HOLD, MAX_HOLD + 1))
def test_the_countdown_clip_says_what_the_spoken_countdown_says(seconds: int) -> None:
    # One source for the words (the en-US catalogue, whose language the clips are in): the
    # clip plays, then the skill speaks the release.
    spoken = re.findall(r"<s>(.*?)</s>", spoken_countdown(seconds, WORDS))
    clip = next(s for s in load_specs() if s.id == countdown_clip_id(seconds))
    assert [m.text for m in clip.marks] + [WORDS.release] == spoken
