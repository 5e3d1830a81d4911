"""Render a timed stretch hold as SSML: the one place that decides how a hold sounds.

A hold is heard as a countdown, never as dead silence. Without hosted audio it is spoken
marks ("twenty seconds left", "ten seconds left", "five, four, three, two, one", "and
release") with ``<break>``s of at most 10 s between them, timed so that the whole
fragment lasts the hold length at :data:`skill.core.ssml.WORDS_PER_SECOND`. With an audio base
URL it is the matching countdown clip from ``audio/``, whose builder
(:mod:`skill.tools.audio_spec`) takes its marks from :func:`countdown_words` too: the words are
in ``skill/data/prompts.json`` once, for both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from skill.core import ssml
from skill.core.content import prompt
from skill.core.hold_range import DEFAULT_HOLD, MAX_HOLD, MIN_HOLD, HoldLength, clamp_hold

__all__ = ["DEFAULT_HOLD", "MAX_HOLD", "MIN_HOLD", "HoldLength", "clamp_hold"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CountdownWords:
    """What a countdown says: the start, marks at seconds before the end, the last count
    (one word a second) and the release."""

    start: str
    seconds_left: tuple[tuple[int, str], ...]
    count: tuple[str, ...]
    release: str


@cache
def countdown_words() -> CountdownWords:
    return CountdownWords(
        start=prompt("hold_start"),
        seconds_left=((20, prompt("hold_twenty_left")), (10, prompt("hold_ten_left"))),
        count=tuple(prompt("hold_count").split()),
        release=prompt("hold_release"),
    )


#: The sentences that open and close every hold (tools find holds in a response by them).
START_MARK = countdown_words().start
RELEASE_MARK = countdown_words().release


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


def spoken_countdown(seconds: int) -> str:
    """The spoken countdown for a hold of ``seconds`` (20-30), as an SSML fragment.

    Marks are placed at elapsed times; each break fills the gap to the next mark minus the
    estimated time of speaking the mark before it, so the fragment lasts ``seconds``.
    """
    words = countdown_words()
    # (elapsed second at which the mark starts, text). Count words start one second apart.
    marks: list[tuple[float, str]] = [(0.0, words.start)]
    for left, said in words.seconds_left:
        if seconds - left > _words_seconds(words.start):
            marks.append((seconds - left, said))
    release_at = seconds - _words_seconds(words.release)
    count_start = release_at - len(words.count)
    for offset, word in enumerate(words.count):
        marks.append((count_start + offset, word))
    marks.append((release_at, words.release))
    parts: list[str] = []
    for (start, said), following in zip(marks, [*marks[1:], (seconds, "")], strict=True):
        parts.append(ssml.sentence(said))
        gap = following[0] - start - _words_seconds(said)
        parts.extend(_fill(max(0.0, gap)))
    return "".join(parts)


def render_hold(seconds: int, audio_base_url: str | None = None) -> Hold:
    """Render a hold of ``seconds``: the countdown clip when audio is hosted (and the clip
    is available), otherwise the spoken countdown. Both end on the spoken release."""
    length = clamp_hold(seconds).seconds
    if audio_base_url:
        clip = _countdown_clip(length, audio_base_url)
        if clip is not None:
            return Hold(ssml=clip + ssml.sentence(RELEASE_MARK), seconds=length, uses_audio=True)
    return Hold(ssml=spoken_countdown(length), seconds=length)


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
