"""Memory rules without Alexa: hold preference, resume window, cramp log, frequent advice."""

from __future__ import annotations

from decimal import Decimal

from skill.core import cramp_log
from skill.core import memory as m

NOW = 1_750_000_000
MIN = 60
DAY = 24 * 60 * MIN


def test_hold_preference_round_trip_and_bounds() -> None:
    mem: dict = {}
    assert m.hold_seconds(mem) is None
    m.set_hold_seconds(mem, 25)
    assert m.hold_seconds(mem) == 25
    for outside in (19, 31, 600):  # the seed's 20-30 s: stored by anything else, ignored
        assert m.hold_seconds({"hold_seconds": outside}) is None
    assert m.hold_seconds({"hold_seconds": 45}) is None
    assert m.hold_seconds({"hold_seconds": Decimal("30")}) == 30  # as DynamoDB returns it
    assert m.hold_seconds({"hold_seconds": "thirty"}) is None
    assert m.hold_seconds({"hold_seconds": True}) is None
    assert m.hold_seconds({"hold_seconds": 1000}) is None


def test_position_resumable_for_fifteen_minutes_only() -> None:
    mem: dict = {}
    state = {"routine": "relief", "index": 3, "leg": "left", "hold": 25, "paused": False}
    m.save_position(mem, state, NOW)
    assert m.resumable_position(mem, NOW + 15 * MIN) == state
    assert m.resumable_position(mem, NOW + 15 * MIN + 1) is None
    assert m.resumable_position(mem, NOW - 5) is None  # saved "in the future": distrust it
    m.clear_position(mem)
    assert m.resumable_position(mem, NOW) is None


def test_position_tolerates_malformed_and_dynamodb_records() -> None:
    for bad in (
        "relief:3",
        {"state": "relief"},
        {"state": {"routine": "relief"}},
        {"state": {"routine": "relief"}, "saved_at": "now"},
    ):
        assert m.resumable_position({"position": bad}, NOW) is None
    dynamo = {
        "position": {"state": {"routine": "relief", "index": Decimal(2)}, "saved_at": Decimal(NOW)}
    }
    resumed = m.resumable_position(dynamo, NOW + 60)
    assert resumed == {"routine": "relief", "index": 2} and type(resumed["index"]) is int


def test_cramp_log_counts_prunes_and_merges_repeats() -> None:
    mem: dict = {"cramps": [NOW - 100 * DAY, NOW - 30 * DAY, "junk", NOW - 3 * DAY]}
    assert cramp_log.log_cramp(mem, NOW) is True
    assert cramp_log.log_cramp(mem, NOW + 5 * MIN) is False  # same cramp, reported twice
    assert cramp_log.log_cramp(mem, NOW + 10 * MIN) is True
    assert mem["cramps"] == [NOW - 30 * DAY, NOW - 3 * DAY, NOW, NOW + 10 * MIN]
    later = NOW + 10 * MIN
    assert cramp_log.cramps_in_last(mem, 7, later) == 3
    assert cramp_log.cramps_in_last(mem, 1, later) == 2
    assert cramp_log.cramps_in_last(mem, 90, later) == 4
    assert cramp_log.cramps_in_last(mem, 7, NOW + 8 * DAY) == 0


def test_cramp_log_is_capped() -> None:
    mem: dict = {"cramps": list(range(NOW - cramp_log.CRAMP_LOG_MAX * 11 * MIN, NOW, 11 * MIN))}
    cramp_log.log_cramp(mem, NOW)
    assert len(mem["cramps"]) == cramp_log.CRAMP_LOG_MAX and mem["cramps"][-1] == NOW


def test_frequent_means_three_in_seven_days() -> None:
    mem: dict = {}
    cramp_log.log_cramp(mem, NOW - 6 * DAY)
    cramp_log.log_cramp(mem, NOW - 2 * DAY)
    assert not cramp_log.cramps_are_frequent(mem, NOW)
    cramp_log.log_cramp(mem, NOW)
    assert cramp_log.cramps_are_frequent(mem, NOW)
    assert not cramp_log.cramps_are_frequent(mem, NOW + 1 * DAY)  # the oldest falls out of the week


def test_frequent_advice_at_most_once_a_day() -> None:
    mem: dict = {"cramps": [NOW - 2 * DAY, NOW - DAY, NOW]}
    assert cramp_log.frequent_advice_due(mem, NOW)
    cramp_log.mark_frequent_advice(mem, NOW)
    assert not cramp_log.frequent_advice_due(mem, NOW + 1)
    assert not cramp_log.frequent_advice_due(mem, NOW + DAY - 1)
    cramp_log.log_cramp(mem, NOW + DAY)
    assert cramp_log.frequent_advice_due(mem, NOW + DAY)
    assert not cramp_log.frequent_advice_due({"cramps": [NOW]}, NOW)  # one cramp: never due


def test_forget_and_emptiness() -> None:
    mem: dict = {}
    assert m.is_empty(mem) and m.is_empty(None)
    m.set_hold_seconds(mem, 30)
    cramp_log.log_cramp(mem, NOW)
    assert not m.is_empty(mem)
    m.forget(mem)
    assert mem == {} and m.is_empty({"v": 1})


def test_everything_stored_is_an_int_or_str() -> None:
    """DynamoDB rejects floats: a float clock must not leak into the record."""
    mem: dict = {}
    now = NOW + 0.75
    m.set_hold_seconds(mem, 30)
    m.save_position(mem, {"routine": "relief", "index": 1}, now)
    cramp_log.log_cramp(mem, now)
    cramp_log.mark_frequent_advice(mem, now)

    def leaves(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from leaves(item)
        elif isinstance(value, list):
            for item in value:
                yield from leaves(item)
        else:
            yield value

    assert all(type(leaf) in (int, str) for leaf in leaves(mem))


def test_a_report_with_an_earlier_clock_keeps_later_entries() -> None:
    mem: dict = {"cramps": [NOW, NOW + DAY]}
    assert cramp_log.log_cramp(mem, NOW + DAY // 2) is True
    assert mem["cramps"] == [NOW, NOW + DAY // 2, NOW + DAY]
    assert cramp_log.log_cramp(mem, NOW + DAY - 5 * MIN) is False  # minutes before a logged one


def test_the_cramp_logs_keys_are_the_records_health_keys() -> None:
    """What a no to the log or the log turned off drops (skill.core.cramp_log) is what the
    record's schema calls health data (skill.core.memory.RECORD_KEYS)."""
    from skill.core import cramp_log

    health = {key for key, kind in m.RECORD_KEYS.items() if kind == "health"}
    assert set(cramp_log.HEALTH_KEYS) == health
