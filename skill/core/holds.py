"""Render a timed stretch hold as SSML: the one place that decides how a hold sounds.

A hold is heard as a countdown, never as dead silence. Without hosted audio it is spoken
marks ("twenty seconds left", "ten seconds left", "five, four, three, two, one", "and
release", in the words of the request's catalogue) with ``<break>``s of at most 10 s between
them, timed so that the whole fragment lasts the hold length at
:data:`skill.core.ssml.WORDS_PER_SECOND`. With an audio base URL it is the matching countdown
clip from ``audio/``.

Every hold is one ``<p>`` element (:data:`HOLD_TAG`) and nothing else the skill says is:
that is how the simulator and the tests find a hold, whatever its language.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from skill.core import ssml
from skill.core.hold_range import DEFAULT_HOLD, MAX_HOLD, MIN_HOLD, HoldLength, clamp_hold

__all__ = ["DEFAULT_HOLD", "MAX_HOLD", "MIN_HOLD", "HoldLength", "clamp_hold"]

log = logging.getLogger(__name__)

#: The element that wraps a hold, and only a hold (Alexa pauses briefly around a ``<p>``).
HOLD_TAG = "p"


@dataclass(frozen=True)
class Countdown:
    """The words of a spoken countdown, from the request's catalogue: the start mark, the
    "N seconds left" marks by N, the last five counts, and the release."""

    start: str
    left: Mapping[int, str]
    count: tuple[str, ...]
    release: str


@dataclass(frozen=True)
class Hold:
    """A rendered hold: its SSML fragment and the seconds it is meant to last."""

    ssml: str
    seconds: int
    uses_audio: bool = False


def _words_seconds(text: str) -> float:
    return len(text.split()) / ssml.WORDS_PER_SECOND


def _fill(seconds: float) -> list[str]:
    """Breaks adding up to ``seconds``, none longer than Alexa's 10 s limit."""
    breaks: list[str] = []
    remaining = round(seconds, 2)
    while remaining > 0.005:
        chunk = min(ssml.MAX_BREAK_SECONDS, remaining)
        breaks.append(ssml.pause(round(chunk, 2)))
        remaining = round(remaining - chunk, 2)
    return breaks


def spoken_countdown(seconds: int, words: Countdown) -> str:
    """The spoken countdown for a hold of ``seconds`` (20-30), as an SSML fragment.

    Marks are placed at elapsed times; each break fills the gap to the next mark minus the
    estimated time of speaking the mark before it, so the fragment lasts ``seconds``.
    """
    # (elapsed second at which the mark starts, text). Count words start one second apart.
    marks: list[tuple[float, str]] = [(0.0, words.start)]
    for left in sorted(words.left, reverse=True):
        if seconds - left > _words_seconds(words.start):
            marks.append((seconds - left, words.left[left]))
    release_at = seconds - _words_seconds(words.release)
    count_start = release_at - len(words.count)
    for offset, word in enumerate(words.count):
        marks.append((count_start + offset, word))
    marks.append((release_at, words.release))
    parts: list[str] = []
    for (start, mark), following in zip(marks, [*marks[1:], (seconds, "")], strict=True):
        parts.append(ssml.sentence(mark))
        gap = following[0] - start - _words_seconds(mark)
        parts.extend(_fill(max(0.0, gap)))
    return "".join(parts)


def _hold(body: str) -> str:
    return f"<{HOLD_TAG}>{body}</{HOLD_TAG}>"


def render_hold(seconds: int, words: Countdown, audio_base_url: str | None = None) -> Hold:
    """Render a hold of ``seconds``: the countdown clip when audio is hosted (and the clip
    is available), otherwise the spoken countdown. Both end on the spoken release. The
    caller passes no audio URL when the clips are not in the request's language."""
    length = clamp_hold(seconds).seconds
    if audio_base_url:
        clip = _countdown_clip(length, audio_base_url)
        if clip is not None:
            release = ssml.sentence(words.release)
            return Hold(ssml=_hold(clip + release), seconds=length, uses_audio=True)
    return Hold(ssml=_hold(spoken_countdown(length, words)), seconds=length)


def _countdown_clip(seconds: int, base_url: str) -> str | None:
    """The ``<audio>`` fragment of the countdown clip, or None when it cannot be used (no
    manifest or clip, or a base URL Alexa would refuse): the spoken countdown then serves."""
    # Imported here: the audio modules are needed only when audio is hosted.
    from skill.core.audio_cues import AudioUnavailable, countdown_audio

    try:
        return countdown_audio(seconds, base_url)
    except (AudioUnavailable, ValueError):
        log.warning("countdown clip unavailable; speaking the countdown instead")
        return None
