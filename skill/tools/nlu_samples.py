"""Sample utterances said aloud: each ``{Slot}`` filled with a real value of its type.

Shared by the evaluation (every sample must come back as its own intent) and the meaning
stage (each sample is embedded with real values in place of its slots, as a person would
say it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: Spoken examples of the built-in slot types, and the value Alexa sends for each, by
#: the model's language.
BUILT_IN_EXAMPLES = {
    "en": {
        "AMAZON.NUMBER": [("twenty five", "25"), ("thirty", "30"), ("20", "20")],
        "AMAZON.DURATION": [
            ("half a minute", "PT30S"),
            ("two minutes", "PT2M"),
            ("an hour and a half", "PT1H30M"),
        ],
    },
    "es": {
        "AMAZON.NUMBER": [("veinticinco", "25"), ("treinta", "30"), ("20", "20")],
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
