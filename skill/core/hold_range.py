"""How long a hold may last: the seed's 20-30 seconds, and the one value type that holds it.

Why a type: a hold length is kept in three places (the session's ``hold``, the running
routine's ``hold``, the person's remembered ``hold_seconds``) and rendered in several more.
:data:`HoldSeconds` is made only here, by :func:`as_hold` (the one range check, for a value
read at the edge: session attributes, a stored record, a clip's name) or :func:`clamp_hold`
(a person's request brought into the range); everything else takes a ``HoldSeconds`` and
trusts it, so mypy shows that no unchecked number reaches a hold
(tests/test_session_state.py checks that nothing else makes one).

A leaf module (the standard library only) so that the hold renderer, the audio manifest,
the session state and the memory rules can all read the range without importing each other.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import NewType

#: Whole seconds within the seed's range, made only by this module's functions.
HoldSeconds = NewType("HoldSeconds", int)

MIN_HOLD = 20
MAX_HOLD = 30
DEFAULT_HOLD = HoldSeconds(30)


@dataclass(frozen=True)
class HoldLength:
    """A requested hold length after clamping to the seed's 20-30 seconds."""

    seconds: HoldSeconds
    requested: int | None
    clamped: bool


def as_hold(value: object) -> HoldSeconds | None:
    """``value`` as a hold length, or None when it is not one: whole seconds (an int, or an
    integral float or Decimal as JSON and DynamoDB hand numbers back) in the range. The one
    check of the range; booleans, strings, NaN and fractions are refused, never converted."""
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return None
    try:
        seconds = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return None  # NaN, infinities, complex
    if seconds != value or not MIN_HOLD <= seconds <= MAX_HOLD:
        return None
    return HoldSeconds(seconds)


def hold_or_default(value: object) -> HoldSeconds:
    """``value`` as a hold length, or the default when it is not one (a repair at the edge)."""
    return as_hold(value) or DEFAULT_HOLD


def is_hold(value: object) -> bool:
    """Whether ``value`` passes :func:`as_hold`."""
    return as_hold(value) is not None


def clamp_hold(requested: float | int | None) -> HoldLength:
    """Clamp a requested hold to 20-30 s; ``None`` gives the 30 s default."""
    if requested is None:
        return HoldLength(DEFAULT_HOLD, None, False)
    value = round(requested)
    seconds = HoldSeconds(min(MAX_HOLD, max(MIN_HOLD, value)))
    return HoldLength(seconds, value, seconds != value)


def is_hold_length(seconds: float) -> bool:
    """Whether a timer of ``seconds`` is short enough to be a hold (a longer one is a rest)."""
    return seconds <= MAX_HOLD
