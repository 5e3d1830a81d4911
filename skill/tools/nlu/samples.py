"""Sample utterances said aloud: each ``{Slot}`` filled with a real value of its type.

Shared by the evaluation (every sample must come back as its own intent) and the meaning
stage (each sample is embedded with real values in place of its slots, as a person would
say it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta

from skill.tools.nlu import spoken_time as nlu_time

#: Spoken examples of the built-in slot types, and the value Alexa sends for each, by
#: the model's language.
_TODAY = nlu_time.TODAY[0]()
_DATES = [(0, _TODAY.isoformat()), (1, (_TODAY + timedelta(days=1)).isoformat())]
BUILT_IN_EXAMPLES = {
    "en": {
        "AMAZON.NUMBER": [("twenty five", "25"), ("thirty", "30"), ("20", "20")],
        "AMAZON.TIME": [("eight p.m.", "20:00"), ("seven thirty", "07:30"), ("noon", "12:00")],
        "AMAZON.DATE": [(("today", "tomorrow")[n], iso) for n, iso in _DATES],
        "AMAZON.DURATION": [
            ("half a minute", "PT30S"),
            ("two minutes", "PT2M"),
            ("an hour and a half", "PT1H30M"),
        ],
    },
    "es": {
        "AMAZON.NUMBER": [("veinticinco", "25"), ("treinta", "30"), ("20", "20")],
        "AMAZON.TIME": [
            ("ocho de la noche", "20:00"),
            ("siete y media", "07:30"),
            ("mediodía", "12:00"),
        ],
        "AMAZON.DATE": [(("hoy", "mañana")[n], iso) for n, iso in _DATES],
        "AMAZON.DURATION": [
            ("medio minuto", "PT30S"),
            ("dos minutos", "PT2M"),
            ("una hora y media", "PT1H30M"),
        ],
    },
}
_SLOT = re.compile(r"\{(\w+)\}")


def spoken_values(
    values: Mapping[str, Mapping[str, str]], language: str, slot_type: str
) -> list[tuple[str, str]]:
    """(what is said, id or value sent) for every value of ``slot_type`` we can speak;
    ``values`` maps each custom type to its said words and their ids."""
    examples = BUILT_IN_EXAMPLES[language]
    if slot_type in examples:
        return examples[slot_type]
    return sorted(values.get(slot_type, {}).items())


def fill_slots(
    sample: str,
    slot_types: Mapping[str, str],
    values: Mapping[str, Mapping[str, str]],
    language: str,
    pick: int,
) -> tuple[str, dict[str, str]] | None:
    """``sample`` with each ``{Slot}`` replaced by the ``pick``-th value of its type
    (cycling), and the values sent; None if a slot type has no value we can say."""
    refs = _SLOT.findall(sample)
    choices = {name: spoken_values(values, language, slot_types[name]) for name in refs}
    if not all(choices.values()):
        return None
    chosen = {name: options[pick % len(options)] for name, options in choices.items()}
    text = _SLOT.sub(lambda m: chosen[m.group(1)][0], sample)
    return text, {name: sent for name, (_, sent) in chosen.items()}
