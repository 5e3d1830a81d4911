"""Numbers from outside the skill (slots, session attributes, stores, Alexa APIs) as bounded ints.

Why: ``float("NaN")``, ``float("1e309")`` and a 400-digit string all parse, and then
``round``/``int`` raise (ValueError, OverflowError) deep inside a dialog function, turning a
person's answer into the generic apology. Every number that crosses into the skill goes
through one of these functions: it comes back as an int within the caller's bounds, or None.
"""

from __future__ import annotations

import math
import re
from typing import Any

from skill.store.values import is_decimal

#: A spoken number as Alexa's AMAZON.NUMBER sends it: digits, perhaps a short decimal part.
#: Six digits is far beyond any duration or count the skill can use, and keeps int() cheap.
_DECIMAL = re.compile(r"^\s*(\d{1,6})(?:\.(\d{1,3}))?\s*$", re.ASCII)


def parse_number(text: Any, low: int, high: int) -> int | None:
    """A non-negative decimal string (``"25"``, ``"2.5"``) rounded to an int in
    ``[low, high]``; None for anything else (``"NaN"``, ``"1e309"``, ``"?"``, 400 digits)."""
    if not isinstance(text, str):
        return None
    match = _DECIMAL.match(text)
    if match is None:
        return None
    whole, fraction = match.groups()
    value = int(whole) + (1 if fraction and fraction[0] >= "5" else 0)
    return value if low <= value <= high else None


def bounded_int(value: Any, low: int, high: int) -> int | None:
    """A JSON or store number (int, integral float or Decimal) in ``[low, high]``, else None.

    Booleans, strings, NaN and infinities are refused, never converted."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) or is_decimal(value):
        try:
            if not math.isfinite(value) or value != int(value):
                return None
        except (OverflowError, ValueError, ArithmeticError):
            return None
        number = int(value)
    else:
        return None
    return number if low <= number <= high else None


def finite_float(value: Any, low: float, high: float) -> float | None:
    """A finite float in ``[low, high]`` (ints, floats, Decimals), else None."""
    if isinstance(value, bool) or not (isinstance(value, int | float) or is_decimal(value)):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError, ArithmeticError):
        return None
    return number if math.isfinite(number) and low <= number <= high else None
