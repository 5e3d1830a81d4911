"""Spanish spoken numbers and durations, as Alexa fills AMAZON.NUMBER and AMAZON.DURATION
for es-US, es-MX and es-ES.

The Spanish sibling of :mod:`skill.tools.nlu.spoken_numbers`: "veinticinco" and "treinta y cinco"
are numbers; "veinte segundos", "medio minuto", "un minuto y medio", "minuto y medio",
"una hora y cuarto" and "dos minutos y treinta segundos" are durations. Words arrive
accent-folded ("dieciséis" as "dieciseis"), as the offline NLU compares them.

The words are data (``skill/locales/es/nlu/numbers.json``): a regional word or abbreviation is
added there. This module is the grammar that combines them ("treinta *y* cinco", "cien" alone
but "ciento" before more, "un minuto *y medio*", "un cuarto de hora"), which differs by
language as much as the words do.
"""

from __future__ import annotations

from skill.tools.nlu.language_words import number_words
from skill.tools.nlu.overlap import fold
from skill.tools.nlu.spoken_numbers import add_amount, iso_duration

#: The number and duration words, from skill/locales/es/nlu/numbers.json (accent-folded).
_WORDS = number_words("es")
_UNITS: dict[str, int] = _WORDS["units"]
#: Whole words from ten to twenty-nine ("veintitrés" is one word).
_TEENS: dict[str, int] = _WORDS["teens"]
_TENS: dict[str, int] = _WORDS["tens"]
_HUNDREDS: dict[str, int] = _WORDS["hundreds"]
#: ISO-8601 unit letter, keyed by every way people say the unit.
_DURATION_UNITS: dict[str, str] = _WORDS["duration_units"]
_ARTICLES = ("un", "una")
_HALF = ("medio", "media")


def _words(text: str) -> list[str]:
    return fold(text).replace("-", " ").replace(",", " ").split()


def _below_thousand(words: list[str]) -> int | None:
    """ "ciento treinta y cinco" -> 135; None unless the words are one number below 1000."""
    total = 0
    index = 0
    if index < len(words) and words[index] in _HUNDREDS:
        total += _HUNDREDS[words[index]]
        index += 1
        if total == 100 and words[0] == "cien" and index < len(words):
            return None  # "cien" stands alone; "ciento" takes more
    rest = words[index:]
    if not rest:
        return total if index else None
    if len(rest) == 1 and (rest[0] in _UNITS or rest[0] in _TEENS):
        return total + _UNITS.get(rest[0], _TEENS.get(rest[0], 0))
    if rest[0] in _TENS:
        if len(rest) == 1:
            return total + _TENS[rest[0]]
        if len(rest) == 3 and rest[1] == "y" and rest[2] in _UNITS and _UNITS[rest[2]]:
            return total + _TENS[rest[0]] + _UNITS[rest[2]]
    return None


def words_to_int(words: list[str]) -> int | None:
    """The whole number that ``words`` spell ("dos mil trescientos"), or None.

    "un"/"una" alone are the article, not a number ("un calambre"); "uno" is one.
    """
    if not words:
        return None
    if len(words) == 1 and words[0].isdigit():
        return int(words[0])
    if words in (["un"], ["una"]):
        return None
    if "mil" in words:
        at = words.index("mil")
        before, after = words[:at], words[at + 1 :]
        thousands = 1 if not before else _below_thousand(before)
        if thousands is None or before in (["uno"], ["una"]):
            return None
        if not after:
            return thousands * 1000
        rest = _below_thousand(after)
        return None if rest is None else thousands * 1000 + rest
    return _below_thousand(words)


def parse_number(text: str) -> str | None:
    """AMAZON.NUMBER's value for ``text``: "veinticinco" and "25" both give ``"25"``."""
    value = words_to_int(_words(text))
    return None if value is None else str(value)


def _amount(words: list[str]) -> float | None:
    """The amount before a unit: "noventa", "un", "medio"; None if unreadable."""
    if words in (["medio"], ["media"]):
        return 0.5
    if words in (["un"], ["una"]):
        return 1.0
    value = words_to_int(words)
    return None if value is None else float(value)


def _fraction(words: list[str], index: int) -> tuple[float, int]:
    """A fraction said after a unit at ``words[index]``: "y medio" (1/2), "y cuarto"
    (1/4), with how many words it took."""
    following = words[index : index + 2]
    if following[:1] == ["y"] and following[1:] and following[1] in _HALF:
        return 0.5, 2
    if following == ["y", "cuarto"]:
        return 0.25, 2
    return 0.0, 0


def _parts(text: str) -> dict[str, float] | None:
    """Amount per ISO unit letter: "un minuto y medio" gives {M: 1, S: 30}."""
    words = _words(text)
    if not words or words[-1] == "y":
        return None
    # "un cuarto de hora", "tres cuartos de hora"
    if words[-3:] == ["cuarto", "de", "hora"] or words[-3:] == ["cuartos", "de", "hora"]:
        count = _amount(words[:-3]) if words[:-3] else None
        return None if count is None else {"M": 15 * count}
    parts: dict[str, float] = {}
    pending: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "y" and not pending and parts:
            continue  # "dos minutos y treinta segundos"
        if word not in _DURATION_UNITS:
            pending.append(word)
            continue
        if pending:
            amount = _amount(pending)
        else:
            # "minuto y medio": the singular unit alone counts one, only before a fraction
            amount = 1.0 if word in ("minuto", "hora") and _fraction(words, index)[1] else None
        if amount is None:
            return None
        pending = []
        extra, used = _fraction(words, index)
        amount += extra
        index += used
        add_amount(parts, _DURATION_UNITS[word], amount)
    if pending or not parts:
        return None
    return parts


def parse_duration(text: str) -> str | None:
    """AMAZON.DURATION's value for ``text``: "treinta segundos" gives ``"PT30S"``, "medio
    minuto" ``"PT30S"``, "un minuto y medio" ``"PT1M30S"``, "una hora y media" ``"PT1H30M"``."""
    parts = _parts(text)
    if parts is None:
        return None
    return iso_duration(parts)
