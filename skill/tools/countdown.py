"""Where a response holds a stretch, and a live countdown bar for it in the terminal.

A hold is the part of a response from "Hold it, gently." up to "And release." (the spoken or
APLA countdown of :mod:`skill.core.holds`; the release is said when the hold is over) or a
countdown clip. The simulator shows it as a bar that
empties in real time; the conversation tests read its length from the same place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from skill.core.holds import RELEASE_MARK, START_MARK
from skill.tools.transcript import Segment, file_name

BAR_WIDTH = 30


@dataclass(frozen=True)
class HoldSpan:
    """Segments ``start`` to ``end`` (exclusive) of a response are a hold of ``seconds``."""

    start: int
    end: int
    seconds: float


def find_hold(parts: list[Segment]) -> HoldSpan | None:
    """The first hold in a response, or None."""
    for index, part in enumerate(parts):
        if part.kind == "audio" and "countdown" in (part.text or file_name(part.src)):
            return HoldSpan(index, index + 1, part.seconds)
        if part.kind == "speech" and part.text == START_MARK:
            for end in range(index, len(parts)):
                if parts[end].kind == "speech" and parts[end].text == RELEASE_MARK:
                    seconds = sum(p.duration for p in parts[index:end])
                    return HoldSpan(index, end, seconds)
    return None


def bar(left: float, total: float, said: str = "", width: int = BAR_WIDTH) -> str:
    """One frame: ``hold [#####-----] 12s left  Ten seconds left.``"""
    done = 0 if total <= 0 else min(width, round(width * (total - left) / total))
    frame = f"hold [{'#' * done}{'-' * (width - done)}] {max(0, round(left)):>2}s left"
    return f"{frame}  {said}" if said else frame


def play_hold(
    parts: list[Segment],
    span: HoldSpan,
    out: TextIO,
    sleep: Callable[[float], None] = time.sleep,
    tick: float = 0.25,
) -> None:
    """Draw the bar for ``span`` in real time, showing each spoken mark as it is reached.
    Ctrl-C ends the bar early (the conversation goes on)."""
    total = span.seconds
    left = total
    said = ""
    try:
        for part in parts[span.start : span.end]:
            if part.kind == "speech":
                said = part.text
            remaining = part.duration
            while remaining > 1e-6:
                out.write("\r" + bar(left, total, said) + "\033[K")
                out.flush()
                step = min(tick, remaining)
                sleep(step)
                remaining -= step
                left -= step
    except KeyboardInterrupt:
        pass
    out.write("\r" + bar(0, total, "released") + "\033[K\n")
    out.flush()
