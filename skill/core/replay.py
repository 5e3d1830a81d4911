"""What "repeat" replays: the skill's own reply kept as plain segments, re-rendered as SSML.

Why not keep the SSML: session attributes come back in the request, so a forged request could
put any markup there (an ``<audio>`` from anywhere, a 60 s break, 9,000 characters, broken
XML) and "repeat" would say it. Instead :func:`capture` reduces the reply the skill just built
to plain sentences, pauses and clip names; :func:`render` rebuilds SSML from those through
:mod:`skill.core.ssml` (every sentence escaped, every pause at most 10 s, clips only from the
operator's audio base URL and the audio manifest), and :func:`check` bounds them on the way
in (it is the ``said`` entry of :mod:`skill.core.session_state`).

A segment is a string (one sentence of plain text), a number (a pause in seconds) or
``{"clip": name}`` (a clip file under ``Settings.audio_base_url``).
"""

from __future__ import annotations

import re
from typing import Any

from skill.core import ssml
from skill.core.numbers import finite_float

Segment = str | float | dict[str, str]

MAX_SEGMENTS = 80
MAX_SENTENCE_CHARS = 600
MAX_TEXT_CHARS = 4000
#: A hold's countdown is the longest silence the skill speaks (about 25 s of breaks).
MAX_PAUSE_TOTAL = 60.0
_CLIP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}\.mp3$")

_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_SENTENCE_ENDS = ("</s>", "</p>")


def _unescape(value: str) -> str:
    return (
        value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


def capture(body: str | None, audio_base_url: str | None = None) -> list[Segment]:
    """The segments of an SSML body the skill built (tags it does not replay keep their text)."""
    segments: list[Segment] = []
    words: list[str] = []

    def flush() -> None:
        sentence = " ".join("".join(words).split())
        words.clear()
        if sentence:
            segments.append(sentence)

    for token in _TOKEN.findall(body or ""):
        if not token.startswith("<"):
            words.append(_unescape(token))
            continue
        name = token.strip("</>").split()[0] if token.strip("</> ") else ""
        attributes = dict(_ATTRIBUTE.findall(token))
        if token in _SENTENCE_ENDS or name in ("s", "p"):
            flush()
        elif name == "break":
            flush()
            seconds = ssml.break_seconds_of(attributes.get("time"), attributes.get("strength"))
            if seconds is not None:
                segments.append(seconds)
        elif name == "audio":
            flush()
            src = _unescape(attributes.get("src", ""))
            base = (audio_base_url or "").rstrip("/") + "/"
            if audio_base_url and src.startswith(base):
                segments.append({"clip": src[len(base) :]})
    flush()
    return segments


def check(value: Any) -> list[Segment]:
    """Segments as they come back in a request, bounded; raises ValueError if unusable."""
    if not isinstance(value, list) or len(value) > MAX_SEGMENTS:
        raise ValueError("not a short list")
    chars = 0
    pauses = 0.0
    out: list[Segment] = []
    for item in value:
        if isinstance(item, str):
            if len(item) > MAX_SENTENCE_CHARS:
                raise ValueError("sentence too long")
            chars += len(item)
            out.append(item)
        elif isinstance(item, dict):
            clip = item.get("clip")
            if set(item) != {"clip"} or not isinstance(clip, str) or not _CLIP_NAME.match(clip):
                raise ValueError("bad clip")
            out.append({"clip": clip})
        else:
            seconds = finite_float(item, 0.0, ssml.MAX_BREAK_SECONDS)
            if seconds is None:
                raise ValueError("bad pause")
            pauses += seconds
            out.append(seconds)
    if chars > MAX_TEXT_CHARS or pauses > MAX_PAUSE_TOTAL:
        raise ValueError("too long")
    return out


def render(segments: list[Segment], audio_base_url: str | None = None) -> str:
    """SSML (no ``<speak>``) for checked segments; clips the manifest does not know, or any
    clip without a base URL, are left out."""
    known = _known_clips(audio_base_url) if audio_base_url else {}
    parts: list[str] = []
    clips = 0
    for segment in segments:
        if isinstance(segment, str):
            parts.append(ssml.sentence(segment))
        elif isinstance(segment, dict):
            url = f"{(audio_base_url or '').rstrip('/')}/{segment['clip']}"
            if url in known and clips < ssml.MAX_AUDIO_CLIPS:
                clips += 1
                parts.append(ssml.audio(url))
        else:
            parts.append(ssml.pause(round(float(segment), 3)))
    return "".join(parts)


def _known_clips(audio_base_url: str) -> dict[str, float]:
    from skill.core.audio_manifest import durations_by_url

    try:
        return durations_by_url(audio_base_url)
    except (OSError, ValueError, KeyError, TypeError):
        return {}
