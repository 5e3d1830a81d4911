"""The no-lost-update rule as plain functions: the bounded retry, and how a turn's change is
re-applied to a record another turn wrote meanwhile (skill.core.memory.rebase)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from skill.core import cramp_log, memory
from skill.store import versioned
from skill.store.versioned import Conflict, Record

DAY = memory.DAY
NOW = 1_750_000_000


class RacingStore:
    """In memory; ``rivals`` writes by another turn land just before each of ours."""

    def __init__(self, rivals: list[dict[str, Any]]) -> None:
        self.record = Record({"cramps": [NOW - DAY]}, 1)
        self.rivals = list(rivals)
        self.writes = 0

    def read(self, _envelope: Any) -> Record:
        return Record(dict(self.record.attributes), self.record.version)

    def write(self, _envelope: Any, attributes: dict[str, Any], version: int) -> int:
        self.writes += 1
        if self.rivals:  # the other device got there first
            self.record = Record(self.rivals.pop(0), self.record.version + 1)
        if version != self.record.version:
            raise Conflict
        self.record = Record(attributes, version + 1)
        return version + 1


def test_a_conflict_reapplies_the_turn_to_the_fresh_record() -> None:
    base = {"cramps": [NOW - DAY]}
    mine = {"cramps": [NOW - DAY, NOW], "v": 1}
    rival = {"cramps": [NOW - DAY, NOW - 3600], "hold_seconds": 25, "v": 1}
    store = RacingStore([rival])
    version = versioned.save(
        store, None, mine, 1, lambda fresh: memory.rebase(base, mine, fresh), sleep=lambda _: None
    )
    assert version == 3 and store.writes == 2
    assert store.record.attributes == {
        "cramps": [NOW - DAY, NOW - 3600, NOW],
        "hold_seconds": 25,
        "v": 1,
    }


def test_retries_are_bounded_and_the_last_conflict_is_raised() -> None:
    store = RacingStore([{"cramps": []}] * 10)
    with pytest.raises(Conflict):
        versioned.save(store, None, {"x": 1}, 1, lambda fresh: fresh, sleep=lambda _: None)
    assert store.writes == versioned.MAX_ATTEMPTS


def test_no_conflict_writes_once_what_the_turn_made() -> None:
    store = RacingStore([])
    mine = {"cramps": [NOW - DAY, NOW]}
    assert versioned.save(store, None, mine, 1, lambda fresh: {}, sleep=lambda _: None) == 2
    assert (store.writes, store.record.attributes) == (1, mine)


def test_rebase_keeps_the_turns_settings_and_the_others_untouched_keys() -> None:
    base = {"hold_seconds": 30, "frequent_advised_at": NOW - 2 * DAY, "v": 1}
    mine = {"hold_seconds": 20, "frequent_advised_at": NOW - 2 * DAY, "v": 1}
    fresh = {
        "hold_seconds": 30,
        "frequent_advised_at": NOW - 60,
        "position": {"state": {"step": 2}, "saved_at": NOW - 30},
        "v": 1,
    }
    assert memory.rebase(base, mine, fresh) == {
        "hold_seconds": 20,  # this turn set it
        "frequent_advised_at": NOW - 60,  # the other turn's, this one left it alone
        "position": {"state": {"step": 2}, "saved_at": NOW - 30},
        "v": 1,
    }


def test_rebase_applies_a_cleared_position_and_a_new_one() -> None:
    position = {"state": {"step": 4}, "saved_at": NOW - 60}
    fresh = {"position": position, "hold_seconds": 22}
    assert memory.rebase({"position": position}, {}, fresh) == {"hold_seconds": 22}
    moved = {"state": {"step": 5}, "saved_at": NOW}
    assert memory.rebase({"position": position}, {"position": moved}, fresh)["position"] == moved


def test_rebase_follows_the_same_cramp_rule_and_drops_what_the_turn_pruned() -> None:
    old = NOW - 91 * DAY
    base = {"cramps": [old, NOW - DAY]}
    mine = {"cramps": [NOW - DAY, NOW]}  # logged a cramp; pruned the 91-day-old one
    fresh = {"cramps": [old, NOW - DAY, NOW - 120]}  # the other device: the same cramp
    assert memory.rebase(base, mine, fresh)["cramps"] == [NOW - DAY, NOW - 120]


def test_rebase_over_an_unchanged_record_is_the_turns_own_record() -> None:
    """No conflict in disguise: with nothing written meanwhile, rebase changes nothing."""
    rng = random.Random(17)
    for _ in range(300):
        base: dict[str, Any] = {}
        for n in range(rng.randint(0, 5)):
            cramp_log.log_cramp(base, NOW - rng.randint(0, 80) * DAY - n)
        if rng.random() < 0.5:
            memory.set_hold_seconds(base, rng.randint(20, 30))
        mine = {
            key: (list(value) if isinstance(value, list) else value) for key, value in base.items()
        }
        if rng.random() < 0.7:
            cramp_log.log_cramp(mine, NOW + rng.randint(0, 3600))
        if rng.random() < 0.3:
            memory.set_hold_seconds(mine, rng.randint(20, 30))
        if rng.random() < 0.2:
            cramp_log.mark_frequent_advice(mine, NOW)
        assert memory.rebase(base, mine, base) == mine
