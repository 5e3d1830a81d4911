"""How long a hold may last: the seed's 20-30 seconds, the one source for every module.

A leaf module so that the hold renderer, the audio manifest and the memory rules can all
read the range without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_HOLD = 20
MAX_HOLD = 30
DEFAULT_HOLD = 30


@dataclass(frozen=True)
class HoldLength:
    """A requested hold length after clamping to the seed's 20-30 seconds."""

    seconds: int
    requested: int | None
    clamped: bool


def is_hold(seconds: object) -> bool:
    """Whether ``seconds`` is a hold length as the skill keeps one (in the session, the
    routine, the person's memory, a clip's name): whole seconds in the range. The one check
    of the range; :func:`clamp_hold` brings a request into it."""
    return (
        isinstance(seconds, int)
        and not isinstance(seconds, bool)
        and MIN_HOLD <= seconds <= MAX_HOLD
    )


def clamp_hold(requested: float | int | None) -> HoldLength:
    """Clamp a requested hold to 20-30 s; ``None`` gives the 30 s default."""
    if requested is None:
        return HoldLength(DEFAULT_HOLD, None, False)
    value = round(requested)
    seconds = min(MAX_HOLD, max(MIN_HOLD, value))
    return HoldLength(seconds, value, seconds != value)
