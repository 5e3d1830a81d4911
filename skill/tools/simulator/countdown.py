"""Where a response holds a stretch, and a live countdown bar for it in the terminal.

A hold is the part of a response the skill marks as one (:data:`skill.core.holds.HOLD_TAG`,
around the spoken countdown or the countdown clip), found by that structure and not by its
words, so it works in every locale. The simulator shows it as a bar that empties in real
time; the conversation tests read its length from the same place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from skill.tools.simulator.transcript import Segment

BAR_WIDTH = 30


@dataclass(frozen=True)
class HoldSpan:
    """Segments ``start`` to ``end`` (exclusive) of a response are a hold of ``seconds``."""

    start: int
    end: int
    seconds: float


def find_hold(parts: list[Segment]) -> HoldSpan | None:
    """The first hold in a response, or None."""
    start = next((i for i, part in enumerate(parts) if part.hold), None)
    if start is None:
        return None
    stop = start
    while stop < len(parts) and parts[stop].hold == parts[start].hold:
        stop += 1
    return HoldSpan(start, stop, sum(p.duration for p in parts[start:stop]))


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
