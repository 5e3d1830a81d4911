"""The basics every part of a person's record shares: whole epoch seconds, the schema mark.

Times and counts are ints because DynamoDB stores no floats (it hands numbers back as
``Decimal``; every reader goes through :func:`read_int`), and a value out of bounds or
malformed reads as absent, so a record written by an older version never breaks a turn.
"""

from __future__ import annotations

from typing import Any

from skill.core.numbers import finite_float

Memory = dict[str, Any]

SCHEMA_VERSION = 1
MINUTE = 60
DAY = 24 * 60 * MINUTE

#: Epoch seconds and counts well past any real value; a stored Infinity or 1e309 is refused.
INT_LIMIT = 10**12


def read_int(value: Any) -> int | None:
    number = finite_float(value, -INT_LIMIT, INT_LIMIT)
    return None if number is None else int(number)


def touch(memory: Memory) -> None:
    """Mark the record with the schema it was written in."""
    memory["v"] = SCHEMA_VERSION
