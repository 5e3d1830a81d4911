"""SSML written down as a listener hears it: words, ``[pause 10s]``, ``[countdown clip 30s]``.

The terminal simulator prints this instead of markup, so a developer reads what Alexa would
say and how long it would be quiet. Clip names and lengths come from the audio manifest
(``audio/manifest.json``) when there is one, else the clip's file name is shown.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from skill.core.audio_manifest import AudioManifest, load_manifest
from skill.core.holds import HOLD_TAG
from skill.core.ssml import WORDS_PER_SECOND, break_seconds, parse, tag_name


@dataclass(frozen=True)
class Clip:
    """How a clip is shown: ``countdown`` or the cue's id, and how long it plays."""

    name: str
    seconds: float | None = None


@dataclass(frozen=True)
class Segment:
    """One stretch of a response: spoken words, silence, or an audio clip."""

    kind: Literal["speech", "pause", "audio"]
    text: str = ""
    seconds: float = 0.0
    src: str = ""
    #: Which hold of the response this segment belongs to (1 for the first), 0 if none:
    #: the skill wraps each hold, and only a hold, in :data:`skill.core.holds.HOLD_TAG`.
    hold: int = 0

    @property
    def duration(self) -> float:
        """Seconds it lasts (speech estimated at Alexa's speaking rate)."""
        if self.kind == "speech":
            return len(self.text.split()) / WORDS_PER_SECOND
        return self.seconds


def file_name(src: str) -> str:
    return Path(urlparse(src).path).name


def clips_of(manifest: AudioManifest) -> dict[str, Clip]:
    """Clips by file name: countdown tracks as ``countdown``, cues by their id."""
    return {
        clip.file: Clip("countdown" if clip.kind == "countdown" else clip.id, clip.duration_seconds)
        for clip in manifest.clips.values()
    }


@cache
def shipped_clips() -> dict[str, Clip]:
    """The clips of the shipped ``audio/manifest.json``; empty when there is none."""
    try:
        return clips_of(load_manifest())
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def segments(ssml: str, clips: Mapping[str, Clip] | None = None) -> list[Segment]:
    """The response as speech, pause and audio segments, in order. Consecutive breaks
    are one pause; each run of text is its own speech segment (sentences stay apart)."""
    clips = shipped_clips() if clips is None else clips
    try:
        root = parse(ssml)
    except ET.ParseError:
        return [Segment("speech", " ".join(re.sub(r"<[^>]+>", " ", ssml).split()))]
    out: list[Segment] = []
    holds = 0
    hold = 0  # the hold being walked through, if any

    def add_text(text: str | None, in_hold: int) -> None:
        words = " ".join((text or "").split())
        if words:
            out.append(Segment("speech", words, hold=in_hold))

    def add_pause(seconds: float) -> None:
        if out and out[-1].kind == "pause" and out[-1].hold == hold:
            seconds += out.pop().seconds
        if seconds > 0:
            out.append(Segment("pause", seconds=round(seconds, 3), hold=hold))

    def walk(element: ET.Element) -> None:
        nonlocal holds, hold
        name = tag_name(element)
        outer = hold
        if name == HOLD_TAG:
            holds += 1
            hold = holds
        if name == "break":
            with contextlib.suppress(ValueError):  # the validator reports bad breaks
                add_pause(break_seconds(element))
        elif name == "audio":
            src = element.attrib.get("src", "")
            clip = clips.get(file_name(src))
            seconds = clip.seconds if clip and clip.seconds is not None else 0.0
            out.append(Segment("audio", clip.name if clip else "", seconds, src, hold))
        else:
            add_text(element.text, hold)
            for child in element:
                walk(child)
        hold = outer
        if element is not root:
            add_text(element.tail, hold)

    walk(root)
    return out


def seconds_label(seconds: float) -> str:
    return f"{round(seconds, 1):g}s"


def audio_label(segment: Segment) -> str:
    """``countdown clip 30.4s`` for a clip the manifest knows, else ``audio <file name>``."""
    if not segment.text:
        return f"audio {file_name(segment.src) or segment.src}"
    label = segment.text.replace("_", " ") + " clip"
    return f"{label} {seconds_label(segment.seconds)}" if segment.seconds else label


def render(parts: list[Segment]) -> str:
    """Readable text: the words, with pauses and clips in brackets."""
    out = []
    for part in parts:
        if part.kind == "speech":
            out.append(part.text)
        elif part.kind == "pause":
            out.append(f"[pause {seconds_label(part.seconds)}]")
        else:
            out.append(f"[{audio_label(part)}]")
    return " ".join(out)


def transcript(ssml: str, clips: Mapping[str, Clip] | None = None) -> str:
    """``ssml`` as readable text (see :func:`render`)."""
    return render(segments(ssml, clips))
