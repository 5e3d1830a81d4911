"""A turn's cost must not grow with the cramp log when the turn leaves the log alone (#26 item 5).

The record as read is kept as a shallow copy, and a value the turn did not replace is never
compared (copy-on-write: skill.core.memory replaces values, never edits them). The log's
readers check a list of plain ints in whole-list passes; anything else stored is still read
entry by entry, with the same result as before (checked here against that reading).
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from skill.alexa.handlers.persistence import changed
from skill.core import cramp_log, memory
from skill.core.cramp_log import CRAMP_LOG_DAYS
from skill.core.memory import DAY, _int


class Untouchable(list):  # type: ignore[type-arg]
    """A log that fails the test if anything compares or copies it entry by entry."""

    def __eq__(self, other: object) -> bool:
        raise AssertionError("the log was compared")

    __ne__ = __eq__  # type: ignore[assignment]

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the log was read")


def test_values_the_turn_left_alone_are_never_compared() -> None:
    read = {"v": 1, "cramps": Untouchable([1, 2, 3]), "log_consent": True}
    mine = dict(read)
    assert changed(read, mine) is False
    memory.set_hold_seconds(mine, 25)
    assert changed(read, mine) is True


def test_a_replaced_value_counts_as_changed_only_if_it_differs() -> None:
    read: dict[str, Any] = {"v": Decimal(1), "hold_seconds": Decimal(25), "cramps": [5, 9]}
    mine = dict(read, v=1, hold_seconds=25, cramps=[5, 9])  # DynamoDB's Decimals, as ints
    assert changed(read, mine) is False
    assert changed(read, dict(mine, cramps=[5, 10])) is True
    assert changed(read, dict(mine, hold_seconds=True)) is True  # a bool is not the number 1
    del mine["v"]
    assert changed(read, mine) is True


def _reference_times(raw: Any, now: float) -> list[int]:
    """cramp_times as it was written before: every entry read on its own."""
    if not isinstance(raw, list):
        return []
    oldest = int(now) - CRAMP_LOG_DAYS * DAY
    times = (_int(value) for value in raw)
    return sorted(t for t in times if t is not None and t >= oldest)


def _random_log(rng: random.Random, now: int) -> list[Any]:
    plain = rng.random() < 0.6
    size = rng.choice([0, 1, 2, 5, 50])
    log: list[Any] = [now - rng.randrange(0, 120 * DAY) for _ in range(size)]
    if not plain:
        odd = [True, 3.0, 2.5, "x", None, Decimal(now - 5), 10**13, float("inf"), -(10**13)]
        log += rng.sample(odd, rng.randrange(1, 4))
        rng.shuffle(log)
    return log


#: Random logs checked in the fast tier; .ci/test-all checks all 200 (docs/testing.md).
FAST_SEEDS = 40


@pytest.mark.parametrize(
    "seed", [pytest.param(s, marks=pytest.mark.slow if s >= FAST_SEEDS else ()) for s in range(200)]
)
def test_the_log_reads_as_it_did_entry_by_entry(seed: int) -> None:
    rng = random.Random(seed)
    now = 1_800_000_000
    log = _random_log(rng, now)
    assert cramp_log.cramp_times({"cramps": log}, now) == _reference_times(log, now)
    for days in (1, 7, 90):
        since = now - days * DAY
        expected = sum(1 for t in _reference_times(log, now) if since < t <= now)
        assert cramp_log.cramps_in_last({"cramps": log}, days, now) == expected
    when = now - rng.choice([0, 60, 599, 600, 3 * DAY])
    record = {"cramps": list(log)}
    old_times = _reference_times(log, when)
    logged = cramp_log.log_cramp(record, when)
    assert logged == all(abs(when - t) >= cramp_log.SAME_CRAMP_SECONDS for t in old_times)
    expected_log = sorted([*old_times, when]) if logged else old_times
    assert record["cramps"] == expected_log[-cramp_log.CRAMP_LOG_MAX :]
