"""Attribute values as both stores hand them back: DynamoDB gives numbers as ``Decimal``,
and both give the cramp log as :class:`PackedTimes`.

``decimal`` is not imported here: if nothing has imported it, no value can be a Decimal, and
the Lambda cold start (SQLite or no store) stays one import lighter.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from typing import Any

#: The record key whose value (the cramp log) the stores keep packed, apart from the rest.
PACKED_LOG_KEY = "cramps"
#: The most times a log keeps (:data:`skill.core.cramp_log.CRAMP_LOG_MAX`): a store hands a
#: turn only the newest this many, so no turn's cost grows with a longer log.
PACKED_LOG_MAX = 500
#: Those times' bytes: the most of a packed log a store reads.
PACKED_LOG_MAX_BYTES = 8 * PACKED_LOG_MAX


def is_decimal(value: Any) -> bool:
    decimal = sys.modules.get("decimal")
    return decimal is not None and isinstance(value, decimal.Decimal)


def json_default(value: Any) -> Any:
    """``json.dumps`` hook: a Decimal becomes the int or float it is; anything else is refused."""
    if is_decimal(value):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, PackedTimes):
        return value.tolist()
    raise TypeError(f"cannot store a {type(value).__name__} in persistent attributes")


class PackedTimes:
    """A log of epoch seconds as the stores keep it: sorted, 8 bytes each (little-endian
    signed), read by :mod:`skill.core.cramp_log` without making a Python number per entry.

    Why: the cramp log is most of a record, and most turns never look at it. Decoding it as
    JSON cost about a thousand instructions an entry on every read (bench/RESULTS.md), so the
    stores keep it apart from the record's JSON and hand it over in this form; a turn that
    leaves it alone writes the same bytes back (or none), and one that reads it copies bytes.
    Only :meth:`pack` (which sorts) and :meth:`of` (given an array kept sorted) make one.
    """

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        if len(data) % 8:
            raise ValueError("a packed log is a whole number of 8-byte times")
        self.data = bytes(data)

    @classmethod
    def pack(cls, times: Iterable[int]) -> PackedTimes:
        """The times, sorted; each must be an int that fits in 64 bits (else OverflowError)."""
        packed = array("q", sorted(times))
        if sys.byteorder != "little":
            packed.byteswap()
        return cls(packed.tobytes())

    @classmethod
    def of(cls, times: array[int]) -> PackedTimes:
        """``times``, an array already sorted (what :meth:`times` gave, searched and cut)."""
        if sys.byteorder != "little":
            times = array("q", times)
            times.byteswap()
        return cls(times.tobytes())

    def times(self) -> array[int]:
        """The times in order, as an array (a copy of the bytes, no number made per entry)."""
        unpacked = array("q")
        unpacked.frombytes(self.data)
        if sys.byteorder != "little":
            unpacked.byteswap()
        return unpacked

    def tolist(self) -> list[int]:
        return self.times().tolist()

    def __len__(self) -> int:
        return len(self.data) // 8

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PackedTimes) and other.data == self.data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedTimes({len(self)} times)"
