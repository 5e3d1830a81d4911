"""Render a timed stretch hold: the one place that decides how a hold sounds.

A hold is heard as a countdown, never as dead silence. One timeline (:func:`hold_cues`) says
which cue starts when: the start mark, "twenty seconds left", "ten seconds left", "five,
four, three, two, one", "and release" (in the words of the request's catalogue), timed so
that the whole countdown lasts the hold length at :data:`skill.core.ssml.WORDS_PER_SECOND`.
:func:`render_hold` gives that timeline in three forms at once, kept consistent by the tests:

- the spoken countdown, SSML with ``<break>``s of at most 10 s between the cues;
- the hosted countdown clip from ``audio/`` (built on the same marks, see
  skill/tools/audio/spec.py), followed by the spoken release, when audio is hosted;
- the data source of the APL-for-audio countdown (``skill/data/apla/hold.json``): Alexa's own
  voice for the cues and exact ``Silence`` between them, so Alexa itself times the hold. Which
  form a response uses is decided in skill/alexa/render.py (operator setting
  ``CRAMP_COACH_HOLD_AUDIO``; docs/audio.md).

Every hold is one ``<p>`` element (:data:`HOLD_TAG`) and nothing else the skill says is:
that is how the simulator and the tests find a hold, whatever its language.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from skill.core import ssml
from skill.core.hold_range import (
    DEFAULT_HOLD,
    MAX_HOLD,
    MIN_HOLD,
    HoldLength,
    HoldSeconds,
    clamp_hold,
)

__all__ = ["DEFAULT_HOLD", "MAX_HOLD", "MIN_HOLD", "HoldLength", "HoldSeconds", "clamp_hold"]

log = logging.getLogger(__name__)

#: The element that wraps a hold, and only a hold (Alexa pauses briefly around a ``<p>``).
HOLD_TAG = "p"
#: How loud the optional sound-library tick plays under the APLA cues (``Volume`` filter).
TICK_VOLUME = "25%"


@dataclass(frozen=True)
class Countdown:
    """The words of a spoken countdown, from the request's catalogue: the start mark, the
    "N seconds left" marks by N, the last five counts, and the release."""

    start: str
    left: Mapping[int, str]
    count: tuple[str, ...]
    release: str


@dataclass(frozen=True)
class Cue:
    """Words that start ``at`` seconds into the hold."""

    at: float
    text: str


@dataclass(frozen=True)
class Hold:
    """A rendered hold: its SSML fragment (spoken countdown or clip) and the seconds it is
    meant to last; :attr:`apla` gives the data source of its APLA countdown on request."""

    ssml: str
    seconds: int
    uses_audio: bool = False
    words: Countdown | None = field(default=None, repr=False)
    tick: str | None = None

    @property
    def apla(self) -> dict[str, Any]:
        """The APLA countdown of the same hold (built only when asked for)."""
        assert self.words is not None
        return apla_countdown(self.seconds, self.words, self.tick)


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


def hold_cues(seconds: int, words: Countdown) -> tuple[Cue, ...]:
    """The timeline of a hold of ``seconds`` (20-30): each cue and the second it starts.

    The last five counts come one second apart, so that the release ends exactly at
    ``seconds``; "N seconds left" marks are said when there is room after the start."""
    cues = [Cue(0.0, words.start)]
    for left in sorted(words.left, reverse=True):
        if seconds - left > _words_seconds(words.start):
            cues.append(Cue(float(seconds - left), words.left[left]))
    release_at = seconds - _words_seconds(words.release)
    count_start = release_at - len(words.count)
    cues += [Cue(count_start + offset, word) for offset, word in enumerate(words.count)]
    cues.append(Cue(release_at, words.release))
    return tuple(cues)


def _gaps(seconds: int, words: Countdown) -> list[tuple[Cue, float]]:
    """Each cue with the silence after it: the time to the next cue (or to the end of the
    hold) minus the estimated time of saying this one, never negative."""
    cues = hold_cues(seconds, words)
    ends = [c.at for c in cues[1:]] + [float(seconds)]
    return [
        (cue, max(0.0, round(end - cue.at - _words_seconds(cue.text), 2)))
        for cue, end in zip(cues, ends, strict=True)
    ]


def spoken_countdown(seconds: int, words: Countdown) -> str:
    """The spoken countdown for a hold of ``seconds`` (20-30), as an SSML fragment."""
    parts: list[str] = []
    for cue, silence in _gaps(seconds, words):
        parts.append(ssml.sentence(cue.text))
        parts.extend(_fill(silence))
    return "".join(parts)


#: APLA countdowns made so far, by length, words and tick: a few per locale, each the same
#: every time, so a relief turn does not rebuild its timeline (bench/RESULTS.md).
_APLA_MADE: dict[tuple[Any, ...], dict[str, Any]] = {}
_APLA_MADE_MAX = 256


def apla_countdown(seconds: int, words: Countdown, tick: str | None = None) -> dict[str, Any]:
    """The ``hold`` data source of the APLA countdown (``skill/data/apla/hold.json``): each
    cue as Alexa's speech, exact ``Silence`` (ms) between them, and, when ``tick`` names a
    sound-library URI, a quiet tick each second under them.

    A new top-level dict each call (callers add ``after``); what it holds is shared between
    calls and must not be changed."""
    key = (seconds, words.start, tuple(words.left.items()), words.count, words.release, tick)
    made = _APLA_MADE.get(key)
    if made is None:
        if len(_APLA_MADE) >= _APLA_MADE_MAX:
            _APLA_MADE.clear()
        made = _APLA_MADE[key] = _apla_countdown(seconds, words, tick)
    return dict(made)


def _apla_countdown(seconds: int, words: Countdown, tick: str | None) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for cue, silence in _gaps(seconds, words):
        items.append({"kind": "speech", "ssml": ssml.wrap(ssml.sentence(cue.text))})
        if silence > 0:
            items.append({"kind": "silence", "ms": round(silence * 1000)})
    return {
        "seconds": seconds,
        "items": items,
        "tick": tick or "",
        "tickVolume": TICK_VOLUME,
        "ticks": list(range(seconds)) if tick else [],
        "after": "",
    }


def _hold(body: str) -> str:
    return f"<{HOLD_TAG}>{body}</{HOLD_TAG}>"


def render_hold(
    seconds: HoldSeconds,
    words: Countdown,
    audio_base_url: str | None = None,
    tick: str | None = None,
) -> Hold:
    """Render a hold of ``seconds`` (a checked hold length) for the speech: ``ssml`` is the
    countdown clip when audio is hosted (and the clip is available), otherwise the spoken
    countdown, both ending on the spoken release; ``apla`` gives the APLA data source (with
    the sound-library ``tick``, if any). The caller passes no audio URL when the clips are not
    in the request's language. A hold the APLA countdown carries needs only
    :func:`apla_hold`: nothing spoken is rendered for it."""
    if audio_base_url:
        clip = _countdown_clip(seconds, audio_base_url)
        if clip is not None:
            release = ssml.sentence(words.release)
            return Hold(_hold(clip + release), seconds, True, words, tick)
    return Hold(_hold(spoken_countdown(seconds, words)), seconds, False, words, tick)


def apla_hold(seconds: HoldSeconds, words: Countdown, tick: str | None = None) -> dict[str, Any]:
    """The APLA countdown data source of a hold of ``seconds`` (a checked hold length)."""
    return apla_countdown(seconds, words, tick)


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
