"""Render a timed stretch hold: the one place that decides how a hold sounds.

A hold is heard as a countdown, never as dead silence. One timeline (:func:`hold_cues`) says
which cue starts at which second: "Hold it, gently." at 0, "Twenty seconds left." and "Ten
seconds left." at N-20 and N-10, "Five" to "One" on the last five seconds, "And release." at
N. The words come from ``skill/data/audio_clips.json``, the same file the hosted clips are
built from. :func:`render_hold` turns that timeline into all three outputs at once:

- ``ssml``: the spoken countdown, ``<break>``s of at most 10 s between the cues, timed with
  the estimated speech speed :data:`skill.core.ssml.WORDS_PER_SECOND`; or, when audio is
  hosted, the countdown clip (built on the same timeline) followed by the spoken release;
- ``apla``: the data source of the APL-for-audio countdown (``skill/data/apla/hold.json``):
  Alexa's own voice for the cues and exact ``Silence`` between them, so Alexa times the hold.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from skill.core import ssml
from skill.core.content import load_json
from skill.core.hold_range import DEFAULT_HOLD, MAX_HOLD, MIN_HOLD, HoldLength, clamp_hold

__all__ = ["DEFAULT_HOLD", "MAX_HOLD", "MIN_HOLD", "HoldLength", "clamp_hold"]

log = logging.getLogger(__name__)

#: The cue marks, as seconds before the end of the hold (the hosted clips use the same).
TWENTY_LEFT = 20
TEN_LEFT = 10
LAST_FIVE = (5, 4, 3, 2, 1)
#: "Twenty seconds left" is said only with at least this much room after the start cue.
MIN_GAP_AFTER_START = 2.0
#: How loud the optional sound-library tick plays under the cues (APLA ``Volume`` filter).
TICK_VOLUME = "25%"


@cache
def countdown_words() -> dict[str, Any]:
    """The countdown's words (``countdown`` and the ``release`` cue of audio_clips.json)."""
    data = load_json("audio_clips.json")
    release = next(cue for cue in data["cues"] if cue["id"] == "release")
    return {**data["countdown"], "release": release["say"][0]}


START_MARK: str = countdown_words()["start"]
RELEASE_MARK: str = countdown_words()["release"]


@dataclass(frozen=True)
class Cue:
    """Words that start ``at`` seconds into the hold."""

    at: float
    text: str

    @property
    def speaking_seconds(self) -> float:
        return len(self.text.split()) / ssml.WORDS_PER_SECOND


def hold_cues(seconds: int, *, release: bool = True) -> tuple[Cue, ...]:
    """The timeline of a hold of ``seconds`` (20-30): every cue and the second it starts.

    The hosted countdown clips are built from this timeline without the release cue (the
    skill speaks "And release." after the clip)."""
    words = countdown_words()
    cues = [Cue(0.0, words["start"])]
    if seconds - TWENTY_LEFT >= MIN_GAP_AFTER_START:
        cues.append(Cue(float(seconds - TWENTY_LEFT), words["twenty_seconds_left"]))
    cues.append(Cue(float(seconds - TEN_LEFT), words["ten_seconds_left"]))
    cues += [Cue(float(seconds - n), w) for n, w in zip(LAST_FIVE, words["last_five"], strict=True)]
    if release:
        cues.append(Cue(float(seconds), words["release"]))
    return tuple(cues)


def _gaps(seconds: int) -> list[tuple[Cue, float]]:
    """Each cue with the silence that follows it: the time to the next cue minus the
    estimated time of saying this one (never negative; none after the release)."""
    cues = hold_cues(seconds)
    out = []
    for cue, following in zip(cues, cues[1:], strict=False):
        out.append((cue, max(0.0, round(following.at - cue.at - cue.speaking_seconds, 2))))
    out.append((cues[-1], 0.0))
    return out


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
    """The spoken countdown for a hold of ``seconds`` (20-30), as an SSML fragment."""
    parts: list[str] = []
    for cue, silence in _gaps(seconds):
        parts.append(ssml.sentence(cue.text))
        parts.extend(_fill(silence))
    return "".join(parts)


def apla_countdown(seconds: int, tick: str | None = None) -> dict[str, Any]:
    """The data source of the APLA countdown (``skill/data/apla/hold.json``): the cues as
    ``Speech`` items with exact ``Silence`` (ms) between them, and, when ``tick`` names a
    sound-library URI, one quiet tick per second of the hold under them."""
    items: list[dict[str, Any]] = []
    for cue, silence in _gaps(seconds):
        items.append({"kind": "speech", "ssml": ssml.wrap(ssml.sentence(cue.text))})
        if silence > 0:
            items.append({"kind": "silence", "ms": round(silence * 1000)})
    return {
        "seconds": seconds,
        "items": items,
        "tick": tick or "",
        "tickVolume": TICK_VOLUME,
        "ticks": list(range(seconds)) if tick else [],
    }


@dataclass(frozen=True)
class Hold:
    """A rendered hold: its SSML (spoken countdown or hosted clip), its APLA data source,
    and the seconds it is meant to last."""

    ssml: str
    seconds: int
    uses_audio: bool = False
    apla: dict[str, Any] = field(default_factory=dict)


def render_hold(seconds: int, audio_base_url: str | None = None, tick: str | None = None) -> Hold:
    """Render a hold of ``seconds`` (clamped to 20-30) in all three forms.

    ``ssml`` is the countdown clip when audio is hosted (and the clip is available), else the
    spoken countdown; both end on the spoken release. ``apla`` is always filled: the caller
    (``skill.core.coaching``) picks it when the operator's setting allows."""
    length = clamp_hold(seconds).seconds
    apla = apla_countdown(length, tick)
    if audio_base_url:
        clip = _countdown_clip(length, audio_base_url)
        if clip is not None:
            return Hold(
                ssml=clip + ssml.sentence(RELEASE_MARK), seconds=length, uses_audio=True, apla=apla
            )
    return Hold(ssml=spoken_countdown(length), seconds=length, apla=apla)


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
