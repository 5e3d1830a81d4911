"""Spoken numbers and durations, as Alexa fills AMAZON.NUMBER and AMAZON.DURATION.

People say "twenty five" or "an hour and a half", never ``25`` or ``PT1H30M``; Alexa turns
what it hears into those forms before the skill sees them, so the offline simulator has to
do the same. Only whole numbers and simple fractions ("and a half", "half a minute").
"""

from __future__ import annotations

_UNITS = {
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
#: ISO-8601 unit letter, keyed by every way people say the unit.
_DURATION_UNITS = {
    "second": "S",
    "seconds": "S",
    "sec": "S",
    "secs": "S",
    "minute": "M",
    "minutes": "M",
    "min": "M",
    "mins": "M",
    "hour": "H",
    "hours": "H",
    "hr": "H",
    "hrs": "H",
}


def _words(text: str) -> list[str]:
    return text.lower().replace("-", " ").replace(",", " ").split()


def words_to_int(words: list[str]) -> int | None:
    """The whole number that ``words`` spell ("one hundred and five"), or None.

    "a"/"an" count as one only before a scale word ("a hundred"), never on their own.
    """
    if not words:
        return None
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if words in (["a"], ["an"]) or words[-1] == "and":
        return None
    total = 0
    current = 0
    seen_tens = seen_unit = False
    for index, word in enumerate(words):
        if word == "and" and index > 0 and words[index - 1] in _SCALES:
            continue
        if word in ("a", "an") and not (index + 1 < len(words) and words[index + 1] in _SCALES):
            return None
        if word in _UNITS and not seen_unit:
            if seen_tens and _UNITS[word] >= 10:
                return None
            current += _UNITS[word]
            seen_unit = True
        elif word in _TENS and not seen_tens and not seen_unit:
            current += _TENS[word]
            seen_tens = True
        elif word in _SCALES:
            scale = _SCALES[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            seen_tens = seen_unit = False
        elif word.isdigit() and not (seen_tens or seen_unit or current):
            current += int(word)
            seen_unit = True
        else:
            return None
    return total + current


def parse_number(text: str) -> str | None:
    """AMAZON.NUMBER's value for ``text``: "twenty five" and "25" both give ``"25"``."""
    value = words_to_int(_words(text))
    return None if value is None else str(value)


_HALF = ("half", "half a", "half an", "a half")
_SMALLER = {"H": ("M", 60), "M": ("S", 60), "S": ("S", 1)}


def add_amount(parts: dict[str, float], letter: str, amount: float) -> None:
    """Add ``amount`` of unit ``letter`` (H, M or S) to ``parts``; a fraction goes to the
    next smaller unit ("a minute and a half" is 1 M and 30 S), as Alexa fills it."""
    whole = int(amount)
    if whole:
        parts[letter] = parts.get(letter, 0) + whole
    if amount - whole:
        smaller, per = _SMALLER[letter]
        parts[smaller] = parts.get(smaller, 0) + (amount - whole) * per


def iso_duration(parts: dict[str, float]) -> str:
    """``{"M": 1, "S": 30}`` as AMAZON.DURATION's ISO 8601 value, ``"PT1M30S"``."""
    out = "PT"
    for letter in "HMS":
        if letter in parts:
            out += f"{parts[letter]:g}{letter}"
    return out


def _amount(words: list[str]) -> float | None:
    """The amount before a unit: "ninety", "one and a half", "half a"; None if unreadable."""
    text = " ".join(words)
    if text in _HALF:
        return 0.5
    if text in ("a", "an"):
        return 1.0
    for suffix in (" and a half", " and half"):
        if text.endswith(suffix):
            whole = _amount(text[: -len(suffix)].split())
            return None if whole is None else whole + 0.5
    value = words_to_int(words)
    return None if value is None else float(value)


def _parts(text: str) -> dict[str, float] | None:
    """Amount per ISO unit letter, as said: "an hour and a half" gives {H: 1, M: 30}."""
    words = _words(text)
    if words[-1:] == ["and"]:
        return None
    parts: dict[str, float] = {}
    pending: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "and" and not pending:
            continue  # "two minutes and thirty seconds"
        if word not in _DURATION_UNITS:
            pending.append(word)
            continue
        amount = _amount(pending)
        if amount is None:
            return None
        pending = []
        if words[index : index + 3] == ["and", "a", "half"]:
            amount += 0.5  # "a minute and a half"
            index += 3
        add_amount(parts, _DURATION_UNITS[word], amount)
    if pending or not parts:
        return None
    return parts


def parse_duration(text: str) -> str | None:
    """AMAZON.DURATION's value for ``text``: "thirty seconds" gives ``"PT30S"``, "an hour
    and a half" ``"PT1H30M"``, "ninety seconds" ``"PT90S"`` (units kept as said)."""
    parts = _parts(text)
    if parts is None:
        return None
    return iso_duration(parts)
