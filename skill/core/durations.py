"""Durations as Alexa sends them: AMAZON.DURATION (ISO-8601) or AMAZON.NUMBER seconds."""

from __future__ import annotations

import re

from skill.core.numbers import parse_number
from skill.core.turn import SlotValue

# At most six digits (and three decimals) per part: a 400-digit duration is refused, not
# turned into a float too big for round() (see skill.core.numbers).
_PART = r"[0-9]{1,6}(?:\.[0-9]{1,3})?"
_ISO = re.compile(
    rf"^P(?:(?P<days>{_PART})D)?"
    rf"(?:T(?:(?P<hours>{_PART})H)?(?:(?P<minutes>{_PART})M)?"
    rf"(?:(?P<seconds>{_PART})S)?)?$"
)
#: The longest spoken number of seconds the skill reads (far beyond any hold or rest).
MAX_NUMBER = 999_999


def parse_iso_duration(value: str) -> float | None:
    """Seconds in an ISO-8601 duration such as ``PT30S`` or ``PT1H5M``; None if invalid."""
    match = _ISO.match(value.strip().upper())
    if not match or value.strip().upper() in {"P", "PT"}:
        return None
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    if not parts:
        return None
    return (
        parts.get("days", 0) * 86400
        + parts.get("hours", 0) * 3600
        + parts.get("minutes", 0) * 60
        + parts.get("seconds", 0)
    )


def iso_duration(seconds: int) -> str:
    """Format whole seconds as ISO-8601 (``PT30S``, ``PT2M``, ``PT1H0M5S`` style)."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs or out == "PT":
        out += f"{secs}S"
    return out


#: Seconds per unit of a spoken number plus unit ("two minutes" as NUMBER and a unit slot).
UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600}


def seconds_from_slots(
    number: SlotValue | None, duration: SlotValue | None, unit: SlotValue | None = None
) -> float | None:
    """Seconds from a DURATION slot, else a NUMBER slot times its unit (seconds when no unit
    was said)."""
    if duration is not None and isinstance(duration.value, str):
        parsed = parse_iso_duration(duration.value)
        if parsed is not None:
            return parsed
    if number is None:
        return None
    amount = parse_number(number.value, 0, MAX_NUMBER)
    if amount is None:
        return None
    unit_name = (unit.id or unit.value) if unit is not None else "second"
    return amount * UNIT_SECONDS.get(unit_name.strip().lower().rstrip("s"), 1)
