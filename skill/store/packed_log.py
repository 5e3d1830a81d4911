"""The cramp log kept apart from the rest of a person's record, in both stores.

Why: the log is most of a record (up to 500 times, more from an older version or another
writer), and most turns never look at it. Kept inside the record's JSON, every turn decoded
and re-encoded it, a cost growing with the log (bench/RESULTS.md, "A turn against the length
of the cramp log"). The stores keep it instead as :class:`~skill.store.values.PackedTimes`
bytes in a column (SQLite) or attribute (DynamoDB) of its own, read with the record in one
call (one version, one snapshot) and handed to the turn undecoded.

Records written before this layout hold the log inside the document: it is read from there
(it wins over a packed one, which an older version writing the document would have left
stale) and the record is marked for rewriting, so the turn that reads it stores it in the
new layout (:attr:`skill.store.versioned.Record.migrate`). A log that is not a list of
whole numbers (nothing this skill writes) stays in the document as it was.

A packed log longer than the skill keeps (:data:`~skill.store.values.PACKED_LOG_MAX` times,
left by another writer) is read as its newest times only, and the record is marked for
rewriting too: the turn that reads it stores those, so no later turn pays for the rest
(SQLite reads only those bytes; DynamoDB's client must still fetch the whole item once).
"""

from __future__ import annotations

from typing import Any

from skill.store.values import PACKED_LOG_KEY, PACKED_LOG_MAX_BYTES, PackedTimes, is_decimal

#: int64 bounds: a time outside them cannot be packed.
_LOW, _HIGH = -(2**63), 2**63 - 1


def packed(value: Any) -> PackedTimes | None:
    """``value`` as a packed log, or None when it is not a list of whole numbers."""
    if isinstance(value, PackedTimes):
        return value
    if not isinstance(value, list):
        return None
    kinds = set(map(type, value))
    if kinds - {int}:
        others = (v for v in value if type(v) is not int)
        if not all(is_decimal(v) and v == v.to_integral_value() for v in others):
            return None  # bools, floats, text: not this skill's
        value = [v if type(v) is int else int(v) for v in value]  # DynamoDB's Decimals
    if value and not (min(value) >= _LOW and max(value) <= _HIGH):
        return None
    return PackedTimes.pack(value)


def split(attributes: dict[str, Any]) -> tuple[dict[str, Any], bytes | None]:
    """The record to store as the document, and the packed log to store beside it (None:
    no log, or one that stays in the document)."""
    if PACKED_LOG_KEY not in attributes:
        return attributes, None
    log = packed(attributes[PACKED_LOG_KEY])
    if log is None:
        return attributes, None
    document = dict(attributes)
    del document[PACKED_LOG_KEY]
    return document, log.data


def join(
    document: dict[str, Any], data: bytes | None, stored_bytes: int | None = None
) -> tuple[dict[str, Any], bool]:
    """The record as the turn sees it, and whether it should be rewritten: in the old
    layout (a packable log inside the document), or with a log longer than the skill keeps.

    ``data`` is the packed log, or (``stored_bytes`` given, the stored log's length) only
    its newest :data:`~skill.store.values.PACKED_LOG_MAX_BYTES`, as SQLite reads it. A
    packed log of the wrong length is malformed: read as absent, like any malformed value."""
    if PACKED_LOG_KEY in document:
        return document, packed(document[PACKED_LOG_KEY]) is not None
    if data is None:
        return document, False
    length = len(data) if stored_bytes is None else stored_bytes
    if length % 8:
        return document, False
    document[PACKED_LOG_KEY] = PackedTimes(data[-PACKED_LOG_MAX_BYTES:])
    return document, length > PACKED_LOG_MAX_BYTES


def plain(attributes: dict[str, Any]) -> dict[str, Any]:
    """The record with its log as a list of numbers (the SDK's ``get_attributes``, tools)."""
    log = attributes.get(PACKED_LOG_KEY)
    if not isinstance(log, PackedTimes):
        return attributes
    return {**attributes, PACKED_LOG_KEY: log.tolist()}
