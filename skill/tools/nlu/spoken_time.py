"""Spoken clock times and days, as Alexa fills AMAZON.TIME and AMAZON.DATE, in English and
Spanish, for the offline NLU.

AMAZON.TIME is ``"HH:MM"`` (24-hour; "eight p.m." is ``"20:00"``, a bare "eight" is
``"08:00"``), or a part of the day (``"MO"``, ``"AF"``, ``"EV"``, ``"NI"``). AMAZON.DATE is an
ISO date; a weekday names its next occurrence after today (docs/reminders.md says how the
skill reads both). Only the forms people use to set a reminder are understood.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from skill.tools.nlu import spoken_numbers as nlu_numbers
from skill.tools.nlu import spoken_numbers_es as nlu_numbers_es
from skill.tools.simulator.fake_alexa_api import DEVICE_ZONE


def _device_today() -> date:
    """Today on the simulated device's clock (the fake Alexa API's time zone), as Alexa
    resolves dates in the person's own zone."""
    return datetime.now(ZoneInfo(DEVICE_ZONE)).date()


#: "Today" for AMAZON.DATE; a function so a test can pin it.
TODAY: list[Callable[[], date]] = [_device_today]

_EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ES_DAYS = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")
_EN_AFTER = {
    "am": "am",
    "a.m.": "am",
    "a m": "am",
    "pm": "pm",
    "p.m.": "pm",
    "p m": "pm",
    "in the morning": "am",
    "in the afternoon": "pm",
    "in the evening": "pm",
    "at night": "pm",
    "tonight": "pm",
    "this evening": "pm",
    "this morning": "am",
    "o'clock": "",
    "o clock": "",
}
_ES_AFTER = {
    "de la manana": "am",
    "de la madrugada": "am",
    "de la tarde": "pm",
    "de la noche": "pm",
    "am": "am",
    "pm": "pm",
    "en punto": "",
}
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")


def _fold(text: str) -> str:
    table = str.maketrans("áéíóúü", "aeiouu")
    return " ".join(text.lower().translate(table).replace("-", " ").split())


def _split_after(text: str, after: dict[str, str]) -> tuple[str, str | None]:
    for words in sorted(after, key=len, reverse=True):
        if text.endswith(" " + words):
            return text[: -len(words) - 1].strip(), after[words]
    return text, None


def _clock(hour: int | None, minute: int | None, half: str | None) -> str | None:
    if hour is None or minute is None or not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    if half == "pm" and 1 <= hour <= 11:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    elif half is not None and half != "" and hour > 12:
        return None
    return f"{hour:02d}:{minute:02d}"


def _hour_minute(
    words: list[str], to_int: Callable[[list[str]], int | None]
) -> tuple[int, int] | None:
    """An hour, or an hour then minutes ("eight thirty", "8:30", "eight oh five")."""
    if len(words) == 1 and (found := _CLOCK.match(words[0])):
        return int(found.group(1)), int(found.group(2) or 0)
    for cut in range(1, len(words) + 1):
        hour = to_int(words[:cut])
        if hour is None or not 0 <= hour <= 23:
            continue
        rest = words[cut:]
        if not rest:
            return hour, 0
        if rest[0] == "oh":
            rest = rest[1:]
        minute = to_int(rest)
        if minute is not None and 0 <= minute <= 59:
            return hour, minute
    return None


def parse_time_en(text: str) -> str | None:
    """AMAZON.TIME's value for English words: "eight p.m.", "seven thirty in the morning",
    "half past six", "noon"."""
    said = _fold(text).replace("p. m.", "p.m.").replace("a. m.", "a.m.")
    if said in ("noon", "midday"):
        return "12:00"
    if said == "midnight":
        return "00:00"
    said, half = _split_after(said, _EN_AFTER)
    words = said.split()
    if len(words) >= 3 and words[1] == "past" and words[0] in ("half", "quarter"):
        hour = nlu_numbers.words_to_int(words[2:])
        return _clock(hour, 30 if words[0] == "half" else 15, half)
    found = _hour_minute(words, nlu_numbers.words_to_int)
    if found is None or (half is None and found[0] > 23):
        return None
    return _clock(found[0], found[1], half)


def parse_time_es(text: str) -> str | None:
    """AMAZON.TIME's value for Spanish words: "ocho de la noche", "las siete y media de la
    mañana", "mediodía"."""
    said = _fold(text)
    if said in ("mediodia", "el mediodia"):
        return "12:00"
    if said in ("medianoche", "la medianoche"):
        return "00:00"
    said, half = _split_after(said, _ES_AFTER)
    words = said.split()
    if words and words[0] in ("la", "las"):
        words = words[1:]
    if "y" in words:
        at = words.index("y")
        hour = _es_int(words[:at])
        rest = words[at + 1 :]
        minute = {"media": 30, "cuarto": 15}.get(" ".join(rest), _es_int(rest))
        return _clock(hour, minute, half)
    found = _hour_minute(words, _es_int)
    return None if found is None else _clock(found[0], found[1], half)


def _es_int(words: list[str]) -> int | None:
    if words == ["una"]:
        return 1
    return nlu_numbers_es.words_to_int(words)


def _weekday(index: int) -> str:
    today = TODAY[0]()
    ahead = (index - today.weekday()) % 7 or 7
    return (today + timedelta(days=ahead)).isoformat()


def parse_date_en(text: str) -> str | None:
    """AMAZON.DATE's value for "today", "tomorrow", "saturday", "next monday"."""
    said = _fold(text)
    today = TODAY[0]()
    named = {"today": 0, "tomorrow": 1, "the day after tomorrow": 2}
    if said in named:
        return (today + timedelta(days=named[said])).isoformat()
    said = said.removeprefix("next ").removeprefix("this ")
    return _weekday(_EN_DAYS.index(said)) if said in _EN_DAYS else None


def parse_date_es(text: str) -> str | None:
    """AMAZON.DATE's value for "hoy", "mañana", "pasado mañana", "el sábado"."""
    said = _fold(text).removeprefix("el ").removeprefix("este ")
    today = TODAY[0]()
    named = {"hoy": 0, "manana": 1, "pasado manana": 2}
    if said in named:
        return (today + timedelta(days=named[said])).isoformat()
    said = said.removesuffix(" que viene").removesuffix(" proximo")
    return _weekday(_ES_DAYS.index(said)) if said in _ES_DAYS else None
